//! The map widget: draws the scene (culled by R-tree, meshes built straight from the
//! triangulated geometry, a raster overview when too many features are in view), labels
//! without overlaps, the scale bar, selection; and turns pointer input into pan, zoom and picks.

use super::i18n::Lang;
use covplan_core::project::Role;
use covplan_core::render::grid_image::GridClass;
use covplan_core::render::labels::{LabelRequest, place, text_width};
use covplan_core::render::scalebar::{scale_bar, scale_denominator};
use covplan_core::render::view::overlaps;
use covplan_core::render::{Item, Rgba, Scene, SceneLayer, Shape, View, attributes};
use covplan_core::spatial::LocalFrame;
use eframe::egui::{self, Color32, Mesh, Pos2, Rect, Stroke, epaint::Vertex, pos2, vec2};
use std::collections::HashMap;

/// Features in view above which a polygon layer is drawn from its raster overview.
const MESH_BUDGET: usize = 60_000;
/// Rings are outlined only while this few polygons are in view (beyond, outlines are sub-pixel noise).
const OUTLINE_BUDGET: usize = 8_000;

fn color(c: Rgba) -> Color32 {
    let [r, g, b, a] = c.0;
    Color32::from_rgba_unmultiplied(r, g, b, a)
}

/// A layer's raster overview: one pixel per cell of its extent, coloured like the feature
/// whose anchor falls in it; drawn instead of meshes when the view holds too many features.
struct Overview {
    key: u64,
    texture: egui::TextureHandle,
    bounds: [f64; 4],
}

/// What the map remembers between frames.
#[derive(Default)]
pub struct MapCache {
    overviews: HashMap<String, Overview>,
    /// CPU milliseconds spent building the last frame's map shapes.
    pub last_build_ms: f64,
    /// Where the map was drawn last frame (screen points).
    pub rect: Option<Rect>,
    /// The legend lines and what they were computed for (view, theme, overlay, layer styles).
    legend: Option<(String, Vec<(String, Color32)>)>,
    /// The coverage grid's texture and the image it shows (held, so that no later image can
    /// take its address and be mistaken for it).
    grid: Option<(std::sync::Arc<covplan_core::render::grid_image::GridImage>, egui::TextureHandle)>,
}

/// What happened on the map this frame.
#[derive(Default)]
pub struct MapEvents {
    /// A click on a feature (layer index, item), or on empty ground (None).
    pub clicked: Option<Option<(usize, Item)>>,
    /// Frame coordinates of the click.
    pub clicked_at: Option<[f64; 2]>,
    /// The frame point under the pointer.
    pub hover_at: Option<[f64; 2]>,
    /// The feature under the pointer.
    pub hovered: Option<(usize, Item)>,
}

