//! Writing shapefiles (with `.shx`, `.prj` and `.cpg`), atomically, in UTF-8 or GBK.
//!
//! Our own writer, not the `shapefile` crate's (0.9) with `dbase`'s (0.8), because covplan
//! writes what they cannot (read in their source, December 2026):
//! - `ShapeWriter` writes every record with the file's shape type, so a feature without a
//!   position cannot be a null shape inside a point file, and it writes no header at all for a
//!   layer with no features (a 0-byte `.shp`), where an empty gap list is a valid result;
//! - `dbase`'s `FieldName` takes at most 11 bytes of UTF-8 and writes them as UTF-8 whatever the
//!   table's encoding: 行政村代码 (15 bytes in UTF-8, 10 in GBK) cannot be a column, and a GBK
//!   table gets UTF-8 column names;
//! - its header carries today's date, so the same inputs would not give the same bytes.
//!
//! The tests read what this writes back through the reader, whose geometry the crate decodes.

use super::shp::ShapeKind;
use crate::fsutil::atomic_write;
use crate::model::{FeatureTable, FieldKind, Value};
use encoding_rs::Encoding;
use geo::{Coord, Geometry, LineString, Winding};
use std::path::Path;

/// Writes `table` as `path` (.shp) plus `.shx`, `.dbf`, `.cpg` and, when `prj_wkt` is given, `.prj`.
///
/// Every geometry must belong to `kind`'s family (points as Point, lines as (Multi)LineString,
/// polygons as (Multi)Polygon); others are written as null shapes.
pub fn write_shapefile(path: &Path, kind: ShapeKind, table: &FeatureTable, prj_wkt: Option<&str>, enc: &'static Encoding) -> std::io::Result<()> {
    let mut shp = Vec::new();
    let mut shx = Vec::new();
    let mut bbox = [f64::INFINITY, f64::INFINITY, f64::NEG_INFINITY, f64::NEG_INFINITY];
    let mut records = Vec::with_capacity(table.features.len());
    for f in &table.features {
        let content = encode_shape(kind, f.geometry.as_ref(), &mut bbox);
        records.push(content);
    }
    if !bbox[0].is_finite() {
        bbox = [0.0; 4];
    }
    let total_len: usize = 100 + records.iter().map(|r| 8 + r.len()).sum::<usize>();
    header(&mut shp, total_len, kind, &bbox);
    header(&mut shx, 100 + 8 * records.len(), kind, &bbox);
    let mut offset = 100;
    for (i, r) in records.iter().enumerate() {
        shx.extend_from_slice(&((offset / 2) as i32).to_be_bytes());
        shx.extend_from_slice(&((r.len() / 2) as i32).to_be_bytes());
        shp.extend_from_slice(&(i as i32 + 1).to_be_bytes());
        shp.extend_from_slice(&((r.len() / 2) as i32).to_be_bytes());
        shp.extend_from_slice(r);
        offset += 8 + r.len();
    }
    atomic_write(&path.with_extension("shp"), &shp)?;
    atomic_write(&path.with_extension("shx"), &shx)?;
    atomic_write(&path.with_extension("dbf"), &encode_dbf(table, enc))?;
    let cpg = if enc == encoding_rs::UTF_8 { "UTF-8" } else { enc.name() };
    atomic_write(&path.with_extension("cpg"), cpg.as_bytes())?;
    if let Some(wkt) = prj_wkt {
        atomic_write(&path.with_extension("prj"), wkt.as_bytes())?;
    }
    Ok(())
}

fn header(out: &mut Vec<u8>, len: usize, kind: ShapeKind, bbox: &[f64; 4]) {
    out.extend_from_slice(&9994i32.to_be_bytes());
    out.extend_from_slice(&[0u8; 20]);
    out.extend_from_slice(&((len / 2) as i32).to_be_bytes());
    out.extend_from_slice(&1000i32.to_le_bytes());
    out.extend_from_slice(&kind.code().to_le_bytes());
    for v in bbox {
        out.extend_from_slice(&v.to_le_bytes());
    }
    out.extend_from_slice(&[0u8; 32]); // Z and M ranges
}

