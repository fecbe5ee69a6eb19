//! Every threshold, loss and model choice of the coverage models, with the defaults of
//! docs/DOMAIN.md. Plain data at the bottom of the layers, so that the project file can
//! hold them (`[coverage]`, `[coverage.fiber]`, `[coverage.radio]`) and the models read them.

use serde::{Deserialize, Serialize};

/// How SINR becomes spectral efficiency.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum EfficiencyModel {
    /// Attenuated Shannon (TR 36.942): 0 below −10 dB, 0.6·log2(1 + SINR), capped (4.4 b/s/Hz for LTE).
    Shannon,
    /// The CQI table of the technology: the highest CQI whose efficiency attenuated Shannon
    /// (uncapped) reaches at this SINR.
    CqiTable,
}

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
    /// PON payload efficiency (FEC, framing): 0.86 makes XGS-PON 1:64 at 20 % give 668.7 ≈ 670 Mb/s, as in docs/DOMAIN.md.
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

/// Mobile (4G/5G) and FWA settings.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields, default)]
pub struct RadioSettings {
    /// LTE coverage threshold, RSRP (dBm).
    pub lte_rsrp_dbm: f64,
    /// NR coverage threshold, SS-RSRP (dBm).
    pub nr_rsrp_dbm: f64,
    /// SINR threshold of both technologies (dB).
    pub sinr_min_db: f64,
    /// UE noise figure (dB).
    pub noise_figure_db: f64,
    /// Load of interfering co-channel cells (the FCC models 50 %).
    pub load: f64,
    /// Handset height above ground (m).
    pub ue_height_m: f64,
    /// FWA outdoor CPE height above ground (m).
    pub fwa_height_m: f64,
    /// FWA CPE antenna gain (dBi; 8–12 typical).
    pub fwa_gain_dbi: f64,
    /// Feeder/jumper loss between radio and antenna (dB); 0 for RRUs beside the antenna.
    pub cable_loss_db: f64,
    /// Body loss of a handset (dB).
    pub body_loss_db: f64,
    /// Indoor evaluation uses the 38.901 high-loss O2I model (IRR glass) instead of low-loss.
    pub indoor_high_loss: bool,
    /// Distance inside the building for O2I loss (m, 0.5 dB/m).
    pub indoor_distance_m: f64,
    /// Horizontal 3 dB beamwidth when the site table gives none (°).
    pub default_beamwidth_deg: f64,
    /// Vertical 3 dB beamwidth (°, 3GPP 10°).
    pub vertical_beamwidth_deg: f64,
    /// Front-to-back ratio and vertical side-lobe floor (dB).
    pub antenna_floor_db: f64,
    /// Antenna height when the table gives none (m).
    pub default_height_m: f64,
    /// Antenna gain when the table gives none (dBi).
    pub default_gain_dbi: f64,
    /// Total power when the table gives none (dBm): LTE.
    pub default_lte_power_dbm: f64,
    /// Total power when the table gives none (dBm): NR.
    pub default_nr_power_dbm: f64,
    /// Channel bandwidth when the table gives none (MHz): LTE.
    pub default_lte_bandwidth_mhz: f64,
    /// Channel bandwidth when the table gives none (MHz): NR.
    pub default_nr_bandwidth_mhz: f64,
    /// SINR → efficiency mapping.
    pub efficiency: EfficiencyModel,
    /// MIMO layers, LTE.
    pub lte_layers: f64,
    /// MIMO layers, NR.
    pub nr_layers: f64,
    /// Control and reference-signal overhead share.
    pub overhead: f64,
    /// Downlink share of TDD carriers (B38–B41, n41, n78, n79).
    pub tdd_downlink_share: f64,
    /// Busy-hour activity of a mobile subscriber household: the share of an operator's
    /// households on a sector downloading at once (see docs/DOMAIN.md "Household rates").
    pub concurrency: f64,
    /// Each operator's share of the mobile subscribers (operator name as the site tables write
    /// it, or 移动/联通/电信/广电, CMCC …): a sector's busy-hour users are the households it
    /// serves times its operator's share, renormalised over the operators the project has.
    /// An operator named nowhere here gets the average share of those named.
    pub market_shares: std::collections::BTreeMap<String, f64>,
    /// Market shares of some townships (by township code, e.g. "441284101", or by the name of
    /// an admin area holding that code), in place of `market_shares` for their villages'
    /// buildings.
    #[serde(skip_serializing_if = "std::collections::BTreeMap::is_empty")]
    pub market_shares_by_township: std::collections::BTreeMap<String, std::collections::BTreeMap<String, f64>>,
    /// Urban model (38.901 UMa) only where at least this many buildings stand within 200 m …
    pub dense_buildings_200m: usize,
    /// … and the urban-rural code is one of these (city and town cores); elsewhere RMa.
    pub urban_codes: Vec<u16>,
    /// Longest link considered (m).
    pub max_distance_m: f64,
    /// Sectors whose best-case signal is this far under the noise are left out (dB): each adds
    /// under 10^(−x/10) of the noise (16 dB: 2.5 %).
    pub ignore_below_noise_db: f64,
    /// Cell side of the coverage grid the map draws (m).
    pub grid_cell_m: f64,
    /// Path-loss corrections fitted to measurements (`covplan compare --calibrate`); none:
    /// the models as published.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub calibration: Option<Calibration>,
}

