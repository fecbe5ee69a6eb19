//! The desktop app, headless (egui_kittest): opens the sample county, layers toggle, targets
//! restyle the map and list gaps, clicking a village shows its evidence, a what-if sector and
//! its undo, language switch, and a snapshot of the main window.

use covplan_app::i18n::Lang;
use covplan_app::{CovplanApp, edit::Pending};
use covplan_core::render::{Item, View};
use covplan_core::targets::evaluate::Verdict;
use eframe::egui;
use egui_kittest::kittest::Queryable;
use egui_kittest::{Harness, SnapshotOptions};
use std::sync::Arc;
use std::time::{Duration, Instant};

fn harness() -> Harness<'static, CovplanApp> {
    let app = CovplanApp::headless(Lang::En);
    Harness::builder().with_size([1280.0, 800.0]).with_context_setup(covplan_app::fonts::install).build_ui_state(|ui, app: &mut CovplanApp| app.show(ui), app)
}

/// Steps the UI until background work is done.
fn settle(h: &mut Harness<'_, CovplanApp>) {
    let t = Instant::now();
    loop {
        h.step();
        if !h.state().busy() {
            break;
        }
        assert!(t.elapsed() < Duration::from_secs(300), "background work did not finish");
        std::thread::sleep(Duration::from_millis(20));
    }
    h.run_steps(3);
}

/// Verdicts as (target, place, state, evidence).
type Verdicts = Vec<(String, String, Verdict, std::sync::Arc<str>)>;

/// Every verdict of the open analysis.
fn verdicts(app: &CovplanApp) -> Verdicts {
    let a = &app.doc.as_ref().unwrap().computed.as_ref().unwrap().analysis;
    a.targets
        .iter()
        .flat_map(|t| t.places.iter().map(move |p| (t.target.id.clone(), format!("{:?}", p.place), p.outcome.state, p.outcome.evidence.clone())))
        .collect()
}

fn click_map_at(h: &mut Harness<'_, CovplanApp>, frame_xy: [f64; 2]) {
    let rect = h.state().map_cache.rect.expect("the map was drawn");
    let view = h.state().view.unwrap();
    let s = view.to_screen(frame_xy[0], frame_xy[1]);
    let pos = rect.min + egui::vec2(s[0] as f32, s[1] as f32);
    for pressed in [true, false] {
        h.event(egui::Event::PointerMoved(pos));
        h.event(egui::Event::PointerButton { pos, button: egui::PointerButton::Primary, pressed, modifiers: Default::default() });
        h.step();
    }
}

fn centre_on(h: &mut Harness<'_, CovplanApp>, xy: [f64; 2], m_per_px: f64) {
    let size = h.state().view.unwrap().size;
    h.state_mut().view = Some(View { center: xy, m_per_px, size });
    h.run_steps(2);
}

