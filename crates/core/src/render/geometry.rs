//! A map layer's geometry made ready for drawing: projected once into the local frame (f32,
//! metres), polygons triangulated, lines as strips, an R-tree over the features' bounds for
//! culling and picking. The screen and the printed map draw from the same geometry.

use super::view::{Bounds, union};
use crate::model::{AdminArea, Building, Village};
use crate::project::{Project, Role};
use crate::spatial::{BoxIndex, LocalFrame};
use geo::{Coord, LineString, MultiLineString, MultiPolygon, Point, Polygon, Rect, TriangulateEarcut};
use rayon::prelude::*;

/// One model object drawn by a layer.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub enum Item {
    /// Index into the project's villages.
    Village(usize),
    /// Index into the buildings.
    Building(usize),
    /// Index into the sectors.
    Sector(usize),
    /// Index into the fiber cables.
    Cable(usize),
    /// Index into the access points.
    AccessPoint(usize),
    /// Index into the roads.
    Road(usize),
    /// Index into the administrative areas.
    Admin(usize),
    /// Index into the points of interest.
    Poi(usize),
    /// Index into the measurements.
    Measurement(usize),
}

/// How a feature is drawn.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Shape {
    /// A symbol at the anchor.
    Point,
    /// Line strips.
    Line,
    /// Filled triangles plus outline strips.
    Polygon,
}

/// The drawable geometry of one project layer.
#[derive(Debug, Default)]
pub struct LayerGeometry {
    /// The layer's name in the project file.
    pub name: String,
    /// Its role.
    pub role: Option<Role>,
    /// The model object behind each feature.
    pub items: Vec<Item>,
    /// Per feature: how it is drawn.
    pub shapes: Vec<Shape>,
    /// Per feature: bounds in the frame.
    pub bounds: Vec<Bounds>,
    /// Per feature: the point a symbol or label sits on (frame metres).
    pub anchors: Vec<[f64; 2]>,
    /// Per feature: the direction a symbol points (a sector's azimuth, degrees from north).
    pub directions: Vec<Option<f32>>,
    /// Triangle vertices (frame metres, f32 is ample within a few hundred km).
    pub vertices: Vec<[f32; 2]>,
    /// Triangle corner indices into `vertices`.
    pub triangles: Vec<u32>,
    /// Per feature: its range in `triangles`.
    pub triangle_ranges: Vec<(u32, u32)>,
    /// Per feature: its range in `vertices` (its triangles use only these).
    pub vertex_ranges: Vec<(u32, u32)>,
    /// Points of every line strip (polygon rings closed), end to end.
    pub strip_points: Vec<[f32; 2]>,
    /// Strips as ranges of `strip_points`.
    pub strips: Vec<(u32, u32)>,
    /// Per feature: its range in `strips`.
    pub strip_ranges: Vec<(u32, u32)>,
    /// Bounds of all features.
    pub extent: Option<Bounds>,
    /// Which shapes occur: point, line, polygon.
    pub kinds: [bool; 3],
    index: Option<BoxIndex>,
}

/// One feature before it joins the layer (built in parallel).
struct Part {
    item: Item,
    shape: Shape,
    bounds: Bounds,
    anchor: [f64; 2],
    direction: Option<f32>,
    vertices: Vec<[f32; 2]>,
    triangles: Vec<u32>,
    strips: Vec<Vec<[f32; 2]>>,
}

fn project_ring(f: &LocalFrame, ls: &LineString<f64>) -> Vec<[f32; 2]> {
    ls.0.iter().map(|c| f.forward(c.x, c.y)).map(|(x, y)| [x as f32, y as f32]).collect()
}

fn strip_bounds(strips: &[Vec<[f32; 2]>]) -> Bounds {
    let mut b = [f64::INFINITY, f64::INFINITY, f64::NEG_INFINITY, f64::NEG_INFINITY];
    for p in strips.iter().flatten() {
        b = union(b, [p[0] as f64, p[1] as f64, p[0] as f64, p[1] as f64]);
    }
    b
}

