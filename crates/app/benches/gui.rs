//! The desktop app's benchmarks, headless: the CPU cost of one frame of the main window's map
//! (egui layout, culling, mesh building and tessellation) at several zooms, and a what-if edit
//! to updated verdicts.
//!
//! `cargo bench -p covplan-app --bench gui -- [frame|frame-buildings|what-if] [--count N] [--runs N]`
//! (no name: frame and what-if on the sample county). `frame-buildings` draws the synthetic
//! building layer that `cargo bench -p covplan-core --bench whole -- load-buildings` writes.

#[path = "../../core/benches/support/mod.rs"]
mod support;

use covplan_app::{document, fonts, i18n, map, worker};
use covplan_core::project::Project;
use covplan_core::render::{Scene, VerdictTheme, View};
use eframe::egui;
use std::path::Path;
use std::time::Instant;

/// The centre of the 500 m cell holding the most features (where frames cost the most), the
/// one nearest the middle of `extent` among equals.
fn densest_spot(scene: &Scene, extent: [f64; 4]) -> Option<[f64; 2]> {
    let mut counts: std::collections::BTreeMap<(i64, i64), usize> = Default::default();
    for l in &scene.layers {
        for a in &l.geometry.anchors {
            *counts.entry(((a[0] / 500.0).floor() as i64, (a[1] / 500.0).floor() as i64)).or_default() += 1;
        }
    }
    let mid = [(extent[0] + extent[2]) / 2.0, (extent[1] + extent[3]) / 2.0];
    let centre = |(x, y): (i64, i64)| [x as f64 * 500.0 + 250.0, y as f64 * 500.0 + 250.0];
    let off = |k: (i64, i64)| -((centre(k)[0] - mid[0]).hypot(centre(k)[1] - mid[1]) as i64);
    let (k, _) = counts.into_iter().max_by_key(|&(k, n)| (n, off(k), std::cmp::Reverse(k)))?;
    Some(centre(k))
}

/// One frame of the map alone in a 1280 × 800 window; returns CPU milliseconds.
fn frame(ctx: &egui::Context, scene: &Scene, view: &mut View, p: &Project, cache: &mut map::MapCache) -> f64 {
    let input = egui::RawInput { screen_rect: Some(egui::Rect::from_min_size(egui::Pos2::ZERO, egui::vec2(1280.0, 800.0))), ..Default::default() };
    let t = Instant::now();
    let out = ctx.run_ui(input, |ui| {
        egui::CentralPanel::no_frame().show(ui, |ui| {
            map::show(ui, scene, view, p, None, cache, i18n::Lang::En);
        });
    });
    let primitives = ctx.tessellate(out.shapes, out.pixels_per_point);
    std::hint::black_box(primitives);
    t.elapsed().as_secs_f64() * 1e3
}

/// Loads `path`, styles it by its first target when `with_verdicts`, and times frames at the
/// full extent and zoomed in 4×, 16×, 64× and 256× on the centre.
fn time_frames(path: &Path, runs: usize, with_verdicts: bool) -> Result<(), String> {
    let p = Project::load(path).map_err(|e| e.to_string())?;
    let t = Instant::now();
    let mut scene = Scene::of_project(&p);
    println!(
        "scene built in {:.0} ms ({} layers, {} features)",
        t.elapsed().as_secs_f64() * 1e3,
        scene.layers.len(),
        scene.layers.iter().map(|l| l.geometry.len()).sum::<usize>()
    );
    if with_verdicts {
        let (profile, source) = covplan_core::targets::profile::resolve(&p, None).map_err(|e| e.to_string())?;
        let a = covplan_core::analysis::run(&p, profile, source).map_err(|e| e.to_string())?;
        if let Some(t) = a.targets.first() {
            scene.theme = Some(std::sync::Arc::new(VerdictTheme::of(t)));
        }
    }
    let ctx = egui::Context::default();
    fonts::install(&ctx);
    let extent = scene.extent().ok_or("the project has nothing to draw")?;
    let mut cache = map::MapCache::default();
    let dense = densest_spot(&scene, extent).unwrap_or([(extent[0] + extent[2]) / 2.0, (extent[1] + extent[3]) / 2.0]);
    println!("zooming in on the densest 500 m cell at ({:.0}, {:.0}) m", dense[0], dense[1]);
    let mut worst: f64 = 0.0;
    for zoom in [1.0, 2.0, 4.0, 6.0, 8.0, 16.0, 64.0, 256.0] {
        let mut view = View::fit(extent, [1280.0, 800.0]);
        if zoom > 1.0 {
            view.center = dense;
        }
        view.m_per_px /= zoom;
        let first = frame(&ctx, &scene, &mut view, &p, &mut cache);
        let mut times: Vec<f64> = (0..runs.max(1)).map(|_| frame(&ctx, &scene, &mut view, &p, &mut cache)).collect();
        times.sort_by(f64::total_cmp);
        let (best, median, max) = (times[0], times[times.len() / 2], times[times.len() - 1]);
        worst = worst.max(max);
        println!(
            "zoom ×{zoom:<4} {:>8.2} m/px: first frame {first:6.1} ms, then best {best:5.1} ms, median {median:5.1} ms, worst {max:5.1} ms",
            view.m_per_px
        );
    }
    println!("worst steady frame {worst:.1} ms");
    Ok(())
}

