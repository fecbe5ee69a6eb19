//! New mobile sites for the villages that fail a coverage target: candidates at each such
//! village and on the highest ground within [`HILL_RADIUS_M`] of it (from the terrain, where the
//! project has one), each a three-sector site of the operator with the most sectors of the
//! technology, judged by the radio engine the analysis uses — path loss by environment, terrain
//! diffraction, antenna pattern, co-channel interference at the set load — against the network
//! as it is; then picked by lazy greedy maximum coverage weighted by households per yuan
//! ([`super::max_coverage`]). The picked sites are checked together (their interference with
//! each other included) and a village they do not cover together is not claimed.

use super::costs::Costs;
use super::demand::Demand;
use super::max_coverage::lazy_greedy;
use super::works::{Builds, Work, WorkKind};
use crate::coverage::radio::engine::{Hearing, RadioModel, Receiver};
use crate::model::Tech;
use crate::project::{Project, ScenarioSector, ScenarioSpec};
use rayon::prelude::*;
use std::collections::{BTreeMap, BTreeSet};

/// How far from a village a hill-top candidate may stand (m).
pub const HILL_RADIUS_M: f64 = 1_500.0;

/// Cell size for candidates at the centre of the places wanting coverage (m).
const CLUSTER_M: f64 = 1_000.0;

/// Grid step of the hill-top search (m).
const HILL_STEP_M: f64 = 150.0;

/// A hill top is a candidate only when it stands this much above the village (m).
const HILL_MIN_RISE_M: f64 = 20.0;

