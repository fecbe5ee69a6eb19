//! Well-known binary geometry (ISO WKB with Z/M variants), as stored in GeoPackages: read and
//! written by the `wkb` crate, converted to and from geo through `geo-traits`. Z and M values are
//! dropped: planning is 2D.

use geo::Geometry;
use geo_traits::to_geo::ToGeoGeometry;

/// Parses WKB; `None` when malformed or truncated (never panics, never over-allocates).
pub fn parse(bytes: &[u8]) -> Option<Geometry<f64>> {
    // The wkb crate (0.9) checks a nested point's length only by unwrapping: a truncated
    // multi-geometry made it panic (found by fuzzing, fuzz/seeds/gpkg/crash-wkb-multipoint).
    // Its structure is walked here first, so it only ever sees lengths that fit.
    fits(bytes, 0, 0).filter(|&end| end <= bytes.len())?;
    let wkb = wkb::reader::read_wkb(bytes).ok()?;
    // An empty point has no geo equivalent: it reads as no geometry. geo's types hold x and y
    // only, so the conversion keeps those.
    wkb.try_to_geometry()
}

/// Where the WKB geometry starting at `pos` ends, if every length it declares fits in `b`
/// (ISO and EWKB type codes, nesting at most 32 deep).
fn fits(b: &[u8], pos: usize, depth: usize) -> Option<usize> {
    if depth > 32 {
        return None;
    }
    let little = match *b.get(pos)? {
        0 => false,
        1 => true,
        _ => return None,
    };
    let u32_at = |at: usize| -> Option<u32> {
        let w: [u8; 4] = b.get(at..at + 4)?.try_into().ok()?;
        Some(if little { u32::from_le_bytes(w) } else { u32::from_be_bytes(w) })
    };
    let t = u32_at(pos + 1)?;
    let mut at = pos + 5;
    if t & 0x2000_0000 != 0 {
        at += 4; // EWKB SRID
    }
    let kind = (t & 0x0FFF_FFFF) % 1000;
    let dims = point_dims(t);
    let points = |at: usize, n: u32| -> Option<usize> {
        let end = at.checked_add((n as usize).checked_mul(dims * 8)?)?;
        (end <= b.len()).then_some(end)
    };
    match kind {
        1 => points(at, 1),
        2 => points(at + 4, u32_at(at)?),
        3 => {
            let rings = u32_at(at)?;
            at += 4;
            for _ in 0..rings {
                at = points(at + 4, u32_at(at)?)?;
            }
            Some(at)
        }
        4 => {
            // The wkb crate reads a multipoint's points at fixed strides, with the multipoint's
            // byte order and dimensions, and unwraps the result: each point must be exactly that
            // (same byte order, no SRID, same dimensions) or it panics (fuzz/seeds/gpkg/
            // crash-wkb-collection).
            let n = u32_at(at)?;
            at += 4;
            let stride = 5 + dims * 8;
            if n as usize > b.len().saturating_sub(at) / stride {
                return None;
            }
            for _ in 0..n {
                let point = u32_at(at + 1)?;
                let same = *b.get(at)? == b[pos] && point & 0x2000_0000 == 0 && (point & 0x0FFF_FFFF) % 1000 == 1 && point_dims(point) == dims;
                if !same {
                    return None;
                }
                at += stride;
            }
            Some(at)
        }
        5..=7 => {
            let n = u32_at(at)?;
            at += 4;
            // Each part takes at least 5 bytes: a count beyond that is a lie.
            if n as usize > (b.len().saturating_sub(at)) / 5 {
                return None;
            }
            for _ in 0..n {
                at = fits(b, at, depth + 1)?;
            }
            Some(at)
        }
        _ => None,
    }
}

/// How many ordinates each coordinate of a geometry with WKB type code `t` has (ISO thousands
/// or EWKB Z/M flags).
fn point_dims(t: u32) -> usize {
    let iso = (t & 0x0FFF_FFFF) / 1000;
    2 + usize::from(iso == 1 || iso == 3 || t & 0x8000_0000 != 0) + usize::from(iso == 2 || iso == 3 || t & 0x4000_0000 != 0)
}

