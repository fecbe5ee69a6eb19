//! One analysis: a profile's targets checked on a project — a verdict with evidence for every
//! place each target applies to, per-area shares, and the gaps sorted by households left behind.

use crate::coverage::fiber::{self, FiberResults};
use crate::coverage::radio::engine::{RadioModel, RadioResults};
use crate::coverage::radio::incremental::Changed;
use crate::coverage::radio::{self, Needs, ReadPlaces};
use crate::error::Result;
use crate::model::Tech;
use crate::model::VillageKind;
use crate::project::Project;
use crate::targets::evaluate::{Facts, Judgement, Reason, Verdict};
use crate::targets::places::{Geography, PlaceRef, is_urban};
use crate::targets::profile::{Access, AreaLevel, Figure, Profile, Requirement, Setting, Subject, Target, Weight};
use crate::targets::share::{self, Tally};
use rayon::prelude::*;
use std::collections::{BTreeMap, BTreeSet};

pub mod gaps;
mod results;
pub use results::{AreaResult, PlaceVerdict, TargetFigures, TargetResult};

/// The whole analysis.
pub struct Analysis {
    /// The profile checked.
    pub profile: Profile,
    /// Where the profile came from: a built-in id or a file.
    pub profile_source: String,
    /// The geography used for areas.
    pub geography: Geography,
    /// One per target, in profile order.
    pub targets: Vec<TargetResult>,
    /// Milliseconds spent: coverage, verdicts.
    pub timings: (f64, f64),
}

/// The coverage an analysis needs, computed once.
#[derive(Clone)]
pub struct CoverageResults {
    /// Fiber (shared: a sector edit carries it over as it is).
    pub fiber: std::sync::Arc<FiberResults>,
    /// Radio, when a target needs it.
    pub radio: Option<RadioResults>,
    /// Where and on what the radio was computed (what an edit's recomputation must match).
    pub radio_needs: Needs,
}

/// What radio a requirement needs: technologies at the places it applies to, and whether
/// household rates (which count every building's homes per sector) or FWA are involved.
#[derive(Default)]
struct RadioUse {
    techs: BTreeSet<Tech>,
    rates: bool,
    fwa: bool,
}

fn radio_use(r: &Requirement, u: &mut RadioUse) {
    match r {
        Requirement::Mobile { tech, .. } => u.techs.extend(tech.iter().map(|t| t.tech())),
        Requirement::Broadband => u.techs.extend([Tech::Lte, Tech::Nr]),
        Requirement::Capability { by, .. } => {
            for a in by {
                match a {
                    Access::Lte => u.techs.insert(Tech::Lte),
                    Access::Nr | Access::Fwa => u.techs.insert(Tech::Nr),
                    _ => false,
                };
                u.rates |= matches!(a, Access::Lte | Access::Nr | Access::Fwa);
                u.fwa |= *a == Access::Fwa;
            }
        }
        Requirement::All { of } => of.iter().for_each(|r| radio_use(r, u)),
        _ => {}
    }
}

/// Runs `profile` on `p`, computing the coverage its targets need.
pub fn run(p: &Project, profile: Profile, profile_source: String) -> Result<Analysis> {
    run_with_coverage(p, profile, profile_source).map(|(a, _)| a)
}

