//! One link's result as kept per place (the best server of an operator and technology, with
//! its evidence), the receiving end, and a link's derived figures indoors or outdoors.

use super::pathloss::{Model, Scenario};
use crate::model::Tech;
use crate::project::Project;
use crate::settings::RadioSettings;
use serde::Serialize;

/// The best link of one operator and technology at a place, with its evidence.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct LinkResult {
    /// Operator index into [`RadioResults::operators`].
    pub operator: u16,
    /// Technology.
    pub tech: Tech,
    /// Serving sector (index into the project's sectors).
    pub sector: usize,
    /// Horizontal distance to it (m).
    pub distance_m: f64,
    /// The 38.901 scenario of the path-loss model used (with `los`: the model, see [`Self::model`]).
    pub scenario: Scenario,
    /// Line of sight assumed (P_LOS ≥ 0.5).
    pub los: bool,
    /// The model's inputs lay inside its validity range.
    pub in_range: bool,
    /// Path loss (dB).
    pub path_loss_db: f64,
    /// Outdoor RSRP at handset height (dBm).
    pub rsrp_dbm: f64,
    /// Diffraction loss over the terrain included in `path_loss_db` (dB; 0 without a terrain model).
    pub terrain_db: f64,
    /// Co-channel interference at the given load, outdoors (mW per resource element).
    pub interference_mw: f64,
    /// Noise per resource element (dBm).
    pub noise_dbm: f64,
}

impl LinkResult {
    /// The path-loss model used: 38.901 in its scenario, LOS or not. (Kept as the scenario
    /// alone: a county's places hold a million links.)
    pub fn model(&self) -> Model {
        Model::tr38901(self.scenario, self.los)
    }

    /// The numbers behind a verdict, as a planner reads them: "RSRP −116.2 dBm, SINR 3.1 dB
    /// (中国移动 LTE 1842.5 MHz, sector 站名-1, 3.20 km, RMa NLOS, terrain +14.0 dB)".
    pub fn evidence(&self, p: &Project, e: &Evaluated) -> String {
        let sec = &p.data.sectors[self.sector];
        let model = self.model().short_name();
        let terrain = if self.terrain_db > 0.05 { format!(", terrain +{:.1} dB", self.terrain_db) } else { String::new() };
        let range = if self.in_range { "" } else { ", outside the model's range" };
        format!(
            "RSRP {:.1} dBm, SINR {:.1} dB ({} {} {} MHz, sector {}, {:.2} km, {model}{terrain}{range})",
            e.rsrp_dbm,
            e.sinr_db,
            sec.operator.as_deref().unwrap_or("?"),
            self.tech.name(),
            sec.band_mhz.map_or("?".into(), |f| format!("{f}")),
            sec.cell,
            self.distance_m / 1000.0,
        )
    }

    /// SINR (dB) with `extra_loss_db` (e.g. O2I) applied to signal and interference alike.
    pub fn sinr_db(&self, extra_loss_db: f64) -> f64 {
        let s = 10f64.powf((self.rsrp_dbm - extra_loss_db) / 10.0);
        let i = self.interference_mw * 10f64.powf(-extra_loss_db / 10.0);
        let n = 10f64.powf(self.noise_dbm / 10.0);
        10.0 * (s / (i + n)).log10()
    }
}

/// The receiving end of a link.
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct Receiver {
    /// Antenna height above ground (m).
    pub height_m: f64,
    /// Antenna gain (dBi).
    pub gain_dbi: f64,
    /// Only NR sectors serve it (FWA CPE).
    pub only_nr: bool,
}

impl Receiver {
    /// A handset at the settings' height.
    pub fn handset(s: &RadioSettings) -> Receiver {
        Receiver { height_m: s.ue_height_m, gain_dbi: 0.0, only_nr: false }
    }

    /// An outdoor FWA CPE (NR only) at the settings' height and gain.
    pub fn fwa_cpe(s: &RadioSettings) -> Receiver {
        Receiver { height_m: s.fwa_height_m, gain_dbi: s.fwa_gain_dbi, only_nr: true }
    }
}

/// Derived figures of one link for indoor or outdoor evaluation.
#[derive(Debug, Clone, Copy, PartialEq, Serialize)]
pub struct Evaluated {
    /// RSRP (dBm).
    pub rsrp_dbm: f64,
    /// SINR (dB).
    pub sinr_db: f64,
    /// RSRP and SINR over the thresholds.
    pub covered: bool,
    /// Peak rate at this SINR with the whole carrier (Mb/s).
    pub peak_mbps: f64,
}
