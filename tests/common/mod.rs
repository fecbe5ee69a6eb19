//! Paths shared by the integration tests.
#![allow(dead_code)]

use std::path::PathBuf;

/// `tests/corpus/NAME`.
pub fn corpus(name: &str) -> PathBuf {
    PathBuf::from(env!("CARGO_MANIFEST_DIR")).join("tests/corpus").join(name)
}

/// The real public data beside the repository (`../shared/data/real`).
pub fn real(rel: &str) -> PathBuf {
    let p = PathBuf::from(env!("CARGO_MANIFEST_DIR")).join("../shared/data/real").join(rel);
    assert!(p.exists(), "real data missing at {} — the tests expect ../shared beside the repository", p.display());
    p
}

/// The sample county's folder.
pub fn sample(rel: &str) -> PathBuf {
    PathBuf::from(env!("CARGO_MANIFEST_DIR")).join("sample_maps/sihui").join(rel)
}

pub mod map;
