//! Target profiles: one TOML file per policy document (assets/profiles/), each target with its
//! original wording, what it applies to, a condition, a requirement and, for share targets,
//! the share rule. Users copy a profile, edit it and load it by path; a malformed profile gets
//! an error naming the file, the line and the allowed values.

use crate::error::{InputError, Result};
use crate::project::file::line_of_offset;
use serde::{Deserialize, Serialize};
use std::path::{Path, PathBuf};

/// The built-in profiles: (id, TOML text).
pub const BUILT_IN: &[(&str, &str)] = &[
    ("zhaoqing-2020", include_str!("../../../../assets/profiles/zhaoqing-2020.toml")),
    ("guangdong-2020", include_str!("../../../../assets/profiles/guangdong-2020.toml")),
    ("hunan-2015", include_str!("../../../../assets/profiles/hunan-2015.toml")),
    ("hunan-2020", include_str!("../../../../assets/profiles/hunan-2020.toml")),
    ("national-demo-2016", include_str!("../../../../assets/profiles/national-demo-2016.toml")),
    ("tianjin-2020", include_str!("../../../../assets/profiles/tianjin-2020.toml")),
];

/// A policy document's checkable targets.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Profile {
    /// Which document and milestone.
    pub profile: ProfileMeta,
    /// The targets, in the document's order.
    #[serde(rename = "target")]
    pub targets: Vec<Target>,
}

/// The document a profile transcribes.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct ProfileMeta {
    /// Short id, e.g. "zhaoqing-2020" (also the file name of a built-in profile).
    pub id: String,
    /// The document's title in the original.
    pub title: String,
    /// Its reference number (文号), e.g. "肇府函〔2018〕627号".
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub reference: Option<String>,
    /// The file of the policy document the targets cite (in docs/policy/ for the built-in profiles).
    pub document: String,
    /// The milestone year the thresholds belong to.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub year: Option<u16>,
}

/// One checkable target of a policy document.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Target {
    /// Stable id, e.g. "zq.village20_fiber".
    pub id: String,
    /// The original wording (Chinese), as cited in reports.
    pub text: String,
    /// What it means for the planner, in English.
    pub gloss: String,
    /// The seed document it cites.
    pub cites: String,
    /// What it is checked on.
    pub applies_to: Subject,
    /// Only urban or only rural places (from the urban-rural code).
    #[serde(default, skip_serializing_if = "is_any")]
    pub setting: Setting,
    /// For points of interest: the categories it applies to (matched as substrings of the POI's category).
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub categories: Vec<String>,
    /// Only places inside this area, defined in the project file (`[analysis.areas.NAME]`).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub area: Option<String>,
    /// Only places meeting this condition, e.g. households ≥ 20.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub condition: Option<Condition>,
    /// What each place must have.
    pub require: Requirement,
    /// Judged per area on the share of places (or households) that meet the requirement, not per place.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub share: Option<ShareRule>,
}

/// What a target is checked on.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum Subject {
    /// 自然村.
    NaturalVillages,
    /// 行政村 and 社区.
    AdminVillages,
    /// Every settlement: natural villages, and administrative villages or communities that have
    /// none (so that no household is counted twice).
    Villages,
    /// Buildings with households (the households in them).
    Households,
    /// Every building, with or without households.
    Buildings,
    /// Points of interest of the target's categories.
    Pois,
}

impl Subject {
    /// Allowed values, for error messages.
    pub const ALLOWED: &'static str = "natural_villages, admin_villages, villages, households, buildings, pois";

    /// What they are called in tables: "natural villages", "buildings with households" ….
    pub fn plural(self) -> &'static str {
        match self {
            Subject::NaturalVillages => "natural villages",
            Subject::AdminVillages => "administrative villages",
            Subject::Villages => "settlements",
            Subject::Households => "buildings with households",
            Subject::Buildings => "buildings",
            Subject::Pois => "points of interest",
        }
    }
}

/// Urban, rural or any place.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum Setting {
    /// Everywhere.
    #[default]
    Any,
    /// Urban-rural code 1xx.
    Urban,
    /// Urban-rural code 2xx.
    Rural,
}

fn is_any(s: &Setting) -> bool {
    *s == Setting::Any
}

