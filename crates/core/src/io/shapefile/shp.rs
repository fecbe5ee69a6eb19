//! The `.shp` geometry file, decoded by the `shapefile` crate: every shape type (with Z and M
//! variants), bounds-checked.
//!
//! The crate reads the header and each record's shape (`shapefile::Shape::read_from`). Around it
//! we keep three things of our own: the walk over the record headers (a few bytes each), so that
//! the records decode in parallel and every error names its record; a check of a multi-part
//! record's declared counts against its length before anything is allocated; and the grouping
//! of rings into polygons (holes into the shell that contains them, and every ring a shell when
//! an exporter wrote them all one way round), which the crate leaves to its users.

use crate::error::{InputError, Location, Result};
use crate::model::Feature;
use geo::{Coord, Geometry, LineString, MultiLineString, MultiPoint, MultiPolygon, Point, Polygon};
use shapefile::ReadableShape;
use shapefile::record::traits::HasXY;

/// The geometry family of a shapefile (Z and M variants fold into their 2D family).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum ShapeKind {
    /// Null shapes only.
    Null,
    /// Point (1, 11, 21).
    Point,
    /// Polyline (3, 13, 23).
    Polyline,
    /// Polygon (5, 15, 25).
    Polygon,
    /// MultiPoint (8, 18, 28).
    MultiPoint,
}

impl ShapeKind {
    /// Shape type code → family, and whether the record carries Z (`2`) or M (`1`) or neither (`0`).
    pub fn from_code(code: i32) -> Option<(ShapeKind, u8)> {
        Some(match code {
            0 => (ShapeKind::Null, 0),
            1 => (ShapeKind::Point, 0),
            3 => (ShapeKind::Polyline, 0),
            5 => (ShapeKind::Polygon, 0),
            8 => (ShapeKind::MultiPoint, 0),
            11 => (ShapeKind::Point, 2),
            13 => (ShapeKind::Polyline, 2),
            15 => (ShapeKind::Polygon, 2),
            18 => (ShapeKind::MultiPoint, 2),
            21 => (ShapeKind::Point, 1),
            23 => (ShapeKind::Polyline, 1),
            25 => (ShapeKind::Polygon, 1),
            28 => (ShapeKind::MultiPoint, 1),
            _ => return None,
        })
    }

    /// The shape type code of the 2D variant.
    pub fn code(self) -> i32 {
        match self {
            ShapeKind::Null => 0,
            ShapeKind::Point => 1,
            ShapeKind::Polyline => 3,
            ShapeKind::Polygon => 5,
            ShapeKind::MultiPoint => 8,
        }
    }

    /// Name for messages.
    pub fn name(self) -> &'static str {
        match self {
            ShapeKind::Null => "null",
            ShapeKind::Point => "point",
            ShapeKind::Polyline => "polyline",
            ShapeKind::Polygon => "polygon",
            ShapeKind::MultiPoint => "multipoint",
        }
    }
}

/// A parsed `.shp`: its declared shape family and one feature per record.
pub struct ShpContents {
    /// Declared family from the header.
    pub kind: ShapeKind,
    /// Shape type code from the header (with Z/M).
    pub code: i32,
    /// One feature per record, in record order: its geometry (`None` for a null shape) and no
    /// values yet (the `.dbf` fills them in place).
    pub features: Vec<Feature>,
}

