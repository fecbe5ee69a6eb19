//! The map frame of a printed page: the scene's layers drawn as SVG paths (one path per colour,
//! so a county of 180 000 buildings stays a few MB) and the labels placed without overlaps.

use super::print::{hex, text};
use crate::project::Project;
use crate::render::labels::{LabelRequest, place, text_width};
use crate::render::{Bounds, Item, Scene, Shape, View, attributes};
use crate::targets::gaps::Gap;
use std::fmt::Write;

/// The frame → page transform of the map frame.
pub struct MapFrame {
    /// The frame on the page: x, y, width, height (mm).
    pub rect: [f64; 4],
    /// Frame metres → mm inside the frame.
    pub view: View,
}

impl MapFrame {
    /// A frame point on the page (mm).
    pub fn pt(&self, x: f64, y: f64) -> (f64, f64) {
        let s = self.view.to_screen(x, y);
        (self.rect[0] + s[0], self.rect[1] + s[1])
    }
}

/// One layer: polygons and points merged into one path per colour, lines into one path.
pub fn draw_layer(svg: &mut String, scene: &Scene, layer: &crate::render::SceneLayer, mf: &MapFrame, in_view: Bounds) {
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

/// Appends a closed ring (frame coordinates) to a path.
pub fn ring(d: &mut String, s: &[[f32; 2]], mf: &MapFrame) {
    polyline(d, s, mf);
    d.push('Z');
}

/// Appends a polyline (frame coordinates) to a path, dropping vertices closer than 0.05 mm.
pub fn polyline(d: &mut String, s: &[[f32; 2]], mf: &MapFrame) {
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
pub fn draw_labels(svg: &mut String, p: &Project, scene: &Scene, mf: &MapFrame, in_view: Bounds, gaps: &[Gap], target: Option<&str>) {
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
