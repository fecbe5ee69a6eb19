//! Fiber reach and PON capacity (and copper by loop length) for every building and village.
//! Formulas and defaults: docs/DOMAIN.md, "Fiber (FTTH / PON)".

use crate::model::{AccessPoint, AccessTech};
use crate::project::Project;
use crate::settings::FiberSettings;
use geo::{Distance, Euclidean, Line, MapCoords, MultiPolygon};
use rayon::prelude::*;
use serde::Serialize;

/// Downstream line rate of a PON technology (Mb/s); `None` for copper.
pub fn line_rate_mbps(tech: AccessTech) -> Option<f64> {
    match tech {
        AccessTech::Gpon => Some(2488.32),
        AccessTech::XgPon | AccessTech::XgsPon => Some(9953.28),
        AccessTech::Epon => Some(1000.0),
        AccessTech::Copper => None,
    }
}

/// Splitter insertion loss (dB): 17 for 1:32, 20.5 for 1:64, 23.5 for 1:128. A split between the
/// listed ones takes the next larger one's loss (on the safe side); past 1:128 nothing is known.
pub fn splitter_loss_db(split: u32) -> Option<f64> {
    match split {
        0..=32 => Some(17.0),
        33..=64 => Some(20.5),
        65..=128 => Some(23.5),
        _ => None,
    }
}

/// Household access capability (Mb/s): line rate × efficiency shared by split × concurrency
/// active homes, capped by the technology tier.
pub fn pon_capability_mbps(tech: AccessTech, split: u32, s: &FiberSettings) -> Option<f64> {
    let rate = line_rate_mbps(tech)?;
    let cap = match tech {
        AccessTech::XgPon | AccessTech::XgsPon => s.xgpon_tier_cap_mbps,
        _ => s.gpon_tier_cap_mbps,
    };
    let active = (split as f64 * s.concurrency).max(1.0);
    Some((rate * s.pon_efficiency / active).min(cap))
}

/// A distance as planners write it: "120 m" below a kilometre, "1.84 km" above.
pub fn metres(d: f64) -> String {
    let mut s = String::new();
    push_metres(&mut s, d);
    s
}

/// Appends [`metres`] of `d` to `out` (evidence for a million villages is written in place).
pub fn push_metres(out: &mut String, d: f64) {
    use std::fmt::Write;
    if d < 1000.0 {
        push_whole(out, d);
        out.push_str(" m");
    } else {
        let _ = write!(out, "{:.2} km", d / 1000.0);
    }
}

/// Appends a figure rounded to a whole number, as `{:.0}` writes it but without float
/// formatting's slow exact path (it shows in profiles when a million villages get their evidence).
pub fn push_whole(out: &mut String, x: f64) {
    use std::fmt::Write;
    let r = x.round_ties_even();
    let _ = if r.abs() < 1e15 { write!(out, "{}", r as i64) } else { write!(out, "{x:.0}") };
}

/// Appends a figure to one decimal, as `{:.1}` writes it, without float formatting's slow
/// exact path when it is a whole number of tenths (thresholds such as 20.0 Mb/s, written into
/// the evidence of every village).
pub fn push_tenths(out: &mut String, x: f64) {
    use std::fmt::Write;
    let t = x * 10.0;
    // A product that is whole lies within rounding of that many tenths, far from a rounding tie.
    let _ = if x.is_sign_positive() && t == t.trunc() && t < 1e14 {
        let t = t as i64;
        write!(out, "{}.{}", t / 10, t % 10)
    } else {
        write!(out, "{x:.1}")
    };
}

/// Appends `x` as `{}` writes it; a whole number (the usual threshold of 20 households) goes
/// through [`push_whole`], without float formatting, as it is written for a million villages.
pub fn push_plain(out: &mut String, x: f64) {
    if x.fract() == 0.0 && x.abs() < 1e15 {
        push_whole(out, x);
    } else {
        use std::fmt::Write;
        let _ = write!(out, "{x}");
    }
}

/// xDSL rate (Mb/s) at a loop length, from the settings' curve (linear between points).
pub fn copper_rate_mbps(loop_m: f64, s: &FiberSettings) -> f64 {
    let c = &s.copper_rate_by_loop;
    match c.iter().position(|&(d, _)| d >= loop_m) {
        None => 0.0,
        Some(0) => c[0].1,
        Some(i) => {
            let ((d0, r0), (d1, r1)) = (c[i - 1], c[i]);
            if d1 == d0 { r1 } else { r0 + (r1 - r0) * (loop_m - d0) / (d1 - d0) }
        }
    }
}