/// The radio a profile's targets need on `p`: only where a target looks, and only on the
/// channels of the technologies it asks for.
fn radio_needs(p: &Project, profile: &Profile, candidates: &[Vec<PlaceRef>], judged: Option<&(dyn Fn(PlaceRef) -> bool + Sync)>) -> Needs {
    // Radio only where a target looks, and only on the channels of the technologies it asks
    // for: every building with households when household rates are needed (the busy-hour
    // share counts every home of a sector; a building without households adds none), else
    // only the buildings mobile targets apply to.
    let mut needs = Needs {
        villages: false,
        village_techs: Vec::new(),
        buildings: vec![false; p.data.buildings.len()],
        building_techs: Vec::new(),
        fwa: false,
        read: None,
    };
    let (mut village_techs, mut building_techs) = (BTreeSet::new(), BTreeSet::new());
    for (t, places) in profile.targets.iter().zip(candidates) {
        let mut u = RadioUse::default();
        radio_use(&t.require, &mut u);
        needs.fwa |= u.fwa;
        if u.rates {
            needs.buildings.iter_mut().zip(&p.data.buildings).filter(|(_, b)| b.households > 0.0).for_each(|(n, _)| *n = true);
        }
        for place in places {
            match place {
                PlaceRef::Village(_) if !u.techs.is_empty() => {
                    needs.villages = true;
                    village_techs.extend(&u.techs);
                }
                PlaceRef::Building(b) if !u.techs.is_empty() => {
                    needs.buildings[*b] = true;
                    building_techs.extend(&u.techs);
                }
                _ => {}
            }
        }
        if u.rates {
            building_techs.extend(&u.techs);
        }
    }
    needs.village_techs = village_techs.into_iter().collect();
    needs.building_techs = building_techs.into_iter().collect();
    // Judging only some places (a shard its own) reads the links of those and of the buildings
    // of those villages (a village's verdict counts its buildings); the rest count for loads.
    needs.read = judged.map(|judged| {
        let villages: Vec<bool> = (0..p.data.villages.len()).map(|v| judged(PlaceRef::Village(v))).collect();
        let buildings = p.data.buildings.iter().enumerate().map(|(b, x)| judged(PlaceRef::Building(b)) || x.village.is_some_and(|v| villages[v])).collect();
        ReadPlaces { buildings, villages }
    });
    needs
}

/// [`run_with_coverage`] after the sectors of `old` were edited into `p` (nothing else): `before`
/// is `old`'s coverage for the same profile, and `previous` (when given) the analysis that came
/// with it. Fiber is carried over, the radio updated only around the edited sectors, and only
/// the places whose links changed are judged again; where the edit is not local (see
/// [`radio::recompute_after_edit`]), or more than sectors changed, everything is computed
/// again. The verdicts, households and gaps equal `run_with_coverage(p, …)`'s: the long soak
/// (docs/RELIABILITY.md) compares them after each of 1 000 random edits.
pub fn run_after_edit(
    old: &Project,
    before: CoverageResults,
    previous: Option<&Analysis>,
    p: &Project,
    profile: Profile,
    profile_source: String,
) -> Result<(Analysis, CoverageResults)> {
    let t0 = std::time::Instant::now();
    let only_sectors = old.file.coverage == p.file.coverage
        && old.data.access_points == p.data.access_points
        && old.data.cables == p.data.cables
        && old.data.buildings.len() == p.data.buildings.len()
        && old.data.villages.len() == p.data.villages.len();
    if !only_sectors {
        return run_with_coverage(p, profile, profile_source);
    }
    // The same profile on the same places: the geography and the radio's needs are as before.
    let previous = previous.filter(|a| a.profile == profile);
    let (geography, candidates, needs) = match previous {
        Some(a) => (a.geography.clone(), None, before.radio_needs.clone()),
        None => {
            let (geography, candidates) = prepare(p, &profile)?;
            let needs = radio_needs(p, &profile, &candidates, None);
            if needs != before.radio_needs {
                return run_with_coverage(p, profile, profile_source);
            }
            (geography, Some(candidates), needs)
        }
    };
    let s = &p.file.coverage.radio;
    let (radio, changed) = match before.radio {
        Some(prev) => match radio::recompute_after_edit(old, prev, p, s, &needs) {
            Some((radio, changed)) => (Some(radio), Some(changed)),
            None => (Some(radio::compute_for(p, s, &needs)), None),
        },
        None => (None, Some(Changed { buildings: vec![false; p.data.buildings.len()], villages: vec![false; p.data.villages.len()] })),
    };
    let coverage = CoverageResults { fiber: before.fiber, radio, radio_needs: needs };
    let t1 = std::time::Instant::now();
    let targets = match (previous, changed) {
        (Some(previous), Some(changed)) => judge_changed(p, &geography, &profile, &coverage, previous, &changed),
        _ => {
            let candidates = match candidates {
                Some(c) => c,
                None => prepare(p, &profile)?.1,
            };
            judge_all(p, &geography, &profile, &candidates, &coverage, true)
        }
    };
    let timings = ((t1 - t0).as_secs_f64() * 1e3, t1.elapsed().as_secs_f64() * 1e3);
    Ok((Analysis { profile, profile_source, geography, targets, timings }, coverage))
}

/// [`run`], also handing back the coverage it computed (the app draws and charts it).
pub fn run_with_coverage(p: &Project, profile: Profile, profile_source: String) -> Result<(Analysis, CoverageResults)> {
    analyse(p, profile, profile_source, true, None)
}

