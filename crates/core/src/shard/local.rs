//! Every shard of a manifest run on this machine, `jobs` at a time, then merged: the outputs of
//! `covplan analyze`, with memory bounded by the largest shards running at once.

use super::ShardRun;
use crate::error::{InputError, Result};
use std::path::{Path, PathBuf};
use std::sync::Mutex;
use std::sync::atomic::{AtomicUsize, Ordering};

/// One shard finished (for a progress display).
#[derive(Debug, Clone)]
pub struct Progress {
    /// Shards finished so far, this one included.
    pub done: usize,
    /// Shards in all.
    pub total: usize,
    /// The area's code and name.
    pub code: String,
    /// Its name.
    pub name: String,
    /// Its owned buildings.
    pub buildings: usize,
    /// What the run found.
    pub run: ShardRun,
}

/// Runs every shard in `shards` into `results/<code>` (`jobs` shards at once, the largest
/// first, the cores shared among them), calling `progress` after each, then merges the
/// results into `out` (telling `step` the merge's steps). Returns the merged files.
pub fn analyze_shards(
    shards: &Path,
    results: &Path,
    out: &Path,
    jobs: usize,
    progress: &(dyn Fn(&Progress) + Sync),
    step: super::Steps,
) -> Result<Vec<PathBuf>> {
    let manifest = super::read_manifest(shards)?;
    let mut order: Vec<usize> = (0..manifest.areas.len()).collect();
    order.sort_by_key(|&k| std::cmp::Reverse(manifest.areas[k].carried[1]));
    let jobs = jobs.clamp(1, order.len().max(1));
    let threads = (std::thread::available_parallelism().map_or(1, |n| n.get()) / jobs).max(1);
    let next = AtomicUsize::new(0);
    let done = AtomicUsize::new(0);
    let failure: Mutex<Option<InputError>> = Mutex::new(None);
    std::thread::scope(|scope| {
        for _ in 0..jobs {
            scope.spawn(|| {
                let pool = match rayon::ThreadPoolBuilder::new().num_threads(threads).build() {
                    Ok(p) => p,
                    Err(e) => {
                        *failure.lock().expect("not poisoned") = Some(InputError::in_file(shards, format!("cannot start worker threads: {e}")));
                        return;
                    }
                };
                loop {
                    let i = next.fetch_add(1, Ordering::SeqCst);
                    if i >= order.len() || failure.lock().expect("not poisoned").is_some() {
                        return;
                    }
                    let area = &manifest.areas[order[i]];
                    let folder = super::folder_name(&area.code);
                    match pool.install(|| super::run_shard(&shards.join(&folder), &results.join(&folder))) {
                        Ok(run) => {
                            let done = done.fetch_add(1, Ordering::SeqCst) + 1;
                            progress(&Progress { done, total: order.len(), code: area.code.clone(), name: area.name.clone(), buildings: area.owned[1], run });
                        }
                        Err(e) => {
                            *failure.lock().expect("not poisoned") = Some(e);
                            return;
                        }
                    }
                }
            });
        }
    });
    if let Some(e) = failure.into_inner().expect("not poisoned") {
        return Err(e);
    }
    let dirs: Vec<PathBuf> = manifest.areas.iter().map(|a| results.join(super::folder_name(&a.code))).collect();
    super::merge(&dirs, out, step)
}
