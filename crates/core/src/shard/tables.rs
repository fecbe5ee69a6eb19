//! The model's objects as GeoParquet tables and back, exactly (every float bit for bit): one
//! table per kind, each row with its place in the whole project (`seq`), whether the shard owns
//! it (`owned`), and the layer and record it was read from. Columns are the model's fields, so
//! a shard is read without the project's field mappings and any GeoParquet tool reads it.

use crate::error::{InputError, Result};
use crate::io::geoparquet::{Column, GeoTable};
use crate::model::{AccessPoint, AccessTech, AdminArea, Building, FiberCable, Measurement, Poi, Sector, SourceRef, Tech, Village, VillageKind};
use geo::{Geometry, MultiLineString, MultiPolygon, Point};
use std::path::Path;
use std::sync::Arc;

/// Rows of one kind with their whole-project index and ownership.
pub struct Rows<'a, T> {
    /// The objects.
    pub items: Vec<&'a T>,
    /// Each one's index in the whole project.
    pub seq: Vec<usize>,
    /// Whether the shard owns it.
    pub owned: Vec<bool>,
}

/// Columns under construction.
#[derive(Default)]
struct Builder(Vec<(String, Column)>);

impl Builder {
    fn text<'x>(mut self, name: &str, v: impl Iterator<Item = Option<&'x str>>) -> Self {
        self.0.push((name.into(), Column::Text(v.map(|s| s.map(str::to_string)).collect())));
        self
    }
    fn float(mut self, name: &str, v: impl Iterator<Item = Option<f64>>) -> Self {
        self.0.push((name.into(), Column::Float(v.collect())));
        self
    }
    fn int(mut self, name: &str, v: impl Iterator<Item = Option<i64>>) -> Self {
        self.0.push((name.into(), Column::Int(v.collect())));
        self
    }
    fn bool(mut self, name: &str, v: impl Iterator<Item = bool>) -> Self {
        self.0.push((name.into(), Column::Bool(v.map(Some).collect())));
        self
    }
    fn table<T>(self, rows: &Rows<T>, source: impl Fn(&T) -> &SourceRef, geometry: Vec<Geometry<f64>>) -> GeoTable {
        let b = self
            .int("seq", rows.seq.iter().map(|&s| Some(s as i64)))
            .bool("owned", rows.owned.iter().copied())
            .text("source_layer", rows.items.iter().map(|x| Some(&*source(x).layer)))
            .int("source_record", rows.items.iter().map(|x| Some(source(x).record as i64)));
        GeoTable { geometry, columns: b.0 }
    }
}

/// Reads named columns of a table, with errors naming the file and the column.
struct Reader<'a> {
    t: &'a GeoTable,
    path: &'a Path,
}

impl<'a> Reader<'a> {
    fn missing(&self, name: &str, kind: &str) -> InputError {
        InputError::in_file(self.path, format!("no {kind} column '{name}'"))
            .with_hint("the shard was written by another covplan version: shard the project again")
    }
    fn float(&self, name: &str) -> Result<&'a [Option<f64>]> {
        match self.t.column(name) {
            Some(Column::Float(v)) => Ok(v),
            _ => Err(self.missing(name, "float")),
        }
    }
    fn int(&self, name: &str) -> Result<&'a [Option<i64>]> {
        match self.t.column(name) {
            Some(Column::Int(v)) => Ok(v),
            _ => Err(self.missing(name, "integer")),
        }
    }
    fn text(&self, name: &str) -> Result<&'a [Option<String>]> {
        match self.t.column(name) {
            Some(Column::Text(v)) => Ok(v),
            _ => Err(self.missing(name, "text")),
        }
    }
    fn bool(&self, name: &str) -> Result<&'a [Option<bool>]> {
        match self.t.column(name) {
            Some(Column::Bool(v)) => Ok(v),
            _ => Err(self.missing(name, "boolean")),
        }
    }
    fn string(&self, name: &str, row: usize) -> Result<String> {
        self.text(name)?[row].clone().ok_or_else(|| InputError::in_file(self.path, format!("row {}: '{name}' is empty", row + 1)))
    }
    /// The rows' whole-project index, ownership and source.
    fn common(&self) -> Result<Vec<(usize, bool, SourceRef)>> {
        let (seq, owned, layer, record) = (self.int("seq")?, self.bool("owned")?, self.text("source_layer")?, self.int("source_record")?);
        let mut layers: Vec<Arc<str>> = Vec::new();
        // Rows counted by `seq`: a table read without its geometries has none.
        (0..seq.len())
            .map(|i| {
                let bad = |what: &str| InputError::in_file(self.path, format!("row {}: {what}", i + 1));
                let seq = seq[i].and_then(|s| usize::try_from(s).ok()).ok_or_else(|| bad("'seq' is not a row number"))?;
                let name = layer[i].as_deref().unwrap_or("");
                // One shared name per layer, as the loader makes them.
                let layer = match layers.iter().find(|l| &***l == name) {
                    Some(l) => l.clone(),
                    None => {
                        layers.push(Arc::from(name));
                        layers[layers.len() - 1].clone()
                    }
                };
                Ok((seq, owned[i].unwrap_or(false), SourceRef { layer, record: record[i].unwrap_or(0) as u64 }))
            })
            .collect()
    }
}

