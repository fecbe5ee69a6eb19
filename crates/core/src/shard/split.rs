//! `covplan shard`: which area owns each place, what each shard carries, and the folders.

use super::area_grid::{AreaGrid, Place};
use super::buildings::{self, BuildingSource, Chunks};
use super::tables::{self, Rows};
use super::{AreaEntry, FORMAT, Halo, Manifest, Partition, TerrainGrid, folder_name};
use crate::error::{InputError, Result};
use crate::model::{AccessTech, AdminArea, VillageKind};
use crate::project::Project;
use geo::{BoundingRect, Intersects, Point, Rect};
use rayon::prelude::*;
use serde::{Deserialize, Serialize};
use std::path::{Path, PathBuf};

/// How a project is split.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum Grouping {
    /// One shard per county (区县).
    County,
    /// One shard per township (乡镇街道).
    Township,
}

impl Grouping {
    /// Parses `county` or `township`.
    pub fn parse(s: &str) -> Option<Grouping> {
        match s {
            "county" => Some(Grouping::County),
            "township" => Some(Grouping::Township),
            _ => None,
        }
    }

    /// Whether an admin area is of this level: by its level field (县级, 区, 乡镇, 街道 …), else
    /// by its code's length (6 digits for a county, 9 for a township, as the statistical codes).
    fn holds(self, a: &AdminArea) -> bool {
        let level = a.level.as_deref().unwrap_or("").to_lowercase();
        let by_level = match self {
            Grouping::County => ["county", "县", "区县", "县级", "县区", "市辖区", "district"].iter().any(|k| level.contains(k)),
            Grouping::Township => ["township", "town", "乡", "镇", "街道"].iter().any(|k| level.contains(k)),
        };
        if !level.is_empty() {
            return by_level;
        }
        let digits = a.code.as_deref().map_or(0, |c| c.chars().filter(char::is_ascii_digit).count());
        matches!((self, digits), (Grouping::County, 6) | (Grouping::Township, 9))
    }
}

/// A small step north-east (degrees, ≈ 1 mm): a point on a border belongs to the area that
/// holds it moved by this much.
const NUDGE_DEG: f64 = 1e-8;

/// The areas shards are made of, sorted by code, and the owner of any point.
struct Areas<'a> {
    list: Vec<(&'a str, &'a AdminArea)>,
    /// Each area's bounding box (a point outside it is not tested against the polygon).
    boxes: Vec<Option<Rect<f64>>>,
    /// Each area's grid (a point in a cell the border misses is not tested either).
    grids: Vec<Option<AreaGrid>>,
}

impl<'a> Areas<'a> {
    /// The project's areas of level `by`, refusing none and a code given twice.
    fn of(p: &'a Project, by: Grouping) -> Result<Areas<'a>> {
        let d = &p.data;
        let mut list: Vec<(&str, &AdminArea)> =
            d.admin_areas.iter().filter(|a| by.holds(a)).map(|a| (a.code.as_deref().unwrap_or(a.name.as_str()), a)).collect();
        list.sort_by(|a, b| a.0.cmp(b.0));
        if list.is_empty() {
            let levels: std::collections::BTreeSet<&str> = d.admin_areas.iter().filter_map(|a| a.level.as_deref()).collect();
            return Err(InputError::in_file(&p.path, format!("no admin area is a {by:?} (levels in the project: {levels:?})").to_lowercase())
                .with_hint("add an admin layer of that level, or shard --by the other level"));
        }
        if let Some(w) = list.windows(2).find(|w| w[0].0 == w[1].0) {
            return Err(InputError::in_file(&p.path, format!("two admin areas share the code {}", w[0].0)).with_hint("give each area its own code"));
        }
        let boxes: Vec<Option<Rect<f64>>> = list.iter().map(|a| a.1.boundary.bounding_rect()).collect();
        let grids = list.par_iter().zip(&boxes).map(|(a, r)| r.and_then(|r| AreaGrid::new(&a.1.boundary, r))).collect();
        Ok(Areas { list, boxes, grids })
    }
}

impl Areas<'_> {
    /// Index into `list` of the owner of `pt`, `None` when it lies in no area. Inside one area:
    /// that one. On a border (in several, or on one's edge): the one holding `pt` nudged
    /// north-east, else the first holding `pt` at all.
    fn owner(&self, pt: Point<f64>) -> Option<usize> {
        let holding: Vec<usize> = (0..self.list.len()).filter(|&i| self.holds(i, pt)).collect();
        let nudged = Point::new(pt.x() + NUDGE_DEG, pt.y() + NUDGE_DEG);
        if holding.len() <= 1 {
            // On the outer edge of a single area, the half-open rule still applies.
            return holding.first().copied().filter(|&i| self.holds(i, nudged) || !self.on_edge(i, pt));
        }
        holding.iter().copied().find(|&i| self.holds(i, nudged)).or(Some(holding[0]))
    }

