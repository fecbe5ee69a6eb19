//! What-if scenarios: sector and access-point edits made in the app, kept in the project
//! file's `[scenario]` and applied on top of the layers. The layer files are never changed.

use super::Project;
use crate::error::{Location, Warning};
use crate::model::{AccessPoint, AccessTech, FiberCable, Sector, SourceRef, Tech};
use crate::spatial::PlanIndex;
use serde::{Deserialize, Serialize};
use std::sync::Arc;

/// `[scenario]`: sectors removed from the layers (by cell name) and sectors added or
/// replacing them. An edited sector is a removal of its cell plus its new version.
#[derive(Debug, Clone, PartialEq, Default, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct ScenarioSpec {
    /// Cell names (小区名) of layer sectors taken out.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub removed: Vec<String>,
    /// Sectors added (new, moved or edited).
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub sectors: Vec<ScenarioSector>,
    /// Ids of layer access points taken out.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub removed_access_points: Vec<String>,
    /// Access points added (new, moved or edited).
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub access_points: Vec<ScenarioAccessPoint>,
    /// Ids of layer cables taken out.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub removed_cables: Vec<String>,
    /// Cables added (new routes, or edited ones under their id).
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub cables: Vec<ScenarioCable>,
}

/// One fiber cable of a scenario: a route of at least two points.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct ScenarioCable {
    /// Identifier, unique among all cables.
    pub id: String,
    /// The route's vertices, WGS84 [lon, lat].
    pub route: Vec<[f64; 2]>,
}

crate::error::message_error!(
    /// Why a scenario object cannot be built (it is then left out with a warning): the text names
    /// the object and what is wrong with it.
    InvalidScenario
);

impl ScenarioCable {
    /// The model cable, or why not (fewer than two points, or a point off the globe).
    pub fn to_cable(&self, record: u64) -> Result<FiberCable, InvalidScenario> {
        if self.route.len() < 2 {
            return Err(InvalidScenario(format!("scenario cable '{}': a route needs two points at least, it has {}", self.id, self.route.len())));
        }
        if let Some(bad) = self.route.iter().find(|[lon, lat]| !(lon.abs() <= 180.0 && lat.abs() <= 90.0)) {
            return Err(InvalidScenario(format!("scenario cable '{}': point {bad:?} is not a WGS84 [lon, lat]", self.id)));
        }
        let line = geo::LineString::from(self.route.iter().map(|&[x, y]| geo::Coord { x, y }).collect::<Vec<_>>());
        Ok(FiberCable { id: self.id.clone(), route: geo::MultiLineString(vec![line]), source: SourceRef { layer: Arc::from(SCENARIO_LAYER), record } })
    }
}

impl ScenarioSpec {
    /// No edit at all.
    pub fn is_empty(&self) -> bool {
        self.removed.is_empty()
            && self.sectors.is_empty()
            && self.removed_access_points.is_empty()
            && self.access_points.is_empty()
            && self.removed_cables.is_empty()
            && self.cables.is_empty()
    }
}

/// One access point of a scenario (a new splitter box, OLT port group or DSLAM).
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct ScenarioAccessPoint {
    /// Identifier, unique among all access points.
    pub id: String,
    /// GPON, XG-PON, XGS-PON, EPON or xDSL.
    pub tech: String,
    /// WGS84 longitude.
    pub lon: f64,
    /// WGS84 latitude.
    pub lat: f64,
    /// Split ratio (32 for 1:32).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub split: Option<u32>,
    /// Ports in all.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub ports_total: Option<u32>,
    /// Ports in use.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub ports_used: Option<u32>,
}

impl ScenarioAccessPoint {
    /// The scenario form of an access point.
    pub fn of(a: &AccessPoint) -> ScenarioAccessPoint {
        ScenarioAccessPoint {
            id: a.id.clone(),
            tech: a.tech.name().to_string(),
            lon: a.position.x(),
            lat: a.position.y(),
            split: a.split,
            ports_total: a.ports_total,
            ports_used: a.ports_used,
        }
    }

