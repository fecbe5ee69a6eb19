//! What the app has open: the project (with its scenario), the analysis of the chosen profile,
//! the coverage it computed, the gaps and the map scene. Built off the UI thread.

use super::worker::Progress;
use covplan_core::analysis::gaps::{Gap, gaps};
use covplan_core::analysis::{Analysis, CoverageResults};
use covplan_core::model::Tech;
use covplan_core::project::{Project, ScenarioSpec};
use covplan_core::render::style::{MBPS_CLASSES, mbps_class};
use covplan_core::render::{LayerGeometry, Scene, SceneLayer};
use std::path::Path;
use std::sync::Arc;

/// The results of one analysis.
#[derive(Clone)]
pub struct Computed {
    /// Verdicts per target.
    pub analysis: Arc<Analysis>,
    /// The coverage behind them.
    pub coverage: Arc<CoverageResults>,
    /// Every gap, largest first.
    pub gaps: Arc<Vec<Gap>>,
    /// Milliseconds the analysis took.
    pub ms: f64,
}

/// An open project.
pub struct Document {
    /// The project with its scenario applied.
    pub project: Arc<Project>,
    /// The profile checked (built-in id or file).
    pub profile: String,
    /// Its results, once the analysis has run (the map shows before).
    pub computed: Option<Computed>,
    /// The map.
    pub scene: Scene,
    /// The coverage grid of `project`, once computed (only when the map shows it).
    pub grid: Option<Arc<covplan_core::coverage::radio::grid::CoverageGrid>>,
}

/// Loads a project file and builds its map scene.
pub fn load(path: &Path, progress: &Progress) -> Result<(Project, Scene), String> {
    progress.set(0.05, "reading layers");
    let p = Project::load(path).map_err(|e| e.to_string())?;
    progress.set(0.45, "building the map");
    let scene = Scene::of_project(&p);
    Ok((p, scene))
}

/// The project's profile: `[analysis] profile`, else zhaoqing-2020.
pub fn default_profile(p: &Project) -> String {
    p.file.analysis.profile.clone().unwrap_or_else(|| "zhaoqing-2020".to_string())
}

/// Runs profile `id` on `p`.
pub fn analyse(p: &Project, id: &str, progress: &Progress) -> Result<Computed, String> {
    progress.set(0.5, "coverage and verdicts");
    let t0 = std::time::Instant::now();
    let (profile, source) = covplan_core::targets::profile::resolve(p, Some(id)).map_err(|e| e.to_string())?;
    let (analysis, coverage) = covplan_core::analysis::run_with_coverage(p, profile, source).map_err(|e| e.to_string())?;
    progress.set(0.95, "gaps");
    let gaps = gaps(p, &analysis);
    Ok(Computed { analysis: Arc::new(analysis), coverage: Arc::new(coverage), gaps: Arc::new(gaps), ms: t0.elapsed().as_secs_f64() * 1e3 })
}

/// Runs profile `id` on `p`, whose sectors are `old`'s edited (the scenario changed), from the
/// results `before` of the same profile on `old`: only the places around the edited sectors
/// are computed again (the same results as [`analyse`]).
pub fn analyse_after_edit(old: &Project, before: &Computed, p: &Project, id: &str, progress: &Progress) -> Result<Computed, String> {
    progress.set(0.5, "coverage around the edit and verdicts");
    let t0 = std::time::Instant::now();
    let (profile, source) = covplan_core::targets::profile::resolve(p, Some(id)).map_err(|e| e.to_string())?;
    // The app still shows the old results while this runs, so they are copied, not taken.
    let prev = (*before.coverage).clone();
    let (analysis, coverage) = covplan_core::analysis::run_after_edit(old, prev, Some(&before.analysis), p, profile, source).map_err(|e| e.to_string())?;
    progress.set(0.95, "gaps");
    let gaps = covplan_core::analysis::gaps::gaps_after_edit(p, &analysis, &before.analysis, &before.gaps);
    Ok(Computed { analysis: Arc::new(analysis), coverage: Arc::new(coverage), gaps: Arc::new(gaps), ms: t0.elapsed().as_secs_f64() * 1e3 })
}

/// `base` with scenario `spec`, and the scene's sector and access-point layers rebuilt (the
/// other layers' geometry is shared, not rebuilt); scenario objects form layers of their own.
pub fn with_scenario(base: &Project, scene: &Scene, spec: &ScenarioSpec) -> (Project, Scene) {
    use covplan_core::project::Role;
    use covplan_core::project::scenario::SCENARIO_LAYER;
    let p = base.with_scenario(spec);
    let edited = |r: Option<Role>| matches!(r, Some(Role::Sectors | Role::AccessPoints | Role::Fiber));
    let mut layers: Vec<SceneLayer> = scene.layers.iter().filter(|l| l.geometry.name != SCENARIO_LAYER).cloned().collect();
    for l in layers.iter_mut().filter(|l| edited(l.geometry.role)) {
        l.geometry = Arc::new(LayerGeometry::of_layer(&p, &l.geometry.name, l.geometry.role));
    }
    for role in [Role::Fiber, Role::AccessPoints, Role::Sectors] {
        let g = LayerGeometry::of_layer(&p, SCENARIO_LAYER, Some(role));
        if !g.is_empty() {
            let mut style = covplan_core::render::LayerStyle::default_for(role);
            style.fill = covplan_core::render::Rgba::rgb(230, 60, 160);
            layers.push(SceneLayer { geometry: Arc::new(g), style });
        }
    }
    (p, Scene { layers, theme: scene.theme.clone(), overlay: None, grid: None })
}

