//! Fuzzes the .shp and .dbf parsers: the input is split into a .shp part and a .dbf part.
#![no_main]
use covplan_core::error::{Location, Warning};
use covplan_core::model::Feature;
use covplan_core::io::shapefile::{dbf, shp};
use libfuzzer_sys::fuzz_target;

fuzz_target!(|data: &[u8]| {
    let split = data.first().map_or(0, |&b| b as usize * data.len() / 256);
    let (a, b) = data.split_at(split.min(data.len()));
    let loc = Location::file("fuzz.shp");
    let _ = shp::parse(a, &loc);
    if let Ok(h) = dbf::parse_header(b, &loc) {
        let mut w: Vec<Warning> = Vec::new();
        let (enc, _) = dbf::choose_encoding(None, &h, b, None, &loc, &mut w);
        // The reader fills the features the .shp gave; a header claiming more records than the
        // bytes could hold is refused by parse_header's size check, so this stays small.
        if h.num_records <= b.len() {
            let mut features: Vec<Feature> = (0..h.num_records).map(|_| Feature { geometry: None, values: Vec::new() }).collect();
            let _ = dbf::read_rows(b, &h, enc, &loc, &mut w, &mut features);
        }
    }
});