/// [`run`] for the tables and maps of gaps, which print the evidence of what is not met only:
/// met verdicts come without evidence (a county's hundred thousand met households, or a
/// million met villages, need not have theirs written). Verdicts and reasons are [`run`]'s.
pub fn run_for_gaps(p: &Project, profile: Profile, profile_source: String) -> Result<Analysis> {
    analyse(p, profile, profile_source, false, None).map(|(a, _)| a)
}

/// [`run_for_gaps`], also handing back the coverage it computed (the planner asks it what
/// fails where).
pub fn run_for_gaps_with_coverage(p: &Project, profile: Profile, profile_source: String) -> Result<(Analysis, CoverageResults)> {
    analyse(p, profile, profile_source, false, None)
}

/// [`run_for_gaps`] judging only the places `judged` accepts: a shard judges the places it
/// owns, not those it carries for its neighbours' sake. The coverage is computed as for every
/// place (a carried building's households load its sector), so each verdict is
/// [`run_for_gaps`]'s; the areas' figures count the judged places only.
pub fn run_for_gaps_of(p: &Project, profile: Profile, profile_source: String, judged: &(dyn Fn(PlaceRef) -> bool + Sync)) -> Result<Analysis> {
    analyse(p, profile, profile_source, false, Some(judged)).map(|(a, _)| a)
}

/// The analysis of `p` on `profile`, met verdicts with their evidence when `explain_met`, of
/// the places `judged` accepts (all when `None`).
fn analyse(
    p: &Project,
    profile: Profile,
    profile_source: String,
    explain_met: bool,
    judged: Option<&(dyn Fn(PlaceRef) -> bool + Sync)>,
) -> Result<(Analysis, CoverageResults)> {
    let t0 = std::time::Instant::now();
    let (geography, candidates) = prepare(p, &profile)?;
    let s = &p.file.coverage;
    let needs = radio_needs(p, &profile, &candidates, judged);
    let any_radio = needs.villages || needs.buildings.iter().any(|&b| b);
    let (fiber, radio) = rayon::join(|| fiber::compute_for(p, &s.fiber, needs.read.as_ref()), || any_radio.then(|| radio::compute_for(p, &s.radio, &needs)));
    let coverage = CoverageResults { fiber: fiber.into(), radio, radio_needs: needs };
    let t1 = std::time::Instant::now();
    let candidates = match judged {
        Some(keep) => candidates.into_iter().map(|places| places.into_iter().filter(|&x| keep(x)).collect()).collect(),
        None => candidates,
    };
    let targets = judge_all(p, &geography, &profile, &candidates, &coverage, explain_met);
    let timings = ((t1 - t0).as_secs_f64() * 1e3, t1.elapsed().as_secs_f64() * 1e3);
    Ok((Analysis { profile, profile_source, geography, targets, timings }, coverage))
}

/// Runs `profile` on coverage already computed for every place (e.g. one full computation
/// shared by several profiles, or the app's current results).
pub fn run_on(p: &Project, profile: Profile, profile_source: String, coverage: &CoverageResults) -> Result<Analysis> {
    let t0 = std::time::Instant::now();
    let (geography, candidates) = prepare(p, &profile)?;
    let targets = judge_all(p, &geography, &profile, &candidates, coverage, true);
    Ok(Analysis { profile, profile_source, geography, targets, timings: (0.0, t0.elapsed().as_secs_f64() * 1e3) })
}

/// The project's geography and, per target, the places it applies to before its filters.
fn prepare(p: &Project, profile: &Profile) -> Result<(Geography, Vec<Vec<PlaceRef>>)> {
    let geography = Geography::new(p)?;
    let candidates = profile.targets.iter().map(|t| places_of(p, &geography, t)).collect();
    Ok((geography, candidates))
}

/// Verdicts for every target on given coverage results (met ones with evidence when `explain_met`).
fn judge_all(p: &Project, g: &Geography, profile: &Profile, candidates: &[Vec<PlaceRef>], c: &CoverageResults, explain_met: bool) -> Vec<TargetResult> {
    let model = RadioModel::sectors_only(p, &p.file.coverage.radio, &[]);
    let facts = Facts::new(p, &p.file.coverage, &c.fiber, c.radio.as_ref(), &model);
    let facts = if explain_met { facts } else { facts.quiet_when_met() };
    profile.targets.iter().zip(candidates).map(|(t, places)| judge_target(&facts, g, t, places)).collect()
}

