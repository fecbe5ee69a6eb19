//! Terrain rasters: SRTM `.hgt` tiles and single-band GeoTIFF (int16/float32, nodata).

use crate::crs::Crs;
use crate::error::{InputError, Location, Result};
use crate::model::Raster;
use std::path::Path;

/// Largest raster accepted (cells); a header claiming more is refused before allocating.
const MAX_CELLS: u64 = 400_000_000;

/// A terrain model: heights in metres on a grid in some CRS.
#[derive(Debug, Clone)]
pub struct Terrain {
    /// The grid.
    pub raster: Raster,
    /// The grid's CRS (WGS84 for SRTM).
    pub crs: Crs,
    /// Where it came from.
    pub path: std::path::PathBuf,
}

impl Terrain {
    /// Ground height in metres at a WGS84 position (bilinear), `None` outside or on nodata.
    pub fn height_at(&self, lon: f64, lat: f64) -> Option<f32> {
        let (x, y) = if self.crs.epsg == Some(4326) || self.crs.epsg == Some(4490) { (lon, lat) } else { self.crs.from_wgs84(lon, lat)? };
        self.raster.interpolate(x, y)
    }

    /// [`Self::height_at`] at `n + 1` evenly spaced points from `a` to `b` (WGS84 lon/lat, both
    /// included; straight in lon/lat), appended to `out`; `false` as soon as one is missing.
    pub fn heights_along(&self, a: (f64, f64), b: (f64, f64), n: usize, out: &mut Vec<f64>) -> bool {
        if self.crs.epsg == Some(4326) || self.crs.epsg == Some(4490) {
            return self.raster.interpolate_line(a, b, n, out);
        }
        let n = n.max(1);
        for i in 0..=n {
            let t = i as f64 / n as f64;
            match self.height_at(a.0 + t * (b.0 - a.0), a.1 + t * (b.1 - a.1)) {
                Some(z) => out.push(z as f64),
                None => return false,
            }
        }
        true
    }

    /// WGS84 extent [min lon, min lat, max lon, max lat] (corners converted).
    pub fn extent_wgs84(&self) -> Option<[f64; 4]> {
        let r = &self.raster;
        let (x0, y1) = (r.origin_x, r.origin_y);
        let (x1, y0) = (x0 + r.cols as f64 * r.cell_w, y1 - r.rows as f64 * r.cell_h);
        let mut e = [f64::INFINITY, f64::INFINITY, f64::NEG_INFINITY, f64::NEG_INFINITY];
        for (x, y) in [(x0, y0), (x0, y1), (x1, y0), (x1, y1)] {
            let (lon, lat) = self.crs.to_wgs84(x, y)?;
            e = [e[0].min(lon), e[1].min(lat), e[2].max(lon), e[3].max(lat)];
        }
        Some(e)
    }
}

/// True for file names covplan reads as terrain.
pub fn is_terrain(path: &Path) -> bool {
    matches!(path.extension().and_then(|e| e.to_str()).map(str::to_ascii_lowercase).as_deref(), Some("hgt" | "tif" | "tiff"))
}

/// Reads a `.hgt` or GeoTIFF terrain file; `crs` overrides the GeoTIFF's own.
pub fn read(path: &Path, crs: Option<&Crs>) -> Result<Terrain> {
    let ext = path.extension().and_then(|e| e.to_str()).map(str::to_ascii_lowercase);
    let bytes = super::read_bytes(path)?;
    match ext.as_deref() {
        Some("hgt") => read_hgt(path, &bytes),
        _ => read_geotiff(path, &bytes, crs),
    }
}

/// Parses the tile's south-west corner from an SRTM name such as `N23E112.hgt`.
fn hgt_corner(path: &Path) -> Option<(f64, f64)> {
    let stem = path.file_stem()?.to_str()?.to_ascii_uppercase();
    let b = stem.as_bytes();
    if b.len() < 7 {
        return None;
    }
    let lat: f64 = stem.get(1..3)?.parse().ok()?;
    let lon: f64 = stem.get(4..7)?.parse().ok()?;
    let lat = match b[0] {
        b'N' => lat,
        b'S' => -lat,
        _ => return None,
    };
    let lon = match b[3] {
        b'E' => lon,
        b'W' => -lon,
        _ => return None,
    };
    Some((lon, lat))
}

