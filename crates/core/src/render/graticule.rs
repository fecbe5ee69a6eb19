//! The graticule: meridians and parallels over a map at a round interval (degrees and minutes),
//! traced through the local frame so that they curve as they do on the ground's projection.

use super::view::Bounds;
use crate::spatial::LocalFrame;

/// One meridian or parallel, in frame metres, with its label.
#[derive(Debug, Clone, PartialEq)]
pub struct GraticuleLine {
    /// Longitude (meridian) or latitude (parallel), degrees.
    pub degrees: f64,
    /// Points along the line in the frame (x east, y north), metres.
    pub points: Vec<[f64; 2]>,
    /// "112°45′E", "23°20′N".
    pub label: String,
}

/// The meridians and parallels crossing a map, and their interval.
#[derive(Debug, Clone, PartialEq)]
pub struct Graticule {
    /// Lines of equal longitude, west to east.
    pub meridians: Vec<GraticuleLine>,
    /// Lines of equal latitude, south to north.
    pub parallels: Vec<GraticuleLine>,
    /// The interval between lines, degrees.
    pub step_deg: f64,
}

/// Intervals a map reader expects: whole minutes and degrees.
const STEPS_DEG: [f64; 14] = [1.0 / 60.0, 2.0 / 60.0, 5.0 / 60.0, 10.0 / 60.0, 15.0 / 60.0, 20.0 / 60.0, 30.0 / 60.0, 1.0, 2.0, 5.0, 10.0, 15.0, 30.0, 45.0];

/// The graticule over `bounds` (frame metres) with at most `max_lines` lines in either direction
/// (the finest round interval that keeps to it).
pub fn graticule(frame: &LocalFrame, bounds: Bounds, max_lines: usize) -> Graticule {
    // The lon/lat box of the frame box: its corners and edge midpoints (meridians bow in TM).
    let (mut lon_min, mut lat_min, mut lon_max, mut lat_max) = (f64::INFINITY, f64::INFINITY, f64::NEG_INFINITY, f64::NEG_INFINITY);
    for fx in [0.0, 0.5, 1.0] {
        for fy in [0.0, 0.5, 1.0] {
            let (lon, lat) = frame.inverse(bounds[0] + fx * (bounds[2] - bounds[0]), bounds[1] + fy * (bounds[3] - bounds[1]));
            lon_min = lon_min.min(lon);
            lon_max = lon_max.max(lon);
            lat_min = lat_min.min(lat);
            lat_max = lat_max.max(lat);
        }
    }
    let span = (lon_max - lon_min).max(lat_max - lat_min);
    let max_lines = max_lines.max(1) as f64;
    let step = STEPS_DEG.iter().copied().find(|s| span / s <= max_lines).unwrap_or(90.0);
    // Lines run a little past the box so that they reach the map's corners.
    let (pad_lon, pad_lat) = (0.05 * (lon_max - lon_min), 0.05 * (lat_max - lat_min));
    let trace = |along: (f64, f64), at: &dyn Fn(f64) -> (f64, f64)| -> Vec<[f64; 2]> {
        (0..=32)
            .map(|k| {
                let t = along.0 + (along.1 - along.0) * k as f64 / 32.0;
                let (lon, lat) = at(t);
                let (x, y) = frame.forward(lon, lat);
                [x, y]
            })
            .collect()
    };
    let values = |lo: f64, hi: f64| -> Vec<f64> {
        // Whole multiples of the step, found in integer arithmetic so 23°20′ is not 23°19.999′.
        let (first, last) = ((lo / step).ceil() as i64, (hi / step).floor() as i64);
        (first..=last).map(|k| k as f64 * step).collect()
    };
    let meridians = values(lon_min, lon_max)
        .into_iter()
        .map(|lon| GraticuleLine {
            degrees: lon,
            points: trace((lat_min - pad_lat, lat_max + pad_lat), &|lat| (lon, lat)),
            label: dms_label(lon, step, 'E', 'W'),
        })
        .collect();
    let parallels = values(lat_min, lat_max)
        .into_iter()
        .map(|lat| GraticuleLine {
            degrees: lat,
            points: trace((lon_min - pad_lon, lon_max + pad_lon), &|lon| (lon, lat)),
            label: dms_label(lat, step, 'N', 'S'),
        })
        .collect();
    Graticule { meridians, parallels, step_deg: step }
}

