//! Floating windows: the attribute table, the charts and the typed-path dialog (the fallback
//! where no native file dialog can open).

use super::{CovplanApp, PathAction};
use covplan_core::render::style::MBPS_CLASSES;
use covplan_core::render::{Item, attributes};
use eframe::egui;
use egui_plot::{Bar, BarChart, Legend, Plot};
use std::path::PathBuf;

/// Shows whichever windows are open.
pub fn windows(app: &mut CovplanApp, ctx: &egui::Context) {
    attribute_table(app, ctx);
    charts(app, ctx);
    path_dialog(app, ctx);
    export_dialog(app, ctx);
    crate::recovery::window(app, ctx);
}

fn attribute_table(app: &mut CovplanApp, ctx: &egui::Context) {
    if !app.panels.table_open {
        return;
    }
    let lang = app.lang;
    let mut open = true;
    let mut zoom_to: Option<Item> = None;
    egui::Window::new(lang.tr("Attribute table")).open(&mut open).default_size([720.0, 360.0]).show(ctx, |ui| {
        let Some(doc) = &app.doc else { return };
        let layers = &doc.scene.layers;
        if layers.is_empty() {
            return;
        }
        let ps = &mut app.panels;
        ps.table_layer = ps.table_layer.min(layers.len() - 1);
        ui.horizontal(|ui| {
            egui::ComboBox::from_id_salt("table-layer").selected_text(&layers[ps.table_layer].geometry.name).show_ui(ui, |ui| {
                for (i, l) in layers.iter().enumerate() {
                    ui.selectable_value(&mut ps.table_layer, i, &l.geometry.name);
                }
            });
            ui.label(lang.tr("Filter"));
            ui.text_edit_singleline(&mut ps.table_filter);
        });
        let g = &layers[ps.table_layer].geometry;
        let p = &doc.project;
        // Rows are built once per layer, filter, sort and project, not every frame: a building
        // layer has hundreds of thousands.
        let key = (g.name.clone(), ps.table_filter.clone(), ps.table_sort, std::sync::Arc::as_ptr(&doc.project) as usize);
        if ps.table_cache.as_ref().is_none_or(|c| c.key != key) {
            ps.table_cache = Some(table_rows(p, g, &ps.table_filter, ps.table_sort, key));
        }
        let Some(cache) = &ps.table_cache else { return };
        let (header, rows) = (&cache.header, &cache.rows);
        ui.label(format!("{} {}", rows.len(), lang.tr("rows")));
        let row_h = ui.text_style_height(&egui::TextStyle::Body) + 6.0;
        egui::ScrollArea::both().id_salt("table-rows").show_rows(ui, row_h, rows.len() + 1, |ui, range| {
            egui::Grid::new("table-grid").striped(true).min_col_width(60.0).show(ui, |ui| {
                ui.label("");
                for (c, h) in header.iter().enumerate() {
                    let arrow = match ps.table_sort {
                        Some((sc, true)) if sc == c => " ▲",
                        Some((sc, false)) if sc == c => " ▼",
                        _ => "",
                    };
                    if ui.button(format!("{}{arrow}", lang.tr(h))).clicked() {
                        ps.table_sort = Some((c, !matches!(ps.table_sort, Some((sc, true)) if sc == c)));
                    }
                }
                ui.end_row();
                for (it, vals) in rows.iter().skip(range.start.saturating_sub(1)).take(range.len()) {
                    if ui.small_button(lang.tr("Zoom")).clicked() {
                        zoom_to = Some(*it);
                    }
                    for v in vals {
                        ui.label(v);
                    }
                    ui.end_row();
                }
            });
        });
    });
    app.panels.table_open = open;
    if let Some(item) = zoom_to {
        app.select(Some(item));
        if let Some(b) = app.item_bounds(item) {
            app.zoom_to(b, 500.0);
        }
    }
}

/// The attribute table's rows, as last built.
pub struct TableCache {
    key: (String, String, Option<(usize, bool)>, usize),
    header: Vec<&'static str>,
    rows: Vec<(Item, Vec<String>)>,
}

