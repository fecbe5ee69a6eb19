//! The files `covplan plan --out DIR` writes: plan.json (totals, bill of quantities, gaps before
//! and after from the re-analysis, cost curve, run record), plan.csv (the ranked works, UTF-8
//! with BOM), plan.geojson and plan.shp / plan_points.shp (new routes; boxes, sites and FWA
//! villages) and plan-scenario.toml (the plan as a
//! `[scenario]` table to merge into the project file). No timestamps: reruns give the same bytes.

use super::tables::{WGS84_WKT, csv_field};
use crate::error::{InputError, Result};
use crate::fsutil::atomic_write;
use crate::io::shapefile::shp::ShapeKind;
use crate::io::shapefile::write::write_shapefile;
use crate::model::{Feature, FeatureTable, Field, FieldKind, Value};
use crate::plan::PlanOutcome;
use crate::plan::costs::Costs;
use crate::plan::works::{Work, WorkKind};
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
        ("plan.geojson", serde_json::to_string(&geojson(plan)).expect("JSON serialises") + "\n"),
        ("plan-scenario.toml", scenario_toml(plan)),
    ];
    let mut written = Vec::new();
    for (name, text) in files {
        let path = dir.join(name);
        atomic_write(&path, text.as_bytes()).map_err(|e| InputError::io(&path, &e))?;
        written.push(path);
    }
    written.extend(shapefiles(p, plan, dir)?);
    Ok(written)
}

/// The bill of quantities: each item summed over `works`, to the thousandth.
fn quantities(works: &[Work]) -> serde_json::Map<String, Json> {
    let mut sum: BTreeMap<&str, f64> = BTreeMap::new();
    for w in works {
        for (k, q) in &w.quantities {
            *sum.entry(k).or_default() += q;
        }
    }
    sum.into_iter().map(|(k, q)| (k.to_string(), json!(round3(q)))).collect()
}

fn summary_json(p: &Project, plan: &PlanOutcome, costs: &Costs, budget: Option<f64>, record: Json) -> Json {
    let (before, after) = plan.gaps;
    let households_closed = plan.households_closed();
    let cost = plan.cost();
    let village = |v: usize| json!({ "id": p.data.villages[v].id, "name": p.data.villages[v].name });
    let mut by_kind: BTreeMap<&str, (usize, f64, f64)> = BTreeMap::new();
    for w in &plan.works {
        let e = by_kind.entry(w.kind.code()).or_default();
        e.0 += 1;
        e.1 += w.cost;
        e.2 += w.households;
    }
    let curve: Vec<Json> = plan.cost_curve().into_iter().map(|(c, h)| json!([round2(c), round2(h)])).collect();
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
        "works_by_kind": by_kind.into_iter().map(|(k, (n, c, h))| (k.to_string(), json!({ "works": n, "cost_yuan": round2(c), "households": h }))).collect::<serde_json::Map<_, _>>(),
        "bill_of_quantities": quantities(&plan.works),
        "cost_curve": { "columns": ["cumulative_yuan", "cumulative_households"], "points": curve },
        "works": plan.works.iter().map(|w| work_json(p, plan, w)).collect::<Vec<_>>(),
        "not_closed": plan.not_closed.iter().map(|(v, t)| json!({ "village": village(*v), "target": t })).collect::<Vec<_>>(),
        "unreachable": plan.unreachable.iter().map(|&(v, h, why)| json!({ "village": village(v), "households": h, "why": why })).collect::<Vec<_>>(),
        "over_budget": plan.over_budget.iter().map(|w| json!({ "kind": w.kind.code(), "name": w.name, "cost_yuan": round2(w.cost), "households": w.households })).collect::<Vec<_>>(),
        "unaddressed": plan.unaddressed,
        "run": record,
    })
}

