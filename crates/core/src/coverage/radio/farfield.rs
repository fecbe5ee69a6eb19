//! Far interferers summed once per 100 m cell. A building hears a couple of hundred sectors;
//! all but a few lie more than 1.5 km away, where moving 70 m changes a link by a few decibels
//! at most. So the links of far sectors are evaluated once at the centre of the building's cell
//! (per village, which fixes the environment and the terrain profiles) and summed per channel;
//! at the building only near sectors, and the far ones that could be its best server somewhere
//! in the cell (their bound of change across the cell reaches the surest far one of their
//! operator and technology), are evaluated exactly. In a dense town hundreds of sectors lie
//! within 1.5 km: those from 400 m to 1.5 km are summed the same way per 50 m cell (a mid cell).
//! The best server and its RSRP are exact; interference from far and mid sectors is their
//! cells'. Buildings in no village share cells by environment instead (and sample the terrain
//! at the cell centres).

use super::engine::{Environment, Heard, LinksAt, RadioModel, Receiver, add_mw, dbm_to_mw};
use super::reach::ReachGrid;
use crate::model::Tech;

/// Sectors farther than this from the cell centre count as far (m).
pub const FAR_M: f64 = 1500.0;

/// Cell size for the far sums, at most (m).
const FAR_CELL_M: f64 = 100.0;

/// Sectors nearer than this to a mid cell's centre are evaluated at each building (m); so are
/// those whose distance from the cell's places straddles the environment's line-of-sight
/// boundary (a step of over 10 dB between LOS and NLOS).
pub const MID_M: f64 = 400.0;

/// Cell size for the mid sums, at most (m).
const MID_CELL_M: f64 = 50.0;

/// The steepest path loss of the engine's models per decade of distance (dB): 38.901 RMa NLOS
/// at the lowest antenna in its range (43.42 − 3.1·log10 10 m = 40.32); the others rise by 40
/// (past their breakpoints), 39.08 (UMa NLOS) or less.
const PATH_LOSS_DB_PER_DECADE: f64 = 40.32;

/// The steepest linear term of the models (dB per m): RMa LOS, 0.002·log10(5 m building height).
const PATH_LOSS_DB_PER_M: f64 = 0.002 * 0.698_970_004_336_018_8;

/// Where a building's far sums come from: its cell, village and environment.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub struct CellKey {
    i: u32,
    j: u32,
    /// Village index, or `u32::MAX` for buildings in none.
    village: u32,
    urban: bool,
}

impl CellKey {
    /// The village the cell's buildings belong to, if any.
    pub fn village(&self) -> Option<usize> {
        (self.village != u32::MAX).then_some(self.village as usize)
    }

    /// The cell's environment.
    pub fn environment(&self) -> Environment {
        if self.urban { Environment::Urban } else { Environment::Rural }
    }
}

/// The far links of one cell, at its centre.
#[derive(Debug, Clone)]
pub struct FarCell {
    /// Sectors evaluated exactly at each building (the near ones and the far candidates for
    /// best server), with the terrain loss cached for the cell's village from each (dB). (Every
    /// place of a cell has the cell centre's reach list: sub-cells never straddle a reach cell.)
    near: Vec<(u32, Option<f32>)>,
    /// Far received power per channel (mW per resource element), the exact ones excluded.
    channel_mw: Vec<(u32, f64)>,
}

/// The links of a mid cell at its centre: the far cell's near sectors between [`MID_M`] and
/// [`FAR_M`] summed, the rest kept for each building.
#[derive(Debug, Clone)]
pub struct MidCell {
    /// Sectors evaluated exactly at each building, with their cached terrain loss.
    near: Vec<(u32, Option<f32>)>,
    /// The far cell's sums plus the mid ones, per channel (mW per resource element).
    channel_mw: Vec<(u32, f64)>,
}

fn sub_cells(grid: &ReachGrid, size_m: f64) -> usize {
    (grid.cell_m() / size_m).ceil().max(1.0) as usize
}

