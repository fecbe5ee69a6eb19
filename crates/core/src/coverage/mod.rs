//! Coverage models: what each network can deliver at each building and village.

pub mod fiber;
pub mod radio;
pub mod summary;

pub use crate::settings::{CoverageSettings, FiberSettings, RadioSettings};

/// The places whose results are read (a shard's own places, and the buildings of its own
/// villages): the models may leave the others out (see [`radio::Needs::read`] and
/// [`fiber::compute_for`]). One flag per building and per village.
#[derive(Debug, Clone, PartialEq)]
pub struct ReadPlaces {
    /// Buildings whose results are read.
    pub buildings: Vec<bool>,
    /// Villages whose results are read.
    pub villages: Vec<bool>,
}
