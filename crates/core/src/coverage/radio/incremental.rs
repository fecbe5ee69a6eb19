//! Radio results after a few sectors were edited (moved, retuned, added, removed): only the
//! places where an edited sector could be heard, before or after the edit (its reach cell
//! lists it and the place's far cell does not provably leave it out), are looked at again, and
//! there only the edited sectors are evaluated (see `delta`); every other place keeps its
//! links. The links equal a full computation's, because a place's numbers depend only on the
//! sectors its cell lists, cells lie on a fixed lattice, and edits keep the other sectors'
//! order; a building where an edited sector may be counted in its far or mid cell's sums
//! (farther than 1.5 km from the far cell's centre or 400 m from the mid cell's) is computed in
//! full, as the update could only add that sector's power at the building, not at the centre.

use super::compute::{Needs, Only, OperatorShares, compute_only, households_per_sector, village_spreads};
use super::delta;
use super::edit::SectorEdit;
use super::engine::EarlierTerrain;
use super::engine::{Environment, Heard, LinksAt, RadioModel, RadioResults, Receiver};
use crate::model::Tech;
use crate::project::Project;
use crate::settings::RadioSettings;
use rayon::prelude::*;
use std::collections::BTreeSet;

/// The channels of the sectors of `techs` (all when empty), which decide the sectors taking part.
fn channels(m: &RadioModel, techs: &[Tech]) -> BTreeSet<u32> {
    m.txs.iter().filter(|t| techs.is_empty() || techs.contains(&t.tech)).map(|t| t.channel).collect()
}