fn point_of(g: &Geometry<f64>, path: &Path, row: usize) -> Result<Point<f64>> {
    match g {
        Geometry::Point(p) => Ok(*p),
        _ => Err(InputError::in_file(path, format!("row {}: the geometry is not a point", row + 1))),
    }
}

fn polygons_of(g: &Geometry<f64>, path: &Path, row: usize) -> Result<MultiPolygon<f64>> {
    match g {
        Geometry::MultiPolygon(m) => Ok(m.clone()),
        Geometry::Polygon(p) => Ok(MultiPolygon(vec![p.clone()])),
        _ => Err(InputError::in_file(path, format!("row {}: the geometry is not a polygon", row + 1))),
    }
}

/// A table read back: objects with their whole-project index and ownership.
pub type Read<T> = Vec<(usize, bool, T)>;

fn kind_name(k: VillageKind) -> &'static str {
    match k {
        VillageKind::Natural => "natural",
        VillageKind::Administrative => "administrative",
    }
}

/// Villages: the area polygon when there is one, else the point; the point always in lon/lat.
/// The urban-rural code is the village's own (an inherited one is inherited again on loading).
pub fn villages(r: &Rows<Village>) -> GeoTable {
    let v = &r.items;
    let geometry = v.iter().map(|x| x.area.as_ref().map_or(Geometry::Point(x.location), |a| Geometry::MultiPolygon((**a).clone()))).collect();
    Builder::default()
        .text("id", v.iter().map(|x| Some(x.id.as_str())))
        .text("name", v.iter().map(|x| Some(x.name.as_str())))
        .text("kind", v.iter().map(|x| Some(kind_name(x.kind))))
        .float("households", v.iter().map(|x| x.households))
        .float("population", v.iter().map(|x| x.population))
        .float("subscribers", v.iter().map(|x| x.subscribers))
        .int("urban_rural_code", v.iter().map(|x| x.urban_rural_code.filter(|_| !x.urban_rural_inherited).map(i64::from)))
        .text("parent_code", v.iter().map(|x| x.parent_code.as_deref()))
        .text("township_code", v.iter().map(|x| x.township_code.as_deref()))
        .float("lon", v.iter().map(|x| Some(x.location.x())))
        .float("lat", v.iter().map(|x| Some(x.location.y())))
        .table(r, |x| &x.source, geometry)
}

/// Reads [`villages`].
pub fn read_villages(t: &GeoTable, path: &Path) -> Result<Read<Village>> {
    let r = Reader { t, path };
    let (households, population, subscribers, code) = (r.float("households")?, r.float("population")?, r.float("subscribers")?, r.int("urban_rural_code")?);
    let (parent, township, lon, lat, kind) = (r.text("parent_code")?, r.text("township_code")?, r.float("lon")?, r.float("lat")?, r.text("kind")?);
    r.common()?
        .into_iter()
        .enumerate()
        .map(|(i, (seq, owned, source))| {
            let area = match &t.geometry[i] {
                Geometry::Point(_) => None,
                g => Some(Box::new(polygons_of(g, path, i)?)),
            };
            let kind = if kind[i].as_deref() == Some("administrative") { VillageKind::Administrative } else { VillageKind::Natural };
            let v = Village {
                id: r.string("id", i)?,
                name: r.string("name", i)?,
                kind,
                households: households[i],
                population: population[i],
                subscribers: subscribers[i],
                urban_rural_code: code[i].and_then(|c| u16::try_from(c).ok()),
                urban_rural_inherited: false,
                parent_code: parent[i].as_deref().map(Into::into),
                township_code: township[i].as_deref().map(Into::into),
                location: Point::new(lon[i].unwrap_or(f64::NAN), lat[i].unwrap_or(f64::NAN)),
                area,
                source,
            };
            Ok((seq, owned, v))
        })
        .collect()
}

