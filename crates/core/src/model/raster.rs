//! A georeferenced grid of values (terrain heights).

/// A north-up grid: `values[row * cols + col]`, row 0 at the top (north).
#[derive(Debug, Clone, PartialEq)]
pub struct Raster {
    /// Columns.
    pub cols: usize,
    /// Rows.
    pub rows: usize,
    /// X (lon or easting) of the outer left edge.
    pub origin_x: f64,
    /// Y (lat or northing) of the outer top edge.
    pub origin_y: f64,
    /// Cell width in CRS units.
    pub cell_w: f64,
    /// Cell height in CRS units (positive; rows go south).
    pub cell_h: f64,
    /// (column, row) of the first value in the grid whose origin this is: (0, 0) for a whole
    /// raster; a window cut from one (a shard's terrain) keeps the source's origin and counts
    /// its cells from here, so that every height comes out of the same arithmetic, bit for bit.
    pub first_cell: (usize, usize),
    /// Values; `NaN` where the source had nodata.
    pub values: Vec<f32>,
}

impl Raster {
    /// The value of the cell holding (x, y), or `None` outside or on nodata.
    pub fn sample(&self, x: f64, y: f64) -> Option<f32> {
        let c = ((x - self.origin_x) / self.cell_w).floor() - self.first_cell.0 as f64;
        let r = ((self.origin_y - y) / self.cell_h).floor() - self.first_cell.1 as f64;
        if c < 0.0 || r < 0.0 || c >= self.cols as f64 || r >= self.rows as f64 {
            return None;
        }
        let v = self.values[r as usize * self.cols + c as usize];
        (!v.is_nan()).then_some(v)
    }

    /// Bilinear interpolation between cell centres; `None` outside or next to nodata.
    pub fn interpolate(&self, x: f64, y: f64) -> Option<f32> {
        // Subtracting the whole number of cells before the window is exact.
        let fx = (x - self.origin_x) / self.cell_w - 0.5 - self.first_cell.0 as f64;
        let fy = (self.origin_y - y) / self.cell_h - 0.5 - self.first_cell.1 as f64;
        // floor() for the values that pass the bounds test below (≥ −0.5) by truncation, which
        // is one instruction where floor is a library call on baseline x86-64.
        let floor = |v: f64| if v >= 0.0 { (v as i64) as f64 } else { -1.0 };
        let (c0, r0) = (floor(fx), floor(fy));
        let (tx, ty) = ((fx - c0) as f32, (fy - r0) as f32);
        let get = |c: f64, r: f64| -> Option<f32> {
            let c = c.clamp(0.0, self.cols as f64 - 1.0) as usize;
            let r = r.clamp(0.0, self.rows as f64 - 1.0) as usize;
            let v = self.values[r * self.cols + c];
            (!v.is_nan()).then_some(v)
        };
        if fx < -0.5 || fy < -0.5 || fx > self.cols as f64 - 0.5 || fy > self.rows as f64 - 0.5 {
            return None;
        }
        if c0 >= 0.0 && r0 >= 0.0 && c0 + 1.0 < self.cols as f64 && r0 + 1.0 < self.rows as f64 {
            // Inside: the four cells directly; a nodata (NaN) one makes the sum NaN.
            let k = r0 as usize * self.cols + c0 as usize;
            let v = &self.values;
            let z = (v[k] * (1.0 - tx) + v[k + 1] * tx) * (1.0 - ty) + (v[k + self.cols] * (1.0 - tx) + v[k + self.cols + 1] * tx) * ty;
            return (!z.is_nan()).then_some(z);
        }
        let (a, b) = (get(c0, r0)?, get(c0 + 1.0, r0)?);
        let (c, d) = (get(c0, r0 + 1.0)?, get(c0 + 1.0, r0 + 1.0)?);
        Some((a * (1.0 - tx) + b * tx) * (1.0 - ty) + (c * (1.0 - tx) + d * tx) * ty)
    }

