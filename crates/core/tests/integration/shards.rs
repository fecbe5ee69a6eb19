//! Partitioned = whole: a project split into shards, each run on its own and merged, gives the
//! same bytes as an analysis of the whole project — on the hard cases at borders, on random
//! grid "counties" in any shard order, and on the sample county by township.

use crate::common::map::Map;
use covplan_core::measure::synthetic::Rng;
use covplan_core::model::{AccessTech, VillageKind};
use covplan_core::project::Project;
use covplan_core::shard::{self, Grouping};
use proptest::prelude::*;
use std::collections::BTreeMap;
use std::path::{Path, PathBuf};

/// A fresh scratch folder for one test.
fn scratch(name: &str) -> PathBuf {
    let dir = std::env::temp_dir().join(format!("covplan-shards-{name}-{}", std::process::id()));
    let _ = std::fs::remove_dir_all(&dir);
    std::fs::create_dir_all(&dir).unwrap();
    dir
}

/// Every file of a folder, by name.
fn files(dir: &Path) -> BTreeMap<String, Vec<u8>> {
    std::fs::read_dir(dir)
        .unwrap()
        .map(|e| e.unwrap().path())
        .map(|p| (p.file_name().unwrap().to_string_lossy().into_owned(), std::fs::read(&p).unwrap()))
        .collect()
}

/// Gives a hand-built project a file on disk (its run record hashes it).
fn on_disk(mut p: Project, dir: &Path) -> Project {
    let path = dir.join("project.toml");
    std::fs::write(&path, p.file.to_toml()).unwrap();
    p.path = path;
    p
}

/// The files `covplan analyze` writes for `p`.
fn whole(p: &Project, profile: &str, dir: &Path) -> BTreeMap<String, Vec<u8>> {
    let (prof, source) = covplan_core::targets::profile::resolve(p, Some(profile)).unwrap();
    let a = covplan_core::analysis::run_for_gaps(p, prof, source).unwrap();
    covplan_core::report::tables::write_all(p, &a, &dir.join("whole")).unwrap();
    files(&dir.join("whole"))
}

/// `p` split `by`, each shard run (in `order`, a permutation of the shards) and the results
/// merged: the merged files and the manifest.
fn merged(p: &Project, profile: &str, by: Grouping, dir: &Path, order: &dyn Fn(usize) -> Vec<usize>) -> (BTreeMap<String, Vec<u8>>, shard::Manifest) {
    let (prof, source) = covplan_core::targets::profile::resolve(p, Some(profile)).unwrap();
    let m = shard::split(p, shard::BuildingSource::Loaded, (prof, source), by, None, &dir.join("shards"), &|_| {}).unwrap();
    let codes: Vec<String> = m.areas.iter().map(|a| a.code.clone()).collect();
    let mut results = Vec::new();
    for k in order(codes.len()) {
        let out = dir.join("results").join(&codes[k]);
        shard::run_shard(&dir.join("shards").join(&codes[k]), &out).unwrap();
        results.push(out);
    }
    shard::merge(&results, &dir.join("merged"), &|_| {}).unwrap();
    (files(&dir.join("merged")), m)
}

fn assert_same(whole: &BTreeMap<String, Vec<u8>>, merged: &BTreeMap<String, Vec<u8>>) {
    assert_eq!(whole.keys().collect::<Vec<_>>(), merged.keys().collect::<Vec<_>>());
    for (name, bytes) in whole {
        assert!(bytes == &merged[name], "{name} differs between the whole run and the merged shards");
    }
}

/// Two counties side by side, x < 0 (A) and x > 0 (B), 20 km × 20 km each.
fn two_counties(m: &mut Map) {
    for (i, (code, x0, x1)) in [("440001", -20_000.0, 0.0), ("440002", 0.0, 20_000.0)].into_iter().enumerate() {
        m.admin(&format!("县{i}"), x0, -10_000.0, x1, 10_000.0);
        m.data.admin_areas[i].code = Some(code.into());
        m.data.admin_areas[i].level = Some("县级".into());
    }
}

