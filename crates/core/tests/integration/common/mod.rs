//! Paths of the test data, shared by the integration tests of every crate.
#![allow(dead_code)]

use std::path::PathBuf;

/// The repository's `testdata/` folder.
pub fn testdata(rel: &str) -> PathBuf {
    PathBuf::from(env!("CARGO_MANIFEST_DIR")).join("../../testdata").join(rel)
}

/// `testdata/corpus/NAME`: the bad-input corpus.
pub fn corpus(name: &str) -> PathBuf {
    testdata("corpus").join(name)
}

/// `testdata/real/REL`: the real public data (sources and licences in its README).
pub fn real(rel: &str) -> PathBuf {
    testdata("real").join(rel)
}

/// The sample county's folder.
pub fn sample(rel: &str) -> PathBuf {
    PathBuf::from(env!("CARGO_MANIFEST_DIR")).join("../../sample_maps/sihui").join(rel)
}

pub mod map;
