//! The cost table a plan is priced with: the built-in one for China (`assets/costs/`), or a
//! user's file of the same shape. Unknown keys are errors with their line.

use crate::error::{InputError, Result};
use serde::{Deserialize, Serialize};
use std::path::Path;

/// The built-in cost table.
pub const CHINA_2024: &str = include_str!("../../../../assets/costs/china-2024.toml");

/// A cost table.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Costs {
    /// What the table is.
    pub meta: CostsMeta,
    /// Fiber routes.
    pub fiber: FiberCosts,
    /// Boxes, splitters and PON upgrades near the homes.
    pub access: AccessCosts,
    /// New mobile sites.
    pub site: SiteCosts,
    /// 5G fixed wireless access.
    pub fwa: FwaCosts,
}

/// What fixes at the access end cost, and what a new box is.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct AccessCosts {
    /// A new distribution box with its splitter.
    #[serde(rename = "box")]
    pub box_: f64,
    /// The PON technology of a new box ("XGS-PON", "GPON" …).
    pub box_tech: String,
    /// The split ratio of a new box.
    pub box_split: u32,
    /// Drop cable and ONT per household a new box reaches.
    pub drop_per_household: f64,
    /// A second splitter beside a full box.
    pub splitter: f64,
    /// A GPON/EPON box upgraded to XGS-PON.
    pub pon_upgrade: f64,
}

/// What a new mobile site costs.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct SiteCosts {
    /// A 4G macro site with three sectors.
    pub macro_4g: f64,
    /// A 5G macro site with three sectors.
    pub macro_5g: f64,
    /// The most a site's backhaul costs (a microwave hop).
    pub microwave_backhaul: f64,
    /// Mast height of a new site (m).
    pub height_m: f64,
}

/// What 5G fixed wireless access costs, and when it is preferred.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct FwaCosts {
    /// Customer equipment per household.
    pub cpe: f64,
    /// Above this fiber cost per household, wireless is preferred where it meets the target.
    pub fiber_max_per_household: f64,
}

/// A table's name and currency.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct CostsMeta {
    /// Name, as the plan's summary cites it.
    pub name: String,
    /// Currency of every figure.
    pub currency: String,
}

/// What fiber routes cost.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct FiberCosts {
    /// Buried route along a road, per km.
    pub buried_per_km: f64,
    /// Aerial route on poles along a road, per km.
    pub aerial_per_km: f64,
    /// Cross-country span, per km.
    pub off_road_per_km: f64,
    /// Road classes whose routes are buried.
    pub buried_classes: Vec<String>,
    /// Distribution box at each connected village.
    pub village_box: f64,
    /// Lead-ins longer than this (m) are off-road spans, flagged.
    pub lead_in_max_m: f64,
}

impl Costs {
    /// The built-in table for China.
    pub fn china() -> Costs {
        Costs::parse(CHINA_2024, Path::new("assets/costs/china-2024.toml")).expect("the built-in cost table parses")
    }

    /// Reads a cost table file.
    pub fn load(path: &Path) -> Result<Costs> {
        let text = std::fs::read_to_string(path).map_err(|e| InputError::io(path, &e))?;
        Costs::parse(&text, path)
    }

    /// Parses a cost table; `path` names it in messages.
    pub fn parse(text: &str, path: &Path) -> Result<Costs> {
        let costs: Costs = toml::from_str(text).map_err(|e| {
            let line = e.span().map(|s| format!("line {}: ", crate::project::file::line_of_offset(text, s.start))).unwrap_or_default();
            InputError::in_file(path, format!("{line}{}", e.message().trim()))
                .with_hint("copy assets/costs/china-2024.toml and change the figures; every key of it is needed")
        })?;
        let (f, a, s, w) = (&costs.fiber, &costs.access, &costs.site, &costs.fwa);
        for (name, v) in [
            ("fiber.buried_per_km", f.buried_per_km),
            ("fiber.aerial_per_km", f.aerial_per_km),
            ("fiber.off_road_per_km", f.off_road_per_km),
            ("fiber.village_box", f.village_box),
            ("fiber.lead_in_max_m", f.lead_in_max_m),
            ("access.box", a.box_),
            ("access.drop_per_household", a.drop_per_household),
            ("access.splitter", a.splitter),
            ("access.pon_upgrade", a.pon_upgrade),
            ("site.macro_4g", s.macro_4g),
            ("site.macro_5g", s.macro_5g),
            ("site.microwave_backhaul", s.microwave_backhaul),
            ("site.height_m", s.height_m),
            ("fwa.cpe", w.cpe),
            ("fwa.fiber_max_per_household", w.fiber_max_per_household),
        ] {
            if !(v.is_finite() && v >= 0.0) {
                return Err(InputError::in_file(path, format!("{name} = {v}: a cost is a number of zero or more")));
            }
        }
        let tech = crate::model::AccessTech::parse(&a.box_tech).filter(|t| *t != crate::model::AccessTech::Copper);
        if tech.is_none() {
            return Err(
                InputError::in_file(path, format!("access.box_tech = \"{}\": not a PON technology", a.box_tech)).with_hint("use GPON, XG-PON, XGS-PON or EPON")
            );
        }
        if a.box_split == 0 || crate::coverage::fiber::splitter_loss_db(a.box_split).is_none() {
            return Err(InputError::in_file(path, format!("access.box_split = {}: not a split ratio covplan knows", a.box_split))
                .with_hint("use 2, 4, 8, 16, 32, 64 or 128"));
        }
        Ok(costs)
    }

    /// Whether a route along a road of `class` is buried (else aerial on poles).
    pub fn is_buried(&self, class: Option<&str>) -> bool {
        class.is_some_and(|c| self.fiber.buried_classes.iter().any(|b| c.contains(b.as_str())))
    }

    /// The cost per km of a route along a road of `class`.
    pub fn road_per_km(&self, class: Option<&str>) -> f64 {
        if self.is_buried(class) { self.fiber.buried_per_km } else { self.fiber.aerial_per_km }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_built_in_table_reads_and_prices_by_road_class() {
        let c = Costs::china();
        assert_eq!(c.meta.currency, "CNY");
        assert_eq!(c.road_per_km(Some("省道")), 80_000.0);
        assert_eq!(c.road_per_km(Some("村道")), 31_000.0);
        assert_eq!(c.road_per_km(None), 31_000.0);
    }

    #[test]
    fn a_missing_or_negative_figure_is_named() {
        let text = CHINA_2024.replace("aerial_per_km = 31000", "");
        let e = Costs::parse(&text, Path::new("my-costs.toml")).unwrap_err().to_string();
        assert!(e.contains("my-costs.toml") && e.contains("aerial_per_km"), "{e}");
        let text = CHINA_2024.replace("village_box = 3000", "village_box = -1");
        let e = Costs::parse(&text, Path::new("my-costs.toml")).unwrap_err().to_string();
        assert!(e.contains("fiber.village_box"), "{e}");
    }
}
