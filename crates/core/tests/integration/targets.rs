//! Targets on small hand-built maps: exact verdicts, evidence and reasons for every kind of
//! requirement, share and penetration targets on hand-counted cases, unknown when data is missing.

use crate::common::map::Map;
use covplan_core::analysis::{self, Analysis, TargetResult};
use covplan_core::model::{AccessTech, VillageKind};
use covplan_core::project::Project;
use covplan_core::project::file::AreaSpec;
use covplan_core::targets::evaluate::{Reason, Verdict};
use covplan_core::targets::places::PlaceRef;
use covplan_core::targets::profile::Profile;
use std::path::Path;

fn run(p: &Project, targets: &str) -> Analysis {
    let text = format!("[profile]\nid = \"test\"\ntitle = \"hand-built\"\ndocument = \"x.txt\"\n{targets}");
    let profile = Profile::parse(&text, Path::new("test.toml")).unwrap_or_else(|e| panic!("{e}"));
    analysis::run(p, profile, "test".into()).unwrap()
}

fn target(kind: &str, rest: &str) -> String {
    format!("[[target]]\nid = \"t\"\ntext = \"原文\"\ngloss = \"gloss\"\ncites = \"x.txt\"\napplies_to = \"{kind}\"\n{rest}\n")
}

fn verdict(t: &TargetResult, place: PlaceRef) -> &covplan_core::targets::evaluate::Judgement {
    &t.places.iter().find(|v| v.place == place).unwrap_or_else(|| panic!("{place:?} not judged")).outcome
}

#[test]
fn village_fiber_with_household_condition() {
    let mut m = Map::new();
    let far = m.village("远村", VillageKind::Natural, Some(27.0), 0.0, 0.0);
    let near = m.village("近村", VillageKind::Natural, Some(20.0), 1600.0, 0.0);
    let small = m.village("小村", VillageKind::Natural, Some(19.0), 1700.0, 800.0);
    let blank = m.village("无数村", VillageKind::Natural, None, 5000.0, 5000.0);
    m.cable(&[(1840.0, -500.0), (1840.0, 500.0)]);
    let p = m.project();
    let a = run(&p, &target("natural_villages", "condition = { field = \"households\", op = \">=\", value = 20 }\nrequire = { kind = \"fiber_connected\" }"));
    let t = &a.targets[0];
    let o = verdict(t, PlaceRef::Village(far));
    assert_eq!((o.state, o.reason), (Verdict::NotMet, Some(Reason::NoFiberInReach)));
    assert_eq!(&*o.evidence, "27 households ≥ 20; nearest fiber 1.84 km > 300 m connection distance");
    let o = verdict(t, PlaceRef::Village(near));
    assert_eq!(o.state, Verdict::Met, "20户以上 includes 20");
    assert_eq!(&*o.evidence, "20 households ≥ 20; fiber 240 m ≤ 300 m connection distance");
    assert!(t.places.iter().all(|v| v.place != PlaceRef::Village(small)), "19 households: the target does not apply");
    let o = verdict(t, PlaceRef::Village(blank));
    assert_eq!(o.state, Verdict::Unknown);
    assert_eq!(&*o.evidence, "no households figure for villages record 4: cannot tell whether households ≥ 20");
    assert_eq!((t.count(Verdict::Met), t.count(Verdict::NotMet), t.count(Verdict::Unknown)), (1, 1, 1));
    assert_eq!(t.households(Verdict::NotMet), 27.0);
    // The comparison is editable: "> 20" leaves the 20-household village out.
    let a = run(&p, &target("natural_villages", "condition = { field = \"households\", op = \">\", value = 20 }\nrequire = { kind = \"fiber_connected\" }"));
    assert!(a.targets[0].places.iter().all(|v| v.place != PlaceRef::Village(near)));
    // The gap list: the failing village first (27 households), then the unknown one.
    let gaps = covplan_core::analysis::gaps::gaps(&p, &a);
    assert_eq!(gaps[0].name, "远村");
    assert_eq!(gaps[0].reason, Reason::NoFiberInReach);
}

