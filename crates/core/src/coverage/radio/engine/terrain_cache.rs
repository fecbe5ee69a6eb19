//! Terrain profiles cached per anchor (a village point, a coverage-grid tile) and sector, so
//! that the places around an anchor share them instead of sampling the terrain per link.

use super::{RadioModel, VILLAGE_SPREAD_M};
use crate::coverage::radio::edit::SectorEdit;
use rayon::prelude::*;
use std::sync::Arc;

/// Per anchor, the terrain loss (dB) from each sector in reach, sorted by sector.
pub(in crate::coverage::radio) type TerrainLists = Arc<Vec<Vec<(u32, f32)>>>;

/// The village terrain cached before a sector edit, for the edited project: a kept sector's
/// loss at a village is the same profile, so it is looked up instead of sampled again.
pub(in crate::coverage::radio) struct EarlierTerrain<'a> {
    /// The lists before the edit (old sector indices).
    lists: &'a [Vec<(u32, f32)>],
    /// The edit (for each old sector, its new index when kept).
    edit: &'a SectorEdit,
    /// For each new sector, its index before the edit when kept.
    old_index: Vec<Option<u32>>,
}

impl<'a> EarlierTerrain<'a> {
    /// The lists `lists` of the project before `edit`, for the `sectors` sectors after it.
    pub(in crate::coverage::radio) fn new(lists: &'a [Vec<(u32, f32)>], edit: &'a SectorEdit, sectors: usize) -> Self {
        let mut old_index = vec![None; sectors];
        for (old, new) in edit.kept.iter().enumerate() {
            if let Some(new) = new {
                old_index[*new as usize] = Some(old as u32);
            }
        }
        EarlierTerrain { lists, edit, old_index }
    }

    /// The loss from new sector `i` at village `anchor` before the edit, if it was cached.
    fn loss(&self, anchor: usize, i: usize) -> Option<f32> {
        let old = self.old_index.get(i).copied().flatten()?;
        let list = self.lists.get(anchor)?;
        list.binary_search_by_key(&old, |e| e.0).ok().map(|k| list[k].1)
    }

    /// Village `anchor`'s list under the new sector indices (edited sectors left out; the
    /// order holds, as an edit keeps the other sectors' order).
    pub(in crate::coverage::radio) fn renumbered(&self, anchor: usize) -> Vec<(u32, f32)> {
        let Some(list) = self.lists.get(anchor) else { return Vec::new() };
        list.iter().filter_map(|&(old, loss)| self.edit.kept.get(old as usize).copied().flatten().map(|new| (new, loss))).collect()
    }
}

impl EarlierTerrain<'_> {
    /// Village `anchor`'s list after the edit for places up to `spread` from its point: the
    /// kept sectors' losses renumbered, the added sectors' sampled where [`anchor_lists`] would
    /// list them (model `m`, of the edited project).
    pub(in crate::coverage::radio) fn with_added(&self, anchor: usize, m: &RadioModel, spread: f64) -> Vec<(u32, f32)> {
        let mut list = self.renumbered(anchor);
        let [x, y] = m.p.index.village_xy[anchor];
        let lonlat = m.p.frame.inverse(x, y);
        for &i in &self.edit.added {
            let t = &m.txs[i as usize];
            let d = ((t.x - x).powi(2) + (t.y - y).powi(2)).sqrt();
            if m.active[i as usize] && d <= t.reach + spread && !m.never_heard_within(i as usize, x, y, spread + 1.0) {
                list.push((i, m.terrain_loss_to(i as usize, (x, y), lonlat, m.s.ue_height_m) as f32));
            }
        }
        list.sort_unstable_by_key(|e| e.0);
        list
    }
}

