//! The built-in sample county loads completely, cleanly, and holds what its README says.

use crate::common::sample;
use covplan_core::inspect::inspect_file;
use covplan_core::io::ReadOptions;
use covplan_core::model::{Tech, VillageKind};
use covplan_core::project::Project;
use std::collections::BTreeSet;

#[test]
fn loads_every_layer_without_warnings() {
    let p = Project::load(&sample("project.toml")).unwrap();
    for s in &p.summaries {
        assert!(s.warnings.is_empty(), "{}: {:?}", s.name, s.warnings);
        assert!(s.features > 0, "{}", s.name);
    }
    assert!(p.warnings.is_empty(), "{:?}", p.warnings);
    let d = &p.data;
    // Real register: 164 villages/communities of 四会市 under 15 township-level units.
    assert_eq!(d.villages.iter().filter(|v| v.kind == VillageKind::Administrative).count(), 164);
    assert_eq!(d.admin_areas.len(), 16);
    assert!(d.admin_areas.iter().any(|a| a.name == "四会市" && a.code.as_deref() == Some("441284")));
    let naturals: Vec<_> = d.villages.iter().filter(|v| v.kind == VillageKind::Natural).collect();
    assert!(naturals.len() > 500, "{}", naturals.len());
    // Lognormal households: some under 20, most 20–300.
    let hh: Vec<f64> = naturals.iter().filter_map(|v| v.households).collect();
    let small = hh.iter().filter(|&&h| h < 20.0).count() as f64 / hh.len() as f64;
    let mid = hh.iter().filter(|&&h| (20.0..=300.0).contains(&h)).count() as f64 / hh.len() as f64;
    assert!((0.03..0.3).contains(&small) && mid > 0.65, "small {small}, mid {mid}");
    // Natural villages carry no urban-rural code of their own: all inherit it.
    assert!(naturals.iter().all(|v| v.urban_rural_code.is_some() && v.urban_rural_inherited));
    assert!(naturals.iter().all(|v| v.parent_code.as_deref().is_some_and(|c| c.len() == 12 && v.id.starts_with(c))));
    // Buildings: a couple of hundred thousand, all in a village, some estimated.
    assert!(d.buildings.len() > 150_000, "{}", d.buildings.len());
    assert!(d.buildings.iter().all(|b| b.village.is_some()));
    assert!(d.buildings.iter().any(|b| b.households_estimated));
    // Three operators, 4G and 5G, with frequencies and power converted.
    let ops: BTreeSet<(&str, Tech)> = d.sectors.iter().map(|s| (s.operator.as_deref().unwrap(), s.tech)).collect();
    assert_eq!(ops.len(), 6, "{ops:?}");
    assert!(d.sectors.iter().all(|s| s.band_mhz.is_some_and(|f| (700.0..5000.0).contains(&f))));
    assert!(d.sectors.iter().all(|s| s.power_dbm.is_some_and(|p| (40.0..56.0).contains(&p))));
    assert!(d.sectors.iter().all(|s| s.tilt_deg.is_some() && s.azimuth_deg.is_some() && s.height_m.is_some()));
    // Networks and places.
    assert!(d.cables.len() > 100 && d.access_points.len() > 100 && d.roads.len() > 100);
    let cats: BTreeSet<&str> = d.pois.iter().map(|p| p.category.as_str()).collect();
    for c in ["村委会", "学校", "卫生室", "行政服务中心", "旅游景点"] {
        assert!(cats.contains(c), "{c} missing from {cats:?}");
    }
    let t = p.terrain.as_ref().unwrap();
    let (lo, hi) = t.raster.min_max().unwrap();
    assert!(lo < 50.0 && hi > 400.0, "{lo} … {hi}");
}

#[test]
fn layers_are_stored_as_real_data_comes() {
    let gk = inspect_file(&sample("自然村.shp"), &ReadOptions::default()).unwrap();
    assert_eq!(gk.crs.name, "EPSG:4526");
    assert!(gk.encoding.as_deref().unwrap().contains(".cpg says 'GBK'"), "{:?}", gk.encoding);
    let zip = inspect_file(&sample("建筑.zip"), &ReadOptions::default()).unwrap();
    assert_eq!(zip.format, covplan_core::io::Format::ZippedShapefile);
    assert!(zip.features > 150_000);
    let gpkg = inspect_file(&sample("兴趣点.gpkg"), &ReadOptions::default()).unwrap();
    assert_eq!(gpkg.crs.name, "EPSG:4326");
    let xlsx = inspect_file(&sample("联通工参.xlsx"), &ReadOptions::default()).unwrap();
    assert!(xlsx.fields.iter().any(|f| f.name == "方向角"));
    let ct = inspect_file(&sample("电信工参.csv"), &ReadOptions::default()).unwrap();
    assert_eq!(ct.encoding.as_deref(), Some("GBK"));
}

#[test]
fn positions_agree_across_formats() {
    // Every 村委会 POI (GeoPackage, WGS84) sits on its village's seat, and the GCJ-02 access
    // points land next to the villages they serve once the offset is removed.
    let p = Project::load(&sample("project.toml")).unwrap();
    let f = &p.frame;
    for poi in p.data.pois.iter().filter(|x| x.category == "村委会") {
        let (x, y) = f.forward(poi.position.x(), poi.position.y());
        let inside = p.index.villages_containing(x, y);
        assert!(inside.iter().any(|&v| p.data.villages[v].name == poi.name), "{} not inside its village", poi.name);
    }
    for ap in p.data.access_points.iter().filter(|a| a.id.len() > 20) {
        let (x, y) = f.forward(ap.position.x(), ap.position.y());
        let (v, d) = p.index.village_points().nearest(x, y).unwrap();
        assert!(d < 80.0, "{} is {d:.0} m from {}", ap.id, p.data.villages[v].name);
    }
}

#[test]
fn the_inspector_names_the_record_as_the_file_numbers_it() {
    let p = Project::load(&sample("project.toml")).unwrap();
    // 光缆.shp's first record is cable GL0001 (as `covplan inspect` and GIS viewers number it).
    let first = p.data.cables.iter().position(|c| c.id == "GL0001").expect("cable GL0001");
    let rows = covplan_core::render::attributes::attributes(&p, covplan_core::render::Item::Cable(first));
    let source = rows.iter().find(|(k, _)| *k == "source").map(|(_, v)| v.as_str());
    assert_eq!(source, Some("光缆 #1"));
}
