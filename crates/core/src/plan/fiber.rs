//! Fiber extension: the villages a profile judges unconnected (a `fiber_connected` target not met
//! for want of fiber in reach) joined to the existing network along the roads, as one Steiner
//! tree sharing trunk, then cut into works ranked by households per yuan.
//!
//! Each work is the route one village adds to what the works before it built (dig once: a work
//! builds on the earlier ones, never the other way round); the next work is always the one with
//! the most households per yuan of new route. Under a budget the works are taken in that order
//! while they fit: a plan never builds a route that connects no village.

use super::costs::Costs;
use super::demand::{Demand, VillageNeed};
use super::roads::{RoadGraph, RouteKind};
use super::steiner::{self, Tree};
use super::works::{Builds, Work, WorkKind};
use crate::coverage::fiber::FiberResults;
use crate::project::{Project, ScenarioAccessPoint};
use serde::Serialize;
use std::collections::{BTreeMap, BTreeSet};

/// A fiber plan: the works in dig-once order (each chained to the one before it), and the
/// villages left out.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct FiberPlan {
    /// The works, in the order to build them.
    pub works: Vec<Work>,
    /// Villages no route reaches, with their households and why.
    pub unreachable: Vec<(usize, f64, &'static str)>,
}

/// A village's fiber work before ranking: its boxes, their nodes on the road graph.
struct Group<'a> {
    need: &'a VillageNeed,
    boxes: Vec<PlannedBox>,
    nodes: Vec<u32>,
    off_road: bool,
}

/// Plans fiber for every village of `demand` that needs a connection or boxes near its homes:
/// each box (the village's own where a route must end there, and boxes near homes no box
/// reaches) is a terminal of one Steiner tree on the roads, grown from the existing network.
pub fn plan(p: &Project, demand: &Demand, fiber: &FiberResults, costs: &Costs) -> FiberPlan {
    let mut g = RoadGraph::build(p, costs);
    let mut groups: Vec<Group> = Vec::new();
    let mut unreachable = Vec::new();
    for need in demand.villages.iter().filter(|n| n.connect || !n.homes.is_empty()) {
        let village_box = (need.connect || !fiber.villages[need.village].connected).then(|| p.index.village_xy[need.village]);
        let boxes = place_boxes(p, need, costs, village_box);
        let attached: Option<Vec<(u32, f64, bool)>> = if g.roots.is_empty() { None } else { boxes.iter().map(|b| g.attach(b.xy[0], b.xy[1], costs)).collect() };
        match attached {
            Some(a) if !a.is_empty() => {
                let off_road = a.iter().any(|x| x.2);
                groups.push(Group { need, boxes, nodes: a.iter().map(|x| x.0).collect(), off_road });
            }
            _ => {
                let why = if g.roots.is_empty() {
                    "the project has no existing fiber cable to extend"
                } else if p.data.roads.is_empty() {
                    "the project has no road layer to route fiber along"
                } else {
                    "no road leads there from the existing fiber network"
                };
                unreachable.push((need.village, need.households, why));
            }
        }
    }
    let ts: Vec<u32> = groups.iter().flat_map(|gr| gr.nodes.iter().copied()).collect();
    let tree = if ts.is_empty() { Tree::default() } else { steiner::improve(&g.graph, &g.roots, &ts, &steiner::grow(&g.graph, &g.roots, &ts)) };
    let lost: BTreeSet<u32> = tree.unreachable.iter().copied().collect();
    let (reached, lost_groups): (Vec<Group>, Vec<Group>) = groups.into_iter().partition(|gr| !gr.nodes.iter().any(|n| lost.contains(n)));
    let why = "no road leads there from the existing fiber network (road parts more than 3 km apart are not bridged)";
    unreachable.extend(lost_groups.iter().map(|gr| (gr.need.village, gr.need.households, why)));
    let towards = towards_root(&g, &tree);
    // The re-analysis judges fiber by distance to a cable, so it would not notice a route that
    // is not joined to the network: the tree itself must join every village it claims.
    let roots: BTreeSet<u32> = g.roots.iter().copied().collect();
    let (reached, cut_off): (Vec<Group>, Vec<Group>) =
        reached.into_iter().partition(|gr| gr.nodes.iter().all(|&n| roots.contains(&n) || towards[n as usize] != u32::MAX));
    let why = "the route found does not reach the existing network (an internal error: please report it)";
    unreachable.extend(cut_off.iter().map(|gr| (gr.need.village, gr.need.households, why)));
    let paths: Vec<Vec<u32>> = reached
        .iter()
        .map(|gr| {
            let mut edges: Vec<u32> = gr.nodes.iter().flat_map(|&n| path_from(&g, &towards, n)).collect();
            edges.sort_unstable();
            edges.dedup();
            edges
        })
        .collect();
    let mut works = rank_routes(p, &g, costs, &reached, &paths);
    // Dig once: each route builds on the routes ranked before it.
    for (i, w) in works.iter_mut().enumerate().skip(1) {
        w.after = Some(i - 1);
    }
    unreachable.sort_by_key(|u| u.0);
    FiberPlan { works, unreachable }
}

