//! The gap list: every place that fails a target (or cannot be judged), buildings grouped into
//! their village, sorted by the households left behind; and the per-area summary table.

use super::{Analysis, PlaceVerdict, TargetResult};
use crate::model::VillageKind;
use crate::project::Project;
use crate::targets::evaluate::{Reason, Verdict};
use crate::targets::places::PlaceRef;
use serde::Serialize;
use std::collections::{BTreeMap, BTreeSet, HashMap};

/// One gap: a place (or the failing buildings of one village) and why.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct Gap {
    /// Target id.
    pub target: String,
    /// Not met, or unknown (missing data).
    pub state: Verdict,
    /// Reason category.
    pub reason: Reason,
    /// Households affected.
    pub households: f64,
    /// Buildings affected (0 for a village or POI judged as a whole).
    pub buildings: usize,
    /// What the place is.
    pub kind: PlaceKind,
    /// Its id.
    pub id: String,
    /// Its name.
    pub name: String,
    /// Township name.
    pub township: String,
    /// Administrative village name.
    pub admin_village: String,
    /// Position (WGS84).
    pub lon: f64,
    /// Latitude.
    pub lat: f64,
    /// The evidence.
    pub evidence: String,
    /// The place (for the map).
    #[serde(skip)]
    pub place: PlaceRef,
}

/// What kind of place a gap is, as the gap tables name it.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
pub enum PlaceKind {
    /// A natural village (自然村).
    #[serde(rename = "natural village")]
    NaturalVillage,
    /// An administrative village (行政村) or community.
    #[serde(rename = "administrative village")]
    AdminVillage,
    /// A building.
    #[serde(rename = "building")]
    Building,
    /// A point of interest.
    #[serde(rename = "POI")]
    Poi,
}

impl PlaceKind {
    /// The name the gap tables print.
    pub fn label(self) -> &'static str {
        match self {
            PlaceKind::NaturalVillage => "natural village",
            PlaceKind::AdminVillage => "administrative village",
            PlaceKind::Building => "building",
            PlaceKind::Poi => "POI",
        }
    }
}

impl std::fmt::Display for PlaceKind {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str(self.label())
    }
}

fn place_kind(p: &Project, place: PlaceRef) -> PlaceKind {
    match place {
        PlaceRef::Village(v) if p.data.villages[v].kind == VillageKind::Natural => PlaceKind::NaturalVillage,
        PlaceRef::Village(_) => PlaceKind::AdminVillage,
        PlaceRef::Building(_) => PlaceKind::Building,
        PlaceRef::Poi(_) => PlaceKind::Poi,
    }
}

/// The failing area keys of a share target (places elsewhere are not gaps).
fn failing_areas(t: &TargetResult) -> Option<BTreeSet<(String, String)>> {
    t.target.share.as_ref()?;
    Some(t.areas.iter().filter(|a| a.verdict.state != Verdict::Met).map(|a| (a.code.clone(), a.name.clone())).collect())
}

/// Which places of target `t` can be gaps: all, or for a share target those in its failing
/// areas (a place not met in an area that meets its share is no gap).
pub fn gap_filter<'a>(p: &'a Project, a: &'a Analysis, t: &'a TargetResult) -> impl Fn(PlaceRef) -> bool + Sync + 'a {
    let failing = failing_areas(t);
    move |place| match (&failing, &t.target.share) {
        (Some(failing), Some(rule)) => failing.contains(&super::area_key(p, &a.geography, rule.per, t.target.area.as_deref(), place)),
        _ => true,
    }
}

/// The failing places of one target grouped for the gap list (buildings into their village):
/// the group's place, its members (a range of [`Groups::members`]) and their households.
struct Group {
    key: PlaceRef,
    members: std::ops::Range<usize>,
    households: f64,
}

/// The groups of one target and their members (indices into the target's places).
struct Groups {
    members: Vec<usize>,
    groups: Vec<Group>,
}