/// Parses a whole `.shp` file held in memory.
pub fn parse(bytes: &[u8], loc: &Location) -> Result<ShpContents> {
    if bytes.len() < 100 {
        return Err(InputError::new(loc.clone(), format!("file is {} bytes, shorter than the 100-byte shapefile header", bytes.len()))
            .with_hint("the file is empty or truncated; copy it again from the source"));
    }
    let header = shapefile::header::Header::read_from(&mut &bytes[..100]).map_err(|e| match e {
        shapefile::Error::InvalidFileCode(c) => InputError::new(loc.clone(), format!("not a shapefile (file code {c}, expected 9994)")),
        shapefile::Error::InvalidShapeType(c) => unsupported(loc, c),
        e => InputError::new(loc.clone(), format!("unreadable shapefile header: {e}")),
    })?;
    let declared_len = header.file_length as i64 * 2;
    let code = header.shape_type as i32;
    let Some((kind, _)) = ShapeKind::from_code(code) else {
        return Err(unsupported(loc, code));
    };
    // A header longer than the file means truncation: the record loop below names the record
    // where the data stops.
    let end = if (100..=bytes.len() as i64).contains(&declared_len) { declared_len as usize } else { bytes.len() };
    // First pass: record boundaries (cheap, sequential); second: parse records in parallel.
    let mut ranges = Vec::new();
    let mut pos = 100usize;
    while pos < end {
        // Locations are made only for errors: a path copy per record shows for a million points.
        let rloc = || loc.record(ranges.len() as u64 + 1);
        if end - pos < 8 {
            return Err(InputError::new(rloc(), "file ends inside a record header (truncated)"));
        }
        let content_len = i32::from_be_bytes(bytes[pos + 4..pos + 8].try_into().unwrap()) as i64 * 2;
        pos += 8;
        if content_len < 4 || content_len as usize > end - pos {
            let why = if declared_len > bytes.len() as i64 { "the file is truncated" } else { "the file is corrupt" };
            return Err(InputError::new(rloc(), format!("record claims {content_len} bytes but {} remain: {why}", end - pos))
                .with_hint("the copy is incomplete or damaged; copy or export the layer again"));
        }
        ranges.push(pos..pos + content_len as usize);
        pos += content_len as usize;
    }
    use rayon::prelude::*;
    let parse_at = |i: usize| parse_record(&bytes[ranges[i].clone()], kind, loc, i as u64 + 1);
    // Collected by index, straight into place: collecting `Result`s would gather pieces and copy
    // them (twice the memory of a million features, all of it new to the process).
    let failed = std::sync::atomic::AtomicBool::new(false);
    let features: Vec<Feature> = (0..ranges.len())
        .into_par_iter()
        .map(|i| {
            let geometry = parse_at(i).unwrap_or_else(|_| {
                failed.store(true, std::sync::atomic::Ordering::Relaxed);
                None
            });
            Feature { geometry, ..Feature::default() }
        })
        .collect();
    if failed.into_inner() {
        // The first bad record in file order, whichever thread met one first.
        return Err((0..ranges.len()).map(parse_at).find_map(|r| r.err()).expect("a record failed"));
    }
    Ok(ShpContents { kind, code, features })
}

/// The error for a shape type covplan cannot use.
fn unsupported(loc: &Location, code: i32) -> InputError {
    InputError::new(loc.clone(), format!("shape type {code} is not supported (MultiPatch or unknown)"))
        .with_hint("export the layer as points, lines or polygons")
}

/// Parses record number `record` (1-based) of `file`: the record's content, after its 8-byte
/// record header.
fn parse_record(content: &[u8], file_kind: ShapeKind, file: &Location, record: u64) -> Result<Option<Geometry<f64>>> {
    let at = || file.record(record);
    let code = i32::from_le_bytes(content[..4].try_into().expect("a record holds at least its type"));
    let Some((kind, _)) = ShapeKind::from_code(code) else {
        return Err(InputError::new(at(), format!("unknown shape type {code}")));
    };
    if kind == ShapeKind::Null {
        return Ok(None);
    }
    if kind != file_kind {
        return Err(InputError::new(at(), format!("record is a {} but the file holds {}s", kind.name(), file_kind.name())));
    }
    check_counts(content, kind).map_err(|msg| InputError::new(at(), msg))?;
    let shape = shapefile::Shape::read_from(&mut std::io::Cursor::new(content), content.len() as i32).map_err(|e| {
        InputError::new(at(), format!("record is shorter than its shape needs or corrupt ({e})")).with_hint("fix or delete the feature in a GIS")
    })?;
    let geometry = match shape {
        shapefile::Shape::NullShape => Ok(None),
        shapefile::Shape::Point(p) => coord(&p).map(|c| Some(Geometry::Point(Point(c)))),
        shapefile::Shape::PointM(p) => coord(&p).map(|c| Some(Geometry::Point(Point(c)))),
        shapefile::Shape::PointZ(p) => coord(&p).map(|c| Some(Geometry::Point(Point(c)))),
        shapefile::Shape::Multipoint(m) => multipoint(m.into_inner()),
        shapefile::Shape::MultipointM(m) => multipoint(m.into_inner()),
        shapefile::Shape::MultipointZ(m) => multipoint(m.into_inner()),
        shapefile::Shape::Polyline(l) => lines(l.into_inner()),
        shapefile::Shape::PolylineM(l) => lines(l.into_inner()),
        shapefile::Shape::PolylineZ(l) => lines(l.into_inner()),
        shapefile::Shape::Polygon(p) => polygons(p.into_inner().into_iter().map(|r| r.into_inner())),
        shapefile::Shape::PolygonM(p) => polygons(p.into_inner().into_iter().map(|r| r.into_inner())),
        shapefile::Shape::PolygonZ(p) => polygons(p.into_inner().into_iter().map(|r| r.into_inner())),
        shapefile::Shape::Multipatch(_) => return Err(unsupported(file, 31)),
    };
    geometry.map_err(|NotANumber(x, y)| InputError::new(at(), format!("coordinate is not a number ({x}, {y})")).with_hint("fix or delete the feature in a GIS"))
}

