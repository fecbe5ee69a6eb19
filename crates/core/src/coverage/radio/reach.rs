//! Which sectors can reach a place: how far a sector reaches (where even the rural NLOS loss
//! buries its signal), and a uniform grid whose cells list, in sector order, every sector whose
//! reach disc meets the cell. A lookup is one division and a slice, where an R-tree query would
//! allocate and sort for each of hundreds of thousands of buildings.

/// Cells per grid at most; past it the cells grow (a province-wide layer stays small).
const MAX_CELLS: f64 = 4_000_000.0;

/// The reach grid over discs `(x, y, radius)` in the local frame.
#[derive(Debug, Clone, Default)]
pub struct ReachGrid {
    x0: f64,
    y0: f64,
    cell: f64,
    nx: usize,
    ny: usize,
    /// Cell `k` holds `items[start[k]..start[k + 1]]`.
    start: Vec<u32>,
    items: Vec<u32>,
}

impl ReachGrid {
    /// The box around every finite disc: (x0, y0, x1, y1).
    pub fn bounds(discs: &[(f64, f64, f64)]) -> (f64, f64, f64, f64) {
        let (mut x0, mut y0, mut x1, mut y1) = (f64::INFINITY, f64::INFINITY, f64::NEG_INFINITY, f64::NEG_INFINITY);
        for &(x, y, r) in discs.iter().filter(|d| d.0.is_finite() && d.1.is_finite() && d.2 >= 0.0) {
            (x0, y0, x1, y1) = (x0.min(x - r), y0.min(y - r), x1.max(x + r), y1.max(y + r));
        }
        (x0, y0, x1, y1)
    }

    /// The cells [`Self::within`] would lay over `bounds`, listing nothing: for asking which
    /// discs a cell would list ([`Self::would_list`]) without listing them all.
    pub fn lattice(bounds: (f64, f64, f64, f64), cell_m: f64) -> ReachGrid {
        let (x0, y0, x1, y1) = bounds;
        if !(x0 <= x1 && y0 <= y1) {
            return ReachGrid::default();
        }
        let cell = cell_m.max(((x1 - x0) * (y1 - y0) / MAX_CELLS).sqrt()).max(1.0);
        // Cells sit on a fixed lattice (multiples of the cell size from the frame's origin), not
        // on the discs' box: moving one sector then leaves every other cell where it was, so a
        // recomputation around that sector gives the same numbers as a full one.
        let (x0, y0) = ((x0 / cell).floor() * cell, (y0 / cell).floor() * cell);
        let nx = ((x1 - x0) / cell).floor() as usize + 1;
        let ny = ((y1 - y0) / cell).floor() as usize + 1;
        ReachGrid { x0, y0, cell, nx, ny, start: vec![0; nx * ny + 1], items: Vec::new() }
    }

    /// Whether the cell holding local (x, y) lists (or, built by [`Self::within`], would list)
    /// `disc` (x, y, radius): the same test as building the grid, for one disc.
    pub fn would_list(&self, x: f64, y: f64, disc: (f64, f64, f64)) -> bool {
        let (fi, fj) = ((x - self.x0) / self.cell, (y - self.y0) / self.cell);
        if !(fi >= 0.0 && fj >= 0.0 && disc.0.is_finite() && disc.1.is_finite() && disc.2 >= 0.0) {
            return false;
        }
        let (i, j) = (fi as usize, fj as usize);
        i < self.nx && j < self.ny && cell_meets_disc(self.x0 + i as f64 * self.cell, self.y0 + j as f64 * self.cell, self.cell, disc)
    }

    /// Builds the grid with cells of about `cell_m` metres over `bounds` (which must hold every
    /// disc: grids over subsets of the same discs then share their cells); discs keep their
    /// index, the lists stay sorted by it.
    pub fn within(discs: &[(f64, f64, f64)], bounds: (f64, f64, f64, f64), cell_m: f64) -> ReachGrid {
        let mut grid = ReachGrid::lattice(bounds, cell_m);
        let ReachGrid { x0, y0, cell, nx, ny, .. } = grid;
        if nx == 0 || ny == 0 {
            return grid;
        }
        // The cells each disc meets, in disc order (so every cell's list comes out sorted); none
        // (an empty range) for a disc that is nowhere.
        let cells_of = |&(x, y, r): &(f64, f64, f64)| {
            let finite = x.is_finite() && y.is_finite() && r >= 0.0;
            let (ia, ib) =
                if finite { (((x - r - x0) / cell).floor().max(0.0) as usize, (((x + r - x0) / cell).floor() as usize).min(nx - 1)) } else { (1, 0) };
            let (ja, jb) =
                if finite { (((y - r - y0) / cell).floor().max(0.0) as usize, (((y + r - y0) / cell).floor() as usize).min(ny - 1)) } else { (1, 0) };
            (ja..=jb)
                .flat_map(move |j| (ia..=ib).map(move |i| (i, j)))
                .filter(move |&(i, j)| cell_meets_disc(x0 + i as f64 * cell, y0 + j as f64 * cell, cell, (x, y, r)))
                .map(move |(i, j)| j * nx + i)
        };
        // Each disc's cells found once, discs in parallel; then counted and filled in disc order:
        // one allocation instead of a list per cell.
        use rayon::prelude::*;
        let per_disc: Vec<Vec<u32>> = discs.par_iter().map(|d| cells_of(d).map(|k| k as u32).collect()).collect();
        let mut start = vec![0u32; nx * ny + 1];
        for &k in per_disc.iter().flatten() {
            start[k as usize + 1] += 1;
        }
        for k in 0..nx * ny {
            start[k + 1] += start[k];
        }
        let mut items = vec![0u32; start[nx * ny] as usize];
        let mut next = start.clone();
        for (i, cells) in per_disc.iter().enumerate() {
            for &k in cells {
                items[next[k as usize] as usize] = i as u32;
                next[k as usize] += 1;
            }
        }
        grid.start = start;
        grid.items = items;
        grid
    }

