//! Key-path exchange, kept local so that it scales to road graphs of a million edges.
//!
//! A key path is a tree path between two key nodes (roots, terminals, branch points) through
//! nodes that are none of these. Removing it splits the tree in two; if a path cheaper than the
//! key path joins the two parts again, the two are swapped. Done naively, every key path costs a
//! pass over the whole graph (a side marked node by node, a Dijkstra over every node, a copy of
//! the tree): on the 1M-edge road lattice of the planner's benchmark, 10 000 terminals took more
//! than 12 minutes. Here [`screen`] finds every key path's cheapest join at once, with its
//! bridge; only the key paths it finds a cheaper one for (a tenth) are looked at again, on the
//! tree as the pass's earlier swaps left it: the screen's bridge is swapped in while it still
//! joins the two parts, else the cheapest join is searched. The two sides are walked at once
//! from the key path's ends until one runs out (work twice the smaller side; rooting the whole
//! tree after each swap took half the time), the search settles only nodes within the key
//! path's cost, and the scratch arrays are reset only where they were touched.

mod screen;

use super::{Arcs, Entry, Graph, Tree};
use std::collections::{BTreeSet, BinaryHeap};

/// Key-path exchange: while some key path of the tree (a path between two key nodes — roots,
/// terminals or branch points — through nodes that are none of these) costs more than the
/// cheapest path joining the two parts its removal leaves, swaps them. Leaves that are neither
/// terminals nor roots are pruned first and after every swap. Never makes the tree dearer.
pub fn improve(g: &Graph, roots: &[u32], terminals: &[u32], tree: &Tree) -> Tree {
    let mut keep = vec![false; g.len()];
    roots.iter().chain(terminals).for_each(|&v| keep[v as usize] = true);
    let mut edges = TreeEdges::trimmed(g, &keep, &tree.edges);
    let arcs = Arcs::new(g);
    let mut sides = Sides::new(g.len(), roots);
    let mut search = Search::new(g.len());
    let mut inner = vec![false; g.len()];
    // Each pass screens the key paths of the tree as it was at the pass's start, all at once,
    // then looks again, on the tree as earlier swaps left it, at those the screen found a
    // cheaper join for (a tenth of them on the 1M-edge benchmark): the screen costs a few
    // Dijkstras over the graph, a search one per key path. Passes repeat while one swaps. A key
    // path screened or tried in vain is not tried again in later passes ("don't look" bits, as
    // in 2-opt): later passes look only where swaps changed the tree.
    let mut in_vain: BTreeSet<Vec<u32>> = BTreeSet::new();
    loop {
        let paths: Vec<Vec<u32>> = key_paths(g, &keep, &edges).into_iter().filter(|p| !in_vain.contains(p)).collect();
        // A few key paths are searched at once: the screen's Dijkstras over the whole graph
        // would cost more (on the 1M-edge benchmark, 0.3 s a pass for the last few paths).
        let screened = if paths.len() * SCREEN_FROM >= g.len() { Some(screen::best_joins(g, &arcs, roots, &edges, &paths)) } else { None };
        let mut screened = screened.map(Vec::into_iter);
        let mut swapped = false;
        for path in paths {
            let cost: f64 = path.iter().map(|&e| g.edges[e as usize].2).sum();
            let offered = match screened.as_mut().map(|s| s.next().flatten()) {
                Some(Some(bridge)) if cheaper(bridge.cost, cost) => Some(bridge),
                Some(_) => {
                    in_vain.insert(path);
                    continue;
                }
                None => None,
            };
            if !is_key_path(g, &keep, &edges, &path) || !sides.split(g, roots, &edges, &path) {
                continue;
            }
            let path_nodes = inner_nodes(g, &path);
            path_nodes.iter().for_each(|&v| inner[v as usize] = true);
            // The screen's bridge, while earlier swaps of the pass left it joining the two
            // parts; else the cheapest join on the tree as it is now.
            let bridge = match offered {
                Some(b) if bridge_joins(g, &edges, &sides, &inner, &b) => Some(b.edges),
                _ => search.cheapest_join(g, &arcs, &edges, &sides, &inner, cost).filter(|&(_, c)| cheaper(c, cost)).map(|(b, _)| b),
            };
            path_nodes.iter().for_each(|&v| inner[v as usize] = false);
            let Some(bridge) = bridge else {
                in_vain.insert(path);
                continue;
            };
            path.iter().for_each(|&e| edges.remove(g, e));
            bridge.into_iter().for_each(|e| edges.insert(g, e));
            // Only the cut path's ends may have become spare leaves.
            edges.prune(g, &keep, vec![path_end(g, &path, true), path_end(g, &path, false)]);
            swapped = true;
        }
        if !swapped {
            break;
        }
    }
    Tree { edges: edges.set.into_iter().collect(), unreachable: tree.unreachable.clone() }
}

