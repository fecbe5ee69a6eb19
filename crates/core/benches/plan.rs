//! The planner's benchmarks: `cargo bench -p covplan-core --bench plan -- [sample] [roads]
//! [--count N] [--runs N]`.
//!
//! - sample: `plan::run` on the sample county with all three technologies, end to end (the
//!   analysis before, fiber, sites, FWA, the re-analysis), for each of zhaoqing-2020 and
//!   tianjin-2020.
//! - roads: a synthetic road grid of about a million edges (a 710 × 710 lattice of roads with a
//!   vertex every 60 m), one existing cable along its southern edge and `--count` demand
//!   villages (default 10 000) scattered over it, planned for fiber; load excluded.

#[global_allocator]
static ALLOCATOR: mimalloc::MiMalloc = mimalloc::MiMalloc;

#[path = "support/mod.rs"]
mod support;

use covplan_core::crs::Crs;
use covplan_core::io::shapefile::{shp::ShapeKind, write::write_shapefile};
use covplan_core::model::{Feature, FeatureTable, Field, FieldKind, Value, VillageKind};
use covplan_core::plan::{self, PlanRequest, Techs, costs::Costs};
use covplan_core::project::{LayerSpec, Project, ProjectFile, Role};
use geo::{Geometry, LineString};
use std::path::{Path, PathBuf};
use std::time::Instant;
use support::{print_best_median, print_peak_memory};

/// Roads per direction of the lattice, and the vertex spacing along them (m).
const LATTICE: usize = 710;
const STEP_M: f64 = 60.0;

/// Writes the road lattice, the cable and `villages` villages (households 20–79, a fixed
/// pseudo-random scatter) in CGCS2000 GK zone 38, with a one-target fiber profile.
fn write_roads_fixture(dir: &Path, villages: usize) -> std::io::Result<PathBuf> {
    std::fs::create_dir_all(dir)?;
    let gk = Crs::from_epsg(4526).expect("EPSG:4526 is built in");
    let (x0, y0) = gk.from_wgs84(112.2, 22.8).expect("inside zone 38");
    let span = (LATTICE - 1) as f64 * STEP_M;
    let line = |pts: Vec<(f64, f64)>, id: String| Feature { geometry: Some(Geometry::LineString(LineString::from(pts))), values: vec![Value::Text(id)] };
    let mut roads = Vec::with_capacity(2 * LATTICE);
    for k in 0..LATTICE {
        let c = k as f64 * STEP_M;
        roads.push(line((0..LATTICE).map(|j| (x0 + j as f64 * STEP_M, y0 + c)).collect(), format!("东西{k}")));
        roads.push(line((0..LATTICE).map(|j| (x0 + c, y0 + j as f64 * STEP_M)).collect(), format!("南北{k}")));
    }
    let text = |n: &str| Field { name: n.into(), kind: FieldKind::Text };
    write_shapefile(&dir.join("roads.shp"), ShapeKind::Polyline, &FeatureTable { fields: vec![text("名称")], features: roads }, gk.to_wkt(), encoding_rs::GBK)?;
    let cable = line(vec![(x0, y0), (x0 + span, y0)], "GL0001".into());
    write_shapefile(
        &dir.join("cables.shp"),
        ShapeKind::Polyline,
        &FeatureTable { fields: vec![text("光缆编号")], features: vec![cable] },
        gk.to_wkt(),
        encoding_rs::GBK,
    )?;
    let mut seed = 0x9e37_79b9_7f4a_7c15u64;
    let mut next = move || {
        seed = seed.wrapping_mul(6364136223846793005).wrapping_add(1442695040888963407);
        (seed >> 11) as f64 / (1u64 << 53) as f64
    };
    let features: Vec<Feature> = (0..villages)
        .map(|i| {
            // Off the roads (between them), at least 500 m north of the cable.
            let (x, y) = (x0 + next() * span, y0 + 500.0 + next() * (span - 500.0));
            Feature {
                geometry: Some(Geometry::Point(geo::Point::new(x, y))),
                values: vec![Value::Text(format!("ZRC{i:06}")), Value::Text(format!("第{i}村")), Value::Int(20 + (i * 7919 % 60) as i64)],
            }
        })
        .collect();
    let fields = vec![text("编号"), text("名称"), Field { name: "户数".into(), kind: FieldKind::Int }];
    write_shapefile(&dir.join("villages.shp"), ShapeKind::Point, &FeatureTable { fields, features }, gk.to_wkt(), encoding_rs::GBK)?;
    std::fs::write(
        dir.join("profile.toml"),
        "[profile]\nid = \"villages-fiber\"\ntitle = \"20户以上自然村连通光缆\"\ndocument = \"000_2094dfdd9b72f696.txt\"\n\n[[target]]\nid = \"village20_fiber\"\ntext = \"逐步推进20户以上自然村连通光缆\"\ngloss = \"natural villages of 20+ households on fiber\"\ncites = \"000_2094dfdd9b72f696.txt\"\napplies_to = \"natural_villages\"\nrequire = { kind = \"fiber_connected\" }\n",
    )?;
    let mut village_layer = LayerSpec::new("villages", Role::Villages, "villages.shp");
    village_layer.village_kind = Some(VillageKind::Natural);
    let pf = ProjectFile {
        project: covplan_core::project::file::ProjectMeta { name: format!("road lattice, {villages} villages"), description: None },
        settings: Default::default(),
        coverage: Default::default(),
        measurements: Default::default(),
        analysis: covplan_core::project::file::AnalysisSpec { profile: Some("profile.toml".into()), areas: Default::default() },
        scenario: Default::default(),
        plan: Default::default(),
        layers: vec![village_layer, LayerSpec::new("roads", Role::Roads, "roads.shp"), LayerSpec::new("cables", Role::Fiber, "cables.shp")],
    };
    let path = dir.join("project.toml");
    pf.save(&path)?;
    Ok(path)
}

