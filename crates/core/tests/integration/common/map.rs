//! Small hand-built maps for model tests: objects placed in local metres around a centre.

use covplan_core::model::*;
use covplan_core::project::{PlanData, Project, ProjectFile};
use covplan_core::spatial::LocalFrame;
use geo::{LineString, MultiLineString, MultiPolygon, Point, Polygon};
use std::sync::Arc;

/// A map under construction, in metres around (112.7°E, 23.3°N).
pub struct Map {
    pub frame: LocalFrame,
    pub data: PlanData,
    pub terrain: Option<covplan_core::io::terrain::Terrain>,
}

fn src(layer: &str, record: usize) -> SourceRef {
    SourceRef { layer: Arc::from(layer), record: record as u64 }
}

impl Map {
    pub fn new() -> Map {
        Map { frame: LocalFrame::new(112.7, 23.3), data: PlanData::default(), terrain: None }
    }

    pub fn ll(&self, x: f64, y: f64) -> Point<f64> {
        let (lon, lat) = self.frame.inverse(x, y);
        Point::new(lon, lat)
    }

    fn square(&self, x0: f64, y0: f64, x1: f64, y1: f64) -> MultiPolygon<f64> {
        let ring: Vec<(f64, f64)> = [(x0, y0), (x1, y0), (x1, y1), (x0, y1), (x0, y0)].iter().map(|&(x, y)| self.frame.inverse(x, y)).collect();
        MultiPolygon(vec![Polygon::new(LineString::from(ring), vec![])])
    }

    pub fn village(&mut self, name: &str, kind: VillageKind, households: Option<f64>, x: f64, y: f64) -> usize {
        let n = self.data.villages.len();
        let location = self.ll(x, y);
        self.data.villages.push(Village {
            id: format!("V{n}"),
            name: name.into(),
            kind,
            households,
            population: None,
            subscribers: None,
            urban_rural_code: Some(220),
            urban_rural_inherited: false,
            parent_code: None,
            township_code: None,
            location,
            area: None,
            source: src("villages", n + 1),
        });
        n
    }

    pub fn village_area(&mut self, name: &str, households: f64, x0: f64, y0: f64, x1: f64, y1: f64) -> usize {
        let v = self.village(name, VillageKind::Natural, Some(households), (x0 + x1) / 2.0, (y0 + y1) / 2.0);
        self.data.villages[v].area = Some(Box::new(self.square(x0, y0, x1, y1)));
        v
    }

    /// A 10 m × 10 m building centred on (x, y).
    pub fn building(&mut self, households: f64, x: f64, y: f64) -> usize {
        let n = self.data.buildings.len();
        let footprint = self.square(x - 5.0, y - 5.0, x + 5.0, y + 5.0);
        self.data.buildings.push(Building {
            id: format!("B{n}"),
            footprint,
            households,
            households_estimated: false,
            floors: Some(2.0),
            height_m: None,
            village: None,
            source: src("buildings", n + 1),
        });
        n
    }

    pub fn cable(&mut self, pts: &[(f64, f64)]) -> usize {
        let n = self.data.cables.len();
        let line = LineString::from(pts.iter().map(|&(x, y)| self.frame.inverse(x, y)).collect::<Vec<_>>());
        self.data.cables.push(FiberCable { id: format!("C{n}"), route: MultiLineString(vec![line]), source: src("cables", n + 1) });
        n
    }

    pub fn access_point(&mut self, tech: AccessTech, split: Option<u32>, ports: Option<(u32, u32)>, x: f64, y: f64) -> usize {
        let n = self.data.access_points.len();
        self.data.access_points.push(AccessPoint {
            id: format!("AP{n}"),
            position: self.ll(x, y),
            tech,
            split,
            ports_total: ports.map(|p| p.0),
            ports_used: ports.map(|p| p.1),
            source: src("access_points", n + 1),
        });
        n
    }

    /// An LTE B3 sector (1842.5 MHz, 20 MHz, 46 dBm, 15 dBi, 30 m, tilt 0) of operator `op`.
    pub fn lte_sector(&mut self, op: &str, azimuth: Option<f64>, x: f64, y: f64) -> usize {
        let n = self.data.sectors.len();
        self.data.sectors.push(Sector {
            site: format!("S{n}"),
            cell: format!("S{n}-1"),
            position: self.ll(x, y),
            tech: Tech::Lte,
            band_mhz: Some(1842.5),
            bandwidth_mhz: Some(20.0),
            power_dbm: Some(46.0),
            gain_dbi: Some(15.0),
            height_m: Some(30.0),
            azimuth_deg: azimuth,
            tilt_deg: Some(0.0),
            beamwidth_deg: Some(65.0),
            operator: Some(op.into()),
            source: src("sectors", n + 1),
        });
        n
    }

    /// A lon/lat terrain grid over local [x0, x1] × [y0, y1] with `cell_m` cells, height from `h(x, y)`.
    pub fn terrain(&mut self, x0: f64, y0: f64, x1: f64, y1: f64, cell_m: f64, h: impl Fn(f64, f64) -> f64) {
        let (lon0, lat1) = self.frame.inverse(x0, y1);
        let (lon1, lat0) = self.frame.inverse(x1, y0);
        let cell_w = (lon1 - lon0) / ((x1 - x0) / cell_m);
        let cell_h = (lat1 - lat0) / ((y1 - y0) / cell_m);
        let (cols, rows) = (((lon1 - lon0) / cell_w).round() as usize, ((lat1 - lat0) / cell_h).round() as usize);
        let mut values = Vec::with_capacity(cols * rows);
        for r in 0..rows {
            for c in 0..cols {
                let (x, y) = self.frame.forward(lon0 + (c as f64 + 0.5) * cell_w, lat1 - (r as f64 + 0.5) * cell_h);
                values.push(h(x, y) as f32);
            }
        }
        let raster = covplan_core::model::Raster { first_cell: (0, 0), cols, rows, origin_x: lon0, origin_y: lat1, cell_w, cell_h, values };
        self.terrain = Some(covplan_core::io::terrain::Terrain { raster, crs: covplan_core::crs::Crs::wgs84(), path: "synthetic.tif".into() });
    }

    /// A square admin area over local [x0, x1] × [y0, y1].
    pub fn admin(&mut self, name: &str, x0: f64, y0: f64, x1: f64, y1: f64) -> usize {
        let n = self.data.admin_areas.len();
        let boundary = self.square(x0, y0, x1, y1);
        self.data.admin_areas.push(AdminArea { code: None, name: name.into(), level: None, urban_rural_code: None, boundary, source: src("admin", n + 1) });
        n
    }

    pub fn poi(&mut self, name: &str, category: &str, x: f64, y: f64) -> usize {
        let n = self.data.pois.len();
        let position = self.ll(x, y);
        self.data.pois.push(Poi { name: name.into(), category: category.into(), position, source: src("pois", n + 1) });
        n
    }

    pub fn project(self) -> Project {
        self.project_with_areas(Default::default())
    }

    pub fn project_with_areas(self, areas: std::collections::BTreeMap<String, covplan_core::project::file::AreaSpec>) -> Project {
        let file = ProjectFile {
            project: covplan_core::project::file::ProjectMeta { name: "hand-built".into(), description: None },
            settings: Default::default(),
            layers: vec![],
            coverage: Default::default(),
            measurements: Default::default(),
            analysis: covplan_core::project::file::AnalysisSpec { profile: None, areas },
            scenario: Default::default(),
            plan: Default::default(),
        };
        Project::from_data(std::path::Path::new("hand-built.toml"), file, self.data, self.terrain, self.frame)
    }
}