fn table_rows(
    p: &covplan_core::project::Project,
    g: &covplan_core::render::LayerGeometry,
    filter: &str,
    sort: Option<(usize, bool)>,
    key: (String, String, Option<(usize, bool)>, usize),
) -> TableCache {
    let header: Vec<&'static str> = g.items.first().map(|&it| attributes::attributes(p, it).into_iter().map(|(k, _)| k).collect()).unwrap_or_default();
    let filter = filter.to_lowercase();
    let mut rows: Vec<(Item, Vec<String>)> = g
        .items
        .iter()
        .map(|&it| (it, attributes::attributes(p, it).into_iter().map(|(_, v)| v).collect::<Vec<_>>()))
        .filter(|(_, vals)| filter.is_empty() || vals.iter().any(|v| v.to_lowercase().contains(&filter)))
        .collect();
    if let Some((col, asc)) = sort {
        rows.sort_by(|a, b| {
            let (x, y) = (&a.1[col.min(a.1.len() - 1)], &b.1[col.min(b.1.len() - 1)]);
            // Numbers sort as numbers, text as text.
            let o = match (x.split(' ').next().and_then(|s| s.parse::<f64>().ok()), y.split(' ').next().and_then(|s| s.parse::<f64>().ok())) {
                (Some(u), Some(v)) => u.total_cmp(&v),
                _ => x.cmp(y),
            };
            if asc { o } else { o.reverse() }
        });
    }
    TableCache { key, header, rows }
}

fn charts(app: &mut CovplanApp, ctx: &egui::Context) {
    if !app.panels.charts_open {
        return;
    }
    let lang = app.lang;
    let mut open = true;
    egui::Window::new(lang.tr("Charts")).open(&mut open).default_size([640.0, 520.0]).show(ctx, |ui| {
        let Some(doc) = &app.doc else { return };
        let Some(c) = &doc.computed else { return };
        ui.label(egui::RichText::new(lang.tr("Households by capability class per township")).strong());
        let rows = super::document::households_by_capability(&doc.project, &c.analysis, &c.coverage);
        let names: Vec<String> = rows.iter().map(|r| r.0.clone()).collect();
        let mut charts = Vec::new();
        let mut below: Vec<f64> = vec![0.0; rows.len()];
        for (k, (_, col, label)) in MBPS_CLASSES.iter().enumerate().rev() {
            let bars: Vec<Bar> = rows.iter().enumerate().map(|(i, r)| Bar::new(i as f64, r.1[k]).base_offset(below[i]).width(0.7)).collect();
            for (i, r) in rows.iter().enumerate() {
                below[i] += r.1[k];
            }
            let [r, g, b, _] = col.0;
            charts.push(BarChart::new(*label, bars).color(egui::Color32::from_rgb(r, g, b)));
        }
        Plot::new("capability")
            .legend(Legend::default())
            .height(230.0)
            .x_axis_formatter(move |m, _| names.get(m.value.round() as usize).filter(|_| (m.value - m.value.round()).abs() < 1e-6).cloned().unwrap_or_default())
            .show(ui, |pui| {
                for ch in charts {
                    pui.bar_chart(ch);
                }
            });
        ui.label(egui::RichText::new(lang.tr("RSRP distribution (best server, buildings)")).strong());
        let rsrp = super::document::best_lte_rsrp(&c.coverage);
        let mut bins = [0usize; 16];
        for v in rsrp.iter().flatten() {
            let b = (((v + 140.0) / 5.0).floor() as isize).clamp(0, 15) as usize;
            bins[b] += 1;
        }
        let bars: Vec<Bar> = bins.iter().enumerate().map(|(i, &n)| Bar::new(-140.0 + 5.0 * i as f64 + 2.5, n as f64).width(4.5)).collect();
        if rsrp.iter().all(Option::is_none) {
            ui.label(egui::RichText::new("(this profile's targets need no 4G at buildings; choose hunan-2020 for household rates)").weak());
        }
        Plot::new("rsrp").height(200.0).show(ui, |pui| pui.bar_chart(BarChart::new("RSRP dBm", bars)));
    });
    app.panels.charts_open = open;
}

