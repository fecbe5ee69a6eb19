//! Crash-safe editing in the app: every scenario edit (and undo, redo) is written to the
//! project's autosave at once, before the re-analysis starts; a save removes it; opening a
//! project with unsaved edits in its autosave offers to recover them (as one undoable edit) or
//! to discard them. The autosave format and its atomic writes are `covplan_core::project::autosave`.

use crate::CovplanApp;
use covplan_core::project::autosave::{self, Offer};
use covplan_core::project::{ProjectFile, ScenarioSpec};
use eframe::egui;
use std::collections::BTreeMap;
use std::path::Path;

/// The autosave state of the open project.
#[derive(Debug, Default)]
pub struct Recovery {
    /// Whether edits are autosaved and offered back (the desktop app: yes; a headless app,
    /// which touches nothing of the user's, only when a test or an embedder turns it on).
    pub enabled: bool,
    /// Edits found at opening, not yet recovered or discarded, with what changed on disk since.
    pub offer: Option<Offer>,
    /// The layers' file hashes at opening, written with every autosave.
    layers: BTreeMap<String, String>,
    /// The scenario the project file holds (what a recovery or an undo compares against).
    saved: ScenarioSpec,
    /// Edits since the project was opened or saved.
    edits: u64,
}

/// After a project was opened from `path` with project file `file`: offers its autosave, if any.
pub fn after_open(app: &mut CovplanApp, path: &Path, file: &ProjectFile) {
    app.recovery = Recovery { offer: None, saved: file.scenario.clone(), edits: 0, enabled: app.recovery.enabled, layers: BTreeMap::new() };
    if !app.recovery.enabled {
        return;
    }
    app.recovery.layers = autosave::layer_hashes(path, file);
    match autosave::pending(path, &file.scenario, &app.recovery.layers) {
        Ok(offer) => app.recovery.offer = offer,
        Err(e) => app.messages.push(e.to_string()),
    }
}

/// After the scenario became `spec` by an edit, undo or redo: the autosave follows (removed when
/// the scenario is back to the saved one).
pub fn after_edit(app: &mut CovplanApp, spec: &ScenarioSpec) {
    let Some(doc) = &app.doc.as_ref().filter(|_| app.recovery.enabled) else { return };
    let path = doc.project.path.clone();
    app.recovery.edits += 1;
    let written = if *spec == app.recovery.saved { autosave::remove(&path) } else { autosave::write(&path, spec, app.recovery.edits, &app.recovery.layers) };
    if let Err(e) = written {
        app.messages.push(format!("{}: cannot autosave the edits: {e} (save the project to keep them)", autosave::path_for(&path).display()));
    }
}

/// After the project was saved to `path` (from `from`) with scenario `spec`: nothing unsaved.
pub fn after_save(app: &mut CovplanApp, from: &Path, path: &Path, spec: &ScenarioSpec) {
    app.recovery.saved = spec.clone();
    app.recovery.edits = 0;
    if !app.recovery.enabled {
        return;
    }
    for p in [from, path] {
        if let Err(e) = autosave::remove(p) {
            app.messages.push(format!("{}: cannot remove the autosave: {e}", autosave::path_for(p).display()));
        }
    }
}

/// The offer to recover unsaved edits, while there is one.
pub fn window(app: &mut CovplanApp, ctx: &egui::Context) {
    let Some(offer) = &app.recovery.offer else { return };
    let (lang, edits, changed, layers) = (app.lang, offer.autosave.autosave.edits, offer.project_changed, offer.layers_changed.join("、"));
    let Some(doc) = &app.doc else { return };
    let path = autosave::path_for(&doc.project.path);
    let (mut recover, mut discard) = (false, false);
    egui::Window::new(lang.tr("Unsaved edits")).collapsible(false).resizable(false).anchor(egui::Align2::CENTER_CENTER, [0.0, 0.0]).show(ctx, |ui| {
        ui.label(format!("{} ({edits} {})", lang.tr("covplan stopped before these edits of the project were saved"), lang.tr("edits")));
        ui.small(path.display().to_string());
        if changed {
            ui.colored_label(ui.visuals().warn_fg_color, lang.tr("The project file changed since these edits were made: check them after recovering."));
        }
        if !layers.is_empty() {
            ui.colored_label(ui.visuals().warn_fg_color, format!("{}: {layers}", lang.tr("Layer files changed since these edits were made")));
        }
        ui.horizontal(|ui| {
            recover = ui.button(lang.tr("Recover")).clicked();
            discard = ui.button(lang.tr("Discard")).clicked();
        });
    });
    if recover {
        let offer = app.recovery.offer.take().expect("an offer is shown");
        let spec = app.history.push(offer.autosave.scenario);
        app.apply_scenario(spec);
    } else if discard {
        app.recovery.offer = None;
        if let Err(e) = autosave::remove(&doc.project.path.clone()) {
            app.messages.push(format!("{}: cannot remove the autosave: {e}", path.display()));
        }
    }
}