/// An FTTH link that works: which access point, how far, the budget, the capability.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct FtthLink {
    /// Access point index.
    pub ap: usize,
    /// Drop length (straight line, m).
    pub drop_m: f64,
    /// Optical loss counted (dB): splitter + fiber + margin.
    pub loss_db: f64,
    /// Optical budget of the optics (dB).
    pub budget_db: f64,
    /// Split used (1:N).
    pub split: u32,
    /// True when the layer gave no split and the default was assumed.
    pub split_assumed: bool,
    /// Household access capability (Mb/s).
    pub capability_mbps: f64,
}

/// Why FTTH is not available.
#[derive(Debug, Clone, PartialEq, Serialize)]
#[serde(tag = "reason", rename_all = "snake_case")]
pub enum NotServed {
    /// No fiber access point within the drop distance; the nearest one (if any) and its distance.
    TooFar {
        /// Nearest fiber access point and its distance (m).
        nearest: Option<(usize, f64)>,
    },
    /// Access points in reach, but every port is used.
    NoFreePort {
        /// The nearest full access point.
        ap: usize,
    },
    /// Access points with free ports in reach, but the loss exceeds the optical budget (or the reach).
    OverBudget {
        /// The nearest such access point.
        ap: usize,
        /// Loss (dB).
        loss_db: f64,
        /// Budget (dB).
        budget_db: f64,
    },
}

/// What the fixed network offers at one place.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct AccessResult {
    /// Nearest cable and its distance (m).
    pub nearest_cable: Option<(usize, f64)>,
    /// FTTH link, or why not.
    pub ftth: Result<FtthLink, NotServed>,
    /// Best copper access point and its rate (Mb/s), when a copper layer reaches.
    pub copper: Option<(usize, f64)>,
}

impl AccessResult {
    /// The numbers behind a fiber verdict: "FTTH by AP-3 at 120 m, GPON 1:64, 167 Mb/s, loss 20.5/28 dB"
    /// or why not: "nearest fiber access point 1.84 km > 300 m drop distance".
    pub fn evidence(&self, p: &Project, s: &FiberSettings) -> String {
        let aps = &p.data.access_points;
        let cable = self.nearest_cable.map_or(String::new(), |(_, d)| format!("; nearest cable {}", metres(d)));
        match &self.ftth {
            Ok(l) => format!(
                "FTTH by {} at {}, {} 1:{}{}, {:.0} Mb/s per household, loss {:.1}/{:.0} dB{cable}",
                aps[l.ap].id,
                metres(l.drop_m),
                aps[l.ap].tech.name(),
                l.split,
                if l.split_assumed { " (assumed)" } else { "" },
                l.capability_mbps,
                l.loss_db,
                l.budget_db
            ),
            Err(NotServed::TooFar { nearest: Some((a, d)) }) => {
                format!("nearest fiber access point {} {} > {} drop distance{cable}", aps[*a].id, metres(*d), metres(s.drop_distance_m))
            }
            Err(NotServed::TooFar { nearest: None }) => format!("no fiber access point in the project{cable}"),
            Err(NotServed::NoFreePort { ap }) => {
                format!("{} in reach has no free port ({}/{} used){cable}", aps[*ap].id, aps[*ap].ports_used.unwrap_or(0), aps[*ap].ports_total.unwrap_or(0))
            }
            Err(NotServed::OverBudget { ap, loss_db, budget_db }) => {
                format!("{} in reach but loss {loss_db:.1} dB > {budget_db:.0} dB budget{cable}", aps[*ap].id)
            }
        }
    }

    /// The fixed capability (Mb/s): FTTH if served, else copper, else 0.
    pub fn capability_mbps(&self) -> f64 {
        match (&self.ftth, self.copper) {
            (Ok(l), _) => l.capability_mbps,
            (Err(_), Some((_, r))) => r,
            _ => 0.0,
        }
    }
}