fn path_dialog(app: &mut CovplanApp, ctx: &egui::Context) {
    let Some(action) = app.panels.path_action else { return };
    let lang = app.lang;
    let mut close = false;
    let mut go = false;
    egui::Window::new(lang.tr(match action {
        PathAction::New => "New project",
        PathAction::Open => "Open project…",
        PathAction::SaveAs => "Save project as…",
        PathAction::AddLayer => "Add layer…",
    }))
    .collapsible(false)
    .show(ctx, |ui| {
        ui.label(lang.tr("Type a path (no file dialog is available):"));
        let r = ui.add(egui::TextEdit::singleline(&mut app.panels.path_text).desired_width(420.0));
        if r.lost_focus() && ui.input(|i| i.key_pressed(egui::Key::Enter)) {
            go = true;
        }
        if action == PathAction::AddLayer {
            let role = app.panels.add_role.get_or_insert(covplan_core::project::Role::Buildings);
            egui::ComboBox::from_id_salt("add-role").selected_text(role.as_str()).show_ui(ui, |ui| {
                use covplan_core::project::Role::*;
                for r in [Villages, Buildings, Sectors, Fiber, AccessPoints, Roads, Admin, Poi, Measurements, Terrain] {
                    ui.selectable_value(role, r, r.as_str());
                }
            });
        }
        ui.horizontal(|ui| {
            go |= ui.button(lang.tr(if action == PathAction::AddLayer { "Add" } else { "Open" })).clicked();
            close = ui.button(lang.tr("Cancel")).clicked();
        });
    });
    if go {
        let path = PathBuf::from(app.panels.path_text.trim());
        match action {
            PathAction::Open => app.open(&path),
            PathAction::SaveAs => app.save_to(&path),
            PathAction::AddLayer => app.add_layer(&path, app.panels.add_role.unwrap_or(covplan_core::project::Role::Buildings)),
            PathAction::New => app.new_project(&path),
        }
        close = true;
    }
    if close {
        app.panels.path_action = None;
    }
}

/// The print / export dialog's state.
pub struct ExportState {
    /// Paper name (A4, A3, A2, A1).
    pub paper: String,
    /// Landscape.
    pub landscape: bool,
    /// Meridians and parallels with lon/lat labels.
    pub graticule: bool,
    /// Margins, mm.
    pub margin_mm: f64,
    /// Title (empty: the default from the area and target).
    pub title: String,
    /// Output path (.pdf, .svg, .png).
    pub path: String,
    preview: Option<egui::TextureHandle>,
    job: Option<super::worker::Job<Result<Rendered, String>>>,
}

impl Default for ExportState {
    fn default() -> Self {
        ExportState {
            paper: "A3".into(),
            landscape: true,
            graticule: true,
            margin_mm: 10.0,
            title: String::new(),
            path: "缺口图.pdf".into(),
            preview: None,
            job: None,
        }
    }
}

/// What a print job produced: a preview image, or a file written.
enum Rendered {
    Preview(egui::ColorImage),
    Written(PathBuf),
}