fn point_part(f: &LocalFrame, item: Item, p: Point<f64>) -> Part {
    let (x, y) = f.forward(p.x(), p.y());
    Part { item, shape: Shape::Point, bounds: [x, y, x, y], anchor: [x, y], direction: None, vertices: Vec::new(), triangles: Vec::new(), strips: Vec::new() }
}

fn sector_part(p: &Project, i: usize) -> Part {
    let s = &p.data.sectors[i];
    let mut part = point_part(&p.frame, Item::Sector(i), s.position);
    part.direction = s.azimuth_deg.map(|a| a as f32);
    part
}

fn line_part(f: &LocalFrame, item: Item, m: &MultiLineString<f64>) -> Part {
    let strips: Vec<_> = m.0.iter().map(|l| project_ring(f, l)).filter(|s| s.len() >= 2).collect();
    let bounds = strip_bounds(&strips);
    let anchor = strips.iter().max_by_key(|s| s.len()).map(|s| s[s.len() / 2]).map(|p| [p[0] as f64, p[1] as f64]).unwrap_or([0.0, 0.0]);
    Part { item, shape: Shape::Line, bounds, anchor, direction: None, vertices: Vec::new(), triangles: Vec::new(), strips }
}

/// Twice the signed area and the area-weighted centroid sums of a ring.
fn ring_moments(r: &[[f32; 2]]) -> (f64, f64, f64) {
    let (mut a, mut sx, mut sy) = (0.0, 0.0, 0.0);
    for w in r.windows(2) {
        let (x0, y0, x1, y1) = (w[0][0] as f64, w[0][1] as f64, w[1][0] as f64, w[1][1] as f64);
        let cross = x0 * y1 - x1 * y0;
        a += cross;
        sx += (x0 + x1) * cross;
        sy += (y0 + y1) * cross;
    }
    (a, sx, sy)
}

/// A polygon feature: rings projected once, triangulated when the screen needs fills from
/// triangles (print draws rings and needs none), anchor at the area-weighted centroid.
fn polygon_part(f: &LocalFrame, item: Item, m: &MultiPolygon<f64>, triangulate: bool) -> Part {
    let mut vertices = Vec::new();
    let mut triangles = Vec::new();
    let mut strips = Vec::new();
    let (mut area2, mut cx, mut cy) = (0.0, 0.0, 0.0);
    for poly in &m.0 {
        let ext = project_ring(f, poly.exterior());
        if ext.len() < 3 {
            continue;
        }
        let holes: Vec<_> = poly.interiors().iter().map(|r| project_ring(f, r)).collect();
        // Shells count positive and holes negative, whatever their winding.
        for (k, r) in std::iter::once(&ext).chain(&holes).enumerate() {
            let (a, sx, sy) = ring_moments(r);
            let sign = if (k == 0) == (a >= 0.0) { 1.0 } else { -1.0 };
            (area2, cx, cy) = (area2 + sign * a, cx + sign * sx, cy + sign * sy);
        }
        if triangulate {
            let to_ls = |r: &[[f32; 2]]| LineString(r.iter().map(|p| Coord { x: p[0] as f64, y: p[1] as f64 }).collect());
            let projected = Polygon::new(to_ls(&ext), holes.iter().map(|h| to_ls(h)).collect());
            let raw = projected.earcut_triangles_raw();
            let base = vertices.len() as u32;
            vertices.extend(raw.vertices.iter().map(|v| [v[0] as f32, v[1] as f32]));
            triangles.extend(raw.triangle_indices.iter().map(|&i| base + i as u32));
        }
        strips.push(ext);
        strips.extend(holes);
    }
    let bounds = strip_bounds(&strips);
    let anchor = if area2.abs() > 1e-9 { [cx / (3.0 * area2), cy / (3.0 * area2)] } else { [(bounds[0] + bounds[2]) / 2.0, (bounds[1] + bounds[3]) / 2.0] };
    Part { item, shape: Shape::Polygon, bounds, anchor, direction: None, vertices, triangles, strips }
}

