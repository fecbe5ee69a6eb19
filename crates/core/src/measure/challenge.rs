//! Challenged verdicts: where measurements contradict a mobile-coverage verdict of a village —
//! judged covered where most of the tests there fail the coverage thresholds, or judged not
//! covered where most of them pass. The rules follow the US FCC's mobile challenge process
//! (Broadband Data Collection, 2022): only tests under a year old count, a challenge needs
//! several tests and at least two failing ones, per provider; its statistical test of the
//! failing share is replaced by a plain share, a setting.

use crate::analysis::Analysis;
use crate::model::Tech;
use crate::project::Project;
use crate::settings::RadioSettings;
use crate::targets::evaluate::Verdict;
use crate::targets::places::PlaceRef;
use crate::targets::profile::{MobileTech, Requirement, Subject};
use geo::Contains;
use rstar::{RTree, primitives::GeomWithData};
use serde::Serialize;

pub use crate::settings::ChallengeSettings;

/// What the measurements say against the verdict.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Serialize)]
#[serde(rename_all = "snake_case")]
pub enum ChallengeKind {
    /// Judged covered; the tests of every operator measured there fail.
    JudgedCoveredMeasuredNot,
    /// Judged not covered; the tests of some operator pass.
    JudgedNotCoveredMeasuredCovered,
}

impl ChallengeKind {
    /// As tables show it.
    pub fn label(self) -> &'static str {
        match self {
            ChallengeKind::JudgedCoveredMeasuredNot => "judged covered, measured not",
            ChallengeKind::JudgedNotCoveredMeasuredCovered => "judged not covered, measured covered",
        }
    }
}

/// One challenged verdict.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct Challenge {
    /// The target whose verdict is challenged.
    pub target: String,
    /// Which way.
    pub kind: ChallengeKind,
    /// The village (index into the project's villages).
    pub village: usize,
    /// Its id and name.
    pub id: String,
    /// Its name.
    pub name: String,
    /// Its households, when known.
    pub households: f64,
    /// Tests counted, and of those failing.
    pub tests: usize,
    /// Failing tests.
    pub failing: usize,
    /// Median measured RSRP of the tests counted (dBm).
    pub median_rsrp_dbm: f64,
    /// First and last test date (YYYY-MM-DD), when the tests carry dates.
    pub dates: Option<(String, String)>,
    /// Per operator: "中国移动 7/9 failing" …
    pub evidence: String,
    /// Position (WGS84).
    pub lon: f64,
    /// Latitude.
    pub lat: f64,
}

/// Days since 1970-01-01 of a time written starting "YYYY-MM-DD" (or "YYYY/MM/DD").
pub fn day_number(time: &str) -> Option<i64> {
    let t = time.trim();
    let (y, m, d) = (t.get(0..4)?.parse::<i64>().ok()?, t.get(5..7)?.parse::<i64>().ok()?, t.get(8..10)?.parse::<i64>().ok()?);
    if !(1..=12).contains(&m) || !(1..=31).contains(&d) || !matches!(t.as_bytes().get(4), Some(b'-' | b'/')) {
        return None;
    }
    // Howard Hinnant's days_from_civil.
    let y = if m <= 2 { y - 1 } else { y };
    let era = y.div_euclid(400);
    let yoe = y - era * 400;
    let doy = (153 * (m + if m > 2 { -3 } else { 9 }) + 2) / 5 + d - 1;
    Some(era * 146_097 + yoe * 365 + yoe / 4 - yoe / 100 + doy - 719_468)
}

/// Whether a test fails the coverage thresholds of `s` (RSRP, or SINR where measured).
fn fails(rsrp: f64, sinr: Option<f64>, tech: Tech, s: &RadioSettings) -> bool {
    let threshold = if tech == Tech::Nr { s.nr_rsrp_dbm } else { s.lte_rsrp_dbm };
    rsrp < threshold || sinr.is_some_and(|x| x < s.sinr_min_db)
}

/// The challenges of `a`'s outdoor mobile targets on villages, largest households first.
pub fn challenges(p: &Project, a: &Analysis, s: &ChallengeSettings) -> Vec<Challenge> {
    let m = &p.data.measurements;
    let newest = m.iter().filter_map(|x| x.time.as_deref().and_then(day_number)).max();
    let current = |i: usize| match (newest, m[i].time.as_deref().and_then(day_number)) {
        (Some(n), Some(d)) => n - d <= s.max_age_days,
        _ => true,
    };
    let points: Vec<GeomWithData<[f64; 2], usize>> = (0..m.len())
        .filter(|&i| m[i].rsrp_dbm.is_some() && current(i))
        .map(|i| {
            let (x, y) = p.frame.forward(m[i].position.x(), m[i].position.y());
            GeomWithData::new([x, y], i)
        })
        .collect();
    let tree = RTree::bulk_load(points);
    let radio = &p.file.coverage.radio;
    let mut out = Vec::new();
    for t in &a.targets {
        let Requirement::Mobile { tech, indoor: false } = &t.target.require else { continue };
        if !matches!(t.target.applies_to, Subject::NaturalVillages | Subject::AdminVillages | Subject::Villages) {
            continue;
        }
        let techs: Vec<Tech> = tech
            .iter()
            .filter_map(|t| match t {
                MobileTech::Lte => Some(Tech::Lte),
                MobileTech::Nr => Some(Tech::Nr),
                _ => None,
            })
            .collect();
        for pv in &t.places {
            let PlaceRef::Village(v) = pv.place else { continue };
            if pv.outcome.state == Verdict::Unknown {
                continue;
            }
            let tests = tests_at(p, &tree, v, s, |i| m[i].tech.is_none_or(|t| techs.contains(&t)));
            if let Some(c) = judge(p, &t.target.id, v, pv.outcome.state == Verdict::Met, &tests, radio, s) {
                out.push(Challenge { households: pv.households.unwrap_or(0.0), ..c });
            }
        }
    }
    out.sort_by(|a, b| b.households.total_cmp(&a.households).then(a.target.cmp(&b.target)).then(a.village.cmp(&b.village)));
    out
}

