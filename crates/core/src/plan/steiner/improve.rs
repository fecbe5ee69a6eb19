//! Key-path exchange, kept local so that it scales to road graphs of a million edges.
//!
//! A key path is a tree path between two key nodes (roots, terminals, branch points) through
//! nodes that are none of these. Removing it splits the tree in two; if a path cheaper than the
//! key path joins the two parts again, the two are swapped. Done naively, every key path costs a
//! pass over the whole graph (a side marked node by node, a Dijkstra over every node, a copy of
//! the tree): on the 1M-edge road lattice of the planner's benchmark, 10 000 terminals took more
//! than 12 minutes. Here the tree is rooted once per swap (Euler-tour intervals give each side
//! in O(1) per node), the search starts from the smaller side and settles only nodes within the
//! key path's cost, and the scratch arrays are reset only where they were touched.

use super::{Entry, Graph, Tree};
use std::collections::{BTreeSet, BinaryHeap};

/// Key-path exchange: while some key path of the tree (a path between two key nodes — roots,
/// terminals or branch points — through nodes that are none of these) costs more than the
/// cheapest path joining the two parts its removal leaves, swaps them. Leaves that are neither
/// terminals nor roots are pruned first and after every swap. Never makes the tree dearer.
pub fn improve(g: &Graph, roots: &[u32], terminals: &[u32], tree: &Tree) -> Tree {
    let mut keep = vec![false; g.len()];
    roots.iter().chain(terminals).for_each(|&v| keep[v as usize] = true);
    let mut edges = TreeEdges::new(g, &tree.edges);
    let leaves: Vec<u32> = edges.nodes(g).into_iter().filter(|&v| edges.degree(v) == 1).collect();
    edges.prune(g, &keep, leaves);
    let mut shape = Shape::new(g.len());
    let mut search = Search::new(g.len());
    let mut inner = vec![false; g.len()];
    // Each pass tries the key paths of the tree as it was at the pass's start, skipping those an
    // earlier swap in the pass broke; passes repeat while one swaps. A key path tried in vain is
    // not tried again in later passes ("don't look" bits, as in 2-opt): later passes look only
    // where swaps changed the tree, which on a 1M-edge road graph cut the later passes' time by
    // about three quarters.
    let mut in_vain: BTreeSet<Vec<u32>> = BTreeSet::new();
    loop {
        let mut swapped = false;
        let mut stale = true;
        for path in key_paths(g, &keep, &edges) {
            if in_vain.contains(&path) || !is_key_path(g, &keep, &edges, &path) {
                continue;
            }
            if std::mem::take(&mut stale) {
                shape.root(g, roots, &edges);
            }
            let Some(low) = shape.lower_end(g, &path) else { continue };
            let cost: f64 = path.iter().map(|&e| g.edges[e as usize].2).sum();
            let path_nodes = inner_nodes(g, &path);
            path_nodes.iter().for_each(|&v| inner[v as usize] = true);
            let joined = search.cheapest_join(g, &shape, &inner, low, cost);
            path_nodes.iter().for_each(|&v| inner[v as usize] = false);
            match joined {
                Some((bridge, bridge_cost)) if bridge_cost < cost - 1e-9 * cost.max(1.0) => {
                    path.iter().for_each(|&e| edges.remove(g, e));
                    bridge.into_iter().for_each(|e| edges.insert(g, e));
                    // Only the cut path's ends may have become spare leaves.
                    edges.prune(g, &keep, vec![path_end(g, &path, true), path_end(g, &path, false)]);
                    swapped = true;
                    stale = true;
                }
                _ => {
                    in_vain.insert(path);
                }
            }
        }
        if !swapped {
            break;
        }
    }
    Tree { edges: edges.set.into_iter().collect(), unreachable: tree.unreachable.clone() }
}

/// The tree's edges, with each node's tree edges (graph-sized, kept up to date edge by edge, so
/// that a swap costs what it changes).
struct TreeEdges {
    set: BTreeSet<u32>,
    at: Vec<Vec<u32>>,
}

impl TreeEdges {
    fn new(g: &Graph, edges: &[u32]) -> TreeEdges {
        let mut t = TreeEdges { set: BTreeSet::new(), at: vec![Vec::new(); g.len()] };
        edges.iter().for_each(|&e| t.insert(g, e));
        t
    }

    fn insert(&mut self, g: &Graph, e: u32) {
        if self.set.insert(e) {
            let (a, b, _) = g.edges[e as usize];
            self.at[a as usize].push(e);
            self.at[b as usize].push(e);
        }
    }

    fn remove(&mut self, g: &Graph, e: u32) {
        if self.set.remove(&e) {
            let (a, b, _) = g.edges[e as usize];
            self.at[a as usize].retain(|&x| x != e);
            self.at[b as usize].retain(|&x| x != e);
        }
    }

