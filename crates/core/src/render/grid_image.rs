//! The coverage grid as a picture for the map: one pixel per cell, coloured by RSRP class,
//! serving sector or rate class, with a legend of the area in each class.

use super::style::{MBPS_CLASSES, RSRP_CLASSES, Rgba, category_color, mbps_class, rsrp_class};
use crate::coverage::radio::grid::{CoverageGrid, GridLayer, RateBasis};
use crate::project::Project;

/// What the grid overlay shows of one operator and technology.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum GridQuantity {
    /// Best server's RSRP by class.
    Rsrp,
    /// The serving sector (neighbouring sectors of a site in different colours).
    BestServer,
    /// Rate by class.
    Rate,
}

impl GridQuantity {
    /// `rsrp`, `best-server` or `mbps` (as the command line takes them).
    pub fn parse(s: &str) -> Option<GridQuantity> {
        match s.to_ascii_lowercase().as_str() {
            "rsrp" => Some(GridQuantity::Rsrp),
            "best-server" | "best_server" | "server" => Some(GridQuantity::BestServer),
            "mbps" | "rate" => Some(GridQuantity::Rate),
            _ => None,
        }
    }
}

/// The layer named `name`: "中国移动 LTE", or an operator alone (its LTE layer, else its first).
pub fn find_layer(g: &CoverageGrid, name: &str) -> Option<usize> {
    let name = name.trim();
    let names: Vec<String> = g.layers.iter().map(|l| layer_name(g, l)).collect();
    names.iter().position(|n| n == name).or_else(|| {
        let of_operator = |l: &GridLayer| g.operators.get(l.operator as usize).is_some_and(|o| o == name);
        g.layers.iter().position(|l| of_operator(l) && l.tech == crate::model::Tech::Lte).or_else(|| g.layers.iter().position(of_operator))
    })
}

/// Cells inside the area that no sector reaches.
pub const NO_SIGNAL: Rgba = Rgba([120, 120, 120, 150]);

/// Opacity of the coloured cells: the map beneath stays readable.
const ALPHA: u8 = 170;

/// The grid drawn as an image over local bounds.
#[derive(Debug, Clone)]
pub struct GridImage {
    /// The operator and technology shown, e.g. "中国移动 LTE".
    pub layer: String,
    /// What of it is shown.
    pub what: GridWhat,
    /// West, south, east, north (local m).
    pub bounds: [f64; 4],
    /// Pixels per row and rows.
    pub size: [usize; 2],
    /// Row-major from the north-west corner.
    pub pixels: Vec<Rgba>,
    /// Legend lines: class, colour, area (km²).
    pub legend: Vec<(GridClass, Rgba, f64)>,
}

/// What a grid picture shows of its layer.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum GridWhat {
    /// RSRP classes.
    Rsrp,
    /// The serving sector of each cell.
    BestServer,
    /// A household's rate at the busy hour (households per sector known).
    HouseholdRate,
    /// The peak rate.
    PeakRate,
}

impl GridWhat {
    /// In English (the app's translation key).
    pub fn english(self) -> &'static str {
        match self {
            GridWhat::Rsrp => "RSRP",
            GridWhat::BestServer => "best server",
            GridWhat::HouseholdRate => "Mb/s per household, busy hour",
            GridWhat::PeakRate => "peak Mb/s",
        }
    }

    /// In Chinese (the printed map's language).
    pub fn chinese(self) -> &'static str {
        match self {
            GridWhat::Rsrp => "RSRP",
            GridWhat::BestServer => "最佳服务小区",
            GridWhat::HouseholdRate => "忙时每户速率（Mb/s）",
            GridWhat::PeakRate => "峰值速率（Mb/s）",
        }
    }
}

