//! A project: the project file, its layers read into the planning model, and the spatial
//! indexes over them. `Project::load` is the first step of every analysis.

mod assign;
pub mod autosave;
mod build;
pub mod fields;
pub mod file;
mod rows;
pub mod scenario;

pub use assign::VillageJoin;
pub use build::{PlanData, parse_split, parse_village_kind};
pub use fields::Role;
pub use file::{LayerSpec, PlanSpec, ProjectFile, Settings};
pub use scenario::{ScenarioAccessPoint, ScenarioCable, ScenarioSector, ScenarioSpec};

use crate::crs::Crs;
use crate::error::{InputError, Location, Result, Warning};
use crate::inspect::{LayerSummary, summarize};
use crate::io::terrain::Terrain;
use crate::io::{self, RawLayer, ReadOptions};
use crate::model::union_rect;
use crate::spatial::{LocalFrame, PlanIndex, PlanRefs};
use rayon::prelude::*;
use std::path::{Path, PathBuf};

/// A loaded project.
#[derive(Clone)]
pub struct Project {
    /// The project file's path.
    pub path: PathBuf,
    /// Its contents.
    pub file: ProjectFile,
    /// The model objects.
    pub data: PlanData,
    /// The terrain model, when a terrain layer is given.
    pub terrain: Option<std::sync::Arc<Terrain>>,
    /// The local metric frame, centred on the project.
    pub frame: LocalFrame,
    /// R-trees over everything.
    pub index: PlanIndex,
    /// What each layer held, in project order.
    pub summaries: Vec<LayerSummary>,
    /// Warnings from joins (unassigned buildings …), beyond each layer's own.
    pub warnings: Vec<Warning>,
    /// How long each loading step took.
    pub timings: LoadTimings,
    /// The sectors as the layer files give them, before the scenario.
    pub layer_sectors: Vec<crate::model::Sector>,
    /// The access points as the layer files give them, before the scenario.
    pub layer_access_points: Vec<crate::model::AccessPoint>,
    /// The fiber cables as the layer files give them, before the scenario.
    pub layer_cables: Vec<crate::model::FiberCable>,
    /// Scenario edits that could not be applied.
    pub scenario_warnings: Vec<Warning>,
    /// Set when this project is one shard of a bigger one: what the whole project's analysis
    /// knew that the shard alone would not (see [`crate::shard`]).
    pub partition: Option<std::sync::Arc<Partition>>,
}

/// What a shard takes from the whole project so that its verdicts equal the whole run's.
#[derive(Debug, Clone, PartialEq, serde::Serialize, serde::Deserialize)]
pub struct Partition {
    /// Every operator of the whole project, sorted (operator indices and market shares are
    /// taken over these, not over the shard's).
    pub operators: Vec<String>,
    /// The whole project's input files with their checksums, for the run record.
    pub inputs: Vec<crate::fsutil::InputFile>,
}

/// Milliseconds spent in each step of [`Project::load`].
#[derive(Debug, Clone, Copy, Default)]
pub struct LoadTimings {
    /// Reading and converting every file (in parallel).
    pub read_ms: f64,
    /// Building model objects from the rows.
    pub model_ms: f64,
    /// Projecting and bulk-loading the R-trees.
    pub index_ms: f64,
    /// Joins: buildings to villages, inherited urban-rural codes.
    pub joins_ms: f64,
}

impl std::fmt::Display for LoadTimings {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        write!(f, "read {:.0} ms, model {:.0} ms, index {:.0} ms, joins {:.0} ms", self.read_ms, self.model_ms, self.index_ms, self.joins_ms)
    }
}

enum Loaded {
    Vector(Box<RawLayer>, io::CrsChoice),
    Terrain(Box<Terrain>),
}

