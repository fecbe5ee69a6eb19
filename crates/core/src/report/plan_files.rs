//! The files `covplan plan --out DIR` writes: plan.json (totals, bill of quantities, gaps before
//! and after from the re-analysis, run record), plan.csv (the ranked works, UTF-8 with BOM),
//! plan.geojson (new routes and the villages they connect) and plan-scenario.toml (the plan as a
//! `[scenario]` table to merge into the project file). No timestamps: reruns give the same bytes.

use super::tables::csv_field;
use crate::error::{InputError, Result};
use crate::fsutil::atomic_write;
use crate::plan::PlanOutcome;
use crate::plan::costs::Costs;
use crate::plan::roads::RouteKind;
use crate::project::Project;
use serde_json::{Value as Json, json};
use std::collections::BTreeMap;
use std::fmt::Write;
use std::path::{Path, PathBuf};

/// Writes every plan file to `dir`; returns their paths.
pub fn write_all(p: &Project, plan: &PlanOutcome, costs: &Costs, budget: Option<f64>, dir: &Path) -> Result<Vec<PathBuf>> {
    std::fs::create_dir_all(dir).map_err(|e| InputError::io(dir, &e))?;
    let record = super::run_record::record(p, &plan.before).map_err(|e| InputError::io(&p.path, &e))?;
    let summary = summary_json(p, plan, costs, budget, serde_json::to_value(&record).expect("the run record serialises"));
    let files = [
        ("plan.json", serde_json::to_string_pretty(&summary).expect("JSON serialises") + "\n"),
        ("plan.csv", works_csv(p, plan)),
        ("plan.geojson", serde_json::to_string(&geojson(p, plan)).expect("JSON serialises") + "\n"),
        ("plan-scenario.toml", scenario_toml(plan)),
    ];
    let mut written = Vec::new();
    for (name, text) in files {
        let path = dir.join(name);
        atomic_write(&path, text.as_bytes()).map_err(|e| InputError::io(&path, &e))?;
        written.push(path);
    }
    Ok(written)
}

/// Metres of new route per kind over all works.
fn metres_by_kind(plan: &PlanOutcome) -> BTreeMap<&'static str, f64> {
    let mut m = BTreeMap::new();
    for w in &plan.fiber.works {
        for (kind, len) in &w.metres {
            *m.entry(kind.label()).or_insert(0.0) += len;
        }
    }
    m
}

fn summary_json(p: &Project, plan: &PlanOutcome, costs: &Costs, budget: Option<f64>, record: Json) -> Json {
    let f = &plan.fiber;
    let (before, after) = plan.gaps;
    let households_closed: f64 = f.works.iter().filter(|w| !plan.not_closed.contains(&w.village)).map(|w| w.households).sum();
    let cost = f.cost();
    let km = |kind: RouteKind| f.works.iter().flat_map(|w| &w.metres).filter(|(k, _)| *k == kind).map(|(_, m)| m).sum::<f64>() / 1000.0;
    let village = |v: usize| json!({ "id": p.data.villages[v].id, "name": p.data.villages[v].name });
    json!({
        "profile": plan.before.profile.profile.id,
        "costs": costs.meta.name,
        "currency": costs.meta.currency,
        "budget_yuan": budget,
        "cost_total_yuan": round2(cost),
        "households_closed": households_closed,
        "yuan_per_household": if households_closed > 0.0 { round2(cost / households_closed) } else { 0.0 },
        "gaps_before": { "settlements": before.settlements, "households": before.households },
        "gaps_after": { "settlements": after.settlements, "households": after.households },
        "works": f.works.len(),
        "bill_of_quantities": {
            "sheath_km_aerial": round3(km(RouteKind::Aerial) + km(RouteKind::LeadIn)),
            "sheath_km_buried": round3(km(RouteKind::Buried)),
            "sheath_km_off_road": round3(km(RouteKind::OffRoad)),
            "pole_route_km": round3(km(RouteKind::Aerial) + km(RouteKind::LeadIn)),
            "distribution_boxes": f.works.len(),
            "metres_by_kind": metres_by_kind(plan).into_iter().map(|(k, m)| (k.to_string(), json!(round3(m)))).collect::<serde_json::Map<_, _>>(),
        },
        "not_closed": plan.not_closed.iter().map(|&v| village(v)).collect::<Vec<_>>(),
        "unreachable": f.unreachable.iter().map(|&(v, h)| json!({ "village": village(v), "households": h, "why": "no road leads there from the existing network" })).collect::<Vec<_>>(),
        "over_budget": f.over_budget.iter().map(|&(v, h)| json!({ "village": village(v), "households": h })).collect::<Vec<_>>(),
        "run": record,
    })
}

/// `x` to the cent (and never `-0`).
fn round2(x: f64) -> f64 {
    (x * 100.0).round() / 100.0 + 0.0
}

/// `x` to the thousandth (metres to the millimetre, km to the metre; never `-0`).
fn round3(x: f64) -> f64 {
    (x * 1000.0).round() / 1000.0 + 0.0
}

/// plan.csv: one work per row in build order, with the cumulative cost and households.
fn works_csv(p: &Project, plan: &PlanOutcome) -> String {
    let mut out =
        String::from("\u{feff}rank,village_id,village,households,cost_yuan,yuan_per_household,route_m,off_road,cumulative_yuan,cumulative_households,closed\n");
    let (mut cum_cost, mut cum_hh) = (0.0, 0.0);
    for w in &plan.fiber.works {
        cum_cost += w.cost;
        cum_hh += w.households;
        let v = &p.data.villages[w.village];
        let route_m: f64 = w.metres.iter().map(|(_, m)| m).sum();
        let per_hh = if w.households > 0.0 { format!("{:.0}", w.cost / w.households) } else { String::new() };
        let _ = writeln!(
            out,
            "{},{},{},{},{:.0},{},{:.0},{},{:.0},{},{}",
            w.rank,
            csv_field(&v.id),
            csv_field(&v.name),
            w.households,
            w.cost,
            per_hh,
            route_m,
            w.off_road,
            cum_cost,
            cum_hh,
            !plan.not_closed.contains(&w.village)
        );
    }
    out
}

/// plan.geojson: each work's route pieces (LineString, with the work's rank and village) and the
/// village it connects (Point).
fn geojson(p: &Project, plan: &PlanOutcome) -> Json {
    let mut features = Vec::new();
    for w in &plan.fiber.works {
        let v = &p.data.villages[w.village];
        for r in &w.routes {
            features.push(json!({
                "type": "Feature",
                "properties": { "kind": "route", "rank": w.rank, "village": v.name, "cost_yuan": round2(w.cost) },
                "geometry": { "type": "LineString", "coordinates": r },
            }));
        }
        features.push(json!({
            "type": "Feature",
            "properties": { "kind": "village", "rank": w.rank, "village": v.name, "households": w.households, "off_road": w.off_road },
            "geometry": { "type": "Point", "coordinates": [v.location.x(), v.location.y()] },
        }));
    }
    json!({ "type": "FeatureCollection", "features": features })
}

/// The plan as a `[scenario]` table: the project's own scenario plus the plan's cables.
fn scenario_toml(plan: &PlanOutcome) -> String {
    #[derive(serde::Serialize)]
    struct Wrapper<'a> {
        scenario: &'a crate::project::ScenarioSpec,
    }
    let body = toml::to_string(&Wrapper { scenario: &plan.scenario }).expect("a scenario serialises");
    format!("# The plan as a scenario: merge into the project file's [scenario] (covplan never edits it).\n{body}")
}
