//! Drive tests made from a perturbed model whose truth is known: the radio engine with a known
//! calibration ([`Truth::correction`]) gives each point's true links, and spatially correlated
//! shadow fading (log-normal, σ dB, decorrelating along the route with distance as in
//! Gudmundson's model: ρ(Δ) = exp(−Δ / d_corr)) and measurement noise are laid on top. The
//! sample county's measurement file comes from here, and the tests check that calibration finds
//! the truth again.

use crate::coverage::radio::engine::{RadioModel, Receiver};
use crate::model::Tech;
use crate::project::Project;
use crate::settings::{Calibration, Correction, RadioSettings};
use rayon::prelude::*;
use std::fmt::Write as _;

/// What the synthetic measurements are made from.
#[derive(Debug, Clone, PartialEq)]
pub struct Truth {
    /// The true correction of the published models in urban places.
    pub urban: Correction,
    /// … and in rural places.
    pub rural: Correction,
    /// Shadow fading standard deviation (dB).
    pub shadow_sigma_db: f64,
    /// Shadow fading decorrelation distance along the route (m).
    pub decorrelation_m: f64,
    /// Noise of a measured SINR (dB, standard deviation).
    pub sinr_noise_db: f64,
    /// Seed of every random draw.
    pub seed: u64,
}

impl Truth {
    /// The sample county's: urban +4 dB and −3 dB per decade, rural −5 dB and +2 dB per decade,
    /// σ 8 dB shadowing decorrelating over 50 m, SINR noise 2 dB.
    pub fn sample() -> Truth {
        Truth {
            urban: Correction { offset_db: 4.0, slope_db_per_decade: -3.0 },
            rural: Correction { offset_db: -5.0, slope_db_per_decade: 2.0 },
            shadow_sigma_db: 8.0,
            decorrelation_m: 50.0,
            sinr_noise_db: 2.0,
            seed: 0x5eed_d71e,
        }
    }

    /// The settings of the true model: `s` with the true corrections.
    pub fn settings(&self, s: &RadioSettings) -> RadioSettings {
        let calibration = Calibration { fitted_to: "truth".into(), sha256: String::new(), urban: Some(self.urban), rural: Some(self.rural) };
        RadioSettings { calibration: Some(calibration), ..s.clone() }
    }
}

/// One synthetic measurement: a scanner's reading of one operator and technology at a point.
#[derive(Debug, Clone, PartialEq)]
pub struct Reading {
    /// WGS84 longitude and latitude.
    pub lonlat: (f64, f64),
    /// Seconds since the start of the drive.
    pub seconds: f64,
    /// Operator as the site table names it.
    pub operator: String,
    /// Technology.
    pub tech: Tech,
    /// Serving cell name.
    pub cell: String,
    /// Its PCI (made from the cell name: the site tables give none).
    pub pci: u32,
    /// Measured RSRP (dBm).
    pub rsrp_dbm: f64,
    /// Measured SINR (dB).
    pub sinr_db: f64,
    /// Measured download throughput (Mb/s).
    pub dl_mbps: f64,
}

/// SplitMix64, for draws that are the same on every machine (synthetic drive tests, and the
/// random maps of tests).
pub struct Rng(pub u64);

impl Rng {
    /// The next draw, uniform in [0, 1).
    pub fn uniform(&mut self) -> f64 {
        self.0 = self.0.wrapping_add(0x9E37_79B9_7F4A_7C15);
        let mut z = self.0;
        z = (z ^ (z >> 30)).wrapping_mul(0xBF58_476D_1CE4_E5B9);
        z = (z ^ (z >> 27)).wrapping_mul(0x94D0_49BB_1331_11EB);
        ((z ^ (z >> 31)) >> 11) as f64 / (1u64 << 53) as f64
    }

    /// Uniform in [lo, hi).
    pub fn within(&mut self, lo: f64, hi: f64) -> f64 {
        lo + (hi - lo) * self.uniform()
    }

    /// Standard normal (Box–Muller).
    fn normal(&mut self) -> f64 {
        let u = self.uniform().max(1e-12);
        (-2.0 * u.ln()).sqrt() * (std::f64::consts::TAU * self.uniform()).cos()
    }
}