fn work_json(p: &Project, plan: &PlanOutcome, w: &Work) -> Json {
    json!({
        "rank": w.rank,
        "phase": w.rank,
        "kind": w.kind.code(),
        "name": w.name,
        "villages": w.villages.iter().map(|&v| p.data.villages[v].id.clone()).collect::<Vec<_>>(),
        "households": w.households,
        "cost_yuan": round2(w.cost),
        "quantities": w.quantities.iter().map(|(k, q)| (k.to_string(), json!(round3(*q)))).collect::<serde_json::Map<_, _>>(),
        "alternatives": w.alternatives.iter().map(|(k, c)| json!({ "kind": k.code(), "cost_yuan": round2(*c) })).collect::<Vec<_>>(),
        "flags": w.flags,
        "closed": plan.closes(w),
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

/// plan.csv: one work per row in build order (its phase), with the cumulative cost and households.
fn works_csv(p: &Project, plan: &PlanOutcome) -> String {
    let mut out = String::from(
        "\u{feff}rank,phase,kind,name,villages,households,cost_yuan,yuan_per_household,cumulative_yuan,cumulative_households,alternatives,flags,closed\n",
    );
    for (w, (cum_cost, cum_hh)) in plan.works.iter().zip(plan.cost_curve()) {
        let villages: Vec<&str> = w.villages.iter().map(|&v| p.data.villages[v].id.as_str()).collect();
        let per_hh = if w.households > 0.0 { format!("{:.0}", w.cost / w.households) } else { String::new() };
        let alternatives: Vec<String> = w.alternatives.iter().map(|(k, c)| format!("{} {c:.0}", k.code())).collect();
        let _ = writeln!(
            out,
            "{},{},{},{},{},{},{:.0},{},{:.0},{},{},{},{}",
            w.rank,
            w.rank,
            w.kind.code(),
            csv_field(&w.name),
            csv_field(&villages.join(" ")),
            w.households,
            w.cost,
            per_hh,
            cum_cost,
            cum_hh,
            csv_field(&alternatives.join("; ")),
            csv_field(&w.flags.join("; ")),
            plan.closes(w)
        );
    }
    out
}

/// plan.geojson: each work's routes (LineString) and points (boxes, sites, FWA villages), with
/// the work's rank, kind, name and cost.
fn geojson(plan: &PlanOutcome) -> Json {
    let mut features = Vec::new();
    for w in &plan.works {
        let props = |geom: &str| json!({ "rank": w.rank, "kind": w.kind.code(), "what": geom, "name": w.name, "cost_yuan": round2(w.cost), "households": w.households });
        for r in &w.builds.cables {
            features.push(json!({ "type": "Feature", "properties": props("route"), "geometry": { "type": "LineString", "coordinates": r } }));
        }
        for pt in &w.points {
            features.push(json!({ "type": "Feature", "properties": props(point_kind(w.kind)), "geometry": { "type": "Point", "coordinates": pt } }));
        }
    }
    json!({ "type": "FeatureCollection", "features": features })
}

/// What a work's points are.
fn point_kind(kind: WorkKind) -> &'static str {
    match kind {
        WorkKind::Fiber => "box",
        WorkKind::Splitter | WorkKind::PonUpgrade => "access_point",
        WorkKind::Site => "site",
        WorkKind::Fwa => "fwa_village",
    }
}

/// plan.shp (routes, polylines) and plan_points.shp (boxes, sites, FWA villages): the columns
/// of plan.geojson, with route length in metres.
fn shapefiles(p: &Project, plan: &PlanOutcome, dir: &Path) -> Result<Vec<PathBuf>> {
    let names = ["rank", "kind", "what", "name", "cost_yuan", "households", "length_m"];
    let kinds = [FieldKind::Int, FieldKind::Text, FieldKind::Text, FieldKind::Text, FieldKind::Float, FieldKind::Float, FieldKind::Float];
    let fields: Vec<Field> = names.iter().zip(kinds).map(|(n, kind)| Field { name: (*n).into(), kind }).collect();
    let (mut lines, mut points) = (FeatureTable { fields: fields.clone(), features: Vec::new() }, FeatureTable { fields, features: Vec::new() });
    for w in &plan.works {
        let row = |what: &str, len: f64| {
            vec![
                Value::Int(w.rank as i64),
                Value::Text(w.kind.code().into()),
                Value::Text(what.into()),
                Value::Text(w.name.clone()),
                Value::Float(round2(w.cost)),
                Value::Float(w.households),
                Value::Float(round3(len)),
            ]
        };
        for r in &w.builds.cables {
            let len = r
                .windows(2)
                .map(|s| {
                    let (a, b) = (p.frame.forward(s[0][0], s[0][1]), p.frame.forward(s[1][0], s[1][1]));
                    (b.0 - a.0).hypot(b.1 - a.1)
                })
                .sum();
            let line = geo::LineString::from(r.iter().map(|&[x, y]| geo::Coord { x, y }).collect::<Vec<_>>());
            lines.features.push(Feature { geometry: Some(geo::Geometry::LineString(line)), values: row("route", len) });
        }
        for &[x, y] in &w.points {
            points.features.push(Feature { geometry: Some(geo::Geometry::Point(geo::Point::new(x, y))), values: row(point_kind(w.kind), 0.0) });
        }
    }
    let mut written = Vec::new();
    for (name, kind, table) in [("plan.shp", ShapeKind::Polyline, &lines), ("plan_points.shp", ShapeKind::Point, &points)] {
        let shp = dir.join(name);
        write_shapefile(&shp, kind, table, Some(WGS84_WKT), encoding_rs::UTF_8).map_err(|e| InputError::io(&shp, &e))?;
        written.extend(["shp", "shx", "dbf", "prj", "cpg"].map(|ext| shp.with_extension(ext)));
    }
    Ok(written)
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
