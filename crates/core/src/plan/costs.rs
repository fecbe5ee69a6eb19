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
        let f = &costs.fiber;
        for (name, v) in [
            ("fiber.buried_per_km", f.buried_per_km),
            ("fiber.aerial_per_km", f.aerial_per_km),
            ("fiber.off_road_per_km", f.off_road_per_km),
            ("fiber.village_box", f.village_box),
            ("fiber.lead_in_max_m", f.lead_in_max_m),
        ] {
            if !(v.is_finite() && v >= 0.0) {
                return Err(InputError::in_file(path, format!("{name} = {v}: a cost is a number of zero or more")));
            }
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
