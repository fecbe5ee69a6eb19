//! The planning model: settlements, buildings, networks and the land they sit on.
//!
//! Geometry here is always WGS84 lon/lat (degrees); distance work happens in the
//! local metric frame of the `spatial` module.

mod feature;
mod raster;
mod shared;

pub use feature::{Feature, FeatureTable, Field, FieldKind, Value, union_rect};
pub use raster::Raster;
pub use shared::Shared;

use geo::{MultiLineString, MultiPolygon, Point};
use serde::Serialize;

/// Which file and record a model object came from, so every figure can be traced.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct SourceRef {
    /// Layer name in the project (shared, not copied per feature).
    pub layer: std::sync::Arc<str>,
    /// 1-based record number in that layer's file.
    pub record: u64,
}

/// 自然村 (natural) or 行政村 (administrative) village.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, serde::Deserialize)]
#[serde(rename_all = "lowercase")]
pub enum VillageKind {
    /// 自然村: a settlement cluster.
    Natural,
    /// 行政村 / 社区: the grassroots administrative unit.
    Administrative,
}

/// A village or community, as a point or a polygon.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct Village {
    /// Identifier (the 12-digit statistical code for administrative villages, else the layer's id).
    pub id: String,
    /// Name, e.g. 大坑村.
    pub name: String,
    /// Natural or administrative.
    pub kind: VillageKind,
    /// Households (户数), when the layer has them.
    pub households: Option<f64>,
    /// Residents, when the layer has them.
    pub population: Option<f64>,
    /// Fixed-broadband subscribers, when the layer has them (penetration targets need them).
    pub subscribers: Option<f64>,
    /// 城乡分类代码 (111…220).
    pub urban_rural_code: Option<u16>,
    /// True when the code was inherited from the administrative village or area around it.
    pub urban_rural_inherited: bool,
    /// Statistical code of the administrative village this natural village belongs to.
    pub parent_code: Option<Box<str>>,
    /// 9-digit township code, when known.
    pub township_code: Option<Box<str>>,
    /// Representative point (the point itself, or an interior point of the polygon).
    pub location: Point<f64>,
    /// Village area, when given as a polygon (boxed: most villages are points, and a
    /// province holds a million of them).
    pub area: Option<Box<MultiPolygon<f64>>>,
    /// Where it came from.
    pub source: SourceRef,
}

impl Village {
    /// Urban (1xx) or rural (2xx) by the urban-rural code; `None` without a code.
    pub fn is_urban(&self) -> Option<bool> {
        self.urban_rural_code.map(|c| (100..200).contains(&c))
    }
}

/// A building footprint with its households.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct Building {
    /// Identifier from the layer, else the record number.
    pub id: String,
    /// Footprint.
    pub footprint: MultiPolygon<f64>,
    /// Households living in it (given, or estimated).
    pub households: f64,
    /// True when `households` was estimated from area × floors ÷ dwelling area.
    pub households_estimated: bool,
    /// Floors, when known.
    pub floors: Option<f64>,
    /// Height in metres, when known.
    pub height_m: Option<f64>,
    /// Index into the project's villages, after assignment.
    pub village: Option<usize>,
    /// Where it came from.
    pub source: SourceRef,
}

/// Radio access technology of a sector.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize)]
pub enum Tech {
    /// 2G GSM.
    Gsm,
    /// 3G (WCDMA, TD-SCDMA, CDMA2000).
    Umts,
    /// 4G LTE (FDD or TDD).
    Lte,
    /// 5G NR.
    Nr,
    /// NB-IoT.
    NbIot,
}

