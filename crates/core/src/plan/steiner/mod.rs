//! Steiner trees on a weighted graph: connect terminals to a root set (the existing network,
//! contracted into one root) at least cost, sharing trunk.
//!
//! [`grow`] is Takahashi–Matsuyama's heuristic (from the root, add the shortest path to the
//! nearest unconnected terminal, until none is left; at most 2 (1 − 1/k) times the optimum),
//! with distances kept up to date incrementally: after each path, a Dijkstra seeded from the new
//! tree nodes only lowers what it can. [`improve`] then exchanges key paths (a tree path whose
//! inner nodes are neither terminals nor branch points) for shorter reconnections, pass after
//! pass, until a pass swaps none: each pass screens every key path at once over the Voronoi
//! regions of the tree (Uchoa–Werneck) and searches only those with a cheaper join; later
//! passes skip key paths an earlier one found no join for. On street graphs the textbook
//! approximations are ~10 % above the optimum, which this closes in part. [`exact`] is the Dreyfus–Wagner dynamic programme, for tests on small
//! graphs. Edge weights are costs (yuan), never negative.

use std::cmp::Ordering;
mod improve;

pub use improve::improve;

use std::collections::{BTreeSet, BinaryHeap};

/// An undirected graph with non-negative edge weights.
#[derive(Debug, Clone, Default)]
pub struct Graph {
    /// Per node: (neighbour, edge index).
    pub adj: Vec<Vec<(u32, u32)>>,
    /// Per edge: its two nodes and its weight.
    pub edges: Vec<(u32, u32, f64)>,
}

impl Graph {
    /// A graph of `n` nodes and no edges.
    pub fn with_nodes(n: usize) -> Graph {
        Graph { adj: vec![Vec::new(); n], edges: Vec::new() }
    }

    /// Adds a node; returns its index.
    pub fn add_node(&mut self) -> u32 {
        self.adj.push(Vec::new());
        (self.adj.len() - 1) as u32
    }

    /// Adds an edge of weight `w` (≥ 0) between `a` and `b`; returns its index.
    pub fn add_edge(&mut self, a: u32, b: u32, w: f64) -> u32 {
        debug_assert!(w >= 0.0, "edge weights are costs");
        let e = self.edges.len() as u32;
        self.edges.push((a, b, w));
        self.adj[a as usize].push((b, e));
        self.adj[b as usize].push((a, e));
        e
    }

    /// Number of nodes.
    pub fn len(&self) -> usize {
        self.adj.len()
    }

    /// True when the graph has no node.
    pub fn is_empty(&self) -> bool {
        self.adj.is_empty()
    }
}

/// A graph's adjacency laid out flat for searches: each node's arcs (neighbour, edge, weight)
/// side by side, in the order of [`Graph::adj`]. A search over a million-edge road graph is
/// bound by memory: here one arc costs one cache line at most, where the nested lists cost a
/// pointer chase per node and another per edge for its weight.
struct Arcs {
    /// Node `v`'s arcs are `arcs[start[v]..start[v + 1]]`.
    start: Vec<u32>,
    arcs: Vec<(u32, u32, f64)>,
}

impl Arcs {
    fn new(g: &Graph) -> Arcs {
        let mut start = Vec::with_capacity(g.len() + 1);
        let mut arcs = Vec::with_capacity(2 * g.edges.len());
        start.push(0);
        for adj in &g.adj {
            arcs.extend(adj.iter().map(|&(w, e)| (w, e, g.edges[e as usize].2)));
            start.push(arcs.len() as u32);
        }
        Arcs { start, arcs }
    }

    /// Node `v`'s arcs: (neighbour, edge index, weight).
    fn of(&self, v: u32) -> &[(u32, u32, f64)] {
        &self.arcs[self.start[v as usize] as usize..self.start[v as usize + 1] as usize]
    }
}

/// A tree as a set of edges (indices into [`Graph::edges`]), with what it could not reach.
#[derive(Debug, Clone, Default, PartialEq)]
pub struct Tree {
    /// The edges, sorted.
    pub edges: Vec<u32>,
    /// Terminals no path reaches from the root set.
    pub unreachable: Vec<u32>,
}

impl Tree {
    /// The sum of the edges' weights.
    pub fn cost(&self, g: &Graph) -> f64 {
        self.edges.iter().map(|&e| g.edges[e as usize].2).sum()
    }
}