/// File → Print / export map: paper, orientation, title, output; a live preview of the page
/// (the current view as the map frame, the chosen target's verdicts), rendered off the UI thread.
pub fn export_dialog(app: &mut CovplanApp, ctx: &egui::Context) {
    if !app.panels.export_open {
        return;
    }
    let lang = app.lang;
    let mut open = true;
    let mut start: Option<bool> = None;
    if let Some(done) = app.panels.export.job.as_ref().and_then(|j| j.poll()) {
        app.panels.export.job = None;
        match done {
            Ok(Ok(Rendered::Preview(img))) => app.panels.export.preview = Some(ctx.load_texture("print-preview", img, egui::TextureOptions::LINEAR)),
            Ok(Ok(Rendered::Written(p))) => app.status = format!("{}: {}", lang.tr("Exported"), p.display()),
            Ok(Err(e)) => app.messages.push(e),
            Err(()) => {}
        }
    }
    egui::Window::new(lang.tr("Print / export map")).open(&mut open).default_size([560.0, 520.0]).show(ctx, |ui| {
        let e = &mut app.panels.export;
        ui.horizontal(|ui| {
            egui::ComboBox::from_id_salt("paper").selected_text(&e.paper).show_ui(ui, |ui| {
                for p in ["A4", "A3", "A2", "A1"] {
                    ui.selectable_value(&mut e.paper, p.to_string(), p);
                }
            });
            ui.checkbox(&mut e.landscape, lang.tr("Landscape"));
            ui.checkbox(&mut e.graticule, lang.tr("Graticule"));
            ui.label(lang.tr("Margins"));
            ui.add(egui::DragValue::new(&mut e.margin_mm).range(0.0..=50.0).suffix(" mm"));
        });
        ui.horizontal(|ui| {
            ui.label(lang.tr("Title"));
            ui.text_edit_singleline(&mut e.title);
        });
        ui.horizontal(|ui| {
            ui.label(lang.tr("Path"));
            ui.add(egui::TextEdit::singleline(&mut e.path).desired_width(300.0));
        });
        ui.horizontal(|ui| {
            if ui.add_enabled(e.job.is_none(), egui::Button::new(lang.tr("Preview"))).clicked() {
                start = Some(false);
            }
            if ui.add_enabled(e.job.is_none(), egui::Button::new(lang.tr("Export"))).clicked() {
                start = Some(true);
            }
            if e.job.is_some() {
                ui.spinner();
            }
        });
        if let Some(t) = &e.preview {
            let size = t.size_vec2();
            let scale = (ui.available_width() / size.x).min(1.0);
            ui.image((t.id(), size * scale));
        }
    });
    app.panels.export_open = open;
    if let Some(write) = start {
        start_print(app, ctx, write);
    }
}

fn start_print(app: &mut CovplanApp, ctx: &egui::Context, write: bool) {
    let Some(doc) = &app.doc else { return };
    let Some(c) = &doc.computed else { return };
    let Some(paper) = covplan_core::report::print::Paper::parse(&app.panels.export.paper) else { return };
    let (project, scene, analysis, gaps) = (doc.project.clone(), doc.scene.clone(), c.analysis.clone(), c.gaps.clone());
    let bounds = app.view.map(|v| v.bounds()).or_else(|| scene.extent()).unwrap_or([0.0, 0.0, 1.0, 1.0]);
    let e = &app.panels.export;
    let margin_mm = e.margin_mm;
    let (landscape, graticule, title, path, target) =
        (e.landscape, e.graticule, (!e.title.trim().is_empty()).then(|| e.title.clone()), PathBuf::from(e.path.trim()), app.target);
    let extent = scene.extent();
    let area_name = project.data.admin_areas.first().map_or_else(|| project.file.project.name.clone(), |a| a.name.clone());
    app.panels.export.job = Some(super::worker::Job::spawn("Print / export map", Some(ctx.clone()), move |_| {
        let spec = covplan_core::report::print::PrintSpec {
            paper,
            landscape,
            margin_mm,
            title,
            bounds,
            area_name,
            target,
            date: covplan_core::report::gapmap::today(),
            input_hash: covplan_core::report::gapmap::input_hash(&project, &analysis).map_err(|e| e.to_string())?,
            graticule,
            overview: extent,
            township: None,
            raster_above: covplan_core::report::print::RASTER_ABOVE,
        };
        let (svg, _) = covplan_core::report::print::compose(&project, &scene, &analysis, &gaps, &spec);
        if write {
            covplan_core::report::gapmap::write(std::slice::from_ref(&svg), &path, 300.0).map_err(|e| e.to_string())?;
            return Ok(Rendered::Written(path));
        }
        let tree = covplan_core::report::export::parse(&svg)?;
        let png = covplan_core::report::export::to_png(&tree, 40.0)?;
        let pix = resvg::tiny_skia::Pixmap::decode_png(&png).map_err(|e| e.to_string())?;
        let img = egui::ColorImage::from_rgba_premultiplied([pix.width() as usize, pix.height() as usize], pix.data());
        Ok(Rendered::Preview(img))
    }));
}