/// The columns every building table has.
fn building_columns(b: &[&Building]) -> Builder {
    Builder::default()
        .text("id", b.iter().map(|x| Some(x.id.as_str())))
        .float("households", b.iter().map(|x| Some(x.households)))
        .bool("households_estimated", b.iter().map(|x| x.households_estimated))
        .float("floors", b.iter().map(|x| x.floors))
        .float("height_m", b.iter().map(|x| x.height_m))
}

/// A building placed as the split (or a shard's analysis) placed it: its centroid in the whole
/// project's frame and its village (whole-project index).
pub type Placed = ([f64; 2], Option<usize>);

fn with_placement(b: Builder, placed: &[Placed]) -> Builder {
    b.float("x_m", placed.iter().map(|p| Some(p.0[0])))
        .float("y_m", placed.iter().map(|p| Some(p.0[1])))
        .int("village_seq", placed.iter().map(|p| p.1.map(|v| v as i64)))
}

/// Buildings as a shard carries them and as a shard's run writes those it owns: the centroid as
/// the geometry (lon/lat, for any GeoParquet tool), the placement as the split found it — the
/// centroid in the whole project's frame (`x_m`, `y_m`, bit for bit) and the village it was
/// joined to (`village_seq`) — and the attributes, without the footprint: a shard's run reads
/// the placement, so no footprint is decoded, projected or joined again, nor written.
pub fn placed_buildings(r: &Rows<Building>, placed: &[Placed], frame: &crate::spatial::LocalFrame) -> GeoTable {
    let geometry = placed.iter().map(|&([x, y], _)| Geometry::Point(frame.inverse(x, y).into())).collect();
    with_placement(building_columns(&r.items), placed).table(r, |x| &x.source, geometry)
}

/// Reads [`placed_buildings`] (its geometries need not be read: see
/// [`crate::io::geoparquet::read_attributes`]): buildings without footprints, their village set
/// (a whole-project index), and each one's centroid in the whole project's frame.
pub fn read_placed_buildings(t: &GeoTable, path: &Path) -> Result<Read<(Building, [f64; 2])>> {
    let r = Reader { t, path };
    let (x, y, village) = (r.float("x_m")?, r.float("y_m")?, r.int("village_seq")?);
    let (households, estimated, floors, height) = (r.float("households")?, r.bool("households_estimated")?, r.float("floors")?, r.float("height_m")?);
    r.common()?
        .into_iter()
        .enumerate()
        .map(|(i, (seq, owned, source))| {
            let bad = |what: &str| InputError::in_file(path, format!("row {}: {what}", i + 1)).with_hint("run the shard again");
            let xy = [x[i].ok_or_else(|| bad("no x_m"))?, y[i].ok_or_else(|| bad("no y_m"))?];
            let village = village[i].map(|v| usize::try_from(v).map_err(|_| bad("'village_seq' is not a row number"))).transpose()?;
            let b = Building {
                id: r.string("id", i)?,
                footprint: MultiPolygon(Vec::new()),
                households: households[i].unwrap_or(0.0),
                households_estimated: estimated[i].unwrap_or(false),
                floors: floors[i],
                height_m: height[i],
                village,
                source,
            };
            Ok((seq, owned, (b, xy)))
        })
        .collect()
}

/// Mobile sectors.
pub fn sectors(r: &Rows<Sector>) -> GeoTable {
    let s = &r.items;
    Builder::default()
        .text("site", s.iter().map(|x| Some(x.site.as_str())))
        .text("cell", s.iter().map(|x| Some(x.cell.as_str())))
        .text("tech", s.iter().map(|x| Some(x.tech.name())))
        .float("band_mhz", s.iter().map(|x| x.band_mhz))
        .float("bandwidth_mhz", s.iter().map(|x| x.bandwidth_mhz))
        .float("power_dbm", s.iter().map(|x| x.power_dbm))
        .float("gain_dbi", s.iter().map(|x| x.gain_dbi))
        .float("height_m", s.iter().map(|x| x.height_m))
        .float("azimuth_deg", s.iter().map(|x| x.azimuth_deg))
        .float("tilt_deg", s.iter().map(|x| x.tilt_deg))
        .float("beamwidth_deg", s.iter().map(|x| x.beamwidth_deg))
        .text("operator", s.iter().map(|x| x.operator.as_deref()))
        .table(r, |x| &x.source, s.iter().map(|x| Geometry::Point(x.position)).collect())
}

