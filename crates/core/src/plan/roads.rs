//! The graph fiber routes follow: the project's roads, priced per edge in yuan by road class,
//! with the existing cables in it at no cost, and places attached to it by lead-ins.
//!
//! Road vertices closer than [`MERGE_M`] (on a grid of that size) are one node, so roads that
//! meet at a shared vertex, or nearly, join. A place (a village, a cable vertex off the roads)
//! is attached by a lead-in to the nearest road node; a lead-in longer than the cost table's
//! `lead_in_max_m` is an off-road span, priced and flagged as such. Parts of the road network
//! that no existing cable touches and that meet no other part are bridged to the nearest node of
//! another part by an off-road span of at most [`BRIDGE_MAX_M`], nearest first.

use super::costs::Costs;
use super::steiner::Graph;
use crate::project::Project;
use rstar::RTree;
use rstar::primitives::GeomWithData;
use serde::Serialize;
use std::collections::HashMap;

/// Vertices this close (m, on a grid) are one node.
pub const MERGE_M: f64 = 5.0;

/// The longest off-road span that bridges two parts of the road network (m).
pub const BRIDGE_MAX_M: f64 = 3000.0;

/// How a route edge is built.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
#[serde(rename_all = "snake_case")]
pub enum RouteKind {
    /// Aerial cable on poles along a road.
    Aerial,
    /// Buried cable along a road.
    Buried,
    /// A lead-in from a road to a place, within the lead-in limit (aerial).
    LeadIn,
    /// A cross-country span: a lead-in past the limit.
    OffRoad,
    /// An existing cable: costs nothing.
    Existing,
}

impl RouteKind {
    /// The name plans and tables use (Chinese first, for the planners who read them).
    pub fn label(self) -> &'static str {
        match self {
            RouteKind::Aerial => "架空 aerial",
            RouteKind::Buried => "管道/直埋 buried",
            RouteKind::LeadIn => "引入 lead-in",
            RouteKind::OffRoad => "非沿路 off-road",
            RouteKind::Existing => "既有 existing",
        }
    }
}

/// The priced road graph.
pub struct RoadGraph {
    /// Nodes and edges, weights in yuan.
    pub graph: Graph,
    /// Node positions in the project's local frame (m).
    pub xy: Vec<[f64; 2]>,
    /// Per edge: how it is built and its length (m).
    pub edge_kind: Vec<(RouteKind, f64)>,
    /// Nodes on existing cables: the root set a plan grows from.
    pub roots: Vec<u32>,
    /// Road nodes, for the nearest-node search.
    road_nodes: RTree<GeomWithData<[f64; 2], u32>>,
}

impl RoadGraph {
    /// The roads and existing cables of `p`, priced by `costs`.
    pub fn build(p: &Project, costs: &Costs) -> RoadGraph {
        let mut g = RoadGraph { graph: Graph::default(), xy: Vec::new(), edge_kind: Vec::new(), roots: Vec::new(), road_nodes: RTree::new() };
        let mut at: HashMap<(i64, i64), u32> = HashMap::new();
        let mut node = |g: &mut RoadGraph, x: f64, y: f64| -> u32 {
            let key = ((x / MERGE_M).round() as i64, (y / MERGE_M).round() as i64);
            *at.entry(key).or_insert_with(|| {
                g.xy.push([x, y]);
                g.graph.add_node()
            })
        };
        for road in &p.data.roads {
            let per_km = costs.road_per_km(road.class.as_deref());
            let kind = if costs.is_buried(road.class.as_deref()) { RouteKind::Buried } else { RouteKind::Aerial };
            for line in &road.line.0 {
                let mut prev: Option<u32> = None;
                for c in &line.0 {
                    let (x, y) = p.frame.forward(c.x, c.y);
                    let n = node(&mut g, x, y);
                    if let Some(a) = prev.filter(|&a| a != n) {
                        g.edge(a, n, kind, per_km);
                    }
                    prev = Some(n);
                }
            }
        }
        let road_count = g.xy.len();
        g.road_nodes = RTree::bulk_load(g.xy.iter().enumerate().map(|(i, &xy)| GeomWithData::new(xy, i as u32)).collect());
        // Existing cables: free edges; their vertices are the roots. A cable that shares no node
        // with the roads is attached at each of its vertices by a lead-in.
        let mut roots = Vec::new();
        for cable in &p.data.cables {
            for line in &cable.route.0 {
                let mut prev: Option<u32> = None;
                for c in &line.0 {
                    let (x, y) = p.frame.forward(c.x, c.y);
                    let n = node(&mut g, x, y);
                    if (n as usize) >= road_count {
                        g.attach_node(n, costs);
                    }
                    if let Some(a) = prev.filter(|&a| a != n) {
                        g.edge(a, n, RouteKind::Existing, 0.0);
                    }
                    roots.push(n);
                    prev = Some(n);
                }
            }
        }
        roots.sort_unstable();
        roots.dedup();
        g.roots = roots;
        g.bridge_parts(costs);
        g
    }

