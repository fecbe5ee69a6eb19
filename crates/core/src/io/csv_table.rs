//! Tables from CSV (UTF-8 with or without BOM, or GBK; comma, tab or semicolon) and
//! Excel workbooks, turned into point layers when they have coordinate columns.

use super::{Format, RawLayer, ReadOptions, read_bytes};
use crate::error::{InputError, Location, Result, Warning};
use crate::model::{Feature, FeatureTable, Field, FieldKind, Value};
use geo::{Geometry, Point};
use std::path::Path;

/// A plain table: header names and rows of values.
#[derive(Debug, Clone, Default)]
pub struct Table {
    /// Column names from the header row (trimmed; blank ones named `column N`).
    pub headers: Vec<String>,
    /// Rows, each as long as `headers`.
    pub rows: Vec<Vec<Value>>,
    /// 1-based line (CSV) or row (sheet) number of each row in the file, for messages.
    pub row_numbers: Vec<u64>,
    /// The encoding used (CSV only).
    pub encoding: Option<String>,
}

/// Reads a CSV or XLSX file into a [`Table`].
pub fn read_table(path: &Path, opts: &ReadOptions) -> Result<Table> {
    match Format::from_path(path) {
        Some(Format::Xlsx) => parse_workbook(path, &read_bytes(path)?, opts.sheet.as_deref()),
        _ => {
            let bytes = read_bytes(path)?;
            parse_csv(path, &bytes, opts.encoding)
        }
    }
}

/// Parses CSV bytes: decoding by BOM, the setting, valid UTF-8, else GBK; delimiter sniffed.
pub fn parse_csv(path: &Path, bytes: &[u8], setting: Option<&'static encoding_rs::Encoding>) -> Result<Table> {
    let loc = Location::file(path);
    let (text, enc) = match (encoding_rs::Encoding::for_bom(bytes), setting) {
        (None, Some(e)) => (super::encoding::decode(bytes, e), e),
        _ => super::encoding::decode_guess(bytes),
    };
    let text = text.trim_start_matches('\u{feff}');
    let Some(first_line) = text.lines().find(|l| !l.trim().is_empty()) else {
        return Err(InputError::new(loc, "file is empty").with_hint("export the table again with a header row"));
    };
    let delim = [b',', b'\t', b';', b'|'].into_iter().max_by_key(|d| first_line.matches(*d as char).count()).unwrap_or(b',');
    let mut rdr = csv::ReaderBuilder::new().delimiter(delim).has_headers(false).flexible(true).from_reader(text.as_bytes());
    let mut headers: Option<Vec<String>> = None;
    let mut rows = Vec::new();
    let mut row_numbers = Vec::new();
    for rec in rdr.records() {
        let rec = rec.map_err(|e| {
            let line = e.position().map_or(0, |p| p.line());
            InputError::new(loc.record(line), format!("cannot parse CSV: {e}")).with_hint("check quotes and delimiters in that line")
        })?;
        let line = rec.position().map_or(0, |p| p.line());
        if rec.iter().all(|c| c.trim().is_empty()) {
            continue;
        }
        match &headers {
            None => headers = Some(header_names(rec.iter())),
            Some(h) => {
                if rec.len() > h.len() && rec.iter().skip(h.len()).any(|c| !c.trim().is_empty()) {
                    return Err(InputError::new(loc.record(line), format!("row has {} cells but the header {}", rec.len(), h.len()))
                        .with_hint("a cell holds an unquoted delimiter, or the header is missing a name"));
                }
                let mut row: Vec<Value> = rec.iter().take(h.len()).map(cell_value).collect();
                row.resize(h.len(), Value::Null);
                rows.push(row);
                row_numbers.push(line);
            }
        }
    }
    Ok(Table { headers: headers.unwrap_or_default(), rows, row_numbers, encoding: Some(enc.name().to_string()) })
}

fn header_names<'a>(cells: impl Iterator<Item = &'a str>) -> Vec<String> {
    cells
        .enumerate()
        .map(|(i, c)| {
            let c = c.trim();
            if c.is_empty() { format!("column {}", i + 1) } else { c.to_string() }
        })
        .collect()
}

