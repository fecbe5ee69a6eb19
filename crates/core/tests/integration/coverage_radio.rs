//! The mobile link on hand-built maps with values computed by hand from docs/DOMAIN.md,
//! and on the sample county against an exhaustive evaluation.

use crate::common::map::Map;
use covplan_core::coverage::RadioSettings;
use covplan_core::coverage::radio::{
    self,
    engine::{Environment, RadioModel, Receiver},
};
use covplan_core::model::VillageKind;

#[test]
fn one_omni_sector_by_hand() {
    let mut m = Map::new();
    m.lte_sector("移动", None, 0.0, 0.0);
    let b = m.building(1.0, 500.0, 0.0);
    let far = m.building(1.0, 15_000.0, 0.0);
    m.village("村", VillageKind::Natural, Some(30.0), 520.0, 0.0);
    let p = m.project();
    let s = RadioSettings::default();
    let r = radio::compute(&p, &s);
    let model = RadioModel::new(&p, &s);
    let l = &r.buildings[b][0];
    // RS power 46 − 10·log10(1200) = 15.208 dBm; +15 dBi; RMa LOS (500 m < 703 m) PL1 at
    // d3D = 500.81 m, 1.8425 GHz, h = 5 m: 93.033 dB → RSRP −62.825 dBm.
    assert!(l.los && l.in_range);
    assert!((l.path_loss_db - 93.032_786).abs() < 1e-5, "{}", l.path_loss_db);
    assert!((l.rsrp_dbm + 62.824_598).abs() < 1e-5, "{}", l.rsrp_dbm);
    let e = model.evaluate(l, 0.0);
    assert!(e.covered && e.sinr_db > 50.0, "{e:?}");
    // Indoors: low-loss O2I at 1.8425 GHz plus 5 m inside.
    let indoor = model.evaluate(l, model.indoor_loss_db(l));
    assert!(indoor.rsrp_dbm < e.rsrp_dbm - 10.0);
    assert_eq!(l.evidence(&p, &e), format!("RSRP -62.8 dBm, SINR {:.1} dB (移动 LTE 1842.5 MHz, sector S0-1, 0.50 km, RMa LOS)", e.sinr_db));
    // 15 km away the sector is out of reach or far under the threshold.
    assert!(r.buildings[far].iter().all(|l| !model.evaluate(l, 0.0).covered));
}

#[test]
fn symmetric_sectors_give_symmetric_results() {
    let mut m = Map::new();
    let a = m.lte_sector("移动", Some(90.0), -1000.0, 0.0);
    m.lte_sector("移动", Some(270.0), 1000.0, 0.0);
    let mid = m.building(1.0, 0.0, 300.0);
    let left = m.building(1.0, -400.0, 300.0);
    let right = m.building(1.0, 400.0, 300.0);
    let p = m.project();
    let s = RadioSettings::default();
    let r = radio::compute(&p, &s);
    let model = RadioModel::new(&p, &s);
    // Equal signals: the lower index serves; SINR = S / (0.5·S + N). By hand: S = −98.119 dBm
    // (RMa NLOS 127.242 dB, pattern −0.792 − 0.293 dB), N = −123.239 dBm → SINR 2.984 dB.
    let l = &r.buildings[mid][0];
    assert_eq!(l.sector, a);
    assert!((l.rsrp_dbm + 98.118_788).abs() < 1e-4, "{}", l.rsrp_dbm);
    assert!((model.evaluate(l, 0.0).sinr_db - 2.983_665).abs() < 1e-4);
    // Mirror images: same RSRP and SINR, served by the mirrored sector.
    let (l1, l2) = (&r.buildings[left][0], &r.buildings[right][0]);
    assert!((l1.rsrp_dbm - l2.rsrp_dbm).abs() < 1e-6);
    assert!((model.evaluate(l1, 0.0).sinr_db - model.evaluate(l2, 0.0).sinr_db).abs() < 1e-6);
    assert_ne!(l1.sector, l2.sector);
}

#[test]
fn a_village_behind_a_ridge_comes_out_worse_than_on_the_open_slope() {
    let mut m = Map::new();
    m.lte_sector("移动", None, 0.0, 0.0);
    // A 150 m ridge 1 km east of the site, running from y = −3 km to y = 0: the valley behind it
    // (y < 0) is shadowed, the slope north of its end (y > 0) is open.
    m.terrain(-500.0, -3000.0, 4000.0, 3000.0, 30.0, |x, y| if (900.0..1100.0).contains(&x) && y < 0.0 { 150.0 } else { 20.0 });
    let behind = m.village("背村", VillageKind::Natural, Some(40.0), 2500.0, -1500.0);
    let open = m.village("阳村", VillageKind::Natural, Some(40.0), 2500.0, 1500.0);
    let p = m.project();
    let s = RadioSettings::default();
    let r = radio::compute(&p, &s);
    let (lb, lo) = (&r.villages[behind][0], &r.villages[open][0]);
    assert_eq!(lo.terrain_db, 0.0);
    // Same distance, same model: the whole difference is the ridge, well over 10 dB.
    assert!((lb.distance_m - lo.distance_m).abs() < 1e-6);
    assert!(lb.terrain_db > 10.0, "{}", lb.terrain_db);
    assert!((lo.rsrp_dbm - lb.rsrp_dbm - lb.terrain_db).abs() < 1e-3, "{} {} {}", lo.rsrp_dbm, lb.rsrp_dbm, lb.terrain_db);
}

