//! The printed gap map: a page layout (title, policy text, map frame with the scene's layers,
//! legend of what is drawn, scale bar measured on the ellipsoid with 1:N, north arrow, targets
//! table, top gaps, footnote) written as SVG in millimetres. PNG and PDF are rendered from this
//! SVG ([`super::export`]), so every output shows the same page.

use super::furniture::{graticule_svg, north_arrow, overview_inset, scale_bar_svg};
use super::map_svg::{MapFrame, draw_labels, draw_layer};
use super::svg::{hex, text};
use crate::analysis::gaps::Gap;
use crate::analysis::{Analysis, TargetResult};
use crate::measure::challenge::{Challenge, ChallengeKind, challenges};
use crate::project::Project;
use crate::render::grid_image::{GridClass, GridImage};
use crate::render::labels::text_width;
use crate::render::view::holds;
use crate::render::{Bounds, Rgba, Scene, View};
use crate::targets::evaluate::Verdict;
use std::fmt::Write;

/// Paper sizes (portrait width × height, mm).
#[derive(Debug, Clone, Copy, PartialEq)]
pub enum Paper {
    /// 210 × 297.
    A4,
    /// 297 × 420.
    A3,
    /// 420 × 594.
    A2,
    /// 594 × 841.
    A1,
    /// Any size (width, height in mm).
    Custom(f64, f64),
}

impl Paper {
    /// Parses A4, A3, A2, A1 or WIDTHxHEIGHT in mm.
    pub fn parse(s: &str) -> Option<Paper> {
        match s.to_ascii_uppercase().as_str() {
            "A4" => Some(Paper::A4),
            "A3" => Some(Paper::A3),
            "A2" => Some(Paper::A2),
            "A1" => Some(Paper::A1),
            other => {
                let (w, h) = other.split_once('X')?;
                let (w, h) = (w.trim().parse().ok()?, h.trim().parse().ok()?);
                (w >= 50.0 && h >= 50.0 && w <= 5000.0 && h <= 5000.0).then_some(Paper::Custom(w, h))
            }
        }
    }

    /// Portrait width and height, mm.
    pub fn size_mm(self) -> (f64, f64) {
        match self {
            Paper::A4 => (210.0, 297.0),
            Paper::A3 => (297.0, 420.0),
            Paper::A2 => (420.0, 594.0),
            Paper::A1 => (594.0, 841.0),
            Paper::Custom(w, h) => (w, h),
        }
    }
}

/// What to print.
#[derive(Debug, Clone)]
pub struct PrintSpec {
    /// Paper size.
    pub paper: Paper,
    /// Long side horizontal.
    pub landscape: bool,
    /// Margins, mm.
    pub margin_mm: f64,
    /// Title; default from the area and the target.
    pub title: Option<String>,
    /// The map shows these frame bounds (an admin area, a view, a gap's surroundings).
    pub bounds: Bounds,
    /// The area's name for the default title.
    pub area_name: String,
    /// The target whose verdicts colour the map and whose gaps are listed (index).
    pub target: Option<usize>,
    /// The date in the footnote (YYYY-MM-DD), given so that reruns are byte-identical.
    pub date: String,
    /// A short hash of the inputs for the footnote.
    pub input_hash: String,
    /// Meridians and parallels with lon/lat labels over the map.
    pub graticule: bool,
    /// The whole project's extent, for an overview inset when the map shows only part of it.
    pub overview: Option<Bounds>,
    /// The page's township (atlas pages): its gap table lists only that township's gaps.
    pub township: Option<String>,
    /// Polygon layers with more features than this in the frame print as a 300 dpi image
    /// ([`RASTER_ABOVE`] by default).
    pub raster_above: usize,
}

/// Polygon layers with more features than this in the frame print as an image by default: a
/// vector path per building of a million adds ~30 MB to the page and seconds to every reader,
/// for marks smaller than the printer's dot.
pub const RASTER_ABOVE: usize = 300_000;

/// The page width and height in mm.
pub fn page_size(spec: &PrintSpec) -> (f64, f64) {
    let (w, h) = spec.paper.size_mm();
    if spec.landscape { (w.max(h), w.min(h)) } else { (w.min(h), w.max(h)) }
}

/// The Chinese word for a verdict (printed maps are for Chinese regulators).
pub fn verdict_zh(s: Verdict) -> &'static str {
    match s {
        Verdict::Met => "达标",
        Verdict::NotMet => "未达标",
        Verdict::Unknown => "无法判断",
    }
}