/// Each node's tree edge towards the root set (`u32::MAX` at the roots and off the tree).
fn towards_root(g: &RoadGraph, tree: &Tree) -> Vec<u32> {
    let mut incident: Vec<Vec<u32>> = vec![Vec::new(); g.graph.len()];
    for &e in &tree.edges {
        let (a, b, _) = g.graph.edges[e as usize];
        incident[a as usize].push(e);
        incident[b as usize].push(e);
    }
    // One search from the roots over the tree gives every node's edge towards them.
    let mut towards = vec![u32::MAX; g.graph.len()];
    let mut seen = vec![false; g.graph.len()];
    let mut queue: std::collections::VecDeque<u32> = g.roots.iter().copied().collect();
    g.roots.iter().for_each(|&r| seen[r as usize] = true);
    while let Some(v) = queue.pop_front() {
        for &e in &incident[v as usize] {
            let (a, b, _) = g.graph.edges[e as usize];
            let w = if a == v { b } else { a };
            if !std::mem::replace(&mut seen[w as usize], true) {
                towards[w as usize] = e;
                queue.push_back(w);
            }
        }
    }
    towards
}

/// The tree edges from node `n` to the root set.
fn path_from(g: &RoadGraph, towards: &[u32], n: u32) -> Vec<u32> {
    let mut path = Vec::new();
    let mut v = n;
    while towards[v as usize] != u32::MAX {
        let e = towards[v as usize];
        let (a, b, _) = g.graph.edges[e as usize];
        path.push(e);
        v = if a == v { b } else { a };
    }
    path
}

