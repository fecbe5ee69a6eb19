//! Radio propagation and the mobile link: path loss, antennas, link budget, SINR, throughput.

pub mod antenna;
pub mod budget;
pub mod compute;
mod delta;
pub mod edit;
pub mod engine;
pub mod environment;
pub mod farfield;
pub mod fastloss;
pub mod grid;
mod halo;
pub mod incremental;
pub mod link;
pub mod pathloss;
pub mod reach;
pub mod terrain;
pub mod throughput;

pub use compute::{Needs, ReadPlaces, compute, compute_for};
pub use incremental::recompute_after_edit;
