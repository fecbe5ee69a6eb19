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
    /// `.shx` bytes, when present.
    pub shx: Option<Vec<u8>>,
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
    let shp = read_bytes(&shp_path)?;
    if shp.len() < 100 {
        // Say what is wrong with the .shp itself before looking for its companions.
        shp::parse(&shp, &Location::file(&shp_path))?;
    }
    let dbf_path = sibling(&shp_path, "dbf").ok_or_else(|| {
        InputError::in_file(&shp_path, "the .dbf beside this .shp is missing").with_hint("a shapefile needs its .shp, .shx and .dbf together; copy all of them")
    })?;
    let dbf = read_bytes(&dbf_path)?;
    let text = |ext: &str| -> Result<Option<String>> {
        match sibling(&shp_path, ext) {
            Some(p) => Ok(Some(super::encoding::decode_guess(&read_bytes(&p)?).0)),
            None => Ok(None),
        }
    };
    let parts = ShapefileParts { shp, dbf, shx: sibling(&shp_path, "shx").map(|p| read_bytes(&p)).transpose()?, prj: text("prj")?, cpg: text("cpg")? };
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
    let ShapefileParts { shp, dbf, shx, prj, cpg } = parts;
    let shp::ShpContents { mut features, .. } = shp::parse(&shp, &shp_loc)?;
    drop(shp); // the raw bytes are as big as the geometry: free them before decoding the table
    if let Some(shx) = &shx {
        let n = shx.len().saturating_sub(100) / 8;
        if n != features.len() {
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