/// A multi-part or multipoint record's declared counts against its length, before the crate
/// reserves room for them: a corrupt count must be an error, not an allocation of gigabytes.
fn check_counts(content: &[u8], kind: ShapeKind) -> std::result::Result<(), String> {
    let i32_at = |at: usize| content.get(at..at + 4).map(|b| i32::from_le_bytes(b.try_into().expect("4 bytes")));
    match kind {
        ShapeKind::MultiPoint => {
            let n = i32_at(36).ok_or("record is shorter than its shape needs (corrupt)")?;
            if n < 0 || (n as u64) * 16 > (content.len() - 40) as u64 {
                return Err(format!("claims {n} points, more than the record holds"));
            }
        }
        ShapeKind::Polyline | ShapeKind::Polygon => {
            let (Some(num_parts), Some(num_points)) = (i32_at(36), i32_at(40)) else {
                return Err("record is shorter than its shape needs (corrupt)".into());
            };
            let need = (num_parts.max(0) as u64) * 4 + (num_points.max(0) as u64) * 16;
            if num_parts < 0 || num_points < 0 || need > (content.len() - 44) as u64 {
                return Err(format!("claims {num_parts} parts and {num_points} points, more than the record's {} bytes hold", content.len()));
            }
        }
        ShapeKind::Point | ShapeKind::Null => {}
    }
    Ok(())
}

/// A coordinate that is not a finite number.
struct NotANumber(f64, f64);

/// A point's x and y (Z and M values are dropped: planning is 2D), when both are numbers.
fn coord<P: HasXY>(p: &P) -> std::result::Result<Coord<f64>, NotANumber> {
    let (x, y) = (p.x(), p.y());
    if x.is_finite() && y.is_finite() { Ok(Coord { x, y }) } else { Err(NotANumber(x, y)) }
}

/// Points as coordinates, in the crate's own allocation where the two have the same size (2D
/// points: `collect` reuses the vector), not in a copy of a million rings.
fn coords<P: HasXY>(points: Vec<P>) -> std::result::Result<Vec<Coord<f64>>, NotANumber> {
    points.into_iter().map(|p| coord(&p)).collect()
}

fn multipoint<P: HasXY>(points: Vec<P>) -> std::result::Result<Option<Geometry<f64>>, NotANumber> {
    Ok(Some(Geometry::MultiPoint(MultiPoint(coords(points)?.into_iter().map(Point).collect()))))
}

/// The parts of a polyline with at least two points; none left: a null shape.
fn lines<P: HasXY>(parts: Vec<Vec<P>>) -> std::result::Result<Option<Geometry<f64>>, NotANumber> {
    let lines = parts.into_iter().filter(|p| p.len() >= 2).map(|p| coords(p).map(LineString)).collect::<std::result::Result<Vec<_>, _>>()?;
    Ok((!lines.is_empty()).then_some(Geometry::MultiLineString(MultiLineString(lines))))
}

/// The rings of a polygon record grouped into polygons; none left: a null shape.
fn polygons<P: HasXY>(rings: impl Iterator<Item = Vec<P>>) -> std::result::Result<Option<Geometry<f64>>, NotANumber> {
    let polys = assemble_rings(rings.map(coords).collect::<std::result::Result<Vec<_>, _>>()?);
    Ok((!polys.0.is_empty()).then_some(Geometry::MultiPolygon(polys)))
}

