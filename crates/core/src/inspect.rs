//! Summaries of layers and files, as `covplan inspect` and `covplan layers` print them.

use crate::crs::Offset;
use crate::error::Result;
use crate::io::{self, CrsChoice, ReadOptions};
use crate::model::{Field, Value};
use serde::Serialize;
use std::path::Path;

/// What one layer holds, for humans (`Display`) and scripts (`--json`).
#[derive(Debug, Clone, Serialize)]
pub struct LayerSummary {
    /// Layer name (project) or file name.
    pub name: String,
    /// Role in the project (villages, buildings …), if any.
    pub role: Option<String>,
    /// The file.
    pub path: String,
    /// File format.
    pub format: io::Format,
    /// The CRS used and where it came from.
    pub crs: CrsChoice,
    /// GCJ-02/BD-09 offset removed, if any.
    pub offset: Offset,
    /// Text encoding and the evidence for it.
    pub encoding: Option<String>,
    /// Features read.
    pub features: usize,
    /// Attribute fields.
    pub fields: Vec<Field>,
    /// Extent in WGS84 lon/lat: [min lon, min lat, max lon, max lat].
    pub extent_wgs84: Option<[f64; 4]>,
    /// The first few records, as field → text, so the user can check the text decodes right.
    pub sample: Vec<Vec<(String, String)>>,
    /// For project layers: which column each model attribute was read from (attribute, column).
    pub mapping: Vec<(String, String)>,
    /// For project layers: columns no attribute uses (kept, not modelled).
    pub unmapped: Vec<String>,
    /// Warnings met while reading.
    pub warnings: Vec<String>,
}

impl std::fmt::Display for LayerSummary {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        match &self.role {
            Some(r) => writeln!(f, "{} [{r}]  {}", self.name, self.path)?,
            None => writeln!(f, "{}", self.path)?,
        }
        writeln!(f, "  format    {:?}", self.format)?;
        let offset = if self.offset == Offset::None { String::new() } else { format!(", offset {:?} removed", self.offset) };
        writeln!(f, "  crs       {} ({}){offset}", self.crs.name, self.crs.source)?;
        if let Some(e) = &self.encoding {
            writeln!(f, "  encoding  {e}")?;
        }
        writeln!(f, "  features  {}", self.features)?;
        let fields: Vec<String> = self.fields.iter().map(|x| format!("{}:{}", x.name, format!("{:?}", x.kind).to_lowercase())).collect();
        writeln!(f, "  fields    {}", fields.join(", "))?;
        if let Some(e) = self.extent_wgs84 {
            writeln!(f, "  extent    {:.6}, {:.6} … {:.6}, {:.6} (lon/lat)", e[0], e[1], e[2], e[3])?;
        }
        if !self.mapping.is_empty() {
            let m: Vec<String> = self.mapping.iter().map(|(a, c)| format!("{a} ← {c}")).collect();
            writeln!(f, "  mapping   {}", m.join(", "))?;
        }
        if !self.unmapped.is_empty() {
            writeln!(f, "  unused    {}", self.unmapped.join(", "))?;
        }
        for (i, rec) in self.sample.iter().enumerate() {
            let kv: Vec<String> = rec.iter().map(|(k, v)| format!("{k}={v}")).collect();
            writeln!(f, "  record {}  {}", i + 1, kv.join(" | "))?;
        }
        for w in &self.warnings {
            writeln!(f, "  warning   {w}")?;
        }
        Ok(())
    }
}

/// Reads one file and summarises it (`covplan inspect`).
pub fn inspect_file(path: &Path, opts: &ReadOptions) -> Result<LayerSummary> {
    let mut layer = io::read_layer(path, opts)?;
    let crs = io::to_wgs84(&mut layer, opts)?;
    Ok(summarize(&layer, crs, opts.offset, None, None))
}

/// Builds the summary of a layer already converted to WGS84.
pub fn summarize(layer: &io::RawLayer, crs: CrsChoice, offset: Offset, name: Option<&str>, role: Option<&str>) -> LayerSummary {
    let sample = layer
        .table
        .features
        .iter()
        .take(3)
        .map(|f| {
            layer
                .table
                .fields
                .iter()
                .zip(&f.values)
                .filter(|(_, v)| !matches!(v, Value::Null))
                .take(8)
                .map(|(fd, v)| (fd.name.clone(), v.as_text().unwrap_or_default()))
                .collect()
        })
        .collect();
    LayerSummary {
        name: name.map(str::to_string).unwrap_or_else(|| layer.path.file_name().map(|n| n.to_string_lossy().into_owned()).unwrap_or_default()),
        role: role.map(str::to_string),
        path: layer.path.display().to_string(),
        format: layer.format,
        crs,
        offset,
        encoding: layer.encoding.clone(),
        features: layer.table.features.len(),
        fields: layer.table.fields.clone(),
        extent_wgs84: layer.table.extent().map(|r| [r.min().x, r.min().y, r.max().x, r.max().y]),
        sample,
        mapping: Vec::new(),
        unmapped: Vec::new(),
        warnings: layer.warnings.iter().map(|w| w.to_string()).collect(),
    }
}