/// Draws the map and handles its input.
pub fn show(
    ui: &mut egui::Ui,
    scene: &Scene,
    view: &mut View,
    p: &covplan_core::project::Project,
    selected: Option<Item>,
    cache: &mut MapCache,
    lang: Lang,
) -> MapEvents {
    let frame = &p.frame;
    let size = ui.available_size();
    let (response, painter) = ui.allocate_painter(size, egui::Sense::click_and_drag());
    let rect = response.rect;
    cache.rect = Some(rect);
    view.size = [rect.width() as f64, rect.height() as f64];
    let mut ev = MapEvents::default();
    if response.dragged_by(egui::PointerButton::Primary) || response.dragged_by(egui::PointerButton::Middle) {
        let d = response.drag_delta();
        view.pan(d.x as f64, d.y as f64);
    }
    if let Some(pos) = response.hover_pos() {
        let local = pos - rect.min;
        let scroll = ui.input(|i| i.smooth_scroll_delta().y);
        let pinch = ui.input(|i| i.zoom_delta());
        if scroll != 0.0 {
            view.zoom_at((scroll as f64 / 200.0).exp(), [local.x as f64, local.y as f64]);
        }
        if pinch != 1.0 {
            view.zoom_at(pinch as f64, [local.x as f64, local.y as f64]);
        }
        ev.hover_at = Some(view.to_frame(local.x as f64, local.y as f64));
    }
    if response.has_focus() || response.hovered() {
        let (plus, minus) = ui.input(|i| (i.key_pressed(egui::Key::Plus) || i.key_pressed(egui::Key::Equals), i.key_pressed(egui::Key::Minus)));
        let centre = [view.size[0] / 2.0, view.size[1] / 2.0];
        if plus {
            view.zoom_at(1.5, centre);
        }
        if minus {
            view.zoom_at(1.0 / 1.5, centre);
        }
    }
    let tolerance = 6.0 * view.m_per_px;
    if let Some(at) = ev.hover_at
        && !response.dragged()
    {
        ev.hovered = pick(scene, at, tolerance);
    }
    if response.clicked()
        && let Some(pos) = response.interact_pointer_pos()
    {
        let local = pos - rect.min;
        let at = view.to_frame(local.x as f64, local.y as f64);
        ev.clicked_at = Some(at);
        ev.clicked = Some(pick(scene, at, tolerance));
    }
    let clock = std::time::Instant::now();
    painter.rect_filled(rect, 0.0, Color32::from_rgb(232, 238, 242));
    let bounds = view.bounds();
    // The coverage grid lies over the admin areas (listed first) and under everything else.
    let grid_at = scene.grid_slot();
    for (li, layer) in scene.layers.iter().enumerate() {
        if li == grid_at {
            draw_grid(ui.ctx(), &painter, rect, scene, view, cache);
        }
        if !layer.style.visible || layer.style.opacity <= 0.0 || layer.geometry.extent.is_none_or(|e| !overlaps(e, bounds)) {
            continue;
        }
        draw_layer(ui.ctx(), &painter, rect, scene, layer, view, cache);
    }
    if grid_at == scene.layers.len() {
        draw_grid(ui.ctx(), &painter, rect, scene, view, cache);
    }
    draw_labels(&painter, rect, scene, view, p);
    if let Some(item) = selected {
        draw_selection(&painter, rect, scene, item, view);
    }
    draw_scale_bar(&painter, rect, frame, view);
    draw_legend(&painter, rect, scene, view, lang, cache, response.dragged());
    cache.last_build_ms = clock.elapsed().as_secs_f64() * 1e3;
    if let Some((li, item)) = ev.hovered {
        let text = tooltip_text(scene, li, item, p);
        response.on_hover_ui_at_pointer(|ui| {
            ui.label(text);
        });
    }
    ev
}

fn tooltip_text(scene: &Scene, li: usize, item: Item, p: &covplan_core::project::Project) -> String {
    let l = &scene.layers[li];
    let mut t = format!("{} — {}", l.geometry.name, attributes::title(p, item));
    if let Some(s) = scene.theme.as_ref().and_then(|th| th.states.get(&item)) {
        t.push_str(&format!("\n{}: {}", scene.theme.as_ref().map_or("", |th| th.target.as_str()), s.word()));
    }
    t
}

/// The feature at frame point `at`: point symbols first, then lines, then areas (a village dot
/// on a road is the village), the topmost layer first within each kind.
pub fn pick(scene: &Scene, at: [f64; 2], tolerance: f64) -> Option<(usize, Item)> {
    [Shape::Point, Shape::Line, Shape::Polygon].into_iter().find_map(|kind| {
        scene
            .layers
            .iter()
            .enumerate()
            .rev()
            .filter(|(_, l)| l.style.visible && l.style.opacity > 0.0 && l.geometry.has(kind))
            .find_map(|(li, l)| l.geometry.pick(at[0], at[1], tolerance).filter(|&i| l.geometry.shapes[i] == kind).map(|i| (li, l.geometry.items[i])))
    })
}

fn to_screen(view: &View, rect: Rect, x: f64, y: f64) -> Pos2 {
    let s = view.to_screen(x, y);
    pos2(rect.min.x + s[0] as f32, rect.min.y + s[1] as f32)
}

/// Adds a quad strip for a polyline (already in screen space) of width `w`.
fn push_polyline(mesh: &mut Mesh, pts: &[Pos2], w: f32, c: Color32) {
    let h = w / 2.0;
    for s in pts.windows(2) {
        let d = s[1] - s[0];
        let len = d.length();
        if len < 0.01 {
            continue;
        }
        let n = vec2(-d.y, d.x) / len * h;
        let base = mesh.vertices.len() as u32;
        for p in [s[0] + n, s[0] - n, s[1] + n, s[1] - n] {
            mesh.vertices.push(Vertex { pos: p, uv: egui::epaint::WHITE_UV, color: c });
        }
        mesh.indices.extend_from_slice(&[base, base + 1, base + 2, base + 1, base + 3, base + 2]);
    }
}