/// Reads an SRTM `.hgt` tile: big-endian int16, 1201² (3″) or 3601² (1″), −32768 = void.
pub fn read_hgt(path: &Path, bytes: &[u8]) -> Result<Terrain> {
    let (lon, lat) = hgt_corner(path).ok_or_else(|| {
        InputError::in_file(path, "an SRTM file name must give its corner, like N23E112.hgt").with_hint("rename the file to its SRTM tile name")
    })?;
    let n = match bytes.len() {
        2_884_802 => 1201,
        25_934_402 => 3601,
        len => {
            return Err(InputError::in_file(path, format!("{len} bytes is not an SRTM tile (1201² or 3601² 16-bit heights)"))
                .with_hint("the file is truncated or not SRTM .hgt"));
        }
    };
    let values = bytes
        .chunks_exact(2)
        .map(|c| {
            let v = i16::from_be_bytes([c[0], c[1]]);
            if v == -32768 { f32::NAN } else { v as f32 }
        })
        .collect();
    let cell = 1.0 / (n - 1) as f64;
    Ok(Terrain {
        // SRTM samples sit on the integer-degree lines: the cells are centred on them.
        raster: Raster {
            first_cell: (0, 0),
            cols: n,
            rows: n,
            origin_x: lon - cell / 2.0,
            origin_y: lat + 1.0 + cell / 2.0,
            cell_w: cell,
            cell_h: cell,
            values,
        },
        crs: Crs::wgs84(),
        path: path.to_path_buf(),
    })
}

/// Reads a single-band GeoTIFF with ModelPixelScale and ModelTiepoint tags.
pub fn read_geotiff(path: &Path, bytes: &[u8], crs_override: Option<&Crs>) -> Result<Terrain> {
    use tiff::decoder::{Decoder, DecodingResult};
    use tiff::tags::Tag;
    let loc = Location::file(path);
    let terr = |e: tiff::TiffError| InputError::new(loc.clone(), format!("cannot read TIFF: {e}")).with_hint("the file is damaged or not a GeoTIFF");
    let mut dec = Decoder::new(std::io::Cursor::new(bytes)).map_err(terr)?;
    let (w, h) = dec.dimensions().map_err(terr)?;
    if (w as u64) * (h as u64) > MAX_CELLS {
        return Err(
            InputError::new(loc, format!("{w} × {h} cells is more than covplan reads at once ({MAX_CELLS})")).with_hint("clip the DEM to the project area")
        );
    }
    let spp = dec.find_tag_unsigned::<u16>(Tag::SamplesPerPixel).map_err(terr)?.unwrap_or(1);
    if spp != 1 {
        return Err(InputError::new(loc, format!("{spp} bands; a terrain model has one")).with_hint("export the height band alone"));
    }
    let scale = dec.find_tag(Tag::ModelPixelScaleTag).map_err(terr)?.map(|v| v.into_f64_vec()).transpose().map_err(terr)?;
    let tie = dec.find_tag(Tag::ModelTiepointTag).map_err(terr)?.map(|v| v.into_f64_vec()).transpose().map_err(terr)?;
    let (Some(scale), Some(tie)) = (scale, tie) else {
        return Err(InputError::new(loc, "no georeferencing (ModelPixelScale/ModelTiepoint tags)").with_hint("use a GeoTIFF, not a plain TIFF"));
    };
    if scale.len() < 2 || tie.len() < 6 || scale[0] <= 0.0 || scale[1] <= 0.0 {
        return Err(InputError::new(loc, "georeferencing tags are malformed"));
    }
    let nodata: Option<f64> = match dec.find_tag(Tag::GdalNodata).map_err(terr)? {
        Some(v) => v.into_string().ok().and_then(|s| s.trim_matches(char::from(0)).trim().parse().ok()),
        None => None,
    };
    let keys: Vec<u16> = dec.find_tag(Tag::GeoKeyDirectoryTag).map_err(terr)?.map(|v| v.into_u16_vec()).transpose().map_err(terr)?.unwrap_or_default();
    let key = |id: u16| keys.chunks_exact(4).skip(1).find(|k| k[0] == id && k[1] == 0).map(|k| k[3]);
    let pixel_is_point = key(1025) == Some(2);
    let crs = match (crs_override, key(3072).or(key(2048))) {
        (Some(c), _) => c.clone(),
        (None, Some(code)) if code != 32767 => Crs::from_epsg(code as u32).map_err(|e| InputError::new(loc.clone(), e))?,
        _ => {
            return Err(InputError::new(loc, "the GeoTIFF names no EPSG code").with_hint("set the terrain layer's crs in the project file or pass --crs"));
        }
    };
    let img = dec.read_image().map_err(terr)?;
    let mut values: Vec<f32> = match img {
        DecodingResult::I16(v) => v.into_iter().map(f32::from).collect(),
        DecodingResult::U16(v) => v.into_iter().map(f32::from).collect(),
        DecodingResult::I32(v) => v.into_iter().map(|x| x as f32).collect(),
        DecodingResult::F32(v) => v,
        DecodingResult::F64(v) => v.into_iter().map(|x| x as f32).collect(),
        DecodingResult::U8(v) => v.into_iter().map(f32::from).collect(),
        _ => return Err(InputError::new(loc, "unsupported sample type").with_hint("use int16 or float32 heights")),
    };
    if values.len() != (w as usize) * (h as usize) {
        return Err(InputError::new(loc, "pixel count does not match the image size"));
    }
    if let Some(nd) = nodata {
        values.iter_mut().filter(|v| (**v as f64 - nd).abs() < 1e-6).for_each(|v| *v = f32::NAN);
    }
    // Tiepoint maps raster (i, j) to model (x, y); with PixelIsPoint the point is a cell centre.
    let half = if pixel_is_point { 0.5 } else { 0.0 };
    let origin_x = tie[3] - (tie[0] + half) * scale[0];
    let origin_y = tie[4] + (tie[1] + half) * scale[1];
    Ok(Terrain {
        raster: Raster { first_cell: (0, 0), cols: w as usize, rows: h as usize, origin_x, origin_y, cell_w: scale[0], cell_h: scale[1], values },
        crs,
        path: path.to_path_buf(),
    })
}

