//! `covplan coverage`: what share of villages, buildings and households each network covers.

use super::fiber::FiberResults;
use super::radio::engine::{RadioModel, RadioResults};
use crate::model::{Tech, VillageKind};
use crate::project::Project;
use crate::settings::CoverageSettings;
use serde::Serialize;
use std::collections::BTreeMap;

/// Coverage of one operator and technology.
#[derive(Debug, Clone, Serialize)]
pub struct MobileShare {
    /// Operator name.
    pub operator: String,
    /// Technology.
    pub tech: Tech,
    /// Natural villages covered outdoors / natural villages.
    pub natural_villages_outdoor: f64,
    /// Households covered indoors / households.
    pub households_indoor: f64,
    /// Median busy-hour rate of indoor-covered households (Mb/s).
    pub median_household_mbps: f64,
}

/// The coverage summary of a project.
#[derive(Debug, Clone, Serialize)]
pub struct CoverageSummary {
    /// Natural villages connected to fiber (within the connection distance) / natural villages.
    pub fiber_natural_villages_connected: f64,
    /// Natural villages of 20+ households connected / such villages.
    pub fiber_villages20_connected: f64,
    /// Households in FTTH-served buildings / households.
    pub ftth_households: f64,
    /// Households with ≥ 100 Mb/s fixed capability / households.
    pub fixed_100m_households: f64,
    /// Per operator and technology.
    pub mobile: Vec<MobileShare>,
    /// Households whose building gets ≥ 100 Mb/s by 5G FWA (best operator) / households.
    pub fwa_100m_households: f64,
    /// Model inputs outside validity ranges / links evaluated.
    pub links_out_of_range: f64,
}

fn share(n: usize, d: usize) -> f64 {
    if d == 0 { 0.0 } else { n as f64 / d as f64 }
}

/// Sums up the results.
pub fn summarize(p: &Project, fiber: &FiberResults, radio: &RadioResults, s: &CoverageSettings) -> CoverageSummary {
    let d = &p.data;
    let naturals: Vec<usize> = (0..d.villages.len()).filter(|&v| d.villages[v].kind == VillageKind::Natural).collect();
    let v20: Vec<usize> = naturals.iter().copied().filter(|&v| d.villages[v].households.is_some_and(|h| h >= 20.0)).collect();
    let hh_total: f64 = d.buildings.iter().map(|b| b.households).sum();
    // Folded from +0.0: an empty f64 sum is −0.0, which would print as "-0.0 %".
    let hh_where = |f: &dyn Fn(usize) -> bool| -> f64 {
        d.buildings.iter().enumerate().filter(|(i, _)| f(*i)).fold(0.0, |a, (_, b)| a + b.households) / hh_total.max(1.0)
    };
    let m = RadioModel::new(p, &s.radio);
    let mut mobile = Vec::new();
    let mut keys: BTreeMap<(u16, Tech), ()> = BTreeMap::new();
    for links in radio.buildings.iter().chain(&radio.villages) {
        for l in links {
            keys.insert((l.operator, l.tech), ());
        }
    }
    let (mut links_total, mut links_out) = (0usize, 0usize);
    for &(op, tech) in keys.keys() {
        let find = |links: &[super::radio::engine::LinkResult]| links.iter().find(|l| l.operator == op && l.tech == tech).cloned();
        let villages_ok = naturals.iter().filter(|&&v| find(&radio.villages[v]).is_some_and(|l| m.evaluate(&l, 0.0).covered)).count();
        let mut covered_hh = 0.0;
        let mut rates: Vec<f64> = Vec::new();
        for (b, links) in d.buildings.iter().zip(&radio.buildings) {
            if let Some(l) = find(links) {
                links_total += 1;
                links_out += usize::from(!l.in_range);
                let e = m.evaluate(&l, m.indoor_loss_db(&l));
                if e.covered && b.households > 0.0 {
                    covered_hh += b.households;
                    rates.push(m.household_rate_mbps(&e, &l, &radio.households_per_sector));
                }
            }
        }
        rates.sort_by(f64::total_cmp);
        mobile.push(MobileShare {
            operator: radio.operators[op as usize].clone(),
            tech,
            natural_villages_outdoor: share(villages_ok, naturals.len()),
            households_indoor: covered_hh / hh_total.max(1.0),
            median_household_mbps: rates.get(rates.len() / 2).copied().unwrap_or(0.0),
        });
    }
    let fwa_ok = |i: usize| {
        radio.fwa[i].iter().any(|l| {
            let e = m.evaluate(l, 0.0);
            e.covered && m.household_rate_mbps(&e, l, &radio.households_per_sector) >= 100.0
        })
    };
    CoverageSummary {
        fwa_100m_households: hh_where(&fwa_ok),
        fiber_natural_villages_connected: share(naturals.iter().filter(|&&v| fiber.villages[v].connected).count(), naturals.len()),
        fiber_villages20_connected: share(v20.iter().filter(|&&v| fiber.villages[v].connected).count(), v20.len()),
        ftth_households: hh_where(&|i| fiber.buildings[i].ftth.is_ok()),
        fixed_100m_households: hh_where(&|i| fiber.buildings[i].capability_mbps() >= 100.0),
        mobile,
        links_out_of_range: share(links_out, links_total),
    }
}

impl std::fmt::Display for CoverageSummary {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        let pct = |x: f64| format!("{:5.1} %", 100.0 * x);
        writeln!(
            f,
            "fiber   natural villages connected {}   20+ household villages connected {}",
            pct(self.fiber_natural_villages_connected),
            pct(self.fiber_villages20_connected)
        )?;
        writeln!(f, "        households FTTH-served {}   households with ≥ 100 Mb/s fixed {}", pct(self.ftth_households), pct(self.fixed_100m_households))?;
        writeln!(f, "mobile  operator     tech  villages outdoor  households indoor  median household rate")?;
        for m in &self.mobile {
            writeln!(
                f,
                "        {:<10} {:<5} {:>16} {:>18} {:>14.1} Mb/s",
                m.operator,
                m.tech.name(),
                pct(m.natural_villages_outdoor),
                pct(m.households_indoor),
                m.median_household_mbps
            )?;
        }
        writeln!(f, "fwa     households with ≥ 100 Mb/s by 5G FWA {}", pct(self.fwa_100m_households))?;
        write!(f, "links with a model input outside its validity range: {} (clamped, flagged)", pct(self.links_out_of_range))
    }
}
