//! Planning the cheapest fixes for the gaps an analysis finds, proven by analysing again.
//!
//! [`demand`] takes every failing place apart into fixes; [`fiber`] joins villages and new boxes
//! to the existing network along the roads ([`roads`]) by one Steiner tree ([`steiner`]);
//! [`access`] adds splitters and PON upgrades at boxes homes already reach; [`sites`] picks new
//! sites by lazy greedy maximum coverage ([`max_coverage`]); [`fwa`] swaps fiber for fixed
//! wireless where fiber is too dear. Every fix is a [`works::Work`], priced by a cost table
//! ([`costs`]) and ranked by households per yuan. The plan becomes a scenario (new cables, boxes
//! and sites on top of the layers, which are never changed) and the same profile is checked again
//! on it: the gaps before and after are the re-analysis' counts, not the plan's own claims.

pub mod access;
pub mod costs;
pub mod demand;
pub mod fiber;
pub mod fwa;
pub mod max_coverage;
pub mod roads;
pub mod sites;
pub mod steiner;
pub mod works;

use crate::analysis::{self, Analysis, gaps::Gap};
use crate::error::Result;
use crate::project::{Project, ScenarioSpec};
use crate::targets::evaluate::Verdict;
use crate::targets::places::PlaceRef;
use crate::targets::profile::Profile;
use serde::Serialize;
use std::collections::{BTreeMap, BTreeSet};
use works::{Work, WorkKind};

/// The gaps of an analysis, counted as its gap list has them: a place that fails two targets is
/// two gaps (closing one of them is progress).
#[derive(Debug, Clone, Copy, PartialEq, Serialize)]
pub struct GapCount {
    /// Gaps not met: a settlement (or a village's failing buildings, or a POI) and a target.
    pub settlements: usize,
    /// The households those gaps leave behind, summed over the gaps.
    pub households: f64,
}

impl GapCount {
    /// The count of a gap list (not-met gaps; those the data cannot judge are not counted).
    pub fn of(gaps: &[Gap]) -> GapCount {
        let not_met = gaps.iter().filter(|g| g.state == Verdict::NotMet);
        let (n, h) = not_met.fold((0, 0.0), |(n, h), g| (n + 1, h + g.households));
        GapCount { settlements: n, households: h }
    }
}

/// A plan and its proof.
pub struct PlanOutcome {
    /// The works kept (within the budget), ranked.
    pub works: Vec<Work>,
    /// Works left out by the budget, in the order they would come.
    pub over_budget: Vec<Work>,
    /// Villages no fix reaches, with their households and why.
    pub unreachable: Vec<(usize, f64, &'static str)>,
    /// Failing places no fix of the planner addresses.
    pub unaddressed: Vec<demand::Unaddressed>,
    /// The scenario the plan adds to the project's own.
    pub scenario: ScenarioSpec,
    /// The analysis before the plan.
    pub before: Analysis,
    /// The same profile on the project with the plan's scenario.
    pub after: Analysis,
    /// Gaps before and after, as the two analyses count them.
    pub gaps: (GapCount, GapCount),
    /// Villages a work claims to close that still fail one of its targets afterwards (none, when
    /// the plan holds), with the target.
    pub not_closed: Vec<(usize, String)>,
    /// Households of each village with a need, as the demand counts them.
    pub village_households: BTreeMap<usize, f64>,
}

impl PlanOutcome {
    /// Total cost of the kept works (yuan).
    pub fn cost(&self) -> f64 {
        self.works.iter().map(|w| w.cost).sum()
    }

    /// Households of the villages the kept works close (each village once, however many works
    /// it took).
    pub fn households_closed(&self) -> f64 {
        let closed: BTreeSet<usize> = self.works.iter().filter(|w| self.closes(w)).flat_map(|w| w.villages.iter().copied()).collect();
        closed.iter().map(|v| self.village_households.get(v).copied().unwrap_or(0.0)).sum()
    }

    /// The cost curve: after each work in rank order, the money spent and the households of the
    /// villages reached so far (each village once).
    pub fn cost_curve(&self) -> Vec<(f64, f64)> {
        let (mut seen, mut cost, mut hh) = (BTreeSet::new(), 0.0, 0.0);
        self.works
            .iter()
            .map(|w| {
                cost += w.cost;
                hh += w.villages.iter().filter(|&&v| seen.insert(v)).map(|v| self.village_households.get(v).copied().unwrap_or(0.0)).sum::<f64>();
                (cost, hh)
            })
            .collect()
    }

