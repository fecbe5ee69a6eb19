//! The buildings of a split, a few building layers at a time (one per thread): a province's
//! buildings are never held at once. A first pass keeps what the split decides with (each
//! building's point in the frame, its village and its owner: a few dozen bytes, not its
//! footprint); a second writes each shard's rows of each layer as a part file, with the point
//! and village the first pass found; each shard's parts are then joined into its buildings
//! table without decoding a footprint, the same bytes as a table written whole.

use super::tables::{self, Rows};
use crate::error::{InputError, Result};
use crate::io::geoparquet;
use crate::model::Building;
use crate::project::{LayerSpec, Project, Role, VillageJoin};
use geo::{Centroid, Point};
use rayon::prelude::*;
use std::borrow::Cow;
use std::path::{Path, PathBuf};

/// Where a split takes the buildings from.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum BuildingSource {
    /// The project holds them (loaded whole).
    Loaded,
    /// The project was loaded by [`Project::load_without_buildings`]: its building layers are
    /// read one at a time, twice.
    Layers,
}

/// The buildings in whole-project order, a chunk (a layer) at a time.
pub(super) struct Chunks<'a> {
    p: &'a Project,
    /// The building layers and the village join, when they are read a layer at a time.
    layers: Option<(Vec<&'a LayerSpec>, VillageJoin<'a>)>,
}

/// A chunk's buildings joined to their villages, and their centroids in the frame.
type Joined<'a> = (Cow<'a, [Building]>, Cow<'a, [[f64; 2]]>);

impl<'a> Chunks<'a> {
    pub(super) fn new(p: &'a Project, source: BuildingSource) -> Chunks<'a> {
        let layers = (source == BuildingSource::Layers).then(|| (p.file.layers.iter().filter(|l| l.role == Role::Buildings).collect(), p.village_join()));
        Chunks { p, layers }
    }

    fn len(&self) -> usize {
        self.layers.as_ref().map_or(1, |l| l.0.len())
    }

    /// Chunk `i` for the first pass: its buildings joined to their villages, and their
    /// centroids in the frame.
    fn joined(&self, i: usize) -> Result<Joined<'a>> {
        match &self.layers {
            None => Ok((Cow::Borrowed(&self.p.data.buildings[..]), Cow::Borrowed(&self.p.index.building_xy[..]))),
            Some((layers, join)) => {
                let mut b = self.p.read_buildings(layers[i])?;
                let xy = crate::spatial::PlanIndex::building_centroids(&self.p.frame, &b);
                join.assign(&mut b, &xy);
                Ok((Cow::Owned(b), Cow::Owned(xy)))
            }
        }
    }

    /// Chunk `i` for the second pass, whose first building has the whole-project index
    /// `start`: its buildings with the villages the first pass found (`village`, by
    /// whole-project index; not joined, nor their centroids found, twice).
    fn with_villages(&self, i: usize, start: usize, village: &[Option<usize>]) -> Result<Cow<'a, [Building]>> {
        match &self.layers {
            None => Ok(Cow::Borrowed(&self.p.data.buildings[..])),
            Some((layers, _)) => {
                let mut b = self.p.read_buildings(layers[i])?;
                b.iter_mut().zip(&village[start..]).for_each(|(b, &v)| b.village = v);
                Ok(Cow::Owned(b))
            }
        }
    }
}

/// What the split knows of every building, by whole-project index.
pub(super) struct Facts {
    /// Centroid in the frame.
    pub xy: Vec<[f64; 2]>,
    /// Village.
    pub village: Vec<Option<usize>>,
    /// Owner: an area's index, or the number of areas plus the nearest area's for a building
    /// in no area.
    pub owner: Vec<usize>,
    /// Where each chunk starts; the last entry is the number of buildings.
    pub starts: Vec<usize>,
}

/// The chunks `0..chunks` in windows of as many as there are threads: layers are read side by
/// side (reading one is partly serial), and at most that many are held at once.
fn windows(chunks: usize) -> impl Iterator<Item = std::ops::Range<usize>> {
    let w = rayon::current_num_threads().max(1);
    (0..chunks).step_by(w).map(move |a| a..(a + w).min(chunks))
}

/// Tells `step` that chunks `r` of `n` are done: "`verb` building layers 3–4 of 24`rest`".
fn tell(step: super::Steps, (verb, rest): (&str, &str), r: &std::ops::Range<usize>, n: usize) {
    let layers = if r.len() == 1 { format!("layer {}", r.start + 1) } else { format!("layers {}–{}", r.start + 1, r.end) };
    step(&format!("{verb} building {layers} of {n}{rest}"));
}

