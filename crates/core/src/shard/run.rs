//! `covplan run --shard`: a shard loaded as a project (with the whole project's frame, operators
//! and terrain grid), analysed, and only what its area owns written out.

use super::tables;
use super::{AreaEntry, Manifest};
use crate::error::{InputError, Result};
use crate::io::geoparquet::{self, Column, GeoTable};
use crate::project::{PlanData, Project, ProjectFile};
use crate::spatial::LocalFrame;
use crate::targets::places::PlaceRef;
use geo::{Geometry, Point};
use std::path::{Path, PathBuf};
use std::sync::Arc;

/// A shard loaded: the project it makes and which of its places it owns, by whole-project index.
pub struct Shard {
    /// The manifest of the shards.
    pub manifest: Manifest,
    /// This shard's entry.
    pub entry: AreaEntry,
    /// The shard as a project (whole frame, operators, terrain grid), its buildings placed
    /// without their footprints ([`Project::from_placed_data`]): for analysis, not for maps.
    pub project: Project,
    /// Whole-project index of each village, building, point of interest and measurement.
    pub seq: [Vec<usize>; 4],
    /// Whether the shard owns each village, building, point of interest and measurement.
    pub owned: [Vec<bool>; 4],
}

fn split_read<T>(rows: tables::Read<T>) -> (Vec<T>, Vec<usize>, Vec<bool>) {
    let mut items = Vec::with_capacity(rows.len());
    let (mut seq, mut owned) = (Vec::with_capacity(rows.len()), Vec::with_capacity(rows.len()));
    for (s, o, t) in rows {
        items.push(t);
        seq.push(s);
        owned.push(o);
    }
    (items, seq, owned)
}

fn table(dir: &Path, name: &str) -> Result<(GeoTable, PathBuf)> {
    let path = dir.join(name);
    Ok((geoparquet::read(&path)?, path))
}

/// Loads the shard in folder `dir` (a folder `covplan shard` wrote; the manifest is beside it).
pub fn load(dir: &Path) -> Result<Shard> {
    let root = dir.parent().ok_or_else(|| InputError::in_file(dir, "a shard folder lies inside the folder covplan shard wrote"))?;
    let manifest = super::read_manifest(root)?;
    let name = dir.file_name().map(|n| n.to_string_lossy().into_owned()).unwrap_or_default();
    let entry = manifest.areas.iter().find(|a| super::folder_name(&a.code) == name).cloned().ok_or_else(|| {
        InputError::in_file(dir, format!("'{name}' is not one of the shards in {}", root.join("manifest.json").display()))
            .with_hint("give a folder the manifest lists")
    })?;
    let (t, path) = table(dir, "villages.parquet")?;
    let (villages, vseq, vown) = split_read(tables::read_villages(&t, &path)?);
    // The buildings as the split placed them (their footprints are not read): each one's
    // village from the whole project's index to the shard's.
    let path = dir.join("buildings.parquet");
    let (placed, bseq, bown) = split_read(tables::read_placed_buildings(&geoparquet::read_attributes(&path)?, &path)?);
    let mut buildings = Vec::with_capacity(placed.len());
    let mut building_xy = Vec::with_capacity(placed.len());
    for (row, (mut b, xy)) in placed.into_iter().enumerate() {
        b.village = match b.village {
            None => None,
            Some(v) => Some(vseq.binary_search(&v).map_err(|_| {
                InputError::in_file(&path, format!("row {}: village {v} is not among the shard's villages", row + 1)).with_hint("shard the project again")
            })?),
        };
        buildings.push(b);
        building_xy.push(xy);
    }
    let (t, path) = table(dir, "pois.parquet")?;
    let (pois, pseq, pown) = split_read(tables::read_pois(&t, &path)?);
    let (t, path) = table(dir, "measurements.parquet")?;
    let (measurements, mseq, mown) = split_read(tables::read_measurements(&t, &path)?);
    let (t, path) = table(dir, "sectors.parquet")?;
    let sectors = split_read(tables::read_sectors(&t, &path)?).0;
    let (t, path) = table(dir, "cables.parquet")?;
    let cables = split_read(tables::read_cables(&t, &path)?).0;
    let (t, path) = table(dir, "access_points.parquet")?;
    let access_points = split_read(tables::read_access_points(&t, &path)?).0;
    let (t, path) = table(dir, "admin_areas.parquet")?;
    let admin_areas = split_read(tables::read_admin_areas(&t, &path)?).0;
    let terrain = match (manifest.terrain, entry.terrain_window) {
        (Some(grid), Some(first_cell)) => Some(super::terrain::read_window(&dir.join("terrain.tif"), &grid, first_cell)?),
        _ => None,
    };
    let project_path = PathBuf::from(&manifest.project_path);
    let file = ProjectFile::parse(&project_path, &manifest.project)?;
    let mut data = PlanData { sectors, cables, access_points, ..Default::default() };
    data.villages.append_vec(villages);
    data.buildings.append_vec(buildings);
    data.admin_areas.append_vec(admin_areas);
    data.pois.append_vec(pois);
    data.measurements.append_vec(measurements);
    let frame = LocalFrame::new(manifest.frame[0], manifest.frame[1]);
    let mut project = Project::from_placed_data(&project_path, file, data, terrain, frame, building_xy);
    project.partition = Some(Arc::new(manifest.partition.clone()));
    Ok(Shard { manifest, entry, project, seq: [vseq, bseq, pseq, mseq], owned: [vown, bown, pown, mown] })
}

