//! Closed forms of the 38.901 losses for one sector, for the hot loop of the mobile engine.

use super::pathloss::{Model, Scenario};

/// Path-loss coefficients of one sector for one receiver height, so that the hot loop needs one
/// logarithm per link: every 38.901 formula used here is `a + b·log10(d3D) (+ c·d3D)` for fixed
/// frequency and heights. Frequency and heights outside a model's range are clamped into it
/// once here, exactly as [`Model::path_loss`] does, and the link is flagged; only a distance
/// outside the range (under 10 m) needs the general model.
#[derive(Debug, Clone, Copy)]
pub struct FastLoss {
    /// Receiver height the coefficients hold for (m).
    pub h_ut: f64,
    rma: Rma,
    uma: Uma,
}

#[derive(Debug, Clone, Copy)]
struct Rma {
    /// Squared height difference after clamping (m²), for d3D.
    dh2: f64,
    /// Frequency and heights inside the range.
    in_range: bool,
    bp: f64,
    /// PL1 = a + b·lg + c·d3D.
    pl1: (f64, f64, f64),
    /// PL2 = a + 40·lg.
    pl2_a: f64,
    /// NLOS' = a + b·lg.
    nlos: (f64, f64),
}

#[derive(Debug, Clone, Copy)]
struct Uma {
    dh2: f64,
    in_range: bool,
    bp: f64,
    los1: (f64, f64),
    los2: (f64, f64),
    nlos: (f64, f64),
}

impl FastLoss {
    /// Coefficients for a sector at `freq_mhz` and `h_bs`, receiver at `h_ut`.
    pub fn new(freq_mhz: f64, h_bs: f64, h_ut: f64) -> FastLoss {
        FastLoss { h_ut, rma: Rma::new(freq_mhz, h_bs, h_ut), uma: Uma::new(freq_mhz, h_bs, h_ut) }
    }

    /// The loss of `model` at horizontal distance `d` and whether the link was inside the
    /// model's range, or `None` when `d` lies outside the model's distance range. `lg_d`, when
    /// the caller has it, is log10(d): far links then need no second logarithm.
    pub fn loss(&self, model: &Model, d: f64, lg_d: Option<f64>) -> Option<(f64, bool)> {
        let dist = model.validity().dist_m;
        if !dist.contains(d) {
            return None;
        }
        Some(match *model {
            Model::Tr38901 { scenario: Scenario::Rma, los, building_height_m: 5.0, street_width_m: 20.0 } => {
                let r = &self.rma;
                let d3 = (d * d + r.dh2).sqrt();
                let lg = log10_d3(d, r.dh2, lg_d);
                let l = if d <= r.bp { r.pl1.0 + r.pl1.1 * lg + r.pl1.2 * d3 } else { r.pl2_a + 40.0 * lg };
                (if los { l } else { l.max(r.nlos.0 + r.nlos.1 * lg) }, r.in_range)
            }
            Model::Tr38901 { scenario: Scenario::Uma, los, .. } => {
                let u = &self.uma;
                let lg = log10_d3(d, u.dh2, lg_d);
                let l = if d <= u.bp { u.los1.0 + u.los1.1 * lg } else { u.los2.0 + u.los2.1 * lg };
                (if los { l } else { l.max(u.nlos.0 + u.nlos.1 * lg) }, u.in_range)
            }
            _ => return None,
        })
    }
}

/// log10 of the 3D distance √(d² + dh²): from log10(d) by the series of ln(1 + x), x = dh²/d²,
/// where x is small (to x⁵, exact to 1e-11), else directly.
fn log10_d3(d: f64, dh2: f64, lg_d: Option<f64>) -> f64 {
    let x = dh2 / (d * d);
    match lg_d {
        Some(lg) if x < 0.03 => {
            let ln1p = x * (1.0 - x * (0.5 - x * (1.0 / 3.0 - x * (0.25 - x * 0.2))));
            lg + 0.5 * ln1p * std::f64::consts::LOG10_E
        }
        _ => (d * d + dh2).sqrt().log10(),
    }
}

