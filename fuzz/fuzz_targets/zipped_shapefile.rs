//! Fuzzes the zipped_shapefile reader (see readers.rs).
#![no_main]
mod readers;

libfuzzer_sys::fuzz_target!(|data: &[u8]| readers::zipped_shapefile(data));
