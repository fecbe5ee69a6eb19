//! Well-known binary geometry (ISO WKB with Z/M variants), as stored in GeoPackages.

use geo::{Coord, Geometry, GeometryCollection, LineString, MultiLineString, MultiPoint, MultiPolygon, Point, Polygon};

struct Rd<'a> {
    b: &'a [u8],
    p: usize,
    le: bool,
}

impl Rd<'_> {
    fn u8(&mut self) -> Option<u8> {
        let v = *self.b.get(self.p)?;
        self.p += 1;
        Some(v)
    }
    fn u32(&mut self) -> Option<u32> {
        let s: [u8; 4] = self.b.get(self.p..self.p + 4)?.try_into().ok()?;
        self.p += 4;
        Some(if self.le { u32::from_le_bytes(s) } else { u32::from_be_bytes(s) })
    }
    fn f64(&mut self) -> Option<f64> {
        let s: [u8; 8] = self.b.get(self.p..self.p + 8)?.try_into().ok()?;
        self.p += 8;
        Some(if self.le { f64::from_le_bytes(s) } else { f64::from_be_bytes(s) })
    }
    /// A count that cannot exceed what the rest of the buffer could hold at `min_size` bytes each.
    fn count(&mut self, min_size: usize) -> Option<usize> {
        let n = self.u32()? as usize;
        (n.saturating_mul(min_size) <= self.b.len() - self.p).then_some(n)
    }
}

/// Parses WKB; `None` when malformed or truncated (never panics, never over-allocates).
pub fn parse(bytes: &[u8]) -> Option<Geometry<f64>> {
    let mut r = Rd { b: bytes, p: 0, le: true };
    geometry(&mut r, 0)
}

fn geometry(r: &mut Rd, depth: u32) -> Option<Geometry<f64>> {
    if depth > 32 {
        return None;
    }
    r.le = match r.u8()? {
        0 => false,
        1 => true,
        _ => return None,
    };
    let code = r.u32()?;
    let (base, dims) = match code {
        1..=7 => (code, 2),
        1001..=1007 | 2001..=2007 => (code % 1000, 3),
        3001..=3007 => (code % 1000, 4),
        _ => return None,
    };
    let coord = |r: &mut Rd| -> Option<Coord<f64>> {
        let x = r.f64()?;
        let y = r.f64()?;
        for _ in 2..dims {
            r.f64()?;
        }
        Some(Coord { x, y })
    };
    let line = |r: &mut Rd| -> Option<LineString<f64>> {
        let n = r.count(16)?;
        (0..n).map(|_| coord(r)).collect::<Option<Vec<_>>>().map(LineString)
    };
    let polygon = |r: &mut Rd| -> Option<Polygon<f64>> {
        let n = r.count(4)?;
        let mut rings = (0..n).map(|_| line(r)).collect::<Option<Vec<_>>>()?;
        if rings.is_empty() {
            return Some(Polygon::new(LineString(vec![]), vec![]));
        }
        let ext = rings.remove(0);
        Some(Polygon::new(ext, rings))
    };
    let parts = |r: &mut Rd, want: u32| -> Option<Vec<Geometry<f64>>> {
        let n = r.count(5)?;
        (0..n)
            .map(|_| {
                let g = geometry(r, depth + 1)?;
                (want == 0 || kind(&g) == want).then_some(g)
            })
            .collect()
    };
    Some(match base {
        1 => {
            let c = coord(r)?;
            if c.x.is_nan() && c.y.is_nan() {
                Geometry::MultiPoint(MultiPoint(vec![])) // WKB's way to say "empty point"
            } else {
                Geometry::Point(Point(c))
            }
        }
        2 => Geometry::LineString(line(r)?),
        3 => Geometry::Polygon(polygon(r)?),
        4 => Geometry::MultiPoint(MultiPoint(parts(r, 1)?.into_iter().filter_map(|g| if let Geometry::Point(p) = g { Some(p) } else { None }).collect())),
        5 => Geometry::MultiLineString(MultiLineString(
            parts(r, 2)?.into_iter().filter_map(|g| if let Geometry::LineString(l) = g { Some(l) } else { None }).collect(),
        )),
        6 => Geometry::MultiPolygon(MultiPolygon(parts(r, 3)?.into_iter().filter_map(|g| if let Geometry::Polygon(p) = g { Some(p) } else { None }).collect())),
        7 => Geometry::GeometryCollection(GeometryCollection(parts(r, 0)?)),
        _ => return None,
    })
}

fn kind(g: &Geometry<f64>) -> u32 {
    match g {
        Geometry::Point(_) => 1,
        Geometry::LineString(_) => 2,
        Geometry::Polygon(_) => 3,
        _ => 0,
    }
}

/// Encodes a geometry as little-endian 2D WKB (for writing GeoPackages in tests and exports).
pub fn encode(g: &Geometry<f64>, out: &mut Vec<u8>) {
    let head = |out: &mut Vec<u8>, code: u32| {
        out.push(1);
        out.extend_from_slice(&code.to_le_bytes());
    };
    let coords = |out: &mut Vec<u8>, l: &LineString<f64>| {
        out.extend_from_slice(&(l.0.len() as u32).to_le_bytes());
        for c in &l.0 {
            out.extend_from_slice(&c.x.to_le_bytes());
            out.extend_from_slice(&c.y.to_le_bytes());
        }
    };
    let poly = |out: &mut Vec<u8>, p: &Polygon<f64>| {
        head(out, 3);
        out.extend_from_slice(&(1 + p.interiors().len() as u32).to_le_bytes());
        coords(out, p.exterior());
        p.interiors().iter().for_each(|r| coords(out, r));
    };
    match g {
        Geometry::Point(p) => {
            head(out, 1);
            out.extend_from_slice(&p.x().to_le_bytes());
            out.extend_from_slice(&p.y().to_le_bytes());
        }
        Geometry::LineString(l) => {
            head(out, 2);
            coords(out, l);
        }
        Geometry::Polygon(p) => poly(out, p),
        Geometry::MultiPoint(m) => {
            head(out, 4);
            out.extend_from_slice(&(m.0.len() as u32).to_le_bytes());
            m.0.iter().for_each(|p| encode(&Geometry::Point(*p), out));
        }
        Geometry::MultiLineString(m) => {
            head(out, 5);
            out.extend_from_slice(&(m.0.len() as u32).to_le_bytes());
            m.0.iter().for_each(|l| encode(&Geometry::LineString(l.clone()), out));
        }
        Geometry::MultiPolygon(m) => {
            head(out, 6);
            out.extend_from_slice(&(m.0.len() as u32).to_le_bytes());
            m.0.iter().for_each(|p| poly(out, p));
        }
        other => {
            let gc: Vec<Geometry<f64>> = match other {
                Geometry::GeometryCollection(c) => c.0.clone(),
                g => vec![g.clone()],
            };
            head(out, 7);
            out.extend_from_slice(&(gc.len() as u32).to_le_bytes());
            gc.iter().for_each(|g| encode(g, out));
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

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
