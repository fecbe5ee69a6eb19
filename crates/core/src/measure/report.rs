//! One comparison of a project's measurements with its predictions, before and after
//! calibration, and its files: `compare.csv` (one row per measurement), `compare.json` (the
//! statistics, the fits, what could not be compared) and `calibration.toml` (the corrections,
//! as the project file takes them).

use super::calibrate::{CalibrationSettings, Fit, calibrate};
use super::compare::{Pair, Unpaired, compare};
use super::stats::{GroupStats, distance_bin, grouped};
use crate::error::{InputError, Result};
use crate::project::{Project, Role};
use crate::settings::{Calibration, RadioSettings};
use serde::Serialize;
use std::fmt::Write as _;
use std::path::{Path, PathBuf};

/// A comparison, before and after calibration.
#[derive(Debug, Clone, Serialize)]
pub struct Comparison {
    /// Measurements beside the project's model as its settings stand.
    pub before: Vec<Pair>,
    /// Those that could not be compared, and why.
    pub unpaired: Vec<Unpaired>,
    /// RSRP errors (measured − predicted) before calibration, overall and by group.
    pub rsrp_before: Vec<GroupStats>,
    /// SINR errors before calibration.
    pub sinr_before: Vec<GroupStats>,
    /// Download rate errors (measured − predicted busy-hour household rate, Mb/s).
    pub dl_before: Vec<GroupStats>,
    /// The fit per environment, with its held-out RMSE before and after.
    pub fits: Vec<Fit>,
    /// The corrections the fits give (only those applied); `None` when none is.
    pub calibration: Option<Calibration>,
    /// Measurements beside the calibrated model (same order as `before` where both pair).
    pub after: Vec<Pair>,
    /// RSRP errors after calibration (every point, in sample: the held-out figures are in `fits`).
    pub rsrp_after: Vec<GroupStats>,
}

/// RSRP or SINR error statistics of `pairs` by operator, technology, environment, distance and match.
fn stats_of(pairs: &[Pair], error: fn(&Pair) -> Option<f64>) -> Vec<GroupStats> {
    let with: Vec<&Pair> = pairs.iter().filter(|p| error(p).is_some()).collect();
    grouped(
        &with,
        |p| error(p).unwrap_or_default(),
        &[
            ("operator", &|p: &&Pair| p.operator.clone()),
            ("technology", &|p: &&Pair| p.tech.name().to_string()),
            ("environment", &|p: &&Pair| format!("{:?}", p.environment).to_lowercase()),
            ("distance", &|p: &&Pair| distance_bin(p.distance_m)),
            ("matched by", &|p: &&Pair| p.matched.label().to_string()),
        ],
    )
}

/// The measurement layers of a project (path as written, and resolved).
fn measurement_files(p: &Project) -> Vec<(String, PathBuf)> {
    let dir = p.path.parent().unwrap_or(Path::new("."));
    p.file.layers.iter().filter(|l| l.role == Role::Measurements).map(|l| (l.path.clone(), dir.join(&l.path))).collect()
}

/// Compares `p`'s measurements with its model under its radio settings, calibrates, and
/// compares again under the calibrated model.
pub fn run(p: &Project, s: &CalibrationSettings) -> Result<Comparison> {
    let files = measurement_files(p);
    if files.is_empty() || p.data.measurements.is_empty() {
        return Err(InputError::in_file(&p.path, "the project has no measurements")
            .with_hint("add a layer with role = \"measurements\" (drive test, MR or speed-test points with RSRP, SINR or throughput)"));
    }
    let settings = &p.file.coverage.radio;
    let (before, unpaired) = compare(p, settings);
    let xy = |pair: &Pair| {
        let m = &p.data.measurements[pair.measurement];
        p.frame.forward(m.position.x(), m.position.y())
    };
    let fits = calibrate(&before, xy, s);
    let applied = |env| fits.iter().find(|f| f.environment == env && f.applied).map(|f| f.correction);
    use crate::coverage::radio::engine::Environment;
    let (urban, rural) = (applied(Environment::Urban), applied(Environment::Rural));
    let calibration = if urban.is_none() && rural.is_none() {
        None
    } else {
        let mut hashes = Vec::new();
        for (_, f) in &files {
            hashes.push(crate::fsutil::sha256_file(f).map_err(|e| InputError::io(f, &e))?.0);
        }
        let names: Vec<&str> = files.iter().map(|f| f.0.as_str()).collect();
        Some(Calibration { fitted_to: names.join(", "), sha256: hashes.join(", "), urban, rural })
    };
    let calibrated = RadioSettings { calibration: calibration.clone().or_else(|| settings.calibration.clone()), ..settings.clone() };
    let (after, _) = compare(p, &calibrated);
    Ok(Comparison {
        rsrp_before: stats_of(&before, Pair::rsrp_error_db),
        sinr_before: stats_of(&before, Pair::sinr_error_db),
        dl_before: stats_of(&before, Pair::dl_error_mbps),
        rsrp_after: stats_of(&after, Pair::rsrp_error_db),
        before,
        unpaired,
        fits,
        calibration,
        after,
    })
}

