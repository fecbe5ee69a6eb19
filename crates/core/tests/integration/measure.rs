//! Measurements against predictions on the sample county, whose drive test (路测.csv) was made
//! by `measure::synthetic` from a perturbed model with a known truth (`Truth::sample`).

use super::common::sample;
use covplan_core::measure::calibrate::CalibrationSettings;
use covplan_core::measure::report;
use covplan_core::measure::synthetic::Truth;
use covplan_core::project::Project;

/// Calibration on the sample's drive test finds the injected corrections again (offset within
/// 0.5 dB, slope within 1.5 dB per decade: the shadowing is σ 8 dB and correlated along the
/// roads), lowers the held-out RMSE in both environments to about the shadowing's σ, and the
/// calibrated model's errors have no bias left.
#[test]
fn calibration_recovers_the_injected_truth_on_the_sample() {
    let p = Project::load(&sample("project.toml")).unwrap();
    assert!(p.data.measurements.len() > 10_000, "{}", p.data.measurements.len());
    let c = report::run(&p, &CalibrationSettings::default()).unwrap();
    assert!(c.unpaired.is_empty(), "{:?}", &c.unpaired[..c.unpaired.len().min(3)]);
    let truth = Truth::sample();
    for f in &c.fits {
        let want = if format!("{:?}", f.environment) == "Urban" { truth.urban } else { truth.rural };
        assert!(f.applied, "{f:?}");
        assert!((f.correction.offset_db - want.offset_db).abs() < 0.5, "{f:?} vs {want:?}");
        assert!((f.correction.slope_db_per_decade - want.slope_db_per_decade).abs() < 1.5, "{f:?} vs {want:?}");
        let (before, after) = (f.before.unwrap().rmse_db, f.after.unwrap().rmse_db);
        assert!(after < before - 0.5, "held-out RMSE {before} → {after}");
        assert!((after - truth.shadow_sigma_db).abs() < 1.0, "{after}");
    }
    let overall = |rows: &[covplan_core::measure::stats::GroupStats]| rows.iter().find(|r| r.by == "all").unwrap().stats;
    assert!(overall(&c.rsrp_before).mean_db.abs() > 1.0);
    assert!(overall(&c.rsrp_after).mean_db.abs() < 0.3, "{:?}", overall(&c.rsrp_after));
    // Every grouping is there, by operator for each of the three.
    for by in ["operator", "technology", "environment", "distance", "matched by"] {
        assert!(c.rsrp_before.iter().any(|r| r.by == by), "{by}");
    }
    assert_eq!(c.rsrp_before.iter().filter(|r| r.by == "operator").count(), 3);

    // The printed page: the statistics, the fits, both plots and the challenges' heading.
    let page = covplan_core::report::measure_page::page(&p, &c, &[], "2026-12-06");
    for want in ["预测与实测比对", "15695 条比对", "留出检验 RMSE", "误差分布", "实测存疑的判定（0）"] {
        assert!(page.contains(want), "{want}");
    }
    assert!(page.matches("<circle").count() > 1000, "the scatter is drawn");

    // The files, and the calibration as the project file takes it.
    let dir = std::env::temp_dir().join(format!("covplan-compare-{}", std::process::id()));
    let files = c.write(&p, &dir).unwrap();
    assert_eq!(files.len(), 3);
    let csv = std::fs::read_to_string(dir.join("compare.csv")).unwrap();
    assert_eq!(csv.lines().count(), c.before.len() + 1);
    let mut text = std::fs::read_to_string(sample("project.toml")).unwrap();
    text.push('\n');
    text.push_str(&std::fs::read_to_string(dir.join("calibration.toml")).unwrap());
    let file = covplan_core::project::ProjectFile::parse(&sample("project.toml"), &text).unwrap();
    let cal = file.coverage.radio.calibration.unwrap();
    assert_eq!(cal.fitted_to, "路测.csv");
    assert_eq!(cal.sha256, covplan_core::fsutil::sha256_file(&sample("路测.csv")).unwrap().0);
    std::fs::remove_dir_all(&dir).unwrap();
}