/// Encodes a geometry as little-endian 2D WKB (for writing GeoPackages in tests and exports).
pub fn encode(g: &Geometry<f64>, out: &mut Vec<u8>) {
    let options = wkb::writer::WriteOptions { endianness: wkb::Endianness::LittleEndian };
    wkb::writer::write_geometry(out, g, &options).expect("writing to memory does not fail");
}

#[cfg(test)]
mod tests {
    use super::*;
    use geo::{LineString, MultiPolygon, Point, Polygon};

    /// Found by fuzzing (gpkg target): a multipoint whose point runs past the end made the
    /// wkb crate panic; it is refused instead.
    #[test]
    fn a_truncated_point_inside_a_multipoint_is_refused() {
        let mut b = vec![0u8, 0, 0, 0, 4, 0, 0, 0, 1, 1, 1, 0, 0, 0];
        b.extend([0xac; 7]);
        assert!(parse(&b).is_none());
        let blob = std::fs::read(concat!(env!("CARGO_MANIFEST_DIR"), "/../../fuzz/seeds/gpkg/crash-wkb-multipoint")).unwrap();
        assert!(crate::io::gpkg::geometry_blob(&blob[1..]).is_none());
    }

    /// Found by fuzzing (gpkg target): a multipoint nested in a collection whose points carry
    /// an SRID flag made the wkb crate read past its stride and panic; it is refused instead.
    #[test]
    fn a_multipoint_whose_points_differ_from_it_is_refused() {
        let blob = std::fs::read(concat!(env!("CARGO_MANIFEST_DIR"), "/../../fuzz/seeds/gpkg/crash-wkb-collection")).unwrap();
        assert!(crate::io::gpkg::geometry_blob(&blob[1..]).is_none());
        // A big-endian point inside a little-endian multipoint, or one with an SRID: refused.
        let point = |order: u8, code: u32| {
            let mut p = vec![order];
            p.extend(if order == 1 { code.to_le_bytes() } else { code.to_be_bytes() });
            p.extend([0u8; 16]);
            p
        };
        let multi = |part: Vec<u8>| {
            let mut b = vec![1u8, 4, 0, 0, 0, 1, 0, 0, 0];
            b.extend(part);
            b
        };
        assert!(parse(&multi(point(1, 1))).is_some());
        assert!(parse(&multi(point(0, 1))).is_none());
        assert!(parse(&multi(point(1, 0x2000_0001))).is_none());
        assert!(parse(&multi(point(1, 1001))).is_none());
    }

    #[test]
    fn round_trip_and_truncation() {
        let mp = Geometry::MultiPolygon(MultiPolygon(vec![Polygon::new(
            LineString::from(vec![(0.0, 0.0), (1.0, 0.0), (1.0, 1.0), (0.0, 0.0)]),
            vec![LineString::from(vec![(0.1, 0.1), (0.2, 0.1), (0.2, 0.2), (0.1, 0.1)])],
        )]));
        let mut b = Vec::new();
        encode(&mp, &mut b);
        assert_eq!(parse(&b), Some(mp));
        for cut in 0..b.len() {
            assert!(parse(&b[..cut]).is_none(), "cut at {cut}");
        }
        // A count claiming 4 billion points must not allocate.
        let mut lie = vec![1u8, 2, 0, 0, 0];
        lie.extend_from_slice(&u32::MAX.to_le_bytes());
        assert!(parse(&lie).is_none());
    }

    #[test]
    fn point_z() {
        let mut b = vec![1u8];
        b.extend_from_slice(&1001u32.to_le_bytes());
        for v in [112.5f64, 23.5, 80.0] {
            b.extend_from_slice(&v.to_le_bytes());
        }
        assert_eq!(parse(&b), Some(Geometry::Point(Point::new(112.5, 23.5))));
    }
}