#[test]
fn pruning_keeps_every_best_server_on_the_sample_county() {
    let p = covplan_core::project::Project::load(&crate::common::sample("project.toml")).unwrap();
    let s = RadioSettings::default();
    let fast = RadioModel::new(&p, &s);
    let mut exhaustive = RadioModel::new(&p, &s);
    exhaustive.set_exhaustive(true);
    for &[x, y] in p.index.building_xy.iter().step_by(997) {
        for env in [Environment::Rural, Environment::Urban] {
            let (a, b) = (fast.links_at(x, y, env, &Receiver::handset(&s), None), exhaustive.links_at(x, y, env, &Receiver::handset(&s), None));
            for l in &b {
                if fast.evaluate(l, 0.0).rsrp_dbm < -125.0 {
                    continue; // under the noise: pruning may drop it
                }
                let f = a.iter().find(|f| f.operator == l.operator && f.tech == l.tech).expect("best server kept");
                assert_eq!(f.sector, l.sector);
                assert!((f.rsrp_dbm - l.rsrp_dbm).abs() < 1e-9);
                // Interferers left out (each 16 dB under the noise) move SINR by well under 0.5 dB.
                let diff = (fast.evaluate(f, 0.0).sinr_db - exhaustive.evaluate(l, 0.0).sinr_db).abs();
                assert!(diff < 0.5, "SINR differs by {diff} dB at ({x}, {y})");
            }
        }
    }
}

#[test]
fn far_and_mid_sums_keep_every_best_server_exact() {
    let p = covplan_core::project::Project::load(&crate::common::sample("project.toml")).unwrap();
    let s = RadioSettings::default();
    // Every 211th building: with the far sums, and exactly.
    let mut needs = radio::Needs::all(&p);
    needs.buildings = (0..p.data.buildings.len()).map(|i| i % 211 == 0).collect();
    let r = radio::compute_for(&p, &s, &needs);
    let m = RadioModel::new(&p, &s).with_village_terrain();
    let (mut compared, mut worst, mut sum) = (0, 0.0f64, 0.0f64);
    for (i, b) in p.data.buildings.iter().enumerate().filter(|(i, _)| i % 211 == 0) {
        let [x, y] = p.index.building_xy[i];
        // The environment is the village's, decided at its point.
        let env = match b.village {
            Some(v) => {
                let (vx, vy) = p.frame.forward(p.data.villages[v].location.x(), p.data.villages[v].location.y());
                m.environment(vx, vy, p.data.villages[v].urban_rural_code)
            }
            None => m.environment(x, y, None),
        };
        let exact = m.links_at(x, y, env, &Receiver::handset(&s), b.village);
        for e in &exact {
            if e.rsrp_dbm < -125.0 {
                continue; // under the noise: pattern pruning at the cell centre may drop it, as at the building
            }
            let f = r.buildings[i].iter().find(|f| (f.operator, f.tech) == (e.operator, e.tech)).expect("every operator and technology kept");
            assert_eq!(e.sector, f.sector, "building {i}: best server");
            assert!((e.rsrp_dbm - f.rsrp_dbm).abs() < 1e-9, "building {i}: RSRP is exact");
            let d = (m.evaluate(e, 0.0).sinr_db - m.evaluate(f, 0.0).sinr_db).abs();
            worst = worst.max(d);
            sum += d;
            compared += 1;
        }
    }
    assert!(compared > 1000, "{compared}");
    // Far links move by a couple of decibels across a cell, mid links (from 400 m) by up to
    // 6 dB across theirs, and their errors partly cancel (measured: worst 0.81 dB, mean
    // 0.073 dB; with mid sums from 800 m, worst 0.76 and mean 0.052; far sums alone, 0.037).
    let mean = sum / compared as f64;
    eprintln!("SINR: worst {worst:.3} dB, mean {mean:.4} dB over {compared} links");
    assert!(worst < 1.0 && mean < 0.08, "far and mid sums move SINR by {worst} dB at most, {mean} dB on average");
}

#[test]
fn deterministic_whatever_the_thread_count() {
    let p = covplan_core::project::Project::load(&crate::common::sample("project.toml")).unwrap();
    let s = RadioSettings::default();
    let one = rayon::ThreadPoolBuilder::new().num_threads(1).build().unwrap().install(|| radio::compute(&p, &s));
    let many = radio::compute(&p, &s);
    assert_eq!(one.buildings, many.buildings);
    assert_eq!(one.fwa, many.fwa);
    assert_eq!(one.villages, many.villages);
    assert_eq!(one.households_per_sector, many.households_per_sector);
}
