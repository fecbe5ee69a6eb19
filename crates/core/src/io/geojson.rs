//! GeoJSON: a FeatureCollection, a single Feature, or a bare geometry (RFC 7946, plus the
//! old `crs` member that Chinese GIS exports still carry).

use super::{Format, RawLayer, read_bytes};
use crate::crs::Crs;
use crate::error::{InputError, Location, Result, Warning};
use crate::model::{Feature, FeatureTable, Field, FieldKind, Value};
use geo::{Coord, Geometry, LineString, MultiLineString, MultiPoint, MultiPolygon, Point, Polygon};
use serde_json::Value as Json;
use std::collections::HashMap;
use std::path::Path;

/// Reads a GeoJSON file.
pub fn read(path: &Path) -> Result<RawLayer> {
    let bytes = read_bytes(path)?;
    parse(path, &bytes)
}

/// Parses GeoJSON bytes; `path` names the source in messages.
pub fn parse(path: &Path, bytes: &[u8]) -> Result<RawLayer> {
    let loc = Location::file(path);
    let bytes = bytes.strip_prefix(b"\xEF\xBB\xBF").unwrap_or(bytes);
    if bytes.iter().all(u8::is_ascii_whitespace) {
        return Err(InputError::new(loc, "file is empty").with_hint("export the layer again"));
    }
    let root: Json = serde_json::from_slice(bytes).map_err(|e| {
        InputError::new(loc.clone(), format!("not valid JSON at line {} column {}: {e}", e.line(), e.column()))
            .with_hint("the file is truncated or not GeoJSON; check it in a text editor")
    })?;
    let mut warnings = Vec::new();
    let crs = match root.get("crs").and_then(|c| c.pointer("/properties/name")).and_then(Json::as_str) {
        Some(name) => Some(crs_of_name(name).map_err(|e| InputError::new(loc.field("crs"), e))?),
        None => None,
    };
    let kind = root.get("type").and_then(Json::as_str).unwrap_or("");
    let raw_features: Vec<&Json> = match kind {
        "FeatureCollection" => root
            .get("features")
            .and_then(Json::as_array)
            .ok_or_else(|| InputError::new(loc.field("features"), "FeatureCollection without a 'features' array"))?
            .iter()
            .collect(),
        "Feature" => vec![&root],
        "" => return Err(InputError::new(loc.field("type"), "no 'type' member: not GeoJSON")),
        _ => vec![&root],
    };
    let mut fields: Vec<Field> = Vec::new();
    let mut index: HashMap<String, usize> = HashMap::new();
    let mut features = Vec::with_capacity(raw_features.len());
    let (mut empty, mut first_empty) = (0usize, None);
    for (i, f) in raw_features.iter().enumerate() {
        let rloc = loc.record(i as u64 + 1);
        let (geom_json, props) = if f.get("type").and_then(Json::as_str) == Some("Feature") {
            (f.get("geometry"), f.get("properties").and_then(Json::as_object))
        } else {
            (Some(*f), None)
        };
        let geometry = match geom_json {
            None | Some(Json::Null) => None,
            Some(g) if is_empty_geometry(g) => {
                empty += 1;
                first_empty.get_or_insert(i as u64 + 1);
                None
            }
            Some(g) => Some(geometry(g, &rloc.field("geometry"))?),
        };
        let mut values = vec![Value::Null; fields.len()];
        if let Some(props) = props {
            for (k, v) in props {
                let value = json_value(v);
                let ci = *index.entry(k.clone()).or_insert_with(|| {
                    fields.push(Field { name: k.clone(), kind: kind_of(&value) });
                    fields.len() - 1
                });
                if values.len() <= ci {
                    values.resize(ci + 1, Value::Null);
                }
                widen(&mut fields[ci].kind, &value);
                values[ci] = value;
            }
        }
        features.push(Feature { geometry, values });
    }
    for f in &mut features {
        f.values.resize(fields.len(), Value::Null);
    }
    if features.is_empty() {
        warnings.push(Warning::new(loc.clone(), "the layer holds no features"));
    }
    if let Some(first) = first_empty {
        warnings.push(Warning::new(
            loc.record(first).field("geometry"),
            format!("{empty} feature(s) have an empty geometry (no coordinates); they are kept without a position"),
        ));
    }
    Ok(RawLayer { path: path.to_path_buf(), format: Format::GeoJson, table: FeatureTable { fields, features }, crs, encoding: Some("UTF-8".into()), warnings })
}

