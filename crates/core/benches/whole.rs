//! Whole-process benchmarks of the core: loading, coverage, analysis, grid and printed report,
//! on the sample county and on synthetic layers of a million features. docs/PERFORMANCE.md
//! gives the figures and the targets.
//!
//! `cargo bench -p covplan-core --bench whole -- [NAME …] [--count N] [--runs N]`, NAME one of
//! load-sample, load-buildings, coverage, radio-buildings, analyze, analyze-villages, grid,
//! report, report-buildings (no name: the sample county ones). Synthetic layers are written
//! once to the temporary folder and reused.

#[global_allocator]
static ALLOCATOR: mimalloc::MiMalloc = mimalloc::MiMalloc;

#[path = "support/mod.rs"]
mod support;

use support::{print_best_median, print_peak_memory};

use covplan_core::crs::Crs;
use covplan_core::error::Result;
use covplan_core::io::shapefile::{shp::ShapeKind, write::write_shapefile};
use covplan_core::model::{Feature, FeatureTable, Field, FieldKind, Value};
use covplan_core::project::{LayerSpec, Project, ProjectFile, Role};
use geo::{Geometry, LineString, Polygon};
use std::path::{Path, PathBuf};
use std::time::Instant;

/// Writes a GBK building shapefile of `count` rectangles in CGCS2000 GK zone 38 (EPSG:4526)
/// around 四会市, with 编号/层数/户数 fields, and a project file naming it. Returns the project path.
fn write_building_fixture(dir: &Path, count: usize) -> std::io::Result<PathBuf> {
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
        project: covplan_core::project::file::ProjectMeta { name: format!("{count} buildings"), description: None },
        settings: Default::default(),
        coverage: Default::default(),
        measurements: Default::default(),
        analysis: Default::default(),
        scenario: Default::default(),
        plan: Default::default(),
        layers: vec![LayerSpec::new("buildings", Role::Buildings, "buildings.shp")],
    };
    let path = dir.join("project.toml");
    pf.save(&path)?;
    Ok(path)
}

/// Loads a project `runs` times; prints each time, the best and the peak memory.
fn time_loads(path: &Path, runs: usize) -> Result<()> {
    let mut times = Vec::new();
    for _ in 0..runs {
        let t = Instant::now();
        let p = Project::load(path)?;
        let ms = t.elapsed().as_secs_f64() * 1000.0;
        println!("  load {ms:7.0} ms  ({})", p.timings);
        times.push(ms);
    }
    print_best_median(&mut times);
    print_peak_memory();
    Ok(())
}

