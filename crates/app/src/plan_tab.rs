//! The Plan tab: the cheapest fixes for the current profile's gaps (`covplan plan` in the app):
//! budget and technologies, a run in the background on the project as edited, the works list
//! with costs and the gaps before and after from the re-analysis, the plan drawn on the map,
//! and "accept": the works up to a rank join the scenario as one edit (undo takes them back).

use crate::worker::Progress;
use crate::{CovplanApp, JobOutput};
use covplan_core::plan::works::{self, Work, WorkKind};
use covplan_core::plan::{GapCount, PlanRequest, Techs, costs::Costs};
use covplan_core::project::Project;
use eframe::egui::{self, Color32, RichText};
use std::sync::Arc;

/// The tab's choices and its last plan.
#[derive(Default)]
pub struct PlanState {
    /// The budget as typed (yuan; empty: none).
    pub budget: String,
    /// Technologies left out (so that the default, all three, is `false` everywhere).
    pub without: [bool; 3],
    /// The last plan, for the project it was made on.
    pub result: Option<Arc<PlanView>>,
    /// Draw the plan on the map.
    pub hide_on_map: bool,
}

/// A plan as the tab shows it.
pub struct PlanView {
    /// The project (as edited) it was made on: accepting is offered only while it is current.
    pub project: Arc<Project>,
    /// The works kept, ranked.
    pub works: Vec<Work>,
    /// Gaps before and after, from the re-analysis.
    pub gaps: (GapCount, GapCount),
    /// Total cost (yuan).
    pub cost: f64,
    /// Households of the villages closed.
    pub households_closed: f64,
    /// Claims the re-analysis refutes, works left out by the budget, villages none reaches,
    /// failing places no work addresses.
    pub counts: [usize; 4],
    /// The plan on the map: routes and points in the frame, with their kind.
    pub marks: Marks,
}

/// The plan's features in the project's local frame.
#[derive(Default)]
pub struct Marks {
    /// New routes.
    pub lines: Vec<Vec<[f64; 2]>>,
    /// Boxes, sites, FWA villages, splitters: position and kind.
    pub points: Vec<([f64; 2], WorkKind)>,
}

/// Plans on `project` against profile `profile` (background work).
pub fn run(project: Arc<Project>, profile: &str, budget: Option<f64>, techs: Techs, progress: &Progress) -> Result<JobOutput, String> {
    progress.set(0.1, "planning");
    let (prof, source) = covplan_core::targets::profile::resolve(&project, Some(profile)).map_err(|e| e.to_string())?;
    let costs = Costs::china();
    let plan = covplan_core::plan::run(&project, prof, source, &PlanRequest { costs: &costs, budget, techs }).map_err(|e| e.to_string())?;
    let frame = &project.frame;
    let local = |[lon, lat]: [f64; 2]| {
        let (x, y) = frame.forward(lon, lat);
        [x, y]
    };
    let mut marks = Marks::default();
    for w in &plan.works {
        marks.lines.extend(w.builds.cables.iter().map(|r| r.iter().copied().map(local).collect()));
        marks.points.extend(w.points.iter().map(|&p| (local(p), w.kind)));
    }
    let view = PlanView {
        cost: plan.cost(),
        households_closed: plan.households_closed(),
        counts: [plan.not_closed.len(), plan.over_budget.len(), plan.unreachable.len(), plan.unaddressed.len()],
        gaps: plan.gaps,
        works: plan.works,
        project,
        marks,
    };
    Ok(JobOutput::Planned(Box::new(view)))
}

/// The colour of a kind of work on the map and in the list.
pub fn colour(kind: WorkKind) -> Color32 {
    match kind {
        WorkKind::Fiber => Color32::from_rgb(215, 25, 28),
        WorkKind::Splitter | WorkKind::PonUpgrade => Color32::from_rgb(23, 162, 184),
        WorkKind::Site => Color32::from_rgb(243, 156, 18),
        WorkKind::Fwa => Color32::from_rgb(142, 68, 173),
    }
}

/// The tab.
pub fn show(app: &mut CovplanApp, ui: &mut egui::Ui) {
    let lang = app.lang;
    let Some(doc) = &app.doc else {
        ui.label(lang.tr("Open a project first."));
        return;
    };
    let (project, profile) = (doc.project.clone(), doc.profile.clone());
    ui.label(RichText::new(lang.tr("Close the gaps")).strong().size(16.0));
    ui.label(RichText::new(lang.tr("The cheapest fiber routes, boxes, sites and FWA for the current profile's gaps, checked by analysing again.")).small());
    ui.horizontal(|ui| {
        ui.label(lang.tr("Budget (yuan)"));
        ui.add(egui::TextEdit::singleline(&mut app.panels.plan.budget).desired_width(110.0).hint_text(lang.tr("no limit")));
    });
    ui.horizontal(|ui| {
        for (k, name) in ["Fiber", "Sites", "FWA"].into_iter().enumerate() {
            let mut on = !app.panels.plan.without[k];
            ui.checkbox(&mut on, lang.tr(name));
            app.panels.plan.without[k] = !on;
        }
    });
    let budget = app.panels.plan.budget.trim().replace([',', '_'], "");
    let budget: Result<Option<f64>, ()> =
        if budget.is_empty() { Ok(None) } else { budget.parse::<f64>().ok().filter(|b| b.is_finite() && *b >= 0.0).map(Some).ok_or(()) };
    let [nf, ns, nw] = app.panels.plan.without;
    let techs = Techs { fiber: !nf, site: !ns, fwa: !nw };
    let runnable = budget.is_ok() && (techs.fiber || techs.site || techs.fwa) && !app.busy();
    if budget.is_err() {
        ui.label(RichText::new(lang.tr("The budget is an amount of zero or more yuan.")).color(Color32::from_rgb(190, 40, 30)));
    }
    if ui.add_enabled(runnable, egui::Button::new(lang.tr("Make plan"))).clicked() {
        let budget = budget.unwrap_or(None);
        app.start_job("Planning", move |p| run(project, &profile, budget, techs, p));
    }
    let Some(plan) = app.panels.plan.result.clone() else { return };
    ui.separator();
    results(app, ui, &plan);
}