#[test]
fn urban_household_capability() {
    let mut m = Map::new();
    let town = m.village("城区", VillageKind::Natural, Some(10.0), 0.0, 0.0);
    m.data.villages[town].urban_rural_code = Some(111);
    m.village("乡村", VillageKind::Natural, Some(10.0), 3000.0, 0.0);
    let nocode = m.village("无码村", VillageKind::Natural, Some(10.0), 6000.0, 0.0);
    m.data.villages[nocode].urban_rural_code = None;
    m.access_point(AccessTech::Gpon, Some(64), None, 0.0, 0.0);
    m.access_point(AccessTech::XgsPon, None, None, 400.0, 0.0);
    let gpon = m.building(2.0, 100.0, 0.0);
    let xgs = m.building(3.0, 420.0, 0.0);
    let far = m.building(1.0, 0.0, 450.0);
    let country = m.building(2.0, 3000.0, 100.0);
    let unknown = m.building(1.0, 6000.0, 100.0);
    let p = m.project();
    let a = run(&p, &target("households", "setting = \"urban\"\nrequire = { kind = \"capability\", mbps = 300, by = [\"fiber\", \"copper\"] }"));
    let t = &a.targets[0];
    let o = verdict(t, PlaceRef::Building(gpon));
    assert_eq!((o.state, o.reason), (Verdict::NotMet, Some(Reason::Capacity)));
    assert_eq!(&*o.evidence, "capability 167 Mb/s < 300 Mb/s (GPON 1:64, 20 % concurrency, AP0 at 100 m)");
    let o = verdict(t, PlaceRef::Building(xgs));
    assert_eq!(o.state, Verdict::Met);
    assert_eq!(&*o.evidence, "capability 669 Mb/s ≥ 300 Mb/s (XGS-PON 1:64, 20 % concurrency, AP1 at 20 m)");
    let o = verdict(t, PlaceRef::Building(far));
    assert_eq!((o.state, o.reason), (Verdict::NotMet, Some(Reason::NoFiberInReach)));
    assert_eq!(&*o.evidence, "no FTTH/xDSL service: nearest fiber access point AP0 450 m > 300 m drop distance");
    assert!(t.places.iter().all(|v| v.place != PlaceRef::Building(country)), "rural homes are not urban targets");
    let o = verdict(t, PlaceRef::Building(unknown));
    assert_eq!(o.state, Verdict::Unknown);
    assert_eq!(&*o.evidence, "urban or rural unknown: no urban-rural code (城乡分类代码) for buildings record 5");
    // Share met by households: 3 of 2 + 3 + 1 + 1 (the unknown home counts in the denominator).
    assert!((t.share_met() - 3.0 / 7.0).abs() < 1e-12);
    // Gaps group buildings into their village, largest first.
    let gaps = covplan_core::analysis::gaps::gaps(&p, &a);
    assert_eq!((gaps[0].name.as_str(), gaps[0].households, gaps[0].buildings), ("城区", 3.0, 2));
    assert_eq!(gaps[0].reason, Reason::Capacity, "2 households short of capacity outweigh 1 out of reach");
}

