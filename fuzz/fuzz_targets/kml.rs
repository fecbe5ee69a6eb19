//! Fuzzes the KML reader.
#![no_main]
mod readers;

libfuzzer_sys::fuzz_target!(|data: &[u8]| readers::kml(data));