fn groups_of(p: &Project, a: &Analysis, t: &TargetResult) -> Groups {
    use rayon::prelude::*;
    let in_gap = gap_filter(p, a, t);
    // (group, member) pairs sorted by group: a million failing buildings make a million groups,
    // too many for a map of small vectors.
    let mut pairs: Vec<(PlaceRef, usize)> = t
        .places
        .par_iter()
        .enumerate()
        .filter(|(_, v)| v.outcome.state != Verdict::Met)
        .filter(|(_, v)| in_gap(v.place))
        .map(|(k, v)| (group_key(p, v.place), k))
        .collect();
    pairs.par_sort_unstable();
    let members: Vec<usize> = pairs.iter().map(|&(_, k)| k).collect();
    let mut groups = Vec::new();
    let mut start = 0;
    for chunk in pairs.chunk_by(|x, y| x.0 == y.0) {
        let range = start..start + chunk.len();
        let households = chunk.iter().map(|&(_, k)| t.places[k].households.unwrap_or(0.0)).sum();
        groups.push(Group { key: chunk[0].0, members: range.clone(), households });
        start = range.end;
    }
    Groups { members, groups }
}

/// The place a failing place's gap is listed under: a building's village when it has one,
/// else the place itself.
pub(crate) fn group_key(p: &Project, place: PlaceRef) -> PlaceRef {
    match place {
        PlaceRef::Building(b) => p.data.buildings[b].village.map_or(place, PlaceRef::Village),
        other => other,
    }
}

/// Which of two failing places of a group (with the same reason) is the better example of its
/// gap: `Greater` when `a` is — more households, then the earlier place.
pub(crate) fn better_example(a: &PlaceVerdict, b: &PlaceVerdict) -> std::cmp::Ordering {
    a.households.unwrap_or(0.0).total_cmp(&b.households.unwrap_or(0.0)).then(b.place.cmp(&a.place))
}

/// The gap of one group: its reason, example evidence, names and position.
fn gap_of(p: &Project, a: &Analysis, t: &TargetResult, all: &Groups, group: &Group) -> Gap {
    let g = &a.geography;
    let (key, members, households) = (group.key, &all.members[group.members.clone()], group.households);
    let hh = |k: usize| t.places[k].households.unwrap_or(0.0);
    let reason_of = |k: usize| t.places[k].outcome.reason.unwrap_or(Reason::MissingData);
    let buildings = members.iter().filter(|&&k| matches!(t.places[k].place, PlaceRef::Building(_))).count();
    let state = if members.iter().any(|&k| t.places[k].outcome.state == Verdict::NotMet) { Verdict::NotMet } else { Verdict::Unknown };
    // The reason leaving most households behind, and its largest place as the example.
    let mut by_reason: BTreeMap<Reason, f64> = BTreeMap::new();
    for &k in members {
        *by_reason.entry(reason_of(k)).or_default() += hh(k);
    }
    let reason = by_reason.iter().max_by(|a, b| a.1.total_cmp(b.1).then(b.0.cmp(a.0))).map(|r| *r.0).unwrap_or(Reason::MissingData);
    let example = members.iter().copied().filter(|&k| reason_of(k) == reason).max_by(|&a, &b| better_example(&t.places[a], &t.places[b])).unwrap_or(members[0]);
    let ex = &t.places[example].outcome.evidence;
    let evidence = if buildings > 0 { format!("{buildings} buildings, {households:.0} households; e.g. {ex}") } else { ex.to_string() };
    let (id, name, pos) = match key {
        PlaceRef::Village(v) => (p.data.villages[v].id.clone(), p.data.villages[v].name.clone(), p.data.villages[v].location),
        PlaceRef::Building(b) => {
            let [x, y] = p.index.building_xy[b];
            let (lon, lat) = p.frame.inverse(x, y);
            (p.data.buildings[b].id.clone(), String::new(), geo::Point::new(lon, lat))
        }
        PlaceRef::Poi(i) => (p.data.pois[i].source.record.to_string(), p.data.pois[i].name.clone(), p.data.pois[i].position),
    };
    Gap {
        target: t.target.id.clone(),
        state,
        reason,
        households,
        buildings,
        kind: place_kind(p, key),
        id,
        name,
        township: g.township(p, key).map(|c| g.township_name(c).to_string()).unwrap_or_default(),
        admin_village: g.admin_village(p, key).map(|a| p.data.villages[a].name.clone()).unwrap_or_default(),
        lon: pos.x(),
        lat: pos.y(),
        evidence,
        place: key,
    }
}

