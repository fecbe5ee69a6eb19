//! Readers for the files planners have: shapefiles (also zipped), GeoJSON, GeoPackage,
//! KML/KMZ, site tables (CSV/XLSX), and terrain (SRTM .hgt, GeoTIFF).
//!
//! Every reader yields a [`RawLayer`] in the file's own coordinates; [`to_wgs84`] then
//! applies the CRS and the GCJ-02/BD-09 offset so the rest of covplan sees WGS84 lon/lat.

pub mod csv_table;
pub mod encoding;
pub mod geojson;
pub mod geoparquet;
pub mod gpkg;
pub mod kml;
pub mod shapefile;
pub mod sites;
pub mod terrain;
pub mod wkb;
pub mod zipped;

use crate::crs::{Crs, Offset, looks_like_lon_lat};
use crate::error::{InputError, Location, Result, Warning};
use crate::model::FeatureTable;
use encoding_rs::Encoding;
use geo::{Geometry, MapCoordsInPlace};
use std::path::{Path, PathBuf};

/// File formats covplan reads.
#[derive(Debug, Clone, Copy, PartialEq, Eq, serde::Serialize)]
#[serde(rename_all = "lowercase")]
pub enum Format {
    /// ESRI shapefile (.shp + .shx + .dbf + .prj + .cpg).
    Shapefile,
    /// A .zip holding a shapefile.
    ZippedShapefile,
    /// GeoJSON.
    GeoJson,
    /// OGC GeoPackage.
    GeoPackage,
    /// KML.
    Kml,
    /// Zipped KML.
    Kmz,
    /// GeoParquet (a WKB geometry column, lon/lat).
    GeoParquet,
    /// Comma-separated table.
    Csv,
    /// Excel workbook.
    Xlsx,
    /// SRTM height tile.
    Hgt,
    /// GeoTIFF raster.
    GeoTiff,
}

impl Format {
    /// The format a file name suggests, by its extension.
    pub fn from_path(path: &Path) -> Option<Format> {
        let ext = path.extension()?.to_str()?.to_ascii_lowercase();
        Some(match ext.as_str() {
            "shp" | "dbf" => Format::Shapefile,
            "zip" => Format::ZippedShapefile,
            "geojson" | "json" => Format::GeoJson,
            "gpkg" => Format::GeoPackage,
            "kml" => Format::Kml,
            "kmz" => Format::Kmz,
            "parquet" | "geoparquet" => Format::GeoParquet,
            "csv" | "txt" => Format::Csv,
            "xlsx" | "xlsm" | "xls" => Format::Xlsx,
            "hgt" => Format::Hgt,
            "tif" | "tiff" => Format::GeoTiff,
            _ => return None,
        })
    }
}

/// How to read a layer, from the project file or the command line.
#[derive(Debug, Clone, Default)]
pub struct ReadOptions {
    /// Text encoding when the file says nothing (see the DBF order in docs/DOMAIN.md).
    pub encoding: Option<&'static Encoding>,
    /// CRS to use instead of (or in the absence of) the file's own.
    pub crs: Option<Crs>,
    /// GCJ-02 or BD-09 offset on top of the CRS.
    pub offset: Offset,
    /// Sheet name for workbooks (default: the first sheet).
    pub sheet: Option<String>,
    /// Table name for GeoPackages (default: the only or first feature table).
    pub table: Option<String>,
    /// Longitude and latitude column names of a table, when not detected by name.
    pub xy_columns: Option<(String, String)>,
}

/// A layer as read from its file, before conversion to WGS84.
#[derive(Debug, Clone)]
pub struct RawLayer {
    /// The file read.
    pub path: PathBuf,
    /// Its format.
    pub format: Format,
    /// Fields and features in the file's coordinates.
    pub table: FeatureTable,
    /// The CRS the file declares (.prj, GeoJSON crs member, GeoPackage srs), if any.
    pub crs: Option<Crs>,
    /// The text encoding used and why, when the format has a choice.
    pub encoding: Option<String>,
    /// Oddities met while reading.
    pub warnings: Vec<Warning>,
}

/// Reads any supported vector or table file (not terrain: see [`terrain`]).
pub fn read_layer(path: &Path, opts: &ReadOptions) -> Result<RawLayer> {
    let Some(format) = Format::from_path(path) else {
        return Err(InputError::in_file(path, "unknown file type")
            .with_hint("covplan reads .shp, .zip (shapefile), .geojson, .gpkg, .kml, .kmz, .parquet (GeoParquet), .csv, .xlsx, .hgt, .tif"));
    };
    match format {
        Format::Shapefile => shapefile::read(path, opts),
        Format::ZippedShapefile => zipped::read_zipped_shapefile(path, opts),
        Format::GeoJson => geojson::read(path),
        Format::GeoPackage => gpkg::read(path, opts),
        Format::Kml => kml::read(path),
        Format::Kmz => kml::read_kmz(path),
        Format::GeoParquet => geoparquet::read_layer(path),
        Format::Csv | Format::Xlsx => csv_table::read_table_layer(path, opts),
        Format::Hgt | Format::GeoTiff => Err(InputError::in_file(path, "this is a terrain raster, not a vector layer")
            .with_hint("give it the role 'terrain' in the project file, or use covplan inspect")),
    }
}