/// The results of `needs` on `p`, whose sectors are `old`'s edited, from `prev` (the results of
/// the same `needs` on `old`): only the places where an edited sector could be heard, before or
/// after the edit, are looked at again, and most of those only for the edited sectors (see
/// `delta`); with them, the places whose verdicts may change. `None` when the edit is not local
/// (an operator appears or goes, a channel starts or stops taking part, the reach grid changes
/// its cells): then compute in full.
pub fn recompute_after_edit(old: &Project, mut prev: RadioResults, p: &Project, s: &RadioSettings, needs: &Needs) -> Option<(RadioResults, Changed)> {
    // A partial reading (a shard's) is computed in full.
    let edit = SectorEdit::between(&old.data.sectors, &p.data.sectors).filter(|_| needs.read.is_none())?;
    let (mut m_old, mut m_new) = rayon::join(|| RadioModel::sectors_only(old, s, &[]), || RadioModel::sectors_only(p, s, &[]));
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
    if prev.village_env.len() != p.data.villages.len() {
        return None;
    }
    // Only where an edited sector could be heard, before or after the edit.
    let (buildings, villages) = within_reach_of_edit(p, &edit, &m_old, &m_new);
    // The edited sectors are evaluated with the terrain profiles a full computation would
    // share: before the edit, those cached then; after it, the same renumbered, with the added
    // sectors' sampled at the touched villages.
    let earlier = EarlierTerrain::new(&prev.village_terrain[..], &edit, p.data.sectors.len());
    let lists = terrain_after_edit(p, needs, &buildings, &villages, &earlier, &m_new);
    m_old.anchor_terrain = prev.village_terrain.clone();
    m_new.anchor_terrain = std::sync::Arc::new(lists);
    let (building_channels, village_channels) = (channels(&m_new, &building_techs), channels(&m_new, &needs.village_techs));
    // The edited sectors heard at a place, before and after.
    let edited_at = |chs: &BTreeSet<u32>, x: f64, y: f64, env: Environment, receiver: &Receiver, anchor: Option<usize>| -> (Vec<Heard>, Vec<Heard>) {
        let removed = edit.removed.iter().filter(|&&i| chs.contains(&m_old.txs[i as usize].channel));
        let added = edit.added.iter().filter(|&&i| chs.contains(&m_new.txs[i as usize].channel));
        (
            removed.filter_map(|&i| m_old.hear(i as usize, x, y, env, receiver, anchor)).collect(),
            added.filter_map(|&i| m_new.hear(i as usize, x, y, env, receiver, anchor)).collect(),
        )
    };
    let update = |links: &mut LinksAt, chs: &BTreeSet<u32>, x: f64, y: f64, env: Environment, receiver: &Receiver, anchor: Option<usize>| -> bool {
        let (removed, added) = edited_at(chs, x, y, env, receiver, anchor);
        delta::apply(links, &edit.kept, &removed, &added, &m_old, &m_new)
    };
    let (handset, cpe) = (Receiver::handset(s), Receiver::fwa_cpe(s));
    let fates: Vec<Fate> = prev
        .buildings
        .par_iter_mut()
        .zip(prev.fwa.par_iter_mut())
        .enumerate()
        .map(|(i, (links, fwa))| {
            if !buildings[i] {
                return if carry(links, &edit.kept) && carry(fwa, &edit.kept) { Fate::Kept } else { Fate::InFull };
            }
            if !needs.buildings[i] {
                return Fate::Kept;
            }
            let b = &p.data.buildings[i];
            let [x, y] = p.index.building_xy[i];
            let env = b.village.map_or_else(|| m_new.environment(x, y, None), |v| prev.village_env[v]);
            // An edited sector a full computation counts at a cell's centre cannot be added or
            // taken off at the building with the same result: such a building is computed in full.
            let summed = |receiver: &Receiver| edited_in_sums(&edit, (&m_old, &m_new), &building_channels, (x, y, b.village, env), receiver);
            if summed(&handset) || (needs.fwa && b.households > 0.0 && summed(&cpe)) {
                return Fate::InFull;
            }
            // Compared under the new sector indices: an edit renumbers the sectors after it.
            let mut before = (links.clone(), fwa.clone());
            let renumbered = carry(&mut before.0, &edit.kept) && carry(&mut before.1, &edit.kept);
            let handset_ok = update(links, &building_channels, x, y, env, &handset, b.village);
            let fwa_ok = !needs.fwa || b.households <= 0.0 || update(fwa, &building_channels, x, y, env, &cpe, b.village);
            Fate::of(handset_ok && fwa_ok, || renumbered && before.0 == *links && before.1 == *fwa)
        })
        .collect();
    let village_fates: Vec<Fate> = prev
        .villages
        .par_iter_mut()
        .enumerate()
        .map(|(v, links)| {
            if !villages[v] {
                return if carry(links, &edit.kept) { Fate::Kept } else { Fate::InFull };
            }
            if !needs.villages {
                return Fate::Kept;
            }
            let [x, y] = p.index.village_xy[v];
            let mut before = links.clone();
            let renumbered = carry(&mut before, &edit.kept);
            Fate::of(update(links, &village_channels, x, y, prev.village_env[v], &handset, Some(v)), || renumbered && before == *links)
        })
        .collect();
    let in_full = |fates: &[Fate]| -> Vec<bool> { fates.iter().map(|&f| f == Fate::InFull).collect() };
    let (in_full_buildings, in_full_villages) = (in_full(&fates), in_full(&village_fates));
    if fates.iter().chain(&village_fates).any(|&f| f == Fate::InFull) {
        let only = Only { buildings: &in_full_buildings, villages: &in_full_villages, earlier: Some(&earlier) };
        let fresh = compute_only(p, s, needs, Some(&only));
        for (list, fresh, redo) in [
            (&mut prev.buildings, fresh.buildings, &in_full_buildings),
            (&mut prev.fwa, fresh.fwa, &in_full_buildings),
            (&mut prev.villages, fresh.villages, &in_full_villages),
        ] {
            list.par_iter_mut().zip(fresh).zip(redo).filter(|(_, again)| **again).for_each(|((old, new), _)| *old = new);
        }
    }
    // A sector serving other households changes the busy-hour rate of every place it serves.
    let serves_others = serving_others_after_edit(p, &mut prev, &edit, &OperatorShares::new(p, s, &m_new.operators));
    let rates_changed = |links: &LinksAt| links.iter().any(|l| serves_others[l.sector]);
    let changed = Changed {
        buildings: fates.iter().enumerate().map(|(i, &f)| f != Fate::Kept || rates_changed(&prev.buildings[i]) || rates_changed(&prev.fwa[i])).collect(),
        villages: village_fates.iter().map(|&f| f != Fate::Kept).collect(),
    };
    prev.village_terrain = m_new.anchor_terrain.clone();
    Some((prev, changed))
}

/// Whether a sector the edit removed (`models.0`) or added (`models.1`) on `channels` may be
/// counted in the far or mid sums of the cells of a building at (x, y, village, environment).
fn edited_in_sums(
    edit: &SectorEdit,
    models: (&RadioModel, &RadioModel),
    channels: &BTreeSet<u32>,
    (x, y, village, env): (f64, f64, Option<usize>, Environment),
    receiver: &Receiver,
) -> bool {
    let counted = |m: &RadioModel, i: u32| {
        channels.contains(&m.txs[i as usize].channel) && m.may_reach_building(i, x, y) && m.may_be_summed_at(i as usize, x, y, village, env, receiver)
    };
    edit.removed.iter().any(|&i| counted(models.0, i)) || edit.added.iter().any(|&i| counted(models.1, i))
}

