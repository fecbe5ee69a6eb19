//! One requirement at one place: met, not met or unknown, with the numbers that decided it.

use super::places::PlaceRef;
use super::profile::{Access, MobileTech, Requirement};
use crate::coverage::fiber::{FiberResults, NotServed, metres, push_metres};
use crate::coverage::radio::engine::{LinkResult, RadioModel, RadioResults};
use crate::model::{AccessTech, Tech};
use crate::project::Project;
use crate::settings::CoverageSettings;
use crate::spatial::PointIndex;
use serde::Serialize;
use std::collections::BTreeMap;
use std::sync::{Arc, Mutex, OnceLock};

pub use super::verdict::{Reason, Verdict};

/// The judgement of one place on one requirement: the verdict, the numbers that decided, and why it failed.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct Judgement {
    /// Met, not met or unknown.
    pub state: Verdict,
    /// The numbers that decided, as a planner reads them (shared: a verdict an edit leaves
    /// alone is carried into the next analysis without copying its text).
    pub evidence: Arc<str>,
    /// Why not met (or unknown: missing data).
    pub reason: Option<Reason>,
}

impl Judgement {
    fn met(evidence: String) -> Judgement {
        Judgement { state: Verdict::Met, evidence: shared(evidence), reason: None }
    }
    /// Met, with no evidence written (see [`Facts::quiet_when_met`]).
    pub fn met_unexplained() -> Judgement {
        Judgement { state: Verdict::Met, evidence: no_evidence(), reason: None }
    }
    fn not_met(reason: Reason, evidence: String) -> Judgement {
        Judgement { state: Verdict::NotMet, evidence: shared(evidence), reason: Some(reason) }
    }
    /// Unknown for want of data; `evidence` says which.
    pub fn unknown(evidence: String) -> Judgement {
        Judgement { state: Verdict::Unknown, evidence: shared(evidence), reason: Some(Reason::MissingData) }
    }
}

/// Which outcomes get their evidence written.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Explain {
    /// None: only the state and reason are wanted.
    Nothing,
    /// Outcomes not met (and unknown) only.
    NotMet,
    /// Every outcome.
    All,
}

impl Explain {
    /// Whether an outcome in `state` gets its evidence written.
    fn writes(self, state: Verdict) -> bool {
        match self {
            Explain::Nothing => false,
            Explain::NotMet => state != Verdict::Met,
            Explain::All => true,
        }
    }
}

/// `text` as shared evidence (the empty text without an allocation of its own).
fn shared(text: String) -> Arc<str> {
    if text.is_empty() { no_evidence() } else { text.into() }
}

/// An empty evidence text, shared per thread: a million met places then share one
/// allocation, and no two threads bump the same count.
fn no_evidence() -> Arc<str> {
    thread_local!(static EMPTY: Arc<str> = Arc::from(""));
    EMPTY.with(Arc::clone)
}

/// Everything a requirement may look at: the project and its coverage results.
pub struct Facts<'a> {
    /// The project.
    pub p: &'a Project,
    /// Coverage settings.
    pub s: &'a CoverageSettings,
    /// Fiber results (always computed).
    pub fiber: &'a FiberResults,
    /// Radio results, when some target needs them.
    pub radio: Option<&'a RadioResults>,
    /// The radio model, for evaluating links.
    pub model: &'a RadioModel<'a>,
    /// POIs of each category list a requirement names, indexed once (not per place).
    poi_sets: Mutex<BTreeMap<Vec<String>, Arc<PoiSet>>>,
    /// The household buildings of each village, in building order (made on first use: a
    /// village target over buildings would otherwise scan every building per village).
    homes: OnceLock<Vec<Vec<usize>>>,
    /// Which outcomes [`Self::check`] writes evidence for (see [`Self::quiet_when_met`]).
    explain: Explain,
}

/// The POIs of some categories and an index over their positions (ids are POI indices).
struct PoiSet {
    ids: Vec<usize>,
    index: PointIndex,
}

