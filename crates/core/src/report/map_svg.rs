//! The map frame of a printed page: the scene's layers drawn as SVG paths (one path per colour,
//! so a county of 180 000 buildings stays a few MB) and the labels placed without overlaps.

use super::svg::{hex, text};
use crate::analysis::gaps::Gap;
use crate::project::Project;
use crate::render::labels::{LabelRequest, place, text_width};
use crate::render::{Bounds, Item, Rgba, Scene, Shape, View, attributes};
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

/// Whether feature `i` is under 0.3 mm on paper: it prints as a 0.3 mm square mark, not its shape.
fn is_mark(g: &crate::render::LayerGeometry, i: usize, mf: &MapFrame) -> bool {
    let b = g.bounds[i];
    (b[2] - b[0]).max(b[3] - b[1]) / mf.view.m_per_px < 0.3
}

/// The resolution of such an image, dots per inch.
const RASTER_DPI: f64 = 300.0;

/// A crowded polygon layer as one PNG image over the map frame (embedded as a data URL, so the
/// page stays one self-contained SVG), drawn with the same colours and the same 0.3 mm marks
/// for features too small to show their shape.
fn draw_layer_raster(svg: &mut String, scene: &Scene, layer: &crate::render::SceneLayer, mf: &MapFrame, visible: &[usize]) {
    use base64::Engine;
    use resvg::tiny_skia::{FillRule, Paint, PathBuilder, Pixmap, Transform};
    let g = &layer.geometry;
    let dots_per_mm = RASTER_DPI / 25.4;
    let (w, h) = ((mf.rect[2] * dots_per_mm).ceil() as u32, (mf.rect[3] * dots_per_mm).ceil() as u32);
    let Some(mut pixmap) = Pixmap::new(w.max(1), h.max(1)) else { return };
    let dot = |x: f64, y: f64| (((x - mf.rect[0]) * dots_per_mm) as f32, ((y - mf.rect[1]) * dots_per_mm) as f32);
    let mark = (0.3 * dots_per_mm) as f32;
    let mut paint = Paint { anti_alias: true, ..Default::default() };
    for &i in visible {
        let [r, gr, b, a] = scene.fill_of(layer, i).0;
        if a == 0 {
            continue;
        }
        paint.set_color_rgba8(r, gr, b, a);
        if is_mark(g, i, mf) {
            // A mark of whole dots written straight into the image: a million calls into the
            // rasteriser's pipeline cost a second, these cost milliseconds.
            let (x, y) = mf.pt(g.anchors[i][0], g.anchors[i][1]);
            let (x, y) = dot(x, y);
            blend_square(&mut pixmap, x - mark / 2.0, y - mark / 2.0, mark, [r, gr, b, a]);
            continue;
        }
        let mut pb = PathBuilder::new();
        for strip in g.strips_of(i) {
            for (k, v) in strip.iter().enumerate() {
                let (x, y) = mf.pt(v[0] as f64, v[1] as f64);
                let (x, y) = dot(x, y);
                if k == 0 { pb.move_to(x, y) } else { pb.line_to(x, y) }
            }
            pb.close();
        }
        if let Some(path) = pb.finish() {
            pixmap.fill_path(&path, &paint, FillRule::EvenOdd, Transform::identity(), None);
        }
    }
    let Some(png) = fast_png(pixmap) else { return };
    let _ = writeln!(
        svg,
        r#"<image x="{:.3}" y="{:.3}" width="{:.3}" height="{:.3}" preserveAspectRatio="none" href="data:image/png;base64,{}"/>"#,
        mf.rect[0],
        mf.rect[1],
        w as f64 / dots_per_mm,
        h as f64 / dots_per_mm,
        base64::engine::general_purpose::STANDARD.encode(png)
    );
}

