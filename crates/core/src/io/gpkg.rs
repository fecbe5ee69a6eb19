//! OGC GeoPackage (the format QGIS writes by default): feature tables, their SRS and attributes.
//! The file is opened read-only: covplan never modifies the user's data.

use super::{Format, RawLayer, ReadOptions};
use crate::crs::Crs;
use crate::error::{InputError, Location, Result, Warning};
use crate::model::{Feature, FeatureTable, Field, FieldKind, Value};
use rusqlite::{Connection, OpenFlags, types::ValueRef};
use std::path::Path;

/// Reads one feature table of a GeoPackage (`opts.table`, else the first one listed).
pub fn read(path: &Path, opts: &ReadOptions) -> Result<RawLayer> {
    let loc = Location::file(path);
    if !path.is_file() {
        return Err(InputError::io(path, &std::io::Error::from(std::io::ErrorKind::NotFound)));
    }
    let sql = |e: rusqlite::Error| {
        InputError::new(loc.clone(), format!("cannot read GeoPackage: {e}")).with_hint("check that the file is a GeoPackage (.gpkg) and not damaged")
    };
    let conn = Connection::open_with_flags(path, OpenFlags::SQLITE_OPEN_READ_ONLY | OpenFlags::SQLITE_OPEN_NO_MUTEX).map_err(sql)?;
    let mut warnings = Vec::new();
    let tables: Vec<(String, String, i64)> = conn
        .prepare("SELECT c.table_name, g.column_name, g.srs_id FROM gpkg_contents c JOIN gpkg_geometry_columns g ON g.table_name = c.table_name WHERE c.data_type = 'features' ORDER BY c.table_name")
        .and_then(|mut s| s.query_map([], |r| Ok((r.get(0)?, r.get(1)?, r.get(2)?)))?.collect())
        .map_err(sql)?;
    let (table, geom_col, srs_id) = match &opts.table {
        Some(t) => tables.iter().find(|x| &x.0 == t).cloned().ok_or_else(|| {
            InputError::new(loc.clone(), format!("no feature table '{t}'"))
                .with_hint(format!("tables are: {}", tables.iter().map(|x| x.0.as_str()).collect::<Vec<_>>().join(", ")))
        })?,
        None => {
            let first = tables.first().cloned().ok_or_else(|| InputError::new(loc.clone(), "the GeoPackage holds no feature table"))?;
            if tables.len() > 1 {
                warnings.push(Warning::new(
                    loc.clone(),
                    format!(
                        "{} feature tables ({}); read '{}' — set table = \"…\" to choose",
                        tables.len(),
                        tables.iter().map(|x| x.0.as_str()).collect::<Vec<_>>().join(", "),
                        first.0
                    ),
                ));
            }
            first
        }
    };
    let crs = srs(&conn, srs_id).map_err(sql)?;
    let mut stmt = conn.prepare(&format!("SELECT * FROM \"{}\"", table.replace('"', "\"\""))).map_err(sql)?;
    let names: Vec<String> = stmt.column_names().map(|s| s.to_string()).collect();
    let gi = names.iter().position(|n| n.eq_ignore_ascii_case(&geom_col));
    let attr_idx: Vec<usize> = (0..names.len()).filter(|&i| Some(i) != gi).collect();
    let mut fields: Vec<Field> = attr_idx.iter().map(|&i| Field { name: names[i].clone(), kind: FieldKind::Text }).collect();
    let mut kinds: Vec<Option<FieldKind>> = vec![None; fields.len()];
    let mut features = Vec::new();
    let mut rows = stmt.query([]).map_err(sql)?;
    while let Some(row) = rows.next().map_err(sql)? {
        let rec = features.len() as u64 + 1;
        let geometry = match gi.map(|i| row.get_ref(i)) {
            Some(Ok(ValueRef::Blob(b))) => Some(geometry_blob(b).ok_or_else(|| {
                InputError::new(loc.record(rec).field(geom_col.clone()), "geometry blob is not a valid GeoPackage geometry")
                    .with_hint("repair the layer in QGIS (Vector → Geometry tools → Fix geometries)")
            })?),
            _ => None,
        }
        .flatten();
        let mut values = Vec::with_capacity(attr_idx.len());
        for (k, &i) in attr_idx.iter().enumerate() {
            let v = match row.get_ref(i).map_err(sql)? {
                ValueRef::Null => Value::Null,
                ValueRef::Integer(n) => Value::Int(n),
                ValueRef::Real(f) => Value::Float(f),
                ValueRef::Text(t) => Value::Text(String::from_utf8_lossy(t).into_owned()),
                ValueRef::Blob(b) => Value::Text(format!("<{} bytes>", b.len())),
            };
            let vk = match &v {
                Value::Int(_) => Some(FieldKind::Int),
                Value::Float(_) => Some(FieldKind::Float),
                Value::Null => None,
                _ => Some(FieldKind::Text),
            };
            kinds[k] = match (kinds[k], vk) {
                (None, x) | (x, None) => x,
                (Some(a), Some(b)) if a == b => Some(a),
                (Some(FieldKind::Int), Some(FieldKind::Float)) | (Some(FieldKind::Float), Some(FieldKind::Int)) => Some(FieldKind::Float),
                _ => Some(FieldKind::Text),
            };
            values.push(v);
        }
        features.push(Feature { geometry, values });
    }
    for (f, k) in fields.iter_mut().zip(kinds) {
        f.kind = k.unwrap_or(FieldKind::Text);
    }
    Ok(RawLayer {
        path: path.to_path_buf(),
        format: Format::GeoPackage,
        table: FeatureTable { fields, features },
        crs,
        encoding: Some("UTF-8".into()),
        warnings,
    })
}

