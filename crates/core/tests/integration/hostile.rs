//! Hostile files, written by the test itself: each gets a clear error (or is read safely) in
//! bounded time and memory. Measured with `covplan inspect` on the same files: at most 0.03 s
//! and 13 MB resident each (docs/RELIABILITY.md).

use covplan_core::inspect::inspect_file;
use covplan_core::io::ReadOptions;
use std::io::Write;
use std::path::PathBuf;

fn folder(tag: &str) -> PathBuf {
    let dir = std::env::temp_dir().join(format!("covplan-hostile-{tag}-{}", std::process::id()));
    let _ = std::fs::remove_dir_all(&dir);
    std::fs::create_dir_all(&dir).unwrap();
    dir
}

fn error_of(path: &std::path::Path) -> String {
    match inspect_file(path, &ReadOptions::default()) {
        Ok(s) => panic!("{} should fail, read {} features", path.display(), s.features),
        Err(e) => e.to_string(),
    }
}

#[test]
fn geojson_nested_a_hundred_thousand_deep_is_refused_at_the_parser_limit() {
    let dir = folder("deep");
    let d = 100_000;
    let props = format!("{}{}", "[".repeat(d), "]".repeat(d));
    let text = format!(
        r#"{{"type":"FeatureCollection","features":[{{"type":"Feature","properties":{{"a":{props}}},"geometry":{{"type":"Point","coordinates":[112,23]}}}}]}}"#
    );
    let path = dir.join("deep.geojson");
    std::fs::write(&path, text).unwrap();
    let e = error_of(&path);
    assert!(e.contains("deep.geojson") && e.contains("recursion limit"), "{e}");
    std::fs::remove_dir_all(&dir).unwrap();
}

#[test]
fn a_zip_whose_entries_climb_out_of_the_folder_writes_nothing_outside() {
    let dir = folder("climb");
    let inner = dir.join("inner");
    std::fs::create_dir_all(&inner).unwrap();
    let path = inner.join("climb.zip");
    let mut z = zip::ZipWriter::new(std::fs::File::create(&path).unwrap());
    for name in ["../../evil.shp", "../../evil.dbf", "../../evil.shx"] {
        z.start_file(name, zip::write::SimpleFileOptions::default()).unwrap();
        z.write_all(&[0u8; 100]).unwrap();
    }
    z.finish().unwrap();
    let e = error_of(&path);
    assert!(e.contains("climb.zip") && e.contains("evil.shp"), "{e}");
    // Entries are read in memory, never unpacked to disk: nothing appears where they point.
    for p in [dir.join("evil.shp"), dir.parent().unwrap().join("evil.shp"), inner.join("evil.shp")] {
        assert!(!p.exists(), "{} was written", p.display());
    }
    std::fs::remove_dir_all(&dir).unwrap();
}

#[test]
fn a_geopackage_table_named_with_quotes_is_read_and_not_executed() {
    let dir = folder("gpkg");
    let path = dir.join("quotes.gpkg");
    let name = "村\"庄'; DROP TABLE gpkg_contents; --";
    let quoted = format!("\"{}\"", name.replace('"', "\"\""));
    let c = rusqlite::Connection::open(&path).unwrap();
    c.execute_batch(
        "CREATE TABLE gpkg_spatial_ref_sys (srs_name TEXT, srs_id INTEGER PRIMARY KEY, organization TEXT, organization_coordsys_id INTEGER, definition TEXT, description TEXT);
         INSERT INTO gpkg_spatial_ref_sys VALUES ('WGS 84', 4326, 'EPSG', 4326, 'GEOGCS[\"WGS 84\",DATUM[\"WGS_1984\",SPHEROID[\"WGS 84\",6378137,298.257223563]],PRIMEM[\"Greenwich\",0],UNIT[\"degree\",0.0174532925199433]]', NULL);
         CREATE TABLE gpkg_contents (table_name TEXT PRIMARY KEY, data_type TEXT, identifier TEXT, description TEXT, last_change TEXT, min_x REAL, min_y REAL, max_x REAL, max_y REAL, srs_id INTEGER);
         CREATE TABLE gpkg_geometry_columns (table_name TEXT, column_name TEXT, geometry_type_name TEXT, srs_id INTEGER, z INTEGER, m INTEGER);",
    )
    .unwrap();
    c.execute(&format!("CREATE TABLE {quoted} (fid INTEGER PRIMARY KEY, geom BLOB, \"名称\" TEXT)"), []).unwrap();
    c.execute("INSERT INTO gpkg_contents VALUES (?1, 'features', ?1, '', '', 112, 23, 113, 24, 4326)", [name]).unwrap();
    c.execute("INSERT INTO gpkg_geometry_columns VALUES (?1, 'geom', 'POINT', 4326, 0, 0)", [name]).unwrap();
    // GeoPackage header (magic, version, flags: little-endian, no envelope; SRS id), then WKB.
    let mut blob = b"GP\x00\x01".to_vec();
    blob.extend(4326i32.to_le_bytes());
    blob.push(1);
    blob.extend(1u32.to_le_bytes());
    blob.extend(112.5f64.to_le_bytes());
    blob.extend(23.5f64.to_le_bytes());
    c.execute(&format!("INSERT INTO {quoted} VALUES (1, ?1, '石门村')"), [blob]).unwrap();
    drop(c);
    let s = inspect_file(&path, &ReadOptions::default()).unwrap();
    assert_eq!(s.features, 1);
    let c = rusqlite::Connection::open(&path).unwrap();
    let n: i64 = c.query_row("SELECT count(*) FROM gpkg_contents", [], |r| r.get(0)).unwrap();
    assert_eq!(n, 1, "the table name was not run as SQL");
    drop(c);
    std::fs::remove_dir_all(&dir).unwrap();
}

#[test]
fn a_raster_claiming_a_million_by_a_million_cells_is_refused_before_reading() {
    let dir = folder("tiff");
    // A little-endian TIFF header whose one directory claims 10^6 × 10^6 16-bit cells.
    let entries: [(u16, u16, u32); 10] = [
        (256, 4, 1_000_000),
        (257, 4, 1_000_000),
        (258, 3, 16),
        (259, 3, 1),
        (262, 3, 1),
        (273, 4, 8),
        (277, 3, 1),
        (278, 4, 1_000_000),
        (279, 4, 2),
        (339, 3, 2),
    ];
    let mut b = b"II*\x00".to_vec();
    b.extend(10u32.to_le_bytes());
    b.extend([0, 0]);
    b.extend((entries.len() as u16).to_le_bytes());
    for (tag, kind, value) in entries {
        b.extend(tag.to_le_bytes());
        b.extend(kind.to_le_bytes());
        b.extend(1u32.to_le_bytes());
        if kind == 4 {
            b.extend(value.to_le_bytes());
        } else {
            b.extend((value as u16).to_le_bytes());
            b.extend([0, 0]);
        }
    }
    b.extend(0u32.to_le_bytes());
    let path = dir.join("huge.tif");
    std::fs::write(&path, b).unwrap();
    let Err(e) = covplan_core::io::terrain::read(&path, None) else { panic!("the raster should be refused") };
    let e = e.to_string();
    assert!(e.contains("huge.tif") && e.contains("1000000 × 1000000") && e.contains("clip"), "{e}");
    std::fs::remove_dir_all(&dir).unwrap();
}