#[test]
fn mobile_coverage_with_evidence() {
    let mut m = Map::new();
    let near = m.village("近村", VillageKind::Natural, Some(30.0), 500.0, 0.0);
    let far = m.village("远村", VillageKind::Natural, Some(30.0), 20_000.0, 0.0);
    m.lte_sector("中国移动", None, 0.0, 0.0);
    let p = m.project();
    let a = run(
        &p,
        &(target("natural_villages", "require = { kind = \"mobile\", tech = [\"lte\"] }")
            + &target("natural_villages", "require = { kind = \"mobile\", tech = [\"nr\"] }").replace("id = \"t\"", "id = \"t5\"")),
    );
    let o = verdict(&a.targets[0], PlaceRef::Village(near));
    assert_eq!(o.state, Verdict::Met);
    assert!(o.evidence.starts_with("LTE covered outdoors: RSRP "), "{}", o.evidence);
    assert!(o.evidence.contains("(中国移动 LTE 1842.5 MHz, sector S0-1, 0.50 km, RMa LOS)"), "{}", o.evidence);
    let o = verdict(&a.targets[0], PlaceRef::Village(far));
    assert_eq!((o.state, o.reason, o.evidence.as_ref()), (Verdict::NotMet, Some(Reason::WeakSignal), "no LTE sector in reach"));
    let o = verdict(&a.targets[1], PlaceRef::Village(near));
    assert_eq!((o.state, o.evidence.as_ref()), (Verdict::NotMet, "no NR sector in reach"));
}

/// Ten urban buildings of ten households: nine within reach of a GPON 1:32 box (334 Mb/s), one not.
fn ninety_percent_map() -> (Project, usize) {
    let mut m = Map::new();
    let v = m.village("城区", VillageKind::Natural, None, 0.0, 0.0);
    m.access_point(AccessTech::Gpon, Some(32), None, 0.0, 0.0);
    for k in 0..9 {
        m.building(10.0, 20.0 * k as f64, 50.0);
    }
    m.building(10.0, 0.0, 900.0);
    (m.project(), v)
}

#[test]
fn share_targets_on_hand_counted_households() {
    let (p, _) = ninety_percent_map();
    let req = "require = { kind = \"capability\", mbps = 100, by = [\"fiber\"] }";
    let a = run(&p, &target("households", &format!("{req}\nshare = {{ op = \">=\", value = 0.9, per = \"county\" }}")));
    let area = &a.targets[0].areas[0].verdict;
    assert_eq!(area.state, Verdict::Met, "90 % ≥ 90 %");
    assert_eq!((area.numerator, area.denominator), (90.0, 100.0));
    assert_eq!(area.evidence, "90.0 % (90 of 100 households) ≥ 90.0 %");
    assert_eq!(a.targets[0].verdict(), Verdict::Met);
    // Met areas leave no gap.
    assert!(covplan_core::analysis::gaps::gaps(&p, &a).is_empty());
    let a = run(&p, &target("households", &format!("{req}\nshare = {{ op = \">\", value = 0.9, per = \"county\" }}")));
    let area = &a.targets[0].areas[0].verdict;
    assert_eq!((area.state, area.evidence.as_ref()), (Verdict::NotMet, "90.0 % (90 of 100 households) ≤ 90.0 %"));
    let gaps = covplan_core::analysis::gaps::gaps(&p, &a);
    assert_eq!((gaps.len(), gaps[0].households, gaps[0].buildings), (1, 10.0, 1));
    // Counting places instead of households: the same 9 of 10.
    let a = run(&p, &target("households", &format!("{req}\nshare = {{ op = \">=\", value = 0.9, weight = \"places\", per = \"township\" }}")));
    let area = &a.targets[0].areas[0];
    assert_eq!((area.name.as_str(), area.verdict.numerator, area.verdict.denominator), ("(township unknown)", 9.0, 10.0));
}

