//! Well-known binary geometry (ISO WKB with Z/M variants), as stored in GeoPackages: read and
//! written by the `wkb` crate, converted to and from geo through `geo-traits`. Z and M values are
//! dropped: planning is 2D.

use geo::Geometry;
use geo_traits::to_geo::ToGeoGeometry;

/// Parses WKB; `None` when malformed or truncated (never panics, never over-allocates).
pub fn parse(bytes: &[u8]) -> Option<Geometry<f64>> {
    let wkb = wkb::reader::read_wkb(bytes).ok()?;
    // An empty point has no geo equivalent: it reads as no geometry. geo's types hold x and y
    // only, so the conversion keeps those.
    wkb.try_to_geometry()
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