impl Rma {
    fn new(freq_mhz: f64, h_bs: f64, h_ut: f64) -> Rma {
        let v = Model::tr38901(Scenario::Rma, false).validity();
        let in_range = v.freq_mhz.contains(freq_mhz) && v.h_bs_m.contains(h_bs) && v.h_ut_m.contains(h_ut);
        let (freq_mhz, h_bs, h_ut) = (v.freq_mhz.clamp(freq_mhz), v.h_bs_m.clamp(h_bs), v.h_ut_m.clamp(h_ut));
        let fc = freq_mhz / 1000.0;
        let (h, w) = (5.0f64, 20.0f64);
        let k1 = (0.03 * h.powf(1.72)).min(10.0);
        let k2 = (0.044 * h.powf(1.72)).min(14.77);
        let k3 = 0.002 * h.log10();
        let a1 = 20.0 * (40.0 * std::f64::consts::PI * fc / 3.0).log10() - k2;
        let bp = 2.0 * std::f64::consts::PI * h_bs * h_ut * freq_mhz * 1e6 / 299_792_458.0;
        let pl1_bp = a1 + (20.0 + k1) * bp.log10() + k3 * bp;
        let b_n = 43.42 - 3.1 * h_bs.log10();
        let a_n = 161.04 - 7.1 * w.log10() + 7.5 * h.log10() - (24.37 - 3.7 * (h / h_bs).powi(2)) * h_bs.log10() - 3.0 * b_n + 20.0 * fc.log10()
            - (3.2 * (11.75 * h_ut).log10().powi(2) - 4.97);
        Rma { dh2: (h_bs - h_ut).powi(2), in_range, bp, pl1: (a1, 20.0 + k1, k3), pl2_a: pl1_bp - 40.0 * bp.log10(), nlos: (a_n, b_n) }
    }
}

impl Uma {
    fn new(freq_mhz: f64, h_bs: f64, h_ut: f64) -> Uma {
        let v = Model::tr38901(Scenario::Uma, false).validity();
        let in_range = v.freq_mhz.contains(freq_mhz) && v.h_bs_m.contains(h_bs) && v.h_ut_m.contains(h_ut);
        let (freq_mhz, h_bs, h_ut) = (v.freq_mhz.clamp(freq_mhz), v.h_bs_m.clamp(h_bs), v.h_ut_m.clamp(h_ut));
        let lf = (freq_mhz / 1000.0).log10();
        let bp = 4.0 * (h_bs - 1.0) * (h_ut - 1.0) * freq_mhz * 1e6 / 299_792_458.0;
        Uma {
            dh2: (h_bs - h_ut).powi(2),
            in_range,
            bp,
            los1: (28.0 + 20.0 * lf, 22.0),
            los2: (28.0 + 20.0 * lf - 9.0 * (bp.powi(2) + (h_bs - h_ut).powi(2)).log10(), 40.0),
            nlos: (13.54 + 20.0 * lf - 0.6 * (h_ut - 1.5), 39.08),
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::coverage::radio::engine::{Environment, choose_model};
    use crate::coverage::radio::pathloss::Link;

    #[test]
    fn fast_loss_equals_the_models_in_and_out_of_range() {
        let mut seed = 12345u64;
        let mut rnd = || {
            seed ^= seed << 13;
            seed ^= seed >> 7;
            seed ^= seed << 17;
            (seed >> 11) as f64 / (1u64 << 53) as f64
        };
        let mut flagged = 0;
        for _ in 0..20_000 {
            // Heights and frequencies reach past the models' ranges, to check the clamping.
            let freq = 300.0 + 6000.0 * rnd();
            let h_bs = 5.0 + 70.0 * rnd();
            let h_ut = [1.5, 0.5, 6.0, 12.0][(rnd() * 4.0) as usize];
            let d = 1.0 + 9999.0 * rnd();
            let fast = FastLoss::new(freq, h_bs, h_ut);
            for env in [Environment::Rural, Environment::Urban] {
                let (model, _) = choose_model(env, d);
                let link = Link { freq_mhz: freq, dist_m: d, h_bs_m: h_bs, h_ut_m: h_ut };
                let want = model.path_loss(&link);
                let lg_d = (rnd() < 0.5).then(|| d.log10());
                match fast.loss(&model, d, lg_d) {
                    Some((got, in_range)) => {
                        assert!((want.db - got).abs() < 1e-9, "{model:?} {link:?}: {got} vs {}", want.db);
                        assert_eq!(in_range, want.in_range, "{model:?} {link:?}");
                        flagged += usize::from(!in_range);
                    }
                    None => assert!(!model.validity().dist_m.contains(d), "{model:?} {link:?}: the fast form must cover every distance in range"),
                }
            }
        }
        assert!(flagged > 1000, "the clamped cases were exercised ({flagged})");
    }
}
