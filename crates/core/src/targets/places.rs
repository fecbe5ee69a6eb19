//! The places targets are checked on, and where they lie: each village's administrative
//! village and township, each building's village, and the named areas of the project file.

use crate::error::{InputError, Result};
use crate::model::{Village, VillageKind};
use crate::project::Project;
use crate::project::file::AreaSpec;
use geo::Area;
use rayon::prelude::*;
use std::collections::{BTreeMap, HashMap};

/// A place a target is checked on.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub enum PlaceRef {
    /// A village (index into the project's villages).
    Village(usize),
    /// A building.
    Building(usize),
    /// A point of interest.
    Poi(usize),
}

/// The administrative geography of a project, resolved once per analysis.
#[derive(Debug, Clone)]
pub struct Geography {
    /// Per village: its administrative village (itself for one), when known.
    pub admin_of: Vec<Option<usize>>,
    /// Per village: its township code, when known.
    pub township_of: Vec<Option<Box<str>>>,
    /// Township code → name.
    pub township_names: BTreeMap<String, String>,
    /// Administrative villages that contain at least one natural village.
    pub has_naturals: Vec<bool>,
    /// The project's name for its whole area (the county's, when an admin layer has one).
    pub county: String,
    /// Named areas: name → membership per village and per building.
    pub areas: BTreeMap<String, AreaMembers>,
}

/// Which villages and buildings belong to a named area.
#[derive(Debug, Clone, Default)]
pub struct AreaMembers {
    /// Per village.
    pub villages: Vec<bool>,
    /// Per building.
    pub buildings: Vec<bool>,
}

impl Geography {
    /// Resolves villages to administrative villages and townships, and the project's named areas
    /// (an unknown village or admin area in an area is an error naming the project file).
    pub fn new(p: &Project) -> Result<Geography> {
        let d = &p.data;
        let by_id: HashMap<&str, usize> =
            d.villages.iter().enumerate().filter(|(_, v)| v.kind == VillageKind::Administrative).map(|(i, v)| (v.id.as_str(), i)).collect();
        let admin_of: Vec<Option<usize>> = d
            .villages
            .par_iter()
            .enumerate()
            .map(|(i, v)| match v.kind {
                VillageKind::Administrative => Some(i),
                VillageKind::Natural => v.parent_code.as_deref().and_then(|c| by_id.get(c).copied()),
            })
            .collect();
        let mut has_naturals = vec![false; d.villages.len()];
        for (v, a) in d.villages.iter().zip(&admin_of) {
            if let (VillageKind::Natural, Some(a)) = (v.kind, a) {
                has_naturals[*a] = true;
            }
        }
        // Admin areas from the smallest up: the finest one holding a place is its township,
        // unless it is the only level (the county).
        let mut township_names = BTreeMap::new();
        for a in &d.admin_areas {
            if let Some(c) = &a.code {
                township_names.insert(c.clone(), a.name.clone());
            }
        }
        let areas_by_size: Vec<f64> = (0..d.admin_areas.len()).map(|i| p.index.admin_areas.polygon(i).unsigned_area()).collect();
        let largest = (0..d.admin_areas.len()).max_by(|&a, &b| areas_by_size[a].total_cmp(&areas_by_size[b]));
        let township_of: Vec<Option<Box<str>>> = d
            .villages
            .par_iter()
            .enumerate()
            .map(|(i, v)| {
                let own = v.township_code.clone().or_else(|| admin_of[i].and_then(|a| d.villages[a].township_code.clone()));
                own.or_else(|| {
                    if d.admin_areas.is_empty() {
                        return None;
                    }
                    let [x, y] = p.index.village_xy[i];
                    p.index
                        .admin_areas
                        .containing(x, y)
                        .into_iter()
                        .filter(|&a| Some(a) != largest)
                        .min_by(|&a, &b| areas_by_size[a].total_cmp(&areas_by_size[b]))
                        .and_then(|a| d.admin_areas[a].code.as_deref().map(Box::from))
                })
            })
            .collect();
        // The largest area names the whole, unless it has peers of its level (a province of
        // counties): then the project's name does.
        let peers = |a: usize| d.admin_areas[a].level.is_some() && d.admin_areas.iter().filter(|b| b.level == d.admin_areas[a].level).count() > 1;
        let county = largest
            .filter(|&a| !peers(a))
            .map(|a| d.admin_areas[a].name.clone())
            .filter(|_| d.admin_areas.len() > 1 || !township_of.iter().any(Option::is_some))
            .unwrap_or_else(|| p.file.project.name.clone());
        let mut g = Geography { admin_of, township_of, township_names, has_naturals, county, areas: BTreeMap::new() };
        for (name, spec) in &p.file.analysis.areas {
            let members = g.resolve_area(p, name, spec)?;
            g.areas.insert(name.clone(), members);
        }
        Ok(g)
    }

