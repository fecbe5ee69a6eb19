//! Fuzzes the GeoJSON reader.
#![no_main]
use libfuzzer_sys::fuzz_target;

fuzz_target!(|data: &[u8]| {
    let _ = covplan_core::io::geojson::parse(std::path::Path::new("fuzz.geojson"), data);
});