    /// Whether every village the work claims passes afterwards.
    pub fn closes(&self, w: &Work) -> bool {
        !w.villages.iter().any(|v| self.not_closed.iter().any(|(n, _)| n == v))
    }
}

/// What to plan with.
pub struct PlanRequest<'a> {
    /// The cost table.
    pub costs: &'a costs::Costs,
    /// At most this much (yuan), when given.
    pub budget: Option<f64>,
    /// The technologies the planner may use.
    pub techs: Techs,
}

/// Which kinds of fix a plan may use (`--tech fiber,site,fwa`).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Techs {
    /// Fiber routes, boxes, splitters and PON upgrades.
    pub fiber: bool,
    /// New mobile sites.
    pub site: bool,
    /// 5G fixed wireless access.
    pub fwa: bool,
}

impl Techs {
    /// Every technology.
    pub const ALL: Techs = Techs { fiber: true, site: true, fwa: true };

    /// Parses "fiber,site,fwa" (any subset, any order).
    pub fn parse(text: &str) -> std::result::Result<Techs, String> {
        let mut t = Techs { fiber: false, site: false, fwa: false };
        for word in text.split(',').map(str::trim).filter(|w| !w.is_empty()) {
            match word {
                "fiber" => t.fiber = true,
                "site" | "sites" => t.site = true,
                "fwa" => t.fwa = true,
                other => return Err(format!("--tech: unknown technology '{other}' (use fiber, site, fwa, comma-separated)")),
            }
        }
        if t == (Techs { fiber: false, site: false, fwa: false }) {
            return Err("--tech: name at least one of fiber, site, fwa".into());
        }
        Ok(t)
    }
}

/// Plans against `profile` on `p`, then analyses the plan's scenario. Villages put on FWA that
/// the re-analysis finds still short of their rate (the new sites' busy-hour load is only
/// estimated when choosing) go back to fiber, and the plan is analysed again (at most
/// [`FWA_ROUNDS`] times).
pub fn run(p: &Project, profile: Profile, profile_source: String, req: &PlanRequest) -> Result<PlanOutcome> {
    let (before, coverage) = analysis::run_for_gaps_with_coverage(p, profile.clone(), profile_source.clone())?;
    let mut demand = demand::of(p, &before, &coverage);
    let excluded = excluded_by_hand(p, &mut demand)?;
    let gaps_before = GapCount::of(&analysis::gaps::gaps(p, &before));
    let mut no_fwa = BTreeSet::new();
    for round in 1..=FWA_ROUNDS {
        let (candidates, mut unreachable) = candidate_works(p, &demand, &coverage, req, &no_fwa);
        unreachable.extend(excluded.iter().map(|&(v, h)| (v, h, "left out by hand: [plan] exclude in the project file")));
        let (works, over_budget) = works::rank(candidates, req.budget);
        let scenario = works::scenario(&p.file.scenario, &works);
        let planned = p.with_scenario(&scenario);
        let after = analysis::run_for_gaps(&planned, profile.clone(), profile_source.clone())?;
        let not_closed = not_closed(p, &claims(&works, &demand), &after);
        let fwa_failed: BTreeSet<usize> = works
            .iter()
            .filter(|w| w.kind == WorkKind::Fwa)
            .flat_map(|w| w.villages.iter().copied())
            .filter(|v| not_closed.iter().any(|(n, _)| n == v))
            .collect();
        if fwa_failed.is_empty() || round == FWA_ROUNDS {
            let gaps = (gaps_before, GapCount::of(&analysis::gaps::gaps(&planned, &after)));
            let village_households = demand.villages.iter().map(|n| (n.village, n.households)).collect();
            let unaddressed = demand.unaddressed;
            return Ok(PlanOutcome { works, over_budget, unreachable, unaddressed, scenario, before, after, gaps, not_closed, village_households });
        }
        no_fwa.extend(fwa_failed);
    }
    unreachable!("the last round returns")
}

