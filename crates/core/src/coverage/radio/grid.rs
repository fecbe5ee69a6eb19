//! The coverage grid: outdoor RSRP, SINR, best server and rate per operator and technology on
//! square cells over the project's area, for the map to draw. Cells are evaluated at their
//! centre with a handset, like a building outdoors; the terrain profiles are shared per 1 km
//! tile (as a village's buildings share their village point's), so a county takes seconds.

use super::engine::{RadioModel, Receiver};
use crate::model::Tech;
use crate::project::Project;
use crate::settings::RadioSettings;
use geo::BoundingRect;
use rayon::prelude::*;

/// Cells per grid at most; past it the cells grow.
const MAX_GRID_CELLS: f64 = 4_000_000.0;

/// Side of a terrain tile, whose centre's profiles its cells share (m). Its half diagonal
/// (707 m) stays under the 1 km a village's buildings may lie from their village point.
pub const TERRAIN_TILE_M: f64 = 1_000.0;

/// What the rate of a cell means.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum RateBasis {
    /// A household's busy-hour rate: the cell's peak rate shared by the active households of
    /// the serving sector (from radio results at every building).
    HouseholdBusyHour,
    /// The peak rate with the whole carrier (no household counts were given).
    Peak,
}

/// One operator and technology over the grid; `NaN` / `u32::MAX` where no sector reaches.
#[derive(Debug, Clone)]
pub struct GridLayer {
    /// Operator index into [`CoverageGrid::operators`].
    pub operator: u16,
    /// Technology.
    pub tech: Tech,
    /// Best server's RSRP outdoors (dBm).
    pub rsrp_dbm: Vec<f32>,
    /// SINR of the best server (dB).
    pub sinr_db: Vec<f32>,
    /// Best server (sector index).
    pub sector: Vec<u32>,
    /// Rate (Mb/s), see [`CoverageGrid::rate`].
    pub mbps: Vec<f32>,
}

/// The coverage grid of a project. Cell `k = j·nx + i` has its lower-left corner at
/// (x0 + i·cell, y0 + j·cell) in the project's local frame (rows run south to north).
#[derive(Debug, Clone)]
pub struct CoverageGrid {
    /// West edge (local m).
    pub x0: f64,
    /// South edge (local m).
    pub y0: f64,
    /// Cell side (m).
    pub cell_m: f64,
    /// Columns.
    pub nx: usize,
    /// Rows.
    pub ny: usize,
    /// Cells whose centre lies in the project's admin areas (every cell when it has none);
    /// the others are not computed.
    pub inside: Vec<bool>,
    /// Operator names.
    pub operators: Vec<String>,
    /// One layer per operator and technology present, sorted.
    pub layers: Vec<GridLayer>,
    /// What `mbps` means.
    pub rate: RateBasis,
}

impl CoverageGrid {
    /// The cell holding local (x, y).
    pub fn cell_at(&self, x: f64, y: f64) -> Option<usize> {
        let (fi, fj) = ((x - self.x0) / self.cell_m, (y - self.y0) / self.cell_m);
        (fi >= 0.0 && fj >= 0.0 && (fi as usize) < self.nx && (fj as usize) < self.ny).then(|| fj as usize * self.nx + fi as usize)
    }

    /// Centre of cell `k` (local m).
    pub fn centre(&self, k: usize) -> (f64, f64) {
        let (i, j) = (k % self.nx, k / self.nx);
        (self.x0 + (i as f64 + 0.5) * self.cell_m, self.y0 + (j as f64 + 0.5) * self.cell_m)
    }

    /// The layer of `operator` (name) and `tech`.
    pub fn layer(&self, operator: &str, tech: Tech) -> Option<&GridLayer> {
        let op = self.operators.iter().position(|o| o == operator)? as u16;
        self.layers.iter().find(|l| l.operator == op && l.tech == tech)
    }

    /// Share of the inside cells where `l` covers (RSRP and SINR at the settings' thresholds).
    pub fn covered_share(&self, l: &GridLayer, s: &RadioSettings) -> f64 {
        let threshold = if l.tech == Tech::Nr { s.nr_rsrp_dbm } else { s.lte_rsrp_dbm } as f32;
        let inside = self.inside.iter().filter(|&&b| b).count();
        let covered = (0..self.inside.len()).filter(|&k| self.inside[k] && l.rsrp_dbm[k] >= threshold && l.sinr_db[k] >= s.sinr_min_db as f32).count();
        covered as f64 / inside.max(1) as f64
    }
}