/// The coverage grid as one image over its cells (kept crisp: one cell, one block of colour).
pub fn draw_grid(svg: &mut String, img: &crate::render::grid_image::GridImage, mf: &MapFrame) {
    use base64::Engine;
    let [w, h] = img.size;
    let Some(mut pixmap) = resvg::tiny_skia::Pixmap::new(w.max(1) as u32, h.max(1) as u32) else { return };
    for (dst, c) in pixmap.pixels_mut().iter_mut().zip(&img.pixels) {
        let [r, g, b, a] = c.0;
        *dst = resvg::tiny_skia::ColorU8::from_rgba(r, g, b, a).premultiply();
    }
    let Some(png) = fast_png(pixmap) else { return };
    let b = img.bounds;
    let ((x0, y0), (x1, y1)) = (mf.pt(b[0], b[3]), mf.pt(b[2], b[1]));
    let _ = writeln!(
        svg,
        r#"<image x="{x0:.3}" y="{y0:.3}" width="{:.3}" height="{:.3}" preserveAspectRatio="none" image-rendering="optimizeSpeed" href="data:image/png;base64,{}"/>"#,
        x1 - x0,
        y1 - y0,
        base64::engine::general_purpose::STANDARD.encode(png)
    );
}

/// The image as PNG with fast compression: the default level spends half a second on a
/// county-sized frame at 300 dpi to save a little of a file that is embedded once.
fn fast_png(pixmap: resvg::tiny_skia::Pixmap) -> Option<Vec<u8>> {
    let (w, h) = (pixmap.width(), pixmap.height());
    let rgba = pixmap.take_demultiplied();
    let mut out = Vec::new();
    let mut encoder = png::Encoder::new(&mut out, w, h);
    encoder.set_color(png::ColorType::Rgba);
    encoder.set_depth(png::BitDepth::Eight);
    encoder.set_compression(png::Compression::Fast);
    encoder.write_header().ok()?.write_image_data(&rgba).ok()?;
    Some(out)
}

/// Paints the square [x, x + side) × [y, y + side) (in dots) with a straight-alpha colour,
/// source over, each dot weighted by the share of it the square covers (as an anti-aliased
/// rasteriser would).
fn blend_square(pixmap: &mut resvg::tiny_skia::Pixmap, x: f32, y: f32, side: f32, [r, g, b, a]: [u8; 4]) {
    let (w, h) = (pixmap.width() as i64, pixmap.height() as i64);
    let data = pixmap.data_mut();
    let cover = |p: i64, lo: f32| ((p as f32 + 1.0).min(lo + side) - (p as f32).max(lo)).clamp(0.0, 1.0);
    for py in (y.floor() as i64).max(0)..((y + side).ceil() as i64).min(h) {
        let cy = cover(py, y);
        for px in (x.floor() as i64).max(0)..((x + side).ceil() as i64).min(w) {
            let alpha = a as f32 / 255.0 * cy * cover(px, x);
            let k = ((py * w + px) * 4) as usize;
            for (c, straight) in [r, g, b, 255].into_iter().enumerate() {
                let d = data[k + c] as f32;
                data[k + c] = (straight as f32 * alpha + d * (1.0 - alpha)).round().min(255.0) as u8;
            }
        }
    }
}

/// One layer: polygons and points merged into one path per colour, lines into one path.
pub fn draw_layer(svg: &mut String, scene: &Scene, layer: &crate::render::SceneLayer, mf: &MapFrame, in_view: Bounds, raster_above: usize) {
    let g = &layer.geometry;
    let visible = g.visible(in_view);
    if visible.is_empty() {
        return;
    }
    if visible.len() > raster_above && visible.iter().all(|&i| g.shapes[i] == Shape::Polygon) {
        draw_layer_raster(svg, scene, layer, mf, &visible);
        return;
    }
    let style = &layer.style;
    let (stroke, stroke_op) = hex(style.stroke.faded(style.opacity));
    // Screen pixels are ~0.26 mm: widths and sizes keep their look on paper.
    let px = 0.26;
    // Keyed by the colour's bytes (in the order of its hex form): one String per colour, not per feature.
    let mut by_colour: std::collections::BTreeMap<[u8; 4], String> = Default::default();
    let mut lines = String::new();
    let outline = visible.len() <= 5000 && style.stroke_width > 0.0 && style.stroke.0[3] > 0;
    for &i in &visible {
        let key = scene.fill_of(layer, i).0;
        match g.shapes[i] {
            Shape::Polygon => {
                let small = is_mark(g, i, mf);
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
    for (rgba, d) in by_colour {
        let (col, op) = hex(Rgba(rgba));
        if (op * 1000.0) as u64 > 0 {
            let _ = writeln!(svg, r#"<path fill="{col}" fill-opacity="{:.3}" fill-rule="evenodd" d="{d}"/>"#, ((op * 1000.0) as u64) as f64 / 1000.0);
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