#[test]
fn the_app_opens_the_sample_county_and_a_planner_can_work_in_it() {
    let mut h = harness();
    h.state_mut().open(&covplan_core::sample::sample_project_path());
    settle(&mut h);
    assert!(h.state().messages.iter().all(|m| !m.contains("error")), "{:?}", h.state().messages);
    let doc = h.state().doc.as_ref().expect("the sample county is open");
    assert_eq!(doc.scene.layers.len(), 13, "every vector layer of the sample is on the map");
    assert_eq!(doc.profile, "zhaoqing-2020");
    h.get_by_label("zq.village20_fiber");

    // Toggling a layer: the top one (路测) is hidden by its checkbox.
    let top = doc.scene.layers.len() - 1;
    assert!(h.state().doc.as_ref().unwrap().scene.layers[top].style.visible);
    h.get_all_by_role(egui::accesskit::Role::CheckBox).next().expect("layer checkboxes").click();
    h.run_steps(2);
    assert!(!h.state().doc.as_ref().unwrap().scene.layers[top].style.visible, "the checkbox hides the layer");

    // Choosing a target restyles the map by its verdicts and lists its gaps.
    h.get_by_label("zq.village20_fiber").click();
    h.run_steps(2);
    let app = h.state();
    let ti = app.target.expect("a target is chosen");
    let doc = app.doc.as_ref().unwrap();
    assert_eq!(doc.computed.as_ref().unwrap().analysis.targets[ti].target.id, "zq.village20_fiber");
    let theme = doc.scene.theme.as_ref().expect("the map is styled by verdict");
    assert_eq!(theme.target, "zq.village20_fiber");
    let not_met = doc.computed.as_ref().unwrap().analysis.targets[ti].count(Verdict::NotMet);
    assert_eq!(theme.states.values().filter(|s| **s == Verdict::NotMet).count(), not_met);
    let first_gap = doc.computed.as_ref().unwrap().gaps.iter().find(|g| g.target == "zq.village20_fiber").unwrap().clone();
    assert!(h.query_by_label_contains(&first_gap.name).is_some(), "the gap list shows the largest gap");

    // The capability overlay colours every building with households, its legend counting them.
    h.state_mut().set_overlay(covplan_app::document::OverlayKind::Capability);
    let doc = h.state().doc.as_ref().unwrap();
    let o = doc.scene.overlay.as_ref().expect("an overlay");
    let homes = doc.project.data.buildings.iter().filter(|b| b.households > 0.0).count();
    assert_eq!(o.colors.len(), homes);
    assert_eq!(o.legend.iter().map(|l| l.2).sum::<usize>(), homes);
    h.state_mut().set_overlay(covplan_app::document::OverlayKind::None);
    let doc = h.state().doc.as_ref().unwrap();
    assert!(doc.scene.overlay.is_none());

    // Clicking a failing village shows its evidence in the inspector.
    let covplan_core::targets::places::PlaceRef::Village(v) = first_gap.place else { panic!("a village gap") };
    let layer = doc.scene.layers.iter().find(|l| l.geometry.feature_of(Item::Village(v)).is_some()).unwrap();
    let at = layer.geometry.anchors[layer.geometry.feature_of(Item::Village(v)).unwrap()];
    centre_on(&mut h, at, 2.0);
    click_map_at(&mut h, at);
    h.run_steps(2);
    assert_eq!(h.state().selected, Some(Item::Village(v)));
    let evidence: String = first_gap.evidence.chars().take(30).collect();
    assert!(h.query_by_label_contains(&evidence).is_some(), "the inspector shows '{}'", first_gap.evidence);

    // A new sector beside a village without 4G, then undo: the verdicts come back exactly.
    let before = verdicts(h.state());
    let doc = h.state().doc.as_ref().unwrap();
    let t4g = doc.computed.as_ref().unwrap().analysis.targets.iter().position(|t| t.target.id == "zq.village_4g").unwrap();
    let no4g = doc.computed.as_ref().unwrap().analysis.targets[t4g].places.iter().find(|p| p.outcome.state == Verdict::NotMet).unwrap().place;
    let covplan_core::targets::places::PlaceRef::Village(w) = no4g else { panic!("a village") };
    let l = doc.scene.layers.iter().find(|l| l.geometry.feature_of(Item::Village(w)).is_some()).unwrap();
    let spot = l.geometry.anchors[l.geometry.feature_of(Item::Village(w)).unwrap()];
    let sectors_before = doc.project.data.sectors.len();
    centre_on(&mut h, spot, 2.0);
    h.state_mut().panels.pending = Some(Pending::Add);
    click_map_at(&mut h, [spot[0] + 30.0, spot[1]]);
    settle(&mut h);
    let doc = h.state().doc.as_ref().unwrap();
    assert_eq!(doc.project.data.sectors.len(), sectors_before + 1, "{:?}", h.state().messages);
    assert_eq!(doc.project.file.scenario.sectors.len(), 1, "the edit is a scenario, not a change to the layer files");
    let after = doc.computed.as_ref().unwrap().analysis.targets[t4g].places.iter().find(|p| p.place == no4g).unwrap();
    assert_eq!(after.outcome.state, Verdict::Met, "the new sector brings 4G: {}", after.outcome.evidence);
    h.key_press_modifiers(egui::Modifiers::COMMAND, egui::Key::Z);
    settle(&mut h);
    assert_eq!(h.state().doc.as_ref().unwrap().project.data.sectors.len(), sectors_before);
    assert!(verdicts(h.state()) == before, "undo restores every verdict and its evidence");
    h.key_press_modifiers(egui::Modifiers::COMMAND, egui::Key::Y);
    settle(&mut h);
    assert_eq!(h.state().doc.as_ref().unwrap().project.data.sectors.len(), sectors_before + 1, "redo");

    // Switching language changes the labels.
    assert!(h.query_by_label("Layers").is_some());
    h.state_mut().lang = Lang::Zh;
    h.run_steps(2);
    assert!(h.query_by_label("图层").is_some() && h.query_by_label("Layers").is_none());
}

