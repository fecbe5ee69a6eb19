//! What-if editing: the sector, access-point and cable editors, and placing and moving them by
//! clicking the map. The undo/redo history is in `history`.

use super::CovplanApp;
use covplan_core::model::Tech;
use covplan_core::project::{ScenarioAccessPoint, ScenarioCable, ScenarioSector, ScenarioSpec};
use covplan_core::render::Item;
use eframe::egui;

/// A click on the map the editor waits for.
#[derive(Debug, Clone, PartialEq)]
pub enum Pending {
    /// Place a new sector here.
    Add,
    /// Move the sector with this cell name here.
    Move(String),
    /// Place a new access point here.
    AddAccessPoint,
    /// Move the access point with this id here.
    MoveAccessPoint(String),
    /// Draw a new cable: each click adds a point (WGS84 [lon, lat]) until it is finished.
    AddCable(Vec<[f64; 2]>),
    /// Pick the point of the cable with this id that is to move (the nearest to the click).
    PickCablePoint(String),
    /// Move point `1` of the cable with id `0` here.
    MoveCablePoint(String, usize),
}

impl Pending {
    /// What the status bar tells the user to do.
    pub fn prompt(&self) -> &'static str {
        match self {
            Pending::Add => "Click on the map to place the new sector.",
            Pending::Move(_) => "Click on the map to move the sector here.",
            Pending::AddAccessPoint => "Click on the map to place the new access point.",
            Pending::MoveAccessPoint(_) => "Click on the map to move the access point here.",
            Pending::AddCable(_) => "Click on the map to add the cable's points, then Finish (Enter).",
            Pending::PickCablePoint(_) => "Click the cable point to move.",
            Pending::MoveCablePoint(..) => "Click on the map to move the point here.",
        }
    }
}

/// Replaces the scenario object `id` in `added` by `new` (or drops it when `None`); a layer
/// object of that id is listed in `removed`, so edits of layer objects are a removal and an
/// addition and the layer files stay as they are.
fn replace_in<T>(added: &mut Vec<T>, removed: &mut Vec<String>, layer_ids: &[String], id: &str, new: Option<T>, key: impl Fn(&T) -> &str) {
    added.retain(|t| key(t) != id);
    if layer_ids.iter().any(|c| c == id) && !removed.iter().any(|c| c == id) {
        removed.push(id.to_string());
    }
    added.extend(new);
}

/// `spec` with sector `cell` replaced by `new` (or removed when `None`).
pub fn replace_sector(spec: &ScenarioSpec, layer_cells: &[String], cell: &str, new: Option<ScenarioSector>) -> ScenarioSpec {
    let mut out = spec.clone();
    replace_in(&mut out.sectors, &mut out.removed, layer_cells, cell, new, |s| &s.cell);
    out
}

/// `spec` with access point `id` replaced by `new` (or removed when `None`).
pub fn replace_access_point(spec: &ScenarioSpec, layer_ids: &[String], id: &str, new: Option<ScenarioAccessPoint>) -> ScenarioSpec {
    let mut out = spec.clone();
    replace_in(&mut out.access_points, &mut out.removed_access_points, layer_ids, id, new, |a| &a.id);
    out
}

/// `spec` with cable `id` replaced by `new` (or removed when `None`).
pub fn replace_cable(spec: &ScenarioSpec, layer_ids: &[String], id: &str, new: Option<ScenarioCable>) -> ScenarioSpec {
    let mut out = spec.clone();
    replace_in(&mut out.cables, &mut out.removed_cables, layer_ids, id, new, |c| &c.id);
    out
}

/// Ends the cable being drawn: with two points or more it joins the scenario ("新增光缆-1" …)
/// and the coverage is computed again; with fewer it is dropped.
pub fn finish_cable(app: &mut CovplanApp) {
    let Some(Pending::AddCable(route)) = app.panels.pending.take() else { return };
    let Some(doc) = &app.doc else { return };
    if route.len() < 2 {
        return;
    }
    let taken: Vec<&str> = doc.project.data.cables.iter().map(|c| c.id.as_str()).collect();
    let id = (1..).map(|k| format!("新增光缆-{k}")).find(|n| !taken.contains(&n.as_str())).unwrap_or_default();
    let mut spec = app.history.current();
    spec.cables.push(ScenarioCable { id, route });
    let spec = app.history.push(spec);
    app.apply_scenario(spec);
}

