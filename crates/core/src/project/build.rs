//! Turning read layers (already in WGS84) into model objects, one role at a time.

use super::fields::Role;
use super::file::Settings;
use super::rows::Rows;
use crate::error::{InputError, Location, Result, Warning};
use crate::io::sites::{band_to_mhz, channel_to_mhz, power_to_dbm};
use crate::model::{
    AccessPoint, AccessTech, AdminArea, Building, Feature, FiberCable, Measurement, Poi, Road, Sector, Shared, SourceRef, Tech, Village, VillageKind,
};
use crate::spatial::LocalFrame;
use geo::{Geometry, InteriorPoint, MultiLineString, MultiPolygon, Point};

/// Everything the planning model holds, in WGS84.
#[derive(Debug, Clone, Default)]
pub struct PlanData {
    /// Natural and administrative villages.
    pub villages: Shared<Village>,
    /// Buildings.
    pub buildings: Shared<Building>,
    /// Mobile sectors.
    pub sectors: Vec<Sector>,
    /// Fiber cables.
    pub cables: Vec<FiberCable>,
    /// Access points.
    pub access_points: Vec<AccessPoint>,
    /// Roads.
    pub roads: Shared<Road>,
    /// Administrative areas.
    pub admin_areas: Shared<AdminArea>,
    /// Points of interest.
    pub pois: Shared<Poi>,
    /// Drive tests, measurement reports and speed tests.
    pub measurements: Shared<Measurement>,
}

/// Geometry shapes a role accepts.
enum Want {
    Point,
    Line,
    Polygon,
    PointOrPolygon,
}

fn want(role: Role) -> Want {
    match role {
        Role::Villages => Want::PointOrPolygon,
        Role::Buildings | Role::Admin => Want::Polygon,
        Role::Fiber | Role::Roads => Want::Line,
        _ => Want::Point,
    }
}

/// The geometry of a feature in the shape its role needs.
pub enum Shape {
    /// A point (villages, sites, POIs…).
    Point(Point<f64>),
    /// Lines (cables, roads).
    Line(MultiLineString<f64>),
    /// Polygons (buildings, areas, villages).
    Polygon(MultiPolygon<f64>),
}

fn shape_of(g: Geometry<f64>, w: &Want) -> Option<Shape> {
    match (g, w) {
        (Geometry::Point(p), Want::Point | Want::PointOrPolygon) => Some(Shape::Point(p)),
        (Geometry::MultiPoint(m), Want::Point | Want::PointOrPolygon) if m.0.len() == 1 => Some(Shape::Point(m.0[0])),
        (Geometry::LineString(l), Want::Line) => Some(Shape::Line(MultiLineString(vec![l]))),
        (Geometry::MultiLineString(m), Want::Line) => Some(Shape::Line(m)),
        (Geometry::Polygon(p), Want::Polygon | Want::PointOrPolygon) => Some(Shape::Polygon(MultiPolygon(vec![p]))),
        (Geometry::MultiPolygon(m), Want::Polygon | Want::PointOrPolygon) if !m.0.is_empty() => Some(Shape::Polygon(m)),
        _ => None,
    }
}

fn geometry_name(g: Option<&Geometry<f64>>) -> &'static str {
    match g {
        None => "no geometry",
        Some(Geometry::Point(_)) => "a point",
        Some(Geometry::MultiPoint(_)) => "a multipoint",
        Some(Geometry::LineString(_) | Geometry::MultiLineString(_)) => "a line",
        Some(Geometry::Polygon(_) | Geometry::MultiPolygon(_)) => "a polygon",
        Some(_) => "another geometry",
    }
}

