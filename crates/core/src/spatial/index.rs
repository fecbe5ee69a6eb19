//! R-trees (rstar) over points, polygon bounding boxes and line segments, in the local
//! metric frame: nearest segment with exact distance, everything within a radius,
//! point in polygon, and viewport queries.

use geo::{BoundingRect, Contains, Coord, MultiPolygon, Rect};
use rstar::primitives::{GeomWithData, Line, Rectangle};
use rstar::{AABB, RTree};

type PointItem = GeomWithData<[f64; 2], usize>;
type SegmentItem = GeomWithData<Line<[f64; 2]>, usize>;
type BoxItem = GeomWithData<Rectangle<[f64; 2]>, usize>;

/// Points with an id each (villages, access points, sectors, building centroids).
#[derive(Debug, Clone)]
pub struct PointIndex {
    tree: RTree<PointItem>,
}

impl PointIndex {
    /// Bulk-loads `(id, x, y)` points.
    pub fn new(points: impl IntoIterator<Item = (usize, f64, f64)>) -> Self {
        let items: Vec<PointItem> = points.into_iter().map(|(id, x, y)| GeomWithData::new([x, y], id)).collect();
        PointIndex { tree: RTree::bulk_load(items) }
    }

    /// Number of points.
    pub fn len(&self) -> usize {
        self.tree.size()
    }

    /// True when empty.
    pub fn is_empty(&self) -> bool {
        self.tree.size() == 0
    }

    /// The nearest point to (x, y): (id, distance in metres). Ties go to the smaller id.
    pub fn nearest(&self, x: f64, y: f64) -> Option<(usize, f64)> {
        let mut it = self.tree.nearest_neighbor_iter_with_distance_2(&[x, y]);
        let (first, d2) = it.next()?;
        let mut best = (first.data, d2);
        for (p, d) in it {
            if d > d2 {
                break;
            }
            best.0 = best.0.min(p.data);
        }
        Some((best.0, best.1.sqrt()))
    }

    /// [`Self::nearest`] when it lies within `radius` metres, else `None`: the same point (ties
    /// to the smaller id) found by a search of the disc alone, without walking the tree by
    /// distance (a few times cheaper for a small radius).
    pub fn nearest_within(&self, x: f64, y: f64, radius: f64) -> Option<(usize, f64)> {
        use rstar::PointDistance;
        // A hair wider than the disc, so that no point whose rounded distance is within the
        // radius is missed; the test on the distance itself decides.
        let search = radius * radius * (1.0 + 1e-9);
        let best = self
            .tree
            .locate_within_distance([x, y], search)
            .map(|p| (p.geom().distance_2(&[x, y]), p.data))
            .min_by(|a, b| a.0.total_cmp(&b.0).then(a.1.cmp(&b.1)))?;
        let d = best.0.sqrt();
        (d <= radius).then_some((best.1, d))
    }

    /// Points by increasing distance from (x, y), as (id, distance): for "nearest that matches" queries.
    pub fn nearest_iter(&self, x: f64, y: f64) -> impl Iterator<Item = (usize, f64)> + '_ {
        self.tree.nearest_neighbor_iter_with_distance_2(&[x, y]).map(|(p, d2)| (p.data, d2.sqrt()))
    }

    /// Every point within `radius` metres of (x, y), as (id, distance), sorted by distance then id.
    pub fn within(&self, x: f64, y: f64, radius: f64) -> Vec<(usize, f64)> {
        let mut v: Vec<(usize, f64)> = self
            .tree
            .locate_within_distance([x, y], radius * radius)
            .map(|p| (p.data, ((p.geom()[0] - x).powi(2) + (p.geom()[1] - y).powi(2)).sqrt()))
            .collect();
        v.sort_by(|a, b| a.1.total_cmp(&b.1).then(a.0.cmp(&b.0)));
        v
    }

    /// Ids of the points inside a viewport rectangle (edges included), sorted.
    pub fn in_rect(&self, r: Rect<f64>) -> Vec<usize> {
        let env = AABB::from_corners([r.min().x, r.min().y], [r.max().x, r.max().y]);
        let mut v: Vec<usize> = self.tree.locate_in_envelope(&env).map(|p| p.data).collect();
        v.sort_unstable();
        v
    }
}

/// Line segments tagged with the id of the line they belong to (cables, roads).
#[derive(Debug, Clone)]
pub struct SegmentIndex {
    tree: RTree<SegmentItem>,
}

