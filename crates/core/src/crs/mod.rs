//! Coordinate reference systems: EPSG codes, ESRI `.prj` WKT, proj strings, and the
//! Chinese web-map offsets (GCJ-02, BD-09). Everything converts to WGS84 lon/lat.

mod esri;
pub mod gcj02;
pub mod tmerc;

use proj4rs::Proj;
use serde::{Deserialize, Serialize};
use std::fmt;

/// The obfuscation offset a layer carries on top of its CRS (data digitised from Chinese web maps).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default, Serialize, Deserialize)]
#[serde(rename_all = "lowercase")]
pub enum Offset {
    /// True coordinates.
    #[default]
    None,
    /// GCJ-02 (Amap, Tencent).
    Gcj02,
    /// BD-09 (Baidu).
    Bd09,
}

impl Offset {
    /// Parses `none`, `gcj02`, `bd09` (case-insensitive, `-` and `_` ignored).
    pub fn parse(s: &str) -> Option<Offset> {
        match s.to_ascii_lowercase().replace(['-', '_'], "").as_str() {
            "none" | "" | "wgs84" => Some(Offset::None),
            "gcj02" | "gcj" | "amap" => Some(Offset::Gcj02),
            "bd09" | "baidu" => Some(Offset::Bd09),
            _ => None,
        }
    }

    /// Removes the offset: offset lon/lat → WGS84 lon/lat.
    pub fn remove(self, lon: f64, lat: f64) -> (f64, f64) {
        match self {
            Offset::None => (lon, lat),
            Offset::Gcj02 => gcj02::gcj02_to_wgs84(lon, lat),
            Offset::Bd09 => gcj02::bd09_to_wgs84(lon, lat),
        }
    }
}

/// A coordinate reference system that can convert to and from WGS84 lon/lat.
#[derive(Clone)]
pub struct Crs {
    /// Human-readable name, e.g. "EPSG:4526" or the WKT's PROJCS name.
    pub name: String,
    /// EPSG code, when known.
    pub epsg: Option<u32>,
    /// The proj string it was built from.
    pub proj_string: String,
    proj: Proj,
    wgs84: Proj,
    fast: Fast,
}

/// Conversions that need no general datum machinery, done directly (and much faster).
#[derive(Clone, Copy)]
enum Fast {
    /// Lon/lat on WGS84 or CGCS2000: coordinates are already WGS84.
    LonLat,
    /// Gauss-Krüger or UTM on WGS84/GRS80.
    Tmerc(tmerc::TransverseMercator),
    /// Everything else goes through proj4rs.
    None,
}

impl fmt::Debug for Crs {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "Crs({} = {})", self.name, self.proj_string)
    }
}

impl PartialEq for Crs {
    fn eq(&self, other: &Self) -> bool {
        self.proj_string == other.proj_string
    }
}

const WGS84_PROJ: &str = "+proj=longlat +datum=WGS84 +no_defs";

crate::error::message_error!(
    /// Why a coordinate system could not be made: an EPSG code covplan does not know, a proj string
    /// or WKT that does not parse, datum parameters of the wrong count. The text says which.
    CrsError
);

impl Crs {
    /// WGS84 lon/lat (EPSG:4326).
    pub fn wgs84() -> Crs {
        Self::from_epsg(4326).expect("EPSG:4326 is built in")
    }

    /// From an EPSG code, e.g. 4490 (CGCS2000), 4526 (CGCS2000 GK zone 38), 2383 (Xi'an 80 GK CM 114E).
    pub fn from_epsg(code: u32) -> Result<Crs, CrsError> {
        let def = u16::try_from(code)
            .ok()
            .and_then(crs_definitions::from_code)
            .ok_or_else(|| CrsError(format!("EPSG:{code} is not a coordinate system covplan knows")))?;
        let mut crs = Self::from_proj_string(def.proj4)?;
        crs.name = format!("EPSG:{code}");
        crs.epsg = Some(code);
        Ok(crs)
    }

    /// From a proj string such as `+proj=tmerc +lon_0=114 +x_0=500000 +ellps=GRS80`.
    pub fn from_proj_string(s: &str) -> Result<Crs, CrsError> {
        let proj = Proj::from_proj_string(s).map_err(|e| CrsError(format!("bad proj string '{s}': {e}")))?;
        let fast = if tmerc::is_plain_lon_lat(s) { Fast::LonLat } else { tmerc::from_proj_string(s).map_or(Fast::None, Fast::Tmerc) };
        Ok(Crs {
            fast,
            name: s.to_string(),
            epsg: None,
            proj_string: s.to_string(),
            proj,
            wgs84: Proj::from_proj_string(WGS84_PROJ).expect("WGS84 proj string is valid"),
        })
    }

