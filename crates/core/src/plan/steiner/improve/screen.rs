//! The key-path exchange's screen: for every key path of a tree at once, the cost of the
//! cheapest path joining again the two parts its removal leaves — after Uchoa and Werneck
//! ("Fast local search for Steiner trees in graphs", 2010).
//!
//! Searching from one side for each key path in turn settles, over a pass, the smaller side of
//! every cut: on the 1M-edge road graph of the planner's benchmark, a few hundred trunk key
//! paths with sides of 2 000–30 000 nodes took seven of the pass's eight seconds. Here one
//! Dijkstra from every tree node gives each graph node its nearest tree node (its base); a
//! cheapest join is then made of a boundary edge between two bases' regions (Mehlhorn's
//! lemma). The tree is walked leaves first, each node's boundary edges merged into its
//! parent's heap (smaller into larger), so each key path finds its cheapest boundary edge
//! leaving the part below it at the top of that heap; edges now inside are dropped for good.
//! The regions of the key path's inner nodes, which the cut frees, are shared out again by a
//! search confined to them. A pass costs a few Dijkstras over the graph, not one per key path.

use super::super::{Arcs, Entry, Graph};
use super::{TreeEdges, inner_nodes, path_end};
use std::collections::BinaryHeap;

/// A path joining the two parts of a tree cut at a key path.
#[derive(Debug, Clone)]
pub(super) struct Bridge {
    /// The sum of its edges' weights, as the searches add them up.
    pub cost: f64,
    /// Its end nodes, one in each part.
    pub ends: [u32; 2],
    /// Its edges.
    pub edges: Vec<u32>,
}

/// For each of `paths` (key paths of the tree `edges`), the cheapest path that joins the two
/// parts of the tree left when it is removed (`None` when none does). The roots hang together
/// (the existing network joins them).
pub(super) fn best_joins(g: &Graph, arcs: &Arcs, roots: &[u32], edges: &TreeEdges, paths: &[Vec<u32>]) -> Vec<Option<Bridge>> {
    let tree = Rooted::new(g, roots, edges);
    let regions = Regions::new(arcs, &tree);
    let mut below: Vec<BinaryHeap<Entry>> = vec![BinaryHeap::new(); tree.order.len()];
    for (edge, &(a, b, w)) in g.edges.iter().enumerate() {
        let (x, y) = (regions.base[a as usize], regions.base[b as usize]);
        if x != y && x != NONE && y != NONE {
            // Each end's heap holds the edge (by index: the far end's base is found from it).
            let (cost, e) = (regions.dist[a as usize] + w + regions.dist[b as usize], edge as u32);
            below[tree.tin[x as usize] as usize].push(Entry(cost, e));
            below[tree.tin[y as usize] as usize].push(Entry(cost, e));
        }
    }
    // The key path each tree node is the lower end of.
    let mut path_below = vec![NONE; tree.order.len()];
    for (i, path) in paths.iter().enumerate() {
        if let Some(low) = tree.lower_end(g, path) {
            path_below[tree.tin[low as usize] as usize] = i as u32;
        }
    }
    let mut joins = vec![None; paths.len()];
    let mut freed = Freed::new(g.len());
    let mut inner = vec![false; g.len()];
    for at in (0..tree.order.len()).rev() {
        let v = tree.order[at];
        if let Some(path) = paths.get(path_below[at] as usize) {
            let inner_nodes = inner_nodes(g, path);
            inner_nodes.iter().for_each(|&u| inner[u as usize] = true);
            // Edges to the part below or to the cut path are inside the part that the walk up
            // the tree grows from here on: never a join again.
            let heap = &mut below[at];
            let inside = |&Entry(_, e): &Entry| {
                let (a, b, _) = g.edges[e as usize];
                let bases = [regions.base[a as usize], regions.base[b as usize]];
                bases.iter().any(|&x| inner[x as usize]) || bases.iter().all(|&x| tree.below(v, x))
            };
            while heap.peek().is_some_and(inside) {
                heap.pop();
            }
            let across = heap.peek().map(|&Entry(cost, e)| {
                let (a, b, _) = g.edges[e as usize];
                Bridge { cost, ends: [regions.base[a as usize], regions.base[b as usize]], edges: regions.bridge(g, e, |_| None) }
            });
            let through_freed = freed.cheapest_join(g, arcs, &tree, &regions, &inner_nodes, v);
            joins[path_below[at] as usize] = match (across, through_freed) {
                (Some(a), Some(f)) => Some(if f.cost < a.cost { f } else { a }),
                (a, f) => a.or(f),
            };
            inner_nodes.iter().for_each(|&u| inner[u as usize] = false);
        }
        let parent = tree.parent[v as usize];
        if parent != NONE {
            let mut heap = std::mem::take(&mut below[at]);
            let up = &mut below[tree.tin[parent as usize] as usize];
            if heap.len() > up.len() {
                std::mem::swap(&mut heap, up);
            }
            up.extend(heap);
        }
    }
    joins
}

