//! Far interferers summed once per 100 m cell. A building hears a couple of hundred sectors;
//! all but a few lie more than 1.5 km away, where moving 70 m changes a link by under a decibel.
//! So the links of far sectors are evaluated once at the centre of the building's cell (per
//! village, which fixes the environment and the terrain profiles) and summed per channel; at the
//! building only near sectors, and the far ones that could be its best server (within a margin
//! of the strongest far one of each operator and technology), are evaluated exactly. In a dense
//! town hundreds of sectors lie within 1.5 km: those from 800 m to 1.5 km are summed the same
//! way per 50 m cell (a mid cell), which keeps the error of each such link under 3 dB. The best
//! server and its RSRP are exact; interference from far and mid sectors is their cells'.
//! Buildings in no village share cells by environment instead (and sample the terrain at the
//! cell centres).

use super::engine::{Environment, Heard, LinksAt, RadioModel, Receiver, add_mw, dbm_to_mw};
use super::reach::ReachGrid;
use crate::model::Tech;

/// Sectors farther than this from the cell centre count as far (m).
pub const FAR_M: f64 = 1500.0;

/// Cell size for the far sums, at most (m).
const FAR_CELL_M: f64 = 100.0;

/// A far sector within this margin of the strongest far one of its operator and technology is
/// evaluated exactly (dB): twice the worst error of a far link moved across a cell.
const CANDIDATE_MARGIN_DB: f64 = 3.0;

/// Sectors nearer than this to a mid cell's centre are evaluated at each building (m): past the
/// farthest line-of-sight link (RMa, 10 + 1000·ln 2 = 703 m) by more than a cell, so no mid
/// link switches between LOS and NLOS (a step of over 10 dB) across its cell.
pub const MID_M: f64 = 800.0;

/// Cell size for the mid sums, at most (m).
const MID_CELL_M: f64 = 50.0;

/// A mid sector within this margin of the strongest mid one of its operator and technology is
/// evaluated exactly (dB): twice the worst error of a link 800 m away moved across a 50 m cell
/// (path loss 0.8 dB, horizontal pattern 1.2 dB, vertical pattern 0.3 dB), rounded up.
const MID_CANDIDATE_MARGIN_DB: f64 = 6.0;

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
    /// Sectors evaluated exactly at each building: the near ones and the far candidates for
    /// best server. (Every place of a cell has the cell centre's reach list: sub-cells never
    /// straddle a reach cell.)
    near: Vec<u32>,
    /// The terrain loss cached for the cell's village from each of `near` (dB).
    near_terrain: Vec<Option<f32>>,
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

/// The strongest heard link per operator and technology, and the heard links within `margin_db`
/// of it (the candidates for best server); the others' power is added to `channel_mw`.
fn split_candidates(m: &RadioModel, heard: &[Heard], margin_db: f64, channel_mw: &mut Vec<(u32, f64)>) -> Vec<usize> {
    let mut strongest: Vec<(u16, Tech, f64)> = Vec::new();
    for h in heard {
        let t = &m.txs[h.sector];
        match strongest.iter_mut().find(|s| s.0 == t.operator && s.1 == t.tech) {
            Some(s) => s.2 = s.2.max(h.rsrp),
            None => strongest.push((t.operator, t.tech, h.rsrp)),
        }
    }
    let mut candidates = Vec::new();
    for (k, h) in heard.iter().enumerate() {
        let t = &m.txs[h.sector];
        let best = strongest.iter().find(|s| s.0 == t.operator && s.1 == t.tech).map_or(f64::NEG_INFINITY, |s| s.2);
        if h.rsrp >= best - margin_db {
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

    /// Whether sector `i` can take part in the links of a building at local (x, y): its reach
    /// cell lists the sector and the building's far cell (the same for handsets and CPEs: the
    /// reach grids share their lattice) does not provably leave it out. A building where it
    /// cannot keeps its links whatever becomes of the sector.
    pub(super) fn may_reach_building(&self, i: u32, x: f64, y: f64) -> bool {
        let grid = &self.reach_all;
        if !grid.lists_any(x, y, &[i]) {
            return false;
        }
        let k = sub_cells(grid, FAR_CELL_M);
        let half_diagonal = grid.cell_m() / k as f64 * std::f64::consts::FRAC_1_SQRT_2;
        grid.sub_cell(x, y, k).is_none_or(|(_, (cx, cy))| !self.never_heard_within(i as usize, cx, cy, half_diagonal + 1.0))
    }

    /// [`Self::may_reach_building`] for a village point (evaluated at the point itself).
    pub(super) fn may_reach_point(&self, i: u32, x: f64, y: f64) -> bool {
        self.reach_all.lists_any(x, y, &[i]) && !self.never_heard_within(i as usize, x, y, 1.0)
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
        let candidates: Vec<u32> = split_candidates(self, &heard, CANDIDATE_MARGIN_DB, &mut channel_mw).into_iter().map(|k| heard[k].sector as u32).collect();
        near.extend(&candidates);
        let near_terrain = near.iter().map(|&i| self.cached_terrain(village, i as usize)).collect();
        FarCell { near, near_terrain, channel_mw }
    }

    /// The mid links of a cell of the far cell `far`, evaluated at its centre.
    pub fn mid_cell(&self, centre: (f64, f64), half_diagonal: f64, key: &CellKey, far: &FarCell, receiver: &Receiver) -> MidCell {
        let env = key.environment();
        let (cx, cy) = centre;
        let mut near = Vec::new();
        let mut heard: Vec<Heard> = Vec::new();
        let mut heard_terrain = Vec::new();
        for (&i, &terrain) in far.near.iter().zip(&far.near_terrain) {
            let t = &self.txs[i as usize];
            let d2 = (t.x - cx).powi(2) + (t.y - cy).powi(2);
            let edge = t.reach.min(super::engine::MAX_NLOS_M) - half_diagonal - 1.0;
            let mid = d2 >= MID_M * MID_M && d2 < edge * edge;
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
        near.extend(split_candidates(self, &heard, MID_CANDIDATE_MARGIN_DB, &mut channel_mw).into_iter().map(|k| (heard[k].sector as u32, heard_terrain[k])));
        MidCell { near, channel_mw }
    }

    /// Best links at local (x, y): near sectors and candidates exactly, the rest from the sums of
    /// its mid cell (which hold its far cell's).
    pub fn links_with_mid(&self, x: f64, y: f64, env: Environment, receiver: &Receiver, cell: &MidCell) -> LinksAt {
        let heard: Vec<Heard> = cell.near.iter().filter_map(|&(i, terrain)| self.hear_cached(i as usize, x, y, env, receiver, || terrain)).collect();
        self.choose(&heard, &cell.channel_mw)
    }
}
