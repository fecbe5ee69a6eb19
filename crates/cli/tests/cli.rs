//! The command line as a user runs it: output, JSON, and exit codes (0, 1 bad input, 2 usage).

#[path = "../../core/tests/integration/common/mod.rs"]
mod common;
use std::process::Command;

fn covplan(args: &[&str]) -> (i32, String, String) {
    let out = Command::new(env!("CARGO_BIN_EXE_covplan")).args(args).output().unwrap();
    (out.status.code().unwrap_or(-1), String::from_utf8_lossy(&out.stdout).into_owned(), String::from_utf8_lossy(&out.stderr).into_owned())
}

#[test]
fn sample_prints_the_sample_county() {
    let (code, out, err) = covplan(&["sample"]);
    assert_eq!(code, 0, "{err}");
    assert!(out.contains("四会市") && out.contains("buildings") && out.contains("中国移动"), "{out}");
    // …and checks it against its profile.
    assert!(out.contains("profile zhaoqing-2020") && out.contains("zq.village20_fiber"), "{out}");
    // POIs carry no households: the column shows a dash for them.
    let wlan = out.lines().find(|l| l.starts_with("zq.wlan_public")).expect("the WLAN target's row");
    assert!(wlan.split_whitespace().any(|w| w == "-"), "{wlan}");
}

#[test]
fn a_closed_pipe_ends_quietly() {
    use std::io::Read;
    // A megabyte of output: more than a pipe holds, so the writer meets the closed end.
    let dir = std::env::temp_dir().join(format!("covplan-pipe-{}", std::process::id()));
    std::fs::create_dir_all(&dir).unwrap();
    let csv = dir.join("rows.csv");
    let mut rows = String::from("model,environment,los,freq_mhz,dist_m,h_bs_m,h_ut_m\n");
    for k in 0..20_000 {
        rows.push_str(&format!("38901,rma,false,1800,{},35,1.5\n", 100 + k));
    }
    std::fs::write(&csv, rows).unwrap();
    let mut child = Command::new(env!("CARGO_BIN_EXE_covplan"))
        .args(["pathloss", "--csv", csv.to_str().unwrap()])
        .stdout(std::process::Stdio::piped())
        .stderr(std::process::Stdio::piped())
        .spawn()
        .unwrap();
    // Like `| head -c 10`: read a little, then hang up.
    let mut first = [0u8; 10];
    child.stdout.take().unwrap().read_exact(&mut first).unwrap();
    let out = child.wait_with_output().unwrap();
    let err = String::from_utf8_lossy(&out.stderr);
    assert!(!err.contains("panicked"), "{err}");
    std::fs::remove_dir_all(&dir).unwrap();
}

#[test]
fn inspect_and_layers() {
    let shp = common::real("admin_boundaries_gcj02/city_肇庆市.shp");
    let (code, out, _) = covplan(&["inspect", shp.to_str().unwrap(), "--offset", "gcj02"]);
    assert_eq!(code, 0);
    assert!(out.contains("怀集县") && out.contains("features  8"), "{out}");
    let (code, out, _) = covplan(&["inspect", shp.to_str().unwrap(), "--json"]);
    assert_eq!(code, 0);
    let v: serde_json::Value = serde_json::from_str(&out).unwrap();
    assert_eq!(v["features"], 8);
    let project = common::sample("project.toml");
    let (code, out, _) = covplan(&["layers", project.to_str().unwrap(), "--json"]);
    assert_eq!(code, 0);
    let v: serde_json::Value = serde_json::from_str(&out).unwrap();
    assert_eq!(v.as_array().unwrap().len(), 14);
    assert!(v.as_array().unwrap().iter().all(|l| l["warnings"].as_array().unwrap().is_empty()));
    // The China Telecom table: channel numbers, power in W, tilt, all found by their Chinese headers.
    let ct = v.as_array().unwrap().iter().find(|l| l["name"] == "电信工参").unwrap();
    let mapping: Vec<(String, String)> = serde_json::from_value(ct["mapping"].clone()).unwrap();
    for (attr, col) in [("channel", "频点"), ("power", "发射功率(W)"), ("tilt", "下倾角"), ("height", "天线挂高"), ("tech", "网络类型")] {
        assert!(mapping.contains(&(attr.to_string(), col.to_string())), "{attr} ← {col} missing from {mapping:?}");
    }
    let dem = common::sample("地形.tif");
    let (code, out, _) = covplan(&["inspect", dem.to_str().unwrap()]);
    assert_eq!(code, 0);
    assert!(out.contains("terrain raster") && out.contains("EPSG:4326"), "{out}");
}

