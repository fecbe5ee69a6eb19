//! covplan's headless core: broadband coverage planning against Chinese policy targets.
//!
//! Everything but the window lives here, so that the desktop app (`covplan-app`), the
//! command line (`covplan`) and any other program (a batch job, a distributed engine) run the
//! same analysis. Nothing here depends on a GUI crate.
//!
//! The modules form layers; each uses only the layers below it (checked by the
//! `architecture` integration test), never one beside or above:
//!
//! | layer | modules | what for |
//! |---|---|---|
//! | output | [`report`] | tables (CSV, GeoJSON, shapefile, KML), the run record, printed gap maps (SVG → PDF/PNG) |
//! | drawing | [`render`] | the map scene that both the screen and the printed map draw: views, styles, geometry, legend |
//! | planning | [`plan`] | the cheapest fixes for the gaps: fiber extension as a Steiner tree |
//! | analysis | [`analysis`] | one profile checked on one project: verdicts, per-area shares, gaps |
//! | targets | [`targets`] | policy profiles (data) and the verdict of one place on one target, with evidence |
//! | models | [`coverage`], [`workbench`] | fiber reach and PON capability; radio path loss, SINR, rates; the path-loss workbench |
//! | project | [`project`], [`sample`] | the project file, its layers read into the planning model, joins and indexes; the sample county |
//! | readers | [`io`], [`inspect`] | shapefile, GeoJSON, GeoPackage, KML, CSV/XLSX site tables, terrain; summaries of what was read |
//! | space | [`spatial`] | the local metric frame, R-trees and grids |
//! | base | [`model`], [`crs`], [`settings`], [`error`], [`fsutil`] | planning objects, coordinate systems, model settings, input errors, atomic saves |
//!
//! The flow of one analysis: [`project::Project::load`] reads and indexes the layers,
//! [`analysis::run`] computes the coverage its targets need and judges every place, and
//! [`report::tables::write_all`] or [`report::gapmap`] write the results. docs/ARCHITECTURE.md in
//! the repository tells where to add a target kind, a reader or a model.

#![warn(missing_docs)]

pub mod analysis;
pub mod coverage;
pub mod crs;
pub mod error;
pub mod fsutil;
pub mod inspect;
pub mod io;
pub mod measure;
pub mod model;
pub mod plan;
pub mod project;
pub mod render;
pub mod report;
pub mod sample;
pub mod settings;
pub mod shard;
pub mod spatial;
pub mod targets;
pub mod workbench;
