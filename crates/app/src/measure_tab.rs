//! The Measurements tab: the project's drive tests, MR or speed tests against the model's
//! predictions (`covplan compare` in the app) — error statistics before and after calibration,
//! the fits, a scatter of predicted against measured, the error histogram and the error against
//! distance — and the villages whose coverage verdict the measurements challenge (also listed
//! under the gaps and ringed on the map).

use crate::worker::Progress;
use crate::{CovplanApp, JobOutput};
use covplan_core::analysis::Analysis;
use covplan_core::measure::challenge::{Challenge, challenges};
use covplan_core::measure::compare::Pair;
use covplan_core::measure::report::Comparison;
use covplan_core::project::Project;
use eframe::egui::{self, Color32, RichText};
use egui_plot::{Bar, BarChart, Legend, Line, Plot, Points};
use std::sync::Arc;

/// The tab's last comparison.
#[derive(Default)]
pub struct MeasureState {
    /// The last comparison, for the project it was made on.
    pub result: Option<Arc<MeasureView>>,
}

/// A comparison as the tab shows it.
pub struct MeasureView {
    /// The project it was made on.
    pub project: Arc<Project>,
    /// Before and after calibration.
    pub comparison: Comparison,
    /// Verdicts the measurements contradict.
    pub challenges: Vec<Challenge>,
    /// Each challenged village in the frame, for the map.
    pub rings: Vec<[f64; 2]>,
}

/// The colour of a challenge on the map and in the lists.
pub const CHALLENGE: Color32 = Color32::from_rgb(214, 39, 160);

/// Compares `project`'s measurements with its model and finds the verdicts of `analysis` they
/// challenge (background work).
pub fn run(project: Arc<Project>, analysis: Arc<Analysis>, progress: &Progress) -> Result<JobOutput, String> {
    progress.set(0.1, "comparing");
    let comparison = covplan_core::measure::report::run(&project, &project.file.measurements.calibration).map_err(|e| e.to_string())?;
    progress.set(0.8, "challenges");
    let challenges = challenges(&project, &analysis, &project.file.measurements.challenge);
    let rings = challenges.iter().map(|c| project.index.village_xy[c.village]).collect();
    Ok(JobOutput::Compared(Box::new(MeasureView { project, comparison, challenges, rings })))
}

/// The tab.
pub fn show(app: &mut CovplanApp, ui: &mut egui::Ui) {
    let lang = app.lang;
    let Some(doc) = &app.doc else {
        ui.label(lang.tr("Open a project first."));
        return;
    };
    ui.label(RichText::new(lang.tr("Predicted against measured")).strong().size(16.0));
    let n = doc.project.data.measurements.len();
    ui.label(RichText::new(format!("{n} {}", lang.tr("measurements in the project's measurement layers"))).small());
    let analysis = doc.computed.as_ref().map(|c| c.analysis.clone());
    let project = doc.project.clone();
    if ui.add_enabled(n > 0 && analysis.is_some() && !app.busy(), egui::Button::new(lang.tr("Compare"))).clicked()
        && let Some(analysis) = analysis
    {
        app.start_job("Comparing", move |p| run(project, analysis, p));
    }
    let Some(view) = app.panels.measure.result.clone() else { return };
    if app.doc.as_ref().is_none_or(|d| !Arc::ptr_eq(&view.project, &d.project)) {
        ui.label(RichText::new(lang.tr("The project changed since this comparison.")).weak());
    }
    ui.separator();
    statistics(app, ui, &view.comparison);
    plots(ui, lang, &view.comparison);
    challenge_list(app, ui, &view);
}

fn statistics(app: &CovplanApp, ui: &mut egui::Ui, c: &Comparison) {
    let lang = app.lang;
    ui.label(format!("{} {} · {} {}", c.before.len(), lang.tr("compared"), c.unpaired.len(), lang.tr("not compared")));
    egui::Grid::new("measure-stats").striped(true).num_columns(6).show(ui, |ui| {
        for h in ["group", "n", "mean dB", "σ dB", "RMSE", "calibrated RMSE"] {
            ui.label(RichText::new(lang.tr(h)).strong());
        }
        ui.end_row();
        for row in c.rsrp_before.iter().filter(|r| r.by != "matched by") {
            let after = c.rsrp_after.iter().find(|a| a.by == row.by && a.group == row.group);
            ui.label(if row.by == "all" { lang.tr("all").to_string() } else { format!("{} {}", lang.tr(grouping(&row.by)), row.group) });
            ui.label(row.stats.count.to_string());
            ui.label(format!("{:+.1}", row.stats.mean_db));
            ui.label(format!("{:.1}", row.stats.sd_db));
            ui.label(format!("{:.1}", row.stats.rmse_db));
            ui.label(after.map_or(String::new(), |a| format!("{:.1}", a.stats.rmse_db)));
            ui.end_row();
        }
    });
    for f in &c.fits {
        let (b, a) = (f.before.map_or(f64::NAN, |s| s.rmse_db), f.after.map_or(f64::NAN, |s| s.rmse_db));
        let env = lang.tr(if format!("{:?}", f.environment) == "Urban" { "urban" } else { "rural" });
        let text = format!(
            "{env}: K1 {:+.1} dB, K2 {:+.1} dB/decade · {} {b:.1} → {a:.1} dB",
            f.correction.offset_db,
            f.correction.slope_db_per_decade,
            lang.tr("held-out RMSE")
        );
        ui.label(if f.applied { RichText::new(text) } else { RichText::new(format!("{text} ({})", f.note)).weak() });
    }
}

/// The name of a grouping of the statistics, as a text to translate.
fn grouping(by: &str) -> &'static str {
    match by {
        "operator" => "operator",
        "technology" => "tech",
        "environment" => "environment",
        "distance" => "distance",
        _ => "group",
    }
}

