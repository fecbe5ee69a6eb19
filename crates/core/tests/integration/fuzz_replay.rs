//! Replays the fuzzers' corpora (`fuzz/seeds/<target>`: the inputs libFuzzer kept for new
//! coverage in a million runs per target, and the real files it started from) through the
//! targets' own functions (`fuzz/fuzz_targets/readers.rs`): none may panic. Fast (a few
//! thousand small inputs); the fuzzing itself is `cargo fuzz run` (docs/RELIABILITY.md).

use std::path::{Path, PathBuf};

#[path = "../../../../fuzz/fuzz_targets/readers.rs"]
mod readers;

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
    let n = replay("shapefile", readers::shapefile)
        + replay("geojson", readers::geojson)
        + replay("csv", readers::csv)
        + replay("kml", readers::kml)
        + replay("xlsx", readers::xlsx)
        + replay("zipped_shapefile", readers::zipped_shapefile)
        + replay("gpkg", readers::gpkg)
        + replay("geotiff", readers::geotiff)
        + replay("toml", readers::toml)
        + replay("geoparquet", readers::geoparquet);
    assert!(n > 1000, "{n} seeds");
}

fn seed(target: &str, name: &str) -> Vec<u8> {
    std::fs::read(Path::new(env!("CARGO_MANIFEST_DIR")).join("../../fuzz/seeds").join(target).join(name)).unwrap()
}

/// The fuzzing of each format starts from files its reader accepts (cut from the sample
/// county's own), so mutations reach past the first check.
#[test]
fn the_seed_files_made_from_the_sample_are_read() {
    use covplan_core::io::{ReadOptions, csv_table, gpkg, terrain, zipped};
    let table = csv_table::parse_workbook(Path::new("s.xlsx"), &seed("xlsx", "sites_3rows.xlsx"), None).unwrap();
    assert_eq!((table.headers[2].as_str(), table.rows.len()), ("经度", 3));
    for name in ["buildings_3.zip", "buildings_3_gbk_names.zip"] {
        let layer = zipped::parse_zipped_shapefile(Path::new(name), &seed("zipped_shapefile", name), &ReadOptions::default()).unwrap();
        assert_eq!(layer.table.features.len(), 3, "{name}");
    }
    let dem = terrain::read_geotiff(Path::new("d.tif"), &seed("geotiff", "dem_12x12.tif"), None).unwrap();
    assert_eq!((dem.raster.cols, dem.raster.rows), (12, 12));
    assert!(gpkg::geometry_blob(&seed("gpkg", "blob_0.bin")[1..]).unwrap().is_some());
    let file = std::env::temp_dir().join(format!("covplan-seed-{}.gpkg", std::process::id()));
    std::fs::write(&file, &seed("gpkg", "poi_3_features.bin")[1..]).unwrap();
    let layer = gpkg::read(&file, &ReadOptions::default());
    std::fs::remove_file(&file).unwrap();
    assert_eq!(layer.unwrap().table.features.len(), 3);
}