#[test]
fn snapshot_of_the_main_window() {
    let mut h = harness();
    h.state_mut().open(&covplan_core::sample::sample_project_path());
    settle(&mut h);
    h.state_mut().lang = Lang::Zh;
    h.run_steps(3);
    // Fonts are rasterised the same everywhere; GPUs differ in the last bit of anti-aliasing.
    h.snapshot_options("main_window", &SnapshotOptions::new().threshold(2.0).max_failed_pixels(4000));

    // File → Print / export map writes the current view as a PDF, from the same scene.
    let out = std::env::temp_dir().join(format!("covplan-gui-export-{}.pdf", std::process::id()));
    h.state_mut().lang = Lang::En;
    h.state_mut().panels.export_open = true;
    h.state_mut().panels.export.path = out.display().to_string();
    h.run_steps(2);
    h.get_by_label("Export").click();
    let t = Instant::now();
    while !out.exists() {
        assert!(t.elapsed() < Duration::from_secs(120), "no PDF written: {:?}", h.state().messages);
        h.step();
        std::thread::sleep(Duration::from_millis(50));
    }
    let text = pdf_extract::extract_text_from_mem(&std::fs::read(&out).unwrap()).unwrap();
    assert!(text.split_whitespace().collect::<String>().contains("缺口图"), "{}", &text[..text.len().min(300)]);
    std::fs::remove_file(&out).unwrap();
}

#[test]
fn a_new_project_takes_layers_and_reports_bad_files() {
    let dir = std::env::temp_dir().join(format!("covplan-gui-new-{}", std::process::id()));
    let _ = std::fs::remove_dir_all(&dir);
    std::fs::create_dir_all(&dir).unwrap();
    let mut h = harness();
    let path = dir.join("新项目.toml");
    h.state_mut().new_project(&path);
    settle(&mut h);
    assert!(path.is_file(), "the project file is created");
    assert_eq!(h.state().doc.as_ref().expect("the new project is open").scene.layers.len(), 0);
    let villages = covplan_core::sample::sample_project_path().with_file_name("自然村.shp");
    h.state_mut().add_layer(&villages, covplan_core::project::Role::Villages);
    settle(&mut h);
    let doc = h.state().doc.as_ref().unwrap();
    assert_eq!(doc.scene.layers.len(), 1);
    assert_eq!(doc.project.data.villages.len(), 724);
    assert!(doc.computed.is_some(), "the new project is analysed");
    // A file that is not a layer: an error in the message panel, the project stays open.
    let bad = dir.join("坏.shp");
    std::fs::write(&bad, b"not a shapefile").unwrap();
    h.state_mut().add_layer(&bad, covplan_core::project::Role::Buildings);
    settle(&mut h);
    assert!(h.state().messages.iter().any(|m| m.contains("坏.shp")), "{:?}", h.state().messages);
    assert_eq!(h.state().doc.as_ref().unwrap().scene.layers.len(), 1);
    std::fs::remove_dir_all(&dir).unwrap();
}