/// The editor for the selected cable: its id, points and length; delete.
pub fn cable_editor(app: &mut CovplanApp, ui: &mut egui::Ui) {
    use geo::{Distance, Geodesic};
    let lang = app.lang;
    let Some(Item::Cable(i)) = app.selected else { return };
    let Some(doc) = &app.doc else { return };
    let Some(cable) = doc.project.data.cables.get(i) else { return };
    let points: usize = cable.route.0.iter().map(|l| l.0.len()).sum();
    let length_m: f64 = cable.route.0.iter().flat_map(|l| l.lines()).map(|seg| Geodesic.distance(geo::Point(seg.start), geo::Point(seg.end))).sum();
    let layer_ids: Vec<String> = doc.project.layer_cables.iter().map(|c| c.id.clone()).collect();
    let id = cable.id.clone();
    // A scenario cable is one line: a cable of several parts is deleted and drawn again instead.
    let one_part = cable.route.0.len() == 1;
    ui.heading(lang.tr("What-if"));
    ui.label(format!("{} {id} · {points} {} · {:.2} km", lang.tr("Cable"), lang.tr("points"), length_m / 1000.0));
    ui.horizontal(|ui| {
        let move_button = ui.add_enabled(one_part && !app.busy(), egui::Button::new(lang.tr("Move a point")));
        if move_button.clicked() {
            app.panels.pending = Some(Pending::PickCablePoint(id.clone()));
        }
        if ui.add_enabled(!app.busy(), egui::Button::new(lang.tr("Delete"))).clicked() {
            let spec = app.history.push(replace_cable(&app.history.current(), &layer_ids, &id, None));
            app.selected = None;
            app.apply_scenario(spec);
        }
    });
    if !one_part {
        ui.weak(lang.tr("A cable of several parts cannot have its points moved: delete it and draw it again."));
    }
}

/// A point of the line an edit under way draws on the map.
#[derive(Debug, Clone, Copy, PartialEq)]
pub enum SketchPoint {
    /// A fixed point, WGS84 [lon, lat].
    At([f64; 2]),
    /// Wherever the pointer is.
    Cursor,
}

/// What the map shows of a cable edit: the points to mark (WGS84) and a line to draw (the
/// route being drawn on to the cursor, or a moving point's neighbours to the cursor).
pub fn sketch(app: &CovplanApp) -> (Vec<[f64; 2]>, Vec<SketchPoint>) {
    let Some(doc) = &app.doc else { return Default::default() };
    let route_of = |id: &str| cable_route(&doc.project, id).unwrap_or_default();
    match &app.panels.pending {
        Some(Pending::AddCable(route)) if !route.is_empty() => {
            (route.clone(), route.iter().map(|&p| SketchPoint::At(p)).chain([SketchPoint::Cursor]).collect())
        }
        Some(Pending::PickCablePoint(id)) => (route_of(id), Vec::new()),
        Some(Pending::MoveCablePoint(id, k)) => {
            let route = route_of(id);
            let before = k.checked_sub(1).and_then(|j| route.get(j)).map(|&p| SketchPoint::At(p));
            let after = route.get(k + 1).map(|&p| SketchPoint::At(p));
            let others = route.iter().enumerate().filter(|(j, _)| j != k).map(|(_, &p)| p).collect();
            (others, before.into_iter().chain([SketchPoint::Cursor]).chain(after).collect())
        }
        // A selected cable shows its points, ready to be moved.
        None => match app.selected {
            Some(Item::Cable(i)) => (doc.project.data.cables.get(i).map(|c| route_of(&c.id)).unwrap_or_default(), Vec::new()),
            _ => Default::default(),
        },
        _ => Default::default(),
    }
}

/// The route of cable `id` (its first part) as WGS84 points.
pub fn cable_route(p: &covplan_core::project::Project, id: &str) -> Option<Vec<[f64; 2]>> {
    let c = p.data.cables.iter().find(|c| c.id == id)?;
    Some(c.route.0.first()?.0.iter().map(|c| [c.x, c.y]).collect())
}

