//! The coverage grid: cells agree with the link engine at their centres, cover only the
//! project's area, follow the rate basis, and come out the same whatever the thread count.

use crate::common::map::Map;
use covplan_core::coverage::RadioSettings;
use covplan_core::coverage::radio::grid::{RateBasis, compute_grid};
use covplan_core::coverage::radio::{
    self,
    engine::{RadioModel, Receiver},
};
use covplan_core::model::Tech;

#[test]
fn cells_equal_the_engine_at_their_centres_and_fade_with_distance() {
    let mut m = Map::new();
    m.lte_sector("移动", None, 0.0, 0.0);
    m.admin("县", -6000.0, -6000.0, 6000.0, 6000.0);
    let p = m.project();
    let s = RadioSettings { grid_cell_m: 200.0, ..Default::default() };
    let g = compute_grid(&p, &s, None);
    assert_eq!(g.rate, RateBasis::Peak);
    assert_eq!((g.cell_m, g.layers.len()), (200.0, 1));
    let l = g.layer("移动", Tech::Lte).expect("the operator's LTE layer");
    let model = RadioModel::new(&p, &s);
    let handset = Receiver::handset(&s);
    let mut checked = 0;
    for k in (0..g.nx * g.ny).filter(|&k| g.inside[k]) {
        let (x, y) = g.centre(k);
        let links = model.links_at(x, y, model.environment(x, y, None), &handset, None);
        match links.first() {
            Some(link) => {
                let e = model.evaluate(link, 0.0);
                assert!((l.rsrp_dbm[k] as f64 - e.rsrp_dbm).abs() < 1e-3, "cell {k}: {} vs {}", l.rsrp_dbm[k], e.rsrp_dbm);
                assert!((l.mbps[k] as f64 - e.peak_mbps).abs() < 1e-3 * e.peak_mbps.max(1.0));
                assert_eq!(l.sector[k], 0);
                checked += 1;
            }
            None => assert!(l.rsrp_dbm[k].is_nan() && l.sector[k] == u32::MAX),
        }
    }
    assert!(checked > 1000, "{checked} cells reached");
    // Along the row through the site, eastwards, RSRP never rises (one omni sector, flat land).
    let (_, y) = g.centre(g.cell_at(0.0, 0.0).unwrap());
    let row: Vec<f32> = (0..g.nx).map(|i| g.x0 + (i as f64 + 0.5) * g.cell_m).filter(|&x| x > 0.0).map(|x| l.rsrp_dbm[g.cell_at(x, y).unwrap()]).collect();
    let reached: Vec<f32> = row.iter().copied().take_while(|v| !v.is_nan()).collect();
    assert!(reached.len() > 10 && reached.windows(2).all(|w| w[1] <= w[0]), "{reached:?}");
    // Symmetric: the cells mirrored about the site's cell centre column and row agree.
    let k1 = g.cell_at(1_250.0, 850.0).unwrap();
    let k2 = g.cell_at(-1_250.0, -850.0).unwrap();
    let ((x1, y1), (x2, y2)) = (g.centre(k1), g.centre(k2));
    let (d1, d2) = (x1.hypot(y1), x2.hypot(y2));
    assert!((d1 - d2).abs() < 1e-6, "{d1} {d2}");
    assert!((l.rsrp_dbm[k1] - l.rsrp_dbm[k2]).abs() < 1e-3);
}

#[test]
fn only_cells_inside_the_admin_areas_are_computed() {
    let mut m = Map::new();
    m.lte_sector("移动", None, 0.0, 0.0);
    // Two townships, the second holding a hole-free square; cells between them stay out.
    m.admin("甲镇", -2000.0, -2000.0, 0.0, 2000.0);
    m.admin("乙镇", 1000.0, -1000.0, 3000.0, 1000.0);
    let p = m.project();
    let s = RadioSettings { grid_cell_m: 100.0, ..Default::default() };
    let g = compute_grid(&p, &s, None);
    // 20 × 40 + 20 × 20 cells of 100 m (the squares' edges are 1e-9 m off the lattice at most).
    let inside = g.inside.iter().filter(|&&b| b).count();
    assert!((1195..=1205).contains(&inside), "{inside}");
    let l = &g.layers[0];
    for (x, y, expect) in [(-1950.0, 1950.0, true), (500.0, 0.0, false), (2950.0, -950.0, true), (2950.0, 1050.0, false)] {
        let k = g.cell_at(x, y).unwrap();
        assert_eq!(g.inside[k], expect, "({x}, {y})");
        assert_eq!(!l.rsrp_dbm[k].is_nan(), expect, "({x}, {y})");
    }
}

#[test]
fn the_rate_is_a_households_busy_hour_share_when_households_are_known() {
    let mut m = Map::new();
    m.lte_sector("移动", None, 0.0, 0.0);
    m.building(100.0, 300.0, 0.0);
    m.admin("县", -3000.0, -3000.0, 3000.0, 3000.0);
    let p = m.project();
    let s = RadioSettings { grid_cell_m: 250.0, ..Default::default() };
    let r = radio::compute(&p, &s);
    assert_eq!(r.households_per_sector, vec![100.0]);
    let peak = compute_grid(&p, &s, None);
    let shared = compute_grid(&p, &s, Some(&r.households_per_sector));
    assert_eq!(shared.rate, RateBasis::HouseholdBusyHour);
    let k = peak.cell_at(600.0, 600.0).unwrap();
    // One operator (all the subscribers), 100 households × 2 % busy-hour activity = 2 active at once.
    let (a, b) = (peak.layers[0].mbps[k], shared.layers[0].mbps[k]);
    assert!(a > 10.0 && (a / 2.0 - b).abs() < 1e-3 * a, "{a} {b}");
}

#[test]
fn the_sample_county_grid_is_plausible_and_independent_of_threads() {
    let p = covplan_core::project::Project::load(&covplan_core::sample::sample_project_path()).unwrap();
    let s = RadioSettings { grid_cell_m: 500.0, ..p.file.coverage.radio.clone() };
    let g = compute_grid(&p, &s, None);
    let one = rayon::ThreadPoolBuilder::new().num_threads(1).build().unwrap().install(|| compute_grid(&p, &s, None));
    // Bit for bit (NaN marks cells no sector reaches, and NaN ≠ NaN).
    let bits = |g: &covplan_core::coverage::radio::grid::CoverageGrid| -> Vec<u32> {
        g.layers.iter().flat_map(|l| l.rsrp_dbm.iter().chain(&l.sinr_db).chain(&l.mbps).map(|v| v.to_bits()).chain(l.sector.iter().copied())).collect()
    };
    assert!(bits(&g) == bits(&one) && g.inside == one.inside, "the grid depends on the thread count");
    // 四会市 is about 1 260 km²: some 5 000 cells of 0.25 km² inside its townships.
    let inside = g.inside.iter().filter(|&&b| b).count();
    assert!((4_500..=5_600).contains(&inside), "{inside}");
    for l in &g.layers {
        let share = g.covered_share(l, &s);
        let (lo, hi) = if l.tech == Tech::Lte { (0.4, 0.98) } else { (0.03, 0.5) };
        assert!((lo..=hi).contains(&share), "{} {:?}: {share}", g.operators[l.operator as usize], l.tech);
    }
}
