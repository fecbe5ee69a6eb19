//! Fuzzes the CSV site-table reader (decoding, delimiter sniffing, coordinates).
#![no_main]
mod readers;

libfuzzer_sys::fuzz_target!(|data: &[u8]| readers::csv(data));
