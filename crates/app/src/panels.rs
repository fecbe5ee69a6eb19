//! The panels around the map: menu, status bar, layers, targets and gaps (left), inspector,
//! what-if editor and messages (right).

use super::edit::{self, Pending};
use super::{CovplanApp, PathAction};
use covplan_core::project::ScenarioSector;
use covplan_core::render::{Item, Rgba, attributes, scene::item_of};
use eframe::egui::{self, Color32, RichText};
use std::path::Path;

pub use super::windows::windows;

/// Open panels and dialogs.
#[derive(Default)]
pub struct PanelState {
    /// The attribute table is open.
    pub table_open: bool,
    /// Its layer (index into the scene's layers).
    pub table_layer: usize,
    /// Its filter text.
    pub table_filter: String,
    /// Its sort column and direction.
    pub table_sort: Option<(usize, bool)>,
    /// The charts window is open.
    pub charts_open: bool,
    /// A file action waiting for a typed path.
    pub path_action: Option<PathAction>,
    /// The typed path.
    pub path_text: String,
    /// Role chosen for a layer being added.
    pub add_role: Option<covplan_core::project::Role>,
    /// A map click the editor waits for.
    pub pending: Option<Pending>,
    /// The selected sector's parameters as edited.
    pub sector_draft: Option<ScenarioSector>,
    /// The selected access point's parameters as edited.
    pub access_point_draft: Option<covplan_core::project::ScenarioAccessPoint>,
    /// The right panel's tab.
    pub tab: Tab,
    /// The attribute table's rows.
    pub table_cache: Option<super::windows::TableCache>,
    /// The print / export dialog is open.
    pub export_open: bool,
    /// Its choices and preview.
    pub export: super::windows::ExportState,
    /// The Plan tab's choices and last plan.
    pub plan: crate::plan_tab::PlanState,
    /// The Measurements tab's last comparison.
    pub measure: crate::measure_tab::MeasureState,
}

impl PanelState {
    /// Opens the add-layer dialog for `path` (a dropped file).
    pub fn add_layer_dialog(&mut self, path: &Path) {
        self.path_action = Some(PathAction::AddLayer);
        self.path_text = path.display().to_string();
        self.add_role = Some(guess_role(path));
    }
}

/// The role a file's name suggests (建筑 → buildings …), buildings when nothing matches.
pub fn guess_role(path: &Path) -> covplan_core::project::Role {
    use covplan_core::project::Role::*;
    let n = path.file_name().map(|f| f.to_string_lossy().to_lowercase()).unwrap_or_default();
    let has = |ks: &[&str]| ks.iter().any(|k| n.contains(k));
    if has(&[".tif", ".hgt", "dem", "地形", "高程"]) {
        Terrain
    } else if has(&["路测", "测试", "drive", "speedtest", "speed_test", "measure", "mr_", "扫频"]) {
        Measurements
    } else if has(&["工参", "site", "sector", "cell", "基站"]) {
        Sectors
    } else if has(&["光缆", "fiber", "fibre", "cable"]) {
        Fiber
    } else if has(&["分纤", "olt", "onu", "access", "dslam"]) {
        AccessPoints
    } else if has(&["道路", "road"]) {
        Roads
    } else if has(&["界", "boundary", "admin", "county", "town"]) {
        Admin
    } else if has(&["兴趣", "poi"]) {
        Poi
    } else if has(&["村", "village", "settle"]) {
        Villages
    } else {
        Buildings
    }
}

fn color(c: Rgba) -> Color32 {
    let [r, g, b, a] = c.0;
    Color32::from_rgba_unmultiplied(r, g, b, a)
}

