//! The desktop app (eframe/egui): a thin shell over `Project → Analysis → render`. It opens
//! the sample county by default; everything slow runs in [`worker`] jobs.

pub mod document;
pub mod edit;
pub mod fonts;
pub mod grid;
pub mod history;
pub mod i18n;
pub mod map;
pub mod measure_tab;
mod menus;
mod panels;
pub mod plan_tab;
pub mod recent;
pub mod recovery;
mod windows;
pub mod worker;

use covplan_core::project::{Project, ScenarioSpec};
use covplan_core::render::{Item, Scene, VerdictTheme, View};
use document::{Computed, Document};
use eframe::egui;
use history::History;
use i18n::Lang;
use std::path::{Path, PathBuf};
use std::sync::Arc;
use worker::Job;

/// What a background job hands back.
pub enum JobOutput {
    /// A project was opened (its analysis follows in a second job).
    Opened(Box<Document>),
    /// The open project was re-analysed: new profile or a scenario edit.
    Analysed {
        /// The project (a new one after a scenario edit).
        project: Arc<Project>,
        /// Its scene (sector layers rebuilt after an edit).
        scene: Box<Scene>,
        /// The profile checked.
        profile: String,
        /// The results.
        computed: Computed,
    },
    /// A gap-closure plan was made for the open project.
    Planned(Box<plan_tab::PlanView>),
    /// The open project's measurements were compared with its model.
    Compared(Box<measure_tab::MeasureView>),
}

/// A file action waiting for a typed path (no native dialog could open).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum PathAction {
    /// Create a new, empty project file.
    New,
    /// Open a project file.
    Open,
    /// Save the project under a new name.
    SaveAs,
    /// Add a layer file.
    AddLayer,
}

/// The whole app state.
pub struct CovplanApp {
    /// Interface language.
    pub lang: Lang,
    /// The open project, when one is.
    pub doc: Option<Document>,
    /// The map view.
    pub view: Option<View>,
    /// Map caches and frame timing.
    pub map_cache: map::MapCache,
    /// The feature shown in the inspector.
    pub selected: Option<Item>,
    /// The target styling the map (index into the analysis' targets).
    pub target: Option<usize>,
    /// Errors and warnings for the message panel.
    pub messages: Vec<String>,
    /// The status line.
    pub status: String,
    /// Work under way.
    pub job: Option<Job<Result<JobOutput, String>>>,
    /// Scenario undo/redo.
    pub history: History,
    /// Panels and dialogs.
    pub panels: panels::PanelState,
    /// The frame point under the pointer.
    pub cursor: Option<[f64; 2]>,
    /// Recently opened project files, newest first.
    pub recent: Vec<PathBuf>,
    /// Where the recent list is kept (none: in memory only).
    pub recent_file: Option<PathBuf>,
    /// Whether the system's file dialogs are offered (else a typed path is asked for).
    pub file_dialogs: bool,
    /// The coverage overlay shown on the buildings.
    pub overlay: document::OverlayKind,
    /// The coverage grid's layer shown (index into its layers).
    pub grid_layer: usize,
    /// The coverage grid being computed, for the project it is computed for.
    pub grid_job: Option<grid::GridJob>,
    fonts_installed: bool,
    ctx: Option<egui::Context>,
    launched: std::time::Instant,
    first_map_logged: bool,
    /// Unsaved edits: the autosave, and the offer to recover it.
    pub recovery: recovery::Recovery,
}

impl CovplanApp {
    /// The desktop app with nothing open, in `lang`: the system's file dialogs, and the recent
    /// projects kept in the user's configuration folder, edits autosaved beside the project.
    pub fn new(lang: Lang) -> CovplanApp {
        let recent_file = recent::default_file();
        let mut app = CovplanApp { recent: recent::load(recent_file.as_deref()), recent_file, file_dialogs: true, ..CovplanApp::headless(lang) };
        app.recovery.enabled = true;
        app
    }