/// A fresh cell name for a new sector ("新增-1", "新增-2" …) not used by any sector.
pub fn new_cell_name(taken: &[String]) -> String {
    (1..).map(|k| format!("新增-{k}")).find(|n| !taken.contains(n)).unwrap_or_default()
}

/// A new LTE sector at (lon, lat): the parameters of the nearest existing sector when there is
/// one (same operator and band, so it joins its network), else common 1.8 GHz values.
pub fn new_sector(app: &CovplanApp, lon: f64, lat: f64) -> Option<ScenarioSector> {
    let doc = app.doc.as_ref()?;
    let p = &doc.project;
    let (x, y) = p.frame.forward(lon, lat);
    let taken: Vec<String> = p.data.sectors.iter().map(|s| s.cell.clone()).collect();
    let cell = new_cell_name(&taken);
    let template = p.index.sectors.nearest(x, y).map(|(i, _)| &p.data.sectors[i]).filter(|s| s.tech == Tech::Lte);
    let mut s = match template {
        Some(t) => ScenarioSector::of(t),
        None => ScenarioSector {
            site: String::new(),
            cell: String::new(),
            operator: None,
            tech: "LTE".into(),
            lon,
            lat,
            band_mhz: Some(1842.5),
            bandwidth_mhz: Some(20.0),
            power_dbm: Some(46.0),
            gain_dbi: Some(15.0),
            height_m: Some(30.0),
            azimuth_deg: Some(0.0),
            tilt_deg: Some(6.0),
            beamwidth_deg: Some(65.0),
        },
    };
    s.site = cell.clone();
    s.cell = cell;
    s.lon = lon;
    s.lat = lat;
    Some(s)
}

/// Handles a map click the editor was waiting for; true when it took the click.
pub fn place_pending(app: &mut CovplanApp, at: [f64; 2]) -> bool {
    let Some(pending) = app.panels.pending.take() else { return false };
    let Some(doc) = &app.doc else { return false };
    let (lon, lat) = doc.project.frame.inverse(at[0], at[1]);
    let layer_cells: Vec<String> = doc.project.layer_sectors.iter().map(|s| s.cell.clone()).collect();
    let layer_aps: Vec<String> = doc.project.layer_access_points.iter().map(|a| a.id.clone()).collect();
    let spec = app.history.current();
    let new_spec = match pending {
        Pending::AddCable(mut route) => {
            route.push([lon, lat]);
            app.panels.pending = Some(Pending::AddCable(route));
            return true;
        }
        Pending::PickCablePoint(id) => {
            let Some(route) = cable_route(&doc.project, &id) else { return true };
            let frame = &doc.project.frame;
            let nearest = route.iter().enumerate().min_by(|a, b| {
                let d = |p: &[f64; 2]| {
                    let (x, y) = frame.forward(p[0], p[1]);
                    (x - at[0]).powi(2) + (y - at[1]).powi(2)
                };
                d(a.1).total_cmp(&d(b.1))
            });
            app.panels.pending = nearest.map(|(k, _)| Pending::MoveCablePoint(id, k));
            return true;
        }
        Pending::MoveCablePoint(id, k) => {
            let Some(mut route) = cable_route(&doc.project, &id) else { return true };
            let Some(point) = route.get_mut(k) else { return true };
            *point = [lon, lat];
            let layer_ids: Vec<String> = doc.project.layer_cables.iter().map(|c| c.id.clone()).collect();
            replace_cable(&spec, &layer_ids, &id, Some(ScenarioCable { id: id.clone(), route }))
        }
        Pending::AddAccessPoint => {
            let taken: Vec<String> = doc.project.data.access_points.iter().map(|a| a.id.clone()).collect();
            let id = (1..).map(|k| format!("新增分纤箱-{k}")).find(|n| !taken.contains(n)).unwrap_or_default();
            let mut out = spec;
            out.access_points.push(ScenarioAccessPoint { id, tech: "GPON".into(), lon, lat, split: Some(64), ports_total: Some(16), ports_used: Some(0) });
            out
        }
        Pending::MoveAccessPoint(id) => {
            let Some(a) = doc.project.data.access_points.iter().find(|a| a.id == id) else { return true };
            let mut moved = ScenarioAccessPoint::of(a);
            moved.lon = lon;
            moved.lat = lat;
            replace_access_point(&spec, &layer_aps, &id, Some(moved))
        }
        Pending::Add => {
            let Some(s) = new_sector(app, lon, lat) else { return true };
            let mut out = spec;
            out.sectors.push(s);
            out
        }
        Pending::Move(cell) => {
            let Some(sec) = doc.project.data.sectors.iter().find(|s| s.cell == cell) else { return true };
            let mut moved = ScenarioSector::of(sec);
            moved.lon = lon;
            moved.lat = lat;
            replace_sector(&spec, &layer_cells, &cell, Some(moved))
        }
    };
    let spec = app.history.push(new_spec);
    app.apply_scenario(spec);
    true
}

