//! The `.dbf` attribute table: header checks, encoding evidence, typed values.
//!
//! Our own code, not the `dbase` crate (0.8, which the `shapefile` crate re-exports), for what
//! Chinese tables need and the crate does otherwise (read in its source, December 2026):
//! - it counts the fields from the header length instead of reading descriptors up to the 0x0D
//!   terminator, and refuses the whole file at the first field type it does not know; we stop
//!   at the terminator and read unknown types as text;
//! - it reads `F` columns as `f32`: a longitude of 112.123456789 comes back as 112.12345886;
//! - it skips records marked deleted without a trace; we warn, naming the first one;
//! - a cell that does not parse fails its record; we keep the record, read the cell as empty and
//!   warn once per column with the record, the field and the text;
//! - it decodes every cell; we decode ASCII without a decoder, copy a value repeated from the
//!   record before, and decode records in parallel.
//!
//! The encoding rules (`.cpg`, then the language driver, then the layer's setting, then UTF-8 if
//! all text is valid UTF-8 with a character cut at a field's end allowed, else GBK) are ours in
//! any case: the crate knows the language driver only.

use crate::error::{InputError, Location, Result, Warning};
use crate::io::encoding::{decode, is_utf8_allowing_cut_end};
use crate::model::{Feature, Field, FieldKind, Value};
use encoding_rs::{Encoding, GBK, UTF_8};

/// A DBF header and where its pieces are.
pub struct DbfHeader {
    /// Records claimed by the header (checked against the file size).
    pub num_records: usize,
    header_len: usize,
    record_len: usize,
    /// Language-driver byte (offset 29).
    pub ldid: u8,
    /// (raw name bytes, type char, offset in record, length, decimals)
    columns: Vec<(Vec<u8>, u8, usize, usize, u8)>,
}

/// Parses and checks the header against the file's real size.
pub fn parse_header(bytes: &[u8], loc: &Location) -> Result<DbfHeader> {
    if bytes.len() < 33 {
        return Err(InputError::new(loc.clone(), format!("file is {} bytes, too short for a DBF header", bytes.len()))
            .with_hint("the .dbf is empty or truncated; copy it again"));
    }
    let num_records = u32::from_le_bytes(bytes[4..8].try_into().unwrap()) as usize;
    let header_len = u16::from_le_bytes(bytes[8..10].try_into().unwrap()) as usize;
    let record_len = u16::from_le_bytes(bytes[10..12].try_into().unwrap()) as usize;
    let ldid = bytes[29];
    if header_len < 33 || header_len > bytes.len() {
        return Err(InputError::new(loc.clone(), format!("header length {header_len} is impossible for a {}-byte file", bytes.len())));
    }
    let mut columns = Vec::new();
    let mut offset = 1; // deletion flag
    let mut p = 32;
    while p + 32 <= header_len && bytes[p] != 0x0D {
        let d = &bytes[p..p + 32];
        let name_end = d[..11].iter().position(|&b| b == 0).unwrap_or(11);
        let len = d[16] as usize;
        columns.push((d[..name_end].to_vec(), d[11], offset, len, d[17]));
        offset += len;
        p += 32;
    }
    if offset > record_len {
        return Err(InputError::new(loc.clone(), format!("fields need {offset} bytes per record but the header says records are {record_len} bytes")));
    }
    let available = bytes.len() - header_len;
    let needed = (num_records as u128) * (record_len as u128);
    if needed > available as u128 {
        let whole = available / record_len.max(1);
        return Err(InputError::new(
            loc.record(whole as u64 + 1),
            format!("header claims {num_records} records of {record_len} bytes but the file holds only {whole} complete records (truncated or corrupt header)"),
        )
        .with_hint("the .dbf is damaged or does not belong to this .shp; re-export the layer"));
    }
    Ok(DbfHeader { num_records, header_len, record_len, ldid, columns })
}

impl DbfHeader {
    fn record<'a>(&self, bytes: &'a [u8], i: usize) -> &'a [u8] {
        let s = self.header_len + i * self.record_len;
        &bytes[s..s + self.record_len]
    }

    /// True when every text field and field name is UTF-8 (a cut-off last character allowed).
    pub fn text_is_utf8(&self, bytes: &[u8]) -> bool {
        if !self.columns.iter().all(|c| is_utf8_allowing_cut_end(&c.0)) {
            return false;
        }
        let text_cols: Vec<_> = self.columns.iter().filter(|c| c.1 == b'C').collect();
        (0..self.num_records).all(|i| {
            let r = self.record(bytes, i);
            text_cols.iter().all(|c| is_utf8_allowing_cut_end(trim_field(&r[c.2..c.2 + c.3])))
        })
    }

    /// True when record `i` (0-based) carries the deletion mark.
    pub fn is_deleted(&self, bytes: &[u8], i: usize) -> bool {
        self.record(bytes, i)[0] == b'*'
    }
}

