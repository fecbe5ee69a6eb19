//! What each fuzz target feeds its input to — shared by the targets and by the replay of the
//! seeds in `cargo test` (crates/core/tests/integration/fuzz_replay.rs), so both run the same
//! readers. Results are dropped: a reader may refuse an input, never panic on it.

// Each target binary calls one of these.
#![allow(dead_code)]

use covplan_core::error::{Location, Warning};
use covplan_core::io::shapefile::{dbf, shp};
use covplan_core::model::Feature;
use std::path::Path;

/// The .shp and .dbf parsers: the first byte says where the rest splits into a .shp and a .dbf.
pub fn shapefile(data: &[u8]) {
    let split = data.first().map_or(0, |&b| b as usize * data.len() / 256);
    let (a, b) = data.split_at(split.min(data.len()));
    let loc = Location::file("fuzz.shp");
    let _ = shp::parse(a, &loc);
    if let Ok(h) = dbf::parse_header(b, &loc) {
        let mut w: Vec<Warning> = Vec::new();
        let (enc, _) = dbf::choose_encoding(None, &h, b, None, &loc, &mut w);
        // The reader fills one feature per record, as many as the .shp gave. parse_header checks
        // records × record length against the bytes, which bounds nothing when records are
        // zero bytes long: cap the count by the input's size.
        if h.num_records <= b.len() {
            let mut features = vec![Feature::default(); h.num_records];
            let _ = dbf::read_rows(b, &h, enc, &loc, &mut w, &mut features);
        }
    }
}

/// GeoJSON features and geometry.
pub fn geojson(data: &[u8]) {
    let _ = covplan_core::io::geojson::parse(Path::new("fuzz.geojson"), data);
}

/// CSV site tables: decoding, delimiter, columns, rows to a layer.
pub fn csv(data: &[u8]) {
    let path = Path::new("fuzz.csv");
    if let Ok(t) = covplan_core::io::csv_table::parse_csv(path, data, None) {
        let _ = covplan_core::io::csv_table::table_to_layer(path, t, None);
    }
}

/// KML placemarks.
pub fn kml(data: &[u8]) {
    let _ = covplan_core::io::kml::parse(Path::new("fuzz.kml"), data, covplan_core::io::Format::Kml);
}
