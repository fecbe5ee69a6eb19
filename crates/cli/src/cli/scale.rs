//! The commands beyond one machine: shard, run (one shard), merge.

use super::Failure;
use covplan_core::shard::{self, Grouping};
use std::path::PathBuf;
use std::time::Instant;

/// Prints a step of a split or merge on standard error, with the seconds since `t`.
fn step_printer(t: Instant) -> impl Fn(&str) + Sync {
    move |s: &str| eprintln!("{:>8.1} s  {s}", t.elapsed().as_secs_f64())
}

/// `covplan shard PROJECT --by county|township [--halo-m R] --out DIR`.
pub fn shard(project: PathBuf, by: String, profile: Option<String>, halo_m: Option<f64>, out: PathBuf) -> Result<(), Failure> {
    let by = Grouping::parse(&by).ok_or_else(|| Failure::Usage(format!("--by {by}: use county or township")))?;
    if halo_m.is_some_and(|h| !(h.is_finite() && h >= 0.0)) {
        return Err(Failure::Usage("--halo-m: give a distance in metres".into()));
    }
    let t = Instant::now();
    let step = step_printer(t);
    // Building layers are read one at a time: a province need not fit in memory.
    let p = covplan_core::project::Project::load_without_buildings(&project)?;
    step("read the project without its buildings");
    let profile = covplan_core::targets::profile::resolve(&p, profile.as_deref())?;
    let m = shard::split(&p, shard::BuildingSource::Layers, profile, by, halo_m, &out, &step)?;
    println!(
        "{} shards in {} (radio reach R {:.0} m: sectors carried within {:.0} m, buildings within {:.0} m, fiber within {:.0} m)",
        m.areas.len(),
        out.display(),
        m.halo.radio_reach_m,
        m.halo.sectors_m,
        m.halo.buildings_m,
        m.halo.fiber_m
    );
    println!("{:<14} {:<12} {:>9} {:>10} {:>9} {:>10} {:>8}", "area", "name", "villages", "buildings", "carried", "sectors", "cables");
    for a in &m.areas {
        println!("{:<14} {:<12} {:>9} {:>10} {:>9} {:>10} {:>8}", a.code, a.name, a.owned[0], a.owned[1], a.carried[1], a.carried[2], a.carried[3]);
    }
    println!("done in {:.0} ms; run each with `covplan run --shard {}/<area> --out RESULT`", t.elapsed().as_secs_f64() * 1e3, out.display());
    Ok(())
}

/// `covplan run --shard DIR/<area> --out DIR2`, or `covplan run --shards DIR --index N --out DIR2`
/// (results in DIR2/<area>).
pub fn run_shard(dir: Option<PathBuf>, by_index: Option<(PathBuf, usize)>, out: PathBuf) -> Result<(), Failure> {
    let (dir, out) = match (dir, by_index) {
        (Some(d), None) => (d, out),
        (None, Some((shards, i))) => {
            let m = shard::read_manifest(&shards)?;
            let area = m
                .areas
                .get(i)
                .ok_or_else(|| Failure::Usage(format!("--index {i}: the manifest lists {} areas (0 to {})", m.areas.len(), m.areas.len().saturating_sub(1))))?;
            (shards.join(shard::folder_name(&area.code)), out.join(shard::folder_name(&area.code)))
        }
        _ => return Err(Failure::Usage("give --shard DIR/<area>, or --shards DIR with --index N".into())),
    };
    let r = shard::run_shard(&dir, &out)?;
    println!("{}: {} verdicts written to {} (load {:.0} ms, analysis {:.0} ms)", r.code, r.verdicts, out.display(), r.ms.0, r.ms.1);
    Ok(())
}

/// `covplan merge RESULT… --out DIR`.
pub fn merge(results: Vec<PathBuf>, out: PathBuf) -> Result<(), Failure> {
    let t = Instant::now();
    let files = shard::merge(&results, &out, &step_printer(t))?;
    println!("merged {} shard results: wrote {} files to {} in {:.0} ms", results.len(), files.len(), out.display(), t.elapsed().as_secs_f64() * 1e3);
    Ok(())
}