fn encode_shape(kind: ShapeKind, g: Option<&Geometry<f64>>, bbox: &mut [f64; 4]) -> Vec<u8> {
    let mut out = Vec::new();
    let mut grow = |c: Coord<f64>| {
        bbox[0] = bbox[0].min(c.x);
        bbox[1] = bbox[1].min(c.y);
        bbox[2] = bbox[2].max(c.x);
        bbox[3] = bbox[3].max(c.y);
    };
    let parts: Option<Vec<Vec<Coord<f64>>>> = match (kind, g) {
        (ShapeKind::Point, Some(Geometry::Point(p))) => {
            grow(p.0);
            out.extend_from_slice(&1i32.to_le_bytes());
            out.extend_from_slice(&p.x().to_le_bytes());
            out.extend_from_slice(&p.y().to_le_bytes());
            return out;
        }
        (ShapeKind::Polyline, Some(Geometry::LineString(l))) => Some(vec![l.0.clone()]),
        (ShapeKind::Polyline, Some(Geometry::MultiLineString(m))) => Some(m.0.iter().map(|l| l.0.clone()).collect()),
        (ShapeKind::Polygon, Some(Geometry::Polygon(p))) => Some(polygon_rings(std::slice::from_ref(p))),
        (ShapeKind::Polygon, Some(Geometry::MultiPolygon(m))) => Some(polygon_rings(&m.0)),
        (ShapeKind::MultiPoint, Some(Geometry::MultiPoint(m))) => {
            let pts: Vec<Coord<f64>> = m.0.iter().map(|p| p.0).collect();
            pts.iter().for_each(|&c| grow(c));
            out.extend_from_slice(&8i32.to_le_bytes());
            let b = rect_of(&pts);
            b.iter().for_each(|v| out.extend_from_slice(&v.to_le_bytes()));
            out.extend_from_slice(&(pts.len() as i32).to_le_bytes());
            for c in pts {
                out.extend_from_slice(&c.x.to_le_bytes());
                out.extend_from_slice(&c.y.to_le_bytes());
            }
            return out;
        }
        _ => None,
    };
    let Some(parts) = parts else {
        out.extend_from_slice(&0i32.to_le_bytes());
        return out;
    };
    let all: Vec<Coord<f64>> = parts.iter().flatten().copied().collect();
    all.iter().for_each(|&c| grow(c));
    out.extend_from_slice(&kind.code().to_le_bytes());
    rect_of(&all).iter().for_each(|v| out.extend_from_slice(&v.to_le_bytes()));
    out.extend_from_slice(&(parts.len() as i32).to_le_bytes());
    out.extend_from_slice(&(all.len() as i32).to_le_bytes());
    let mut start = 0i32;
    for p in &parts {
        out.extend_from_slice(&start.to_le_bytes());
        start += p.len() as i32;
    }
    for c in all {
        out.extend_from_slice(&c.x.to_le_bytes());
        out.extend_from_slice(&c.y.to_le_bytes());
    }
    out
}

/// Shells clockwise, holes counter-clockwise, as the shapefile spec wants.
fn polygon_rings(polys: &[geo::Polygon<f64>]) -> Vec<Vec<Coord<f64>>> {
    let mut rings = Vec::new();
    for p in polys {
        let mut ext: LineString<f64> = p.exterior().clone();
        ext.make_cw_winding();
        rings.push(ext.0);
        for h in p.interiors() {
            let mut h = h.clone();
            h.make_ccw_winding();
            rings.push(h.0);
        }
    }
    rings
}

/// `s` encoded, cut to at most `max` bytes at a character boundary (DBF names hold 10 bytes).
fn truncate_encoded(s: &str, enc: &'static Encoding, max: usize) -> Vec<u8> {
    let mut out = Vec::new();
    let mut buf = [0u8; 4];
    for ch in s.chars() {
        let b = enc.encode(ch.encode_utf8(&mut buf)).0;
        if out.len() + b.len() > max {
            break;
        }
        out.extend_from_slice(&b);
    }
    out
}

