//! Closed forms of the 38.901 losses for one sector, for the hot loop of the mobile engine.

use super::pathloss::{Model, Scenario};

/// Path-loss coefficients of one sector at handset height, so that the hot loop needs one
/// logarithm per link: every 38.901 formula used here is `a + b·log10(d3D) (+ c·d3D)` for fixed
/// frequency and heights. Valid only inside the models' ranges; elsewhere the general model runs.
#[derive(Debug, Clone, Copy)]
pub struct FastLoss {
    /// Receiver height the coefficients hold for (m).
    pub h_ut: f64,
    rma_bp: f64,
    /// RMa PL1 = a + b·lg + c·d3D.
    rma_pl1: (f64, f64, f64),
    /// RMa PL2 = a + 40·lg.
    rma_pl2_a: f64,
    /// RMa NLOS' = a + b·lg.
    rma_nlos: (f64, f64),
    uma_bp: f64,
    uma_los1: (f64, f64),
    uma_los2: (f64, f64),
    uma_nlos: (f64, f64),
}

impl FastLoss {
    /// Coefficients for a sector at `freq_mhz` and `h_bs`, receiver at `h_ut`.
    pub fn new(freq_mhz: f64, h_bs: f64, h_ut: f64) -> FastLoss {
        let fc = freq_mhz / 1000.0;
        let lf = fc.log10();
        let (h, w) = (5.0f64, 20.0f64);
        let k1 = (0.03 * h.powf(1.72)).min(10.0);
        let k2 = (0.044 * h.powf(1.72)).min(14.77);
        let k3 = 0.002 * h.log10();
        let a1 = 20.0 * (40.0 * std::f64::consts::PI * fc / 3.0).log10() - k2;
        let rma_bp = 2.0 * std::f64::consts::PI * h_bs * h_ut * freq_mhz * 1e6 / 299_792_458.0;
        let pl1_bp = a1 + (20.0 + k1) * rma_bp.log10() + k3 * rma_bp;
        let b_n = 43.42 - 3.1 * h_bs.log10();
        let a_n = 161.04 - 7.1 * w.log10() + 7.5 * h.log10() - (24.37 - 3.7 * (h / h_bs).powi(2)) * h_bs.log10() - 3.0 * b_n + 20.0 * lf
            - (3.2 * (11.75 * h_ut).log10().powi(2) - 4.97);
        let uma_bp = 4.0 * (h_bs - 1.0) * (h_ut - 1.0) * freq_mhz * 1e6 / 299_792_458.0;
        FastLoss {
            h_ut,
            rma_bp,
            rma_pl1: (a1, 20.0 + k1, k3),
            rma_pl2_a: pl1_bp - 40.0 * rma_bp.log10(),
            rma_nlos: (a_n, b_n),
            uma_bp,
            uma_los1: (28.0 + 20.0 * lf, 22.0),
            uma_los2: (28.0 + 20.0 * lf - 9.0 * (uma_bp.powi(2) + (h_bs - h_ut).powi(2)).log10(), 40.0),
            uma_nlos: (13.54 + 20.0 * lf - 0.6 * (h_ut - 1.5), 39.08),
        }
    }

    /// The loss of `model` at horizontal `d` (3D `d3`, log10 `lg`), when the fast form applies.
    pub fn loss(&self, model: &Model, d: f64, d3: f64, lg: f64) -> f64 {
        match *model {
            Model::Tr38901 { scenario: Scenario::Rma, los, .. } => {
                let l = if d <= self.rma_bp { self.rma_pl1.0 + self.rma_pl1.1 * lg + self.rma_pl1.2 * d3 } else { self.rma_pl2_a + 40.0 * lg };
                if los { l } else { l.max(self.rma_nlos.0 + self.rma_nlos.1 * lg) }
            }
            Model::Tr38901 { scenario: Scenario::Uma, los, .. } => {
                let l = if d <= self.uma_bp { self.uma_los1.0 + self.uma_los1.1 * lg } else { self.uma_los2.0 + self.uma_los2.1 * lg };
                if los { l } else { l.max(self.uma_nlos.0 + self.uma_nlos.1 * lg) }
            }
            _ => unreachable!("only RMa and UMa take the fast path"),
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::coverage::radio::engine::{Environment, choose_model};
    use crate::coverage::radio::pathloss::Link;

    #[test]
    fn fast_loss_equals_the_models() {
        let mut seed = 12345u64;
        let mut rnd = || {
            seed ^= seed << 13;
            seed ^= seed >> 7;
            seed ^= seed << 17;
            (seed >> 11) as f64 / (1u64 << 53) as f64
        };
        for _ in 0..20_000 {
            let freq = 600.0 + 4000.0 * rnd();
            let h_bs = 10.0 + 60.0 * rnd();
            let d = 10.0 + 9990.0 * rnd();
            let fast = FastLoss::new(freq, h_bs, 1.5);
            for env in [Environment::Rural, Environment::Urban] {
                let (model, _) = choose_model(env, d);
                let link = Link { freq_mhz: freq, dist_m: d, h_bs_m: h_bs, h_ut_m: 1.5 };
                if !model.in_range(&link) {
                    continue;
                }
                let d3 = link.d3d();
                let want = model.path_loss(&link).db;
                let got = fast.loss(&model, d, d3, d3.log10());
                assert!((want - got).abs() < 1e-9, "{model:?} {link:?}: {got} vs {want}");
            }
        }
    }
}