/// A comparison, written as in the policy: 以上/以下 include the number (≥, ≤).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
pub enum Op {
    /// ≥ (以上).
    #[serde(rename = ">=")]
    AtLeast,
    /// > (超过).
    #[serde(rename = ">")]
    Above,
    /// ≤ (以下).
    #[serde(rename = "<=")]
    AtMost,
    /// <.
    #[serde(rename = "<")]
    Below,
}

impl Op {
    /// Whether `a op b`.
    pub fn holds(self, a: f64, b: f64) -> bool {
        match self {
            Op::AtLeast => a >= b,
            Op::Above => a > b,
            Op::AtMost => a <= b,
            Op::Below => a < b,
        }
    }

    /// The symbol, for evidence.
    pub fn symbol(self) -> &'static str {
        match self {
            Op::AtLeast => "≥",
            Op::Above => ">",
            Op::AtMost => "≤",
            Op::Below => "<",
        }
    }

    /// The symbol of the negation, for evidence of a failed comparison.
    pub fn negated_symbol(self) -> &'static str {
        match self {
            Op::AtLeast => "<",
            Op::Above => "≤",
            Op::AtMost => ">",
            Op::Below => "≥",
        }
    }
}

/// A condition on a place's figures: `field op value`.
#[derive(Debug, Clone, Copy, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Condition {
    /// Which figure.
    pub field: Figure,
    /// Comparison.
    pub op: Op,
    /// Threshold.
    pub value: f64,
}

/// A figure of a place.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum Figure {
    /// 户数.
    Households,
    /// 人口.
    Population,
    /// Broadband subscribers (宽带用户).
    Subscribers,
}

impl Figure {
    /// The word for it in evidence.
    pub fn noun(self) -> &'static str {
        match self {
            Figure::Households => "households",
            Figure::Population => "inhabitants",
            Figure::Subscribers => "subscribers",
        }
    }
}

/// A way to deliver broadband, for capability targets.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum Access {
    /// FTTH (PON).
    Fiber,
    /// xDSL over copper.
    Copper,
    /// 4G, indoors, at the busy-hour share.
    Lte,
    /// 5G, indoors, at the busy-hour share.
    Nr,
    /// 5G fixed wireless access (outdoor CPE).
    Fwa,
}

/// A mobile technology, for coverage targets.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum MobileTech {
    /// 3G.
    Umts,
    /// 4G.
    Lte,
    /// 5G.
    Nr,
    /// NB-IoT.
    NbIot,
}

impl MobileTech {
    /// The model's technology.
    pub fn tech(self) -> crate::model::Tech {
        match self {
            MobileTech::Umts => crate::model::Tech::Umts,
            MobileTech::Lte => crate::model::Tech::Lte,
            MobileTech::Nr => crate::model::Tech::Nr,
            MobileTech::NbIot => crate::model::Tech::NbIot,
        }
    }
}

/// What a place must have.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(tag = "kind", rename_all = "snake_case", deny_unknown_fields)]
pub enum Requirement {
    /// 连通光缆: a fiber cable or access point within the connection distance (the project's
    /// setting unless given) of the village polygon or point, or of the building.
    FiberConnected {
        /// Overrides the connection distance (m).
        #[serde(default, skip_serializing_if = "Option::is_none")]
        distance_m: Option<f64>,
    },
    /// 光纤到户: the building is FTTH-served (drop distance, free port, optical budget), by one
    /// of `pon` when given (e.g. 10G-PON for gigabit); a village when every household building in it is.
    Ftth {
        /// PON technologies that count (all when empty).
        #[serde(default, skip_serializing_if = "Vec::is_empty")]
        pon: Vec<Pon>,
    },
    /// 接入能力: a household can get at least `mbps` by one of `by`.
    Capability {
        /// Threshold (Mb/s).
        mbps: f64,
        /// The technologies allowed to deliver it.
        by: Vec<Access>,
    },
    /// Mobile coverage (RSRP and SINR over the technology's thresholds) by any operator with one of `tech`.
    Mobile {
        /// Technologies that count.
        tech: Vec<MobileTech>,
        /// Indoors (penetration and body loss applied) rather than outdoors at handset height.
        #[serde(default)]
        indoor: bool,
    },
    /// Some broadband: fiber connected (or FTTH/copper at a building), or 4G/5G coverage outdoors.
    Broadband,
    /// A WLAN hotspot (a POI of one of `hotspot_categories`) within `radius_m`.
    Wlan {
        /// Search radius (m).
        radius_m: f64,
        /// POI categories that are hotspots (substring match).
        hotspot_categories: Vec<String>,
    },
    /// A POI of one of `poi_categories` inside the village polygon or within `radius_m` of its point.
    Poi {
        /// Categories (substring match).
        poi_categories: Vec<String>,
        /// Radius for villages without a polygon (m).
        radius_m: f64,
    },
    /// Every one of `of` (e.g. 4G and fiber).
    All {
        /// The requirements.
        of: Vec<Requirement>,
    },
    /// 普及率: the place's subscribers counted against its households (only as a share target).
    Penetration,
}