    /// The cell holding (x, y) split `k` × `k`: the sub-cell's indices and its centre. Places in
    /// one sub-cell share their cell, so [`Self::at`] gives them the same list.
    pub fn sub_cell(&self, x: f64, y: f64, k: usize) -> Option<((u32, u32), (f64, f64))> {
        let (fi, fj) = ((x - self.x0) / self.cell, (y - self.y0) / self.cell);
        if !(fi >= 0.0 && fj >= 0.0) || fi as usize >= self.nx || fj as usize >= self.ny {
            return None;
        }
        let sub = self.cell / k as f64;
        // Sub-cells are counted within their cell, so rounding never moves one across a cell edge.
        let (i, j) = (fi as usize, fj as usize);
        let si = (((x - self.x0 - i as f64 * self.cell) / sub) as usize).min(k - 1);
        let sj = (((y - self.y0 - j as f64 * self.cell) / sub) as usize).min(k - 1);
        let centre = (self.x0 + i as f64 * self.cell + (si as f64 + 0.5) * sub, self.y0 + j as f64 * self.cell + (sj as f64 + 0.5) * sub);
        Some((((i * k + si) as u32, (j * k + sj) as u32), centre))
    }

    /// Cell size (m).
    pub fn cell_m(&self) -> f64 {
        self.cell
    }

    /// The discs that may contain (x, y): a superset of those that do, sorted by index.
    pub fn at(&self, x: f64, y: f64) -> &[u32] {
        let (fi, fj) = ((x - self.x0) / self.cell, (y - self.y0) / self.cell);
        if !(fi >= 0.0 && fj >= 0.0) {
            return &[];
        }
        let (i, j) = (fi as usize, fj as usize);
        if i >= self.nx || j >= self.ny {
            return &[];
        }
        let k = j * self.nx + i;
        &self.items[self.start[k] as usize..self.start[k + 1] as usize]
    }
}

/// Whether the cell with corner (x0, y0) and side `cell` meets `disc`: the cell's nearest point
/// to the disc's centre lies in the disc, with a hair of slack (a point on a cell's edge may
/// round into either cell).
fn cell_meets_disc(x0: f64, y0: f64, cell: f64, (x, y, r): (f64, f64, f64)) -> bool {
    let cx = x.clamp(x0, x0 + cell);
    let cy = y.clamp(y0, y0 + cell);
    (cx - x).powi(2) + (cy - y).powi(2) <= r * r * (1.0 + 1e-9) + 1e-6
}

/// Distance (m) at which the RMa NLOS formula reaches `max_loss_db` (bisection; used only to
/// bound the search, the formula is evaluated past its range here on purpose and never reported).
pub(super) fn reach_m(freq: f64, h_bs: f64, h_ut: f64, max_loss_db: f64) -> f64 {
    let fc = freq / 1000.0;
    let (h, w) = (5.0f64, 20.0f64);
    let nlos = |d: f64| {
        let d3 = (d * d + (h_bs - h_ut).powi(2)).sqrt();
        161.04 - 7.1 * w.log10() + 7.5 * h.log10() - (24.37 - 3.7 * (h / h_bs).powi(2)) * h_bs.log10()
            + (43.42 - 3.1 * h_bs.log10()) * (d3.log10() - 3.0)
            + 20.0 * fc.log10()
            - (3.2 * (11.75 * h_ut).log10().powi(2) - 4.97)
    };
    let (mut lo, mut hi) = (10.0, 100_000.0);
    if nlos(hi) <= max_loss_db {
        return hi;
    }
    for _ in 0..60 {
        let mid = (lo * hi).sqrt();
        if nlos(mid) <= max_loss_db { lo = mid } else { hi = mid }
    }
    hi
}

#[cfg(test)]
mod tests {
    use super::*;
    use proptest::prelude::*;

    proptest! {
        #[test]
        fn holds_every_disc_containing_the_point(discs in prop::collection::vec((-5000.0..5000.0f64, -5000.0..5000.0f64, 0.0..3000.0f64), 1..40),
                                                 queries in prop::collection::vec((-9000.0..9000.0f64, -9000.0..9000.0f64), 1..40),
                                                 cell in 50.0..2000.0f64) {
            let grid = ReachGrid::within(&discs, ReachGrid::bounds(&discs), cell);
            for &(x, y) in &queries {
                let got = grid.at(x, y);
                prop_assert!(got.windows(2).all(|w| w[0] < w[1]));
                for (i, d) in discs.iter().enumerate() {
                    prop_assert_eq!(got.contains(&(i as u32)), grid.would_list(x, y, *d), "disc {} {:?} at ({}, {})", i, d, x, y);
                    if (d.0 - x).powi(2) + (d.1 - y).powi(2) <= d.2 * d.2 {
                        prop_assert!(got.contains(&(i as u32)), "disc {i} {d:?} misses ({x}, {y})");
                    }
                }
            }
        }
    }

    #[test]
    fn empty_and_non_finite_input() {
        let grid = ReachGrid::within(&[], ReachGrid::bounds(&[]), 500.0);
        assert!(grid.at(0.0, 0.0).is_empty());
        let discs = [(f64::NAN, 0.0, 10.0), (0.0, 0.0, 10.0)];
        let grid = ReachGrid::within(&discs, ReachGrid::bounds(&discs), 500.0);
        assert_eq!(grid.at(1.0, 1.0), &[1]);
        assert!(grid.at(f64::NAN, 1.0).is_empty());
    }
}
