//! Replays the fuzzers' corpora (`fuzz/seeds/<target>`: the inputs libFuzzer kept for new
//! coverage in a million runs per target, and the real files it started from) through the same
//! readers the fuzz targets call: none may panic. Fast (a few thousand small inputs); the fuzzing
//! itself is `cargo fuzz run` (docs/RELIABILITY.md).

use covplan_core::error::{Location, Warning};
use covplan_core::io::shapefile::{dbf, shp};
use covplan_core::model::Feature;
use std::path::{Path, PathBuf};

fn seeds(target: &str) -> Vec<PathBuf> {
    let dir = Path::new(env!("CARGO_MANIFEST_DIR")).join("../../fuzz/seeds").join(target);
    let mut files: Vec<PathBuf> = std::fs::read_dir(&dir).unwrap_or_else(|e| panic!("{}: {e}", dir.display())).map(|e| e.unwrap().path()).collect();
    files.retain(|f| f.extension().is_none_or(|e| e != "md"));
    files.sort();
    assert!(!files.is_empty(), "{} is empty", dir.display());
    files
}

/// Runs `read` on every seed of `target`; a panic names the seed.
fn replay(target: &str, read: impl Fn(&[u8]) + std::panic::RefUnwindSafe) -> usize {
    let files = seeds(target);
    for f in &files {
        let data = std::fs::read(f).unwrap();
        if std::panic::catch_unwind(|| read(&data)).is_err() {
            panic!("{} panicked on {}", target, f.display());
        }
    }
    files.len()
}

#[test]
fn every_fuzz_seed_is_read_without_a_panic() {
    let n = replay("shapefile", |data| {
        let split = data.first().map_or(0, |&b| b as usize * data.len() / 256);
        let (a, b) = data.split_at(split.min(data.len()));
        let loc = Location::file("fuzz.shp");
        let _ = shp::parse(a, &loc);
        if let Ok(h) = dbf::parse_header(b, &loc) {
            let mut w: Vec<Warning> = Vec::new();
            let (enc, _) = dbf::choose_encoding(None, &h, b, None, &loc, &mut w);
            if h.num_records <= b.len() {
                let mut features: Vec<Feature> = (0..h.num_records).map(|_| Feature { geometry: None, values: Vec::new() }).collect();
                let _ = dbf::read_rows(b, &h, enc, &loc, &mut w, &mut features);
            }
        }
    }) + replay("geojson", |data| {
        let _ = covplan_core::io::geojson::parse(Path::new("fuzz.geojson"), data);
    }) + replay("csv", |data| {
        let path = Path::new("fuzz.csv");
        if let Ok(t) = covplan_core::io::csv_table::parse_csv(path, data, None) {
            let _ = covplan_core::io::csv_table::table_to_layer(path, t, None);
        }
    }) + replay("kml", |data| {
        let _ = covplan_core::io::kml::parse(Path::new("fuzz.kml"), data, covplan_core::io::Format::Kml);
    });
    assert!(n > 1000, "{n} seeds");
}