fn trim_field(b: &[u8]) -> &[u8] {
    let end = b.iter().rposition(|&c| c != b' ' && c != 0).map_or(0, |p| p + 1);
    let start = b[..end].iter().position(|&c| c != b' ').unwrap_or(end);
    &b[start..end]
}

/// Decodes every record with `enc` into the values of `features` (one feature per record, in
/// record order, values still empty: a million rows are written where they stay instead of
/// being collected and moved), removes the features of records marked deleted, and returns the
/// columns. Odd values become Null with a warning naming record and field.
pub fn read_rows(bytes: &[u8], h: &DbfHeader, enc: &'static Encoding, loc: &Location, warnings: &mut Vec<Warning>, features: &mut Vec<Feature>) -> Vec<Field> {
    debug_assert_eq!(features.len(), h.num_records);
    let fields: Vec<Field> = h
        .columns
        .iter()
        .map(|(name, ty, _, _, dec)| Field {
            name: decode(name, enc).trim().to_string(),
            kind: match ty {
                b'N' | b'F' if *dec == 0 => FieldKind::Int,
                b'N' | b'F' | b'O' | b'B' => FieldKind::Float,
                b'I' | b'+' => FieldKind::Int,
                b'L' => FieldKind::Bool,
                b'D' => FieldKind::Date,
                _ => FieldKind::Text,
            },
        })
        .collect();
    // Rows decode in parallel; a numeric, logical or date cell that did not parse comes back as
    // text, and the sequential pass below turns it into a warning and an empty value.
    use rayon::prelude::*;
    features.par_iter_mut().enumerate().for_each_init(
        || vec![(&[][..], None); h.columns.len()],
        |last, (i, f)| {
            let r = h.record(bytes, i);
            f.values = h.columns.iter().zip(last.iter_mut()).map(|(col, last)| decode_or_repeat(&r[col.2..col.2 + col.3], col.1, col.4, enc, last)).collect();
        },
    );
    let typed: Vec<bool> = h.columns.iter().map(|c| matches!(c.1, b'N' | b'F' | b'L' | b'D')).collect();
    let mut bad: Vec<(usize, u64, String)> = Vec::new(); // (column, first record, sample) per bad column
    let mut bad_count = vec![0usize; fields.len()];
    let (mut first_deleted, mut n_deleted) = (None, 0usize);
    for (i, f) in features.iter_mut().enumerate() {
        if h.is_deleted(bytes, i) {
            first_deleted.get_or_insert(i);
            n_deleted += 1;
        }
        for (ci, v) in f.values.iter_mut().enumerate() {
            if typed[ci] && matches!(v, Value::Text(_)) {
                bad_count[ci] += 1;
                if bad_count[ci] == 1 {
                    bad.push((ci, i as u64 + 1, v.as_text().unwrap_or_default()));
                }
                *v = Value::Null;
            }
        }
    }
    for (ci, first, sample) in bad {
        warnings.push(Warning::new(
            loc.record(first).field(fields[ci].name.clone()),
            format!("'{sample}' is not a valid {:?} value; {} record(s) of this field read as empty", fields[ci].kind, bad_count[ci]),
        ));
    }
    if let Some(first) = first_deleted {
        warnings.push(Warning::new(loc.record(first as u64 + 1), format!("{n_deleted} record(s) are marked deleted in the DBF; they are skipped")));
        let mut i = 0;
        features.retain(|_| {
            i += 1;
            !h.is_deleted(bytes, i - 1)
        });
    }
    fields
}

/// [`decode_cell`], but a text cell whose bytes equal the column's cell in the record before
/// (`last`: those bytes, and their value once a repeat was seen) is copied instead of decoded
/// again: a column often repeats its value (a village kind, a township). Only a value seen twice
/// in a row is kept, so a column of distinct names costs no extra copy.
fn decode_or_repeat<'a>(raw: &'a [u8], ty: u8, dec: u8, enc: &'static Encoding, last: &mut (&'a [u8], Option<Value>)) -> Value {
    if !matches!(ty, b'C' | b'V') {
        return decode_cell(raw, ty, dec, enc);
    }
    if last.0 != raw {
        *last = (raw, None);
        return decode_cell(raw, ty, dec, enc);
    }
    last.1.get_or_insert_with(|| decode_cell(raw, ty, dec, enc)).clone()
}