/// Fiber results for a village.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct VillageFiber {
    /// Distance (m) from the village (its polygon, else its point) to the nearest cable or access point.
    pub network_distance_m: Option<f64>,
    /// 连通光缆: the fiber network lies within the connection distance.
    pub connected: bool,
    /// Buildings of the village, and those FTTH-served.
    pub buildings: usize,
    /// FTTH-served buildings.
    pub buildings_served: usize,
    /// Households in the village's buildings.
    pub households: f64,
    /// Households in FTTH-served buildings.
    pub households_served: f64,
}

/// Fiber results for a whole project.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct FiberResults {
    /// One per building, in building order.
    pub buildings: Vec<AccessResult>,
    /// One per village, in village order.
    pub villages: Vec<VillageFiber>,
}

fn is_fiber(ap: &AccessPoint) -> bool {
    ap.tech != AccessTech::Copper
}

fn has_free_port(ap: &AccessPoint) -> bool {
    match (ap.ports_total, ap.ports_used) {
        (Some(t), Some(u)) => u < t,
        _ => true, // unknown occupancy is not a reason to refuse
    }
}

/// What the fixed network offers at local point (x, y), whose nearest cable (with its
/// distance) is already known.
fn access_at(p: &Project, x: f64, y: f64, nearest_cable: Option<(usize, f64)>, s: &FiberSettings) -> AccessResult {
    let aps = &p.data.access_points;
    let idx = &p.index;
    let in_drop: Vec<(usize, f64)> = idx.access_points.within(x, y, s.drop_distance_m).into_iter().filter(|&(a, _)| is_fiber(&aps[a])).collect();
    let mut full: Option<usize> = None;
    let mut over: Option<(usize, f64, f64)> = None;
    let mut ftth: Option<FtthLink> = None;
    for &(a, d) in &in_drop {
        let ap = &aps[a];
        if !has_free_port(ap) {
            full.get_or_insert(a);
            continue;
        }
        let (split, split_assumed) = match ap.split {
            Some(n) => (n, false),
            None => (s.default_split, true),
        };
        let budget = match ap.tech {
            AccessTech::XgPon | AccessTech::XgsPon => s.xgpon_budget_db,
            _ => s.gpon_budget_db,
        };
        let Some(splitter) = splitter_loss_db(split) else {
            over.get_or_insert((a, f64::INFINITY, budget));
            continue;
        };
        let loss = splitter + s.fiber_db_per_km * d / 1000.0 + s.margin_db;
        if loss > budget || d / 1000.0 > s.reach_km {
            over.get_or_insert((a, loss, budget));
            continue;
        }
        let capability = pon_capability_mbps(ap.tech, split, s).expect("fiber technologies have a line rate");
        ftth = Some(FtthLink { ap: a, drop_m: d, loss_db: loss, budget_db: budget, split, split_assumed, capability_mbps: capability });
        break;
    }
    let ftth = match (ftth, over, full) {
        (Some(l), _, _) => Ok(l),
        (None, Some((ap, loss_db, budget_db)), _) => Err(NotServed::OverBudget { ap, loss_db, budget_db }),
        (None, None, Some(ap)) => Err(NotServed::NoFreePort { ap }),
        (None, None, None) => Err(NotServed::TooFar { nearest: idx.access_points.nearest_iter(x, y).find(|&(a, _)| is_fiber(&aps[a])) }),
    };
    let max_loop = s.copper_rate_by_loop.last().map_or(0.0, |l| l.0);
    let copper = idx
        .copper_access_points
        .within(x, y, max_loop)
        .into_iter()
        .map(|(a, d)| (a, copper_rate_mbps(d, s)))
        .filter(|&(_, r)| r > 0.0)
        .max_by(|a, b| a.1.total_cmp(&b.1).then(b.0.cmp(&a.0)));
    AccessResult { nearest_cable, ftth, copper }
}