/// Sites planned, and the villages none covers.
pub struct SitePlan {
    /// One work per site, in the order picked (each counts only what earlier ones left).
    pub works: Vec<Work>,
    /// Villages no candidate covers, with their households and why.
    pub unreachable: Vec<(usize, f64, &'static str)>,
}

/// A place wanting coverage: a village's point, or one of its buildings.
struct Want {
    village: usize,
    /// Local position.
    xy: [f64; 2],
    /// Households there (a village point: the village's).
    households: f64,
    techs: Vec<Tech>,
    indoor: bool,
}

/// Plans sites for every village of `demand` wanting mobile coverage.
pub fn plan(p: &Project, demand: &Demand, costs: &Costs) -> SitePlan {
    let mut pools: BTreeMap<Tech, Vec<Want>> = BTreeMap::new();
    let mut unreachable = Vec::new();
    for need in &demand.villages {
        let Some((techs, indoor)) = &need.mobile else { continue };
        // A site of the oldest technology that counts: 4G where 4G will do.
        let Some(tech) = [Tech::Lte, Tech::Nr].into_iter().find(|t| techs.contains(t)) else {
            unreachable.push((need.village, need.households, "the planner builds 4G and 5G sites only"));
            continue;
        };
        let pool = pools.entry(tech).or_default();
        let want = |xy: [f64; 2], households: f64| Want { village: need.village, xy, households, techs: techs.clone(), indoor: *indoor };
        if need.mobile_at.0 {
            pool.push(want(p.index.village_xy[need.village], need.households));
        }
        pool.extend(need.mobile_at.1.iter().map(|&b| want(p.index.building_xy[b], p.data.buildings[b].households)));
    }
    let mut works = Vec::new();
    for (tech, wants) in pools {
        let (w, u) = plan_for(p, demand, tech, &wants, costs);
        works.extend(w);
        unreachable.extend(u);
    }
    unreachable.sort_by_key(|u| u.0);
    SitePlan { works, unreachable }
}

/// The operator with the most sectors of `tech` (ties by name), and its commonest band and
/// bandwidth for it.
pub(super) fn template(p: &Project, tech: Tech) -> (Option<String>, Option<f64>, Option<f64>) {
    let mut ops: BTreeMap<Option<&str>, usize> = BTreeMap::new();
    for s in p.data.sectors.iter().filter(|s| s.tech == tech) {
        *ops.entry(s.operator.as_deref()).or_default() += 1;
    }
    let op = ops.iter().max_by(|a, b| a.1.cmp(b.1).then(b.0.cmp(a.0))).and_then(|(o, _)| o.map(str::to_string));
    let mode = |f: &dyn Fn(&crate::model::Sector) -> Option<f64>| {
        let mut count: BTreeMap<u64, usize> = BTreeMap::new();
        for s in p.data.sectors.iter().filter(|s| s.tech == tech && s.operator == op) {
            if let Some(v) = f(s) {
                *count.entry(v.to_bits()).or_default() += 1;
            }
        }
        count.into_iter().max_by(|a, b| a.1.cmp(&b.1).then(b.0.cmp(&a.0))).map(|(v, _)| f64::from_bits(v))
    };
    (op.clone(), mode(&|s| s.band_mhz), mode(&|s| s.bandwidth_mhz))
}

/// Candidate positions (local frame) for the places `wants`: each village's point and the
/// highest ground near it, and the centre of the wanting buildings in each [`CLUSTER_M`] cell;
/// one per 100 m cell.
fn candidates(p: &Project, wants: &[Want]) -> Vec<[f64; 2]> {
    let mut seen = BTreeSet::new();
    let mut out = Vec::new();
    let mut add = |xy: [f64; 2]| {
        if seen.insert(((xy[0] / 100.0).round() as i64, (xy[1] / 100.0).round() as i64)) {
            out.push(xy);
        }
    };
    let mut clusters: BTreeMap<(i64, i64), (f64, f64, f64)> = BTreeMap::new();
    for w in wants {
        let c = clusters.entry(((w.xy[0] / CLUSTER_M).floor() as i64, (w.xy[1] / CLUSTER_M).floor() as i64)).or_default();
        *c = (c.0 + w.xy[0], c.1 + w.xy[1], c.2 + 1.0);
    }
    for (sx, sy, n) in clusters.into_values() {
        add([sx / n, sy / n]);
    }
    let villages: BTreeSet<usize> = wants.iter().map(|w| w.village).collect();
    for v in villages {
        let [x, y] = p.index.village_xy[v];
        add([x, y]);
        if let Some(top) = hill_top(p, x, y) {
            add(top);
        }
    }
    out
}

/// The highest terrain point within [`HILL_RADIUS_M`] of local (x, y), when it stands at least
/// [`HILL_MIN_RISE_M`] above the point itself.
fn hill_top(p: &Project, x: f64, y: f64) -> Option<[f64; 2]> {
    let t = p.terrain.as_ref()?;
    let height = |x: f64, y: f64| {
        let (lon, lat) = p.frame.inverse(x, y);
        t.height_at(lon, lat).map(f64::from)
    };
    let here = height(x, y)?;
    let steps = (HILL_RADIUS_M / HILL_STEP_M) as i32;
    let mut best: Option<(f64, [f64; 2])> = None;
    for i in -steps..=steps {
        for j in -steps..=steps {
            let (dx, dy) = (f64::from(i) * HILL_STEP_M, f64::from(j) * HILL_STEP_M);
            if dx.hypot(dy) > HILL_RADIUS_M {
                continue;
            }
            if let Some(h) = height(x + dx, y + dy).filter(|&h| best.is_none_or(|b| h > b.0)) {
                best = Some((h, [x + dx, y + dy]));
            }
        }
    }
    best.filter(|b| b.0 >= here + HILL_MIN_RISE_M).map(|b| b.1)
}

/// The three sectors of a candidate site at local `xy`.
pub(super) fn site_sectors(
    p: &Project,
    tech: Tech,
    xy: [f64; 2],
    k: usize,
    tpl: &(Option<String>, Option<f64>, Option<f64>),
    costs: &Costs,
) -> Vec<ScenarioSector> {
    let (lon, lat) = p.frame.inverse(xy[0], xy[1]);
    (0..3)
        .map(|s| ScenarioSector {
            site: format!("CAND-{k}"),
            cell: format!("CAND-{k}-{}", s + 1),
            operator: tpl.0.clone(),
            tech: tech.name().to_string(),
            lon,
            lat,
            band_mhz: tpl.1,
            bandwidth_mhz: tpl.2,
            power_dbm: None,
            gain_dbi: None,
            height_m: Some(costs.site.height_m),
            azimuth_deg: Some(120.0 * s as f64),
            tilt_deg: None,
            beamwidth_deg: Some(65.0),
        })
        .collect()
}

/// The margin (dB) over the RSRP and SINR thresholds a planned link must clear: the analysis
/// judges buildings with far interferers summed per cell, which can differ from the exact sum
/// by a fraction of a decibel, and a plan must still hold when checked that way.
pub const MARGIN_DB: f64 = 1.0;

/// Whether a place hearing `h` is covered (any of `techs`, indoors if asked) by the network plus
/// the candidate sites `keep` accepts, with [`MARGIN_DB`] to spare.
fn covered(m: &RadioModel, s: &crate::settings::RadioSettings, h: &Hearing, w: &Want, keep: impl Fn(usize) -> bool) -> bool {
    m.links_among(h, keep).iter().filter(|l| w.techs.contains(&l.tech)).any(|l| {
        let e = m.evaluate(l, if w.indoor { m.indoor_loss_db(l) } else { 0.0 });
        let rsrp_min = if l.tech == Tech::Nr { s.nr_rsrp_dbm } else { s.lte_rsrp_dbm };
        e.covered && e.rsrp_dbm >= rsrp_min + MARGIN_DB && e.sinr_db >= s.sinr_min_db + MARGIN_DB
    })
}

/// Sites of `tech` for the villages `wants`.
fn plan_for(p: &Project, demand: &Demand, tech: Tech, wants: &[Want], costs: &Costs) -> (Vec<Work>, Vec<(usize, f64, &'static str)>) {
    let tpl = template(p, tech);
    let cands = candidates(p, wants);
    let mut spec: ScenarioSpec = p.file.scenario.clone();
    let n0 = crate::project::scenario::apply(&p.layer_sectors, &spec, &p.path).0.len();
    for (k, &xy) in cands.iter().enumerate() {
        spec.sectors.extend(site_sectors(p, tech, xy, k, &tpl, costs));
    }
    let all = p.with_scenario(&spec);
    let s = &p.file.coverage.radio;
    let m = RadioModel::for_channels_of(&all, s, &[tech]);
    let handset = Receiver::handset(s);
    let cand_of = |i: usize| (i >= n0).then(|| (i - n0) / 3);
    // Per village: its hearing, and the candidates that cover it alone with the network.
    let heard: Vec<(Hearing, Vec<usize>)> = wants
        .par_iter()
        .map(|w| {
            // A building takes its village's environment, as the analysis does.
            let [vx, vy] = p.index.village_xy[w.village];
            let env = m.environment(vx, vy, p.data.villages[w.village].urban_rural_code);
            let h = m.hearing(w.xy[0], w.xy[1], env, &handset, Some((vx, vy)));
            let mut near: Vec<usize> = h.sectors().filter_map(cand_of).collect();
            near.sort_unstable();
            near.dedup();
            let by: Vec<usize> = near.into_iter().filter(|&c| covered(&m, s, &h, w, |i| cand_of(i).is_none_or(|k| k == c))).collect();
            (h, by)
        })
        .collect();
    let mut sets = vec![Vec::new(); cands.len()];
    for (v, (_, by)) in heard.iter().enumerate() {
        by.iter().for_each(|&c| sets[c].push(v));
    }
    let site_cost = if tech == Tech::Nr { costs.site.macro_5g } else { costs.site.macro_4g };
    let backhaul: Vec<(f64, bool)> = cands.iter().map(|&[x, y]| backhaul_cost(p, x, y, costs)).collect();
    let cost: Vec<f64> = backhaul.iter().map(|b| site_cost + b.0).collect();
    let weight: Vec<f64> = wants.iter().map(|w| w.households.max(1.0)).collect();
    let picks = lazy_greedy(&sets, &weight, &cost, None);
    // The picks together: a village another new site drowns in interference is not claimed.
    let chosen: BTreeSet<usize> = picks.iter().map(|k| k.set).collect();
    let joint: Vec<bool> = heard.par_iter().zip(wants).map(|((h, _), w)| covered(&m, s, h, w, |i| cand_of(i).is_none_or(|k| chosen.contains(&k)))).collect();
    // A village is claimed by the pick that completes it: every place it wants covered is
    // covered by the picks so far, and by all picks together.
    let mut left: BTreeMap<usize, usize> = BTreeMap::new();
    for w in wants {
        *left.entry(w.village).or_default() += 1;
    }
    let jointly_ok: BTreeSet<usize> = {
        let failing: BTreeSet<usize> = wants.iter().zip(&joint).filter(|(_, ok)| !**ok).map(|(w, _)| w.village).collect();
        left.keys().copied().filter(|v| !failing.contains(v)).collect()
    };
    let mut works = Vec::new();
    for pick in &picks {
        let mut completed = Vec::new();
        for &k in &pick.covered {
            let n = left.get_mut(&wants[k].village).expect("every want's village is counted");
            *n -= 1;
            if *n == 0 && jointly_ok.contains(&wants[k].village) {
                completed.push(wants[k].village);
            }
        }
        if completed.is_empty() {
            continue;
        }
        completed.sort_unstable();
        let [x, y] = cands[pick.set];
        let (lon, lat) = p.frame.inverse(x, y);
        let first = &p.data.villages[completed[0]];
        let (bh, microwave) = backhaul[pick.set];
        let mut quantities = BTreeMap::from([(if tech == Tech::Nr { "sites_5g" } else { "sites_4g" }, 1.0)]);
        quantities.insert(if microwave { "microwave_hops" } else { "backhaul_fiber_km" }, if microwave { 1.0 } else { bh / costs.fiber.aerial_per_km });
        works.push(Work {
            rank: 0,
            kind: WorkKind::Site,
            name: format!("{} site near {} ({})", if tech == Tech::Nr { "5G" } else { "4G" }, first.name, first.id),
            households: completed.iter().map(|&v| village_households(p, demand, v)).sum(),
            villages: completed,
            cost: cost[pick.set],
            quantities,
            points: vec![[lon, lat]],
            builds: Builds { sectors: site_sectors(p, tech, [x, y], pick.set, &tpl, costs), ..Builds::default() },
            flags: if microwave { vec!["backhaul by microwave: no fiber near".into()] } else { Vec::new() },
            alternatives: Vec::new(),
            after: None,
        });
    }
    // Each site counts only the villages the ones before it left: it builds on them.
    for (i, w) in works.iter_mut().enumerate().skip(1) {
        w.after = Some(i - 1);
    }
    let claimed: BTreeSet<usize> = works.iter().flat_map(|w| w.villages.iter().copied()).collect();
    let mut unreachable: BTreeMap<usize, (f64, &'static str)> = BTreeMap::new();
    for (k, w) in wants.iter().enumerate().filter(|(_, w)| !claimed.contains(&w.village)) {
        let why = if heard[k].1.is_empty() {
            "no candidate site covers every place it wants covered"
        } else {
            "the new sites' interference with each other leaves it uncovered"
        };
        let e = unreachable.entry(w.village).or_insert((village_households(p, demand, w.village), why));
        if heard[k].1.is_empty() {
            e.1 = why;
        }
    }
    (works, unreachable.into_iter().map(|(v, (h, why))| (v, h, why)).collect())
}

/// A village's households as the demand counts them.
fn village_households(p: &Project, demand: &Demand, v: usize) -> f64 {
    demand.villages.iter().find(|n| n.village == v).map_or_else(|| p.data.villages[v].households.unwrap_or(0.0), |n| n.households)
}

/// A site's backhaul at local (x, y): fiber to the nearest cable or fiber box at the aerial rate,
/// or a microwave hop where that is cheaper; the cost and whether it is microwave.
pub(super) fn backhaul_cost(p: &Project, x: f64, y: f64, costs: &Costs) -> (f64, bool) {
    let aps = &p.data.access_points;
    let cable = p.index.cables.nearest(x, y).map(|c| c.1);
    let ap = p.index.access_points.nearest_iter(x, y).find(|&(a, _)| aps[a].tech != crate::model::AccessTech::Copper).map(|a| a.1);
    let d = match (cable, ap) {
        (Some(c), Some(a)) => c.min(a),
        (c, a) => c.or(a).unwrap_or(f64::INFINITY),
    };
    let fiber = d / 1000.0 * costs.fiber.aerial_per_km;
    if fiber <= costs.site.microwave_backhaul { (fiber, false) } else { (costs.site.microwave_backhaul, true) }
}
