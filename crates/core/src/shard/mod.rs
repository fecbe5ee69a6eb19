//! Shards: a project split into one folder per county or township, each analysed on its own
//! (on this machine or any cluster's workers) and merged into outputs byte-identical to an
//! analysis of the whole project. The contract, engine-independent (docs/SCALE.md):
//!
//! - Every building, village, point of interest and measurement is **owned** by exactly one
//!   area: the one containing its point (a building's centroid). A point on a shared border
//!   belongs to the area that contains it moved a hair north-east (a half-open rule); what lies
//!   in no area (the catch-all) is owned by the shard of the nearest area (by its box), counted
//!   apart, and counts in no area's figures, as in a whole run. Nothing is dropped.
//! - A shard also **carries** what its owned places' verdicts depend on: sectors within three
//!   radio reaches (a sector's load counts households up to one reach away from it, and which
//!   sector serves those depends on sectors one reach farther), buildings within two reaches
//!   (that load; a run computes only those a sector that may serve an owned place may reach),
//!   the fiber elements within the fiber rules' distances and each place's nearest cable and
//!   access point (the evidence names them), the villages the verdicts depend on, every admin
//!   area and point of interest (small; named areas refer to them), and the terrain under all
//!   that. A building row holds its centroid and placement, not its footprint (no model reads
//!   it once the building is placed).
//! - The radio reach is the models' (where even rural NLOS loss buries a sector's signal, at
//!   most 5 km); a `--halo-m` shorter than it is refused.
//! - A shard keeps the whole project's frame, operator list and input checksums ([`Partition`]),
//!   so its arithmetic is the whole run's, bit for bit.
//!
//! `split` writes the shards, `run` analyses one, `merge` puts the results together.

mod area_grid;
mod buildings;
pub mod fits;
mod local;
mod merge;
mod run;
mod split;
pub mod tables;
mod terrain;

pub use crate::project::Partition;
pub use buildings::BuildingSource;
pub use local::{Progress, analyze_shards};
pub use merge::merge;
pub use run::{ShardRun, load, run_shard};
pub use split::{Grouping, split};

use serde::{Deserialize, Serialize};
use std::path::Path;

/// Told each step of a split or merge as it ends ("read building layer 3 of 113 …"), for a
/// progress display: a province's split takes minutes.
pub type Steps<'a> = &'a (dyn Fn(&str) + Sync);

/// What `manifest.json` says a shard folder follows.
pub const FORMAT: &str = "covplan-shards/3";

/// `DIR/manifest.json`: the areas, the halo, the project and profile, and the whole project's
/// frame and checksums.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Manifest {
    /// [`FORMAT`].
    pub format: String,
    /// covplan's version that wrote it (a shard is run by the same version).
    pub covplan_version: String,
    /// The project file as given to `covplan shard`.
    pub project_path: String,
    /// The project file's text as parsed (settings, areas, scenario).
    pub project: String,
    /// The profile checked.
    pub profile: crate::targets::profile::Profile,
    /// Where the profile came from.
    pub profile_source: String,
    /// The whole project's local frame: central meridian and latitude of origin.
    pub frame: [f64; 2],
    /// County or township.
    pub by: Grouping,
    /// The distances used.
    pub halo: Halo,
    /// Operators and checksums of the whole project.
    pub partition: Partition,
    /// The whole terrain raster's grid, when the project has terrain.
    pub terrain: Option<TerrainGrid>,
    /// One entry per shard (area), by code.
    pub areas: Vec<AreaEntry>,
}

/// The distances a shard carries its context within (m).
#[derive(Debug, Clone, Copy, PartialEq, Serialize, Deserialize)]
pub struct Halo {
    /// R: the largest distance at which a sector can change a verdict (its reach).
    pub radio_reach_m: f64,
    /// The largest distance at which fiber can: connection, drop, copper loop.
    pub fiber_m: f64,
    /// Sectors are carried within this of the owned places (3 R plus the far sums' cell).
    pub sectors_m: f64,
    /// Buildings are carried within this of the owned places (2 R plus the far sums' cell).
    pub buildings_m: f64,
}

/// The whole terrain raster's grid (a shard's window keeps it, see [`crate::model::Raster::first_cell`]).
#[derive(Debug, Clone, Copy, PartialEq, Serialize, Deserialize)]
pub struct TerrainGrid {
    /// Left edge.
    pub origin_x: f64,
    /// Top edge.
    pub origin_y: f64,
    /// Cell width.
    pub cell_w: f64,
    /// Cell height.
    pub cell_h: f64,
    /// EPSG code of the raster's CRS.
    pub epsg: Option<u32>,
}

/// One shard.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct AreaEntry {
    /// The area's code.
    pub code: String,
    /// Its name.
    pub name: String,
    /// Owned villages, buildings, points of interest, measurements.
    pub owned: [usize; 4],
    /// Of those, how many lie in no area (the catch-all's, run by this shard as the nearest).
    pub outside: usize,
    /// Carried (owned or not): villages, buildings, sectors, cables, access points.
    pub carried: [usize; 5],
    /// The terrain window's first (column, row) in the whole raster, when it has one.
    pub terrain_window: Option<(usize, usize)>,
}

/// A shard's folder name: its code, with characters a file system may refuse replaced.
pub fn folder_name(code: &str) -> String {
    code.chars().map(|c| if c.is_alphanumeric() || c == '_' || c == '-' || c == '.' { c } else { '_' }).collect()
}

/// Reads `manifest.json` in `dir` (the folder `covplan shard` wrote).
pub fn read_manifest(dir: &Path) -> crate::error::Result<Manifest> {
    let path = dir.join("manifest.json");
    let text = std::fs::read_to_string(&path).map_err(|e| crate::error::InputError::io(&path, &e))?;
    let m: Manifest = serde_json::from_str(&text).map_err(|e| {
        crate::error::InputError::in_file(&path, format!("not a shard manifest: {e}")).with_hint("run `covplan shard PROJECT --out DIR` to write one")
    })?;
    if m.format != FORMAT || m.covplan_version != env!("CARGO_PKG_VERSION") {
        return Err(crate::error::InputError::in_file(
            &path,
            format!("written as {} by covplan {}; this is covplan {} reading {FORMAT}", m.format, m.covplan_version, env!("CARGO_PKG_VERSION")),
        )
        .with_hint("shard the project again with this covplan"));
    }
    Ok(m)
}