/// Times a what-if edit on `path`: one sector moved 200 m, the scenario applied and the
/// project's profile re-run (what the app does in the background after an edit).
fn time_what_if(path: &Path, runs: usize) -> Result<(), String> {
    let p = Project::load(path).map_err(|e| e.to_string())?;
    let scene = Scene::of_project(&p);
    let profile = document::default_profile(&p);
    let progress = worker::Progress::detached();
    let s = p.data.sectors.first().ok_or("the project has no sector")?;
    let mut moved = covplan_core::project::ScenarioSector::of(s);
    moved.lat += 200.0 / 111_320.0;
    let spec = covplan_core::project::ScenarioSpec { removed: vec![s.cell.clone()], sectors: vec![moved], ..Default::default() };
    let before = document::analyse(&p, &profile, &progress)?;
    let mut times = Vec::new();
    for _ in 0..runs.max(1) {
        let t = Instant::now();
        let (np, _) = document::with_scenario(&p, &scene, &spec);
        let t_scenario = t.elapsed().as_secs_f64() * 1e3;
        let c = document::analyse_after_edit(&p, &before, &np, &profile, &progress)?;
        let total = t.elapsed().as_secs_f64() * 1e3;
        let (cov, verdicts) = c.analysis.timings;
        println!(
            "scenario applied in {t_scenario:.0} ms, coverage around the edit {cov:.0} ms, verdicts of {profile} {verdicts:.0} ms, gaps {:.0} ms: {total:.0} ms",
            c.ms - cov - verdicts
        );
        times.push(total);
    }
    times.sort_by(f64::total_cmp);
    println!("what-if edit to updated verdicts: best {:.0} ms, median {:.0} ms", times[0], times[times.len() / 2]);
    Ok(())
}

fn main() {
    let args = support::Args::parse();
    let sample = covplan_core::sample::sample_project_path();
    let which: Vec<&str> = if args.which.is_empty() { vec!["frame", "what-if"] } else { args.which.iter().map(String::as_str).collect() };
    for w in which {
        println!("== {w}");
        let result = match w {
            "frame" => time_frames(&sample, args.runs, true),
            "what-if" => time_what_if(&sample, args.runs),
            "frame-buildings" => {
                let path = std::env::temp_dir().join(format!("covplan-bench-{}", args.count)).join("project.toml");
                if path.is_file() {
                    time_frames(&path, args.runs, false)
                } else {
                    Err(format!(
                        "{} is missing: run `cargo bench -p covplan-core --bench whole -- load-buildings --count {}` first",
                        path.display(),
                        args.count
                    ))
                }
            }
            other => Err(format!("unknown benchmark '{other}' (frame, frame-buildings, what-if)")),
        };
        if let Err(e) = result {
            eprintln!("error: {e}");
            std::process::exit(1);
        }
    }
}