/// A heap entry: nodes come out cheapest first, ties by index (so the result is the same on
/// every run).
#[derive(Debug, Clone, Copy, PartialEq)]
struct Entry(f64, u32);

impl Eq for Entry {}

impl Ord for Entry {
    fn cmp(&self, o: &Self) -> Ordering {
        o.0.total_cmp(&self.0).then_with(|| o.1.cmp(&self.1))
    }
}

impl PartialOrd for Entry {
    fn partial_cmp(&self, o: &Self) -> Option<Ordering> {
        Some(self.cmp(o))
    }
}

/// Shortest distances from a set of sources, kept up to date as sources are added.
struct Distances {
    dist: Vec<f64>,
    /// The edge a node was last reached by (`u32::MAX` for a source or an unreached node).
    via: Vec<u32>,
}

impl Distances {
    fn new(n: usize) -> Distances {
        Distances { dist: vec![f64::INFINITY; n], via: vec![u32::MAX; n] }
    }

    /// Makes `sources` distance 0 and lowers every distance they can lower, telling `lowered`
    /// each node and distance it lowers.
    fn add_sources(&mut self, arcs: &Arcs, sources: &[u32], mut lowered: impl FnMut(u32, f64)) {
        let mut heap = BinaryHeap::new();
        for &s in sources {
            self.dist[s as usize] = 0.0;
            self.via[s as usize] = u32::MAX;
            heap.push(Entry(0.0, s));
        }
        while let Some(Entry(d, v)) = heap.pop() {
            if d > self.dist[v as usize] {
                continue;
            }
            for &(w, e, weight) in arcs.of(v) {
                let nd = d + weight;
                if nd < self.dist[w as usize] {
                    self.dist[w as usize] = nd;
                    self.via[w as usize] = e;
                    heap.push(Entry(nd, w));
                    lowered(w, nd);
                }
            }
        }
    }

    /// The edges from `v` back to the nearest source, and the nodes on the way (source last).
    fn path_to(&self, g: &Graph, mut v: u32) -> (Vec<u32>, Vec<u32>) {
        let (mut edges, mut nodes) = (Vec::new(), vec![v]);
        while self.via[v as usize] != u32::MAX {
            let e = self.via[v as usize];
            let (a, b, _) = g.edges[e as usize];
            v = if a == v { b } else { a };
            edges.push(e);
            nodes.push(v);
        }
        (edges, nodes)
    }
}

/// Takahashi–Matsuyama: grows a tree from `roots` (connected to each other already, at no
/// cost) to every terminal it can reach, nearest first (ties by node index).
pub fn grow(g: &Graph, roots: &[u32], terminals: &[u32]) -> Tree {
    let arcs = Arcs::new(g);
    let mut d = Distances::new(g.len());
    let mut in_tree = vec![false; g.len()];
    roots.iter().for_each(|&r| in_tree[r as usize] = true);
    let mut is_terminal = vec![false; g.len()];
    terminals.iter().for_each(|&t| is_terminal[t as usize] = true);
    // The terminals by distance, nearest first (ties by index), an entry each time a distance
    // is lowered; entries for terminals since joined or reached closer are skipped.
    let mut nearest = BinaryHeap::new();
    let mut edges = BTreeSet::new();
    let mut new = roots.to_vec();
    loop {
        d.add_sources(&arcs, &new, |v, dist| {
            if is_terminal[v as usize] {
                nearest.push(Entry(dist, v));
            }
        });
        let next = std::iter::from_fn(|| nearest.pop()).find(|&Entry(dist, t)| !in_tree[t as usize] && dist == d.dist[t as usize]);
        let Some(Entry(_, t)) = next else { break };
        let (path, nodes) = d.path_to(g, t);
        edges.extend(path);
        new = nodes.into_iter().filter(|&v| !std::mem::replace(&mut in_tree[v as usize], true)).collect();
    }
    let unreachable = terminals.iter().copied().filter(|&t| !in_tree[t as usize]).collect::<BTreeSet<u32>>();
    Tree { edges: edges.into_iter().collect(), unreachable: unreachable.into_iter().collect() }
}