/// One cell's value by its DBF type; text that does not parse as its type stays `Text`.
fn decode_cell(raw: &[u8], ty: u8, dec: u8, enc: &'static Encoding) -> Value {
    let t = trim_field(raw);
    match ty {
        b'C' | b'V' => {
            if t.is_empty() {
                Value::Null
            } else {
                Value::Text(decode(t, enc))
            }
        }
        b'N' | b'F' => parse_number(t, dec),
        b'L' => match t.first() {
            Some(b'T' | b't' | b'Y' | b'y') => Value::Bool(true),
            Some(b'F' | b'f' | b'N' | b'n') => Value::Bool(false),
            None | Some(b'?') => Value::Null,
            Some(_) => Value::Text(decode(t, enc)),
        },
        b'D' => parse_date(t),
        b'I' if raw.len() == 4 => Value::Int(i32::from_le_bytes(raw.try_into().unwrap()) as i64),
        b'O' | b'B' if raw.len() == 8 => Value::Float(f64::from_le_bytes(raw.try_into().unwrap())),
        _ => Value::Text(decode(t, enc)),
    }
}

fn parse_number(t: &[u8], dec: u8) -> Value {
    if t.is_empty() || t.iter().all(|&c| c == b'*' || c == b'?' || c == b'-') {
        return Value::Null;
    }
    let Ok(s) = std::str::from_utf8(t) else {
        return Value::Text(String::from_utf8_lossy(t).into_owned());
    };
    // Some European exporters write a decimal comma.
    let s: std::borrow::Cow<str> = if s.contains(',') { s.replace(',', ".").into() } else { s.into() };
    if dec == 0
        && let Ok(i) = s.parse::<i64>()
    {
        return Value::Int(i);
    }
    match s.parse::<f64>() {
        Ok(f) if f.is_finite() => Value::Float(f),
        _ => Value::Text(s.into_owned()),
    }
}

fn parse_date(t: &[u8]) -> Value {
    if t.is_empty() || t.iter().all(|&c| c == b'0') {
        return Value::Null;
    }
    let s = String::from_utf8_lossy(t);
    if t.len() == 8 && t.iter().all(u8::is_ascii_digit) {
        let y: i32 = s[0..4].parse().unwrap_or(0);
        let m: u8 = s[4..6].parse().unwrap_or(0);
        let d: u8 = s[6..8].parse().unwrap_or(0);
        if (1..=12).contains(&m) && (1..=31).contains(&d) {
            return Value::Date(y, m, d);
        }
    }
    Value::Text(s.into_owned())
}

/// How the text encoding of a DBF was decided, for `covplan inspect` and warnings.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum EncodingEvidence {
    /// From the `.cpg` file.
    Cpg(String),
    /// From the language-driver byte.
    LanguageDriver(u8),
    /// From the user's setting.
    Setting,
    /// All text was valid UTF-8.
    ValidUtf8,
    /// Text was not valid UTF-8, so GBK was assumed.
    FallbackGbk,
}

impl std::fmt::Display for EncodingEvidence {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        match self {
            EncodingEvidence::Cpg(s) => write!(f, ".cpg says '{s}'"),
            EncodingEvidence::LanguageDriver(b) => write!(f, "DBF language driver 0x{b:02X}"),
            EncodingEvidence::Setting => write!(f, "layer setting"),
            EncodingEvidence::ValidUtf8 => write!(f, "text is valid UTF-8"),
            EncodingEvidence::FallbackGbk => write!(f, "text is not UTF-8, read as GBK"),
        }
    }
}