/// No node.
const NONE: u32 = u32::MAX;

/// The tree rooted at the root set (the roots hang from one virtual root).
struct Rooted {
    /// Entry time of each tree node (`NONE` off the tree); its subtree is entered in `tin..tout`.
    tin: Vec<u32>,
    tout: Vec<u32>,
    /// The edge to the parent and the parent (`NONE` for roots).
    parent_edge: Vec<u32>,
    parent: Vec<u32>,
    /// Tree nodes in entry order.
    order: Vec<u32>,
}

impl Rooted {
    fn new(g: &Graph, roots: &[u32], edges: &TreeEdges) -> Rooted {
        let n = g.len();
        let mut t = Rooted { tin: vec![NONE; n], tout: vec![0; n], parent_edge: vec![NONE; n], parent: vec![NONE; n], order: Vec::new() };
        // Iterative depth-first walk: (node, done) — `done` marks the exit of a node.
        let mut stack: Vec<(u32, bool)> = roots.iter().rev().map(|&r| (r, false)).collect();
        let mut seen = vec![false; n];
        roots.iter().for_each(|&r| seen[r as usize] = true);
        while let Some((v, done)) = stack.pop() {
            if done {
                t.tout[v as usize] = t.order.len() as u32;
                continue;
            }
            if t.tin[v as usize] != NONE {
                continue; // a root listed twice
            }
            t.tin[v as usize] = t.order.len() as u32;
            t.order.push(v);
            stack.push((v, true));
            for &e in &edges.at[v as usize] {
                let (a, b, _) = g.edges[e as usize];
                let w = if a == v { b } else { a };
                if !std::mem::replace(&mut seen[w as usize], true) {
                    t.parent_edge[w as usize] = e;
                    t.parent[w as usize] = v;
                    stack.push((w, false));
                }
            }
        }
        t
    }

    /// The end of `path` farther from the roots (whose parent edge is on the path), if any.
    fn lower_end(&self, g: &Graph, path: &[u32]) -> Option<u32> {
        let ends = [(path_end(g, path, true), path[0]), (path_end(g, path, false), path[path.len() - 1])];
        ends.into_iter().find(|&(v, e)| self.parent_edge[v as usize] == e).map(|(v, _)| v)
    }

    /// Whether the tree node `v` is in the subtree of `low`.
    fn below(&self, low: u32, v: u32) -> bool {
        (self.tin[low as usize]..self.tout[low as usize]).contains(&self.tin[v as usize])
    }
}

/// Each node's nearest tree node (its base) and the distance to it; the nodes of each region.
struct Regions {
    base: Vec<u32>,
    dist: Vec<f64>,
    /// The edge each node was reached by from its base (`NONE` for tree nodes).
    via: Vec<u32>,
    /// The nodes whose base is the tree node entered at `i`: `members[start[i]..start[i + 1]]`.
    start: Vec<u32>,
    members: Vec<u32>,
}

