//! A work of a plan — a fiber extension to a village, a splitter, a PON upgrade, a new site, a
//! village on fixed wireless — with what it costs, what it closes and what it builds, and the
//! ordering of works into phases.

use crate::project::{ScenarioAccessPoint, ScenarioCable, ScenarioSector, ScenarioSpec};
use serde::Serialize;
use std::collections::BTreeMap;

/// What a work is.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize)]
#[serde(rename_all = "snake_case")]
pub enum WorkKind {
    /// Fiber along the roads to a village, with boxes near its homes.
    Fiber,
    /// A second splitter beside a box whose ports are all used.
    Splitter,
    /// A box's PON upgraded to XGS-PON.
    PonUpgrade,
    /// A new mobile site (three sectors).
    Site,
    /// A village served by 5G fixed wireless: CPEs, and a new 5G site where none serves it.
    Fwa,
}

impl WorkKind {
    /// The name tables and maps use (Chinese first).
    pub fn label(self) -> &'static str {
        match self {
            WorkKind::Fiber => "光纤延伸 fiber",
            WorkKind::Splitter => "分光器扩容 splitter",
            WorkKind::PonUpgrade => "PON升级 PON upgrade",
            WorkKind::Site => "新建基站 new site",
            WorkKind::Fwa => "5G FWA",
        }
    }

    /// The short code plan.csv and plan.shp use.
    pub fn code(self) -> &'static str {
        match self {
            WorkKind::Fiber => "fiber",
            WorkKind::Splitter => "splitter",
            WorkKind::PonUpgrade => "pon_upgrade",
            WorkKind::Site => "site",
            WorkKind::Fwa => "fwa",
        }
    }
}

/// What a work builds in the network model, before ids are given.
#[derive(Debug, Clone, Default, PartialEq, Serialize)]
pub struct Builds {
    /// New cables (lon/lat routes).
    pub cables: Vec<Vec<[f64; 2]>>,
    /// New access points (ids given at the end).
    pub access_points: Vec<ScenarioAccessPoint>,
    /// Access points replaced (their layer ids).
    pub replaced_access_points: Vec<ScenarioAccessPoint>,
    /// New sectors (site and cell names given at the end).
    pub sectors: Vec<ScenarioSector>,
}

/// One work of a plan.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct Work {
    /// Position in the build order (1 = first); also its phase: each builds only on earlier ones.
    pub rank: usize,
    /// What it is.
    pub kind: WorkKind,
    /// What it is, for a planner ("fiber to 大塘村 (4412…)").
    pub name: String,
    /// The villages it closes gaps of (indices into the project's villages).
    pub villages: Vec<usize>,
    /// Households of those villages.
    pub households: f64,
    /// Cost (yuan).
    pub cost: f64,
    /// Its bill of quantities: item → quantity (sheath km by kind, boxes, splitters, drops, sites…).
    pub quantities: BTreeMap<&'static str, f64>,
    /// Where it builds points (boxes, sites), lon/lat.
    pub points: Vec<[f64; 2]>,
    /// What it builds.
    pub builds: Builds,
    /// Warnings for the planner (an off-road span, a site with a microwave hop).
    pub flags: Vec<String>,
    /// The other fixes weighed for the same villages: (kind, cost) — empty when there was no choice.
    pub alternatives: Vec<(WorkKind, f64)>,
    /// Works that must be built first (their index before ranking), for dig-once ordering.
    #[serde(skip)]
    pub after: Option<usize>,
}

impl Work {
    /// Households closed per yuan (the ranking key).
    pub fn yield_per_yuan(&self) -> f64 {
        self.households / self.cost.max(1.0)
    }
}

/// Ranks `works` (most households per yuan first, a work never before the one it builds on,
/// ties by name), cuts the list at the first that does not fit `budget`, and returns the kept
/// works (ranked) and the rest.
pub fn rank(works: Vec<Work>, budget: Option<f64>) -> (Vec<Work>, Vec<Work>) {
    let n = works.len();
    let mut placed = vec![false; n];
    let mut order = Vec::with_capacity(n);
    while order.len() < n {
        let ready = (0..n).filter(|&i| !placed[i] && works[i].after.is_none_or(|a| placed[a]));
        let best = ready
            .max_by(|&a, &b| works[a].yield_per_yuan().total_cmp(&works[b].yield_per_yuan()).then_with(|| works[b].name.cmp(&works[a].name)).then(b.cmp(&a)))
            .expect("a work whose predecessor is placed is always ready");
        placed[best] = true;
        order.push(best);
    }
    let mut slots: Vec<Option<Work>> = works.into_iter().map(Some).collect();
    let (mut kept, mut left, mut spent) = (Vec::new(), Vec::new(), 0.0);
    for i in order {
        let w = slots[i].take().expect("each work is placed once");
        if left.is_empty() && budget.is_none_or(|b| spent + w.cost <= b) {
            spent += w.cost;
            kept.push(Work { rank: kept.len() + 1, ..w });
        } else {
            left.push(w);
        }
    }
    (kept, left)
}