/// The first pass: every building's point, village and owner (`own` of its lon/lat centroid;
/// `none` for a footprint without one).
pub(super) fn gather(chunks: &Chunks, own: &(dyn Fn(Point<f64>) -> usize + Sync), none: usize, step: super::Steps) -> Result<Facts> {
    let mut f = Facts { xy: Vec::new(), village: Vec::new(), owner: Vec::new(), starts: vec![0] };
    for window in windows(chunks.len()) {
        let read = window
            .clone()
            .into_par_iter()
            .map(|i| {
                let (buildings, xy) = chunks.joined(i)?;
                let owner: Vec<usize> = buildings.par_iter().map(|b| b.footprint.centroid().map_or(none, own)).collect();
                let village: Vec<Option<usize>> = buildings.iter().map(|b| b.village).collect();
                Ok((owner, village, xy.into_owned()))
            })
            .collect::<Result<Vec<_>>>()?;
        for (owner, village, xy) in read {
            f.owner.extend(owner);
            f.village.extend(village);
            f.xy.extend(xy);
            f.starts.push(f.xy.len());
        }
        tell(step, ("read", " (points, villages, owners)"), &window, chunks.len());
    }
    Ok(f)
}

fn part_name(chunk: usize) -> String {
    format!("buildings.part-{chunk:06}.parquet")
}

/// The second pass: for each chunk, each shard's rows of it (`carried[k]`, ascending) written as
/// a part in `dirs[k]`; `shard[b]` is the shard owning building `b`.
pub(super) fn write_parts(chunks: &Chunks, facts: &Facts, shard: &[usize], carried: &[Vec<u32>], dirs: &[PathBuf], step: super::Steps) -> Result<()> {
    for window in windows(chunks.len()) {
        window.clone().into_par_iter().try_for_each(|i| write_chunk_parts(chunks, i, facts, shard, carried, dirs))?;
        tell(step, ("wrote", " to the shards"), &window, chunks.len());
    }
    Ok(())
}

/// Writes each shard's part of chunk `i` (see [`write_parts`]).
fn write_chunk_parts(chunks: &Chunks, i: usize, facts: &Facts, shard: &[usize], carried: &[Vec<u32>], dirs: &[PathBuf]) -> Result<()> {
    let (start, end) = (facts.starts[i], facts.starts[i + 1]);
    let buildings = chunks.with_villages(i, start, &facts.village)?;
    carried.par_iter().zip(dirs).enumerate().try_for_each(|(k, (list, dir))| {
        let (a, b) = (list.partition_point(|&x| (x as usize) < start), list.partition_point(|&x| (x as usize) < end));
        if a == b {
            return Ok(());
        }
        let seq: Vec<usize> = list[a..b].iter().map(|&x| x as usize).collect();
        let placed: Vec<tables::Placed> = seq.iter().map(|&s| (facts.xy[s], facts.village[s])).collect();
        let rows = Rows { items: seq.iter().map(|&s| &buildings[s - start]).collect(), owned: seq.iter().map(|&s| shard[s] == k).collect(), seq };
        // A part lives until the join: written without syncing (the joined table is).
        let path = dir.join(part_name(i));
        let bytes =
            geoparquet::to_bytes(&tables::buildings(&rows, &placed)).map_err(|e| InputError::in_file(&path, format!("cannot write GeoParquet: {e}")))?;
        std::fs::write(&path, bytes).map_err(|e| InputError::io(&path, &e))
    })
}

/// Joins the parts in `dir` (chunks `0..chunks`) into `buildings.parquet` and removes them.
pub(super) fn join_parts(dir: &Path, chunks: usize) -> Result<()> {
    let out = dir.join("buildings.parquet");
    let parts: Vec<PathBuf> = (0..chunks).map(|i| dir.join(part_name(i))).filter(|p| p.is_file()).collect();
    match &parts[..] {
        [] => geoparquet::write(&out, &tables::buildings(&Rows { items: Vec::new(), seq: Vec::new(), owned: Vec::new() }, &[])),
        [only] => {
            std::fs::rename(only, &out).map_err(|e| InputError::io(&out, &e))?;
            crate::fsutil::settle(&out).map_err(|e| InputError::io(&out, &e))
        }
        _ => {
            geoparquet::write_concat(&out, &parts)?;
            parts.iter().try_for_each(|p| std::fs::remove_file(p).map_err(|e| InputError::io(p, &e)))
        }
    }
}
