//! GCJ-02 (火星坐标, Amap/Tencent) and BD-09 (Baidu) offsets, and their inverses to WGS84.
//!
//! Forward formulas are the public ones with the Krasovsky constants from
//! docs/DOMAIN.md; the inverse iterates the forward transform until it
//! reproduces the input to well under a centimetre.

use std::f64::consts::PI;

const A: f64 = 6378245.0;
const EE: f64 = 0.006_693_421_622_965_943;
const X_PI: f64 = PI * 3000.0 / 180.0;

/// True where the GCJ-02 offset applies (a rough box around China, as in the public code).
pub fn in_china(lon: f64, lat: f64) -> bool {
    (72.004..=137.8347).contains(&lon) && (0.8293..=55.8271).contains(&lat)
}

fn transform_lat(x: f64, y: f64) -> f64 {
    let mut r = -100.0 + 2.0 * x + 3.0 * y + 0.2 * y * y + 0.1 * x * y + 0.2 * x.abs().sqrt();
    r += (20.0 * (6.0 * x * PI).sin() + 20.0 * (2.0 * x * PI).sin()) * 2.0 / 3.0;
    r += (20.0 * (y * PI).sin() + 40.0 * (y / 3.0 * PI).sin()) * 2.0 / 3.0;
    r += (160.0 * (y / 12.0 * PI).sin() + 320.0 * (y * PI / 30.0).sin()) * 2.0 / 3.0;
    r
}

fn transform_lon(x: f64, y: f64) -> f64 {
    let mut r = 300.0 + x + 2.0 * y + 0.1 * x * x + 0.1 * x * y + 0.1 * x.abs().sqrt();
    r += (20.0 * (6.0 * x * PI).sin() + 20.0 * (2.0 * x * PI).sin()) * 2.0 / 3.0;
    r += (20.0 * (x * PI).sin() + 40.0 * (x / 3.0 * PI).sin()) * 2.0 / 3.0;
    r += (150.0 * (x / 12.0 * PI).sin() + 300.0 * (x / 30.0 * PI).sin()) * 2.0 / 3.0;
    r
}

/// WGS84 → GCJ-02 (identity outside China).
pub fn wgs84_to_gcj02(lon: f64, lat: f64) -> (f64, f64) {
    if !in_china(lon, lat) {
        return (lon, lat);
    }
    let dlat = transform_lat(lon - 105.0, lat - 35.0);
    let dlon = transform_lon(lon - 105.0, lat - 35.0);
    let radlat = lat / 180.0 * PI;
    let magic = 1.0 - EE * radlat.sin().powi(2);
    let sqrt_magic = magic.sqrt();
    let dlat = (dlat * 180.0) / ((A * (1.0 - EE)) / (magic * sqrt_magic) * PI);
    let dlon = (dlon * 180.0) / (A / sqrt_magic * radlat.cos() * PI);
    (lon + dlon, lat + dlat)
}

/// GCJ-02 → WGS84 by fixed-point iteration on the forward transform (error ≪ 1 m).
pub fn gcj02_to_wgs84(lon: f64, lat: f64) -> (f64, f64) {
    if !in_china(lon, lat) {
        return (lon, lat);
    }
    let (mut wlon, mut wlat) = (lon, lat);
    for _ in 0..30 {
        let (glon, glat) = wgs84_to_gcj02(wlon, wlat);
        let (dx, dy) = (glon - lon, glat - lat);
        wlon -= dx;
        wlat -= dy;
        if dx.abs() < 1e-10 && dy.abs() < 1e-10 {
            break;
        }
    }
    (wlon, wlat)
}

/// BD-09 → GCJ-02 (Baidu's second offset removed).
pub fn bd09_to_gcj02(lon: f64, lat: f64) -> (f64, f64) {
    let x = lon - 0.0065;
    let y = lat - 0.006;
    let z = (x * x + y * y).sqrt() - 0.00002 * (y * X_PI).sin();
    let theta = y.atan2(x) - 0.000003 * (x * X_PI).cos();
    (z * theta.cos(), z * theta.sin())
}

/// GCJ-02 → BD-09.
pub fn gcj02_to_bd09(lon: f64, lat: f64) -> (f64, f64) {
    let z = (lon * lon + lat * lat).sqrt() + 0.00002 * (lat * X_PI).sin();
    let theta = lat.atan2(lon) + 0.000003 * (lon * X_PI).cos();
    (z * theta.cos() + 0.0065, z * theta.sin() + 0.006)
}

/// BD-09 → WGS84: the exact inverse of BD-09's own step, then the iterative GCJ-02 inverse.
pub fn bd09_to_wgs84(lon: f64, lat: f64) -> (f64, f64) {
    // bd09_to_gcj02 is itself only approximate; refine it against the forward formula.
    let (mut glon, mut glat) = bd09_to_gcj02(lon, lat);
    for _ in 0..10 {
        let (blon, blat) = gcj02_to_bd09(glon, glat);
        glon -= blon - lon;
        glat -= blat - lat;
    }
    gcj02_to_wgs84(glon, glat)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn metres(a: (f64, f64), b: (f64, f64)) -> f64 {
        let dy = (a.1 - b.1) * 111_320.0;
        let dx = (a.0 - b.0) * 111_320.0 * a.1.to_radians().cos();
        (dx * dx + dy * dy).sqrt()
    }

    #[test]
    fn offset_is_hundreds_of_metres_and_inverse_is_sub_metre() {
        // Sihui, Zhaoqing; the Bund, Shanghai; Tianjin; Urumqi.
        for p in [(112.695, 23.340), (121.49, 31.24), (117.2, 39.08), (87.6, 43.8)] {
            let g = wgs84_to_gcj02(p.0, p.1);
            let off = metres(p, g);
            assert!((50.0..1000.0).contains(&off), "offset {off} m at {p:?}");
            let back = gcj02_to_wgs84(g.0, g.1);
            assert!(metres(p, back) < 0.01, "{p:?} → {back:?}");
            let b = gcj02_to_bd09(g.0, g.1);
            assert!(metres(p, bd09_to_wgs84(b.0, b.1)) < 0.05);
        }
    }

    #[test]
    fn known_value() {
        // Reference from the public coordtransform code: WGS84 (116.404, 39.915) → GCJ-02.
        let (lon, lat) = wgs84_to_gcj02(116.404, 39.915);
        assert!((lon - 116.410_244).abs() < 2e-6, "{lon}");
        assert!((lat - 39.916_404).abs() < 2e-6, "{lat}");
    }

    #[test]
    fn identity_outside_china() {
        assert_eq!(wgs84_to_gcj02(2.35, 48.85), (2.35, 48.85));
        assert_eq!(gcj02_to_wgs84(-70.0, 10.0), (-70.0, 10.0));
    }
}
