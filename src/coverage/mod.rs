//! Coverage models: what each network can deliver at each building and village.

pub mod fiber;
pub mod radio;
pub mod settings;
pub mod summary;

pub use settings::{CoverageSettings, FiberSettings, RadioSettings};
