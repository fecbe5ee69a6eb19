//! Fiber extension: the villages a profile judges unconnected (a `fiber_connected` target not met
//! for want of fiber in reach) joined to the existing network along the roads, as one Steiner
//! tree sharing trunk, then cut into works ranked by households per yuan.
//!
//! Each work is the route one village adds to what the works before it built (dig once: a work
//! builds on the earlier ones, never the other way round); the next work is always the one with
//! the most households per yuan of new route. Under a budget the works are taken in that order
//! while they fit: a plan never builds a route that connects no village.

use super::costs::Costs;
use super::roads::{RoadGraph, RouteKind};
use super::steiner::{self, Tree};
use crate::analysis::Analysis;
use crate::project::{Project, ScenarioCable};
use crate::targets::evaluate::{Reason, Verdict};
use crate::targets::places::PlaceRef;
use crate::targets::profile::Requirement;
use serde::Serialize;
use std::collections::{BTreeMap, BTreeSet};

/// A village that needs fiber, and the targets that say so.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct Demand {
    /// Index into the project's villages.
    pub village: usize,
    /// Its households (0 when unknown).
    pub households: f64,
    /// The targets it fails for want of fiber.
    pub targets: Vec<String>,
}

/// The unconnected villages of an analysis, in village order.
pub fn demand(p: &Project, a: &Analysis) -> Vec<Demand> {
    let mut by_village: BTreeMap<usize, Demand> = BTreeMap::new();
    for t in &a.targets {
        if !matches!(t.target.require, Requirement::FiberConnected { .. }) {
            continue;
        }
        for pv in &t.places {
            let PlaceRef::Village(v) = pv.place else { continue };
            if pv.outcome.state == Verdict::NotMet && pv.outcome.reason == Some(Reason::NoFiberInReach) {
                let d =
                    by_village.entry(v).or_insert_with(|| Demand { village: v, households: p.data.villages[v].households.unwrap_or(0.0), targets: Vec::new() });
                d.targets.push(t.target.id.clone());
            }
        }
    }
    by_village.into_values().collect()
}

/// One work of the plan: the route that connects one village, on top of the works before it.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct Work {
    /// Rank (1 = first to build).
    pub rank: usize,
    /// The village it connects (index into the project's villages).
    pub village: usize,
    /// Its households.
    pub households: f64,
    /// New route, per kind: (kind, metres).
    pub metres: Vec<(RouteKind, f64)>,
    /// Cost of the new route and the village's box (yuan).
    pub cost: f64,
    /// The new route's pieces, each a polyline in lon/lat.
    pub routes: Vec<Vec<[f64; 2]>>,
    /// The lead-in to the village is an off-road span (the village lies far from any road).
    pub off_road: bool,
}

/// A fiber plan.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct FiberPlan {
    /// The works, in the order to build them.
    pub works: Vec<Work>,
    /// Villages no route reaches (no road leads there from the network), with their households.
    pub unreachable: Vec<(usize, f64)>,
    /// Villages left out by the budget, with their households.
    pub over_budget: Vec<(usize, f64)>,
}

impl FiberPlan {
    /// Total cost (yuan).
    pub fn cost(&self) -> f64 {
        self.works.iter().map(|w| w.cost).sum()
    }

    /// The plan's routes as scenario cables (`PLAN-F0001` …), one per route piece.
    pub fn cables(&self) -> Vec<ScenarioCable> {
        let mut out = Vec::new();
        for w in &self.works {
            for r in &w.routes {
                out.push(ScenarioCable { id: format!("PLAN-F{:04}", out.len() + 1), route: r.clone() });
            }
        }
        out
    }
}