    /// Whether area `i` holds `pt` (its border included).
    fn holds(&self, i: usize, pt: Point<f64>) -> bool {
        if !self.boxes[i].is_some_and(|r| r.intersects(&pt)) {
            return false;
        }
        match self.grids[i].as_ref().map_or(Place::Border, |g| g.place(pt.0)) {
            Place::Inside => true,
            Place::Outside => false,
            Place::Border => self.list[i].1.boundary.intersects(&pt),
        }
    }

    /// Whether `pt`, held by area `i`, lies on its border.
    fn on_edge(&self, i: usize, pt: Point<f64>) -> bool {
        use geo::Contains;
        match self.grids[i].as_ref().map_or(Place::Border, |g| g.place(pt.0)) {
            Place::Inside => false,
            Place::Outside | Place::Border => !self.list[i].1.boundary.contains(&pt),
        }
    }
}

/// Side of the cells a shard's places are covered with (m).
const COVER_CELL_M: f64 = 2_000.0;

/// Square cells of the frame near a shard's places: "within d of them" for a county, and for a
/// catch-all whose places are scattered across a province, without carrying all between.
struct Cover {
    cells: std::collections::HashSet<(i64, i64)>,
}

impl Cover {
    fn cell_of((x, y): (f64, f64)) -> (i64, i64) {
        ((x / COVER_CELL_M).floor() as i64, (y / COVER_CELL_M).floor() as i64)
    }

    /// The cells within `radius` of `points`.
    fn of(points: &[[f64; 2]], radius: f64) -> Cover {
        let cells = points.iter().filter(|p| p[0].is_finite() && p[1].is_finite()).map(|p| Cover::cell_of((p[0], p[1]))).collect();
        Cover { cells }.grown(radius)
    }

    /// The cells that come within `d` of these (a superset: cell to cell, nearest corners).
    fn grown(&self, d: f64) -> Cover {
        let k = (d / COVER_CELL_M).ceil() as i64;
        let gap = |n: i64| (n.abs() - 1).max(0) as f64 * COVER_CELL_M;
        let mut cells = std::collections::HashSet::with_capacity(self.cells.len() * 4);
        for &(i, j) in &self.cells {
            for di in -k..=k {
                for dj in -k..=k {
                    if gap(di).hypot(gap(dj)) <= d {
                        cells.insert((i + di, j + dj));
                    }
                }
            }
        }
        Cover { cells }
    }

    fn holds(&self, xy: (f64, f64)) -> bool {
        self.cells.contains(&Cover::cell_of(xy))
    }

    /// The rectangle around every cell, if any.
    fn rect(&self) -> Option<Rect<f64>> {
        let (i0, i1) = (self.cells.iter().map(|c| c.0).min()?, self.cells.iter().map(|c| c.0).max()?);
        let (j0, j1) = (self.cells.iter().map(|c| c.1).min()?, self.cells.iter().map(|c| c.1).max()?);
        let c = COVER_CELL_M;
        Some(Rect::new((i0 as f64 * c, j0 as f64 * c), ((i1 + 1) as f64 * c, (j1 + 1) as f64 * c)))
    }
}

