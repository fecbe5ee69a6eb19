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
    let base = t & 0x0FFF_FFFF;
    let (iso, kind) = (base / 1000, base % 1000);
    let dims = 2 + usize::from(iso == 1 || iso == 3 || t & 0x8000_0000 != 0) + usize::from(iso == 2 || iso == 3 || t & 0x4000_0000 != 0);
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
        4..=7 => {
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
