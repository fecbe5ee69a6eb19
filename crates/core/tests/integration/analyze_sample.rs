//! Every built-in profile on the sample county: a verdict for every target; the coverage
//! restricted to what the targets need gives the same verdicts as the full computation; and
//! `covplan analyze` writes byte-identical files when run twice.

use covplan_core::analysis::{self, CoverageResults};
use covplan_core::coverage::fiber;
use covplan_core::coverage::radio;
use covplan_core::targets::evaluate::Verdict;
use covplan_core::targets::profile::{BUILT_IN, Profile};

#[test]
fn every_profile_judges_every_target_on_the_sample_county() {
    let p = covplan_core::project::Project::load(&crate::common::sample("project.toml")).unwrap();
    let s = &p.file.coverage;
    let full = CoverageResults { fiber: fiber::compute(&p, &s.fiber).into(), radio: Some(radio::compute(&p, &s.radio)), radio_needs: radio::Needs::all(&p) };
    for (id, _) in BUILT_IN {
        let (profile, _) = Profile::load(id).unwrap();
        let a = analysis::run_on(&p, profile, id.to_string(), &full).unwrap();
        for t in &a.targets {
            assert!(!t.places.is_empty(), "{id} {}: no place to judge", t.target.id);
            // The sample has every field and layer the targets need: no target is left unknown.
            assert!(t.count(Verdict::Met) + t.count(Verdict::NotMet) > 0, "{id} {}: only unknown verdicts", t.target.id);
            // The one-pass figures are the per-state counts and sums.
            let f = t.figures();
            assert_eq!((f.met, f.not_met, f.unknown), (t.count(Verdict::Met), t.count(Verdict::NotMet), t.count(Verdict::Unknown)), "{id} {}", t.target.id);
            assert_eq!(f.households_not_met, t.households(Verdict::NotMet), "{id} {}", t.target.id);
            assert_eq!(f.with_households, t.places.iter().any(|v| v.households.is_some()), "{id} {}", t.target.id);
            if t.target.share.is_some() {
                assert!(!t.areas.is_empty() && t.areas.iter().all(|a| a.verdict.state != Verdict::Unknown), "{id} {}", t.target.id);
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
    let p = covplan_core::project::Project::load(&crate::common::sample("project.toml")).unwrap();
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
                if x.outcome.state == Verdict::Met {
                    assert!(y.outcome.evidence.is_empty(), "{id} {}: {}", a.target.id, y.outcome.evidence);
                    met_explained += usize::from(!x.outcome.evidence.is_empty());
                } else {
                    assert_eq!(x.outcome.evidence, y.outcome.evidence, "{id} {} {:?}", a.target.id, x.place);
                }
            }
        }
        assert!(met_explained > 1000, "{id}: the full analysis explains met places ({met_explained})");
        assert_eq!(covplan_core::analysis::gaps::gaps(&p, &full), covplan_core::analysis::gaps::gaps(&p, &quiet), "{id}");
    }
}
