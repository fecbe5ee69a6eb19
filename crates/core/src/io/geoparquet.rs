//! GeoParquet 1.1 tables: one WKB geometry column (`geometry`, lon/lat, OGC:CRS84), its bounding
//! box as a `bbox` struct column (the 1.1 "covering", which lets DuckDB, Sedona and GeoPandas
//! skip row groups by area), attribute columns, and the `geo` file metadata. Written and read with
//! the `parquet` crate's column API (no Arrow: the tables are plain columns, and Arrow would
//! double the build). The same rows give the same bytes: no timestamps, fixed writer settings.

use crate::error::{InputError, Result};
use geo::{BoundingRect, Geometry};
use parquet::basic::{Compression, Encoding};
use parquet::data_type::{BoolType, ByteArray, ByteArrayType, DoubleType, Int64Type};
use parquet::file::metadata::KeyValue;
use parquet::file::properties::WriterProperties;
use parquet::file::reader::{FileReader, SerializedFileReader};
use parquet::file::writer::SerializedFileWriter;
use parquet::schema::types::Type;
use std::path::Path;
use std::sync::Arc;

/// Rows per row group: a county's buildings in a few groups, each read in one go.
const ROWS_PER_GROUP: usize = 1 << 20;

/// One attribute column (every value may be missing).
#[derive(Debug, Clone, PartialEq)]
pub enum Column {
    /// 64-bit floats.
    Float(Vec<Option<f64>>),
    /// 64-bit integers.
    Int(Vec<Option<i64>>),
    /// UTF-8 text.
    Text(Vec<Option<String>>),
    /// Booleans.
    Bool(Vec<Option<bool>>),
}

impl Column {
    fn len(&self) -> usize {
        match self {
            Column::Float(v) => v.len(),
            Column::Int(v) => v.len(),
            Column::Text(v) => v.len(),
            Column::Bool(v) => v.len(),
        }
    }
}

/// A table of features: geometries (lon/lat) and named attribute columns of the same length.
#[derive(Debug, Clone, Default, PartialEq)]
pub struct GeoTable {
    /// One geometry per row (none when read by [`read_attributes`]).
    pub geometry: Vec<Geometry<f64>>,
    /// Attribute columns, in file order.
    pub columns: Vec<(String, Column)>,
}

impl GeoTable {
    /// The column named `name`, if any.
    pub fn column(&self, name: &str) -> Option<&Column> {
        self.columns.iter().find(|(n, _)| n == name).map(|(_, c)| c)
    }
}

fn bad(path: &Path, e: impl std::fmt::Display) -> InputError {
    InputError::in_file(path, format!("not a readable GeoParquet file: {e}"))
        .with_hint("write it again (covplan shard, GeoPandas to_parquet or DuckDB COPY … (FORMAT parquet))")
}

fn geometry_type(g: &Geometry<f64>) -> &'static str {
    match g {
        Geometry::Point(_) => "Point",
        Geometry::LineString(_) | Geometry::Line(_) => "LineString",
        Geometry::Polygon(_) | Geometry::Rect(_) | Geometry::Triangle(_) => "Polygon",
        Geometry::MultiPoint(_) => "MultiPoint",
        Geometry::MultiLineString(_) => "MultiLineString",
        Geometry::MultiPolygon(_) => "MultiPolygon",
        Geometry::GeometryCollection(_) => "GeometryCollection",
    }
}

/// The `geo` metadata of a table whose geometries have `types` and lie in `bbox`.
fn geo_metadata(types: &std::collections::BTreeSet<String>, bbox: [f64; 4]) -> String {
    let bbox_json = if bbox[0].is_finite() { serde_json::json!(bbox) } else { serde_json::json!([0.0, 0.0, 0.0, 0.0]) };
    serde_json::json!({
        "version": "1.1.0",
        "primary_column": "geometry",
        "columns": {
            "geometry": {
                "encoding": "WKB",
                "geometry_types": types.iter().collect::<Vec<_>>(),
                "bbox": bbox_json,
                "covering": { "bbox": {
                    "xmin": ["bbox", "xmin"], "ymin": ["bbox", "ymin"], "xmax": ["bbox", "xmax"], "ymax": ["bbox", "ymax"]
                } }
            }
        }
    })
    .to_string()
}