/// Read options from a layer's settings; bad settings are errors naming the project file and layer.
pub fn read_options(spec: &LayerSpec, project: &Path) -> Result<ReadOptions> {
    let loc = Location::file(project).field(format!("layers.{}", spec.name));
    let mut o = ReadOptions { offset: spec.offset, sheet: spec.sheet.clone(), table: spec.table.clone(), ..Default::default() };
    match (spec.fields.get("lon"), spec.fields.get("lat")) {
        (Some(x), Some(y)) => o.xy_columns = Some((x.clone(), y.clone())),
        (None, None) => {}
        _ => return Err(InputError::new(loc, "map both lon and lat, or neither").with_hint("[layers.fields] lon = \"经度\", lat = \"纬度\"")),
    }
    if let Some(e) = &spec.encoding {
        o.encoding = Some(
            io::encoding::encoding_for_label(e)
                .ok_or_else(|| InputError::new(loc.clone(), format!("unknown encoding '{e}'")).with_hint("use GBK, GB18030, UTF-8 or Big5"))?,
        );
    }
    if let Some(c) = &spec.crs {
        o.crs = Some(Crs::parse(c).map_err(|e| InputError::new(loc.clone(), e).with_hint("write crs = \"EPSG:4526\" for example"))?);
    }
    if let Some(t) = &spec.towgs84 {
        let base = o.crs.clone().ok_or_else(|| InputError::new(loc.clone(), "towgs84 needs crs to be set too"))?;
        o.crs = Some(base.with_towgs84(t).map_err(|e| InputError::new(loc.clone(), e))?);
    }
    Ok(o)
}

/// Reads one layer's file: a terrain raster, or a vector layer converted to lon/lat.
fn read_layer_file(spec: &LayerSpec, project: &Path, dir: &Path) -> Result<Loaded> {
    let opts = read_options(spec, project)?;
    let p = dir.join(&spec.path);
    if spec.role == Role::Terrain {
        return io::terrain::read(&p, opts.crs.as_ref()).map(|t| Loaded::Terrain(Box::new(t)));
    }
    let mut raw = io::read_layer(&p, &opts)?;
    let choice = io::to_wgs84(&mut raw, &opts)?;
    Ok(Loaded::Vector(Box::new(raw), choice))
}

/// Builds a vector layer's model objects into `data` and returns what the layer held.
fn build_vector(
    spec: &LayerSpec,
    mut raw: Box<RawLayer>,
    choice: io::CrsChoice,
    settings: &Settings,
    frame: &LocalFrame,
    data: &mut PlanData,
) -> Result<LayerSummary> {
    let loc = Location::file(&raw.path);
    let map = fields::resolve(spec.role, &raw.table.fields, &spec.fields, &loc)?;
    let mut summary = summarize(&raw, choice, spec.offset, Some(&spec.name), Some(spec.role.as_str()));
    summary.mapping = map.columns.iter().map(|(a, &c)| (a.to_string(), raw.table.fields[c].name.clone())).collect();
    // Position columns of a table are used, though by no attribute.
    let xy: Vec<String> = match (&spec.fields.get("lon"), &spec.fields.get("lat")) {
        (Some(x), Some(y)) => vec![x.to_string(), y.to_string()],
        _ => {
            let names: Vec<String> = raw.table.fields.iter().map(|f| f.name.clone()).collect();
            [io::csv_table::LON_NAMES, io::csv_table::LAT_NAMES]
                .iter()
                .filter_map(|n| io::csv_table::find_column(&names, n))
                .map(|i| names[i].clone())
                .collect()
        }
    };
    let is_table = matches!(raw.format, io::Format::Csv | io::Format::Xlsx);
    summary.unmapped = map.unmapped.iter().filter(|c| !(is_table && xy.contains(c))).cloned().collect();
    // Geometries move into the model objects: a million footprints are not copied.
    let mut w = Vec::new();
    let items = build::shapes(&mut raw.table.features, spec.role, &loc, &mut w)?;
    let rows = rows::Rows::new(&raw, &map, spec);
    build::add_layer(data, &rows, items, spec.role, settings, frame, &mut w)?;
    w.extend(rows.finish());
    summary.warnings.extend(w.iter().map(|w| w.to_string()));
    // Freeing a million attribute rows takes a while and nothing waits for it.
    std::thread::spawn(move || drop(raw));
    Ok(summary)
}

impl Project {
    /// Loads a project file and everything it names.
    pub fn load(path: &Path) -> Result<Project> {
        let file = ProjectFile::load(path)?;
        Self::from_file(path, file)
    }

    /// Loads the layers of an already parsed project file (`path` anchors relative layer paths).
    pub fn from_file(path: &Path, file: ProjectFile) -> Result<Project> {
        Self::from_file_skipping(path, file, None)
    }