/// A household's fixed-access capability: FTTH, else copper, else none (Mb/s).
fn fixed_mbps(r: &covplan_core::coverage::fiber::AccessResult) -> f64 {
    match (&r.ftth, r.copper) {
        (Ok(l), _) => l.capability_mbps,
        (Err(_), Some((_, rate))) => rate,
        _ => 0.0,
    }
}

/// Households per township and fixed-access capability class (FTTH, else copper, else none):
/// township names in order, and per township one figure per class of [`MBPS_CLASSES`].
pub fn households_by_capability(p: &Project, a: &Analysis, c: &CoverageResults) -> Vec<(String, [f64; MBPS_CLASSES.len()])> {
    let mut rows: std::collections::BTreeMap<String, [f64; MBPS_CLASSES.len()]> = Default::default();
    for (b, r) in p.data.buildings.iter().zip(&c.fiber.buildings) {
        if b.households <= 0.0 {
            continue;
        }
        let mbps = fixed_mbps(r);
        let town = b
            .village
            .and_then(|v| a.geography.township(p, covplan_core::targets::places::PlaceRef::Village(v)))
            .map(|code| a.geography.township_name(code).to_string())
            .unwrap_or_else(|| "—".into());
        rows.entry(town).or_default()[mbps_class(mbps)] += b.households;
    }
    rows.into_iter().collect()
}

/// The coverage grid of `p`, with rates per household at the busy hour (households per sector
/// from `c` when it holds radio results at every building with households).
pub fn coverage_grid(p: &Project, c: Option<&CoverageResults>, progress: &Progress) -> covplan_core::coverage::radio::grid::CoverageGrid {
    progress.set(0.1, "coverage grid");
    let known = c.filter(|c| c.radio_needs.covers_homes(p)).and_then(|c| c.radio.as_ref()).map(|r| r.households_per_sector.as_slice());
    covplan_core::coverage::radio::grid::compute_grid_for_households(p, &p.file.coverage.radio, known)
}

/// Best 4G RSRP (dBm) per building where the radio was computed.
pub fn best_lte_rsrp(c: &CoverageResults) -> Vec<Option<f64>> {
    let Some(r) = &c.radio else { return Vec::new() };
    r.buildings.iter().map(|links| links.iter().filter(|l| l.tech == Tech::Lte).map(|l| l.rsrp_dbm).reduce(f64::max)).collect()
}

/// The coverage overlays the app offers.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub enum OverlayKind {
    /// None: verdict colours only.
    #[default]
    None,
    /// Buildings by best 4G RSRP class.
    Rsrp,
    /// Buildings by the operator of their best 4G server.
    BestServer,
    /// Buildings by fixed-access capability class.
    Capability,
    /// The coverage grid of one operator and technology, by RSRP class.
    GridRsrp,
    /// The coverage grid, by serving sector.
    GridBestServer,
    /// The coverage grid, by rate class.
    GridRate,
}

impl OverlayKind {
    /// What the coverage grid shows under this overlay, if it is a grid overlay.
    pub fn grid_quantity(self) -> Option<covplan_core::render::grid_image::GridQuantity> {
        use covplan_core::render::grid_image::GridQuantity;
        match self {
            OverlayKind::GridRsrp => Some(GridQuantity::Rsrp),
            OverlayKind::GridBestServer => Some(GridQuantity::BestServer),
            OverlayKind::GridRate => Some(GridQuantity::Rate),
            _ => None,
        }
    }
}

/// The overlay of `kind` on the buildings, from the coverage an analysis computed (4G only
/// where its targets needed radio at buildings).
pub fn overlay(kind: OverlayKind, p: &Project, c: &CoverageResults) -> Option<covplan_core::render::scene::Overlay> {
    use covplan_core::render::Item;
    use covplan_core::render::scene::Overlay;
    use covplan_core::render::style::{RSRP_CLASSES, category_color, rsrp_class};
    match kind {
        OverlayKind::None | OverlayKind::GridRsrp | OverlayKind::GridBestServer | OverlayKind::GridRate => None,
        OverlayKind::Rsrp => {
            let classes: Vec<_> = RSRP_CLASSES.iter().map(|(_, c, l)| (l.to_string(), *c)).collect();
            let best = best_lte_rsrp(c);
            Some(Overlay::classed("RSRP (best 4G)", &classes, best.iter().enumerate().filter_map(|(b, v)| v.map(|v| (Item::Building(b), rsrp_class(v))))))
        }
        OverlayKind::BestServer => {
            let r = c.radio.as_ref()?;
            let classes: Vec<_> = r.operators.iter().enumerate().map(|(i, o)| (o.clone(), category_color(i))).collect();
            let best = r.buildings.iter().enumerate().filter_map(|(b, links)| {
                links.iter().filter(|l| l.tech == Tech::Lte).max_by(|a, b| a.rsrp_dbm.total_cmp(&b.rsrp_dbm)).map(|l| (Item::Building(b), l.operator as usize))
            });
            Some(Overlay::classed("Best server", &classes, best))
        }
        OverlayKind::Capability => {
            let classes: Vec<_> = MBPS_CLASSES.iter().map(|(_, c, l)| (l.to_string(), *c)).collect();
            let items = p
                .data
                .buildings
                .iter()
                .zip(&c.fiber.buildings)
                .enumerate()
                .filter(|(_, (b, _))| b.households > 0.0)
                .map(|(i, (_, r))| (Item::Building(i), mbps_class(fixed_mbps(r))));
            Some(Overlay::classed("Capability (Mb/s)", &classes, items))
        }
    }
}