/// The Parquet schema of a table: geometry, the bbox struct, then the attribute columns
/// (built, not parsed from text, so any column name is kept, 带宽(MHz) too).
fn schema(columns: &[(String, Column)]) -> parquet::errors::Result<Arc<Type>> {
    use parquet::basic::{LogicalType, Repetition, Type as Physical};
    let leaf =
        |name: &str, physical: Physical, repetition: Repetition| Type::primitive_type_builder(name, physical).with_repetition(repetition).build().map(Arc::new);
    let mut fields = vec![leaf("geometry", Physical::BYTE_ARRAY, Repetition::REQUIRED)?];
    let corners =
        ["xmin", "ymin", "xmax", "ymax"].iter().map(|n| leaf(n, Physical::DOUBLE, Repetition::REQUIRED)).collect::<parquet::errors::Result<Vec<_>>>()?;
    fields.push(Arc::new(Type::group_type_builder("bbox").with_repetition(Repetition::REQUIRED).with_fields(corners).build()?));
    for (name, c) in columns {
        if name.is_empty() || name == "geometry" || name == "bbox" {
            return Err(parquet::errors::ParquetError::General(format!("an attribute column may not be named {name:?}")));
        }
        let physical = match c {
            Column::Float(_) => Physical::DOUBLE,
            Column::Int(_) => Physical::INT64,
            Column::Text(_) => Physical::BYTE_ARRAY,
            Column::Bool(_) => Physical::BOOLEAN,
        };
        let logical = matches!(c, Column::Text(_)).then_some(LogicalType::String);
        let t = Type::primitive_type_builder(name, physical).with_repetition(Repetition::OPTIONAL).with_logical_type(logical).build()?;
        fields.push(Arc::new(t));
    }
    Ok(Arc::new(Type::group_type_builder("covplan").with_fields(fields).build()?))
}

/// The table as GeoParquet bytes.
pub fn to_bytes(t: &GeoTable) -> std::result::Result<Vec<u8>, String> {
    let n = t.geometry.len();
    if let Some((name, _)) = t.columns.iter().find(|(_, c)| c.len() != n) {
        return Err(format!("column {name} has a different number of rows than the geometries ({n})"));
    }
    let wkb: Vec<ByteArray> = t
        .geometry
        .iter()
        .map(|geom| {
            let mut b = Vec::new();
            super::wkb::encode(geom, &mut b);
            ByteArray::from(b)
        })
        .collect();
    let boxes: Vec<[f64; 4]> = t.geometry.iter().map(|g| g.bounding_rect().map_or([f64::NAN; 4], |r| [r.min().x, r.min().y, r.max().x, r.max().y])).collect();
    let types: std::collections::BTreeSet<String> = t.geometry.iter().map(|g| geometry_type(g).to_string()).collect();
    let schema = schema(&t.columns).map_err(|e| e.to_string())?;
    let mut whole = [f64::INFINITY, f64::INFINITY, f64::NEG_INFINITY, f64::NEG_INFINITY];
    for b in boxes.iter().filter(|b| b[0].is_finite()) {
        whole = [whole[0].min(b[0]), whole[1].min(b[1]), whole[2].max(b[2]), whole[3].max(b[3])];
    }
    let props = WriterProperties::builder()
        .set_created_by(format!("covplan {}", env!("CARGO_PKG_VERSION")))
        .set_compression(Compression::UNCOMPRESSED)
        .set_encoding(Encoding::PLAIN)
        .set_dictionary_enabled(false)
        .set_key_value_metadata(Some(vec![KeyValue::new("geo".to_string(), geo_metadata(&types, whole))]))
        .build();
    let mut out = Vec::new();
    let mut w = SerializedFileWriter::new(&mut out, schema, Arc::new(props)).map_err(|e| e.to_string())?;
    let e = |e: parquet::errors::ParquetError| e.to_string();
    for start in (0..n).step_by(ROWS_PER_GROUP) {
        let rows = start..(start + ROWS_PER_GROUP).min(n);
        let mut g = w.next_row_group().map_err(e)?;
        let mut col = g.next_column().map_err(e)?.ok_or("no geometry column")?;
        col.typed::<ByteArrayType>().write_batch(&wkb[rows.clone()], None, None).map_err(e)?;
        col.close().map_err(e)?;
        for k in 0..4 {
            let v: Vec<f64> = boxes[rows.clone()].iter().map(|b| b[k]).collect();
            let mut col = g.next_column().map_err(e)?.ok_or("no bbox column")?;
            col.typed::<DoubleType>().write_batch(&v, None, None).map_err(e)?;
            col.close().map_err(e)?;
        }
        for (_, c) in &t.columns {
            let mut col = g.next_column().map_err(e)?.ok_or("missing column")?;
            fn split<T: Clone, U>(v: &[Option<T>], f: impl Fn(&T) -> U) -> (Vec<U>, Vec<i16>) {
                (v.iter().flatten().map(f).collect(), v.iter().map(|x| i16::from(x.is_some())).collect())
            }
            match c {
                Column::Float(v) => {
                    let (vals, defs) = split(&v[rows.clone()], |x| *x);
                    col.typed::<DoubleType>().write_batch(&vals, Some(&defs), None).map_err(e)?;
                }
                Column::Int(v) => {
                    let (vals, defs) = split(&v[rows.clone()], |x| *x);
                    col.typed::<Int64Type>().write_batch(&vals, Some(&defs), None).map_err(e)?;
                }
                Column::Text(v) => {
                    let (vals, defs) = split(&v[rows.clone()], |x: &String| ByteArray::from(x.as_str()));
                    col.typed::<ByteArrayType>().write_batch(&vals, Some(&defs), None).map_err(e)?;
                }
                Column::Bool(v) => {
                    let (vals, defs) = split(&v[rows.clone()], |x| *x);
                    col.typed::<BoolType>().write_batch(&vals, Some(&defs), None).map_err(e)?;
                }
            }
            col.close().map_err(e)?;
        }
        g.close().map_err(e)?;
    }
    w.close().map_err(e)?;
    Ok(out)
}

