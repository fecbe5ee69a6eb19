//! Every built-in profile on the sample county: a verdict for every target; the coverage
//! restricted to what the targets need gives the same verdicts as the full computation; and
//! `covplan analyze` writes byte-identical files when run twice.

mod common;
use covplan::analysis::{self, CoverageResults};
use covplan::coverage::fiber;
use covplan::coverage::radio::engine;
use covplan::targets::evaluate::State;
use covplan::targets::profile::{BUILT_IN, Profile};

#[test]
fn every_profile_judges_every_target_on_the_sample_county() {
    let p = covplan::project::Project::load(&common::sample("project.toml")).unwrap();
    let s = &p.file.coverage;
    let full = CoverageResults { fiber: fiber::compute(&p, &s.fiber).into(), radio: Some(engine::compute(&p, &s.radio)), radio_needs: engine::Needs::all(&p) };
    for (id, _) in BUILT_IN {
        let (profile, _) = Profile::load(id).unwrap();
        let a = analysis::run_on(&p, profile, id.to_string(), &full).unwrap();
        for t in &a.targets {
            assert!(!t.places.is_empty(), "{id} {}: no place to judge", t.target.id);
            // The sample has every field and layer the targets need: no target is left unknown.
            assert!(t.count(State::Met) + t.count(State::NotMet) > 0, "{id} {}: only unknown verdicts", t.target.id);
            // The one-pass figures are the per-state counts and sums.
            let f = t.figures();
            assert_eq!((f.met, f.not_met, f.unknown), (t.count(State::Met), t.count(State::NotMet), t.count(State::Unknown)), "{id} {}", t.target.id);
            assert_eq!(f.households_not_met, t.households(State::NotMet), "{id} {}", t.target.id);
            assert_eq!(f.with_households, t.places.iter().any(|v| v.households.is_some()), "{id} {}", t.target.id);
            if t.target.share.is_some() {
                assert!(!t.areas.is_empty() && t.areas.iter().all(|a| a.verdict.state != State::Unknown), "{id} {}", t.target.id);
            }
        }
    }
    // The analysis computes radio only where and on the channels its targets need: the verdicts
    // must be exactly those on the full computation.
    for id in ["zhaoqing-2020", "national-demo-2016"] {
        let (profile, _) = Profile::load(id).unwrap();
        let lean = analysis::run(&p, profile.clone(), id.into()).unwrap();
        let whole = analysis::run_on(&p, profile, id.into(), &full).unwrap();
        for (a, b) in lean.targets.iter().zip(&whole.targets) {
            assert_eq!(a.places.len(), b.places.len(), "{id} {}", a.target.id);
            for (x, y) in a.places.iter().zip(&b.places) {
                assert_eq!(x, y, "{id} {}", a.target.id);
            }
        }
    }
}

/// `covplan analyze` leaves met verdicts without evidence (nothing it writes prints it): the
/// verdicts, reasons, evidence of the rest, gaps and area figures must be the full analysis's.
#[test]
fn analysis_for_gaps_equals_the_full_one_but_for_met_evidence() {
    let p = covplan::project::Project::load(&common::sample("project.toml")).unwrap();
    // Tianjin joins requirements (a met part is evidence of a whole not met); Hunan judges
    // households by their mobile rate.
    for id in ["tianjin-2020", "hunan-2015"] {
        let (profile, _) = Profile::load(id).unwrap();
        let full = analysis::run(&p, profile.clone(), id.into()).unwrap();
        let quiet = analysis::run_for_gaps(&p, profile, id.into()).unwrap();
        let mut met_explained = 0;
        for (a, b) in full.targets.iter().zip(&quiet.targets) {
            assert_eq!(a.places.len(), b.places.len(), "{id} {}", a.target.id);
            assert_eq!(a.areas, b.areas, "{id} {}", a.target.id);
            for (x, y) in a.places.iter().zip(&b.places) {
                assert_eq!((x.place, x.outcome.state, x.outcome.reason, x.households), (y.place, y.outcome.state, y.outcome.reason, y.households));
                if x.outcome.state == State::Met {
                    assert!(y.outcome.evidence.is_empty(), "{id} {}: {}", a.target.id, y.outcome.evidence);
                    met_explained += usize::from(!x.outcome.evidence.is_empty());
                } else {
                    assert_eq!(x.outcome.evidence, y.outcome.evidence, "{id} {} {:?}", a.target.id, x.place);
                }
            }
        }
        assert!(met_explained > 1000, "{id}: the full analysis explains met places ({met_explained})");
        assert_eq!(covplan::targets::gaps::gaps(&p, &full), covplan::targets::gaps::gaps(&p, &quiet), "{id}");
    }
}

#[test]
fn analyze_twice_gives_the_same_bytes() {
    let dir = std::env::temp_dir().join(format!("covplan-analyze-{}", std::process::id()));
    let profile = dir.join("my-profile.toml");
    std::fs::create_dir_all(&dir).unwrap();
    // A user's own profile: the Zhaoqing fiber targets only (cheap to run twice).
    let text = BUILT_IN.iter().find(|b| b.0 == "zhaoqing-2020").unwrap().1;
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
    assert!(printed.contains("zq.village20_fiber") && printed.contains("wrote 10 files"), "{printed}");
    for f in ["summary.json", "gaps.csv", "gaps.geojson", "gaps.kml", "areas.csv", "gaps.shp", "gaps.shx", "gaps.dbf", "gaps.prj", "gaps.cpg"] {
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
    let layer = covplan::io::read_layer(&dir.join("a/gaps.shp"), &Default::default()).unwrap();
    assert!(!layer.table.features.is_empty());
    std::fs::remove_dir_all(&dir).unwrap();
}
