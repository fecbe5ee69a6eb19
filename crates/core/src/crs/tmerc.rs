//! Transverse Mercator by Krüger's series to 4th order in n (Karney 2011, eqs. 35–36):
//! sub-millimetre within a few thousand kilometres of the central meridian. Used for the
//! project's local frame and as the fast path for Gauss-Krüger and UTM data.

/// An ellipsoid by semi-major axis (m) and flattening.
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct Ellipsoid {
    /// Semi-major axis in metres.
    pub a: f64,
    /// Flattening.
    pub f: f64,
}

/// WGS84.
pub const WGS84: Ellipsoid = Ellipsoid { a: 6_378_137.0, f: 1.0 / 298.257_223_563 };
/// GRS80, the ellipsoid of CGCS2000.
pub const GRS80: Ellipsoid = Ellipsoid { a: 6_378_137.0, f: 1.0 / 298.257_222_101 };

/// A transverse Mercator projection: central meridian, scale, false easting/northing, origin latitude.
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct TransverseMercator {
    lon0: f64,
    k0: f64,
    x0: f64,
    y0: f64,
    a_rect: f64,
    alpha: [f64; 4],
    beta: [f64; 4],
    delta: [f64; 4],
    e: f64,
    /// Northing of the origin latitude on the central meridian (before scaling and false northing).
    m0: f64,
}

impl TransverseMercator {
    /// A projection on `ell` with central meridian `lon0` (°), origin latitude `lat0` (°), scale `k0`,
    /// false easting `x0` and false northing `y0` (m).
    pub fn new(ell: Ellipsoid, lon0: f64, lat0: f64, k0: f64, x0: f64, y0: f64) -> Self {
        let n = ell.f / (2.0 - ell.f);
        let (n2, n3, n4) = (n * n, n * n * n, n * n * n * n);
        let mut tm = TransverseMercator {
            lon0,
            k0,
            x0,
            y0,
            a_rect: ell.a / (1.0 + n) * (1.0 + n2 / 4.0 + n4 / 64.0),
            alpha: [
                n / 2.0 - 2.0 * n2 / 3.0 + 5.0 * n3 / 16.0 + 41.0 * n4 / 180.0,
                13.0 * n2 / 48.0 - 3.0 * n3 / 5.0 + 557.0 * n4 / 1440.0,
                61.0 * n3 / 240.0 - 103.0 * n4 / 140.0,
                49561.0 * n4 / 161280.0,
            ],
            beta: [
                n / 2.0 - 2.0 * n2 / 3.0 + 37.0 * n3 / 96.0 - n4 / 360.0,
                n2 / 48.0 + n3 / 15.0 - 437.0 * n4 / 1440.0,
                17.0 * n3 / 480.0 - 37.0 * n4 / 840.0,
                4397.0 * n4 / 161280.0,
            ],
            delta: [
                2.0 * n - 2.0 * n2 / 3.0 - 2.0 * n3 + 116.0 * n4 / 45.0,
                7.0 * n2 / 3.0 - 8.0 * n3 / 5.0 - 227.0 * n4 / 45.0,
                56.0 * n3 / 15.0 - 136.0 * n4 / 35.0,
                4279.0 * n4 / 630.0,
            ],
            e: (ell.f * (2.0 - ell.f)).sqrt(),
            m0: 0.0,
        };
        tm.m0 = tm.raw_forward(lon0, lat0).1;
        tm
    }

    /// (η-part, ξ-part) in metres before scale and false origin.
    fn raw_forward(&self, lon: f64, lat: f64) -> (f64, f64) {
        let phi = lat.to_radians();
        let lam = (lon - self.lon0).to_radians();
        let s = phi.sin();
        let t = (s.atanh() - self.e * (self.e * s).atanh()).sinh();
        let (sl, cl) = lam.sin_cos();
        let xi_p = t.atan2(cl);
        let eta_p = (sl / (1.0 + t * t).sqrt()).atanh();
        let (dxi, deta) = clenshaw_sin(&self.alpha, xi_p, eta_p);
        (self.a_rect * (eta_p + deta), self.a_rect * (xi_p + dxi))
    }

    /// Lon/lat (°) → easting, northing (m).
    pub fn forward(&self, lon: f64, lat: f64) -> (f64, f64) {
        let (x, y) = self.raw_forward(lon, lat);
        (self.x0 + self.k0 * x, self.y0 + self.k0 * (y - self.m0))
    }

    /// Easting, northing (m) → lon/lat (°).
    pub fn inverse(&self, x: f64, y: f64) -> (f64, f64) {
        let xi = ((y - self.y0) / self.k0 + self.m0) / self.a_rect;
        let eta = (x - self.x0) / self.k0 / self.a_rect;
        let (dxi, deta) = clenshaw_sin(&self.beta, xi, eta);
        let (xi_p, eta_p) = (xi - dxi, eta - deta);
        let chi = (xi_p.sin() / eta_p.cosh()).asin();
        // φ = χ + Σ δ_j sin(2jχ), by Clenshaw on the real axis.
        let (s2, c2) = (2.0 * chi).sin_cos();
        let (mut b1, mut b2) = (0.0, 0.0);
        for d in self.delta.iter().rev() {
            let b0 = d + 2.0 * c2 * b1 - b2;
            b2 = b1;
            b1 = b0;
        }
        let phi = chi + b1 * s2;
        let lam = eta_p.sinh().atan2(xi_p.cos());
        (self.lon0 + lam.to_degrees(), phi.to_degrees())
    }
}

