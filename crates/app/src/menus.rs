//! The menu bar: file (new, open, recent, save, add layer, print, quit), edit, view and theme
//! menus, and the system's file dialog they open.

use super::edit::Pending;
use super::{CovplanApp, PathAction};
use eframe::egui;
use std::path::PathBuf;

/// A path from the system's file dialog: `None` where no dialog is offered (the caller then asks
/// for a typed path), `Some(None)` when the user cancelled.
fn pick_file(dialogs: bool, save: bool, filter: Option<(&str, &[&str])>) -> Option<Option<PathBuf>> {
    // rfd needs a desktop portal on Linux; where none answers the caller falls back to a typed path.
    if !dialogs {
        return None;
    }
    let mut d = rfd::FileDialog::new();
    if let Some((name, ext)) = filter {
        d = d.add_filter(name, ext);
    }
    let r = if save { d.save_file() } else { d.pick_file() };
    r.map(Some)
}

/// The menu bar.
pub fn menu_bar(app: &mut CovplanApp, ui: &mut egui::Ui) {
    let lang = app.lang;
    let (file, edit, view) = (lang.tr("File"), lang.tr("Edit"), lang.tr("View"));
    egui::Panel::top("menu").show(ui, |ui| {
        egui::MenuBar::new().ui(ui, |ui| {
            ui.menu_button(file, |ui| file_menu(app, ui));
            ui.menu_button(edit, |ui| edit_menu(app, ui));
            ui.menu_button(view, |ui| view_menu(app, ui));
        });
    });
}

/// File: new, open, recent, save, add layer, print, quit.
fn file_menu(app: &mut CovplanApp, ui: &mut egui::Ui) {
    let lang = app.lang;
    let tr = |s| lang.tr(s);
    if ui.button(tr("New project")).clicked() {
        match pick_file(app.file_dialogs, true, Some(("covplan", &["toml"]))) {
            Some(Some(p)) => app.new_project(&p),
            Some(None) => {}
            None => app.panels.path_action = Some(PathAction::New),
        }
    }
    if ui.button(tr("Open project…")).clicked() {
        match pick_file(app.file_dialogs, false, Some(("covplan", &["toml"]))) {
            Some(Some(p)) => app.open(&p),
            Some(None) => {}
            None => app.panels.path_action = Some(PathAction::Open),
        }
    }
    if ui.button(tr("Open sample county")).clicked() {
        app.open(&covplan_core::sample::sample_project_path());
    }
    ui.menu_button(tr("Recent projects"), |ui| {
        for p in app.recent.clone() {
            if ui.button(p.display().to_string()).clicked() {
                app.open(&p);
            }
        }
    });
    ui.separator();
    let has_doc = app.doc.is_some();
    if ui.add_enabled(has_doc, egui::Button::new(tr("Save project"))).clicked()
        && let Some(p) = app.doc.as_ref().map(|d| d.project.path.clone())
    {
        app.save_to(&p);
    }
    if ui.add_enabled(has_doc, egui::Button::new(tr("Save project as…"))).clicked() {
        match pick_file(app.file_dialogs, true, Some(("covplan", &["toml"]))) {
            Some(Some(p)) => app.save_to(&p),
            Some(None) => {}
            None => app.panels.path_action = Some(PathAction::SaveAs),
        }
    }
    if ui.add_enabled(has_doc, egui::Button::new(tr("Add layer…"))).clicked() {
        match pick_file(app.file_dialogs, false, None) {
            Some(Some(p)) => app.panels.add_layer_dialog(&p),
            Some(None) => {}
            None => {
                app.panels.path_action = Some(PathAction::AddLayer);
                app.panels.add_role = Some(covplan_core::project::Role::Buildings);
            }
        }
    }
    if ui.add_enabled(has_doc, egui::Button::new(tr("Print / export map"))).clicked() {
        app.panels.export_open = true;
    }
    ui.separator();
    if ui.button(tr("Quit")).clicked() {
        ui.ctx().send_viewport_cmd(egui::ViewportCommand::Close);
    }
}