/// The exact minimum Steiner tree cost joining `terminals` and the root set (Dreyfus–Wagner;
/// exponential in the terminals: for tests with a dozen at most). `None` when some terminal
/// cannot be reached.
pub fn exact(g: &Graph, roots: &[u32], terminals: &[u32]) -> Option<f64> {
    // The root set becomes one terminal: a virtual node joined to every root at no cost.
    let mut h = g.clone();
    let root = h.add_node();
    for &r in roots {
        h.add_edge(root, r, 0.0);
    }
    let ts: Vec<u32> = terminals.iter().copied().collect::<BTreeSet<_>>().into_iter().filter(|t| !roots.contains(t)).collect();
    let k = ts.len();
    let n = h.len();
    let full = (1usize << k) - 1;
    let mut dp = vec![vec![f64::INFINITY; n]; full + 1];
    for (i, &t) in ts.iter().enumerate() {
        let mut d = Distances::new(n);
        d.add_sources(&Arcs::new(&h), &[t], |_, _| {});
        dp[1 << i] = d.dist;
    }
    for set in 1..=full {
        if set.count_ones() < 2 {
            continue;
        }
        // Merge two subtrees at a node…
        let mut sub = (set - 1) & set;
        while sub > 0 {
            if sub < (set ^ sub) {
                let merged: Vec<f64> = dp[sub].iter().zip(&dp[set ^ sub]).map(|(a, b)| a + b).collect();
                dp[set].iter_mut().zip(merged).for_each(|(best, c)| *best = best.min(c));
            }
            sub = (sub - 1) & set;
        }
        // …then move the meeting point along shortest paths.
        let mut heap: BinaryHeap<Entry> = (0..n as u32).filter(|&v| dp[set][v as usize].is_finite()).map(|v| Entry(dp[set][v as usize], v)).collect();
        while let Some(Entry(c, v)) = heap.pop() {
            if c > dp[set][v as usize] {
                continue;
            }
            for &(w, e) in &h.adj[v as usize] {
                let nc = c + h.edges[e as usize].2;
                if nc < dp[set][w as usize] {
                    dp[set][w as usize] = nc;
                    heap.push(Entry(nc, w));
                }
            }
        }
    }
    let best = if k == 0 { 0.0 } else { dp[full][root as usize] };
    best.is_finite().then_some(best)
}

#[cfg(test)]
mod tests {
    use super::*;

    /// A deterministic generator for test graphs.
    pub(super) struct Lcg(pub(super) u64);

    impl Lcg {
        pub(super) fn next(&mut self) -> f64 {
            self.0 = self.0.wrapping_mul(6364136223846793005).wrapping_add(1442695040888963407);
            (self.0 >> 11) as f64 / (1u64 << 53) as f64
        }
    }

    /// A `w` × `h` street grid with random block lengths and a few diagonals.
    pub(super) fn street_grid(w: u32, h: u32, rng: &mut Lcg) -> Graph {
        let mut g = Graph::with_nodes((w * h) as usize);
        let id = |x: u32, y: u32| y * w + x;
        for y in 0..h {
            for x in 0..w {
                if x + 1 < w {
                    g.add_edge(id(x, y), id(x + 1, y), 50.0 + 200.0 * rng.next());
                }
                if y + 1 < h {
                    g.add_edge(id(x, y), id(x, y + 1), 50.0 + 200.0 * rng.next());
                }
                if x + 1 < w && y + 1 < h && rng.next() < 0.15 {
                    g.add_edge(id(x, y), id(x + 1, y + 1), 80.0 + 250.0 * rng.next());
                }
            }
        }
        g
    }

    /// The nodes connected to `from` by `edges` (roots count as connected to each other).
    fn component_of(g: &Graph, edges: &BTreeSet<u32>, roots: &[u32], from: u32) -> Vec<bool> {
        let mut incident: Vec<Vec<u32>> = vec![Vec::new(); g.len()];
        for &e in edges {
            let (a, b, _) = g.edges[e as usize];
            incident[a as usize].push(b);
            incident[b as usize].push(a);
        }
        let mut is_root = vec![false; g.len()];
        roots.iter().for_each(|&r| is_root[r as usize] = true);
        let mut inside = vec![false; g.len()];
        let mut stack = vec![from];
        inside[from as usize] = true;
        let mut roots_in = false;
        while let Some(v) = stack.pop() {
            // The roots are joined by the existing network: reaching one reaches them all.
            let all_roots: &[u32] = if is_root[v as usize] && !std::mem::replace(&mut roots_in, true) { roots } else { &[] };
            for &w in incident[v as usize].iter().chain(all_roots) {
                if !std::mem::replace(&mut inside[w as usize], true) {
                    stack.push(w);
                }
            }
        }
        inside
    }