/// The grid as CSV (UTF-8 with BOM, for Excel): a row per cell and layer a sector reaches,
/// with the cell centre in lon/lat, and the serving sector by its cell name.
pub fn to_csv(g: &CoverageGrid, p: &Project) -> String {
    use std::fmt::Write;
    let mut out = String::from("\u{feff}lon,lat,operator,tech,rsrp_dbm,sinr_db,sector,mbps\n");
    for k in (0..g.nx * g.ny).filter(|&k| g.inside[k]) {
        let (x, y) = g.centre(k);
        let (lon, lat) = p.frame.inverse(x, y);
        for l in g.layers.iter().filter(|l| l.sector[k] != u32::MAX) {
            let cell = p.data.sectors.get(l.sector[k] as usize).map_or("", |s| s.cell.as_str());
            let quoted = if cell.contains([',', '"']) { format!("\"{}\"", cell.replace('"', "\"\"")) } else { cell.to_string() };
            let _ = writeln!(
                out,
                "{lon:.6},{lat:.6},{},{},{:.1},{:.1},{quoted},{:.1}",
                g.operators[l.operator as usize],
                l.tech.name(),
                l.rsrp_dbm[k],
                l.sinr_db[k],
                l.mbps[k]
            );
        }
    }
    out
}

/// The area the grid spans: the admin areas' box, else the buildings' and villages' (local m).
fn area_bounds(p: &Project) -> Option<(f64, f64, f64, f64)> {
    let grow = |b: (f64, f64, f64, f64), x: f64, y: f64| (b.0.min(x), b.1.min(y), b.2.max(x), b.3.max(y));
    let mut b = (f64::INFINITY, f64::INFINITY, f64::NEG_INFINITY, f64::NEG_INFINITY);
    for i in 0..p.data.admin_areas.len() {
        if let Some(r) = p.index.admin_areas.polygon(i).bounding_rect() {
            b = grow(grow(b, r.min().x, r.min().y), r.max().x, r.max().y);
        }
    }
    if !b.0.is_finite() {
        b = p.index.building_xy.iter().chain(&p.index.village_xy).fold(b, |b, &[x, y]| grow(b, x, y));
    }
    (b.0 <= b.2 && b.1 <= b.3).then_some(b)
}

/// Which cell centres lie inside any admin area: per row, the crossings of the row's centre
/// line with every ring (even-odd per area), instead of a point-in-polygon test per cell.
fn inside_mask(p: &Project, x0: f64, y0: f64, cell: f64, nx: usize, ny: usize) -> Vec<bool> {
    if p.data.admin_areas.is_empty() {
        return vec![true; nx * ny];
    }
    let areas: Vec<&geo::MultiPolygon<f64>> = (0..p.data.admin_areas.len()).map(|i| p.index.admin_areas.polygon(i)).collect();
    let rows: Vec<Vec<bool>> = (0..ny)
        .into_par_iter()
        .map(|j| {
            let y = y0 + (j as f64 + 0.5) * cell;
            let mut row = vec![false; nx];
            let mut xs = Vec::new();
            for mp in &areas {
                xs.clear();
                for ring in mp.iter().flat_map(|poly| std::iter::once(poly.exterior()).chain(poly.interiors())) {
                    for seg in ring.0.windows(2) {
                        let (a, b) = (seg[0], seg[1]);
                        // Half-open in y, so a vertex on the line counts once.
                        if (a.y <= y) != (b.y <= y) {
                            xs.push(a.x + (y - a.y) * (b.x - a.x) / (b.y - a.y));
                        }
                    }
                }
                xs.sort_by(f64::total_cmp);
                for pair in xs.chunks_exact(2) {
                    // Cells whose centre lies in [pair[0], pair[1]).
                    let ia = ((pair[0] - x0) / cell - 0.5).ceil().max(0.0) as usize;
                    let ib = (((pair[1] - x0) / cell - 0.5).ceil().max(0.0) as usize).min(nx);
                    row[ia.min(nx)..ib].iter_mut().for_each(|c| *c = true);
                }
            }
            row
        })
        .collect();
    rows.concat()
}

/// The coverage grid with rates per household at the busy hour: the households each sector
/// serves are `known` (from radio results at every building) or come from a radio
/// computation at every building made here.
pub fn compute_grid_for_households(p: &Project, s: &RadioSettings, known: Option<&[f64]>) -> CoverageGrid {
    match known {
        Some(h) => compute_grid(p, s, Some(h)),
        None => compute_grid(p, s, Some(&super::compute(p, s).households_per_sector)),
    }
}