/// Splits `p` into shards under `out` (which must be empty or absent) on `profile` (with its
/// source text) and writes the manifest, telling `step` each step.
/// `halo_m` overrides the radio reach R when it is larger; a smaller one is refused.
pub fn split(
    p: &Project,
    source: BuildingSource,
    (profile, profile_source): (crate::targets::profile::Profile, String),
    by: Grouping,
    halo_m: Option<f64>,
    out: &Path,
    step: super::Steps,
) -> Result<Manifest> {
    let d = &p.data;
    let areas = Areas::of(p, by)?;
    let n = areas.list.len();
    // Owners: an index into the areas, or n + the nearest area's for what lies in no area.
    // What lies in no area (the catch-all) is run by the shard of the nearest area (by its
    // box), counted apart: stray places all over a province then add a little to each shard
    // instead of making one shard carry the whole province. (Which shard runs a place changes
    // no figure: areas are taken from the places, not from the shards.)
    let boxes = &areas.boxes;
    let nearest = |pt: Point<f64>| {
        let gap = |r: &Option<Rect<f64>>| {
            r.map_or(f64::INFINITY, |r| (r.min().x - pt.x()).max(pt.x() - r.max().x).max(0.0).hypot((r.min().y - pt.y()).max(pt.y() - r.max().y).max(0.0)))
        };
        (0..n).min_by(|&a, &b| gap(&boxes[a]).total_cmp(&gap(&boxes[b]))).unwrap_or(0)
    };
    let own = |pt: Point<f64>| areas.owner(pt).unwrap_or_else(|| n + nearest(pt));
    let shard_of = |owner: &Vec<usize>| owner.iter().map(|&k| if k >= n { k - n } else { k }).collect::<Vec<usize>>();
    let village_owner: Vec<usize> = d.villages.par_iter().map(|v| own(v.location)).collect();
    let chunks = Chunks::new(p, source);
    let facts = buildings::gather(&chunks, &own, n, step)?;
    let building_owner = &facts.owner;
    let poi_owner: Vec<usize> = d.pois.par_iter().map(|x| own(x.position)).collect();
    let measurement_owner: Vec<usize> = d.measurements.par_iter().map(|x| own(x.position)).collect();

    let halo = halo(p, halo_m)?;

    let mut outside = vec![0usize; n];
    for &k in village_owner.iter().chain(building_owner).chain(&poi_owner).chain(&measurement_owner).filter(|&&k| k >= n) {
        outside[k - n] += 1;
    }
    let (village_owner, building_owner, poi_owner, measurement_owner) =
        (shard_of(&village_owner), shard_of(building_owner), shard_of(&poi_owner), shard_of(&measurement_owner));
    std::fs::create_dir_all(out).map_err(|e| InputError::io(out, &e))?;
    if std::fs::read_dir(out).map_err(|e| InputError::io(out, &e))?.next().is_some() {
        return Err(InputError::in_file(out, "the output folder is not empty").with_hint("give a new or empty folder"));
    }
    let local = |pt: &Point<f64>| p.frame.forward(pt.x(), pt.y());
    let owners = Owners {
        village: &village_owner,
        building: &building_owner,
        poi: &poi_owner,
        measurement: &measurement_owner,
        sector_xy: d.sectors.iter().map(|x| local(&x.position)).collect(),
        access_point_xy: d.access_points.iter().map(|x| local(&x.position)).collect(),
        cable_lines: d.cables.iter().map(|c| c.route.0.iter().map(|l| l.0.iter().map(|v| p.frame.forward(v.x, v.y)).collect()).collect()).collect(),
        buildings_owned: group(n, building_owner.iter().map(|&k| Some(k))),
        buildings_of_village: group(d.villages.len(), facts.building.iter().map(|b| b.village)),
        building_xy: &facts.xy,
        building_rows: &facts.building,
        buildings_in_cell: {
            let mut cells = std::collections::HashMap::<(i64, i64), Vec<u32>>::new();
            for (b, xy) in facts.xy.iter().enumerate() {
                cells.entry(Cover::cell_of((xy[0], xy[1]))).or_default().push(b as u32);
            }
            cells
        },
        village_links: VillageLinks::of(p),
    };
    let dirs: Vec<PathBuf> = areas.list.iter().map(|a| out.join(folder_name(a.0))).collect();
    let entries: Vec<AreaEntry> = (0..n)
        .into_par_iter()
        .map(|k| {
            let (code, name) = (areas.list[k].0.to_string(), areas.list[k].1.name.clone());
            write_shard(p, &owners, k, &halo, &dirs[k], code, name).map(|e| AreaEntry { outside: outside[k], ..e })
        })
        .collect::<Result<Vec<_>>>()?;
    step(&format!("wrote {n} shards"));
    let operators = crate::coverage::radio::engine::operators_of(p);
    let inputs = crate::report::run_record::inputs(p, &profile_source).map_err(|e| InputError::io(&p.path, &e))?;
    let manifest = Manifest {
        format: FORMAT.into(),
        covplan_version: env!("CARGO_PKG_VERSION").into(),
        project_path: p.path.to_string_lossy().into_owned(),
        project: p.file.to_toml(),
        profile,
        profile_source,
        frame: [p.frame.lon0, p.frame.lat0],
        by,
        halo,
        partition: Partition { operators, inputs },
        terrain: p.terrain.as_ref().map(|t| TerrainGrid {
            origin_x: t.raster.origin_x,
            origin_y: t.raster.origin_y,
            cell_w: t.raster.cell_w,
            cell_h: t.raster.cell_h,
            epsg: t.crs.epsg,
        }),
        areas: entries,
    };
    let path = out.join("manifest.json");
    let text = serde_json::to_string_pretty(&manifest).expect("the manifest serialises");
    crate::fsutil::atomic_write(&path, text.as_bytes()).map_err(|e| InputError::io(&path, &e))?;
    Ok(manifest)
}