/// The buildings and the village points where a sector the edit removed (`m_old`) or added
/// (`m_new`) could be heard.
fn within_reach_of_edit(p: &Project, edit: &SectorEdit, m_old: &RadioModel, m_new: &RadioModel) -> (Vec<bool>, Vec<bool>) {
    let touched =
        |x: f64, y: f64| edit.removed.iter().any(|&i| m_old.may_reach_building(i, x, y)) || edit.added.iter().any(|&i| m_new.may_reach_building(i, x, y));
    let buildings: Vec<bool> = p.index.building_xy.par_iter().map(|&[x, y]| touched(x, y)).collect();
    let villages: Vec<bool> = p
        .index
        .village_xy
        .par_iter()
        .map(|&[x, y]| edit.removed.iter().any(|&i| m_old.may_reach_point(i, x, y)) || edit.added.iter().any(|&i| m_new.may_reach_point(i, x, y)))
        .collect();
    (buildings, villages)
}

/// The terrain losses cached per village after an edit: those from before, renumbered, and at
/// the villages the edit touches (`buildings` and `villages` it can be heard at) the added
/// sectors' sampled, as a full computation would share them.
fn terrain_after_edit(
    p: &Project,
    needs: &Needs,
    buildings: &[bool],
    villages: &[bool],
    earlier: &EarlierTerrain<'_>,
    m_new: &RadioModel,
) -> Vec<Vec<(u32, f32)>> {
    let mut touched_villages = villages.to_vec();
    for (b, _) in p.data.buildings.iter().zip(buildings).filter(|(_, t)| **t) {
        if let Some(v) = b.village {
            touched_villages[v] = true;
        }
    }
    let spreads = village_spreads(p, &needs.buildings);
    (0..p.data.villages.len())
        .into_par_iter()
        .map(|v| {
            // A village point is a place of its own (spread 0) when villages are computed.
            let spread = spreads[v].or(needs.villages.then_some(0.0));
            match spread {
                Some(spread) if touched_villages[v] && p.terrain.is_some() => earlier.with_added(v, m_new, spread),
                _ => earlier.renumbered(v),
            }
        })
        .collect()
}

/// Updates the households each sector serves at the busy hour, and returns which sectors (new
/// indices) now serve other households than before: their places' rates change.
fn serving_others_after_edit(p: &Project, prev: &mut RadioResults, edit: &SectorEdit, shares: &OperatorShares) -> Vec<bool> {
    let households_before = std::mem::replace(&mut prev.households_per_sector, households_per_sector(p, &prev.buildings, shares));
    let mut serves_others = vec![false; p.data.sectors.len()];
    for (old, &h) in households_before.iter().enumerate() {
        if let Some(new) = edit.kept[old] {
            serves_others[new as usize] = prev.households_per_sector[new as usize] != h;
        }
    }
    for &new in &edit.added {
        serves_others[new as usize] = true;
    }
    serves_others
}

/// What became of a place's links in a recomputation.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Fate {
    /// The same links (renumbered).
    Kept,
    /// Updated for the edit, and different.
    Updated,
    /// To be computed in full.
    InFull,
}

impl Fate {
    /// The fate of a place the edit touched: updated (`ok`), the same or not, or in full.
    fn of(ok: bool, same: impl FnOnce() -> bool) -> Fate {
        match (ok, ok && same()) {
            (false, _) => Fate::InFull,
            (true, true) => Fate::Kept,
            (true, false) => Fate::Updated,
        }
    }
}

/// The places whose verdicts an edit may change: their links changed, or a sector they hear
/// now serves other households (its busy-hour share changed).
#[derive(Debug, Clone, PartialEq)]
pub struct Changed {
    /// One flag per building.
    pub buildings: Vec<bool>,
    /// One flag per village (its own point's links).
    pub villages: Vec<bool>,
}

/// Renames the links kept from before the edit to the sectors' new indices; false when one is
/// served by an edited sector (the reach test would have missed a place: never expected, but
/// the place is then computed in full).
fn carry(links: &mut LinksAt, kept: &[Option<u32>]) -> bool {
    links.iter_mut().all(|l| match kept.get(l.sector).copied().flatten() {
        Some(j) => {
            l.sector = j as usize;
            true
        }
        None => false,
    })
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::model::Sector;

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
