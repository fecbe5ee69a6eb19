//! What-if edits of sectors: the radio updated only around the edited sectors matches a full
//! computation of the edited project (best servers and RSRP exactly, SINR within a quarter of a
//! decibel), and so do the verdicts.

use covplan_core::analysis::gaps;
use covplan_core::analysis::{run_after_edit, run_with_coverage};
use covplan_core::coverage::radio::{self, Needs, engine};
use covplan_core::project::{Project, ScenarioSector, ScenarioSpec};
use covplan_core::targets::profile::Profile;

/// Sector 0 moved 300 m north and turned, sector 10 removed, a new NR sector on an existing
/// channel of the same operator as sector 20.
fn edit(p: &Project) -> ScenarioSpec {
    let s0 = &p.data.sectors[0];
    let mut moved = ScenarioSector::of(s0);
    moved.lat += 300.0 / 111_320.0;
    moved.azimuth_deg = Some(moved.azimuth_deg.unwrap_or(0.0) + 40.0);
    let nr = p.data.sectors.iter().find(|s| s.tech == covplan_core::model::Tech::Nr).expect("the sample has NR sectors");
    let mut added = ScenarioSector::of(nr);
    added.cell = "新增NR小区".into();
    added.lon += 0.01;
    added.lat -= 0.01;
    ScenarioSpec { removed: vec![s0.cell.clone(), p.data.sectors[10].cell.clone()], sectors: vec![moved, added], ..Default::default() }
}

#[test]
fn radio_around_an_edit_equals_the_full_computation() {
    let p = Project::load(&crate::common::sample("project.toml")).unwrap();
    let np = p.with_scenario(&edit(&p));
    let s = &p.file.coverage.radio;
    let needs = Needs::all(&p);
    let before = radio::compute(&p, s);
    let full = radio::compute(&np, s);
    let (partial, _) = radio::recompute_after_edit(&p, before.clone(), &np, s, &needs).expect("a local edit is recomputed locally");
    assert_same_links(&partial, &full, "after the edit");
    // The edit did change something, and not everything (so the check above has teeth).
    let changed = before.buildings.iter().zip(&full.buildings).filter(|(a, b)| a.iter().map(|l| l.rsrp_dbm).ne(b.iter().map(|l| l.rsrp_dbm))).count();
    assert!(changed > 100 && changed < p.data.buildings.len() / 2, "{changed} buildings changed");

    // A second edit on top of the first (a further sector moved 200 m east) starts from the
    // first recomputation, terrain carried over included, and still equals the full computation.
    let mut spec = edit(&p);
    let s5 = &p.data.sectors[5];
    let mut moved = ScenarioSector::of(s5);
    moved.lon += 200.0 / 102_000.0;
    spec.removed.push(s5.cell.clone());
    spec.sectors.push(moved);
    let np2 = p.with_scenario(&spec);
    let (partial2, _) = radio::recompute_after_edit(&np, partial, &np2, s, &needs).expect("a local edit is recomputed locally");
    assert_same_links(&partial2, &radio::compute(&np2, s), "after the second edit");
}

/// The links of `partial` match `full`'s at buildings, villages and FWA: the same best servers
/// with the same RSRP and evidence, SINR within a quarter of a decibel (an edited sector's
/// interference is counted at the place itself, a full computation sums far sectors at cell
/// centres; measured: 0.11 dB at most), and the same households per sector.
fn assert_same_links(partial: &engine::RadioResults, full: &engine::RadioResults, when: &str) {
    assert_eq!(partial.operators, full.operators);
    let (mut worst, mut sum, mut n) = (0.0f64, 0.0, 0);
    for (what, a, b) in [("buildings", &partial.buildings, &full.buildings), ("villages", &partial.villages, &full.villages), ("FWA", &partial.fwa, &full.fwa)]
    {
        assert_eq!(a.len(), b.len());
        for (i, (a, b)) in a.iter().zip(b).enumerate() {
            let without_interference = |l: &engine::LinkResult| engine::LinkResult { interference_mw: 0.0, ..l.clone() };
            assert!(a.iter().map(without_interference).eq(b.iter().map(without_interference)), "{what} {i} {when}: {a:?} != {b:?}");
            for (a, b) in a.iter().zip(b) {
                let d = (a.sinr_db(0.0) - b.sinr_db(0.0)).abs();
                worst = worst.max(d);
                sum += d;
                n += 1;
            }
        }
    }
    eprintln!("{when}: SINR differs by {:.4} dB on average, {worst:.4} dB at most ({n} links)", sum / n as f64);
    assert!(worst < 0.25 && sum / (n as f64) < 0.001, "{when}: SINR differs by up to {worst} dB");
    assert_eq!(partial.households_per_sector, full.households_per_sector, "{when}");
}

