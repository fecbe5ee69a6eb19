//! The printed plan map (`covplan report PROJECT --plan DIR`): the project with the plan's
//! scenario, coloured by the verdicts of the target with the most gaps before the plan, the new
//! routes, boxes, sites and FWA villages on top, the gaps the plan closes and those that remain;
//! beside it the bill of quantities, the cost per kind of work, the cost curve (households
//! closed against money spent) and the first works. It reads what `covplan plan` wrote in DIR
//! (plan.json, plan.geojson, plan-scenario.toml), so a plan edited by hand prints as edited.

use super::map_svg::MapFrame;
use super::print::{PrintSpec, footnote, legend_block, map_with_furniture, page_size, title_block};
use super::svg::text;
use crate::analysis::Analysis;
use crate::analysis::gaps::Gap;
use crate::error::{InputError, Location, Result};
use crate::project::{Project, ScenarioSpec};
use crate::render::{Scene, VerdictTheme, View};
use crate::targets::evaluate::Verdict;
use crate::targets::places::PlaceRef;
use serde_json::Value as Json;
use std::collections::BTreeSet;
use std::fmt::Write;
use std::path::Path;
use std::sync::Arc;

/// What `covplan plan` wrote in a folder.
pub struct PlanDir {
    /// plan.json.
    pub summary: Json,
    /// plan.geojson.
    pub features: Json,
    /// plan-scenario.toml's `[scenario]`.
    pub scenario: ScenarioSpec,
}

impl PlanDir {
    /// Reads plan.json, plan.geojson and plan-scenario.toml from `dir`; a missing or broken one
    /// is named.
    pub fn read(dir: &Path) -> Result<PlanDir> {
        let read = |name: &str| {
            let path = dir.join(name);
            let text = std::fs::read_to_string(&path).map_err(|e| InputError::io(&path, &e).with_hint("run `covplan plan PROJECT --out DIR` first"))?;
            Ok::<_, InputError>((path, text))
        };
        let json = |name: &str| -> Result<Json> {
            let (path, text) = read(name)?;
            serde_json::from_str(&text).map_err(|e| InputError::in_file(&path, format!("line {}: {e}", e.line())))
        };
        #[derive(serde::Deserialize)]
        struct Wrapper {
            scenario: ScenarioSpec,
        }
        let (path, text) = read("plan-scenario.toml")?;
        let scenario = toml::from_str::<Wrapper>(&text).map_err(|e| InputError::in_file(&path, e.message().trim().to_string()))?.scenario;
        Ok(PlanDir { summary: json("plan.json")?, features: json("plan.geojson")?, scenario })
    }
}

/// The plan map as one SVG page (mm), on `paper` (landscape when asked), dated `date`.
pub fn page(p: &Project, before: &Analysis, plan: &PlanDir, spec_in: &PageSpec) -> Result<String> {
    let planned = p.with_scenario(&plan.scenario);
    let (after, mut scene) = super::gapmap::analyse_and_scene(&planned, before.profile.clone(), before.profile_source.clone())?;
    // The target the plan does most for: the one with the most gaps before.
    let gaps_before = crate::analysis::gaps::gaps(p, before);
    let gaps_after = crate::analysis::gaps::gaps(&planned, &after);
    let count = |gaps: &[Gap], id: &str| gaps.iter().filter(|g| g.target == id && g.state == Verdict::NotMet).count();
    let target = (0..before.targets.len()).max_by_key(|&i| (count(&gaps_before, &before.targets[i].target.id), std::cmp::Reverse(i)));
    scene.theme = target.map(|i| Arc::new(VerdictTheme::of(&after.targets[i])));
    let extent = scene.extent().ok_or_else(|| InputError::new(Location::file(&p.path), "the project has nothing to draw"))?;
    let county = p.data.admin_areas.iter().find(|x| super::gapmap::AtlasLevel::County.holds(x)).or(p.data.admin_areas.first());
    let area_name = county.map_or_else(|| p.file.project.name.clone(), |c| c.name.clone());
    let spec = PrintSpec {
        paper: spec_in.paper,
        landscape: spec_in.landscape,
        margin_mm: spec_in.margin_mm,
        title: Some(spec_in.title.clone().unwrap_or_else(|| format!("{area_name} 缺口整治规划图（{}）", before.profile.profile.id))),
        bounds: extent,
        area_name,
        target,
        date: spec_in.date.clone(),
        input_hash: super::gapmap::input_hash(p, before)?,
        graticule: false,
        overview: None,
        township: None,
        raster_above: super::print::RASTER_ABOVE,
    };
    let remaining: Vec<Gap> = gaps_after.iter().filter(|g| g.state == Verdict::NotMet).cloned().collect();
    let still: BTreeSet<(String, PlaceRef)> = remaining.iter().map(|g| (g.target.clone(), g.place)).collect();
    let closed: Vec<&Gap> = gaps_before.iter().filter(|g| g.state == Verdict::NotMet && !still.contains(&(g.target.clone(), g.place))).collect();
    Ok(compose(p, &scene, &after, plan, &spec, &closed, &remaining))
}

