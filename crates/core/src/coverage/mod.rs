//! Coverage models: what each network can deliver at each building and village.

pub mod fiber;
pub mod radio;
pub mod summary;

pub use crate::settings::{CoverageSettings, FiberSettings, RadioSettings};