/// The app on the sample county, its verdicts, and the first village failing the 20-household
/// fiber target: the target's index, the place and its map position.
fn open_at_first_fiber_gap() -> (Harness<'static, CovplanApp>, Verdicts, usize, covplan_core::targets::places::PlaceRef, [f64; 2]) {
    let mut h = harness();
    h.state_mut().open(&covplan_core::sample::sample_project_path());
    settle(&mut h);
    let before = verdicts(h.state());
    let doc = h.state().doc.as_ref().unwrap();
    let c = doc.computed.as_ref().unwrap();
    let ti = c.analysis.targets.iter().position(|t| t.target.id == "zq.village20_fiber").unwrap();
    let gap = c.analysis.targets[ti].places.iter().find(|p| p.outcome.state == Verdict::NotMet).unwrap().place;
    let covplan_core::targets::places::PlaceRef::Village(v) = gap else { panic!("a village") };
    let l = doc.scene.layers.iter().find(|l| l.geometry.feature_of(Item::Village(v)).is_some()).unwrap();
    let spot = l.geometry.anchors[l.geometry.feature_of(Item::Village(v)).unwrap()];
    (h, before, ti, gap, spot)
}

/// The gap's place is met after the edit, and undo brings every verdict back as it was.
fn met_then_undone(h: &mut Harness<'_, CovplanApp>, before: &Verdicts, ti: usize, gap: covplan_core::targets::places::PlaceRef, why: &str) {
    let doc = h.state().doc.as_ref().unwrap();
    let after = doc.computed.as_ref().unwrap().analysis.targets[ti].places.iter().find(|p| p.place == gap).unwrap();
    assert_eq!(after.outcome.state, Verdict::Met, "{why}: {}", after.outcome.evidence);
    h.state_mut().undo();
    settle(h);
    assert!(verdicts(h.state()) == *before, "undo restores every verdict");
}

#[test]
fn a_what_if_access_point_connects_a_village_and_undo_restores_it() {
    let (mut h, before, ti, gap, spot) = open_at_first_fiber_gap();
    let aps_before = h.state().doc.as_ref().unwrap().project.data.access_points.len();
    centre_on(&mut h, spot, 2.0);
    h.state_mut().panels.pending = Some(Pending::AddAccessPoint);
    click_map_at(&mut h, [spot[0] + 20.0, spot[1]]);
    settle(&mut h);
    let doc = h.state().doc.as_ref().unwrap();
    assert_eq!(doc.project.data.access_points.len(), aps_before + 1, "{:?}", h.state().messages);
    met_then_undone(&mut h, &before, ti, gap, "an access point 20 m away connects the village");
}

#[test]
fn a_what_if_cable_drawn_on_the_map_connects_a_village_and_undo_restores_it() {
    let (mut h, before, ti, gap, spot) = open_at_first_fiber_gap();
    let cables_before = h.state().doc.as_ref().unwrap().project.data.cables.len();
    centre_on(&mut h, spot, 2.0);
    // Edit → Add cable, three clicks across the village, Enter.
    h.state_mut().panels.pending = Some(Pending::AddCable(Vec::new()));
    for dx in [-200.0, 0.0, 200.0] {
        click_map_at(&mut h, [spot[0] + dx, spot[1] + 10.0]);
    }
    assert!(matches!(&h.state().panels.pending, Some(Pending::AddCable(r)) if r.len() == 3), "three points drawn");
    h.key_press(egui::Key::Enter);
    h.step();
    settle(&mut h);
    let doc = h.state().doc.as_ref().unwrap();
    assert_eq!(doc.project.data.cables.len(), cables_before + 1, "{:?}", h.state().messages);
    assert_eq!(doc.project.file.scenario.cables.len(), 1);
    assert!(doc.scene.layers.iter().any(|l| l.geometry.name == "scenario" && l.geometry.role == Some(covplan_core::project::Role::Fiber)));
    met_then_undone(&mut h, &before, ti, gap, "a cable through the village connects it");
}