/// Computes the coverage grid of `p` with cells of the settings' size. With
/// `households_per_sector` (from radio results at every building) the rate is a household's
/// busy-hour rate, else the peak rate.
pub fn compute_grid(p: &Project, s: &RadioSettings, households_per_sector: Option<&[f64]>) -> CoverageGrid {
    let m = RadioModel::new(p, s);
    let mut pairs: Vec<(u16, Tech)> = m.txs.iter().map(|t| (t.operator, t.tech)).collect();
    pairs.sort();
    pairs.dedup();
    let rate = if households_per_sector.is_some_and(|h| h.len() == p.data.sectors.len()) { RateBasis::HouseholdBusyHour } else { RateBasis::Peak };
    let operators = m.operators.clone();
    let empty =
        |x0, y0, cell_m, nx, ny| CoverageGrid { x0, y0, cell_m, nx, ny, inside: vec![false; nx * ny], operators: operators.clone(), layers: Vec::new(), rate };
    let Some((bx0, by0, bx1, by1)) = area_bounds(p) else { return empty(0.0, 0.0, s.grid_cell_m, 0, 0) };
    let cell = s.grid_cell_m.max(1.0).max(((bx1 - bx0) * (by1 - by0) / MAX_GRID_CELLS).sqrt());
    // On a lattice of the cell size from the frame's origin, like the reach grids.
    let (x0, y0) = ((bx0 / cell).floor() * cell, (by0 / cell).floor() * cell);
    let (nx, ny) = (((bx1 - x0) / cell).floor() as usize + 1, ((by1 - y0) / cell).floor() as usize + 1);
    let inside = inside_mask(p, x0, y0, cell, nx, ny);
    if pairs.is_empty() {
        return CoverageGrid { inside, ..empty(x0, y0, cell, nx, ny) };
    }
    // Terrain tiles on their own lattice; only those holding an inside cell get profiles.
    let (tx0, ty0) = ((x0 / TERRAIN_TILE_M).floor() * TERRAIN_TILE_M, (y0 / TERRAIN_TILE_M).floor() * TERRAIN_TILE_M);
    let tnx = ((x0 + nx as f64 * cell - tx0) / TERRAIN_TILE_M).floor() as usize + 1;
    let tny = ((y0 + ny as f64 * cell - ty0) / TERRAIN_TILE_M).floor() as usize + 1;
    let tile_of = |x: f64, y: f64| ((y - ty0) / TERRAIN_TILE_M) as usize * tnx + ((x - tx0) / TERRAIN_TILE_M) as usize;
    let centre = |k: usize| (x0 + ((k % nx) as f64 + 0.5) * cell, y0 + ((k / nx) as f64 + 0.5) * cell);
    let mut used = vec![false; tnx * tny];
    for k in (0..nx * ny).filter(|&k| inside[k]) {
        let (x, y) = centre(k);
        used[tile_of(x, y)] = true;
    }
    let tile_centres: Vec<(f64, f64)> =
        (0..tnx * tny).map(|t| (tx0 + ((t % tnx) as f64 + 0.5) * TERRAIN_TILE_M, ty0 + ((t / tnx) as f64 + 0.5) * TERRAIN_TILE_M)).collect();
    let spreads: Vec<Option<f64>> = used.iter().map(|&u| u.then_some(TERRAIN_TILE_M * std::f64::consts::FRAC_1_SQRT_2)).collect();
    let m = m.with_terrain_anchors(&tile_centres, &spreads);
    let handset = Receiver::handset(s);
    // Per row, the values of every layer (layer-major), then laid side by side.
    let rows: Vec<Vec<(f32, f32, u32, f32)>> = (0..ny)
        .into_par_iter()
        // A row through the town costs many times one across the fields: one row per piece,
        // or a thread can be left alone with the town.
        .with_max_len(1)
        .map(|j| {
            let none = (f32::NAN, f32::NAN, u32::MAX, f32::NAN);
            let mut row = vec![none; pairs.len() * nx];
            for i in 0..nx {
                let k = j * nx + i;
                if !inside[k] {
                    continue;
                }
                let (x, y) = centre(k);
                let env = m.environment(x, y, None);
                for l in m.links_at(x, y, env, &handset, Some(tile_of(x, y))) {
                    let e = m.evaluate(&l, 0.0);
                    let mbps = match households_per_sector.filter(|_| rate == RateBasis::HouseholdBusyHour) {
                        Some(h) => m.household_rate_mbps(&e, &l, h),
                        None => e.peak_mbps,
                    };
                    let li = pairs.binary_search(&(l.operator, l.tech)).expect("every link's operator and technology is listed");
                    row[li * nx + i] = (e.rsrp_dbm as f32, e.sinr_db as f32, l.sector as u32, mbps as f32);
                }
            }
            row
        })
        .collect();
    let layers = pairs
        .iter()
        .enumerate()
        .map(|(li, &(operator, tech))| {
            let cells = || rows.iter().flat_map(move |r| &r[li * nx..(li + 1) * nx]);
            GridLayer {
                operator,
                tech,
                rsrp_dbm: cells().map(|c| c.0).collect(),
                sinr_db: cells().map(|c| c.1).collect(),
                sector: cells().map(|c| c.2).collect(),
                mbps: cells().map(|c| c.3).collect(),
            }
        })
        .collect();
    CoverageGrid { x0, y0, cell_m: cell, nx, ny, inside, operators, layers, rate }
}