/// Writes the table to `path` atomically.
pub fn write(path: &Path, t: &GeoTable) -> Result<()> {
    let bytes = to_bytes(t).map_err(|e| InputError::in_file(path, format!("cannot write GeoParquet: {e}")))?;
    crate::fsutil::atomic_write(path, &bytes).map_err(|e| InputError::io(path, &e))
}

/// Reads the values of one column of one row group: `(values, definition levels)`.
fn read_column<T: parquet::data_type::DataType>(
    rg: &dyn parquet::file::reader::RowGroupReader,
    i: usize,
    rows: usize,
) -> parquet::errors::Result<(Vec<T::T>, Vec<i16>)>
where
    T::T: Default + Clone,
{
    let mut r = parquet::column::reader::get_typed_column_reader::<T>(rg.get_column_reader(i)?);
    let (mut values, mut defs) = (Vec::with_capacity(rows), Vec::with_capacity(rows));
    while values.len() < rows || defs.len() < rows {
        let (records, _, _) = r.read_records(rows - defs.len().min(rows), Some(&mut defs), None, &mut values)?;
        if records == 0 {
            break;
        }
    }
    Ok((values, defs))
}

/// Spreads `values` over the rows whose definition level says present.
fn with_gaps<T>(values: Vec<T>, defs: &[i16], optional: bool) -> Vec<Option<T>> {
    if !optional {
        return values.into_iter().map(Some).collect();
    }
    let mut it = values.into_iter();
    defs.iter().map(|&d| if d > 0 { it.next() } else { None }).collect()
}

/// Reads a GeoParquet table written by [`write`] or by other tools (a WKB `geometry` column,
/// plain DOUBLE / INT64 / BYTE_ARRAY / BOOLEAN / INT32 attribute columns; nested ones are skipped).
pub fn read(path: &Path) -> Result<GeoTable> {
    let bytes = std::fs::read(path).map_err(|e| InputError::io(path, &e))?;
    parse(path, bytes)
}

/// [`read`] on a file's bytes (`path` names it in errors). A row count the bytes cannot hold is
/// not believed: memory is reserved for at most as many rows as there are bytes.
///
/// The `parquet` crate (60) panics on some malformed pages instead of returning an error (a
/// dictionary page shorter than its values: a slice out of bounds in its bit reader, found by
/// fuzzing, fuzz/seeds/geoparquet/crash-dictionary-page). Such a panic is contained here and
/// reported as a malformed file: the reader's state is dropped with it, nothing is shared.
pub fn parse(path: &Path, bytes: Vec<u8>) -> Result<GeoTable> {
    guarded(path, || parse_unguarded(path, bytes))
}