/// The sector editor for the selected sector: every parameter, apply, move, delete.
pub fn sector_editor(app: &mut CovplanApp, ui: &mut egui::Ui) {
    let lang = app.lang;
    let tr = |s| lang.tr(s);
    let Some(Item::Sector(i)) = app.selected else { return };
    let Some(doc) = &app.doc else { return };
    let Some(sec) = doc.project.data.sectors.get(i) else { return };
    let draft = app.panels.sector_draft.get_or_insert_with(|| ScenarioSector::of(sec));
    if draft.cell != sec.cell {
        *draft = ScenarioSector::of(sec);
    }
    let layer_cells: Vec<String> = doc.project.layer_sectors.iter().map(|s| s.cell.clone()).collect();
    ui.heading(tr("What-if"));
    egui::Grid::new("sector-editor").num_columns(2).show(ui, |ui| {
        let num = |ui: &mut egui::Ui, label: &str, v: &mut Option<f64>, range: std::ops::RangeInclusive<f64>, speed: f64| {
            ui.label(label);
            let mut x = v.unwrap_or(*range.start());
            if ui.add(egui::DragValue::new(&mut x).range(range).speed(speed)).changed() {
                *v = Some(x);
            }
            ui.end_row();
        };
        ui.label(tr("tech"));
        egui::ComboBox::from_id_salt("tech").selected_text(draft.tech.clone()).show_ui(ui, |ui| {
            for t in ["LTE", "NR"] {
                ui.selectable_value(&mut draft.tech, t.to_string(), t);
            }
        });
        ui.end_row();
        num(ui, tr("band_mhz"), &mut draft.band_mhz, 400.0..=6000.0, 1.0);
        num(ui, tr("power_dbm"), &mut draft.power_dbm, 0.0..=60.0, 0.5);
        num(ui, tr("height_m"), &mut draft.height_m, 1.0..=150.0, 0.5);
        num(ui, tr("azimuth_deg"), &mut draft.azimuth_deg, 0.0..=359.0, 1.0);
        num(ui, tr("tilt_deg"), &mut draft.tilt_deg, -10.0..=30.0, 0.5);
        lon_lat_row(ui, &mut draft.lon, &mut draft.lat);
    });
    let draft = draft.clone();
    let changed = draft != ScenarioSector::of(sec);
    let cell = sec.cell.clone();
    edit_buttons(app, ui, changed, Pending::Move(cell.clone()), |spec, keep| replace_sector(spec, &layer_cells, &cell, keep.then(|| draft.clone())));
}

/// A longitude / latitude row of an editor grid.
fn lon_lat_row(ui: &mut egui::Ui, lon: &mut f64, lat: &mut f64) {
    ui.label("lon / lat");
    ui.horizontal(|ui| {
        ui.add(egui::DragValue::new(lon).speed(0.0001).max_decimals(6));
        ui.add(egui::DragValue::new(lat).speed(0.0001).max_decimals(6));
    });
    ui.end_row();
}

