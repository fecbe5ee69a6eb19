//! Fuzzes the KML reader.
#![no_main]
use libfuzzer_sys::fuzz_target;

fuzz_target!(|data: &[u8]| {
    let _ = covplan_core::io::kml::parse(std::path::Path::new("fuzz.kml"), data, covplan_core::io::Format::Kml);
});