/// CRS from the names GeoJSON files carry: `urn:ogc:def:crs:OGC:1.3:CRS84`, `urn:ogc:def:crs:EPSG::4490`, `EPSG:4326`.
fn crs_of_name(name: &str) -> std::result::Result<Crs, crate::crs::CrsError> {
    if name.ends_with("CRS84") {
        return Ok(Crs::wgs84());
    }
    let code = name.rsplit(':').next().unwrap_or("");
    match code.parse::<u32>() {
        Ok(c) => Crs::from_epsg(c),
        Err(_) => Crs::parse(name),
    }
}

/// True for a geometry whose coordinates array is empty (GeoJSON's empty geometry).
fn is_empty_geometry(g: &Json) -> bool {
    g.get("coordinates").and_then(Json::as_array).is_some_and(|a| a.is_empty()) || g.get("geometries").and_then(Json::as_array).is_some_and(|a| a.is_empty())
}

fn json_value(v: &Json) -> Value {
    match v {
        Json::Null => Value::Null,
        Json::Bool(b) => Value::Bool(*b),
        Json::Number(n) => n.as_i64().map(Value::Int).unwrap_or_else(|| Value::Float(n.as_f64().unwrap_or(f64::NAN))),
        Json::String(s) => Value::Text(s.clone()),
        other => Value::Text(other.to_string()),
    }
}

fn kind_of(v: &Value) -> FieldKind {
    match v {
        Value::Int(_) => FieldKind::Int,
        Value::Float(_) => FieldKind::Float,
        Value::Bool(_) => FieldKind::Bool,
        Value::Date(..) => FieldKind::Date,
        Value::Null | Value::Text(_) => FieldKind::Text,
    }
}

/// Widens a column's type when a later value needs it (int → float → text).
fn widen(kind: &mut FieldKind, v: &Value) {
    let new = kind_of(v);
    if matches!(v, Value::Null) || *kind == new {
        return;
    }
    *kind = match (*kind, new) {
        (FieldKind::Int, FieldKind::Float) | (FieldKind::Float, FieldKind::Int) => FieldKind::Float,
        _ => FieldKind::Text,
    };
}

fn position(v: &Json, loc: &Location) -> Result<Coord<f64>> {
    let a = v.as_array().filter(|a| a.len() >= 2).ok_or_else(|| InputError::new(loc.clone(), format!("position {v} is not [x, y]")))?;
    let (x, y) = (a[0].as_f64(), a[1].as_f64());
    match (x, y) {
        (Some(x), Some(y)) if x.is_finite() && y.is_finite() => Ok(Coord { x, y }),
        _ => Err(InputError::new(loc.clone(), format!("position {v} has a non-numeric coordinate"))),
    }
}

fn positions(v: &Json, loc: &Location) -> Result<Vec<Coord<f64>>> {
    v.as_array().ok_or_else(|| InputError::new(loc.clone(), "expected an array of positions"))?.iter().map(|p| position(p, loc)).collect()
}

fn polygon(v: &Json, loc: &Location) -> Result<Polygon<f64>> {
    let rings = v.as_array().ok_or_else(|| InputError::new(loc.clone(), "polygon coordinates are not an array of rings"))?;
    let mut rings: Vec<LineString<f64>> = rings.iter().map(|r| positions(r, loc).map(LineString)).collect::<Result<_>>()?;
    if rings.is_empty() {
        return Err(InputError::new(loc.clone(), "polygon has no rings"));
    }
    let ext = rings.remove(0);
    Ok(Polygon::new(ext, rings))
}

