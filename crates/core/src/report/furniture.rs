//! Map furniture of a printed page: scale bar with 1:N, north arrow, graticule with lon/lat
//! labels at the frame's edges, and the overview inset locating the map in the whole project.

use super::map_svg::{MapFrame, ring};
use super::svg::{hex, text};
use crate::project::Role;
use crate::render::graticule::{crossing, graticule};
use crate::render::labels::text_width;
use crate::render::scalebar::{scale_bar, scale_denominator};
use crate::render::{Bounds, Scene, Shape, View};
use crate::spatial::LocalFrame;
use std::fmt::Write;

/// Draws the scale bar (bottom left of the frame, ground length measured on the ellipsoid) and
/// returns (ground metres, bar length in mm, denominator of 1:N).
pub fn scale_bar_svg(svg: &mut String, frame: &LocalFrame, mf: &MapFrame) -> (f64, f64, f64) {
    let r = mf.rect;
    let bar = scale_bar(frame, &mf.view, r[2] * 0.25);
    let denom = scale_denominator(frame, &mf.view, 1.0);
    let (bx, by) = (r[0] + 6.0, r[1] + r[3] - 7.0);
    // The numeric scale stands right of the bar, clear of the bar's end label.
    let ratio = format!("1:{}", group_digits(denom));
    let ratio_x = bx + bar.px + 3.0 + text_width(&bar.label, 2.6) as f64 / 2.0;
    let box_w = ratio_x - bx + text_width(&ratio, 2.6) as f64 + 6.0;
    let _ = writeln!(svg, r#"<rect x="{:.2}" y="{:.2}" width="{box_w:.2}" height="11" fill="white" fill-opacity="0.85"/>"#, bx - 3.0, by - 7.0);
    let _ = writeln!(svg, r##"<rect x="{bx:.3}" y="{by:.2}" width="{:.3}" height="1.2" fill="#000"/>"##, bar.px / 2.0);
    let _ = writeln!(
        svg,
        r##"<rect x="{:.3}" y="{by:.2}" width="{:.3}" height="1.2" fill="white" stroke="#000" stroke-width="0.2"/>"##,
        bx + bar.px / 2.0,
        bar.px / 2.0
    );
    text(svg, bx, by - 1.5, 2.6, "middle", "normal", "#000", "0");
    text(svg, bx + bar.px, by - 1.5, 2.6, "middle", "normal", "#000", &bar.label);
    text(svg, ratio_x, by + 1.2, 2.6, "start", "normal", "#000", &ratio);
    (bar.ground_m, bar.px, denom)
}

/// The north arrow at the frame's top right. The local frame's y axis is true north at its
/// central meridian (convergence is under 0.3° across a county).
pub fn north_arrow(svg: &mut String, mf: &MapFrame) {
    let (nx, ny) = (mf.rect[0] + mf.rect[2] - 10.0, mf.rect[1] + 6.0);
    let _ = writeln!(svg, r##"<path d="M {nx:.2} {ny:.2} l 3 9 l -3 -2.2 l -3 2.2 Z" fill="#000"/>"##);
    text(svg, nx, ny + 14.0, 3.5, "middle", "bold", "#000", "北 N");
}

/// The graticule: its lines (to draw inside the frame's clip) and its labels (outside the
/// frame: longitudes under the bottom edge, latitudes left of the left edge, turned).
pub fn graticule_svg(frame: &LocalFrame, mf: &MapFrame, in_view: Bounds) -> (String, String) {
    let g = graticule(frame, in_view, 6);
    let (mut lines, mut labels) = (String::new(), String::new());
    let r = mf.rect;
    let page = |pts: &[[f64; 2]]| -> Vec<[f64; 2]> {
        pts.iter()
            .map(|p| {
                let (x, y) = mf.pt(p[0], p[1]);
                [x, y]
            })
            .collect()
    };
    let mut d = String::new();
    for l in g.meridians.iter().chain(&g.parallels) {
        polyline_mm(&mut d, &page(&l.points));
    }
    if !d.is_empty() {
        let _ = writeln!(lines, r##"<path fill="none" stroke="#5a6b7a" stroke-opacity="0.7" stroke-width="0.15" stroke-dasharray="1.2 0.8" d="{d}"/>"##);
    }
    let bottom = r[1] + r[3];
    for m in &g.meridians {
        if let Some(x) = crossing(&page(&m.points), bottom, false).filter(|x| *x > r[0] + 3.0 && *x < r[0] + r[2] - 3.0) {
            text(&mut labels, x, bottom + 3.0, 2.2, "middle", "normal", "#333", &m.label);
        }
    }
    for p in &g.parallels {
        if let Some(y) = crossing(&page(&p.points), r[0], true).filter(|y| *y > r[1] + 3.0 && *y < bottom - 3.0) {
            let _ = writeln!(labels, r#"<g transform="translate({:.2} {y:.2}) rotate(-90)">"#, r[0] - 1.0);
            text(&mut labels, 0.0, 0.0, 2.2, "middle", "normal", "#333", &p.label);
            labels.push_str("</g>\n");
        }
    }
    (lines, labels)
}

fn polyline_mm(d: &mut String, pts: &[[f64; 2]]) {
    for (k, p) in pts.iter().enumerate() {
        let _ = write!(d, "{}{:.2} {:.2}", if k == 0 { 'M' } else { 'L' }, p[0], p[1]);
    }
}

/// The overview inset (bottom right of the frame): the admin areas of the whole `extent` at a
/// small scale with the map frame's area outlined in red. Drawn only when the map shows a part
/// of the project (an area, a township page of an atlas, a gap's surroundings).
pub fn overview_inset(svg: &mut String, scene: &Scene, mf: &MapFrame, extent: Bounds, in_view: Bounds) {
    let area = |b: Bounds| (b[2] - b[0]).max(0.0) * (b[3] - b[1]).max(0.0);
    if area(extent) <= 0.0 || area(in_view) >= 0.5 * area(extent) {
        return;
    }
    let r = mf.rect;
    let aspect = (extent[3] - extent[1]) / (extent[2] - extent[0]);
    let w = (r[2] * 0.2).clamp(30.0, 70.0);
    let h = (w * aspect).min(r[3] * 0.35);
    let w = h / aspect;
    let (x0, y0) = (r[0] + r[2] - w - 2.0, r[1] + r[3] - h - 2.0);
    let inset = MapFrame { rect: [x0, y0, w, h], view: View::fit(extent, [w, h]) };
    let _ = writeln!(svg, r##"<rect x="{x0:.2}" y="{y0:.2}" width="{w:.2}" height="{h:.2}" fill="white" stroke="#000" stroke-width="0.3"/>"##);
    // The coarsest admin layer outlines the county; finer ones draw the townships inside it.
    let mut d = String::new();
    for layer in scene.layers.iter().filter(|l| l.geometry.role == Some(Role::Admin)) {
        let g = &layer.geometry;
        for i in (0..g.shapes.len()).filter(|&i| g.shapes[i] == Shape::Polygon) {
            for s in g.strips_of(i) {
                ring(&mut d, s, &inset);
            }
        }
    }
    if !d.is_empty() {
        let (fill, _) = hex(crate::render::Rgba([238, 238, 232, 255]));
        let _ = writeln!(svg, r##"<path fill="{fill}" stroke="#777" stroke-width="0.12" fill-rule="evenodd" d="{d}"/>"##);
    }
    let (a, b) = (inset.pt(in_view[0], in_view[3]), inset.pt(in_view[2], in_view[1]));
    // A box too small to see becomes a marker of at least 1.5 mm.
    let (bw, bh) = ((b.0 - a.0).max(1.5), (b.1 - a.1).max(1.5));
    let (cx, cy) = ((a.0 + b.0) / 2.0, (a.1 + b.1) / 2.0);
    let _ = writeln!(
        svg,
        r##"<rect x="{:.2}" y="{:.2}" width="{bw:.2}" height="{bh:.2}" fill="none" stroke="#d7191c" stroke-width="0.4"/>"##,
        cx - bw / 2.0,
        cy - bh / 2.0
    );
}

/// 1234567 → "1,234,567".
pub fn group_digits(n: f64) -> String {
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

#[cfg(test)]
mod tests {
    use super::*;

    fn degrees(label: &str) -> f64 {
        let (d, rest) = label.split_once('°').unwrap();
        let m = rest.split_once('′').map_or(0.0, |(m, _)| m.parse::<f64>().unwrap());
        d.parse::<f64>().unwrap() + m / 60.0
    }

    fn number_after(s: &str, key: &str) -> f64 {
        let at = s.find(key).unwrap() + key.len();
        s[at..].split(['"', ' ', ')']).next().unwrap().parse().unwrap()
    }

    #[test]
    fn graticule_labels_stand_where_their_line_crosses_the_frame_edge() {
        let frame = LocalFrame::new(112.7, 23.4);
        let (x0, y0) = frame.forward(112.45, 23.15);
        let (x1, y1) = frame.forward(112.95, 23.65);
        let rect = [10.0, 20.0, 280.0, 250.0];
        let mf = MapFrame { rect, view: View::fit([x0, y0, x1, y1], [rect[2], rect[3]]) };
        let (_, labels) = graticule_svg(&frame, &mf, mf.view.bounds());
        let (mut east, mut north) = (0, 0);
        for line in labels.lines().filter(|l| l.contains("<text")) {
            let label = line.rsplit_once("\">").unwrap().1.trim_end_matches("</text>");
            if label.ends_with('E') {
                // Under the bottom edge: its x is where the meridian meets the edge.
                let x = number_after(line, "x=\"");
                let p = mf.view.to_frame(x - rect[0], rect[3]);
                let (lon, _) = frame.inverse(p[0], p[1]);
                assert!((lon - degrees(label)).abs() < 1e-4, "{label} stands at {lon}°");
                east += 1;
            }
        }
        for (translate, line) in labels.lines().zip(labels.lines().skip(1)).filter(|(_, l)| l.contains("′N<")) {
            let label = line.rsplit_once("\">").unwrap().1.trim_end_matches("</text>");
            // `<g transform="translate(X Y) rotate(-90)">`: Y is where the parallel meets the left edge.
            let y: f64 = translate.split_whitespace().nth(2).unwrap().trim_end_matches(')').parse().unwrap();
            let p = mf.view.to_frame(0.0, y - rect[1]);
            let (_, lat) = frame.inverse(p[0], p[1]);
            assert!((lat - degrees(label)).abs() < 1e-4, "{label} stands at {lat}°");
            north += 1;
        }
        assert!(east >= 2 && north >= 2, "{east} meridian and {north} parallel labels");
    }
}