    /// Loads every layer but the building layers, in the frame the whole project has (each
    /// building layer is read once for its extent and dropped): for work that goes
    /// through the buildings a layer at a time with [`Project::read_buildings`], such as the split
    /// of a province too big to hold whole. `file` keeps every layer (run records hash them all).
    pub fn load_without_buildings(path: &Path) -> Result<Project> {
        let file = ProjectFile::load(path)?;
        let dir = path.parent().map(Path::to_path_buf).unwrap_or_default();
        // Layers read side by side, one per thread (reading one is partly serial), each dropped
        // once its extent is known; a union of boxes is exact in any order.
        let layers: Vec<&LayerSpec> = file.layers.iter().filter(|l| l.role == Role::Buildings).collect();
        let extents = layers
            .par_iter()
            .with_max_len(1)
            .map(|spec| match read_layer_file(spec, path, &dir)? {
                Loaded::Vector(raw, _) => Ok(raw.table.extent()),
                Loaded::Terrain(_) => Ok(None),
            })
            .collect::<Result<Vec<_>>>()?;
        let extent = extents.into_iter().flatten().reduce(union_rect);
        Self::from_file_skipping(path, file, Some((Role::Buildings, extent)))
    }

    /// [`Project::from_file`], leaving out the layers of one role whose extent (for the frame)
    /// is given instead.
    fn from_file_skipping(path: &Path, file: ProjectFile, skip: Option<(Role, Option<geo::Rect<f64>>)>) -> Result<Project> {
        let dir = path.parent().map(Path::to_path_buf).unwrap_or_default();
        let mut timings = LoadTimings::default();
        let clock = std::time::Instant::now();
        let lap = |t: &mut f64, since: &mut f64| {
            let now = clock.elapsed().as_secs_f64() * 1000.0;
            *t = now - *since;
            *since = now;
        };
        let mut since = 0.0;
        let kept: Vec<&LayerSpec> = file.layers.iter().filter(|l| skip.is_none_or(|(role, _)| l.role != role)).collect();
        let loaded: Vec<Loaded> = kept.par_iter().map(|spec| read_layer_file(spec, path, &dir)).collect::<Result<_>>()?;
        lap(&mut timings.read_ms, &mut since);
        let extent = loaded
            .iter()
            .filter_map(|l| match l {
                Loaded::Vector(r, _) => r.table.extent(),
                Loaded::Terrain(_) => None,
            })
            .chain(skip.and_then(|s| s.1))
            .reduce(union_rect);
        let frame = match extent {
            Some(r) => LocalFrame::new((r.min().x + r.max().x) / 2.0, (r.min().y + r.max().y) / 2.0),
            None => LocalFrame::new(0.0, 0.0),
        };
        let mut data = PlanData::default();
        let mut terrain = None;
        let mut summaries = Vec::with_capacity(loaded.len());
        for (spec, l) in kept.into_iter().zip(loaded) {
            match l {
                Loaded::Terrain(t) => {
                    summaries.push(terrain_summary(spec, &t));
                    if terrain.is_some() {
                        return Err(InputError::in_file(path, format!("layer '{}' is a second terrain layer", spec.name))
                            .with_hint("merge the DEMs into one GeoTIFF, or keep one terrain layer"));
                    }
                    terrain = Some(*t);
                }
                Loaded::Vector(raw, choice) => summaries.push(build_vector(spec, raw, choice, &file.settings, &frame, &mut data)?),
            }
        }
        lap(&mut timings.model_ms, &mut since);
        let scenario = file.scenario.clone();
        let mut p = Self::from_data(path, file, data, terrain, frame);
        p.summaries = summaries;
        if !scenario.is_empty() {
            p.set_scenario(&scenario);
        }
        (p.timings.read_ms, p.timings.model_ms) = (timings.read_ms, timings.model_ms);
        Ok(p)
    }

    /// The buildings of one building layer, not yet joined to villages (their `village` is
    /// `None`: see [`Project::village_join`]; their centroids in the frame are
    /// [`PlanIndex::building_centroids`]). For a project loaded by
    /// [`Project::load_without_buildings`], read a layer at a time.
    pub fn read_buildings(&self, spec: &LayerSpec) -> Result<Vec<crate::model::Building>> {
        let dir = self.path.parent().map(Path::to_path_buf).unwrap_or_default();
        let mut data = PlanData::default();
        if let Loaded::Vector(raw, choice) = read_layer_file(spec, &self.path, &dir)? {
            build_vector(spec, raw, choice, &self.file.settings, &self.frame, &mut data)?;
        }
        Ok(data.buildings.into_vec())
    }

