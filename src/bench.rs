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

/// The machine's CPU time counters (jiffies) when the benchmark started: see [`mark_start`].
static START: std::sync::OnceLock<Option<(u64, u64)>> = std::sync::OnceLock::new();

/// (stolen, total) CPU jiffies of the whole machine (Linux `/proc/stat`; `None` elsewhere).
fn cpu_counters() -> Option<(u64, u64)> {
    let s = std::fs::read_to_string("/proc/stat").ok()?;
    let fields: Vec<u64> = s.lines().next()?.split_whitespace().skip(1).filter_map(|f| f.parse().ok()).collect();
    // user nice system idle iowait irq softirq steal (guest time is already in user).
    Some((*fields.get(7)?, fields.iter().take(8).sum()))
}

/// Notes the machine's CPU counters, so the figures can say how much CPU time the host took
/// away from this machine while they were measured (a shared virtual machine loses a third
/// of its time at busy hours, and wall-clock figures with it).
pub fn mark_start() {
    START.get_or_init(cpu_counters);
}

/// Prints the best and the median of `times` (ms), sorting them, and the share of CPU time
/// stolen by the host since [`mark_start`].
fn print_best_median(times: &mut [f64]) {
    times.sort_by(f64::total_cmp);
    let stolen = match (START.get().copied().flatten(), cpu_counters()) {
        (Some((s0, t0)), Some((s1, t1))) if t1 > t0 => format!("; {:.0} % of CPU time stolen by the host", 100.0 * (s1 - s0) as f64 / (t1 - t0) as f64),
        _ => String::new(),
    };
    println!("best {:.0} ms, median {:.0} ms over {} runs{stolen}", times[0], times[times.len() / 2], times.len());
}

/// Prints the process's peak memory, where the system tells it.
fn print_peak_memory() {
    if let Some(m) = peak_rss_mib() {
        println!("peak memory {m:.0} MiB");
    }
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
        scenario: Default::default(),
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
    print_best_median(&mut times);
    print_peak_memory();
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
    print_peak_memory();
    Ok(())
}

/// Times the coverage grid of a project (cells of its `grid_cell_m`); prints best and median.
pub fn time_grid(path: &Path, runs: usize) -> Result<()> {
    let p = Project::load(path)?;
    let s = &p.file.coverage.radio;
    let households = crate::coverage::radio::engine::compute(&p, s).households_per_sector;
    let mut times = Vec::new();
    for _ in 0..runs.max(1) {
        let t = Instant::now();
        let g = crate::coverage::radio::grid::compute_grid(&p, s, Some(&households));
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
pub fn time_analyze(path: &Path, runs: usize) -> Result<()> {
    for (id, _) in crate::targets::profile::BUILT_IN {
        let mut times = Vec::new();
        let mut fastest = (f64::INFINITY, String::new());
        for _ in 0..runs {
            let t = Instant::now();
            let p = Project::load(path)?;
            let loaded = t.elapsed().as_secs_f64() * 1000.0;
            let (profile, _) = crate::targets::profile::Profile::load(id)?;
            let a = crate::analysis::run_for_gaps(&p, profile, id.to_string())?;
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
pub fn write_village_fixture(dir: &Path, count: usize) -> std::io::Result<PathBuf> {
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
    villages.village_kind = Some(crate::model::VillageKind::Natural);
    let pf = ProjectFile {
        project: crate::project::file::ProjectMeta { name: format!("{count} villages"), description: None },
        settings: Default::default(),
        coverage: Default::default(),
        analysis: crate::project::file::AnalysisSpec { profile: Some("profile.toml".into()), areas: Default::default() },
        scenario: Default::default(),
        layers: vec![villages, LayerSpec::new("cables", Role::Fiber, "cables.shp"), sites],
    };
    let path = dir.join("project.toml");
    pf.save(&path)?;
    Ok(path)
}

/// Loads and analyses the village benchmark `runs` times, end to end.
pub fn time_analyze_villages(path: &Path, runs: usize) -> Result<()> {
    let mut times = Vec::new();
    for _ in 0..runs {
        let t = Instant::now();
        let p = Project::load(path)?;
        let loaded = t.elapsed().as_secs_f64() * 1000.0;
        let profile_path = path.with_file_name("profile.toml");
        let (profile, _) = crate::targets::profile::Profile::load(&profile_path.to_string_lossy())?;
        let a = crate::analysis::run_for_gaps(&p, profile, "profile.toml".into())?;
        let ms = t.elapsed().as_secs_f64() * 1000.0;
        let t0 = &a.targets[0];
        println!(
            "  {ms:6.0} ms (load {loaded:.0} [{}], coverage {:.0}, verdicts {:.0}): {} villages, {} sectors; met {}, not met {}",
            p.timings,
            a.timings.0,
            a.timings.1,
            p.data.villages.len(),
            p.data.sectors.len(),
            t0.count(crate::targets::evaluate::State::Met),
            t0.count(crate::targets::evaluate::State::NotMet)
        );
        times.push(ms);
    }
    print_best_median(&mut times);
    print_peak_memory();
    Ok(())
}

/// Writes `count` buildings (as [`write_building_fixture`]) and 2 000 LTE sectors spread over
/// them (one per site, every direction), for the radio benchmark. Returns the project path.
pub fn write_radio_fixture(dir: &Path, count: usize) -> std::io::Result<PathBuf> {
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
pub fn time_radio(path: &Path, runs: usize) -> Result<()> {
    let p = Project::load(path)?;
    let s = &p.file.coverage.radio;
    let mut times = Vec::new();
    for _ in 0..runs {
        let t = Instant::now();
        let r = crate::coverage::radio::engine::compute(&p, s);
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
pub fn time_report(path: &Path, runs: usize, ext: &str) -> Result<()> {
    let dir = std::env::temp_dir().join(format!("covplan-bench-report-{}", std::process::id()));
    std::fs::create_dir_all(&dir).map_err(|e| crate::error::InputError::io(&dir, &e))?;
    let out = dir.join(format!("page.{ext}"));
    let mut times = Vec::new();
    for _ in 0..runs.max(1) {
        let t = Instant::now();
        let p = Project::load(path)?;
        let t_load = t.elapsed().as_secs_f64() * 1e3;
        let (profile, source) = crate::cli::resolve_profile(&p, None)?;
        let (a, scene) = crate::report::gapmap::analyse_and_scene(&p, profile, source)?;
        let t_analysis = t.elapsed().as_secs_f64() * 1e3;
        let o = crate::report::gapmap::ReportOptions { date: Some("2026-01-01".into()), ..Default::default() };
        let (svg, _) = crate::report::gapmap::page_of(&p, &a, scene, &o)?;
        let t_page = t.elapsed().as_secs_f64() * 1e3;
        crate::report::gapmap::write(std::slice::from_ref(&svg), &out, 300.0)?;
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