/// What one shard's run found.
#[derive(Debug, Clone, PartialEq)]
pub struct ShardRun {
    /// The area's code.
    pub code: String,
    /// Verdicts written (owned places × targets).
    pub verdicts: usize,
    /// Milliseconds: loading, analysis.
    pub ms: (f64, f64),
}

/// The place kinds as written in `verdicts.parquet`.
pub(super) const KINDS: [&str; 3] = ["village", "building", "poi"];

/// A place's point in lon/lat (a building's: its centroid in the frame, taken back to lon/lat).
fn place_point(p: &Project, place: PlaceRef) -> Point<f64> {
    match place {
        PlaceRef::Village(v) => p.data.villages[v].location,
        PlaceRef::Building(b) => {
            let [x, y] = p.index.building_xy[b];
            p.frame.inverse(x, y).into()
        }
        PlaceRef::Poi(i) => p.data.pois[i].position,
    }
}

/// Analyses the shard in `dir` and writes what it owns to `out`: `verdicts.parquet` (one row per
/// owned place and target), its owned villages, buildings, points of interest and measurements,
/// the admin areas, and `manifest.json` with `shard.json` naming the area and counting the
/// verdict rows of each target.
pub fn run_shard(dir: &Path, out: &Path) -> Result<ShardRun> {
    let t0 = std::time::Instant::now();
    let shard = load(dir)?;
    let t1 = std::time::Instant::now();
    let p = &shard.project;
    let m = &shard.manifest;
    let owned = |place: PlaceRef| match place {
        PlaceRef::Village(i) => shard.owned[0][i],
        PlaceRef::Building(i) => shard.owned[1][i],
        PlaceRef::Poi(i) => shard.owned[2][i],
    };
    let a = crate::analysis::run_for_gaps_of(p, m.profile.clone(), m.profile_source.clone(), &owned)?;
    // Only owned places were judged.
    let mut rows: Vec<(i64, usize, usize, &crate::analysis::PlaceVerdict)> = Vec::new();
    // Rows per target, so that a merge sizes its lists once instead of growing them.
    let mut per_target = vec![0usize; a.targets.len()];
    for (ti, t) in a.targets.iter().enumerate() {
        for v in &t.places {
            let (kind, i) = match v.place {
                PlaceRef::Village(i) => (0, i),
                PlaceRef::Building(i) => (1, i),
                PlaceRef::Poi(i) => (2, i),
            };
            rows.push((ti as i64, kind, i, v));
            per_target[ti] += 1;
        }
    }
    let text = |f: &dyn Fn(&crate::analysis::PlaceVerdict) -> Option<String>| Column::Text(rows.iter().map(|r| f(r.3)).collect());
    let verdicts = GeoTable {
        geometry: rows.iter().map(|r| Geometry::Point(place_point(p, r.3.place))).collect(),
        columns: vec![
            ("target".into(), Column::Int(rows.iter().map(|r| Some(r.0)).collect())),
            ("kind".into(), Column::Text(rows.iter().map(|r| Some(KINDS[r.1].to_string())).collect())),
            ("seq".into(), Column::Int(rows.iter().map(|r| Some(shard.seq[r.1][r.2] as i64)).collect())),
            ("state".into(), Column::Text(rows.iter().map(|r| Some(r.3.outcome.state.code().to_string())).collect())),
            ("reason".into(), Column::Text(rows.iter().map(|r| r.3.outcome.reason.map(|x| x.code().to_string())).collect())),
            ("evidence".into(), text(&|v| Some(v.outcome.evidence.to_string()))),
            ("households".into(), Column::Float(rows.iter().map(|r| r.3.households).collect())),
            ("weight".into(), Column::Float(rows.iter().map(|r| r.3.weight).collect())),
            ("subscribers".into(), Column::Float(rows.iter().map(|r| r.3.subscribers).collect())),
        ],
    };
    std::fs::create_dir_all(out).map_err(|e| InputError::io(out, &e))?;
    geoparquet::write(&out.join("verdicts.parquet"), &verdicts)?;
    write_owned(&shard, out)?;
    let manifest = serde_json::to_string_pretty(m).expect("the manifest serialises");
    crate::fsutil::atomic_write(&out.join("manifest.json"), manifest.as_bytes()).map_err(|e| InputError::io(out, &e))?;
    let shard_json = serde_json::to_string_pretty(&serde_json::json!({ "code": shard.entry.code, "verdicts": rows.len(), "verdicts_per_target": per_target }))
        .expect("serialises");
    crate::fsutil::atomic_write(&out.join("shard.json"), shard_json.as_bytes()).map_err(|e| InputError::io(out, &e))?;
    Ok(ShardRun { code: shard.entry.code.clone(), verdicts: rows.len(), ms: ((t1 - t0).as_secs_f64() * 1e3, t1.elapsed().as_secs_f64() * 1e3) })
}

