//! ESRI shapefiles: `.shp` geometry, `.dbf` attributes, `.prj` CRS, `.cpg` encoding, `.shx` check.

pub mod dbf;
pub mod shp;
pub mod write;

use super::{Format, RawLayer, ReadOptions, read_bytes};
use crate::crs::Crs;
use crate::error::{InputError, Location, Result, Warning};
use crate::model::{Feature, FeatureTable};
use std::path::{Path, PathBuf};

/// The sibling file of a shapefile with another extension, matching the case the user used
/// (`roads.SHP` → `roads.DBF` if that exists, else `roads.dbf`).
pub fn sibling(shp: &Path, ext: &str) -> Option<PathBuf> {
    for e in [ext.to_ascii_lowercase(), ext.to_ascii_uppercase()] {
        let p = shp.with_extension(&e);
        if p.is_file() {
            return Some(p);
        }
    }
    None
}

/// The in-memory parts of one shapefile, as read from disk or from a zip.
pub struct ShapefileParts {
    /// `.shp` bytes.
    pub shp: Vec<u8>,
    /// `.dbf` bytes.
    pub dbf: Vec<u8>,
    /// The `.shx` size in bytes, when present (it only checks the record count).
    pub shx_len: Option<u64>,
    /// `.prj` text, when present.
    pub prj: Option<String>,
    /// `.cpg` text, when present.
    pub cpg: Option<String>,
}

/// Reads a shapefile from disk (the path may name the `.shp` or the `.dbf`).
pub fn read(path: &Path, opts: &ReadOptions) -> Result<RawLayer> {
    let is_shp = path.extension().is_some_and(|e| e.eq_ignore_ascii_case("shp"));
    let shp_path = if is_shp { path.to_path_buf() } else { sibling(path, "shp").unwrap_or_else(|| path.with_extension("shp")) };
    if !shp_path.is_file() && path.extension().is_some_and(|e| e.eq_ignore_ascii_case("dbf")) {
        return read_dbf_alone(path, opts);
    }
    let dbf_path = sibling(&shp_path, "dbf");
    // The two big files side by side: reading is mostly the system handing out fresh pages,
    // which both cores can do.
    let (shp, dbf) = rayon::join(|| read_bytes(&shp_path), || dbf_path.as_deref().map(read_bytes));
    let shp = shp?;
    if shp.len() < 100 {
        // Say what is wrong with the .shp itself before looking for its companions.
        shp::parse(&shp, &Location::file(&shp_path))?;
    }
    let (Some(dbf_path), Some(dbf)) = (dbf_path, dbf) else {
        return Err(InputError::in_file(&shp_path, "the .dbf beside this .shp is missing")
            .with_hint("a shapefile needs its .shp, .shx and .dbf together; copy all of them"));
    };
    let dbf = dbf?;
    let text = |ext: &str| -> Result<Option<String>> {
        match sibling(&shp_path, ext) {
            Some(p) => Ok(Some(super::encoding::decode_guess(&read_bytes(&p)?).0)),
            None => Ok(None),
        }
    };
    let shx_len = match sibling(&shp_path, "shx") {
        Some(p) => Some(std::fs::metadata(&p).map_err(|e| InputError::io(&p, &e))?.len()),
        None => None,
    };
    let parts = ShapefileParts { shp, dbf, shx_len, prj: text("prj")?, cpg: text("cpg")? };
    from_parts(&shp_path, &dbf_path, parts, opts, Format::Shapefile)
}

/// Reads a `.dbf` that has no `.shp` beside it: an attribute table without positions.
fn read_dbf_alone(path: &Path, opts: &ReadOptions) -> Result<RawLayer> {
    let bytes = read_bytes(path)?;
    let loc = Location::file(path);
    let header = dbf::parse_header(&bytes, &loc)?;
    let cpg = match sibling(path, "cpg") {
        Some(p) => Some(super::encoding::decode_guess(&read_bytes(&p)?).0),
        None => None,
    };
    let mut warnings = vec![Warning::new(loc.clone(), "no .shp beside this .dbf; read as a table without positions")];
    let (enc, evidence) = dbf::choose_encoding(cpg.as_deref(), &header, &bytes, opts.encoding, &loc, &mut warnings);
    let mut features = vec![Feature::default(); header.num_records];
    let fields = dbf::read_rows(&bytes, &header, enc, &loc, &mut warnings, &mut features);
    Ok(RawLayer {
        path: path.to_path_buf(),
        format: Format::Shapefile,
        table: FeatureTable { fields, features },
        crs: None,
        encoding: Some(format!("{} ({evidence})", enc.name())),
        warnings,
    })
}