/// Parses one GeoJSON geometry object.
pub fn geometry(g: &Json, loc: &Location) -> Result<Geometry<f64>> {
    let t = g.get("type").and_then(Json::as_str).unwrap_or("");
    if t == "GeometryCollection" {
        let parts = g.get("geometries").and_then(Json::as_array).ok_or_else(|| InputError::new(loc.clone(), "GeometryCollection without 'geometries'"))?;
        let gs = parts.iter().map(|p| geometry(p, loc)).collect::<Result<Vec<_>>>()?;
        return Ok(Geometry::GeometryCollection(geo::GeometryCollection(gs)));
    }
    let c = g.get("coordinates").ok_or_else(|| InputError::new(loc.clone(), format!("{t} geometry without 'coordinates'")))?;
    Ok(match t {
        "Point" => Geometry::Point(Point(position(c, loc)?)),
        "MultiPoint" => Geometry::MultiPoint(MultiPoint(positions(c, loc)?.into_iter().map(Point).collect())),
        "LineString" => Geometry::LineString(LineString(positions(c, loc)?)),
        "MultiLineString" => Geometry::MultiLineString(MultiLineString(
            c.as_array()
                .ok_or_else(|| InputError::new(loc.clone(), "expected an array of lines"))?
                .iter()
                .map(|l| positions(l, loc).map(LineString))
                .collect::<Result<_>>()?,
        )),
        "Polygon" => Geometry::Polygon(polygon(c, loc)?),
        "MultiPolygon" => Geometry::MultiPolygon(MultiPolygon(
            c.as_array()
                .ok_or_else(|| InputError::new(loc.clone(), "expected an array of polygons"))?
                .iter()
                .map(|p| polygon(p, loc))
                .collect::<Result<_>>()?,
        )),
        other => return Err(InputError::new(loc.clone(), format!("unknown geometry type '{other}'"))),
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn all_three_shapes_of_file() {
        let p = Path::new("t.geojson");
        let fc = r#"{"type":"FeatureCollection","features":[{"type":"Feature","properties":{"name":"大坑村","hh":27},"geometry":{"type":"Point","coordinates":[112.7,23.3]}},{"type":"Feature","properties":{"hh":3.5,"x":true},"geometry":null}]}"#;
        let l = parse(p, fc.as_bytes()).unwrap();
        assert_eq!(l.table.features.len(), 2);
        assert_eq!(l.table.fields.len(), 3);
        assert_eq!(l.table.fields[1].kind, FieldKind::Float);
        assert_eq!(l.table.features[0].values[0], Value::Text("大坑村".into()));
        assert_eq!(l.table.features[1].values[0], Value::Null);
        let one = parse(p, br#"{"type":"Feature","properties":{},"geometry":{"type":"LineString","coordinates":[[0,0],[1,1]]}}"#).unwrap();
        assert_eq!(one.table.features.len(), 1);
        let bare = parse(p, br#"{"type":"Polygon","coordinates":[[[0,0],[1,0],[1,1],[0,0]],[[0.2,0.2],[0.3,0.2],[0.3,0.3],[0.2,0.2]]]}"#).unwrap();
        assert!(matches!(&bare.table.features[0].geometry, Some(Geometry::Polygon(p)) if p.interiors().len() == 1));
    }

    #[test]
    fn errors_name_record_and_line() {
        let p = Path::new("bad.geojson");
        let e = parse(p, br#"{"type":"FeatureCollection","features":[{"type":"Feature","properties":{},"geometry":{"type":"Point","coordinates":["a",1]}}]}"#)
            .unwrap_err();
        assert_eq!(e.location.record, Some(1));
        let e = parse(p, b"{\"type\":\n\"FeatureCollection\", ").unwrap_err();
        assert!(e.message.contains("line 2"), "{e}");
        assert!(parse(p, b"  ").is_err());
        let empty = parse(p, br#"{"type":"Feature","properties":{},"geometry":{"type":"Polygon","coordinates":[]}}"#).unwrap();
        assert_eq!(empty.table.features[0].geometry, None);
        assert_eq!(empty.warnings[0].location.record, Some(1));
    }

    #[test]
    fn crs_member() {
        let l = parse(
            Path::new("x.geojson"),
            br#"{"type":"FeatureCollection","crs":{"type":"name","properties":{"name":"urn:ogc:def:crs:EPSG::4526"}},"features":[]}"#,
        )
        .unwrap();
        assert_eq!(l.crs.unwrap().epsg, Some(4526));
    }
}