/// The status bar: cursor position, work under way with cancel, frame cost.
pub fn status_bar(app: &mut CovplanApp, ui: &mut egui::Ui) {
    egui::Panel::bottom("status").show(ui, |ui| {
        ui.horizontal(|ui| {
            if let (Some(c), Some(doc)) = (app.cursor, &app.doc) {
                let (lon, lat) = doc.project.frame.inverse(c[0], c[1]);
                ui.monospace(format!("{lon:.5}°E {lat:.5}°N   x {:.0} m  y {:.0} m", c[0], c[1]));
                ui.separator();
            }
            if let (Some(c), Some(doc)) = (app.cursor, &app.doc)
                && app.overlay.grid_quantity().is_some()
                && let Some(r) = doc.grid.as_ref().and_then(|g| covplan_core::render::grid_image::read_cell(g, app.grid_layer, &doc.project, c[0], c[1]))
            {
                let tr = |s| app.lang.tr(s);
                let text = match &r.values {
                    None => format!("{}: {}", r.layer, tr("no signal")),
                    Some((rsrp, sinr, mbps, cell)) => {
                        let rate = if r.per_household { tr("Mb/s per household, busy hour") } else { tr("peak Mb/s") };
                        format!("{}: RSRP {rsrp:.1} dBm, SINR {sinr:.1} dB, {mbps:.1} ({rate}), {} {cell}", r.layer, tr("sector"))
                    }
                };
                ui.monospace(text);
                ui.separator();
            }
            if let Some(j) = &app.grid_job {
                ui.add(egui::Spinner::new());
                ui.label(format!("{} ({:.0} s)", app.lang.tr(j.job.label), j.job.elapsed()));
                ui.separator();
            }
            let mut cancel = false;
            if let Some(job) = &app.job {
                let s = job.status();
                ui.add(egui::ProgressBar::new(s.fraction).desired_width(160.0).text(format!("{} — {}", app.lang.tr(job.label), s.step)));
                cancel = ui.button(app.lang.tr("Cancel")).clicked();
            } else {
                ui.label(&app.status);
            }
            if cancel && let Some(j) = app.job.take() {
                j.cancel();
            }
            if let Some(p) = app.panels.pending.clone() {
                ui.separator();
                ui.label(RichText::new(app.lang.tr(p.prompt())).strong());
                if let Pending::AddCable(route) = &p {
                    ui.label(format!("{} {}", route.len(), app.lang.tr("points")));
                    if ui.add_enabled(route.len() >= 2, egui::Button::new(app.lang.tr("Finish"))).clicked() {
                        edit::finish_cable(app);
                    }
                }
                if ui.button(app.lang.tr("Cancel")).clicked() {
                    app.panels.pending = None;
                }
            }
            ui.with_layout(egui::Layout::right_to_left(egui::Align::Center), |ui| {
                ui.weak(format!("map {:.1} ms", app.map_cache.last_build_ms));
            });
        });
    });
}

/// The layer list.
pub fn left_panel(app: &mut CovplanApp, ui: &mut egui::Ui) {
    egui::Panel::left("left").resizable(true).default_size(230.0).show(ui, |ui| {
        egui::ScrollArea::vertical().id_salt("left-scroll").show(ui, |ui| layers_section(app, ui));
    });
}