/// The features of a layer with their role's shape, as (feature index, shape), taking their
/// geometries out of the layer (a million footprints are moved, not copied, and not listed
/// twice). Features of the wrong shape are skipped with one warning (first record, count); a
/// layer where none fits is an error. `loc` names the layer's file.
pub fn shapes(features: &mut [Feature], role: Role, loc: &Location, warnings: &mut Vec<Warning>) -> Result<Vec<(usize, Shape)>> {
    let w = want(role);
    let mut out = Vec::with_capacity(features.len());
    let mut skipped: Option<(usize, &'static str)> = None;
    let mut n_skipped = 0;
    for (i, f) in features.iter_mut().enumerate() {
        let g = f.geometry.take();
        let name = geometry_name(g.as_ref());
        match g.and_then(|g| shape_of(g, &w)) {
            Some(s) => out.push((i, s)),
            None => {
                n_skipped += 1;
                skipped.get_or_insert((i, name));
            }
        }
    }
    let needed = match w {
        Want::Point => "points",
        Want::Line => "lines",
        Want::Polygon => "polygons",
        Want::PointOrPolygon => "points or polygons",
    };
    if let Some((first, what)) = skipped {
        if out.is_empty() {
            return Err(InputError::new(loc.record(first as u64 + 1), format!("{} layers need {needed}, but this layer has {what}", role.as_str()))
                .with_hint("check the layer's role in the project file"));
        }
        warnings.push(Warning::new(loc.record(first as u64 + 1), format!("{n_skipped} feature(s) with {what} instead of {needed} are skipped")));
    }
    Ok(out)
}

fn source(rows: &Rows, i: usize) -> SourceRef {
    SourceRef { layer: rows.layer_name.clone(), record: i as u64 + 1 }
}

/// One warning when ids repeat within a layer: the first repeat, its earlier record, and the count.
fn warn_duplicates<'a>(rows: &Rows, attr: &str, ids: impl Iterator<Item = (&'a SourceRef, &'a str)>, warnings: &mut Vec<Warning>) {
    let ids: Vec<(u64, &str)> = ids.map(|(src, id)| (src.record, id)).collect();
    if let Some((j, i, id, dups)) = first_repeat(&ids) {
        let col = rows.column(attr).unwrap_or(attr).to_string();
        warnings.push(Warning::new(
            rows.loc.record(i).field(col),
            format!("id '{id}' repeats record {j} ({dups} duplicate id(s) in the layer); features are kept, but ids no longer name one feature"),
        ));
    }
}

/// Among `(record, id)` pairs in record order: the earliest record whose id an earlier record
/// already has, as (that earlier record, the repeat, the id, how many records repeat an id).
fn first_repeat<'a>(ids: &[(u64, &'a str)]) -> Option<(u64, u64, &'a str, usize)> {
    use rayon::prelude::*;
    use std::hash::BuildHasher;
    // Sorting hashes in parallel beats a hash set for a million ids (its probes miss the cache).
    let hasher = rustc_hash::FxBuildHasher;
    let mut keys: Vec<(u64, u32)> = ids.par_iter().enumerate().map(|(k, (_, id))| (hasher.hash_one(id), k as u32)).collect();
    keys.par_sort_unstable();
    let mut dups = 0;
    let mut first: Option<(u64, u64, &str)> = None;
    for run in keys.chunk_by(|a, b| a.0 == b.0).filter(|r| r.len() > 1) {
        // Equal hashes: group equal ids (positions ascending within each id).
        let mut same: Vec<(&str, u32)> = run.iter().map(|&(_, k)| (ids[k as usize].1, k)).collect();
        same.sort_unstable();
        for group in same.chunk_by(|a, b| a.0 == b.0).filter(|g| g.len() > 1) {
            dups += group.len() - 1;
            let (earlier, repeat) = (ids[group[0].1 as usize].0, ids[group[1].1 as usize].0);
            if first.is_none_or(|f| repeat < f.1) {
                first = Some((earlier, repeat, group[0].0));
            }
        }
    }
    first.map(|(j, i, id)| (j, i, id, dups))
}

/// Parses a village kind word.
pub fn parse_village_kind(s: &str) -> Option<VillageKind> {
    let t = s.trim();
    // Case matters only to the English words, and no allocation for each of a million villages.
    let is = |words: &[&str]| words.iter().any(|w| t.eq_ignore_ascii_case(w));
    if is(&["自然村", "natural", "组", "村民小组", "屯", "寨"]) {
        Some(VillageKind::Natural)
    } else if is(&["行政村", "村委会", "社区", "居委会", "administrative", "admin", "village", "村民委员会", "居民委员会"]) {
        Some(VillageKind::Administrative)
    } else {
        None
    }
}