    /// From WKT as found in ESRI `.prj` files or OGC WKT1.
    ///
    /// Chinese ESRI names (CGCS2000_3_Degree_GK_Zone_38, Xian_1980_GK_CM_111E, Beijing_1954 …)
    /// and a top-level `AUTHORITY["EPSG", …]` map to EPSG codes; other WKT goes through proj4wkt.
    pub fn from_wkt(wkt: &str) -> Result<Crs, CrsError> {
        if let Some(code) = esri::epsg_of_wkt(wkt) {
            return Self::from_epsg(code);
        }
        let proj = proj4wkt::wkt_to_projstring(wkt).map_err(|e| CrsError(format!("cannot read this WKT: {e}")))?;
        let mut crs = Self::from_proj_string(&proj)?;
        crs.name = esri::wkt_name(wkt).unwrap_or_else(|| "WKT".into());
        Ok(crs)
    }

    /// Parses what a user types: `EPSG:4526`, `4526`, `CGCS2000`, `WGS84`, a proj string or WKT.
    pub fn parse(s: &str) -> Result<Crs, CrsError> {
        let t = s.trim();
        let upper = t.to_ascii_uppercase();
        if let Some(code) = upper.strip_prefix("EPSG:").or(Some(upper.as_str())).and_then(|c| c.parse::<u32>().ok()) {
            return Self::from_epsg(code);
        }
        match upper.as_str() {
            "WGS84" | "WGS 84" | "CRS84" => return Self::from_epsg(4326),
            "CGCS2000" => return Self::from_epsg(4490),
            "WEBMERCATOR" | "WEB MERCATOR" => return Self::from_epsg(3857),
            _ => {}
        }
        if t.starts_with('+') {
            return Self::from_proj_string(t);
        }
        if t.contains('[') {
            return Self::from_wkt(t);
        }
        if let Some(code) = esri::epsg_of_name(t) {
            return Self::from_epsg(code);
        }
        Err(CrsError(format!("'{s}' is not a CRS covplan understands (use EPSG:NNNN, a proj string or WKT)")))
    }

    /// True for geographic (lon/lat) systems.
    pub fn is_geographic(&self) -> bool {
        self.proj.is_latlong()
    }

    /// True when this CRS carries no shift to WGS84 though its datum is not WGS84-compatible
    /// (Xi'an 1980 without `+towgs84`): positions may be off by tens of metres.
    pub fn lacks_datum_shift(&self) -> bool {
        self.proj_string.contains("6378140") && !self.proj_string.contains("towgs84")
    }

    /// Returns a copy with a `+towgs84` datum shift (3 or 7 parameters) replacing any given one.
    pub fn with_towgs84(&self, params: &[f64]) -> Result<Crs, CrsError> {
        if params.len() != 3 && params.len() != 7 {
            return Err(CrsError(format!("towgs84 takes 3 or 7 numbers, got {}", params.len())));
        }
        let kept: Vec<&str> = self.proj_string.split_whitespace().filter(|p| !p.starts_with("+towgs84")).collect();
        let list: Vec<String> = params.iter().map(|p| p.to_string()).collect();
        let s = format!("{} +towgs84={}", kept.join(" "), list.join(","));
        let mut crs = Self::from_proj_string(&s)?;
        crs.name = format!("{} +towgs84", self.name);
        Ok(crs)
    }

    /// Converts one point from WGS84 lon/lat degrees to this CRS.
    pub fn from_wgs84(&self, lon: f64, lat: f64) -> Option<(f64, f64)> {
        match self.fast {
            Fast::LonLat => return Some((lon, lat)),
            Fast::Tmerc(tm) => return Some(tm.forward(lon, lat)),
            Fast::None => {}
        }
        let mut q = (lon.to_radians(), lat.to_radians(), 0.0);
        proj4rs::transform::transform(&self.wgs84, &self.proj, &mut q).ok()?;
        if self.is_geographic() { Some((q.0.to_degrees(), q.1.to_degrees())) } else { Some((q.0, q.1)) }
    }

    /// Converts one point from this CRS to WGS84 lon/lat degrees; `None` when it cannot be converted.
    pub fn to_wgs84(&self, x: f64, y: f64) -> Option<(f64, f64)> {
        let (lon, lat) = match self.fast {
            Fast::LonLat => (x, y),
            Fast::Tmerc(tm) => tm.inverse(x, y),
            Fast::None => {
                let mut q = if self.is_geographic() { (x.to_radians(), y.to_radians(), 0.0) } else { (x, y, 0.0) };
                proj4rs::transform::transform(&self.proj, &self.wgs84, &mut q).ok()?;
                (q.0.to_degrees(), q.1.to_degrees())
            }
        };
        (lon.is_finite() && lat.is_finite()).then_some((lon, lat))
    }

    /// ESRI-flavoured WKT for a `.prj` file, when the EPSG code is known.
    pub fn to_wkt(&self) -> Option<&'static str> {
        let code = u16::try_from(self.epsg?).ok()?;
        crs_definitions::from_code(code).map(|d| d.wkt)
    }
}

