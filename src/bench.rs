//! `covplan bench …`: the speed and memory benchmarks whose figures README reports.

use crate::crs::Crs;
use crate::error::Result;
use crate::io::shapefile::{shp::ShapeKind, write::write_shapefile};
use crate::model::{Feature, FeatureTable, Field, FieldKind, Value};
use crate::project::{LayerSpec, Project, ProjectFile, Role};
use geo::{Geometry, LineString, Polygon};
use std::path::{Path, PathBuf};
use std::time::Instant;

/// Peak resident memory of this process in MiB (Linux; `None` elsewhere).
pub fn peak_rss_mib() -> Option<f64> {
    let s = std::fs::read_to_string("/proc/self/status").ok()?;
    let kb: f64 = s.lines().find(|l| l.starts_with("VmHWM:"))?.split_whitespace().nth(1)?.parse().ok()?;
    Some(kb / 1024.0)
}

/// Writes a GBK building shapefile of `count` rectangles in CGCS2000 GK zone 38 (EPSG:4526)
/// around 四会市, with 编号/层数/户数 fields, and a project file naming it. Returns the project path.
pub fn write_building_fixture(dir: &Path, count: usize) -> std::io::Result<PathBuf> {
    std::fs::create_dir_all(dir)?;
    let gk = Crs::from_epsg(4526).expect("EPSG:4526 is built in");
    let (x0, y0) = gk.from_wgs84(112.6, 23.25).expect("inside zone 38");
    let side = (count as f64).sqrt().ceil() as usize;
    let mut features = Vec::with_capacity(count);
    for i in 0..count {
        let (cx, cy) = (x0 + (i % side) as f64 * 20.0, y0 + (i / side) as f64 * 20.0);
        let ring = LineString::from(vec![(cx, cy), (cx, cy + 12.0), (cx + 10.0, cy + 12.0), (cx + 10.0, cy), (cx, cy)]);
        let households = if i % 3 == 0 { Value::Null } else { Value::Int(1 + (i % 4) as i64) };
        features.push(Feature {
            geometry: Some(Geometry::Polygon(Polygon::new(ring, vec![]))),
            values: vec![Value::Text(format!("JZ{i:07}")), Value::Int(1 + (i % 6) as i64), households],
        });
    }
    let fields = vec![
        Field { name: "编号".into(), kind: FieldKind::Text },
        Field { name: "层数".into(), kind: FieldKind::Int },
        Field { name: "户数".into(), kind: FieldKind::Int },
    ];
    let table = FeatureTable { fields, features };
    write_shapefile(&dir.join("buildings.shp"), ShapeKind::Polygon, &table, gk.to_wkt(), encoding_rs::GBK)?;
    let pf = ProjectFile {
        project: crate::project::file::ProjectMeta { name: format!("{count} buildings"), description: None },
        settings: Default::default(),
        coverage: Default::default(),
        analysis: Default::default(),
        layers: vec![LayerSpec::new("buildings", Role::Buildings, "buildings.shp")],
    };
    let path = dir.join("project.toml");
    pf.save(&path)?;
    Ok(path)
}

/// Loads a project `runs` times; prints each time, the best and the peak memory.
pub fn time_loads(path: &Path, runs: usize) -> Result<()> {
    let mut times = Vec::new();
    for _ in 0..runs {
        let t = Instant::now();
        let p = Project::load(path)?;
        let ms = t.elapsed().as_secs_f64() * 1000.0;
        println!("  load {ms:7.0} ms  ({})", p.timings);
        times.push(ms);
    }
    times.sort_by(f64::total_cmp);
    println!("best {:.0} ms, median {:.0} ms over {runs} runs", times[0], times[times.len() / 2]);
    if let Some(m) = peak_rss_mib() {
        println!("peak memory {m:.0} MiB");
    }
    Ok(())
}

/// Loads a project once, then times the fiber and radio models `runs` times each.
pub fn time_coverage(path: &Path, runs: usize) -> Result<()> {
    let p = Project::load(path)?;
    let s = &p.file.coverage;
    let mut fiber = Vec::new();
    let mut radio = Vec::new();
    for _ in 0..runs {
        let t = Instant::now();
        let f = crate::coverage::fiber::compute(&p, &s.fiber);
        fiber.push(t.elapsed().as_secs_f64() * 1000.0);
        let t = Instant::now();
        let r = crate::coverage::radio::engine::compute(&p, &s.radio);
        radio.push(t.elapsed().as_secs_f64() * 1000.0);
        println!(
            "  fiber {:7.0} ms ({} buildings)   radio {:7.0} ms ({} sectors)",
            fiber.last().unwrap(),
            f.buildings.len(),
            radio.last().unwrap(),
            r.households_per_sector.len()
        );
    }
    for v in [&mut fiber, &mut radio] {
        v.sort_by(f64::total_cmp);
    }
    println!("best: fiber {:.0} ms, radio {:.0} ms; median: fiber {:.0} ms, radio {:.0} ms", fiber[0], radio[0], fiber[runs / 2], radio[runs / 2]);
    if let Some(m) = peak_rss_mib() {
        println!("peak memory {m:.0} MiB");
    }
    Ok(())
}