/// Appends a layer's features to `data` as model objects of its role: `items` are the
/// features' shapes, from [`shapes`].
pub fn add_layer(
    data: &mut PlanData,
    rows: &Rows,
    items: Vec<(usize, Shape)>,
    role: Role,
    settings: &Settings,
    frame: &LocalFrame,
    warnings: &mut Vec<Warning>,
) -> Result<()> {
    match role {
        Role::Villages => add_villages(data, rows, items, warnings),
        Role::Buildings => add_buildings(data, rows, items, settings, frame),
        Role::Sectors => add_sectors(data, rows, items, warnings)?,
        Role::Fiber => add_cables(data, rows, items),
        Role::AccessPoints => add_access_points(data, rows, items, warnings)?,
        Role::Roads => add_roads(data, rows, items),
        Role::Admin => add_admin_areas(data, rows, items),
        Role::Poi => add_pois(data, rows, items),
        Role::Measurements => add_measurements(data, rows, items),
        Role::Terrain => {}
    }
    Ok(())
}

/// The villages of a layer: kind, codes and counts read from their columns, in parallel.
fn add_villages(data: &mut PlanData, rows: &Rows, items: Vec<(usize, Shape)>, warnings: &mut Vec<Warning>) {
    use rayon::prelude::*;
    let start = data.villages.len();
    // In parallel, order kept: a province's million villages build in a fraction of the time.
    let built: Vec<Village> = items
        .into_par_iter()
        .map(|(i, s)| {
            let (location, area) = match s {
                Shape::Point(p) => (p, None),
                Shape::Polygon(mp) => (mp.interior_point().unwrap_or_else(|| Point(mp.0[0].exterior().0[0])), Some(Box::new(mp))),
                Shape::Line(_) => unreachable!("villages are points or polygons"),
            };
            let id = rows.text(i, "id").unwrap_or_else(|| format!("{}#{}", rows.spec.name, i + 1));
            let kind = rows
                .text_ref(i, "kind")
                .and_then(|k| parse_village_kind(&k))
                .or(rows.spec.village_kind)
                .unwrap_or(if id.len() == 12 && id.bytes().all(|b| b.is_ascii_digit()) { VillageKind::Administrative } else { VillageKind::Natural });
            let code = rows.num(i, "urban_rural_code").and_then(|c| {
                if (100.0..300.0).contains(&c) {
                    Some(c as u16)
                } else {
                    rows.note_bad(i, "urban_rural_code", c.to_string(), "is not an urban-rural code (111…220)");
                    None
                }
            });
            let township = rows.text(i, "township_code").or_else(|| (id.len() == 12 && id.bytes().all(|b| b.is_ascii_digit())).then(|| id[..9].to_string()));
            Village {
                name: rows.text(i, "name").unwrap_or_else(|| id.clone()),
                id,
                kind,
                households: rows.non_negative(i, "households"),
                population: rows.non_negative(i, "population"),
                subscribers: rows.non_negative(i, "subscribers"),
                urban_rural_code: code,
                urban_rural_inherited: false,
                parent_code: rows.text(i, "parent_code").map(String::into_boxed_str),
                township_code: township.map(String::into_boxed_str),
                location,
                area,
                source: source(rows, i),
            }
        })
        .collect();
    data.villages.append_vec(built);
    warn_duplicates(rows, "id", data.villages[start..].iter().map(|v| (&v.source, v.id.as_str())), warnings);
}

/// The buildings of a layer, households estimated from footprint and floors where none are given.
fn add_buildings(data: &mut PlanData, rows: &Rows, items: Vec<(usize, Shape)>, settings: &Settings, frame: &LocalFrame) {
    use rayon::prelude::*;
    let built: Vec<Building> = items
        .into_par_iter()
        .map(|(i, s)| {
            let Shape::Polygon(footprint) = s else { unreachable!("buildings are polygons") };
            let height = rows.non_negative(i, "height");
            let floors = rows.non_negative(i, "floors").or_else(|| height.map(|h| (h / settings.storey_height_m).round().max(1.0)));
            let (households, estimated) = match rows.non_negative(i, "households") {
                Some(h) => (h, false),
                None => {
                    let area = frame.polygon_metrics(&footprint).area_m2;
                    ((area * floors.unwrap_or(1.0) / settings.dwelling_area_m2).round(), true)
                }
            };
            Building {
                id: rows.text(i, "id").unwrap_or_else(|| (i + 1).to_string()),
                footprint,
                households,
                households_estimated: estimated,
                floors,
                height_m: height,
                village: None,
                source: source(rows, i),
            }
        })
        .collect();
    data.buildings.append_vec(built);
}

