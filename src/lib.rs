//! covplan: broadband coverage planning against Chinese policy targets.
//!
//! Layers, top to bottom (arrows point down only; the core never imports a GUI):
//! `cli` → `coverage` → `project` → `spatial` → `io` → `crs` → `model`, with `settings`
//! (plain data) at the bottom beside `model`. See ../shared/docs/DESIGN.md.

#![warn(missing_docs)]

pub mod analysis;
pub mod app;
pub mod bench;
pub mod cli;
pub mod coverage;
pub mod crs;
pub mod error;
pub mod fsutil;
pub mod inspect;
pub mod io;
pub mod model;
pub mod project;
pub mod render;
pub mod report;
pub mod sample;
pub mod settings;
pub mod spatial;
pub mod targets;
pub mod workbench;
