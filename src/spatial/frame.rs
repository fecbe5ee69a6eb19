//! The project's local metric frame: a transverse Mercator on the WGS84 ellipsoid centred on
//! the project, so that distances in metres are true to better than 0.1 % within ~300 km.
//!
//! Krüger's series to 4th order in n (Karney 2011, eqs. 35–36), accurate to well under a
//! millimetre within a few thousand kilometres of the central meridian.

use geo::{Coord, Geometry, MapCoords};

const A: f64 = 6_378_137.0;
const F: f64 = 1.0 / 298.257_223_563;

/// A local transverse Mercator frame (scale 1 on the central meridian, origin at the centre).
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct LocalFrame {
    /// Central meridian, degrees.
    pub lon0: f64,
    /// Latitude of the origin, degrees.
    pub lat0: f64,
    y0: f64,
}

struct Series {
    a_rect: f64,
    alpha: [f64; 4],
    beta: [f64; 4],
    delta: [f64; 4],
    e: f64,
}

fn series() -> Series {
    let n = F / (2.0 - F);
    let (n2, n3, n4) = (n * n, n * n * n, n * n * n * n);
    Series {
        a_rect: A / (1.0 + n) * (1.0 + n2 / 4.0 + n4 / 64.0),
        alpha: [
            n / 2.0 - 2.0 * n2 / 3.0 + 5.0 * n3 / 16.0 + 41.0 * n4 / 180.0,
            13.0 * n2 / 48.0 - 3.0 * n3 / 5.0 + 557.0 * n4 / 1440.0,
            61.0 * n3 / 240.0 - 103.0 * n4 / 140.0,
            49561.0 * n4 / 161280.0,
        ],
        beta: [
            n / 2.0 - 2.0 * n2 / 3.0 + 37.0 * n3 / 96.0 - n4 / 360.0,
            n2 / 48.0 + n3 / 15.0 - 437.0 * n4 / 1440.0,
            17.0 * n3 / 480.0 - 37.0 * n4 / 840.0,
            4397.0 * n4 / 161280.0,
        ],
        delta: [
            2.0 * n - 2.0 * n2 / 3.0 - 2.0 * n3 + 116.0 * n4 / 45.0,
            7.0 * n2 / 3.0 - 8.0 * n3 / 5.0 - 227.0 * n4 / 45.0,
            56.0 * n3 / 15.0 - 136.0 * n4 / 35.0,
            4279.0 * n4 / 630.0,
        ],
        e: (F * (2.0 - F)).sqrt(),
    }
}

thread_local! {
    static SERIES: Series = series();
}

fn forward_raw(lon0: f64, lon: f64, lat: f64) -> (f64, f64) {
    SERIES.with(|s| {
        let phi = lat.to_radians();
        let lam = (lon - lon0).to_radians();
        let t = (phi.sin().atanh() - s.e * (s.e * phi.sin()).atanh()).sinh();
        let xi_p = t.atan2(lam.cos());
        let eta_p = (lam.sin() / (1.0 + t * t).sqrt()).atanh();
        let (mut x, mut y) = (eta_p, xi_p);
        for (j, a) in s.alpha.iter().enumerate() {
            let k = 2.0 * (j as f64 + 1.0);
            x += a * (k * xi_p).cos() * (k * eta_p).sinh();
            y += a * (k * xi_p).sin() * (k * eta_p).cosh();
        }
        (s.a_rect * x, s.a_rect * y)
    })
}

impl LocalFrame {
    /// A frame centred on (lon0, lat0).
    pub fn new(lon0: f64, lat0: f64) -> LocalFrame {
        let (_, y0) = forward_raw(lon0, lon0, lat0);
        LocalFrame { lon0, lat0, y0 }
    }

    /// WGS84 lon/lat (degrees) → local (x east, y north) in metres.
    pub fn forward(&self, lon: f64, lat: f64) -> (f64, f64) {
        let (x, y) = forward_raw(self.lon0, lon, lat);
        (x, y - self.y0)
    }

    /// Local metres → WGS84 lon/lat (degrees).
    pub fn inverse(&self, x: f64, y: f64) -> (f64, f64) {
        SERIES.with(|s| {
            let xi = (y + self.y0) / s.a_rect;
            let eta = x / s.a_rect;
            let (mut xi_p, mut eta_p) = (xi, eta);
            for (j, b) in s.beta.iter().enumerate() {
                let k = 2.0 * (j as f64 + 1.0);
                xi_p -= b * (k * xi).sin() * (k * eta).cosh();
                eta_p -= b * (k * xi).cos() * (k * eta).sinh();
            }
            let chi = (xi_p.sin() / eta_p.cosh()).asin();
            let mut phi = chi;
            for (j, d) in s.delta.iter().enumerate() {
                phi += d * (2.0 * (j as f64 + 1.0) * chi).sin();
            }
            let lam = eta_p.sinh().atan2(xi_p.cos());
            (self.lon0 + lam.to_degrees(), phi.to_degrees())
        })
    }

    /// Projects a coordinate.
    pub fn coord(&self, c: Coord<f64>) -> Coord<f64> {
        let (x, y) = self.forward(c.x, c.y);
        Coord { x, y }
    }

    /// Projects a whole geometry into the frame.
    pub fn project(&self, g: &Geometry<f64>) -> Geometry<f64> {
        g.map_coords(|c| self.coord(c))
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn matches_proj_transverse_mercator() {
        let frame = LocalFrame::new(112.7, 23.3);
        let crs = crate::crs::Crs::from_proj_string("+proj=tmerc +lat_0=0 +lon_0=112.7 +k=1 +x_0=0 +y_0=0 +datum=WGS84 +units=m").unwrap();
        let (_, y0) = crs.from_wgs84(112.7, 23.3).unwrap();
        for (lon, lat) in [(112.7, 23.3), (113.2, 23.9), (112.1, 22.8), (114.5, 25.0)] {
            let (x, y) = frame.forward(lon, lat);
            let (px, py) = crs.from_wgs84(lon, lat).unwrap();
            assert!((x - px).abs() < 1e-3 && (y - (py - y0)).abs() < 1e-3, "{lon},{lat}: {x},{y} vs {px},{}", py - y0);
            let (blon, blat) = frame.inverse(x, y);
            assert!((blon - lon).abs() < 1e-10 && (blat - lat).abs() < 1e-10);
        }
        assert_eq!(frame.forward(112.7, 23.3), (0.0, 0.0));
    }

    #[test]
    fn one_degree_of_latitude_near_23n() {
        // Meridian arc from 23° to 24° on WGS84: 110 751.1 m (numeric integration).
        let f = LocalFrame::new(112.0, 23.5);
        let (_, y1) = f.forward(112.0, 23.0);
        let (_, y2) = f.forward(112.0, 24.0);
        assert!((y2 - y1 - 110_751.1).abs() < 0.1, "{}", y2 - y1);
    }
}