/// `read`'s result, a panic of the `parquet` crate on malformed data reported as an error
/// naming `path` (see [`parse`]).
fn guarded<T>(path: &Path, read: impl FnOnce() -> Result<T>) -> Result<T> {
    match std::panic::catch_unwind(std::panic::AssertUnwindSafe(read)) {
        Ok(r) => r,
        Err(_) => Err(bad(path, "the Parquet data is malformed (a page does not hold what its header says)")),
    }
}

fn parse_unguarded(path: &Path, bytes: Vec<u8>) -> Result<GeoTable> {
    // Each row group's blobs decoded as they are read: a file of millions of footprints is
    // never held twice.
    let mut geometry = Vec::new();
    let mut decode = |row: usize, blob: ByteArray| {
        geometry.push(super::wkb::parse(blob.data()).ok_or_else(|| bad(path, format!("row {row}: the geometry is not valid WKB")))?);
        Ok(())
    };
    let rows = read_rows(path, bytes, Some(&mut decode))?;
    Ok(GeoTable { geometry, columns: rows.columns })
}

/// A file's rows but their geometries (which [`read_rows`] hands over as it reads them).
struct RawRows {
    rows: usize,
    columns: Vec<(String, Column)>,
}

/// A file's rows: the attribute columns; each geometry's WKB handed to `geometry` (with its
/// row number, from 1) when given, else not read.
fn read_rows(path: &Path, bytes: Vec<u8>, mut geometry: Option<&mut dyn FnMut(usize, ByteArray) -> Result<()>>) -> Result<RawRows> {
    let size = bytes.len();
    let reader = SerializedFileReader::new(bytes::Bytes::from(bytes)).map_err(|e| bad(path, e))?;
    let meta = reader.metadata();
    let schema = meta.file_metadata().schema_descr();
    let geo = meta
        .file_metadata()
        .key_value_metadata()
        .and_then(|kv| kv.iter().find(|k| k.key == "geo"))
        .and_then(|k| k.value.as_deref())
        .and_then(|v| serde_json::from_str::<serde_json::Value>(v).ok());
    let primary = geo.as_ref().and_then(|v| v["primary_column"].as_str().map(str::to_string)).unwrap_or_else(|| "geometry".to_string());
    let leaves: Vec<_> = (0..schema.num_columns()).map(|i| schema.column(i)).collect();
    let geom_col =
        leaves.iter().position(|c| c.path().parts().len() == 1 && c.name() == primary).ok_or_else(|| bad(path, format!("no geometry column '{primary}'")))?;
    let mut table = RawRows { rows: 0, columns: Vec::new() };
    use parquet::basic::Type as Physical;
    // Plain attribute columns (nested ones are skipped), with the leaf each is read from.
    let (kept, mut cols): (Vec<usize>, Vec<(String, Column)>) = (0..leaves.len())
        .filter(|&i| i != geom_col && leaves[i].path().parts().len() == 1)
        .filter_map(|i| {
            let empty = match leaves[i].physical_type() {
                Physical::DOUBLE | Physical::FLOAT => Column::Float(Vec::new()),
                Physical::INT64 | Physical::INT32 => Column::Int(Vec::new()),
                Physical::BYTE_ARRAY => Column::Text(Vec::new()),
                Physical::BOOLEAN => Column::Bool(Vec::new()),
                _ => return None,
            };
            Some((i, (leaves[i].name().to_string(), empty)))
        })
        .unzip();
    for g in 0..reader.num_row_groups() {
        let rg = reader.get_row_group(g).map_err(|e| bad(path, e))?;
        let rows = usize::try_from(rg.metadata().num_rows()).map_err(|e| bad(path, e))?;
        if rows > size {
            return Err(bad(path, format!("row group {g} claims {rows} rows in {size} bytes")));
        }
        if let Some(take) = geometry.as_mut() {
            let (wkb, defs) = read_column::<ByteArrayType>(rg.as_ref(), geom_col, rows).map_err(|e| bad(path, e))?;
            let optional = leaves[geom_col].max_def_level() > 0;
            let blobs = with_gaps(wkb, &defs, optional);
            if blobs.len() != rows {
                return Err(bad(path, format!("row group {g}: the geometry column has {} values for {rows} rows", blobs.len())));
            }
            for (i, blob) in blobs.into_iter().enumerate() {
                let row = table.rows + i + 1;
                take(row, blob.ok_or_else(|| bad(path, format!("row {row} has no geometry")))?)?;
            }
        }
        table.rows += rows;
        for (&i, (_, col)) in kept.iter().zip(cols.iter_mut()) {
            read_attribute(rg.as_ref(), i, &leaves[i], rows, col).map_err(|e| bad(path, e))?;
        }
    }
    let n = table.rows;
    if let Some((name, _)) = cols.iter().find(|(_, c)| c.len() != n) {
        return Err(bad(path, format!("column {name} has fewer rows than the geometry column")));
    }
    table.columns = cols;
    Ok(table)
}

