//! Generates the sample county `sample_maps/sihui/` from real data plus plausible content.
//!
//! Real: the boundary of 四会市 (Zhaoqing) from `testdata/real/admin_boundaries_gcj02`
//! (GCJ-02, converted to WGS84) and its 15 townships and 164 villages/communities with their
//! statistical codes from `testdata/real/village_register`. Generated (deterministic,
//! fixed seed): terrain, positions, natural villages and households, buildings, roads, fiber,
//! access points, sites and POIs. Run: `cargo run --release --example gen_sample`.

// The generator is one script whose steps are marked by comments in `generate` and `write_all`;
// it runs once to make the sample county, so the length limit of the product code is lifted.
#![allow(clippy::too_many_lines)]

mod geom;
mod layout;
mod names;
mod rng;
mod terrain;
mod write;

use covplan_core::crs::Offset;
use covplan_core::io::{ReadOptions, read_layer, to_wgs84};
use covplan_core::spatial::LocalFrame;
use geo::{BoundingRect, Coord, Geometry, MapCoords, MultiPolygon};
use geom::{dist, inside, voronoi_cells};
use layout::{connect, grid_around, sample_points, wander};
use names::{short, short_op};
use rng::Rng;
use std::collections::HashSet;
use std::path::PathBuf;

/// Where the real public data lives (testdata/real, with its sources and licences).
fn real_data() -> PathBuf {
    PathBuf::from(env!("CARGO_MANIFEST_DIR")).join("../../testdata/real")
}

/// A township and its units from the register.
struct Township {
    code: String,
    name: String,
    seat: Coord<f64>,
    area: MultiPolygon<f64>,
    is_street: bool,
}

/// A 村委会 or 社区 (administrative village or community).
pub struct Unit {
    pub code: String,
    pub name: String,
    pub township: usize,
    pub seat: Coord<f64>,
    pub area: MultiPolygon<f64>,
    pub community: bool,
    pub ur_code: u16,
    pub households: u32,
    /// Fixed-broadband subscribers (宽带用户数).
    pub subscribers: u32,
}

/// A natural village.
pub struct Natural {
    pub id: String,
    pub name: String,
    pub unit: usize,
    pub pos: Coord<f64>,
    pub households: Option<u32>,
    pub population: Option<u32>,
}

/// A road polyline in local metres.
pub struct RoadLine {
    pub class: &'static str,
    pub name: String,
    pub pts: Vec<Coord<f64>>,
}

/// A building footprint.
pub struct Bldg {
    pub footprint: geo::Polygon<f64>,
    pub floors: u32,
    pub households: Option<u32>,
    pub kind: &'static str,
}

/// A cable.
pub struct Cable {
    pub id: String,
    pub pts: Vec<Coord<f64>>,
    pub kind: &'static str,
}

/// A PON access point.
pub struct Ap {
    pub id: String,
    pub pos: Coord<f64>,
    pub tech: &'static str,
    pub split: u32,
    pub ports: u32,
    pub used: u32,
}

/// One sector row of a site table.
pub struct SectorRow {
    pub operator: &'static str,
    pub site: String,
    pub cell: String,
    pub pos: Coord<f64>,
    pub tech: &'static str,
    pub band: &'static str,
    pub channel: u32,
    pub bandwidth: u32,
    pub power_dbm: f64,
    pub gain: f64,
    pub height: f64,
    pub azimuth: f64,
    pub mech_tilt: f64,
    pub elec_tilt: f64,
    pub beamwidth: f64,
}

/// A point of interest.
pub struct PoiRow {
    pub name: String,
    pub category: &'static str,
    pub pos: Coord<f64>,
}

/// Everything generated, in local metres of `frame`.
pub struct County {
    pub frame: LocalFrame,
    pub boundary: MultiPolygon<f64>,
    pub townships: Vec<(String, String, MultiPolygon<f64>)>,
    pub units: Vec<Unit>,
    pub naturals: Vec<Natural>,
    pub roads: Vec<RoadLine>,
    pub buildings: Vec<Bldg>,
    pub cables: Vec<Cable>,
    pub aps: Vec<Ap>,
    pub sectors: Vec<SectorRow>,
    pub pois: Vec<PoiRow>,
    pub dem: covplan_core::model::Raster,
}

