//! Calibration of the path-loss models on measured RSRP: per environment, the offset (K1) and
//! distance slope (K2) that best explain measured − predicted, `e = a + b·log10(d / 1 km)`, by
//! least squares, judged by k-fold cross-validation on spatial blocks (neighbouring points
//! share their shadowing, so a random split would judge a fit on points it has nearly seen).
//! A fit is kept only when it lowers the held-out RMSE and rests on enough points; else that
//! environment stays uncalibrated, and the report says why.

use super::compare::Pair;
use super::stats::ErrorStats;
use crate::coverage::radio::engine::Environment;
use crate::settings::Correction;
use serde::Serialize;

pub use crate::settings::CalibrationSettings;

/// One environment's calibration.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct Fit {
    /// The environment.
    pub environment: Environment,
    /// Measurements with RSRP in it.
    pub count: usize,
    /// The correction fitted to all of them.
    pub correction: Correction,
    /// Held-out errors of the published model (every point once: it was fitted to none).
    pub before: Option<ErrorStats>,
    /// Held-out errors with the correction fitted on the other folds.
    pub after: Option<ErrorStats>,
    /// Whether the correction is used (it lowers the held-out RMSE, on enough points).
    pub applied: bool,
    /// Why not, when not.
    pub note: String,
}

/// Least squares fit of `e = a + b·x` to (x, e), the slope held within
/// ±[`Correction::MAX_SLOPE`] (then the offset refitted); `b = 0` when every x is the same.
pub fn fit_line(points: &[(f64, f64)]) -> Correction {
    let n = points.len() as f64;
    if points.is_empty() {
        return Correction { offset_db: 0.0, slope_db_per_decade: 0.0 };
    }
    let mx = points.iter().map(|p| p.0).sum::<f64>() / n;
    let me = points.iter().map(|p| p.1).sum::<f64>() / n;
    let sxx: f64 = points.iter().map(|p| (p.0 - mx).powi(2)).sum();
    let sxe: f64 = points.iter().map(|p| (p.0 - mx) * (p.1 - me)).sum();
    let b = if sxx > 1e-9 * n { (sxe / sxx).clamp(-Correction::MAX_SLOPE, Correction::MAX_SLOPE) } else { 0.0 };
    Correction { offset_db: me - b * mx, slope_db_per_decade: b }
}

/// The fold of a point at local (x, y): its block's, by a hash of the block (deterministic,
/// and blocks spread evenly over the folds).
fn fold_of(x: f64, y: f64, s: &CalibrationSettings) -> usize {
    let (i, j) = ((x / s.block_m).floor() as i64, (y / s.block_m).floor() as i64);
    let mut z = (i as u64).wrapping_mul(0x9E37_79B9_7F4A_7C15) ^ (j as u64).wrapping_mul(0xC2B2_AE3D_27D4_EB4F);
    z = (z ^ (z >> 31)).wrapping_mul(0xBF58_476D_1CE4_E5B9);
    ((z ^ (z >> 29)) % s.folds.max(2) as u64) as usize
}

/// Calibrates each environment on `pairs` (those with a measured RSRP), `xy` giving each
/// pair's local position.
pub fn calibrate(pairs: &[Pair], xy: impl Fn(&Pair) -> (f64, f64), s: &CalibrationSettings) -> Vec<Fit> {
    [Environment::Urban, Environment::Rural]
        .into_iter()
        .map(|env| {
            // (fold, log10 d/1 km, error)
            let points: Vec<(usize, f64, f64)> = pairs
                .iter()
                .filter(|p| p.environment == env)
                .filter_map(|p| {
                    let (x, y) = xy(p);
                    p.rsrp_error_db().map(|e| (fold_of(x, y, s), (p.distance_m.max(1.0) / 1000.0).log10(), e))
                })
                .collect();
            fit_environment(env, &points, s)
        })
        .collect()
}

fn fit_environment(environment: Environment, points: &[(usize, f64, f64)], s: &CalibrationSettings) -> Fit {
    let all: Vec<(f64, f64)> = points.iter().map(|p| (p.1, p.2)).collect();
    let correction = fit_line(&all);
    let before = ErrorStats::of(points.iter().map(|p| p.2));
    let mut held_out = vec![f64::NAN; points.len()];
    for fold in 0..s.folds.max(2) {
        let train: Vec<(f64, f64)> = points.iter().filter(|p| p.0 != fold).map(|p| (p.1, p.2)).collect();
        let c = fit_line(&train);
        for (k, p) in points.iter().enumerate().filter(|(_, p)| p.0 == fold) {
            held_out[k] = p.2 - (c.offset_db + c.slope_db_per_decade * p.1);
        }
    }
    let after = ErrorStats::of(held_out.iter().copied());
    let (applied, note) = match (before, after) {
        _ if points.len() < s.min_points => (false, format!("{} measurements; at least {} are needed", points.len(), s.min_points)),
        (Some(b), Some(a)) if a.rmse_db < b.rmse_db => (true, String::new()),
        (Some(b), Some(a)) => (false, format!("held-out RMSE would not improve ({:.2} → {:.2} dB)", b.rmse_db, a.rmse_db)),
        _ => (false, "no measurements".into()),
    };
    Fit { environment, count: points.len(), correction, before, after, applied, note }
}

#[cfg(test)]
mod tests {
    use super::*;

    /// Points on e = 4 − 6·x exactly give back 4 and −6; the slope is held to the limit.
    #[test]
    fn a_line_is_fitted_exactly() {
        let pts: Vec<(f64, f64)> = (0..20).map(|i| (i as f64 * 0.1 - 1.0, 4.0 - 6.0 * (i as f64 * 0.1 - 1.0))).collect();
        let c = fit_line(&pts);
        assert!((c.offset_db - 4.0).abs() < 1e-9 && (c.slope_db_per_decade + 6.0).abs() < 1e-9, "{c:?}");
        let steep: Vec<(f64, f64)> = pts.iter().map(|p| (p.0, 30.0 * p.0)).collect();
        assert_eq!(fit_line(&steep).slope_db_per_decade, Correction::MAX_SLOPE);
        // One distance only: no slope, the mean as the offset.
        let c = fit_line(&[(0.3, 1.0), (0.3, 3.0)]);
        assert_eq!((c.offset_db, c.slope_db_per_decade), (2.0, 0.0));
    }

    /// Hand-computed: errors 2, 2, 2, 2 at x = 0 in two folds: before RMSE 2, after 0
    /// (each fold's fit on the other is offset 2).
    #[test]
    fn cross_validation_holds_each_fold_out() {
        let pts = [(0, 0.0, 2.0), (1, 0.0, 2.0), (0, 0.0, 2.0), (1, 0.0, 2.0)];
        let s = CalibrationSettings { folds: 2, block_m: 1000.0, min_points: 4 };
        let f = fit_environment(Environment::Rural, &pts, &s);
        assert_eq!(f.before.unwrap().rmse_db, 2.0);
        assert!(f.after.unwrap().rmse_db < 1e-12);
        assert!(f.applied);
        let few = fit_environment(Environment::Rural, &pts[..2], &s);
        assert!(!few.applied && few.note.contains("at least 4"), "{}", few.note);
    }
}