fn cell_value(c: &str) -> Value {
    let t = c.trim();
    if t.is_empty() {
        return Value::Null;
    }
    if let Ok(i) = t.parse::<i64>() {
        if !(t.starts_with('0') && t.len() > 1) {
            return Value::Int(i);
        }
        // Leading zeros mark codes (adcodes, cell ids): keep them as text.
        return Value::Text(t.to_string());
    }
    match t.parse::<f64>() {
        Ok(f) if f.is_finite() => Value::Float(f),
        _ => Value::Text(t.to_string()),
    }
}

/// Parses a workbook (XLSX, XLS, XLSB or ODS, told apart by content) from its bytes: the sheet
/// named `sheet`, else the first; the first non-empty row gives the headers.
pub fn parse_workbook(path: &Path, bytes: &[u8], sheet: Option<&str>) -> Result<Table> {
    use calamine::{Data, Reader, open_workbook_auto_from_rs};
    let loc = Location::file(path);
    let mut wb = open_workbook_auto_from_rs(std::io::Cursor::new(bytes))
        .map_err(|e| InputError::new(loc.clone(), format!("cannot open workbook: {e}")).with_hint("save it again as .xlsx"))?;
    let names = wb.sheet_names().to_vec();
    let name = match sheet {
        Some(s) => names
            .iter()
            .find(|n| n.as_str() == s)
            .cloned()
            .ok_or_else(|| InputError::new(loc.clone(), format!("no sheet named '{s}'")).with_hint(format!("sheets are: {}", names.join(", "))))?,
        None => names.first().cloned().ok_or_else(|| InputError::new(loc.clone(), "workbook has no sheets"))?,
    };
    let range = wb.worksheet_range(&name).map_err(|e| InputError::new(loc.clone(), format!("cannot read sheet '{name}': {e}")))?;
    let start_row = range.start().map_or(0, |s| s.0) as u64;
    let mut headers: Option<Vec<String>> = None;
    let mut rows = Vec::new();
    let mut row_numbers = Vec::new();
    for (i, r) in range.rows().enumerate() {
        let cells: Vec<Value> = r
            .iter()
            .map(|c| match c {
                Data::Empty => Value::Null,
                Data::String(s) => cell_value(s),
                Data::Float(f) => {
                    if f.fract() == 0.0 && f.abs() < 9e15 {
                        Value::Int(*f as i64)
                    } else {
                        Value::Float(*f)
                    }
                }
                Data::Int(i) => Value::Int(*i),
                Data::Bool(b) => Value::Bool(*b),
                Data::DateTime(d) => Value::Float(d.as_f64()),
                Data::DateTimeIso(s) | Data::DurationIso(s) => Value::Text(s.clone()),
                Data::Error(e) => Value::Text(format!("#{e:?}")),
            })
            .collect();
        if cells.iter().all(Value::is_empty) {
            continue;
        }
        match &headers {
            None => headers = Some(header_names(cells.iter().map(|v| v.as_text().unwrap_or_default()).collect::<Vec<_>>().iter().map(String::as_str))),
            Some(h) => {
                let mut row = cells;
                row.resize(h.len(), Value::Null);
                rows.push(row);
                row_numbers.push(start_row + i as u64 + 1);
            }
        }
    }
    Ok(Table { headers: headers.unwrap_or_default(), rows, row_numbers, encoding: None })
}

/// Header names that mean longitude and latitude, in order of preference.
pub const LON_NAMES: &[&str] = &["经度", "lon", "longitude", "lng", "long", "x", "经度(°)", "经度（度）"];
/// Header names that mean latitude.
pub const LAT_NAMES: &[&str] = &["纬度", "lat", "latitude", "y", "纬度(°)", "纬度（度）"];

/// Finds the column whose normalised header matches one of `names` (see [`normalize_header`]).
pub fn find_column(headers: &[String], names: &[&str]) -> Option<usize> {
    for n in names {
        let n = normalize_header(n);
        if let Some(i) = headers.iter().position(|h| normalize_header(h) == n) {
            return Some(i);
        }
    }
    None
}

