//! Replays the fuzzers' corpora (`fuzz/seeds/<target>`: the inputs libFuzzer kept for new
//! coverage in a million runs per target, and the real files it started from) through the
//! targets' own functions (`fuzz/fuzz_targets/readers.rs`): none may panic. Fast (a few
//! thousand small inputs); the fuzzing itself is `cargo fuzz run` (docs/RELIABILITY.md).

use std::path::{Path, PathBuf};

#[path = "../../../../fuzz/fuzz_targets/readers.rs"]
mod readers;

fn seeds(target: &str) -> Vec<PathBuf> {
    let dir = Path::new(env!("CARGO_MANIFEST_DIR")).join("../../fuzz/seeds").join(target);
    let mut files: Vec<PathBuf> = std::fs::read_dir(&dir).unwrap_or_else(|e| panic!("{}: {e}", dir.display())).map(|e| e.unwrap().path()).collect();
    files.retain(|f| f.extension().is_none_or(|e| e != "md"));
    files.sort();
    assert!(!files.is_empty(), "{} is empty", dir.display());
    files
}

/// Runs `read` on every seed of `target`; a panic names the seed.
fn replay(target: &str, read: impl Fn(&[u8]) + std::panic::RefUnwindSafe) -> usize {
    let files = seeds(target);
    for f in &files {
        let data = std::fs::read(f).unwrap();
        if std::panic::catch_unwind(|| read(&data)).is_err() {
            panic!("{} panicked on {}", target, f.display());
        }
    }
    files.len()
}

#[test]
fn every_fuzz_seed_is_read_without_a_panic() {
    let n = replay("shapefile", readers::shapefile) + replay("geojson", readers::geojson) + replay("csv", readers::csv) + replay("kml", readers::kml);
    assert!(n > 1000, "{n} seeds");
}