    /// The app with nothing open, in `lang`, touching nothing of the user's desktop: no file
    /// dialogs (paths are typed) and the recent projects in memory only. For tests and for
    /// programs that embed the app.
    pub fn headless(lang: Lang) -> CovplanApp {
        CovplanApp {
            lang,
            doc: None,
            view: None,
            map_cache: Default::default(),
            selected: None,
            target: None,
            messages: Vec::new(),
            status: String::new(),
            job: None,
            history: History::default(),
            panels: Default::default(),
            cursor: None,
            recent: Vec::new(),
            recent_file: None,
            file_dialogs: false,
            overlay: Default::default(),
            grid_layer: 0,
            grid_job: None,
            fonts_installed: false,
            ctx: None,
            launched: std::time::Instant::now(),
            first_map_logged: false,
            recovery: Default::default(),
        }
    }

    /// Installs fonts and keeps the context for waking the UI from jobs.
    pub fn setup(&mut self, ctx: &egui::Context) {
        if !self.fonts_installed {
            fonts::install(ctx);
            self.fonts_installed = true;
        }
        self.ctx = Some(ctx.clone());
    }

    /// Starts opening a project file (in the background).
    pub fn open(&mut self, path: &Path) {
        let path = path.to_path_buf();
        self.start("Loading project", move |p| {
            let (project, scene) = document::load(&path, p)?;
            let profile = document::default_profile(&project);
            Ok(JobOutput::Opened(Box::new(Document { project: Arc::new(project), profile, computed: None, scene, grid: None })))
        });
    }

    /// Creates an empty project file at `path` (atomically; an existing file is not replaced)
    /// and opens it, ready for layers.
    pub fn new_project(&mut self, path: &Path) {
        if path.exists() {
            self.messages.push(format!("{}: a file of this name exists; choose another name or open it", path.display()));
            return;
        }
        let name = path.file_stem().map_or_else(|| "covplan".to_string(), |s| s.to_string_lossy().to_string());
        let file = covplan_core::project::ProjectFile {
            project: covplan_core::project::file::ProjectMeta { name, description: None },
            settings: Default::default(),
            layers: Vec::new(),
            coverage: Default::default(),
            measurements: Default::default(),
            analysis: Default::default(),
            scenario: Default::default(),
            plan: Default::default(),
        };
        match file.save(path) {
            Ok(()) => self.open(path),
            Err(e) => self.messages.push(format!("{}: cannot create the project: {e}", path.display())),
        }
    }

    /// Adds a layer file in `role` to the open project (the file is read, never changed) and
    /// reloads the project; the project file itself changes only when saved.
    pub fn add_layer(&mut self, path: &Path, role: covplan_core::project::Role) {
        let Some(doc) = &self.doc else { return };
        if !path.exists() {
            self.messages.push(format!("{}: no such file", path.display()));
            return;
        }
        let mut file = doc.project.file.clone();
        let stem = path.file_stem().map(|s| s.to_string_lossy().to_string()).unwrap_or_else(|| "layer".into());
        let mut name = stem.clone();
        let mut k = 2;
        while file.layers.iter().any(|l| l.name == name) {
            name = format!("{stem} {k}");
            k += 1;
        }
        let abs = std::fs::canonicalize(path).unwrap_or_else(|_| path.to_path_buf());
        file.layers.push(covplan_core::project::LayerSpec::new(&name, role, &abs.display().to_string()));
        file.scenario = self.history.current();
        let project_path = doc.project.path.clone();
        self.start_open_file(project_path, file);
    }

    /// Starts loading an edited project file (a layer added) in place of the open one.
    pub fn start_open_file(&mut self, path: PathBuf, file: covplan_core::project::ProjectFile) {
        self.start("Loading project", move |p| {
            p.set(0.05, "reading layers");
            let project = Project::from_file(&path, file).map_err(|e| e.to_string())?;
            let scene = Scene::of_project(&project);
            let profile = document::default_profile(&project);
            Ok(JobOutput::Opened(Box::new(Document { project: Arc::new(project), profile, computed: None, scene, grid: None })))
        });
    }

