//! 5G fixed wireless access instead of fiber, where fiber is too dear: as the US BEAD
//! programme's "extremely high cost per location threshold" does, a village whose fiber work
//! costs more per household than the cost table's `fwa.fiber_max_per_household` gets a new 5G
//! site at its centre and a CPE per household instead — when the radio engine says every home
//! that fails its rate target then gets the rate through a rooftop CPE (path loss, terrain,
//! interference, and the busy-hour share of the new site among the village's households).
//! A village whose targets need fiber itself (a fiber connection, FTTH) is never switched.

use super::costs::Costs;
use super::demand::{Demand, Fix, VillageNeed};
use super::sites::{backhaul_cost, site_sectors, template};
use super::works::{Builds, Work, WorkKind};
use crate::analysis::CoverageResults;
use crate::coverage::radio::engine::{RadioModel, Receiver};
use crate::model::Tech;
use crate::project::{Project, ScenarioSpec};
use rayon::prelude::*;
use std::collections::BTreeMap;

/// FWA weighed against the fiber works: the FWA works chosen, and each village's FWA cost
/// where FWA would meet its targets (an alternative for the works that stay on fiber).
pub struct FwaChoice {
    /// FWA works, one per village switched.
    pub works: Vec<Work>,
    /// Village → cost of FWA there, where FWA meets its targets.
    pub feasible: BTreeMap<usize, f64>,
}

/// Whether every target of a village may be met without fiber of its own.
fn may_go_wireless(need: &VillageNeed) -> bool {
    need.fwa_mbps.is_some() && !need.homes.is_empty() && need.targets.values().all(|fixes| !fixes.contains(&Fix::Fiber))
}