    /// The model access point, or why not (an unknown technology).
    pub fn to_access_point(&self, record: u64) -> Result<AccessPoint, InvalidScenario> {
        let tech = AccessTech::parse(&self.tech).ok_or_else(|| {
            InvalidScenario(format!("scenario access point '{}': unknown tech '{}' (use GPON, XG-PON, XGS-PON, EPON or xDSL)", self.id, self.tech))
        })?;
        Ok(AccessPoint {
            id: self.id.clone(),
            position: geo::Point::new(self.lon, self.lat),
            tech,
            split: self.split,
            ports_total: self.ports_total,
            ports_used: self.ports_used,
            source: SourceRef { layer: Arc::from(SCENARIO_LAYER), record },
        })
    }
}

/// One sector of a scenario, with every parameter the radio model uses.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct ScenarioSector {
    /// Site name.
    pub site: String,
    /// Cell name, unique among all sectors.
    pub cell: String,
    /// Operator.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub operator: Option<String>,
    /// "LTE" or "NR".
    pub tech: String,
    /// WGS84 longitude.
    pub lon: f64,
    /// WGS84 latitude.
    pub lat: f64,
    /// Carrier frequency, MHz.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub band_mhz: Option<f64>,
    /// Bandwidth, MHz.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub bandwidth_mhz: Option<f64>,
    /// Total power, dBm.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub power_dbm: Option<f64>,
    /// Antenna gain, dBi.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub gain_dbi: Option<f64>,
    /// Height above ground, m.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub height_m: Option<f64>,
    /// Azimuth, degrees from north.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub azimuth_deg: Option<f64>,
    /// Downtilt, degrees.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub tilt_deg: Option<f64>,
    /// Horizontal beamwidth, degrees.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub beamwidth_deg: Option<f64>,
}

/// The layer name scenario sectors carry.
pub const SCENARIO_LAYER: &str = "scenario";

impl ScenarioSector {
    /// The scenario form of a sector.
    pub fn of(s: &Sector) -> ScenarioSector {
        ScenarioSector {
            site: s.site.clone(),
            cell: s.cell.clone(),
            operator: s.operator.clone(),
            tech: s.tech.name().to_string(),
            lon: s.position.x(),
            lat: s.position.y(),
            band_mhz: s.band_mhz,
            bandwidth_mhz: s.bandwidth_mhz,
            power_dbm: s.power_dbm,
            gain_dbi: s.gain_dbi,
            height_m: s.height_m,
            azimuth_deg: s.azimuth_deg,
            tilt_deg: s.tilt_deg,
            beamwidth_deg: s.beamwidth_deg,
        }
    }

    /// The model sector, or why not (an unknown technology).
    pub fn to_sector(&self, record: u64) -> Result<Sector, InvalidScenario> {
        let tech =
            Tech::parse(&self.tech).ok_or_else(|| InvalidScenario(format!("scenario sector '{}': unknown tech '{}' (use LTE or NR)", self.cell, self.tech)))?;
        Ok(Sector {
            site: self.site.clone(),
            cell: self.cell.clone(),
            position: geo::Point::new(self.lon, self.lat),
            tech,
            band_mhz: self.band_mhz,
            bandwidth_mhz: self.bandwidth_mhz,
            power_dbm: self.power_dbm,
            gain_dbi: self.gain_dbi,
            height_m: self.height_m,
            azimuth_deg: self.azimuth_deg,
            tilt_deg: self.tilt_deg,
            beamwidth_deg: self.beamwidth_deg,
            operator: self.operator.clone(),
            source: SourceRef { layer: Arc::from(SCENARIO_LAYER), record },
        })
    }
}