#[test]
fn verdicts_after_an_edit_equal_a_full_analysis() {
    let p = Project::load(&crate::common::sample("project.toml")).unwrap();
    let np = p.with_scenario(&edit(&p));
    // hunan-2020 asks for household rates: radio at every building, the busy-hour share included.
    // A village's verdict counts its buildings' mobile rates: villages whose own point is out of
    // the edit's reach are judged again when their buildings are not.
    const VILLAGE_RATES: &str = r#"
[profile]
id = "village-rates"
title = "test"
reference = "test"
document = "test"
year = 2020

[[target]]
id = "t.village_rates"
text = "自然村家庭移动宽带速率达到100Mbps"
gloss = "households of every village get 100 Mb/s by 4G, 5G or FWA"
cites = "test"
applies_to = "villages"
require = { kind = "capability", mbps = 100, by = ["lte", "nr", "fwa"] }
"#;
    for id in ["zhaoqing-2020", "hunan-2020", "village-rates"] {
        let profile = || match id {
            "village-rates" => Profile::parse(VILLAGE_RATES, std::path::Path::new("village-rates.toml")).unwrap(),
            _ => Profile::load(id).unwrap().0,
        };
        let (previous, before) = run_with_coverage(&p, profile(), id.into()).unwrap();
        // Only the places whose links changed are judged again.
        let (fast, _) = run_after_edit(&p, before, Some(&previous), &np, profile(), id.into()).unwrap();
        let (full, _) = run_with_coverage(&np, profile(), id.into()).unwrap();
        let moved = previous.targets.iter().zip(&full.targets).map(|(a, b)| a.places.iter().zip(&b.places).filter(|(x, y)| x != y).count()).sum::<usize>();
        assert!(moved > 0, "{id}: the edit changes some verdicts (so the check below has teeth)");
        let (mut places, mut worded_otherwise) = (0, 0);
        for (a, b) in fast.targets.iter().zip(&full.targets) {
            assert_eq!(a.places.len(), b.places.len(), "{id} {}", a.target.id);
            for (x, y) in a.places.iter().zip(&b.places) {
                let same = (&x.place, &x.outcome.state, &x.outcome.reason, x.households, x.weight);
                assert_eq!(same, (&y.place, &y.outcome.state, &y.outcome.reason, y.households, y.weight), "{id} {}", a.target.id);
                places += 1;
                worded_otherwise += usize::from(x.outcome.evidence != y.outcome.evidence);
            }
            assert_eq!(a.areas, b.areas, "{id} {}", a.target.id);
        }
        // The gaps of targets the edit left alone are carried over: the same list as built anew.
        let unchanged = fast.targets.iter().zip(&previous.targets).filter(|(a, b)| a.places == b.places && a.areas == b.areas).count();
        assert!(unchanged > 0 || id == "village-rates", "{id}: some target keeps its verdicts");
        let carried = gaps::gaps_after_edit(&np, &fast, &previous, &gaps::gaps(&p, &previous));
        assert!(carried == gaps::gaps(&np, &fast), "{id}: carried gaps equal the gaps built anew");
        // Evidence may word an SINR a tenth of a decibel apart.
        assert!(worded_otherwise * 1000 < places, "{id}: {worded_otherwise} of {places} verdicts worded otherwise");
        eprintln!("{id}: {worded_otherwise} of {places} verdicts worded otherwise");
    }
}

/// On a map where every sector is within 400 m of every building (so a full computation
/// evaluates each link at the building itself, as the update does), each kind of edit gives the
/// full computation's links up to rounding: a sector that only interferes removed, the best
/// server removed (computed in full), a stronger sector added (it takes over), a weaker one
/// added, and the best server moved away.
#[test]
fn each_kind_of_edit_matches_the_full_computation_on_a_small_map() {
    use crate::common::map::Map;
    let mut m = Map::new();
    for k in 0..12 {
        m.building(2.0, k as f64 * 25.0, 0.0);
    }
    let west = m.lte_sector("移动", None, 0.0, 120.0);
    let east = m.lte_sector("移动", None, 275.0, 120.0);
    let south = m.lte_sector("移动", None, 140.0, -150.0);
    m.lte_sector("电信", None, 150.0, 60.0);
    let p = m.project();
    let s = &p.file.coverage.radio;
    let needs = Needs::all(&p);
    let cell = |i: usize| p.data.sectors[i].cell.clone();
    let at = |i: usize, dx: f64, dy: f64, name: &str| {
        let mut x = ScenarioSector::of(&p.data.sectors[i]);
        x.cell = name.into();
        x.lon += dx / 102_000.0;
        x.lat += dy / 111_320.0;
        x
    };
    let edits = [
        ("an interferer removed", ScenarioSpec { removed: vec![cell(south)], ..Default::default() }),
        ("a best server removed", ScenarioSpec { removed: vec![cell(west)], ..Default::default() }),
        ("a stronger sector added", ScenarioSpec { sectors: vec![at(west, 10.0, -110.0, "新增1")], ..Default::default() }),
        ("a weaker sector added", ScenarioSpec { sectors: vec![at(south, 0.0, -150.0, "新增2")], ..Default::default() }),
        ("a best server moved away", ScenarioSpec { removed: vec![cell(east)], sectors: vec![at(east, 0.0, 250.0, "S1-1")], ..Default::default() }),
    ];
    let before = radio::compute(&p, s);
    for (what, spec) in edits {
        let np = p.with_scenario(&spec);
        let (partial, changed) = radio::recompute_after_edit(&p, before.clone(), &np, s, &needs).expect("a local edit");
        let full = radio::compute(&np, s);
        assert!(changed.buildings.iter().any(|&c| c), "{what}: some building changed");
        for (b, (a, f)) in partial.buildings.iter().zip(&full.buildings).enumerate() {
            assert_eq!(a.len(), f.len(), "{what}: building {b}");
            for (a, f) in a.iter().zip(f) {
                assert_eq!((a.sector, a.rsrp_dbm), (f.sector, f.rsrp_dbm), "{what}: building {b}");
                let rel = (a.interference_mw - f.interference_mw).abs() / f.interference_mw.max(1e-30);
                assert!(rel < 1e-9, "{what}: building {b} interference {} vs {}", a.interference_mw, f.interference_mw);
            }
        }
        assert_eq!(partial.households_per_sector, full.households_per_sector, "{what}");
    }
}
