//! The map view: which part of the local metric frame a rectangle of pixels shows.
//! Screen y grows downwards, the frame's y (north) upwards.

/// A view of the local frame: its centre, its scale and the pixel size of the window.
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct View {
    /// Frame coordinates (metres) at the centre of the window.
    pub center: [f64; 2],
    /// Metres per pixel.
    pub m_per_px: f64,
    /// Window size in pixels.
    pub size: [f64; 2],
}

/// A rectangle in frame coordinates: min x, min y, max x, max y.
pub type Bounds = [f64; 4];

/// Zoom limits: 1 cm/px (inspecting a building) to 20 km/px (a whole province in a few pixels).
const MIN_M_PER_PX: f64 = 0.01;
const MAX_M_PER_PX: f64 = 20_000.0;

impl View {
    /// A view showing `b` whole, centred, in a window of `size` pixels, with a 5 % margin.
    pub fn fit(b: Bounds, size: [f64; 2]) -> View {
        let w = (b[2] - b[0]).max(1.0);
        let h = (b[3] - b[1]).max(1.0);
        let m_per_px = (w / size[0].max(1.0)).max(h / size[1].max(1.0)) * 1.05;
        View { center: [(b[0] + b[2]) / 2.0, (b[1] + b[3]) / 2.0], m_per_px: m_per_px.clamp(MIN_M_PER_PX, MAX_M_PER_PX), size }
    }

    /// Pixel position (from the window's top-left) of a frame point.
    pub fn to_screen(&self, x: f64, y: f64) -> [f64; 2] {
        [(x - self.center[0]) / self.m_per_px + self.size[0] / 2.0, (self.center[1] - y) / self.m_per_px + self.size[1] / 2.0]
    }

    /// Frame point under a pixel position.
    pub fn to_frame(&self, px: f64, py: f64) -> [f64; 2] {
        [self.center[0] + (px - self.size[0] / 2.0) * self.m_per_px, self.center[1] - (py - self.size[1] / 2.0) * self.m_per_px]
    }

    /// The frame rectangle the window shows.
    pub fn bounds(&self) -> Bounds {
        let a = self.to_frame(0.0, self.size[1]);
        let b = self.to_frame(self.size[0], 0.0);
        [a[0], a[1], b[0], b[1]]
    }

    /// Moves the view by a drag of `dx, dy` pixels (the map follows the pointer).
    pub fn pan(&mut self, dx: f64, dy: f64) {
        self.center[0] -= dx * self.m_per_px;
        self.center[1] += dy * self.m_per_px;
    }

    /// Zooms by `factor` (> 1 zooms in) keeping the frame point under pixel `at` fixed.
    pub fn zoom_at(&mut self, factor: f64, at: [f64; 2]) {
        let before = self.to_frame(at[0], at[1]);
        self.m_per_px = (self.m_per_px / factor).clamp(MIN_M_PER_PX, MAX_M_PER_PX);
        let after = self.to_frame(at[0], at[1]);
        self.center[0] += before[0] - after[0];
        self.center[1] += before[1] - after[1];
    }
}

/// Whether two bounds overlap.
pub fn overlaps(a: Bounds, b: Bounds) -> bool {
    a[0] <= b[2] && b[0] <= a[2] && a[1] <= b[3] && b[1] <= a[3]
}

/// Whether the bounds hold the point (edges included).
pub fn holds(b: Bounds, [x, y]: [f64; 2]) -> bool {
    x >= b[0] && x <= b[2] && y >= b[1] && y <= b[3]
}

/// The smallest bounds holding both.
pub fn union(a: Bounds, b: Bounds) -> Bounds {
    [a[0].min(b[0]), a[1].min(b[1]), a[2].max(b[2]), a[3].max(b[3])]
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn screen_and_frame_round_trip_with_north_up() {
        let v = View { center: [1000.0, 2000.0], m_per_px: 10.0, size: [800.0, 600.0] };
        assert_eq!(v.to_screen(1000.0, 2000.0), [400.0, 300.0]);
        // 100 m north is 10 px up.
        assert_eq!(v.to_screen(1000.0, 2100.0), [400.0, 290.0]);
        assert_eq!(v.to_frame(410.0, 300.0), [1100.0, 2000.0]);
        assert_eq!(v.bounds(), [-3000.0, -1000.0, 5000.0, 5000.0]);
    }

    #[test]
    fn zoom_keeps_the_point_under_the_pointer() {
        let mut v = View { center: [0.0, 0.0], m_per_px: 10.0, size: [800.0, 600.0] };
        let before = v.to_frame(100.0, 50.0);
        v.zoom_at(2.0, [100.0, 50.0]);
        assert_eq!(v.m_per_px, 5.0);
        let after = v.to_frame(100.0, 50.0);
        assert!((before[0] - after[0]).abs() < 1e-9 && (before[1] - after[1]).abs() < 1e-9);
        let fit = View::fit([0.0, 0.0, 8000.0, 3000.0], [800.0, 600.0]);
        assert!((fit.m_per_px - 10.5).abs() < 1e-9 && fit.center == [4000.0, 1500.0]);
    }
}