    /// Joins each part of the network without an existing cable to the nearest node of another
    /// part (off-road spans up to [`BRIDGE_MAX_M`]), until every part has a cable or no span is
    /// short enough.
    fn bridge_parts(&mut self, costs: &Costs) {
        let n = self.graph.len();
        let mut parent: Vec<u32> = (0..n as u32).collect();
        fn find(parent: &mut [u32], mut v: u32) -> u32 {
            while parent[v as usize] != v {
                parent[v as usize] = parent[parent[v as usize] as usize];
                v = parent[v as usize];
            }
            v
        }
        for &(a, b, _) in &self.graph.edges {
            let (ra, rb) = (find(&mut parent, a), find(&mut parent, b));
            parent[ra as usize] = rb;
        }
        let all: RTree<GeomWithData<[f64; 2], u32>> = RTree::bulk_load(self.xy.iter().enumerate().map(|(i, &xy)| GeomWithData::new(xy, i as u32)).collect());
        loop {
            let mut wired = vec![false; n];
            for &r in &self.roots {
                let root = find(&mut parent, r);
                wired[root as usize] = true;
            }
            let mut members: std::collections::BTreeMap<u32, Vec<u32>> = std::collections::BTreeMap::new();
            for v in 0..n as u32 {
                let c = find(&mut parent, v);
                if !wired[c as usize] {
                    members.entry(c).or_default().push(v);
                }
            }
            let mut bridged = false;
            for (c, nodes) in members {
                // This part may have been joined to another earlier in the round.
                if find(&mut parent, c) != c {
                    continue;
                }
                let mut best: Option<(f64, u32, u32)> = None;
                for &v in &nodes {
                    let xy = self.xy[v as usize];
                    for other in all.nearest_neighbor_iter(&xy) {
                        let d = (other.geom()[0] - xy[0]).hypot(other.geom()[1] - xy[1]);
                        if d > BRIDGE_MAX_M || best.is_some_and(|b| d >= b.0) {
                            break;
                        }
                        if find(&mut parent, other.data) != c {
                            best = Some((d, v, other.data));
                            break;
                        }
                    }
                }
                if let Some((_, a, b)) = best {
                    self.edge(a, b, RouteKind::OffRoad, costs.fiber.off_road_per_km);
                    let (ra, rb) = (find(&mut parent, a), find(&mut parent, b));
                    parent[ra as usize] = rb;
                    bridged = true;
                }
            }
            if !bridged {
                return;
            }
        }
    }

    /// Adds an edge of `kind` priced at `per_km` yuan per km.
    fn edge(&mut self, a: u32, b: u32, kind: RouteKind, per_km: f64) -> u32 {
        let [ax, ay] = self.xy[a as usize];
        let [bx, by] = self.xy[b as usize];
        let len = (bx - ax).hypot(by - ay);
        self.edge_kind.push((kind, len));
        self.graph.add_edge(a, b, len / 1000.0 * per_km)
    }

    /// Joins node `n` to the nearest road node by a lead-in (aerial within the limit, off-road
    /// past it). Returns the lead-in's length and whether it is off-road; `None` without roads.
    fn attach_node(&mut self, n: u32, costs: &Costs) -> Option<(f64, bool)> {
        let xy = self.xy[n as usize];
        let nearest = self.road_nodes.nearest_neighbor(&xy)?;
        let d = (nearest.geom()[0] - xy[0]).hypot(nearest.geom()[1] - xy[1]);
        if nearest.data == n {
            return Some((0.0, false));
        }
        let off_road = d > costs.fiber.lead_in_max_m;
        let (kind, per_km) = if off_road { (RouteKind::OffRoad, costs.fiber.off_road_per_km) } else { (RouteKind::LeadIn, costs.fiber.aerial_per_km) };
        self.edge(n, nearest.data, kind, per_km);
        Some((d, off_road))
    }

    /// Adds a place at local `x`, `y` and attaches it; returns its node, the lead-in length and
    /// whether it is off-road. `None` when the project has no roads.
    pub fn attach(&mut self, x: f64, y: f64, costs: &Costs) -> Option<(u32, f64, bool)> {
        if self.road_nodes.size() == 0 {
            return None;
        }
        self.xy.push([x, y]);
        let n = self.graph.add_node();
        let (d, off) = self.attach_node(n, costs)?;
        Some((n, d, off))
    }
}
