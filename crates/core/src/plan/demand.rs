//! What the planner must fix: every place a profile judges not met, taken apart into the
//! requirements that fail there (an `all` of 4G and fiber may fail on either or both) and, for
//! each, what would make it pass — a fiber connection, a box near some homes, a splitter beside
//! a full box, a faster PON, a mobile site, or fixed wireless. What no planner fix reaches (a
//! WLAN hotspot, a service POI, take-up) is listed as such.

use super::works::WorkKind;
use crate::analysis::{Analysis, CoverageResults};
use crate::coverage::fiber::NotServed;
use crate::coverage::radio::engine::RadioModel;
use crate::model::Tech;
use crate::project::Project;
use crate::targets::evaluate::{Facts, Reason, Verdict};
use crate::targets::places::PlaceRef;
use crate::targets::profile::{Access, Requirement};
use serde::Serialize;
use std::collections::{BTreeMap, BTreeSet};

/// What one village needs.
#[derive(Debug, Clone, Default, PartialEq, Serialize)]
pub struct VillageNeed {
    /// Index into the project's villages.
    pub village: usize,
    /// Its households (0 when unknown).
    pub households: f64,
    /// The targets it fails that a fix of the planner addresses, each with the fixes it needs
    /// (all of them: an `all` of 4G and fiber needs a site and fiber).
    pub targets: BTreeMap<String, BTreeSet<Fix>>,
    /// The village must be fiber-connected.
    pub connect: bool,
    /// Household buildings no box with a free port reaches within the drop distance.
    pub homes: Vec<usize>,
    /// Mobile coverage wanted at the village: the technologies (any one will do) and whether
    /// indoors.
    pub mobile: Option<(Vec<Tech>, bool)>,
    /// Where it is wanted: at the village's point (a village target), and at these buildings
    /// (a household target), sorted.
    pub mobile_at: (bool, Vec<usize>),
    /// A rate (Mb/s) that 5G fixed wireless may deliver instead of fiber.
    pub fwa_mbps: Option<f64>,
}

/// A kind of fix a failing target needs.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Serialize)]
#[serde(rename_all = "snake_case")]
pub enum Fix {
    /// Fiber: a connection, boxes, a splitter or a faster PON.
    Fiber,
    /// Mobile coverage: a new site.
    Mobile,
    /// A rate that fiber or 5G fixed wireless may deliver.
    FiberOrFwa,
}

impl Fix {
    /// Whether a work of `kind` provides this fix.
    pub fn by(self, kind: WorkKind) -> bool {
        match self {
            Fix::Fiber => matches!(kind, WorkKind::Fiber | WorkKind::Splitter | WorkKind::PonUpgrade),
            Fix::Mobile => kind == WorkKind::Site,
            Fix::FiberOrFwa => matches!(kind, WorkKind::Fiber | WorkKind::Splitter | WorkKind::PonUpgrade | WorkKind::Fwa),
        }
    }
}

/// A failing place and target that no fix of the planner addresses.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct Unaddressed {
    /// Target id.
    pub target: String,
    /// The village (or building) it is, as the gap tables name it.
    pub place: String,
    /// Why it fails.
    pub reason: &'static str,
    /// What the planner would need.
    pub why: &'static str,
}

/// Everything the planner must fix.
#[derive(Debug, Clone, Default, PartialEq, Serialize)]
pub struct Demand {
    /// Per village, in village order.
    pub villages: Vec<VillageNeed>,
    /// Boxes whose ports are all used, with the households they turn away.
    pub full_aps: BTreeMap<usize, f64>,
    /// Boxes whose PON is too slow (or not the PON a target asks for), with their households.
    pub slow_aps: BTreeMap<usize, f64>,
    /// What no fix addresses.
    pub unaddressed: Vec<Unaddressed>,
}

/// The leaves of a requirement (an `all` taken apart).
fn leaves(r: &Requirement) -> Vec<&Requirement> {
    match r {
        Requirement::All { of } => of.iter().flat_map(leaves).collect(),
        leaf => vec![leaf],
    }
}

