//! The coverage grid on the map: computed in the background for the open project when a grid
//! overlay is chosen (again after each edit, for the edited project), drawn as an image.

use super::CovplanApp;
use super::document;
use super::worker::Job;
use covplan_core::render::grid_image::grid_image;
use std::sync::Arc;

/// Brings the map's grid image in line with the chosen overlay and layer; starts computing the
/// grid when the open project has none yet.
pub fn refresh(app: &mut CovplanApp) {
    let Some(doc) = &mut app.doc else { return };
    let Some(q) = app.overlay.grid_quantity() else {
        doc.scene.grid = None;
        return;
    };
    match &doc.grid {
        Some(g) => {
            app.grid_layer = app.grid_layer.min(g.layers.len().saturating_sub(1));
            doc.scene.grid = grid_image(g, app.grid_layer, q).map(Arc::new);
        }
        None => {
            // The image shown (if any) is the previous project's: it stays until this one's is
            // ready, rather than the map losing its overlay for the seconds the grid takes.
            let running_for_this = app.grid_job.as_ref().is_some_and(|j| Arc::ptr_eq(&j.project, &doc.project));
            if !running_for_this {
                if let Some(j) = app.grid_job.take() {
                    j.job.cancel();
                }
                let (project, coverage) = (doc.project.clone(), doc.computed.as_ref().map(|c| c.coverage.clone()));
                let job = Job::spawn("Computing the coverage grid", app.ctx.clone(), move |progress| {
                    document::coverage_grid(&project, coverage.as_deref(), progress)
                });
                app.grid_job = Some(GridJob { project: doc.project.clone(), job });
            }
        }
    }
}

/// A grid computation and the project it is for.
pub struct GridJob {
    /// The project the grid is computed for.
    pub project: Arc<covplan_core::project::Project>,
    /// The work.
    pub job: Job<covplan_core::coverage::radio::grid::CoverageGrid>,
}

/// Takes a finished grid into the open project, when it is still the one it was computed for.
pub fn poll(app: &mut CovplanApp) {
    let Some(j) = &app.grid_job else { return };
    let Some(result) = j.job.poll() else { return };
    let project = j.project.clone();
    app.grid_job = None;
    match result {
        Ok(g) => {
            if let Some(doc) = app.doc.as_mut().filter(|d| Arc::ptr_eq(&d.project, &project)) {
                doc.grid = Some(Arc::new(g));
            }
            refresh(app);
        }
        Err(()) => app.messages.push(format!("{}: the background work stopped unexpectedly", app.lang.tr("Computing the coverage grid"))),
    }
}