/// Writes a single-band int16 GeoTIFF in lon/lat (EPSG:4326), for sample data and tests.
pub fn write_geotiff_i16(path: &Path, r: &Raster, nodata: i16) -> std::io::Result<()> {
    let data: Vec<i16> = r.values.iter().map(|v| if v.is_nan() { nodata } else { v.round() as i16 }).collect();
    let bytes = geotiff_bytes::<tiff::encoder::colortype::GrayI16>(r, 4326, &format!("{nodata}"), &data)?;
    crate::fsutil::atomic_write(path, &bytes)
}

/// Writes a single-band float32 GeoTIFF (nodata as NaN) in the CRS `epsg` (geographic 4326 or
/// 4490, else projected): every value exactly, for a shard's terrain window.
pub fn write_geotiff_f32(path: &Path, r: &Raster, epsg: u32) -> std::io::Result<()> {
    let bytes = geotiff_bytes::<tiff::encoder::colortype::Gray32Float>(r, epsg, "nan", &r.values)?;
    crate::fsutil::atomic_write(path, &bytes)
}

/// The GeoTIFF of `r` (its window's own origin in the tie point) with `data` as samples.
fn geotiff_bytes<C: tiff::encoder::colortype::ColorType>(r: &Raster, epsg: u32, nodata: &str, data: &[C::Inner]) -> std::io::Result<Vec<u8>>
where
    [C::Inner]: tiff::encoder::TiffValue,
{
    use tiff::encoder::TiffEncoder;
    use tiff::tags::Tag;
    let mut buf = std::io::Cursor::new(Vec::new());
    let err = |e: tiff::TiffError| std::io::Error::other(e.to_string());
    {
        let mut enc = TiffEncoder::new(&mut buf).map_err(err)?;
        let mut img = enc.new_image::<C>(r.cols as u32, r.rows as u32).map_err(err)?;
        let d = img.encoder();
        let (x0, y0) = (r.origin_x + r.first_cell.0 as f64 * r.cell_w, r.origin_y - r.first_cell.1 as f64 * r.cell_h);
        d.write_tag(Tag::ModelPixelScaleTag, &[r.cell_w, r.cell_h, 0.0][..]).map_err(err)?;
        d.write_tag(Tag::ModelTiepointTag, &[0.0, 0.0, 0.0, x0, y0, 0.0][..]).map_err(err)?;
        // GeoKeys: version 1.1.0, 3 keys: model type (geographic 2, projected 1), raster
        // PixelIsArea, and the EPSG code.
        let geographic = epsg == 4326 || epsg == 4490;
        let (model, key) = if geographic { (2, 2048) } else { (1, 3072) };
        let keys: [u16; 16] = [1, 1, 0, 3, 1024, 0, 1, model, 1025, 0, 1, 1, key, 0, 1, epsg as u16];
        d.write_tag(Tag::GeoKeyDirectoryTag, &keys[..]).map_err(err)?;
        d.write_tag(Tag::GdalNodata, nodata).map_err(err)?;
        img.write_data(data).map_err(err)?;
    }
    Ok(buf.into_inner())
}

