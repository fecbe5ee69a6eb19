//! covplan reads every file of the real public data in testdata/real, with the right
//! Chinese text, coordinates and counts.

use crate::common::real;
use covplan_core::crs::Offset;
use covplan_core::inspect::inspect_file;
use covplan_core::io::{ReadOptions, read_layer, to_wgs84};
use covplan_core::model::Value;

fn names(path: &std::path::Path) -> Vec<String> {
    let opts = ReadOptions { offset: Offset::Gcj02, ..Default::default() };
    let l = read_layer(path, &opts).unwrap();
    let i = l.table.field_index("name").unwrap();
    l.table.features.iter().map(|f| f.values[i].as_text().unwrap()).collect()
}

#[test]
fn zhaoqing_counties_decode_without_prj_or_cpg() {
    let path = real("admin_boundaries_gcj02/city_肇庆市.shp");
    let n = names(&path);
    assert_eq!(n.len(), 8);
    for want in ["端州区", "鼎湖区", "广宁县", "怀集县", "封开县", "德庆县", "高要区", "四会市"] {
        assert!(n.iter().any(|x| x == want), "{want} missing from {n:?}");
    }
    let s = inspect_file(&path, &ReadOptions { offset: Offset::Gcj02, ..Default::default() }).unwrap();
    assert!(s.encoding.unwrap().contains("UTF-8"));
    assert_eq!(s.crs.source, "assumed");
    assert!(s.warnings.iter().any(|w| w.contains("read as WGS84")));
}

#[test]
fn every_boundary_file_has_clean_chinese_names_and_codes() {
    for (file, count, suffix_ok) in [("广东省.shp", 125, "区县市岛"), ("湖南省.shp", 122, "区县市"), ("天津市.shp", 16, "区县市")] {
        let path = real(&format!("admin_boundaries_gcj02/{file}"));
        let opts = ReadOptions { offset: Offset::Gcj02, ..Default::default() };
        let mut l = read_layer(&path, &opts).unwrap();
        to_wgs84(&mut l, &opts).unwrap();
        assert_eq!(l.table.features.len(), count, "{file}");
        let (ni, ai) = (l.table.field_index("name").unwrap(), l.table.field_index("adcode").unwrap());
        for f in &l.table.features {
            let name = f.values[ni].as_text().unwrap();
            assert!(!name.contains('\u{FFFD}') && name.chars().all(|c| ('\u{4E00}'..='\u{9FFF}').contains(&c)), "{file}: {name:?}");
            assert!(suffix_ok.contains(name.chars().last().unwrap()), "{file}: {name}");
            let code = f.values[ai].as_text().unwrap();
            assert!(code.len() == 6 && code.bytes().all(|b| b.is_ascii_digit()), "{file}: {code}");
            assert!(f.geometry.is_some());
        }
    }
}

#[test]
fn gcj02_offset_is_removed() {
    // The Zhaoqing file's own centre fields are GCJ-02 like its geometry; converting moves
    // points by a few hundred metres south-west (the offset's direction in Guangdong).
    let path = real("admin_boundaries_gcj02/city_肇庆市.shp");
    let raw = read_layer(&path, &ReadOptions::default()).unwrap();
    let mut conv = raw.clone();
    to_wgs84(&mut conv, &ReadOptions { offset: Offset::Gcj02, ..Default::default() }).unwrap();
    let (a, b) = (raw.table.extent().unwrap(), conv.table.extent().unwrap());
    let dx = (a.min().x - b.min().x) * 111_320.0 * 23.5f64.to_radians().cos();
    let dy = (a.min().y - b.min().y) * 110_750.0;
    let d = (dx * dx + dy * dy).sqrt();
    assert!((200.0..800.0).contains(&d) && dx > 0.0, "offset {d:.0} m ({dx:.0}, {dy:.0})");
}

#[test]
fn village_register_reads_as_a_table() {
    let s = inspect_file(&real("village_register/village_register_zhaoqing_hunan_tianjin.csv"), &ReadOptions::default()).unwrap();
    assert_eq!(s.features, 39_210);
    assert_eq!(s.sample[0][1], ("name".into(), "和平区".into()));
    assert!(s.warnings.iter().any(|w| w.contains("without positions")));
    let layer = read_layer(&real("village_register/village_register_zhaoqing_hunan_tianjin.csv"), &ReadOptions::default()).unwrap();
    let (ci, ni) = (layer.table.field_index("code").unwrap(), layer.table.field_index("name").unwrap());
    let zq = layer.table.features.iter().filter(|f| f.values[ci].as_text().is_some_and(|c| c.starts_with("4412") && c.len() == 12)).count();
    assert_eq!(zq, 1553, "README: Zhaoqing has 1,553 villages/communities");
    assert!(layer.table.features.iter().any(|f| f.values[ni] == Value::Text("四会市".into())));
}

#[test]
fn shanghai_osm_layers() {
    let b = inspect_file(&real("shanghai_osm/shanghai_buildings.geojson"), &ReadOptions::default()).unwrap();
    assert_eq!(b.features, 1517);
    assert!(b.warnings.iter().any(|w| w.contains("67 feature(s) have an empty geometry")), "{:?}", b.warnings);
    let e = b.extent_wgs84.unwrap();
    assert!((121.4..121.6).contains(&e[0]) && (31.2..31.3).contains(&e[1]));
    let l = read_layer(&real("shanghai_osm/shanghai_buildings.geojson"), &ReadOptions::default()).unwrap();
    let hi = l.table.field_index("height").unwrap();
    assert_eq!(l.table.features.iter().filter(|f| f.values[hi].as_f64().is_some()).count(), 696);
    let r = read_layer(&real("shanghai_osm/shanghai_roads.geojson"), &ReadOptions::default()).unwrap();
    assert_eq!(r.table.features.len(), 1094);
    let ni = r.table.field_index("name").unwrap();
    assert!(r.table.features.iter().any(|f| f.values[ni] == Value::Text("潍坊路".into())));
}