fn rect_of(c: &[Coord<f64>]) -> [f64; 4] {
    let mut b = [f64::INFINITY, f64::INFINITY, f64::NEG_INFINITY, f64::NEG_INFINITY];
    for p in c {
        b = [b[0].min(p.x), b[1].min(p.y), b[2].max(p.x), b[3].max(p.y)];
    }
    if c.is_empty() { [0.0; 4] } else { b }
}

/// Encodes the attribute table as a dBASE III file; text fields are sized to their longest value.
pub fn encode_dbf(table: &FeatureTable, enc: &'static Encoding) -> Vec<u8> {
    struct Col {
        name: Vec<u8>,
        ty: u8,
        len: usize,
        dec: u8,
    }
    let cells: Vec<Vec<Vec<u8>>> = table
        .features
        .iter()
        .map(|f| {
            table
                .fields
                .iter()
                .zip(&f.values)
                .map(|(fd, v)| match (fd.kind, v) {
                    (_, Value::Null) => Vec::new(),
                    (FieldKind::Date, Value::Date(y, m, d)) => format!("{y:04}{m:02}{d:02}").into_bytes(),
                    (FieldKind::Bool, Value::Bool(b)) => {
                        if *b {
                            b"T".to_vec()
                        } else {
                            b"F".to_vec()
                        }
                    }
                    (FieldKind::Float, v) => v.as_f64().map(|x| format!("{x:.6}").into_bytes()).unwrap_or_default(),
                    (FieldKind::Int, v) => v.as_f64().map(|x| format!("{}", x.round() as i64).into_bytes()).unwrap_or_default(),
                    (_, v) => enc.encode(&v.as_text().unwrap_or_default()).0.into_owned(),
                })
                .collect()
        })
        .collect();
    let cols: Vec<Col> = table
        .fields
        .iter()
        .enumerate()
        .map(|(i, f)| {
            let widest = cells.iter().map(|r| r[i].len()).max().unwrap_or(0);
            let name = truncate_encoded(&f.name, enc, 10);
            let (ty, len, dec) = match f.kind {
                FieldKind::Text => (b'C', widest.clamp(1, 254), 0),
                FieldKind::Int => (b'N', widest.clamp(1, 18), 0),
                FieldKind::Float => (b'N', widest.clamp(3, 24), 6),
                FieldKind::Bool => (b'L', 1, 0),
                FieldKind::Date => (b'D', 8, 0),
            };
            Col { name, ty, len, dec }
        })
        .collect();
    let header_len = 32 + 32 * cols.len() + 1;
    let record_len = 1 + cols.iter().map(|c| c.len).sum::<usize>();
    let mut out = Vec::with_capacity(header_len + record_len * cells.len() + 1);
    out.push(0x03);
    out.extend_from_slice(&[126, 1, 1]); // fixed date: output must not depend on today
    out.extend_from_slice(&(cells.len() as u32).to_le_bytes());
    out.extend_from_slice(&(header_len as u16).to_le_bytes());
    out.extend_from_slice(&(record_len as u16).to_le_bytes());
    out.extend_from_slice(&[0u8; 17]);
    out.push(if enc == encoding_rs::GBK { 0x4D } else { 0x00 });
    out.extend_from_slice(&[0u8; 2]);
    for c in &cols {
        let mut d = [0u8; 32];
        d[..c.name.len()].copy_from_slice(&c.name);
        d[11] = c.ty;
        d[16] = c.len as u8;
        d[17] = c.dec;
        out.extend_from_slice(&d);
    }
    out.push(0x0D);
    for row in &cells {
        out.push(b' ');
        for (c, cell) in cols.iter().zip(row) {
            let mut v = cell.clone();
            v.truncate(c.len);
            if c.ty == b'N' {
                out.extend(std::iter::repeat_n(b' ', c.len - v.len()));
                out.extend_from_slice(&v);
            } else {
                out.extend_from_slice(&v);
                out.extend(std::iter::repeat_n(b' ', c.len - v.len()));
            }
        }
    }
    out.push(0x1A);
    out
}
