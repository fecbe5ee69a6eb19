//! Every threshold, loss and model choice of the coverage models, with the defaults of
//! domain-reference.md. Set them in the project file's `[coverage]` table.

use serde::{Deserialize, Serialize};

/// Fiber (FTTH/PON) and copper settings.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields, default)]
pub struct FiberSettings {
    /// A village is fiber-connected when an access point or cable lies within this distance of it (m).
    pub connection_distance_m: f64,
    /// A building is FTTH-served only within this drop distance of an access point (m). Common practice, not a standard.
    pub drop_distance_m: f64,
    /// Busy-hour concurrency: the share of homes on a PON active at once.
    pub concurrency: f64,
    /// PON payload efficiency (FEC, framing): 0.86 makes XGS-PON 1:64 at 20 % give 668.7 ≈ 670 Mb/s, as in domain-reference.md.
    pub pon_efficiency: f64,
    /// Fiber attenuation at 1310 nm (dB/km).
    pub fiber_db_per_km: f64,
    /// PON reach (km).
    pub reach_km: f64,
    /// Optical budget of GPON/EPON optics (dB): class B+ 28, C+ 32.
    pub gpon_budget_db: f64,
    /// Optical budget of XG-PON/XGS-PON optics (dB): N1 29 … E2 35.
    pub xgpon_budget_db: f64,
    /// Extra losses (connectors, splices, ageing margin) in every budget (dB).
    pub margin_db: f64,
    /// Tier cap per household for GPON/EPON (Mb/s): a gigabit ONT.
    pub gpon_tier_cap_mbps: f64,
    /// Tier cap per household for XG(S)-PON (Mb/s).
    pub xgpon_tier_cap_mbps: f64,
    /// Split assumed for access points whose layer gives none (1:64, common Chinese practice); results say so.
    pub default_split: u32,
    /// Copper (xDSL) rate by loop length: (metres, Mb/s) points, linear between, 0 past the last. A common-practice curve (VDSL2 near, ADSL2+ far).
    pub copper_rate_by_loop: Vec<(f64, f64)>,
}

impl Default for FiberSettings {
    fn default() -> Self {
        FiberSettings {
            connection_distance_m: 300.0,
            drop_distance_m: 300.0,
            concurrency: 0.2,
            pon_efficiency: 0.86,
            fiber_db_per_km: 0.35,
            reach_km: 20.0,
            gpon_budget_db: 28.0,
            xgpon_budget_db: 29.0,
            margin_db: 0.0,
            gpon_tier_cap_mbps: 1000.0,
            xgpon_tier_cap_mbps: 10_000.0,
            default_split: 64,
            copper_rate_by_loop: vec![(0.0, 100.0), (300.0, 100.0), (600.0, 50.0), (1000.0, 25.0), (1500.0, 15.0), (2500.0, 8.0), (4000.0, 2.0), (5500.0, 0.0)],
        }
    }
}

/// All coverage settings.
#[derive(Debug, Clone, PartialEq, Default, Serialize, Deserialize)]
#[serde(deny_unknown_fields, default)]
pub struct CoverageSettings {
    /// Fiber and copper.
    pub fiber: FiberSettings,
}
