//! Joins between layers: buildings to villages, and the urban-rural code natural villages
//! inherit from the administrative village or area around them.

use crate::model::{AdminArea, Building, Village, VillageKind};
use crate::spatial::PlanIndex;
use rayon::prelude::*;
use std::collections::HashMap;

/// Assigns each building to a village, the finest that holds it: a natural village whose
/// polygon contains its centroid, else the nearest natural village point within `radius_m`,
/// else an administrative village (or community) whose polygon contains it, else the nearest
/// village point of any kind within the radius. Returns how many buildings stayed unassigned.
pub fn assign_buildings(buildings: &mut [Building], villages: &[Village], index: &PlanIndex, radius_m: f64) -> usize {
    VillageJoin::new(villages, index, radius_m).assign(buildings, &index.building_xy)
}

/// The join of buildings to villages, prepared once: a project whose building layers are read
/// one at a time (a province's split) joins each layer with the same indexes.
pub struct VillageJoin<'a> {
    villages: &'a [Village],
    index: &'a PlanIndex,
    /// Natural villages given as points (their nearest is the second choice).
    natural_points: crate::spatial::PointIndex,
    radius_m: f64,
}

impl<'a> VillageJoin<'a> {
    /// The join to `villages` (indexed in `index`) within `radius_m`.
    pub fn new(villages: &'a [Village], index: &'a PlanIndex, radius_m: f64) -> VillageJoin<'a> {
        let natural_points =
            crate::spatial::PointIndex::new(villages.iter().enumerate().filter(|(_, v)| v.kind == VillageKind::Natural && v.area.is_none()).map(|(i, _)| {
                let [x, y] = index.village_xy[i];
                (i, x, y)
            }));
        VillageJoin { villages, index, natural_points, radius_m }
    }

    /// Sets the village of each building (its centroid in the frame at the same position of
    /// `xy`) as [`assign_buildings`] does; returns how many stayed unassigned.
    pub fn assign(&self, buildings: &mut [Building], xy: &[[f64; 2]]) -> usize {
        let (villages, index, radius_m) = (self.villages, self.index, self.radius_m);
        let choice: Vec<Option<usize>> = xy
            .par_iter()
            .map(|&[x, y]| {
                let inside = index.villages_containing(x, y);
                let near = |idx: &crate::spatial::PointIndex| idx.nearest_within(x, y, radius_m).map(|(v, _)| v);
                inside
                    .iter()
                    .copied()
                    .find(|&v| villages[v].kind == VillageKind::Natural)
                    .or_else(|| near(&self.natural_points))
                    .or_else(|| inside.first().copied())
                    .or_else(|| near(index.village_points()))
            })
            .collect();
        let mut unassigned = 0;
        for (b, c) in buildings.iter_mut().zip(choice) {
            b.village = c;
            unassigned += usize::from(c.is_none());
        }
        unassigned
    }
}

/// Gives natural villages without an urban-rural code the code of their administrative
/// village (by parent code, else by the polygon containing them), else of the admin area
/// containing them. Returns how many inherited a code.
pub fn inherit_urban_rural(villages: &mut [Village], admin: &[AdminArea], index: &PlanIndex) -> usize {
    let by_code: HashMap<&str, u16> =
        villages.iter().filter(|v| v.kind == VillageKind::Administrative).filter_map(|v| Some((v.id.as_str(), v.urban_rural_code?))).collect();
    if by_code.is_empty() && admin.iter().all(|a| a.urban_rural_code.is_none()) {
        return 0; // no code to inherit
    }
    let found: Vec<Option<u16>> = villages
        .par_iter()
        .zip(&index.village_xy[..])
        .map(|(v, &[x, y])| {
            if v.kind != VillageKind::Natural || v.urban_rural_code.is_some() {
                return None;
            }
            if let Some(c) = v.parent_code.as_deref().and_then(|p| by_code.get(p)) {
                return Some(*c);
            }
            let from_village = index
                .villages_containing(x, y)
                .into_iter()
                .filter(|&o| villages[o].kind == VillageKind::Administrative)
                .find_map(|o| villages[o].urban_rural_code);
            from_village.or_else(|| index.admin_areas.containing(x, y).into_iter().find_map(|a| admin[a].urban_rural_code))
        })
        .collect();
    let mut n = 0;
    for (v, c) in villages.iter_mut().zip(found) {
        if let Some(c) = c {
            v.urban_rural_code = Some(c);
            v.urban_rural_inherited = true;
            n += 1;
        }
    }
    n
}