fn village_part(f: &LocalFrame, i: usize, v: &Village, tri: bool) -> Part {
    match &v.area {
        Some(a) => {
            let mut part = polygon_part(f, Item::Village(i), a, tri);
            let (x, y) = f.forward(v.location.x(), v.location.y());
            part.anchor = [x, y];
            part
        }
        None => point_part(f, Item::Village(i), v.location),
    }
}

fn building_part(f: &LocalFrame, i: usize, b: &Building, tri: bool) -> Part {
    polygon_part(f, Item::Building(i), &b.footprint, tri)
}

fn admin_part(f: &LocalFrame, i: usize, a: &AdminArea, tri: bool) -> Part {
    polygon_part(f, Item::Admin(i), &a.boundary, tri)
}

impl LayerGeometry {
    /// The geometry of the project layer named `name` (every model object it produced).
    pub fn of_layer(p: &Project, name: &str, role: Option<Role>) -> LayerGeometry {
        Self::of_layer_with(p, name, role, true)
    }

    /// [`Self::of_layer`], with polygon triangles only when `triangulate` (the screen fills
    /// triangles; the printed map fills rings and skips that work).
    pub fn of_layer_with(p: &Project, name: &str, role: Option<Role>, triangulate: bool) -> LayerGeometry {
        let tri = triangulate;
        let f = &p.frame;
        let d = &p.data;
        let mine = |layer: &str| layer == name;
        let parts: Vec<Part> = match role {
            Some(Role::Villages) => d.villages.par_iter().enumerate().filter(|(_, v)| mine(&v.source.layer)).map(|(i, v)| village_part(f, i, v, tri)).collect(),
            Some(Role::Buildings) => {
                d.buildings.par_iter().enumerate().filter(|(_, b)| mine(&b.source.layer)).map(|(i, b)| building_part(f, i, b, tri)).collect()
            }
            Some(Role::Admin) => d.admin_areas.par_iter().enumerate().filter(|(_, a)| mine(&a.source.layer)).map(|(i, a)| admin_part(f, i, a, tri)).collect(),
            Some(Role::Roads) => d.roads.iter().enumerate().filter(|(_, r)| mine(&r.source.layer)).map(|(i, r)| line_part(f, Item::Road(i), &r.line)).collect(),
            Some(Role::Fiber) => {
                d.cables.iter().enumerate().filter(|(_, c)| mine(&c.source.layer)).map(|(i, c)| line_part(f, Item::Cable(i), &c.route)).collect()
            }
            Some(Role::Sectors) => d.sectors.iter().enumerate().filter(|(_, s)| mine(&s.source.layer)).map(|(i, _)| sector_part(p, i)).collect(),
            Some(Role::AccessPoints) => d
                .access_points
                .iter()
                .enumerate()
                .filter(|(_, a)| mine(&a.source.layer))
                .map(|(i, a)| point_part(f, Item::AccessPoint(i), a.position))
                .collect(),
            Some(Role::Poi) => d.pois.iter().enumerate().filter(|(_, q)| mine(&q.source.layer)).map(|(i, q)| point_part(f, Item::Poi(i), q.position)).collect(),
            Some(Role::Measurements) => {
                d.measurements.iter().enumerate().filter(|(_, m)| mine(&m.source.layer)).map(|(i, m)| point_part(f, Item::Measurement(i), m.position)).collect()
            }
            _ => Vec::new(),
        };
        Self::from_parts(name, role, parts)
    }