fn draw_layer(ctx: &egui::Context, painter: &egui::Painter, rect: Rect, scene: &Scene, layer: &SceneLayer, view: &View, cache: &mut MapCache) {
    let g = &layer.geometry;
    let bounds = view.bounds();
    let polygons = g.has(Shape::Polygon);
    // Far more features in view than a mesh can carry (estimated from the share of the layer's
    // extent in view): straight to the overview, without collecting them from the R-tree.
    if polygons && let Some(e) = g.extent {
        let inter = (bounds[2].min(e[2]) - bounds[0].max(e[0])).max(0.0) * (bounds[3].min(e[3]) - bounds[1].max(e[1])).max(0.0);
        let share = inter / ((e[2] - e[0]) * (e[3] - e[1])).max(1e-9);
        if share * g.len() as f64 > 4.0 * MESH_BUDGET as f64 {
            draw_overview(ctx, painter, rect, scene, layer, view, cache);
            return;
        }
    }
    let visible = g.visible(bounds);
    if visible.is_empty() {
        return;
    }
    let style = &layer.style;
    let stroke = color(style.stroke.faded(style.opacity));
    if polygons && visible.len() > MESH_BUDGET {
        draw_overview(ctx, painter, rect, scene, layer, view, cache);
        return;
    }
    let (sx, sy) = (1.0 / view.m_per_px, -1.0 / view.m_per_px);
    let (ox, oy) = (rect.min.x as f64 + view.size[0] / 2.0 - view.center[0] * sx, rect.min.y as f64 + view.size[1] / 2.0 - view.center[1] * sy);
    let tr = |p: [f32; 2]| pos2((p[0] as f64 * sx + ox) as f32, (p[1] as f64 * sy + oy) as f32);
    let mut mesh = Mesh::default();
    let outline = polygons && visible.len() <= OUTLINE_BUDGET && style.stroke_width > 0.0 && style.stroke.0[3] > 0;
    let mut lines = Mesh::default();
    let mut strip = Vec::new();
    for &i in &visible {
        match g.shapes[i] {
            Shape::Polygon => {
                let fill = color(scene.fill_of(layer, i));
                if fill.a() > 0 {
                    let (v0, v1) = g.vertex_ranges[i];
                    let base = mesh.vertices.len() as u32;
                    mesh.vertices.extend(g.vertices[v0 as usize..v1 as usize].iter().map(|&v| Vertex { pos: tr(v), uv: egui::epaint::WHITE_UV, color: fill }));
                    mesh.indices.extend(g.triangles_of(i).iter().map(|&k| k - v0 + base));
                }
                if outline {
                    for s in g.strips_of(i) {
                        strip.clear();
                        strip.extend(s.iter().map(|&p| tr(p)));
                        push_polyline(&mut lines, &strip, style.stroke_width, stroke);
                    }
                }
            }
            Shape::Line => {
                for s in g.strips_of(i) {
                    strip.clear();
                    strip.extend(s.iter().map(|&p| tr(p)));
                    push_polyline(&mut lines, &strip, style.stroke_width, stroke);
                }
            }
            Shape::Point => {
                let a = g.anchors[i];
                let c = tr([a[0] as f32, a[1] as f32]);
                let fill = color(scene.fill_of(layer, i));
                // Symbols shrink when zoomed out past 20 m/px so that they do not bury the map.
                let size = style.point_size * (20.0 / view.m_per_px as f32).clamp(0.35, 1.0);
                draw_symbol(painter, &mut mesh, g.directions[i], c, size, fill, stroke, visible.len());
            }
        }
    }
    painter.add(egui::Shape::mesh(mesh));
    if !lines.is_empty() {
        painter.add(egui::Shape::mesh(lines));
    }
}