/// Pairs with a measured RSRP, every n-th so that plots stay light (≤ 4 000 points).
fn sampled(pairs: &[Pair]) -> impl Iterator<Item = &Pair> {
    let with = pairs.iter().filter(|p| p.measured_rsrp_dbm.is_some());
    let n = pairs.len().div_ceil(4000).max(1);
    with.step_by(n)
}

fn plots(ui: &mut egui::Ui, lang: crate::i18n::Lang, c: &Comparison) {
    ui.label(RichText::new(lang.tr("Predicted against measured RSRP (dBm)")).strong());
    let scatter: Vec<[f64; 2]> = sampled(&c.before).map(|p| [p.predicted_rsrp_dbm, p.measured_rsrp_dbm.unwrap_or_default()]).collect();
    let calibrated: Vec<[f64; 2]> = sampled(&c.after).map(|p| [p.predicted_rsrp_dbm, p.measured_rsrp_dbm.unwrap_or_default()]).collect();
    Plot::new("measure-scatter")
        .height(220.0)
        .allow_scroll(false)
        .legend(Legend::default())
        .data_aspect(1.0)
        .x_axis_label(lang.tr("predicted"))
        .y_axis_label(lang.tr("measured"))
        .show(ui, |pui| {
            pui.points(Points::new(lang.tr("published model"), scatter).radius(1.2).color(Color32::from_rgb(31, 119, 180)));
            pui.points(Points::new(lang.tr("calibrated"), calibrated).radius(1.2).color(Color32::from_rgb(255, 127, 14)));
            pui.line(Line::new("y = x", vec![[-140.0, -140.0], [-40.0, -40.0]]).color(Color32::GRAY));
        });
    ui.label(RichText::new(lang.tr("Error histogram (measured − predicted, dB)")).strong());
    let histogram = |pairs: &[Pair], offset: f64| -> Vec<Bar> {
        let mut bins = [0usize; 30];
        for e in pairs.iter().filter_map(Pair::rsrp_error_db) {
            bins[(((e + 30.0) / 2.0).floor().max(0.0) as usize).min(29)] += 1;
        }
        bins.iter().enumerate().map(|(i, &n)| Bar::new(-30.0 + 2.0 * i as f64 + 0.5 + offset, n as f64).width(0.9)).collect()
    };
    Plot::new("measure-histogram").height(160.0).allow_scroll(false).legend(Legend::default()).show(ui, |pui| {
        pui.bar_chart(BarChart::new(lang.tr("published model"), histogram(&c.before, 0.0)).color(Color32::from_rgb(31, 119, 180)));
        pui.bar_chart(BarChart::new(lang.tr("calibrated"), histogram(&c.after, 1.0)).color(Color32::from_rgb(255, 127, 14)));
    });
    ui.label(RichText::new(lang.tr("Error against distance (km)")).strong());
    let errors: Vec<[f64; 2]> = sampled(&c.before).map(|p| [p.distance_m / 1000.0, p.rsrp_error_db().unwrap_or_default()]).collect();
    Plot::new("measure-distance").height(160.0).allow_scroll(false).x_axis_label(lang.tr("distance (km)")).y_axis_label("dB").show(ui, |pui| {
        pui.points(Points::new(lang.tr("published model"), errors).radius(1.2).color(Color32::from_rgb(31, 119, 180)));
        pui.line(Line::new("0", vec![[0.0, 0.0], [5.0, 0.0]]).color(Color32::GRAY));
    });
}

fn challenge_list(app: &mut CovplanApp, ui: &mut egui::Ui, view: &MeasureView) {
    let lang = app.lang;
    ui.label(RichText::new(format!("{}: {}", lang.tr("Challenged verdicts"), view.challenges.len())).strong().color(CHALLENGE));
    if let Some(item) = challenge_rows(ui, lang, &view.challenges, app.selected, None) {
        app.select(Some(item));
        if let Some(b) = app.item_bounds(item) {
            app.zoom_to(b, 1500.0);
        }
    }
}

/// Lists `challenges` (of `target` only, when given) as clickable rows; returns the village
/// clicked.
pub fn challenge_rows(
    ui: &mut egui::Ui,
    lang: crate::i18n::Lang,
    challenges: &[Challenge],
    selected: Option<covplan_core::render::Item>,
    target: Option<&str>,
) -> Option<covplan_core::render::Item> {
    let mut go = None;
    for c in challenges.iter().filter(|c| target.is_none_or(|t| t == c.target)).take(200) {
        let item = covplan_core::render::Item::Village(c.village);
        let text = format!("{:>5.0} {}  {} · {}", c.households, lang.tr("households"), c.name, lang.tr(c.kind.label()));
        let hover = format!(
            "{} · {} {:.1} dBm{}",
            c.evidence,
            lang.tr("median RSRP"),
            c.median_rsrp_dbm,
            c.dates.as_ref().map_or(String::new(), |(a, b)| format!(" · {a} … {b}"))
        );
        if ui.selectable_label(selected == Some(item), RichText::new(text).color(CHALLENGE)).on_hover_text(hover).clicked() {
            go = Some(item);
        }
    }
    go
}

/// Rings the challenged villages on the map.
pub fn draw(painter: &egui::Painter, rect: egui::Rect, view: &covplan_core::render::View, rings: &[[f64; 2]]) {
    for &[x, y] in rings {
        let s = view.to_screen(x, y);
        let c = rect.min + egui::vec2(s[0] as f32, s[1] as f32);
        if rect.expand(12.0).contains(c) {
            painter.circle_stroke(c, 9.0, egui::Stroke::new(2.5, CHALLENGE));
        }
    }
}