/// Paper and labels of the plan map.
#[derive(Debug, Clone)]
pub struct PageSpec {
    /// Paper size.
    pub paper: super::print::Paper,
    /// Long side horizontal.
    pub landscape: bool,
    /// Margins (mm).
    pub margin_mm: f64,
    /// Title instead of the default.
    pub title: Option<String>,
    /// Footnote date.
    pub date: String,
}

/// Colours of the plan's marks.
const ROUTE: &str = "#d7191c";
const BOX: &str = "#2b83ba";
const SITE: &str = "#f39c12";
const FWA: &str = "#8e44ad";
const ACCESS: &str = "#17a2b8";
const CLOSED: &str = "#1a9641";
const REMAINING: &str = "#c0281e";

fn compose(p: &Project, scene: &Scene, after: &Analysis, plan: &PlanDir, spec: &PrintSpec, closed: &[&Gap], remaining: &[Gap]) -> String {
    let (w, h) = page_size(spec);
    let m = spec.margin_mm;
    let mut svg = String::with_capacity(1 << 20);
    let _ = writeln!(svg, r#"<svg xmlns="http://www.w3.org/2000/svg" width="{w}mm" height="{h}mm" viewBox="0 0 {w} {h}">"#);
    let _ = writeln!(svg, r#"<rect x="0" y="0" width="{w}" height="{h}" fill="white"/>"#);
    let top = title_block(&mut svg, after, None, spec, w);
    let foot = h - m - 9.0;
    let side = (w * 0.30).clamp(80.0, 170.0);
    let rect = [m, top, w - 2.0 * m - side - 4.0, foot - top - 2.0];
    let b = spec.bounds;
    let m_per_mm = ((b[2] - b[0]) / rect[2]).max((b[3] - b[1]) / rect[3]) * 1.03;
    let mf = MapFrame { rect, view: View { center: [(b[0] + b[2]) / 2.0, (b[1] + b[3]) / 2.0], m_per_px: m_per_mm, size: [rect[2], rect[3]] } };
    let target = spec.target.and_then(|i| after.targets.get(i));
    map_with_furniture(&mut svg, p, scene, remaining, spec, target, &mf);
    let counts = overlay(&mut svg, p, plan, &mf, closed, remaining);
    let sx = w - m - side;
    let mut y = top + 4.0;
    text(&mut svg, sx, y, 4.0, "start", "bold", "#000", "图例");
    y += 5.0;
    legend_block(&mut svg, scene, mf.view.bounds(), sx, &mut y);
    plan_legend(&mut svg, &counts, sx, &mut y);
    totals(&mut svg, &plan.summary, sx, &mut y);
    quantities(&mut svg, &plan.summary, sx, side, &mut y);
    cost_curve(&mut svg, &plan.summary, [sx, side], &mut y);
    works_list(&mut svg, &plan.summary, [sx, side, foot], &mut y);
    footnote(&mut svg, p, after, spec, w, h);
    svg.push_str("</svg>\n");
    svg
}

/// How many marks of each kind the overlay drew: routes, boxes, sites, FWA villages, splitters
/// and upgrades, gaps closed, gaps remaining.
struct Counts([usize; 7]);

/// Draws the plan's features and the closed and remaining gaps inside the map frame.
fn overlay(svg: &mut String, p: &Project, plan: &PlanDir, mf: &MapFrame, closed: &[&Gap], remaining: &[Gap]) -> Counts {
    let mut n = [0usize; 7];
    let pt = |c: &Json| {
        let (lon, lat) = (c[0].as_f64().unwrap_or(f64::NAN), c[1].as_f64().unwrap_or(f64::NAN));
        let (x, y) = p.frame.forward(lon, lat);
        mf.pt(x, y)
    };
    svg.push_str("<g clip-path=\"url(#map)\">\n");
    for g in closed {
        let (x, y) = mf.pt(p.frame.forward(g.lon, g.lat).0, p.frame.forward(g.lon, g.lat).1);
        let _ = writeln!(svg, r#"<circle cx="{x:.2}" cy="{y:.2}" r="1.1" fill="none" stroke="{CLOSED}" stroke-width="0.35"/>"#);
        n[5] += 1;
    }
    let features = plan.features["features"].as_array().map(Vec::as_slice).unwrap_or_default();
    // Routes under the points.
    for f in features.iter().filter(|f| f["geometry"]["type"] == "LineString") {
        let coords = f["geometry"]["coordinates"].as_array().map(Vec::as_slice).unwrap_or_default();
        let mut d = String::new();
        for (k, c) in coords.iter().enumerate() {
            let (x, y) = pt(c);
            let _ = write!(d, "{}{x:.2},{y:.2}", if k == 0 { "M" } else { "L" });
        }
        let _ = writeln!(svg, r#"<path d="{d}" fill="none" stroke="{ROUTE}" stroke-width="0.5" stroke-linejoin="round" stroke-linecap="round"/>"#);
        n[0] += 1;
    }
    for f in features.iter().filter(|f| f["geometry"]["type"] == "Point") {
        let (x, y) = pt(&f["geometry"]["coordinates"]);
        match f["properties"]["what"].as_str().unwrap_or("") {
            "box" => {
                let _ = writeln!(svg, r#"<rect x="{:.2}" y="{:.2}" width="0.9" height="0.9" fill="{BOX}"/>"#, x - 0.45, y - 0.45);
                n[1] += 1;
            }
            "site" => {
                let _ = writeln!(
                    svg,
                    r##"<path d="M{x:.2},{:.2}L{:.2},{:.2}L{:.2},{:.2}Z" fill="{SITE}" stroke="#000" stroke-width="0.2"/>"##,
                    y - 2.0,
                    x + 1.8,
                    y + 1.2,
                    x - 1.8,
                    y + 1.2
                );
                n[2] += 1;
            }
            "fwa_village" => {
                let _ = writeln!(
                    svg,
                    r##"<path d="M{x:.2},{:.2}L{:.2},{y:.2}L{x:.2},{:.2}L{:.2},{y:.2}Z" fill="{FWA}" stroke="#000" stroke-width="0.2"/>"##,
                    y - 1.6,
                    x + 1.6,
                    y + 1.6,
                    x - 1.6
                );
                n[3] += 1;
            }
            _ => {
                let _ = writeln!(svg, r#"<circle cx="{x:.2}" cy="{y:.2}" r="0.6" fill="{ACCESS}"/>"#);
                n[4] += 1;
            }
        }
    }
    for g in remaining {
        let (x, y) = mf.pt(p.frame.forward(g.lon, g.lat).0, p.frame.forward(g.lon, g.lat).1);
        let _ = writeln!(
            svg,
            r#"<path d="M{:.2},{:.2}L{:.2},{:.2}M{:.2},{:.2}L{:.2},{:.2}" stroke="{REMAINING}" stroke-width="0.45"/>"#,
            x - 1.0,
            y - 1.0,
            x + 1.0,
            y + 1.0,
            x - 1.0,
            y + 1.0,
            x + 1.0,
            y - 1.0
        );
        n[6] += 1;
    }
    svg.push_str("</g>\n");
    Counts(n)
}

/// The legend of the plan's marks, with their counts.
fn plan_legend(svg: &mut String, c: &Counts, sx: f64, y: &mut f64) {
    *y += 1.0;
    let rows = [
        ("新建光缆 new fiber route", ROUTE, "line"),
        ("新建分纤箱 new box", BOX, "square"),
        ("新建基站 new site", SITE, "triangle"),
        ("5G FWA 村", FWA, "diamond"),
        ("分光器扩容/PON升级", ACCESS, "dot"),
        ("已整治缺口 gap closed", CLOSED, "ring"),
        ("剩余缺口 gap remaining", REMAINING, "cross"),
    ];
    for (k, (label, colour, shape)) in rows.iter().enumerate() {
        let (x, cy) = (sx + 2.5, *y - 1.1);
        let mark = match *shape {
            "line" => format!(r#"<path d="M{:.2},{cy:.2}L{:.2},{cy:.2}" stroke="{colour}" stroke-width="0.6"/>"#, x - 2.5, x + 2.5),
            "square" => format!(r#"<rect x="{:.2}" y="{:.2}" width="1.4" height="1.4" fill="{colour}"/>"#, x - 0.7, cy - 0.7),
            "triangle" => format!(
                r##"<path d="M{x:.2},{:.2}L{:.2},{:.2}L{:.2},{:.2}Z" fill="{colour}" stroke="#000" stroke-width="0.2"/>"##,
                cy - 1.6,
                x + 1.5,
                cy + 1.0,
                x - 1.5,
                cy + 1.0
            ),
            "diamond" => format!(
                r##"<path d="M{x:.2},{:.2}L{:.2},{cy:.2}L{x:.2},{:.2}L{:.2},{cy:.2}Z" fill="{colour}" stroke="#000" stroke-width="0.2"/>"##,
                cy - 1.4,
                x + 1.4,
                cy + 1.4,
                x - 1.4
            ),
            "dot" => format!(r#"<circle cx="{x:.2}" cy="{cy:.2}" r="0.7" fill="{colour}"/>"#),
            "ring" => format!(r#"<circle cx="{x:.2}" cy="{cy:.2}" r="1.1" fill="none" stroke="{colour}" stroke-width="0.35"/>"#),
            _ => format!(
                r#"<path d="M{:.2},{:.2}L{:.2},{:.2}M{:.2},{:.2}L{:.2},{:.2}" stroke="{colour}" stroke-width="0.45"/>"#,
                x - 1.0,
                cy - 1.0,
                x + 1.0,
                cy + 1.0,
                x - 1.0,
                cy + 1.0,
                x + 1.0,
                cy - 1.0
            ),
        };
        svg.push_str(&mark);
        svg.push('\n');
        text(svg, sx + 7.0, *y, 2.8, "start", "normal", "#000", &format!("{label}（{}）", c.0[k]));
        *y += 4.2;
    }
}

/// Money as 万元 with one decimal.
fn wan(yuan: f64) -> String {
    format!("{:.1} 万元", yuan / 1e4)
}

/// Total cost, households closed, gaps before and after.
fn totals(svg: &mut String, s: &Json, sx: f64, y: &mut f64) {
    *y += 3.0;
    text(svg, sx, *y, 4.0, "start", "bold", "#000", "规划汇总");
    *y += 5.0;
    let f = |k: &str| s[k].as_f64().unwrap_or(0.0);
    let gap = |k: &str, f: &str| s[k][f].as_f64().unwrap_or(0.0);
    let lines = [
        format!("总投资 {}（{}）", wan(f("cost_total_yuan")), s["costs"].as_str().unwrap_or("")),
        format!("整治户数 {:.0} 户 · 户均 {:.0} 元", f("households_closed"), f("yuan_per_household")),
        format!(
            "缺口（复核）：{:.0} 处 / {:.0} 户 → {:.0} 处 / {:.0} 户",
            gap("gaps_before", "settlements"),
            gap("gaps_before", "households"),
            gap("gaps_after", "settlements"),
            gap("gaps_after", "households")
        ),
    ];
    for l in lines {
        text(svg, sx, *y, 2.8, "start", "normal", "#000", &l);
        *y += 4.0;
    }
}

/// The bill of quantities and the cost by kind of work, in two columns.
fn quantities(svg: &mut String, s: &Json, sx: f64, side: f64, y: &mut f64) {
    *y += 2.0;
    text(svg, sx, *y, 4.0, "start", "bold", "#000", "工程量清单");
    let names = [
        ("sheath_km_aerial", "架空光缆 皮长公里"),
        ("sheath_km_buried", "管道/直埋光缆 皮长公里"),
        ("sheath_km_off_road", "非沿路光缆 皮长公里"),
        ("pole_route_km", "杆路 公里"),
        ("distribution_boxes", "分纤箱 个"),
        ("splitters", "分光器 个"),
        ("drops", "入户（户）"),
        ("pon_upgrades", "PON升级 处"),
        ("sites_4g", "4G基站 个"),
        ("sites_5g", "5G基站 个"),
        ("cpes", "FWA CPE 台"),
        ("backhaul_fiber_km", "基站回传光缆 公里"),
        ("microwave_hops", "微波回传 跳"),
    ];
    *y += 5.0;
    let bill = s["bill_of_quantities"].as_object();
    let start = *y;
    for (key, label) in names {
        if let Some(q) = bill.and_then(|b| b.get(key)).and_then(Json::as_f64) {
            text(svg, sx, *y, 2.6, "start", "normal", "#000", label);
            text(svg, sx + side * 0.48, *y, 2.6, "end", "normal", "#000", &format!("{}", (q * 10.0).round() / 10.0));
            *y += 3.6;
        }
    }
    // Cost by kind, beside the bill.
    let mut y2 = start;
    if let Some(kinds) = s["works_by_kind"].as_object() {
        for (kind, v) in kinds {
            let label = match kind.as_str() {
                "fiber" => "光纤延伸",
                "splitter" => "分光器扩容",
                "pon_upgrade" => "PON升级",
                "site" => "新建基站",
                "fwa" => "5G FWA",
                other => other,
            };
            let line = format!("{label} {} 项 {}", v["works"], wan(v["cost_yuan"].as_f64().unwrap_or(0.0)));
            text(svg, sx + side * 0.54, y2, 2.6, "start", "normal", "#000", &line);
            y2 += 3.6;
        }
    }
    *y = y.max(y2);
}

/// The cost curve: households closed (up) against money spent (across), work by work.
fn cost_curve(svg: &mut String, s: &Json, [sx, side]: [f64; 2], y: &mut f64) {
    let pts: Vec<(f64, f64)> = s["cost_curve"]["points"]
        .as_array()
        .map(Vec::as_slice)
        .unwrap_or_default()
        .iter()
        .map(|p| (p[0].as_f64().unwrap_or(0.0), p[1].as_f64().unwrap_or(0.0)))
        .collect();
    *y += 3.0;
    text(svg, sx, *y, 4.0, "start", "bold", "#000", "投资-整治户数曲线");
    *y += 3.0;
    let (x0, y0, cw, ch) = (sx + 10.0, *y, side - 14.0, 34.0);
    let (max_c, max_h) = pts.last().copied().unwrap_or((0.0, 0.0));
    let _ = writeln!(svg, r##"<rect x="{x0:.2}" y="{y0:.2}" width="{cw:.2}" height="{ch:.2}" fill="#fafafa" stroke="#888" stroke-width="0.2"/>"##);
    if max_c > 0.0 && max_h > 0.0 {
        let mut d = format!("M{x0:.2},{:.2}", y0 + ch);
        for (c, h) in &pts {
            let _ = write!(d, "L{:.2},{:.2}", x0 + c / max_c * cw, y0 + ch - h / max_h * ch);
        }
        let _ = writeln!(svg, r#"<path d="{d}" fill="none" stroke="{ROUTE}" stroke-width="0.4"/>"#);
    }
    text(svg, x0 - 1.0, y0 + 2.5, 2.2, "end", "normal", "#333", &format!("{max_h:.0}"));
    text(svg, x0 - 1.0, y0 + ch, 2.2, "end", "normal", "#333", "0");
    text(svg, x0 + cw, y0 + ch + 3.0, 2.2, "end", "normal", "#333", &wan(max_c));
    text(svg, x0, y0 + ch + 3.0, 2.2, "start", "normal", "#333", "户 / 投资");
    *y = y0 + ch + 6.0;
}

/// The first works in build order, as many as fit above the footnote.
fn works_list(svg: &mut String, s: &Json, [sx, side, foot]: [f64; 3], y: &mut f64) {
    *y += 2.0;
    text(svg, sx, *y, 4.0, "start", "bold", "#000", "工程排序（前若干项）");
    *y += 5.0;
    let cols = [0.0, side * 0.08, side * 0.70, side * 0.86];
    for (k, hdr) in ["序", "工程", "投资", "户数"].iter().enumerate() {
        text(svg, sx + cols[k], *y, 2.6, "start", "bold", "#000", hdr);
    }
    *y += 3.8;
    for wk in s["works"].as_array().map(Vec::as_slice).unwrap_or_default() {
        if *y > foot - 2.0 {
            break;
        }
        let name = wk["name"].as_str().unwrap_or("");
        let cells = [
            wk["rank"].to_string(),
            super::print::fit(name, side * 0.6, 2.4),
            wan(wk["cost_yuan"].as_f64().unwrap_or(0.0)),
            format!("{}", wk["households"].as_f64().unwrap_or(0.0)),
        ];
        for (k, c) in cells.iter().enumerate() {
            text(svg, sx + cols[k], *y, 2.4, "start", "normal", "#000", c);
        }
        *y += 3.4;
    }
}