fn fmt_mbps(x: f64) -> String {
    let mut s = String::with_capacity(16);
    if x >= 100.0 {
        crate::coverage::fiber::push_whole(&mut s, x);
    } else {
        crate::coverage::fiber::push_tenths(&mut s, x);
    }
    s.push_str(" Mb/s");
    s
}

impl<'a> Facts<'a> {
    /// Facts over a project's coverage results.
    pub fn new(p: &'a Project, s: &'a CoverageSettings, fiber: &'a FiberResults, radio: Option<&'a RadioResults>, model: &'a RadioModel<'a>) -> Facts<'a> {
        Facts { p, s, fiber, radio, model, poi_sets: Mutex::new(BTreeMap::new()), homes: OnceLock::new(), explain: Explain::All }
    }

    /// These facts with met outcomes left without evidence: for tables and maps of the gaps,
    /// which never print it, a million met places need not have it written.
    pub fn quiet_when_met(mut self) -> Self {
        self.explain = Explain::NotMet;
        self
    }

    /// Whether met outcomes carry evidence.
    pub fn explains_met(&self) -> bool {
        self.explain == Explain::All
    }

    /// The buildings with households of village `v`.
    fn homes_of(&self, v: usize) -> &[usize] {
        let homes = self.homes.get_or_init(|| {
            let d = &self.p.data;
            let mut homes = vec![Vec::new(); d.villages.len()];
            for (b, building) in d.buildings.iter().enumerate().filter(|(_, b)| b.households > 0.0) {
                if let Some(v) = building.village {
                    homes[v].push(b);
                }
            }
            homes
        });
        &homes[v]
    }

    /// The POIs whose category contains one of `categories`.
    fn pois_of(&self, categories: &[String]) -> Arc<PoiSet> {
        let mut sets = self.poi_sets.lock().unwrap_or_else(|e| e.into_inner());
        sets.entry(categories.to_vec())
            .or_insert_with(|| {
                let d = &self.p.data;
                let ids: Vec<usize> = (0..d.pois.len()).filter(|&i| categories.iter().any(|c| d.pois[i].category.contains(c.as_str()))).collect();
                let index = PointIndex::new(ids.iter().map(|&i| {
                    let (x, y) = self.p.frame.forward(d.pois[i].position.x(), d.pois[i].position.y());
                    (i, x, y)
                }));
                Arc::new(PoiSet { ids, index })
            })
            .clone()
    }

    fn xy(&self, place: PlaceRef) -> (f64, f64) {
        let d = &self.p.data;
        match place {
            PlaceRef::Village(v) => {
                let [x, y] = self.p.index.village_xy[v];
                (x, y)
            }
            PlaceRef::Building(b) => {
                let [x, y] = self.p.index.building_xy[b];
                (x, y)
            }
            PlaceRef::Poi(i) => self.p.frame.forward(d.pois[i].position.x(), d.pois[i].position.y()),
        }
    }

    /// The requirement at a place.
    pub fn check(&self, req: &Requirement, place: PlaceRef) -> Judgement {
        self.check_with(req, place, self.explain)
    }

    /// [`Self::check`], writing evidence as `ex` says.
    fn check_with(&self, req: &Requirement, place: PlaceRef, ex: Explain) -> Judgement {
        match req {
            Requirement::FiberConnected { distance_m } => self.fiber_connected(distance_m.unwrap_or(self.s.fiber.connection_distance_m), place, ex),
            Requirement::Ftth { pon } => self.per_building(place, |b, ex| self.ftth(b, pon, ex), "FTTH-served", ex),
            Requirement::Capability { mbps, by } => self.per_building(place, |b, ex| self.capability(b, *mbps, by, ex), &format!("≥ {}", fmt_mbps(*mbps)), ex),
            Requirement::Mobile { tech, indoor } => self.mobile(place, tech, *indoor, ex),
            Requirement::Broadband => self.broadband(place, ex),
            Requirement::Wlan { radius_m, hotspot_categories } => self.poi_near(place, hotspot_categories, *radius_m, Reason::NoHotspot, "WLAN hotspot", ex),
            Requirement::Poi { poi_categories, radius_m } => self.poi_near(place, poi_categories, *radius_m, Reason::NoPoi, &poi_categories.join("/"), ex),
            Requirement::All { of } => {
                let mut parts: Vec<Judgement> = of.iter().map(|r| self.check_with(r, place, ex)).collect();
                let state = if parts.iter().any(|o| o.state == Verdict::NotMet) {
                    Verdict::NotMet
                } else if parts.iter().any(|o| o.state == Verdict::Unknown) {
                    Verdict::Unknown
                } else {
                    Verdict::Met
                };
                let reason = parts.iter().find(|o| o.state == state).and_then(|o| o.reason);
                if !ex.writes(state) {
                    return Judgement { state, evidence: no_evidence(), reason };
                }
                // The whole is explained: so are the parts met within it.
                for (r, o) in of.iter().zip(&mut parts).filter(|(_, o)| !ex.writes(o.state)) {
                    *o = self.check_with(r, place, Explain::All);
                }
                Judgement { state, evidence: parts.iter().map(|o| &*o.evidence).collect::<Vec<_>>().join("; ").into(), reason }
            }
            Requirement::Penetration => Judgement::unknown("penetration is judged per area".into()),
        }
    }

    /// Met, with the evidence `text` writes when `ex` explains met outcomes.
    fn met_with(ex: Explain, text: impl FnOnce() -> String) -> Judgement {
        if ex.writes(Verdict::Met) { Judgement::met(text()) } else { Judgement::met_unexplained() }
    }

    fn fiber_connected(&self, limit: f64, place: PlaceRef, ex: Explain) -> Judgement {
        let dist = match place {
            PlaceRef::Village(v) => self.fiber.villages[v].network_distance_m,
            _ => {
                let (x, y) = self.xy(place);
                let aps = &self.p.data.access_points;
                let cable = self.p.index.cables.nearest(x, y).map(|c| c.1);
                let ap = self.p.index.access_points.nearest_iter(x, y).find(|&(a, _)| aps[a].tech != AccessTech::Copper).map(|a| a.1);
                match (cable, ap) {
                    (Some(c), Some(a)) => Some(c.min(a)),
                    (c, a) => c.or(a),
                }
            }
        };
        // "fiber 120 m ≤ 300 m connection distance", written in one string.
        let evidence = |lead: &str, d: f64, op: &str| {
            let mut e = String::with_capacity(64);
            e.push_str(lead);
            push_metres(&mut e, d);
            e.push_str(op);
            push_metres(&mut e, limit);
            e.push_str(" connection distance");
            e
        };
        match dist {
            None => Judgement::not_met(Reason::NoFiberInReach, "no fiber cable or access point in the project".into()),
            Some(d) if d <= limit => Self::met_with(ex, || evidence("fiber ", d, " ≤ ")),
            Some(d) => Judgement::not_met(Reason::NoFiberInReach, evidence("nearest fiber ", d, " > ")),
        }
    }

    /// A building requirement at a building, or at every household building of a village.
    ///
    /// `at(b, ex)` judges building `b`, with its evidence written as `ex` says: a village shows
    /// the evidence of one building, so the others' is never written.
    fn per_building(&self, place: PlaceRef, at: impl Fn(usize, Explain) -> Judgement, what: &str, ex: Explain) -> Judgement {
        match place {
            PlaceRef::Building(b) => at(b, ex),
            PlaceRef::Village(v) => {
                let d = &self.p.data;
                let homes = self.homes_of(v);
                if homes.is_empty() {
                    return Judgement::unknown("no building with households in the village".into());
                }
                let outcomes: Vec<(usize, Verdict)> = homes.iter().map(|&b| (b, at(b, Explain::Nothing).state)).collect();
                let hh = |s: Verdict| outcomes.iter().filter(|(_, o)| *o == s).map(|(b, _)| d.buildings[*b].households).sum::<f64>();
                let (met, total) = (hh(Verdict::Met), hh(Verdict::Met) + hh(Verdict::NotMet) + hh(Verdict::Unknown));
                let mut summary = String::with_capacity(64);
                crate::coverage::fiber::push_whole(&mut summary, met);
                summary.push_str(" of ");
                crate::coverage::fiber::push_whole(&mut summary, total);
                summary.push_str(" households ");
                summary.push_str(what);
                match outcomes.iter().find(|(_, o)| *o == Verdict::NotMet).or_else(|| outcomes.iter().find(|(_, o)| *o == Verdict::Unknown)) {
                    None => Self::met_with(ex, || summary),
                    Some(&(b, _)) => {
                        let o = at(b, Explain::All);
                        Judgement { state: o.state, evidence: format!("{summary}; e.g. {}", o.evidence).into(), reason: o.reason }
                    }
                }
            }
            PlaceRef::Poi(_) => Judgement::unknown("fixed access is computed at buildings and villages, not at POIs".into()),
        }
    }

    fn not_served_reason(n: &NotServed) -> Reason {
        match n {
            NotServed::TooFar { .. } => Reason::NoFiberInReach,
            NotServed::NoFreePort { .. } => Reason::NoFreePort,
            NotServed::OverBudget { .. } => Reason::OverBudget,
        }
    }

    fn ftth(&self, b: usize, pon: &[super::profile::Pon], ex: Explain) -> Judgement {
        let r = &self.fiber.buildings[b];
        let ev = |state: Verdict| if ex.writes(state) { r.evidence(self.p, &self.s.fiber) } else { String::new() };
        match &r.ftth {
            Err(n) => Judgement::not_met(Self::not_served_reason(n), ev(Verdict::NotMet)),
            Ok(l) => {
                let tech = self.p.data.access_points[l.ap].tech;
                if pon.is_empty() || pon.iter().any(|x| x.tech() == tech) {
                    Self::met_with(ex, || ev(Verdict::Met))
                } else {
                    let ev = ev(Verdict::NotMet);
                    let ev = if ex.writes(Verdict::NotMet) {
                        format!("{ev}; {} is not {}", tech.name(), pon.iter().map(|x| x.tech().name()).collect::<Vec<_>>().join("/"))
                    } else {
                        ev
                    };
                    Judgement::not_met(Reason::Capacity, ev)
                }
            }
        }
    }

    /// The best rate (Mb/s) a household of building `b` gets by mobile `tech` indoors, with its link.
    fn mobile_rate(&self, b: usize, tech: Tech, fwa: bool) -> Option<(f64, LinkResult)> {
        let radio = self.radio?;
        let links = if fwa { &radio.fwa[b] } else { &radio.buildings[b] };
        links
            .iter()
            .filter(|l| l.tech == tech)
            .filter_map(|l| {
                let loss = if fwa { 0.0 } else { self.model.indoor_loss_db(l) };
                let e = self.model.evaluate(l, loss);
                e.covered.then(|| (self.model.household_rate_mbps(&e, l, &radio.households_per_sector), l.clone()))
            })
            .max_by(|a, b| a.0.total_cmp(&b.0).then(b.1.sector.cmp(&a.1.sector)))
    }

    /// The best rate a household of building `b` gets by the access types `by` against `mbps`
    /// (evidence written as `ex` says).
    fn capability(&self, b: usize, mbps: f64, by: &[Access], ex: Explain) -> Judgement {
        /// Where a rate comes from, written out only for the best one, and only when explained.
        enum Source<'l> {
            Fiber(&'l crate::coverage::fiber::FtthLink),
            Copper(usize),
            Mobile(&'static str, LinkResult),
        }
        let fiber = &self.fiber.buildings[b];
        let mut best: Option<(f64, Source)> = None;
        let mut consider = |rate: f64, how: Source<'a>| {
            if best.as_ref().is_none_or(|(r, _)| rate > *r) {
                best = Some((rate, how));
            }
        };
        let f = &self.s.fiber;
        for a in by {
            match a {
                Access::Fiber => {
                    if let Ok(l) = &fiber.ftth {
                        consider(l.capability_mbps, Source::Fiber(l));
                    }
                }
                Access::Copper => {
                    if let Some((ap, rate)) = fiber.copper {
                        consider(rate, Source::Copper(ap));
                    }
                }
                Access::Lte | Access::Nr | Access::Fwa => {
                    if self.radio.is_none() {
                        return Judgement::unknown("mobile rates were not computed".into());
                    }
                    let (tech, fwa) = match a {
                        Access::Lte => (Tech::Lte, false),
                        Access::Nr => (Tech::Nr, false),
                        _ => (Tech::Nr, true),
                    };
                    if let Some((rate, l)) = self.mobile_rate(b, tech, fwa) {
                        consider(rate, Source::Mobile(if fwa { "5G FWA" } else { tech.name() }, l));
                    }
                }
            }
        }
        let how = |s: &Source| match s {
            Source::Fiber(l) => {
                let ap = &self.p.data.access_points[l.ap];
                format!("{} 1:{}, {:.0} % concurrency, {} at {}", ap.tech.name(), l.split, 100.0 * f.concurrency, ap.id, metres(l.drop_m))
            }
            Source::Copper(ap) => format!("xDSL from {}", self.p.data.access_points[*ap].id),
            Source::Mobile(kind, l) => {
                let sec = &self.p.data.sectors[l.sector];
                format!("{kind} busy-hour share, sector {} ({}), {}", sec.cell, sec.operator.as_deref().unwrap_or("?"), metres(l.distance_m))
            }
        };
        match best {
            Some((rate, _)) if rate >= mbps && !ex.writes(Verdict::Met) => Judgement::met_unexplained(),
            Some((rate, _)) if rate < mbps && !ex.writes(Verdict::NotMet) => Judgement::not_met(Reason::Capacity, String::new()),
            Some((rate, s)) if rate >= mbps => Judgement::met(format!("capability {} ≥ {} ({})", fmt_mbps(rate), fmt_mbps(mbps), how(&s))),
            Some((rate, s)) => Judgement::not_met(Reason::Capacity, format!("capability {} < {} ({})", fmt_mbps(rate), fmt_mbps(mbps), how(&s))),
            None => {
                // Nothing delivers: the fixed network's reason, or weak signal when only radio was allowed.
                let reason = match (&fiber.ftth, by.contains(&Access::Fiber)) {
                    (Err(n), true) => Self::not_served_reason(n),
                    _ => Reason::WeakSignal,
                };
                if !ex.writes(Verdict::NotMet) {
                    return Judgement::not_met(reason, String::new());
                }
                let allowed: Vec<&str> = by.iter().map(access_name).collect();
                Judgement::not_met(reason, format!("no {} service: {}", allowed.join("/"), fiber.evidence(self.p, f)))
            }
        }
    }

    fn mobile(&self, place: PlaceRef, techs: &[MobileTech], indoor: bool, ex: Explain) -> Judgement {
        let Some(radio) = self.radio else { return Judgement::unknown("mobile coverage was not computed".into()) };
        let links = match place {
            PlaceRef::Village(v) => &radio.villages[v],
            PlaceRef::Building(b) => &radio.buildings[b],
            PlaceRef::Poi(_) => return Judgement::unknown("mobile coverage is computed at villages and buildings, not at POIs".into()),
        };
        let names: Vec<&str> = techs.iter().map(|t| t.tech().name()).collect();
        let names = names.join("/");
        let evaluated: Vec<_> = links
            .iter()
            .filter(|l| techs.iter().any(|t| t.tech() == l.tech))
            .map(|l| {
                let loss = if indoor { self.model.indoor_loss_db(l) } else { 0.0 };
                (l, self.model.evaluate(l, loss))
            })
            .collect();
        let where_ = if indoor { "indoors" } else { "outdoors" };
        let threshold = |t: Tech| if t == Tech::Nr { self.s.radio.nr_rsrp_dbm } else { self.s.radio.lte_rsrp_dbm };
        // The covered link with the strongest signal, else the strongest link.
        let best = evaluated
            .iter()
            .filter(|(_, e)| e.covered)
            .max_by(|a, b| a.1.rsrp_dbm.total_cmp(&b.1.rsrp_dbm))
            .or_else(|| evaluated.iter().max_by(|a, b| a.1.rsrp_dbm.total_cmp(&b.1.rsrp_dbm)));
        match best {
            None => Judgement::not_met(Reason::WeakSignal, format!("no {names} sector in reach")),
            Some((l, e)) if e.covered => Self::met_with(ex, || format!("{} covered {where_}: {}", l.tech.name(), l.evidence(self.p, e))),
            Some((l, e)) if e.rsrp_dbm < threshold(l.tech) => Judgement::not_met(
                Reason::WeakSignal,
                format!("best {} RSRP {:.1} dBm < {:.0} dBm {where_}: {}", l.tech.name(), e.rsrp_dbm, threshold(l.tech), l.evidence(self.p, e)),
            ),
            Some((l, e)) => Judgement::not_met(
                Reason::Interference,
                format!("best {} SINR {:.1} dB < {:.0} dB {where_}: {}", l.tech.name(), e.sinr_db, self.s.radio.sinr_min_db, l.evidence(self.p, e)),
            ),
        }
    }

    fn broadband(&self, place: PlaceRef, ex: Explain) -> Judgement {
        let fixed = match place {
            PlaceRef::Building(b) => {
                let r = &self.fiber.buildings[b];
                if r.ftth.is_ok() || r.copper.is_some() {
                    Self::met_with(ex, || r.evidence(self.p, &self.s.fiber))
                } else {
                    Judgement::not_met(r.ftth.as_ref().err().map_or(Reason::NoFiberInReach, Self::not_served_reason), r.evidence(self.p, &self.s.fiber))
                }
            }
            _ => self.fiber_connected(self.s.fiber.connection_distance_m, place, ex),
        };
        if fixed.state == Verdict::Met {
            return fixed;
        }
        let mobile = self.mobile(place, &[MobileTech::Lte, MobileTech::Nr], false, ex);
        match mobile.state {
            Verdict::Met => mobile,
            _ => {
                let evidence = format!("{}; {}", fixed.evidence, mobile.evidence);
                if mobile.state == Verdict::Unknown || fixed.state == Verdict::Unknown {
                    Judgement::unknown(evidence)
                } else {
                    Judgement::not_met(fixed.reason.unwrap_or(Reason::NoFiberInReach), evidence)
                }
            }
        }
    }

    fn poi_near(&self, place: PlaceRef, categories: &[String], radius: f64, reason: Reason, what: &str, ex: Explain) -> Judgement {
        let d = &self.p.data;
        let set = self.pois_of(categories);
        if set.ids.is_empty() {
            return Judgement::unknown(format!("no POI of category {} in the project", categories.join("/")));
        }
        // A village with a polygon: any such POI inside it counts.
        if let PlaceRef::Village(v) = place
            && let Some(area) = &d.villages[v].area
            && let Some(&i) = set.ids.iter().find(|&&i| geo::Contains::contains(&**area, &d.pois[i].position))
        {
            return Self::met_with(ex, || format!("{what} {} ({}) inside the village", d.pois[i].name, d.pois[i].category));
        }
        let (x, y) = self.xy(place);
        let own = if let PlaceRef::Poi(i) = place { Some(i) } else { None };
        match set.index.nearest_iter(x, y).find(|&(i, _)| Some(i) != own) {
            Some((i, dist)) if dist <= radius => {
                Self::met_with(ex, || format!("{what} {} ({}) at {} ≤ {}", d.pois[i].name, d.pois[i].category, metres(dist), metres(radius)))
            }
            Some((i, dist)) => Judgement::not_met(reason, format!("nearest {what} {} at {} > {}", d.pois[i].name, metres(dist), metres(radius))),
            None => Judgement::not_met(reason, format!("no {what}")),
        }
    }
}

fn access_name(a: &Access) -> &'static str {
    match a {
        Access::Fiber => "FTTH",
        Access::Copper => "xDSL",
        Access::Lte => "LTE",
        Access::Nr => "NR",
        Access::Fwa => "5G FWA",
    }
}