/// Points every `spacing_m` along the project's roads (local frame), as drives: one list per
/// road part driven, about `max_points` in all (every n-th road part, spread over the county).
pub fn route(p: &Project, spacing_m: f64, max_points: usize) -> Vec<Vec<(f64, f64)>> {
    let mut drives: Vec<Vec<(f64, f64)>> = Vec::new();
    for road in p.data.roads.iter() {
        for line in &road.line.0 {
            let pts: Vec<(f64, f64)> = line.0.iter().map(|c| p.frame.forward(c.x, c.y)).collect();
            let mut drive = Vec::new();
            let mut carry = 0.0;
            for w in pts.windows(2) {
                let (dx, dy) = (w[1].0 - w[0].0, w[1].1 - w[0].1);
                let len = dx.hypot(dy);
                let mut t = carry;
                while t < len {
                    drive.push((w[0].0 + dx * t / len, w[0].1 + dy * t / len));
                    t += spacing_m;
                }
                carry = t - len;
            }
            if drive.len() >= 2 {
                drives.push(drive);
            }
        }
    }
    let total: usize = drives.iter().map(Vec::len).sum();
    let stride = total.div_ceil(max_points.max(1)).max(1);
    drives.into_iter().step_by(stride).collect()
}

/// The readings of a drive test along `drives` under `truth` (on top of settings `s`), in
/// drive order, each point's links by operator and technology (none where the shadowed RSRP
/// falls outside what a tool reports, see below).
pub fn drive_test(p: &Project, s: &RadioSettings, truth: &Truth, drives: &[Vec<(f64, f64)>], spacing_m: f64) -> Vec<Reading> {
    let true_settings = truth.settings(s);
    let m = RadioModel::new(p, &true_settings);
    let handset = Receiver::handset(&true_settings);
    let points: Vec<(usize, (f64, f64))> = drives.iter().enumerate().flat_map(|(k, d)| d.iter().map(move |&xy| (k, xy))).collect();
    let links: Vec<_> = points.par_iter().map(|&(_, (x, y))| m.links_at(x, y, m.environment(x, y, None), &handset, None)).collect();
    // Shadowing per operator, an AR(1) process along each drive.
    let rho = (-spacing_m / truth.decorrelation_m).exp();
    let mut rng = Rng(truth.seed);
    let mut shadow = vec![0.0; m.operators.len()];
    let mut out = Vec::new();
    for (n, (&(drive, (x, y)), links)) in points.iter().zip(&links).enumerate() {
        let first = n == 0 || points[n - 1].0 != drive;
        for sh in shadow.iter_mut() {
            let z = rng.normal();
            *sh = if first { truth.shadow_sigma_db * z } else { rho * *sh + (1.0 - rho * rho).sqrt() * truth.shadow_sigma_db * z };
        }
        for link in links {
            let (sinr_noise, load) = (rng.normal() * truth.sinr_noise_db, 0.4 + 0.5 * rng.uniform());
            let rsrp = link.rsrp_dbm + shadow[link.operator as usize];
            // Under −140 dBm no tool reports; over the reporting ceiling (LTE −44 dBm, NR −31)
            // it would report the ceiling, a saturated reading no model can be fitted to.
            let ceiling = if link.tech == Tech::Nr { -31.0 } else { -44.0 };
            if !(-140.0..=ceiling).contains(&rsrp) {
                continue;
            }
            let sector = &p.data.sectors[link.sector];
            let evaluated = m.evaluate(link, 0.0);
            out.push(Reading {
                lonlat: p.frame.inverse(x, y),
                seconds: n as f64 * spacing_m / 12.0,
                operator: sector.operator.clone().unwrap_or_default(),
                tech: link.tech,
                cell: sector.cell.clone(),
                pci: sector.cell.bytes().fold(0u32, |h, b| h.wrapping_mul(31).wrapping_add(b as u32)) % 504,
                rsrp_dbm: rsrp,
                sinr_db: (evaluated.sinr_db + sinr_noise).clamp(-20.0, 35.0),
                dl_mbps: evaluated.peak_mbps * load,
            });
        }
    }
    out
}

/// The readings as a drive-test tool's CSV export (Chinese headers, WGS84, the drive starting
/// 2026-10-12 09:00:00).
pub fn to_csv(readings: &[Reading]) -> String {
    let mut out = String::from("时间,经度,纬度,运营商,网络制式,小区名称,PCI,RSRP(dBm),SINR(dB),下载速率(Mbps)\n");
    for r in readings {
        let t = r.seconds.round() as u64;
        let (day, rest) = (12 + (9 * 3600 + t) / 86_400, (9 * 3600 + t) % 86_400);
        let _ = writeln!(
            out,
            "2026-10-{day:02} {:02}:{:02}:{:02},{:.6},{:.6},{},{},{},{},{:.1},{:.1},{:.2}",
            rest / 3600,
            rest / 60 % 60,
            rest % 60,
            r.lonlat.0,
            r.lonlat.1,
            r.operator,
            r.tech.name(),
            r.cell,
            r.pci,
            r.rsrp_dbm,
            r.sinr_db,
            r.dl_mbps
        );
    }
    out
}