/// Reads [`sectors`].
pub fn read_sectors(t: &GeoTable, path: &Path) -> Result<Read<Sector>> {
    let r = Reader { t, path };
    let f = |n| r.float(n);
    let (band, bw, power, gain, height, azimuth, tilt, beam) =
        (f("band_mhz")?, f("bandwidth_mhz")?, f("power_dbm")?, f("gain_dbi")?, f("height_m")?, f("azimuth_deg")?, f("tilt_deg")?, f("beamwidth_deg")?);
    let (tech, operator) = (r.text("tech")?, r.text("operator")?);
    r.common()?
        .into_iter()
        .enumerate()
        .map(|(i, (seq, owned, source))| {
            let tech = tech[i].as_deref().and_then(Tech::parse).ok_or_else(|| InputError::in_file(path, format!("row {}: unknown tech", i + 1)))?;
            let s = Sector {
                site: r.string("site", i)?,
                cell: r.string("cell", i)?,
                position: point_of(&t.geometry[i], path, i)?,
                tech,
                band_mhz: band[i],
                bandwidth_mhz: bw[i],
                power_dbm: power[i],
                gain_dbi: gain[i],
                height_m: height[i],
                azimuth_deg: azimuth[i],
                tilt_deg: tilt[i],
                beamwidth_deg: beam[i],
                operator: operator[i].clone(),
                source,
            };
            Ok((seq, owned, s))
        })
        .collect()
}

/// Fiber cables.
pub fn cables(r: &Rows<FiberCable>) -> GeoTable {
    let c = &r.items;
    Builder::default().text("id", c.iter().map(|x| Some(x.id.as_str()))).table(
        r,
        |x| &x.source,
        c.iter().map(|x| Geometry::MultiLineString(x.route.clone())).collect(),
    )
}

/// Reads [`cables`].
pub fn read_cables(t: &GeoTable, path: &Path) -> Result<Read<FiberCable>> {
    let r = Reader { t, path };
    r.common()?
        .into_iter()
        .enumerate()
        .map(|(i, (seq, owned, source))| {
            let route = match &t.geometry[i] {
                Geometry::MultiLineString(m) => m.clone(),
                Geometry::LineString(l) => MultiLineString(vec![l.clone()]),
                _ => return Err(InputError::in_file(path, format!("row {}: the geometry is not a line", i + 1))),
            };
            Ok((seq, owned, FiberCable { id: r.string("id", i)?, route, source }))
        })
        .collect()
}

/// Access points.
pub fn access_points(r: &Rows<AccessPoint>) -> GeoTable {
    let a = &r.items;
    Builder::default()
        .text("id", a.iter().map(|x| Some(x.id.as_str())))
        .text("tech", a.iter().map(|x| Some(x.tech.name())))
        .int("split", a.iter().map(|x| x.split.map(i64::from)))
        .int("ports_total", a.iter().map(|x| x.ports_total.map(i64::from)))
        .int("ports_used", a.iter().map(|x| x.ports_used.map(i64::from)))
        .table(r, |x| &x.source, a.iter().map(|x| Geometry::Point(x.position)).collect())
}

/// Reads [`access_points`].
pub fn read_access_points(t: &GeoTable, path: &Path) -> Result<Read<AccessPoint>> {
    let r = Reader { t, path };
    let (tech, split, total, used) = (r.text("tech")?, r.int("split")?, r.int("ports_total")?, r.int("ports_used")?);
    let u32_of = |v: Option<i64>| v.and_then(|x| u32::try_from(x).ok());
    r.common()?
        .into_iter()
        .enumerate()
        .map(|(i, (seq, owned, source))| {
            let tech = tech[i].as_deref().and_then(AccessTech::parse).ok_or_else(|| InputError::in_file(path, format!("row {}: unknown tech", i + 1)))?;
            let a = AccessPoint {
                id: r.string("id", i)?,
                position: point_of(&t.geometry[i], path, i)?,
                tech,
                split: u32_of(split[i]),
                ports_total: u32_of(total[i]),
                ports_used: u32_of(used[i]),
                source,
            };
            Ok((seq, owned, a))
        })
        .collect()
}