/// The plan's totals, its works and the accept buttons.
fn results(app: &mut CovplanApp, ui: &mut egui::Ui, plan: &Arc<PlanView>) {
    let lang = app.lang;
    let current = app.doc.as_ref().is_some_and(|d| Arc::ptr_eq(&d.project, &plan.project));
    let (b, a) = plan.gaps;
    egui::Grid::new("plan-totals").num_columns(2).show(ui, |ui| {
        ui.label(lang.tr("Cost"));
        ui.label(format!("{:.1} 万元 ({} {})", plan.cost / 1e4, plan.works.len(), lang.tr("works")));
        ui.end_row();
        ui.label(lang.tr("Households closed"));
        ui.label(format!("{:.0}", plan.households_closed));
        ui.end_row();
        ui.label(lang.tr("Gaps before → after"));
        ui.label(format!("{} ({:.0} hh) → {} ({:.0} hh)", b.settlements, b.households, a.settlements, a.households));
        ui.end_row();
        let [refuted, over, unreached, unaddressed] = plan.counts;
        ui.label(lang.tr("Left over"));
        ui.label(format!(
            "{over} {} · {unreached} {} · {unaddressed} {} · {refuted} {}",
            lang.tr("over budget"),
            lang.tr("unreachable"),
            lang.tr("not addressed"),
            lang.tr("refuted")
        ));
        ui.end_row();
    });
    ui.checkbox(&mut app.panels.plan.hide_on_map, lang.tr("Hide the plan on the map"));
    if !current {
        ui.label(RichText::new(lang.tr("The project changed since this plan: plan again to accept works.")).weak());
    }
    let mut accept_upto = None;
    ui.horizontal(|ui| {
        if ui.add_enabled(current && !app.busy() && !plan.works.is_empty(), egui::Button::new(lang.tr("Accept all"))).clicked() {
            accept_upto = Some(plan.works.len());
        }
    });
    egui::Grid::new("plan-works").striped(true).num_columns(5).show(ui, |ui| {
        for h in ["#", "Work", "Cost", "hh", ""] {
            ui.label(RichText::new(lang.tr(h)).strong());
        }
        ui.end_row();
        for w in plan.works.iter().take(300) {
            ui.label(w.rank.to_string());
            ui.label(RichText::new(&w.name).color(colour(w.kind)));
            ui.label(format!("{:.1} 万", w.cost / 1e4));
            ui.label(format!("{:.0}", w.households));
            if ui.add_enabled(current && !app.busy(), egui::Button::new(lang.tr("Accept to here")).small()).clicked() {
                accept_upto = Some(w.rank);
            }
            ui.end_row();
        }
    });
    if let Some(n) = accept_upto {
        accept(app, &plan.works[..n]);
    }
}

/// Adds `works` to the scenario as one edit (undo takes them all back) and re-analyses.
pub fn accept(app: &mut CovplanApp, accepted: &[Work]) {
    let spec = app.history.push(works::scenario(&app.history.current(), accepted));
    app.panels.plan.result = None;
    app.apply_scenario(spec);
}

/// Draws the plan on the map: routes, and a mark per box, site or FWA village.
pub fn draw(painter: &egui::Painter, rect: egui::Rect, view: &covplan_core::render::View, marks: &Marks) {
    let on_screen = |[x, y]: [f64; 2]| {
        let s = view.to_screen(x, y);
        rect.min + egui::vec2(s[0] as f32, s[1] as f32)
    };
    let route = egui::Stroke::new(2.5, colour(WorkKind::Fiber));
    for line in &marks.lines {
        painter.add(egui::Shape::line(line.iter().map(|&p| on_screen(p)).collect(), route));
    }
    for &(p, kind) in &marks.points {
        let c = on_screen(p);
        match kind {
            WorkKind::Site | WorkKind::Fwa => {
                let pts = vec![c + egui::vec2(0.0, -8.0), c + egui::vec2(7.0, 5.0), c + egui::vec2(-7.0, 5.0)];
                painter.add(egui::Shape::convex_polygon(pts, colour(kind), egui::Stroke::new(1.0, Color32::BLACK)));
            }
            WorkKind::Fiber => {
                painter.rect_filled(egui::Rect::from_center_size(c, egui::vec2(5.0, 5.0)), 0.0, Color32::from_rgb(43, 131, 186));
            }
            _ => {
                painter.circle_filled(c, 3.0, colour(kind));
            }
        }
    }
}