#[test]
fn exit_codes() {
    let bad = common::corpus("truncated_dbf.shp");
    let (code, _, err) = covplan(&["inspect", bad.to_str().unwrap()]);
    assert_eq!(code, 1);
    assert!(err.contains("truncated_dbf.dbf, record 3"), "{err}");
    assert_eq!(covplan(&["inspect"]).0, 2);
    assert_eq!(covplan(&["frobnicate"]).0, 2);
    let good = common::corpus("good.shp");
    assert_eq!(covplan(&["inspect", good.to_str().unwrap(), "--crs", "EPSG:99999"]).0, 2);
    assert_eq!(covplan(&["inspect", "/no/such/file.shp"]).0, 1);
    assert_eq!(covplan(&["layers", "/no/such/project.toml"]).0, 1);
    // A grid quantity that does not exist is a usage error, before anything is loaded.
    let (code, _, err) = covplan(&["report", "/no/such/project.toml", "--grid", "loudness", "--out", "/tmp/x.pdf"]);
    assert_eq!(code, 2);
    assert!(err.contains("rsrp, best-server or mbps"), "{err}");
}

#[test]
fn pathloss_workbench() {
    let input = common::testdata("pathloss.csv");
    let (code, out, err) = covplan(&["pathloss", "--csv", input.to_str().unwrap()]);
    assert_eq!(code, 0, "{err}");
    let rows: Vec<Vec<&str>> = out.lines().map(|l| l.split(',').collect()).collect();
    assert_eq!(rows[0][7..], ["path_loss_db", "in_range"]);
    // Hand-computed (see coverage::radio::pathloss tests): FSPL, Hata urban/open, COST-231 metro, RMa LOS.
    let want = [("98.47", "true"), ("151.02", "true"), ("128.60", "true"), ("149.84", "true"), ("93.38", "true"), ("143.44", "false"), ("129.92", "true")];
    for (row, (db, ok)) in rows[1..].iter().zip(want) {
        assert_eq!((row[7], row[8]), (db, ok), "{row:?}");
    }
    let bad = common::testdata("pathloss_bad.csv");
    let (code, _, err) = covplan(&["pathloss", "--csv", bad.to_str().unwrap()]);
    assert_eq!(code, 1);
    assert!(err.contains("record 3, field 'environment'") && err.contains("downtown"), "{err}");
}

