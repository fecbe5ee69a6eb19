//! A shard's halo: the buildings whose links are computed only for the households they add to
//! their best servers' loads (see [`crate::coverage::ReadPlaces`]). A shard carries every
//! building within twice the radio reach of its own places, but a building adds to a load a
//! verdict reads only if its best server may serve a read place; a building that no such sector
//! may reach cannot, so it is left out. Both tests are the engine's own pruning
//! ([`RadioModel::may_reach_building`]): sound, and the same for every place of a far cell,
//! so they are made once per cell.

use super::engine::RadioModel;
use crate::coverage::ReadPlaces;
use crate::project::Project;
use rayon::prelude::*;
use std::collections::HashMap;

/// One building (the first) per far cell, of buildings given with their far cell, if any.
fn first_per_cell(cells: impl Iterator<Item = (usize, Option<(u32, u32)>)>) -> Vec<((u32, u32), usize)> {
    let mut first = HashMap::new();
    for (i, c) in cells {
        if let Some(c) = c {
            first.entry(c).or_insert(i);
        }
    }
    first.into_iter().collect()
}

/// Which of the buildings `marked` (one flag per building) but not read are computed: those
/// with households that a sector which may reach a marked read building, or a read village
/// when `villages` are computed, may reach too.
pub(super) fn counted(p: &Project, m: &RadioModel, (marked, villages): (&[bool], bool), read: &ReadPlaces) -> Vec<bool> {
    let xy = &p.index.building_xy;
    let grid = &m.reach_all;
    // The sectors that may serve a read place: one pass per cell, skipping those already found.
    let mut serving = vec![false; m.txs.len()];
    let read_cells = xy.iter().enumerate().filter(|(i, _)| marked[*i] && read.buildings[*i]).map(|(i, &[x, y])| (i, m.far_cell_of(x, y)));
    for (_, b) in first_per_cell(read_cells) {
        let [x, y] = xy[b];
        for &s in grid.at(x, y) {
            if !serving[s as usize] && m.may_reach_building(s, x, y) {
                serving[s as usize] = true;
            }
        }
    }
    if villages {
        for (&[x, y], _) in p.index.village_xy.iter().zip(&read.villages).filter(|(_, r)| **r) {
            for &s in grid.at(x, y) {
                if !serving[s as usize] && m.may_reach_point(s, x, y) {
                    serving[s as usize] = true;
                }
            }
        }
    }
    // Each halo building's far cell, found once; a cell is tried at its first building.
    let halo = |i: usize| marked[i] && !read.buildings[i] && p.data.buildings[i].households > 0.0;
    let cell: Vec<Option<(u32, u32)>> = xy.iter().enumerate().map(|(i, &[x, y])| if halo(i) { m.far_cell_of(x, y) } else { None }).collect();
    let reached: std::collections::HashSet<(u32, u32)> = first_per_cell(cell.iter().copied().enumerate())
        .par_iter()
        .filter(|(_, b)| {
            let [x, y] = xy[*b];
            grid.at(x, y).iter().any(|&s| serving[s as usize] && m.may_reach_building(s, x, y))
        })
        .map(|(c, _)| *c)
        .collect();
    cell.iter().map(|c| c.is_some_and(|c| reached.contains(&c))).collect()
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::coverage::radio::compute::{Needs, compute, compute_for};
    use std::collections::BTreeSet;

    /// The sample county read only west of a north–south line: the halo buildings left out
    /// are never served by a sector serving a read place in a full computation; the partial
    /// computation gives every read place the full one's links, and those sectors the full
    /// one's households; and it does leave most of the halo out.
    #[test]
    fn halo_buildings_left_out_never_load_a_sector_a_read_place_uses() {
        let p = Project::load(&crate::sample::sample_project_path()).unwrap();
        let s = &p.file.coverage.radio;
        let (xy, vxy) = (&p.index.building_xy, &p.index.village_xy);
        let (x0, x1) = xy.iter().fold((f64::INFINITY, f64::NEG_INFINITY), |(a, b), p| (a.min(p[0]), b.max(p[0])));
        let cut = x0 + (x1 - x0) / 3.0;
        let read = ReadPlaces { buildings: xy.iter().map(|p| p[0] < cut).collect(), villages: vxy.iter().map(|p| p[0] < cut).collect() };
        let needs = Needs { read: Some(read.clone()), ..Needs::all(&p) };
        let full = compute(&p, s);
        let serving: BTreeSet<usize> = (0..xy.len())
            .filter(|&b| read.buildings[b])
            .flat_map(|b| full.buildings[b].iter().chain(&full.fwa[b]))
            .chain((0..vxy.len()).filter(|&v| read.villages[v]).flat_map(|v| &full.villages[v]))
            .map(|l| l.sector)
            .collect();
        let m = RadioModel::for_channels_of(&p, s, &[]);
        let counted = counted(&p, &m, (&needs.buildings, needs.villages), &read);
        let halo: Vec<usize> = (0..xy.len()).filter(|&b| !read.buildings[b] && p.data.buildings[b].households > 0.0).collect();
        let left_out: Vec<usize> = halo.iter().copied().filter(|&b| !counted[b]).collect();
        for &b in &left_out {
            assert!(full.buildings[b].iter().all(|l| !serving.contains(&l.sector)), "building {b} left out but served by a read place's sector");
        }
        assert!(left_out.len() * 2 > halo.len(), "{} of {} halo buildings left out", left_out.len(), halo.len());
        let part = compute_for(&p, s, &needs);
        for b in (0..xy.len()).filter(|&b| read.buildings[b]) {
            assert_eq!((&part.buildings[b], &part.fwa[b]), (&full.buildings[b], &full.fwa[b]), "building {b}");
        }
        for v in (0..vxy.len()).filter(|&v| read.villages[v]) {
            assert_eq!(part.villages[v], full.villages[v], "village {v}");
        }
        for &i in &serving {
            assert_eq!(part.households_per_sector[i].to_bits(), full.households_per_sector[i].to_bits(), "sector {i}");
        }
        assert!(halo.iter().all(|&b| part.fwa[b].is_empty()), "halo buildings get no FWA links");
    }
}