fn main() {
    let out = PathBuf::from(env!("CARGO_MANIFEST_DIR")).join("../../sample_maps/sihui");
    std::fs::create_dir_all(&out).expect("create sample_maps/sihui");
    let county = generate();
    write::write_all(&county, &out);
    println!(
        "{}: {} townships, {} villages/communities, {} natural villages, {} buildings, {} roads, {} cables, {} access points, {} sectors, {} POIs",
        out.display(),
        county.townships.len(),
        county.units.len(),
        county.naturals.len(),
        county.buildings.len(),
        county.roads.len(),
        county.cables.len(),
        county.aps.len(),
        county.sectors.len(),
        county.pois.len()
    );
}

fn generate() -> County {
    let mut rng = Rng::new(441284);
    // --- Real boundary (GCJ-02 → WGS84) and register.
    let opts = ReadOptions { offset: Offset::Gcj02, ..Default::default() };
    let mut layer = read_layer(&real_data().join("admin_boundaries_gcj02/city_肇庆市.shp"), &opts).expect("read Zhaoqing boundaries");
    to_wgs84(&mut layer, &opts).expect("convert boundaries");
    let adcode = layer.table.field_index("adcode").unwrap();
    let f = layer.table.features.iter().find(|f| f.values[adcode].as_text().as_deref() == Some("441284")).expect("四会市 in the boundary file");
    let Some(Geometry::MultiPolygon(boundary_ll)) = f.geometry.clone() else { panic!("boundary is a polygon") };
    let lat_i = layer.table.field_index("centerlat").unwrap();
    let lon_i = layer.table.field_index("centerlng").unwrap();
    let centre_ll = covplan_core::crs::gcj02::gcj02_to_wgs84(f.values[lon_i].as_f64().unwrap(), f.values[lat_i].as_f64().unwrap());
    let r = boundary_ll.bounding_rect().unwrap();
    let frame = LocalFrame::new(((r.min().x + r.max().x) / 2.0 * 1000.0).round() / 1000.0, ((r.min().y + r.max().y) / 2.0 * 1000.0).round() / 1000.0);
    let boundary: MultiPolygon<f64> = boundary_ll.map_coords(|c| frame.coord(c));
    let b = boundary.bounding_rect().unwrap();
    let (south, north) = (b.min().y, b.max().y);
    let h = |c: Coord<f64>| terrain::height(c.x, c.y, south, north);
    let town_centre = {
        let (x, y) = frame.forward(centre_ll.0, centre_ll.1);
        Coord { x, y }
    };

    let register = std::fs::read_to_string(real_data().join("village_register/village_register_zhaoqing_hunan_tianjin.csv")).expect("register");
    let rows: Vec<Vec<&str>> =
        register.lines().skip(1).map(|l| l.split(',').collect()).filter(|r: &Vec<&str>| r[0].starts_with("441284") && r[0].len() > 6).collect();

    // --- Townships: seats (streets around the real centre, towns spread over low ground), Voronoi areas.
    let mut townships: Vec<Township> = Vec::new();
    let candidates: Vec<Coord<f64>> = {
        let mut v = Vec::new();
        let mut y = b.min().y;
        while y < b.max().y {
            let mut x = b.min().x;
            while x < b.max().x {
                let c = Coord { x, y };
                if inside(&boundary, c) {
                    v.push(c);
                }
                x += 800.0;
            }
            y += 800.0;
        }
        v
    };
    for r in rows.iter().filter(|r| r[2] == "township") {
        let is_street = r[1].ends_with("街道");
        let seat = if is_street {
            let k = townships.iter().filter(|t| t.is_street).count() as f64;
            let ang = k * 2.1 + 0.4;
            let d = if k == 0.0 { 0.0 } else { 2600.0 };
            Coord { x: town_centre.x + d * ang.cos(), y: town_centre.y + d * ang.sin() }
        } else {
            // Farthest from existing seats among low, inside candidates.
            let mut best = (f64::NEG_INFINITY, candidates[0]);
            for _ in 0..400 {
                let c = *rng.pick(&candidates);
                let dmin = townships.iter().map(|t| dist(t.seat, c)).fold(f64::INFINITY, f64::min);
                let score = dmin.min(9000.0) - 25.0 * h(c);
                if score > best.0 {
                    best = (score, c);
                }
            }
            best.1
        };
        townships.push(Township { code: r[0].to_string(), name: r[1].to_string(), seat, area: MultiPolygon(vec![]), is_street });
    }
    let cells = voronoi_cells(&townships.iter().map(|t| t.seat).collect::<Vec<_>>(), &boundary);
    for (t, c) in townships.iter_mut().zip(cells) {
        t.area = c;
    }

    // --- Villages and communities, inside their township, on low ground; areas by Voronoi within it.
    let mut units: Vec<Unit> = Vec::new();
    for (ti, t) in townships.iter().enumerate() {
        let members: Vec<&Vec<&str>> = rows.iter().filter(|r| r[2] == "village" && r[3] == t.code).collect();
        let pts = sample_points(&mut rng, &t.area, 200.0);
        let mut seeds: Vec<Coord<f64>> = Vec::new();
        for m in &members {
            let community = m[1].contains("居") || m[1].contains("社区");
            let mut best = (f64::INFINITY, t.seat);
            for _ in 0..60 {
                let c = *rng.pick(&pts);
                let dmin = seeds.iter().map(|s| dist(*s, c)).fold(f64::INFINITY, f64::min);
                let d_seat = dist(c, t.seat);
                let crowd = if dmin < if community { 350.0 } else { 900.0 } { 1e6 } else { 0.0 };
                let score = if community { d_seat + crowd } else { h(c) * 3.0 + crowd - dmin.min(4000.0) * 0.8 };
                if score < best.0 {
                    best = (score, c);
                }
            }
            seeds.push(best.1);
            let d_seat = dist(best.1, t.seat);
            let special = t.code.ends_with("400") || t.code.ends_with("450");
            let ur_code = match (community, t.is_street, special) {
                (_, _, true) => 123,
                (true, true, _) => 111,
                (true, false, _) => 121,
                (false, true, _) => 112,
                (false, false, _) if d_seat < 1800.0 => 122,
                _ => 220,
            };
            units.push(Unit {
                code: m[0].to_string(),
                name: m[1].to_string(),
                township: ti,
                seat: best.1,
                area: MultiPolygon(vec![]),
                community,
                ur_code,
                households: 0,
                subscribers: 0,
            });
        }
        let first = units.len() - members.len();
        let cells = voronoi_cells(&seeds, &t.area);
        for (u, c) in units[first..].iter_mut().zip(cells) {
            u.area = c;
        }
    }

    // --- Natural villages under each 村委会, in its valleys.
    let mut naturals: Vec<Natural> = Vec::new();
    for (ui, u) in units.iter().enumerate() {
        if u.community {
            continue;
        }
        let mut used = HashSet::new();
        let n = rng.int(3, 11) as usize;
        let pts = sample_points(&mut rng, &u.area, 120.0);
        let mut placed: Vec<Coord<f64>> = Vec::new();
        for j in 0..n {
            let mut best: Option<(f64, Coord<f64>)> = None;
            for _ in 0..40 {
                let c = *rng.pick(&pts);
                if placed.iter().any(|p| dist(*p, c) < 450.0) {
                    continue;
                }
                let s = h(c) + rng.range(0.0, 40.0);
                if best.is_none_or(|b| s < b.0) {
                    best = Some((s, c));
                }
            }
            let Some((_, pos)) = best else { break };
            placed.push(pos);
            let hh = rng.lognormal(55.0, 0.9).clamp(3.0, 420.0).round() as u32;
            let missing = rng.chance(0.02);
            naturals.push(Natural {
                id: format!("{}{:02}", u.code, j + 1),
                name: names::village_name(&mut rng, &mut used),
                unit: ui,
                pos,
                households: (!missing).then_some(hh),
                population: (!missing).then(|| (hh as f64 * rng.range(2.8, 3.9)).round() as u32),
            });
        }
    }
    for n in &naturals {
        units[n.unit].households += n.households.unwrap_or(0);
    }

    // --- Roads: trunk network between seats, then to every village seat and natural village.
    let mut roads: Vec<RoadLine> = Vec::new();
    let seats: Vec<Coord<f64>> = townships.iter().map(|t| t.seat).collect();
    // Minimum spanning tree over seats (Prim), deterministic.
    let mut in_tree = vec![false; seats.len()];
    in_tree[0] = true;
    for _ in 1..seats.len() {
        let mut best = (f64::INFINITY, 0, 0);
        for i in (0..seats.len()).filter(|&i| in_tree[i]) {
            for j in (0..seats.len()).filter(|&j| !in_tree[j]) {
                let d = dist(seats[i], seats[j]);
                if d < best.0 {
                    best = (d, i, j);
                }
            }
        }
        in_tree[best.2] = true;
        let class = if townships[best.1].is_street || townships[best.2].is_street { "省道" } else { "县道" };
        let name = format!("{}—{}公路", short(&townships[best.1].name), short(&townships[best.2].name));
        roads.push(RoadLine { class, name, pts: wander(seats[best.1], seats[best.2], &h, &mut rng, 250.0) });
    }
    for u in &units {
        connect(&mut roads, u.seat, "乡道", &format!("{}道路", short(&u.name)), &h, &mut rng);
    }
    for n in &naturals {
        connect(&mut roads, n.pos, "村道", &format!("{}村道", n.name), &h, &mut rng);
    }

    // --- Buildings.
    let mut buildings: Vec<Bldg> = Vec::new();
    for n in &naturals {
        let hh = n.households.unwrap_or_else(|| rng.int(10, 60) as u32);
        let aux = (hh as f64 * 1.3).round() as u32;
        let angle = rng.range(0.0, std::f64::consts::PI);
        for (k, c) in grid_around(n.pos, (hh + aux) as usize, 19.0, angle, &mut rng).into_iter().enumerate() {
            let is_house = (k as u32) < hh + aux && rng.chance(hh as f64 / (hh + aux) as f64);
            let (w, d) = if is_house { (rng.range(8.0, 12.0), rng.range(9.0, 13.0)) } else { (rng.range(4.0, 7.0), rng.range(4.0, 8.0)) };
            buildings.push(Bldg {
                footprint: geom::rect(c, w, d, angle + rng.range(-0.08, 0.08)),
                floors: if is_house { rng.int(2, 3) as u32 } else { 1 },
                households: Some(u32::from(is_house)),
                kind: if is_house { "住宅" } else { "附属" },
            });
        }
    }
    // Households per community (its field stays blank, as in real registers; subscribers need it).
    let mut community_hh = vec![0u32; units.len()];
    for (ui, u) in units.iter().enumerate().filter(|(_, u)| u.community) {
        let street = townships[u.township].is_street;
        let houses = if street { 1900 } else { 800 };
        let blocks = if street { 60 } else { 12 };
        let angle = rng.range(0.0, std::f64::consts::PI);
        for c in grid_around(u.seat, houses, 20.0, angle, &mut rng) {
            if !inside(&u.area, c) {
                continue;
            }
            let b = Bldg {
                footprint: geom::rect(c, rng.range(9.0, 13.0), rng.range(11.0, 15.0), angle),
                floors: rng.int(3, 6) as u32,
                households: Some(rng.int(1, 4) as u32),
                kind: "自建房",
            };
            community_hh[ui] += b.households.unwrap_or(0);
            buildings.push(b);
        }
        let off = Coord { x: u.seat.x + 700.0 * angle.cos(), y: u.seat.y + 700.0 * angle.sin() };
        for c in grid_around(off, blocks, 55.0, angle, &mut rng) {
            if !inside(&u.area, c) {
                continue;
            }
            let floors = if street { rng.int(8, 32) } else { rng.int(5, 11) } as u32;
            let given = rng.chance(0.3);
            let fp = geom::rect(c, rng.range(16.0, 22.0), rng.range(32.0, 48.0), angle);
            let est = (geo::Area::unsigned_area(&fp) * floors as f64 / 100.0).round() as u32;
            community_hh[ui] += est;
            buildings.push(Bldg { footprint: fp, floors, households: given.then_some(est), kind: "商住楼" });
        }
    }

    // --- Fiber: backbone along trunk roads, access along village roads to part of the villages.
    let mut cables: Vec<Cable> = Vec::new();
    let mut aps: Vec<Ap> = Vec::new();
    let trunk = roads.iter().filter(|r| r.class == "省道" || r.class == "县道").count();
    for r in &roads[..trunk] {
        cables.push(Cable { id: format!("GL{:04}", cables.len() + 1), pts: r.pts.clone(), kind: "主干光缆" });
    }
    let mut reached_unit = vec![false; units.len()];
    for (ui, u) in units.iter().enumerate() {
        let t = &townships[u.township];
        let p = if u.community {
            1.0
        } else if t.is_street {
            0.95
        } else {
            0.72
        };
        if !rng.chance(p) {
            continue;
        }
        reached_unit[ui] = true;
        if let Some(r) = roads.iter().find(|r| r.class == "乡道" && r.name == format!("{}道路", short(&u.name))) {
            cables.push(Cable { id: format!("GL{:04}", cables.len() + 1), pts: r.pts.clone(), kind: "配线光缆" });
        }
        let (tech, split, ports) = if t.is_street {
            ("XGS-PON", 64, 32)
        } else if u.community {
            ("GPON", 64, 32)
        } else {
            ("GPON", 64, 16)
        };
        let n_aps = if u.community { if t.is_street { 8 } else { 3 } } else { 1 };
        for k in 0..n_aps {
            let pos = Coord { x: u.seat.x + rng.range(-250.0, 250.0) * (k.min(1) as f64), y: u.seat.y + rng.range(-250.0, 250.0) * (k.min(1) as f64) };
            let used = if rng.chance(0.12) { ports } else { rng.int((ports / 3) as i64, ports as i64 - 1) as u32 };
            aps.push(Ap { id: format!("FXX-{}-{:02}", u.code, k + 1), pos, tech, split, ports, used });
        }
    }
    for n in &naturals {
        if !reached_unit[n.unit] {
            continue;
        }
        let p = if n.households.unwrap_or(0) >= 20 { 0.62 } else { 0.2 };
        if !rng.chance(p) {
            continue;
        }
        if let Some(r) = roads.iter().find(|r| r.class == "村道" && r.name == format!("{}村道", n.name)) {
            cables.push(Cable { id: format!("GL{:04}", cables.len() + 1), pts: r.pts.clone(), kind: "引入光缆" });
        }
        let ports = if n.households.unwrap_or(0) > 60 { 16 } else { 8 };
        let used = if rng.chance(0.1) { ports } else { rng.int(1, ports as i64 - 1) as u32 };
        aps.push(Ap {
            id: format!("FXX-{}", n.id),
            pos: Coord { x: n.pos.x + rng.range(-40.0, 40.0), y: n.pos.y + rng.range(-40.0, 40.0) },
            tech: "GPON",
            split: if rng.chance(0.5) { 32 } else { 64 },
            ports,
            used,
        });
    }

    // --- Mobile sites: dense in the county town, a few per town, sparse on rural hills.
    let mut sites: Vec<(Coord<f64>, bool)> = Vec::new(); // (position, urban)
    for t in &townships {
        let n = if t.is_street { 36 } else { 6 };
        for c in grid_around(t.seat, n, if t.is_street { 480.0 } else { 900.0 }, 0.3, &mut rng) {
            sites.push((c, true));
        }
    }
    let rural = sample_points(&mut rng, &boundary, 2800.0);
    for c in rural {
        if sites.iter().any(|s| dist(s.0, c) < 1800.0) || rng.chance(0.12) {
            continue;
        }
        // Climb to the highest spot nearby: towers stand on hills.
        let mut best = c;
        for _ in 0..12 {
            let q = Coord { x: c.x + rng.range(-900.0, 900.0), y: c.y + rng.range(-900.0, 900.0) };
            if inside(&boundary, q) && h(q) > h(best) {
                best = q;
            }
        }
        sites.push((best, false));
    }
    let mut sectors = Vec::new();
    for (si, &(pos, urban)) in sites.iter().enumerate() {
        for (op, p_on) in [("中国移动", 1.0), ("中国电信", 0.72), ("中国联通", 0.55)] {
            if !rng.chance(p_on) {
                continue;
            }
            let site = format!("四会{}{}{:03}", short_op(op), if urban { "城区" } else { "农村" }, si + 1);
            let layers: Vec<(&str, &str, u32, u32, f64, f64)> = match (op, urban) {
                ("中国移动", true) => vec![("LTE", "F频段", 38400, 20, 46.0, 15.0), ("NR", "n41", 504990, 100, 53.0, 24.0)],
                ("中国移动", false) => vec![("LTE", "B8", 3590, 10, 46.0, 15.5)],
                ("中国电信", true) => vec![("LTE", "B1", 100, 20, 46.0, 15.0), ("NR", "n78", 630000, 100, 53.0, 24.0)],
                ("中国电信", false) => vec![("LTE", "B5", 2452, 10, 46.0, 15.0)],
                ("中国联通", true) => vec![("LTE", "B3", 1650, 20, 46.0, 15.0), ("NR", "n78", 636666, 100, 53.0, 24.0)],
                _ => vec![("LTE", "B8", 3740, 10, 46.0, 15.0)],
            };
            let az0 = rng.range(0.0, 120.0);
            let height = if urban { rng.range(22.0, 36.0) } else { rng.range(30.0, 45.0) };
            for (tech, band, channel, bw, power, gain) in layers {
                for k in 0..3 {
                    sectors.push(SectorRow {
                        operator: op,
                        site: site.clone(),
                        cell: format!("{site}-{tech}-{}", k + 1),
                        pos: Coord { x: pos.x + rng.range(-3.0, 3.0), y: pos.y + rng.range(-3.0, 3.0) },
                        tech,
                        band,
                        channel,
                        bandwidth: bw,
                        power_dbm: power,
                        gain,
                        height: (height * 10.0).round() / 10.0,
                        azimuth: ((az0 + 120.0 * k as f64 + rng.range(-10.0, 10.0)).rem_euclid(360.0)).round(),
                        mech_tilt: rng.int(2, 5) as f64,
                        elec_tilt: rng.int(2, 6) as f64,
                        beamwidth: 65.0,
                    });
                }
            }
        }
    }

    // --- Points of interest.
    let mut pois = Vec::new();
    pois.push(PoiRow { name: "四会市政务服务中心".into(), category: "行政服务中心", pos: town_centre });
    for t in &townships {
        let near = |rng: &mut Rng| Coord { x: t.seat.x + rng.range(-300.0, 300.0), y: t.seat.y + rng.range(-300.0, 300.0) };
        pois.push(PoiRow { name: format!("{}便民服务中心", short(&t.name)), category: "行政服务中心", pos: near(&mut rng) });
        pois.push(PoiRow { name: format!("{}中心小学", short(&t.name)), category: "学校", pos: near(&mut rng) });
        pois.push(PoiRow { name: format!("{}卫生院", short(&t.name)), category: "卫生院", pos: near(&mut rng) });
        pois.push(PoiRow { name: format!("{}文化广场", short(&t.name)), category: "公园广场", pos: near(&mut rng) });
    }
    for u in &units {
        let cat = if u.community { "居委会" } else { "村委会" };
        pois.push(PoiRow { name: u.name.clone(), category: cat, pos: u.seat });
        if !u.community && rng.chance(0.6) {
            pois.push(PoiRow { name: format!("{}卫生站", short(&u.name)), category: "卫生室", pos: Coord { x: u.seat.x + 60.0, y: u.seat.y - 40.0 } });
        }
        if !u.community && rng.chance(0.25) {
            pois.push(PoiRow { name: format!("{}小学", short(&u.name)), category: "学校", pos: Coord { x: u.seat.x - 120.0, y: u.seat.y + 80.0 } });
        }
        if !u.community && rng.chance(0.45) {
            pois.push(PoiRow {
                name: format!("{}信息服务站", short(&u.name)), category: "信息服务站", pos: Coord { x: u.seat.x + 15.0, y: u.seat.y + 10.0 }
            });
        }
    }
    for name in ["贞山景区", "六祖寺", "奇石河景区", "玉器街", "燕岩景区", "黄岗湿地公园"] {
        let c = *rng.pick(&candidates);
        pois.push(PoiRow { name: name.into(), category: "旅游景点", pos: c });
    }

    // --- Extras from their own generator, so that everything drawn above stays as it was:
    // subscribers per unit (take-up 35–90 %) and WLAN hotspots at most public places.
    let mut extra = Rng::new(2020_1231);
    for (u, &hh) in units.iter_mut().zip(&community_hh) {
        let homes = if u.community { hh } else { u.households };
        u.subscribers = (homes as f64 * extra.range(0.35, 0.9)).round() as u32;
    }
    let public: Vec<(String, Coord<f64>)> =
        pois.iter().filter(|p| matches!(p.category, "行政服务中心" | "公园广场" | "旅游景点" | "卫生院")).map(|p| (p.name.clone(), p.pos)).collect();
    for (name, pos) in public {
        if extra.chance(0.7) {
            // Most hotspots sit at the place; some across the street or farther (a gap at 100 m).
            let d = if extra.chance(0.8) { extra.range(5.0, 80.0) } else { extra.range(150.0, 400.0) };
            let a = extra.range(0.0, std::f64::consts::TAU);
            pois.push(PoiRow { name: format!("{name}WLAN"), category: "WLAN热点", pos: Coord { x: pos.x + d * a.cos(), y: pos.y + d * a.sin() } });
        }
    }

    // --- Terrain grid over the county (3″ cells, like SRTM), in lon/lat.
    let rb = boundary_ll.bounding_rect().unwrap();
    let cell = 1.0 / 1200.0;
    let (x0, y1) = ((rb.min().x / cell).floor() * cell - 10.0 * cell, (rb.max().y / cell).ceil() * cell + 10.0 * cell);
    let cols = ((rb.max().x - x0) / cell).ceil() as usize + 10;
    let rows_n = ((y1 - rb.min().y) / cell).ceil() as usize + 10;
    let mut values = Vec::with_capacity(cols * rows_n);
    for r in 0..rows_n {
        for c in 0..cols {
            let (lon, lat) = (x0 + (c as f64 + 0.5) * cell, y1 - (r as f64 + 0.5) * cell);
            let (x, y) = frame.forward(lon, lat);
            values.push(h(Coord { x, y }) as f32);
        }
    }
    let dem = covplan_core::model::Raster { first_cell: (0, 0), cols, rows: rows_n, origin_x: x0, origin_y: y1, cell_w: cell, cell_h: cell, values };

    County {
        frame,
        boundary,
        townships: townships.into_iter().map(|t| (t.code, t.name, t.area)).collect(),
        units,
        naturals,
        roads,
        buildings,
        cables,
        aps,
        sectors,
        pois,
        dem,
    }
}