    /// Starts re-analysing the open project with profile `id`.
    pub fn set_profile(&mut self, id: &str) {
        let Some(doc) = &self.doc else { return };
        let (project, scene, id) = (doc.project.clone(), doc.scene.clone(), id.to_string());
        self.start("Analysing", move |p| {
            let computed = document::analyse(&project, &id, p)?;
            Ok(JobOutput::Analysed { project, scene: Box::new(scene), profile: id, computed })
        });
    }

    /// Applies scenario `spec` (the whole edit state) and re-analyses in the background.
    pub fn apply_scenario(&mut self, spec: ScenarioSpec) {
        recovery::after_edit(self, &spec);
        let Some(doc) = &self.doc else { return };
        let (project, scene, profile) = (doc.project.clone(), doc.scene.clone(), doc.profile.clone());
        let before = doc.computed.clone();
        self.start("Recomputing", move |p| {
            p.set(0.1, "scenario");
            let (np, ns) = document::with_scenario(&project, &scene, &spec);
            let computed = match &before {
                Some(b) => document::analyse_after_edit(&project, b, &np, &profile, p)?,
                None => document::analyse(&np, &profile, p)?,
            };
            Ok(JobOutput::Analysed { project: Arc::new(np), scene: Box::new(ns), profile, computed })
        });
    }

    /// Starts background work labelled `label` (the status bar shows it), replacing any under way.
    pub fn start_job(&mut self, label: &'static str, work: impl FnOnce(&worker::Progress) -> Result<JobOutput, String> + Send + 'static) {
        self.start(label, work);
    }

    fn start(&mut self, label: &'static str, work: impl FnOnce(&worker::Progress) -> Result<JobOutput, String> + Send + 'static) {
        if let Some(j) = self.job.take() {
            j.cancel();
        }
        self.job = Some(Job::spawn(label, self.ctx.clone(), work));
    }

    /// Whether background work is under way.
    pub fn busy(&self) -> bool {
        self.job.is_some()
    }

    /// Takes a finished job's result into the app.
    pub fn poll_job(&mut self) {
        let Some(job) = &self.job else { return };
        let Some(result) = job.poll() else { return };
        let label = job.label;
        let secs = job.elapsed();
        self.job = None;
        match result {
            Err(()) => self.messages.push(format!("{}: the background work stopped unexpectedly", self.lang.tr(label))),
            Ok(Err(e)) => self.messages.push(e),
            Ok(Ok(JobOutput::Opened(doc))) => {
                for w in doc.project.summaries.iter().flat_map(|s| s.warnings.iter()) {
                    self.messages.push(w.clone());
                }
                self.messages.extend(doc.project.warnings.iter().map(|w| w.to_string()));
                let path = doc.project.path.clone();
                self.recent.retain(|p| p != &path);
                self.recent.insert(0, path);
                self.recent.truncate(8);
                recent::save(self.recent_file.as_deref(), &self.recent);
                self.history = History::new(doc.project.file.scenario.clone());
                recovery::after_open(self, &doc.project.path, &doc.project.file);
                self.view = doc.scene.extent().map(|e| View::fit(e, self.view.map_or([1000.0, 700.0], |v| v.size)));
                self.selected = None;
                let profile = doc.profile.clone();
                self.doc = Some(*doc);
                self.target = None;
                self.status = format!("{} ({secs:.1} s)", self.lang.tr("Ready"));
                self.set_profile(&profile);
            }
            Ok(Ok(JobOutput::Compared(view))) => {
                self.status = format!("{} ({secs:.1} s)", self.lang.tr("Comparison ready"));
                self.panels.measure.result = Some(Arc::new(*view));
                self.panels.tab = panels::Tab::Measurements;
            }
            Ok(Ok(JobOutput::Planned(plan))) => {
                self.status = format!("{} ({secs:.1} s)", self.lang.tr("Plan ready"));
                self.panels.plan.result = Some(Arc::new(*plan));
                self.panels.tab = panels::Tab::Plan;
            }
            Ok(Ok(JobOutput::Analysed { project, scene, profile, computed })) => {
                self.messages.extend(project.scenario_warnings.iter().map(|w| w.to_string()));
                let keep_target = self.doc.as_ref().is_some_and(|d| d.profile == profile && d.computed.is_some());
                let ms = computed.ms;
                // A selected sector or access point may have been renumbered by the edit: keep it by name.
                match (self.selected, &self.doc) {
                    (Some(Item::Sector(i)), Some(old)) => {
                        let cell = old.project.data.sectors.get(i).map(|s| s.cell.clone());
                        self.selected = cell.and_then(|c| project.data.sectors.iter().position(|s| s.cell == c)).map(Item::Sector);
                    }
                    (Some(Item::AccessPoint(i)), Some(old)) => {
                        let id = old.project.data.access_points.get(i).map(|a| a.id.clone());
                        self.selected = id.and_then(|c| project.data.access_points.iter().position(|a| a.id == c)).map(Item::AccessPoint);
                    }
                    _ => {}
                }
                // The grid stays while the project does (a new profile); an edit makes a new project.
                let grid = self.doc.as_ref().filter(|d| Arc::ptr_eq(&d.project, &project)).and_then(|d| d.grid.clone());
                // Until the edited project's grid is computed, the map keeps showing the old one.
                let mut scene = *scene;
                scene.grid = self.doc.as_ref().and_then(|d| d.scene.grid.clone());
                self.doc = Some(Document { project, profile, computed: Some(computed), scene, grid });
                if keep_target {
                    self.set_target(self.target);
                } else {
                    self.choose_default_target();
                }
                self.set_overlay(self.overlay);
                self.status = format!("{} ({ms:.0} ms)", self.lang.tr("Ready"));
            }
        }
    }