/// The sectors of a site table: technology, band or channel, power, tilt and azimuth.
fn add_sectors(data: &mut PlanData, rows: &Rows, items: Vec<(usize, Shape)>, warnings: &mut Vec<Warning>) -> Result<()> {
    let start = data.sectors.len();
    for (i, s) in items {
        let Shape::Point(position) = s else { unreachable!("sectors are points") };
        let band_text = rows.text(i, "band");
        let tech = match rows.text(i, "tech") {
            Some(t) => Tech::parse(&t).ok_or_else(|| {
                InputError::new(rows.loc.record(i as u64 + 1).field(rows.column("tech").unwrap_or("tech")), format!("'{t}' is not a technology"))
                    .with_hint("write LTE/4G, NR/5G, NB-IoT, WCDMA or GSM")
            })?,
            None => match band_text.as_deref() {
                Some(b) if b.trim().to_lowercase().starts_with('n') => Tech::Nr,
                _ => return Err(super::fields::missing(Role::Sectors, "tech", &rows.layer.table.fields, &rows.loc.record(i as u64 + 1))),
            },
        };
        let band_mhz = band_text.as_deref().and_then(|b| band_to_mhz(b, Some(tech))).or_else(|| rows.num(i, "channel").and_then(|n| channel_to_mhz(n, tech)));
        if band_mhz.is_none() && (band_text.is_some() || rows.text(i, "channel").is_some()) {
            let sample = band_text.or_else(|| rows.text(i, "channel")).unwrap_or_default();
            rows.note_bad(i, if rows.column("band").is_some() { "band" } else { "channel" }, sample, "is not a known band or channel number");
        }
        let tilt = rows.num(i, "tilt").or_else(|| match (rows.num(i, "mech_tilt"), rows.num(i, "elec_tilt")) {
            (None, None) => None,
            (m, e) => Some(m.unwrap_or(0.0) + e.unwrap_or(0.0)),
        });
        let site = rows.text(i, "site");
        let cell = rows.text(i, "cell");
        if site.is_none() && cell.is_none() {
            return Err(super::fields::missing(Role::Sectors, "cell", &rows.layer.table.fields, &rows.loc.record(i as u64 + 1)));
        }
        let azimuth = rows.num(i, "azimuth");
        if let Some(a) = azimuth.filter(|a| !(0.0..=360.0).contains(a)) {
            rows.note_bad(i, "azimuth", a.to_string(), "is outside 0–360°");
        }
        data.sectors.push(Sector {
            site: site.clone().unwrap_or_else(|| cell.clone().unwrap_or_default()),
            cell: cell.unwrap_or_else(|| format!("{}-{}", site.unwrap_or_default(), i + 1)),
            position,
            tech,
            band_mhz,
            bandwidth_mhz: rows.non_negative(i, "bandwidth"),
            power_dbm: rows.num(i, "power").map(|p| power_to_dbm(p, rows.column("power").unwrap_or(""))),
            gain_dbi: rows.num(i, "gain"),
            height_m: rows.non_negative(i, "height"),
            azimuth_deg: azimuth.filter(|a| (0.0..=360.0).contains(a)),
            tilt_deg: tilt,
            beamwidth_deg: rows.non_negative(i, "beamwidth"),
            operator: rows.text(i, "operator"),
            source: source(rows, i),
        });
    }
    warn_duplicates(rows, "cell", data.sectors[start..].iter().map(|s| (&s.source, s.cell.as_str())), warnings);
    Ok(())
}

/// The fiber cables of a layer.
fn add_cables(data: &mut PlanData, rows: &Rows, items: Vec<(usize, Shape)>) {
    for (i, s) in items {
        let Shape::Line(route) = s else { unreachable!("cables are lines") };
        data.cables.push(FiberCable { id: rows.text(i, "id").unwrap_or_else(|| (i + 1).to_string()), route, source: source(rows, i) });
    }
}