/// Greedy ranking by households per yuan of not-yet-built route: each village's work is the
/// part of its path to the network that earlier works did not build, its boxes and drops.
fn rank_routes(p: &Project, g: &RoadGraph, costs: &Costs, reached: &[Group], paths: &[Vec<u32>]) -> Vec<Work> {
    // Each village's boxes do not depend on the order: priced once.
    let base: Vec<Work> = reached
        .iter()
        .map(|gr| {
            let mut w = work_for(p, gr.need);
            for b in &gr.boxes {
                w.cost += b.cost;
                *w.quantities.entry("distribution_boxes").or_default() += 1.0;
                *w.quantities.entry("splitters").or_default() += b.splitters;
                *w.quantities.entry("drops").or_default() += b.households;
                w.points.push(lonlat(p, b.xy[0], b.xy[1]));
                w.builds.access_points.push(new_box(p, costs, b.xy[0], b.xy[1], b.households));
            }
            if gr.off_road {
                w.flags.push("off-road lead-in: a box lies far from any road".into());
            }
            w
        })
        .collect();
    let mut built = vec![false; g.graph.edges.len()];
    let mut left: Vec<usize> = (0..reached.len()).collect();
    let mut works = Vec::with_capacity(reached.len());
    let weight = |e: u32| g.graph.edges[e as usize].2;
    let route_cost = |i: usize, built: &[bool]| paths[i].iter().filter(|&&e| !built[e as usize]).map(|&e| weight(e)).sum::<f64>();
    // Each village's route cost not yet built, lowered edge by edge as works build them (the
    // villages using an edge found by a sorted (edge, village) list): re-summing every path at
    // every step made 10 000 villages on a 1M-edge road graph take minutes.
    let mut unbuilt: Vec<f64> = (0..reached.len()).map(|i| route_cost(i, &built)).collect();
    let mut users: Vec<(u32, usize)> = paths.iter().enumerate().flat_map(|(i, p)| p.iter().map(move |&e| (e, i))).collect();
    users.sort_unstable();
    while !left.is_empty() {
        // Most households per yuan; ties by village order (so reruns give the same plan).
        let ratio = |a: usize| base[a].households / (base[a].cost + unbuilt[a].max(0.0)).max(1.0);
        let (k, &i) = left
            .iter()
            .enumerate()
            .max_by(|&(_, &a), &(_, &b)| ratio(a).total_cmp(&ratio(b)).then(reached[b].need.village.cmp(&reached[a].need.village)))
            .expect("left is not empty");
        left.swap_remove(k);
        let mut w = base[i].clone();
        w.cost += route_cost(i, &built);
        let new_edges: Vec<u32> = paths[i].iter().copied().filter(|&e| !std::mem::replace(&mut built[e as usize], true)).collect();
        for &e in &new_edges {
            let from = users.partition_point(|&(x, _)| x < e);
            users[from..].iter().take_while(|&&(x, _)| x == e).for_each(|&(_, j)| unbuilt[j] -= weight(e));
        }
        for &e in &new_edges {
            let (kind, len) = g.edge_kind[e as usize];
            if let Some(key) = sheath_key(kind) {
                *w.quantities.entry(key).or_default() += len / 1000.0;
            }
            if matches!(kind, RouteKind::Aerial | RouteKind::LeadIn) {
                *w.quantities.entry("pole_route_km").or_default() += len / 1000.0;
            }
        }
        w.builds.cables = polylines(p, g, &new_edges);
        works.push(w);
    }
    works
}

/// The bill-of-quantities item of a route kind (sheath km), none for existing cable.
fn sheath_key(kind: RouteKind) -> Option<&'static str> {
    match kind {
        RouteKind::Aerial | RouteKind::LeadIn => Some("sheath_km_aerial"),
        RouteKind::Buried => Some("sheath_km_buried"),
        RouteKind::OffRoad => Some("sheath_km_off_road"),
        RouteKind::Existing => None,
    }
}

/// An empty fiber work for a village.
fn work_for(p: &Project, need: &VillageNeed) -> Work {
    let v = &p.data.villages[need.village];
    Work {
        rank: 0,
        kind: WorkKind::Fiber,
        name: format!("fiber to {} ({})", v.name, v.id),
        villages: vec![need.village],
        households: need.households,
        cost: 0.0,
        quantities: BTreeMap::new(),
        points: Vec::new(),
        builds: Builds::default(),
        flags: Vec::new(),
        alternatives: Vec::new(),
        after: None,
    }
}

/// Local (x, y) as WGS84 [lon, lat].
fn lonlat(p: &Project, x: f64, y: f64) -> [f64; 2] {
    let (lon, lat) = p.frame.inverse(x, y);
    [lon, lat]
}

/// A new box at local (x, y) for `households` (ports for them all, at least one splitter's worth).
fn new_box(p: &Project, costs: &Costs, x: f64, y: f64, households: f64) -> ScenarioAccessPoint {
    let [lon, lat] = lonlat(p, x, y);
    let split = costs.access.box_split;
    ScenarioAccessPoint {
        id: String::new(),
        tech: costs.access.box_tech.clone(),
        lon,
        lat,
        split: Some(split),
        ports_total: Some(split.max(households.ceil() as u32)),
        ports_used: Some(0),
    }
}

/// A box to build: where (local frame), the households it reaches, its splitters and cost.
struct PlannedBox {
    xy: [f64; 2],
    households: f64,
    splitters: f64,
    cost: f64,
}

