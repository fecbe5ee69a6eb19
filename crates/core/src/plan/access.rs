//! Fixes at a box the homes already reach: a second splitter beside a box whose ports are all
//! used, and an upgrade to XGS-PON where a box's PON is too slow for a rate target (or is not
//! the PON an FTTH target asks for).

use super::costs::Costs;
use super::demand::Demand;
use super::works::{Builds, Work, WorkKind};
use crate::model::AccessTech;
use crate::project::{Project, ScenarioAccessPoint};
use std::collections::BTreeMap;

/// One work per full box and per slow box, each closing the households it held back.
pub fn works(p: &Project, demand: &Demand, costs: &Costs) -> Vec<Work> {
    let mut out = Vec::new();
    let aps = &p.data.access_points;
    for (&a, &households) in &demand.full_aps {
        let ap = &aps[a];
        // The new splitter stands beside the full one, on a new OLT port of the cost table's PON
        // (so it also carries the rates a gigabit target asks), with ports for a whole split.
        let split = costs.access.box_split;
        let added = ScenarioAccessPoint {
            id: String::new(),
            tech: costs.access.box_tech.clone(),
            ports_total: Some(split),
            ports_used: Some(0),
            split: Some(split),
            ..ScenarioAccessPoint::of(ap)
        };
        let builds = Builds { access_points: vec![added], ..Builds::default() };
        out.push(work(p, a, WorkKind::Splitter, format!("splitter beside {}", ap.id), households, costs.access.splitter, "splitters", builds));
    }
    for (&a, &households) in &demand.slow_aps {
        let ap = &aps[a];
        if ap.tech == AccessTech::XgsPon {
            // Already the fastest PON: the rate is short for another reason (the split), and a
            // second splitter halves the homes per port.
            let split = ap.split.unwrap_or(p.file.coverage.fiber.default_split);
            let finer = ScenarioAccessPoint { split: Some((split / 2).max(1)), ..ScenarioAccessPoint::of(ap) };
            let builds = Builds { replaced_access_points: vec![finer], ..Builds::default() };
            out.push(work(p, a, WorkKind::Splitter, format!("finer split at {}", ap.id), households, costs.access.splitter, "splitters", builds));
            continue;
        }
        let upgraded = ScenarioAccessPoint { tech: AccessTech::XgsPon.name().to_string(), ..ScenarioAccessPoint::of(ap) };
        let builds = Builds { replaced_access_points: vec![upgraded], ..Builds::default() };
        out.push(work(p, a, WorkKind::PonUpgrade, format!("XGS-PON at {}", ap.id), households, costs.access.pon_upgrade, "pon_upgrades", builds));
    }
    out
}

#[allow(clippy::too_many_arguments)]
fn work(p: &Project, a: usize, kind: WorkKind, name: String, households: f64, cost: f64, item: &'static str, builds: Builds) -> Work {
    let ap = &p.data.access_points[a];
    let (x, y) = p.frame.forward(ap.position.x(), ap.position.y());
    // The villages whose homes the box serves: those within its drop distance.
    let drop = p.file.coverage.fiber.drop_distance_m;
    let mut villages: Vec<usize> = p
        .index
        .building_xy
        .iter()
        .zip(&p.data.buildings)
        .filter(|([bx, by], b)| b.households > 0.0 && (bx - x).hypot(by - y) <= drop)
        .filter_map(|(_, b)| b.village)
        .collect();
    villages.sort_unstable();
    villages.dedup();
    Work {
        rank: 0,
        kind,
        name,
        villages,
        households,
        cost,
        quantities: BTreeMap::from([(item, 1.0)]),
        points: vec![[ap.position.x(), ap.position.y()]],
        builds,
        flags: Vec::new(),
        alternatives: Vec::new(),
        after: None,
    }
}