/// Distance (m) from a village at local (x, y) to the fiber network (cables and access points):
/// from its polygon when it has one (0 when the network runs through it), else from its point.
/// `nearest_cable` is the point's nearest cable, already known.
fn network_distance(p: &Project, v: usize, x: f64, y: f64, nearest_cable: Option<(usize, f64)>) -> Option<f64> {
    let idx = &p.index;
    let village = &p.data.villages[v];
    let point_dist = || {
        let c = nearest_cable.map(|c| c.1);
        let a = idx.access_points.nearest_iter(x, y).find(|&(a, _)| is_fiber(&p.data.access_points[a])).map(|a| a.1);
        match (c, a) {
            (Some(c), Some(a)) => Some(c.min(a)),
            (c, a) => c.or(a),
        }
    };
    let Some(area) = &village.area else { return point_dist() };
    let from_point = point_dist()?;
    let local: MultiPolygon<f64> = area.map_coords(|c| idx.frame.coord(c));
    // Anything nearer to the polygon than the point's nearest feature lies within that distance
    // plus the polygon's radius of the point, so that search is exhaustive.
    let radius = local.0.iter().flat_map(|pl| pl.exterior().0.iter()).map(|c| ((c.x - x).powi(2) + (c.y - y).powi(2)).sqrt()).fold(0.0, f64::max);
    let search = radius + from_point;
    let mut best = from_point;
    for (_, seg) in idx.cables.segments_within(x, y, search) {
        let line = Line::new((seg[0][0], seg[0][1]), (seg[1][0], seg[1][1]));
        best = local.0.iter().map(|pl| Euclidean.distance(&line, pl)).fold(best, f64::min);
    }
    for (a, _) in idx.access_points.within(x, y, search) {
        if !is_fiber(&p.data.access_points[a]) {
            continue;
        }
        let ap = p.data.access_points[a].position;
        let (ax, ay) = idx.frame.forward(ap.x(), ap.y());
        best = local.0.iter().map(|pl| Euclidean.distance(&geo::Point::new(ax, ay), pl)).fold(best, f64::min);
    }
    Some(best)
}

/// Fiber and copper results for every building and village of a project (parallel, deterministic).
pub fn compute(p: &Project, s: &FiberSettings) -> FiberResults {
    compute_for(p, s, None)
}

/// [`compute`] at the buildings `read` marks (all when `None`); the others get an empty result
/// (no cable, no access point in reach), not to be read. A building's access depends on its
/// place alone, and a read village's buildings are all read, so read places get `compute`'s.
pub fn compute_for(p: &Project, s: &FiberSettings, read: Option<&super::ReadPlaces>) -> FiberResults {
    let idx = &p.index;
    let read_building = |i: usize| read.is_none_or(|r| r.buildings[i]);
    let points: std::borrow::Cow<[[f64; 2]]> = match read {
        None => std::borrow::Cow::Borrowed(&idx.building_xy),
        // Unread buildings are left out of the nearest-cable search (it skips points off the map).
        Some(_) => idx.building_xy.iter().enumerate().map(|(i, &xy)| if read_building(i) { xy } else { [f64::NAN; 2] }).collect(),
    };
    let (building_cables, village_cables) = rayon::join(|| idx.cables.nearest_each(&points), || idx.cables.nearest_each(&idx.village_xy));
    let unread = || AccessResult { nearest_cable: None, ftth: Err(NotServed::TooFar { nearest: None }), copper: None };
    let buildings: Vec<AccessResult> = idx
        .building_xy
        .par_iter()
        .zip(building_cables)
        .enumerate()
        .map(|(i, (&[x, y], cable))| if read_building(i) { access_at(p, x, y, cable, s) } else { unread() })
        .collect();
    // Counts per village only where buildings exist: a layer of village points alone would
    // otherwise get a table of zeros as long as itself.
    let mut per_village = vec![(0usize, 0usize, 0.0f64, 0.0f64); if buildings.is_empty() { 0 } else { p.data.villages.len() }];
    for (b, r) in p.data.buildings.iter().zip(&buildings) {
        if let Some(v) = b.village {
            let e = &mut per_village[v];
            e.0 += 1;
            e.2 += b.households;
            if r.ftth.is_ok() {
                e.1 += 1;
                e.3 += b.households;
            }
        }
    }
    let villages = (0..p.data.villages.len())
        .into_par_iter()
        .zip(village_cables)
        .map(|(v, cable)| {
            let [x, y] = idx.village_xy[v];
            // A village is judged by its distance to the network and by its buildings' access,
            // so no access is worked out at its point.
            let dist = network_distance(p, v, x, y, cable);
            let (buildings, buildings_served, households, households_served) = per_village.get(v).copied().unwrap_or_default();
            VillageFiber {
                network_distance_m: dist,
                connected: dist.is_some_and(|d| d <= s.connection_distance_m),
                buildings,
                buildings_served,
                households,
                households_served,
            }
        })
        .collect();
    FiberResults { buildings, villages }
}