fn layers_section(app: &mut CovplanApp, ui: &mut egui::Ui) {
    let lang = app.lang;
    let tr = |s| lang.tr(s);
    let mut zoom = None;
    let mut open_table = None;
    egui::CollapsingHeader::new(RichText::new(tr("Layers")).strong()).id_salt("layers").default_open(true).show(ui, |ui| {
        let Some(doc) = &mut app.doc else { return };
        let n = doc.scene.layers.len();
        let mut swap = None;
        // Top of the list is drawn last (on top), as in every GIS.
        for li in (0..n).rev() {
            let layer = &mut doc.scene.layers[li];
            let name = layer.geometry.name.clone();
            ui.horizontal(|ui| {
                ui.checkbox(&mut layer.style.visible, "").on_hover_text(tr("Visible"));
                let swatch = if layer.style.fill.0[3] > 0 { layer.style.fill } else { layer.style.stroke };
                let (r, _) = ui.allocate_exact_size(egui::vec2(12.0, 12.0), egui::Sense::hover());
                ui.painter().rect_filled(r, 2.0, color(swatch));
                ui.menu_button(format!("{name} ({})", layer.geometry.len()), |ui| {
                    let s = &mut layer.style;
                    ui.label(RichText::new(tr("Style")).strong());
                    ui.add(egui::Slider::new(&mut s.opacity, 0.0..=1.0).text(tr("Opacity")));
                    ui.horizontal(|ui| {
                        ui.label(tr("Fill"));
                        edit_color(ui, &mut s.fill);
                        ui.label(tr("Stroke"));
                        edit_color(ui, &mut s.stroke);
                    });
                    ui.add(egui::Slider::new(&mut s.stroke_width, 0.0..=6.0).text(tr("Width")));
                    ui.add(egui::Slider::new(&mut s.point_size, 0.0..=30.0).text(tr("Point size")));
                    ui.horizontal(|ui| {
                        ui.label(tr("Label"));
                        egui::ComboBox::from_id_salt(("label", li)).selected_text(s.label.as_deref().map_or(tr("none"), |f| tr_key(lang, f))).show_ui(
                            ui,
                            |ui| {
                                ui.selectable_value(&mut s.label, None, tr("none"));
                                for f in LABEL_FIELDS {
                                    ui.selectable_value(&mut s.label, Some(f.to_string()), tr_key(lang, f));
                                }
                            },
                        );
                    });
                    ui.separator();
                    if ui.button(tr("Up")).clicked() && li + 1 < n {
                        swap = Some((li, li + 1));
                    }
                    if ui.button(tr("Down")).clicked() && li > 0 {
                        swap = Some((li, li - 1));
                    }
                    if ui.button(tr("Zoom to layer")).clicked() {
                        zoom = layer.geometry.extent;
                    }
                    if ui.button(tr("Attribute table")).clicked() {
                        open_table = Some(li);
                    }
                });
            });
        }
        if let Some((a, b)) = swap {
            doc.scene.layers.swap(a, b);
        }
    });
    if let Some(e) = zoom {
        app.zoom_to(e, 200.0);
    }
    if let Some(li) = open_table {
        app.panels.table_open = true;
        app.panels.table_layer = li;
    }
}

/// Attributes a layer can be labelled by.
const LABEL_FIELDS: [&str; 6] = ["name", "id", "households", "code", "cell", "category"];

fn tr_key(lang: super::Lang, key: &str) -> &str {
    LABEL_FIELDS.into_iter().find(|k| *k == key).map_or(key, |k| lang.tr(k))
}

fn edit_color(ui: &mut egui::Ui, c: &mut Rgba) {
    let mut col = color(*c);
    if ui.color_edit_button_srgba(&mut col).changed() {
        *c = Rgba(col.to_srgba_unmultiplied());
    }
}

