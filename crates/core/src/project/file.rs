//! The project file (TOML): which layers, in which role, read how, with which settings.
//! Unknown keys are errors with their line; saving is atomic.

use super::fields::Role;
use crate::crs::Offset;
use crate::error::{InputError, Location, Result};
use crate::model::VillageKind;
use serde::{Deserialize, Serialize};
use std::collections::BTreeMap;
use std::path::Path;

/// The whole project file.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct ProjectFile {
    /// Name and description.
    pub project: ProjectMeta,
    /// Model settings (defaults from docs/DOMAIN.md).
    #[serde(default)]
    pub settings: Settings,
    /// The layers, drawn and analysed in this order.
    #[serde(default)]
    pub layers: Vec<LayerSpec>,
    /// Coverage model settings (fiber, radio); defaults from docs/DOMAIN.md.
    #[serde(default, skip_serializing_if = "is_default_coverage")]
    pub coverage: crate::settings::CoverageSettings,
    /// How measurements calibrate the model and challenge verdicts (defaults in docs/GUIDE.md).
    #[serde(default, skip_serializing_if = "is_default_measurements")]
    pub measurements: crate::settings::MeasurementSettings,
    /// The policy profile to check and the named areas its targets may use.
    #[serde(default, skip_serializing_if = "AnalysisSpec::is_empty")]
    pub analysis: AnalysisSpec,
    /// What-if edits made in the app, applied on top of the layers.
    #[serde(default, skip_serializing_if = "super::ScenarioSpec::is_empty")]
    pub scenario: super::ScenarioSpec,
    /// The planner's standing instructions (hand decisions that survive a rerun).
    #[serde(default, skip_serializing_if = "PlanSpec::is_empty")]
    pub plan: PlanSpec,
}

/// `[plan]`: decisions a planner made by hand, which every rerun of `covplan plan` keeps.
/// (Works accepted into `[scenario]`, moved or edited there, are kept by being in it: a rerun
/// plans only what is still missing on top of them.)
#[derive(Debug, Clone, PartialEq, Default, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct PlanSpec {
    /// Villages (id or name) the planner leaves alone: a work dropped by hand.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub exclude: Vec<String>,
}

impl PlanSpec {
    /// No instruction at all.
    pub fn is_empty(&self) -> bool {
        self.exclude.is_empty()
    }
}

/// `[analysis]`: which profile, and named areas (e.g. a 百兆乡村 demo area).
#[derive(Debug, Clone, PartialEq, Default, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct AnalysisSpec {
    /// A built-in profile id or a profile file (relative to the project file).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub profile: Option<String>,
    /// Named areas, `[analysis.areas.NAME]`.
    #[serde(default, skip_serializing_if = "BTreeMap::is_empty")]
    pub areas: BTreeMap<String, AreaSpec>,
}

impl AnalysisSpec {
    fn is_empty(&self) -> bool {
        self.profile.is_none() && self.areas.is_empty()
    }
}

/// A named area: villages by id or name (an administrative village brings its natural villages),
/// and admin areas (townships …) by code or name, whose polygons it covers.
#[derive(Debug, Clone, PartialEq, Default, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct AreaSpec {
    /// Village ids or names.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub villages: Vec<String>,
    /// Admin area codes or names.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub admin_areas: Vec<String>,
}

fn is_default_measurements(m: &crate::settings::MeasurementSettings) -> bool {
    *m == crate::settings::MeasurementSettings::default()
}

fn is_default_coverage(c: &crate::settings::CoverageSettings) -> bool {
    *c == crate::settings::CoverageSettings::default()
}

/// Name and description of a project.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct ProjectMeta {
    /// Display name, e.g. "四会市 样例县".
    pub name: String,
    /// Free text.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub description: Option<String>,
}

/// Settings of the foundation (assignment of buildings, household estimates).
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields, default)]
pub struct Settings {
    /// With village points only, a building joins the nearest village point within this radius (m).
    pub building_village_radius_m: f64,
    /// Floor area of one dwelling (m²) for household estimates: footprint × floors ÷ this.
    pub dwelling_area_m2: f64,
    /// Storey height (m) to derive floors from a building height.
    pub storey_height_m: f64,
}

impl Default for Settings {
    fn default() -> Self {
        Settings { building_village_radius_m: 500.0, dwelling_area_m2: 100.0, storey_height_m: 3.0 }
    }
}

/// One layer: its role, its file and how to read it.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct LayerSpec {
    /// Unique name within the project.
    pub name: String,
    /// What it is.
    pub role: Role,
    /// File path, relative to the project file.
    pub path: String,
    /// Text encoding when the file does not say (GBK, UTF-8 …).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub encoding: Option<String>,
    /// CRS overriding the file's (EPSG:4526, a proj string or WKT).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub crs: Option<String>,
    /// Datum shift to WGS84 (3 or 7 numbers), e.g. for Xi'an 1980 data.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub towgs84: Option<Vec<f64>>,
    /// Chinese web-map offset of the coordinates.
    #[serde(default, skip_serializing_if = "is_no_offset")]
    pub offset: Offset,
    /// Sheet of a workbook.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub sheet: Option<String>,
    /// Table of a GeoPackage, or shapefile inside a zip.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub table: Option<String>,
    /// Village kind for villages layers without a kind column.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub village_kind: Option<VillageKind>,
    /// Shown or hidden (the app's layer panel).
    #[serde(default = "yes", skip_serializing_if = "is_true")]
    pub visible: bool,
    /// Attribute → column name, overriding detection.
    #[serde(default, skip_serializing_if = "BTreeMap::is_empty")]
    pub fields: BTreeMap<String, String>,
    /// Attribute → constant for columns the file lacks (e.g. operator = "中国移动").
    #[serde(default, skip_serializing_if = "BTreeMap::is_empty")]
    pub defaults: BTreeMap<String, String>,
}

