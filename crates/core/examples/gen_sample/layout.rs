//! Where generated things go: jittered sample points in an area, grids of houses around a
//! centre, and roads that bend towards low ground.

use crate::RoadLine;
use crate::geom::{closest_on_segment, dist, inside};
use crate::rng::Rng;
use geo::{BoundingRect, Coord, MultiPolygon};

/// One point per cell of a jittered grid of `spacing` inside `area`.
pub fn sample_points(rng: &mut Rng, area: &MultiPolygon<f64>, spacing: f64) -> Vec<Coord<f64>> {
    let r = area.bounding_rect().expect("non-empty area");
    let mut v = Vec::new();
    let mut y = r.min().y;
    while y < r.max().y {
        let mut x = r.min().x;
        while x < r.max().x {
            let c = Coord { x: x + rng.range(0.0, spacing), y: y + rng.range(0.0, spacing) };
            if inside(area, c) {
                v.push(c);
            }
            x += spacing;
        }
        y += spacing;
    }
    if v.is_empty() {
        v.push(Coord { x: (r.min().x + r.max().x) / 2.0, y: (r.min().y + r.max().y) / 2.0 });
    }
    v
}

/// `n` positions on a jittered square grid around `c`, nearest first, rotated by `angle`.
pub fn grid_around(c: Coord<f64>, n: usize, spacing: f64, angle: f64, rng: &mut Rng) -> Vec<Coord<f64>> {
    let k = (n as f64).sqrt().ceil() as i64 / 2 + 2;
    let mut cells: Vec<(f64, i64, i64)> = Vec::new();
    for i in -k..=k {
        for j in -k..=k {
            cells.push(((i * i + j * j) as f64 + rng.range(0.0, 0.9), i, j));
        }
    }
    cells.sort_by(|a, b| a.0.total_cmp(&b.0).then(a.1.cmp(&b.1)).then(a.2.cmp(&b.2)));
    let (s, co) = angle.sin_cos();
    cells
        .into_iter()
        .take(n)
        .map(|(_, i, j)| {
            let (dx, dy) = (i as f64 * spacing + rng.range(-0.12, 0.12) * spacing, j as f64 * spacing + rng.range(-0.12, 0.12) * spacing);
            Coord { x: c.x + dx * co - dy * s, y: c.y + dx * s + dy * co }
        })
        .collect()
}

/// A path from a to b that bends towards low ground (midpoint displacement), vertices every < `step` m.
pub fn wander(a: Coord<f64>, b: Coord<f64>, h: &dyn Fn(Coord<f64>) -> f64, rng: &mut Rng, step: f64) -> Vec<Coord<f64>> {
    let mut pts = vec![a, b];
    loop {
        let mut next = vec![pts[0]];
        let mut split = false;
        for w in pts.windows(2) {
            let (p, q) = (w[0], w[1]);
            let l = dist(p, q);
            if l > step {
                split = true;
                let m = Coord { x: (p.x + q.x) / 2.0, y: (p.y + q.y) / 2.0 };
                let (nx, ny) = (-(q.y - p.y) / l, (q.x - p.x) / l);
                let mut best = (f64::INFINITY, m);
                for k in -2..=2 {
                    let off = k as f64 * 0.08 * l + rng.range(-0.03, 0.03) * l;
                    let c = Coord { x: m.x + nx * off, y: m.y + ny * off };
                    let s = h(c) + (k as f64).abs() * 3.0;
                    if s < best.0 {
                        best = (s, c);
                    }
                }
                next.push(best.1);
            }
            next.push(q);
        }
        pts = next;
        if !split {
            return pts;
        }
    }
}

/// Connects `p` to the nearest point of the road network with a new road (if more than 40 m away).
pub fn connect(roads: &mut Vec<RoadLine>, p: Coord<f64>, class: &'static str, name: &str, h: &dyn Fn(Coord<f64>) -> f64, rng: &mut Rng) {
    let mut best = (f64::INFINITY, p);
    for r in roads.iter() {
        for w in r.pts.windows(2) {
            let (q, d) = closest_on_segment(p, w[0], w[1]);
            if d < best.0 {
                best = (d, q);
            }
        }
    }
    if best.0 > 40.0 {
        roads.push(RoadLine { class, name: name.to_string(), pts: wander(best.1, p, h, rng, 150.0) });
    }
}