    /// The first target with places not met, else the first.
    fn choose_default_target(&mut self) {
        let t = self.doc.as_ref().and_then(|d| d.computed.as_ref()).and_then(|c| {
            let ts = &c.analysis.targets;
            ts.iter().position(|t| t.count(covplan_core::targets::evaluate::Verdict::NotMet) > 0).or(if ts.is_empty() { None } else { Some(0) })
        });
        self.set_target(t);
    }

    /// Styles the map by target `t`'s verdicts (or plainly).
    pub fn set_target(&mut self, t: Option<usize>) {
        let Some(doc) = &mut self.doc else { return };
        let Some(c) = &doc.computed else { return };
        let t = t.filter(|&i| i < c.analysis.targets.len());
        self.target = t;
        doc.scene.theme = t.map(|i| Arc::new(VerdictTheme::of(&c.analysis.targets[i])));
    }

    /// Shows coverage overlay `kind`: on the buildings, or the coverage grid (computed in the
    /// background when first shown for the project).
    pub fn set_overlay(&mut self, kind: document::OverlayKind) {
        self.overlay = kind;
        let Some(doc) = &mut self.doc else { return };
        doc.scene.overlay = doc.computed.as_ref().and_then(|c| document::overlay(kind, &doc.project, &c.coverage)).map(Arc::new);
        grid::refresh(self);
    }

    /// Selects a feature (or nothing) and shows it in the inspector.
    pub fn select(&mut self, item: Option<Item>) {
        self.selected = item;
        if item.is_some() {
            self.panels.tab = panels::Tab::Inspector;
        }
    }

    /// Zooms the view to frame bounds (with a margin), e.g. a gap or a layer.
    pub fn zoom_to(&mut self, b: covplan_core::render::Bounds, min_span_m: f64) {
        let size = self.view.map_or([1000.0, 700.0], |v| v.size);
        let (cx, cy) = ((b[0] + b[2]) / 2.0, (b[1] + b[3]) / 2.0);
        let hw = ((b[2] - b[0]) / 2.0).max(min_span_m / 2.0);
        let hh = ((b[3] - b[1]) / 2.0).max(min_span_m / 2.0);
        self.view = Some(View::fit([cx - hw, cy - hh, cx + hw, cy + hh], size));
    }