/// Σ_j c_j sin(2j ζ) for complex ζ = ξ + iη, by Clenshaw summation: one sin/cos and one exp
/// instead of four of each per term. Returns (real, imaginary) = (ξ-part, η-part).
fn clenshaw_sin(c: &[f64; 4], xi: f64, eta: f64) -> (f64, f64) {
    let (s, co) = (2.0 * xi).sin_cos();
    let e = (2.0 * eta).exp();
    let (sh, ch) = ((e - 1.0 / e) / 2.0, (e + 1.0 / e) / 2.0);
    // sin 2ζ = s·ch + i·co·sh ; 2 cos 2ζ = 2(co·ch − i·s·sh)
    let (zr, zi) = (2.0 * co * ch, -2.0 * s * sh);
    let (mut b1r, mut b1i, mut b2r, mut b2i) = (0.0, 0.0, 0.0, 0.0);
    for &a in c.iter().rev() {
        let b0r = a + zr * b1r - zi * b1i - b2r;
        let b0i = zr * b1i + zi * b1r - b2i;
        b2r = b1r;
        b2i = b1i;
        b1r = b0r;
        b1i = b0i;
    }
    let (sr, si) = (s * ch, co * sh);
    (b1r * sr - b1i * si, b1r * si + b1i * sr)
}

/// The parameters of a proj string as key → value (`+proj=tmerc +lon_0=114` → proj: tmerc, lon_0: 114).
fn params(proj: &str) -> Vec<(&str, &str)> {
    proj.split_whitespace().filter_map(|p| p.strip_prefix('+')).map(|p| p.split_once('=').unwrap_or((p, ""))).collect()
}

/// A transverse Mercator (tmerc or utm) on WGS84/GRS80 in metres without a datum shift, when
/// `proj` describes one: such data needs no geocentric datum step, so the series is exact enough.
pub fn from_proj_string(proj: &str) -> Option<TransverseMercator> {
    let p = params(proj);
    let get = |k: &str| p.iter().find(|(key, _)| *key == k).map(|(_, v)| *v);
    let num = |k: &str, d: f64| get(k).map_or(Some(d), |v| v.parse().ok());
    if get("towgs84").is_some() || get("nadgrids").is_some() || get("units").is_some_and(|u| u != "m") || get("a").is_some() {
        return None;
    }
    let ell = match (get("ellps"), get("datum")) {
        (Some("GRS80"), _) => GRS80,
        (Some("WGS84"), _) | (None, Some("WGS84")) => WGS84,
        _ => return None,
    };
    match get("proj")? {
        "tmerc" => {
            Some(TransverseMercator::new(ell, num("lon_0", 0.0)?, num("lat_0", 0.0)?, num("k", 1.0).or(num("k_0", 1.0))?, num("x_0", 0.0)?, num("y_0", 0.0)?))
        }
        "utm" => {
            let zone: f64 = get("zone")?.parse().ok()?;
            let south = get("south").is_some();
            Some(TransverseMercator::new(ell, -183.0 + 6.0 * zone, 0.0, 0.9996, 500_000.0, if south { 10_000_000.0 } else { 0.0 }))
        }
        _ => None,
    }
}

/// True when `proj` is lon/lat on WGS84 or GRS80 without a shift (CGCS2000 is WGS84 to 0.1 mm).
pub fn is_plain_lon_lat(proj: &str) -> bool {
    let p = params(proj);
    let get = |k: &str| p.iter().find(|(key, _)| *key == k).map(|(_, v)| *v);
    matches!(get("proj"), Some("longlat" | "latlong"))
        && get("towgs84").is_none()
        && get("pm").is_none()
        && matches!((get("ellps"), get("datum")), (Some("GRS80" | "WGS84"), _) | (None, Some("WGS84")))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn clenshaw_equals_direct_sum() {
        let c = [1e-3, 2e-6, 3e-9, 4e-12];
        for (xi, eta) in [(0.4, 0.01), (0.7, -0.03), (1.2, 0.05)] {
            let (mut r, mut i) = (0.0, 0.0);
            for (j, a) in c.iter().enumerate() {
                let k = 2.0 * (j as f64 + 1.0);
                r += a * (k * xi).sin() * (k * eta).cosh();
                i += a * (k * xi).cos() * (k * eta).sinh();
            }
            let (cr, ci) = clenshaw_sin(&c, xi, eta);
            assert!((cr - r).abs() < 1e-17 && (ci - i).abs() < 1e-17, "{cr} {r} {ci} {i}");
        }
    }
}