#[test]
fn analyze_twice_gives_the_same_bytes() {
    let dir = std::env::temp_dir().join(format!("covplan-analyze-{}", std::process::id()));
    let profile = dir.join("my-profile.toml");
    std::fs::create_dir_all(&dir).unwrap();
    // A user's own profile: the Zhaoqing fiber targets only (cheap to run twice).
    let text = covplan_core::targets::profile::BUILT_IN.iter().find(|b| b.0 == "zhaoqing-2020").unwrap().1;
    let kept: Vec<&str> = text.split("[[target]]").filter(|t| !t.contains("kind = \"mobile\"") && !t.contains("kind = \"wlan\"")).collect();
    std::fs::write(&profile, kept.join("[[target]]")).unwrap();
    let run = |out: &str| {
        let o = std::process::Command::new(env!("CARGO_BIN_EXE_covplan"))
            .args(["analyze", common::sample("project.toml").to_str().unwrap(), "--profile", profile.to_str().unwrap(), "--out"])
            .arg(dir.join(out))
            .output()
            .unwrap();
        assert!(o.status.success(), "{}", String::from_utf8_lossy(&o.stderr));
        String::from_utf8(o.stdout).unwrap()
    };
    let printed = run("a");
    run("b");
    // Eleven files, and the (empty: no mobile target here) list of challenged verdicts, as the sample has measurements.
    assert!(printed.contains("zq.village20_fiber") && printed.contains("wrote 12 files"), "{printed}");
    for f in [
        "summary.json",
        "gaps.csv",
        "gaps.geojson",
        "gaps.parquet",
        "gaps.kml",
        "areas.csv",
        "challenges.csv",
        "gaps.shp",
        "gaps.shx",
        "gaps.dbf",
        "gaps.prj",
        "gaps.cpg",
    ] {
        let (a, b) = (std::fs::read(dir.join("a").join(f)).unwrap(), std::fs::read(dir.join("b").join(f)).unwrap());
        assert!(a == b, "{f} differs between runs");
    }
    // Excel needs the BOM to read UTF-8; the run record names every input with its checksum.
    let csv = std::fs::read(dir.join("a/gaps.csv")).unwrap();
    assert_eq!(&csv[..3], b"\xef\xbb\xbf");
    let summary: serde_json::Value = serde_json::from_slice(&std::fs::read(dir.join("a/summary.json")).unwrap()).unwrap();
    let inputs = summary["run"]["inputs"].as_array().unwrap();
    assert!(inputs.iter().any(|i| i["path"] == "自然村.shp" && i["sha256"].as_str().unwrap().len() == 64));
    assert!(inputs.iter().any(|i| i["path"].as_str().unwrap().ends_with("my-profile.toml")));
    let t = &summary["targets"][1];
    assert_eq!(t["id"], "zq.village20_fiber");
    for key in ["met", "not_met", "unknown", "households_not_met", "share_met"] {
        assert!(t[key].is_number(), "{key}");
    }
    // The shapefile reads back through our own reader, Chinese names intact.
    let layer = covplan_core::io::read_layer(&dir.join("a/gaps.shp"), &Default::default()).unwrap();
    assert!(!layer.table.features.is_empty());
    std::fs::remove_dir_all(&dir).unwrap();
}

#[test]
fn plan_writes_its_files_the_same_way_twice() {
    let dir = std::env::temp_dir().join(format!("covplan-plan-{}", std::process::id()));
    let project = common::sample("project.toml");
    for out in ["a", "b"] {
        let (code, printed, err) = covplan(&["plan", project.to_str().unwrap(), "--out", dir.join(out).to_str().unwrap()]);
        assert_eq!(code, 0, "{err}");
        assert!(printed.contains("works") && printed.contains("gaps not met before"), "{printed}");
    }
    for f in ["plan.json", "plan.csv", "plan.geojson", "plan-scenario.toml", "plan.shp", "plan.dbf", "plan_points.shp", "plan_points.dbf"] {
        assert!(std::fs::read(dir.join("a").join(f)).unwrap() == std::fs::read(dir.join("b").join(f)).unwrap(), "{f} differs between runs");
    }
    let v: serde_json::Value = serde_json::from_slice(&std::fs::read(dir.join("a/plan.json")).unwrap()).unwrap();
    assert!(v["cost_total_yuan"].as_f64().unwrap() > 0.0 && v["households_closed"].as_f64().unwrap() > 0.0, "{v}");
    let (before, after) = (&v["gaps_before"], &v["gaps_after"]);
    assert!(after["households"].as_f64().unwrap() < before["households"].as_f64().unwrap(), "{before} → {after}");
    assert!(after["settlements"].as_u64().unwrap() < before["settlements"].as_u64().unwrap());
    assert!(v["run"]["inputs"].as_array().unwrap().iter().any(|i| i["path"] == "道路.shp"));
    let csv = std::fs::read(dir.join("a/plan.csv")).unwrap();
    assert_eq!(&csv[..3], b"\xef\xbb\xbf");
    // The scenario the plan writes reads back as a project's scenario.
    let scenario = std::fs::read_to_string(dir.join("a/plan-scenario.toml")).unwrap();
    assert!(scenario.contains("PLAN-F0001"), "{}", &scenario[..scenario.len().min(300)]);
    // The printed plan map: a PDF page, the same bytes twice; a folder without a plan is named.
    for pdf in ["a.pdf", "b.pdf"] {
        let (plan_dir, out) = (dir.join("a"), dir.join(pdf));
        let args = ["report", project.to_str().unwrap(), "--plan", plan_dir.to_str().unwrap(), "--date", "2026-12-06", "--out", out.to_str().unwrap()];
        let (code, _, err) = covplan(&args);
        assert_eq!(code, 0, "{err}");
    }
    let pdf = std::fs::read(dir.join("a.pdf")).unwrap();
    assert!(pdf.starts_with(b"%PDF") && pdf == std::fs::read(dir.join("b.pdf")).unwrap());
    let (code, _, err) = covplan(&["report", project.to_str().unwrap(), "--plan", "/no/such/plan", "--out", dir.join("c.pdf").to_str().unwrap()]);
    assert!(code == 1 && err.contains("plan-scenario.toml") && err.contains("covplan plan"), "{err}");
    // The routes read back as a shapefile of lines.
    let routes = covplan_core::io::read_layer(&dir.join("a/plan.shp"), &Default::default()).unwrap();
    assert!(!routes.table.features.is_empty() && routes.table.field_index("length_m").is_some());
    // Bad usage: an unknown technology, a negative budget.
    let (code, _, err) = covplan(&["plan", project.to_str().unwrap(), "--tech", "satellite", "--out", "/tmp/x"]);
    assert!(code == 2 && err.contains("satellite"), "{err}");
    assert_eq!(covplan(&["plan", project.to_str().unwrap(), "--budget=-5", "--out", "/tmp/x"]).0, 2);
    std::fs::remove_dir_all(&dir).unwrap();
}

