//! The core library's integration tests, gathered in one test binary (one link of the
//! library instead of one per file). Each module is one area; `common` has the test data paths
//! and small hand-built maps.

mod analyze_sample;
mod architecture;
mod bad_input;
mod common;
mod coverage_fiber;
mod coverage_grid;
mod coverage_radio;
mod crash;
mod fuzz_replay;
mod hostile;
mod joins;
mod measure;
mod mutations;
mod plan;
mod real_data;
mod report;
mod sample_county;
mod shards;
mod soak;
pub mod soak_driver;
mod targets;
mod what_if;