/// A point symbol: sectors as wedges along their azimuth (dots when crowded), others as dots.
#[allow(clippy::too_many_arguments)]
fn draw_symbol(painter: &egui::Painter, mesh: &mut Mesh, direction: Option<f32>, c: Pos2, size: f32, fill: Color32, stroke: Color32, crowd: usize) {
    let r = size / 2.0;
    if let Some(az) = direction
        && crowd < 4000
    {
        // A 60° wedge of radius `size`, pointing along the azimuth (clockwise from north).
        let base = mesh.vertices.len() as u32;
        mesh.vertices.push(Vertex { pos: c, uv: egui::epaint::WHITE_UV, color: fill });
        for k in 0..=4 {
            let a = (az - 30.0 + 15.0 * k as f32).to_radians();
            mesh.vertices.push(Vertex { pos: c + vec2(a.sin(), -a.cos()) * size, uv: egui::epaint::WHITE_UV, color: fill });
        }
        for k in 0..4 {
            mesh.indices.extend_from_slice(&[base, base + 1 + k, base + 2 + k]);
        }
        return;
    }
    if r < 2.0 {
        mesh.add_colored_rect(Rect::from_center_size(c, vec2(size.max(1.5), size.max(1.5))), fill);
    } else {
        painter.circle(c, r, fill, Stroke::new(0.8, stroke));
    }
}

fn draw_overview(ctx: &egui::Context, painter: &egui::Painter, rect: Rect, scene: &Scene, layer: &SceneLayer, view: &View, cache: &mut MapCache) {
    let g = &layer.geometry;
    let Some(ext) = g.extent else { return };
    let key = {
        use std::hash::{Hash, Hasher};
        let mut h = std::collections::hash_map::DefaultHasher::new();
        format!("{:?}{:?}", layer.style, scene.theme.as_ref().map(|t| (t.target.clone(), t.states.len()))).hash(&mut h);
        (std::sync::Arc::as_ptr(&layer.geometry) as usize).hash(&mut h);
        h.finish()
    };
    let entry = cache.overviews.get(&g.name).filter(|o| o.key == key);
    if entry.is_none() {
        let side = if g.len() > 200_000 { 4096.0 } else { 2048.0 };
        let cell = ((ext[2] - ext[0]).max(ext[3] - ext[1]) / side).max(0.5);
        let (w, h) = (((ext[2] - ext[0]) / cell).ceil().max(1.0) as usize, ((ext[3] - ext[1]) / cell).ceil().max(1.0) as usize);
        let mut px = vec![Color32::TRANSPARENT; w * h];
        for i in 0..g.len() {
            let a = g.anchors[i];
            let (cx, cy) = (((a[0] - ext[0]) / cell) as usize, ((ext[3] - a[1]) / cell) as usize);
            if cx < w && cy < h {
                let c = color(scene.fill_of(layer, i));
                // Not met and unknown outrank met in a shared cell: gaps must not hide.
                let old = px[cy * w + cx];
                if old == Color32::TRANSPARENT || rank(scene, layer, i) >= 1 {
                    px[cy * w + cx] = c;
                }
            }
        }
        let image = egui::ColorImage::new([w, h], px);
        let texture = ctx.load_texture(format!("overview-{}", g.name), image, egui::TextureOptions::NEAREST);
        let bounds = [ext[0], ext[3] - h as f64 * cell, ext[0] + w as f64 * cell, ext[3]];
        cache.overviews.insert(g.name.clone(), Overview { key, texture, bounds });
    }
    let o = &cache.overviews[&g.name];
    let a = to_screen(view, rect, o.bounds[0], o.bounds[3]);
    let b = to_screen(view, rect, o.bounds[2], o.bounds[1]);
    painter.image(o.texture.id(), Rect::from_min_max(a, b), Rect::from_min_max(pos2(0.0, 0.0), pos2(1.0, 1.0)), Color32::WHITE);
}

/// The coverage grid's image, uploaded once per grid image (cells stay crisp: no smoothing).
fn draw_grid(ctx: &egui::Context, painter: &egui::Painter, rect: Rect, scene: &Scene, view: &View, cache: &mut MapCache) {
    let Some(img) = &scene.grid else { return };
    if cache.grid.as_ref().is_none_or(|(shown, _)| !std::sync::Arc::ptr_eq(shown, img)) {
        let pixels = img.pixels.iter().map(|&c| color(c)).collect();
        let texture = ctx.load_texture("coverage-grid", egui::ColorImage::new(img.size, pixels), egui::TextureOptions::NEAREST);
        cache.grid = Some((img.clone(), texture));
    }
    let Some((_, texture)) = &cache.grid else { return };
    let b = img.bounds;
    let (a, c) = (to_screen(view, rect, b[0], b[3]), to_screen(view, rect, b[2], b[1]));
    painter.image(texture.id(), Rect::from_min_max(a, c), Rect::from_min_max(pos2(0.0, 0.0), pos2(1.0, 1.0)), Color32::WHITE);
}