/// The access points (splitters, OLT boxes, DSLAMs) of a layer.
fn add_access_points(data: &mut PlanData, rows: &Rows, items: Vec<(usize, Shape)>, warnings: &mut Vec<Warning>) -> Result<()> {
    let start = data.access_points.len();
    for (i, s) in items {
        let Shape::Point(position) = s else { unreachable!("access points are points") };
        let tech_text = rows.text(i, "tech");
        let tech = match tech_text.as_deref().map(AccessTech::parse) {
            Some(Some(t)) => t,
            other => {
                let loc = rows.loc.record(i as u64 + 1).field(rows.column("tech").unwrap_or("tech"));
                let what =
                    if other.is_some() { format!("'{}' is not an access technology", tech_text.unwrap_or_default()) } else { "no access technology".into() };
                return Err(InputError::new(loc, what).with_hint("write GPON, XG-PON, XGS-PON, EPON or xDSL, or set defaults.tech for the layer"));
            }
        };
        let split = rows.text(i, "split").and_then(|s| parse_split(&s));
        data.access_points.push(AccessPoint {
            id: rows.text(i, "id").unwrap_or_else(|| (i + 1).to_string()),
            position,
            tech,
            split,
            ports_total: rows.non_negative(i, "ports_total").map(|p| p as u32),
            ports_used: rows.non_negative(i, "ports_used").map(|p| p as u32),
            source: source(rows, i),
        });
    }
    warn_duplicates(rows, "id", data.access_points[start..].iter().map(|a| (&a.source, a.id.as_str())), warnings);
    Ok(())
}

/// The roads of a layer.
fn add_roads(data: &mut PlanData, rows: &Rows, items: Vec<(usize, Shape)>) {
    for (i, s) in items {
        let Shape::Line(line) = s else { unreachable!("roads are lines") };
        data.roads.push(Road { name: rows.text(i, "name"), class: rows.text(i, "class"), line, source: source(rows, i) });
    }
}

/// The administrative areas of a layer.
fn add_admin_areas(data: &mut PlanData, rows: &Rows, items: Vec<(usize, Shape)>) {
    for (i, s) in items {
        let Shape::Polygon(boundary) = s else { unreachable!("admin areas are polygons") };
        let code = rows.num(i, "urban_rural_code").filter(|c| (100.0..300.0).contains(c)).map(|c| c as u16);
        data.admin_areas.push(AdminArea {
            code: rows.text(i, "code"),
            name: rows.text(i, "name").unwrap_or_else(|| format!("{}#{}", rows.spec.name, i + 1)),
            level: rows.text(i, "level"),
            urban_rural_code: code,
            boundary,
            source: source(rows, i),
        });
    }
}

/// The points of interest of a layer.
fn add_pois(data: &mut PlanData, rows: &Rows, items: Vec<(usize, Shape)>) {
    for (i, s) in items {
        let Shape::Point(position) = s else { unreachable!("POIs are points") };
        data.pois.push(Poi {
            name: rows.text(i, "name").unwrap_or_default(),
            category: rows.text(i, "category").unwrap_or_default(),
            position,
            source: source(rows, i),
        });
    }
}

/// The measurements of a layer. Values outside what a handset or tool can report (3GPP's
/// reporting ranges: RSRP −156…−31 dBm, RSRQ −43…20 dB, SINR −23…40 dB; throughput ≥ 0) are
/// bad values of their column, reported with the record, and read as missing.
fn add_measurements(data: &mut PlanData, rows: &Rows, items: Vec<(usize, Shape)>) {
    let within = |i: usize, attr: &str, lo: f64, hi: f64, why: &'static str| {
        rows.num(i, attr).filter(|&v| {
            let ok = (lo..=hi).contains(&v);
            if !ok {
                rows.note_bad(i, attr, v.to_string(), why);
            }
            ok
        })
    };
    for (i, s) in items {
        let Shape::Point(position) = s else { unreachable!("measurements are points") };
        let tech = rows.text_ref(i, "tech").and_then(|t| {
            let parsed = Tech::parse(&t);
            if parsed.is_none() {
                rows.note_bad(i, "tech", t.to_string(), "is not a technology");
            }
            parsed
        });
        data.measurements.push(Measurement {
            position,
            rsrp_dbm: within(i, "rsrp", -156.0, -31.0, "is outside −156…−31 dBm"),
            rsrq_db: within(i, "rsrq", -43.0, 20.0, "is outside −43…20 dB"),
            sinr_db: within(i, "sinr", -23.0, 40.0, "is outside −23…40 dB"),
            dl_mbps: rows.non_negative(i, "dl_mbps"),
            ul_mbps: rows.non_negative(i, "ul_mbps"),
            operator: rows.text(i, "operator"),
            tech,
            cell: rows.text(i, "cell"),
            pci: within(i, "pci", 0.0, 1007.0, "is not a PCI (0…1007)").map(|p| p as u32),
            time: rows.text(i, "time"),
            source: source(rows, i),
        });
    }
}

