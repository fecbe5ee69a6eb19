//! Coverage models: what each network can deliver at each building and village.

pub mod radio;