impl RadioModel<'_> {
    /// Samples, once, the terrain profile from every sector in reach to every village point, so
    /// that links at the village and its buildings share it (no-op without a terrain model).
    /// Only evaluation over many places needs it; reading figures off results does not.
    pub fn with_village_terrain(self) -> Self {
        let all = vec![Some(VILLAGE_SPREAD_M); self.p.data.villages.len()];
        self.with_village_terrain_for(&all)
    }

    /// [`Self::with_village_terrain`] for the villages with a spread: the profiles serve places
    /// up to that far from the village point (0 when only the point is evaluated); villages
    /// without one get none cached.
    pub fn with_village_terrain_for(self, spreads: &[Option<f64>]) -> Self {
        self.with_village_terrain_from(spreads, None)
    }

    /// [`Self::with_village_terrain_for`], looking kept sectors' losses up in `earlier`.
    pub(in crate::coverage::radio) fn with_village_terrain_from(mut self, spreads: &[Option<f64>], earlier: Option<&EarlierTerrain<'_>>) -> Self {
        if self.p.terrain.is_some() {
            let points = village_points(self.p);
            self.anchor_terrain = Arc::new(anchor_lists(&[(&self, spreads)], &points, earlier));
        }
        self
    }

    /// Samples, once, the terrain profile from every sector in reach to each anchor point (local
    /// frame) with a spread: places up to that far from the anchor that name it share its
    /// profiles (a village's buildings; the cells of a coverage-grid tile). Anchor `k` is then
    /// the `anchor` argument `Some(k)` of [`Self::links_at`].
    pub(in crate::coverage::radio) fn with_terrain_anchors(mut self, points: &[(f64, f64)], spreads: &[Option<f64>]) -> Self {
        if self.p.terrain.is_some() {
            self.anchor_terrain = Arc::new(anchor_lists(&[(&self, spreads)], points, None));
        }
        self
    }

    /// Gives `self` (villages' spreads `mine`) and `other` (spreads `theirs`, a model of the same
    /// project on other channels) one terrain cache, computed once: each village lists every
    /// sector either needs, and a profile's loss does not depend on the model asking.
    /// Kept sectors' losses are looked up in `earlier`.
    pub(in crate::coverage::radio) fn share_village_terrain(
        mut self,
        mine: &[Option<f64>],
        mut other: Self,
        theirs: &[Option<f64>],
        earlier: Option<&EarlierTerrain<'_>>,
    ) -> (Self, Self) {
        if self.p.terrain.is_some() {
            let points = village_points(self.p);
            let cache = Arc::new(anchor_lists(&[(&self, mine), (&other, theirs)], &points, earlier));
            other.anchor_terrain = cache.clone();
            self.anchor_terrain = cache;
        }
        (self, other)
    }

    /// Diffraction loss (dB) over the terrain from sector `i` to local (x, y) at `h_rx` m; 0 without
    /// a terrain model or where the profile leaves it.
    pub(in crate::coverage::radio) fn terrain_loss_db(&self, i: usize, x: f64, y: f64, h_rx: f64) -> f64 {
        self.terrain_loss_to(i, (x, y), self.p.frame.inverse(x, y), h_rx)
    }

    /// [`Self::terrain_loss_db`] to a place given both in the local frame and as (lon, lat).
    fn terrain_loss_to(&self, i: usize, (x, y): (f64, f64), lonlat: (f64, f64), h_rx: f64) -> f64 {
        let Some(t) = &self.p.terrain else { return 0.0 };
        let tx = &self.txs[i];
        // Sample at the terrain's own resolution (its cell height in metres, at least 30 m).
        let step = (t.raster.cell_h * if t.crs.is_geographic() { 111_000.0 } else { 1.0 }).max(30.0);
        let len = ((x - tx.x).powi(2) + (y - tx.y).powi(2)).sqrt();
        // One profile buffer per thread: this runs for every village and sector in reach.
        thread_local!(static PROFILE: std::cell::RefCell<crate::coverage::radio::terrain::Profile> =
            const { std::cell::RefCell::new(crate::coverage::radio::terrain::Profile { dist_m: Vec::new(), ground_m: Vec::new() }) });
        PROFILE.with_borrow_mut(|prof| {
            if crate::coverage::radio::terrain::sample_into(t, tx.lonlat, lonlat, len, step, prof) {
                crate::coverage::radio::terrain::deygout_db(prof, tx.freq, tx.h, h_rx).0
            } else {
                0.0
            }
        })
    }

    /// The terrain loss (dB) from sector `i` cached for `anchor`, if any.
    pub(in crate::coverage::radio) fn cached_terrain(&self, anchor: Option<usize>, i: usize) -> Option<f32> {
        let list = self.anchor_terrain.get(anchor?)?;
        list.binary_search_by_key(&(i as u32), |e| e.0).ok().map(|k| list[k].1)
    }
}

fn village_points(p: &crate::project::Project) -> Vec<(f64, f64)> {
    p.index.village_xy.iter().map(|&[x, y]| (x, y)).collect()
}

/// Per anchor, the terrain loss from every sector a model needs there (active in it, within its
/// reach plus the anchor's spread in it), sorted by sector; the models share their sectors.
/// Losses found in `earlier` (anchors are villages then) are taken from it.
fn anchor_lists(models: &[(&RadioModel, &[Option<f64>])], points: &[(f64, f64)], earlier: Option<&EarlierTerrain<'_>>) -> Vec<Vec<(u32, f32)>> {
    let first = models[0].0;
    // Villages differ in how many sectors they see, towns by hundreds: small pieces keep both
    // threads busy to the end.
    points
        .par_iter()
        .with_max_len(4)
        .enumerate()
        .map(|(k, &(x, y))| {
            let widest = models.iter().filter_map(|(_, spreads)| spreads[k]).fold(None, |w: Option<f64>, s| Some(w.map_or(s, |w| w.max(s))));
            let Some(search) = widest else { return Vec::new() };
            let needed = |i: usize| {
                let d = ((first.txs[i].x - x).powi(2) + (first.txs[i].y - y).powi(2)).sqrt();
                models.iter().any(|(m, spreads)| spreads[k].is_some_and(|spread| m.active[i] && d <= m.txs[i].reach + spread))
            };
            let mut ids = first.reach_boxes.in_rect(geo::Rect::new((x - search, y - search), (x + search, y + search)));
            ids.sort_unstable();
            // A sector no place of the spread can hear is never asked for.
            let lonlat = first.p.frame.inverse(x, y);
            ids.into_iter()
                .filter(|&i| needed(i) && !first.never_heard_within(i, x, y, search + 1.0))
                .map(|i| {
                    let loss = earlier.and_then(|e| e.loss(k, i)).unwrap_or_else(|| first.terrain_loss_to(i, (x, y), lonlat, first.s.ue_height_m) as f32);
                    (i as u32, loss)
                })
                .collect()
        })
        .collect()
}