#[test]
fn border_cases_merge_to_the_whole_run() {
    let dir = scratch("borders");
    let mut m = Map::new();
    two_counties(&mut m);
    // A site 50 m across the border, facing west into A, and one deep in A.
    m.lte_sector("中国移动", Some(270.0), 50.0, 0.0);
    m.lte_sector("中国移动", Some(90.0), -8_000.0, 0.0);
    m.lte_sector("中国电信", None, 6_000.0, 1_000.0);
    m.village("边界村", VillageKind::Natural, Some(30.0), -400.0, 0.0);
    for k in 0..6 {
        m.building(5.0, -300.0 - 100.0 * k as f64, 20.0);
    }
    // Fiber across the border: an access point 999 m from one village, 1 001 m from another.
    m.village("近村", VillageKind::Natural, Some(25.0), -500.0, 3_000.0);
    m.village("远村", VillageKind::Natural, Some(25.0), -500.0, 5_000.0);
    m.access_point(AccessTech::Gpon, Some(64), Some((64, 10)), 499.0, 3_000.0);
    m.access_point(AccessTech::Gpon, Some(64), Some((64, 10)), 501.0, 5_000.0);
    m.building(25.0, -500.0, 3_000.0);
    m.building(25.0, -500.0, 5_000.0);
    // A building on the border line, and a village whose polygon spans both counties.
    m.building(4.0, 0.0, -1_000.0);
    m.village_area("跨界村", 40.0, -1_000.0, -3_000.0, 1_000.0, -2_000.0);
    for x in [-800.0, -200.0, 200.0, 800.0] {
        m.building(10.0, x, -2_500.0);
    }
    // A village and a building outside every county.
    m.village("域外村", VillageKind::Natural, Some(22.0), 0.0, 15_000.0);
    m.building(22.0, 0.0, 15_000.0);
    m.cable(&[(-15_000.0, -5_000.0), (-15_000.0, 5_000.0)]);
    m.terrain(-30_000.0, -20_000.0, 30_000.0, 20_000.0, 200.0, |x, y| 20.0 + 0.002 * x.abs() + 30.0 * (y / 3_000.0).sin().abs());
    let mut p = m.project();
    p.file.coverage.fiber.connection_distance_m = 1_000.0;
    let p = on_disk(p, &dir);

    let whole = whole(&p, "zhaoqing-2020", &dir);
    // Two counties: the whole is named by the project, not by one of them.
    assert_eq!(covplan_core::targets::places::Geography::new(&p).unwrap().county, p.file.project.name);
    let (merged, manifest) = merged(&p, "zhaoqing-2020", Grouping::County, &dir, &|n| (0..n).rev().collect());
    assert_same(&whole, &merged);
    // Two counties; every place owned exactly once.
    let codes: Vec<&str> = manifest.areas.iter().map(|a| a.code.as_str()).collect();
    assert_eq!(codes, ["440001", "440002"]);
    let owned = |k: usize| manifest.areas.iter().map(|a| a.owned[k]).sum::<usize>();
    assert_eq!((owned(0), owned(1)), (p.data.villages.len(), p.data.buildings.len()));
    // The village and building outside every county: the catch-all's, run beside the nearest.
    assert_eq!(manifest.areas.iter().map(|a| a.outside).sum::<usize>(), 2);
    // The border building is owned once (by the half-open rule), the spanning village once.
    let shards = |what: &str| manifest.areas.iter().filter(|a| dir.join("results").join(&a.code).join(what).exists()).count();
    assert_eq!(shards("verdicts.parquet"), 2);
    // The fiber rule at the border: 999 m connects, 1 001 m does not, as in the whole run.
    let text = String::from_utf8(merged["gaps.csv"].clone()).unwrap();
    let fiber_gap = |name: &str| text.lines().any(|l| l.contains("zq.village20_fiber") && l.contains(name));
    assert!(!fiber_gap("近村"), "the village 999 m from an access point across the border is connected");
    assert!(fiber_gap("远村"), "the village 1 001 m from it is not");
    // Every shard on this machine, two at a time, with a progress call for each: the same bytes.
    let calls = std::sync::atomic::AtomicUsize::new(0);
    let count = |_: &shard::Progress| {
        calls.fetch_add(1, std::sync::atomic::Ordering::SeqCst);
    };
    let steps = std::sync::Mutex::new(Vec::new());
    let step = |s: &str| steps.lock().unwrap().push(s.to_string());
    shard::analyze_shards(&dir.join("shards"), &dir.join("local-results"), &dir.join("local"), 2, &count, &step).unwrap();
    assert_same(&whole, &files(&dir.join("local")));
    assert_eq!(calls.into_inner(), manifest.areas.len());
    // The merge's steps, one per shard and table, in order.
    let n = manifest.areas.len();
    let steps = steps.into_inner().unwrap();
    assert_eq!(steps.len(), 2 * n, "{steps:?}");
    assert_eq!(steps[n - 1], format!("read the places of shard {n} of {n}"));
    assert_eq!(steps[2 * n - 1], format!("read the verdicts of shard {n} of {n}"));
    // A merge missing an area, or given one twice, is refused with the area named.
    let results = |codes: &[&str]| codes.iter().map(|c| dir.join("results").join(c)).collect::<Vec<_>>();
    let e = shard::merge(&results(&["440001"]), &dir.join("partial"), &|_| {}).unwrap_err().to_string();
    assert!(e.contains("no result for area(s) 440002"), "{e}");
    let e = shard::merge(&results(&["440001", "440002", "440001"]), &dir.join("twice"), &|_| {}).unwrap_err().to_string();
    assert!(e.contains("440001 is given twice"), "{e}");
}

