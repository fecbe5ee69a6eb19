//! The scale bar: a round ground length measured on the WGS84 ellipsoid at the map centre, so
//! it stays right whatever the projection (the fault of scale bars read off Web Mercator units).

use super::view::View;
use crate::spatial::LocalFrame;
use geo::{Distance, Geodesic, Point};

/// A scale bar ready to draw.
#[derive(Debug, Clone, PartialEq)]
pub struct ScaleBar {
    /// Ground length the bar stands for, metres.
    pub ground_m: f64,
    /// Its length on screen or paper, in the view's pixels.
    pub px: f64,
    /// "500 m", "2 km".
    pub label: String,
}

/// Ground metres per view pixel along the horizontal through the view's centre, measured on
/// the ellipsoid over the middle half of the window.
pub fn ground_m_per_px(frame: &LocalFrame, view: &View) -> f64 {
    let half = view.size[0] / 4.0;
    let (cx, cy) = (view.size[0] / 2.0, view.size[1] / 2.0);
    let a = view.to_frame(cx - half, cy);
    let b = view.to_frame(cx + half, cy);
    let (lon_a, lat_a) = frame.inverse(a[0], a[1]);
    let (lon_b, lat_b) = frame.inverse(b[0], b[1]);
    Geodesic.distance(Point::new(lon_a, lat_a), Point::new(lon_b, lat_b)) / (2.0 * half)
}

/// The longest round length (1, 2 or 5 × 10ⁿ m) whose bar fits in `max_px`.
pub fn scale_bar(frame: &LocalFrame, view: &View, max_px: f64) -> ScaleBar {
    let m_per_px = ground_m_per_px(frame, view);
    let max_m = max_px * m_per_px;
    let mut len = 10f64.powf(max_m.log10().floor());
    for step in [5.0, 2.0] {
        if len * step <= max_m {
            len *= step;
            break;
        }
    }
    let label = if len >= 1000.0 {
        format!("{} km", len / 1000.0)
    } else if len >= 1.0 {
        format!("{len} m")
    } else {
        format!("{} cm", len * 100.0)
    };
    ScaleBar { ground_m: len, px: len / m_per_px, label }
}

/// The representative fraction 1:N of a view whose pixels are `px_mm` millimetres on the
/// output (0.28 mm for a screen by the OGC convention), rounded to 3 significant digits.
pub fn scale_denominator(frame: &LocalFrame, view: &View, px_mm: f64) -> f64 {
    let n = ground_m_per_px(frame, view) * 1000.0 / px_mm;
    let mag = 10f64.powf(n.log10().floor() - 2.0);
    (n / mag).round() * mag
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn bar_is_round_and_true_on_the_ellipsoid() {
        let f = LocalFrame::new(112.7, 23.4);
        let v = View { center: [0.0, 0.0], m_per_px: 10.0, size: [1000.0, 800.0] };
        let s = scale_bar(&f, &v, 150.0);
        // 150 px ≈ 1.5 km → a 1 km bar of ≈ 100 px (the frame is true to scale at its centre).
        assert_eq!(s.ground_m, 1000.0);
        assert_eq!(s.label, "1 km");
        assert!((s.px - 100.0).abs() < 0.05, "{}", s.px);
        assert_eq!(scale_bar(&f, &v, 60.0).label, "500 m");
        assert_eq!(scale_bar(&f, &v, 25.0).label, "200 m");
        assert_eq!(scale_denominator(&f, &v, 0.28), 35_700.0);
    }

    #[test]
    fn bar_ends_are_as_far_apart_on_the_ground_as_it_says_also_at_high_latitude() {
        use geo::{Distance, Haversine};
        for (lat, cx) in [(23.4, 0.0), (60.0, 0.0), (70.0, 250_000.0)] {
            let f = LocalFrame::new(10.0, lat);
            let v = View { center: [cx, 0.0], m_per_px: 7.3, size: [900.0, 600.0] };
            let s = scale_bar(&f, &v, 200.0);
            let a = v.to_frame(450.0 - s.px / 2.0, 300.0);
            let b = v.to_frame(450.0 + s.px / 2.0, 300.0);
            let (la, pa) = f.inverse(a[0], a[1]);
            let (lb, pb) = f.inverse(b[0], b[1]);
            // An independent (spherical) measure agrees within 1 %.
            let d = Haversine.distance(Point::new(la, pa), Point::new(lb, pb));
            assert!((d / s.ground_m - 1.0).abs() < 0.01, "lat {lat}: bar {} m, ground {d:.1} m", s.ground_m);
        }
    }

    #[test]
    fn far_from_the_frame_centre_the_bar_follows_the_ellipsoid() {
        // 600 km east of the central meridian at 60° N the frame's metres are stretched by
        // the transverse Mercator scale factor 1 + x²/(2R²) ≈ 1.0044: the bar must shrink.
        let f = LocalFrame::new(10.0, 60.0);
        let v = View { center: [600_000.0, 0.0], m_per_px: 10.0, size: [1000.0, 800.0] };
        let m = ground_m_per_px(&f, &v);
        assert!(m < 10.0 * 0.997 && m > 10.0 * 0.994, "{m}");
    }
}