/// The scenario the ranked `works` add to `base`: ids given in rank order (`PLAN-F0001` cables,
/// `PLAN-B0001` boxes, `PLAN-S001` sites with cells `PLAN-S001-1` …), numbered on from the
/// plan ids `base` already holds.
pub fn scenario(base: &ScenarioSpec, works: &[Work]) -> ScenarioSpec {
    let mut s = base.clone();
    // Numbers go on from those an earlier plan, accepted into `base`, already used.
    let last = |ids: &mut dyn Iterator<Item = &str>, prefix: &str| {
        ids.filter_map(|id| id.strip_prefix(prefix)?.split('-').next()?.parse::<usize>().ok()).max().unwrap_or(0)
    };
    let mut cables = last(&mut base.cables.iter().map(|c| c.id.as_str()), "PLAN-F");
    let mut boxes = last(&mut base.access_points.iter().map(|a| a.id.as_str()), "PLAN-B");
    let mut sites = last(&mut base.sectors.iter().map(|c| c.site.as_str()), "PLAN-S");
    for w in works {
        for route in &w.builds.cables {
            cables += 1;
            s.cables.push(ScenarioCable { id: format!("PLAN-F{cables:04}"), route: route.clone() });
        }
        for ap in &w.builds.access_points {
            boxes += 1;
            s.access_points.push(ScenarioAccessPoint { id: format!("PLAN-B{boxes:04}"), ..ap.clone() });
        }
        for ap in &w.builds.replaced_access_points {
            s.removed_access_points.push(ap.id.clone());
            s.access_points.push(ap.clone());
        }
        let mut site_of: BTreeMap<String, String> = BTreeMap::new();
        for (k, sec) in w.builds.sectors.iter().enumerate() {
            let site = site_of
                .entry(sec.site.clone())
                .or_insert_with(|| {
                    sites += 1;
                    format!("PLAN-S{sites:03}")
                })
                .clone();
            s.sectors.push(ScenarioSector { cell: format!("{site}-{}", k + 1), site, ..sec.clone() });
        }
    }
    s
}

#[cfg(test)]
mod tests {
    use super::*;

    fn work(name: &str, hh: f64, cost: f64, after: Option<usize>) -> Work {
        Work {
            rank: 0,
            kind: WorkKind::Fiber,
            name: name.into(),
            villages: vec![],
            households: hh,
            cost,
            quantities: BTreeMap::new(),
            points: vec![],
            builds: Builds::default(),
            flags: vec![],
            alternatives: vec![],
            after,
        }
    }

    #[test]
    fn ids_go_on_from_an_accepted_plan() {
        let mut w = work("a", 1.0, 1.0, None);
        w.builds.cables.push(vec![[112.0, 23.0], [112.1, 23.0]]);
        let once = scenario(&ScenarioSpec::default(), std::slice::from_ref(&w));
        let twice = scenario(&once, &[w]);
        assert_eq!(twice.cables.iter().map(|c| c.id.as_str()).collect::<Vec<_>>(), vec!["PLAN-F0001", "PLAN-F0002"]);
    }

    #[test]
    fn ranked_by_yield_never_before_what_they_build_on_and_cut_by_budget() {
        // b yields most but builds on c, the worst.
        let works = vec![work("a", 10.0, 100.0, None), work("b", 100.0, 100.0, Some(2)), work("c", 1.0, 100.0, None)];
        let (kept, left) = rank(works.clone(), None);
        assert_eq!(kept.iter().map(|w| w.name.as_str()).collect::<Vec<_>>(), vec!["a", "c", "b"]);
        assert_eq!(kept.iter().map(|w| w.rank).collect::<Vec<_>>(), vec![1, 2, 3]);
        assert!(left.is_empty());
        let (kept, left) = rank(works, Some(250.0));
        assert_eq!(kept.iter().map(|w| w.name.as_str()).collect::<Vec<_>>(), vec!["a", "c"]);
        assert_eq!(left.len(), 1);
    }
}