/// The heard links (at a cell's centre) that could be the best server of their operator and
/// technology somewhere within `radius` of the centre: those whose upper bound there reaches the
/// highest lower bound of their group. The others' power is added to `channel_mw`.
fn split_candidates(m: &RadioModel, heard: &[Heard], radius: f64, receiver: &Receiver, channel_mw: &mut Vec<(u32, f64)>) -> Vec<usize> {
    let change: Vec<f64> = heard.iter().map(|h| m.change_bound_db(h.sector, h.d, radius, receiver)).collect();
    let mut surest: Vec<(u16, Tech, f64)> = Vec::new();
    for (h, e) in heard.iter().zip(&change) {
        let t = &m.txs[h.sector];
        match surest.iter_mut().find(|s| s.0 == t.operator && s.1 == t.tech) {
            Some(s) => s.2 = s.2.max(h.rsrp - e),
            None => surest.push((t.operator, t.tech, h.rsrp - e)),
        }
    }
    let mut candidates = Vec::new();
    for (k, (h, e)) in heard.iter().zip(&change).enumerate() {
        let t = &m.txs[h.sector];
        let floor = surest.iter().find(|s| s.0 == t.operator && s.1 == t.tech).map_or(f64::NEG_INFINITY, |s| s.2);
        if h.rsrp + e >= floor {
            candidates.push(k);
        } else {
            add_mw(channel_mw, t.channel, dbm_to_mw(h.rsrp));
        }
    }
    candidates
}