/// Reads a file's bytes, refusing directories and naming the file on failure.
pub fn read_bytes(path: &Path) -> Result<Vec<u8>> {
    std::fs::read(path).map_err(|e| InputError::io(path, &e))
}

/// Where a layer's CRS came from, for reports.
#[derive(Debug, Clone, PartialEq, Eq, serde::Serialize)]
pub struct CrsChoice {
    /// The CRS name.
    pub name: String,
    /// "file", "setting" or "assumed".
    pub source: &'static str,
}

/// Converts a raw layer's geometry to WGS84 lon/lat in place: the setting's CRS (else the
/// file's, else WGS84 when coordinates look like lon/lat, with a warning), then the offset.
/// Coordinates that come out non-finite or outside lon/lat bounds are errors naming the record.
pub fn to_wgs84(layer: &mut RawLayer, opts: &ReadOptions) -> Result<CrsChoice> {
    let loc = Location::file(&layer.path);
    let (crs, choice) = match (&opts.crs, &layer.crs) {
        (Some(c), Some(f)) => {
            if c != f {
                layer.warnings.push(Warning::new(loc.clone(), format!("the layer setting {} overrides the file's CRS {}", c.name, f.name)));
            }
            (c.clone(), CrsChoice { name: c.name.clone(), source: "setting" })
        }
        (Some(c), None) => (c.clone(), CrsChoice { name: c.name.clone(), source: "setting" }),
        (None, Some(f)) => (f.clone(), CrsChoice { name: f.name.clone(), source: "file" }),
        (None, None) => match layer.table.extent() {
            Some(e) if !looks_like_lon_lat(Some(e)) => {
                return Err(InputError::new(
                    loc,
                    format!("no CRS given and coordinates ({:.0}, {:.0}) … ({:.0}, {:.0}) are not lon/lat", e.min().x, e.min().y, e.max().x, e.max().y),
                )
                .with_hint("add a .prj, or set crs = \"EPSG:4526\" (for example) for this layer in the project file, or pass --crs"));
            }
            extent => {
                if extent.is_some() {
                    layer.warnings.push(Warning::new(loc.clone(), "no CRS given (.prj missing); coordinates look like lon/lat, read as WGS84"));
                }
                (Crs::wgs84(), CrsChoice { name: "EPSG:4326".into(), source: "assumed" })
            }
        },
    };
    if crs.lacks_datum_shift() {
        layer
            .warnings
            .push(Warning::new(loc.clone(), format!("{} (Xi'an 1980) has no public datum shift to WGS84; positions may be off by tens of metres", crs.name)));
    }
    let offset = opts.offset;
    let geographic_wgs = crs.epsg == Some(4326);
    // Convert in parallel; each feature is independent, so the result does not depend on threads.
    use rayon::prelude::*;
    let bad = layer
        .table
        .features
        .par_iter_mut()
        .enumerate()
        .filter_map(|(i, f)| {
            let g = f.geometry.as_mut()?;
            if !geographic_wgs {
                g.map_coords_in_place(|c| {
                    let (x, y) = crs.to_wgs84(c.x, c.y).unwrap_or((f64::NAN, f64::NAN));
                    geo::Coord { x, y }
                });
            }
            if offset != Offset::None {
                g.map_coords_in_place(|c| {
                    let (x, y) = offset.remove(c.x, c.y);
                    geo::Coord { x, y }
                });
            }
            first_bad_coord(g).map(|b| (i, b))
        })
        .min_by_key(|(i, _)| *i);
    if let Some((i, bad)) = bad {
        return Err(InputError::new(
            loc.record(i as u64 + 1),
            format!("coordinate ({}, {}) is outside lon/lat bounds after conversion from {}", bad.0, bad.1, crs.name),
        )
        .with_hint("check the layer's CRS setting; projected data needs the right EPSG code"));
    }
    Ok(choice)
}

fn first_bad_coord(g: &Geometry<f64>) -> Option<(f64, f64)> {
    use geo::CoordsIter;
    g.coords_iter().find(|c| !(c.x.is_finite() && c.y.is_finite() && c.x.abs() <= 180.0 && c.y.abs() <= 90.0)).map(|c| (c.x, c.y))
}