/// Corrections of the path-loss models fitted to measurements, per environment: the RSRP a
/// model predicts at distance d gains `offset_db + slope_db_per_decade · log10(d / 1 km)` —
/// the K1 (intercept) and K2 (distance slope) terms of a standard propagation model.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Calibration {
    /// The measurement file the corrections were fitted to, as the project names it.
    pub fitted_to: String,
    /// Its SHA-256 when fitted.
    pub sha256: String,
    /// The correction in urban places (38.901 UMa), if fitted.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub urban: Option<Correction>,
    /// The correction in rural places (38.901 RMa), if fitted.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub rural: Option<Correction>,
}

/// One environment's correction (see [`Calibration`]).
#[derive(Debug, Clone, Copy, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Correction {
    /// Added to every predicted RSRP (dB).
    pub offset_db: f64,
    /// Added per decade of distance past 1 km (dB; negative: the signal falls faster).
    pub slope_db_per_decade: f64,
}

impl Correction {
    /// Steepest slope a fit may set (dB per decade): beyond it the pruning bounds of the radio
    /// engine, which allow for it, would have to widen further, and no real calibration of a
    /// 3GPP model on drive tests moves the slope that far.
    pub const MAX_SLOPE: f64 = 10.0;

    /// The RSRP change at `d` metres (dB).
    pub fn at(&self, d: f64) -> f64 {
        self.offset_db + self.slope_db_per_decade.clamp(-Self::MAX_SLOPE, Self::MAX_SLOPE) * (d.max(1.0) / 1000.0).log10()
    }
}

impl Calibration {
    /// The largest gain either correction gives anywhere from 1 m to `max_m` (dB, ≥ 0): the
    /// engine widens each sector's reach by it, so no link the calibration strengthens is pruned.
    pub fn max_gain_db(&self, max_m: f64) -> f64 {
        [self.urban, self.rural].into_iter().flatten().flat_map(|c| [c.at(1.0), c.at(max_m)]).fold(0.0, f64::max)
    }

    /// The largest slope magnitude of either correction (dB per decade).
    pub fn max_slope(&self) -> f64 {
        [self.urban, self.rural].into_iter().flatten().map(|c| c.slope_db_per_decade.abs().min(Correction::MAX_SLOPE)).fold(0.0, f64::max)
    }
}

impl RadioSettings {
    /// The subscriber share of each of `operators` (names as in the site tables), from
    /// [`Self::market_shares`], summing to 1.
    pub fn operator_shares(&self, operators: &[String]) -> Vec<f64> {
        Self::shares_from(&self.market_shares, operators)
    }

    /// [`Self::operator_shares`] from the table `table`.
    pub fn shares_from(table: &std::collections::BTreeMap<String, f64>, operators: &[String]) -> Vec<f64> {
        let key = crate::model::operator_key;
        let known: Vec<Option<f64>> = operators.iter().map(|o| table.iter().find(|(k, _)| key(k) == key(o)).map(|(_, &v)| v.max(0.0))).collect();
        let named: Vec<f64> = known.iter().flatten().copied().collect();
        let average = if named.is_empty() { 1.0 } else { named.iter().sum::<f64>() / named.len() as f64 };
        let raw: Vec<f64> = known.iter().map(|k| k.unwrap_or(average)).collect();
        let total: f64 = raw.iter().sum();
        if total > 0.0 { raw.iter().map(|r| r / total).collect() } else { vec![1.0 / operators.len().max(1) as f64; operators.len()] }
    }
}