/// Twice the signed area of a ring: negative for clockwise.
fn signed_area2(ring: &[Coord<f64>]) -> f64 {
    let mut a = 0.0;
    for w in ring.windows(2) {
        a += w[0].x * w[1].y - w[1].x * w[0].y;
    }
    a
}

fn ring_contains(ring: &[Coord<f64>], p: Coord<f64>) -> bool {
    let mut inside = false;
    let mut j = ring.len().wrapping_sub(1);
    for i in 0..ring.len() {
        let (a, b) = (ring[i], ring[j]);
        if (a.y > p.y) != (b.y > p.y) && p.x < (b.x - a.x) * (p.y - a.y) / (b.y - a.y) + a.x {
            inside = !inside;
        }
        j = i;
    }
    inside
}

/// An outer ring and the holes found inside it.
type Shell = (Vec<Coord<f64>>, Vec<LineString<f64>>);

/// Groups shapefile rings into polygons: clockwise rings are shells, counter-clockwise rings
/// holes of the shell that contains them. Files with every ring one way round (common from
/// careless exporters) get every ring as a shell.
pub fn assemble_rings(parts: Vec<Vec<Coord<f64>>>) -> MultiPolygon<f64> {
    let mut rings: Vec<Vec<Coord<f64>>> = parts
        .into_iter()
        .filter(|r| r.len() >= 3)
        .map(|mut r| {
            if r.first() != r.last() {
                r.push(r[0]);
            }
            r
        })
        .collect();
    rings.retain(|r| r.len() >= 4);
    let areas: Vec<f64> = rings.iter().map(|r| signed_area2(r)).collect();
    let any_cw = areas.iter().any(|&a| a < 0.0);
    let any_ccw = areas.iter().any(|&a| a > 0.0);
    let mixed = any_cw && any_ccw;
    // At most one shell per ring, reserved up front: the list becomes the polygon list, and
    // growing it by pushing would leave room for four polygons behind each building's one.
    let mut shells: Vec<Shell> = Vec::with_capacity(rings.len());
    let mut holes = Vec::new();
    for (ring, area) in rings.into_iter().zip(areas) {
        if !mixed || area < 0.0 {
            shells.push((ring, Vec::new()));
        } else {
            holes.push(ring);
        }
    }
    for hole in holes {
        let probe = hole[0];
        let owner = shells.iter().position(|(s, _)| ring_contains(s, probe));
        match owner {
            Some(i) => shells[i].1.push(LineString(hole)),
            // A hole outside every shell is really a shell with the wrong winding.
            None => shells.push((hole, Vec::new())),
        }
    }
    MultiPolygon(shells.into_iter().map(|(s, h)| Polygon::new(LineString(s), h)).collect())
}

#[cfg(test)]
mod tests {
    use super::*;

    fn ring(pts: &[(f64, f64)]) -> Vec<Coord<f64>> {
        pts.iter().map(|&(x, y)| Coord { x, y }).collect()
    }

    #[test]
    fn shell_and_hole_grouped() {
        let shell = ring(&[(0., 0.), (0., 10.), (10., 10.), (10., 0.), (0., 0.)]); // clockwise
        let hole = ring(&[(2., 2.), (4., 2.), (4., 4.), (2., 4.), (2., 2.)]); // counter-clockwise
        let other = ring(&[(20., 0.), (20., 5.), (25., 5.), (25., 0.), (20., 0.)]);
        let mp = assemble_rings(vec![shell, hole, other]);
        assert_eq!(mp.0.len(), 2);
        assert_eq!(mp.0[0].interiors().len(), 1);
        assert_eq!(mp.0[1].interiors().len(), 0);
    }

    #[test]
    fn same_winding_means_all_shells() {
        let a = ring(&[(0., 0.), (10., 0.), (10., 10.), (0., 10.), (0., 0.)]);
        let b = ring(&[(20., 0.), (25., 0.), (25., 5.), (20., 5.)]); // unclosed: closed for us
        let mp = assemble_rings(vec![a, b]);
        assert_eq!(mp.0.len(), 2);
        assert_eq!(mp.0[1].exterior().0.len(), 5);
    }
}