/// Boxes among the village's homes no box reaches: first the village's own box at
/// `village_box` where a route must end at the village (priced as the cost table's village
/// box), then, the home with the most households first, a box taking every unreached home
/// within the drop distance (and the optical budget). Each box has a splitter per split of its
/// households and a drop per household.
fn place_boxes(p: &Project, need: &VillageNeed, costs: &Costs, village_box: Option<[f64; 2]>) -> Vec<PlannedBox> {
    let s = &p.file.coverage.fiber;
    let tech = crate::model::AccessTech::parse(&costs.access.box_tech).expect("checked when the costs were read");
    let budget = if matches!(tech, crate::model::AccessTech::XgPon | crate::model::AccessTech::XgsPon) { s.xgpon_budget_db } else { s.gpon_budget_db };
    let split_loss = crate::coverage::fiber::splitter_loss_db(costs.access.box_split).expect("checked when the costs were read");
    // The farthest drop the optics carry, less a metre against rounding at the edge.
    let optical_m = (budget - split_loss - s.margin_db) / s.fiber_db_per_km * 1000.0;
    let reach = s.drop_distance_m.min(optical_m).min(s.reach_km * 1000.0) - 1.0;
    let b = &p.data.buildings;
    let mut order = need.homes.clone();
    order.sort_by(|&x, &y| b[y].households.total_cmp(&b[x].households).then(x.cmp(&y)));
    let mut done = vec![false; order.len()];
    let seeds = village_box.map(|xy| (xy, costs.fiber.village_box, None));
    let homes = order.iter().enumerate().map(|(k, &h)| (p.index.building_xy[h], costs.access.box_, Some(k)));
    let mut out = Vec::new();
    for ([x, y], box_cost, home) in seeds.into_iter().chain(homes) {
        // A home already reached needs no box of its own.
        if home.is_some_and(|k| done[k]) || reach <= 0.0 {
            continue;
        }
        let mut hh = 0.0;
        for (j, &o) in order.iter().enumerate() {
            let [ox, oy] = p.index.building_xy[o];
            if !done[j] && (ox - x).hypot(oy - y) <= reach {
                done[j] = true;
                hh += b[o].households;
            }
        }
        let splitters = (hh / f64::from(costs.access.box_split)).ceil().max(1.0);
        let cost = box_cost + (splitters - 1.0) * costs.access.splitter + hh * costs.access.drop_per_household;
        out.push(PlannedBox { xy: [x, y], households: hh, splitters, cost });
    }
    out
}

/// Edges chained into polylines (lon/lat), broken where three or more edges meet.
fn polylines(p: &Project, g: &RoadGraph, edges: &[u32]) -> Vec<Vec<[f64; 2]>> {
    let mut at: BTreeMap<u32, Vec<u32>> = BTreeMap::new();
    for &e in edges {
        let (a, b, _) = g.graph.edges[e as usize];
        at.entry(a).or_default().push(e);
        at.entry(b).or_default().push(e);
    }
    let mut used = BTreeSet::new();
    let mut out = Vec::new();
    // Start at ends and branch points first, then whatever is left (closed loops cannot occur in a tree).
    let starts: Vec<u32> = at.iter().filter(|(_, es)| es.len() != 2).map(|(&v, _)| v).chain(at.keys().copied()).collect();
    for s in starts {
        while let Some(&e0) = at[&s].iter().find(|e| !used.contains(*e)) {
            let mut line = vec![s];
            let (mut v, mut e) = (s, e0);
            loop {
                used.insert(e);
                let (a, b, _) = g.graph.edges[e as usize];
                v = if a == v { b } else { a };
                line.push(v);
                let next = at[&v].iter().copied().find(|x| !used.contains(x));
                match next {
                    Some(n) if at[&v].len() == 2 => e = n,
                    _ => break,
                }
            }
            out.push(
                line.iter()
                    .map(|&n| {
                        let [x, y] = g.xy[n as usize];
                        let (lon, lat) = p.frame.inverse(x, y);
                        [lon, lat]
                    })
                    .collect(),
            );
        }
    }
    out
}
