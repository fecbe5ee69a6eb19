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
    let natural_points =
        crate::spatial::PointIndex::new(villages.iter().enumerate().filter(|(_, v)| v.kind == VillageKind::Natural && v.area.is_none()).map(|(i, _)| {
            let [x, y] = index.village_xy[i];
            (i, x, y)
        }));
    let choice: Vec<Option<usize>> = (0..buildings.len())
        .into_par_iter()
        .map(|b| {
            let [x, y] = index.building_xy[b];
            let inside = index.villages_containing(x, y);
            let near = |idx: &crate::spatial::PointIndex| idx.nearest_within(x, y, radius_m).map(|(v, _)| v);
            inside
                .iter()
                .copied()
                .find(|&v| villages[v].kind == VillageKind::Natural)
                .or_else(|| near(&natural_points))
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