/// Verdicts for every target of `previous`'s profile after an edit that changed the links of
/// the places `changed` marks: those places (and the villages of those buildings) are judged
/// again on the targets that read the radio; every other verdict is kept (which places a
/// target applies to does not change).
fn judge_changed(p: &Project, g: &Geography, profile: &Profile, c: &CoverageResults, previous: &Analysis, changed: &Changed) -> Vec<TargetResult> {
    let model = RadioModel::sectors_only(p, &p.file.coverage.radio, &[]);
    let facts = Facts::new(p, &p.file.coverage, &c.fiber, c.radio.as_ref(), &model);
    // A village's verdict may count its buildings'.
    let mut villages = changed.villages.clone();
    for (b, _) in p.data.buildings.iter().zip(&changed.buildings).filter(|(_, c)| **c) {
        if let Some(v) = b.village {
            villages[v] = true;
        }
    }
    let again = |place: PlaceRef| match place {
        PlaceRef::Building(b) => changed.buildings[b],
        PlaceRef::Village(v) => villages[v],
        PlaceRef::Poi(_) => false,
    };
    profile
        .targets
        .iter()
        .zip(&previous.targets)
        .map(|(t, before)| {
            // A target that reads no radio keeps every verdict.
            let mut u = RadioUse::default();
            radio_use(&t.require, &mut u);
            if u.techs.is_empty() {
                return TargetResult { target: t.clone(), places: before.places.clone(), areas: before.areas.clone() };
            }
            let missing_area = t.area.as_ref().filter(|a| !g.areas.contains_key(*a));
            let places: Vec<PlaceVerdict> = before
                .places
                .par_iter()
                .filter_map(|v| if again(v.place) { judge_place(&facts, g, t, missing_area, v.place) } else { Some(v.clone()) })
                .collect();
            let areas = t.share.as_ref().map(|rule| judge_areas(p, g, t, rule, &places)).unwrap_or_default();
            TargetResult { target: t.clone(), places, areas }
        })
        .collect()
}

/// The places a target applies to before its filters: by subject (and POI category).
fn places_of(p: &Project, g: &Geography, t: &Target) -> Vec<PlaceRef> {
    let d = &p.data;
    let villages = |f: &dyn Fn(usize) -> bool| (0..d.villages.len()).filter(|&v| f(v)).map(PlaceRef::Village).collect::<Vec<_>>();
    match t.applies_to {
        Subject::NaturalVillages => villages(&|v| d.villages[v].kind == VillageKind::Natural),
        Subject::AdminVillages => villages(&|v| d.villages[v].kind == VillageKind::Administrative),
        Subject::Villages => villages(&|v| d.villages[v].kind == VillageKind::Natural || !g.has_naturals[v]),
        Subject::Households => (0..d.buildings.len()).filter(|&b| d.buildings[b].households > 0.0).map(PlaceRef::Building).collect(),
        Subject::Buildings => (0..d.buildings.len()).map(PlaceRef::Building).collect(),
        Subject::Pois => (0..d.pois.len()).filter(|&i| t.categories.iter().any(|c| d.pois[i].category.contains(c.as_str()))).map(PlaceRef::Poi).collect(),
    }
}

/// A place's figure, when the data has it (a village without a households field takes its buildings' sum).
pub fn figure(p: &Project, fiber: &FiberResults, place: PlaceRef, f: Figure) -> Option<f64> {
    match place {
        PlaceRef::Village(v) => {
            let vil = &p.data.villages[v];
            match f {
                Figure::Households => vil.households.or_else(|| (fiber.villages[v].buildings > 0).then_some(fiber.villages[v].households)),
                Figure::Population => vil.population,
                Figure::Subscribers => vil.subscribers,
            }
        }
        PlaceRef::Building(b) => (f == Figure::Households).then_some(p.data.buildings[b].households),
        PlaceRef::Poi(_) => None,
    }
}

fn describe(p: &Project, place: PlaceRef) -> String {
    let d = &p.data;
    let src = match place {
        PlaceRef::Village(v) => &d.villages[v].source,
        PlaceRef::Building(b) => &d.buildings[b].source,
        PlaceRef::Poi(i) => &d.pois[i].source,
    };
    format!("{} record {}", src.layer, src.record)
}

