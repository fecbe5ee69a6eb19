//! The commands that read a project or a file and print what they find: sample, inspect,
//! coverage, analyze, pathloss, layers.

use super::{Failure, read_options};
use covplan_core::error::InputError;
use covplan_core::inspect;
use covplan_core::plan::{PlanRequest, Techs};
use std::path::PathBuf;

/// `covplan sample`: the sample county and its zhaoqing-2020 verdicts.
pub fn sample() -> Result<(), Failure> {
    let t = std::time::Instant::now();
    let path = covplan_core::sample::sample_project_path();
    let p = covplan_core::project::Project::load(&path)?;
    println!("{}", covplan_core::sample::describe(&p));
    let (profile, source) = covplan_core::targets::profile::resolve(&p, None)?;
    let a = covplan_core::analysis::run_for_gaps(&p, profile, source)?;
    print!("{}", a.table());
    println!("done in {:.0} ms; `covplan analyze {} --out DIR` writes the gap tables", t.elapsed().as_secs_f64() * 1e3, path.display());
    Ok(())
}

pub fn inspect(file: PathBuf, encoding: Option<String>, crs: Option<String>, offset: Option<String>, json: bool) -> Result<(), Failure> {
    let opts = read_options(encoding.as_deref(), crs.as_deref(), offset.as_deref())?;
    let summary = if covplan_core::io::terrain::is_terrain(&file) {
        covplan_core::io::terrain::summarize_file(&file, opts.crs.as_ref())?.to_string()
    } else {
        let s = inspect::inspect_file(&file, &opts)?;
        if json { serde_json::to_string_pretty(&s).expect("summary serialises") } else { s.to_string() }
    };
    println!("{summary}");
    Ok(())
}

pub fn coverage(project: PathBuf, json: bool, grid: Option<PathBuf>) -> Result<(), Failure> {
    let t = std::time::Instant::now();
    let p = covplan_core::project::Project::load(&project)?;
    let loaded = t.elapsed();
    let settings = p.file.coverage.clone();
    let t = std::time::Instant::now();
    let (fiber, radio) =
        rayon::join(|| covplan_core::coverage::fiber::compute(&p, &settings.fiber), || covplan_core::coverage::radio::compute(&p, &settings.radio));
    let computed = t.elapsed();
    let summary = covplan_core::coverage::summary::summarize(&p, &fiber, &radio, &settings);
    if json {
        println!("{}", serde_json::to_string_pretty(&summary).expect("summary serialises"));
    } else {
        println!("{summary}");
        println!("loaded in {:.0} ms, coverage computed in {:.0} ms", loaded.as_secs_f64() * 1000.0, computed.as_secs_f64() * 1000.0);
    }
    if let Some(out) = grid {
        let t = std::time::Instant::now();
        let g = covplan_core::coverage::radio::grid::compute_grid(&p, &settings.radio, Some(&radio.households_per_sector));
        let ms = t.elapsed().as_secs_f64() * 1000.0;
        covplan_core::fsutil::atomic_write(&out, covplan_core::coverage::radio::grid::to_csv(&g, &p).as_bytes())
            .map_err(|e| Failure::Input(InputError::io(&out, &e)))?;
        if !json {
            println!(
                "grid     {} × {} cells of {:.0} m ({} in the area) computed in {ms:.0} ms, written to {}",
                g.nx,
                g.ny,
                g.cell_m,
                g.inside.iter().filter(|&&b| b).count(),
                out.display()
            );
            for l in &g.layers {
                println!(
                    "         {:<8} {:<4} area covered {:5.1} %",
                    g.operators[l.operator as usize],
                    l.tech.name(),
                    100.0 * g.covered_share(l, &settings.radio)
                );
            }
        }
    }
    Ok(())
}

pub fn analyze(project: PathBuf, profile: Option<String>, out: Option<PathBuf>) -> Result<(), Failure> {
    let t = std::time::Instant::now();
    let p = covplan_core::project::Project::load(&project)?;
    let (profile, source) = covplan_core::targets::profile::resolve(&p, profile.as_deref())?;
    let a = covplan_core::analysis::run_for_gaps(&p, profile, source)?;
    print!("{}", a.table());
    if let Some(dir) = out {
        let files = covplan_core::report::tables::write_all(&p, &a, &dir)?;
        println!("wrote {} files to {}", files.len(), dir.display());
    }
    println!("done in {:.0} ms (coverage {:.0} ms, verdicts {:.0} ms)", t.elapsed().as_secs_f64() * 1e3, a.timings.0, a.timings.1);
    // The process ends here: the system takes the memory back at once, where freeing
    // millions of places one by one took a tenth of a second (1M villages).
    std::mem::forget(a);
    std::mem::forget(p);
    Ok(())
}

pub fn pathloss(csv: PathBuf, out: Option<PathBuf>) -> Result<(), Failure> {
    let text = covplan_core::workbench::run(&csv)?;
    match out {
        Some(o) => covplan_core::fsutil::atomic_write(&o, text.as_bytes()).map_err(|e| Failure::Input(InputError::io(&o, &e)))?,
        None => print!("{text}"),
    }
    Ok(())
}