    /// Every terminal is joined to a root by the tree's edges.
    fn spans(g: &Graph, roots: &[u32], terminals: &[u32], t: &Tree) -> bool {
        let edges: BTreeSet<u32> = t.edges.iter().copied().collect();
        let inside = component_of(g, &edges, roots, roots[0]);
        terminals.iter().all(|&v| inside[v as usize])
    }

    #[test]
    fn a_star_is_found_exactly() {
        // Root 0 in the middle, terminals 1..=4 around it; a detour ring that costs more.
        let mut g = Graph::with_nodes(5);
        for t in 1..=4 {
            g.add_edge(0, t, 10.0);
        }
        for t in 1..=4 {
            g.add_edge(t, t % 4 + 1, 15.0);
        }
        let tree = improve(&g, &[0], &[1, 2, 3, 4], &grow(&g, &[0], &[1, 2, 3, 4]));
        assert_eq!(tree.cost(&g), 40.0);
        assert_eq!(exact(&g, &[0], &[1, 2, 3, 4]), Some(40.0));
    }

    #[test]
    fn shared_trunk_beats_separate_lines() {
        // Two villages far out on the same road: one trunk, then two short spurs.
        let mut g = Graph::with_nodes(5);
        g.add_edge(0, 1, 1000.0); // root → junction
        g.add_edge(1, 2, 100.0); // junction → village A
        g.add_edge(1, 3, 100.0); // junction → village B
        g.add_edge(0, 2, 1150.0); // direct to A
        g.add_edge(0, 3, 1150.0); // direct to B
        let tree = improve(&g, &[0], &[2, 3], &grow(&g, &[0], &[2, 3]));
        assert_eq!(tree.cost(&g), 1200.0);
    }

    #[test]
    fn unreachable_terminals_are_listed() {
        let mut g = Graph::with_nodes(4);
        g.add_edge(0, 1, 5.0);
        g.add_edge(2, 3, 5.0); // another component
        let tree = grow(&g, &[0], &[1, 3]);
        assert_eq!(tree.unreachable, vec![3]);
        assert_eq!(tree.cost(&g), 5.0);
        assert_eq!(exact(&g, &[0], &[1, 3]), None);
    }

    #[test]
    fn the_heuristic_stays_within_its_bound_of_the_optimum_on_street_grids() {
        let mut rng = Lcg(20261206);
        let (mut ratios, mut improved) = (Vec::new(), 0);
        for case in 0..40 {
            let g = street_grid(6, 5, &mut rng);
            let n = g.len() as u32;
            let k = 3 + case % 6;
            let mut picks: BTreeSet<u32> = BTreeSet::new();
            while picks.len() < k + 2 {
                picks.insert((rng.next() * n as f64) as u32 % n);
            }
            let picks: Vec<u32> = picks.into_iter().collect();
            let (roots, terminals) = (&picks[..2], &picks[2..]);
            let grown = grow(&g, roots, terminals);
            let better = improve(&g, roots, terminals, &grown);
            assert!(spans(&g, roots, terminals, &better), "case {case}: the improved tree must still join every terminal");
            let opt = exact(&g, roots, terminals).expect("a grid is connected");
            let (c0, c1) = (grown.cost(&g), better.cost(&g));
            assert!(c1 <= c0 + 1e-6, "case {case}: improvement made it dearer ({c0} → {c1})");
            assert!(c1 >= opt - 1e-6, "case {case}: cheaper than the optimum?");
            let bound = 2.0 * (1.0 - 1.0 / (terminals.len() as f64 + 1.0));
            assert!(c0 <= bound * opt + 1e-6, "case {case}: {c0} > {bound} × {opt}");
            if c1 < c0 - 1e-6 {
                improved += 1;
            }
            ratios.push(c1 / opt);
        }
        let mean = ratios.iter().sum::<f64>() / ratios.len() as f64;
        let worst = ratios.iter().copied().fold(1.0, f64::max);
        eprintln!("street grids: tree / optimum mean {mean:.4}, worst {worst:.4}; key-path exchange improved {improved} of 40");
        assert!(worst < 1.25, "worst ratio {worst}");
    }
}
