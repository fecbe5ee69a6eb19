//! Terrain along a link: the height profile (with the earth's curvature), the line-of-sight
//! test, and the diffraction loss over the obstacles by Deygout's method with ITU-R P.526
//! knife edges. Villages in a valley behind a ridge come out worse than on the open slope.

use crate::io::terrain::Terrain;
use crate::spatial::LocalFrame;

/// Effective earth radius (m): 4/3 of 6 371 km, the standard atmosphere.
pub const EFFECTIVE_EARTH_RADIUS_M: f64 = 6_371_000.0 * 4.0 / 3.0;

/// Ground heights along a straight path, every `step_m`, both ends included.
#[derive(Debug, Clone, PartialEq)]
pub struct Profile {
    /// Distance of each sample from the start (m).
    pub dist_m: Vec<f64>,
    /// Ground height of each sample (m), curvature not applied.
    pub ground_m: Vec<f64>,
}

/// Samples the terrain between local points a and b; `None` when any sample falls outside
/// the terrain model or on nodata (the link then gets no terrain loss, and says so).
pub fn profile(terrain: &Terrain, frame: &LocalFrame, a: (f64, f64), b: (f64, f64), step_m: f64) -> Option<Profile> {
    let len = ((b.0 - a.0).powi(2) + (b.1 - a.1).powi(2)).sqrt();
    profile_between(terrain, frame.inverse(a.0, a.1), frame.inverse(b.0, b.1), len, step_m)
}

/// [`profile`] between two points given as WGS84 (lon, lat), `len_m` apart (in the local
/// frame), for callers that convert each end once for many profiles.
pub fn profile_between(terrain: &Terrain, a: (f64, f64), b: (f64, f64), len_m: f64, step_m: f64) -> Option<Profile> {
    let mut p = Profile { dist_m: Vec::new(), ground_m: Vec::new() };
    sample_into(terrain, a, b, len_m, step_m, &mut p).then_some(p)
}

/// [`profile_between`] into `p` (its buffers reused: this runs for every village and sector);
/// `false` when a sample is missing.
pub fn sample_into(terrain: &Terrain, a: (f64, f64), b: (f64, f64), len_m: f64, step_m: f64, p: &mut Profile) -> bool {
    let n = ((len_m / step_m).ceil() as usize).max(1);
    p.dist_m.clear();
    p.ground_m.clear();
    // Over a link of a few kilometres a straight line in lon/lat strays from the straight line in
    // the frame by millimetres: interpolate between the converted ends.
    if !terrain.heights_along(a, b, n, &mut p.ground_m) {
        return false;
    }
    p.dist_m.extend((0..=n).map(|i| i as f64 / n as f64 * len_m));
    true
}

/// ITU-R P.526 single knife-edge loss J(ν) in dB (eq. 31); 0 for ν ≤ −0.78.
pub fn knife_edge_db(nu: f64) -> f64 {
    if nu <= -0.78 { 0.0 } else { 6.9 + 20.0 * (((nu - 0.1).powi(2) + 1.0).sqrt() + nu - 0.1).log10() }
}

/// The diffraction parameter ν of the sample with the largest one between indices `i0` and `i1`
/// (exclusive), and its index, for antenna heights (above sea level) `h0` and `h1`; only
/// samples that rise above the line count (`None` when none does): the callers charge
/// edges with ν > 0 alone, and most samples of most paths lie below the line.
fn main_edge(p: &Profile, bulged: &[f64], i0: usize, i1: usize, h0: f64, h1: f64, lambda: f64) -> Option<(usize, f64)> {
    let (d0, d1) = (p.dist_m[i0], p.dist_m[i1]);
    let mut best: Option<(usize, f64)> = None;
    for (i, (&d, &ground)) in p.dist_m.iter().zip(bulged).enumerate().take(i1).skip(i0 + 1) {
        let (da, db) = (d - d0, d1 - d);
        if da <= 0.0 || db <= 0.0 {
            continue;
        }
        let line = h0 + (h1 - h0) * da / (d1 - d0);
        let h = ground - line;
        if h <= 0.0 {
            continue;
        }
        let nu = h * (2.0 / lambda * (1.0 / da + 1.0 / db)).sqrt();
        if best.is_none_or(|b| nu > b.1) {
            best = Some((i, nu));
        }
    }
    best
}