fn judge_target(f: &Facts, g: &Geography, t: &Target, places: &[PlaceRef]) -> TargetResult {
    let missing_area = t.area.as_ref().filter(|a| !g.areas.contains_key(*a));
    // Judged into a list as long as the places, written in place by both threads, then the
    // places the target does not apply to are dropped in that same allocation. (A parallel
    // filter collects per-thread pieces and copies them into one list on one thread: for a
    // million villages that copy, into fresh memory, took 0.2 s.)
    let judged: Vec<Option<PlaceVerdict>> = places.par_iter().map(|&place| judge_place(f, g, t, missing_area, place)).collect();
    // `filter_map` is collected in place (`flatten` would allocate a second list).
    #[allow(clippy::filter_map_identity)]
    let verdicts: Vec<PlaceVerdict> = judged.into_iter().filter_map(|v| v).collect();
    let areas = t.share.as_ref().map(|rule| judge_areas(f.p, g, t, rule, &verdicts)).unwrap_or_default();
    TargetResult { target: t.clone(), places: verdicts, areas }
}

/// Target `t`'s verdict at `place`, or `None` when the target does not apply there (outside its
/// area, setting or condition). `missing_area`: the target's area, when the project lacks it.
fn judge_place(f: &Facts, g: &Geography, t: &Target, missing_area: Option<&String>, place: PlaceRef) -> Option<PlaceVerdict> {
    let p = f.p;
    let households = figure(p, f.fiber, place, Figure::Households);
    let weight = match t.share.as_ref().map(|s| s.weight) {
        Some(Weight::Places) => Some(1.0),
        Some(Weight::Subscribers) => figure(p, f.fiber, place, Figure::Subscribers),
        _ => households,
    };
    let subscribers = figure(p, f.fiber, place, Figure::Subscribers);
    let verdict = |outcome: Judgement| Some(PlaceVerdict { place, outcome, households, weight, subscribers });
    if let Some(area) = missing_area {
        return verdict(Judgement::unknown(format!("the project defines no area '{area}' (add [analysis.areas.\"{area}\"] to the project file)")));
    }
    if let Some(area) = &t.area
        && g.in_area(p, area, place) == Some(false)
    {
        return None;
    }
    if t.setting != Setting::Any {
        let urban = g.village_of(p, place).and_then(|v| is_urban(&p.data.villages[v]));
        match urban {
            None => return verdict(Judgement::unknown(format!("urban or rural unknown: no urban-rural code (城乡分类代码) for {}", describe(p, place)))),
            Some(u) if u != (t.setting == Setting::Urban) => return None,
            Some(_) => {}
        }
    }
    if let Some(c) = &t.condition {
        match figure(p, f.fiber, place, c.field) {
            None => {
                return verdict(Judgement::unknown(format!(
                    "no {} figure for {}: cannot tell whether {} {} {}",
                    c.field.noun(),
                    describe(p, place),
                    c.field.noun(),
                    c.op.symbol(),
                    c.value
                )));
            }
            Some(x) if !c.op.holds(x, c.value) => return None,
            Some(_) => {}
        }
    }
    let mut outcome = if t.require == Requirement::Penetration { penetration(p, f.fiber, t, place) } else { f.check(&t.require, place) };
    if outcome.state == Verdict::Met && !f.explains_met() {
        return verdict(Judgement::met_unexplained());
    }
    if let Some(c) = &t.condition
        && let Some(x) = figure(p, f.fiber, place, c.field)
    {
        // "27 households ≥ 20; " before the requirement's evidence, written in one string.
        use std::fmt::Write;
        let mut e = String::with_capacity(40 + outcome.evidence.len());
        crate::coverage::fiber::push_whole(&mut e, x);
        let _ = write!(e, " {} {} ", c.field.noun(), c.op.symbol());
        crate::coverage::fiber::push_plain(&mut e, c.value);
        e.push_str("; ");
        e.push_str(&outcome.evidence);
        outcome.evidence = e.into();
    }
    verdict(outcome)
}

