//! Zipped shapefiles (how shapefiles arrive by e-mail) and the zip container of KMZ.
//! Entry names may be GBK (Chinese Windows zip tools) or UTF-8; both are decoded.

use super::shapefile::{ShapefileParts, from_parts};
use super::{Format, RawLayer, ReadOptions, read_bytes};
use crate::error::{InputError, Location, Result, Warning};
use std::io::Read;
use std::path::Path;

/// Largest entry unpacked (bytes); guards against zip bombs and lying headers.
const MAX_ENTRY: u64 = 4 << 30;

/// A zip read from bytes in memory (borrowed: a copy of the archive for a second thread costs nothing).
type Archive<'a> = zip::ZipArchive<std::io::Cursor<&'a [u8]>>;

fn open<'a>(path: &Path, bytes: &'a [u8]) -> Result<Archive<'a>> {
    zip::ZipArchive::new(std::io::Cursor::new(bytes))
        .map_err(|e| InputError::in_file(path, format!("not a readable zip: {e}")).with_hint("the download is incomplete or the file is not a zip"))
}

/// Decoded names of every entry, in archive order.
fn entry_names(path: &Path, z: &mut Archive) -> Result<Vec<String>> {
    (0..z.len())
        .map(|i| {
            let f = z.by_index(i).map_err(|e| InputError::in_file(path, format!("zip entry {}: {e}", i + 1)))?;
            Ok(super::encoding::decode_guess(f.name_raw()).0)
        })
        .collect()
}

/// The error for zip entry `name` of `path` that cannot be opened.
fn cannot_open(path: &Path, name: &str, e: zip::result::ZipError) -> InputError {
    InputError::new(Location::file(path).field(name.to_string()), format!("cannot open zip entry: {e}"))
}

fn extract(path: &Path, z: &mut Archive, i: usize, name: &str) -> Result<Vec<u8>> {
    let loc = Location::file(path).field(name.to_string());
    let f = z.by_index(i).map_err(|e| cannot_open(path, name, e))?;
    if f.size() > MAX_ENTRY {
        return Err(InputError::new(loc, format!("entry unpacks to {} bytes, more than covplan accepts", f.size())));
    }
    let mut out = Vec::with_capacity(f.size().min(1 << 28) as usize);
    f.take(MAX_ENTRY).read_to_end(&mut out).map_err(|e| InputError::new(loc, format!("cannot unpack: {e}")).with_hint("the zip is damaged"))?;
    Ok(out)
}

/// The first entry whose (decoded) name satisfies `pick`, as (name, bytes).
pub fn extract_first(path: &Path, bytes: &[u8], pick: impl Fn(&str) -> bool) -> Result<Option<(String, Vec<u8>)>> {
    let mut z = open(path, bytes)?;
    let names = entry_names(path, &mut z)?;
    match names.iter().position(|n| pick(n)) {
        Some(i) => Ok(Some((names[i].clone(), extract(path, &mut z, i, &names[i])?))),
        None => Ok(None),
    }
}

/// Reads a shapefile from a `.zip`. With several inside, `opts.table` names the one to read.
pub fn read_zipped_shapefile(path: &Path, opts: &ReadOptions) -> Result<RawLayer> {
    parse_zipped_shapefile(path, &read_bytes(path)?, opts)
}

/// [`read_zipped_shapefile`] on the zip's bytes; `path` names it in errors.
pub fn parse_zipped_shapefile(path: &Path, bytes: &[u8], opts: &ReadOptions) -> Result<RawLayer> {
    let mut z = open(path, bytes)?;
    let names = entry_names(path, &mut z)?;
    let lower: Vec<String> = names.iter().map(|n| n.to_lowercase()).collect();
    let shps: Vec<usize> = (0..names.len()).filter(|&i| lower[i].ends_with(".shp") && !lower[i].contains("__macosx")).collect();
    let chosen = match (shps.len(), &opts.table) {
        (0, _) => return Err(InputError::in_file(path, "the zip holds no .shp file").with_hint(format!("it holds: {}", names.join(", ")))),
        (_, Some(t)) => *shps
            .iter()
            .find(|&&i| {
                let stem = &names[i][..names[i].len() - 4];
                stem == t || stem.rsplit('/').next() == Some(t.as_str())
            })
            .ok_or_else(|| {
                InputError::in_file(path, format!("no shapefile '{t}' in the zip"))
                    .with_hint(format!("it holds: {}", shps.iter().map(|&i| names[i].as_str()).collect::<Vec<_>>().join(", ")))
            })?,
        (1, None) => shps[0],
        (_, None) => {
            return Err(InputError::in_file(path, format!("the zip holds {} shapefiles", shps.len())).with_hint(format!(
                "name one with table = \"…\" in the project file: {}",
                shps.iter().map(|&i| names[i].as_str()).collect::<Vec<_>>().join(", ")
            )));
        }
    };
    let stem = lower[chosen][..lower[chosen].len() - 4].to_string();
    let find = |ext: &str| lower.iter().position(|n| *n == format!("{stem}.{ext}"));
    let shp_name = path.join(&names[chosen]);
    let dbf_i = find("dbf").ok_or_else(|| {
        InputError::new(Location::file(&shp_name), "the .dbf beside this .shp is missing from the zip")
            .with_hint("zip the .shp, .shx, .dbf, .prj and .cpg together")
    })?;
    let dbf_name = path.join(&names[dbf_i]);
    let mut text = |ext: &str| -> Result<Option<String>> {
        match find(ext) {
            Some(i) => Ok(Some(super::encoding::decode_guess(&extract(path, &mut z, i, &names[i])?).0)),
            None => Ok(None),
        }
    };
    let prj = text("prj")?;
    let cpg = text("cpg")?;
    // The two big entries unpack side by side (each is one deflate stream, on one core).
    let mut z2 = z.clone();
    let (shp, dbf) = rayon::join(|| extract(path, &mut z, chosen, &names[chosen]), || extract(path, &mut z2, dbf_i, &names[dbf_i]));
    let parts = ShapefileParts {
        shp: shp?,
        dbf: dbf?,
        shx_len: match find("shx") {
            Some(i) => Some(z.by_index(i).map_err(|e| cannot_open(path, &names[i], e))?.size()),
            None => None,
        },
        prj,
        cpg,
    };
    let mut layer = from_parts(&shp_name, &dbf_name, parts, opts, Format::ZippedShapefile)?;
    if shps.len() > 1 {
        layer.warnings.push(Warning::new(Location::file(path), format!("the zip holds {} shapefiles; read {}", shps.len(), names[chosen])));
    }
    Ok(layer)
}
