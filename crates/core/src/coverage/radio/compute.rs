//! Radio results for a whole project: which places are computed, on which channels, with far
//! interferers summed per cell (see `farfield`), and the households each sector serves.

use super::engine::EarlierTerrain;
use super::engine::{Environment, LinksAt, RadioModel, RadioResults, Receiver, VILLAGE_SPREAD_M};
use super::farfield::CellKey;
pub use crate::coverage::ReadPlaces;
use crate::model::Tech;
use crate::project::Project;
use crate::settings::RadioSettings;
use rayon::prelude::*;

/// Which places a radio computation covers (the rest get no links).
#[derive(Debug, Clone, PartialEq)]
pub struct Needs {
    /// Links at every village point.
    pub villages: bool,
    /// Technologies wanted at villages (empty: all).
    pub village_techs: Vec<Tech>,
    /// Technologies wanted at buildings (empty: all); FWA is NR whatever this says.
    pub building_techs: Vec<Tech>,
    /// Links at the buildings marked true (one flag per building; all false for none).
    pub buildings: Vec<bool>,
    /// FWA links at the marked buildings with households.
    pub fwa: bool,
    /// The places whose links are read, when fewer than those computed (see [`ReadPlaces`]):
    /// every other marked building is computed only for the households it adds to its best
    /// servers' loads, so only where a sector that may serve a read place may reach it
    /// (elsewhere it adds nothing to a load a read link uses), and without FWA links; the other
    /// villages get no links. `None`: every computed place is read.
    pub read: Option<ReadPlaces>,
}

impl Needs {
    /// Everything: every village and building, and FWA.
    pub fn all(p: &Project) -> Needs {
        Needs { villages: true, village_techs: Vec::new(), buildings: vec![true; p.data.buildings.len()], building_techs: Vec::new(), fwa: true, read: None }
    }

    /// Whether every building with households is computed: then each sector's busy-hour
    /// households, and so the household rates, are exact.
    pub fn covers_homes(&self, p: &Project) -> bool {
        self.read.is_none() && p.data.buildings.iter().zip(&self.buildings).all(|(b, &n)| n || b.households <= 0.0)
    }
}

/// Computes outdoor links at every building and village, then each sector's indoor households.
pub fn compute(p: &Project, s: &RadioSettings) -> RadioResults {
    compute_for(p, s, &Needs::all(p))
}

/// Computes the links `needs` asks for. Households per sector count the buildings computed,
/// so rates are exact only when every building with households is (see [`Needs::covers_homes`]).
pub fn compute_for(p: &Project, s: &RadioSettings, needs: &Needs) -> RadioResults {
    compute_only(p, s, needs, None)
}

/// The places a recomputation is limited to (one flag per building and per village).
pub(super) struct Only<'a> {
    pub(super) buildings: &'a [bool],
    pub(super) villages: &'a [bool],
    /// Village terrain from before a sector edit, to look kept sectors' losses up in.
    pub(super) earlier: Option<&'a EarlierTerrain<'a>>,
}

