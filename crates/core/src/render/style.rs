//! How a layer is drawn: colours, widths, sizes, labels; and the fixed palettes (verdicts,
//! signal classes) shared by the screen and the printed map.

use crate::project::Role;
use crate::targets::evaluate::Verdict;
use serde::{Deserialize, Serialize};

/// A colour, sRGB with straight (not premultiplied) alpha.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
pub struct Rgba(pub [u8; 4]);

impl Rgba {
    /// An opaque colour.
    pub const fn rgb(r: u8, g: u8, b: u8) -> Rgba {
        Rgba([r, g, b, 255])
    }
    /// Fully transparent: nothing drawn.
    pub const NONE: Rgba = Rgba([0, 0, 0, 0]);

    /// The same colour with its alpha multiplied by `opacity` (0…1).
    pub fn faded(self, opacity: f32) -> Rgba {
        let [r, g, b, a] = self.0;
        Rgba([r, g, b, (a as f32 * opacity.clamp(0.0, 1.0)).round() as u8])
    }

    /// `#rrggbb` or `#rrggbbaa`, as written in project files.
    pub fn hex(self) -> String {
        let [r, g, b, a] = self.0;
        if a == 255 { format!("#{r:02x}{g:02x}{b:02x}") } else { format!("#{r:02x}{g:02x}{b:02x}{a:02x}") }
    }

    /// Parses `#rgb`, `#rrggbb` or `#rrggbbaa`.
    pub fn parse(s: &str) -> Option<Rgba> {
        let h = s.strip_prefix('#')?;
        let byte = |i: usize| u8::from_str_radix(h.get(i..i + 2)?, 16).ok();
        match h.len() {
            3 => {
                let d: Vec<u8> = h.chars().map(|c| c.to_digit(16).map(|v| v as u8 * 17)).collect::<Option<_>>()?;
                Some(Rgba([d[0], d[1], d[2], 255]))
            }
            6 => Some(Rgba([byte(0)?, byte(2)?, byte(4)?, 255])),
            8 => Some(Rgba([byte(0)?, byte(2)?, byte(4)?, byte(6)?])),
            _ => None,
        }
    }
}

/// The style of one map layer, as the user set it in the layer panel.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct LayerStyle {
    /// Drawn at all.
    pub visible: bool,
    /// 0 (invisible) … 1 (opaque), applied to every colour of the layer.
    pub opacity: f32,
    /// Polygon fill.
    pub fill: Rgba,
    /// Outline and line colour.
    pub stroke: Rgba,
    /// Outline and line width in pixels (points on paper: the printed map scales it).
    pub stroke_width: f32,
    /// Point symbol diameter in pixels.
    pub point_size: f32,
    /// Which attribute labels the features (e.g. "name"), none for no labels.
    pub label: Option<String>,
}

impl LayerStyle {
    /// The default look of a layer of `role`.
    pub fn default_for(role: Role) -> LayerStyle {
        let s = |fill: Rgba, stroke: Rgba, w: f32, size: f32, label: Option<&str>| LayerStyle {
            visible: true,
            opacity: 1.0,
            fill,
            stroke,
            stroke_width: w,
            point_size: size,
            label: label.map(str::to_string),
        };
        match role {
            Role::Admin => s(Rgba([245, 243, 235, 255]), Rgba::rgb(90, 90, 90), 1.2, 0.0, Some("name")),
            Role::Villages => s(Rgba([120, 150, 190, 40]), Rgba::rgb(70, 110, 160), 0.8, 6.0, Some("name")),
            Role::Buildings => s(Rgba::rgb(150, 150, 150), Rgba([90, 90, 90, 255]), 0.6, 2.0, None),
            Role::Roads => s(Rgba::NONE, Rgba::rgb(225, 170, 90), 1.2, 0.0, None),
            Role::Fiber => s(Rgba::NONE, Rgba::rgb(120, 50, 170), 1.5, 0.0, None),
            Role::AccessPoints => s(Rgba::rgb(160, 80, 200), Rgba::rgb(80, 30, 110), 0.8, 5.0, None),
            Role::Sectors => s(Rgba([30, 120, 220, 170]), Rgba::rgb(20, 60, 130), 0.8, 14.0, None),
            Role::Poi => s(Rgba::rgb(240, 150, 30), Rgba::rgb(120, 70, 10), 0.8, 5.0, None),
            Role::Measurements => s(Rgba([20, 160, 160, 200]), Rgba::rgb(10, 90, 90), 0.4, 3.0, None),
            _ => s(Rgba([128, 128, 128, 80]), Rgba::rgb(80, 80, 80), 1.0, 5.0, None),
        }
    }
}