#[test]
fn a_cable_point_moved_onto_a_village_connects_it_and_undo_restores_it() {
    let (mut h, before, ti, gap, spot) = open_at_first_fiber_gap();
    // The nearest cable of one part, and its point nearest the village.
    let (id, vertex) = {
        let p = &h.state().doc.as_ref().unwrap().project;
        let c = p
            .data
            .cables
            .iter()
            .filter(|c| c.route.0.len() == 1)
            .min_by(|a, b| {
                let d = |c: &covplan_core::model::FiberCable| {
                    c.route.0[0].0.iter().map(|q| p.frame.forward(q.x, q.y)).map(|(x, y)| (x - spot[0]).hypot(y - spot[1])).fold(f64::INFINITY, f64::min)
                };
                d(a).total_cmp(&d(b))
            })
            .unwrap();
        let v = c.route.0[0]
            .0
            .iter()
            .map(|q| p.frame.forward(q.x, q.y))
            .min_by(|a, b| (a.0 - spot[0]).hypot(a.1 - spot[1]).total_cmp(&(b.0 - spot[0]).hypot(b.1 - spot[1])))
            .unwrap();
        (c.id.clone(), [v.0, v.1])
    };
    let index = h.state().doc.as_ref().unwrap().project.data.cables.iter().position(|c| c.id == id).unwrap();
    h.state_mut().select(Some(Item::Cable(index)));
    h.run_steps(2);
    h.get_by_label("Move a point").click();
    h.run_steps(2);
    assert_eq!(h.state().panels.pending, Some(Pending::PickCablePoint(id.clone())));
    centre_on(&mut h, vertex, 2.0);
    click_map_at(&mut h, [vertex[0] + 3.0, vertex[1]]);
    assert!(matches!(&h.state().panels.pending, Some(Pending::MoveCablePoint(c, _)) if *c == id), "{:?}", h.state().panels.pending);
    centre_on(&mut h, spot, 2.0);
    click_map_at(&mut h, spot);
    settle(&mut h);
    let doc = h.state().doc.as_ref().unwrap();
    let moved = doc.project.file.scenario.cables.iter().find(|c| c.id == id).expect("the edited cable is in the scenario");
    assert!(moved.route.iter().any(|p| {
        let (x, y) = doc.project.frame.forward(p[0], p[1]);
        (x - spot[0]).hypot(y - spot[1]) < 5.0
    }));
    assert!(doc.project.file.scenario.removed_cables.contains(&id), "the layer's cable is replaced, not changed");
    met_then_undone(&mut h, &before, ti, gap, "a cable point on the village connects it");
}