/// Adds the values of attribute column `i` (described by `leaf`) of a row group of `rows` rows
/// to `col`.
fn read_attribute(
    r: &dyn parquet::file::reader::RowGroupReader,
    i: usize,
    leaf: &parquet::schema::types::ColumnDescriptor,
    rows: usize,
    col: &mut Column,
) -> std::result::Result<(), String> {
    use parquet::basic::Type as Physical;
    let optional = leaf.max_def_level() > 0;
    let err = |e: parquet::errors::ParquetError| e.to_string();
    match (col, leaf.physical_type()) {
        (Column::Float(v), Physical::DOUBLE) => {
            let (vals, d) = read_column::<DoubleType>(r, i, rows).map_err(err)?;
            v.extend(with_gaps(vals, &d, optional));
        }
        (Column::Float(v), _) => {
            let (vals, d) = read_column::<parquet::data_type::FloatType>(r, i, rows).map_err(err)?;
            v.extend(with_gaps(vals, &d, optional).into_iter().map(|x| x.map(f64::from)));
        }
        (Column::Int(v), Physical::INT64) => {
            let (vals, d) = read_column::<Int64Type>(r, i, rows).map_err(err)?;
            v.extend(with_gaps(vals, &d, optional));
        }
        (Column::Int(v), _) => {
            let (vals, d) = read_column::<parquet::data_type::Int32Type>(r, i, rows).map_err(err)?;
            v.extend(with_gaps(vals, &d, optional).into_iter().map(|x| x.map(i64::from)));
        }
        (Column::Text(v), _) => {
            let (vals, d) = read_column::<ByteArrayType>(r, i, rows).map_err(err)?;
            for x in with_gaps(vals, &d, optional) {
                v.push(match x {
                    Some(b) => Some(String::from_utf8(b.data().to_vec()).map_err(|_| format!("column {} is not UTF-8", leaf.name()))?),
                    None => None,
                });
            }
        }
        (Column::Bool(v), _) => {
            let (vals, d) = read_column::<BoolType>(r, i, rows).map_err(err)?;
            v.extend(with_gaps(vals, &d, optional));
        }
    }
    Ok(())
}

/// The attribute columns of a file [`write`] wrote, its geometries left unread: the table's
/// `geometry` is empty. For tables whose rows carry their own position (a shard's buildings:
/// `x_m`, `y_m`), where decoding a million footprints would be wasted.
pub fn read_attributes(path: &Path) -> Result<GeoTable> {
    let bytes = std::fs::read(path).map_err(|e| InputError::io(path, &e))?;
    let rows = guarded(path, || read_rows(path, bytes, None))?;
    Ok(GeoTable { geometry: Vec::new(), columns: rows.columns })
}

/// Reads a GeoParquet file as a layer: its attribute columns become fields (the bbox covering
/// is left out), its geometries features, in lon/lat (GeoParquet's default CRS, OGC:CRS84).
pub fn read_layer(path: &Path) -> Result<super::RawLayer> {
    use crate::model::{Feature, FeatureTable, Field, FieldKind, Value};
    let GeoTable { geometry, columns } = read(path)?;
    let fields = columns
        .iter()
        .map(|(name, c)| Field {
            name: name.clone(),
            kind: match c {
                Column::Float(_) => FieldKind::Float,
                Column::Int(_) => FieldKind::Int,
                Column::Text(_) => FieldKind::Text,
                Column::Bool(_) => FieldKind::Bool,
            },
        })
        .collect();
    let value = |c: &Column, i: usize| match c {
        Column::Float(v) => v[i].map_or(Value::Null, Value::Float),
        Column::Int(v) => v[i].map_or(Value::Null, Value::Int),
        Column::Text(v) => v[i].clone().map_or(Value::Null, Value::Text),
        Column::Bool(v) => v[i].map_or(Value::Null, Value::Bool),
    };
    let features =
        geometry.into_iter().enumerate().map(|(i, g)| Feature { geometry: Some(g), values: columns.iter().map(|(_, c)| value(c, i)).collect() }).collect();
    Ok(super::RawLayer {
        path: path.to_path_buf(),
        format: super::Format::GeoParquet,
        table: FeatureTable { fields, features },
        crs: Some(crate::crs::Crs::wgs84()),
        encoding: None,
        warnings: Vec::new(),
    })
}