/// [`compute_for`] limited to the places `only` marks (the others get no links), with every
/// choice that could change a number made as for all of `needs`: the same models, and the
/// same terrain profiles cached for each village it touches.
pub(super) fn compute_only(p: &Project, s: &RadioSettings, needs: &Needs, only: Option<&Only>) -> RadioResults {
    let in_only_building = |i: usize| only.is_none_or(|o| o.buildings[i]);
    let in_only_village = |v: usize| only.is_none_or(|o| o.villages[v]);
    let wants = |v: &[Tech], t: Tech| v.is_empty() || v.contains(&t);
    let any_building = needs.buildings.iter().any(|&b| b);
    let mut building_techs = needs.building_techs.clone();
    if needs.fwa && !wants(&building_techs, Tech::Nr) {
        building_techs.push(Tech::Nr);
    }
    let mut spreads = village_spreads(p, &needs.buildings);
    if let Some(o) = only {
        // Profiles only for the villages whose buildings or point are computed again.
        let mut touched = o.villages.to_vec();
        for (b, _) in p.data.buildings.iter().zip(o.buildings).filter(|(_, f)| **f) {
            if let Some(v) = b.village {
                touched[v] = true;
            }
        }
        spreads.iter_mut().zip(&touched).filter(|(_, t)| !**t).for_each(|(s, _)| *s = None);
    }
    // Villages wanting other technologies than the buildings get their own model, sharing the
    // buildings' terrain cache (computed once for both).
    let (m, village_model) = if needs.villages && (needs.village_techs != building_techs || !any_building) {
        let (m, vm) = rayon::join(|| RadioModel::for_channels_of(p, s, &building_techs), || RadioModel::for_channels_of(p, s, &needs.village_techs));
        // Only the village points themselves: no ring for buildings around them.
        let points: Vec<Option<f64>> = (0..p.data.villages.len()).map(|v| in_only_village(v).then_some(0.0)).collect();
        let (m, vm) = m.share_village_terrain(&spreads, vm, &points, only.and_then(|o| o.earlier));
        (m, Some(vm))
    } else {
        (RadioModel::for_channels_of(p, s, &building_techs).with_village_terrain_from(&spreads, only.and_then(|o| o.earlier)), None)
    };
    let vm = village_model.as_ref().unwrap_or(&m);
    let handset = Receiver::handset(s);
    // Villages no one reads get no links; buildings no one reads, only where they may add to a
    // read link's load, and no FWA links.
    let read_village = |v: usize| needs.read.as_ref().is_none_or(|r| r.villages[v]);
    let counted = needs.read.as_ref().map(|r| super::halo::counted(p, &m, (&needs.buildings, needs.villages), r));
    let read_building = |i: usize, fwa: bool| match (&needs.read, &counted) {
        (Some(r), Some(c)) => r.buildings[i] || (!fwa && c[i]),
        _ => true,
    };
    // The environment is a property of the settlement: decided once per village, and per
    // building only for buildings that belong to none.
    let village_env: Vec<Environment> =
        p.data.villages.par_iter().zip(&p.index.village_xy).map(|(v, &[x, y])| m.environment(x, y, v.urban_rural_code)).collect();
    let cpe = Receiver::fwa_cpe(s);
    let villages: Vec<LinksAt> = if !needs.villages {
        vec![Vec::new(); p.data.villages.len()]
    } else {
        p.index
            .village_xy
            .par_iter()
            .zip(&village_env)
            .enumerate()
            .map(|(i, (&[x, y], &env))| if in_only_village(i) && read_village(i) { vm.links_at(x, y, env, &handset, Some(i)) } else { Vec::new() })
            .collect()
    };
    // FWA is a service to homes: buildings without households get no CPE.
    let at_buildings = |receiver: &Receiver, fwa: bool| -> Vec<LinksAt> {
        let wanted = |i: usize| {
            needs.buildings.get(i).copied().unwrap_or(false) && in_only_building(i) && !(fwa && p.data.buildings[i].households <= 0.0) && read_building(i, fwa)
        };
        links_at_buildings(p, &m, &village_env, receiver, wanted)
    };
    let buildings = at_buildings(&handset, false);
    let fwa = if needs.fwa { at_buildings(&cpe, true) } else { vec![Vec::new(); p.data.buildings.len()] };
    let households_per_sector = households_per_sector(p, &buildings, &OperatorShares::new(p, s, &m.operators));
    RadioResults {
        operators: m.operators.clone(),
        buildings,
        villages,
        fwa,
        households_per_sector,
        village_terrain: m.anchor_terrain.clone(),
        village_env: std::sync::Arc::new(village_env),
    }
}

