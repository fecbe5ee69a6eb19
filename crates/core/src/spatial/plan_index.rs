//! The project's R-trees, all in the local metric frame: villages, buildings, cables, roads,
//! access points, sectors and admin areas.

use super::{LocalFrame, PointIndex, PolygonIndex, SegmentIndex};
use crate::model::Shared;
use crate::model::{AccessPoint, AdminArea, Building, FiberCable, Road, Sector, Village};
use geo::{Coord, MapCoords, MultiPolygon};
use rayon::prelude::*;
use std::sync::{Arc, OnceLock};

/// Every spatial index of a project.
#[derive(Debug, Clone)]
pub struct PlanIndex {
    /// The local frame all indexes use.
    pub frame: LocalFrame,
    /// Village locations in the frame, by village index.
    pub village_xy: Shared<[f64; 2]>,
    /// Village locations (id = village index), built on first use (see [`Self::village_points`]).
    village_points: Arc<OnceLock<PointIndex>>,
    /// Village polygons, for villages given as areas.
    pub village_areas: Arc<PolygonIndex>,
    /// Village index of each polygon in `village_areas`.
    pub village_area_owner: Shared<usize>,
    /// Building centroids in the frame, by building index.
    pub building_xy: Shared<[f64; 2]>,
    /// Cable segments (id = cable index).
    pub cables: SegmentIndex,
    /// Road segments (id = road index).
    pub roads: Arc<SegmentIndex>,
    /// Access points (id = access point index).
    pub access_points: PointIndex,
    /// Copper access points only (id = access point index), searched over kilometres of loop.
    pub copper_access_points: PointIndex,
    /// Sector antennas (id = sector index).
    pub sectors: PointIndex,
    /// Admin areas (id = admin area index).
    pub admin_areas: Arc<PolygonIndex>,
}

/// Borrowed model collections to index.
pub struct PlanRefs<'a> {
    /// Villages.
    pub villages: &'a [Village],
    /// Buildings.
    pub buildings: &'a [Building],
    /// Cables.
    pub cables: &'a [FiberCable],
    /// Roads.
    pub roads: &'a [Road],
    /// Access points.
    pub access_points: &'a [AccessPoint],
    /// Sectors.
    pub sectors: &'a [Sector],
    /// Admin areas.
    pub admin_areas: &'a [AdminArea],
}

impl PlanIndex {
    /// Projects everything into `frame` (in parallel, order kept) and bulk-loads the trees.
    pub fn build(frame: LocalFrame, r: &PlanRefs) -> PlanIndex {
        Self::build_placed(frame, r, None)
    }

    /// [`PlanIndex::build`], with the buildings' centroids given (for buildings whose footprints
    /// were left behind, see [`crate::project::Project::from_placed_data`]).
    pub fn build_placed(frame: LocalFrame, r: &PlanRefs, building_xy: Option<Vec<[f64; 2]>>) -> PlanIndex {
        let proj_mp = |m: &MultiPolygon<f64>| m.map_coords(|c| frame.coord(c));
        let pt = |p: &geo::Point<f64>| frame.forward(p.x(), p.y());
        let building_xy = building_xy.unwrap_or_else(|| Self::building_centroids(&frame, r.buildings));
        let village_xy: Vec<[f64; 2]> = r.villages.par_iter().map(|v| pt(&v.location).into()).collect();
        let (owners, areas): (Vec<usize>, Vec<MultiPolygon<f64>>) =
            r.villages.iter().enumerate().filter_map(|(i, v)| v.area.as_ref().map(|a| (i, proj_mp(a)))).unzip();
        let line_coords =
            |ls: &geo::MultiLineString<f64>| -> Vec<Vec<Coord<f64>>> { ls.0.iter().map(|l| l.0.iter().map(|&c| frame.coord(c)).collect()).collect() };
        let road_lines: Vec<(usize, Vec<Coord<f64>>)> =
            r.roads.iter().enumerate().flat_map(|(i, c)| line_coords(&c.line).into_iter().map(move |l| (i, l))).collect();
        PlanIndex {
            frame,
            village_points: Arc::default(),
            village_xy: village_xy.into(),
            village_areas: Arc::new(PolygonIndex::new(areas)),
            village_area_owner: owners.into(),
            building_xy: building_xy.into(),
            cables: Self::cable_index(&frame, r.cables),
            roads: Arc::new(SegmentIndex::new(road_lines.iter().map(|(i, l)| (*i, l.as_slice())))),
            access_points: Self::access_point_index(&frame, r.access_points, false),
            copper_access_points: Self::access_point_index(&frame, r.access_points, true),
            sectors: Self::sector_index(&frame, r.sectors),
            admin_areas: Arc::new(PolygonIndex::new(r.admin_areas.iter().map(|a| proj_mp(&a.boundary)).collect())),
        }
    }

    /// Each building's centroid in `frame` (each footprint is projected once, then dropped).
    pub fn building_centroids(frame: &LocalFrame, buildings: &[Building]) -> Vec<[f64; 2]> {
        buildings
            .par_iter()
            .map(|b| {
                let (x, y) = frame.polygon_metrics(&b.footprint).centroid;
                [x, y]
            })
            .collect()
    }

    /// The index over access points (all, or the copper ones only).
    pub fn access_point_index(frame: &LocalFrame, aps: &[AccessPoint], copper_only: bool) -> PointIndex {
        PointIndex::new(aps.iter().enumerate().filter(|(_, a)| !copper_only || a.tech == crate::model::AccessTech::Copper).map(|(i, a)| {
            let (x, y) = frame.forward(a.position.x(), a.position.y());
            (i, x, y)
        }))
    }

    /// The index over cable segments (id = cable index).
    pub fn cable_index(frame: &LocalFrame, cables: &[FiberCable]) -> SegmentIndex {
        let lines: Vec<(usize, Vec<Coord<f64>>)> =
            cables.iter().enumerate().flat_map(|(i, c)| c.route.0.iter().map(move |l| (i, l.0.iter().map(|&c| frame.coord(c)).collect()))).collect();
        SegmentIndex::new(lines.iter().map(|(i, l)| (*i, l.as_slice())))
    }

    /// The index over sectors.
    pub fn sector_index(frame: &LocalFrame, sectors: &[Sector]) -> PointIndex {
        PointIndex::new(sectors.iter().enumerate().map(|(i, s)| {
            let (x, y) = frame.forward(s.position.x(), s.position.y());
            (i, x, y)
        }))
    }

    /// The tree over village locations. An analysis of villages alone never asks for it (a
    /// million villages take a quarter second to load), so it is built on first use.
    pub fn village_points(&self) -> &PointIndex {
        self.village_points.get_or_init(|| PointIndex::new(self.village_xy.iter().enumerate().map(|(i, &[x, y])| (i, x, y))))
    }

    /// Villages whose polygon contains local point (x, y).
    pub fn villages_containing(&self, x: f64, y: f64) -> Vec<usize> {
        self.village_areas.containing(x, y).into_iter().map(|i| self.village_area_owner[i]).collect()
    }
}