/// Lower-case, without spaces, underscores, and units in brackets: "天线挂高(m)" → "天线挂高".
pub fn normalize_header(h: &str) -> String {
    let mut s = h.trim().to_lowercase();
    for (open, close) in [('(', ')'), ('（', '）'), ('[', ']')] {
        if let (Some(a), Some(b)) = (s.find(open), s.rfind(close))
            && a < b
        {
            s.replace_range(a..b + close.len_utf8(), "");
        }
    }
    s.chars().filter(|c| !c.is_whitespace() && *c != '_' && *c != '-').collect()
}

/// Parses a coordinate written as decimal degrees or degrees-minutes-seconds:
/// `112.6951`, `112°41'42.4"E`, `112°41′42″`, `112:41:42.4`, `112度41分42秒`, `N23°20'`, `23 20 24.1 S`.
pub fn parse_coordinate(s: &str) -> Option<f64> {
    let t = s.trim();
    if let Ok(v) = t.parse::<f64>() {
        return v.is_finite().then_some(v);
    }
    let upper = t.to_uppercase();
    let negative = upper.contains('S') || upper.contains('W') || upper.starts_with('-') || t.contains("西经") || t.contains("南纬");
    let nums: Vec<f64> =
        t.split(|c: char| !(c.is_ascii_digit() || c == '.')).filter(|p| !p.is_empty()).map(|p| p.parse::<f64>()).collect::<std::result::Result<_, _>>().ok()?;
    if nums.is_empty() || nums.len() > 3 {
        return None;
    }
    let (d, m, sec) = (nums[0], nums.get(1).copied().unwrap_or(0.0), nums.get(2).copied().unwrap_or(0.0));
    if m >= 60.0 || sec >= 60.0 {
        return None;
    }
    let v = d + m / 60.0 + sec / 3600.0;
    Some(if negative { -v } else { v })
}

/// Reads a CSV/XLSX table as a point layer using its lon/lat columns.
pub fn read_table_layer(path: &Path, opts: &ReadOptions) -> Result<RawLayer> {
    let table = read_table(path, opts)?;
    table_to_layer(path, table, opts.xy_columns.as_ref())
}

/// Turns a table with lon/lat columns (found by name, or named in `xy`) into a point layer;
/// each bad coordinate is an error naming row and column. A table without such columns is
/// read without positions, with a warning.
pub fn table_to_layer(path: &Path, table: Table, xy: Option<&(String, String)>) -> Result<RawLayer> {
    let loc = Location::file(path);
    let named = |want: Option<&String>, names: &[&str]| match want {
        Some(w) => table.headers.iter().position(|h| h == w || normalize_header(h) == normalize_header(w)),
        None => find_column(&table.headers, names),
    };
    let (ix, iy) = (named(xy.map(|p| &p.0), LON_NAMES), named(xy.map(|p| &p.1), LAT_NAMES));
    if let (Some(x), None) | (None, Some(x)) = (xy.map(|p| &p.0), xy.map(|p| &p.1)) {
        return Err(InputError::new(loc, format!("only one of lon/lat is mapped ('{x}')")).with_hint("map both: [layers.fields] lon = \"…\", lat = \"…\""));
    }
    let (Some(ix), Some(iy)) = (ix, iy) else {
        if let Some((x, y)) = xy {
            return Err(InputError::new(loc, format!("no columns '{x}' and '{y}' among: {}", table.headers.join(", "))));
        }
        let mut layer = plain_table(path, table);
        layer.warnings.push(Warning::new(
            loc,
            format!(
                "no longitude/latitude columns among: {}; read as a table without positions",
                layer.table.fields.iter().map(|f| f.name.as_str()).collect::<Vec<_>>().join(", ")
            ),
        ));
        return Ok(layer);
    };
    let mut warnings = Vec::new();
    let mut features = Vec::with_capacity(table.rows.len());
    for (row, line) in table.rows.iter().zip(&table.row_numbers) {
        let coord = |i: usize| -> Result<f64> {
            let v = &row[i];
            let parsed = match v {
                Value::Int(n) => Some(*n as f64),
                Value::Float(f) => Some(*f),
                Value::Text(s) => parse_coordinate(s),
                _ => None,
            };
            parsed.ok_or_else(|| {
                InputError::new(loc.record(*line).field(table.headers[i].clone()), format!("'{}' is not a coordinate", v.as_text().unwrap_or_default()))
                    .with_hint("write decimal degrees (112.6951) or degrees-minutes-seconds (112°41'42.4\")")
            })
        };
        let (x, y) = (coord(ix)?, coord(iy)?);
        features.push(Feature { geometry: Some(Geometry::Point(Point::new(x, y))), values: row.clone() });
    }
    if features.is_empty() {
        warnings.push(Warning::new(loc.clone(), "the table has a header but no rows"));
    }
    let fields = fields_of(&table);
    Ok(RawLayer {
        path: path.to_path_buf(),
        format: Format::from_path(path).unwrap_or(Format::Csv),
        table: FeatureTable { fields, features },
        crs: None,
        encoding: table.encoding,
        warnings,
    })
}

