//! What a map feature shows in the inspector, the attribute table and labels: its model
//! object's fields as (key, text) rows. Keys are stable identifiers the GUI translates.

use super::geometry::Item;
use crate::model::VillageKind;
use crate::project::Project;

fn opt<T: ToString>(v: &Option<T>) -> String {
    v.as_ref().map_or(String::new(), T::to_string)
}

fn num(v: Option<f64>) -> String {
    v.map_or(String::new(), |x| if x.fract() == 0.0 { format!("{x:.0}") } else { format!("{x:.1}") })
}

fn lonlat(pt: geo::Point<f64>) -> String {
    format!("{:.6}, {:.6}", pt.x(), pt.y())
}

/// Records are numbered from 1 already, as the file viewers number them.
fn src(s: &crate::model::SourceRef) -> String {
    format!("{} #{}", s.layer, s.record)
}

/// The attribute rows of an item.
pub fn attributes(p: &Project, item: Item) -> Vec<(&'static str, String)> {
    let d = &p.data;
    match item {
        Item::Village(i) => {
            let v = &d.villages[i];
            vec![
                ("id", v.id.clone()),
                ("name", v.name.clone()),
                ("kind", if v.kind == VillageKind::Natural { "natural".into() } else { "administrative".into() }),
                ("households", num(v.households)),
                ("population", num(v.population)),
                ("subscribers", num(v.subscribers)),
                ("urban_rural_code", opt(&v.urban_rural_code) + if v.urban_rural_inherited { " (inherited)" } else { "" }),
                ("parent_code", opt(&v.parent_code)),
                ("township_code", opt(&v.township_code)),
                ("position", lonlat(v.location)),
                ("source", src(&v.source)),
            ]
        }
        Item::Building(i) => {
            let b = &d.buildings[i];
            vec![
                ("id", b.id.clone()),
                ("households", num(Some(b.households)) + if b.households_estimated { " (estimated)" } else { "" }),
                ("floors", num(b.floors)),
                ("height_m", num(b.height_m)),
                ("village", b.village.map_or(String::new(), |v| d.villages[v].name.clone())),
                ("source", src(&b.source)),
            ]
        }
        Item::Sector(i) => {
            let s = &d.sectors[i];
            vec![
                ("site", s.site.clone()),
                ("cell", s.cell.clone()),
                ("operator", opt(&s.operator)),
                ("tech", s.tech.name().into()),
                ("band_mhz", num(s.band_mhz)),
                ("bandwidth_mhz", num(s.bandwidth_mhz)),
                ("power_dbm", num(s.power_dbm)),
                ("gain_dbi", num(s.gain_dbi)),
                ("height_m", num(s.height_m)),
                ("azimuth_deg", num(s.azimuth_deg)),
                ("tilt_deg", num(s.tilt_deg)),
                ("beamwidth_deg", num(s.beamwidth_deg)),
                ("position", lonlat(s.position)),
                ("source", src(&s.source)),
            ]
        }
        Item::Cable(i) => {
            let c = &d.cables[i];
            vec![("id", c.id.clone()), ("source", src(&c.source))]
        }
        Item::AccessPoint(i) => {
            let a = &d.access_points[i];
            vec![
                ("id", a.id.clone()),
                ("tech", a.tech.name().into()),
                ("split", a.split.map_or(String::new(), |s| format!("1:{s}"))),
                ("ports_total", opt(&a.ports_total)),
                ("ports_used", opt(&a.ports_used)),
                ("position", lonlat(a.position)),
                ("source", src(&a.source)),
            ]
        }
        Item::Road(i) => {
            let r = &d.roads[i];
            vec![("name", opt(&r.name)), ("class", opt(&r.class)), ("source", src(&r.source))]
        }
        Item::Admin(i) => {
            let a = &d.admin_areas[i];
            vec![
                ("code", opt(&a.code)),
                ("name", a.name.clone()),
                ("level", opt(&a.level)),
                ("urban_rural_code", opt(&a.urban_rural_code)),
                ("source", src(&a.source)),
            ]
        }
        Item::Poi(i) => {
            let q = &d.pois[i];
            vec![("name", q.name.clone()), ("category", q.category.clone()), ("position", lonlat(q.position)), ("source", src(&q.source))]
        }
        Item::Measurement(i) => measurement_attributes(&d.measurements[i]),
    }
}

fn measurement_attributes(m: &crate::model::Measurement) -> Vec<(&'static str, String)> {
    vec![
        ("rsrp_dbm", num(m.rsrp_dbm)),
        ("rsrq_db", num(m.rsrq_db)),
        ("sinr_db", num(m.sinr_db)),
        ("dl_mbps", num(m.dl_mbps)),
        ("ul_mbps", num(m.ul_mbps)),
        ("operator", opt(&m.operator)),
        ("tech", m.tech.map_or(String::new(), |t| t.name().into())),
        ("cell", opt(&m.cell)),
        ("pci", m.pci.map_or(String::new(), |p| p.to_string())),
        ("time", opt(&m.time)),
        ("position", lonlat(m.position)),
        ("source", src(&m.source)),
    ]
}

/// The value of attribute `key` of an item (for labels), empty when it has none.
pub fn attribute(p: &Project, item: Item, key: &str) -> String {
    attributes(p, item).into_iter().find(|(k, _)| *k == key).map(|(_, v)| v).unwrap_or_default()
}

/// A short title: the name, else the id.
pub fn title(p: &Project, item: Item) -> String {
    let a = attributes(p, item);
    let get = |k: &str| a.iter().find(|(key, v)| *key == k && !v.is_empty()).map(|(_, v)| v.clone());
    get("name").or_else(|| get("cell")).or_else(|| get("id")).or_else(|| get("code")).unwrap_or_else(|| "—".into())
}

/// How much a feature matters for label priority: households where known.
pub fn weight(p: &Project, item: Item) -> f64 {
    match item {
        Item::Village(i) => p.data.villages[i].households.unwrap_or(0.0),
        Item::Building(i) => p.data.buildings[i].households,
        Item::Admin(_) => 1e12,
        _ => 0.0,
    }
}