/// A PON technology, for FTTH targets of a given class.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum Pon {
    /// EPON.
    Epon,
    /// GPON.
    Gpon,
    /// XG-PON (10G).
    XgPon,
    /// XGS-PON (10G symmetric).
    XgsPon,
}

impl Pon {
    /// The access point technology.
    pub fn tech(self) -> crate::model::AccessTech {
        match self {
            Pon::Epon => crate::model::AccessTech::Epon,
            Pon::Gpon => crate::model::AccessTech::Gpon,
            Pon::XgPon => crate::model::AccessTech::XgPon,
            Pon::XgsPon => crate::model::AccessTech::XgsPon,
        }
    }
}

/// A share rule: per area, the share of the weight met must satisfy `op value`.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct ShareRule {
    /// Comparison (以上 ≥, 超过 >).
    pub op: Op,
    /// Share, 0–1.
    pub value: f64,
    /// What is counted.
    #[serde(default)]
    pub weight: Weight,
    /// Which areas are judged.
    pub per: AreaLevel,
}

/// What a share counts.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum Weight {
    /// Households (户).
    #[default]
    Households,
    /// Broadband subscribers (用户).
    Subscribers,
    /// Places, one each.
    Places,
}

/// The areas a share target is judged over (per = "area" takes the target's `area`).
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum AreaLevel {
    /// The whole project.
    County,
    /// Each township (乡镇/街道).
    Township,
    /// Each administrative village with its natural villages.
    AdminVillage,
    /// An area named in the project file (a list of villages or admin areas, e.g. a demo area).
    Area,
}

impl Profile {
    /// Parses a profile; `path` names it in errors, which carry the line and the allowed values.
    pub fn parse(text: &str, path: &Path) -> Result<Profile> {
        let p: Profile = toml::from_str(text).map_err(|e| {
            let line = e.span().map(|s| format!("line {}: ", line_of_offset(text, s.start))).unwrap_or_default();
            InputError::in_file(path, format!("{line}{}", e.message().trim()))
                .with_hint(format!("applies_to: {}; require.kind: fiber_connected, ftth, capability, mobile, broadband, wlan, poi, all, penetration; access: fiber, copper, lte, nr, fwa; op: >=, >, <=, <; share.per: county, township, admin_village, area. See docs/GUIDE.md 'Target profiles'", Subject::ALLOWED))
        })?;
        p.check(text, path)?;
        Ok(p)
    }

    /// Loads a built-in profile by id, or a profile file by path.
    pub fn load(id_or_path: &str) -> Result<(Profile, Option<PathBuf>)> {
        if let Some((_, text)) = BUILT_IN.iter().find(|(id, _)| *id == id_or_path) {
            return Ok((Profile::parse(text, Path::new(&format!("assets/profiles/{id_or_path}.toml")))?, None));
        }
        let path = Path::new(id_or_path);
        if !path.exists() {
            let ids: Vec<&str> = BUILT_IN.iter().map(|b| b.0).collect();
            return Err(InputError::in_file(path, "no such profile file, and no built-in profile has this id")
                .with_hint(format!("built-in profiles: {}; or give the path of a .toml profile", ids.join(", "))));
        }
        let text = std::fs::read_to_string(path).map_err(|e| InputError::in_file(path, format!("cannot read the profile: {e}")))?;
        Ok((Profile::parse(&text, path)?, Some(path.to_path_buf())))
    }