    fn from_parts(name: &str, role: Option<Role>, parts: Vec<Part>) -> LayerGeometry {
        let mut g = LayerGeometry { name: name.to_string(), role, ..Default::default() };
        for part in parts.into_iter().filter(|p| p.bounds[0].is_finite()) {
            let base = g.vertices.len() as u32;
            let t0 = g.triangles.len() as u32;
            g.vertices.extend(part.vertices);
            g.vertex_ranges.push((base, g.vertices.len() as u32));
            g.triangles.extend(part.triangles.iter().map(|i| i + base));
            g.triangle_ranges.push((t0, g.triangles.len() as u32));
            let s0 = g.strips.len() as u32;
            for s in part.strips {
                let p0 = g.strip_points.len() as u32;
                g.strip_points.extend(s);
                g.strips.push((p0, g.strip_points.len() as u32));
            }
            g.strip_ranges.push((s0, g.strips.len() as u32));
            g.extent = Some(g.extent.map_or(part.bounds, |e| union(e, part.bounds)));
            g.items.push(part.item);
            g.kinds[part.shape as usize] = true;
            g.shapes.push(part.shape);
            g.bounds.push(part.bounds);
            g.anchors.push(part.anchor);
            g.directions.push(part.direction);
        }
        let rect = |b: &Bounds| Rect::new(Coord { x: b[0], y: b[1] }, Coord { x: b[2], y: b[3] });
        g.index = Some(BoxIndex::new(g.bounds.iter().enumerate().map(|(i, b)| (i, rect(b)))));
        g
    }

    /// Number of features.
    pub fn len(&self) -> usize {
        self.items.len()
    }

    /// Whether the layer has no drawable feature.
    pub fn is_empty(&self) -> bool {
        self.items.is_empty()
    }

    /// Features whose bounds meet `b`, in layer order (so drawing order does not depend on the tree).
    pub fn visible(&self, b: Bounds) -> Vec<usize> {
        let Some(index) = &self.index else { return Vec::new() };
        let mut v = index.in_rect(Rect::new(Coord { x: b[0], y: b[1] }, Coord { x: b[2], y: b[3] }));
        v.sort_unstable();
        v
    }

    /// Whether any feature is drawn as `shape`.
    pub fn has(&self, shape: Shape) -> bool {
        self.kinds[shape as usize]
    }

    /// The triangles of feature `i` (corner indices into `vertices`).
    pub fn triangles_of(&self, i: usize) -> &[u32] {
        let (a, b) = self.triangle_ranges[i];
        &self.triangles[a as usize..b as usize]
    }

    /// The line strips (or polygon rings) of feature `i`.
    pub fn strips_of(&self, i: usize) -> impl Iterator<Item = &[[f32; 2]]> {
        let (a, b) = self.strip_ranges[i];
        self.strips[a as usize..b as usize].iter().map(|&(s, e)| &self.strip_points[s as usize..e as usize])
    }

    /// The feature under frame point `(x, y)`: polygons containing it, else the nearest point or
    /// line within `tolerance` metres; the topmost (last drawn) wins.
    pub fn pick(&self, x: f64, y: f64, tolerance: f64) -> Option<usize> {
        let near = self.visible([x - tolerance, y - tolerance, x + tolerance, y + tolerance]);
        let mut best: Option<(usize, f64)> = None;
        for &i in near.iter().rev() {
            let d = match self.shapes[i] {
                Shape::Point => (self.anchors[i][0] - x).hypot(self.anchors[i][1] - y),
                Shape::Line => self.strips_of(i).map(|s| strip_distance(s, x, y)).fold(f64::INFINITY, f64::min),
                Shape::Polygon => {
                    if self.triangles_of(i).chunks_exact(3).any(|t| in_triangle(t.iter().map(|&k| self.vertices[k as usize]), x, y)) {
                        0.0
                    } else {
                        self.strips_of(i).map(|s| strip_distance(s, x, y)).fold(f64::INFINITY, f64::min)
                    }
                }
            };
            if d <= tolerance && best.is_none_or(|(_, bd)| d < bd) {
                best = Some((i, d));
                if d == 0.0 {
                    break;
                }
            }
        }
        best.map(|(i, _)| i)
    }

