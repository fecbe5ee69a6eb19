//! The radio environment of a place and the 38.901 model it picks: RMa in the country, UMa in
//! dense town cores, LOS where P_LOS ≥ 0.5.

use super::pathloss::{Model, Scenario};
use serde::Serialize;

/// The radio environment at a receiver, which picks the path-loss model.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
pub enum Environment {
    /// Urban (urban-rural code 1xx, or dense buildings): 38.901 UMa.
    Urban,
    /// Rural: 38.901 RMa.
    Rural,
}

/// UMa P_LOS (h_UT ≤ 13 m): 1 up to 18 m, then 18/d + exp(−d/63)·(1 − 18/d).
pub fn uma_p_los(d2d: f64) -> f64 {
    if d2d <= 18.0 { 1.0 } else { 18.0 / d2d + (-d2d / 63.0).exp() * (1.0 - 18.0 / d2d) }
}

/// The farthest distance with UMa P_LOS ≥ 0.5: P_LOS falls with distance, so LOS ⇔ d ≤ this
/// (found once by bisection down to adjacent doubles, so no link needs the exponential).
static UMA_LOS_MAX_M: std::sync::LazyLock<f64> = std::sync::LazyLock::new(|| {
    let (mut lo, mut hi) = (18.0f64, 1000.0f64);
    while hi - lo > f64::EPSILON * hi {
        let mid = 0.5 * (lo + hi);
        if mid <= lo || mid >= hi {
            break;
        }
        if uma_p_los(mid) >= 0.5 { lo = mid } else { hi = mid }
    }
    lo
});

/// The distance (m) past which [`choose_model`] assumes no line of sight in `env`.
pub fn los_max_m(env: Environment) -> f64 {
    match env {
        // RMa: P_LOS = exp(−(d − 10)/1000) ≥ 0.5 ⇔ d ≤ 10 + 1000·ln 2.
        Environment::Rural => 10.0 + 1000.0 * std::f64::consts::LN_2,
        Environment::Urban => *UMA_LOS_MAX_M,
    }
}

/// The 38.901 scenario of an environment.
pub fn scenario_of(env: Environment) -> Scenario {
    match env {
        Environment::Rural => Scenario::Rma,
        Environment::Urban => Scenario::Uma,
    }
}

/// 38.901 model and LOS for an environment and distance: LOS where P_LOS ≥ 0.5.
pub fn choose_model(env: Environment, d2d: f64) -> (Model, bool) {
    let los = d2d <= los_max_m(env);
    (Model::tr38901(scenario_of(env), los), los)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn model_choice_by_environment() {
        assert!(choose_model(Environment::Rural, 700.0).1);
        assert!(!choose_model(Environment::Rural, 710.0).1);
        assert!(matches!(choose_model(Environment::Urban, 30.0).0, Model::Tr38901 { scenario: Scenario::Uma, los: true, .. }));
        assert!(matches!(choose_model(Environment::Urban, 300.0).0, Model::Tr38901 { scenario: Scenario::Uma, los: false, .. }));
        // The precomputed LOS distance decides exactly as P_LOS ≥ 0.5 does.
        for k in 0..20_000 {
            let d = 1.0 + k as f64 * 0.05;
            assert_eq!(choose_model(Environment::Urban, d).1, uma_p_los(d) >= 0.5, "d = {d}");
        }
    }
}