fn fields_of(table: &Table) -> Vec<Field> {
    table.headers.iter().enumerate().map(|(i, h)| Field { name: h.clone(), kind: column_kind(table.rows.iter().map(|r| &r[i])) }).collect()
}

fn plain_table(path: &Path, table: Table) -> RawLayer {
    let fields = fields_of(&table);
    let features = table.rows.into_iter().map(|values| Feature { geometry: None, values }).collect();
    RawLayer {
        path: path.to_path_buf(),
        format: Format::from_path(path).unwrap_or(Format::Csv),
        table: FeatureTable { fields, features },
        crs: None,
        encoding: table.encoding,
        warnings: Vec::new(),
    }
}

fn column_kind<'a>(values: impl Iterator<Item = &'a Value>) -> FieldKind {
    let mut kind: Option<FieldKind> = None;
    for v in values {
        let k = match v {
            Value::Null => continue,
            Value::Int(_) => FieldKind::Int,
            Value::Float(_) => FieldKind::Float,
            Value::Bool(_) => FieldKind::Bool,
            _ => return FieldKind::Text,
        };
        kind = Some(match (kind, k) {
            (None, k) => k,
            (Some(a), b) if a == b => a,
            (Some(FieldKind::Int), FieldKind::Float) | (Some(FieldKind::Float), FieldKind::Int) => FieldKind::Float,
            _ => return FieldKind::Text,
        });
    }
    kind.unwrap_or(FieldKind::Text)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn dms_forms() {
        let want = 112.0 + 41.0 / 60.0 + 42.4 / 3600.0;
        for s in ["112°41'42.4\"E", "112°41′42.4″", "112:41:42.4", "112度41分42.4秒", "E112 41 42.4"] {
            assert!((parse_coordinate(s).unwrap() - want).abs() < 1e-9, "{s}");
        }
        assert_eq!(parse_coordinate("23.5"), Some(23.5));
        assert!(parse_coordinate("23°75'").is_none());
        assert!(parse_coordinate("abc").is_none());
        assert!(parse_coordinate("33°51'S").unwrap() < 0.0);
    }

    #[test]
    fn gbk_csv_with_semicolons() {
        let text = "站名;经度;纬度;小区编码\n大沙站;112.7;23.4;0123\n";
        let bytes = encoding_rs::GBK.encode(text).0;
        let t = parse_csv(Path::new("s.csv"), &bytes, None).unwrap();
        assert_eq!(t.headers, vec!["站名", "经度", "纬度", "小区编码"]);
        assert_eq!(t.rows[0][0], Value::Text("大沙站".into()));
        assert_eq!(t.rows[0][3], Value::Text("0123".into()));
        assert_eq!(t.encoding.as_deref(), Some("GBK"));
        let l = table_to_layer(Path::new("s.csv"), t, None).unwrap();
        assert_eq!(l.table.features.len(), 1);
    }

    #[test]
    fn bad_coordinate_names_row_and_column() {
        let t = parse_csv(Path::new("s.csv"), "\u{feff}lon,lat\n112.7,23.4\n112.8,北\n".as_bytes(), None).unwrap();
        let e = table_to_layer(Path::new("s.csv"), t, None).unwrap_err();
        assert_eq!(e.location.record, Some(3));
        assert_eq!(e.location.field.as_deref(), Some("lat"));
    }

    #[test]
    fn headers_normalised() {
        assert_eq!(normalize_header(" 天线挂高(m) "), "天线挂高");
        assert_eq!(normalize_header("Antenna_Height"), "antennaheight");
    }
}
