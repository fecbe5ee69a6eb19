//! The printed gap map: a page layout (title, policy text, map frame with the scene's layers,
//! legend of what is drawn, scale bar measured on the ellipsoid with 1:N, north arrow, targets
//! table, top gaps, footnote) written as SVG in millimetres. PNG and PDF are rendered from this
//! SVG ([`super::export`]), so every output shows the same page.

use crate::analysis::Analysis;
use crate::project::Project;
use crate::render::labels::{LabelRequest, place, text_width};
use crate::render::scalebar::{scale_bar, scale_denominator};
use crate::render::{Bounds, Item, Rgba, Scene, Shape, View, attributes};
use crate::targets::evaluate::State;
use crate::targets::gaps::Gap;
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
}

/// The page width and height in mm.
pub fn page_size(spec: &PrintSpec) -> (f64, f64) {
    let (w, h) = spec.paper.size_mm();
    if spec.landscape { (w.max(h), w.min(h)) } else { (w.min(h), w.max(h)) }
}

fn esc(s: &str) -> String {
    s.replace('&', "&amp;").replace('<', "&lt;").replace('>', "&gt;").replace('"', "&quot;")
}

fn hex(c: Rgba) -> (String, f64) {
    let [r, g, b, a] = c.0;
    (format!("#{r:02x}{g:02x}{b:02x}"), a as f64 / 255.0)
}

/// The Chinese word for a verdict (printed maps are for Chinese regulators).
pub fn verdict_zh(s: State) -> &'static str {
    match s {
        State::Met => "达标",
        State::NotMet => "未达标",
        State::Unknown => "无法判断",
    }
}

/// Text with the embedded CJK font (position, size, anchor, weight and colour are all needed).
#[allow(clippy::too_many_arguments)]
fn text(out: &mut String, x: f64, y: f64, size: f64, anchor: &str, weight: &str, fill: &str, s: &str) {
    let _ = writeln!(
        out,
        r#"<text x="{x:.2}" y="{y:.2}" font-family="Noto Sans CJK SC" font-size="{size:.2}" text-anchor="{anchor}" font-weight="{weight}" fill="{fill}">{}</text>"#,
        esc(s)
    );
}

/// The frame → page transform of the map frame.
struct MapFrame {
    rect: [f64; 4],
    view: View,
}

