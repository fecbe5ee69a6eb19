//! The long soak of incremental analysis: `cargo bench -p covplan-core --bench soak --
//! [--edits N] [--check-every K] [--profile ID] [--seed S]` (defaults: 1 000 edits, a full check
//! after every edit, zhaoqing-2020, seed 0x5eed). Random what-if edits of the sample county —
//! sectors and access points moved, added, deleted; power, tilt and azimuth changed; undo and
//! redo — each analysed incrementally as the app does and compared with a full analysis. Exits
//! with 1 on any divergence. `cargo test` runs a short version.

#[global_allocator]
static ALLOCATOR: mimalloc::MiMalloc = mimalloc::MiMalloc;

#[path = "../tests/integration/soak_driver.rs"]
mod soak_driver;

use covplan_core::project::Project;
use soak_driver::{KINDS, soak};

fn main() {
    let mut args = std::env::args().skip(1).filter(|a| a != "--bench");
    let (mut edits, mut every, mut profile, mut seed) = (1_000usize, 1usize, "zhaoqing-2020".to_string(), 0x5eedu64);
    while let Some(a) = args.next() {
        let mut value = || args.next().unwrap_or_else(|| fail(&format!("{a} needs a value")));
        match a.as_str() {
            "--edits" => edits = value().parse().unwrap_or_else(|_| fail("--edits takes a number")),
            "--check-every" => every = value().parse().unwrap_or_else(|_| fail("--check-every takes a number")),
            "--profile" => profile = value(),
            "--seed" => seed = value().parse().unwrap_or_else(|_| fail("--seed takes a number")),
            other => fail(&format!("unknown argument '{other}'")),
        }
    }
    let p = Project::load(&covplan_core::sample::sample_project_path()).unwrap_or_else(|e| fail(&e.to_string()));
    let t0 = std::time::Instant::now();
    let report = soak(&p, &profile, edits, every.max(1), seed);
    println!(
        "{profile}: {} edits, {} full checks, {} verdicts compared, {} divergences in {:.0} s",
        report.edits,
        report.checks,
        report.verdicts_compared,
        report.divergences.len(),
        t0.elapsed().as_secs_f64()
    );
    let kinds: Vec<String> = KINDS.iter().zip(report.per_kind).map(|(k, n)| format!("{k} {n}")).collect();
    println!("  edits: {}", kinds.join(", "));
    for d in &report.divergences {
        println!("  divergence {d}");
    }
    if !report.divergences.is_empty() {
        std::process::exit(1);
    }
}

fn fail(msg: &str) -> ! {
    eprintln!("error: {msg}");
    std::process::exit(2)
}