impl RadioModel<'_> {
    fn grid_for(&self, receiver: &Receiver) -> &ReachGrid {
        if receiver.only_nr { &self.reach_nr } else { &self.reach_all }
    }

    /// The far-sum cell of a building at local (x, y) in `village` (if any) and environment
    /// `env`, its centre and half diagonal.
    pub fn far_key(&self, x: f64, y: f64, village: Option<usize>, env: Environment, receiver: &Receiver) -> Option<(CellKey, (f64, f64), f64)> {
        self.cell_key(x, y, village, env, receiver, FAR_CELL_M)
    }

    /// The mid-sum cell of a building, as [`Self::far_key`].
    pub fn mid_key(&self, x: f64, y: f64, village: Option<usize>, env: Environment, receiver: &Receiver) -> Option<(CellKey, (f64, f64), f64)> {
        self.cell_key(x, y, village, env, receiver, MID_CELL_M)
    }

    fn cell_key(&self, x: f64, y: f64, village: Option<usize>, env: Environment, receiver: &Receiver, size_m: f64) -> Option<(CellKey, (f64, f64), f64)> {
        let grid = self.grid_for(receiver);
        let k = sub_cells(grid, size_m);
        let ((i, j), centre) = grid.sub_cell(x, y, k)?;
        let key = CellKey { i, j, village: village.map_or(u32::MAX, |v| v as u32), urban: env == Environment::Urban };
        Some((key, centre, grid.cell_m() / k as f64 * std::f64::consts::FRAC_1_SQRT_2))
    }

    /// The far cell (of the reach grid of all sectors) holding local (x, y), if any: the cell
    /// [`Self::may_reach_building`] answers for, whatever the village or receiver.
    pub(super) fn far_cell_of(&self, x: f64, y: f64) -> Option<(u32, u32)> {
        self.reach_all.sub_cell(x, y, sub_cells(&self.reach_all, FAR_CELL_M)).map(|c| c.0)
    }

    /// Whether sector `i` can take part in the links of a building at local (x, y): its reach
    /// cell lists (or would list) the sector and the building's far cell (the same for handsets and CPEs: the
    /// reach grids share their lattice) does not provably leave it out. A building where it
    /// cannot keeps its links whatever becomes of the sector.
    pub(super) fn may_reach_building(&self, i: u32, x: f64, y: f64) -> bool {
        let grid = &self.reach_all;
        if !grid.would_list(x, y, self.reach_disc(i as usize)) {
            return false;
        }
        let k = sub_cells(grid, FAR_CELL_M);
        let half_diagonal = grid.cell_m() / k as f64 * std::f64::consts::FRAC_1_SQRT_2;
        grid.sub_cell(x, y, k).is_none_or(|(_, (cx, cy))| !self.never_heard_within(i as usize, cx, cy, half_diagonal + 1.0))
    }

    /// [`Self::may_reach_building`] for a village point (evaluated at the point itself).
    pub(super) fn may_reach_point(&self, i: u32, x: f64, y: f64) -> bool {
        self.reach_all.would_list(x, y, self.reach_disc(i as usize)) && !self.never_heard_within(i as usize, x, y, 1.0)
    }

    /// Whether sector `i` may be counted in the far or mid sums of the cells of a building at
    /// local (x, y) — its power there taken at a cell's centre rather than at the building —
    /// rather than evaluated at the building (it is, whenever it is nearer than [`FAR_M`] to
    /// the far cell's centre and than [`MID_M`] to the mid cell's).
    pub(super) fn may_be_summed_at(&self, i: usize, x: f64, y: f64, village: Option<usize>, env: Environment, receiver: &Receiver) -> bool {
        let t = &self.txs[i];
        let beyond =
            |key: Option<(CellKey, (f64, f64), f64)>, limit: f64| key.is_none_or(|(_, (cx, cy), _)| (t.x - cx).powi(2) + (t.y - cy).powi(2) >= limit * limit);
        beyond(self.far_key(x, y, village, env, receiver), FAR_M) || beyond(self.mid_key(x, y, village, env, receiver), MID_M)
    }

    /// The far links of a cell, evaluated at its centre.
    pub fn far_cell(&self, centre: (f64, f64), half_diagonal: f64, key: &CellKey, receiver: &Receiver) -> FarCell {
        let (village, env) = (key.village(), key.environment());
        let (cx, cy) = centre;
        let mut near = Vec::new();
        let mut heard: Vec<Heard> = Vec::new();
        for &i in self.grid_for(receiver).at(cx, cy) {
            let t = &self.txs[i as usize];
            let d2 = (t.x - cx).powi(2) + (t.y - cy).powi(2);
            // Far, and not so far that the cell straddles the sector's reach (or the models' range).
            let edge = t.reach.min(super::engine::MAX_NLOS_M) - half_diagonal - 1.0;
            let far = d2 > FAR_M * FAR_M && d2 < edge * edge;
            match far.then(|| self.hear(i as usize, cx, cy, env, receiver, village)).flatten() {
                Some(h) => heard.push(h),
                // Not heard at the centre (out of reach or range, behind the antenna) may still
                // be heard at the cell's edge: tried at each building, unless provably heard at
                // none of them (a metre of slack: a building on the edge may round just outside).
                None if self.never_heard_within(i as usize, cx, cy, half_diagonal + 1.0) => {}
                None => near.push(i),
            }
        }
        let mut channel_mw = Vec::new();
        near.extend(split_candidates(self, &heard, half_diagonal + 1.0, receiver, &mut channel_mw).into_iter().map(|k| heard[k].sector as u32));
        let near = near.into_iter().map(|i| (i, self.cached_terrain(village, i as usize))).collect();
        FarCell { near, channel_mw }
    }

    /// The mid links of a cell of the far cell `far`, evaluated at its centre.
    pub fn mid_cell(&self, centre: (f64, f64), half_diagonal: f64, key: &CellKey, far: &FarCell, receiver: &Receiver) -> MidCell {
        let env = key.environment();
        let (cx, cy) = centre;
        let mut near = Vec::new();
        let mut heard: Vec<Heard> = Vec::new();
        let mut heard_terrain = Vec::new();
        let los_max = super::environment::los_max_m(env);
        for &(i, terrain) in &far.near {
            let t = &self.txs[i as usize];
            let d2 = (t.x - cx).powi(2) + (t.y - cy).powi(2);
            let edge = t.reach.min(super::engine::MAX_NLOS_M) - half_diagonal - 1.0;
            let mid = d2 >= MID_M * MID_M && d2 < edge * edge && (d2.sqrt() - los_max).abs() > half_diagonal + 1.0;
            match mid.then(|| self.hear_cached(i as usize, cx, cy, env, receiver, || terrain)).flatten() {
                Some(h) => {
                    heard.push(h);
                    heard_terrain.push(terrain);
                }
                None if self.never_heard_within(i as usize, cx, cy, half_diagonal + 1.0) => {}
                None => near.push((i, terrain)),
            }
        }
        let mut channel_mw = far.channel_mw.clone();
        near.extend(
            split_candidates(self, &heard, half_diagonal + 1.0, receiver, &mut channel_mw).into_iter().map(|k| (heard[k].sector as u32, heard_terrain[k])),
        );
        MidCell { near, channel_mw }
    }

    /// An upper bound of how much a link from sector `i`, `d` from a cell's centre, can change at
    /// a place within `radius` of the centre (dB): path loss at its steepest over the change in
    /// distance, the horizontal pattern at its steepest (just inside the floor) over the angle
    /// the disc subtends, the vertical one at its steepest over the change in depression. (Each
    /// change is bounded by its first-order term at the near side of the disc: ln(d/(d − r)) ≤
    /// r/(d − r), asin x ≤ x/√(1 − x²), atan a − atan b ≤ a − b.)
    fn change_bound_db(&self, i: usize, d: f64, radius: f64, receiver: &Receiver) -> f64 {
        let t = &self.txs[i];
        let near = d - radius;
        if near <= 0.0 {
            return f64::INFINITY;
        }
        // A calibration's slope adds to the models' (see `Correction::MAX_SLOPE`).
        let per_decade = PATH_LOSS_DB_PER_DECADE + self.s.calibration.as_ref().map_or(0.0, |c| c.max_slope());
        let path_loss = per_decade / std::f64::consts::LN_10 * radius / near + PATH_LOSS_DB_PER_M * radius;
        let steepest = 24.0 * (self.s.antenna_floor_db / 12.0).sqrt();
        let x = radius / d;
        if t.boresight.is_none() {
            // An omni sector has no pattern.
            return path_loss;
        }
        let horizontal = steepest / t.beamwidth * (x / (1.0 - x * x).sqrt()).to_degrees();
        let dh = (t.h - receiver.height_m).abs();
        let vertical = steepest / self.s.vertical_beamwidth_deg * (dh * radius / (d * near)).to_degrees();
        path_loss + horizontal + vertical
    }

    /// Best links at local (x, y): near sectors and candidates exactly, the rest from the sums of
    /// its mid cell (which hold its far cell's).
    pub fn links_with_mid(&self, x: f64, y: f64, env: Environment, receiver: &Receiver, cell: &MidCell) -> LinksAt {
        // One buffer per thread for the links heard: this runs at every building.
        thread_local!(static HEARD: std::cell::RefCell<Vec<Heard>> = const { std::cell::RefCell::new(Vec::new()) });
        HEARD.with_borrow_mut(|heard| {
            heard.clear();
            heard.extend(cell.near.iter().filter_map(|&(i, terrain)| self.hear_cached(i as usize, x, y, env, receiver, || terrain)));
            self.choose(heard, &cell.channel_mw)
        })
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    /// Every sector of the sample county, seen from cell centres across the county: the RSRP at
    /// points on and in the cell's disc (terrain aside: a cell's places share their village's
    /// profiles) never differs from the centre's by more than the bound.
    #[test]
    fn change_bound_holds_on_the_sample_county() {
        let p = crate::project::Project::load(&crate::sample::sample_project_path()).unwrap();
        let s = crate::settings::RadioSettings::default();
        let m = RadioModel::new(&p, &s);
        let (mut checked, mut tightest) = (0, f64::INFINITY);
        for receiver in [Receiver::handset(&s), Receiver::fwa_cpe(&s)] {
            for (k, &[cx, cy]) in p.index.building_xy.iter().enumerate().step_by(2003) {
                for env in [Environment::Urban, Environment::Rural] {
                    for (radius, d_min) in [(36.4, MID_M), (71.7, FAR_M)] {
                        for &i in m.reach_all.at(cx, cy) {
                            let i = i as usize;
                            let Some(centre) = m.hear_cached(i, cx, cy, env, &receiver, || Some(0.0)) else { continue };
                            let los_max = super::super::environment::los_max_m(env);
                            if centre.d < d_min || (centre.d - los_max).abs() <= radius || centre.d > m.txs[i].reach - radius {
                                continue;
                            }
                            let bound = m.change_bound_db(i, centre.d, radius, &receiver);
                            for step in 0..16 {
                                let a = step as f64 * std::f64::consts::TAU / 16.0 + k as f64;
                                let r = radius * if step % 2 == 0 { 1.0 } else { 0.5 };
                                let (x, y) = (cx + r * a.cos(), cy + r * a.sin());
                                let Some(there) = m.hear_cached(i, x, y, env, &receiver, || Some(0.0)) else { continue };
                                let change = (there.rsrp - centre.rsrp).abs();
                                assert!(change <= bound, "sector {i} from ({cx}, {cy}) {env:?}: {change} dB > bound {bound} dB");
                                tightest = tightest.min(bound - change);
                                checked += 1;
                            }
                        }
                    }
                }
            }
        }
        assert!(checked > 1_000_000, "{checked}");
        eprintln!("{checked} links; the bound came within {tightest:.3} dB of the change");
    }
}