impl MapFrame {
    fn pt(&self, x: f64, y: f64) -> (f64, f64) {
        let s = self.view.to_screen(x, y);
        (self.rect[0] + s[0], self.rect[1] + s[1])
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

/// Composes the page as SVG (viewBox in mm) and says what it drew.
pub fn compose(p: &Project, scene: &Scene, a: &Analysis, gaps: &[Gap], spec: &PrintSpec) -> (String, Drawn) {
    let (w, h) = page_size(spec);
    let m = spec.margin_mm;
    let mut svg = String::with_capacity(1 << 20);
    let _ = writeln!(svg, r#"<svg xmlns="http://www.w3.org/2000/svg" width="{w}mm" height="{h}mm" viewBox="0 0 {w} {h}">"#);
    let _ = writeln!(svg, r#"<rect x="0" y="0" width="{w}" height="{h}" fill="white"/>"#);
    let target = spec.target.and_then(|i| a.targets.get(i));
    let title = spec.title.clone().unwrap_or_else(|| match target {
        Some(t) => format!("{} {}缺口图", spec.area_name, t.target.text.trim_end_matches(['。', '；'])),
        None => format!("{} 覆盖图", spec.area_name),
    });
    let scale_title = (w / 420.0).clamp(0.6, 1.6);
    text(&mut svg, w / 2.0, m + 8.0 * scale_title, 7.0 * scale_title, "middle", "bold", "#000", &title);
    let subtitle = match target {
        Some(t) => format!("《{}》：{}", a.profile.profile.title, t.target.text),
        None => format!("《{}》", a.profile.profile.title),
    };
    text(&mut svg, w / 2.0, m + 14.0 * scale_title, 3.2 * scale_title, "middle", "normal", "#333", &subtitle);
    let top = m + 18.0 * scale_title;
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
    for layer in scene.layers.iter().filter(|l| l.style.visible && l.style.opacity > 0.0) {
        draw_layer(&mut svg, scene, layer, &mf, in_view);
    }
    draw_labels(&mut svg, p, scene, &mf, in_view, gaps, target.map(|t| t.target.id.as_str()));
    svg.push_str("</g>\n");
    let _ = writeln!(
        svg,
        r##"<rect x="{:.2}" y="{:.2}" width="{:.2}" height="{:.2}" fill="none" stroke="#000" stroke-width="0.4"/>"##,
        frame_rect[0], frame_rect[1], frame_rect[2], frame_rect[3]
    );
    // Scale bar (bottom left of the frame) and north arrow (top right).
    let bar = scale_bar(&p.frame, &mf.view, frame_rect[2] * 0.25);
    let denom = scale_denominator(&p.frame, &mf.view, 1.0);
    let (bx, by) = (frame_rect[0] + 6.0, frame_rect[1] + frame_rect[3] - 7.0);
    let _ =
        writeln!(svg, r#"<rect x="{:.2}" y="{:.2}" width="{:.2}" height="11" fill="white" fill-opacity="0.85"/>"#, bx - 3.0, by - 7.0, bar.px.max(40.0) + 6.0);
    let _ = writeln!(svg, r##"<rect x="{bx:.3}" y="{by:.2}" width="{:.3}" height="1.2" fill="#000"/>"##, bar.px / 2.0);
    let _ = writeln!(
        svg,
        r##"<rect x="{:.3}" y="{by:.2}" width="{:.3}" height="1.2" fill="white" stroke="#000" stroke-width="0.2"/>"##,
        bx + bar.px / 2.0,
        bar.px / 2.0
    );
    text(&mut svg, bx, by - 1.5, 2.6, "middle", "normal", "#000", "0");
    text(&mut svg, bx + bar.px, by - 1.5, 2.6, "middle", "normal", "#000", &bar.label);
    text(&mut svg, bx + bar.px.max(40.0), by - 1.5, 2.6, "end", "normal", "#000", &format!("1:{}", group_digits(denom)));
    let (nx, ny) = (frame_rect[0] + frame_rect[2] - 10.0, frame_rect[1] + 6.0);
    let _ = writeln!(svg, r##"<path d="M {nx:.2} {ny:.2} l 3 9 l -3 -2.2 l -3 2.2 Z" fill="#000"/>"##);
    text(&mut svg, nx, ny + 14.0, 3.5, "middle", "bold", "#000", "北 N");
    // Side panel: legend, targets, top gaps.
    let sx = w - m - side;
    let mut y = top + 4.0;
    text(&mut svg, sx, y, 4.0, "start", "bold", "#000", "图例");
    y += 5.0;
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
            y - 2.6
        );
        text(&mut svg, sx + 7.0, y, 2.8, "start", "normal", "#000", &format!("{label}（{n}）"));
        y += 4.2;
    }
    y += 3.0;
    text(&mut svg, sx, y, 4.0, "start", "bold", "#000", &format!("指标（{}）", a.profile.profile.id));
    y += 5.0;
    let cols = [0.0, side * 0.52, side * 0.66, side * 0.82];
    for (k, hdr) in ["指标", "达标", "未达标", "达标比例"].iter().enumerate() {
        text(&mut svg, sx + cols[k], y, 2.6, "start", "bold", "#000", hdr);
    }
    y += 3.8;
    for (i, t) in a.targets.iter().enumerate() {
        let weight = if spec.target == Some(i) { "bold" } else { "normal" };
        let cells = [t.target.id.clone(), t.count(State::Met).to_string(), t.count(State::NotMet).to_string(), format!("{:.1}%", 100.0 * t.share_met())];
        for (k, c) in cells.iter().enumerate() {
            text(&mut svg, sx + cols[k], y, 2.5, "start", weight, if k == 2 && t.count(State::NotMet) > 0 { "#c0281e" } else { "#000" }, c);
        }
        y += 3.6;
    }
    if let Some(t) = target {
        y += 3.0;
        text(&mut svg, sx, y, 4.0, "start", "bold", "#000", "主要缺口");
        y += 5.0;
        let cols = [0.0, side * 0.42, side * 0.70, side * 0.84];
        for (k, hdr) in ["村", "乡镇", "户数", "原因"].iter().enumerate() {
            text(&mut svg, sx + cols[k], y, 2.6, "start", "bold", "#000", hdr);
        }
        y += 3.8;
        // Only the gaps inside the map frame: a township's map lists that township's gaps.
        let inside = |g: &&Gap| {
            let (x, y) = p.frame.forward(g.lon, g.lat);
            x >= b[0] && x <= b[2] && y >= b[1] && y <= b[3]
        };
        for g in gaps.iter().filter(|g| g.target == t.target.id).filter(inside).take(((foot - 4.0 - y) / 3.6).max(0.0) as usize) {
            let cells = [g.name.clone(), g.township.clone(), format!("{:.0}", g.households), g.reason.code().replace('_', " ")];
            for (k, c) in cells.iter().enumerate() {
                text(&mut svg, sx + cols[k], y, 2.4, "start", "normal", "#000", c);
            }
            y += 3.6;
        }
    }
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
        text(&mut svg, m, h - m - 2.8 * (lines.len() - 1 - k) as f64, 2.2, "start", "normal", "#444", line);
    }
    svg.push_str("</svg>\n");
    (svg, Drawn { legend, scale: (bar.ground_m, bar.px, denom) })
}

fn group_digits(n: f64) -> String {
    let s = format!("{n:.0}");
    let mut out = String::new();
    for (i, c) in s.chars().enumerate() {
        if i > 0 && (s.len() - i) % 3 == 0 {
            out.push(',');
        }
        out.push(c);
    }
    out
}

/// One layer: polygons and points merged into one path per colour, lines into one path.
fn draw_layer(svg: &mut String, scene: &Scene, layer: &crate::render::SceneLayer, mf: &MapFrame, in_view: Bounds) {
    let g = &layer.geometry;
    let visible = g.visible(in_view);
    if visible.is_empty() {
        return;
    }
    let style = &layer.style;
    let (stroke, stroke_op) = hex(style.stroke.faded(style.opacity));
    // Screen pixels are ~0.26 mm: widths and sizes keep their look on paper.
    let px = 0.26;
    let mut by_colour: std::collections::BTreeMap<(String, u64), String> = Default::default();
    let mut lines = String::new();
    let outline = visible.len() <= 5000 && style.stroke_width > 0.0 && style.stroke.0[3] > 0;
    for &i in &visible {
        let fill = scene.fill_of(layer, i);
        let (col, op) = hex(fill);
        let key = (col, (op * 1000.0) as u64);
        match g.shapes[i] {
            Shape::Polygon => {
                let b = g.bounds[i];
                let small = (b[2] - b[0]).max(b[3] - b[1]) / mf.view.m_per_px < 0.3;
                let d = by_colour.entry(key).or_default();
                if small {
                    let (x, y) = mf.pt(g.anchors[i][0], g.anchors[i][1]);
                    let _ = write!(d, "M{:.2} {:.2}h0.3v0.3h-0.3Z", x - 0.15, y - 0.15);
                } else {
                    for s in g.strips_of(i) {
                        ring(d, s, mf);
                    }
                }
                if outline && !small {
                    for s in g.strips_of(i) {
                        ring(&mut lines, s, mf);
                    }
                }
            }
            Shape::Line => {
                for s in g.strips_of(i) {
                    polyline(&mut lines, s, mf);
                }
            }
            Shape::Point => {
                let (x, y) = mf.pt(g.anchors[i][0], g.anchors[i][1]);
                // Judged places stand out; network symbols stay small on paper.
                let r = if scene.state_of(layer, i).is_some() { 0.9 } else { (style.point_size as f64 * px / 4.0).clamp(0.3, 0.7) };
                let d = by_colour.entry(key).or_default();
                let _ = write!(d, "M{:.2} {:.2}a{r:.2} {r:.2} 0 1 0 {:.2} 0a{r:.2} {r:.2} 0 1 0 {:.2} 0Z", x - r, y, 2.0 * r, -2.0 * r);
            }
        }
    }
    for ((col, op), d) in by_colour {
        if op > 0 {
            let _ = writeln!(svg, r#"<path fill="{col}" fill-opacity="{:.3}" fill-rule="evenodd" d="{d}"/>"#, op as f64 / 1000.0);
        }
    }
    if !lines.is_empty() {
        let width = (style.stroke_width as f64 * px * 0.8).max(0.1);
        let _ = writeln!(
            svg,
            r#"<path fill="none" stroke="{stroke}" stroke-opacity="{stroke_op:.3}" stroke-width="{width:.2}" stroke-linejoin="round" d="{lines}"/>"#
        );
    }
}

fn ring(d: &mut String, s: &[[f32; 2]], mf: &MapFrame) {
    polyline(d, s, mf);
    d.push('Z');
}

fn polyline(d: &mut String, s: &[[f32; 2]], mf: &MapFrame) {
    let mut last = (f64::NAN, f64::NAN);
    for (k, p) in s.iter().enumerate() {
        let (x, y) = mf.pt(p[0] as f64, p[1] as f64);
        // Vertices closer than 0.05 mm on paper add bytes, not detail.
        if k > 0 && k + 1 < s.len() && (x - last.0).abs() < 0.05 && (y - last.1).abs() < 0.05 {
            continue;
        }
        let _ = write!(d, "{}{x:.2} {y:.2}", if k == 0 { 'M' } else { 'L' });
        last = (x, y);
    }
}

/// Township names and the names of the target's largest gaps, without overlaps.
fn draw_labels(svg: &mut String, p: &Project, scene: &Scene, mf: &MapFrame, in_view: Bounds, gaps: &[Gap], target: Option<&str>) {
    let mut reqs = Vec::new();
    let mut texts = Vec::new();
    for layer in scene.layers.iter().filter(|l| l.style.visible && l.geometry.role == Some(crate::project::Role::Admin)) {
        for i in layer.geometry.visible(in_view) {
            let name = attributes::title(p, layer.geometry.items[i]);
            let (x, y) = mf.pt(layer.geometry.anchors[i][0], layer.geometry.anchors[i][1]);
            reqs.push(LabelRequest { anchor: [x as f32, y as f32], size: [text_width(&name, 3.2), 3.6], priority: 1e12 });
            texts.push((name, 3.2, "#333"));
        }
    }
    if let Some(t) = target {
        for g in gaps.iter().filter(|g| g.target == t).take(25) {
            let item = crate::render::scene::item_of(g.place);
            let Some((x, y)) = scene.layers.iter().find_map(|l| l.geometry.feature_of(item).map(|i| mf.pt(l.geometry.anchors[i][0], l.geometry.anchors[i][1])))
            else {
                continue;
            };
            if !matches!(item, Item::Village(_)) {
                continue;
            }
            reqs.push(LabelRequest { anchor: [x as f32, y as f32], size: [text_width(&g.name, 2.4), 2.8], priority: g.households });
            texts.push((g.name.clone(), 2.4, "#8b1a10"));
        }
    }
    for (spot, (req, (name, size, col))) in place(&reqs, 0.4).into_iter().zip(reqs.iter().zip(texts)) {
        let Some(c) = spot else { continue };
        let _ = req;
        text(svg, c[0] as f64, c[1] as f64 + size * 0.9, size, "start", "normal", col, &name);
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn papers_parse_and_turn() {
        assert_eq!(Paper::parse("a3"), Some(Paper::A3));
        assert_eq!(Paper::parse("500x300"), Some(Paper::Custom(500.0, 300.0)));
        assert_eq!(Paper::parse("B5"), None);
        assert_eq!(group_digits(1234567.0), "1,234,567");
        assert_eq!(esc("a<b&\"c\""), "a&lt;b&amp;&quot;c&quot;");
    }
}