fn rank(scene: &Scene, layer: &SceneLayer, i: usize) -> u8 {
    match scene.state_of(layer, i) {
        Some(covplan_core::targets::evaluate::Verdict::NotMet) => 2,
        Some(covplan_core::targets::evaluate::Verdict::Unknown) => 1,
        _ => 0,
    }
}

fn draw_labels(painter: &egui::Painter, rect: Rect, scene: &Scene, view: &View, p: &covplan_core::project::Project) {
    let bounds = view.bounds();
    let mut reqs = Vec::new();
    let mut texts = Vec::new();
    for layer in scene.layers.iter().filter(|l| l.style.visible && l.style.label.is_some()) {
        let field = layer.style.label.as_deref().unwrap_or("name");
        let visible = layer.geometry.visible(bounds);
        // Admin areas label from afar; villages only once few enough are in view to read.
        let admin = layer.geometry.role == Some(Role::Admin);
        if !admin && (visible.len() > 1500 || view.m_per_px > 25.0) {
            continue;
        }
        let size = if admin { 14.0 } else { 11.0 };
        for i in visible {
            let item = layer.geometry.items[i];
            let text = attributes::attribute(p, item, field);
            if text.is_empty() {
                continue;
            }
            let a = layer.geometry.anchors[i];
            let s = to_screen(view, rect, a[0], a[1]);
            if !rect.contains(s) {
                continue;
            }
            reqs.push(LabelRequest { anchor: [s.x, s.y], size: [text_width(&text, size), size * 1.3], priority: attributes::weight(p, item) });
            texts.push((text, size, admin));
        }
    }
    for (req, (spot, (text, size, admin))) in reqs.iter().zip(place(&reqs, 2.0).into_iter().zip(texts)) {
        let Some(c) = spot else { continue };
        let _ = req;
        let col = if admin { Color32::from_rgb(60, 60, 60) } else { Color32::from_rgb(20, 40, 90) };
        let pos = pos2(c[0], c[1]);
        painter.text(pos + vec2(1.0, 1.0), egui::Align2::LEFT_TOP, &text, egui::FontId::proportional(size), Color32::from_white_alpha(200));
        painter.text(pos, egui::Align2::LEFT_TOP, &text, egui::FontId::proportional(size), col);
    }
}

fn draw_selection(painter: &egui::Painter, rect: Rect, scene: &Scene, item: Item, view: &View) {
    let highlight = Stroke::new(3.0, Color32::from_rgb(0, 200, 255));
    for layer in &scene.layers {
        let g = &layer.geometry;
        let Some(i) = g.feature_of(item) else { continue };
        match g.shapes[i] {
            Shape::Point => {
                let a = g.anchors[i];
                painter.circle_stroke(to_screen(view, rect, a[0], a[1]), layer.style.point_size.max(6.0), highlight);
            }
            _ => {
                for s in g.strips_of(i) {
                    let pts: Vec<Pos2> = s.iter().map(|p| to_screen(view, rect, p[0] as f64, p[1] as f64)).collect();
                    painter.add(egui::Shape::line(pts, highlight));
                }
            }
        }
        return;
    }
}

fn draw_scale_bar(painter: &egui::Painter, rect: Rect, frame: &LocalFrame, view: &View) {
    let bar = scale_bar(frame, view, 160.0);
    let denom = scale_denominator(frame, view, 0.28);
    let x0 = rect.min.x + 16.0;
    let y = rect.max.y - 22.0;
    let x1 = x0 + bar.px as f32;
    let bg = Rect::from_min_max(pos2(x0 - 6.0, y - 20.0), pos2(x1.max(x0 + 90.0) + 8.0, y + 10.0));
    painter.rect_filled(bg, 3.0, Color32::from_white_alpha(210));
    let s = Stroke::new(2.0, Color32::BLACK);
    painter.line_segment([pos2(x0, y), pos2(x1, y)], s);
    painter.line_segment([pos2(x0, y - 5.0), pos2(x0, y + 5.0)], s);
    painter.line_segment([pos2(x1, y - 5.0), pos2(x1, y + 5.0)], s);
    painter.text(pos2(x0, y - 7.0), egui::Align2::LEFT_BOTTOM, format!("{}   1:{:.0}", bar.label, denom), egui::FontId::proportional(12.0), Color32::BLACK);
}

