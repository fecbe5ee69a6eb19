//! Fiber reach, ports, optical budget and capability on a hand-built map with known answers.

use crate::common::map::Map;
use covplan_core::coverage::FiberSettings;
use covplan_core::coverage::fiber::{self, NotServed};
use covplan_core::model::{AccessTech, VillageKind};

#[test]
fn every_reason_and_capability() {
    let mut m = Map::new();
    let ap_ok = m.access_point(AccessTech::Gpon, Some(64), Some((16, 10)), 0.0, 0.0);
    let ap_full = m.access_point(AccessTech::Gpon, Some(32), Some((16, 16)), 1000.0, 0.0);
    let ap_128 = m.access_point(AccessTech::Gpon, Some(128), Some((16, 2)), 2000.0, 0.0);
    let ap_xgs = m.access_point(AccessTech::XgsPon, None, None, 3000.0, 0.0);
    let served = m.building(1.0, 100.0, 0.0);
    let full = m.building(1.0, 1100.0, 0.0);
    let budget = m.building(1.0, 2100.0, 0.0);
    let assumed = m.building(1.0, 3000.0, 200.0);
    let far = m.building(1.0, 6000.0, 0.0);
    let p = m.project();

    // 5 dB of margin pushes GPON 1:128 (23.5 dB) over the B+ budget of 28 dB; 1:64 stays inside.
    let s = FiberSettings { margin_db: 5.0, ..Default::default() };
    let r = fiber::compute(&p, &s);

    let l = r.buildings[served].ftth.as_ref().unwrap();
    assert_eq!(l.ap, ap_ok);
    assert!((l.drop_m - 100.0).abs() < 0.01, "{}", l.drop_m);
    // 20.5 (1:64) + 0.35 × 0.1 km + 5 margin = 25.535 dB of a 28 dB budget.
    assert!((l.loss_db - 25.535).abs() < 1e-4, "{}", l.loss_db);
    assert!((l.capability_mbps - 167.184).abs() < 1e-6);

    assert_eq!(r.buildings[full].ftth, Err(NotServed::NoFreePort { ap: ap_full }));
    match &r.buildings[budget].ftth {
        Err(NotServed::OverBudget { ap, loss_db, budget_db }) => {
            assert_eq!(*ap, ap_128);
            assert!((loss_db - 28.535).abs() < 1e-3 && *budget_db == 28.0, "{loss_db}");
        }
        other => panic!("{other:?}"),
    }
    // No split in the layer: 1:64 assumed and said so; XGS-PON capability 668.736 Mb/s.
    let l = r.buildings[assumed].ftth.as_ref().unwrap();
    assert_eq!((l.ap, l.split, l.split_assumed), (ap_xgs, 64, true));
    assert!((l.capability_mbps - 668.736).abs() < 1e-6);
    match &r.buildings[far].ftth {
        Err(NotServed::TooFar { nearest: Some((ap, d)) }) => assert!(*ap == ap_xgs && (d - 3000.0).abs() < 0.1, "{d}"),
        other => panic!("{other:?}"),
    }
    // The evidence a planner reads.
    assert_eq!(r.buildings[served].evidence(&p, &s), "FTTH by AP0 at 100 m, GPON 1:64, 167 Mb/s per household, loss 25.5/28 dB");
    assert_eq!(r.buildings[full].evidence(&p, &s), "AP1 in reach has no free port (16/16 used)");
    assert_eq!(r.buildings[budget].evidence(&p, &s), "AP2 in reach but loss 28.5 dB > 28 dB budget");
    assert_eq!(r.buildings[far].evidence(&p, &s), "nearest fiber access point AP3 3.00 km > 300 m drop distance");
    // Without the margin, the 1:128 box serves: 23.5 + 0.035 < 28.
    let r0 = fiber::compute(&p, &FiberSettings::default());
    assert_eq!(r0.buildings[budget].ftth.as_ref().unwrap().ap, ap_128);
}

#[test]
fn villages_connect_by_point_or_polygon() {
    let mut m = Map::new();
    m.cable(&[(0.0, 0.0), (0.0, 5000.0)]);
    let near_point = m.village("近村", VillageKind::Natural, Some(27.0), 200.0, 2000.0);
    let far_point = m.village("远村", VillageKind::Natural, Some(27.0), 450.0, 1000.0);
    let far_area = m.village_area("远片", 40.0, 1000.0, 3000.0, 1400.0, 3400.0);
    // A polygon whose point is 350 m away but whose edge is 250 m from the cable.
    let edge_near = m.village_area("边村", 40.0, 250.0, 1500.0, 450.0, 1700.0);
    let crossed = m.village_area("穿村", 25.0, -100.0, 4000.0, 100.0, 4100.0);
    let p = m.project();
    let r = fiber::compute(&p, &FiberSettings::default());
    let d = |v: usize| r.villages[v].network_distance_m.unwrap();
    assert!((d(near_point) - 200.0).abs() < 0.01 && r.villages[near_point].connected);
    assert!((d(far_point) - 450.0).abs() < 0.01 && !r.villages[far_point].connected);
    assert!((d(far_area) - 1000.0).abs() < 0.01 && !r.villages[far_area].connected);
    assert!((d(edge_near) - 250.0).abs() < 0.01 && r.villages[edge_near].connected, "{}", d(edge_near));
    assert!(d(crossed) < 1e-6 && r.villages[crossed].connected);
    // The summary counts them: 3 of 5 natural villages, all of them with 20+ households.
    let settings = covplan_core::coverage::CoverageSettings::default();
    let radio = covplan_core::coverage::radio::compute(&p, &settings.radio);
    let sum = covplan_core::coverage::summary::summarize(&p, &r, &radio, &settings);
    assert_eq!(sum.fiber_natural_villages_connected, 0.6);
    assert_eq!(sum.fiber_villages20_connected, 0.6);
    assert!(sum.mobile.is_empty());
}

#[test]
fn sample_county_fiber_is_plausible() {
    let p = covplan_core::project::Project::load(&crate::common::sample("project.toml")).unwrap();
    let r = fiber::compute(&p, &FiberSettings::default());
    let nat: Vec<usize> = (0..p.data.villages.len()).filter(|&v| p.data.villages[v].kind == VillageKind::Natural).collect();
    let connected = nat.iter().filter(|&&v| r.villages[v].connected).count() as f64 / nat.len() as f64;
    assert!((0.3..0.95).contains(&connected), "{connected}");
    let served = r.buildings.iter().filter(|b| b.ftth.is_ok()).count() as f64 / r.buildings.len() as f64;
    assert!((0.2..0.95).contains(&served), "{served}");
    // Every reason occurs in the county.
    assert!(r.buildings.iter().any(|b| matches!(b.ftth, Err(NotServed::NoFreePort { .. }))));
    assert!(r.buildings.iter().any(|b| matches!(b.ftth, Err(NotServed::TooFar { .. }))));
}