impl Comparison {
    /// The statistics as a table for a terminal.
    pub fn table(&self) -> String {
        let mut out = String::new();
        let _ = writeln!(out, "{} measurements compared, {} not", self.before.len(), self.unpaired.len());
        let _ = writeln!(out, "{:<12} {:<14} {:>6} {:>8} {:>7} {:>7}   {:>8} {:>7}", "by", "group", "n", "mean dB", "σ dB", "RMSE", "after μ", "RMSE");
        for row in &self.rsrp_before {
            let after = self.rsrp_after.iter().find(|a| a.by == row.by && a.group == row.group);
            let (am, ar) = after.map_or((f64::NAN, f64::NAN), |a| (a.stats.mean_db, a.stats.rmse_db));
            let s = &row.stats;
            let _ = writeln!(
                out,
                "{:<12} {:<14} {:>6} {:>8.2} {:>7.2} {:>7.2}   {:>8.2} {:>7.2}",
                row.by, row.group, s.count, s.mean_db, s.sd_db, s.rmse_db, am, ar
            );
        }
        for (what, rows, unit) in [("SINR", &self.sinr_before, "dB"), ("download rate", &self.dl_before, "Mb/s")] {
            if let Some(all) = rows.iter().find(|r| r.by == "all") {
                let s = &all.stats;
                let _ = writeln!(out, "{what}: {} measured, mean error {:+.1} {unit}, σ {:.1}, RMSE {:.1}", s.count, s.mean_db, s.sd_db, s.rmse_db);
            }
        }
        for f in &self.fits {
            let (b, a) = (f.before.map_or(f64::NAN, |s| s.rmse_db), f.after.map_or(f64::NAN, |s| s.rmse_db));
            let _ = writeln!(
                out,
                "calibration {:?}: {} points, offset {:+.2} dB, slope {:+.2} dB/decade; held-out RMSE {b:.2} → {a:.2} dB{}",
                f.environment,
                f.count,
                f.correction.offset_db,
                f.correction.slope_db_per_decade,
                if f.applied { String::new() } else { format!(" (not applied: {})", f.note) }
            );
        }
        out
    }

    /// Writes compare.csv, compare.json and calibration.toml into `dir`; returns their paths.
    pub fn write(&self, p: &Project, dir: &Path) -> Result<Vec<PathBuf>> {
        std::fs::create_dir_all(dir).map_err(|e| InputError::io(dir, &e))?;
        let mut csv = String::from(
            "measurement,source_record,lon,lat,operator,tech,cell,matched,environment,distance_m,measured_rsrp_dbm,predicted_rsrp_dbm,error_db,calibrated_rsrp_dbm,calibrated_error_db,measured_sinr_db,predicted_sinr_db,measured_dl_mbps,predicted_dl_mbps\n",
        );
        let after: std::collections::HashMap<usize, &Pair> = self.after.iter().map(|a| (a.measurement, a)).collect();
        let opt = |v: Option<f64>, digits: usize| v.map_or(String::new(), |x| format!("{x:.digits$}"));
        for b in &self.before {
            let m = &p.data.measurements[b.measurement];
            let a = after.get(&b.measurement);
            let _ = writeln!(
                csv,
                "{},{},{:.6},{:.6},{},{},{},{},{},{:.0},{},{:.2},{},{},{},{},{:.2},{},{:.2}",
                b.measurement + 1,
                m.source.record,
                m.position.x(),
                m.position.y(),
                b.operator,
                b.tech.name(),
                p.data.sectors[b.sector].cell.replace(',', " "),
                b.matched.label(),
                format!("{:?}", b.environment).to_lowercase(),
                b.distance_m,
                opt(b.measured_rsrp_dbm, 1),
                b.predicted_rsrp_dbm,
                opt(b.rsrp_error_db(), 2),
                opt(a.map(|a| a.predicted_rsrp_dbm), 2),
                opt(a.and_then(|a| a.rsrp_error_db()), 2),
                opt(b.measured_sinr_db, 1),
                b.predicted_sinr_db,
                opt(b.measured_dl_mbps, 2),
                b.predicted_dl_mbps,
            );
        }
        #[derive(Serialize)]
        struct Summary<'a> {
            compared: usize,
            not_compared: &'a [Unpaired],
            rsrp_before: &'a [GroupStats],
            rsrp_after: &'a [GroupStats],
            sinr_before: &'a [GroupStats],
            dl_before: &'a [GroupStats],
            fits: &'a [Fit],
            calibration: &'a Option<Calibration>,
        }
        let summary = Summary {
            compared: self.before.len(),
            not_compared: &self.unpaired,
            rsrp_before: &self.rsrp_before,
            rsrp_after: &self.rsrp_after,
            sinr_before: &self.sinr_before,
            dl_before: &self.dl_before,
            fits: &self.fits,
            calibration: &self.calibration,
        };
        let json = serde_json::to_string_pretty(&summary).expect("comparison serialises");
        let toml = self.calibration_toml();
        let mut written = Vec::new();
        for (name, bytes) in [("compare.csv", csv.into_bytes()), ("compare.json", json.into_bytes()), ("calibration.toml", toml.into_bytes())] {
            let path = dir.join(name);
            crate::fsutil::atomic_write(&path, &bytes).map_err(|e| InputError::io(&path, &e))?;
            written.push(path);
        }
        Ok(written)
    }

    /// The calibration as the project file's `[coverage.radio.calibration]` table (a comment
    /// when nothing was calibrated).
    pub fn calibration_toml(&self) -> String {
        #[derive(Serialize)]
        struct Radio<'a> {
            calibration: &'a Calibration,
        }
        #[derive(Serialize)]
        struct Coverage<'a> {
            radio: Radio<'a>,
        }
        #[derive(Serialize)]
        struct Wrapper<'a> {
            coverage: Coverage<'a>,
        }
        match &self.calibration {
            Some(c) => toml::to_string_pretty(&Wrapper { coverage: Coverage { radio: Radio { calibration: c } } }).expect("calibration serialises"),
            None => "# no environment was calibrated: see compare.json (fits) for why\n".into(),
        }
    }
}