#[test]
fn a_halo_shorter_than_the_reach_is_refused() {
    let dir = scratch("halo");
    let mut m = Map::new();
    two_counties(&mut m);
    m.lte_sector("中国移动", None, 100.0, 0.0);
    m.village("村", VillageKind::Natural, Some(30.0), -100.0, 0.0);
    let p = on_disk(m.project(), &dir);
    let (prof, source) = covplan_core::targets::profile::resolve(&p, Some("zhaoqing-2020")).unwrap();
    let e = shard::split(&p, shard::BuildingSource::Loaded, (prof, source), Grouping::County, Some(100.0), &dir.join("s"), &|_| {}).unwrap_err().to_string();
    assert!(e.contains("--halo-m 100") && e.contains("reach"), "{e}");
}

/// A random county of 30 km × 30 km cut into `k` × `k` grid townships.
fn random_map(seed: u64, k: usize) -> Map {
    let mut r = Rng(seed);
    let mut m = Map::new();
    let (lo, hi) = (-15_000.0, 15_000.0);
    let county = m.admin("县", lo, lo, hi, hi);
    m.data.admin_areas[county].code = Some("441284".into());
    m.data.admin_areas[county].level = Some("县级".into());
    let step = (hi - lo) / k as f64;
    for i in 0..k {
        for j in 0..k {
            let n = m.admin(&format!("镇{i}{j}"), lo + i as f64 * step, lo + j as f64 * step, lo + (i + 1) as f64 * step, lo + (j + 1) as f64 * step);
            m.data.admin_areas[n].code = Some(format!("441284{i}{j}0"));
            m.data.admin_areas[n].level = Some("乡镇".into());
        }
    }
    // Villages with clustered buildings, sectors, access points and a cable.
    for v in 0..12 {
        let (x, y) = (r.within(lo, hi), r.within(lo, hi));
        m.village(&format!("村{v}"), VillageKind::Natural, None, x, y);
        for _ in 0..(5 + (r.uniform() * 20.0) as usize) {
            m.building((1.0 + r.uniform() * 6.0).round(), x + r.within(-300.0, 300.0), y + r.within(-300.0, 300.0));
        }
    }
    for s in 0..10 {
        let op = ["中国移动", "中国电信", "中国联通"][s % 3];
        m.lte_sector(op, Some(r.within(0.0, 360.0)), r.within(lo, hi), r.within(lo, hi));
    }
    for _ in 0..6 {
        m.access_point(AccessTech::Gpon, Some(64), Some((64, (r.uniform() * 70.0) as u32)), r.within(lo, hi), r.within(lo, hi));
    }
    m.cable(&[(r.within(lo, hi), r.within(lo, hi)), (r.within(lo, hi), r.within(lo, hi))]);
    m
}

/// One SHA-256 over a folder's files.
fn digest(files: &BTreeMap<String, Vec<u8>>) -> String {
    use sha2::Digest;
    let mut h = sha2::Sha256::new();
    for (name, bytes) in files {
        h.update(name.as_bytes());
        h.update(bytes);
    }
    h.finalize().iter().map(|b| format!("{b:02x}")).collect()
}

proptest! {
    #![proptest_config(ProptestConfig { cases: 6, ..ProptestConfig::default() })]
    /// One shard (the county) and k × k shards (its grid townships), merged in any order, give
    /// the same hash as the whole run.
    #[test]
    fn any_grid_of_townships_in_any_order_merges_to_the_whole(seed in 0u64..1_000_000, k in 2usize..4, rotate in 0usize..16) {
        let dir = scratch(&format!("grid-{seed}-{k}"));
        let p = on_disk(random_map(seed, k).project(), &dir);
        let whole = digest(&whole(&p, "tianjin-2020", &dir));
        let (one, m1) = merged(&p, "tianjin-2020", Grouping::County, &dir.join("one"), &|n| (0..n).collect());
        let order = move |n: usize| (0..n).map(|i| (i + rotate) % n).collect();
        let (many, mk) = merged(&p, "tianjin-2020", Grouping::Township, &dir.join("many"), &order);
        prop_assert!(m1.areas.len() == 1 && mk.areas.len() == k * k);
        prop_assert_eq!(&whole, &digest(&one));
        prop_assert_eq!(&whole, &digest(&many));
        let _ = std::fs::remove_dir_all(&dir);
    }
}

