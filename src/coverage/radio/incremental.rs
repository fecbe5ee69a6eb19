//! Radio results after a few sectors were edited (moved, retuned, added, removed): only the
//! places where an edited sector could be heard, before or after the edit (its reach cell
//! lists it and the place's far cell does not provably leave it out), are computed again;
//! every other place keeps its links. The result equals a full computation, because a place's
//! numbers depend only on the sectors its cell lists (and the far sums of its cell, which list
//! the same), cells lie on a fixed lattice, and edits keep the other sectors' order.

use super::compute::{Needs, Only, compute_only, households_per_sector};
use super::engine::{LinksAt, RadioModel, RadioResults};
use super::terrain_cache::EarlierTerrain;
use crate::model::{Sector, Tech};
use crate::project::{Project, ScenarioSector};
use crate::settings::RadioSettings;
use rayon::prelude::*;
use std::collections::{BTreeSet, HashMap};

/// What an edit changed: old → new sector indices of the sectors it kept, and the sectors it
/// removed (old indices) and added (new indices), sorted.
#[derive(Debug, Clone, PartialEq)]
pub struct SectorEdit {
    /// For each old sector, its index in the new list when it is unchanged.
    pub kept: Vec<Option<u32>>,
    /// Old sectors gone or changed.
    pub removed: Vec<u32>,
    /// New sectors (added, or the changed ones' new form).
    pub added: Vec<u32>,
}

/// Same sector for the radio: the same scenario form (which leaves out the source record, as
/// scenario objects are renumbered when others are removed).
fn same(a: &Sector, b: &Sector) -> bool {
    ScenarioSector::of(a) == ScenarioSector::of(b)
}

impl SectorEdit {
    /// Matches `new` against `old` by cell and content; `None` when the kept sectors changed
    /// order (then results cannot be carried over).
    pub fn between(old: &[Sector], new: &[Sector]) -> Option<SectorEdit> {
        let mut by_cell: HashMap<&str, Vec<usize>> = HashMap::new();
        for (i, s) in old.iter().enumerate().rev() {
            by_cell.entry(s.cell.as_str()).or_default().push(i);
        }
        let mut kept = vec![None; old.len()];
        let mut added = Vec::new();
        let mut last: Option<usize> = None;
        for (j, s) in new.iter().enumerate() {
            let hit = by_cell.get_mut(s.cell.as_str()).and_then(|c| c.iter().rposition(|&i| same(&old[i], s)).map(|k| c.remove(k)));
            match hit {
                Some(i) => {
                    if last.is_some_and(|l| i < l) {
                        return None;
                    }
                    last = Some(i);
                    kept[i] = Some(j as u32);
                }
                None => added.push(j as u32),
            }
        }
        let removed = kept.iter().enumerate().filter(|(_, k)| k.is_none()).map(|(i, _)| i as u32).collect();
        Some(SectorEdit { kept, removed, added })
    }
}

/// The channels of the sectors of `techs` (all when empty), which decide the sectors taking part.
fn channels(m: &RadioModel, techs: &[Tech]) -> BTreeSet<u32> {
    m.txs.iter().filter(|t| techs.is_empty() || techs.contains(&t.tech)).map(|t| t.channel).collect()
}