#[cfg(test)]
mod tests {
    use super::*;
    use geo::{LineString, MultiPolygon, Point, Polygon};

    fn sample() -> GeoTable {
        GeoTable {
            geometry: vec![
                Geometry::Point(Point::new(112.7, 23.3)),
                Geometry::MultiPolygon(MultiPolygon(vec![Polygon::new(
                    LineString::from(vec![(112.0, 23.0), (112.1, 23.0), (112.1, 23.1), (112.0, 23.0)]),
                    vec![],
                )])),
            ],
            columns: vec![
                ("name".into(), Column::Text(vec![Some("石狗镇".into()), None])),
                ("households".into(), Column::Float(vec![None, Some(12.5)])),
                ("seq".into(), Column::Int(vec![Some(7), Some(-1)])),
                ("owned".into(), Column::Bool(vec![Some(true), Some(false)])),
            ],
        }
    }

    #[test]
    fn round_trip_is_exact_and_bytes_repeat() {
        let t = sample();
        let b = to_bytes(&t).unwrap();
        assert_eq!(b, to_bytes(&t).unwrap(), "same rows, same bytes");
        let dir = std::env::temp_dir().join(format!("covplan-geoparquet-{}", std::process::id()));
        std::fs::create_dir_all(&dir).unwrap();
        let path = dir.join("t.parquet");
        write(&path, &t).unwrap();
        assert_eq!(read(&path).unwrap(), t);
        // The geo metadata names the geometry column, its types and its bbox covering.
        let text = String::from_utf8_lossy(&b);
        assert!(text.contains(r#""primary_column":"geometry""#) && text.contains(r#""MultiPolygon","Point""#), "{text}");
    }

    /// Files other tools write: GeoPandas (snappy, its own geo metadata, pandas index column)
    /// and pyarrow (snappy), read as layers.
    #[test]
    fn geopandas_and_pyarrow_files_are_read_as_layers() {
        let seeds = std::path::Path::new(concat!(env!("CARGO_MANIFEST_DIR"), "/../../fuzz/seeds/geoparquet"));
        let v = read_layer(&seeds.join("villages-geopandas.parquet")).unwrap();
        assert_eq!(v.table.features.len(), 4);
        assert!(v.table.field_index("name").is_some() && v.table.field_index("households").is_some());
        assert!(v.table.features.iter().all(|f| f.geometry.is_some()));
        let g = read_layer(&seeds.join("gaps-snappy.parquet")).unwrap();
        assert_eq!(g.table.features.len(), 6);
        assert!(matches!(g.table.features[0].geometry, Some(Geometry::Point(_))));
    }

    /// Found by fuzzing: a dictionary page shorter than its values made the parquet crate
    /// panic; it is an error naming the file.
    #[test]
    fn a_malformed_page_is_an_error_not_a_panic() {
        let seed = std::path::Path::new(concat!(env!("CARGO_MANIFEST_DIR"), "/../../fuzz/seeds/geoparquet/crash-dictionary-page"));
        let e = parse(Path::new("bad.parquet"), std::fs::read(seed).unwrap()).unwrap_err().to_string();
        assert!(e.contains("bad.parquet") && e.contains("malformed"), "{e}");
    }

    #[test]
    fn a_broken_file_is_an_error_naming_it() {
        let dir = std::env::temp_dir().join(format!("covplan-geoparquet-broken-{}", std::process::id()));
        std::fs::create_dir_all(&dir).unwrap();
        let path = dir.join("broken.parquet");
        let mut b = to_bytes(&sample()).unwrap();
        b.truncate(b.len() / 2);
        std::fs::write(&path, &b).unwrap();
        let e = read(&path).unwrap_err().to_string();
        assert!(e.contains("broken.parquet") && e.contains("GeoParquet"), "{e}");
    }
}