/// Parses a split ratio: "1:32", "1：64", "1/128", "32" → 32, 64, 128, 32.
pub fn parse_split(s: &str) -> Option<u32> {
    let t = s.trim();
    let last = t.rsplit([':', '：', '/']).next()?.trim();
    last.parse::<u32>().ok().filter(|n| (2..=512).contains(n))
}

#[cfg(test)]
mod tests {
    use super::*;

    /// The first repeat as a sequential scan with a set finds it.
    fn first_repeat_by_scan<'a>(ids: &[(u64, &'a str)]) -> Option<(u64, u64, &'a str, usize)> {
        let mut seen = std::collections::HashMap::new();
        let (mut dups, mut first) = (0, None);
        for &(i, id) in ids {
            match seen.get(id) {
                Some(&j) => {
                    dups += 1;
                    first.get_or_insert((j, i, id));
                }
                None => {
                    seen.insert(id, i);
                }
            }
        }
        first.map(|(j, i, id)| (j, i, id, dups))
    }

    #[test]
    fn features_of_the_wrong_shape_are_skipped_or_refused() {
        let point = |x: f64| Feature { geometry: Some(Geometry::Point(Point::new(x, 0.0))), values: vec![] };
        let square = geo::Polygon::new(geo::LineString::from(vec![(0.0, 0.0), (1.0, 0.0), (1.0, 1.0), (0.0, 0.0)]), vec![]);
        let mut features = vec![point(1.0), Feature { geometry: Some(Geometry::Polygon(square)), values: vec![] }, Feature::default(), point(4.0)];
        let loc = Location::file("v.shp");
        let mut warnings = Vec::new();
        let items = shapes(&mut features, Role::Villages, &loc, &mut warnings).unwrap();
        let kinds: Vec<(usize, &str)> = items.iter().map(|(i, s)| (*i, if matches!(s, Shape::Point(_)) { "point" } else { "polygon" })).collect();
        assert_eq!(kinds, [(0, "point"), (1, "polygon"), (3, "point")]);
        assert!(features.iter().all(|f| f.geometry.is_none()), "geometries are moved out of the layer");
        assert_eq!(warnings.len(), 1);
        let w = warnings[0].to_string();
        assert!(w.contains("record 3") && w.contains("1 feature(s) with no geometry instead of points or polygons are skipped"), "{w}");
        // A layer where nothing fits is refused, naming the first record.
        let mut points = vec![point(1.0), point(2.0)];
        let Err(e) = shapes(&mut points, Role::Fiber, &loc, &mut Vec::new()) else { panic!("points as fiber lines were accepted") };
        assert_eq!(e.location.record, Some(1), "{e}");
        assert!(e.message.contains("need lines, but this layer has a point"), "{e}");
    }

    #[test]
    fn repeated_ids_found_as_a_scan_finds_them() {
        assert_eq!(first_repeat(&[(1, "a"), (2, "b"), (3, "c")]), None);
        assert_eq!(first_repeat(&[(1, "a"), (2, "b"), (3, "b"), (4, "a"), (5, "a")]), Some((2, 3, "b", 3)));
        // Many ids over few values (hash runs of every length), records with gaps (deleted ones).
        let names: Vec<String> = (0..5000).map(|k| format!("ZRC{:04}", (k * 7919) % 3001)).collect();
        let ids: Vec<(u64, &str)> = names.iter().enumerate().map(|(k, n)| (3 * k as u64 + 1, n.as_str())).collect();
        assert_eq!(first_repeat(&ids), first_repeat_by_scan(&ids));
        assert_eq!(first_repeat(&ids[2990..]), first_repeat_by_scan(&ids[2990..]));
    }

    #[test]
    fn splits_and_kinds() {
        assert_eq!(parse_split("1:32"), Some(32));
        assert_eq!(parse_split("1：64"), Some(64));
        assert_eq!(parse_split("64"), Some(64));
        assert_eq!(parse_split("x"), None);
        assert_eq!(parse_village_kind("自然村"), Some(VillageKind::Natural));
        assert_eq!(parse_village_kind("村委会"), Some(VillageKind::Administrative));
    }
}
