//! What the benchmark runners share: their command line, timing summaries and peak memory.
#![allow(dead_code)]

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
pub fn print_best_median(times: &mut [f64]) {
    times.sort_by(f64::total_cmp);
    let stolen = match (START.get().copied().flatten(), cpu_counters()) {
        (Some((s0, t0)), Some((s1, t1))) if t1 > t0 => format!("; {:.0} % of CPU time stolen by the host", 100.0 * (s1 - s0) as f64 / (t1 - t0) as f64),
        _ => String::new(),
    };
    println!("best {:.0} ms, median {:.0} ms over {} runs{stolen}", times[0], times[times.len() / 2], times.len());
}

/// Prints the process's peak memory, where the system tells it.
pub fn print_peak_memory() {
    if let Some(m) = peak_rss_mib() {
        println!("peak memory {m:.0} MiB");
    }
}

/// A runner's command line: benchmark names, `--count N`, `--runs N` (cargo's own `--bench`
/// flag is ignored).
pub struct Args {
    /// The benchmarks to run, by name; empty: the runner's default list.
    pub which: Vec<String>,
    /// Features in a synthetic layer.
    pub count: usize,
    /// Repetitions of each benchmark.
    pub runs: usize,
}

impl Args {
    /// Reads the process's arguments.
    pub fn parse() -> Args {
        let mut a = Args { which: Vec::new(), count: 1_000_000, runs: 3 };
        let mut it = std::env::args().skip(1);
        while let Some(arg) = it.next() {
            match arg.as_str() {
                "--bench" => {}
                "--count" => a.count = it.next().and_then(|v| v.parse().ok()).expect("--count N"),
                "--runs" => a.runs = it.next().and_then(|v| v.parse().ok()).expect("--runs N"),
                _ => a.which.push(arg),
            }
        }
        a
    }
}