/// The measurements (indices) counted for village `v`: inside its polygon, else within the
/// radius of its point, that `keep` accepts; in measurement order.
fn tests_at(p: &Project, tree: &RTree<GeomWithData<[f64; 2], usize>>, v: usize, s: &ChallengeSettings, keep: impl Fn(usize) -> bool) -> Vec<usize> {
    let village = &p.data.villages[v];
    let mut found: Vec<usize> = match &village.area {
        Some(area) => {
            let r = geo::BoundingRect::bounding_rect(area.as_ref()).map(|b| {
                let (x0, y0) = p.frame.forward(b.min().x, b.min().y);
                let (x1, y1) = p.frame.forward(b.max().x, b.max().y);
                rstar::AABB::from_corners([x0.min(x1), y0.min(y1)], [x0.max(x1), y0.max(y1)])
            });
            r.map(|env| tree.locate_in_envelope(&env).map(|g| g.data).filter(|&i| area.contains(&p.data.measurements[i].position)).collect())
                .unwrap_or_default()
        }
        None => {
            let [x, y] = p.index.village_xy[v];
            tree.locate_within_distance([x, y], s.radius_m * s.radius_m).map(|g| g.data).collect()
        }
    };
    found.retain(|&i| keep(i));
    found.sort_unstable();
    found
}

/// The challenge of a verdict (`covered` or not) by `tests`, if they contradict it.
fn judge(p: &Project, target: &str, v: usize, covered: bool, tests: &[usize], radio: &RadioSettings, s: &ChallengeSettings) -> Option<Challenge> {
    let m = &p.data.measurements;
    // Per operator: (tests, failing).
    let mut by_operator: std::collections::BTreeMap<String, (usize, usize, String)> = Default::default();
    for &i in tests {
        let op = m[i].operator.as_deref().unwrap_or("?");
        let e = by_operator.entry(super::operator_key(op)).or_insert((0, 0, op.to_string()));
        e.0 += 1;
        e.1 += usize::from(fails(m[i].rsrp_dbm.unwrap_or(f64::NEG_INFINITY), m[i].sinr_db, m[i].tech.unwrap_or(Tech::Lte), radio));
    }
    let counted: Vec<&(usize, usize, String)> = by_operator.values().filter(|(n, _, _)| *n >= s.min_tests).collect();
    if counted.is_empty() {
        return None;
    }
    let failing_op = |&&(n, k, _): &&(usize, usize, String)| k >= s.min_count && k as f64 >= s.share * n as f64;
    let passing_op = |&&(n, k, _): &&(usize, usize, String)| n - k >= s.min_count && (n - k) as f64 > (1.0 - s.share) * n as f64;
    let kind = if covered && counted.iter().all(failing_op) {
        ChallengeKind::JudgedCoveredMeasuredNot
    } else if !covered && counted.iter().any(passing_op) {
        ChallengeKind::JudgedNotCoveredMeasuredCovered
    } else {
        return None;
    };
    let mut rsrp: Vec<f64> = tests.iter().filter_map(|&i| m[i].rsrp_dbm).collect();
    rsrp.sort_by(f64::total_cmp);
    let median = if rsrp.len() % 2 == 1 { rsrp[rsrp.len() / 2] } else { (rsrp[rsrp.len() / 2 - 1] + rsrp[rsrp.len() / 2]) / 2.0 };
    let mut days: Vec<&str> = tests.iter().filter_map(|&i| m[i].time.as_deref().filter(|t| day_number(t).is_some()).map(|t| &t[..10])).collect();
    days.sort_unstable();
    let village = &p.data.villages[v];
    Some(Challenge {
        target: target.to_string(),
        kind,
        village: v,
        id: village.id.clone(),
        name: village.name.clone(),
        households: 0.0,
        tests: tests.len(),
        failing: by_operator.values().map(|x| x.1).sum(),
        median_rsrp_dbm: median,
        dates: days.first().map(|f| (f.to_string(), days.last().unwrap_or(f).to_string())),
        evidence: by_operator.values().map(|(n, k, name)| format!("{name} {k}/{n} failing")).collect::<Vec<_>>().join(", "),
        lon: village.location.x(),
        lat: village.location.y(),
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn dates_count_days() {
        assert_eq!(day_number("1970-01-01"), Some(0));
        assert_eq!(day_number("2026-10-12 09:00:00"), Some(20_738));
        assert_eq!(day_number("2000/03/01"), Some(11_017));
        assert_eq!(day_number("12/10/2026"), None);
        assert_eq!(day_number("2026-13-01"), None);
    }
}