#[test]
fn the_sample_county_by_township_merges_to_the_whole_run() {
    let dir = scratch("sample");
    let p = Project::load(&crate::common::sample("project.toml")).unwrap();
    let whole = whole(&p, "zhaoqing-2020", &dir);
    let (merged, m) = merged(&p, "zhaoqing-2020", Grouping::Township, &dir, &|n| (0..n).collect());
    assert_eq!(m.areas.len(), 15, "15 townships");
    assert!(m.areas.iter().map(|a| a.outside).sum::<usize>() > 0, "the sample has buildings outside every township");
    assert_same(&whole, &merged);
    assert!(whole.contains_key("gaps.parquet") && whole.contains_key("challenges.csv"));
    let _ = std::fs::remove_dir_all(&dir);
}

/// Every file under `dir` (relative path → bytes), shard folders included.
fn tree(dir: &Path) -> BTreeMap<String, Vec<u8>> {
    let mut out = BTreeMap::new();
    for e in std::fs::read_dir(dir).unwrap() {
        let path = e.unwrap().path();
        let name = path.file_name().unwrap().to_string_lossy().into_owned();
        if path.is_dir() {
            out.extend(tree(&path).into_iter().map(|(k, v)| (format!("{name}/{k}"), v)));
        } else {
            out.insert(name, std::fs::read(&path).unwrap());
        }
    }
    out
}

#[test]
fn a_split_reading_the_building_layers_one_at_a_time_writes_the_same_shards() {
    // The sample county with its buildings in three layers (GeoParquet), the others as given.
    let dir = scratch("streamed");
    let sample = Project::load(&crate::common::sample("project.toml")).unwrap();
    let b = &sample.data.buildings;
    let thirds = [0, b.len() / 3, 2 * b.len() / 3, b.len()];
    let mut file = sample.file.clone();
    let at = file.layers.iter().position(|l| l.role == covplan_core::project::Role::Buildings).unwrap();
    let template = file.layers.remove(at);
    for l in &mut file.layers {
        l.path = crate::common::sample(&l.path).to_string_lossy().into_owned();
    }
    for k in 0..3 {
        let part = &b[thirds[k]..thirds[k + 1]];
        use covplan_core::io::geoparquet::{Column, GeoTable};
        let table = GeoTable {
            geometry: part.iter().map(|x| geo::Geometry::MultiPolygon(x.footprint.clone())).collect(),
            columns: vec![
                ("id".into(), Column::Text(part.iter().map(|x| Some(x.id.clone())).collect())),
                ("households".into(), Column::Float(part.iter().map(|x| Some(x.households)).collect())),
                ("floors".into(), Column::Float(part.iter().map(|x| x.floors).collect())),
            ],
        };
        let name = format!("建筑{k}.parquet");
        covplan_core::io::geoparquet::write(&dir.join(&name), &table).unwrap();
        let mut spec = template.clone();
        (spec.name, spec.path) = (format!("建筑{k}"), name);
        file.layers.insert(at + k, spec);
    }
    let path = dir.join("project.toml");
    std::fs::write(&path, file.to_toml()).unwrap();

    let whole = Project::load(&path).unwrap();
    let streamed = Project::load_without_buildings(&path).unwrap();
    assert!(streamed.data.buildings.is_empty());
    assert_eq!((streamed.frame.lon0, streamed.frame.lat0), (whole.frame.lon0, whole.frame.lat0), "the frame of the whole project");
    let split = |p: &Project, source, out: &str| {
        let (prof, src) = covplan_core::targets::profile::resolve(p, Some("zhaoqing-2020")).unwrap();
        shard::split(p, source, (prof, src), Grouping::Township, None, &dir.join(out), &|_| {}).unwrap()
    };
    let (a, b) = (split(&whole, shard::BuildingSource::Loaded, "loaded"), split(&streamed, shard::BuildingSource::Layers, "layers"));
    assert_eq!(a, b, "the same manifest");
    assert!(a.areas.iter().filter(|e| e.carried[1] > 0).count() >= 10);
    let (a, b) = (tree(&dir.join("loaded")), tree(&dir.join("layers")));
    assert_eq!(a.keys().collect::<Vec<_>>(), b.keys().collect::<Vec<_>>(), "the same files");
    for (name, bytes) in &a {
        assert!(bytes == &b[name], "{name} differs between the split of the loaded project and the streamed one");
    }
    let _ = std::fs::remove_dir_all(&dir);
}