    /// The join of buildings to this project's villages (the project's radius), prepared once
    /// for every layer [`Project::read_buildings`] reads.
    pub fn village_join(&self) -> VillageJoin<'_> {
        VillageJoin::new(&self.data.villages, &self.index, self.file.settings.building_village_radius_m)
    }

    /// A project from model objects already in memory (a scenario, a test map): indexes them in
    /// `frame` and makes the joins (buildings to villages, inherited urban-rural codes).
    pub fn from_data(path: &Path, file: ProjectFile, data: PlanData, terrain: Option<Terrain>, frame: LocalFrame) -> Project {
        Self::assemble(path, file, data, terrain, frame, None)
    }

    /// A project of buildings already placed: their centroids in `frame` given, their villages
    /// already set (no join is made again), their footprints possibly left empty. For putting
    /// the results of a province's shards together, where the footprints are not needed and
    /// would not fit; nothing that reads footprints (maps, re-analysis) may be given one.
    pub fn from_placed_data(
        path: &Path,
        file: ProjectFile,
        data: PlanData,
        terrain: Option<Terrain>,
        frame: LocalFrame,
        building_xy: Vec<[f64; 2]>,
    ) -> Project {
        Self::assemble(path, file, data, terrain, frame, Some(building_xy))
    }

    fn assemble(
        path: &Path,
        file: ProjectFile,
        mut data: PlanData,
        terrain: Option<Terrain>,
        frame: LocalFrame,
        building_xy: Option<Vec<[f64; 2]>>,
    ) -> Project {
        let clock = std::time::Instant::now();
        let placed = building_xy.is_some();
        let index = PlanIndex::build_placed(
            frame,
            &PlanRefs {
                villages: &data.villages,
                buildings: &data.buildings,
                cables: &data.cables,
                roads: &data.roads,
                access_points: &data.access_points,
                sectors: &data.sectors,
                admin_areas: &data.admin_areas,
            },
            building_xy,
        );
        let index_ms = clock.elapsed().as_secs_f64() * 1000.0;
        let mut warnings = Vec::new();
        if !placed && !data.buildings.is_empty() && !data.villages.is_empty() {
            let n = assign::assign_buildings(&mut data.buildings, &data.villages, &index, file.settings.building_village_radius_m);
            if n > 0 {
                warnings.push(Warning::new(
                    Location::file(path),
                    format!(
                        "{n} building(s) lie in no village polygon and farther than {} m from every village point; they belong to no village",
                        file.settings.building_village_radius_m
                    ),
                ));
            }
        }
        assign::inherit_urban_rural(&mut data.villages, &data.admin_areas, &index);
        let timings = LoadTimings { index_ms, joins_ms: clock.elapsed().as_secs_f64() * 1000.0 - index_ms, ..Default::default() };
        let (layer_sectors, layer_access_points, layer_cables) = (data.sectors.clone(), data.access_points.clone(), data.cables.clone());
        Project {
            path: path.to_path_buf(),
            file,
            data,
            terrain: terrain.map(std::sync::Arc::new),
            frame,
            index,
            summaries: Vec::new(),
            warnings,
            timings,
            layer_sectors,
            layer_access_points,
            layer_cables,
            scenario_warnings: Vec::new(),
            partition: None,
        }
    }

    /// Per-layer summaries, as `covplan layers` prints them.
    pub fn layer_summaries(&self) -> Vec<LayerSummary> {
        self.summaries.clone()
    }
}

fn terrain_summary(spec: &LayerSpec, t: &Terrain) -> LayerSummary {
    let r = &t.raster;
    let (lo, hi) = r.min_max().unwrap_or((f32::NAN, f32::NAN));
    LayerSummary {
        name: spec.name.clone(),
        role: Some(Role::Terrain.as_str().into()),
        path: t.path.display().to_string(),
        format: if t.path.extension().is_some_and(|e| e.eq_ignore_ascii_case("hgt")) { io::Format::Hgt } else { io::Format::GeoTiff },
        crs: io::CrsChoice { name: t.crs.name.clone(), source: "file" },
        offset: crate::crs::Offset::None,
        encoding: None,
        features: r.cols * r.rows,
        fields: Vec::new(),
        extent_wgs84: t.extent_wgs84(),
        sample: vec![vec![("grid".into(), format!("{} × {}", r.cols, r.rows)), ("heights".into(), format!("{lo} … {hi} m"))]],
        mapping: Vec::new(),
        unmapped: Vec::new(),
        warnings: Vec::new(),
    }
}