    fn degree(&self, v: u32) -> usize {
        self.at[v as usize].len()
    }

    /// The nodes of the tree's edges, each once, in index order.
    fn nodes(&self, g: &Graph) -> Vec<u32> {
        let ends = self.set.iter().flat_map(|&e| {
            let (a, b, _) = g.edges[e as usize];
            [a, b]
        });
        ends.collect::<BTreeSet<u32>>().into_iter().collect()
    }

    /// Removes leaves that need not be there, starting at `candidates`, one after another (a
    /// leaf removed may make its neighbour a leaf).
    fn prune(&mut self, g: &Graph, keep: &[bool], mut candidates: Vec<u32>) {
        while let Some(v) = candidates.pop() {
            if keep[v as usize] || self.degree(v) != 1 {
                continue;
            }
            let e = self.at[v as usize][0];
            self.remove(g, e);
            let (a, b, _) = g.edges[e as usize];
            candidates.push(if a == v { b } else { a });
        }
    }
}

/// The tree rooted at the root set (the roots are joined by the existing network, so they hang
/// from one virtual root): each tree node's parent edge and its Euler-tour interval. Arrays span
/// the graph and are reset only at the nodes the last rooting touched.
struct Shape {
    /// Roots and nodes of tree edges.
    on_tree: Vec<bool>,
    /// Entry time of each tree node; its subtree is the nodes entered in `tin..tout`.
    tin: Vec<u32>,
    tout: Vec<u32>,
    /// The edge to the parent (`u32::MAX` for roots).
    parent_edge: Vec<u32>,
    /// Tree nodes in entry order.
    order: Vec<u32>,
}

impl Shape {
    fn new(n: usize) -> Shape {
        Shape { on_tree: vec![false; n], tin: vec![0; n], tout: vec![0; n], parent_edge: vec![u32::MAX; n], order: Vec::new() }
    }

    /// Roots the tree `edges` at `roots`.
    fn root(&mut self, g: &Graph, roots: &[u32], edges: &TreeEdges) {
        for &v in &self.order {
            self.on_tree[v as usize] = false;
            self.parent_edge[v as usize] = u32::MAX;
        }
        self.order.clear();
        for &r in roots {
            self.on_tree[r as usize] = true;
        }
        // Iterative depth-first walk: (node, done) — `done` marks the exit of a node.
        let mut stack: Vec<(u32, bool)> = roots.iter().rev().map(|&r| (r, false)).collect();
        let mut clock = 0u32;
        while let Some((v, done)) = stack.pop() {
            if done {
                self.tout[v as usize] = clock;
                continue;
            }
            self.tin[v as usize] = clock;
            clock += 1;
            self.order.push(v);
            stack.push((v, true));
            for &e in &edges.at[v as usize] {
                let (a, b, _) = g.edges[e as usize];
                let w = if a == v { b } else { a };
                if !self.on_tree[w as usize] {
                    self.on_tree[w as usize] = true;
                    self.parent_edge[w as usize] = e;
                    stack.push((w, false));
                }
            }
        }
    }

    /// The end of `path` farther from the roots (whose parent edge is on the path), if any.
    fn lower_end(&self, g: &Graph, path: &[u32]) -> Option<u32> {
        let ends = [(path_end(g, path, true), path[0]), (path_end(g, path, false), path[path.len() - 1])];
        ends.into_iter().find(|&(v, e)| self.on_tree[v as usize] && self.parent_edge[v as usize] == e).map(|(v, _)| v)
    }

    /// Whether `v` is in the subtree of `low`.
    fn below(&self, low: u32, v: u32) -> bool {
        self.on_tree[v as usize] && (self.tin[low as usize]..self.tout[low as usize]).contains(&self.tin[v as usize])
    }
}

/// A Dijkstra whose arrays span the graph but are reset only where a search touched them.
struct Search {
    dist: Vec<f64>,
    via: Vec<u32>,
    touched: Vec<u32>,
}

impl Search {
    fn new(n: usize) -> Search {
        Search { dist: vec![f64::INFINITY; n], via: vec![u32::MAX; n], touched: Vec::new() }
    }

    /// Lowers the distances of `v`'s neighbours through `v`, at distance `d`.
    fn relax(&mut self, g: &Graph, v: u32, d: f64, heap: &mut BinaryHeap<Entry>) {
        for &(w, e) in &g.adj[v as usize] {
            let nd = d + g.edges[e as usize].2;
            if nd < self.dist[w as usize] {
                if self.dist[w as usize].is_infinite() {
                    self.touched.push(w);
                }
                self.dist[w as usize] = nd;
                self.via[w as usize] = e;
                heap.push(Entry(nd, w));
            }
        }
    }