    /// Checks what the format cannot: unique ids, shares within 0–1, requirements fitting their subject.
    fn check(&self, text: &str, path: &Path) -> Result<()> {
        let at = |id: &str, msg: String, hint: &str| {
            let line = text.find(&format!("\"{id}\"")).map(|o| line_of_offset(text, o)).unwrap_or(0);
            Err(InputError::in_file(path, format!("line {line}: target '{id}': {msg}")).with_hint(hint.to_string()))
        };
        for (k, t) in self.targets.iter().enumerate() {
            if self.targets[..k].iter().any(|o| o.id == t.id) {
                return at(&t.id, "two targets have this id".into(), "give every target its own id");
            }
            if let Some(s) = &t.share {
                if !(0.0..=1.0).contains(&s.value) {
                    return at(&t.id, format!("share.value {} is not a share", s.value), "write shares between 0 and 1 (0.9 for 90 %)");
                }
                if s.per == AreaLevel::Area && t.area.is_none() {
                    return at(
                        &t.id,
                        "share.per = \"area\" but the target names no area".into(),
                        "add area = \"NAME\" to the target and define [analysis.areas.NAME] in the project file",
                    );
                }
            }
            match &t.require {
                Requirement::Penetration if t.share.is_none() => {
                    return at(&t.id, "a penetration target is judged per area".into(), "add a [target.share] rule (op, value, per)");
                }
                Requirement::Capability { by, .. } if by.is_empty() => {
                    return at(&t.id, "require.by lists no technology".into(), "allowed: fiber, copper, lte, nr, fwa");
                }
                Requirement::Mobile { tech, .. } if tech.is_empty() => {
                    return at(&t.id, "require.tech lists no technology".into(), "allowed: umts, lte, nr, nb_iot");
                }
                _ => {}
            }
            if t.applies_to == Subject::Pois && t.categories.is_empty() {
                return at(&t.id, "applies to POIs of no category".into(), "list the categories, e.g. categories = [\"行政服务中心\", \"旅游景点\"]");
            }
        }
        Ok(())
    }
}

/// The profile to use: `arg` (a built-in id or a file), else the project's `[analysis] profile`
/// (a path there is relative to the project file), else zhaoqing-2020. Returns it with its
/// source, as the run record names it.
pub fn resolve(p: &crate::project::Project, arg: Option<&str>) -> Result<(Profile, String)> {
    let (chosen, from_project) = match (arg, &p.file.analysis.profile) {
        (Some(a), _) => (a.to_string(), false),
        (None, Some(f)) => (f.clone(), true),
        (None, None) => ("zhaoqing-2020".to_string(), false),
    };
    let built_in = BUILT_IN.iter().any(|b| b.0 == chosen);
    let chosen =
        if from_project && !built_in { p.path.parent().unwrap_or(std::path::Path::new("")).join(&chosen).to_string_lossy().into_owned() } else { chosen };
    let (profile, _) = Profile::load(&chosen)?;
    Ok((profile, chosen))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn every_built_in_profile_parses() {
        for (id, text) in BUILT_IN {
            let p = Profile::parse(text, Path::new(id)).unwrap_or_else(|e| panic!("{id}: {e}"));
            assert_eq!(&p.profile.id, id);
            assert!(!p.targets.is_empty());
        }
    }

    #[test]
    fn malformed_profiles_name_line_and_allowed_values() {
        let good = BUILT_IN[0].1;
        let bad = good.replacen("applies_to = \"natural_villages\"", "applies_to = \"hamlets\"", 1);
        let e = Profile::parse(&bad, Path::new("my.toml")).unwrap_err();
        let line = line_of_offset(&bad, bad.find("\"hamlets\"").unwrap());
        assert!(e.message.starts_with(&format!("line {line}:")), "{e}");
        assert!(e.to_string().contains("natural_villages, admin_villages"), "{e}");
        let bad = good.replacen("op = \">=\"", "op = \"≥\"", 1);
        let e = Profile::parse(&bad, Path::new("my.toml")).unwrap_err();
        assert!(e.to_string().contains("op: >=, >, <=, <"), "{e}");
        let bad = good.replacen("[[target]]", "[[target]]\ncolour = 1", 1);
        assert!(Profile::parse(&bad, Path::new("my.toml")).unwrap_err().message.contains("colour"));
    }

    #[test]
    fn unknown_profile_lists_the_built_in_ones() {
        let e = Profile::load("nowhere-2030").unwrap_err();
        assert!(e.to_string().contains("zhaoqing-2020"), "{e}");
    }
}