impl SegmentIndex {
    /// Bulk-loads the segments of `(id, vertices)` polylines.
    pub fn new<'a>(lines: impl IntoIterator<Item = (usize, &'a [Coord<f64>])>) -> Self {
        let mut items = Vec::new();
        for (id, pts) in lines {
            for w in pts.windows(2) {
                items.push(GeomWithData::new(Line::new([w[0].x, w[0].y], [w[1].x, w[1].y]), id));
            }
        }
        SegmentIndex { tree: RTree::bulk_load(items) }
    }

    /// Number of segments.
    pub fn len(&self) -> usize {
        self.tree.size()
    }

    /// True when empty.
    pub fn is_empty(&self) -> bool {
        self.tree.size() == 0
    }

    /// The line nearest to (x, y) and the exact point-to-segment distance in metres.
    pub fn nearest(&self, x: f64, y: f64) -> Option<(usize, f64)> {
        use rstar::PointDistance;
        let mut it = self.tree.nearest_neighbor_iter(&[x, y]);
        let first = it.next()?;
        let d2 = first.geom().distance_2(&[x, y]);
        let mut id = first.data;
        for s in it {
            if s.geom().distance_2(&[x, y]) > d2 {
                break;
            }
            id = id.min(s.data);
        }
        Some((id, d2.sqrt()))
    }

    /// [`Self::nearest`] for each of many points, equal to it point by point (`None` for a point
    /// that is not finite, where the tree's search would panic). The points are
    /// grouped by grid cell: one tree search per cell finds every segment that can be nearest
    /// to some point of the cell, and each point then measures only those (a million villages
    /// would otherwise walk the tree a million times).
    pub fn nearest_each(&self, points: &[[f64; 2]]) -> Vec<Option<(usize, f64)>> {
        use rayon::prelude::*;
        use rstar::PointDistance;
        let finite = |p: &[f64; 2]| p[0].is_finite() && p[1].is_finite();
        let Some(extent) = points.iter().filter(|p| finite(p)).fold(None, |r: Option<[f64; 4]>, p| {
            Some(r.map_or([p[0], p[1], p[0], p[1]], |r| [r[0].min(p[0]), r[1].min(p[1]), r[2].max(p[0]), r[3].max(p[1])]))
        }) else {
            return vec![None; points.len()];
        };
        if self.is_empty() {
            return vec![None; points.len()];
        }
        // Cells of about 32 points each: the per-cell search is then a small share of the work.
        let area = ((extent[2] - extent[0]) * (extent[3] - extent[1])).max(1.0);
        let side = (area * 32.0 / points.len() as f64).sqrt().max(1.0);
        let cols = ((extent[2] - extent[0]) / side).floor() as u64 + 1;
        let cell_of = |p: &[f64; 2]| ((p[1] - extent[1]) / side).floor() as u64 * cols + ((p[0] - extent[0]) / side).floor() as u64;
        let mut order: Vec<(u64, u32)> = points.par_iter().enumerate().filter(|(_, p)| finite(p)).map(|(k, p)| (cell_of(p), k as u32)).collect();
        order.par_sort_unstable();
        let cells: Vec<&[(u64, u32)]> = order.chunk_by(|a, b| a.0 == b.0).collect();
        let found: Vec<(u32, Option<(usize, f64)>)> = cells
            .par_iter()
            .flat_map_iter(|cell| {
                let (row, col) = (cell[0].0 / cols, cell[0].0 % cols);
                let centre = [extent[0] + (col as f64 + 0.5) * side, extent[1] + (row as f64 + 0.5) * side];
                // Every point of the cell lies within `half` of its centre, so its nearest segment
                // is at most (centre's nearest + half) from it, and within (+ 2 half) of the centre.
                let half = side * std::f64::consts::FRAC_1_SQRT_2;
                let reach = self.nearest(centre[0], centre[1]).map_or(f64::INFINITY, |n| n.1) + 2.0 * half;
                let reach = reach * (1.0 + 1e-9) + 1e-6; // rounding must not drop the nearest
                let near: Vec<&SegmentItem> = self.tree.locate_within_distance(centre, reach * reach).collect();
                cell.iter().map(move |&(_, k)| {
                    let p = points[k as usize];
                    let best = near.iter().map(|s| (s.geom().distance_2(&p), s.data)).min_by(|a, b| a.0.total_cmp(&b.0).then(a.1.cmp(&b.1)));
                    (k, best.map(|(d2, id)| (id, d2.sqrt())))
                })
            })
            .collect();
        let mut out: Vec<Option<(usize, f64)>> = vec![None; points.len()];
        for (k, n) in found {
            out[k as usize] = n;
        }
        out
    }

    /// The segments within `radius` of (x, y), as (line id, [start, end]), in a stable order.
    pub fn segments_within(&self, x: f64, y: f64, radius: f64) -> Vec<(usize, [[f64; 2]; 2])> {
        let mut v: Vec<(usize, [[f64; 2]; 2])> =
            self.tree.locate_within_distance([x, y], radius * radius).map(|s| (s.data, [s.geom().from, s.geom().to])).collect();
        v.sort_by(|a, b| a.0.cmp(&b.0).then(a.1[0][0].total_cmp(&b.1[0][0])).then(a.1[0][1].total_cmp(&b.1[0][1])));
        v
    }

    /// Lines with a segment within `radius` of (x, y): (id, exact distance), one entry per line, sorted.
    pub fn within(&self, x: f64, y: f64, radius: f64) -> Vec<(usize, f64)> {
        use rstar::PointDistance;
        let mut best: std::collections::BTreeMap<usize, f64> = std::collections::BTreeMap::new();
        for s in self.tree.locate_within_distance([x, y], radius * radius) {
            let d = s.geom().distance_2(&[x, y]).sqrt();
            let e = best.entry(s.data).or_insert(d);
            *e = e.min(d);
        }
        let mut v: Vec<(usize, f64)> = best.into_iter().collect();
        v.sort_by(|a, b| a.1.total_cmp(&b.1).then(a.0.cmp(&b.0)));
        v
    }
}