#[test]
fn the_coverage_grid_is_computed_in_the_background_and_drawn_with_its_legend() {
    use covplan_app::document::OverlayKind;
    let mut h = harness();
    h.state_mut().open(&covplan_core::sample::sample_project_path());
    settle(&mut h);
    h.state_mut().set_overlay(OverlayKind::GridRsrp);
    assert!(h.state().grid_job.is_some(), "choosing a grid overlay starts computing the grid");
    let t = Instant::now();
    while h.state().grid_job.is_some() {
        h.step();
        assert!(t.elapsed() < Duration::from_secs(300), "the grid did not finish");
        std::thread::sleep(Duration::from_millis(20));
    }
    h.run_steps(2);
    let doc = h.state().doc.as_ref().unwrap();
    let g = doc.grid.clone().expect("the grid arrived");
    let img = doc.scene.grid.clone().expect("the map draws the grid");
    assert_eq!(img.size, [g.nx, g.ny]);
    // The legend's areas add up to the county's area inside its townships (about 1 260 km²).
    let km2: f64 = img.legend.iter().map(|l| l.2).sum();
    assert!((1_150.0..1_350.0).contains(&km2), "{km2}");
    // The status bar reads the cell under the pointer: the county's centre has a signal.
    let [x0, y0, x1, y1] = img.bounds;
    centre_on(&mut h, [(x0 + x1) / 2.0, (y0 + y1) / 2.0], 60.0);
    let rect = h.state().map_cache.rect.unwrap();
    h.event(egui::Event::PointerMoved(rect.center()));
    h.run_steps(2);
    h.get_by_label_contains(&format!("{}: RSRP", img.layer));
    // Another operator and quantity: a new picture, and no new computation.
    h.state_mut().grid_layer = 2;
    h.state_mut().set_overlay(OverlayKind::GridBestServer);
    assert!(h.state().grid_job.is_none());
    let servers = h.state().doc.as_ref().unwrap().scene.grid.clone().unwrap();
    assert!(
        servers.layer != img.layer && matches!(servers.legend[0].0, covplan_core::render::grid_image::GridClass::Servers(n) if n > 0),
        "{:?}",
        servers.legend
    );
    h.run_steps(2);
    // An edit (a sector removed): the old picture stays while the edited project's grid is
    // computed, then the new grid replaces it.
    let cell = h.state().doc.as_ref().unwrap().project.data.sectors[0].cell.clone();
    let spec = h.state_mut().history.push(covplan_core::project::ScenarioSpec { removed: vec![cell], ..Default::default() });
    h.state_mut().apply_scenario(spec);
    settle(&mut h);
    assert!(h.state().doc.as_ref().unwrap().scene.grid.is_some(), "the old grid stays on the map meanwhile");
    let t = Instant::now();
    while h.state().grid_job.is_some() {
        h.step();
        assert!(t.elapsed() < Duration::from_secs(300), "the grid did not finish");
        std::thread::sleep(Duration::from_millis(20));
    }
    let edited = h.state().doc.as_ref().unwrap().grid.clone().expect("the edited project's grid");
    let sectors = h.state().doc.as_ref().unwrap().project.data.sectors.len();
    assert!(!Arc::ptr_eq(&edited, &g));
    assert!(edited.layers.iter().flat_map(|l| &l.sector).all(|&s| s == u32::MAX || (s as usize) < sectors), "servers are the edited project's sectors");
    // Back to the verdicts: no grid drawn.
    h.state_mut().set_overlay(OverlayKind::None);
    assert!(h.state().doc.as_ref().unwrap().scene.grid.is_none());
}

#[test]
fn the_plan_tab_plans_accepts_into_the_scenario_and_undo_takes_it_back() {
    let (mut h, before, ti, gap, _) = open_at_first_fiber_gap();
    let not_met = |app: &CovplanApp| {
        let a = &app.doc.as_ref().unwrap().computed.as_ref().unwrap().analysis;
        a.targets.iter().map(|t| t.count(Verdict::NotMet)).sum::<usize>()
    };
    let gaps_before = not_met(h.state());
    h.get_by_label("Plan").click();
    h.run_steps(2);
    h.get_by_label("Make plan").click();
    settle(&mut h);
    let plan = h.state().panels.plan.result.clone().expect("a plan");
    assert!(!plan.works.is_empty() && plan.gaps.1.households < plan.gaps.0.households, "{:?}", h.state().messages);
    // The plan is drawn: the map shows its marks, and the works list its rows.
    assert!(!plan.marks.lines.is_empty() && !plan.marks.points.is_empty());
    h.get_by_label("Accept all").click();
    settle(&mut h);
    let doc = h.state().doc.as_ref().unwrap();
    assert!(doc.project.data.cables.iter().any(|c| c.id.starts_with("PLAN-F")), "the routes joined the scenario");
    assert!(not_met(h.state()) < gaps_before, "fewer places fail once the plan is accepted");
    met_then_undone(&mut h, &before, ti, gap, "the accepted plan connects the first unconnected village");
}

