//! Synthetic terrain for the sample county: plains along the river in the south, ridges and
//! valleys rising to ~700 m in the north, as in the real 四会市.

use crate::rng::hash2;

fn smooth(t: f64) -> f64 {
    t * t * (3.0 - 2.0 * t)
}

fn value_noise(x: f64, y: f64, seed: u64) -> f64 {
    let (xi, yi) = (x.floor(), y.floor());
    let (tx, ty) = (smooth(x - xi), smooth(y - yi));
    let (xi, yi) = (xi as i64, yi as i64);
    let a = hash2(xi, yi, seed);
    let b = hash2(xi + 1, yi, seed);
    let c = hash2(xi, yi + 1, seed);
    let d = hash2(xi + 1, yi + 1, seed);
    (a * (1.0 - tx) + b * tx) * (1.0 - ty) + (c * (1.0 - tx) + d * tx) * ty
}

/// Ground height (m) at local metres (x east, y north); `south` and `north` are the county's y range.
pub fn height(x: f64, y: f64, south: f64, north: f64) -> f64 {
    let mut ridged = 0.0;
    let mut amp = 1.0;
    let mut total = 0.0;
    for (i, wavelength) in [14_000.0, 7_000.0, 3_500.0, 1_600.0].iter().enumerate() {
        let n = value_noise(x / wavelength, y / wavelength, 17 + i as u64);
        ridged += amp * (1.0 - (2.0 * n - 1.0).abs()).powf(1.6);
        total += amp;
        amp *= 0.5;
    }
    let ridged = ridged / total;
    let t = ((y - south) / (north - south)).clamp(0.0, 1.0);
    let mountains = 0.12 + 0.88 * smooth((t * 1.3 - 0.15).clamp(0.0, 1.0));
    (6.0 + 760.0 * mountains * ridged * ridged).round()
}