/// What the printed map drew, for the legend and the tests.
#[derive(Debug, Clone, Default, PartialEq)]
pub struct Drawn {
    /// Legend lines: label, colour, count.
    pub legend: Vec<(String, Rgba, usize)>,
    /// Scale bar: ground metres, length on paper (mm), and the denominator of 1:N.
    pub scale: (f64, f64, f64),
}

/// `text` as it fits in `width` mm at `size` mm: whole, or cut with an ellipsis.
pub(super) fn fit(text: &str, width: f64, size: f64) -> String {
    if text_width(text, size as f32) as f64 <= width {
        return text.to_string();
    }
    let mut cut: String = text.to_string();
    while !cut.is_empty() && text_width(&format!("{cut}…"), size as f32) as f64 > width {
        cut.pop();
    }
    format!("{cut}…")
}

/// Composes the page as SVG (viewBox in mm) and says what it drew.
pub fn compose(p: &Project, scene: &Scene, a: &Analysis, gaps: &[Gap], spec: &PrintSpec) -> (String, Drawn) {
    let (w, h) = page_size(spec);
    let m = spec.margin_mm;
    let mut svg = String::with_capacity(1 << 20);
    let _ = writeln!(svg, r#"<svg xmlns="http://www.w3.org/2000/svg" width="{w}mm" height="{h}mm" viewBox="0 0 {w} {h}">"#);
    let _ = writeln!(svg, r#"<rect x="0" y="0" width="{w}" height="{h}" fill="white"/>"#);
    let target = spec.target.and_then(|i| a.targets.get(i));
    let top = title_block(&mut svg, a, target, spec, w);
    let foot = h - m - 9.0;
    let side = (w * 0.26).clamp(70.0, 160.0);
    let frame_rect = [m, top, w - 2.0 * m - side - 4.0, foot - top - 2.0];
    let b = spec.bounds;
    let m_per_mm = ((b[2] - b[0]) / frame_rect[2]).max((b[3] - b[1]) / frame_rect[3]) * 1.03;
    let mf = MapFrame {
        rect: frame_rect,
        view: View { center: [(b[0] + b[2]) / 2.0, (b[1] + b[3]) / 2.0], m_per_px: m_per_mm, size: [frame_rect[2], frame_rect[3]] },
    };
    let in_view = mf.view.bounds();
    let scale = map_with_furniture(&mut svg, p, scene, gaps, spec, target, &mf);
    // Verdicts of the chosen target the project's measurements contradict, ringed.
    let challenged: Vec<Challenge> = match target {
        Some(t) if !p.data.measurements.is_empty() => challenges(p, a, &p.file.measurements.challenge)
            .into_iter()
            .filter(|c| c.target == t.target.id && holds(in_view, p.index.village_xy[c.village]))
            .collect(),
        _ => Vec::new(),
    };
    challenge_rings(&mut svg, p, &challenged, &mf);
    // Side panel: legend, targets, top gaps.
    let sx = w - m - side;
    let mut y = top + 4.0;
    text(&mut svg, sx, y, 4.0, "start", "bold", "#000", "图例");
    y += 5.0;
    let legend = legend_block(&mut svg, scene, in_view, sx, &mut y);
    if !challenged.is_empty() {
        let _ = writeln!(svg, r##"<circle cx="{:.2}" cy="{:.2}" r="1.6" fill="none" stroke="{CHALLENGE}" stroke-width="0.6"/>"##, sx + 2.5, y - 1.1);
        text(&mut svg, sx + 7.0, y, 2.8, "start", "normal", "#000", &format!("实测存疑（{}）", challenged.len()));
        y += 4.2;
    }
    if let Some(g) = &scene.grid {
        grid_legend_block(&mut svg, g, sx, &mut y);
    }
    targets_table(&mut svg, a, spec.target, sx, side, &mut y);
    // The largest challenges (at most ten) above the gaps, which fill the rest of the panel.
    challenges_table(&mut svg, &challenged, [sx, side, foot], &mut y);
    if let Some(t) = target {
        gaps_table(&mut svg, p, gaps, t, spec, [sx, side, foot], &mut y);
    }
    footnote(&mut svg, p, a, spec, w, h);
    svg.push_str("</svg>\n");
    (svg, Drawn { legend, scale })
}

/// The colour of challenged verdicts on paper (as on screen).
const CHALLENGE: &str = "#d627a0";

/// Rings around the villages whose verdict the measurements challenge.
fn challenge_rings(svg: &mut String, p: &Project, challenged: &[Challenge], mf: &MapFrame) {
    for c in challenged {
        let [x, y] = p.index.village_xy[c.village];
        let (px, py) = mf.pt(x, y);
        let _ = writeln!(svg, r##"<circle cx="{px:.2}" cy="{py:.2}" r="2.2" fill="none" stroke="{CHALLENGE}" stroke-width="0.7"/>"##);
    }
}

/// The challenged verdicts in the side panel, largest households first: ten at most.
fn challenges_table(svg: &mut String, challenged: &[Challenge], [sx, side, foot]: [f64; 3], y: &mut f64) {
    if challenged.is_empty() || *y + 12.0 > foot {
        return;
    }
    *y += 3.0;
    text(svg, sx, *y, 4.0, "start", "bold", CHALLENGE, "实测存疑");
    *y += 5.0;
    let cols = [0.0, side * 0.30, side * 0.44];
    for (k, hdr) in ["村", "户数", "实测"].iter().enumerate() {
        text(svg, sx + cols[k], *y, 2.6, "start", "bold", "#000", hdr);
    }
    *y += 3.8;
    for c in challenged.iter().take(10) {
        if *y + 3.6 > foot {
            break;
        }
        let word = match c.kind {
            ChallengeKind::JudgedCoveredMeasuredNot => "判覆盖",
            ChallengeKind::JudgedNotCoveredMeasuredCovered => "判未覆盖",
        };
        let measured = format!("{word}，{}/{} 次不达标，中位 {:.0} dBm", c.failing, c.tests, c.median_rsrp_dbm);
        for (k, cell) in [c.name.clone(), format!("{:.0}", c.households), measured].iter().enumerate() {
            text(svg, sx + cols[k], *y, 2.5, "start", "normal", "#000", cell);
        }
        *y += 3.6;
    }
}

/// The title and subtitle at the top of the page; returns where the map frame starts (mm).
pub(super) fn title_block(svg: &mut String, a: &Analysis, target: Option<&TargetResult>, spec: &PrintSpec, w: f64) -> f64 {
    let m = spec.margin_mm;
    let title = spec.title.clone().unwrap_or_else(|| match target {
        Some(t) => format!("{} {}缺口图", spec.area_name, t.target.text.trim_end_matches(['。', '；'])),
        None => format!("{} 覆盖图", spec.area_name),
    });
    let scale_title = (w / 420.0).clamp(0.6, 1.6);
    text(svg, w / 2.0, m + 8.0 * scale_title, 7.0 * scale_title, "middle", "bold", "#000", &title);
    let subtitle = match target {
        Some(t) => format!("《{}》：{}", a.profile.profile.title, t.target.text),
        None => format!("《{}》", a.profile.profile.title),
    };
    text(svg, w / 2.0, m + 14.0 * scale_title, 3.2 * scale_title, "middle", "normal", "#333", &subtitle);
    m + 18.0 * scale_title
}

/// The map frame: layers, coverage grid, graticule, labels, border, scale bar, north arrow and
/// overview inset. Returns the scale bar's (ground metres, bar millimetres, scale denominator).
pub(super) fn map_with_furniture(
    svg: &mut String,
    p: &Project,
    scene: &Scene,
    gaps: &[Gap],
    spec: &PrintSpec,
    target: Option<&TargetResult>,
    mf: &MapFrame,
) -> (f64, f64, f64) {
    let frame_rect = mf.rect;
    let in_view = mf.view.bounds();
    let _ = writeln!(
        svg,
        r#"<defs><clipPath id="map"><rect x="{:.2}" y="{:.2}" width="{:.2}" height="{:.2}"/></clipPath></defs>"#,
        frame_rect[0], frame_rect[1], frame_rect[2], frame_rect[3]
    );
    let _ = writeln!(
        svg,
        r##"<g clip-path="url(#map)"><rect x="{:.2}" y="{:.2}" width="{:.2}" height="{:.2}" fill="#e8eef2"/>"##,
        frame_rect[0], frame_rect[1], frame_rect[2], frame_rect[3]
    );
    // The coverage grid lies over the admin areas (listed first) and under everything else, as on screen.
    let grid_at = scene.grid_slot();
    for (li, layer) in scene.layers.iter().enumerate() {
        if li == grid_at
            && let Some(g) = &scene.grid
        {
            super::map_svg::draw_grid(svg, g, mf);
        }
        if layer.style.visible && layer.style.opacity > 0.0 {
            draw_layer(svg, scene, layer, mf, in_view, spec.raster_above);
        }
    }
    if grid_at == scene.layers.len()
        && let Some(g) = &scene.grid
    {
        super::map_svg::draw_grid(svg, g, mf);
    }
    let grid_labels = if spec.graticule {
        let (lines, labels) = graticule_svg(&p.frame, mf, in_view);
        svg.push_str(&lines);
        labels
    } else {
        String::new()
    };
    draw_labels(svg, p, scene, mf, in_view, gaps, target.map(|t| t.target.id.as_str()));
    svg.push_str("</g>\n");
    let _ = writeln!(
        svg,
        r##"<rect x="{:.2}" y="{:.2}" width="{:.2}" height="{:.2}" fill="none" stroke="#000" stroke-width="0.4"/>"##,
        frame_rect[0], frame_rect[1], frame_rect[2], frame_rect[3]
    );
    let (ground_m, bar_mm, denom) = scale_bar_svg(svg, &p.frame, mf);
    north_arrow(svg, mf);
    svg.push_str(&grid_labels);
    if let Some(extent) = spec.overview {
        overview_inset(svg, scene, mf, extent, in_view);
    }
    (ground_m, bar_mm, denom)
}

/// The legend of what the map shows in view (verdicts in Chinese, overlay classes), drawn from
/// `y` down; returns its lines (label, colour, count).
pub(super) fn legend_block(svg: &mut String, scene: &Scene, in_view: Bounds, sx: f64, y: &mut f64) -> Vec<(String, Rgba, usize)> {
    let mut legend = Vec::new();
    for e in scene.legend(in_view) {
        let label = e.state.map_or(e.label.clone(), |s| verdict_zh(s).to_string());
        legend.push((label, e.color, e.count));
    }
    if let Some(o) = &scene.overlay {
        legend.extend(o.legend.iter().cloned());
    }
    for (label, c, n) in &legend {
        let (col, op) = hex(*c);
        let _ = writeln!(
            svg,
            r##"<rect x="{sx:.2}" y="{:.2}" width="5" height="3" fill="{col}" fill-opacity="{op:.2}" stroke="#555" stroke-width="0.15"/>"##,
            *y - 2.6
        );
        text(svg, sx + 7.0, *y, 2.8, "start", "normal", "#000", &format!("{label}（{n}）"));
        *y += 4.2;
    }
    legend
}

/// The coverage grid's legend: the area of each class (km²).
fn grid_legend_block(svg: &mut String, g: &GridImage, sx: f64, y: &mut f64) {
    *y += 1.0;
    text(svg, sx, *y, 3.0, "start", "bold", "#000", &format!("覆盖栅格：{} {}", g.layer, g.what.chinese()));
    *y += 4.2;
    for (label, c, km2) in &g.legend {
        let (col, op) = hex(*c);
        if c.0[3] > 0 {
            let _ = writeln!(
                svg,
                r##"<rect x="{sx:.2}" y="{:.2}" width="5" height="3" fill="{col}" fill-opacity="{op:.2}" stroke="#555" stroke-width="0.15"/>"##,
                *y - 2.6
            );
        }
        let label = match label {
            GridClass::Range(r) => r.to_string(),
            GridClass::Servers(n) => format!("{n} 个服务小区"),
            GridClass::NoSignal => "无信号".to_string(),
        };
        text(svg, sx + 7.0, *y, 2.8, "start", "normal", "#000", &format!("{label}（{km2:.0} km²）"));
        *y += 4.2;
    }
}

/// The profile's targets with met / not met counts and share; the chosen one in bold.
fn targets_table(svg: &mut String, a: &Analysis, chosen: Option<usize>, sx: f64, side: f64, y: &mut f64) {
    *y += 3.0;
    text(svg, sx, *y, 4.0, "start", "bold", "#000", &format!("指标（{}）", a.profile.profile.id));
    *y += 5.0;
    let cols = [0.0, side * 0.52, side * 0.66, side * 0.82];
    for (k, hdr) in ["指标", "达标", "未达标", "达标比例"].iter().enumerate() {
        text(svg, sx + cols[k], *y, 2.6, "start", "bold", "#000", hdr);
    }
    *y += 3.8;
    for (i, t) in a.targets.iter().enumerate() {
        let weight = if chosen == Some(i) { "bold" } else { "normal" };
        let f = t.figures();
        let cells = [t.target.id.clone(), f.met.to_string(), f.not_met.to_string(), format!("{:.1}%", 100.0 * f.share_met)];
        for (k, c) in cells.iter().enumerate() {
            text(svg, sx + cols[k], *y, 2.5, "start", weight, if k == 2 && f.not_met > 0 { "#c0281e" } else { "#000" }, c);
        }
        *y += 3.6;
    }
}

/// The largest gaps of the chosen target inside the map frame (and the page's township), as many
/// as fit above the footnote. `[sx, side, foot]`: the panel's left edge and width, the footnote's top.
fn gaps_table(svg: &mut String, p: &Project, gaps: &[Gap], t: &TargetResult, spec: &PrintSpec, [sx, side, foot]: [f64; 3], y: &mut f64) {
    let b = spec.bounds;
    *y += 3.0;
    text(svg, sx, *y, 4.0, "start", "bold", "#000", "主要缺口");
    *y += 5.0;
    let cols = [0.0, side * 0.42, side * 0.70, side * 0.84];
    for (k, hdr) in ["村", "乡镇", "户数", "原因"].iter().enumerate() {
        text(svg, sx + cols[k], *y, 2.6, "start", "bold", "#000", hdr);
    }
    *y += 3.8;
    // Only the gaps inside the map frame, and of the page's township when it has one.
    let inside = |g: &&Gap| {
        let (x, y) = p.frame.forward(g.lon, g.lat);
        x >= b[0] && x <= b[2] && y >= b[1] && y <= b[3] && spec.township.as_ref().is_none_or(|t| &g.township == t)
    };
    for g in gaps.iter().filter(|g| g.target == t.target.id).filter(inside).take(((foot - 4.0 - *y) / 3.6).max(0.0) as usize) {
        let cells = [
            if g.name.is_empty() { g.id.clone() } else { g.name.clone() },
            g.township.clone(),
            format!("{:.0}", g.households),
            g.reason.code().replace('_', " "),
        ];
        for (k, c) in cells.iter().enumerate() {
            // A long name is cut to its column rather than run over the next one.
            let room = cols.get(k + 1).map_or(f64::INFINITY, |next| next - cols[k] - 1.0);
            text(svg, sx + cols[k], *y, 2.4, "start", "normal", "#000", &fit(c, room, 2.4));
        }
        *y += 3.6;
    }
}

/// The footnote: layers, coordinates, profile, version, date and the inputs' hash, wrapped at " · ".
pub(super) fn footnote(svg: &mut String, p: &Project, a: &Analysis, spec: &PrintSpec, w: f64, h: f64) {
    let m = spec.margin_mm;
    let layers: Vec<&str> = p.file.layers.iter().map(|l| l.name.as_str()).collect();
    let note = format!(
        "数据：{} · 坐标：WGS84，局部横轴墨卡托（中央经线 {:.4}°E，纬度原点 {:.4}°N） · 政策文件：{} · covplan {} · {} · 输入 SHA-256 {}",
        layers.join("、"),
        p.frame.lon0,
        p.frame.lat0,
        a.profile_source,
        env!("CARGO_PKG_VERSION"),
        spec.date,
        spec.input_hash
    );
    // The footnote wraps at " · " to stay on the paper.
    let mut lines = vec![String::new()];
    for part in note.split(" · ") {
        let last = lines.last_mut().expect("one line at least");
        let candidate = if last.is_empty() { part.to_string() } else { format!("{last} · {part}") };
        if text_width(&candidate, 2.2) as f64 > w - 2.0 * m && !last.is_empty() {
            lines.push(part.to_string());
        } else {
            *last = candidate;
        }
    }
    for (k, line) in lines.iter().enumerate() {
        text(svg, m, h - m - 2.8 * (lines.len() - 1 - k) as f64, 2.2, "start", "normal", "#444", line);
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn long_names_are_cut_to_their_column() {
        // CJK characters are one size wide (2.4 mm here), the ellipsis 0.55: four and it fit in 12 mm.
        assert_eq!(fit("城中街道", 12.0, 2.4), "城中街道");
        assert_eq!(fit("肇庆高新技术产业开发区", 12.0, 2.4), "肇庆高新…");
        assert_eq!(fit("no fiber in reach", f64::INFINITY, 2.4), "no fiber in reach");
    }

    #[test]
    fn papers_parse_and_turn() {
        assert_eq!(Paper::parse("a3"), Some(Paper::A3));
        assert_eq!(Paper::parse("500x300"), Some(Paper::Custom(500.0, 300.0)));
        assert_eq!(Paper::parse("B5"), None);
        assert_eq!(super::super::furniture::group_digits(1234567.0), "1,234,567");
    }
}