    /// The cheapest path from one side of the tree cut at the key path above `low` to the other
    /// (searched from the smaller side; `inner` marks the key path's inner nodes, which belong
    /// to neither side), if one costs at most `limit`: its edges and cost. Ties go to the
    /// lowest node index, so the result is the same on every run.
    fn cheapest_join(&mut self, g: &Graph, shape: &Shape, inner: &[bool], low: u32, limit: f64) -> Option<(Vec<u32>, f64)> {
        let (lo, hi) = (shape.tin[low as usize] as usize, shape.tout[low as usize] as usize);
        let from_below = 2 * (hi - lo) <= shape.order.len();
        let sources: Vec<u32> = if from_below {
            shape.order[lo..hi].to_vec()
        } else {
            shape.order[..lo].iter().chain(&shape.order[hi..]).copied().filter(|&v| !inner[v as usize]).collect()
        };
        let is_target = |v: u32| shape.on_tree[v as usize] && !inner[v as usize] && shape.below(low, v) != from_below;
        // The sources are settled at 0 without going through the heap (there may be thousands).
        for &s in &sources {
            self.dist[s as usize] = 0.0;
            self.touched.push(s);
        }
        let mut heap = BinaryHeap::new();
        for &s in &sources {
            self.relax(g, s, 0.0, &mut heap);
        }
        let mut best: Option<(f64, u32)> = None;
        while let Some(Entry(d, v)) = heap.pop() {
            if d > limit || best.is_some_and(|(bd, _)| d > bd) {
                break;
            }
            if d > self.dist[v as usize] {
                continue;
            }
            if is_target(v) {
                if best.is_none_or(|(bd, bv)| d < bd || (d == bd && v < bv)) {
                    best = Some((d, v));
                }
                continue;
            }
            self.relax(g, v, d, &mut heap);
        }
        let found = best.map(|(d, mut v)| {
            // Sources keep no edge to come by; every other settled node has one.
            let mut path = Vec::new();
            while self.via[v as usize] != u32::MAX {
                let e = self.via[v as usize];
                let (a, b, _) = g.edges[e as usize];
                v = if a == v { b } else { a };
                path.push(e);
            }
            (path, d)
        });
        for &v in &self.touched {
            self.dist[v as usize] = f64::INFINITY;
            self.via[v as usize] = u32::MAX;
        }
        self.touched.clear();
        found
    }
}

/// The nodes strictly inside a path given as edges in order.
fn inner_nodes(g: &Graph, path: &[u32]) -> Vec<u32> {
    path.windows(2)
        .map(|w| {
            let (a, b, _) = g.edges[w[0] as usize];
            let (c, d, _) = g.edges[w[1] as usize];
            if a == c || a == d { a } else { b }
        })
        .collect()
}

/// The tree's key paths, each as its edges in order from one key node to the other.
fn key_paths(g: &Graph, keep: &[bool], edges: &TreeEdges) -> Vec<Vec<u32>> {
    // Roots are among the nodes to keep, so they are key nodes too.
    let key = |v: u32| keep[v as usize] || edges.degree(v) != 2;
    let mut seen = BTreeSet::new();
    let mut paths = Vec::new();
    for &start in &edges.set {
        if seen.contains(&start) {
            continue;
        }
        // Walk both ways from the edge to the key nodes at its ends.
        let mut path = std::collections::VecDeque::from([start]);
        for forward in [true, false] {
            let (a, b, _) = g.edges[start as usize];
            let (mut v, mut e) = if forward { (b, start) } else { (a, start) };
            while !key(v) {
                let next = edges.at[v as usize].iter().copied().find(|&x| x != e).expect("a non-key node has two edges");
                let (p, q, _) = g.edges[next as usize];
                v = if p == v { q } else { p };
                e = next;
                if forward { path.push_back(e) } else { path.push_front(e) }
            }
        }
        path.iter().for_each(|&e| {
            seen.insert(e);
        });
        paths.push(path.into());
    }
    paths
}

/// Whether `path` is still a key path of the tree `edges`: all its edges there, and its inner
/// nodes of degree two and neither terminals nor roots.
fn is_key_path(g: &Graph, keep: &[bool], edges: &TreeEdges, path: &[u32]) -> bool {
    path.iter().all(|e| edges.set.contains(e)) && inner_nodes(g, path).into_iter().all(|v| !keep[v as usize] && edges.degree(v) == 2)
}

/// One end node of a path given as edges in order: the first edge's end that is not shared
/// with the second, or the last edge's end not shared with the one before.
fn path_end(g: &Graph, path: &[u32], first: bool) -> u32 {
    let (e, other) = if first { (path[0], path.get(1)) } else { (path[path.len() - 1], path.len().checked_sub(2).map(|i| &path[i])) };
    let (a, b, _) = g.edges[e as usize];
    match other {
        Some(&o) => {
            let (p, q, _) = g.edges[o as usize];
            if a == p || a == q { b } else { a }
        }
        // A path of one edge: its first end is one node, its last end the other.
        None if first => a,
        None => b,
    }
}