/// The Apply / Move / Delete row of an editor; `edited(spec, keep)` is the scenario with the
/// object replaced by its draft (`keep`) or removed.
fn edit_buttons(app: &mut CovplanApp, ui: &mut egui::Ui, changed: bool, moving: Pending, edited: impl Fn(&ScenarioSpec, bool) -> ScenarioSpec) {
    let lang = app.lang;
    let busy = app.busy();
    ui.horizontal(|ui| {
        if ui.add_enabled(changed && !busy, egui::Button::new(lang.tr("Apply"))).clicked() {
            let spec = app.history.push(edited(&app.history.current(), true));
            app.apply_scenario(spec);
        }
        if ui.add_enabled(!busy, egui::Button::new(lang.tr("Move"))).clicked() {
            app.panels.pending = Some(moving);
        }
        if ui.add_enabled(!busy, egui::Button::new(lang.tr("Delete"))).clicked() {
            let spec = app.history.push(edited(&app.history.current(), false));
            app.selected = None;
            app.apply_scenario(spec);
        }
    });
}

/// The editor for the selected access point: technology, split, ports, position; apply,
/// move, delete.
pub fn access_point_editor(app: &mut CovplanApp, ui: &mut egui::Ui) {
    let lang = app.lang;
    let tr = |s| lang.tr(s);
    let Some(Item::AccessPoint(i)) = app.selected else { return };
    let Some(doc) = &app.doc else { return };
    let Some(ap) = doc.project.data.access_points.get(i) else { return };
    let draft = app.panels.access_point_draft.get_or_insert_with(|| ScenarioAccessPoint::of(ap));
    if draft.id != ap.id {
        *draft = ScenarioAccessPoint::of(ap);
    }
    let layer_ids: Vec<String> = doc.project.layer_access_points.iter().map(|a| a.id.clone()).collect();
    ui.heading(tr("What-if"));
    egui::Grid::new("ap-editor").num_columns(2).show(ui, |ui| {
        ui.label(tr("tech"));
        egui::ComboBox::from_id_salt("ap-tech").selected_text(draft.tech.clone()).show_ui(ui, |ui| {
            for t in ["GPON", "XG-PON", "XGS-PON", "EPON", "xDSL"] {
                ui.selectable_value(&mut draft.tech, t.to_string(), t);
            }
        });
        ui.end_row();
        let int = |ui: &mut egui::Ui, label: &str, v: &mut Option<u32>, max: u32| {
            ui.label(label);
            let mut x = v.unwrap_or(0);
            if ui.add(egui::DragValue::new(&mut x).range(0..=max)).changed() {
                *v = Some(x);
            }
            ui.end_row();
        };
        int(ui, tr("split"), &mut draft.split, 256);
        int(ui, tr("ports_total"), &mut draft.ports_total, 1024);
        int(ui, tr("ports_used"), &mut draft.ports_used, 1024);
        lon_lat_row(ui, &mut draft.lon, &mut draft.lat);
    });
    let draft = draft.clone();
    let changed = draft != ScenarioAccessPoint::of(ap);
    let id = ap.id.clone();
    edit_buttons(app, ui, changed, Pending::MoveAccessPoint(id.clone()), |spec, keep| replace_access_point(spec, &layer_ids, &id, keep.then(|| draft.clone())));
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn replacing_a_layer_sector_removes_it_by_name() {
        let layer = vec!["L1".to_string()];
        let s = ScenarioSector {
            site: "x".into(),
            cell: "L1".into(),
            operator: None,
            tech: "LTE".into(),
            lon: 1.0,
            lat: 2.0,
            band_mhz: None,
            bandwidth_mhz: None,
            power_dbm: None,
            gain_dbi: None,
            height_m: None,
            azimuth_deg: None,
            tilt_deg: None,
            beamwidth_deg: None,
        };
        let one = replace_sector(&ScenarioSpec::default(), &layer, "L1", Some(s.clone()));
        assert_eq!(one.removed, vec!["L1"]);
        assert_eq!(one.sectors.len(), 1);
        let two = replace_sector(&one, &layer, "L1", None);
        assert_eq!((two.removed.len(), two.sectors.len()), (1, 0));
        assert_eq!(new_cell_name(&["新增-1".into()]), "新增-2");
    }
}