    /// Bounds of an item on the map.
    pub fn item_bounds(&self, item: Item) -> Option<covplan_core::render::Bounds> {
        let doc = self.doc.as_ref()?;
        doc.scene.layers.iter().find_map(|l| l.geometry.feature_of(item).map(|i| l.geometry.bounds[i]))
    }

    /// Draws the whole window into `ui` (eframe calls it every frame; tests call it directly).
    pub fn show(&mut self, ui: &mut egui::Ui) {
        let ctx = ui.ctx().clone();
        self.setup(&ctx);
        self.poll_job();
        grid::poll(self);
        self.handle_dropped_files(&ctx);
        self.handle_shortcuts(&ctx);
        menus::menu_bar(self, ui);
        panels::status_bar(self, ui);
        panels::left_panel(self, ui);
        panels::right_panel(self, ui);
        panels::windows(self, &ctx);
        egui::CentralPanel::no_frame().show(ui, |ui| self.show_map(ui));
        if self.job.is_some() || self.grid_job.is_some() {
            ctx.request_repaint_after(std::time::Duration::from_millis(100));
        }
    }

    fn show_map(&mut self, ui: &mut egui::Ui) {
        let Some(doc) = &self.doc else {
            ui.centered_and_justified(|ui| ui.label(self.lang.tr("No project loaded.")));
            return;
        };
        let mut view = self.view.unwrap_or_else(|| View::fit(doc.scene.extent().unwrap_or([0.0, 0.0, 1000.0, 1000.0]), [1000.0, 700.0]));
        let ev = map::show(ui, &doc.scene, &mut view, &doc.project, self.selected, &mut self.map_cache, self.lang);
        // A cable edit under way: its points, and its line on to the cursor.
        let (points, line) = edit::sketch(self);
        if let Some(rect) = self.map_cache.rect.filter(|_| !points.is_empty() || !line.is_empty()) {
            let on_screen = |[lon, lat]: [f64; 2]| {
                let (x, y) = doc.project.frame.forward(lon, lat);
                let s = view.to_screen(x, y);
                rect.min + egui::vec2(s[0] as f32, s[1] as f32)
            };
            let painter = ui.painter_at(rect);
            let colour = egui::Color32::from_rgb(230, 60, 160);
            for &p in &points {
                painter.circle_filled(on_screen(p), 3.5, colour);
            }
            let cursor = ui.input(|i| i.pointer.hover_pos()).filter(|p| rect.contains(*p));
            let line: Vec<egui::Pos2> = line
                .iter()
                .filter_map(|p| match *p {
                    edit::SketchPoint::At(ll) => Some(on_screen(ll)),
                    edit::SketchPoint::Cursor => cursor,
                })
                .collect();
            painter.add(egui::Shape::line(line, egui::Stroke::new(2.0, colour)));
        }
        if let (Some(plan), Some(rect)) = (self.panels.plan.result.as_ref().filter(|_| !self.panels.plan.hide_on_map), self.map_cache.rect) {
            plan_tab::draw(&ui.painter_at(rect), rect, &view, &plan.marks);
        }
        if let (Some(m), Some(rect)) = (self.panels.measure.result.as_ref(), self.map_cache.rect) {
            measure_tab::draw(&ui.painter_at(rect), rect, &view, &m.rings);
        }
        self.view = Some(view);
        self.cursor = ev.hover_at;
        if !self.first_map_logged {
            // For docs/PERFORMANCE.md: launch to the first frame with the analysed map.
            eprintln!("covplan: first map frame {:.0} ms after launch", self.launched.elapsed().as_secs_f64() * 1e3);
            self.first_map_logged = true;
        }
        if let Some(at) = ev.clicked_at
            && edit::place_pending(self, at)
        {
            return;
        }
        if let Some(hit) = ev.clicked {
            self.select(hit.map(|(_, item)| item));
        }
    }