impl Tech {
    /// The name planners write: GSM, 3G, LTE, NR, NB-IoT.
    pub fn name(self) -> &'static str {
        match self {
            Tech::Gsm => "GSM",
            Tech::Umts => "3G",
            Tech::Lte => "LTE",
            Tech::Nr => "NR",
            Tech::NbIot => "NB-IoT",
        }
    }

    /// Parses the words operators use in site tables: LTE, 4G, TDD-LTE, NR, 5G, NB-IoT, WCDMA …
    pub fn parse(s: &str) -> Option<Tech> {
        let u = s.trim().to_ascii_uppercase().replace(['-', '_', ' '], "");
        Some(match u.as_str() {
            "LTE" | "4G" | "TDDLTE" | "FDDLTE" | "LTEFDD" | "LTETDD" | "TDLTE" | "FDD" | "TDD" | "EUTRAN" => Tech::Lte,
            "NR" | "5G" | "5GNR" | "NRSA" | "NRNSA" | "SA" | "NSA" => Tech::Nr,
            "NBIOT" | "NB" => Tech::NbIot,
            "3G" | "WCDMA" | "UMTS" | "TDSCDMA" | "CDMA2000" | "EVDO" => Tech::Umts,
            "2G" | "GSM" | "CDMA" | "DCS" => Tech::Gsm,
            _ => return None,
        })
    }
}

/// One sector (cell) of a mobile site, from an operator's site table (工参表).
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct Sector {
    /// Site name (站名).
    pub site: String,
    /// Cell name (小区名); unique within the layer.
    pub cell: String,
    /// Antenna position.
    pub position: Point<f64>,
    /// Technology.
    pub tech: Tech,
    /// Carrier frequency in MHz (converted from EARFCN/ARFCN when the table gives those).
    pub band_mhz: Option<f64>,
    /// Channel bandwidth in MHz.
    pub bandwidth_mhz: Option<f64>,
    /// Total transmit power in dBm (converted from W when the header says W).
    pub power_dbm: Option<f64>,
    /// Antenna gain in dBi.
    pub gain_dbi: Option<f64>,
    /// Antenna height above ground in metres (挂高).
    pub height_m: Option<f64>,
    /// Azimuth in degrees clockwise from north.
    pub azimuth_deg: Option<f64>,
    /// Total downtilt in degrees.
    pub tilt_deg: Option<f64>,
    /// Horizontal 3 dB beamwidth in degrees.
    pub beamwidth_deg: Option<f64>,
    /// Operator (运营商), e.g. 中国移动.
    pub operator: Option<String>,
    /// Where it came from.
    pub source: SourceRef,
}

/// A fiber cable route.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct FiberCable {
    /// Identifier.
    pub id: String,
    /// Route.
    pub route: MultiLineString<f64>,
    /// Where it came from.
    pub source: SourceRef,
}

/// Access technology of an access point (OLT/splitter or DSLAM).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
pub enum AccessTech {
    /// GPON, 2.5G down.
    Gpon,
    /// XG-PON, 10G down.
    XgPon,
    /// XGS-PON, 10G symmetric.
    XgsPon,
    /// EPON, 1G.
    Epon,
    /// Copper loop (ADSL/VDSL).
    Copper,
}

impl AccessTech {
    /// The name planners write: GPON, XG-PON, XGS-PON, EPON, xDSL.
    pub fn name(self) -> &'static str {
        match self {
            AccessTech::Gpon => "GPON",
            AccessTech::XgPon => "XG-PON",
            AccessTech::XgsPon => "XGS-PON",
            AccessTech::Epon => "EPON",
            AccessTech::Copper => "xDSL",
        }
    }

    /// Parses GPON, XG-PON, XGS-PON, 10G-PON, EPON, ADSL/VDSL/xDSL/铜缆.
    pub fn parse(s: &str) -> Option<AccessTech> {
        let u = s.trim().to_ascii_uppercase().replace(['-', '_', ' '], "");
        Some(match u.as_str() {
            "GPON" => AccessTech::Gpon,
            "XGPON" | "XGPON1" | "10GPON" => AccessTech::XgPon,
            "XGSPON" | "10GEPON" => AccessTech::XgsPon,
            "EPON" => AccessTech::Epon,
            "ADSL" | "VDSL" | "XDSL" | "DSL" | "COPPER" | "铜缆" | "铜线" => AccessTech::Copper,
            _ => return None,
        })
    }
}