/// The screen runs when a pass has at least one key path per this many graph nodes.
const SCREEN_FROM: usize = 500;

/// Whether `bridge` joins the two parts of the tree `edges` cut at the key path whose inner
/// nodes `inner` marks and whose sides `sides` has just split: its ends on the tree, one on
/// each side, and every other node of it off the tree or on the cut path.
fn bridge_joins(g: &Graph, edges: &TreeEdges, sides: &Sides, inner: &[bool], bridge: &screen::Bridge) -> bool {
    let on_tree = |v: u32| sides.on_tree(edges, v);
    let [a, b] = bridge.ends;
    let ends_apart = [a, b].iter().all(|&v| on_tree(v) && !inner[v as usize]) && sides.in_smaller(a) != sides.in_smaller(b);
    ends_apart
        && bridge.edges.iter().all(|&e| {
            let (p, q, _) = g.edges[e as usize];
            [p, q].iter().all(|&v| v == a || v == b || inner[v as usize] || !on_tree(v))
        })
}

/// Whether a join of cost `join` is worth swapping in for a key path of cost `cost` (by more
/// than rounding).
fn cheaper(join: f64, cost: f64) -> bool {
    join < cost - 1e-9 * cost.max(1.0)
}

/// The tree's edges, with each node's tree edges (graph-sized, kept up to date edge by edge, so
/// that a swap costs what it changes).
struct TreeEdges {
    set: BTreeSet<u32>,
    at: Vec<Vec<u32>>,
    /// `at[v].len()`, kept flat: the search asks it of every node it settles.
    degree: Vec<u32>,
}

impl TreeEdges {
    fn new(g: &Graph, edges: &[u32]) -> TreeEdges {
        let mut t = TreeEdges { set: BTreeSet::new(), at: vec![Vec::new(); g.len()], degree: vec![0; g.len()] };
        edges.iter().for_each(|&e| t.insert(g, e));
        t
    }

    /// The tree `edges` without the leaves that need not be there (neither in `keep`).
    fn trimmed(g: &Graph, keep: &[bool], edges: &[u32]) -> TreeEdges {
        let mut t = TreeEdges::new(g, edges);
        let leaves: Vec<u32> = t.nodes(g).into_iter().filter(|&v| t.degree(v) == 1).collect();
        t.prune(g, keep, leaves);
        t
    }

    fn insert(&mut self, g: &Graph, e: u32) {
        if self.set.insert(e) {
            let (a, b, _) = g.edges[e as usize];
            self.at[a as usize].push(e);
            self.at[b as usize].push(e);
            self.degree[a as usize] += 1;
            self.degree[b as usize] += 1;
        }
    }

    fn remove(&mut self, g: &Graph, e: u32) {
        if self.set.remove(&e) {
            let (a, b, _) = g.edges[e as usize];
            self.at[a as usize].retain(|&x| x != e);
            self.at[b as usize].retain(|&x| x != e);
            self.degree[a as usize] -= 1;
            self.degree[b as usize] -= 1;
        }
    }