/// Edits are autosaved as they are made; a new start offers them back, Recover restores them
/// (verdicts as before the stop), and a save removes the autosave.
#[test]
fn unsaved_edits_are_autosaved_and_recovered_at_the_next_start() {
    let dir = std::env::temp_dir().join(format!("covplan-gui-recovery-{}", std::process::id()));
    let _ = std::fs::remove_dir_all(&dir);
    std::fs::create_dir_all(&dir).unwrap();
    let sample = covplan_core::sample::sample_project_path();
    let mut file = covplan_core::project::ProjectFile::load(&sample).unwrap();
    for l in &mut file.layers {
        l.path = sample.parent().unwrap().join(&l.path).display().to_string();
    }
    let project = dir.join("项目.toml");
    file.save(&project).unwrap();
    let autosave = covplan_core::project::autosave::path_for(&project);
    let start = || {
        let mut h = harness();
        h.state_mut().recovery.enabled = true;
        h.state_mut().open(&project);
        settle(&mut h);
        h
    };
    // Two edits: a new cable out of the county seat, then an access point removed.
    let mut h = start();
    assert!(h.state().recovery.offer.is_none());
    let doc = h.state().doc.as_ref().unwrap();
    let ap = doc.project.data.access_points[0].id.clone();
    let mut spec = h.state().history.current();
    spec.cables.push(covplan_core::project::ScenarioCable { id: "新增光缆-1".into(), route: vec![[112.70, 23.35], [112.75, 23.40]] });
    let spec = h.state_mut().history.push(spec);
    h.state_mut().apply_scenario(spec);
    settle(&mut h);
    let mut spec = h.state().history.current();
    spec.removed_access_points.push(ap);
    let spec = h.state_mut().history.push(spec);
    h.state_mut().apply_scenario(spec.clone());
    settle(&mut h);
    assert!(autosave.is_file(), "the edits are on disk as soon as they are made");
    let edited = verdicts(h.state());
    drop(h); // the app stops without saving

    let mut h = start();
    assert!(h.state().recovery.offer.is_some(), "the next start offers the edits");
    h.get_by_label("Recover").click();
    h.run_steps(2);
    settle(&mut h);
    assert_eq!(h.state().history.current(), spec, "the scenario is restored exactly");
    assert!(verdicts(h.state()) == edited, "the verdicts are those before the stop");
    // Recovering is one edit: undo takes it back.
    h.state_mut().undo();
    settle(&mut h);
    assert_eq!(h.state().history.current(), file.scenario);
    h.state_mut().redo();
    settle(&mut h);
    h.state_mut().save_to(&project);
    assert!(!autosave.exists(), "a save removes the autosave");
    assert_eq!(covplan_core::project::ProjectFile::load(&project).unwrap().scenario, spec);
    drop(h);
    let h = start();
    assert!(h.state().recovery.offer.is_none(), "nothing to recover after a save");
    std::fs::remove_dir_all(&dir).unwrap();
}

/// The Measurements tab compares the sample's drive test with the model: statistics before and
/// after calibration, and the villages whose 4G verdict the tests challenge, also listed under
/// the target's gaps.
#[test]
fn the_measurements_tab_compares_calibrates_and_lists_challenged_villages() {
    let mut h = harness();
    h.state_mut().open(&covplan_core::sample::sample_project_path());
    settle(&mut h);
    h.get_by_label("Measurements").click();
    h.run_steps(2);
    h.get_by_label("Compare").click();
    settle(&mut h);
    let view = h.state().panels.measure.result.clone().expect("a comparison");
    let doc = h.state().doc.as_ref().unwrap();
    assert_eq!(view.comparison.before.len(), doc.project.data.measurements.len());
    assert!(view.comparison.fits.iter().all(|f| f.applied), "{:?}", view.comparison.fits);
    assert!(!view.challenges.is_empty() && view.rings.len() == view.challenges.len());
    assert!(view.challenges.iter().all(|c| c.target == "zq.village_4g"));
    // The gap list of the 4G target shows them too.
    h.get_by_label("Targets").click();
    h.run_steps(2);
    h.get_by_label("zq.village_4g").click();
    h.run_steps(3);
    let first = &view.challenges[0];
    h.get_by_label(&format!("{:>5.0} households  {} · {}", first.households, first.name, first.kind.label()));
}