/// A fiber access point (splitter box / OLT port group) or a copper DSLAM.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct AccessPoint {
    /// Identifier.
    pub id: String,
    /// Position.
    pub position: Point<f64>,
    /// Technology.
    pub tech: AccessTech,
    /// Split ratio (32 for 1:32), when known.
    pub split: Option<u32>,
    /// Ports in all.
    pub ports_total: Option<u32>,
    /// Ports in use.
    pub ports_used: Option<u32>,
    /// Where it came from.
    pub source: SourceRef,
}

/// A road.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct Road {
    /// Name, when given.
    pub name: Option<String>,
    /// Class (e.g. 国道, 县道, 乡道, 村道 or OSM kind).
    pub class: Option<String>,
    /// Centre line.
    pub line: MultiLineString<f64>,
    /// Where it came from.
    pub source: SourceRef,
}

/// An administrative area (county, township, …).
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct AdminArea {
    /// Statistical or adcode.
    pub code: Option<String>,
    /// Name, e.g. 四会市.
    pub name: String,
    /// Level (province, city, district/county, township …).
    pub level: Option<String>,
    /// Urban-rural code of the area, when given (natural villages inside may inherit it).
    pub urban_rural_code: Option<u16>,
    /// Boundary.
    pub boundary: MultiPolygon<f64>,
    /// Where it came from.
    pub source: SourceRef,
}

/// The operator a name means, for matching measurements to sectors: "中国移动", "移动", "CMCC"
/// and "China Mobile" all give "移动" (likewise 联通, 电信, 广电); other names are kept,
/// lower-cased and trimmed.
pub fn operator_key(name: &str) -> String {
    let n: String = name.trim().to_lowercase().chars().filter(|c| !c.is_whitespace()).collect();
    const ALIASES: &[(&str, &[&str])] = &[
        ("移动", &["移动", "cmcc", "chinamobile", "mobile"]),
        ("联通", &["联通", "cucc", "chinaunicom", "unicom"]),
        ("电信", &["电信", "ctcc", "chinatelecom", "telecom"]),
        ("广电", &["广电", "cbn", "chinabroadnet", "broadnet"]),
    ];
    ALIASES.iter().find(|(_, names)| names.iter().any(|a| n.contains(a))).map_or(n, |(key, _)| (*key).to_string())
}

/// One measurement at a point: a drive-test sample, an operator's measurement report (MR) or a
/// crowd-sourced speed test. Any value may be missing; each is as the tool wrote it.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct Measurement {
    /// Where it was taken (WGS84).
    pub position: Point<f64>,
    /// Serving RSRP (LTE) or SS-RSRP (NR), dBm.
    pub rsrp_dbm: Option<f64>,
    /// Serving RSRQ, dB.
    pub rsrq_db: Option<f64>,
    /// Serving SINR, dB.
    pub sinr_db: Option<f64>,
    /// Download throughput, Mb/s.
    pub dl_mbps: Option<f64>,
    /// Upload throughput, Mb/s.
    pub ul_mbps: Option<f64>,
    /// Operator, as written (matched against the sectors' operators).
    pub operator: Option<String>,
    /// Technology of the serving cell.
    pub tech: Option<Tech>,
    /// Serving cell as written: a cell name or an ECI/NCI/CGI (matched against the sectors' cells).
    pub cell: Option<String>,
    /// Serving physical cell id.
    pub pci: Option<u32>,
    /// When, as written (ISO 8601 or the tool's own format).
    pub time: Option<String>,
    /// Where it came from.
    pub source: SourceRef,
}

/// A point of interest (village committee, school, clinic, service centre, scenic spot …).
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct Poi {
    /// Name.
    pub name: String,
    /// Category as given (e.g. 村委会, 学校, 卫生室, 行政服务中心, 旅游景点, WLAN热点).
    pub category: String,
    /// Position.
    pub position: Point<f64>,
    /// Where it came from.
    pub source: SourceRef,
}