/// Weighs FWA against `fiber_works` (one per village) for the villages of `demand` that may go
/// wireless; with `fiber_allowed` false, FWA is taken wherever it meets the targets.
///
/// Villages in `excluded` (FWA fell short there when the plan was analysed) stay on fiber.
pub fn choose(
    p: &Project,
    demand: &Demand,
    coverage: &CoverageResults,
    fiber_works: &[Work],
    costs: &Costs,
    fiber_allowed: bool,
    excluded: &std::collections::BTreeSet<usize>,
) -> FwaChoice {
    let fiber_cost: BTreeMap<usize, f64> =
        fiber_works.iter().filter(|w| w.kind == WorkKind::Fiber).filter_map(|w| w.villages.first().map(|&v| (v, w.cost))).collect();
    let needs: Vec<&VillageNeed> =
        demand.villages.iter().filter(|n| may_go_wireless(n) && fiber_cost.contains_key(&n.village) && !excluded.contains(&n.village)).collect();
    if needs.is_empty() {
        return FwaChoice { works: Vec::new(), feasible: BTreeMap::new() };
    }
    let tpl = template(p, Tech::Nr);
    let mut spec: ScenarioSpec = p.file.scenario.clone();
    let n0 = crate::project::scenario::apply(&p.layer_sectors, &spec, &p.path).0.len();
    for (k, need) in needs.iter().enumerate() {
        spec.sectors.extend(site_sectors(p, Tech::Nr, p.index.village_xy[need.village], k, &tpl, costs));
    }
    let all = p.with_scenario(&spec);
    let s = &p.file.coverage.radio;
    let m = RadioModel::for_channels_of(&all, s, &[Tech::Nr]);
    let cpe = Receiver::fwa_cpe(s);
    // Busy-hour load: the network's as analysed; a new sector's, every home in its wedge within
    // LOAD_RADIUS_M (as if it became their best server: the analysis counts them that way).
    let mut load: Vec<f64> = coverage.radio.as_ref().map(|r| r.households_per_sector.clone()).unwrap_or_default();
    load.resize(n0, 0.0);
    let homes = crate::spatial::PointIndex::new(
        p.index.building_xy.iter().zip(&p.data.buildings).enumerate().filter(|(_, (_, b))| b.households > 0.0).map(|(i, (&[x, y], _))| (i, x, y)),
    );
    // The new sites' operator's subscribers only (its market share, as the analysis counts).
    let share = s.operator_shares(&m.operators)[m.operators.iter().position(|o| o == tpl.0.as_deref().unwrap_or("?")).unwrap_or(0)];
    for need in &needs {
        load.extend(sector_loads(p, &homes, p.index.village_xy[need.village]).map(|l| l * share));
    }
    // Whether every failing home of need `k` gets its rate with the network and the new sites
    // `keep` accepts (by index into `needs`).
    let meets = |k: usize, keep: &(dyn Fn(usize) -> bool + Sync)| {
        let need = needs[k];
        let [vx, vy] = p.index.village_xy[need.village];
        let env = m.environment(vx, vy, p.data.villages[need.village].urban_rural_code);
        let mbps = need.fwa_mbps.expect("only villages wanting a rate may go wireless");
        need.homes.iter().all(|&b| {
            let [x, y] = p.index.building_xy[b];
            let h = m.hearing(x, y, env, &cpe, Some((vx, vy)));
            let links = m.links_among(&h, |i| i < n0 || keep((i - n0) / 3));
            links.iter().filter(|l| l.tech == Tech::Nr).any(|l| {
                let e = m.evaluate(l, 0.0);
                e.covered && m.household_rate_mbps(&e, l, &load) >= mbps * (1.0 + RATE_MARGIN)
            })
        })
    };
    let alone: Vec<bool> = (0..needs.len()).into_par_iter().map(|k| meets(k, &|j| j == k)).collect();
    let fiber_per_household = |k: usize| fiber_cost[&needs[k].village] / needs[k].households.max(1.0);
    let wanted: Vec<bool> = (0..needs.len()).map(|k| alone[k] && (!fiber_allowed || fiber_per_household(k) > costs.fwa.fiber_max_per_household)).collect();
    // The switched villages' sites together: one another's interference may undo a village,
    // which then stays on fiber (fewer sites only lower the others' interference).
    let together: Vec<bool> = (0..needs.len()).into_par_iter().map(|k| wanted[k] && meets(k, &|j| wanted[j])).collect();
    let (mut works, mut feasible) = (Vec::new(), BTreeMap::new());
    for (k, need) in needs.iter().enumerate() {
        if !alone[k] {
            continue;
        }
        let [x, y] = p.index.village_xy[need.village];
        let cpes: f64 = need.homes.iter().map(|&b| p.data.buildings[b].households).sum();
        let (backhaul, microwave) = backhaul_cost(p, x, y, costs);
        let cost = costs.site.macro_5g + backhaul + cpes * costs.fwa.cpe;
        feasible.insert(need.village, cost);
        let fiber = fiber_cost[&need.village];
        if !together[k] {
            continue;
        }
        let v = &p.data.villages[need.village];
        let (lon, lat) = p.frame.inverse(x, y);
        let mut quantities = BTreeMap::from([("sites_5g", 1.0), ("cpes", cpes)]);
        quantities.insert(if microwave { "microwave_hops" } else { "backhaul_fiber_km" }, if microwave { 1.0 } else { backhaul / costs.fiber.aerial_per_km });
        works.push(Work {
            rank: 0,
            kind: WorkKind::Fwa,
            name: format!("5G FWA for {} ({})", v.name, v.id),
            villages: vec![need.village],
            households: need.households,
            cost,
            quantities,
            points: vec![[lon, lat]],
            builds: Builds { sectors: site_sectors(p, Tech::Nr, [x, y], k, &tpl, costs), ..Builds::default() },
            flags: vec![format!("fiber would cost {:.0} per household, over the {:.0} threshold", fiber_per_household(k), costs.fwa.fiber_max_per_household)],
            alternatives: vec![(WorkKind::Fiber, fiber)],
            after: None,
        });
    }
    FwaChoice { works, feasible }
}

/// How far a new FWA site's sectors are taken to draw their busy-hour load from (m).
const LOAD_RADIUS_M: f64 = 1_500.0;

/// The households in each of the three 120° wedges (azimuths 0, 120, 240) of a site at `xy`.
fn sector_loads(p: &Project, homes: &crate::spatial::PointIndex, [x, y]: [f64; 2]) -> [f64; 3] {
    let mut load = [0.0; 3];
    for (b, _) in homes.within(x, y, LOAD_RADIUS_M) {
        let [bx, by] = p.index.building_xy[b];
        // Bearing from north, clockwise; each sector takes ±60° around its azimuth.
        let bearing = (bx - x).atan2(by - y).to_degrees().rem_euclid(360.0);
        load[(((bearing + 60.0) / 120.0) as usize) % 3] += p.data.buildings[b].households;
    }
    load
}

/// The share over the target rate an FWA home must get: the analysis spreads the busy-hour
/// load over the sectors as the households' best servers fall, not in equal thirds.
const RATE_MARGIN: f64 = 0.2;