/// What `a` (with its coverage `c`) says must be fixed on `p`.
pub fn of(p: &Project, a: &Analysis, c: &CoverageResults) -> Demand {
    let model = RadioModel::sectors_only(p, &p.file.coverage.radio, &[]);
    let facts = Facts::new(p, &p.file.coverage, &c.fiber, c.radio.as_ref(), &model).quiet_when_met();
    let homes_of = homes_by_village(p);
    let mut d = Demand::default();
    let mut by_village: BTreeMap<usize, VillageNeed> = BTreeMap::new();
    let mut homes: BTreeMap<usize, BTreeSet<usize>> = BTreeMap::new();
    for t in &a.targets {
        if matches!(t.target.require, Requirement::Penetration) {
            d.unaddressed.extend(failing_take_up(t));
        }
        let in_gap = crate::analysis::gaps::gap_filter(p, a, t);
        for pv in t.places.iter().filter(|pv| pv.outcome.state == Verdict::NotMet && in_gap(pv.place)) {
            let one;
            let (village, buildings): (Option<usize>, &[usize]) = match pv.place {
                PlaceRef::Village(v) => (Some(v), &homes_of[v]),
                PlaceRef::Building(b) => {
                    one = [b];
                    (p.data.buildings[b].village, &one)
                }
                PlaceRef::Poi(_) => (None, &[]),
            };
            let reason = pv.outcome.reason.map_or("", Reason::code);
            let unaddressed = |why| Unaddressed { target: t.target.id.clone(), place: place_name(p, pv.place), reason, why };
            let Some(v) = village else {
                d.unaddressed.push(unaddressed("the planner fixes villages and their buildings; this place lies in no village"));
                continue;
            };
            let need =
                by_village.entry(v).or_insert_with(|| VillageNeed { village: v, households: village_households(p, v, &homes_of[v]), ..Default::default() });
            let mut fixes = BTreeSet::new();
            for leaf in leaves(&t.target.require) {
                if facts.check(leaf, pv.place).state != Verdict::NotMet {
                    continue;
                }
                match leaf {
                    Requirement::FiberConnected { .. } | Requirement::Broadband => {
                        need.connect = true;
                        // A building judged on its own needs a box near it (a box is fiber too).
                        if let PlaceRef::Building(b) = pv.place {
                            homes.entry(v).or_default().insert(b);
                        }
                        fixes.insert(Fix::Fiber);
                    }
                    Requirement::Ftth { .. } => {
                        if fiber_fixes(&facts, c, leaf, buildings, &mut d, homes.entry(v).or_default()) {
                            fixes.insert(Fix::Fiber);
                        }
                    }
                    Requirement::Capability { mbps, by } => {
                        let fiber = by.contains(&Access::Fiber) && fiber_fixes(&facts, c, leaf, buildings, &mut d, homes.entry(v).or_default());
                        let fwa = by.contains(&Access::Fwa);
                        if fwa {
                            need.fwa_mbps = Some(need.fwa_mbps.map_or(*mbps, |m| m.max(*mbps)));
                        }
                        match (fiber, fwa) {
                            (true, true) => fixes.insert(Fix::FiberOrFwa),
                            (true, false) => fixes.insert(Fix::Fiber),
                            (false, true) => fixes.insert(Fix::FiberOrFwa),
                            (false, false) => {
                                d.unaddressed.push(unaddressed("a rate by 4G/5G handsets alone: the planner adds sites for coverage, not capacity"));
                                false
                            }
                        };
                    }
                    Requirement::Mobile { tech, indoor } => {
                        let techs: Vec<Tech> = tech.iter().map(|t| t.tech()).collect();
                        let (known, was_indoor) = need.mobile.take().unwrap_or_default();
                        // Two targets asking for different technologies: the newer one serves both
                        // only when it is asked by both, so keep the ones both accept.
                        let both: Vec<Tech> = if known.is_empty() { techs.clone() } else { known.iter().copied().filter(|t| techs.contains(t)).collect() };
                        need.mobile = Some((if both.is_empty() { techs } else { both }, was_indoor || *indoor));
                        match pv.place {
                            PlaceRef::Building(b) => need.mobile_at.1.push(b),
                            _ => need.mobile_at.0 = true,
                        }
                        fixes.insert(Fix::Mobile);
                    }
                    Requirement::Wlan { .. } => d.unaddressed.push(unaddressed("a WLAN hotspot is not a work the planner builds")),
                    Requirement::Poi { .. } => d.unaddressed.push(unaddressed("a service point is not a work the planner builds")),
                    Requirement::Penetration => d.unaddressed.push(unaddressed("take-up is not a network work")),
                    Requirement::All { .. } => unreachable!("leaves are never `all`"),
                }
            }
            if !fixes.is_empty() {
                need.targets.entry(t.target.id.clone()).or_default().extend(fixes);
            }
        }
    }
    for need in by_village.values_mut() {
        need.mobile_at.1.sort_unstable();
        need.mobile_at.1.dedup();
    }
    for (v, hs) in homes {
        by_village.get_mut(&v).expect("homes are only kept for villages with a need").homes = hs.into_iter().collect();
    }
    d.villages = by_village.into_values().filter(|n| !n.targets.is_empty()).collect();
    d
}