/// Diffraction over the profile by Deygout's method: the main edge, then the main edge of each
/// side (one level, as P.526 § 4.5.1 advises for up to three edges). Antenna heights are above
/// ground at each end. Returns (loss dB, line of sight). Only edges that cut the line of sight
/// (ν > 0) count: the statistical models already hold the ground's effect on an open path, so
/// partial Fresnel-zone obstruction is not charged twice.
pub fn deygout_db(p: &Profile, freq_mhz: f64, h_tx_m: f64, h_rx_m: f64) -> (f64, bool) {
    let n = p.dist_m.len();
    if n < 3 {
        return (0.0, true);
    }
    let lambda = 299_792_458.0 / (freq_mhz * 1e6);
    let total = p.dist_m[n - 1];
    // The earth's bulge raises mid-path ground relative to the straight chord.
    // One buffer per thread: this runs for every profile.
    thread_local!(static BULGED: std::cell::RefCell<Vec<f64>> = const { std::cell::RefCell::new(Vec::new()) });
    BULGED.with_borrow_mut(|bulged| {
        bulged.clear();
        bulged.extend(p.dist_m.iter().zip(&p.ground_m).map(|(&d, &g)| g + d * (total - d) / (2.0 * EFFECTIVE_EARTH_RADIUS_M)));
        let (h0, h1) = (p.ground_m[0] + h_tx_m, p.ground_m[n - 1] + h_rx_m);
        // Only edges above the line (ν > 0) come back: none means a clear path.
        let Some((m, nu)) = main_edge(p, bulged, 0, n - 1, h0, h1, lambda) else { return (0.0, true) };
        let hm = bulged[m];
        let side = |i0: usize, i1: usize, a: f64, b: f64| main_edge(p, bulged, i0, i1, a, b, lambda).map_or(0.0, |(_, v)| knife_edge_db(v));
        (knife_edge_db(nu) + side(0, m, h0, hm) + side(m, n - 1, hm, h1), false)
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    fn prof(ground: &[f64], step: f64) -> Profile {
        Profile { dist_m: (0..ground.len()).map(|i| i as f64 * step).collect(), ground_m: ground.to_vec() }
    }

    #[test]
    fn knife_edge_by_hand() {
        // P.526: J(0) = 6.9 + 20·log10(√(0.01 + 1) − 0.1) = 6.0329 dB; J(1) = 6.9 + 20·log10(√1.81 + 0.9) = 13.9257 dB.
        assert!((knife_edge_db(0.0) - 6.032_852).abs() < 1e-6, "{}", knife_edge_db(0.0));
        assert!((knife_edge_db(1.0) - 13.925_729).abs() < 1e-6, "{}", knife_edge_db(1.0));
        assert_eq!(knife_edge_db(-1.0), 0.0);
    }

    #[test]
    fn flat_ground_is_clear_and_a_ridge_costs() {
        let flat = prof(&[0.0; 21], 100.0);
        assert_eq!(deygout_db(&flat, 900.0, 30.0, 1.5), (0.0, true));
        // A 60 m ridge half way along 2 km between a 30 m mast and a 1.5 m handset.
        let mut g = vec![0.0; 21];
        g[10] = 60.0;
        let (loss, clear) = deygout_db(&prof(&g, 100.0), 900.0, 30.0, 1.5);
        assert!(!clear);
        // By hand: line at 15.75 m, bulge 1000·1000/(2·8 494 667) = 0.0589 m, h = 44.31 m,
        // λ = 0.3331 m, ν = 44.31·√(2/0.3331·(2/1000)) = 4.8555 → J = 26.559 dB; the side
        // paths are clear (no second edge).
        assert!((loss - 26.558_940).abs() < 1e-5, "{loss}");
    }

    #[test]
    fn higher_ridges_cost_more() {
        let mut last = 0.0;
        for h in [30.0, 60.0, 120.0, 240.0] {
            let mut g = vec![0.0; 21];
            g[7] = h;
            let (loss, _) = deygout_db(&prof(&g, 100.0), 1800.0, 30.0, 1.5);
            assert!(loss > last, "{h}: {loss} ≤ {last}");
            last = loss;
        }
    }
}