/// Loads a project once, then times the fiber and radio models `runs` times each.
fn time_coverage(path: &Path, runs: usize) -> Result<()> {
    let p = Project::load(path)?;
    let s = &p.file.coverage;
    let mut fiber = Vec::new();
    let mut radio = Vec::new();
    for _ in 0..runs {
        let t = Instant::now();
        let f = covplan_core::coverage::fiber::compute(&p, &s.fiber);
        fiber.push(t.elapsed().as_secs_f64() * 1000.0);
        let t = Instant::now();
        let r = covplan_core::coverage::radio::compute(&p, &s.radio);
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
    print_peak_memory();
    Ok(())
}

/// Times the coverage grid of a project (cells of its `grid_cell_m`); prints best and median.
fn time_grid(path: &Path, runs: usize) -> Result<()> {
    let p = Project::load(path)?;
    let s = &p.file.coverage.radio;
    let households = covplan_core::coverage::radio::compute(&p, s).households_per_sector;
    let mut times = Vec::new();
    for _ in 0..runs.max(1) {
        let t = Instant::now();
        let g = covplan_core::coverage::radio::grid::compute_grid(&p, s, Some(&households));
        times.push(t.elapsed().as_secs_f64() * 1000.0);
        let inside = g.inside.iter().filter(|&&b| b).count();
        println!("  grid {} × {} cells of {:.0} m, {inside} in the area, {} layers: {:.0} ms", g.nx, g.ny, g.cell_m, g.layers.len(), times.last().unwrap());
    }
    times.sort_by(f64::total_cmp);
    println!("coverage grid: best {:.0} ms, median {:.0} ms", times[0], times[times.len() / 2]);
    print_peak_memory();
    Ok(())
}

/// Loads and analyses a project `runs` times with every built-in profile, end to end (reading
/// included); prints the best and median per profile.
fn time_analyze(path: &Path, runs: usize) -> Result<()> {
    for (id, _) in covplan_core::targets::profile::BUILT_IN {
        let mut times = Vec::new();
        let mut fastest = (f64::INFINITY, String::new());
        for _ in 0..runs {
            let t = Instant::now();
            let p = Project::load(path)?;
            let loaded = t.elapsed().as_secs_f64() * 1000.0;
            let (profile, _) = covplan_core::targets::profile::Profile::load(id)?;
            let a = covplan_core::analysis::run_for_gaps(&p, profile, id.to_string())?;
            let ms = t.elapsed().as_secs_f64() * 1000.0;
            times.push(ms);
            if ms < fastest.0 {
                fastest = (ms, format!("load {loaded:.0} [{}], coverage {:.0}, verdicts {:.0}", p.timings, a.timings.0, a.timings.1));
            }
            std::hint::black_box(&a.targets);
        }
        print!("{id:<20} ");
        print_best_median(&mut times);
        println!("{:<20} fastest run: {}", "", fastest.1);
    }
    print_peak_memory();
    Ok(())
}

/// Writes the village benchmark: `count` natural-village points (GBK, CGCS2000 GK zone 38,
/// 编号/名称/户数), 500 cables of 10 segments each, 2 000 three-sector LTE sites, and a project
/// with a one-target profile (20+ household villages on fiber). Returns the project path.
fn write_village_fixture(dir: &Path, count: usize) -> std::io::Result<PathBuf> {
    std::fs::create_dir_all(dir)?;
    let gk = Crs::from_epsg(4526).expect("EPSG:4526 is built in");
    let (x0, y0) = gk.from_wgs84(112.2, 22.8).expect("inside zone 38");
    let side = (count as f64).sqrt().ceil() as usize;
    // Villages every 150 m: a 1M grid spans 150 km, a province-sized area.
    let spacing = 150.0;
    let span = side as f64 * spacing;
    let features: Vec<Feature> = (0..count)
        .map(|i| {
            let (x, y) = (x0 + (i % side) as f64 * spacing, y0 + (i / side) as f64 * spacing);
            Feature {
                geometry: Some(Geometry::Point(geo::Point::new(x, y))),
                values: vec![
                    Value::Text(format!("ZRC{i:07}")),
                    Value::Text(format!("第{i}村")),
                    Value::Int(5 + (i * 7919 % 60) as i64),
                    Value::Text("自然村".into()),
                ],
            }
        })
        .collect();
    let fields = ["编号", "名称", "户数", "类型"]
        .iter()
        .enumerate()
        .map(|(k, n)| Field { name: (*n).into(), kind: if k == 2 { FieldKind::Int } else { FieldKind::Text } })
        .collect();
    write_shapefile(&dir.join("villages.shp"), ShapeKind::Point, &FeatureTable { fields, features }, gk.to_wkt(), encoding_rs::GBK)?;
    // Cables: 500 zig-zag lines of 10 segments across the area.
    let cables: Vec<Feature> = (0..500)
        .map(|c| {
            let y = y0 + (c as f64 + 0.5) * span / 500.0;
            let pts: Vec<(f64, f64)> = (0..=10).map(|k| (x0 + k as f64 * span / 10.0, y + if k % 2 == 0 { 0.0 } else { 200.0 })).collect();
            Feature { geometry: Some(Geometry::LineString(LineString::from(pts))), values: vec![Value::Text(format!("GL{c:04}"))] }
        })
        .collect();
    let cable_fields = vec![Field { name: "光缆编号".into(), kind: FieldKind::Text }];
    write_shapefile(&dir.join("cables.shp"), ShapeKind::Polyline, &FeatureTable { fields: cable_fields, features: cables }, gk.to_wkt(), encoding_rs::GBK)?;
    // Sites: 2 000 on a grid, three LTE sectors each.
    let mut csv = String::from("小区名称,基站名称,经度,纬度,制式,频点,方位角,挂高,运营商\n");
    let site_side = 45;
    for s in 0..2000 {
        let (x, y) = (x0 + ((s % site_side) as f64 + 0.5) * span / site_side as f64, y0 + ((s / site_side) as f64 + 0.5) * span / site_side as f64);
        let (lon, lat) = gk.to_wgs84(x, y).expect("inside zone 38");
        for k in 0..3 {
            csv.push_str(&format!("站{s}-{k},站{s},{lon:.6},{lat:.6},LTE,1850,{},35,中国移动\n", k * 120));
        }
    }
    std::fs::write(dir.join("sites.csv"), csv)?;
    std::fs::write(
        dir.join("profile.toml"),
        "[profile]\nid = \"villages-fiber\"\ntitle = \"20户以上自然村连通光缆\"\ndocument = \"000_2094dfdd9b72f696.txt\"\n\n[[target]]\nid = \"village20_fiber\"\ntext = \"逐步推进20户以上自然村连通光缆\"\ngloss = \"natural villages of 20+ households on fiber\"\ncites = \"000_2094dfdd9b72f696.txt\"\napplies_to = \"natural_villages\"\ncondition = { field = \"households\", op = \">=\", value = 20 }\nrequire = { kind = \"fiber_connected\" }\n",
    )?;
    let mut sites = LayerSpec::new("sites", Role::Sectors, "sites.csv");
    sites.crs = Some("EPSG:4326".into());
    let mut villages = LayerSpec::new("villages", Role::Villages, "villages.shp");
    villages.village_kind = Some(covplan_core::model::VillageKind::Natural);
    let pf = ProjectFile {
        project: covplan_core::project::file::ProjectMeta { name: format!("{count} villages"), description: None },
        settings: Default::default(),
        coverage: Default::default(),
        measurements: Default::default(),
        analysis: covplan_core::project::file::AnalysisSpec { profile: Some("profile.toml".into()), areas: Default::default() },
        scenario: Default::default(),
        plan: Default::default(),
        layers: vec![villages, LayerSpec::new("cables", Role::Fiber, "cables.shp"), sites],
    };
    let path = dir.join("project.toml");
    pf.save(&path)?;
    Ok(path)
}

/// Loads and analyses the village benchmark `runs` times, end to end.
fn time_analyze_villages(path: &Path, runs: usize) -> Result<()> {
    let mut times = Vec::new();
    for _ in 0..runs {
        let t = Instant::now();
        let p = Project::load(path)?;
        let loaded = t.elapsed().as_secs_f64() * 1000.0;
        let profile_path = path.with_file_name("profile.toml");
        let (profile, _) = covplan_core::targets::profile::Profile::load(&profile_path.to_string_lossy())?;
        let a = covplan_core::analysis::run_for_gaps(&p, profile, "profile.toml".into())?;
        let ms = t.elapsed().as_secs_f64() * 1000.0;
        let t0 = &a.targets[0];
        println!(
            "  {ms:6.0} ms (load {loaded:.0} [{}], coverage {:.0}, verdicts {:.0}): {} villages, {} sectors; met {}, not met {}",
            p.timings,
            a.timings.0,
            a.timings.1,
            p.data.villages.len(),
            p.data.sectors.len(),
            t0.count(covplan_core::targets::evaluate::Verdict::Met),
            t0.count(covplan_core::targets::evaluate::Verdict::NotMet)
        );
        times.push(ms);
    }
    print_best_median(&mut times);
    print_peak_memory();
    Ok(())
}

/// Writes `count` buildings (as [`write_building_fixture`]) and 2 000 LTE sectors spread over
/// them (one per site, every direction), for the radio benchmark. Returns the project path.
fn write_radio_fixture(dir: &Path, count: usize) -> std::io::Result<PathBuf> {
    let path = write_building_fixture(dir, count)?;
    let gk = Crs::from_epsg(4526).expect("EPSG:4526 is built in");
    let (x0, y0) = gk.from_wgs84(112.6, 23.25).expect("inside zone 38");
    let span = (count as f64).sqrt().ceil() * 20.0;
    let mut csv = String::from("小区名称,基站名称,经度,纬度,制式,频点,方位角,挂高,运营商\n");
    let side = 45;
    for s in 0..2000 {
        let (x, y) = (x0 + ((s % side) as f64 + 0.5) * span / side as f64, y0 + ((s / side) as f64 + 0.5) * span / side as f64);
        let (lon, lat) = gk.to_wgs84(x, y).expect("inside zone 38");
        csv.push_str(&format!("站{s}-1,站{s},{lon:.6},{lat:.6},LTE,1850,{},30,中国移动\n", (s * 137) % 360));
    }
    std::fs::write(dir.join("sites.csv"), csv)?;
    let mut pf = ProjectFile::load(&path).map_err(|e| std::io::Error::other(e.to_string()))?;
    let mut sites = LayerSpec::new("sites", Role::Sectors, "sites.csv");
    sites.crs = Some("EPSG:4326".into());
    pf.layers.push(sites);
    pf.save(&path)?;
    Ok(path)
}

/// Loads the radio benchmark once and times the radio engine over every building `runs` times.
fn time_radio(path: &Path, runs: usize) -> Result<()> {
    let p = Project::load(path)?;
    let s = &p.file.coverage.radio;
    let mut times = Vec::new();
    for _ in 0..runs {
        let t = Instant::now();
        let r = covplan_core::coverage::radio::compute(&p, s);
        let ms = t.elapsed().as_secs_f64() * 1000.0;
        let links: usize = r.buildings.iter().map(Vec::len).sum();
        println!("  radio {ms:7.0} ms: {} buildings × {} sectors, {links} best links", p.data.buildings.len(), p.data.sectors.len());
        times.push(ms);
    }
    print_best_median(&mut times);
    print_peak_memory();
    Ok(())
}

/// Times a printed map of `path` end to end (load, analysis, page, rendering) as `ext`
/// (pdf or png at 300 dpi), A3 landscape.
fn time_report(path: &Path, runs: usize, ext: &str) -> Result<()> {
    let dir = std::env::temp_dir().join(format!("covplan-bench-report-{}", std::process::id()));
    std::fs::create_dir_all(&dir).map_err(|e| covplan_core::error::InputError::io(&dir, &e))?;
    let out = dir.join(format!("page.{ext}"));
    let mut times = Vec::new();
    for _ in 0..runs.max(1) {
        let t = Instant::now();
        let p = Project::load(path)?;
        let t_load = t.elapsed().as_secs_f64() * 1e3;
        let (profile, source) = covplan_core::targets::profile::resolve(&p, None)?;
        let (a, scene) = covplan_core::report::gapmap::analyse_and_scene(&p, profile, source)?;
        let t_analysis = t.elapsed().as_secs_f64() * 1e3;
        let o = covplan_core::report::gapmap::ReportOptions { date: Some("2026-01-01".into()), ..Default::default() };
        let (svg, _) = covplan_core::report::gapmap::page_of(&p, &a, scene, &o)?;
        let t_page = t.elapsed().as_secs_f64() * 1e3;
        covplan_core::report::gapmap::write(std::slice::from_ref(&svg), &out, 300.0)?;
        let total = t.elapsed().as_secs_f64() * 1e3;
        let size = std::fs::metadata(&out).map(|m| m.len()).unwrap_or(0);
        println!(
            "load {t_load:.0} ms, analysis and scene {:.0} ms, page {:.0} ms ({:.1} MB SVG), {ext} {:.0} ms ({:.1} MB): {total:.0} ms",
            t_analysis - t_load,
            t_page - t_analysis,
            svg.len() as f64 / 1e6,
            total - t_page,
            size as f64 / 1e6
        );
        times.push(total);
    }
    print_best_median(&mut times);
    print_peak_memory();
    let _ = std::fs::remove_dir_all(&dir);
    Ok(())
}

/// A benchmark's synthetic project in the temporary folder `name`, written once by `write`.
fn fixture(name: &str, what: &str, write: impl FnOnce(&Path) -> std::io::Result<PathBuf>) -> Result<PathBuf> {
    let dir = std::env::temp_dir().join(name);
    let path = dir.join("project.toml");
    if !path.is_file() {
        println!("writing {what} to {} …", dir.display());
        write(&dir).map_err(|e| covplan_core::error::InputError::io(&dir, &e))?;
    }
    Ok(path)
}

/// Runs one benchmark by name.
fn run(which: &str, count: usize, runs: usize) -> Result<(), String> {
    let sample = covplan_core::sample::sample_project_path();
    let buildings = || fixture(&format!("covplan-bench-{count}"), &format!("{count} buildings"), |d| write_building_fixture(d, count));
    let result = match which {
        "load-sample" => time_loads(&sample, runs),
        "load-buildings" => buildings().and_then(|p| time_loads(&p, runs)),
        "coverage" => time_coverage(&sample, runs),
        "radio-buildings" => {
            fixture(&format!("covplan-bench-radio-{count}"), &format!("{count} buildings and 2 000 sectors"), |d| write_radio_fixture(d, count))
                .and_then(|p| time_radio(&p, runs))
        }
        "analyze" => time_analyze(&sample, runs),
        "analyze-villages" => fixture(&format!("covplan-bench-villages-{count}"), &format!("{count} villages, 5 000 cable segments and 2 000 sites"), |d| {
            write_village_fixture(d, count)
        })
        .and_then(|p| time_analyze_villages(&p, runs)),
        "grid" => time_grid(&sample, runs),
        "report" => time_report(&sample, runs, "pdf"),
        "report-buildings" => buildings().and_then(|p| time_report(&p, runs, "png")),
        other => {
            return Err(format!(
                "unknown benchmark '{other}' (load-sample, load-buildings, coverage, radio-buildings, analyze, analyze-villages, grid, report, report-buildings)"
            ));
        }
    };
    result.map_err(|e| e.to_string())
}

fn main() {
    support::mark_start();
    let args = support::Args::parse();
    let which: Vec<&str> =
        if args.which.is_empty() { vec!["load-sample", "coverage", "analyze", "grid", "report"] } else { args.which.iter().map(String::as_str).collect() };
    for w in which {
        println!("== {w}");
        if let Err(e) = run(w, args.count, args.runs) {
            eprintln!("error: {e}");
            std::process::exit(1);
        }
    }
}