/// The halo distances from the project's models; `halo_m` overrides the radio reach R when it
/// is larger, a smaller one is refused.
fn halo(p: &Project, halo_m: Option<f64>) -> Result<Halo> {
    let s = &p.file.coverage;
    let model = crate::coverage::radio::engine::RadioModel::sectors_only(p, &s.radio, &[]);
    let reach = model.max_reach_m();
    let radio_reach_m = match halo_m {
        Some(h) if h < reach => {
            return Err(InputError::in_file(&p.path, format!("--halo-m {h} is shorter than the radio reach of the project's sectors ({reach:.0} m)"))
                .with_hint(format!("leave --halo-m out, or give at least {}", reach.ceil())));
        }
        Some(h) => h,
        None => reach,
    };
    let copper = s.fiber.copper_rate_by_loop.last().map_or(0.0, |c| c.0);
    let fiber_m = s.fiber.connection_distance_m.max(s.fiber.drop_distance_m).max(copper);
    // The far sums look at a sector from the centre of a 100 m cell of a village up to 1 km
    // across (crate::coverage::radio::farfield), and the environment at a building counts its
    // neighbours within 200 m: a little more than that on top of the reaches.
    let spread = 1_500.0;
    Ok(Halo { radio_reach_m, fiber_m, sectors_m: 3.0 * radio_reach_m + spread, buildings_m: 2.0 * radio_reach_m + spread })
}

/// What every shard of one split is chosen from: the owning shard of every place, and the
/// network in the frame (projected once, not once per shard).
struct Owners<'a> {
    village: &'a [usize],
    building: &'a [usize],
    poi: &'a [usize],
    measurement: &'a [usize],
    /// Each sector's and access point's position in the frame.
    sector_xy: Vec<(f64, f64)>,
    access_point_xy: Vec<(f64, f64)>,
    /// Each cable's lines in the frame.
    cable_lines: Vec<Vec<Vec<(f64, f64)>>>,
    /// The buildings each shard owns, of each village and in each cover cell, ascending: a
    /// shard's buildings are found from these, not by a pass over every building of the
    /// project for each shard (which grows with the square of a province's size).
    buildings_owned: Vec<Vec<u32>>,
    buildings_of_village: Vec<Vec<u32>>,
    /// Each building's centroid in the frame, and the building without its footprint (joined
    /// to its village).
    building_xy: &'a [[f64; 2]],
    building_rows: &'a [crate::model::Building],
    buildings_in_cell: std::collections::HashMap<(i64, i64), Vec<u32>>,
    /// What ties villages to each other and to places.
    village_links: VillageLinks,
}

/// What ties villages to each other and to places, for choosing the villages a shard carries.
struct VillageLinks {
    /// The villages whose point lies in each cover cell, ascending.
    in_cell: std::collections::HashMap<(i64, i64), Vec<u32>>,
    /// Villages given as polygons, with their rectangle in the frame.
    areas: Vec<(usize, Rect<f64>)>,
    /// Each natural village's administrative village (by its parent code), and each
    /// administrative village's natural villages.
    parent: Vec<Option<usize>>,
    children: Vec<Vec<u32>>,
    /// Villages a named area of the project lists (by id or name): carried by every shard.
    named: Vec<usize>,
}

