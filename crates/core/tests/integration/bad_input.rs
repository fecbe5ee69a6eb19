//! The bad-input corpus (testdata/corpus, written by make_corpus.py): every defect gives an error or
//! a warning naming the file, the record and the field — never a panic, never a huge allocation.

use crate::common::corpus;
use covplan_core::error::InputError;
use covplan_core::inspect::inspect_file;
use covplan_core::io::ReadOptions;
use covplan_core::project::{LayerSpec, Project, ProjectFile, Role};

fn inspect_err(name: &str) -> InputError {
    match inspect_file(&corpus(name), &ReadOptions::default()) {
        Ok(s) => panic!("{name} should fail, read {} features", s.features),
        Err(e) => e,
    }
}

fn file_name(e: &InputError) -> String {
    e.location.file.file_name().unwrap().to_string_lossy().into_owned()
}

#[test]
fn truncated_and_inconsistent_shapefiles() {
    let e = inspect_err("truncated_shp.shp");
    assert_eq!((file_name(&e).as_str(), e.location.record), ("truncated_shp.shp", Some(3)), "{e}");
    assert!(e.message.contains("truncated"), "{e}");

    let e = inspect_err("truncated_dbf.shp");
    assert_eq!((file_name(&e).as_str(), e.location.record), ("truncated_dbf.dbf", Some(3)), "{e}");

    let e = inspect_err("count_mismatch.shp");
    assert!(e.message.contains("3 records") && e.message.contains("4 shapes"), "{e}");

    let e = inspect_err("billion_records.shp");
    assert!(e.message.contains("2000000000") && e.message.contains("4 complete records"), "{e}");

    let e = inspect_err("huge_parts.shp");
    assert_eq!(e.location.record, Some(1), "{e}");
    assert!(e.message.contains("1000000000 points"), "{e}");

    let e = inspect_err("empty.shp");
    assert!(e.message.contains("0 bytes"), "{e}");
}

#[test]
fn coordinates_that_are_not_there() {
    let e = inspect_err("nan_coords.shp");
    assert_eq!(e.location.record, Some(2), "{e}");
    assert!(e.message.contains("NaN"), "{e}");

    let e = inspect_err("out_of_range.shp");
    assert_eq!(e.location.record, Some(3), "{e}");
    assert!(e.message.contains("212.9"), "{e}");

    let e = inspect_err("missing_prj.shp");
    assert!(e.message.contains("no CRS") && e.hint.as_deref().unwrap_or("").contains("EPSG"), "{e}");
    // With the CRS given, the same file reads.
    let opts = ReadOptions { crs: Some(covplan_core::crs::Crs::from_epsg(4526).unwrap()), ..Default::default() };
    let s = inspect_file(&corpus("missing_prj.shp"), &opts).unwrap();
    let e = s.extent_wgs84.unwrap();
    assert!((112.0..113.0).contains(&e[0]) && (23.0..24.0).contains(&e[1]), "{e:?}");
}

#[test]
fn encodings() {
    // No .cpg, language driver 0, GBK text: UTF-8 is invalid, so GBK.
    let s = inspect_file(&corpus("gbk_no_cpg.shp"), &ReadOptions::default()).unwrap();
    assert!(s.encoding.as_deref().unwrap().starts_with("GBK"), "{:?}", s.encoding);
    assert_eq!(s.sample[0][1], ("名称".to_string(), "大坑村".to_string()));
    // A lying .cpg is caught and reported, and the text still decodes.
    let s = inspect_file(&corpus("wrong_cpg.shp"), &ReadOptions::default()).unwrap();
    assert_eq!(s.sample[0][1].1, "大坑村");
    assert!(s.warnings.iter().any(|w| w.contains(".cpg says 'UTF-8'")), "{:?}", s.warnings);
}

#[test]
fn other_formats() {
    let e = inspect_err("truncated.geojson");
    assert!(e.message.contains("line 3"), "{e}");
    let e = inspect_err("bad_coordinate.geojson");
    assert_eq!((e.location.record, e.location.field.as_deref()), (Some(2), Some("geometry")), "{e}");
    let e = inspect_err("unknown_geometry.geojson");
    assert!(e.message.contains("Circle"), "{e}");
    for name in ["empty.geojson", "empty.csv"] {
        assert!(inspect_err(name).message.contains("empty"), "{name}");
    }
    let e = inspect_err("bad_latitude.csv");
    assert_eq!((e.location.record, e.location.field.as_deref()), (Some(4), Some("纬度")), "{e}");
    assert!(inspect_err("broken.kml").message.contains("XML"));
    assert!(inspect_err("not_a_zip.zip").message.contains("zip"));
    let e = inspect_err("two_layers.zip");
    assert!(e.hint.unwrap().contains("good.shp"));
    assert!(inspect_err("not_a.gpkg").message.contains("GeoPackage"));
    let e = covplan_core::io::terrain::read(&corpus("N23E112.hgt"), None).unwrap_err();
    assert!(e.message.contains("1000 bytes"), "{e}");
    assert!(covplan_core::io::terrain::read(&corpus("plain.tif"), None).is_err());
}