/// Largest households first; ties by target, then place (a stable, documented order).
fn gap_order(a: (usize, f64, PlaceRef), b: (usize, f64, PlaceRef)) -> std::cmp::Ordering {
    b.1.total_cmp(&a.1).then(a.0.cmp(&b.0)).then(a.2.cmp(&b.2))
}

/// Every gap of an analysis, largest first.
pub fn gaps(p: &Project, a: &Analysis) -> Vec<Gap> {
    gaps_reusing(p, a, &[], &vec![false; a.targets.len()])
}

/// The gaps of `a`, an analysis after an edit of the sectors, given the analysis `before` it and
/// its gaps: targets whose verdicts and area figures the edit left alone keep their gaps.
pub fn gaps_after_edit(p: &Project, a: &Analysis, before: &Analysis, before_gaps: &[Gap]) -> Vec<Gap> {
    let unchanged: Vec<bool> = a
        .targets
        .iter()
        .enumerate()
        .map(|(i, t)| before.targets.get(i).is_some_and(|e| e.target == t.target && e.places == t.places && e.areas == t.areas))
        .collect();
    gaps_reusing(p, a, before_gaps, &unchanged)
}

/// [`gaps`], taking the gaps of the targets `unchanged` marks from `earlier` (the gaps of an
/// analysis of the same project data in which those targets had the same verdicts).
fn gaps_reusing(p: &Project, a: &Analysis, earlier: &[Gap], unchanged: &[bool]) -> Vec<Gap> {
    use rayon::prelude::*;
    let index: std::collections::HashMap<&str, usize> = a.targets.iter().enumerate().map(|(ti, t)| (t.target.id.as_str(), ti)).collect();
    let mut out: Vec<(usize, Gap)> =
        earlier.par_iter().filter_map(|g| index.get(g.target.as_str()).filter(|&&ti| unchanged[ti]).map(|&ti| (ti, g.clone()))).collect();
    for (ti, t) in a.targets.iter().enumerate().filter(|(ti, _)| !unchanged[*ti]) {
        let all = groups_of(p, a, t);
        out.par_extend(all.groups.par_iter().map(|group| (ti, gap_of(p, a, t, &all, group))));
    }
    out.par_sort_by(|x, y| gap_order((x.0, x.1.households, x.1.place), (y.0, y.1.households, y.1.place)));
    out.into_iter().map(|(_, g)| g).collect()
}

/// Where a gap's place lies in the project's frame (metres).
pub fn place_xy(p: &Project, place: PlaceRef) -> [f64; 2] {
    match place {
        PlaceRef::Village(v) => {
            let (x, y) = p.frame.forward(p.data.villages[v].location.x(), p.data.villages[v].location.y());
            [x, y]
        }
        PlaceRef::Building(b) => p.index.building_xy[b],
        PlaceRef::Poi(i) => {
            let (x, y) = p.frame.forward(p.data.pois[i].position.x(), p.data.pois[i].position.y());
            [x, y]
        }
    }
}

/// The `k` largest gaps of target `ti` whose place `keep` accepts (by the place and its frame
/// position), in the order of [`gaps`]: what a printed page lists, without building the gap of
/// each of a million failing buildings.
pub fn top_gaps(p: &Project, a: &Analysis, ti: usize, keep: impl Fn(PlaceRef, [f64; 2]) -> bool + Sync, k: usize) -> Vec<Gap> {
    use rayon::prelude::*;
    let Some(t) = a.targets.get(ti) else { return Vec::new() };
    let all = groups_of(p, a, t);
    let mut groups: Vec<&Group> = all.groups.par_iter().filter(|g| keep(g.key, place_xy(p, g.key))).collect();
    let order = |x: &&Group, y: &&Group| gap_order((ti, x.households, x.key), (ti, y.households, y.key));
    if groups.len() > k && k > 0 {
        groups.select_nth_unstable_by(k - 1, order);
        groups.truncate(k);
    }
    groups.sort_by(order);
    groups.truncate(k);
    groups.par_iter().map(|group| gap_of(p, a, t, &all, group)).collect()
}