fn srs(conn: &Connection, id: i64) -> rusqlite::Result<Option<Crs>> {
    let row: Option<(String, i64, String)> = conn
        .query_row("SELECT organization, organization_coordsys_id, definition FROM gpkg_spatial_ref_sys WHERE srs_id = ?1", [id], |r| {
            Ok((r.get(0)?, r.get(1)?, r.get(2)?))
        })
        .ok();
    Ok(row.and_then(|(org, code, def)| {
        if org.eq_ignore_ascii_case("EPSG")
            && let Ok(c) = Crs::from_epsg(code as u32)
        {
            return Some(c);
        }
        Crs::from_wkt(&def).ok()
    }))
}

/// Strips the GeoPackage header ("GP", version, flags, srs id, envelope) and parses the WKB.
/// `Some(None)` is an empty geometry; `None` is a malformed blob.
pub fn geometry_blob(b: &[u8]) -> Option<Option<geo::Geometry<f64>>> {
    if b.len() < 8 || &b[0..2] != b"GP" {
        return None;
    }
    let flags = b[3];
    let env = match (flags >> 1) & 0b111 {
        0 => 0,
        1 => 32,
        2 | 3 => 48,
        4 => 64,
        _ => return None,
    };
    if flags & 0b1_0000 != 0 {
        return Some(None);
    }
    let wkb = b.get(8 + env..)?;
    super::wkb::parse(wkb).map(Some)
}

#[cfg(test)]
mod tests {
    use super::*;

    /// Writes a minimal GeoPackage holding `geoms` with a name column, in `epsg`.
    pub fn write_test_gpkg(path: &Path, epsg: i64, names: &[&str], geoms: &[geo::Geometry<f64>]) {
        let c = Connection::open(path).unwrap();
        c.execute_batch(
            "CREATE TABLE gpkg_spatial_ref_sys (srs_name TEXT, srs_id INTEGER PRIMARY KEY, organization TEXT, organization_coordsys_id INTEGER, definition TEXT, description TEXT);
             CREATE TABLE gpkg_contents (table_name TEXT PRIMARY KEY, data_type TEXT, identifier TEXT, description TEXT, last_change TEXT, min_x REAL, min_y REAL, max_x REAL, max_y REAL, srs_id INTEGER);
             CREATE TABLE gpkg_geometry_columns (table_name TEXT, column_name TEXT, geometry_type_name TEXT, srs_id INTEGER, z INTEGER, m INTEGER);
             CREATE TABLE villages (fid INTEGER PRIMARY KEY, geom BLOB, 名称 TEXT, 户数 INTEGER);",
        )
        .unwrap();
        c.execute("INSERT INTO gpkg_spatial_ref_sys VALUES ('x', ?1, 'EPSG', ?1, 'undefined', '')", [epsg]).unwrap();
        c.execute("INSERT INTO gpkg_contents (table_name, data_type, srs_id) VALUES ('villages', 'features', ?1)", [epsg]).unwrap();
        c.execute("INSERT INTO gpkg_geometry_columns VALUES ('villages', 'geom', 'GEOMETRY', ?1, 0, 0)", [epsg]).unwrap();
        for (i, (n, g)) in names.iter().zip(geoms).enumerate() {
            let mut blob = vec![b'G', b'P', 0, 0b0000_0001];
            blob.extend_from_slice(&(epsg as i32).to_le_bytes());
            crate::io::wkb::encode(g, &mut blob);
            c.execute("INSERT INTO villages (geom, 名称, 户数) VALUES (?1, ?2, ?3)", rusqlite::params![blob, n, 20 + i as i64]).unwrap();
        }
    }

    #[test]
    fn reads_features_attributes_and_srs() {
        let p = std::env::temp_dir().join(format!("covplan-{}.gpkg", std::process::id()));
        let _ = std::fs::remove_file(&p);
        let (x, y) = Crs::from_epsg(4526).unwrap().from_wgs84(112.7, 23.3).unwrap();
        write_test_gpkg(&p, 4526, &["大坑村", "石狗村"], &[geo::Geometry::Point(geo::Point::new(x, y)), geo::Geometry::Point(geo::Point::new(x + 100.0, y))]);
        let before = std::fs::read(&p).unwrap();
        let l = read(&p, &ReadOptions::default()).unwrap();
        assert_eq!(std::fs::read(&p).unwrap(), before, "the user's file must not change");
        std::fs::remove_file(&p).unwrap();
        assert_eq!(l.crs.as_ref().unwrap().epsg, Some(4526));
        assert_eq!(l.table.features.len(), 2);
        let names: Vec<&str> = l.table.fields.iter().map(|f| f.name.as_str()).collect();
        assert_eq!(names, vec!["fid", "名称", "户数"]);
        assert_eq!(l.table.features[1].values[1], Value::Text("石狗村".into()));
    }
}