/// `covplan analyze PROJECT [--by county|township|whole] [--jobs N] [--out DIR]`: whole, or
/// shard by shard when asked, when PROJECT is a shards folder, or when a whole run would not
/// fit in the memory available (then by county, as many shards at once as there are cores).
pub fn analyze(project: PathBuf, by: Option<String>, profile: Option<String>, out: Option<PathBuf>, jobs: Option<usize>) -> Result<(), Failure> {
    if by.as_deref() == Some("whole") {
        return super::commands::analyze(project, profile, out);
    }
    if by.is_some() || project.join("manifest.json").is_file() {
        return analyze_by_shards(project, by, profile, out, jobs.unwrap_or(1));
    }
    let file = covplan_core::project::ProjectFile::load(&project)?;
    let whole = covplan_core::shard::fits::whole_run(&project, &file);
    let budget = covplan_core::shard::fits::memory_budget().map_err(Failure::Usage)?;
    let Some(available) = budget.filter(|&a| covplan_core::shard::fits::too_big(whole, a)) else {
        return super::commands::analyze(project, profile, out);
    };
    let gb = |b: u64| b as f64 / 1e9;
    let cores = std::thread::available_parallelism().map_or(1, std::num::NonZeroUsize::get);
    let jobs = jobs.unwrap_or(cores);
    eprintln!(
        "{} buildings: a whole run needs about {:.1} GB and {:.1} GB may be used, so the project is analysed by county, {jobs} shard(s) at a time \
         (the same files; --by whole runs it whole)",
        whole.buildings,
        gb(whole.peak_bytes),
        gb(available)
    );
    if out.is_none() {
        return Err(Failure::Usage("a project too big to analyse whole is analysed shard by shard, which writes files: give --out DIR".into()));
    }
    analyze_by_shards(project, Some("county".into()), profile, out, jobs)
}

/// `covplan analyze PROJECT --by county|township [--jobs N] --out DIR` (the shards go to
/// DIR/shards, their results to DIR/shard-results), or `covplan analyze SHARDS --out DIR` on a
/// folder `covplan shard` wrote.
fn analyze_by_shards(project: PathBuf, by: Option<String>, profile: Option<String>, out: Option<PathBuf>, jobs: usize) -> Result<(), Failure> {
    let out = out.ok_or_else(|| Failure::Usage("analysing shard by shard writes files: give --out DIR".into()))?;
    let t = Instant::now();
    let shards = if project.join("manifest.json").is_file() {
        if by.is_some() || profile.is_some() {
            return Err(Failure::Usage(format!("{} is already split: --by and --profile are the manifest's", project.display())));
        }
        project
    } else {
        let shards = out.join("shards");
        let _ = std::fs::remove_dir_all(&shards);
        shard(project, by.unwrap_or_else(|| "county".into()), profile, None, shards.clone())?;
        shards
    };
    let results = out.join("shard-results");
    let _ = std::fs::remove_dir_all(&results);
    let width = 30;
    let progress = |p: &shard::Progress| {
        let filled = width * p.done / p.total.max(1);
        eprintln!(
            "[{}{}] {:>3}/{} {} {} — {} buildings, {} verdicts, load {:.0} ms, analysis {:.0} ms",
            "#".repeat(filled),
            ".".repeat(width - filled),
            p.done,
            p.total,
            p.code,
            p.name,
            p.buildings,
            p.run.verdicts,
            p.run.ms.0,
            p.run.ms.1
        );
    };
    let files = shard::analyze_shards(&shards, &results, &out, jobs, &progress, &step_printer(t))?;
    println!("wrote {} files to {} in {:.1} s", files.len(), out.display(), t.elapsed().as_secs_f64());
    Ok(())
}