/// Measurements matched by a cell name the site tables do not hold fall back to the best
/// server and say so; an operator with no sectors is not compared, with the reason.
#[test]
fn unknown_cells_fall_back_to_the_best_server_and_unknown_operators_are_listed() {
    let mut p = Project::load(&sample("project.toml")).unwrap();
    p.data.measurements.truncate(40);
    p.data.measurements[0].cell = Some("no such cell".into());
    p.data.measurements[1].operator = Some("中国广电".into());
    p.data.measurements[2].rsrp_dbm = None;
    p.data.measurements[2].sinr_db = None;
    let (pairs, unpaired) = covplan_core::measure::compare::compare(&p, &p.file.coverage.radio);
    assert_eq!(pairs.len(), 38, "{unpaired:?}");
    assert_eq!(pairs[0].matched, covplan_core::measure::compare::Matched::BestServer);
    assert!(pairs[1..].iter().all(|x| x.matched == covplan_core::measure::compare::Matched::CellId));
    assert_eq!(unpaired.len(), 2);
    assert!(unpaired[0].reason.contains("中国广电"), "{}", unpaired[0].reason);
    assert!(unpaired[1].reason.contains("no RSRP or SINR"), "{}", unpaired[1].reason);
}

/// The calibrated model is the one the analysis uses: each link's RSRP moves by the correction
/// at its distance, and an analysis under it differs.
#[test]
fn a_calibration_in_the_settings_moves_every_prediction_by_its_correction() {
    let p = Project::load(&sample("project.toml")).unwrap();
    let plain = p.file.coverage.radio.clone();
    let calibrated = Truth::sample().settings(&plain);
    let (a, _) = covplan_core::measure::compare::compare(&p, &plain);
    let (b, _) = covplan_core::measure::compare::compare(&p, &calibrated);
    let truth = Truth::sample();
    for (x, y) in a.iter().zip(&b).step_by(97) {
        assert_eq!((x.measurement, x.sector), (y.measurement, y.sector));
        let c = if format!("{:?}", x.environment) == "Urban" { truth.urban } else { truth.rural };
        let moved = y.predicted_rsrp_dbm - x.predicted_rsrp_dbm;
        assert!((moved - c.at(x.distance_m)).abs() < 1e-9, "{moved} vs {}", c.at(x.distance_m));
    }
}

/// A speed-test export with English headers is read column by column; bad values are reported
/// with their record and column, and read as missing.
#[test]
fn measurement_columns_are_detected_and_bad_values_named() {
    let dir = std::env::temp_dir().join(format!("covplan-measure-cols-{}", std::process::id()));
    std::fs::create_dir_all(&dir).unwrap();
    std::fs::write(
        dir.join("tests.csv"),
        "Timestamp,Longitude,Latitude,Operator,RAT,ECI,PCI,Serving RSRP (dBm),SS-SINR,DL Throughput (Mbps)\n\
         2026-10-12T09:00:00,112.70,23.35,CMCC,LTE,c1,12,-95.5,7.5,20.1\n\
         2026-10-12T09:00:01,112.70,23.35,CMCC,LTE,c1,12,abc,7.5,20.1\n\
         2026-10-12T09:00:02,112.70,23.35,CMCC,5G,c1,12,-10,99,-3\n",
    )
    .unwrap();
    std::fs::write(
        dir.join("p.toml"),
        "[project]\nname = \"t\"\n\n[[layers]]\nname = \"tests\"\nrole = \"measurements\"\npath = \"tests.csv\"\ncrs = \"EPSG:4326\"\n",
    )
    .unwrap();
    let p = Project::load(&dir.join("p.toml")).unwrap();
    let m = &p.data.measurements;
    assert_eq!(m.len(), 3);
    assert_eq!((m[0].rsrp_dbm, m[0].sinr_db, m[0].dl_mbps, m[0].pci), (Some(-95.5), Some(7.5), Some(20.1), Some(12)));
    assert_eq!((m[0].operator.as_deref(), m[0].cell.as_deref(), m[0].time.as_deref()), (Some("CMCC"), Some("c1"), Some("2026-10-12T09:00:00")));
    assert_eq!(m[2].tech, Some(covplan_core::model::Tech::Nr));
    assert_eq!((m[1].rsrp_dbm, m[2].rsrp_dbm, m[2].sinr_db, m[2].dl_mbps), (None, None, None, None));
    let warnings: Vec<String> = p.summaries.iter().flat_map(|s| s.warnings.iter().cloned()).collect();
    let find = |col: &str| warnings.iter().find(|w| w.contains(col)).unwrap_or_else(|| panic!("no warning on {col}: {warnings:?}")).clone();
    let rsrp = find("Serving RSRP (dBm)");
    assert!(rsrp.contains("record 2") && rsrp.contains("abc"), "{rsrp}");
    assert!(find("SS-SINR").contains("record 3"));
    assert!(find("DL Throughput (Mbps)").contains("negative"));
    std::fs::remove_dir_all(&dir).unwrap();
}