fn penetration(p: &Project, fiber: &FiberResults, t: &Target, place: PlaceRef) -> Judgement {
    let rule = t.share.as_ref().expect("checked when the profile was read");
    match (figure(p, fiber, place, Figure::Subscribers), figure(p, fiber, place, Figure::Households)) {
        (None, _) => Judgement::unknown(format!("no subscribers figure (宽带用户数) for {}", describe(p, place))),
        (_, None) => Judgement::unknown(format!("no households figure (户数) for {}", describe(p, place))),
        (Some(s), Some(h)) => {
            let rate = if h > 0.0 { s / h } else { 0.0 };
            let ok = rule.op.holds(rate, rule.value);
            let ev = format!(
                "{s:.0} subscribers / {h:.0} households = {:.1} % {} {:.0} %",
                100.0 * rate,
                if ok { rule.op.symbol() } else { rule.op.negated_symbol() },
                100.0 * rule.value
            );
            if ok {
                Judgement { state: Verdict::Met, evidence: ev.into(), reason: None }
            } else {
                Judgement { state: Verdict::NotMet, evidence: ev.into(), reason: Some(Reason::LowTakeUp) }
            }
        }
    }
}

/// The area key of a place at `level`: (code, name).
pub fn area_key(p: &Project, g: &Geography, level: AreaLevel, area: Option<&str>, place: PlaceRef) -> (String, String) {
    match level {
        AreaLevel::County => (g.county.clone(), g.county.clone()),
        AreaLevel::Area => {
            let a = area.unwrap_or("?").to_string();
            (a.clone(), a)
        }
        AreaLevel::Township => match g.township(p, place) {
            Some(c) => (c.to_string(), g.township_name(c).to_string()),
            None => (String::new(), "(township unknown)".into()),
        },
        AreaLevel::AdminVillage => match g.admin_village(p, place) {
            Some(a) => (p.data.villages[a].id.clone(), p.data.villages[a].name.clone()),
            None => (String::new(), "(administrative village unknown)".into()),
        },
    }
}

/// Share verdicts per area of target `t` from its place verdicts (also used by a merge of shards).
pub(crate) fn judge_areas(p: &Project, g: &Geography, t: &Target, rule: &crate::targets::profile::ShareRule, verdicts: &[PlaceVerdict]) -> Vec<AreaResult> {
    let mut tallies: BTreeMap<(String, String), Tally> = BTreeMap::new();
    let penetration = t.require == Requirement::Penetration;
    for v in verdicts {
        let tally = tallies.entry(area_key(p, g, rule.per, t.area.as_deref(), v.place)).or_default();
        if penetration {
            // Subscribers count as met, the rest of the households as not (penetration is
            // capped at 100 %); a place without a subscribers figure is unknown.
            match (v.subscribers, v.households) {
                (Some(s), Some(h)) => {
                    tally.met += s;
                    tally.not_met += (h - s).max(0.0);
                }
                (None, Some(h)) => tally.unknown += h,
                _ => tally.unweighted += 1,
            }
        } else {
            tally.add(v.outcome.state, v.weight);
        }
    }
    let noun = share::weight_noun(rule.weight, penetration);
    tallies.into_iter().map(|((code, name), tally)| AreaResult { level: rule.per, code, name, verdict: share::judge(rule, &tally, noun) }).collect()
}

impl Analysis {
    /// The summary table as printed by `covplan analyze`: one line per target, and the area
    /// verdicts of share targets under it.
    pub fn table(&self) -> String {
        let mut out = format!("profile {} — {}\n", self.profile.profile.id, self.profile.profile.title);
        out.push_str(&format!(
            "{:<24} {:<8} {:>8} {:>8} {:>8} {:>14} {:>9}  applies to\n",
            "target", "verdict", "met", "not met", "unknown", "hh not met", "share met"
        ));
        for t in &self.targets {
            let f = t.figures();
            out.push_str(&format!(
                "{:<24} {:<8} {:>8} {:>8} {:>8} {:>14} {:>8.1}%  {}\n",
                t.target.id,
                f.verdict.word(),
                f.met,
                f.not_met,
                f.unknown,
                if f.with_households { format!("{:.0}", f.households_not_met) } else { "-".into() },
                100.0 * f.share_met,
                t.target.applies_to.plural(),
            ));
            for a in &t.areas {
                out.push_str(&format!("    {} {}: {} — {}\n", area_level_word(a.level), a.name, a.verdict.state.word(), a.verdict.evidence));
            }
            if t.places.is_empty() {
                out.push_str("    (no place in the project matches this target)\n");
            }
        }
        out
    }
}

fn area_level_word(l: AreaLevel) -> &'static str {
    match l {
        AreaLevel::County => "county",
        AreaLevel::Township => "township",
        AreaLevel::AdminVillage => "administrative village",
        AreaLevel::Area => "area",
    }
}
