//! The printed page of a comparison with measurements (A4 portrait): RSRP error statistics
//! before and after calibration, the fits, a scatter of predicted against measured, the error
//! histogram, and the verdicts the measurements challenge.

use super::svg::text;
use crate::measure::challenge::{Challenge, ChallengeKind};
use crate::measure::compare::Pair;
use crate::measure::report::Comparison;
use crate::project::Project;
use std::fmt::Write as _;

const PUBLISHED: &str = "#1f77b4";
const CALIBRATED: &str = "#ff7f0e";
const CHALLENGE: &str = "#d627a0";

/// The page as SVG (viewBox in mm), dated `date`.
pub fn page(p: &Project, c: &Comparison, challenges: &[Challenge], date: &str) -> String {
    let (w, h, m) = (210.0, 297.0, 12.0);
    let mut svg = String::with_capacity(1 << 18);
    let _ = writeln!(svg, r#"<svg xmlns="http://www.w3.org/2000/svg" width="{w}mm" height="{h}mm" viewBox="0 0 {w} {h}">"#);
    let _ = writeln!(svg, r#"<rect x="0" y="0" width="{w}" height="{h}" fill="white"/>"#);
    text(&mut svg, w / 2.0, m + 6.0, 6.0, "middle", "bold", "#000", &format!("{} 预测与实测比对", p.file.project.name));
    let layers: Vec<&str> = p.file.layers.iter().filter(|l| l.role == crate::project::Role::Measurements).map(|l| l.path.as_str()).collect();
    let sub = format!("实测：{}；{} 条比对，{} 条未能比对；误差 = 实测 − 预测（RSRP，dB）· {date}", layers.join("、"), c.before.len(), c.unpaired.len());
    text(&mut svg, w / 2.0, m + 12.0, 2.8, "middle", "normal", "#333", &sub);
    let mut y = m + 22.0;
    stats_table(&mut svg, c, m, &mut y);
    fits(&mut svg, c, m, &mut y);
    let top = y + 6.0;
    scatter(&mut svg, c, [m, top, 90.0, 90.0]);
    histogram(&mut svg, c, [m + 100.0, top, 86.0, 90.0]);
    y = top + 104.0;
    challenge_table(&mut svg, challenges, m, h - m - 6.0, &mut y);
    text(
        &mut svg,
        m,
        h - m,
        2.2,
        "start",
        "normal",
        "#555",
        &format!("covplan {} · 校准：每种环境 K1 + K2·log10(d/1 km)，最小二乘，1 km 分块 5 折交叉验证", env!("CARGO_PKG_VERSION")),
    );
    svg.push_str("</svg>\n");
    svg
}

fn group_name(by: &str, group: &str) -> String {
    let by = match by {
        "all" => return "全部".into(),
        "operator" => "运营商",
        "technology" => "制式",
        "environment" => "环境",
        "distance" => "距离",
        _ => "匹配",
    };
    let group = match group {
        "urban" => "城区",
        "rural" => "农村",
        "cell id" => "小区标识",
        "best server" => "最强小区",
        g => g,
    };
    format!("{by} {group}")
}

fn stats_table(svg: &mut String, c: &Comparison, x: f64, y: &mut f64) {
    let cols = [0.0, 52.0, 72.0, 94.0, 116.0, 140.0];
    for (k, hdr) in ["分组", "条数", "均值 dB", "标准差 dB", "RMSE dB", "校准后 RMSE dB"].iter().enumerate() {
        text(svg, x + cols[k], *y, 2.8, "start", "bold", "#000", hdr);
    }
    *y += 4.2;
    for row in &c.rsrp_before {
        let after = c.rsrp_after.iter().find(|a| a.by == row.by && a.group == row.group).map_or(String::new(), |a| format!("{:.2}", a.stats.rmse_db));
        let s = &row.stats;
        let cells =
            [group_name(&row.by, &row.group), s.count.to_string(), format!("{:+.2}", s.mean_db), format!("{:.2}", s.sd_db), format!("{:.2}", s.rmse_db), after];
        for (k, cell) in cells.iter().enumerate() {
            text(svg, x + cols[k], *y, 2.6, "start", "normal", "#000", cell);
        }
        *y += 3.7;
    }
}

fn fits(svg: &mut String, c: &Comparison, x: f64, y: &mut f64) {
    *y += 2.0;
    for f in &c.fits {
        let env = if format!("{:?}", f.environment) == "Urban" { "城区（UMa）" } else { "农村（RMa）" };
        let (b, a) = (f.before.map_or(f64::NAN, |s| s.rmse_db), f.after.map_or(f64::NAN, |s| s.rmse_db));
        let used = if f.applied { "采用".to_string() } else { format!("未采用：{}", f.note) };
        let line = format!(
            "{env}：{} 条，K1 {:+.2} dB，K2 {:+.2} dB/十倍距离；留出检验 RMSE {b:.2} → {a:.2} dB（{used}）",
            f.count, f.correction.offset_db, f.correction.slope_db_per_decade
        );
        text(svg, x, *y, 2.8, "start", "normal", "#000", &line);
        *y += 4.2;
    }
}

/// Every n-th pair with a measured RSRP (≤ 3 000), for plots a printer draws quickly.
fn sampled(pairs: &[Pair]) -> impl Iterator<Item = &Pair> {
    let n = pairs.len().div_ceil(3000).max(1);
    pairs.iter().filter(|p| p.measured_rsrp_dbm.is_some()).step_by(n)
}

/// Predicted (across) against measured (up), −140 to −40 dBm, both models.
fn scatter(svg: &mut String, c: &Comparison, [x0, y0, w, h]: [f64; 4]) {
    let (lo, hi) = (-140.0, -40.0);
    let px = |v: f64| x0 + (v.clamp(lo, hi) - lo) / (hi - lo) * w;
    let py = |v: f64| y0 + h - (v.clamp(lo, hi) - lo) / (hi - lo) * h;
    text(svg, x0, y0 - 2.0, 3.0, "start", "bold", "#000", "RSRP 预测值（横）与实测值（纵），dBm");
    let _ = writeln!(svg, r##"<rect x="{x0:.2}" y="{y0:.2}" width="{w:.2}" height="{h:.2}" fill="#fafafa" stroke="#888" stroke-width="0.2"/>"##);
    for (pairs, colour) in [(&c.before, PUBLISHED), (&c.after, CALIBRATED)] {
        for p in sampled(pairs) {
            let _ = writeln!(
                svg,
                r#"<circle cx="{:.2}" cy="{:.2}" r="0.25" fill="{colour}" fill-opacity="0.5"/>"#,
                px(p.predicted_rsrp_dbm),
                py(p.measured_rsrp_dbm.unwrap_or(lo))
            );
        }
    }
    let _ = writeln!(svg, r##"<line x1="{:.2}" y1="{:.2}" x2="{:.2}" y2="{:.2}" stroke="#555" stroke-width="0.3"/>"##, px(lo), py(lo), px(hi), py(hi));
    for v in [-140.0, -120.0, -100.0, -80.0, -60.0, -40.0] {
        text(svg, px(v), y0 + h + 3.5, 2.2, "middle", "normal", "#333", &format!("{v:.0}"));
        text(svg, x0 - 1.0, py(v) + 0.8, 2.2, "end", "normal", "#333", &format!("{v:.0}"));
    }
    legend(svg, x0 + 3.0, y0 + 4.0);
}

fn legend(svg: &mut String, x: f64, y: f64) {
    for (k, (label, colour)) in [("标准模型", PUBLISHED), ("校准后", CALIBRATED)].iter().enumerate() {
        let yy = y + 4.0 * k as f64;
        let _ = writeln!(svg, r#"<rect x="{x:.2}" y="{:.2}" width="3" height="2" fill="{colour}"/>"#, yy - 1.8);
        text(svg, x + 4.0, yy, 2.5, "start", "normal", "#000", label);
    }
}

/// The error histogram, 2 dB bins from −30 to +30 dB, both models.
fn histogram(svg: &mut String, c: &Comparison, [x0, y0, w, h]: [f64; 4]) {
    text(svg, x0, y0 - 2.0, 3.0, "start", "bold", "#000", "误差分布（实测 − 预测，dB）");
    let _ = writeln!(svg, r##"<rect x="{x0:.2}" y="{y0:.2}" width="{w:.2}" height="{h:.2}" fill="#fafafa" stroke="#888" stroke-width="0.2"/>"##);
    let bins = |pairs: &[Pair]| {
        let mut b = [0usize; 30];
        for e in pairs.iter().filter_map(Pair::rsrp_error_db) {
            b[(((e + 30.0) / 2.0).floor().max(0.0) as usize).min(29)] += 1;
        }
        b
    };
    let (before, after) = (bins(&c.before), bins(&c.after));
    let max = before.iter().chain(&after).copied().max().unwrap_or(1).max(1) as f64;
    let bw = w / 30.0;
    for (k, (series, colour)) in [(before, PUBLISHED), (after, CALIBRATED)].iter().enumerate() {
        for (i, &n) in series.iter().enumerate() {
            let bh = n as f64 / max * (h - 6.0);
            let x = x0 + i as f64 * bw + k as f64 * bw / 2.0;
            let _ = writeln!(svg, r#"<rect x="{x:.2}" y="{:.2}" width="{:.2}" height="{bh:.2}" fill="{colour}"/>"#, y0 + h - bh, bw / 2.0);
        }
    }
    for v in [-30.0, -20.0, -10.0, 0.0, 10.0, 20.0, 30.0] {
        text(svg, x0 + (v + 30.0) / 60.0 * w, y0 + h + 3.5, 2.2, "middle", "normal", "#333", &format!("{v:+.0}"));
    }
    legend(svg, x0 + 3.0, y0 + 4.0);
}

fn challenge_table(svg: &mut String, challenges: &[Challenge], x: f64, foot: f64, y: &mut f64) {
    text(svg, x, *y, 3.6, "start", "bold", CHALLENGE, &format!("实测存疑的判定（{}）", challenges.len()));
    *y += 5.0;
    let cols = [0.0, 26.0, 48.0, 64.0, 84.0];
    for (k, hdr) in ["指标", "村", "户数", "判定", "实测"].iter().enumerate() {
        text(svg, x + cols[k], *y, 2.6, "start", "bold", "#000", hdr);
    }
    *y += 3.7;
    for c in challenges {
        if *y > foot {
            break;
        }
        let judged = match c.kind {
            ChallengeKind::JudgedCoveredMeasuredNot => "覆盖",
            ChallengeKind::JudgedNotCoveredMeasuredCovered => "未覆盖",
        };
        let dates = c.dates.as_ref().map_or(String::new(), |(a, b)| format!("，{a}…{b}"));
        let measured = format!("{}/{} 次不达标，中位 {:.1} dBm{dates}", c.failing, c.tests, c.median_rsrp_dbm);
        for (k, cell) in [c.target.clone(), c.name.clone(), format!("{:.0}", c.households), judged.to_string(), measured].iter().enumerate() {
            text(svg, x + cols[k], *y, 2.5, "start", "normal", "#000", cell);
        }
        *y += 3.5;
    }
}