/// The rules of a challenge and of the calibration are settings of the project file; an
/// unknown key is an error naming its line.
#[test]
fn challenge_and_calibration_rules_are_project_settings() {
    let path = sample("project.toml");
    let text = std::fs::read_to_string(&path).unwrap()
        + "\n[measurements.challenge]\nmin_tests = 8\nshare = 0.6\nmax_age_days = 90\n\n[measurements.calibration]\nfolds = 10\n";
    let file = covplan_core::project::ProjectFile::parse(&path, &text).unwrap();
    let m = file.measurements;
    assert_eq!((m.challenge.min_tests, m.challenge.share, m.challenge.max_age_days, m.challenge.min_count), (8, 0.6, 90, 2));
    assert_eq!((m.calibration.folds, m.calibration.min_points), (10, 50));
    let bad = covplan_core::project::ProjectFile::parse(&path, &(text + "tests = 3\n")).unwrap_err().to_string();
    assert!(bad.contains("line") && bad.contains("tests"), "{bad}");
}

/// A township's own market shares replace the project's for its villages' buildings: every
/// China Mobile link there then carries all of the building's households instead of 57.2 %.
#[test]
fn a_townships_market_shares_load_its_sectors() {
    use covplan_core::coverage::radio;
    let p = Project::load(&sample("project.toml")).unwrap();
    let s = p.file.coverage.radio.clone();
    let code = p.data.admin_areas.iter().find(|a| a.name == "石狗镇").and_then(|a| a.code.clone()).expect("石狗镇 has a code");
    let a = radio::compute(&p, &s);
    let mut own = s.clone();
    own.market_shares_by_township
        .insert("石狗镇".into(), [("中国移动", 1.0), ("中国电信", 0.0), ("中国联通", 0.0)].into_iter().map(|(k, v)| (k.to_string(), v)).collect());
    let b = radio::compute(&p, &own);
    let mobile = a.operators.iter().position(|o| o == "中国移动").unwrap() as u16;
    let default_share = s.operator_shares(&a.operators)[mobile as usize];
    // Households on China Mobile links in the township, counted by hand.
    let in_township: f64 = p
        .data
        .buildings
        .iter()
        .zip(&a.buildings)
        .filter(|(bd, _)| bd.village.is_some_and(|v| p.data.villages[v].township_code.as_deref() == Some(code.as_str())))
        .map(|(bd, links)| bd.households * links.iter().filter(|l| l.operator == mobile).count() as f64)
        .sum();
    assert!(in_township > 1000.0, "{in_township}");
    let cm_sum = |r: &radio::engine::RadioResults| -> f64 {
        r.households_per_sector.iter().enumerate().filter(|(i, _)| p.data.sectors[*i].operator.as_deref() == Some("中国移动")).map(|(_, h)| h).sum()
    };
    let added = cm_sum(&b) - cm_sum(&a);
    let want = in_township * (1.0 - default_share);
    assert!((added - want).abs() < 1e-6 * want, "{added} vs {want}");
}