/// Plans fiber to every village of `demand` along `p`'s roads, within `budget` (yuan) if given.
pub fn plan(p: &Project, demand: &[Demand], costs: &Costs, budget: Option<f64>) -> FiberPlan {
    let mut g = RoadGraph::build(p, costs);
    let mut terminals = Vec::new();
    let mut unreachable = Vec::new();
    let mut off_road = BTreeSet::new();
    for d in demand {
        let [x, y] = p.index.village_xy[d.village];
        match g.attach(x, y, costs) {
            Some((n, _, off)) => {
                if off {
                    off_road.insert(n);
                }
                terminals.push((n, d));
            }
            None => unreachable.push((d.village, d.households)),
        }
    }
    if g.roots.is_empty() {
        unreachable.extend(terminals.iter().map(|(_, d)| (d.village, d.households)));
        return FiberPlan { works: Vec::new(), unreachable, over_budget: Vec::new() };
    }
    let ts: Vec<u32> = terminals.iter().map(|(n, _)| *n).collect();
    let tree = steiner::improve(&g.graph, &g.roots, &ts, &steiner::grow(&g.graph, &g.roots, &ts));
    let lost: BTreeSet<u32> = tree.unreachable.iter().copied().collect();
    unreachable.extend(terminals.iter().filter(|(n, _)| lost.contains(n)).map(|(_, d)| (d.village, d.households)));
    let reached: Vec<(u32, &Demand)> = terminals.iter().filter(|(n, _)| !lost.contains(n)).map(|(n, d)| (*n, *d)).collect();
    let paths = paths_to_root(&g, &tree, &reached);
    rank_works(p, &g, costs, &reached, &paths, &off_road, budget, unreachable)
}

/// For each reached terminal, the tree edges from it to the root set.
fn paths_to_root(g: &RoadGraph, tree: &Tree, reached: &[(u32, &Demand)]) -> Vec<Vec<u32>> {
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
    reached
        .iter()
        .map(|&(n, _)| {
            let mut path = Vec::new();
            let mut v = n;
            while towards[v as usize] != u32::MAX {
                let e = towards[v as usize];
                let (a, b, _) = g.graph.edges[e as usize];
                path.push(e);
                v = if a == v { b } else { a };
            }
            path
        })
        .collect()
}

/// Greedy ranking by households per yuan of not-yet-built route; the budget cuts the list at the
/// first work that does not fit.
#[allow(clippy::too_many_arguments)]
fn rank_works(
    p: &Project,
    g: &RoadGraph,
    costs: &Costs,
    reached: &[(u32, &Demand)],
    paths: &[Vec<u32>],
    off_road: &BTreeSet<u32>,
    budget: Option<f64>,
    unreachable: Vec<(usize, f64)>,
) -> FiberPlan {
    let mut built = vec![false; g.graph.edges.len()];
    let mut left: Vec<usize> = (0..reached.len()).collect();
    let (mut works, mut over_budget, mut spent) = (Vec::new(), Vec::new(), 0.0);
    while !left.is_empty() {
        let new_cost = |i: usize| costs.fiber.village_box + paths[i].iter().filter(|&&e| !built[e as usize]).map(|&e| g.graph.edges[e as usize].2).sum::<f64>();
        // Most households per yuan; ties by village order (so reruns give the same plan).
        let (k, &i) = left
            .iter()
            .enumerate()
            .max_by(|&(_, &a), &(_, &b)| {
                let (va, vb) = (reached[a].1.households / new_cost(a).max(1.0), reached[b].1.households / new_cost(b).max(1.0));
                va.total_cmp(&vb).then(reached[b].1.village.cmp(&reached[a].1.village))
            })
            .expect("left is not empty");
        let cost = new_cost(i);
        if budget.is_some_and(|b| spent + cost > b) {
            over_budget.extend(left.iter().map(|&j| (reached[j].1.village, reached[j].1.households)));
            break;
        }
        left.swap_remove(k);
        spent += cost;
        let new_edges: Vec<u32> = paths[i].iter().copied().filter(|&e| !std::mem::replace(&mut built[e as usize], true)).collect();
        let mut metres: BTreeMap<&'static str, (RouteKind, f64)> = BTreeMap::new();
        for &e in &new_edges {
            let (kind, len) = g.edge_kind[e as usize];
            metres.entry(kind.label()).or_insert((kind, 0.0)).1 += len;
        }
        works.push(Work {
            rank: works.len() + 1,
            village: reached[i].1.village,
            households: reached[i].1.households,
            metres: metres.into_values().filter(|(k, _)| *k != RouteKind::Existing).collect(),
            cost,
            routes: polylines(p, g, &new_edges),
            off_road: off_road.contains(&reached[i].0),
        });
    }
    over_budget.sort_by_key(|&(v, _)| v);
    FiberPlan { works, unreachable, over_budget }
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