#[cfg(test)]
mod tests {
    use super::*;

    /// The sample county read in one village's buildings out of every three: read buildings and
    /// read villages get the full computation's results, the others the empty one.
    #[test]
    fn reading_some_places_gives_them_the_full_results() {
        let p = Project::load(&crate::sample::sample_project_path()).unwrap();
        let s = FiberSettings::default();
        let villages: Vec<bool> = (0..p.data.villages.len()).map(|v| v % 3 == 0).collect();
        let buildings: Vec<bool> = p.data.buildings.iter().map(|b| b.village.is_some_and(|v| villages[v])).collect();
        let read = crate::coverage::ReadPlaces { buildings: buildings.clone(), villages: villages.clone() };
        let (full, part) = (compute(&p, &s), compute_for(&p, &s, Some(&read)));
        let n = buildings.iter().filter(|&&r| r).count();
        assert!(n > 1000 && n < p.data.buildings.len(), "{n} buildings read");
        for (b, &r) in buildings.iter().enumerate() {
            if r {
                assert_eq!(part.buildings[b], full.buildings[b], "building {b}");
            } else {
                assert_eq!(part.buildings[b].nearest_cable, None);
            }
        }
        for v in (0..villages.len()).filter(|&v| villages[v]) {
            assert_eq!(part.villages[v], full.villages[v], "village {v}");
        }
    }

    #[test]
    fn tenths_as_format_writes_them() {
        let mut x = 0.0f64;
        for k in 0..200_000u32 {
            for v in [k as f64 / 10.0, k as f64 * 0.1, x, -(k as f64) / 10.0, k as f64 / 7.0, 1e15 + k as f64] {
                let mut s = String::new();
                push_tenths(&mut s, v);
                assert_eq!(s, format!("{v:.1}"), "{v:e}");
            }
            x += 0.1;
        }
        let mut s = String::new();
        push_tenths(&mut s, -0.0);
        assert_eq!(s, "-0.0");
    }

    #[test]
    fn capability_by_hand() {
        let s = FiberSettings::default();
        // docs/DOMAIN.md: XGS-PON, 1:64, 20 % → ≈ 670 Mb/s: 9953.28 × 0.86 / 12.8 = 668.736.
        assert!((pon_capability_mbps(AccessTech::XgsPon, 64, &s).unwrap() - 668.736).abs() < 1e-6);
        // GPON 1:64 → 2488.32 × 0.86 / 12.8 = 167.18; GPON 1:32 → 334.36.
        assert!((pon_capability_mbps(AccessTech::Gpon, 64, &s).unwrap() - 167.184).abs() < 1e-6);
        assert!((pon_capability_mbps(AccessTech::Gpon, 32, &s).unwrap() - 334.368).abs() < 1e-6);
        // A 1:2 split would give more than a gigabit ONT carries: capped.
        assert_eq!(pon_capability_mbps(AccessTech::Gpon, 2, &s), Some(1000.0));
        assert_eq!(pon_capability_mbps(AccessTech::Copper, 32, &s), None);
    }

    #[test]
    fn plain_figures_written_as_display_writes_them() {
        for x in [20.0, 0.0, 1.0, 300.0, 2.5, 0.1, 1e14, 1e15, 123456.75, -20.0, -0.5] {
            let mut s = String::new();
            push_plain(&mut s, x);
            assert_eq!(s, format!("{x}"));
        }
    }

    #[test]
    fn splitter_losses_and_copper_curve() {
        assert_eq!(splitter_loss_db(32), Some(17.0));
        assert_eq!(splitter_loss_db(16), Some(17.0));
        assert_eq!(splitter_loss_db(64), Some(20.5));
        assert_eq!(splitter_loss_db(128), Some(23.5));
        assert_eq!(splitter_loss_db(256), None);
        let s = FiberSettings::default();
        assert_eq!(copper_rate_mbps(100.0, &s), 100.0);
        assert_eq!(copper_rate_mbps(800.0, &s), 37.5);
        assert_eq!(copper_rate_mbps(6000.0, &s), 0.0);
    }
}