/// The results of `needs` on `p`, whose sectors are `old`'s edited, from `prev` (the results of
/// the same `needs` on `old`): computed again only around the edited sectors. `None` when the
/// edit is not local (an operator appears or goes, a channel starts or stops taking part, the
/// reach grid changes its cells): then compute in full.
pub fn recompute_after_edit(old: &Project, mut prev: RadioResults, p: &Project, s: &RadioSettings, needs: &Needs) -> Option<RadioResults> {
    let edit = SectorEdit::between(&old.data.sectors, &p.data.sectors)?;
    let (m_old, m_new) = rayon::join(|| RadioModel::new(old, s), || RadioModel::new(p, s));
    if m_old.operators != m_new.operators || m_old.operators != prev.operators || m_old.reach_all.cell_m() != m_new.reach_all.cell_m() {
        return None;
    }
    let mut building_techs = needs.building_techs.clone();
    if needs.fwa && !building_techs.is_empty() && !building_techs.contains(&Tech::Nr) {
        building_techs.push(Tech::Nr);
    }
    for techs in [&building_techs, &needs.village_techs] {
        if channels(&m_old, techs) != channels(&m_new, techs) {
            return None;
        }
    }
    // Only where an edited sector could be heard, before or after the edit.
    let touched =
        |x: f64, y: f64| edit.removed.iter().any(|&i| m_old.may_reach_building(i, x, y)) || edit.added.iter().any(|&i| m_new.may_reach_building(i, x, y));
    let buildings: Vec<bool> = p.index.building_xy.par_iter().map(|&[x, y]| touched(x, y)).collect();
    let villages: Vec<bool> = p
        .index
        .village_xy
        .par_iter()
        .map(|&[x, y]| edit.removed.iter().any(|&i| m_old.may_reach_point(i, x, y)) || edit.added.iter().any(|&i| m_new.may_reach_point(i, x, y)))
        .collect();
    let earlier = EarlierTerrain::new(&prev.village_terrain[..], &edit, p.data.sectors.len());
    let fresh = compute_only(p, s, needs, Some(&Only { buildings: &buildings, villages: &villages, earlier: Some(&earlier) }));
    // Links kept from before name their sectors by old index: renumber them.
    let carry = |old_links: &mut LinksAt| -> bool {
        old_links.iter_mut().all(|l| match edit.kept.get(l.sector).copied().flatten() {
            Some(j) => {
                l.sector = j as usize;
                true
            }
            None => false,
        })
    };
    let merge = |prev: &mut Vec<LinksAt>, fresh: Vec<LinksAt>, redo: &[bool]| -> bool {
        prev.par_iter_mut().zip(fresh).zip(redo).all(|((old_links, new_links), &again)| {
            if again {
                *old_links = new_links;
                true
            } else {
                carry(old_links)
            }
        })
    };
    // A carried link to an edited sector would mean the reach test missed a place: never
    // expected, but then the full computation is the safe answer.
    if !(merge(&mut prev.buildings, fresh.buildings, &buildings)
        && merge(&mut prev.fwa, fresh.fwa, &buildings)
        && merge(&mut prev.villages, fresh.villages, &villages))
    {
        return None;
    }
    prev.households_per_sector = households_per_sector(p, &prev.buildings);
    // The villages computed again have their new lists; the others keep theirs, renumbered.
    let lists = fresh.village_terrain.iter().enumerate().map(|(v, list)| if list.is_empty() { earlier.renumbered(v) } else { list.clone() }).collect();
    prev.village_terrain = std::sync::Arc::new(lists);
    Some(prev)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn sector(cell: &str, x: f64) -> Sector {
        Sector {
            site: "S".into(),
            cell: cell.into(),
            position: geo::Point::new(x, 23.0),
            tech: Tech::Lte,
            band_mhz: Some(1800.0),
            bandwidth_mhz: None,
            power_dbm: None,
            gain_dbi: None,
            height_m: None,
            azimuth_deg: None,
            tilt_deg: None,
            beamwidth_deg: None,
            operator: None,
            source: crate::model::SourceRef { layer: std::sync::Arc::from("l"), record: 0 },
        }
    }

    #[test]
    fn edits_are_matched_by_cell_and_content() {
        let old = vec![sector("a", 1.0), sector("b", 2.0), sector("c", 3.0)];
        // b moved (removed and appended), d added.
        let new = vec![sector("a", 1.0), sector("c", 3.0), sector("b", 2.5), sector("d", 4.0)];
        let e = SectorEdit::between(&old, &new).unwrap();
        assert_eq!(e.kept, vec![Some(0), None, Some(1)]);
        assert_eq!(e.removed, vec![1]);
        assert_eq!(e.added, vec![2, 3]);
        // Kept sectors out of order cannot be carried over.
        assert!(SectorEdit::between(&old, &[sector("c", 3.0), sector("a", 1.0)]).is_none());
        // A renumbered source is no edit.
        let mut same_b = old.clone();
        same_b[1].source.record = 9;
        assert_eq!(SectorEdit::between(&old, &same_b).unwrap().added, Vec::<u32>::new());
    }
}