    fn handle_shortcuts(&mut self, ctx: &egui::Context) {
        let (undo, redo) = ctx.input_mut(|i| {
            let undo = i.consume_key(egui::Modifiers::COMMAND, egui::Key::Z);
            let redo = i.consume_key(egui::Modifiers::COMMAND, egui::Key::Y) || i.consume_key(egui::Modifiers::COMMAND | egui::Modifiers::SHIFT, egui::Key::Z);
            (undo, redo)
        });
        // Enter ends a cable being drawn, Escape drops whatever click the editor waits for.
        let (enter, escape) = ctx.input(|i| (i.key_pressed(egui::Key::Enter), i.key_pressed(egui::Key::Escape)));
        if enter && matches!(self.panels.pending, Some(edit::Pending::AddCable(_))) {
            edit::finish_cable(self);
        }
        if escape {
            self.panels.pending = None;
        }
        if undo {
            self.undo();
        }
        if redo {
            self.redo();
        }
    }

    /// Undoes the last scenario edit.
    pub fn undo(&mut self) {
        if let Some(spec) = self.history.undo() {
            self.apply_scenario(spec);
        }
    }

    /// Redoes an undone scenario edit.
    pub fn redo(&mut self) {
        if let Some(spec) = self.history.redo() {
            self.apply_scenario(spec);
        }
    }

    fn handle_dropped_files(&mut self, ctx: &egui::Context) {
        let dropped: Vec<PathBuf> = ctx.input(|i| i.raw.dropped_files.iter().map(|f| f.path().to_path_buf()).filter(|p| !p.as_os_str().is_empty()).collect());
        for path in dropped {
            if path.extension().is_some_and(|e| e.eq_ignore_ascii_case("toml")) {
                self.open(&path);
            } else {
                self.panels.add_layer_dialog(&path);
            }
        }
    }

    /// Saves the project file (with its scenario and profile) atomically to `path`.
    pub fn save_to(&mut self, path: &Path) {
        let Some(doc) = &self.doc else { return };
        let old_project = doc.project.path.clone();
        let mut file = doc.project.file.clone();
        file.analysis.profile = Some(doc.profile.clone());
        file.scenario = self.history.current();
        // Layer paths stay valid when saving elsewhere: rebase relative paths on the new folder.
        let (old_dir, new_dir) =
            (doc.project.path.parent().map(Path::to_path_buf).unwrap_or_default(), path.parent().map(Path::to_path_buf).unwrap_or_default());
        if old_dir != new_dir {
            for l in &mut file.layers {
                let p = Path::new(&l.path);
                if p.is_relative() {
                    l.path = old_dir.join(p).display().to_string();
                }
            }
        }
        match file.save(path) {
            Ok(()) => {
                self.status = format!("{}: {}", self.lang.tr("Project saved"), path.display());
                recovery::after_save(self, &old_project, path, &file.scenario);
            }
            Err(e) => self.messages.push(format!("{}: cannot save: {e}", path.display())),
        }
    }
}

impl eframe::App for CovplanApp {
    fn ui(&mut self, ui: &mut egui::Ui, _frame: &mut eframe::Frame) {
        self.show(ui);
    }
}

/// Opens the window on `project` (the sample county by default) and runs until it is closed.
pub fn run(project: Option<PathBuf>) -> eframe::Result {
    let options = eframe::NativeOptions {
        viewport: egui::ViewportBuilder::default().with_inner_size([1280.0, 800.0]).with_title("covplan").with_drag_and_drop(true),
        ..Default::default()
    };
    let path = project.unwrap_or_else(covplan_core::sample::sample_project_path);
    eframe::run_native(
        "covplan",
        options,
        Box::new(move |cc| {
            let mut app = CovplanApp::new(Lang::system());
            app.setup(&cc.egui_ctx);
            app.open(&path);
            Ok(Box::new(app))
        }),
    )
}