/// The places the shard owns, as tables (and every admin area).
fn write_owned(s: &Shard, out: &Path) -> Result<()> {
    let d = &s.project.data;
    fn owned_rows<'a, T>(all: &'a [T], seq: &[usize], owned: &[bool]) -> tables::Rows<'a, T> {
        let keep: Vec<usize> = (0..all.len()).filter(|&i| owned[i]).collect();
        tables::Rows { items: keep.iter().map(|&i| &all[i]).collect(), seq: keep.iter().map(|&i| seq[i]).collect(), owned: vec![true; keep.len()] }
    }
    let write = |name: &str, t: GeoTable| geoparquet::write(&out.join(name), &t);
    write("villages.parquet", tables::villages(&owned_rows(&d.villages, &s.seq[0], &s.owned[0])))?;
    let idx = &s.project.index;
    let placed: Vec<tables::Placed> =
        (0..d.buildings.len()).filter(|&i| s.owned[1][i]).map(|i| (idx.building_xy[i], d.buildings[i].village.map(|v| s.seq[0][v]))).collect();
    write("buildings.parquet", tables::placed_buildings(&owned_rows(&d.buildings, &s.seq[1], &s.owned[1]), &placed, &s.project.frame))?;
    write("pois.parquet", tables::pois(&owned_rows(&d.pois, &s.seq[2], &s.owned[2])))?;
    write("measurements.parquet", tables::measurements(&owned_rows(&d.measurements, &s.seq[3], &s.owned[3])))?;
    let admin = tables::Rows { items: d.admin_areas.iter().collect(), seq: (0..d.admin_areas.len()).collect(), owned: vec![false; d.admin_areas.len()] };
    write("admin_areas.parquet", tables::admin_areas(&admin))
}