fn is_no_offset(o: &Offset) -> bool {
    *o == Offset::None
}
fn yes() -> bool {
    true
}
fn is_true(b: &bool) -> bool {
    *b
}

impl LayerSpec {
    /// A layer with only the essentials set.
    pub fn new(name: &str, role: Role, path: &str) -> LayerSpec {
        LayerSpec {
            name: name.into(),
            role,
            path: path.into(),
            encoding: None,
            crs: None,
            towgs84: None,
            offset: Offset::None,
            sheet: None,
            table: None,
            village_kind: None,
            visible: true,
            fields: BTreeMap::new(),
            defaults: BTreeMap::new(),
        }
    }
}

/// 1-based line of a byte offset in `text`.
pub fn line_of_offset(text: &str, offset: usize) -> u64 {
    text[..offset.min(text.len())].matches('\n').count() as u64 + 1
}

impl ProjectFile {
    /// Parses project TOML; `path` names it in errors, which carry the line.
    pub fn parse(path: &Path, text: &str) -> Result<ProjectFile> {
        let pf: ProjectFile = toml::from_str(text).map_err(|e| {
            let line = e.span().map(|s| line_of_offset(text, s.start));
            let msg = e.message().to_string();
            let loc = Location { file: path.to_path_buf(), record: None, field: None };
            let line_txt = line.map(|l| format!("line {l}: ")).unwrap_or_default();
            InputError::new(loc, format!("{line_txt}{msg}")).with_hint("see docs/GUIDE.md 'Project file' for the keys a project file takes")
        })?;
        let mut seen = std::collections::BTreeSet::new();
        for l in &pf.layers {
            if !seen.insert(l.name.as_str()) {
                let line = text.find(&format!("\"{}\"", l.name)).map(|o| line_of_offset(text, o)).unwrap_or(0);
                return Err(InputError::in_file(path, format!("line {line}: two layers are named '{}'", l.name)).with_hint("give every layer its own name"));
            }
        }
        Ok(pf)
    }

    /// Reads and parses a project file.
    pub fn load(path: &Path) -> Result<ProjectFile> {
        let bytes = std::fs::read(path).map_err(|e| InputError::io(path, &e))?;
        let text = String::from_utf8(bytes).map_err(|_| InputError::in_file(path, "project file is not UTF-8 text").with_hint("save it as UTF-8"))?;
        Self::parse(path, &text)
    }

    /// The TOML text of this project.
    pub fn to_toml(&self) -> String {
        toml::to_string_pretty(self).expect("project file serialises")
    }

    /// Saves atomically (temporary file, then rename).
    pub fn save(&self, path: &Path) -> std::io::Result<()> {
        crate::fsutil::atomic_write(path, self.to_toml().as_bytes())
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    const GOOD: &str = r#"
[project]
name = "测试"

[settings]
dwelling_area_m2 = 120.0

[[layers]]
name = "村"
role = "villages"
path = "数据/村.shp"
encoding = "GBK"
offset = "gcj02"
[layers.fields]
households = "总户数"
"#;

    #[test]
    fn round_trip() {
        let p = ProjectFile::parse(Path::new("p.toml"), GOOD).unwrap();
        assert_eq!(p.layers[0].offset, Offset::Gcj02);
        assert_eq!(p.settings.dwelling_area_m2, 120.0);
        assert_eq!(p.settings.building_village_radius_m, 500.0);
        let again = ProjectFile::parse(Path::new("p.toml"), &p.to_toml()).unwrap();
        assert_eq!(again, p);
    }

    #[test]
    fn unknown_key_names_its_line() {
        let bad = GOOD.replace("encoding = \"GBK\"", "encodng = \"GBK\"");
        let e = ProjectFile::parse(Path::new("p.toml"), &bad).unwrap_err();
        assert!(e.message.starts_with("line 12:"), "{e}");
        assert!(e.message.contains("encodng"), "{e}");
        let bad_role = GOOD.replace("\"villages\"", "\"vilages\"");
        let e = ProjectFile::parse(Path::new("p.toml"), &bad_role).unwrap_err();
        assert!(e.message.contains("line 10") && e.message.contains("villages"), "{e}");
    }

    #[test]
    fn coverage_settings_with_defaults_and_line_numbers() {
        let text = format!("{GOOD}\n[coverage.fiber]\nconnection_distance_m = 500.0\n[coverage.radio]\nload = 0.7\n");
        let p = ProjectFile::parse(Path::new("p.toml"), &text).unwrap();
        assert_eq!(p.coverage.fiber.connection_distance_m, 500.0);
        assert_eq!(p.coverage.fiber.drop_distance_m, 300.0);
        assert_eq!(p.coverage.radio.load, 0.7);
        assert_eq!(ProjectFile::parse(Path::new("p.toml"), &p.to_toml()).unwrap(), p);
        let bad = format!("{GOOD}\n[coverage.radio]\nlod = 0.7\n");
        let e = ProjectFile::parse(Path::new("p.toml"), &bad).unwrap_err();
        assert!(e.message.contains("line 18") && e.message.contains("lod"), "{e}");
    }

    #[test]
    fn duplicate_layer_names() {
        let twice = format!("{GOOD}\n[[layers]]\nname = \"村\"\nrole = \"roads\"\npath = \"r.shp\"\n");
        assert!(ProjectFile::parse(Path::new("p.toml"), &twice).unwrap_err().message.contains("two layers"));
    }
}