fn targets_section(app: &mut CovplanApp, ui: &mut egui::Ui) {
    let lang = app.lang;
    let tr = |s| lang.tr(s);
    let mut new_profile = None;
    let mut new_target = None;
    egui::CollapsingHeader::new(RichText::new(tr("Targets")).strong()).id_salt("targets").default_open(true).show(ui, |ui| {
        let Some(doc) = &app.doc else { return };
        let Some(c) = &doc.computed else {
            ui.label(format!("{} {} …", tr("Analysing"), doc.profile));
            return;
        };
        ui.horizontal(|ui| {
            ui.label(tr("Profile"));
            egui::ComboBox::from_id_salt("profile").selected_text(&doc.profile).show_ui(ui, |ui| {
                for (id, _) in covplan_core::targets::profile::BUILT_IN {
                    if ui.selectable_label(doc.profile == *id, *id).clicked() && doc.profile != *id {
                        new_profile = Some(id.to_string());
                    }
                }
            });
        });
        ui.label(RichText::new(&c.analysis.profile.profile.title).weak());
        egui::Grid::new("targets-grid").striped(true).num_columns(6).show(ui, |ui| {
            ui.strong(tr("Target"));
            ui.strong(tr("Met"));
            ui.strong(tr("Not met"));
            ui.strong(tr("Unknown"));
            ui.strong(tr("Households not met"));
            ui.strong(tr("Share met"));
            ui.end_row();
            for (i, t) in c.analysis.targets.iter().enumerate() {
                let chosen = app.target == Some(i);
                let r = ui.selectable_label(chosen, &t.target.id).on_hover_text(format!("{}\n{}", t.target.text, t.target.gloss));
                if r.clicked() {
                    new_target = Some(if chosen { None } else { Some(i) });
                }
                let f = t.figures();
                ui.label(f.met.to_string());
                ui.label(RichText::new(f.not_met.to_string()).color(if f.not_met > 0 { Color32::from_rgb(200, 40, 30) } else { ui.visuals().text_color() }));
                ui.label(f.unknown.to_string());
                ui.label(if f.with_households { format!("{:.0}", f.households_not_met) } else { "-".to_string() });
                ui.label(format!("{:.1} %", 100.0 * f.share_met));
                ui.end_row();
            }
        });
        if let Some(i) = app.target {
            let t = &c.analysis.targets[i].target;
            ui.label(RichText::new(&t.text).strong());
            ui.label(RichText::new(&t.gloss).weak());
        }
    });
    if let Some(id) = new_profile {
        app.set_profile(&id);
    }
    if let Some(t) = new_target {
        app.set_target(t);
    }
}

fn gaps_section(app: &mut CovplanApp, ui: &mut egui::Ui) {
    let lang = app.lang;
    let mut go = None;
    egui::CollapsingHeader::new(RichText::new(lang.tr("Gaps")).strong()).id_salt("gaps").default_open(true).show(ui, |ui| {
        let (Some(c), Some(ti)) = (app.doc.as_ref().and_then(|d| d.computed.as_ref()), app.target) else { return };
        let id = &c.analysis.targets[ti].target.id;
        let gaps: Vec<_> = c.gaps.iter().filter(|g| &g.target == id).collect();
        ui.label(format!("{}: {}", lang.tr("Gaps"), gaps.len()));
        let row_h = ui.text_style_height(&egui::TextStyle::Body) + 4.0;
        egui::ScrollArea::vertical().id_salt("gap-list").max_height(260.0).show_rows(ui, row_h, gaps.len(), |ui, rows| {
            for g in &gaps[rows] {
                let text = format!("{:>5.0} {}  {} · {} · {}", g.households, lang.tr("households"), g.name, g.township, lang.tr(g.state.word()));
                if ui.selectable_label(app.selected == Some(item_of(g.place)), text).on_hover_text(&g.evidence).clicked() {
                    go = Some(item_of(g.place));
                }
            }
        });
        // Verdicts of this target the measurements contradict (after a comparison).
        if let Some(m) = app.panels.measure.result.as_ref().filter(|m| m.challenges.iter().any(|c| &c.target == id)) {
            let n = m.challenges.iter().filter(|c| &c.target == id).count();
            ui.label(RichText::new(format!("{}: {n}", lang.tr("Challenged verdicts"))).color(crate::measure_tab::CHALLENGE));
            if let Some(item) = crate::measure_tab::challenge_rows(ui, lang, &m.challenges, app.selected, Some(id)) {
                go = Some(item);
            }
        }
    });
    if let Some(item) = go {
        app.select(Some(item));
        if let Some(b) = app.item_bounds(item) {
            app.zoom_to(b, 1500.0);
        }
    }
}

/// The tabs of the right panel.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub enum Tab {
    /// Targets table and gap list.
    #[default]
    Targets,
    /// The selected feature, its verdicts, and the sector editor.
    Inspector,
    /// The gap-closure planner.
    Plan,
    /// Measurements against predictions, calibration, challenged verdicts.
    Measurements,
    /// Errors and warnings.
    Messages,
}

