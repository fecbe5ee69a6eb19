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

#[test]
fn the_plan_map_shows_routes_sites_and_tables() {
    use covplan_core::report::plan_map::{PageSpec, PlanDir, page};
    let p = Project::load(&crate::common::sample("project.toml")).unwrap();
    let (profile, source) = resolve(&p, Some("zhaoqing-2020")).unwrap();
    let costs = Costs::china();
    let outcome = plan::run(&p, profile, source, &PlanRequest { costs: &costs, budget: None, techs: Techs::ALL }).unwrap();
    let dir = std::env::temp_dir().join(format!("covplan-plan-map-{}", std::process::id()));
    covplan_core::report::plan_files::write_all(&p, &outcome, &costs, None, &dir).unwrap();
    let spec = PageSpec { paper: covplan_core::report::print::Paper::A3, landscape: true, margin_mm: 10.0, title: None, date: "2026-12-06".into() };
    let svg = page(&p, &outcome.before, &PlanDir::read(&dir).unwrap(), &spec).unwrap();
    let routes = outcome.works.iter().map(|w| w.builds.cables.len()).sum::<usize>();
    let sites = outcome.works.iter().filter(|w| w.kind == WorkKind::Site).count();
    assert!(routes > 0 && sites > 0);
    // The legend counts what the overlay drew: every route and every site of the plan.
    assert!(svg.contains(&format!("新建光缆 new fiber route（{routes}）")), "routes");
    assert!(svg.contains(&format!("新建基站 new site（{sites}）")), "sites");
    for heading in ["工程量清单", "投资-整治户数曲线", "规划汇总", "工程排序"] {
        assert!(svg.contains(heading), "{heading}");
    }
    std::fs::remove_dir_all(&dir).unwrap();
}

#[test]
fn hand_edits_to_an_accepted_plan_survive_a_rerun() {
    let mut p = Project::load(&crate::common::sample("project.toml")).unwrap();
    let (profile, source) = resolve(&p, Some("zhaoqing-2020")).unwrap();
    let costs = Costs::china();
    let req = PlanRequest { costs: &costs, budget: None, techs: Techs::ALL };
    let first = plan::run(&p, profile.clone(), source.clone(), &req).unwrap();
    // The planner accepts the plan, moves its first site 150 m east and drops the last fiber
    // work (nothing builds on it: its routes and boxes out of the scenario, its village excluded).
    let mut edited = first.scenario.clone();
    let site = first.works.iter().find(|w| w.kind == WorkKind::Site).unwrap();
    let site_id = edited.sectors.iter().find(|s| s.lon == site.points[0][0] && s.lat == site.points[0][1]).unwrap().site.clone();
    for s in edited.sectors.iter_mut().filter(|s| s.site == site_id) {
        s.lon += 150.0 / (111_320.0 * s.lat.to_radians().cos());
    }
    let moved_lon = edited.sectors.iter().find(|s| s.site == site_id).unwrap().lon;
    let dropped = first.works.iter().rfind(|w| w.kind == WorkKind::Fiber).unwrap();
    let dropped_routes: Vec<&Vec<[f64; 2]>> = dropped.builds.cables.iter().collect();
    edited.cables.retain(|c| !dropped_routes.contains(&&c.route));
    let dropped_boxes: Vec<[f64; 2]> = dropped.builds.access_points.iter().map(|a| [a.lon, a.lat]).collect();
    edited.access_points.retain(|a| !(a.id.starts_with("PLAN-B") && dropped_boxes.contains(&[a.lon, a.lat])));
    let village = &p.data.villages[dropped.villages[0]];
    p.file.plan.exclude.push(village.id.clone());
    p.set_scenario(&edited);
    let again = plan::run(&p, profile, source, &req).unwrap();
    // The moved site is kept where the planner put it, the dropped village is left alone and
    // said so, and what the accepted plan closed is not planned again.
    assert!(again.scenario.sectors.iter().any(|s| s.site == site_id && s.lon == moved_lon), "the moved site survives");
    assert!(again.works.iter().all(|w| !w.villages.contains(&dropped.villages[0])), "the dropped village is not planned again");
    assert!(again.unreachable.iter().any(|u| u.0 == dropped.villages[0] && u.2.contains("[plan] exclude")));
    assert!(again.works.len() < first.works.len() / 10, "{} works again of {}", again.works.len(), first.works.len());
    assert!(again.not_closed.is_empty(), "{:?}", again.not_closed);
    // An exclusion naming no village is an error that says where.
    p.file.plan.exclude.push("没有这个村".into());
    let (profile, source) = resolve(&p, Some("zhaoqing-2020")).unwrap();
    let e = plan::run(&p, profile, source, &req).err().unwrap().to_string();
    assert!(e.contains("[plan] exclude") && e.contains("没有这个村"), "{e}");
}

#[test]
fn a_network_without_cables_or_roads_gives_a_partial_plan_that_says_why() {
    let p = Project::load(&crate::common::sample("project.toml")).unwrap();
    let (profile, source) = resolve(&p, Some("zhaoqing-2020")).unwrap();
    let costs = Costs::china();
    let req = PlanRequest { costs: &costs, budget: None, techs: Techs::ALL };
    // Every cable taken out: nothing to grow fiber from; sites are still planned.
    let mut no_cables = p.file.scenario.clone();
    no_cables.removed_cables = p.data.cables.iter().map(|c| c.id.clone()).collect();
    let q = p.with_scenario(&no_cables);
    let out = plan::run(&q, profile.clone(), source.clone(), &req).unwrap();
    assert!(out.works.iter().all(|w| w.kind != WorkKind::Fiber));
    assert!(out.works.iter().any(|w| w.kind == WorkKind::Site), "sites do not need cables");
    assert!(out.unreachable.iter().any(|u| u.2.contains("no existing fiber cable")), "{:?}", &out.unreachable[..3.min(out.unreachable.len())]);
    // No roads: fiber cannot be routed, and the plan says so.
    let mut no_roads = p.clone();
    no_roads.data.roads.clear();
    let out = plan::run(&no_roads, profile, source, &PlanRequest { techs: Techs { fiber: true, site: false, fwa: false }, ..req }).unwrap();
    assert!(out.works.iter().all(|w| w.kind != WorkKind::Fiber));
    assert!(out.unreachable.iter().any(|u| u.2.contains("no road layer")));
}