/// The legend of what is drawn in view: visible layers with their counts, the verdicts present,
/// and the overlay's classes.
fn draw_legend(painter: &egui::Painter, rect: Rect, scene: &Scene, view: &View, lang: Lang, cache: &mut MapCache, dragging: bool) {
    // Counting what is in view costs milliseconds on big layers: only when something changed.
    let key = format!(
        "{:?}{:?}{:?}{:?}{:?}{:?}",
        view.bounds(),
        scene.theme.as_ref().map(std::sync::Arc::as_ptr),
        scene.overlay.as_ref().map(std::sync::Arc::as_ptr),
        scene.grid.as_ref().map(std::sync::Arc::as_ptr),
        scene.layers.iter().map(|l| (std::sync::Arc::as_ptr(&l.geometry), l.style.visible, l.style.opacity.to_bits(), l.style.fill)).collect::<Vec<_>>(),
        lang
    );
    // While the map is dragged the old counts stay up; they are redone when it is let go.
    if cache.legend.as_ref().is_none_or(|(k, _)| *k != key && !dragging) {
        cache.legend = Some((key, legend_lines(scene, view, lang)));
    }
    let Some((_, lines)) = &cache.legend else { return };
    let lines = lines.clone();
    draw_legend_box(painter, rect, &lines);
}

fn legend_lines(scene: &Scene, view: &View, lang: Lang) -> Vec<(String, Color32)> {
    let mut lines: Vec<(String, Color32)> = Vec::new();
    for e in scene.legend(view.bounds()) {
        let label = match e.state {
            Some(s) => lang.tr(s.word()).to_string(),
            None => e.label.clone(),
        };
        lines.push((format!("{label}  {}", e.count), color(e.color)));
    }
    if let Some(o) = &scene.overlay {
        lines.push((lang.tr(static_title(&o.title)).to_string(), Color32::TRANSPARENT));
        lines.extend(o.legend.iter().map(|(l, c, n)| (format!("{l}  {n}"), color(*c))));
    }
    if let Some(g) = &scene.grid {
        lines.push((format!("{} — {}", g.layer, lang.tr(g.what.english())), Color32::TRANSPARENT));
        lines.extend(g.legend.iter().map(|(l, c, km2)| (format!("{}  {km2:.0} km²", grid_label(*l, lang)), color(*c))));
    }
    lines
}

fn draw_legend_box(painter: &egui::Painter, rect: Rect, lines: &[(String, Color32)]) {
    if lines.is_empty() {
        return;
    }
    let font = egui::FontId::proportional(11.5);
    let line_h = 16.0;
    let width = lines.iter().map(|(t, _)| text_width(t, 11.5)).fold(0.0, f32::max) + 34.0;
    let top_left = pos2(rect.max.x - width - 10.0, rect.min.y + 10.0);
    let bg = Rect::from_min_size(top_left, vec2(width, lines.len() as f32 * line_h + 10.0));
    painter.rect_filled(bg, 4.0, Color32::from_white_alpha(225));
    for (k, (text, c)) in lines.iter().enumerate() {
        let y = top_left.y + 5.0 + k as f32 * line_h;
        if *c != Color32::TRANSPARENT {
            painter.rect_filled(Rect::from_min_size(pos2(top_left.x + 8.0, y + 3.0), vec2(12.0, 10.0)), 2.0, *c);
        }
        let x = if *c == Color32::TRANSPARENT { top_left.x + 8.0 } else { top_left.x + 26.0 };
        painter.text(pos2(x, y), egui::Align2::LEFT_TOP, text, font.clone(), Color32::BLACK);
    }
}

/// A grid legend label in the interface language (class ranges need none).
fn grid_label(class: GridClass, lang: Lang) -> String {
    match class {
        GridClass::Range(r) => r.to_string(),
        GridClass::Servers(n) => format!("{n} {}", lang.tr("serving sectors")),
        GridClass::NoSignal => lang.tr("no signal").to_string(),
    }
}

/// Overlay titles are fixed English texts; map them back to the translation keys.
fn static_title(t: &str) -> &'static str {
    ["RSRP (best 4G)", "Best server", "Capability (Mb/s)"].into_iter().find(|k| *k == t).unwrap_or("Theme")
}
