//! Fuzzes the gpkg reader (see readers.rs).
#![no_main]
mod readers;

libfuzzer_sys::fuzz_target!(|data: &[u8]| readers::gpkg(data));
