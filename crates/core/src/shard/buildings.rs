//! The buildings of a split, a few building layers at a time (one per thread): a province's
//! footprints are never held at once. One pass keeps what the split decides with and what a
//! shard's table holds: each building without its footprint, its point in the frame, its
//! village and its owner (a couple of hundred bytes). A shard's buildings table is written from
//! those, with each building's centroid as its geometry: a shard's run reads the placement,
//! never a footprint, so the layers are read once and no footprint is written again.

use crate::error::Result;
use crate::model::Building;
use crate::project::{LayerSpec, Project, Role, VillageJoin};
use geo::{Centroid, Point};
use rayon::prelude::*;
use std::borrow::Cow;

/// Where a split takes the buildings from.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum BuildingSource {
    /// The project holds them (loaded whole).
    Loaded,
    /// The project was loaded by [`Project::load_without_buildings`]: its building layers are
    /// read one at a time.
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

    /// Chunk `i`: its buildings joined to their villages, and their centroids in the frame.
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
}

/// What the split knows of every building, by whole-project index.
pub(super) struct Facts {
    /// Centroid in the frame.
    pub xy: Vec<[f64; 2]>,
    /// Owner: an area's index, or the number of areas plus the nearest area's for a building
    /// in no area.
    pub owner: Vec<usize>,
    /// The building without its footprint (joined to its village).
    pub building: Vec<Building>,
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

/// Every building's point, village, owner (`own` of its lon/lat centroid; `none` for a
/// footprint without one) and attributes.
pub(super) fn gather(chunks: &Chunks, own: &(dyn Fn(Point<f64>) -> usize + Sync), none: usize, step: super::Steps) -> Result<Facts> {
    let mut f = Facts { xy: Vec::new(), owner: Vec::new(), building: Vec::new() };
    for window in windows(chunks.len()) {
        let read = window
            .clone()
            .into_par_iter()
            .map(|i| {
                let (buildings, xy) = chunks.joined(i)?;
                let owner: Vec<usize> = buildings.par_iter().map(|b| b.footprint.centroid().map_or(none, own)).collect();
                let kept: Vec<Building> = buildings.iter().map(without_footprint).collect();
                Ok((owner, xy.into_owned(), kept))
            })
            .collect::<Result<Vec<_>>>()?;
        for (owner, xy, kept) in read {
            f.owner.extend(owner);
            f.xy.extend(xy);
            f.building.extend(kept);
        }
        tell(step, ("read", " (points, villages, owners, attributes)"), &window, chunks.len());
    }
    Ok(f)
}

/// A building as a shard's table holds it: everything but the footprint.
fn without_footprint(b: &Building) -> Building {
    Building {
        id: b.id.clone(),
        footprint: geo::MultiPolygon(Vec::new()),
        households: b.households,
        households_estimated: b.households_estimated,
        floors: b.floors,
        height_m: b.height_m,
        village: b.village,
        source: b.source.clone(),
    }
}