/// Picks the encoding in the order of docs/DOMAIN.md: `.cpg`, language driver, setting,
/// then UTF-8 if all text is valid UTF-8, else GBK.
pub fn choose_encoding(
    cpg: Option<&str>,
    h: &DbfHeader,
    bytes: &[u8],
    setting: Option<&'static Encoding>,
    loc: &Location,
    warnings: &mut Vec<Warning>,
) -> (&'static Encoding, EncodingEvidence) {
    if let Some(label) = cpg {
        match crate::io::encoding::encoding_for_label(label) {
            Some(e) if e == UTF_8 && !h.text_is_utf8(bytes) => {
                warnings.push(Warning::new(loc.clone(), format!(".cpg says '{}' but the text is not valid UTF-8; read as GBK", label.trim())))
            }
            Some(e) => return (e, EncodingEvidence::Cpg(label.trim().to_string())),
            None => warnings.push(Warning::new(loc.clone(), format!(".cpg names an unknown encoding '{}'; ignored", label.trim()))),
        }
    }
    if let Some(e) = crate::io::encoding::encoding_for_ldid(h.ldid) {
        return (e, EncodingEvidence::LanguageDriver(h.ldid));
    }
    if let Some(e) = setting {
        return (e, EncodingEvidence::Setting);
    }
    if h.text_is_utf8(bytes) { (UTF_8, EncodingEvidence::ValidUtf8) } else { (GBK, EncodingEvidence::FallbackGbk) }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn numbers_dates_and_blanks() {
        assert_eq!(parse_number(b"27", 0), Value::Int(27));
        assert_eq!(parse_number(b"2.5", 2), Value::Float(2.5));
        assert_eq!(parse_number(b"", 0), Value::Null);
        assert_eq!(parse_number(b"****", 0), Value::Null);
        assert_eq!(parse_number(b"abc", 0), Value::Text("abc".into()));
        assert_eq!(parse_date(b"20210630"), Value::Date(2021, 6, 30));
        assert_eq!(parse_date(b"00000000"), Value::Null);
        assert_eq!(parse_date(b"20211340"), Value::Text("20211340".into()));
    }

    #[test]
    fn repeated_and_distinct_text_read_back_as_written() {
        use crate::model::{Feature, FeatureTable, Field, FieldKind};
        // Runs of one value (copied from the record before), distinct values, blanks between
        // equal values, ASCII and GBK text, over enough records to be read in parallel pieces.
        let kinds = ["自然村", "自然村", "行政村", "", "自然村", "Natural", "Natural"];
        let features: Vec<Feature> = (0..5000)
            .map(|i| Feature {
                geometry: None,
                values: vec![
                    Value::Text(format!("ZRC{i:05}")),
                    if kinds[i % 7].is_empty() { Value::Null } else { Value::Text(kinds[i % 7].into()) },
                    Value::Text(format!("第{}村", i / 3)),
                    Value::Int((i % 4) as i64),
                ],
            })
            .collect();
        let fields = ["编号", "类型", "名称", "户数"]
            .iter()
            .map(|n| Field { name: (*n).into(), kind: if *n == "户数" { FieldKind::Int } else { FieldKind::Text } })
            .collect();
        let table = FeatureTable { fields, features };
        let bytes = crate::io::shapefile::write::encode_dbf(&table, encoding_rs::GBK);
        let loc = Location::file("t.dbf");
        let header = parse_header(&bytes, &loc).unwrap();
        let mut read = vec![Feature::default(); header.num_records];
        read_rows(&bytes, &header, encoding_rs::GBK, &loc, &mut Vec::new(), &mut read);
        assert_eq!(read, table.features);
    }

    #[test]
    fn deleted_records_are_skipped_with_their_geometry() {
        use crate::model::{Feature, FeatureTable, Field, FieldKind};
        let feature = |i: usize| Feature { geometry: Some(geo::Geometry::Point(geo::Point::new(i as f64, 0.0))), values: vec![Value::Text(format!("R{i}"))] };
        let table = FeatureTable { fields: vec![Field { name: "编号".into(), kind: FieldKind::Text }], features: (0..5).map(feature).collect() };
        let mut bytes = crate::io::shapefile::write::encode_dbf(&table, encoding_rs::GBK);
        let loc = Location::file("t.dbf");
        let header = parse_header(&bytes, &loc).unwrap();
        for i in [1, 3] {
            bytes[header.header_len + i * header.record_len] = b'*';
        }
        // As the .shp gives them: geometries, no values yet.
        let mut read: Vec<Feature> = table.features.iter().map(|f| Feature { geometry: f.geometry.clone(), ..Feature::default() }).collect();
        let mut warnings = Vec::new();
        read_rows(&bytes, &header, encoding_rs::GBK, &loc, &mut warnings, &mut read);
        assert_eq!(read, vec![feature(0), feature(2), feature(4)]);
        assert_eq!(warnings.len(), 1);
        let w = warnings[0].to_string();
        assert!(w.contains("record 2") && w.contains("2 record(s) are marked deleted"), "{w}");
    }
}
