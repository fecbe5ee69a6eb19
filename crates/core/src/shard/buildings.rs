//! The buildings of a split, a building layer at a time: a province's buildings are never held
//! at once. A first pass keeps what the split decides with (each building's point in the frame,
//! its village and its owner: a few dozen bytes, not its footprint); a second writes each
//! shard's rows of each layer as a part file; each shard's parts are then joined into its
//! buildings table, the same bytes as a table written whole.

use super::tables::{self, Rows};
use crate::error::{InputError, Result};
use crate::io::geoparquet::{self, GeoTable};
use crate::model::Building;
use crate::project::{LayerSpec, Project, Role};
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
    layers: Option<Vec<&'a LayerSpec>>,
}

/// One chunk: its buildings and their centroids in the frame.
type Chunk<'a> = (Cow<'a, [Building]>, Cow<'a, [[f64; 2]]>);

impl<'a> Chunks<'a> {
    pub(super) fn new(p: &'a Project, source: BuildingSource) -> Chunks<'a> {
        let layers = (source == BuildingSource::Layers).then(|| p.file.layers.iter().filter(|l| l.role == Role::Buildings).collect());
        Chunks { p, layers }
    }

    fn len(&self) -> usize {
        self.layers.as_ref().map_or(1, Vec::len)
    }

    fn get(&self, i: usize) -> Result<Chunk<'a>> {
        match &self.layers {
            None => Ok((Cow::Borrowed(&self.p.data.buildings[..]), Cow::Borrowed(&self.p.index.building_xy[..]))),
            Some(layers) => {
                let (b, xy) = self.p.read_buildings(layers[i])?;
                Ok((Cow::Owned(b), Cow::Owned(xy)))
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

/// The first pass: every building's point, village and owner (`own` of its lon/lat centroid;
/// `none` for a footprint without one).
pub(super) fn gather(chunks: &Chunks, own: &(dyn Fn(Point<f64>) -> usize + Sync), none: usize, step: super::Steps) -> Result<Facts> {
    let mut f = Facts { xy: Vec::new(), village: Vec::new(), owner: Vec::new(), starts: vec![0] };
    for i in 0..chunks.len() {
        let (buildings, xy) = chunks.get(i)?;
        f.owner.par_extend(buildings.par_iter().map(|b| b.footprint.centroid().map_or(none, own)));
        f.village.extend(buildings.iter().map(|b| b.village));
        f.xy.extend_from_slice(&xy);
        f.starts.push(f.xy.len());
        step(&format!("read building layer {} of {} (points, villages, owners)", i + 1, chunks.len()));
    }
    Ok(f)
}

fn part_name(chunk: usize) -> String {
    format!("buildings.part-{chunk:06}.parquet")
}

/// The second pass: for each chunk, each shard's rows of it (`carried[k]`, ascending) written as
/// a part in `dirs[k]`; `shard[b]` is the shard owning building `b`.
pub(super) fn write_parts(chunks: &Chunks, facts: &Facts, shard: &[usize], carried: &[Vec<u32>], dirs: &[PathBuf], step: super::Steps) -> Result<()> {
    for i in 0..chunks.len() {
        let (buildings, _) = chunks.get(i)?;
        let (start, end) = (facts.starts[i], facts.starts[i + 1]);
        carried.par_iter().zip(dirs).enumerate().try_for_each(|(k, (list, dir))| {
            let (a, b) = (list.partition_point(|&x| (x as usize) < start), list.partition_point(|&x| (x as usize) < end));
            if a == b {
                return Ok(());
            }
            let seq: Vec<usize> = list[a..b].iter().map(|&x| x as usize).collect();
            let rows = Rows { items: seq.iter().map(|&s| &buildings[s - start]).collect(), owned: seq.iter().map(|&s| shard[s] == k).collect(), seq };
            geoparquet::write(&dir.join(part_name(i)), &tables::buildings(&rows))
        })?;
        step(&format!("wrote building layer {} of {} to the shards", i + 1, chunks.len()));
    }
    Ok(())
}

/// Joins the parts in `dir` (chunks `0..chunks`) into `buildings.parquet` and removes them.
pub(super) fn join_parts(dir: &Path, chunks: usize) -> Result<()> {
    let out = dir.join("buildings.parquet");
    let parts: Vec<PathBuf> = (0..chunks).map(|i| dir.join(part_name(i))).filter(|p| p.is_file()).collect();
    if let [only] = &parts[..] {
        return std::fs::rename(only, &out).map_err(|e| InputError::io(&out, &e));
    }
    let mut whole: Option<GeoTable> = None;
    for part in &parts {
        let t = geoparquet::read(part)?;
        match &mut whole {
            None => whole = Some(t),
            Some(w) => w.append(t).map_err(|e| InputError::in_file(part, e))?,
        }
    }
    let whole = whole.unwrap_or_else(|| tables::buildings(&Rows { items: Vec::new(), seq: Vec::new(), owned: Vec::new() }));
    geoparquet::write(&out, &whole)?;
    parts.iter().try_for_each(|p| std::fs::remove_file(p).map_err(|e| InputError::io(p, &e)))
}