    /// [`Self::interpolate`] at `n + 1` evenly spaced points from `a` to `b` (both included),
    /// appended to `out` as f64; `false` as soon as one falls outside or next to nodata (`out`
    /// then holds a part). A line whose ends lie among inner cell centres lies there throughout:
    /// its points skip the edge tests, and their grid positions step along the line instead of
    /// being divided out one by one (equal to within rounding: 1e-16 of a cell).
    pub fn interpolate_line(&self, a: (f64, f64), b: (f64, f64), n: usize, out: &mut Vec<f64>) -> bool {
        let at = |t: f64| (a.0 + t * (b.0 - a.0), a.1 + t * (b.1 - a.1));
        let frac = |(x, y): (f64, f64)| {
            ((x - self.origin_x) / self.cell_w - 0.5 - self.first_cell.0 as f64, (self.origin_y - y) / self.cell_h - 0.5 - self.first_cell.1 as f64)
        };
        // Inner by a margin far wider than the rounding of the points' positions along the line.
        const MARGIN: f64 = 1e-6;
        let inner = |(fx, fy): (f64, f64)| fx >= MARGIN && fy >= MARGIN && fx < self.cols as f64 - 1.0 - MARGIN && fy < self.rows as f64 - 1.0 - MARGIN;
        let n = n.max(1);
        if !(inner(frac(at(0.0))) && inner(frac(at(1.0)))) {
            for i in 0..=n {
                let (x, y) = at(i as f64 / n as f64);
                match self.interpolate(x, y) {
                    Some(z) => out.push(z as f64),
                    None => return false,
                }
            }
            return true;
        }
        let v = &self.values;
        let ((ax, ay), (bx, by)) = (frac(a), frac(b));
        let (dx, dy) = (bx - ax, by - ay);
        for i in 0..=n {
            let t = i as f64 / n as f64;
            let (fx, fy) = (ax + t * dx, ay + t * dy);
            // Both are > 0 here: truncation is floor.
            // Truncation through i64: one instruction (the unsigned one is a branchy sequence).
            let (c0, r0) = ((fx as i64) as f64, (fy as i64) as f64);
            let (tx, ty) = ((fx - c0) as f32, (fy - r0) as f32);
            let k = r0 as usize * self.cols + c0 as usize;
            let z = (v[k] * (1.0 - tx) + v[k + 1] * tx) * (1.0 - ty) + (v[k + self.cols] * (1.0 - tx) + v[k + self.cols + 1] * tx) * ty;
            if z.is_nan() {
                return false;
            }
            out.push(z as f64);
        }
        true
    }

    /// Smallest and largest value, ignoring nodata.
    pub fn min_max(&self) -> Option<(f32, f32)> {
        self.values.iter().filter(|v| !v.is_nan()).fold(None, |acc, &v| match acc {
            None => Some((v, v)),
            Some((lo, hi)) => Some((lo.min(v), hi.max(v))),
        })
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn bilinear_between_centres() {
        let r = Raster { first_cell: (0, 0), cols: 2, rows: 2, origin_x: 0.0, origin_y: 2.0, cell_w: 1.0, cell_h: 1.0, values: vec![0.0, 10.0, 20.0, 30.0] };
        assert_eq!(r.interpolate(0.5, 1.5), Some(0.0));
        assert_eq!(r.interpolate(1.0, 1.5), Some(5.0));
        assert_eq!(r.interpolate(1.0, 1.0), Some(15.0));
        assert_eq!(r.sample(1.5, 0.5), Some(30.0));
        assert_eq!(r.sample(2.5, 0.5), None);
    }

    #[test]
    fn a_line_equals_its_points() {
        // 40 × 30 with a slope, ripples and one nodata cell; lines inside, across the edge, out
        // of the grid and through the hole.
        let (cols, rows) = (40, 30);
        let mut values: Vec<f32> = (0..cols * rows).map(|k| (k % cols) as f32 * 3.0 + ((k / cols) as f32 * 0.7).sin() * 20.0).collect();
        values[17 * cols + 23] = f32::NAN;
        let r = Raster { first_cell: (0, 0), cols, rows, origin_x: 112.0, origin_y: 23.5, cell_w: 0.001, cell_h: 0.001, values };
        let mut lines = 0;
        for k in 0..400 {
            let f = |j: u32| 111.995 + ((k * 7919 + j * 104_729) % 1000) as f64 * 0.00005;
            let (a, b) = ((f(1), 23.5 - (f(2) - 111.995)), (f(3), 23.5 - (f(4) - 111.995)));
            let n = 1 + k as usize % 60;
            let mut got = Vec::new();
            let whole = r.interpolate_line(a, b, n, &mut got);
            let want: Vec<Option<f32>> = (0..=n).map(|i| i as f64 / n as f64).map(|t| r.interpolate(a.0 + t * (b.0 - a.0), a.1 + t * (b.1 - a.1))).collect();
            assert_eq!(whole, want.iter().all(Option::is_some), "line {k}");
            for (g, w) in got.iter().zip(&want) {
                assert!((g - w.unwrap() as f64).abs() < 1e-3, "line {k}: {g} vs {w:?}");
            }
            lines += usize::from(whole);
        }
        assert!(lines > 50 && lines < 400, "{lines} whole lines: the cases should mix");
    }

    #[test]
    fn interior_edges_and_nodata() {
        // 3 × 3, value = 10·row + col, with nodata at the bottom-right cell.
        let mut values: Vec<f32> = (0..9).map(|k| (10 * (k / 3) + k % 3) as f32).collect();
        values[8] = f32::NAN;
        let r = Raster { first_cell: (0, 0), cols: 3, rows: 3, origin_x: 0.0, origin_y: 3.0, cell_w: 1.0, cell_h: 1.0, values };
        // Interior, between the centres of cells (0, 0), (0, 1), (1, 0), (1, 1): 0.25·1 + 0.25·10.
        assert_eq!(r.interpolate(0.75, 2.25), Some(2.75));
        // The outer half cell takes the edge cell's value.
        assert_eq!(r.interpolate(0.2, 2.5), Some(0.0));
        assert_eq!(r.interpolate(2.8, 2.5), Some(2.0));
        // Next to nodata, inside and on the edge: none.
        assert_eq!(r.interpolate(2.0, 1.0), None);
        assert_eq!(r.interpolate(2.8, 0.2), None);
        assert_eq!(r.interpolate(3.2, 1.5), None);
    }
}
