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
    /// Values; `NaN` where the source had nodata.
    pub values: Vec<f32>,
}

impl Raster {
    /// The value of the cell holding (x, y), or `None` outside or on nodata.
    pub fn sample(&self, x: f64, y: f64) -> Option<f32> {
        let c = ((x - self.origin_x) / self.cell_w).floor();
        let r = ((self.origin_y - y) / self.cell_h).floor();
        if c < 0.0 || r < 0.0 || c >= self.cols as f64 || r >= self.rows as f64 {
            return None;
        }
        let v = self.values[r as usize * self.cols + c as usize];
        (!v.is_nan()).then_some(v)
    }

    /// Bilinear interpolation between cell centres; `None` outside or next to nodata.
    pub fn interpolate(&self, x: f64, y: f64) -> Option<f32> {
        let fx = (x - self.origin_x) / self.cell_w - 0.5;
        let fy = (self.origin_y - y) / self.cell_h - 0.5;
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
        let r = Raster { cols: 2, rows: 2, origin_x: 0.0, origin_y: 2.0, cell_w: 1.0, cell_h: 1.0, values: vec![0.0, 10.0, 20.0, 30.0] };
        assert_eq!(r.interpolate(0.5, 1.5), Some(0.0));
        assert_eq!(r.interpolate(1.0, 1.5), Some(5.0));
        assert_eq!(r.interpolate(1.0, 1.0), Some(15.0));
        assert_eq!(r.sample(1.5, 0.5), Some(30.0));
        assert_eq!(r.sample(2.5, 0.5), None);
    }

    #[test]
    fn interior_edges_and_nodata() {
        // 3 × 3, value = 10·row + col, with nodata at the bottom-right cell.
        let mut values: Vec<f32> = (0..9).map(|k| (10 * (k / 3) + k % 3) as f32).collect();
        values[8] = f32::NAN;
        let r = Raster { cols: 3, rows: 3, origin_x: 0.0, origin_y: 3.0, cell_w: 1.0, cell_h: 1.0, values };
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
