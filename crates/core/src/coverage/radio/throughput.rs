//! SINR → spectral efficiency (LTE CQI table, NR 256QAM table, or attenuated Shannon) and rates.

pub use crate::settings::EfficiencyModel;

/// LTE CQI 1–15 efficiencies (b/s/Hz), docs/DOMAIN.md.
pub const LTE_CQI: [f64; 15] = [0.1523, 0.2344, 0.3770, 0.6016, 0.8770, 1.1758, 1.4766, 1.9141, 2.4063, 2.7305, 3.3223, 3.9023, 4.5234, 5.1152, 5.5547];
/// NR 256QAM CQI table efficiencies (b/s/Hz), docs/DOMAIN.md.
pub const NR_CQI_256QAM: [f64; 15] = [0.1523, 0.3770, 0.8770, 1.4766, 1.9141, 2.4063, 2.7305, 3.3223, 3.9023, 4.5234, 5.1152, 5.5547, 6.2266, 6.9141, 7.4063];

/// Attenuated Shannon efficiency, uncapped (b/s/Hz).
fn shannon(sinr_db: f64) -> f64 {
    if sinr_db < -10.0 { 0.0 } else { 0.6 * (1.0 + 10f64.powf(sinr_db / 10.0)).log2() }
}

/// Spectral efficiency (b/s/Hz) at `sinr_db`; `nr` picks the NR table / cap.
pub fn efficiency(model: EfficiencyModel, sinr_db: f64, nr: bool) -> f64 {
    let table: &[f64; 15] = if nr { &NR_CQI_256QAM } else { &LTE_CQI };
    let s = shannon(sinr_db);
    match model {
        EfficiencyModel::Shannon => s.min(if nr { table[14] } else { 4.4 }),
        EfficiencyModel::CqiTable => table.iter().rev().find(|&&e| e <= s).copied().unwrap_or(0.0),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn by_hand() {
        // SINR 10 dB: 0.6·log2(11) = 2.075659 b/s/Hz; CQI quantises to 1.9141 (LTE CQI 8).
        assert!((efficiency(EfficiencyModel::Shannon, 10.0, false) - 2.075_659).abs() < 1e-6);
        assert_eq!(efficiency(EfficiencyModel::CqiTable, 10.0, false), 1.9141);
        assert_eq!(efficiency(EfficiencyModel::Shannon, -11.0, false), 0.0);
        assert_eq!(efficiency(EfficiencyModel::Shannon, 40.0, false), 4.4);
        assert_eq!(efficiency(EfficiencyModel::CqiTable, 40.0, true), 7.4063);
        // Monotonic in SINR.
        let mut last = 0.0;
        for i in -150..400 {
            let e = efficiency(EfficiencyModel::CqiTable, i as f64 / 10.0, true);
            assert!(e >= last);
            last = e;
        }
    }
}