    fn degree(&self, v: u32) -> u32 {
        self.degree[v as usize]
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

/// Which side of a cut tree a node was found on (graph-sized; reset where it was set).
struct Sides {
    /// 0: not reached; 1 or 2: reached from the cut path's first or last end.
    mark: Vec<u8>,
    is_root: Vec<bool>,
    /// The nodes of the smaller side, once [`Sides::split`] has found it.
    smaller: Vec<u32>,
    reached: Vec<u32>,
}

/// One of the two searches [`Sides::split`] interleaves.
struct Walk {
    side: u8,
    stack: Vec<u32>,
    /// Into `roots`, once the walk has reached one root (the roots hang together: reaching
    /// one reaches all).
    roots_next: Option<usize>,
    nodes: Vec<u32>,
}

impl Sides {
    fn new(n: usize, roots: &[u32]) -> Sides {
        let mut is_root = vec![false; n];
        roots.iter().for_each(|&r| is_root[r as usize] = true);
        Sides { mark: vec![0; n], is_root, smaller: Vec::new(), reached: Vec::new() }
    }

    /// Cuts the key path `path` out of the tree and finds the smaller of the two parts it
    /// leaves, by walking both at once from the path's ends and stopping when one walk runs
    /// out: the work is twice the smaller part, not the whole tree. False when the ends are
    /// still joined without the path (it closes a cycle through the roots).
    fn split(&mut self, g: &Graph, roots: &[u32], edges: &TreeEdges, path: &[u32]) -> bool {
        self.clear();
        let (first, last) = (path[0], path[path.len() - 1]);
        let mut walks = [(path_end(g, path, true), 1u8), (path_end(g, path, false), 2u8)].map(|(v, side)| Walk {
            side,
            stack: vec![v],
            roots_next: None,
            nodes: Vec::new(),
        });
        for w in &walks {
            self.mark[w.stack[0] as usize] = w.side;
        }
        let done = 'walk: loop {
            for (i, w) in walks.iter_mut().enumerate() {
                match self.step(g, roots, edges, (first, last), w) {
                    Step::Ran => {}
                    Step::Done => break 'walk Some(i),
                    Step::Met => break 'walk None,
                }
            }
        };
        for w in &walks {
            self.reached.extend(&w.nodes);
            self.reached.extend(&w.stack);
        }
        let Some(i) = done else { return false };
        self.smaller = std::mem::take(&mut walks[i].nodes);
        self.reached.extend(&self.smaller);
        true
    }

    /// One node of a walk: its tree neighbours (not across the cut path's end edges) join the
    /// walk's side.
    fn step(&mut self, g: &Graph, roots: &[u32], edges: &TreeEdges, cut: (u32, u32), w: &mut Walk) -> Step {
        let v = match (w.stack.pop(), w.roots_next) {
            (Some(v), _) => v,
            (None, Some(i)) if i < roots.len() => {
                w.roots_next = Some(i + 1);
                let r = roots[i];
                match self.mark[r as usize] {
                    0 => self.mark[r as usize] = w.side,
                    m if m == w.side => return Step::Ran,
                    _ => return Step::Met,
                }
                r
            }
            _ => return Step::Done,
        };
        w.nodes.push(v);
        if self.is_root[v as usize] && w.roots_next.is_none() {
            w.roots_next = Some(0);
        }
        for &e in &edges.at[v as usize] {
            if e == cut.0 || e == cut.1 {
                continue;
            }
            let (a, b, _) = g.edges[e as usize];
            let u = if a == v { b } else { a };
            match self.mark[u as usize] {
                0 => {
                    self.mark[u as usize] = w.side;
                    w.stack.push(u);
                }
                m if m == w.side => {}
                _ => return Step::Met,
            }
        }
        Step::Ran
    }

    /// Whether `v` is a node of the tree `edges` (roots are, with or without edges).
    fn on_tree(&self, edges: &TreeEdges, v: u32) -> bool {
        edges.degree(v) > 0 || self.is_root[v as usize]
    }

    /// Whether `v` is on the smaller side found by the last split.
    fn in_smaller(&self, v: u32) -> bool {
        self.smaller.first().is_some_and(|&s| self.mark[v as usize] == self.mark[s as usize])
    }

    fn clear(&mut self) {
        for &v in &self.reached {
            self.mark[v as usize] = 0;
        }
        self.reached.clear();
        self.smaller.clear();
    }
}

/// What one step of a walk found.
enum Step {
    Ran,
    /// The walk has no node left: its side is complete.
    Done,
    /// The walk reached the other side.
    Met,
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
    fn relax(&mut self, arcs: &Arcs, v: u32, d: f64, heap: &mut BinaryHeap<Entry>) {
        for &(w, e, weight) in arcs.of(v) {
            let nd = d + weight;
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

    /// The cheapest path from the smaller side of the tree cut by `sides`' last split to the
    /// other side (`inner` marks the cut key path's inner nodes, which belong to neither), if
    /// one costs at most `limit`: its edges and cost. Ties go to the lowest node index, so the
    /// result is the same on every run.
    fn cheapest_join(&mut self, g: &Graph, arcs: &Arcs, edges: &TreeEdges, sides: &Sides, inner: &[bool], limit: f64) -> Option<(Vec<u32>, f64)> {
        let sources = &sides.smaller;
        let is_target = |v: u32| sides.on_tree(edges, v) && !inner[v as usize] && !sides.in_smaller(v);
        // The sources are settled at 0 without going through the heap (there may be thousands).
        for &s in sources {
            self.dist[s as usize] = 0.0;
            self.touched.push(s);
        }
        let mut heap = BinaryHeap::new();
        for &s in sources {
            self.relax(arcs, s, 0.0, &mut heap);
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
            self.relax(arcs, v, d, &mut heap);
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
