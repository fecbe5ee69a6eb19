//! Joins between layers on a hand-built map: buildings to the finest village that holds them,
//! and urban-rural codes inherited by natural villages.

use crate::common::map::Map;
use covplan_core::model::VillageKind;

#[test]
fn buildings_join_the_finest_village_and_codes_are_inherited() {
    let mut m = Map::new();
    let admin = m.village_area("大沙村委会", 300.0, 0.0, 0.0, 3000.0, 3000.0);
    m.data.villages[admin].kind = VillageKind::Administrative;
    m.data.villages[admin].urban_rural_code = Some(122);
    let natural = m.village("石岗", VillageKind::Natural, Some(27.0), 1000.0, 1000.0);
    m.data.villages[natural].urban_rural_code = None;
    let outside = m.village("远屋", VillageKind::Natural, Some(12.0), 5000.0, 5000.0);
    m.data.villages[outside].urban_rural_code = None;
    let near_natural = m.building(1.0, 1050.0, 1000.0);
    let in_admin_only = m.building(1.0, 2500.0, 2500.0);
    let lonely = m.building(1.0, 9000.0, 9000.0);
    let p = m.project();
    let b = &p.data.buildings;
    assert_eq!(b[near_natural].village, Some(natural), "a natural village point within the radius beats the admin polygon");
    assert_eq!(b[in_admin_only].village, Some(admin), "no natural village within 500 m: the admin polygon");
    assert_eq!(b[lonely].village, None);
    assert!(p.warnings.iter().any(|w| w.message.contains("1 building(s)")), "{:?}", p.warnings);
    // The natural village inside the 122 polygon inherits 122; the one outside stays unknown.
    assert_eq!(p.data.villages[natural].urban_rural_code, Some(122));
    assert!(p.data.villages[natural].urban_rural_inherited);
    assert_eq!(p.data.villages[outside].urban_rural_code, None);
}
