//! Each measurement beside the prediction from the same serving cell: matched by the cell it
//! names (the site table's cell name, or an ECI/NCI written as the cell), else by the best
//! server the model predicts there of the measurement's operator and technology — the match
//! is recorded with every row. Predictions are outdoors at handset height (drive tests and
//! outdoor speed tests), with the terrain profile from the measurement's own point.

use super::operator_key;
use crate::coverage::radio::engine::{Environment, RadioModel, Receiver};
use crate::model::Tech;
use crate::project::Project;
use crate::settings::RadioSettings;
use rayon::prelude::*;
use serde::Serialize;
use std::collections::HashMap;

/// How a measurement's serving cell was found.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Serialize)]
#[serde(rename_all = "snake_case")]
pub enum Matched {
    /// The cell it names is a sector of the site tables.
    CellId,
    /// It names no known cell: the predicted best server of its operator and technology.
    BestServer,
}

impl Matched {
    /// As a table shows it.
    pub fn label(self) -> &'static str {
        match self {
            Matched::CellId => "cell id",
            Matched::BestServer => "best server",
        }
    }
}

/// One measurement and its prediction.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct Pair {
    /// Index into the project's measurements.
    pub measurement: usize,
    /// The serving sector (index into the project's sectors).
    pub sector: usize,
    /// How it was found.
    pub matched: Matched,
    /// The sector's operator, as the site table names it.
    pub operator: String,
    /// Its technology.
    pub tech: Tech,
    /// The environment at the point (the urban or rural model).
    pub environment: Environment,
    /// Distance from the sector (m).
    pub distance_m: f64,
    /// Predicted RSRP (dBm).
    pub predicted_rsrp_dbm: f64,
    /// Measured RSRP (dBm), if measured.
    pub measured_rsrp_dbm: Option<f64>,
    /// Predicted SINR at the settings' load (dB).
    pub predicted_sinr_db: f64,
    /// Measured SINR (dB), if measured.
    pub measured_sinr_db: Option<f64>,
    /// Predicted busy-hour household rate outdoors on the serving link (Mb/s; see
    /// `RadioModel::household_rate_mbps`).
    pub predicted_dl_mbps: f64,
    /// Measured download throughput (Mb/s), if measured.
    pub measured_dl_mbps: Option<f64>,
}

impl Pair {
    /// Measured − predicted RSRP (dB), when RSRP was measured.
    pub fn rsrp_error_db(&self) -> Option<f64> {
        self.measured_rsrp_dbm.map(|m| m - self.predicted_rsrp_dbm)
    }

    /// Measured − predicted download rate (Mb/s), when throughput was measured.
    pub fn dl_error_mbps(&self) -> Option<f64> {
        self.measured_dl_mbps.map(|m| m - self.predicted_dl_mbps)
    }

    /// Measured − predicted SINR (dB), when SINR was measured.
    pub fn sinr_error_db(&self) -> Option<f64> {
        self.measured_sinr_db.map(|m| m - self.predicted_sinr_db)
    }
}

/// A measurement no prediction could be set beside, and why.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct Unpaired {
    /// Index into the project's measurements.
    pub measurement: usize,
    /// Why (for the user: what to check).
    pub reason: String,
}

/// Every measurement with an RSRP or SINR beside its prediction under `s`, in measurement
/// order; the others listed with the reason.
pub fn compare(p: &Project, s: &RadioSettings) -> (Vec<Pair>, Vec<Unpaired>) {
    // The busy-hour load of each sector, as the analysis counts it (only when rates are measured).
    let load = if p.data.measurements.iter().any(|m| m.dl_mbps.is_some()) {
        crate::coverage::radio::compute(p, s).households_per_sector
    } else {
        vec![0.0; p.data.sectors.len()]
    };
    let m = RadioModel::new(p, s);
    let handset = Receiver::handset(s);
    let mut by_cell: HashMap<String, Vec<usize>> = HashMap::new();
    for (i, sec) in p.data.sectors.iter().enumerate() {
        by_cell.entry(sec.cell.trim().to_lowercase()).or_default().push(i);
    }
    let operator_of = |i: usize| p.data.sectors[i].operator.as_deref().unwrap_or("?");
    let known_operators: std::collections::BTreeSet<String> = p.data.sectors.iter().map(|s| operator_key(s.operator.as_deref().unwrap_or("?"))).collect();
    let results: Vec<Result<Pair, String>> = p
        .data
        .measurements
        .par_iter()
        .map(|meas| {
            if meas.rsrp_dbm.is_none() && meas.sinr_db.is_none() {
                return Err("no RSRP or SINR measured".into());
            }
            let op = meas.operator.as_deref().map(operator_key);
            if let Some(op) = &op
                && !known_operators.contains(op)
            {
                return Err(format!("operator '{}' has no sectors in the site tables", meas.operator.as_deref().unwrap_or_default()));
            }
            let wanted = |i: usize| op.as_ref().is_none_or(|o| *o == operator_key(operator_of(i))) && meas.tech.is_none_or(|t| t == p.data.sectors[i].tech);
            let (x, y) = p.frame.forward(meas.position.x(), meas.position.y());
            let env = m.environment(x, y, None);
            let hearing = m.hearing(x, y, env, &handset, None);
            let named = meas.cell.as_deref().and_then(|c| by_cell.get(&c.trim().to_lowercase())).and_then(|v| v.iter().copied().find(|&i| wanted(i)));
            let (sector, matched) = match named {
                Some(i) => (i, Matched::CellId),
                None => {
                    let best = hearing
                        .sectors()
                        .filter(|&i| wanted(i))
                        .filter_map(|i| m.link_of(&hearing, i))
                        .max_by(|a, b| a.rsrp_dbm.total_cmp(&b.rsrp_dbm).then(b.sector.cmp(&a.sector)));
                    (best.ok_or("no sector of its operator and technology is predicted to reach it")?.sector, Matched::BestServer)
                }
            };
            let link = m.link_of(&hearing, sector).ok_or_else(|| format!("its cell {} is predicted out of reach here", p.data.sectors[sector].cell))?;
            Ok(Pair {
                measurement: 0,
                sector,
                matched,
                operator: operator_of(sector).to_string(),
                tech: link.tech,
                environment: env,
                distance_m: link.distance_m,
                predicted_rsrp_dbm: link.rsrp_dbm,
                measured_rsrp_dbm: meas.rsrp_dbm,
                predicted_sinr_db: link.sinr_db(0.0),
                measured_sinr_db: meas.sinr_db,
                predicted_dl_mbps: m.household_rate_mbps(&m.evaluate(&link, 0.0), &link, &load),
                measured_dl_mbps: meas.dl_mbps,
            })
        })
        .collect();
    let (mut pairs, mut unpaired) = (Vec::new(), Vec::new());
    for (i, r) in results.into_iter().enumerate() {
        match r {
            Ok(pair) => pairs.push(Pair { measurement: i, ..pair }),
            Err(reason) => unpaired.push(Unpaired { measurement: i, reason }),
        }
    }
    (pairs, unpaired)
}
