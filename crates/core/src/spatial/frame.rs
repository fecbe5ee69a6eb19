//! The project's local metric frame: a transverse Mercator on the WGS84 ellipsoid centred on
//! the project, so that distances in metres are true to better than 0.1 % within ~300 km.
//!
//! The projection itself is [`crate::crs::tmerc`].

use crate::crs::tmerc::{TransverseMercator, WGS84};
use geo::Coord;

/// A local transverse Mercator frame (scale 1 on the central meridian, origin at the centre).
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct LocalFrame {
    /// Central meridian, degrees.
    pub lon0: f64,
    /// Latitude of the origin, degrees.
    pub lat0: f64,
    tm: TransverseMercator,
}

impl LocalFrame {
    /// A frame centred on (lon0, lat0).
    pub fn new(lon0: f64, lat0: f64) -> LocalFrame {
        LocalFrame { lon0, lat0, tm: TransverseMercator::new(WGS84, lon0, lat0, 1.0, 0.0, 0.0) }
    }

    /// WGS84 lon/lat (degrees) → local (x east, y north) in metres.
    pub fn forward(&self, lon: f64, lat: f64) -> (f64, f64) {
        self.tm.forward(lon, lat)
    }

    /// Local metres → WGS84 lon/lat (degrees).
    pub fn inverse(&self, x: f64, y: f64) -> (f64, f64) {
        self.tm.inverse(x, y)
    }

    /// Projects a coordinate.
    pub fn coord(&self, c: Coord<f64>) -> Coord<f64> {
        let (x, y) = self.forward(c.x, c.y);
        Coord { x, y }
    }

    /// Area (m²), centroid and bounding box in the frame of a polygon set given in lon/lat,
    /// without allocating a projected copy (holes subtract; rings may wind either way).
    pub fn polygon_metrics(&self, mp: &geo::MultiPolygon<f64>) -> PolygonMetrics {
        let (mut area2, mut cx, mut cy) = (0.0, 0.0, 0.0);
        let mut rect = [f64::INFINITY, f64::INFINITY, f64::NEG_INFINITY, f64::NEG_INFINITY];
        for p in &mp.0 {
            for (k, ring) in std::iter::once(p.exterior()).chain(p.interiors()).enumerate() {
                let (mut a, mut sx, mut sy) = (0.0, 0.0, 0.0);
                let mut prev: Option<(f64, f64)> = None;
                for c in &ring.0 {
                    let (x, y) = self.forward(c.x, c.y);
                    if let Some((px, py)) = prev {
                        let cross = px * y - x * py;
                        a += cross;
                        sx += (px + x) * cross;
                        sy += (py + y) * cross;
                    }
                    if k == 0 {
                        rect = [rect[0].min(x), rect[1].min(y), rect[2].max(x), rect[3].max(y)];
                    }
                    prev = Some((x, y));
                }
                // Shells count positive and holes negative, whatever their winding.
                let sign = if (k == 0) == (a >= 0.0) { 1.0 } else { -1.0 };
                area2 += sign * a;
                cx += sign * sx;
                cy += sign * sy;
            }
        }
        let centroid = if area2.abs() > 1e-12 { (cx / (3.0 * area2), cy / (3.0 * area2)) } else { ((rect[0] + rect[2]) / 2.0, (rect[1] + rect[3]) / 2.0) };
        PolygonMetrics { area_m2: area2.abs() / 2.0, centroid, rect }
    }
}

/// What [`LocalFrame::polygon_metrics`] measures.
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct PolygonMetrics {
    /// Area in square metres.
    pub area_m2: f64,
    /// Area-weighted centroid (x, y) in the frame.
    pub centroid: (f64, f64),
    /// Bounding box [min x, min y, max x, max y] in the frame.
    pub rect: [f64; 4],
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
    fn metrics_of_a_square_with_a_hole() {
        let f = LocalFrame::new(112.7, 23.3);
        let sq = |x0: f64, y0: f64, s: f64, cw: bool| {
            let mut pts = vec![(x0, y0), (x0 + s, y0), (x0 + s, y0 + s), (x0, y0 + s), (x0, y0)];
            if cw {
                pts.reverse();
            }
            geo::LineString::from(pts.into_iter().map(|(x, y)| f.inverse(x, y)).collect::<Vec<_>>())
        };
        // 100 m square with a 20 m hole in one corner, shell clockwise: area 9 600 m².
        let mp = geo::MultiPolygon(vec![geo::Polygon::new(sq(0.0, 0.0, 100.0, true), vec![sq(0.0, 0.0, 20.0, false)])]);
        let m = f.polygon_metrics(&mp);
        assert!((m.area_m2 - 9600.0).abs() < 1e-3, "{}", m.area_m2);
        // Centroid: (10000·50 − 400·10) / 9600 = 51.6667 on both axes.
        assert!((m.centroid.0 - 51.6667).abs() < 1e-3 && (m.centroid.1 - 51.6667).abs() < 1e-3, "{:?}", m.centroid);
        assert!((m.rect[2] - 100.0).abs() < 1e-6);
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
