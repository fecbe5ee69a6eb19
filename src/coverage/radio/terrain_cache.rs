//! Terrain profiles cached per anchor (a village point, a coverage-grid tile) and sector, so
//! that the places around an anchor share them instead of sampling the terrain per link.

use super::engine::{RadioModel, VILLAGE_SPREAD_M};
use rayon::prelude::*;

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
        let p = self.p;
        let points: Vec<(f64, f64)> = p.data.villages.iter().map(|v| p.frame.forward(v.location.x(), v.location.y())).collect();
        self.with_terrain_anchors(&points, spreads)
    }

    /// Samples, once, the terrain profile from every sector in reach to each anchor point (local
    /// frame) with a spread: places up to that far from the anchor that name it share its
    /// profiles (a village's buildings; the cells of a coverage-grid tile). Anchor `k` is then
    /// the `anchor` argument `Some(k)` of [`Self::links_at`].
    pub(super) fn with_terrain_anchors(mut self, points: &[(f64, f64)], spreads: &[Option<f64>]) -> Self {
        if self.p.terrain.is_some() {
            self.anchor_terrain = std::sync::Arc::new(anchor_lists(&[(&self, spreads)], points));
        }
        self
    }

    /// Gives `self` (villages' spreads `mine`) and `other` (spreads `theirs`, a model of the same
    /// project on other channels) one terrain cache, computed once: each village lists every
    /// sector either needs, and a profile's loss does not depend on the model asking.
    pub(super) fn share_village_terrain(mut self, mine: &[Option<f64>], mut other: Self, theirs: &[Option<f64>]) -> (Self, Self) {
        if self.p.terrain.is_some() {
            let p = self.p;
            let points: Vec<(f64, f64)> = p.data.villages.iter().map(|v| p.frame.forward(v.location.x(), v.location.y())).collect();
            let cache = std::sync::Arc::new(anchor_lists(&[(&self, mine), (&other, theirs)], &points));
            other.anchor_terrain = cache.clone();
            self.anchor_terrain = cache;
        }
        (self, other)
    }

    /// Diffraction loss (dB) over the terrain from sector `i` to local (x, y) at `h_rx` m; 0 without
    /// a terrain model or where the profile leaves it.
    pub(super) fn terrain_loss_db(&self, i: usize, x: f64, y: f64, h_rx: f64) -> f64 {
        self.terrain_loss_to(i, (x, y), self.p.frame.inverse(x, y), h_rx)
    }

    /// [`Self::terrain_loss_db`] to a place given both in the local frame and as (lon, lat).
    fn terrain_loss_to(&self, i: usize, (x, y): (f64, f64), lonlat: (f64, f64), h_rx: f64) -> f64 {
        let Some(t) = &self.p.terrain else { return 0.0 };
        let tx = &self.txs[i];
        // Sample at the terrain's own resolution (its cell height in metres, at least 30 m).
        let step = (t.raster.cell_h * if t.crs.is_geographic() { 111_000.0 } else { 1.0 }).max(30.0);
        let len = ((x - tx.x).powi(2) + (y - tx.y).powi(2)).sqrt();
        match super::terrain::profile_between(t, tx.lonlat, lonlat, len, step) {
            Some(prof) => super::terrain::deygout_db(&prof, tx.freq, tx.h, h_rx).0,
            None => 0.0,
        }
    }

    /// The terrain loss (dB) from sector `i` cached for `anchor`, if any.
    pub(super) fn cached_terrain(&self, anchor: Option<usize>, i: usize) -> Option<f32> {
        let list = self.anchor_terrain.get(anchor?)?;
        list.binary_search_by_key(&(i as u32), |e| e.0).ok().map(|k| list[k].1)
    }
}

/// Per anchor, the terrain loss from every sector a model needs there (active in it, within its
/// reach plus the anchor's spread in it), sorted by sector; the models share their sectors.
fn anchor_lists(models: &[(&RadioModel, &[Option<f64>])], points: &[(f64, f64)]) -> Vec<Vec<(u32, f32)>> {
    let first = models[0].0;
    points
        .par_iter()
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
                .map(|i| (i as u32, first.terrain_loss_to(i, (x, y), lonlat, first.s.ue_height_m) as f32))
                .collect()
        })
        .collect()
}