/// Layer objects minus the removed keys plus the scenario's own: warnings for removals that
/// match nothing and for scenario objects that cannot be built.
fn apply_edits<T: Clone, S>(
    layer: &[T],
    removed: &[String],
    added: &[S],
    key: impl Fn(&T) -> &str,
    build: impl Fn(&S, u64) -> Result<T, InvalidScenario>,
    what: &str,
    loc: &Location,
) -> (Vec<T>, Vec<Warning>) {
    let mut warnings = Vec::new();
    for k in removed {
        if !layer.iter().any(|t| key(t) == k) {
            warnings.push(Warning::new(loc.clone(), format!("scenario removes {what} '{k}', which no layer has; ignored")));
        }
    }
    let mut out: Vec<T> = layer.iter().filter(|t| !removed.iter().any(|k| k == key(t))).cloned().collect();
    for (i, s) in added.iter().enumerate() {
        match build(s, i as u64 + 1) {
            Ok(t) => out.push(t),
            Err(e) => warnings.push(Warning::new(loc.clone(), format!("{e}; ignored"))),
        }
    }
    (out, warnings)
}

/// The sectors of `layer_sectors` with `spec` applied, and warnings for removals that match
/// no cell and for sectors that cannot be built.
pub fn apply(layer_sectors: &[Sector], spec: &ScenarioSpec, project: &std::path::Path) -> (Vec<Sector>, Vec<Warning>) {
    let loc = Location::file(project).field("scenario".to_string());
    apply_edits(layer_sectors, &spec.removed, &spec.sectors, |s| &s.cell, |s, r| s.to_sector(r), "cell", &loc)
}

/// The access points of `layer_aps` with `spec` applied (see [`apply`]).
pub fn apply_access_points(layer_aps: &[AccessPoint], spec: &ScenarioSpec, project: &std::path::Path) -> (Vec<AccessPoint>, Vec<Warning>) {
    let loc = Location::file(project).field("scenario".to_string());
    apply_edits(layer_aps, &spec.removed_access_points, &spec.access_points, |a| &a.id, |a, r| a.to_access_point(r), "access point", &loc)
}

/// The cables of `layer_cables` with `spec` applied (see [`apply`]).
pub fn apply_cables(layer_cables: &[FiberCable], spec: &ScenarioSpec, project: &std::path::Path) -> (Vec<FiberCable>, Vec<Warning>) {
    let loc = Location::file(project).field("scenario".to_string());
    apply_edits(layer_cables, &spec.removed_cables, &spec.cables, |c| &c.id, |c, r| c.to_cable(r), "cable", &loc)
}

impl Project {
    /// This project with `spec` as its scenario: sectors and access points rebuilt from the
    /// layers' and re-indexed; everything else copied (buildings are not re-joined: neither
    /// has a part in the joins).
    pub fn with_scenario(&self, spec: &ScenarioSpec) -> Project {
        let mut p = self.clone();
        p.set_scenario(spec);
        p
    }