/// Plans `p` with `techs` `runs` times; prints each run, the best and median, and peak memory.
fn time_plans(p: &Project, profiles: &[Option<&str>], techs: Techs, runs: usize) -> Result<(), String> {
    let costs = Costs::china();
    for id in profiles {
        let mut times = Vec::new();
        for _ in 0..runs.max(1) {
            let (profile, source) = covplan_core::targets::profile::resolve(p, *id).map_err(|e| e.to_string())?;
            let t = Instant::now();
            let out = plan::run(p, profile, source, &PlanRequest { costs: &costs, budget: None, techs }).map_err(|e| e.to_string())?;
            let ms = t.elapsed().as_secs_f64() * 1e3;
            let (b, a) = out.gaps;
            println!(
                "  {}: {ms:.0} ms, {} works, {:.0} yuan, gaps {} → {} ({:.0} → {:.0} households), {} unreachable",
                id.unwrap_or("the project's profile"),
                out.works.len(),
                out.cost(),
                b.settlements,
                a.settlements,
                b.households,
                a.households,
                out.unreachable.len()
            );
            times.push(ms);
        }
        print_best_median(&mut times);
    }
    print_peak_memory();
    Ok(())
}

fn main() {
    support::mark_start();
    let args = support::Args::parse();
    let which: Vec<&str> = if args.which.is_empty() { vec!["sample"] } else { args.which.iter().map(String::as_str).collect() };
    for w in which {
        println!("== {w}");
        let result = match w {
            "sample" => Project::load(&covplan_core::sample::sample_project_path())
                .map_err(|e| e.to_string())
                .and_then(|p| time_plans(&p, &[Some("zhaoqing-2020"), Some("tianjin-2020")], Techs::ALL, args.runs)),
            "roads" => {
                // The runners' default count (a million) is for layers; here it means villages.
                let villages = if args.count == 1_000_000 { 10_000 } else { args.count };
                let dir = std::env::temp_dir().join(format!("covplan-bench-plan-roads-{villages}"));
                let path = dir.join("project.toml");
                let written = if path.is_file() { Ok(path) } else { write_roads_fixture(&dir, villages).map_err(|e| e.to_string()) };
                written.and_then(|path| {
                    let p = Project::load(&path).map_err(|e| e.to_string())?;
                    println!(
                        "  {} road segments, {} villages",
                        p.data.roads.iter().map(|r| r.line.0.iter().map(|l| l.0.len() - 1).sum::<usize>()).sum::<usize>(),
                        p.data.villages.len()
                    );
                    time_plans(&p, &[None], Techs { fiber: true, site: false, fwa: false }, args.runs)
                })
            }
            other => Err(format!("unknown benchmark '{other}' (sample, roads)")),
        };
        if let Err(e) = result {
            eprintln!("error: {e}");
            std::process::exit(1);
        }
    }
}