/// The links of every `wanted` building for `receiver`. Every building takes its far and mid
/// interferers from its cells' sums: buildings are grouped by far cell, then by mid cell, each
/// cell evaluated once.
fn links_at_buildings(p: &Project, m: &RadioModel, village_env: &[Environment], receiver: &Receiver, wanted: impl Fn(usize) -> bool + Sync) -> Vec<LinksAt> {
    // Only the keys are kept (a list as long as the buildings, sorted): a group's centre
    // and size are worked out again from its first building, as they were for its key.
    struct Keyed {
        far: CellKey,
        mid: CellKey,
        building: u32,
    }
    let mut keyed: Vec<Keyed> = p
        .index
        .building_xy
        .par_iter()
        .zip(p.data.buildings.par_iter())
        .enumerate()
        .filter_map(|(i, (&[x, y], b))| {
            if !wanted(i) {
                return None;
            }
            let env = b.village.map_or_else(|| m.environment(x, y, None), |v| village_env[v]);
            // Outside every reach grid: no sector reaches the building.
            Some(Keyed { far: m.far_key(x, y, b.village, env, receiver)?.0, mid: m.mid_key(x, y, b.village, env, receiver)?.0, building: i as u32 })
        })
        .collect();
    keyed.par_sort_unstable_by_key(|k| (k.far, k.mid, k.building));
    let groups: Vec<&[Keyed]> = keyed.chunk_by(|a, b| a.far == b.far).collect();
    // Groups follow the map, and the work per group varies a hundredfold between a town
    // centre and the fields: small pieces, or one thread ends up alone with a town.
    let computed: Vec<Vec<(usize, LinksAt)>> = groups
        .par_iter()
        .with_max_len(8)
        .map(|group| {
            let mut out = Vec::with_capacity(group.len());
            let (village, env) = (group[0].far.village(), group[0].far.environment());
            let [x, y] = p.index.building_xy[group[0].building as usize];
            let Some((key, centre, half)) = m.far_key(x, y, village, env, receiver) else { return out };
            let far = m.far_cell(centre, half, &key, receiver);
            for same_mid in group.chunk_by(|a, b| a.mid == b.mid) {
                let [x, y] = p.index.building_xy[same_mid[0].building as usize];
                let Some((key, centre, half)) = m.mid_key(x, y, village, env, receiver) else { continue };
                let mid = m.mid_cell(centre, half, &key, &far, receiver);
                for k in same_mid {
                    let [x, y] = p.index.building_xy[k.building as usize];
                    out.push((k.building as usize, m.links_with_mid(x, y, env, receiver, &mid)));
                }
            }
            out
        })
        .collect();
    let mut links = vec![Vec::new(); p.data.buildings.len()];
    for (i, l) in computed.into_iter().flatten() {
        links[i] = l;
    }
    links
}

/// How far from each village point its buildings marked in `buildings` lie, at most (m):
/// terrain profiles are cached only for those villages, out to the farthest of them (buildings
/// farther than the spread limit get their own profiles).
pub(super) fn village_spreads(p: &Project, buildings: &[bool]) -> Vec<Option<f64>> {
    let mut spreads: Vec<Option<f64>> = vec![None; p.data.villages.len()];
    for ((b, _), &[x, y]) in p.data.buildings.iter().zip(buildings).zip(&p.index.building_xy).filter(|((_, n), _)| **n) {
        if let Some(v) = b.village {
            let [vx, vy] = p.index.village_xy[v];
            let d = ((x - vx).powi(2) + (y - vy).powi(2)).sqrt().min(VILLAGE_SPREAD_M);
            spreads[v] = Some(spreads[v].map_or(d, |s: f64| s.max(d)));
        }
    }
    spreads
}

/// The operators' subscriber shares (per operator index): the project's, and some townships' own.
pub(super) struct OperatorShares {
    default: Vec<f64>,
    /// By township code.
    by_township: std::collections::HashMap<String, Vec<f64>>,
}

impl OperatorShares {
    /// The shares of `s` for `operators`; townships named by an admin area's name are found by its code.
    pub(super) fn new(p: &Project, s: &RadioSettings, operators: &[String]) -> OperatorShares {
        let code_of = |key: &str| p.data.admin_areas.iter().find(|a| a.name == key).and_then(|a| a.code.clone()).unwrap_or_else(|| key.to_string());
        OperatorShares {
            default: s.operator_shares(operators),
            by_township: s.market_shares_by_township.iter().map(|(t, table)| (code_of(t), RadioSettings::shares_from(table, operators))).collect(),
        }
    }

    /// The shares at building `b`: its village's township's, else the project's.
    fn at(&self, p: &Project, b: &crate::model::Building) -> &[f64] {
        let township = b.village.and_then(|v| p.data.villages[v].township_code.as_deref());
        township.and_then(|t| self.by_township.get(t)).unwrap_or(&self.default)
    }
}

/// Subscriber households whose best server is each sector, from the links at every building:
/// a building's households times the share of the sector's operator there.
pub(super) fn households_per_sector(p: &Project, buildings: &[LinksAt], shares: &OperatorShares) -> Vec<f64> {
    let mut per_sector = vec![0.0; p.data.sectors.len()];
    for (b, links) in p.data.buildings.iter().zip(buildings) {
        let shares = shares.at(p, b);
        for l in links {
            per_sector[l.sector] += b.households * shares.get(l.operator as usize).copied().unwrap_or(0.0);
        }
    }
    per_sector
}