/// Bounding boxes with an id each: for layers too big to keep a second, projected copy of
/// every polygon (a million building footprints); exact tests go back to the model geometry.
#[derive(Debug, Clone)]
pub struct BoxIndex {
    tree: RTree<BoxItem>,
}

impl BoxIndex {
    /// Bulk-loads `(id, box)` pairs.
    pub fn new(boxes: impl IntoIterator<Item = (usize, Rect<f64>)>) -> Self {
        let items = boxes.into_iter().map(|(i, r)| GeomWithData::new(Rectangle::from_corners([r.min().x, r.min().y], [r.max().x, r.max().y]), i)).collect();
        BoxIndex { tree: RTree::bulk_load(items) }
    }

    /// Ids of boxes containing (x, y), edges included, sorted.
    pub fn at_point(&self, x: f64, y: f64) -> Vec<usize> {
        let mut v: Vec<usize> = self.tree.locate_all_at_point(&[x, y]).map(|b| b.data).collect();
        v.sort_unstable();
        v
    }

    /// Ids of boxes meeting the viewport, sorted (for drawing).
    pub fn in_rect(&self, r: Rect<f64>) -> Vec<usize> {
        let env = AABB::from_corners([r.min().x, r.min().y], [r.max().x, r.max().y]);
        let mut v: Vec<usize> = self.tree.locate_in_envelope_intersecting(&env).map(|b| b.data).collect();
        v.sort_unstable();
        v
    }
}

/// Polygons (village areas, admin areas) indexed by bounding box, kept for exact tests.
#[derive(Debug, Clone)]
pub struct PolygonIndex {
    tree: RTree<BoxItem>,
    polygons: Vec<MultiPolygon<f64>>,
}

impl PolygonIndex {
    /// Indexes polygons; the id of each is its position in `polygons`.
    pub fn new(polygons: Vec<MultiPolygon<f64>>) -> Self {
        let items = polygons
            .iter()
            .enumerate()
            .filter_map(|(i, p)| p.bounding_rect().map(|r| GeomWithData::new(Rectangle::from_corners([r.min().x, r.min().y], [r.max().x, r.max().y]), i)))
            .collect();
        PolygonIndex { tree: RTree::bulk_load(items), polygons }
    }

    /// The polygon with id `i`.
    pub fn polygon(&self, i: usize) -> &MultiPolygon<f64> {
        &self.polygons[i]
    }

    /// Ids of the polygons containing (x, y), sorted (boundary points do not count).
    pub fn containing(&self, x: f64, y: f64) -> Vec<usize> {
        let p = geo::Point::new(x, y);
        let mut v: Vec<usize> = self.tree.locate_all_at_point(&[x, y]).map(|b| b.data).filter(|&i| self.polygons[i].contains(&p)).collect();
        v.sort_unstable();
        v
    }