impl VillageLinks {
    fn of(p: &Project) -> VillageLinks {
        let d = &p.data;
        let links = VillageLinks {
            in_cell: {
                let mut cells = std::collections::HashMap::<(i64, i64), Vec<u32>>::new();
                for (v, xy) in p.index.village_xy.iter().enumerate() {
                    cells.entry(Cover::cell_of((xy[0], xy[1]))).or_default().push(v as u32);
                }
                cells
            },
            areas: d
                .villages
                .iter()
                .enumerate()
                .filter_map(|(v, x)| {
                    let r = p.frame.polygon_metrics(x.area.as_deref()?).rect;
                    Some((v, Rect::new((r[0], r[1]), (r[2], r[3]))))
                })
                .collect(),
            parent: {
                let by_id: std::collections::HashMap<&str, usize> =
                    d.villages.iter().enumerate().filter(|(_, v)| v.kind == VillageKind::Administrative).map(|(i, v)| (v.id.as_str(), i)).collect();
                d.villages.iter().map(|v| v.parent_code.as_deref().filter(|_| v.kind == VillageKind::Natural).and_then(|c| by_id.get(c).copied())).collect()
            },
            children: Vec::new(),
            named: {
                let named: std::collections::BTreeSet<&str> = p.file.analysis.areas.values().flat_map(|a| a.villages.iter().map(String::as_str)).collect();
                (0..d.villages.len()).filter(|&v| named.contains(d.villages[v].id.as_str()) || named.contains(d.villages[v].name.as_str())).collect()
            },
        };
        VillageLinks { children: group(d.villages.len(), links.parent.iter().copied()), ..links }
    }
}

/// The indices of `keys` (one key per item, or none) grouped by key: `groups` lists, ascending.
fn group(groups: usize, keys: impl Iterator<Item = Option<usize>>) -> Vec<Vec<u32>> {
    let mut out = vec![Vec::new(); groups];
    for (i, k) in keys.enumerate() {
        if let Some(k) = k {
            out[k].push(i as u32);
        }
    }
    out
}

/// What a shard carries beside what it owns.
struct Carried {
    /// The frame rectangle the terrain window must cover, if the shard owns anything.
    terrain: Option<Rect<f64>>,
    /// The buildings carried (owned ones included), ascending.
    buildings: Vec<u32>,
    /// The villages carried (owned ones included), ascending.
    villages: Vec<usize>,
    /// Indices of the sectors, cables and access points carried, ascending.
    sectors: Vec<usize>,
    cables: Vec<usize>,
    access_points: Vec<usize>,
}

