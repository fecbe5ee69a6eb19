//! Generic attributed features: what every reader yields before roles give them meaning.

use geo::{Geometry, Rect};

/// One attribute value, as read from a DBF, GeoJSON property, CSV cell or SQLite column.
#[derive(Debug, Clone, PartialEq)]
pub enum Value {
    /// Empty cell, DBF blank, JSON null.
    Null,
    /// Text, already decoded to UTF-8.
    Text(String),
    /// Whole number.
    Int(i64),
    /// Real number.
    Float(f64),
    /// True/false (DBF logical, JSON boolean).
    Bool(bool),
    /// Calendar date (DBF `D`), as year, month, day.
    Date(i32, u8, u8),
}

impl Value {
    /// The value as a number, when it is one or is text holding one (e.g. "27", " 3.5 ").
    pub fn as_f64(&self) -> Option<f64> {
        match self {
            Value::Int(i) => Some(*i as f64),
            Value::Float(f) if f.is_finite() => Some(*f),
            Value::Text(s) => s.trim().parse::<f64>().ok().filter(|f| f.is_finite()),
            _ => None,
        }
    }

    /// The value as display text (numbers formatted without trailing noise).
    pub fn as_text(&self) -> Option<String> {
        match self {
            Value::Null => None,
            Value::Text(s) => Some(s.clone()),
            Value::Int(i) => Some(i.to_string()),
            Value::Float(f) => Some(if f.fract() == 0.0 && f.abs() < 1e15 { format!("{}", *f as i64) } else { f.to_string() }),
            Value::Bool(b) => Some(b.to_string()),
            Value::Date(y, m, d) => Some(format!("{y:04}-{m:02}-{d:02}")),
        }
    }

    /// True for `Null` and for text that is blank.
    pub fn is_empty(&self) -> bool {
        match self {
            Value::Null => true,
            Value::Text(s) => s.trim().is_empty(),
            _ => false,
        }
    }
}

/// The type of an attribute column.
#[derive(Debug, Clone, Copy, PartialEq, Eq, serde::Serialize)]
#[serde(rename_all = "lowercase")]
pub enum FieldKind {
    /// Text.
    Text,
    /// Whole numbers.
    Int,
    /// Real numbers.
    Float,
    /// Booleans.
    Bool,
    /// Dates.
    Date,
}

/// One attribute column of a layer.
#[derive(Debug, Clone, PartialEq, serde::Serialize)]
pub struct Field {
    /// Column name as found in the file (decoded).
    pub name: String,
    /// Column type.
    pub kind: FieldKind,
}

/// One feature: geometry (absent for a null shape or a table row) and values, one per field.
#[derive(Debug, Clone, Default, PartialEq)]
pub struct Feature {
    /// Geometry in the layer's coordinates (source CRS until transformed).
    pub geometry: Option<Geometry<f64>>,
    /// Values in field order.
    pub values: Vec<Value>,
}

/// A read layer: fields and features.
#[derive(Debug, Clone, Default, PartialEq)]
pub struct FeatureTable {
    /// Attribute columns.
    pub fields: Vec<Field>,
    /// The features, in file order.
    pub features: Vec<Feature>,
}

impl FeatureTable {
    /// Index of the field named `name` (exact match first, then case-insensitive).
    pub fn field_index(&self, name: &str) -> Option<usize> {
        self.fields.iter().position(|f| f.name == name).or_else(|| self.fields.iter().position(|f| f.name.eq_ignore_ascii_case(name)))
    }

    /// Bounding box of every geometry, if any.
    pub fn extent(&self) -> Option<Rect<f64>> {
        use geo::BoundingRect;
        use rayon::prelude::*;
        // In parallel (a million footprints): a union of boxes is exact in any order.
        self.features.par_iter().filter_map(|f| f.geometry.as_ref()?.bounding_rect()).reduce_with(union_rect)
    }
}

/// The smallest rectangle holding both.
pub fn union_rect(a: Rect<f64>, b: Rect<f64>) -> Rect<f64> {
    Rect::new((a.min().x.min(b.min().x), a.min().y.min(b.min().y)), (a.max().x.max(b.max().x), a.max().y.max(b.max().y)))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn numbers_from_text() {
        assert_eq!(Value::Text(" 27 ".into()).as_f64(), Some(27.0));
        assert_eq!(Value::Text("二十".into()).as_f64(), None);
        assert_eq!(Value::Float(f64::NAN).as_f64(), None);
        assert_eq!(Value::Float(3.0).as_text().unwrap(), "3");
    }
}
