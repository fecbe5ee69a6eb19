//! Fuzzes the GeoParquet reader (see readers.rs).
#![no_main]
mod readers;

libfuzzer_sys::fuzz_target!(|data: &[u8]| readers::geoparquet(data));
