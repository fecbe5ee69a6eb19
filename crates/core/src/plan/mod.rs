//! Planning the cheapest fixes for the gaps an analysis finds, proven by analysing again.
//!
//! So far fiber: the villages a profile judges unconnected are joined to the existing network
//! along the roads ([`roads`]) by one Steiner tree ([`steiner`]) cut into ranked works
//! ([`fiber`]), priced by a cost table ([`costs`]). The plan becomes a scenario (new cables on
//! top of the layers, which are never changed) and the same profile is checked again on it:
//! the gaps before and after are the re-analysis' counts, not the plan's own claims.

pub mod costs;
pub mod fiber;
pub mod roads;
pub mod steiner;

use crate::analysis::{self, Analysis, gaps::Gap};
use crate::error::Result;
use crate::project::{Project, ScenarioSpec};
use crate::targets::evaluate::Verdict;
use crate::targets::places::PlaceRef;
use crate::targets::profile::{Profile, Requirement};
use serde::Serialize;

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
    /// The fiber works.
    pub fiber: fiber::FiberPlan,
    /// The scenario the plan adds to the project's own.
    pub scenario: ScenarioSpec,
    /// The analysis before the plan.
    pub before: Analysis,
    /// The same profile on the project with the plan's scenario.
    pub after: Analysis,
    /// Gaps before and after, as the two analyses count them.
    pub gaps: (GapCount, GapCount),
    /// Villages a work claims to connect that still fail a fiber target afterwards (none, when
    /// the plan holds).
    pub not_closed: Vec<usize>,
}

/// Plans against `profile` on `p`, then analyses the plan's scenario.
pub fn run(p: &Project, profile: Profile, profile_source: String, costs: &costs::Costs, budget: Option<f64>) -> Result<PlanOutcome> {
    let before = analysis::run_for_gaps(p, profile.clone(), profile_source.clone())?;
    let demand = fiber::demand(p, &before);
    let fiber = fiber::plan(p, &demand, costs, budget);
    let mut scenario = p.file.scenario.clone();
    scenario.cables.extend(fiber.cables());
    let planned = p.with_scenario(&scenario);
    let after = analysis::run_for_gaps(&planned, profile, profile_source)?;
    let gaps = (GapCount::of(&analysis::gaps::gaps(p, &before)), GapCount::of(&analysis::gaps::gaps(&planned, &after)));
    let still_failing: std::collections::BTreeSet<usize> = after
        .targets
        .iter()
        .filter(|t| matches!(t.target.require, Requirement::FiberConnected { .. }))
        .flat_map(|t| t.places.iter())
        .filter(|pv| pv.outcome.state != Verdict::Met)
        .filter_map(|pv| match pv.place {
            PlaceRef::Village(v) => Some(v),
            _ => None,
        })
        .collect();
    let not_closed = fiber.works.iter().map(|w| w.village).filter(|v| still_failing.contains(v)).collect();
    Ok(PlanOutcome { fiber, scenario, before, after, gaps, not_closed })
}