    fn resolve_area(&self, p: &Project, name: &str, spec: &AreaSpec) -> Result<AreaMembers> {
        let d = &p.data;
        let err = |what: &str, item: &str| {
            Err(InputError::in_file(&p.path, format!("[analysis.areas.{name}]: no {what} has the id, code or name '{item}'"))
                .with_hint(format!("list {what} ids or names as the layers give them (`covplan inspect` shows them)")))
        };
        let mut villages = vec![false; d.villages.len()];
        for item in &spec.villages {
            let hits: Vec<usize> = (0..d.villages.len()).filter(|&i| d.villages[i].id == *item || d.villages[i].name == *item).collect();
            if hits.is_empty() {
                return err("village", item);
            }
            for h in hits {
                villages[h] = true;
            }
        }
        let mut polygons = Vec::new();
        for item in &spec.admin_areas {
            let hits: Vec<usize> =
                (0..d.admin_areas.len()).filter(|&i| d.admin_areas[i].code.as_deref() == Some(item) || d.admin_areas[i].name == *item).collect();
            if hits.is_empty() {
                return err("admin area", item);
            }
            polygons.extend(hits);
        }
        let inside = |x: f64, y: f64| -> bool { !polygons.is_empty() && p.index.admin_areas.containing(x, y).iter().any(|a| polygons.contains(a)) };
        // An administrative village brings its natural villages.
        let listed = villages.clone();
        for (i, v) in d.villages.iter().enumerate() {
            let (x, y) = p.frame.forward(v.location.x(), v.location.y());
            if self.admin_of[i].is_some_and(|a| listed[a]) || inside(x, y) {
                villages[i] = true;
            }
        }
        let buildings = d.buildings.iter().zip(&p.index.building_xy).map(|(b, &[x, y])| b.village.map_or_else(|| inside(x, y), |v| villages[v])).collect();
        Ok(AreaMembers { villages, buildings })
    }

    /// The village a place belongs to (itself for a village).
    pub fn village_of(&self, p: &Project, place: PlaceRef) -> Option<usize> {
        match place {
            PlaceRef::Village(v) => Some(v),
            PlaceRef::Building(b) => p.data.buildings[b].village,
            PlaceRef::Poi(_) => None,
        }
    }

    /// The township code of a place, when known.
    pub fn township(&self, p: &Project, place: PlaceRef) -> Option<&str> {
        self.village_of(p, place).and_then(|v| self.township_of[v].as_deref())
    }

    /// The township's name for a code (the code itself when no admin layer names it).
    pub fn township_name<'a>(&'a self, code: &'a str) -> &'a str {
        self.township_names.get(code).map_or(code, String::as_str)
    }

    /// The administrative village of a place, when known.
    pub fn admin_village(&self, p: &Project, place: PlaceRef) -> Option<usize> {
        self.village_of(p, place).and_then(|v| self.admin_of[v])
    }

    /// Whether a place lies in the named area (`None` when the project defines no such area).
    pub fn in_area(&self, p: &Project, area: &str, place: PlaceRef) -> Option<bool> {
        let m = self.areas.get(area)?;
        Some(match place {
            PlaceRef::Village(v) => m.villages[v],
            PlaceRef::Building(b) => m.buildings[b],
            PlaceRef::Poi(i) => {
                let pos = p.data.pois[i].position;
                let (x, y) = p.frame.forward(pos.x(), pos.y());
                p.index.village_points().nearest(x, y).is_some_and(|(v, _)| m.villages[v])
            }
        })
    }
}

/// Urban (code 1xx) or rural (2xx) by a village's urban-rural code; `None` without a code.
pub fn is_urban(v: &Village) -> Option<bool> {
    v.urban_rural_code.map(|c| c < 200)
}
