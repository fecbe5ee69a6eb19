//! Fuzzes the .shp and .dbf parsers: the input is split into a .shp part and a .dbf part.
#![no_main]
mod readers;

libfuzzer_sys::fuzz_target!(|data: &[u8]| readers::shapefile(data));