/// A project too big for the memory covplan may use is analysed by county, with the files a
/// whole run writes; `--by whole` runs it whole regardless.
#[test]
fn a_project_too_big_to_hold_whole_is_analysed_by_county() {
    let dir = std::env::temp_dir().join(format!("covplan-too-big-{}", std::process::id()));
    std::fs::create_dir_all(&dir).unwrap();
    let sample = common::sample("project.toml");
    let run = |out: &str, by: &[&str], memory: &str| {
        let o = Command::new(env!("CARGO_BIN_EXE_covplan"))
            .args(["analyze", sample.to_str().unwrap(), "--profile", "hunan-2015", "--out"])
            .arg(dir.join(out))
            .args(by)
            .env("COVPLAN_MEMORY_GB", memory)
            .output()
            .unwrap();
        (o.status.code().unwrap_or(-1), String::from_utf8_lossy(&o.stderr).into_owned())
    };
    // 177 419 buildings need about 0.2 GB whole.
    let (code, err) = run("sharded", &[], "0.1");
    assert_eq!(code, 0, "{err}");
    assert!(err.contains("177419 buildings") && err.contains("analysed by county"), "{err}");
    let (code, err) = run("whole", &["--by", "whole"], "0.1");
    assert_eq!(code, 0, "{err}");
    assert!(!err.contains("by county"), "{err}");
    for f in ["summary.json", "gaps.csv", "gaps.geojson", "gaps.parquet", "gaps.kml", "areas.csv", "gaps.shp", "gaps.dbf"] {
        assert!(std::fs::read(dir.join("sharded").join(f)).unwrap() == std::fs::read(dir.join("whole").join(f)).unwrap(), "{f} differs");
    }
    let (code, err) = run("plenty", &[], "64");
    assert_eq!(code, 0, "{err}");
    assert!(!err.contains("by county") && !dir.join("plenty/shards").exists(), "{err}");
    let (code, err) = run("bad", &[], "lots");
    assert_eq!(code, 2, "{err}");
    assert!(err.contains("COVPLAN_MEMORY_GB=lots"), "{err}");
    std::fs::remove_dir_all(&dir).unwrap();
}
