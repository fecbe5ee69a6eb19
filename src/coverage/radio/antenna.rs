//! Sector antenna patterns per 3GPP (TR 36.814 / 38.901): parabolic horizontal and vertical
//! cuts, combined and floored at the front-to-back ratio.

/// Horizontal attenuation (dB, ≤ 0) at `phi_deg` off boresight: −min(12·(φ/φ3dB)², A_max).
pub fn horizontal_db(phi_deg: f64, beamwidth_deg: f64, a_max_db: f64) -> f64 {
    let phi = wrap180(phi_deg);
    -(12.0 * (phi / beamwidth_deg).powi(2)).min(a_max_db)
}

/// Vertical attenuation (dB, ≤ 0) at elevation `theta_deg` below the horizon with downtilt `tilt_deg`:
/// −min(12·((θ − tilt)/θ3dB)², SLA_v).
pub fn vertical_db(theta_deg: f64, tilt_deg: f64, beamwidth_deg: f64, sla_db: f64) -> f64 {
    -(12.0 * ((theta_deg - tilt_deg) / beamwidth_deg).powi(2)).min(sla_db)
}

/// Combined attenuation: −min(−(A_H + A_V), A_max).
pub fn combined_db(a_h: f64, a_v: f64, a_max_db: f64) -> f64 {
    -(-(a_h + a_v)).min(a_max_db)
}

/// Angle in (−180°, 180°].
pub fn wrap180(a: f64) -> f64 {
    let r = a.rem_euclid(360.0);
    if r > 180.0 { r - 360.0 } else { r }
}

/// Bearing (degrees clockwise from north) from (x0, y0) to (x1, y1) in a local east/north frame.
pub fn bearing_deg(x0: f64, y0: f64, x1: f64, y1: f64) -> f64 {
    (x1 - x0).atan2(y1 - y0).to_degrees().rem_euclid(360.0)
}

/// Elevation (degrees below the horizon, positive downwards) from an antenna at `h_bs` to a
/// receiver at `h_ut`, `d` metres apart horizontally (both heights above the same datum).
pub fn depression_deg(h_bs: f64, h_ut: f64, d: f64) -> f64 {
    (h_bs - h_ut).atan2(d.max(0.1)).to_degrees()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn patterns_by_hand() {
        // At the 3 dB half-width off boresight: 12·(32.5/65)² = 3 dB.
        assert!((horizontal_db(32.5, 65.0, 20.0) + 3.0).abs() < 1e-12);
        assert_eq!(horizontal_db(0.0, 65.0, 20.0), 0.0);
        // Behind the antenna the front-to-back ratio caps it.
        assert_eq!(horizontal_db(180.0, 65.0, 20.0), -20.0);
        assert_eq!(horizontal_db(-32.5, 65.0, 20.0), horizontal_db(32.5, 65.0, 20.0));
        // 5° below boresight with 10° vertical beamwidth: 12·0.25 = 3 dB.
        assert!((vertical_db(11.0, 6.0, 10.0, 20.0) + 3.0).abs() < 1e-12);
        assert_eq!(combined_db(-15.0, -15.0, 20.0), -20.0);
        assert_eq!(wrap180(350.0), -10.0);
        assert!((bearing_deg(0.0, 0.0, 1.0, 0.0) - 90.0).abs() < 1e-12);
        assert!((depression_deg(31.5, 1.5, 30.0) - 45.0).abs() < 1e-9);
    }
}