/// Builds a layer from a shapefile's parts; `shp_name` and `dbf_name` are used in messages.
pub fn from_parts(shp_name: &Path, dbf_name: &Path, parts: ShapefileParts, opts: &ReadOptions, format: Format) -> Result<RawLayer> {
    let mut warnings = Vec::new();
    let shp_loc = Location::file(shp_name);
    let dbf_loc = Location::file(dbf_name);
    let ShapefileParts { shp, dbf, shx_len, prj, cpg } = parts;
    let shp::ShpContents { mut features, .. } = shp::parse(&shp, &shp_loc)?;
    drop(shp); // the raw bytes are as big as the geometry: free them before decoding the table
    if let Some(shx_len) = shx_len {
        let n = shx_len.saturating_sub(100) / 8;
        if n != features.len() as u64 {
            warnings.push(Warning::new(
                Location::file(shp_name.with_extension("shx")),
                format!(".shx indexes {n} records but the .shp holds {}; the .shx is ignored", features.len()),
            ));
        }
    } else {
        warnings.push(Warning::new(shp_loc.clone(), ".shx is missing; read the .shp sequentially"));
    }
    let header = dbf::parse_header(&dbf, &dbf_loc)?;
    if header.num_records != features.len() {
        return Err(InputError::new(dbf_loc.clone(), format!("the .dbf holds {} records but the .shp {} shapes", header.num_records, features.len()))
            .with_hint("the files do not belong together or one was truncated; re-export the layer"));
    }
    let (enc, evidence) = dbf::choose_encoding(cpg.as_deref(), &header, &dbf, opts.encoding, &dbf_loc, &mut warnings);
    if let Some(setting) = opts.encoding
        && setting != enc
    {
        warnings.push(Warning::new(dbf_loc.clone(), format!("encoding setting {} ignored: {evidence} ({})", setting.name(), enc.name())));
    }
    let fields = dbf::read_rows(&dbf, &header, enc, &dbf_loc, &mut warnings, &mut features);
    drop(dbf);
    let crs = match &prj {
        Some(wkt) if !wkt.trim().is_empty() => match Crs::from_wkt(wkt) {
            Ok(c) => Some(c),
            Err(e) => {
                if opts.crs.is_none() {
                    return Err(InputError::in_file(shp_name.with_extension("prj"), e)
                        .with_hint("set the layer's crs (e.g. \"EPSG:4526\") in the project file or pass --crs"));
                }
                warnings.push(Warning::new(Location::file(shp_name.with_extension("prj")), format!("{e}; the layer setting is used")));
                None
            }
        },
        _ => None,
    };
    Ok(RawLayer {
        path: shp_name.to_path_buf(),
        format,
        table: FeatureTable { fields, features },
        crs,
        encoding: Some(format!("{} ({evidence})", enc.name())),
        warnings,
    })
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::model::{Field, FieldKind, Value};
    use geo::{Geometry, Point};

    /// A three-point shapefile in a fresh folder; returns the `.shp` path.
    fn three_points(name: &str) -> std::path::PathBuf {
        let dir = std::env::temp_dir().join(format!("covplan-shp-{name}-{}", std::process::id()));
        std::fs::create_dir_all(&dir).unwrap();
        let features = (0..3).map(|i| Feature { geometry: Some(Geometry::Point(Point::new(112.0 + i as f64, 23.0))), values: vec![Value::Int(i)] }).collect();
        let table = FeatureTable { fields: vec![Field { name: "户数".into(), kind: FieldKind::Int }], features };
        let shp = dir.join("村.shp");
        super::write::write_shapefile(&shp, shp::ShapeKind::Point, &table, None, encoding_rs::UTF_8).unwrap();
        shp
    }

    #[test]
    fn the_shx_checks_the_record_count_by_its_size() {
        let shp = three_points("shx");
        let layer = read(&shp, &ReadOptions::default()).unwrap();
        assert_eq!(layer.table.features.len(), 3);
        assert!(layer.warnings.iter().all(|w| !w.message.contains(".shx")), "{:?}", layer.warnings);
        // One index entry (8 bytes) short: read all three records, and say the .shx is off.
        let shx = shp.with_extension("shx");
        let bytes = std::fs::read(&shx).unwrap();
        std::fs::write(&shx, &bytes[..bytes.len() - 8]).unwrap();
        let layer = read(&shp, &ReadOptions::default()).unwrap();
        assert_eq!(layer.table.features.len(), 3);
        let w = layer.warnings.iter().find(|w| w.message.contains(".shx indexes 2 records but the .shp holds 3")).expect("a warning on the .shx");
        assert!(w.location.to_string().contains("村.shx"), "{}", w.location);
        std::fs::remove_file(&shx).unwrap();
        let layer = read(&shp, &ReadOptions::default()).unwrap();
        assert!(layer.warnings.iter().any(|w| w.message.contains(".shx is missing")), "{:?}", layer.warnings);
        std::fs::remove_dir_all(shp.parent().unwrap()).unwrap();
    }

    #[test]
    fn a_missing_dbf_is_named() {
        let shp = three_points("dbf");
        std::fs::remove_file(shp.with_extension("dbf")).unwrap();
        let e = read(&shp, &ReadOptions::default()).unwrap_err().to_string();
        assert!(e.contains("村.shp") && e.contains("the .dbf beside this .shp is missing"), "{e}");
        std::fs::remove_dir_all(shp.parent().unwrap()).unwrap();
    }
}