/// Edit: undo, redo, and the what-if additions placed by a click on the map.
fn edit_menu(app: &mut CovplanApp, ui: &mut egui::Ui) {
    let lang = app.lang;
    let tr = |s| lang.tr(s);
    let (u, r) = app.history.can();
    if ui.add_enabled(u && !app.busy(), egui::Button::new(format!("{}  Ctrl+Z", tr("Undo")))).clicked() {
        app.undo();
    }
    if ui.add_enabled(r && !app.busy(), egui::Button::new(format!("{}  Ctrl+Y", tr("Redo")))).clicked() {
        app.redo();
    }
    if ui.add_enabled(app.doc.is_some(), egui::Button::new(tr("Add sector"))).clicked() {
        app.panels.pending = Some(Pending::Add);
    }
    if ui.add_enabled(app.doc.is_some(), egui::Button::new(tr("Add access point"))).clicked() {
        app.panels.pending = Some(Pending::AddAccessPoint);
    }
    if ui.add_enabled(app.doc.is_some(), egui::Button::new(tr("Add cable"))).clicked() {
        app.panels.pending = Some(Pending::AddCable(Vec::new()));
    }
}

/// View: zoom, attribute table, charts, theme, language.
fn view_menu(app: &mut CovplanApp, ui: &mut egui::Ui) {
    let lang = app.lang;
    let tr = |s| lang.tr(s);
    if ui.button(tr("Zoom to full extent")).clicked()
        && let Some(e) = app.doc.as_ref().and_then(|d| d.scene.extent())
    {
        app.zoom_to(e, 0.0);
    }
    if ui.add_enabled(app.selected.is_some(), egui::Button::new(tr("Zoom to selection"))).clicked()
        && let Some(b) = app.selected.and_then(|i| app.item_bounds(i))
    {
        app.zoom_to(b, 500.0);
    }
    if ui.button(tr("Attribute table")).clicked() {
        app.panels.table_open = true;
    }
    if ui.button(tr("Charts")).clicked() {
        app.panels.charts_open = true;
    }
    ui.menu_button(tr("Theme"), |ui| theme_menu(app, ui));
    ui.menu_button(tr("Language"), |ui| {
        ui.selectable_value(&mut app.lang, super::Lang::Zh, "简体中文");
        ui.selectable_value(&mut app.lang, super::Lang::En, "English");
    });
}

/// View → Theme: what colours the map (verdicts or a coverage overlay) and the grid's layer.
fn theme_menu(app: &mut CovplanApp, ui: &mut egui::Ui) {
    use super::document::OverlayKind;
    let lang = app.lang;
    let tr = |s| lang.tr(s);
    for (k, label) in [
        (OverlayKind::None, "Verdict of the chosen target"),
        (OverlayKind::Rsrp, "RSRP (best 4G)"),
        (OverlayKind::BestServer, "Best server"),
        (OverlayKind::Capability, "Capability (Mb/s)"),
        (OverlayKind::GridRsrp, "Coverage grid: RSRP"),
        (OverlayKind::GridBestServer, "Coverage grid: best server"),
        (OverlayKind::GridRate, "Coverage grid: Mb/s"),
    ] {
        if k == OverlayKind::GridRsrp {
            ui.separator();
        }
        if ui.selectable_label(app.overlay == k, tr(label)).clicked() {
            app.set_overlay(k);
        }
    }
    // Which operator and technology the grid shows.
    let layers: Vec<String> = app
        .doc
        .as_ref()
        .and_then(|d| d.grid.as_ref())
        .map(|g| g.layers.iter().map(|l| covplan_core::render::grid_image::layer_name(g, l)).collect())
        .unwrap_or_default();
    if app.overlay.grid_quantity().is_some() && !layers.is_empty() {
        ui.separator();
        for (i, name) in layers.iter().enumerate() {
            if ui.radio(app.grid_layer == i, name).clicked() {
                app.grid_layer = i;
                app.set_overlay(app.overlay);
            }
        }
    }
}
