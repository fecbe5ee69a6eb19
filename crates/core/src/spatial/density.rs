//! Points bucketed on a grid, to answer "at least n points within r of here?" mostly without
//! looking at a point: cells wholly inside the circle give a lower bound, cells touching it an
//! upper bound, and only when n falls between them are the points of the touching cells
//! measured one by one.

/// Cells per grid at most; past it the cells grow.
const MAX_CELLS: f64 = 4_000_000.0;

/// Points sorted by square cell, with each cell's start in that order.
#[derive(Debug, Clone, Default)]
pub struct DensityGrid {
    x0: f64,
    y0: f64,
    cell: f64,
    nx: usize,
    ny: usize,
    /// Where each cell's points start in `points` (one more entry than cells).
    starts: Vec<u32>,
    /// The finite points, cell by cell (row-major), in their given order within a cell.
    points: Vec<[f64; 2]>,
}

impl DensityGrid {
    /// Buckets `points` in cells of about `cell_m` metres.
    pub fn new(points: &[[f64; 2]], cell_m: f64) -> DensityGrid {
        let finite = || points.iter().filter(|p| p[0].is_finite() && p[1].is_finite());
        let (mut x0, mut y0, mut x1, mut y1) = (f64::INFINITY, f64::INFINITY, f64::NEG_INFINITY, f64::NEG_INFINITY);
        for p in finite() {
            (x0, y0, x1, y1) = (x0.min(p[0]), y0.min(p[1]), x1.max(p[0]), y1.max(p[1]));
        }
        if x0 > x1 {
            return DensityGrid::default();
        }
        let cell = cell_m.max(((x1 - x0) * (y1 - y0) / MAX_CELLS).sqrt()).max(1e-6);
        let (nx, ny) = (((x1 - x0) / cell) as usize + 1, ((y1 - y0) / cell) as usize + 1);
        let cell_of = |p: &[f64; 2]| ((((p[1] - y0) / cell) as usize).min(ny - 1)) * nx + (((p[0] - x0) / cell) as usize).min(nx - 1);
        // A counting sort: counts, their running sums, then each point into its cell's slot.
        let mut starts = vec![0u32; nx * ny + 1];
        for p in finite() {
            starts[cell_of(p) + 1] += 1;
        }
        for k in 1..starts.len() {
            starts[k] += starts[k - 1];
        }
        let mut next = starts.clone();
        let mut sorted = vec![[0.0; 2]; starts[nx * ny] as usize];
        for p in finite() {
            let k = cell_of(p);
            sorted[next[k] as usize] = *p;
            next[k] += 1;
        }
        DensityGrid { x0, y0, cell, nx, ny, starts, points: sorted }
    }

    /// Whether at least `n` of the points lie within `r` of (x, y) (distance ≤ r).
    pub fn at_least_within(&self, x: f64, y: f64, r: f64, n: usize) -> bool {
        if n == 0 {
            return true;
        }
        if self.points.is_empty() {
            return false;
        }
        let clamp = |v: f64, hi: usize| (v.floor().max(0.0) as usize).min(hi - 1);
        let (ia, ib) = (clamp((x - r - self.x0) / self.cell, self.nx), clamp((x + r - self.x0) / self.cell, self.nx));
        let (ja, jb) = (clamp((y - r - self.y0) / self.cell, self.ny), clamp((y + r - self.y0) / self.cell, self.ny));
        let (mut lower, mut upper) = (0usize, 0usize);
        // The cells the circle cuts, as ranges of `points`: measured only if the counts cannot decide.
        let mut cut: Vec<std::ops::Range<usize>> = Vec::new();
        // A hair of slack on both sides: points on a cell's edge may round into either cell.
        let eps = 1e-6 * self.cell;
        for j in ja..=jb {
            let (cy0, cy1) = (self.y0 + j as f64 * self.cell - eps, self.y0 + (j + 1) as f64 * self.cell + eps);
            for i in ia..=ib {
                let k = j * self.nx + i;
                let range = self.starts[k] as usize..self.starts[k + 1] as usize;
                if range.is_empty() {
                    continue;
                }
                let (cx0, cx1) = (self.x0 + i as f64 * self.cell - eps, self.x0 + (i + 1) as f64 * self.cell + eps);
                let near2 = (x.clamp(cx0, cx1) - x).powi(2) + (y.clamp(cy0, cy1) - y).powi(2);
                if near2 > r * r {
                    continue;
                }
                upper += range.len();
                let far2 = (x - cx0).abs().max((x - cx1).abs()).powi(2) + (y - cy0).abs().max((y - cy1).abs()).powi(2);
                if far2 <= r * r {
                    lower += range.len();
                } else {
                    cut.push(range);
                }
            }
        }
        if lower >= n {
            return true;
        }
        if upper < n {
            return false;
        }
        let inside = |p: &&[f64; 2]| (p[0] - x).powi(2) + (p[1] - y).powi(2) <= r * r;
        lower + cut.into_iter().flat_map(|c| self.points[c].iter().filter(inside)).take(n - lower).count() >= n
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use proptest::prelude::*;

    proptest! {
        #[test]
        fn equals_counting_every_point(pts in prop::collection::vec((-500.0..500.0f64, -500.0..500.0f64), 0..300),
                                       q in (-600.0..600.0f64, -600.0..600.0f64), r in 0.0..400.0f64, n in 0usize..80, cell in 5.0..120.0f64) {
            let xy: Vec<[f64; 2]> = pts.iter().map(|p| [p.0, p.1]).collect();
            let grid = DensityGrid::new(&xy, cell);
            let brute = xy.iter().filter(|p| (p[0] - q.0).powi(2) + (p[1] - q.1).powi(2) <= r * r).count();
            prop_assert_eq!(grid.at_least_within(q.0, q.1, r, n), brute >= n);
        }
    }
}