/// True when every coordinate lies within lon/lat bounds, i.e. the data looks geographic.
pub fn looks_like_lon_lat(extent: Option<geo::Rect<f64>>) -> bool {
    extent.is_some_and(|r| r.min().x >= -180.0 && r.max().x <= 180.0 && r.min().y >= -90.0 && r.max().y <= 90.0)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn gauss_kruger_zone_38_round_trip() {
        let crs = Crs::from_epsg(4526).unwrap();
        assert!(matches!(crs.fast, Fast::Tmerc(_)));
        let (x, y) = crs.from_wgs84(112.7, 23.34).unwrap();
        // Zone number in the false easting, 1.3° west of the CM 114°E.
        assert!((38_360_000.0..38_370_000.0).contains(&x), "{x}");
        assert!((2_580_000.0..2_590_000.0).contains(&y), "{y}");
        let (lon, lat) = crs.to_wgs84(x, y).unwrap();
        assert!((lon - 112.7).abs() < 1e-8 && (lat - 23.34).abs() < 1e-8);
    }

    #[test]
    fn gauss_kruger_central_meridian_is_exact() {
        // On the central meridian x is the false easting and y the meridian arc (GRS80, 23°: 2 544 537.6 m, by numeric integration).
        let crs = Crs::from_epsg(4547).unwrap(); // CGCS2000 3° CM 114E, no zone prefix
        let (x, y) = crs.from_wgs84(114.0, 23.0).unwrap();
        assert!((x - 500_000.0).abs() < 1e-3, "{x}");
        assert!((y - 2_544_537.6).abs() < 0.1, "{y}");
    }

    #[test]
    fn beijing_1954_has_its_datum_shift() {
        let bj = Crs::from_epsg(4214).unwrap();
        let (lon, lat) = bj.to_wgs84(116.0, 40.0).unwrap();
        // The Krasovsky → WGS84 shift moves points by tens of metres, not kilometres.
        let d = ((lon - 116.0).powi(2) + (lat - 40.0).powi(2)).sqrt() * 111_000.0;
        assert!((5.0..300.0).contains(&d), "{d} m");
    }

    #[test]
    fn fast_paths_agree_with_proj4rs() {
        for code in [4526, 4547, 4499, 32649, 32750, 4490, 4326] {
            let fast = Crs::from_epsg(code).unwrap();
            let mut slow = fast.clone();
            slow.fast = Fast::None;
            assert!(!matches!(fast.fast, Fast::None), "EPSG:{code} should have a fast path");
            for (lon, lat) in [(112.7, 23.34), (114.9, 22.1), (111.2, -8.5)] {
                let (a, b) = (fast.from_wgs84(lon, lat).unwrap(), slow.from_wgs84(lon, lat).unwrap());
                let tol = if fast.is_geographic() { 1e-9 } else { 1e-3 };
                assert!((a.0 - b.0).abs() < tol && (a.1 - b.1).abs() < tol, "EPSG:{code} {lon},{lat}: {a:?} vs {b:?}");
                let (c, d) = (fast.to_wgs84(a.0, a.1).unwrap(), slow.to_wgs84(a.0, a.1).unwrap());
                assert!((c.0 - d.0).abs() < 1e-8 && (c.1 - d.1).abs() < 1e-8, "EPSG:{code} inverse {c:?} vs {d:?}");
            }
        }
        // Datum-shifted and non-WGS ellipsoids keep the general path.
        assert!(matches!(Crs::from_epsg(2415).unwrap().fast, Fast::None));
        assert!(matches!(Crs::from_epsg(2383).unwrap().fast, Fast::None));
    }

    #[test]
    fn parse_forms() {
        assert_eq!(Crs::parse("EPSG:4490").unwrap().epsg, Some(4490));
        assert_eq!(Crs::parse("4526").unwrap().epsg, Some(4526));
        assert_eq!(Crs::parse("wgs84").unwrap().epsg, Some(4326));
        assert!(Crs::parse("EPSG:99999").is_err());
        assert!(Crs::parse("Mars").is_err());
        assert!(Crs::from_epsg(4610).unwrap().lacks_datum_shift());
        assert!(!Crs::from_epsg(4610).unwrap().with_towgs84(&[24.0, -123.0, -94.0]).unwrap().lacks_datum_shift());
    }

    #[test]
    fn web_mercator_and_utm() {
        let wm = Crs::from_epsg(3857).unwrap();
        let (x, _) = wm.from_wgs84(180.0, 0.0).unwrap();
        assert!((x - 20_037_508.34).abs() < 0.01);
        let utm = Crs::from_epsg(32649).unwrap();
        let (lon, lat) = utm.to_wgs84(500_000.0, 0.0).unwrap();
        assert!((lon - 111.0).abs() < 1e-9 && lat.abs() < 1e-9);
    }
}