/// One row of the per-area table: a target in an area.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct AreaRow {
    /// "county" or "township".
    pub level: &'static str,
    /// Area code (township code; the county's name).
    pub code: String,
    /// Area name.
    pub name: String,
    /// Target id.
    pub target: String,
    /// Places judged.
    pub places: usize,
    /// Met.
    pub met: usize,
    /// Not met.
    pub not_met: usize,
    /// Unknown.
    pub unknown: usize,
    /// Households in the places.
    pub households: f64,
    /// Households not met.
    pub households_not_met: f64,
    /// Share met (households, else places).
    pub share_met: f64,
}

/// An area row's key: level (0 the county, 1 a township), code and name.
type AreaKey<'a> = (u8, &'a str, &'a str);

/// Per target: the county and every township.
pub fn area_rows(p: &Project, a: &Analysis) -> Vec<AreaRow> {
    let g = &a.geography;
    let mut rows = Vec::new();
    for t in &a.targets {
        // Places are grouped by their township's code through a hash map, and the townships
        // named once each (a million places, each looked up in an ordered map of names, took
        // a tenth of a second); rows come out ordered by level, code and name.
        let mut by: Vec<(AreaKey, Vec<usize>)> = Vec::new();
        if !t.places.is_empty() {
            by.push(((0, g.county.as_str(), g.county.as_str()), (0..t.places.len()).collect()));
        }
        let mut slot: HashMap<Option<&str>, usize, rustc_hash::FxBuildHasher> = HashMap::default();
        for (k, v) in t.places.iter().enumerate() {
            let code = g.township(p, v.place);
            let i = *slot.entry(code).or_insert_with(|| {
                let key = match code {
                    Some(c) => (1, c, g.township_name(c)),
                    None => (1, "", "(township unknown)"),
                };
                by.push((key, Vec::new()));
                by.len() - 1
            });
            by[i].1.push(k);
        }
        by.sort_by(|a, b| a.0.cmp(&b.0));
        // Two codes that read the same (a code and no code, both shown as "") are one row, as
        // one key of an ordered map would make them.
        let by = by.into_iter().fold(Vec::<(AreaKey, Vec<usize>)>::new(), |mut rows, (key, idx)| {
            match rows.last_mut() {
                Some((last, places)) if *last == key => {
                    places.extend(idx);
                    places.sort_unstable();
                }
                _ => rows.push((key, idx)),
            }
            rows
        });
        for ((level, code, name), idx) in by {
            let (code, name) = (code.to_string(), name.to_string());
            let count = |s: Verdict| idx.iter().filter(|&&k| t.places[k].outcome.state == s).count();
            let hh = |f: &dyn Fn(Verdict) -> bool| {
                idx.iter().filter(|&&k| f(t.places[k].outcome.state)).filter_map(|&k| t.places[k].households).fold(0.0, |a, b| a + b)
            };
            let households = hh(&|_| true);
            let share_met = if households > 0.0 { hh(&|s| s == Verdict::Met) / households } else { count(Verdict::Met) as f64 / idx.len().max(1) as f64 };
            rows.push(AreaRow {
                level: if level == 0 { "county" } else { "township" },
                code,
                name,
                target: t.target.id.clone(),
                places: idx.len(),
                met: count(Verdict::Met),
                not_met: count(Verdict::NotMet),
                unknown: count(Verdict::Unknown),
                households,
                households_not_met: hh(&|s| s == Verdict::NotMet),
                share_met,
            });
        }
    }
    rows
}