impl Default for RadioSettings {
    fn default() -> Self {
        RadioSettings {
            lte_rsrp_dbm: -110.0,
            nr_rsrp_dbm: -105.0,
            sinr_min_db: -3.0,
            noise_figure_db: 9.0,
            load: 0.5,
            ue_height_m: 1.5,
            fwa_height_m: 6.0,
            fwa_gain_dbi: 10.0,
            cable_loss_db: 0.0,
            body_loss_db: 0.0,
            indoor_high_loss: false,
            indoor_distance_m: 5.0,
            default_beamwidth_deg: 65.0,
            vertical_beamwidth_deg: 10.0,
            antenna_floor_db: 20.0,
            default_height_m: 30.0,
            default_gain_dbi: 15.0,
            default_lte_power_dbm: 46.0,
            default_nr_power_dbm: 53.0,
            default_lte_bandwidth_mhz: 20.0,
            default_nr_bandwidth_mhz: 100.0,
            efficiency: EfficiencyModel::CqiTable,
            lte_layers: 2.0,
            nr_layers: 4.0,
            overhead: 0.25,
            tdd_downlink_share: 0.75,
            concurrency: 0.02,
            market_shares: [("中国移动", 0.572), ("中国电信", 0.235), ("中国联通", 0.192)].into_iter().map(|(k, v)| (k.to_string(), v)).collect(),
            market_shares_by_township: Default::default(),
            dense_buildings_200m: 60,
            urban_codes: vec![111, 112, 121],
            max_distance_m: 20_000.0,
            ignore_below_noise_db: 16.0,
            grid_cell_m: 100.0,
            calibration: None,
        }
    }
}

/// `[measurements]`: how measurements calibrate the model and challenge verdicts.
#[derive(Debug, Clone, Copy, PartialEq, Default, Serialize, Deserialize)]
#[serde(deny_unknown_fields, default)]
pub struct MeasurementSettings {
    /// The calibration's cross-validation and minimum size.
    pub calibration: CalibrationSettings,
    /// The rules of a challenged verdict.
    pub challenge: ChallengeSettings,
}

/// Settings of a calibration.
#[derive(Debug, Clone, Copy, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields, default)]
pub struct CalibrationSettings {
    /// Folds of the cross-validation.
    pub folds: usize,
    /// Side of the spatial blocks folds are drawn by (m): past the shadowing's decorrelation
    /// distance (tens to a few hundred metres).
    pub block_m: f64,
    /// Fewest measurements an environment needs to be calibrated.
    pub min_points: usize,
}

impl Default for CalibrationSettings {
    fn default() -> Self {
        CalibrationSettings { folds: 5, block_m: 1000.0, min_points: 50 }
    }
}

/// The rules of a challenge.
#[derive(Debug, Clone, Copy, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields, default)]
pub struct ChallengeSettings {
    /// Fewest tests of one operator at a village for its tests to count.
    pub min_tests: usize,
    /// Share of an operator's tests that must fail (or, against a "not covered", pass).
    pub share: f64,
    /// Fewest failing (or passing) tests, whatever the share.
    pub min_count: usize,
    /// Tests this far from a village's point count for it, when it has no polygon (m).
    pub radius_m: f64,
    /// Tests older than this, counted back from the newest test, are left out (days).
    pub max_age_days: i64,
}

impl Default for ChallengeSettings {
    fn default() -> Self {
        ChallengeSettings { min_tests: 5, share: 0.5, min_count: 2, radius_m: 500.0, max_age_days: 365 }
    }
}

/// All coverage settings.
#[derive(Debug, Clone, PartialEq, Default, Serialize, Deserialize)]
#[serde(deny_unknown_fields, default)]
pub struct CoverageSettings {
    /// Fiber and copper.
    pub fiber: FiberSettings,
    /// Mobile and FWA.
    pub radio: RadioSettings,
}
