//! Link-budget pieces: resource blocks, reference-signal power per resource element, noise,
//! and outdoor-to-indoor penetration (3GPP TR 38.901 §7.4.3).

use crate::model::Tech;

/// Subcarrier spacing (kHz) assumed for a carrier: LTE 15; NR 30 in TDD bands (≥ 2.3 GHz), else 15.
pub fn scs_khz(tech: Tech, freq_mhz: f64) -> f64 {
    if tech == Tech::Nr && freq_mhz >= 2300.0 { 30.0 } else { 15.0 }
}

/// Resource blocks in a channel (36.101 / 38.101-1 maximum transmission bandwidth configurations).
pub fn n_prb(tech: Tech, bandwidth_mhz: f64, scs_khz: f64) -> u32 {
    let table: &[(f64, u32)] = match (tech, scs_khz as u32) {
        (Tech::Nr, 30) => &[
            (10.0, 24),
            (15.0, 38),
            (20.0, 51),
            (25.0, 65),
            (30.0, 78),
            (40.0, 106),
            (50.0, 133),
            (60.0, 162),
            (70.0, 189),
            (80.0, 217),
            (90.0, 245),
            (100.0, 273),
        ],
        (Tech::Nr, _) => &[(5.0, 25), (10.0, 52), (15.0, 79), (20.0, 106), (25.0, 133), (30.0, 160), (40.0, 216), (50.0, 270)],
        _ => &[(1.4, 6), (3.0, 15), (5.0, 25), (10.0, 50), (15.0, 75), (20.0, 100)],
    };
    // The largest configuration that fits in the channel.
    table.iter().rev().find(|(bw, _)| *bw <= bandwidth_mhz + 1e-9).map_or(table[0].1, |t| t.1)
}

/// Reference-signal power per resource element (dBm): total power − 10·log10(12·N_PRB).
pub fn rs_power_dbm(total_dbm: f64, n_prb: u32) -> f64 {
    total_dbm - 10.0 * (12.0 * n_prb as f64).log10()
}

/// Thermal noise in one resource element (dBm): −174 dBm/Hz + 10·log10(SCS) + noise figure.
pub fn noise_per_re_dbm(scs_khz: f64, noise_figure_db: f64) -> f64 {
    -174.0 + 10.0 * (scs_khz * 1000.0).log10() + noise_figure_db
}

/// Outdoor-to-indoor loss through the wall (dB), 38.901 Table 7.4.3-2: low-loss (standard glass,
/// concrete) or high-loss (IRR glass, concrete) model, plus 0.5 dB per metre indoors.
pub fn o2i_loss_db(freq_mhz: f64, high_loss: bool, indoor_distance_m: f64) -> f64 {
    let f = freq_mhz / 1000.0;
    let concrete = 5.0 + 4.0 * f;
    let tw = if high_loss {
        let irr_glass = 23.0 + 0.3 * f;
        5.0 - 10.0 * (0.7 * 10f64.powf(-irr_glass / 10.0) + 0.3 * 10f64.powf(-concrete / 10.0)).log10()
    } else {
        let glass = 2.0 + 0.2 * f;
        5.0 - 10.0 * (0.3 * 10f64.powf(-glass / 10.0) + 0.7 * 10f64.powf(-concrete / 10.0)).log10()
    };
    tw + 0.5 * indoor_distance_m
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn by_hand() {
        // docs/DOMAIN.md: LTE 20 MHz = 100 PRB; NR 100 MHz at 30 kHz = 273.
        assert_eq!(n_prb(Tech::Lte, 20.0, 15.0), 100);
        assert_eq!(n_prb(Tech::Nr, 100.0, 30.0), 273);
        assert_eq!(n_prb(Tech::Lte, 10.0, 15.0), 50);
        // 46 dBm over 1200 REs: 46 − 30.792 = 15.208 dBm.
        assert!((rs_power_dbm(46.0, 100) - 15.2082).abs() < 1e-4);
        // −174 + 10·log10(15 000) + 9 = −123.239 dBm.
        assert!((noise_per_re_dbm(15.0, 9.0) + 123.2391).abs() < 1e-4);
        // Low-loss O2I at 3.5 GHz: glass 2.7, concrete 19 → 5 − 10·log10(0.3·10^−0.27 + 0.7·10^−1.9) = 12.6975 dB.
        assert!((o2i_loss_db(3500.0, false, 0.0) - 12.6975).abs() < 1e-3, "{}", o2i_loss_db(3500.0, false, 0.0));
        assert!((o2i_loss_db(3500.0, true, 0.0) - 26.8498).abs() < 1e-3);
    }
}