/// Targets and gaps, inspector and what-if editor, messages: one tab each.
pub fn right_panel(app: &mut CovplanApp, ui: &mut egui::Ui) {
    let lang = app.lang;
    egui::Panel::right("right").resizable(true).default_size(430.0).show(ui, |ui| {
        ui.horizontal(|ui| {
            ui.selectable_value(&mut app.panels.tab, Tab::Targets, lang.tr("Targets"));
            ui.selectable_value(&mut app.panels.tab, Tab::Inspector, lang.tr("Inspector"));
            ui.selectable_value(&mut app.panels.tab, Tab::Plan, lang.tr("Plan"));
            ui.selectable_value(&mut app.panels.tab, Tab::Measurements, lang.tr("Measurements"));
            let n = app.messages.len();
            ui.selectable_value(&mut app.panels.tab, Tab::Messages, format!("{} ({n})", lang.tr("Errors and warnings")));
        });
        ui.separator();
        egui::ScrollArea::vertical().id_salt("right-scroll").show(ui, |ui| match app.panels.tab {
            Tab::Targets => {
                targets_section(app, ui);
                ui.separator();
                gaps_section(app, ui);
            }
            Tab::Inspector => {
                inspector(app, ui);
                match app.selected {
                    Some(Item::Sector(_)) => {
                        ui.separator();
                        edit::sector_editor(app, ui);
                    }
                    Some(Item::AccessPoint(_)) => {
                        ui.separator();
                        edit::access_point_editor(app, ui);
                    }
                    Some(Item::Cable(_)) => {
                        ui.separator();
                        edit::cable_editor(app, ui);
                    }
                    _ => {}
                }
            }
            Tab::Plan => crate::plan_tab::show(app, ui),
            Tab::Measurements => crate::measure_tab::show(app, ui),
            Tab::Messages => messages(app, ui),
        });
    });
}

fn inspector(app: &mut CovplanApp, ui: &mut egui::Ui) {
    let lang = app.lang;
    let (Some(doc), Some(item)) = (&app.doc, app.selected) else {
        ui.label(lang.tr("Nothing selected: click a feature on the map."));
        return;
    };
    let p = &doc.project;
    ui.label(RichText::new(attributes::title(p, item)).strong().size(16.0));
    egui::Grid::new("attrs").striped(true).num_columns(2).show(ui, |ui| {
        for (k, v) in attributes::attributes(p, item) {
            if v.is_empty() {
                continue;
            }
            ui.label(lang.tr(k));
            ui.label(v);
            ui.end_row();
        }
    });
    let Some(place) = covplan_core::render::scene::place_of(item) else { return };
    let Some(c) = &doc.computed else { return };
    ui.add_space(6.0);
    ui.label(RichText::new(lang.tr("Verdicts")).strong());
    let mut any = false;
    for t in &c.analysis.targets {
        if let Some(pv) = t.places.iter().find(|pv| pv.place == place) {
            any = true;
            let c = color(covplan_core::render::style::verdict_color(pv.outcome.state));
            ui.horizontal_wrapped(|ui| {
                ui.label(RichText::new(format!("● {}", lang.tr(pv.outcome.state.word()))).color(c).strong());
                ui.label(RichText::new(&t.target.id).monospace());
            });
            ui.label(RichText::new(&*pv.outcome.evidence).small());
        }
    }
    if !any {
        ui.label(RichText::new(lang.tr("not judged by this profile")).weak());
    }
}

fn messages(app: &mut CovplanApp, ui: &mut egui::Ui) {
    let lang = app.lang;
    ui.horizontal(|ui| {
        ui.label(RichText::new(format!("{} ({})", lang.tr("Errors and warnings"), app.messages.len())).strong());
        if ui.small_button(lang.tr("Clear")).clicked() {
            app.messages.clear();
        }
    });
    egui::ScrollArea::vertical().id_salt("messages").max_height(220.0).show(ui, |ui| {
        for m in app.messages.iter().rev().take(200) {
            ui.label(RichText::new(m).small().color(Color32::from_rgb(180, 60, 20)));
        }
    });
}