#[test]
fn penetration_per_area_with_missing_subscribers() {
    let mut m = Map::new();
    let admin = |m: &mut Map, name: &str, hh: f64, subs: Option<f64>, x: f64| {
        let v = m.village(name, VillageKind::Administrative, Some(hh), x, 0.0);
        m.data.villages[v].subscribers = subs;
        v
    };
    let a_ = admin(&mut m, "甲村", 100.0, Some(45.0), 0.0);
    let b_ = admin(&mut m, "乙村", 100.0, Some(30.0), 3000.0);
    let c_ = admin(&mut m, "丙村", 50.0, None, 6000.0);
    let p = m.project();
    let t = target("admin_villages", "require = { kind = \"penetration\" }\nshare = { op = \">=\", value = 0.45, per = \"county\" }");
    let a = run(&p, &t);
    let tr = &a.targets[0];
    assert_eq!(verdict(tr, PlaceRef::Village(a_)).state, Verdict::Met);
    assert_eq!(&*verdict(tr, PlaceRef::Village(a_)).evidence, "45 subscribers / 100 households = 45.0 % ≥ 45 %");
    assert_eq!(verdict(tr, PlaceRef::Village(b_)).reason, Some(Reason::LowTakeUp));
    assert_eq!(&*verdict(tr, PlaceRef::Village(c_)).evidence, "no subscribers figure (宽带用户数) for villages record 3");
    // 75 of 250 households subscribe; the 50 unknown could lift it to 50 %: no verdict.
    let v = &tr.areas[0].verdict;
    assert_eq!(v.state, Verdict::Unknown);
    assert_eq!(v.evidence, "30.0 % (75 of 250 households) < 45.0 %; 50 households unknown, up to 50.0 %");
    let mut m = Map::new();
    admin(&mut m, "甲村", 100.0, Some(45.0), 0.0);
    admin(&mut m, "乙村", 100.0, Some(30.0), 3000.0);
    admin(&mut m, "丙村", 50.0, Some(0.0), 6000.0);
    let a = run(&m.project(), &t);
    assert_eq!(a.targets[0].areas[0].verdict.state, Verdict::NotMet);
}

#[test]
fn points_of_interest_and_wlan() {
    let mut m = Map::new();
    let a_ = m.village("甲村", VillageKind::Administrative, Some(100.0), 0.0, 0.0);
    let b_ = m.village("乙村", VillageKind::Administrative, Some(100.0), 5000.0, 0.0);
    m.poi("甲村信息服务站", "信息服务站", 800.0, 0.0);
    let spot = m.poi("古寺", "旅游景点", 0.0, 5000.0);
    m.poi("古寺WiFi", "WLAN热点", 0.0, 5050.0);
    let lonely = m.poi("山顶", "旅游景点", 3000.0, 5000.0);
    let p = m.project();
    let station = "require = { kind = \"poi\", poi_categories = [\"信息服务站\"], radius_m = 1000 }\nshare = { op = \">=\", value = 0.8, weight = \"places\", per = \"county\" }";
    let a = run(&p, &target("admin_villages", station));
    let t = &a.targets[0];
    assert_eq!(&*verdict(t, PlaceRef::Village(a_)).evidence, "信息服务站 甲村信息服务站 (信息服务站) at 800 m ≤ 1.00 km");
    let o = verdict(t, PlaceRef::Village(b_));
    assert_eq!((o.state, o.reason), (Verdict::NotMet, Some(Reason::NoPoi)));
    assert_eq!(&*o.evidence, "nearest 信息服务站 甲村信息服务站 at 4.20 km > 1.00 km");
    assert_eq!(t.areas[0].verdict.evidence, "50.0 % (1 of 2 places) < 80.0 %");
    let wlan = "categories = [\"旅游景点\"]\nrequire = { kind = \"wlan\", radius_m = 100, hotspot_categories = [\"WLAN\", \"WiFi\"] }";
    let a = run(&p, &target("pois", wlan));
    let t = &a.targets[0];
    assert_eq!(t.places.len(), 2, "only the sights");
    assert_eq!(&*verdict(t, PlaceRef::Poi(spot)).evidence, "WLAN hotspot 古寺WiFi (WLAN热点) at 50 m ≤ 100 m");
    assert_eq!(verdict(t, PlaceRef::Poi(lonely)).reason, Some(Reason::NoHotspot));
    // No hotspot layer at all: the data cannot tell.
    let mut m = Map::new();
    let s = m.poi("古寺", "旅游景点", 0.0, 0.0);
    let a = run(&m.project(), &target("pois", wlan));
    let o = verdict(&a.targets[0], PlaceRef::Poi(s));
    assert_eq!((o.state, o.evidence.as_ref()), (Verdict::Unknown, "no POI of category WLAN/WiFi in the project"));
}

