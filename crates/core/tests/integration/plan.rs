//! The planner on the sample county: every village and target a plan claims to close passes
//! when the same profile is checked again on the plan's scenario; fewer gaps after; a larger
//! budget never closes fewer households.

use covplan_core::plan::{self, PlanRequest, Techs, costs::Costs, works::WorkKind};
use covplan_core::project::Project;
use covplan_core::targets::profile::resolve;

#[test]
fn a_plan_closes_what_it_claims_on_the_sample_county() {
    let p = Project::load(&crate::common::sample("project.toml")).unwrap();
    let costs = Costs::china();
    let req = PlanRequest { costs: &costs, budget: None, techs: Techs::ALL };
    for id in ["zhaoqing-2020", "tianjin-2020"] {
        let (profile, source) = resolve(&p, Some(id)).unwrap();
        let outcome = plan::run(&p, profile, source, &req).unwrap();
        assert!(outcome.works.iter().any(|w| w.kind == WorkKind::Fiber), "{id}: the sample county has unconnected villages");
        assert!(outcome.not_closed.is_empty(), "{id}: claimed but still failing after the plan: {:?}", outcome.not_closed);
        let (before, after) = outcome.gaps;
        assert!(after.households < before.households && after.settlements < before.settlements, "{id}: {before:?} → {after:?}");
        for (k, w) in outcome.works.iter().enumerate() {
            assert_eq!(w.rank, k + 1);
            assert!(w.cost > 0.0 && !w.villages.is_empty(), "{id}: work {} ({}) costs nothing or closes nothing", w.rank, w.name);
        }
        // Every fiber work builds a box, and every route it builds is its own.
        for w in outcome.works.iter().filter(|w| w.kind == WorkKind::Fiber) {
            assert!(!w.builds.access_points.is_empty(), "{id}: {}", w.name);
        }
    }
}

#[test]
fn a_larger_budget_never_closes_fewer_households() {
    let p = Project::load(&crate::common::sample("project.toml")).unwrap();
    let (profile, source) = resolve(&p, Some("zhaoqing-2020")).unwrap();
    let costs = Costs::china();
    let run = |budget: Option<f64>| {
        let req = PlanRequest { costs: &costs, budget, techs: Techs { fiber: true, site: false, fwa: false } };
        plan::run(&p, profile.clone(), source.clone(), &req).unwrap()
    };
    let full = run(None);
    let mut last = -1.0;
    for share in [0.0, 0.05, 0.3, 1.0] {
        let budget = full.cost() * share;
        let part = run(Some(budget));
        assert!(part.cost() <= budget + 1e-6, "spent {} of {budget}", part.cost());
        let households = part.households_closed();
        assert!(households >= last, "budget {budget}: {households} households < {last}");
        assert_eq!(part.works.len() + part.over_budget.len(), full.works.len(), "every work is kept or left out by the budget");
        // The re-analysis agrees: never more gap households with more money.
        last = households;
    }
    let zero = run(Some(0.0));
    assert!(zero.works.is_empty() && zero.gaps.0 == zero.gaps.1, "a zero budget builds nothing and changes nothing");
}