/// The colour of a verdict: met green, not met red, unknown amber; places a target does not
/// apply to stay in the layer's own style.
pub fn verdict_color(s: Verdict) -> Rgba {
    match s {
        Verdict::Met => Rgba::rgb(46, 160, 67),
        Verdict::NotMet => Rgba::rgb(215, 48, 39),
        Verdict::Unknown => Rgba::rgb(240, 170, 0),
    }
}

/// Signal classes for RSRP maps (dBm lower bounds, colour, label), strongest first: the
/// thresholds of docs/DOMAIN.md (−110 dBm LTE, −105 dBm NR) are class edges.
pub const RSRP_CLASSES: [(f64, Rgba, &str); 6] = [
    (-80.0, Rgba::rgb(0, 104, 55), "≥ −80 dBm"),
    (-90.0, Rgba::rgb(49, 163, 84), "−90 … −80 dBm"),
    (-100.0, Rgba::rgb(161, 217, 155), "−100 … −90 dBm"),
    (-105.0, Rgba::rgb(255, 237, 111), "−105 … −100 dBm"),
    (-110.0, Rgba::rgb(253, 174, 97), "−110 … −105 dBm"),
    (f64::NEG_INFINITY, Rgba::rgb(215, 48, 39), "< −110 dBm"),
];

/// The RSRP class index of a value (see [`RSRP_CLASSES`]).
pub fn rsrp_class(dbm: f64) -> usize {
    RSRP_CLASSES.iter().position(|(lo, _, _)| dbm >= *lo).unwrap_or(RSRP_CLASSES.len() - 1)
}

/// Capability classes in Mb/s (lower bounds), for households-by-capability charts and maps.
pub const MBPS_CLASSES: [(f64, Rgba, &str); 5] = [
    (1000.0, Rgba::rgb(0, 104, 55), "≥ 1000 Mb/s"),
    (300.0, Rgba::rgb(49, 163, 84), "300 … 1000 Mb/s"),
    (100.0, Rgba::rgb(161, 217, 155), "100 … 300 Mb/s"),
    (20.0, Rgba::rgb(253, 174, 97), "20 … 100 Mb/s"),
    (f64::NEG_INFINITY, Rgba::rgb(215, 48, 39), "< 20 Mb/s"),
];

/// The capability class index of a rate (see [`MBPS_CLASSES`]).
pub fn mbps_class(mbps: f64) -> usize {
    MBPS_CLASSES.iter().position(|(lo, _, _)| mbps >= *lo).unwrap_or(MBPS_CLASSES.len() - 1)
}

/// A stable, distinct colour for category number `i` (best-server maps, operators).
pub fn category_color(i: usize) -> Rgba {
    const P: [Rgba; 10] = [
        Rgba::rgb(31, 119, 180),
        Rgba::rgb(255, 127, 14),
        Rgba::rgb(44, 160, 44),
        Rgba::rgb(214, 39, 40),
        Rgba::rgb(148, 103, 189),
        Rgba::rgb(140, 86, 75),
        Rgba::rgb(227, 119, 194),
        Rgba::rgb(127, 127, 127),
        Rgba::rgb(188, 189, 34),
        Rgba::rgb(23, 190, 207),
    ];
    P[i % P.len()]
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn colours_parse_and_print() {
        assert_eq!(Rgba::parse("#ff8000"), Some(Rgba::rgb(255, 128, 0)));
        assert_eq!(Rgba::parse("#f80"), Some(Rgba::rgb(255, 136, 0)));
        assert_eq!(Rgba::parse("#ff800080").map(Rgba::hex).as_deref(), Some("#ff800080"));
        assert_eq!(Rgba::parse("ff8000"), None);
        assert_eq!(Rgba::parse("#ggg"), None);
        assert_eq!(Rgba::rgb(10, 20, 30).faded(0.5).0[3], 128);
    }

    #[test]
    fn signal_classes_follow_the_thresholds() {
        assert_eq!(rsrp_class(-70.0), 0);
        assert_eq!(rsrp_class(-110.0), 4);
        assert_eq!(rsrp_class(-110.1), 5);
        assert_eq!(mbps_class(300.0), 1);
        assert_eq!(mbps_class(99.9), 3);
    }
}