/// Takes the villages the project file's `[plan] exclude` names (by id or name) out of
/// `demand`; returns them with their households.
fn excluded_by_hand(p: &Project, demand: &mut demand::Demand) -> Result<Vec<(usize, f64)>> {
    let names = &p.file.plan.exclude;
    if let Some(unknown) = names.iter().find(|n| !p.data.villages.iter().any(|v| v.id == **n || v.name == **n)) {
        return Err(crate::error::InputError::in_file(&p.path, format!("[plan] exclude: no village has the id or name '{unknown}'"))
            .with_hint("name villages by their id (村代码) or name as the village layers give them"));
    }
    let is_excluded = |v: usize| names.iter().any(|n| *n == p.data.villages[v].id || *n == p.data.villages[v].name);
    let out = demand.villages.iter().filter(|n| is_excluded(n.village)).map(|n| (n.village, n.households)).collect();
    demand.villages.retain(|n| !is_excluded(n.village));
    Ok(out)
}

/// How many times a plan with FWA is analysed at most.
pub const FWA_ROUNDS: usize = 4;

/// Every work the request allows for `demand`, before ranking, and the villages none reaches.
fn candidate_works(
    p: &Project,
    demand: &demand::Demand,
    coverage: &analysis::CoverageResults,
    req: &PlanRequest,
    no_fwa: &BTreeSet<usize>,
) -> (Vec<Work>, Vec<(usize, f64, &'static str)>) {
    let mut candidates = Vec::new();
    let mut unreachable = Vec::new();
    if req.techs.fiber || req.techs.fwa {
        let mut f = fiber::plan(p, demand, &coverage.fiber, req.costs);
        if req.techs.fwa {
            let choice = fwa::choose(p, demand, coverage, &f.works, req.costs, req.techs.fiber, no_fwa);
            if req.techs.fiber && !choice.works.is_empty() {
                // The villages on FWA leave the fiber tree: plan it again without them.
                let wireless: BTreeSet<usize> = choice.works.iter().flat_map(|w| w.villages.iter().copied()).collect();
                let mut rest = demand.clone();
                rest.villages.retain(|n| !wireless.contains(&n.village));
                f = fiber::plan(p, &rest, &coverage.fiber, req.costs);
            }
            for w in f.works.iter_mut() {
                if let Some(&cost) = w.villages.first().and_then(|v| choice.feasible.get(v)) {
                    w.alternatives.push((WorkKind::Fwa, cost));
                }
            }
            append(&mut candidates, choice.works);
        }
        if req.techs.fiber {
            unreachable.extend(f.unreachable);
            append(&mut candidates, f.works);
            append(&mut candidates, access::works(p, demand, req.costs));
        }
    }
    if req.techs.site {
        let s = sites::plan(p, demand, req.costs);
        unreachable.extend(s.unreachable);
        append(&mut candidates, s.works);
    }
    (candidates, unreachable)
}

/// Appends `more` to `works`, keeping what each builds on (indices within `more`) right.
fn append(works: &mut Vec<Work>, more: Vec<Work>) {
    let offset = works.len();
    works.extend(more.into_iter().map(|w| Work { after: w.after.map(|a| a + offset), ..w }));
}

/// What the plan claims to close: each village and target whose every needed fix is among the
/// works at that village.
pub fn claims(works: &[Work], demand: &demand::Demand) -> Vec<(usize, String)> {
    let mut kinds: BTreeMap<usize, BTreeSet<WorkKind>> = BTreeMap::new();
    for w in works {
        for &v in &w.villages {
            kinds.entry(v).or_default().insert(w.kind);
        }
    }
    let mut out = Vec::new();
    for need in &demand.villages {
        let Some(k) = kinds.get(&need.village) else { continue };
        for (target, fixes) in &need.targets {
            if fixes.iter().all(|f| k.iter().any(|&kind| f.by(kind))) {
                out.push((need.village, target.clone()));
            }
        }
    }
    out
}

/// The claims that fail after the plan: a village place not met on the target, or one of the
/// village's buildings not met.
fn not_closed(p: &Project, claimed: &[(usize, String)], after: &Analysis) -> Vec<(usize, String)> {
    let failing: BTreeSet<(usize, &str)> = after
        .targets
        .iter()
        .flat_map(|t| t.places.iter().filter(|pv| pv.outcome.state == Verdict::NotMet).map(move |pv| (pv.place, t.target.id.as_str())))
        .filter_map(|(place, t)| match place {
            PlaceRef::Village(v) => Some((v, t)),
            PlaceRef::Building(b) => p.data.buildings[b].village.map(|v| (v, t)),
            PlaceRef::Poi(_) => None,
        })
        .collect();
    claimed.iter().filter(|(v, t)| failing.contains(&(*v, t.as_str()))).cloned().collect()
}
