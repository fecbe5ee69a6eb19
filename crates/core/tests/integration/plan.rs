//! The planner on the sample county: every village a plan claims to connect passes its fiber
//! target when the same profile is checked again on the plan's scenario; fewer gaps after; a
//! larger budget never connects fewer households.

use covplan_core::plan::{self, costs::Costs, fiber};
use covplan_core::project::Project;
use covplan_core::targets::profile::resolve;

#[test]
fn a_fiber_plan_closes_what_it_claims_on_the_sample_county() {
    let p = Project::load(&crate::common::sample("project.toml")).unwrap();
    let costs = Costs::china();
    for id in ["zhaoqing-2020", "tianjin-2020"] {
        let (profile, source) = resolve(&p, Some(id)).unwrap();
        let outcome = plan::run(&p, profile, source, &costs, None).unwrap();
        let f = &outcome.fiber;
        assert!(!f.works.is_empty(), "{id}: the sample county has unconnected villages");
        assert!(outcome.not_closed.is_empty(), "{id}: villages still failing after the plan: {:?}", outcome.not_closed);
        let (before, after) = outcome.gaps;
        assert!(after.households < before.households && after.settlements < before.settlements, "{id}: {before:?} → {after:?}");
        // Each work's cost is its new route plus the village's box; the ranks run 1, 2, 3 …
        for (k, w) in f.works.iter().enumerate() {
            assert_eq!(w.rank, k + 1);
            assert!(w.cost >= costs.fiber.village_box && !w.routes.is_empty(), "{id}: work {} has no route", w.rank);
        }
        let total: f64 = f.works.iter().map(|w| w.cost).sum();
        assert!((total - f.cost()).abs() < 1e-6);
    }
}

#[test]
fn a_larger_budget_never_connects_fewer_households() {
    let p = Project::load(&crate::common::sample("project.toml")).unwrap();
    let (profile, source) = resolve(&p, Some("zhaoqing-2020")).unwrap();
    let a = covplan_core::analysis::run_for_gaps(&p, profile, source).unwrap();
    let demand = fiber::demand(&p, &a);
    let costs = Costs::china();
    let full = fiber::plan(&p, &demand, &costs, None);
    let mut last = -1.0;
    for share in [0.0, 0.1, 0.3, 0.6, 1.0] {
        let budget = full.cost() * share;
        let part = fiber::plan(&p, &demand, &costs, Some(budget));
        let households: f64 = part.works.iter().map(|w| w.households).sum();
        assert!(part.cost() <= budget + 1e-6, "spent {} of {budget}", part.cost());
        assert!(households >= last, "budget {budget}: {households} households < {last}");
        assert_eq!(part.works.len() + part.over_budget.len() + part.unreachable.len(), demand.len(), "every village is planned, left out or unreachable");
        last = households;
    }
}