/// Administrative areas.
pub fn admin_areas(r: &Rows<AdminArea>) -> GeoTable {
    let a = &r.items;
    Builder::default()
        .text("code", a.iter().map(|x| x.code.as_deref()))
        .text("name", a.iter().map(|x| Some(x.name.as_str())))
        .text("level", a.iter().map(|x| x.level.as_deref()))
        .int("urban_rural_code", a.iter().map(|x| x.urban_rural_code.map(i64::from)))
        .table(r, |x| &x.source, a.iter().map(|x| Geometry::MultiPolygon(x.boundary.clone())).collect())
}

/// Reads [`admin_areas`].
pub fn read_admin_areas(t: &GeoTable, path: &Path) -> Result<Read<AdminArea>> {
    let r = Reader { t, path };
    let (code, level, ur) = (r.text("code")?, r.text("level")?, r.int("urban_rural_code")?);
    r.common()?
        .into_iter()
        .enumerate()
        .map(|(i, (seq, owned, source))| {
            let a = AdminArea {
                code: code[i].clone(),
                name: r.string("name", i)?,
                level: level[i].clone(),
                urban_rural_code: ur[i].and_then(|c| u16::try_from(c).ok()),
                boundary: polygons_of(&t.geometry[i], path, i)?,
                source,
            };
            Ok((seq, owned, a))
        })
        .collect()
}

/// Points of interest.
pub fn pois(r: &Rows<Poi>) -> GeoTable {
    let p = &r.items;
    Builder::default().text("name", p.iter().map(|x| Some(x.name.as_str()))).text("category", p.iter().map(|x| Some(x.category.as_str()))).table(
        r,
        |x| &x.source,
        p.iter().map(|x| Geometry::Point(x.position)).collect(),
    )
}

/// Reads [`pois`].
pub fn read_pois(t: &GeoTable, path: &Path) -> Result<Read<Poi>> {
    let r = Reader { t, path };
    r.common()?
        .into_iter()
        .enumerate()
        .map(|(i, (seq, owned, source))| {
            let p = Poi { name: r.string("name", i)?, category: r.string("category", i)?, position: point_of(&t.geometry[i], path, i)?, source };
            Ok((seq, owned, p))
        })
        .collect()
}

/// Measurements (drive tests, speed tests).
pub fn measurements(r: &Rows<Measurement>) -> GeoTable {
    let m = &r.items;
    Builder::default()
        .float("rsrp_dbm", m.iter().map(|x| x.rsrp_dbm))
        .float("rsrq_db", m.iter().map(|x| x.rsrq_db))
        .float("sinr_db", m.iter().map(|x| x.sinr_db))
        .float("dl_mbps", m.iter().map(|x| x.dl_mbps))
        .float("ul_mbps", m.iter().map(|x| x.ul_mbps))
        .text("operator", m.iter().map(|x| x.operator.as_deref()))
        .text("tech", m.iter().map(|x| x.tech.map(Tech::name)))
        .text("cell", m.iter().map(|x| x.cell.as_deref()))
        .int("pci", m.iter().map(|x| x.pci.map(i64::from)))
        .text("time", m.iter().map(|x| x.time.as_deref()))
        .table(r, |x| &x.source, m.iter().map(|x| Geometry::Point(x.position)).collect())
}

/// Reads [`measurements`].
pub fn read_measurements(t: &GeoTable, path: &Path) -> Result<Read<Measurement>> {
    let r = Reader { t, path };
    let f = |n| r.float(n);
    let (rsrp, rsrq, sinr, dl, ul) = (f("rsrp_dbm")?, f("rsrq_db")?, f("sinr_db")?, f("dl_mbps")?, f("ul_mbps")?);
    let (operator, tech, cell, pci, time) = (r.text("operator")?, r.text("tech")?, r.text("cell")?, r.int("pci")?, r.text("time")?);
    r.common()?
        .into_iter()
        .enumerate()
        .map(|(i, (seq, owned, source))| {
            let m = Measurement {
                position: point_of(&t.geometry[i], path, i)?,
                rsrp_dbm: rsrp[i],
                rsrq_db: rsrq[i],
                sinr_db: sinr[i],
                dl_mbps: dl[i],
                ul_mbps: ul[i],
                operator: operator[i].clone(),
                tech: tech[i].as_deref().and_then(Tech::parse),
                cell: cell[i].clone(),
                pci: pci[i].and_then(|x| u32::try_from(x).ok()),
                time: time[i].clone(),
                source,
            };
            Ok((seq, owned, m))
        })
        .collect()
}