    /// The feature drawing `item`, if this layer draws it.
    pub fn feature_of(&self, item: Item) -> Option<usize> {
        self.items.iter().position(|&it| it == item)
    }
}

fn in_triangle(mut corners: impl Iterator<Item = [f32; 2]>, x: f64, y: f64) -> bool {
    let mut c = [[0.0f64; 2]; 3];
    for k in &mut c {
        let p = corners.next().unwrap_or_default();
        *k = [p[0] as f64, p[1] as f64];
    }
    let side = |a: [f64; 2], b: [f64; 2]| (b[0] - a[0]) * (y - a[1]) - (b[1] - a[1]) * (x - a[0]);
    let (d1, d2, d3) = (side(c[0], c[1]), side(c[1], c[2]), side(c[2], c[0]));
    let neg = d1 < 0.0 || d2 < 0.0 || d3 < 0.0;
    let pos = d1 > 0.0 || d2 > 0.0 || d3 > 0.0;
    !(neg && pos)
}

/// Distance from `(x, y)` to a polyline.
fn strip_distance(s: &[[f32; 2]], x: f64, y: f64) -> f64 {
    s.windows(2)
        .map(|w| {
            let (ax, ay, bx, by) = (w[0][0] as f64, w[0][1] as f64, w[1][0] as f64, w[1][1] as f64);
            let (dx, dy) = (bx - ax, by - ay);
            let len2 = dx * dx + dy * dy;
            let t = if len2 > 0.0 { (((x - ax) * dx + (y - ay) * dy) / len2).clamp(0.0, 1.0) } else { 0.0 };
            (ax + t * dx - x).hypot(ay + t * dy - y)
        })
        .fold(f64::INFINITY, f64::min)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn triangle_and_segment_tests() {
        let tri = [[0.0f32, 0.0], [10.0, 0.0], [0.0, 10.0]];
        assert!(in_triangle(tri.into_iter(), 2.0, 2.0));
        assert!(!in_triangle(tri.into_iter(), 8.0, 8.0));
        assert_eq!(strip_distance(&[[0.0, 0.0], [10.0, 0.0]], 5.0, 3.0), 3.0);
        assert_eq!(strip_distance(&[[0.0, 0.0], [10.0, 0.0]], 13.0, 4.0), 5.0);
    }

    #[test]
    fn polygons_are_triangulated_with_holes_and_picked() {
        let f = LocalFrame::new(113.0, 23.0);
        // A 0.01° square with a hole in the middle.
        let ring = |a: f64, b: f64| {
            LineString::from(vec![(113.0 + a, 23.0 + a), (113.0 + b, 23.0 + a), (113.0 + b, 23.0 + b), (113.0 + a, 23.0 + b), (113.0 + a, 23.0 + a)])
        };
        let poly = MultiPolygon(vec![Polygon::new(ring(0.0, 0.01), vec![ring(0.004, 0.006)])]);
        let part = polygon_part(&f, Item::Admin(0), &poly, true);
        let g = LayerGeometry::from_parts("t", Some(Role::Admin), vec![part]);
        // A square with a square hole: 8 triangles.
        assert_eq!(g.triangles_of(0).len(), 24);
        assert_eq!(g.strips_of(0).count(), 2);
        let (x, y) = f.forward(113.001, 23.001);
        assert_eq!(g.pick(x, y, 1.0), Some(0));
        let (hx, hy) = f.forward(113.005, 23.005);
        assert_eq!(g.pick(hx, hy, 1.0), None, "inside the hole");
        assert_eq!(g.pick(hx, hy, 300.0), Some(0), "the hole's ring is within 300 m");
        assert_eq!(g.visible([x - 1.0, y - 1.0, x + 1.0, y + 1.0]), vec![0]);
    }
}