/// Chooses what shard `k` carries (see the module doc of [`super`]).
fn carried(p: &Project, o: &Owners, k: usize, halo: &Halo) -> Carried {
    let d = &p.data;
    let idx = &p.index;
    let owned_villages: Vec<usize> = (0..d.villages.len()).filter(|&i| o.village[i] == k).collect();
    // The places whose results the owned verdicts read: owned ones and the buildings of owned
    // villages (a village's verdict counts its buildings).
    let mut needed_buildings: Vec<u32> = o.buildings_owned[k].clone();
    needed_buildings.extend(owned_villages.iter().flat_map(|&v| &o.buildings_of_village[v]));
    needed_buildings.sort_unstable();
    needed_buildings.dedup();
    // Their extent in the frame; village polygons count whole.
    let mut points: Vec<[f64; 2]> = owned_villages.iter().map(|&v| idx.village_xy[v]).collect();
    points.extend(needed_buildings.iter().map(|&b| o.building_xy[b as usize]));
    points.extend(d.pois.iter().enumerate().filter(|(i, _)| o.poi[*i] == k).map(|(_, x)| {
        let (x, y) = p.frame.forward(x.position.x(), x.position.y());
        [x, y]
    }));
    let mut radius = 200.0f64; // a footprint's reach from its point
    for &v in &owned_villages {
        if let Some(a) = &d.villages[v].area {
            let r = p.frame.polygon_metrics(a).rect;
            let [x, y] = idx.village_xy[v];
            radius = radius.max((x - r[0]).abs().max((r[2] - x).abs()).hypot((y - r[1]).abs().max((r[3] - y).abs())));
        }
    }
    let cover = Cover::of(&points, radius);
    // Fiber: within the rules' distance, and out to each needed place's nearest cable and
    // fiber access point (its evidence names them). A place lies within half a cell's diagonal
    // of its cell's centre, so its nearest is at most the centre's plus that: found per cell,
    // not per place (a county's 180 000 places made the nearest the split's costliest step).
    let aps = &d.access_points;
    let half_diagonal = COVER_CELL_M * std::f64::consts::FRAC_1_SQRT_2;
    let nearest = Cover::of(&points, 0.0)
        .cells
        .par_iter()
        .map(|&(i, j)| {
            let (x, y) = ((i as f64 + 0.5) * COVER_CELL_M, (j as f64 + 0.5) * COVER_CELL_M);
            let ap = idx.access_points.nearest_iter(x, y).find(|&(a, _)| aps[a].tech != AccessTech::Copper).map_or(0.0, |a| a.1);
            let cable = idx.cables.nearest(x, y).map_or(0.0, |c| c.1);
            ap.max(cable) + half_diagonal
        })
        .reduce(|| 0.0, f64::max);
    let near_sectors = cover.grown(halo.sectors_m);
    let sectors: Vec<usize> = (0..d.sectors.len()).filter(|&i| near_sectors.holds(o.sector_xy[i])).collect();
    // Cables are sampled every half cell: a cable within the distance has a sample within it
    // plus half a cell, so the cover is grown by a whole cell more.
    let fiber = cover.grown(halo.fiber_m.max(nearest) + COVER_CELL_M);
    let access_points: Vec<usize> = (0..aps.len()).filter(|&i| fiber.holds(o.access_point_xy[i])).collect();
    let sampled_within = |line: &[(f64, f64)]| {
        line.windows(2).any(|w| {
            let (a, b) = (w[0], w[1]);
            let n = ((a.0 - b.0).hypot(a.1 - b.1) / (COVER_CELL_M / 2.0)).ceil().max(1.0) as usize;
            (0..=n).any(|k| {
                let t = k as f64 / n as f64;
                fiber.holds((a.0 + t * (b.0 - a.0), a.1 + t * (b.1 - a.1)))
            })
        })
    };
    let cables: Vec<usize> = (0..d.cables.len()).filter(|&c| o.cable_lines[c].iter().any(|l| sampled_within(l))).collect();
    let near = cover.grown(halo.buildings_m);
    let mut buildings = needed_buildings;
    buildings.extend(near.cells.iter().filter_map(|c| o.buildings_in_cell.get(c)).flatten());
    // A carried building's village brings its other buildings (its spread and households).
    let villages_of: std::collections::BTreeSet<usize> = buildings.iter().filter_map(|&b| o.building_rows[b as usize].village).collect();
    buildings.extend(villages_of.iter().flat_map(|&v| &o.buildings_of_village[v]));
    buildings.sort_unstable();
    buildings.dedup();
    let villages = carried_villages(p, o, &owned_villages, &buildings);
    let terrain = near_sectors.rect();
    Carried { terrain, buildings, villages, sectors, cables, access_points }
}

/// The villages a shard carries: its own, those of its buildings, every village a carried
/// building could be joined to (a point within the join radius, a polygon near it), the
/// administrative village of each and the natural villages of every administrative one
/// (hierarchies and inherited urban-rural codes), and the villages named areas list. Not every
/// village of the province: each shard would compute links at all of them.
fn carried_villages(p: &Project, o: &Owners, owned: &[usize], buildings: &[u32]) -> Vec<usize> {
    let d = &p.data;
    let mut points: Vec<[f64; 2]> = buildings.iter().map(|&b| o.building_xy[b as usize]).collect();
    points.extend(owned.iter().map(|&v| p.index.village_xy[v]));
    // The join radius, and the 200 m a footprint reaches from its centroid.
    let near = Cover::of(&points, p.file.settings.building_village_radius_m.max(0.0) + 200.0);
    let mut keep = vec![false; d.villages.len()];
    let mut mark = |v: usize| keep[v] = true;
    owned.iter().copied().for_each(&mut mark);
    buildings.iter().filter_map(|&b| o.building_rows[b as usize].village).for_each(&mut mark);
    near.cells.iter().filter_map(|c| o.village_links.in_cell.get(c)).flatten().for_each(|&v| mark(v as usize));
    if let Some(r) = near.rect() {
        o.village_links.areas.iter().filter(|(_, a)| a.intersects(&r)).for_each(|&(v, _)| mark(v));
    }
    o.village_links.named.iter().copied().for_each(&mut mark);
    for v in 0..keep.len() {
        if let Some(a) = o.village_links.parent[v].filter(|_| keep[v]) {
            keep[a] = true;
        }
    }
    for v in 0..keep.len() {
        if keep[v] {
            for &c in &o.village_links.children[v] {
                keep[c as usize] = true;
            }
        }
    }
    (0..keep.len()).filter(|&v| keep[v]).collect()
}