impl Regions {
    fn new(arcs: &Arcs, tree: &Rooted) -> Regions {
        let n = tree.tin.len();
        let (mut base, mut dist, mut via) = (vec![NONE; n], vec![f64::INFINITY; n], vec![NONE; n]);
        let mut heap = BinaryHeap::new();
        for &v in &tree.order {
            base[v as usize] = v;
            dist[v as usize] = 0.0;
            heap.push(Entry(0.0, v));
        }
        while let Some(Entry(d, v)) = heap.pop() {
            if d > dist[v as usize] {
                continue;
            }
            for &(w, e, weight) in arcs.of(v) {
                let nd = d + weight;
                if nd < dist[w as usize] {
                    dist[w as usize] = nd;
                    base[w as usize] = base[v as usize];
                    via[w as usize] = e;
                    heap.push(Entry(nd, w));
                }
            }
        }
        // Counting sort of the nodes by their base's entry time.
        let mut start = vec![0u32; tree.order.len() + 1];
        base.iter().filter(|&&b| b != NONE).for_each(|&b| start[tree.tin[b as usize] as usize + 1] += 1);
        (1..start.len()).for_each(|i| start[i] += start[i - 1]);
        let mut fill = start.clone();
        let mut members = vec![0u32; start[tree.order.len()] as usize];
        for (v, &b) in base.iter().enumerate() {
            if b != NONE {
                let slot = &mut fill[tree.tin[b as usize] as usize];
                members[*slot as usize] = v as u32;
                *slot += 1;
            }
        }
        Regions { base, dist, via, start, members }
    }

    /// The edges of the path through `edge` from one base to the other: from each end back
    /// to its base, by the edge `freed_via` gives for a node of a freed region, else by the
    /// regions' own.
    fn bridge(&self, g: &Graph, edge: u32, freed_via: impl Fn(u32) -> Option<u32>) -> Vec<u32> {
        let (a, b, _) = g.edges[edge as usize];
        let mut path = vec![edge];
        for mut v in [a, b] {
            loop {
                let e = freed_via(v).unwrap_or(self.via[v as usize]);
                if e == NONE {
                    break;
                }
                path.push(e);
                let (p, q, _) = g.edges[e as usize];
                v = if p == v { q } else { p };
            }
        }
        path
    }

    /// The nodes of the region of the tree node `v`.
    fn of(&self, tree: &Rooted, v: u32) -> &[u32] {
        let i = tree.tin[v as usize] as usize;
        &self.members[self.start[i] as usize..self.start[i + 1] as usize]
    }
}

/// The regions a cut frees (those of the key path's inner nodes), shared out again among the
/// remaining tree nodes by a search confined to them. Graph-sized, reset where it was set.
struct Freed {
    inside: Vec<bool>,
    base: Vec<u32>,
    dist: Vec<f64>,
    via: Vec<u32>,
}

impl Freed {
    fn new(n: usize) -> Freed {
        Freed { inside: vec![false; n], base: vec![NONE; n], dist: vec![f64::INFINITY; n], via: vec![NONE; n] }
    }