pub fn layers(project: PathBuf, json: bool) -> Result<(), Failure> {
    let p = covplan_core::project::Project::load(&project)?;
    let summaries = p.layer_summaries();
    if json {
        println!("{}", serde_json::to_string_pretty(&summaries).expect("summaries serialise"));
    } else if summaries.is_empty() {
        println!("{}: the project has no layers", project.display());
    } else {
        for s in &summaries {
            println!("{s}");
        }
    }
    Ok(())
}

/// `covplan plan PROJECT`: the cheapest fixes for a profile's gaps, proven by a second analysis.
pub fn plan(project: PathBuf, profile: Option<String>, budget: Option<f64>, tech: Vec<String>, costs: Option<PathBuf>, out: PathBuf) -> Result<(), Failure> {
    let techs = if tech.is_empty() { Techs::ALL } else { Techs::parse(&tech.join(",")).map_err(Failure::Usage)? };
    if budget.is_some_and(|b| !(b.is_finite() && b >= 0.0)) {
        return Err(Failure::Usage("--budget: give an amount of zero or more yuan".into()));
    }
    let t = std::time::Instant::now();
    let p = covplan_core::project::Project::load(&project)?;
    let costs = match costs {
        Some(f) => covplan_core::plan::costs::Costs::load(&f)?,
        None => covplan_core::plan::costs::Costs::china(),
    };
    let (profile, source) = covplan_core::targets::profile::resolve(&p, profile.as_deref())?;
    let plan = covplan_core::plan::run(&p, profile, source, &PlanRequest { costs: &costs, budget, techs })?;
    let files = covplan_core::report::plan_files::write_all(&p, &plan, &costs, budget, &out)?;
    let mut kinds: std::collections::BTreeMap<&str, (usize, f64)> = Default::default();
    for w in &plan.works {
        let e = kinds.entry(w.kind.label()).or_default();
        e.0 += 1;
        e.1 += w.cost;
    }
    for (kind, (n, cost)) in kinds {
        println!("{kind}: {n} works, {cost:.0} {}", costs.meta.currency);
    }
    println!(
        "total {:.0} {}; {} villages no road leads to; {} works left out by the budget; {} failing places no work addresses",
        plan.cost(),
        costs.meta.currency,
        plan.unreachable.len(),
        plan.over_budget.len(),
        plan.unaddressed.len()
    );
    let (before, after) = plan.gaps;
    println!(
        "gaps not met before: {} ({:.0} households); after: {} ({:.0} households)",
        before.settlements, before.households, after.settlements, after.households
    );
    if !plan.not_closed.is_empty() {
        println!("warning: {} planned villages still fail a target the plan claims to close (listed in plan.json)", plan.not_closed.len());
    }
    println!("wrote {} files to {} in {:.0} ms", files.len(), out.display(), t.elapsed().as_secs_f64() * 1e3);
    Ok(())
}

/// `covplan compare`: measurements against predictions, before and after calibration.
pub fn compare(project: PathBuf, profile: Option<String>, out: PathBuf, folds: Option<usize>, apply: bool) -> Result<(), Failure> {
    if folds.is_some_and(|f| f < 2) {
        return Err(Failure::Usage("--folds: give 2 or more".into()));
    }
    let t = std::time::Instant::now();
    let p = covplan_core::project::Project::load(&project)?;
    let settings = covplan_core::measure::calibrate::CalibrationSettings {
        folds: folds.unwrap_or(p.file.measurements.calibration.folds),
        ..p.file.measurements.calibration
    };
    let c = covplan_core::measure::report::run(&p, &settings)?;
    print!("{}", c.table());
    let mut files = c.write(&p, &out)?;
    // Verdicts the measurements contradict, under the model as it stands (before --apply).
    let (profile, source) = covplan_core::targets::profile::resolve(&p, profile.as_deref())?;
    let a = covplan_core::analysis::run_for_gaps(&p, profile, source)?;
    let challenges = covplan_core::measure::challenge::challenges(&p, &a, &p.file.measurements.challenge);
    println!("{} verdicts challenged by the measurements ({}):", challenges.len(), a.profile_source);
    for ch in challenges.iter().take(10) {
        println!("  {} {} ({:.0} households): {} — {}", ch.target, ch.name, ch.households, ch.kind.label(), ch.evidence);
    }
    let path = out.join("challenges.csv");
    covplan_core::fsutil::atomic_write(&path, covplan_core::report::tables::challenges_csv(&challenges).as_bytes()).map_err(|e| InputError::io(&path, &e))?;
    files.push(path);
    if apply {
        match &c.calibration {
            Some(cal) => {
                let mut file = p.file.clone();
                file.coverage.radio.calibration = Some(cal.clone());
                file.save(&project).map_err(|e| InputError::io(&project, &e))?;
                println!("the calibration is now in {} ([coverage.radio.calibration]): every analysis of it uses the calibrated model", project.display());
            }
            None => println!("nothing calibrated: {} left as it was", project.display()),
        }
    }
    println!("wrote {} files to {} in {:.0} ms", files.len(), out.display(), t.elapsed().as_secs_f64() * 1e3);
    Ok(())
}
