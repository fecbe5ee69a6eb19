//! Geometry helpers for generation, in local metres.

use geo::{BooleanOps, Contains, Coord, LineString, MultiPolygon, Point, Polygon};

/// Clips a convex polygon (closed ring) to the half-plane closer to `a` than to `b`.
fn clip_half_plane(ring: &[Coord<f64>], a: Coord<f64>, b: Coord<f64>) -> Vec<Coord<f64>> {
    let n = Coord { x: b.x - a.x, y: b.y - a.y };
    let mid = Coord { x: (a.x + b.x) / 2.0, y: (a.y + b.y) / 2.0 };
    let side = |p: Coord<f64>| (p.x - mid.x) * n.x + (p.y - mid.y) * n.y; // ≤ 0: a's side
    let mut out = Vec::new();
    for i in 0..ring.len().saturating_sub(1) {
        let (p, q) = (ring[i], ring[i + 1]);
        let (sp, sq) = (side(p), side(q));
        if sp <= 0.0 {
            out.push(p);
        }
        if (sp < 0.0) != (sq < 0.0) && sp != sq {
            let t = sp / (sp - sq);
            out.push(Coord { x: p.x + t * (q.x - p.x), y: p.y + t * (q.y - p.y) });
        }
    }
    if let Some(&f) = out.first() {
        out.push(f);
    }
    out
}

/// Voronoi cells of `seeds` within `area`, one per seed, in seed order.
pub fn voronoi_cells(seeds: &[Coord<f64>], area: &MultiPolygon<f64>) -> Vec<MultiPolygon<f64>> {
    use geo::BoundingRect;
    let r = area.bounding_rect().expect("area has a bounding box");
    let (x0, y0, x1, y1) = (r.min().x - 1000.0, r.min().y - 1000.0, r.max().x + 1000.0, r.max().y + 1000.0);
    seeds
        .iter()
        .map(|&s| {
            let mut ring = vec![Coord { x: x0, y: y0 }, Coord { x: x1, y: y0 }, Coord { x: x1, y: y1 }, Coord { x: x0, y: y1 }, Coord { x: x0, y: y0 }];
            for &o in seeds {
                if o != s && ring.len() > 3 {
                    ring = clip_half_plane(&ring, s, o);
                }
            }
            let cell = MultiPolygon(vec![Polygon::new(LineString(ring), vec![])]);
            cell.intersection(area)
        })
        .collect()
}

/// A rectangle w × h centred on c, rotated by `angle` radians.
pub fn rect(c: Coord<f64>, w: f64, h: f64, angle: f64) -> Polygon<f64> {
    let (s, co) = angle.sin_cos();
    let corners = [(-w / 2.0, -h / 2.0), (w / 2.0, -h / 2.0), (w / 2.0, h / 2.0), (-w / 2.0, h / 2.0), (-w / 2.0, -h / 2.0)];
    Polygon::new(LineString(corners.iter().map(|&(x, y)| Coord { x: c.x + x * co - y * s, y: c.y + x * s + y * co }).collect()), vec![])
}

/// True when `p` lies inside `area`.
pub fn inside(area: &MultiPolygon<f64>, p: Coord<f64>) -> bool {
    area.contains(&Point(p))
}

/// Distance between two points.
pub fn dist(a: Coord<f64>, b: Coord<f64>) -> f64 {
    ((a.x - b.x).powi(2) + (a.y - b.y).powi(2)).sqrt()
}

/// The point of segment ab closest to p, and its distance.
pub fn closest_on_segment(p: Coord<f64>, a: Coord<f64>, b: Coord<f64>) -> (Coord<f64>, f64) {
    let (dx, dy) = (b.x - a.x, b.y - a.y);
    let l2 = dx * dx + dy * dy;
    let t = if l2 == 0.0 { 0.0 } else { (((p.x - a.x) * dx + (p.y - a.y) * dy) / l2).clamp(0.0, 1.0) };
    let q = Coord { x: a.x + t * dx, y: a.y + t * dy };
    (q, dist(p, q))
}