    /// The cheapest join between the part below `low` and the rest that runs through the
    /// regions of `inner` (the cut key path's inner nodes).
    fn cheapest_join(&mut self, g: &Graph, arcs: &Arcs, tree: &Rooted, regions: &Regions, inner: &[u32], low: u32) -> Option<Bridge> {
        let nodes: Vec<u32> = inner.iter().flat_map(|&v| regions.of(tree, v)).copied().collect();
        nodes.iter().for_each(|&u| self.inside[u as usize] = true);
        // A freed node first takes the best base its neighbours outside offer…
        let mut heap = BinaryHeap::new();
        for &u in &nodes {
            for &(w, e, weight) in arcs.of(u) {
                let nd = regions.dist[w as usize] + weight;
                if !self.inside[w as usize] && regions.base[w as usize] != NONE && nd < self.dist[u as usize] {
                    self.dist[u as usize] = nd;
                    self.base[u as usize] = regions.base[w as usize];
                    self.via[u as usize] = e;
                }
            }
            if self.base[u as usize] != NONE {
                heap.push(Entry(self.dist[u as usize], u));
            }
        }
        // …then passes it on inside the freed regions.
        while let Some(Entry(d, u)) = heap.pop() {
            if d > self.dist[u as usize] {
                continue;
            }
            for &(w, e, weight) in arcs.of(u) {
                if self.inside[w as usize] && d + weight < self.dist[w as usize] {
                    self.dist[w as usize] = d + weight;
                    self.base[w as usize] = self.base[u as usize];
                    self.via[w as usize] = e;
                    heap.push(Entry(d + weight, w));
                }
            }
        }
        let mut best: Option<(f64, u32, [u32; 2])> = None;
        for &u in &nodes {
            let b = self.base[u as usize];
            if b == NONE {
                continue;
            }
            for &(w, e, weight) in arcs.of(u) {
                let (other, od) =
                    if self.inside[w as usize] { (self.base[w as usize], self.dist[w as usize]) } else { (regions.base[w as usize], regions.dist[w as usize]) };
                let cost = self.dist[u as usize] + weight + od;
                if other != NONE && tree.below(low, b) != tree.below(low, other) && best.is_none_or(|(c, _, _)| cost < c) {
                    best = Some((cost, e, [b, other]));
                }
            }
        }
        let bridge =
            best.map(|(cost, e, ends)| Bridge { cost, ends, edges: regions.bridge(g, e, |v| self.inside[v as usize].then_some(self.via[v as usize])) });
        for &u in &nodes {
            self.inside[u as usize] = false;
            self.base[u as usize] = NONE;
            self.dist[u as usize] = f64::INFINITY;
            self.via[u as usize] = NONE;
        }
        bridge
    }
}

#[cfg(test)]
mod tests {
    use super::super::super::grow;
    use super::super::super::tests::{Lcg, street_grid};
    use super::super::{Search, Sides, bridge_joins, key_paths};
    use super::*;
    use std::collections::BTreeSet;

    #[test]
    fn the_screen_finds_every_key_paths_cheapest_join_as_a_search_from_its_side_does() {
        let mut rng = Lcg(20261207);
        let (mut checked, mut cheaper_found) = (0, 0);
        for case in 0..30 {
            let g = street_grid(14, 11, &mut rng);
            let n = g.len() as u32;
            let mut picks: BTreeSet<u32> = BTreeSet::new();
            while picks.len() < 2 + 4 + case % 12 {
                picks.insert((rng.next() * n as f64) as u32 % n);
            }
            let picks: Vec<u32> = picks.into_iter().collect();
            let (roots, terminals) = (&picks[..2], &picks[2..]);
            let mut keep = vec![false; g.len()];
            picks.iter().for_each(|&v| keep[v as usize] = true);
            let edges = TreeEdges::trimmed(&g, &keep, &grow(&g, roots, terminals).edges);
            let arcs = Arcs::new(&g);
            let paths = key_paths(&g, &keep, &edges);
            let joins = best_joins(&g, &arcs, roots, &edges, &paths);
            let (mut sides, mut search, mut inner) = (Sides::new(g.len(), roots), Search::new(g.len()), vec![false; g.len()]);
            for (path, bridge) in paths.iter().zip(joins) {
                assert!(sides.split(&g, roots, &edges, path), "case {case}: a key path of a tree splits it");
                let inner_nodes = inner_nodes(&g, path);
                inner_nodes.iter().for_each(|&v| inner[v as usize] = true);
                let searched = search.cheapest_join(&g, &arcs, &edges, &sides, &inner, f64::INFINITY).map_or(f64::INFINITY, |(_, c)| c);
                let join = bridge.as_ref().map_or(f64::INFINITY, |b| b.cost);
                assert!((join - searched).abs() <= 1e-9 * searched.max(1.0), "case {case}: screen {join}, search {searched}");
                if let Some(b) = &bridge {
                    assert!(bridge_joins(&g, &edges, &sides, &inner, b), "case {case}: {b:?} does not join the two parts");
                }
                inner_nodes.iter().for_each(|&v| inner[v as usize] = false);
                let cost: f64 = path.iter().map(|&e| g.edges[e as usize].2).sum();
                cheaper_found += usize::from(join < cost);
                checked += 1;
            }
        }
        eprintln!("{checked} key paths checked, {cheaper_found} with a cheaper join");
        assert!(checked > 200 && cheaper_found > 0);
    }
}