/// Degrees (and minutes when the step is finer than a degree) with the hemisphere letter.
fn dms_label(deg: f64, step: f64, positive: char, negative: char) -> String {
    let hemi = if deg < 0.0 { negative } else { positive };
    let total_minutes = (deg.abs() * 60.0).round() as i64;
    let (d, m) = (total_minutes / 60, total_minutes % 60);
    if step < 1.0 { format!("{d}°{m:02}′{hemi}") } else { format!("{d}°{hemi}") }
}

/// Where a polyline (page coordinates) first crosses the vertical `x = at` (returns y) or the
/// horizontal `y = at` (returns x), for labelling lines at a map frame's edge.
pub fn crossing(points: &[[f64; 2]], at: f64, vertical: bool) -> Option<f64> {
    let (u, v) = if vertical { (0, 1) } else { (1, 0) };
    points.windows(2).find_map(|w| {
        let (a, b) = (w[0], w[1]);
        if (a[u] - at) * (b[u] - at) > 0.0 || a[u] == b[u] {
            return None;
        }
        let t = (at - a[u]) / (b[u] - a[u]);
        Some(a[v] + t * (b[v] - a[v]))
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn labels_are_degrees_and_minutes() {
        assert_eq!(dms_label(112.75, 0.25, 'E', 'W'), "112°45′E");
        assert_eq!(dms_label(23.0 + 20.0 / 60.0, 10.0 / 60.0, 'N', 'S'), "23°20′N");
        assert_eq!(dms_label(-70.0, 5.0, 'N', 'S'), "70°S");
        assert_eq!(dms_label(113.0, 2.0, 'E', 'W'), "113°E");
    }

    #[test]
    fn a_county_gets_round_lines_that_lie_on_their_longitude_and_latitude() {
        // 四会市 is about 0.5° across: a 10′ step gives ≤ 4 lines.
        let frame = LocalFrame::new(112.7, 23.4);
        let (x0, y0) = frame.forward(112.45, 23.15);
        let (x1, y1) = frame.forward(112.95, 23.65);
        let g = graticule(&frame, [x0, y0, x1, y1], 4);
        assert!((g.step_deg - 10.0 / 60.0).abs() < 1e-12, "step {}", g.step_deg);
        let lons: Vec<String> = g.meridians.iter().map(|m| m.label.clone()).collect();
        assert_eq!(lons, ["112°30′E", "112°40′E", "112°50′E"]);
        assert_eq!(g.parallels.first().map(|p| p.label.as_str()), Some("23°10′N"));
        for m in &g.meridians {
            for p in &m.points {
                let (lon, _) = frame.inverse(p[0], p[1]);
                assert!((lon - m.degrees).abs() < 1e-9);
            }
        }
        for l in &g.parallels {
            for p in &l.points {
                let (_, lat) = frame.inverse(p[0], p[1]);
                assert!((lat - l.degrees).abs() < 1e-9);
            }
        }
    }

    #[test]
    fn high_latitude_meridians_converge() {
        // At 70°N meridians 1° apart are ~38 km apart, at the equator ~111 km.
        let frame = LocalFrame::new(20.0, 70.0);
        let (x0, y0) = frame.forward(18.0, 69.0);
        let (x1, y1) = frame.forward(22.0, 71.0);
        let g = graticule(&frame, [x0, y0, x1, y1], 5);
        assert_eq!(g.step_deg, 1.0);
        let gap = |k: usize| g.meridians[k + 1].points[16][0] - g.meridians[k].points[16][0];
        assert!((gap(0) - 38_000.0).abs() < 1_500.0, "gap {}", gap(0));
    }

    #[test]
    fn crossings_interpolate() {
        let line = [[0.0, 0.0], [10.0, 10.0], [20.0, 10.0]];
        assert_eq!(crossing(&line, 5.0, true), Some(5.0));
        assert_eq!(crossing(&line, 10.0, false), Some(10.0));
        assert_eq!(crossing(&line, 30.0, true), None);
    }
}