    /// Applies `spec` in place (see [`Project::with_scenario`]).
    pub fn set_scenario(&mut self, spec: &ScenarioSpec) {
        let (sectors, mut warnings) = apply(&self.layer_sectors, spec, &self.path);
        let (aps, w) = apply_access_points(&self.layer_access_points, spec, &self.path);
        warnings.extend(w);
        let (cables, w) = apply_cables(&self.layer_cables, spec, &self.path);
        warnings.extend(w);
        self.index.cables = PlanIndex::cable_index(&self.frame, &cables);
        self.data.cables = cables;
        self.index.sectors = PlanIndex::sector_index(&self.frame, &sectors);
        self.index.access_points = PlanIndex::access_point_index(&self.frame, &aps, false);
        self.index.copper_access_points = PlanIndex::access_point_index(&self.frame, &aps, true);
        self.data.sectors = sectors;
        self.data.access_points = aps;
        self.scenario_warnings = warnings;
        self.file.scenario = spec.clone();
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn sector(cell: &str) -> Sector {
        ScenarioSector {
            site: "S".into(),
            cell: cell.into(),
            operator: Some("中国移动".into()),
            tech: "LTE".into(),
            lon: 112.7,
            lat: 23.4,
            band_mhz: Some(1800.0),
            bandwidth_mhz: Some(20.0),
            power_dbm: Some(46.0),
            gain_dbi: Some(15.0),
            height_m: Some(30.0),
            azimuth_deg: Some(120.0),
            tilt_deg: Some(6.0),
            beamwidth_deg: Some(65.0),
        }
        .to_sector(0)
        .unwrap()
    }

    #[test]
    fn edits_replace_remove_and_add_and_survive_toml() {
        let layer = vec![sector("A1"), sector("A2")];
        let mut moved = ScenarioSector::of(&layer[1]);
        moved.lon = 112.8;
        let spec = ScenarioSpec {
            removed: vec!["A2".into(), "ZZ".into()],
            sectors: vec![moved, ScenarioSector { tech: "6G".into(), ..ScenarioSector::of(&layer[0]) }],
            ..Default::default()
        };
        let (out, w) = apply(&layer, &spec, std::path::Path::new("p.toml"));
        assert_eq!(out.iter().map(|s| (s.cell.as_str(), s.position.x())).collect::<Vec<_>>(), vec![("A1", 112.7), ("A2", 112.8)]);
        assert_eq!(w.len(), 2, "{w:?}");
        assert!(w[0].to_string().contains("'ZZ'") && w[1].to_string().contains("'6G'"));
        let ap = ScenarioAccessPoint {
            id: "AP9".into(),
            tech: "XGS-PON".into(),
            lon: 112.7,
            lat: 23.4,
            split: Some(64),
            ports_total: Some(16),
            ports_used: Some(0),
        };
        let with_ap = ScenarioSpec { removed_access_points: vec!["AP1".into()], access_points: vec![ap.clone()], ..Default::default() };
        let layer_aps = vec![ScenarioAccessPoint { id: "AP1".into(), ..ap.clone() }.to_access_point(1).unwrap()];
        let (aps, w) = apply_access_points(&layer_aps, &with_ap, std::path::Path::new("p.toml"));
        assert!(w.is_empty());
        assert_eq!(aps.iter().map(|a| (a.id.as_str(), a.tech)).collect::<Vec<_>>(), vec![("AP9", AccessTech::XgsPon)]);
        assert_eq!(ScenarioAccessPoint::of(&aps[0]), ap);
        let text = toml::to_string(&spec).unwrap();
        assert_eq!(toml::from_str::<ScenarioSpec>(&text).unwrap(), spec);
    }

    #[test]
    fn cables_are_removed_by_id_added_with_routes_and_bad_routes_warned() {
        let cable = |id: &str, route: Vec<[f64; 2]>| ScenarioCable { id: id.into(), route };
        let layer =
            vec![cable("C1", vec![[112.7, 23.4], [112.71, 23.4]]).to_cable(1).unwrap(), cable("C2", vec![[112.7, 23.5], [112.8, 23.5]]).to_cable(2).unwrap()];
        let spec = ScenarioSpec {
            removed_cables: vec!["C1".into(), "C9".into()],
            cables: vec![
                cable("新增光缆-1", vec![[112.6, 23.3], [112.62, 23.31], [112.63, 23.33]]),
                cable("bad", vec![[112.6, 23.3]]),
                cable("off", vec![[200.0, 23.0], [112.0, 23.0]]),
            ],
            ..Default::default()
        };
        let (out, w) = apply_cables(&layer, &spec, std::path::Path::new("p.toml"));
        assert_eq!(out.iter().map(|c| c.id.as_str()).collect::<Vec<_>>(), vec!["C2", "新增光缆-1"]);
        assert_eq!(out[1].route.0[0].0.len(), 3);
        let text: Vec<String> = w.iter().map(|w| w.to_string()).collect();
        assert_eq!(text.len(), 3, "{text:?}");
        assert!(text[0].contains("'C9'") && text[1].contains("two points") && text[2].contains("[200.0, 23.0]"), "{text:?}");
        assert!(!spec.is_empty());
        let toml_text = toml::to_string(&spec).unwrap();
        assert_eq!(toml::from_str::<ScenarioSpec>(&toml_text).unwrap(), spec);
    }
}