/// What `covplan inspect` prints for a terrain file.
pub struct TerrainSummary(Terrain);

impl std::fmt::Display for TerrainSummary {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        let t = &self.0;
        let r = &t.raster;
        writeln!(f, "{}", t.path.display())?;
        writeln!(f, "  format    terrain raster")?;
        writeln!(f, "  crs       {}", t.crs.name)?;
        writeln!(f, "  grid      {} × {} cells of {} × {}", r.cols, r.rows, r.cell_w, r.cell_h)?;
        if let Some((lo, hi)) = r.min_max() {
            writeln!(f, "  heights   {lo} … {hi} m")?;
        }
        let nodata = r.values.iter().filter(|v| v.is_nan()).count();
        writeln!(f, "  nodata    {nodata} cells")?;
        if let Some(e) = t.extent_wgs84() {
            write!(f, "  extent    {:.6}, {:.6} … {:.6}, {:.6} (lon/lat)", e[0], e[1], e[2], e[3])?;
        }
        Ok(())
    }
}

/// Reads a terrain file and returns its printable summary.
pub fn summarize_file(path: &Path, crs: Option<&Crs>) -> Result<TerrainSummary> {
    read(path, crs).map(TerrainSummary)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn geotiff_round_trip_with_nodata() {
        let r = Raster {
            first_cell: (0, 0),
            cols: 3,
            rows: 2,
            origin_x: 112.5,
            origin_y: 23.5,
            cell_w: 0.001,
            cell_h: 0.001,
            values: vec![10.0, 20.0, f32::NAN, 40.0, 50.0, 60.0],
        };
        let p = std::env::temp_dir().join(format!("covplan-dem-{}.tif", std::process::id()));
        write_geotiff_i16(&p, &r, -9999).unwrap();
        let t = read(&p, None).unwrap();
        std::fs::remove_file(&p).unwrap();
        assert_eq!(t.crs.epsg, Some(4326));
        assert_eq!((t.raster.cols, t.raster.rows), (3, 2));
        assert!(t.raster.values[2].is_nan());
        assert_eq!(t.raster.sample(112.5015, 23.4995), Some(20.0));
        assert!((t.raster.origin_x - 112.5).abs() < 1e-12);
    }

    #[test]
    fn hgt_layout_and_void() {
        let n = 1201usize;
        let mut bytes = vec![0u8; n * n * 2];
        // Row 0 is the north edge: the north-west sample (lat 24, lon 112) gets 123 m; one void.
        bytes[0..2].copy_from_slice(&123i16.to_be_bytes());
        bytes[2..4].copy_from_slice(&(-32768i16).to_be_bytes());
        let t = read_hgt(Path::new("N23E112.hgt"), &bytes).unwrap();
        assert_eq!(t.raster.sample(112.0, 24.0), Some(123.0));
        assert_eq!(t.raster.sample(112.0 + 1.0 / 1200.0, 24.0), None);
        assert!(read_hgt(Path::new("N23E112.hgt"), &bytes[..100]).is_err());
        assert!(read_hgt(Path::new("dem.hgt"), &bytes).is_err());
    }
}