/// Writes what shard `k` owns and carries into `dir`.
fn write_shard(p: &Project, o: &Owners, k: usize, halo: &Halo, dir: &Path, code: String, name: String) -> Result<AreaEntry> {
    let d = &p.data;
    let aps = &d.access_points;
    let Carried { terrain, buildings, villages, sectors, cables, access_points } = carried(p, o, k, halo);
    std::fs::create_dir_all(dir).map_err(|e| InputError::io(dir, &e))?;
    let rows = |n: usize, keep: &dyn Fn(usize) -> bool, owned: &dyn Fn(usize) -> bool| -> (Vec<usize>, Vec<bool>) {
        let seq: Vec<usize> = (0..n).filter(|&i| keep(i)).collect();
        let own = seq.iter().map(|&i| owned(i)).collect();
        (seq, own)
    };
    fn make<'a, T>(all: &'a [T], (seq, owned): (Vec<usize>, Vec<bool>)) -> Rows<'a, T> {
        Rows { items: seq.iter().map(|&i| &all[i]).collect(), seq, owned }
    }
    let write = |file: &str, t: crate::io::geoparquet::GeoTable| crate::io::geoparquet::write(&dir.join(file), &t);
    let village_owned = villages.iter().map(|&v| o.village[v] == k).collect();
    let villages = make(&d.villages, (villages, village_owned));
    let sector_rows = Rows { items: sectors.iter().map(|&i| &d.sectors[i]).collect(), owned: vec![false; sectors.len()], seq: sectors.clone() };
    let cable_rows = Rows { items: cables.iter().map(|&i| &d.cables[i]).collect(), owned: vec![false; cables.len()], seq: cables.clone() };
    let ap_rows = Rows { items: access_points.iter().map(|&i| &aps[i]).collect(), owned: vec![false; access_points.len()], seq: access_points.clone() };
    let admin = make(&d.admin_areas, rows(d.admin_areas.len(), &|_| true, &|_| false));
    let pois = make(&d.pois, rows(d.pois.len(), &|_| true, &|i| o.poi[i] == k));
    let measurements = make(&d.measurements, rows(d.measurements.len(), &|i| o.measurement[i] == k, &|_| true));
    let owned = [
        villages.owned.iter().filter(|&&x| x).count(),
        buildings.iter().filter(|&&b| o.building[b as usize] == k).count(),
        pois.owned.iter().filter(|&&x| x).count(),
        measurements.items.len(),
    ];
    let carried = [villages.items.len(), buildings.len(), sectors.len(), cables.len(), access_points.len()];
    let building_rows = Rows {
        items: buildings.iter().map(|&b| &o.building_rows[b as usize]).collect(),
        seq: buildings.iter().map(|&b| b as usize).collect(),
        owned: buildings.iter().map(|&b| o.building[b as usize] == k).collect(),
    };
    let placed: Vec<tables::Placed> = buildings.iter().map(|&b| (o.building_xy[b as usize], o.building_rows[b as usize].village)).collect();
    write("buildings.parquet", tables::placed_buildings(&building_rows, &placed, &p.frame))?;
    write("villages.parquet", tables::villages(&villages))?;
    write("sectors.parquet", tables::sectors(&sector_rows))?;
    write("cables.parquet", tables::cables(&cable_rows))?;
    write("access_points.parquet", tables::access_points(&ap_rows))?;
    write("admin_areas.parquet", tables::admin_areas(&admin))?;
    write("pois.parquet", tables::pois(&pois))?;
    write("measurements.parquet", tables::measurements(&measurements))?;
    let terrain_window = match (&p.terrain, terrain) {
        (Some(t), Some(r)) => Some(super::terrain::write_window(p, t, r, &dir.join("terrain.tif"))?),
        _ => None,
    };
    Ok(AreaEntry { code, name, owned, outside: 0, carried, terrain_window })
}
