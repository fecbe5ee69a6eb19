//! Point-in-area by a grid: which cells of an area's box lie wholly inside it, wholly outside,
//! or on its border (only there is the polygon tested).
//!
//! A split asks the owner of every building and village of the project. Testing each point
//! against the area polygons (thousands of vertices each, their box worked out again at every
//! test) took a third of the split of a 24-county province (4.2 M buildings). Most points lie
//! in cells the border never touches, and their answer is the cell's.

use geo::{Contains, Coord, MultiPolygon, Rect};

/// Cells per side of an area's box.
const CELLS: usize = 256;

/// Where a cell lies.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(super) enum Place {
    /// Every point of the cell (edges included) is inside the area, none on its border.
    Inside,
    /// Every point of the cell is outside the area.
    Outside,
    /// The border may pass through the cell (or the point is off the grid): test the polygon.
    Border,
}

/// One area's grid over its bounding box.
pub(super) struct AreaGrid {
    min: Coord<f64>,
    size: Coord<f64>,
    places: Vec<Place>,
}

impl AreaGrid {
    /// The grid of `area` over its box `rect`; `None` for a flat box (no cell would have area).
    pub(super) fn new(area: &MultiPolygon<f64>, rect: Rect<f64>) -> Option<AreaGrid> {
        let size = Coord { x: rect.width() / CELLS as f64, y: rect.height() / CELLS as f64 };
        if !(size.x > 0.0 && size.y > 0.0) {
            return None;
        }
        let mut g = AreaGrid { min: rect.min(), size, places: vec![Place::Border; CELLS * CELLS] };
        let mut border = vec![false; CELLS * CELLS];
        // Every cell a border segment's box reaches (long segments cut into pieces a cell
        // long), and one cell more each way: a point on the border then never lies in (or on
        // the edge of) an unmarked cell, whatever the rounding.
        let rings = area.0.iter().flat_map(|p| std::iter::once(p.exterior()).chain(p.interiors()));
        for line in rings.flat_map(|r| r.lines()) {
            let (dx, dy) = (line.end.x - line.start.x, line.end.y - line.start.y);
            let pieces = (dx.abs() / size.x).max(dy.abs() / size.y).ceil().clamp(1.0, (4 * CELLS) as f64) as usize;
            let at = |k: usize| {
                let t = k as f64 / pieces as f64;
                Coord { x: line.start.x + t * dx, y: line.start.y + t * dy }
            };
            for k in 0..pieces {
                let (a, b) = (if k == 0 { line.start } else { at(k) }, if k + 1 == pieces { line.end } else { at(k + 1) });
                let (i0, j0) = g.cell_unclamped(Coord { x: a.x.min(b.x), y: a.y.min(b.y) });
                let (i1, j1) = g.cell_unclamped(Coord { x: a.x.max(b.x), y: a.y.max(b.y) });
                let clamp = |k: i64| k.clamp(0, CELLS as i64 - 1) as usize;
                for j in clamp(j0 - 1)..=clamp(j1 + 1) {
                    for i in clamp(i0 - 1)..=clamp(i1 + 1) {
                        border[j * CELLS + i] = true;
                    }
                }
            }
        }
        // The cells the border misses come in connected patches, each wholly inside or wholly
        // outside: one polygon test per patch, at a cell's centre, then a flood fill.
        let mut seen = border.clone();
        for start in 0..CELLS * CELLS {
            if std::mem::replace(&mut seen[start], true) {
                continue;
            }
            let centre = Coord { x: g.min.x + ((start % CELLS) as f64 + 0.5) * size.x, y: g.min.y + ((start / CELLS) as f64 + 0.5) * size.y };
            let place = if area.contains(&centre) { Place::Inside } else { Place::Outside };
            let mut stack = vec![start];
            while let Some(c) = stack.pop() {
                g.places[c] = place;
                let (i, j) = (c % CELLS, c / CELLS);
                let neighbours = [(i > 0).then(|| c - 1), (i + 1 < CELLS).then_some(c + 1), (j > 0).then(|| c - CELLS), (j + 1 < CELLS).then_some(c + CELLS)];
                for n in neighbours.into_iter().flatten() {
                    if !std::mem::replace(&mut seen[n], true) {
                        stack.push(n);
                    }
                }
            }
        }
        Some(g)
    }

    fn cell_unclamped(&self, c: Coord<f64>) -> (i64, i64) {
        (((c.x - self.min.x) / self.size.x).floor() as i64, ((c.y - self.min.y) / self.size.y).floor() as i64)
    }

    /// Where the point lies, as far as the grid can tell.
    pub(super) fn place(&self, c: Coord<f64>) -> Place {
        if !(c.x.is_finite() && c.y.is_finite()) {
            return Place::Border;
        }
        let (i, j) = self.cell_unclamped(c);
        if (0..CELLS as i64).contains(&i) && (0..CELLS as i64).contains(&j) { self.places[j as usize * CELLS + i as usize] } else { Place::Border }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use geo::{BoundingRect, Intersects, LineString, Point, Polygon};

    #[test]
    fn the_grid_agrees_with_the_polygon_everywhere_it_answers() {
        // A ring with a notch and a hole, and points on a fine lattice, on vertices and on edges.
        let outer = LineString::from(vec![(0.0, 0.0), (10.0, 0.0), (10.0, 10.0), (5.0, 4.0), (0.0, 10.0), (0.0, 0.0)]);
        let hole = LineString::from(vec![(2.0, 1.0), (4.0, 1.0), (4.0, 3.0), (2.0, 3.0), (2.0, 1.0)]);
        let area = MultiPolygon(vec![Polygon::new(outer, vec![hole])]);
        let grid = AreaGrid::new(&area, area.bounding_rect().unwrap()).unwrap();
        let (mut decided, mut total) = (0, 0);
        let mut points: Vec<Coord<f64>> = (0..=400).flat_map(|i| (0..=400).map(move |j| Coord { x: i as f64 * 0.025, y: j as f64 * 0.025 })).collect();
        points.extend([(5.0, 4.0), (7.5, 7.0), (3.0, 1.0), (10.0, 5.0)].map(|(x, y)| Coord { x, y }));
        for c in points {
            total += 1;
            let (intersects, contains) = (area.intersects(&Point::from(c)), area.contains(&c));
            match grid.place(c) {
                Place::Inside => assert!(intersects && contains, "{c:?} is not strictly inside"),
                Place::Outside => assert!(!intersects, "{c:?} is not outside"),
                Place::Border => continue,
            }
            decided += 1;
        }
        assert!(decided * 10 > total * 8, "the grid decides only {decided} of {total}");
    }
}