    /// Ids of polygons whose bounding box meets the viewport, sorted (for drawing).
    pub fn in_rect(&self, r: Rect<f64>) -> Vec<usize> {
        let env = AABB::from_corners([r.min().x, r.min().y], [r.max().x, r.max().y]);
        let mut v: Vec<usize> = self.tree.locate_in_envelope_intersecting(&env).map(|b| b.data).collect();
        v.sort_unstable();
        v
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use proptest::prelude::*;

    fn seg_dist(p: (f64, f64), a: (f64, f64), b: (f64, f64)) -> f64 {
        let (dx, dy) = (b.0 - a.0, b.1 - a.1);
        let l2 = dx * dx + dy * dy;
        let t = if l2 == 0.0 { 0.0 } else { (((p.0 - a.0) * dx + (p.1 - a.1) * dy) / l2).clamp(0.0, 1.0) };
        ((p.0 - a.0 - t * dx).powi(2) + (p.1 - a.1 - t * dy).powi(2)).sqrt()
    }

    proptest! {
        #[test]
        fn nearest_each_equals_nearest_point_by_point(
            lines in prop::collection::vec(prop::collection::vec((-3000.0..3000.0f64, -3000.0..3000.0f64), 2..6), 0..40),
            pts in prop::collection::vec((-4000.0..4000.0f64, -4000.0..4000.0f64), 0..400),
            cluster in prop::collection::vec((0.0..50.0f64, 0.0..50.0f64), 0..200),
        ) {
            let lines: Vec<Vec<Coord<f64>>> = lines.into_iter().map(|l| l.into_iter().map(|(x, y)| Coord { x, y }).collect()).collect();
            let idx = SegmentIndex::new(lines.iter().enumerate().map(|(i, l)| (i, l.as_slice())));
            // Spread points, a dense cluster (many points per cell), and one non-finite point.
            let mut points: Vec<[f64; 2]> = pts.iter().chain(&cluster).map(|&(x, y)| [x, y]).collect();
            points.push([f64::NAN, 0.0]);
            let each = idx.nearest_each(&points);
            prop_assert_eq!(each.last(), Some(&None));
            for (p, got) in points.iter().zip(&each).filter(|(p, _)| p[0].is_finite()) {
                let want = idx.nearest(p[0], p[1]);
                prop_assert_eq!(got.map(|g| (g.0, g.1.to_bits())), want.map(|w| (w.0, w.1.to_bits())), "at {:?}", p);
            }
        }

        #[test]
        fn points_match_brute_force(pts in prop::collection::vec((-1000.0..1000.0f64, -1000.0..1000.0f64), 1..200),
                                    q in (-1200.0..1200.0f64, -1200.0..1200.0f64), r in 0.0..600.0f64) {
            let idx = PointIndex::new(pts.iter().enumerate().map(|(i, p)| (i, p.0, p.1)));
            let d = |p: &(f64, f64)| ((p.0 - q.0).powi(2) + (p.1 - q.1).powi(2)).sqrt();
            let best = pts.iter().map(d).fold(f64::INFINITY, f64::min);
            let (id, dist) = idx.nearest(q.0, q.1).unwrap();
            prop_assert!((dist - best).abs() < 1e-9);
            prop_assert!((d(&pts[id]) - best).abs() < 1e-9);
            let want = idx.nearest(q.0, q.1).filter(|w| w.1 <= r);
            prop_assert_eq!(idx.nearest_within(q.0, q.1, r).map(|g| (g.0, g.1.to_bits())), want.map(|w| (w.0, w.1.to_bits())));
            // On the rim: the radius is the nearest point's distance itself.
            prop_assert_eq!(idx.nearest_within(q.0, q.1, dist), Some((id, dist)));
            let mut brute: Vec<usize> = (0..pts.len()).filter(|&i| d(&pts[i]) <= r).collect();
            let mut got: Vec<usize> = idx.within(q.0, q.1, r).into_iter().map(|x| x.0).collect();
            brute.sort_unstable(); got.sort_unstable();
            prop_assert_eq!(got, brute);
            let rect = Rect::new((q.0 - r, q.1 - r / 2.0), (q.0 + r, q.1 + r / 2.0));
            let inside = |p: &(f64, f64)| p.0 >= rect.min().x && p.0 <= rect.max().x && p.1 >= rect.min().y && p.1 <= rect.max().y;
            let brute: Vec<usize> = (0..pts.len()).filter(|&i| inside(&pts[i])).collect();
            prop_assert_eq!(idx.in_rect(rect), brute);
        }

        #[test]
        fn segments_match_brute_force(lines in prop::collection::vec(prop::collection::vec((-1000.0..1000.0f64, -1000.0..1000.0f64), 2..6), 1..40),
                                      q in (-1200.0..1200.0f64, -1200.0..1200.0f64), r in 0.0..500.0f64) {
            let coords: Vec<Vec<Coord<f64>>> = lines.iter().map(|l| l.iter().map(|&(x, y)| Coord { x, y }).collect()).collect();
            let idx = SegmentIndex::new(coords.iter().enumerate().map(|(i, l)| (i, l.as_slice())));
            let line_d = |l: &Vec<(f64, f64)>| l.windows(2).map(|w| seg_dist(q, w[0], w[1])).fold(f64::INFINITY, f64::min);
            let best = lines.iter().map(line_d).fold(f64::INFINITY, f64::min);
            let (id, d) = idx.nearest(q.0, q.1).unwrap();
            prop_assert!((d - best).abs() < 1e-6, "{} vs {}", d, best);
            prop_assert!((line_d(&lines[id]) - best).abs() < 1e-6);
            let brute: Vec<usize> = (0..lines.len()).filter(|&i| line_d(&lines[i]) <= r).collect();
            let mut got: Vec<usize> = idx.within(q.0, q.1, r).into_iter().map(|x| x.0).collect();
            got.sort_unstable();
            prop_assert_eq!(got, brute);
        }

        #[test]
        fn boxes_match_brute_force(boxes in prop::collection::vec((-1000.0..1000.0f64, -1000.0..1000.0f64, 0.0..300.0f64, 0.0..300.0f64), 1..80),
                                   q in (-1200.0..1200.0f64, -1200.0..1200.0f64), r in 1.0..500.0f64) {
            let rects: Vec<Rect<f64>> = boxes.iter().map(|&(x, y, w, h)| Rect::new((x, y), (x + w, y + h))).collect();
            let idx = BoxIndex::new(rects.iter().copied().enumerate());
            let at: Vec<usize> = (0..rects.len()).filter(|&i| { let b = rects[i]; q.0 >= b.min().x && q.0 <= b.max().x && q.1 >= b.min().y && q.1 <= b.max().y }).collect();
            prop_assert_eq!(idx.at_point(q.0, q.1), at);
            let view = Rect::new((q.0 - r, q.1 - r), (q.0 + r, q.1 + r));
            let meet: Vec<usize> = (0..rects.len()).filter(|&i| { let b = rects[i];
                b.min().x <= view.max().x && b.max().x >= view.min().x && b.min().y <= view.max().y && b.max().y >= view.min().y }).collect();
            prop_assert_eq!(idx.in_rect(view), meet);
        }

        #[test]
        fn polygons_match_brute_force(boxes in prop::collection::vec((-1000.0..1000.0f64, -1000.0..1000.0f64, 1.0..400.0f64, 1.0..400.0f64), 1..60),
                                      q in (-1200.0..1200.0f64, -1200.0..1200.0f64)) {
            // Triangles (half boxes) so bounding-box hits that miss the shape are exercised.
            let polys: Vec<MultiPolygon<f64>> = boxes.iter().map(|&(x, y, w, h)| MultiPolygon(vec![geo::Polygon::new(
                geo::LineString::from(vec![(x, y), (x + w, y), (x, y + h), (x, y)]), vec![])])).collect();
            let idx = PolygonIndex::new(polys.clone());
            let p = geo::Point::new(q.0, q.1);
            let brute: Vec<usize> = (0..polys.len()).filter(|&i| polys[i].contains(&p)).collect();
            prop_assert_eq!(idx.containing(q.0, q.1), brute);
        }
    }

    #[test]
    fn exact_segment_distance_and_ties() {
        let a = [Coord { x: 0.0, y: 0.0 }, Coord { x: 10.0, y: 0.0 }];
        let b = [Coord { x: 0.0, y: 6.0 }, Coord { x: 10.0, y: 6.0 }];
        let idx = SegmentIndex::new([(7usize, &a[..]), (3usize, &b[..])]);
        assert_eq!(idx.nearest(5.0, 3.0), Some((3, 3.0)));
        assert_eq!(idx.nearest(-3.0, -4.0), Some((7, 5.0)));
    }
}
