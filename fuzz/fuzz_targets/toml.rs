//! Fuzzes the toml reader (see readers.rs).
#![no_main]
mod readers;

libfuzzer_sys::fuzz_target!(|data: &[u8]| readers::toml(data));
