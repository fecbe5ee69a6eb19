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

/// Workbooks (XLSX site tables): the zip container, the sheets, rows to a layer.
pub fn xlsx(data: &[u8]) {
    let path = Path::new("fuzz.xlsx");
    if let Ok(t) = covplan_core::io::csv_table::parse_workbook(path, data, None) {
        let _ = covplan_core::io::csv_table::table_to_layer(path, t, None);
    }
}

/// Zipped shapefiles: entry names, the members, the shapefile inside.
pub fn zipped_shapefile(data: &[u8]) {
    let opts = covplan_core::io::ReadOptions::default();
    let _ = covplan_core::io::zipped::parse_zipped_shapefile(Path::new("fuzz.zip"), data, &opts);
}

/// GeoPackages: the first byte chooses the geometry blob parser (GeoPackage header and WKB)
/// on the rest, or the whole file read by SQLite (written to a temporary file: SQLite opens
/// paths).
pub fn gpkg(data: &[u8]) {
    match data.split_first() {
        Some((b, rest)) if b % 2 == 0 => {
            let _ = covplan_core::io::gpkg::geometry_blob(rest);
        }
        _ => {
            let path = std::env::temp_dir().join(format!("covplan-fuzz-{}-{:?}.gpkg", std::process::id(), std::thread::current().id()));
            if std::fs::write(&path, data).is_ok() {
                let _ = covplan_core::io::gpkg::read(&path, &covplan_core::io::ReadOptions::default());
            }
            let _ = std::fs::remove_file(&path);
        }
    }
}

/// GeoTIFF terrain: TIFF structure, georeferencing tags, samples.
pub fn geotiff(data: &[u8]) {
    let _ = covplan_core::io::terrain::read_geotiff(Path::new("fuzz.tif"), data, None);
}

/// The TOML files a user writes: the first byte chooses project, target profile or cost table.
pub fn toml(data: &[u8]) {
    let Some((b, rest)) = data.split_first() else { return };
    let text = String::from_utf8_lossy(rest);
    match b % 3 {
        0 => {
            let _ = covplan_core::project::file::ProjectFile::parse(Path::new("fuzz.toml"), &text);
        }
        1 => {
            let _ = covplan_core::targets::profile::Profile::parse(&text, Path::new("fuzz.toml"));
        }
        _ => {
            let _ = covplan_core::plan::costs::Costs::parse(&text, Path::new("fuzz.toml"));
        }
    }
}

/// GeoParquet: the Parquet footer and pages, the geo metadata, WKB, columns to a layer.
/// `geoparquet::parse` contains the `parquet` crate's panics on malformed pages (see its doc).
pub fn geoparquet(data: &[u8]) {
    let _ = covplan_core::io::geoparquet::parse(Path::new("fuzz.parquet"), data.to_vec());
}
