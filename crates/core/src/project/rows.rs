//! Reading attribute values out of a layer's rows by attribute name, collecting one warning
//! per bad column (first record, sample value, count) instead of one per cell.

use super::fields::FieldMap;
use super::file::LayerSpec;
use crate::error::{Location, Warning};
use crate::io::RawLayer;
use crate::model::Value;
use std::borrow::Cow;
use std::collections::BTreeMap;
use std::sync::Mutex;

/// Bad values of one column: first record, a sample, how many, and why they are bad.
type BadValues = (u64, String, usize, &'static str);

/// Typed access to one layer's attributes.
pub struct Rows<'a> {
    /// The layer.
    pub layer: &'a RawLayer,
    /// Attribute → column.
    pub map: &'a FieldMap,
    /// The layer's settings (for constant defaults).
    pub spec: &'a LayerSpec,
    /// The file, for messages.
    pub loc: Location,
    /// The layer's name, shared by every object built from it.
    pub layer_name: std::sync::Arc<str>,
    bad: Mutex<BTreeMap<String, BadValues>>,
}

impl<'a> Rows<'a> {
    /// Wraps a layer.
    pub fn new(layer: &'a RawLayer, map: &'a FieldMap, spec: &'a LayerSpec) -> Self {
        Rows { layer, map, spec, loc: Location::file(&layer.path), layer_name: spec.name.as_str().into(), bad: Mutex::new(BTreeMap::new()) }
    }

    /// The column name of an attribute, if mapped.
    pub fn column(&self, attr: &str) -> Option<&str> {
        self.map.get(attr).map(|i| self.layer.table.fields[i].name.as_str())
    }

    fn raw(&self, i: usize, attr: &str) -> Option<&'a Value> {
        self.map.get(attr).map(|c| &self.layer.table.features[i].values[c])
    }

    /// Text of an attribute on feature `i` (0-based); the layer default when the column is missing or empty.
    pub fn text(&self, i: usize, attr: &str) -> Option<String> {
        self.text_ref(i, attr).map(Cow::into_owned)
    }

    /// [`Self::text`], borrowed where the layer holds it as text (no copy to read a word).
    pub fn text_ref(&self, i: usize, attr: &str) -> Option<Cow<'a, str>> {
        match self.raw(i, attr) {
            Some(Value::Text(s)) if !s.trim().is_empty() => Some(Cow::Borrowed(s.trim())),
            Some(v) if !v.is_empty() => v.as_text().map(Cow::Owned),
            _ => self.spec.defaults.get(attr).map(|d| Cow::Borrowed(d.as_str())),
        }
    }

    /// A number; text that is not one is recorded as a bad value of that column and read as empty.
    pub fn num(&self, i: usize, attr: &str) -> Option<f64> {
        let v = self.raw(i, attr);
        match v {
            Some(v) if !v.is_empty() => match v.as_f64().or_else(|| leading_number(&v.as_text().unwrap_or_default())) {
                Some(x) => Some(x),
                None => {
                    self.note_bad(i, attr, v.as_text().unwrap_or_default(), "is not a number");
                    None
                }
            },
            _ => self.spec.defaults.get(attr).and_then(|d| d.trim().parse().ok()),
        }
    }

    /// A number that must be ≥ 0 (households, floors, ports): negatives are bad values.
    pub fn non_negative(&self, i: usize, attr: &str) -> Option<f64> {
        let x = self.num(i, attr)?;
        if x < 0.0 {
            self.note_bad(i, attr, x.to_string(), "is negative");
            return None;
        }
        Some(x)
    }

    /// Records a bad value of `attr` on feature `i`.
    pub fn note_bad(&self, i: usize, attr: &str, sample: String, why: &'static str) {
        let mut bad = self.bad.lock().unwrap_or_else(|p| p.into_inner());
        // Rows may be read in parallel: keep the lowest record so the message does not depend on threads.
        let e = bad.entry(attr.to_string()).or_insert((i as u64 + 1, sample.clone(), 0, why));
        if i as u64 + 1 < e.0 {
            (e.0, e.1, e.3) = (i as u64 + 1, sample, why);
        }
        e.2 += 1;
    }

    /// One warning per column that had bad values.
    pub fn finish(self) -> Vec<Warning> {
        let map = self.map;
        let layer = self.layer;
        self.bad
            .into_inner()
            .unwrap_or_else(|p| p.into_inner())
            .into_iter()
            .map(|(attr, (rec, sample, n, why))| {
                let col = map.get(&attr).map(|c| layer.table.fields[c].name.clone()).unwrap_or(attr.clone());
                Warning::new(self.loc.record(rec).field(col), format!("'{sample}' {why} ({attr}); {n} record(s) like this read as empty"))
            })
            .collect()
    }
}

/// The number at the start of text like "20MHz", "100M", "35 m", "1:32" → 20, 100, 35, 1.
pub fn leading_number(s: &str) -> Option<f64> {
    let t = s.trim();
    let end = t.char_indices().find(|&(i, c)| !(c.is_ascii_digit() || c == '.' || (i == 0 && c == '-'))).map_or(t.len(), |(i, _)| i);
    if end == 0 || end == t.len() {
        return None; // no number, or the whole text (already tried as a number)
    }
    let rest = t[end..].trim_start();
    // Only units may follow; "3号楼" is not the number 3.
    let unit_like = rest.chars().all(|c| c.is_ascii_alphabetic() || "°%:：/ ".contains(c)) || ["米", "层", "户", "瓦"].iter().any(|u| rest.starts_with(u));
    if !unit_like {
        return None;
    }
    t[..end].parse().ok()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn numbers_with_units() {
        assert_eq!(leading_number("20MHz"), Some(20.0));
        assert_eq!(leading_number("35 m"), Some(35.0));
        assert_eq!(leading_number("6层"), Some(6.0));
        assert_eq!(leading_number("3号楼"), None);
        assert_eq!(leading_number("abc"), None);
    }
}