#[test]
fn a_dbf_without_its_shp_is_a_table() {
    let dir = std::env::temp_dir().join(format!("covplan-dbf-alone-{}", std::process::id()));
    std::fs::create_dir_all(&dir).unwrap();
    let dbf = dir.join("村.dbf");
    std::fs::copy(corpus("good.dbf"), &dbf).unwrap();
    std::fs::copy(corpus("good.cpg"), dir.join("村.cpg")).unwrap();
    let s = inspect_file(&dbf, &ReadOptions::default()).unwrap();
    std::fs::remove_dir_all(&dir).unwrap();
    assert_eq!(s.features, 4);
    assert_eq!(s.sample[0][1].1, "大坑村");
    assert!(s.warnings.iter().any(|w| w.contains("without positions")));
}

#[test]
fn gbk_site_table_with_dms_coordinates() {
    let s = inspect_file(&corpus("gbk_sites.csv"), &ReadOptions::default()).unwrap();
    assert_eq!(s.encoding.as_deref(), Some("GBK"));
    let e = s.extent_wgs84.unwrap();
    assert!((e[0] - (112.0 + 41.0 / 60.0 + 42.4 / 3600.0)).abs() < 1e-9 && (e[1] - (23.0 + 20.0 / 60.0 + 24.0 / 3600.0)).abs() < 1e-9, "{e:?}");
}

fn project_with(layer: LayerSpec) -> Result<Project, InputError> {
    let pf = ProjectFile {
        project: covplan_core::project::file::ProjectMeta { name: "corpus".into(), description: None },
        settings: Default::default(),
        coverage: Default::default(),
        measurements: Default::default(),
        analysis: Default::default(),
        scenario: Default::default(),
        plan: Default::default(),
        layers: vec![layer],
    };
    Project::from_file(&corpus("project.toml"), pf)
}

#[test]
fn role_level_problems() {
    // Non-numeric households: a warning naming record 2 and the field; that village has no count.
    let p = project_with(LayerSpec::new("v", Role::Villages, "bad_households.shp")).unwrap();
    let w = &p.summaries[0].warnings;
    assert!(w.iter().any(|w| w.contains("record 2") && w.contains("'户数'") && w.contains("二十")), "{w:?}");
    assert_eq!(p.data.villages[1].households, None);
    assert_eq!(p.data.villages[0].households, Some(27.0));

    // Duplicate ids: a warning naming the repeated record and the field.
    let p = project_with(LayerSpec::new("v", Role::Villages, "duplicate_ids.shp")).unwrap();
    let w = &p.summaries[0].warnings;
    assert!(w.iter().any(|w| w.contains("record 3") && w.contains("'编号'") && w.contains("V001")), "{w:?}");

    // Two columns that could both be the azimuth: an error that says how to choose.
    let e = project_with(LayerSpec::new("s", Role::Sectors, "ambiguous_azimuth.csv")).err().unwrap();
    assert!(e.message.contains("方位角 and 方向角"), "{e}");
    assert!(e.hint.unwrap().contains("azimuth = \"方位角\""));

    // A site table without a technology column.
    let e = project_with(LayerSpec::new("s", Role::Sectors, "no_tech.csv")).err().unwrap();
    assert!(e.message.contains("'tech'") && e.message.contains("站名"), "{e}");
    let mut with_default = LayerSpec::new("s", Role::Sectors, "no_tech.csv");
    with_default.defaults.insert("tech".into(), "LTE".into());
    assert_eq!(project_with(with_default).unwrap().data.sectors.len(), 1);

    // A point layer given the role of lines.
    let e = project_with(LayerSpec::new("f", Role::Fiber, "good.shp")).err().unwrap();
    assert!(e.message.contains("need lines"), "{e}");
}

#[test]
fn nothing_in_the_corpus_panics() {
    for entry in std::fs::read_dir(corpus("")).unwrap() {
        let path = entry.unwrap().path();
        let any = std::panic::catch_unwind(|| {
            let _ = inspect_file(&path, &ReadOptions::default());
            let _ = covplan_core::io::terrain::read(&path, None);
        });
        assert!(any.is_ok(), "panic on {}", path.display());
    }
}