/// Per household building of a place failing a fiber requirement `leaf`, what fixes it: a box
/// near it, a splitter beside its full box, or a faster PON. Whether any fix was found.
fn fiber_fixes(facts: &Facts, c: &CoverageResults, leaf: &Requirement, buildings: &[usize], d: &mut Demand, homes: &mut BTreeSet<usize>) -> bool {
    let mut any = false;
    for &b in buildings {
        if facts.check(leaf, PlaceRef::Building(b)).state != Verdict::NotMet {
            continue;
        }
        let hh = facts.p.data.buildings[b].households;
        any = true;
        match &c.fiber.buildings[b].ftth {
            Err(NotServed::TooFar { .. } | NotServed::OverBudget { .. }) => {
                homes.insert(b);
            }
            Err(NotServed::NoFreePort { ap }) => *d.full_aps.entry(*ap).or_default() += hh,
            Ok(link) => *d.slow_aps.entry(link.ap).or_default() += hh,
        }
    }
    any
}

/// The household buildings of each village.
fn homes_by_village(p: &Project) -> Vec<Vec<usize>> {
    let mut homes_of: Vec<Vec<usize>> = vec![Vec::new(); p.data.villages.len()];
    for (b, building) in p.data.buildings.iter().enumerate().filter(|(_, b)| b.households > 0.0) {
        if let Some(v) = building.village {
            homes_of[v].push(b);
        }
    }
    homes_of
}

/// The areas failing a take-up target: no network work changes take-up.
fn failing_take_up(t: &crate::analysis::TargetResult) -> impl Iterator<Item = Unaddressed> + '_ {
    t.areas.iter().filter(|x| x.verdict.state == Verdict::NotMet).map(|area| Unaddressed {
        target: t.target.id.clone(),
        place: area.name.clone(),
        reason: Reason::LowTakeUp.code(),
        why: "take-up is not a network work",
    })
}

/// A village's households: its field, else the sum over its household buildings `homes`.
fn village_households(p: &Project, v: usize, homes: &[usize]) -> f64 {
    p.data.villages[v].households.unwrap_or_else(|| homes.iter().map(|&b| p.data.buildings[b].households).sum())
}

/// A place as the gap tables name it: "village 自然村名 (id)" or "building N".
fn place_name(p: &Project, place: PlaceRef) -> String {
    match place {
        PlaceRef::Village(v) => format!("{} ({})", p.data.villages[v].name, p.data.villages[v].id),
        PlaceRef::Building(b) => format!("building {}", b + 1),
        PlaceRef::Poi(i) => format!("POI {}", p.data.pois[i].name),
    }
}