#[test]
fn named_areas_select_places_and_missing_ones_are_unknown() {
    let build = || {
        let mut m = Map::new();
        m.village("示范村", VillageKind::Natural, Some(30.0), 0.0, 0.0);
        m.village("别村", VillageKind::Natural, Some(30.0), 5000.0, 0.0);
        m
    };
    let t = target("natural_villages", "area = \"demo\"\nrequire = { kind = \"fiber_connected\" }");
    let a = run(&build().project(), &t);
    assert_eq!(a.targets[0].count(Verdict::Unknown), 2);
    assert!(a.targets[0].places[0].outcome.evidence.contains("[analysis.areas.\"demo\"]"), "{}", a.targets[0].places[0].outcome.evidence);
    let areas = [("demo".to_string(), AreaSpec { villages: vec!["示范村".into()], admin_areas: vec![] })].into();
    let a = run(&build().project_with_areas(areas), &t);
    assert_eq!(a.targets[0].places.len(), 1);
    assert_eq!(a.targets[0].places[0].place, PlaceRef::Village(0));
    let areas = [("demo".to_string(), AreaSpec { villages: vec!["无此村".into()], admin_areas: vec![] })].into();
    let p = build().project_with_areas(areas);
    let profile = Profile::parse(&format!("[profile]\nid = \"x\"\ntitle = \"x\"\ndocument = \"x\"\n{t}"), Path::new("x.toml")).unwrap();
    let e = analysis::run(&p, profile, "x".into()).err().expect("an unknown village is an error");
    assert!(e.to_string().contains("[analysis.areas.demo]: no village has the id, code or name '无此村'"), "{e}");
}

#[test]
fn all_of_several_requirements() {
    let mut m = Map::new();
    let v = m.village("村", VillageKind::Natural, Some(30.0), 0.0, 0.0);
    m.cable(&[(100.0, -100.0), (100.0, 100.0)]);
    let p = m.project();
    let a = run(&p, &target("villages", "require = { kind = \"all\", of = [{ kind = \"fiber_connected\" }, { kind = \"mobile\", tech = [\"lte\"] }] }"));
    let o = verdict(&a.targets[0], PlaceRef::Village(v));
    assert_eq!((o.state, o.reason), (Verdict::NotMet, Some(Reason::WeakSignal)));
    assert_eq!(&*o.evidence, "fiber 100 m ≤ 300 m connection distance; no LTE sector in reach");
}

#[test]
fn village_ftth_counts_the_households_of_its_buildings() {
    let mut m = Map::new();
    let served = m.village_area("甲村", 10.0, -100.0, -100.0, 600.0, 100.0);
    let empty = m.village_area("乙村", 10.0, 2000.0, -100.0, 2200.0, 100.0);
    m.access_point(AccessTech::Gpon, Some(32), None, 0.0, 0.0);
    m.building(2.0, 0.0, 0.0); // on the access point
    m.building(3.0, 100.0, 0.0); // 100 m: within the 300 m drop
    m.building(1.0, 500.0, 0.0); // 500 m: out of reach
    m.building(0.0, 50.0, 50.0); // no households: not counted
    let p = m.project();
    let a = run(&p, &target("natural_villages", "require = { kind = \"ftth\" }"));
    let t = &a.targets[0];
    let o = verdict(t, PlaceRef::Village(served));
    assert_eq!((o.state, o.reason), (Verdict::NotMet, Some(Reason::NoFiberInReach)));
    assert_eq!(&*o.evidence, "5 of 6 households FTTH-served; e.g. nearest fiber access point AP0 500 m > 300 m drop distance");
    let o = verdict(t, PlaceRef::Village(empty));
    assert_eq!((o.state, &*o.evidence), (Verdict::Unknown, "no building with households in the village"));
}