/// What a line of the grid's legend stands for; each place that shows it words it in its own
/// language.
#[derive(Debug, Clone, Copy, PartialEq)]
pub enum GridClass {
    /// A class of values, written the same in every language ("≥ −80 dBm", "100 … 300 Mb/s").
    Range(&'static str),
    /// The number of sectors that serve somewhere in the picture (best server).
    Servers(usize),
    /// Cells where no sector is heard.
    NoSignal,
}

fn with_alpha(c: Rgba, a: u8) -> Rgba {
    Rgba([c.0[0], c.0[1], c.0[2], a])
}

/// The picture of `g`'s layer `layer` showing `q`.
pub fn grid_image(g: &CoverageGrid, layer: usize, q: GridQuantity) -> Option<GridImage> {
    let l = g.layers.get(layer)?;
    let (nx, ny) = (g.nx, g.ny);
    let classes: Vec<(GridClass, Rgba)> = match q {
        GridQuantity::Rsrp => RSRP_CLASSES.iter().map(|&(_, c, s)| (GridClass::Range(s), with_alpha(c, ALPHA))).collect(),
        GridQuantity::Rate => MBPS_CLASSES.iter().map(|&(_, c, s)| (GridClass::Range(s), with_alpha(c, ALPHA))).collect(),
        GridQuantity::BestServer => Vec::new(),
    };
    let class_of = |k: usize| -> Option<usize> {
        match q {
            _ if l.sector[k] == u32::MAX => None,
            GridQuantity::Rsrp => Some(rsrp_class(l.rsrp_dbm[k] as f64)),
            GridQuantity::Rate => Some(mbps_class(l.mbps[k] as f64)),
            GridQuantity::BestServer => Some(l.sector[k] as usize),
        }
    };
    let mut pixels = vec![Rgba::NONE; nx * ny];
    let mut counts = vec![0usize; classes.len()];
    let (mut no_signal, mut served) = (0usize, std::collections::BTreeSet::new());
    for j in 0..ny {
        for i in 0..nx {
            let k = j * nx + i;
            if !g.inside[k] {
                continue;
            }
            // Rows of the image run north to south.
            pixels[(ny - 1 - j) * nx + i] = match class_of(k) {
                None => {
                    no_signal += 1;
                    NO_SIGNAL
                }
                Some(c) if q == GridQuantity::BestServer => {
                    served.insert(c);
                    with_alpha(category_color(c), ALPHA)
                }
                Some(c) => {
                    counts[c] += 1;
                    classes[c].1
                }
            };
        }
    }
    let km2 = |n: usize| n as f64 * g.cell_m * g.cell_m / 1e6;
    let mut legend: Vec<(GridClass, Rgba, f64)> = match q {
        GridQuantity::BestServer => vec![(GridClass::Servers(served.len()), Rgba::NONE, km2(g.inside.iter().filter(|&&b| b).count() - no_signal))],
        _ => classes.iter().zip(&counts).filter(|(_, n)| **n > 0).map(|(&(class, c), n)| (class, c, km2(*n))).collect(),
    };
    if no_signal > 0 {
        legend.push((GridClass::NoSignal, NO_SIGNAL, km2(no_signal)));
    }
    let what = match q {
        GridQuantity::Rsrp => GridWhat::Rsrp,
        GridQuantity::BestServer => GridWhat::BestServer,
        GridQuantity::Rate if g.rate == RateBasis::HouseholdBusyHour => GridWhat::HouseholdRate,
        GridQuantity::Rate => GridWhat::PeakRate,
    };
    Some(GridImage {
        layer: layer_name(g, l),
        what,
        bounds: [g.x0, g.y0, g.x0 + nx as f64 * g.cell_m, g.y0 + ny as f64 * g.cell_m],
        size: [nx, ny],
        pixels,
        legend,
    })
}

/// "中国移动 LTE".
pub fn layer_name(g: &CoverageGrid, l: &GridLayer) -> String {
    format!("{} {}", g.operators.get(l.operator as usize).map_or("?", String::as_str), l.tech.name())
}

/// What the grid says at one place, for the status bar.
#[derive(Debug, Clone, PartialEq)]
pub struct CellReading {
    /// The operator and technology, e.g. "中国移动 LTE".
    pub layer: String,
    /// RSRP (dBm), SINR (dB), rate (Mb/s) and the serving sector's cell name; `None` where no
    /// sector reaches.
    pub values: Option<(f32, f32, f32, String)>,
    /// The rate is per household at the busy hour (else the peak rate).
    pub per_household: bool,
}

/// The values of layer `layer` at local (x, y), inside the area.
pub fn read_cell(g: &CoverageGrid, layer: usize, p: &Project, x: f64, y: f64) -> Option<CellReading> {
    let l = g.layers.get(layer)?;
    let k = g.cell_at(x, y).filter(|&k| g.inside[k])?;
    let values = (l.sector[k] != u32::MAX).then(|| {
        let cell = p.data.sectors.get(l.sector[k] as usize).map_or("?", |s| s.cell.as_str());
        (l.rsrp_dbm[k], l.sinr_db[k], l.mbps[k], cell.to_string())
    });
    Some(CellReading { layer: layer_name(g, l), values, per_household: g.rate == RateBasis::HouseholdBusyHour })
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::model::Tech;

    fn grid() -> CoverageGrid {
        // 3 × 2 cells of 100 m; the top-right cell lies outside, the bottom-right has no signal.
        let nan = f32::NAN;
        CoverageGrid {
            x0: 0.0,
            y0: 0.0,
            cell_m: 100.0,
            nx: 3,
            ny: 2,
            inside: vec![true, true, true, true, true, false],
            operators: vec!["中国移动".into()],
            layers: vec![GridLayer {
                operator: 0,
                tech: Tech::Lte,
                rsrp_dbm: vec![-70.0, -95.0, nan, -120.0, -70.0, nan],
                sinr_db: vec![20.0, 5.0, nan, -5.0, 20.0, nan],
                sector: vec![0, 1, u32::MAX, 1, 0, u32::MAX],
                mbps: vec![150.0, 40.0, nan, 1.0, 150.0, nan],
            }],
            rate: RateBasis::Peak,
        }
    }

    #[test]
    fn cells_become_pixels_north_up_with_areas_in_the_legend() {
        let img = grid_image(&grid(), 0, GridQuantity::Rsrp).unwrap();
        assert_eq!((img.size, img.bounds), ([3, 2], [0.0, 0.0, 300.0, 200.0]));
        let strong = with_alpha(RSRP_CLASSES[0].1, ALPHA);
        // Image row 0 is grid row 1 (north): −120 dBm, −70 dBm, outside.
        assert_eq!(img.pixels[..3], [with_alpha(RSRP_CLASSES[5].1, ALPHA), strong, Rgba::NONE]);
        assert_eq!(img.pixels[3..], [strong, with_alpha(RSRP_CLASSES[2].1, ALPHA), NO_SIGNAL]);
        let lines: Vec<(GridClass, f64)> = img.legend.iter().map(|&(class, _, a)| (class, a)).collect();
        let range = GridClass::Range;
        assert_eq!(lines, vec![(range("≥ −80 dBm"), 0.02), (range("−100 … −90 dBm"), 0.01), (range("< −110 dBm"), 0.01), (GridClass::NoSignal, 0.01)]);
        assert_eq!((img.layer.as_str(), img.what), ("中国移动 LTE", GridWhat::Rsrp));
        let servers = grid_image(&grid(), 0, GridQuantity::BestServer).unwrap();
        assert_eq!(servers.legend[0].0, GridClass::Servers(2));
        assert_ne!(servers.pixels[3], servers.pixels[4]);
        assert!(grid_image(&grid(), 1, GridQuantity::Rate).is_none());
        assert_eq!((find_layer(&grid(), "中国移动 LTE"), find_layer(&grid(), "中国移动"), find_layer(&grid(), "中国联通")), (Some(0), Some(0), None));
        assert_eq!(GridQuantity::parse("best-server"), Some(GridQuantity::BestServer));
    }
}
