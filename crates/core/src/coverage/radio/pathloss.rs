//! Statistical path-loss models: free space, Okumura-Hata, COST-231 Hata and 3GPP TR 38.901
//! RMa/UMa/UMi (LOS and NLOS), with their validity ranges (formulas: docs/DOMAIN.md).
//!
//! Frequencies in MHz and distances in metres at the API; each model converts to its own units.
//! `dist_m` is the horizontal (2D) distance; models that need the 3D distance derive it from
//! the two antenna heights. Free space uses the 3D distance.

use serde::{Deserialize, Serialize};

const C: f64 = 299_792_458.0;

/// Okumura-Hata environments.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "kebab-case")]
pub enum HataEnv {
    /// Small or medium city.
    Urban,
    /// Large city (the large-city mobile-antenna correction).
    UrbanLarge,
    /// Suburban.
    Suburban,
    /// Open (rural) area.
    Open,
}

/// COST-231 Hata environments.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "kebab-case")]
pub enum Cost231Env {
    /// Medium city and suburban centres (C = 0).
    Medium,
    /// Metropolitan centres (C = 3 dB).
    Metropolitan,
}

/// 3GPP TR 38.901 scenarios.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "kebab-case")]
pub enum Scenario {
    /// Rural macro.
    Rma,
    /// Urban macro.
    Uma,
    /// Urban micro, street canyon.
    Umi,
}

/// A path-loss model with its environment.
#[derive(Debug, Clone, Copy, PartialEq, Serialize, Deserialize)]
#[serde(tag = "model", rename_all = "kebab-case")]
pub enum Model {
    /// Free space.
    FreeSpace,
    /// Okumura-Hata.
    Hata {
        /// Environment.
        env: HataEnv,
    },
    /// COST-231 Hata.
    Cost231 {
        /// Environment.
        env: Cost231Env,
    },
    /// 3GPP TR 38.901.
    Tr38901 {
        /// Scenario.
        scenario: Scenario,
        /// Line of sight.
        los: bool,
        /// Average building height (m), RMa only (default 5).
        building_height_m: f64,
        /// Average street width (m), RMa only (default 20).
        street_width_m: f64,
    },
}

/// The geometry and frequency of one link.
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct Link {
    /// Carrier frequency, MHz.
    pub freq_mhz: f64,
    /// Horizontal distance, metres.
    pub dist_m: f64,
    /// Base-station antenna height above ground, metres.
    pub h_bs_m: f64,
    /// User antenna height above ground, metres.
    pub h_ut_m: f64,
}

impl Link {
    /// Distance between the antennas in 3D, metres.
    pub fn d3d(&self) -> f64 {
        (self.dist_m.powi(2) + (self.h_bs_m - self.h_ut_m).powi(2)).sqrt()
    }
}

/// A path loss and whether every input was inside the model's validity range.
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct PathLoss {
    /// Loss in dB.
    pub db: f64,
    /// False when some input lay outside the validity range (the loss was then computed on
    /// inputs clamped into the range, see [`Model::path_loss`]).
    pub in_range: bool,
}

/// A closed range of valid values.
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct Range {
    /// Lowest valid value.
    pub min: f64,
    /// Highest valid value.
    pub max: f64,
}

impl Range {
    const fn new(min: f64, max: f64) -> Range {
        Range { min, max }
    }
    pub(crate) fn contains(&self, v: f64) -> bool {
        v >= self.min && v <= self.max
    }
    pub(crate) fn clamp(&self, v: f64) -> f64 {
        v.clamp(self.min, self.max)
    }
}

/// Where a model is valid: frequency (MHz), horizontal distance (m), heights (m).
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct Validity {
    /// Frequency, MHz.
    pub freq_mhz: Range,
    /// Horizontal distance, m.
    pub dist_m: Range,
    /// Base-station height, m.
    pub h_bs_m: Range,
    /// User height, m.
    pub h_ut_m: Range,
}

const ANY: Range = Range::new(0.0, f64::INFINITY);

impl Model {
    /// 38.901 with the default RMa building height and street width.
    pub fn tr38901(scenario: Scenario, los: bool) -> Model {
        Model::Tr38901 { scenario, los, building_height_m: 5.0, street_width_m: 20.0 }
    }

    /// A short name for evidence: "RMa NLOS", "Hata urban", "COST-231 metropolitan", "free space".
    pub fn short_name(&self) -> String {
        match self {
            Model::FreeSpace => "free space".into(),
            Model::Hata { env } => format!(
                "Hata {}",
                match env {
                    HataEnv::Urban => "urban",
                    HataEnv::UrbanLarge => "large city",
                    HataEnv::Suburban => "suburban",
                    HataEnv::Open => "open",
                }
            ),
            Model::Cost231 { env } => format!("COST-231 {}", if *env == Cost231Env::Medium { "medium city" } else { "metropolitan" }),
            Model::Tr38901 { scenario, los, .. } => format!(
                "{} {}",
                match scenario {
                    Scenario::Rma => "RMa",
                    Scenario::Uma => "UMa",
                    Scenario::Umi => "UMi",
                },
                if *los { "LOS" } else { "NLOS" }
            ),
        }
    }

    /// Where this model is valid.
    pub fn validity(&self) -> Validity {
        match self {
            Model::FreeSpace => Validity { freq_mhz: Range::new(1.0, 1e6), dist_m: Range::new(1.0, f64::INFINITY), h_bs_m: ANY, h_ut_m: ANY },
            Model::Hata { .. } => Validity {
                freq_mhz: Range::new(150.0, 1500.0),
                dist_m: Range::new(1000.0, 20_000.0),
                h_bs_m: Range::new(30.0, 200.0),
                h_ut_m: Range::new(1.0, 10.0),
            },
            Model::Cost231 { .. } => Validity {
                freq_mhz: Range::new(1500.0, 2000.0),
                dist_m: Range::new(1000.0, 20_000.0),
                h_bs_m: Range::new(30.0, 200.0),
                h_ut_m: Range::new(1.0, 10.0),
            },
            Model::Tr38901 { scenario: Scenario::Rma, los, .. } => Validity {
                freq_mhz: Range::new(500.0, 30_000.0),
                dist_m: Range::new(10.0, if *los { 10_000.0 } else { 5_000.0 }),
                h_bs_m: Range::new(10.0, 150.0),
                h_ut_m: Range::new(1.0, 10.0),
            },
            Model::Tr38901 { scenario: Scenario::Uma, .. } => Validity {
                freq_mhz: Range::new(500.0, 100_000.0),
                dist_m: Range::new(10.0, 5_000.0),
                h_bs_m: Range::new(25.0, 25.0),
                h_ut_m: Range::new(1.5, 22.5),
            },
            Model::Tr38901 { scenario: Scenario::Umi, .. } => Validity {
                freq_mhz: Range::new(500.0, 100_000.0),
                dist_m: Range::new(10.0, 5_000.0),
                h_bs_m: Range::new(10.0, 10.0),
                h_ut_m: Range::new(1.5, 22.5),
            },
        }
    }

    /// True when every input of `link` (and the model's own parameters) is inside the validity range.
    pub fn in_range(&self, link: &Link) -> bool {
        let v = self.validity();
        let own = match self {
            Model::Tr38901 { scenario: Scenario::Rma, building_height_m: h, street_width_m: w, .. } => (5.0..=50.0).contains(h) && (5.0..=50.0).contains(w),
            _ => true,
        };
        own && v.freq_mhz.contains(link.freq_mhz) && v.dist_m.contains(link.dist_m) && v.h_bs_m.contains(link.h_bs_m) && v.h_ut_m.contains(link.h_ut_m)
    }

    /// The path loss. Inside the validity range it is the model's formula; outside, the inputs
    /// are clamped into the range (never extrapolated) and the result is flagged `in_range: false`.
    pub fn path_loss(&self, link: &Link) -> PathLoss {
        let in_range = self.in_range(link);
        let v = self.validity();
        let l = if in_range {
            *link
        } else {
            Link {
                freq_mhz: v.freq_mhz.clamp(link.freq_mhz),
                dist_m: v.dist_m.clamp(link.dist_m),
                h_bs_m: v.h_bs_m.clamp(link.h_bs_m),
                h_ut_m: v.h_ut_m.clamp(link.h_ut_m),
            }
        };
        let db = match *self {
            Model::FreeSpace => free_space(l.freq_mhz, l.d3d()),
            Model::Hata { env } => hata(env, &l),
            Model::Cost231 { env } => cost231(env, &l),
            Model::Tr38901 { scenario: Scenario::Rma, los, building_height_m, street_width_m } => {
                rma(los, &l, building_height_m.clamp(5.0, 50.0), street_width_m.clamp(5.0, 50.0))
            }
            Model::Tr38901 { scenario: Scenario::Uma, los, .. } => street(&UMA, los, &l),
            Model::Tr38901 { scenario: Scenario::Umi, los, .. } => street(&UMI, los, &l),
        };
        PathLoss { db, in_range }
    }
}

/// Free-space loss: 32.45 + 20·log10 f[MHz] + 20·log10 d[km].
pub fn free_space(freq_mhz: f64, d_m: f64) -> f64 {
    32.45 + 20.0 * freq_mhz.log10() + 20.0 * (d_m / 1000.0).log10()
}

/// Mobile-antenna correction a(h_m) for small and medium cities.
fn a_small(f: f64, hm: f64) -> f64 {
    (1.1 * f.log10() - 0.7) * hm - (1.56 * f.log10() - 0.8)
}

/// Mobile-antenna correction a(h_m) for large cities (f > 200 MHz; Hata's 8.29 form below).
fn a_large(f: f64, hm: f64) -> f64 {
    if f > 200.0 { 3.2 * (11.75 * hm).log10().powi(2) - 4.97 } else { 8.29 * (1.54 * hm).log10().powi(2) - 1.1 }
}

fn hata_urban_base(f: f64, l: &Link) -> f64 {
    let hb = l.h_bs_m;
    69.55 + 26.16 * f.log10() - 13.82 * hb.log10() + (44.9 - 6.55 * hb.log10()) * (l.dist_m / 1000.0).log10()
}

fn hata(env: HataEnv, l: &Link) -> f64 {
    let f = l.freq_mhz;
    let urban = hata_urban_base(f, l) - a_small(f, l.h_ut_m);
    match env {
        HataEnv::Urban => urban,
        HataEnv::UrbanLarge => hata_urban_base(f, l) - a_large(f, l.h_ut_m),
        HataEnv::Suburban => urban - 2.0 * (f / 28.0).log10().powi(2) - 5.4,
        HataEnv::Open => urban - 4.78 * f.log10().powi(2) + 18.33 * f.log10() - 40.94,
    }
}

fn cost231(env: Cost231Env, l: &Link) -> f64 {
    let (f, hb) = (l.freq_mhz, l.h_bs_m);
    let (a, c) = match env {
        Cost231Env::Medium => (a_small(f, l.h_ut_m), 0.0),
        Cost231Env::Metropolitan => (a_large(f, l.h_ut_m), 3.0),
    };
    46.3 + 33.9 * f.log10() - 13.82 * hb.log10() + (44.9 - 6.55 * hb.log10()) * (l.dist_m / 1000.0).log10() - a + c
}

/// 38.901 RMa breakpoint distance d_BP = 2π·h_BS·h_UT·f_c/c (m).
pub fn rma_breakpoint(l: &Link) -> f64 {
    2.0 * std::f64::consts::PI * l.h_bs_m * l.h_ut_m * l.freq_mhz * 1e6 / C
}

fn rma(los: bool, l: &Link, h: f64, w: f64) -> f64 {
    let fc = l.freq_mhz / 1000.0;
    let d3 = l.d3d();
    let pl1 = |d: f64| {
        20.0 * (40.0 * std::f64::consts::PI * d * fc / 3.0).log10() + (0.03 * h.powf(1.72)).min(10.0) * d.log10() - (0.044 * h.powf(1.72)).min(14.77)
            + 0.002 * h.log10() * d
    };
    let d_bp = rma_breakpoint(l);
    let los_loss = if l.dist_m <= d_bp { pl1(d3) } else { pl1(d_bp) + 40.0 * (d3 / d_bp).log10() };
    if los {
        return los_loss;
    }
    let hb = l.h_bs_m;
    let nlos = 161.04 - 7.1 * w.log10() + 7.5 * h.log10() - (24.37 - 3.7 * (h / hb).powi(2)) * hb.log10()
        + (43.42 - 3.1 * hb.log10()) * (d3.log10() - 3.0)
        + 20.0 * fc.log10()
        - (3.2 * (11.75 * l.h_ut_m).log10().powi(2) - 4.97);
    nlos.max(los_loss)
}

/// 38.901 UMa/UMi effective breakpoint d'_BP = 4·(h_BS − 1)·(h_UT − 1)·f_c/c (m), h_E = 1 m.
pub fn effective_breakpoint(l: &Link) -> f64 {
    4.0 * (l.h_bs_m - 1.0) * (l.h_ut_m - 1.0) * l.freq_mhz * 1e6 / C
}

/// The coefficients of 38.901 UMa or UMi street canyon (Table 7.4.1-1), which share a form:
/// PL1 = a + los_slope·log10(d3D) + 20·log10(fc) up to d'_BP, PL2 = a + 40·log10(d3D) +
/// 20·log10(fc) − bp_factor·log10(d'_BP² + (h_BS − h_UT)²) past it, and NLOS the larger of the
/// LOS loss and n.0 + n.1·log10(d3D) + n.2·log10(fc) − n.3·(h_UT − 1.5).
struct StreetCoefficients {
    a: f64,
    los_slope: f64,
    bp_factor: f64,
    nlos: (f64, f64, f64, f64),
}

const UMA: StreetCoefficients = StreetCoefficients { a: 28.0, los_slope: 22.0, bp_factor: 9.0, nlos: (13.54, 39.08, 20.0, 0.6) };

const UMI: StreetCoefficients = StreetCoefficients { a: 32.4, los_slope: 21.0, bp_factor: 9.5, nlos: (22.4, 35.3, 21.3, 0.3) };

fn street(c: &StreetCoefficients, los: bool, l: &Link) -> f64 {
    let (fc, d3) = (l.freq_mhz / 1000.0, l.d3d());
    let d_bp = effective_breakpoint(l);
    let los_loss = if l.dist_m <= d_bp {
        c.a + c.los_slope * d3.log10() + 20.0 * fc.log10()
    } else {
        c.a + 40.0 * d3.log10() + 20.0 * fc.log10() - c.bp_factor * (d_bp.powi(2) + (l.h_bs_m - l.h_ut_m).powi(2)).log10()
    };
    let (n0, n_slope, n_fc, n_hut) = c.nlos;
    if los { los_loss } else { los_loss.max(n0 + n_slope * d3.log10() + n_fc * fc.log10() - n_hut * (l.h_ut_m - 1.5)) }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn link(freq_mhz: f64, dist_m: f64, h_bs_m: f64, h_ut_m: f64) -> Link {
        Link { freq_mhz, dist_m, h_bs_m, h_ut_m }
    }

    fn check(model: Model, l: Link, want: f64) {
        let got = model.path_loss(&l);
        assert!(got.in_range, "{model:?} {l:?} should be in range");
        assert!((got.db - want).abs() < 1e-6, "{model:?} {l:?}: {} vs {want}", got.db);
    }

    // Expected values were computed by hand (a calculator) from the formulas of docs/DOMAIN.md.

    #[test]
    fn free_space_uses_the_3d_distance() {
        // d3D = √(1000² + 28.5²) = 1000.406 m → 32.45 + 20·log 2000 + 20·log 1.000406.
        check(Model::FreeSpace, link(2000.0, 1000.0, 30.0, 1.5), 98.474_126_038);
    }

    #[test]
    fn okumura_hata() {
        check(Model::Hata { env: HataEnv::Urban }, link(900.0, 5000.0, 30.0, 1.5), 151.024_404_079);
        check(Model::Hata { env: HataEnv::UrbanLarge }, link(900.0, 5000.0, 30.0, 1.5), 151.041_204_952);
        check(Model::Hata { env: HataEnv::Suburban }, link(900.0, 5000.0, 30.0, 1.5), 141.081_796_831);
        check(Model::Hata { env: HataEnv::Open }, link(900.0, 10_000.0, 50.0, 1.5), 128.602_665_145);
    }

    #[test]
    fn cost231_keeps_the_large_city_constant() {
        check(Model::Cost231 { env: Cost231Env::Medium }, link(1800.0, 2000.0, 30.0, 1.5), 146.800_685_841);
        // Metropolitan: a(h_m) = 3.2·(log 11.75·h_m)² − 4.97 and C = 3 — the −4.97 is not dropped.
        check(Model::Cost231 { env: Cost231Env::Metropolitan }, link(1800.0, 2000.0, 30.0, 1.5), 149.844_579_413);
    }

    #[test]
    fn rma_both_sides_of_the_breakpoint() {
        // d_BP = 2π·35·1.5·0.7e9/c = 770.2 m.
        assert!((rma_breakpoint(&link(700.0, 0.0, 35.0, 1.5)) - 770.223_045_567).abs() < 1e-6);
        let los = Model::tr38901(Scenario::Rma, true);
        let nlos = Model::tr38901(Scenario::Rma, false);
        check(los, link(700.0, 500.0, 35.0, 1.5), 84.632_521_721);
        check(nlos, link(700.0, 500.0, 35.0, 1.5), 104.843_262_170);
        check(los, link(700.0, 1000.0, 35.0, 1.5), 93.376_484_461);
        check(nlos, link(700.0, 1000.0, 35.0, 1.5), 116.444_905_989);
        check(los, link(700.0, 3000.0, 35.0, 1.5), 112.452_675_391);
        let tall = Model::Tr38901 { scenario: Scenario::Rma, los: true, building_height_m: 10.0, street_width_m: 30.0 };
        check(tall, link(2600.0, 1500.0, 35.0, 1.5), 109.957_504_841);
        let tall_n = Model::Tr38901 { scenario: Scenario::Rma, los: false, building_height_m: 10.0, street_width_m: 30.0 };
        check(tall_n, link(2600.0, 1500.0, 35.0, 1.5), 135.997_443_822);
    }

    #[test]
    fn uma_and_umi_both_sides_of_the_breakpoint() {
        // UMa d'_BP = 4·24·0.5·3.5e9/c = 560.4 m; UMi d'_BP = 4·9·0.5·3.5e9/c = 210.1 m.
        assert!((effective_breakpoint(&link(3500.0, 0.0, 25.0, 1.5)) - 560.387_679_933).abs() < 1e-6);
        check(Model::tr38901(Scenario::Uma, true), link(3500.0, 100.0, 25.0, 1.5), 83.138_156_677);
        check(Model::tr38901(Scenario::Uma, true), link(3500.0, 500.0, 25.0, 1.5), 98.269_242_265);
        check(Model::tr38901(Scenario::Uma, false), link(3500.0, 500.0, 25.0, 1.5), 129.915_833_808);
        check(Model::tr38901(Scenario::Uma, true), link(3500.0, 1000.0, 25.0, 1.5), 109.406_494_346);
        check(Model::tr38901(Scenario::Uma, false), link(3500.0, 1000.0, 25.0, 1.5), 141.666_046_050);
        check(Model::tr38901(Scenario::Umi, true), link(3500.0, 50.0, 10.0, 1.5), 79.089_649_234);
        check(Model::tr38901(Scenario::Umi, true), link(3500.0, 200.0, 10.0, 1.5), 91.611_220_032);
        check(Model::tr38901(Scenario::Umi, false), link(3500.0, 200.0, 10.0, 1.5), 115.228_841_146);
        check(Model::tr38901(Scenario::Umi, true), link(3500.0, 400.0, 10.0, 1.5), 103.233_060_273);
        check(Model::tr38901(Scenario::Umi, false), link(3500.0, 400.0, 10.0, 1.5), 125.844_827_618);
    }

    #[test]
    fn outside_the_range_is_flagged_and_clamped_not_extrapolated() {
        let hata = Model::Hata { env: HataEnv::Urban };
        let far = hata.path_loss(&link(900.0, 40_000.0, 30.0, 1.5));
        assert!(!far.in_range);
        assert_eq!(far.db, hata.path_loss(&link(900.0, 20_000.0, 30.0, 1.5)).db);
        assert!(!hata.path_loss(&link(2600.0, 5000.0, 30.0, 1.5)).in_range);
        assert!(!Model::tr38901(Scenario::Rma, false).path_loss(&link(700.0, 8000.0, 35.0, 1.5)).in_range);
        assert!(Model::tr38901(Scenario::Rma, true).path_loss(&link(700.0, 8000.0, 35.0, 1.5)).in_range);
        assert!(!Model::tr38901(Scenario::Uma, true).path_loss(&link(3500.0, 100.0, 30.0, 1.5)).in_range);
    }

    #[test]
    fn monotonic_in_distance() {
        let models = [
            Model::FreeSpace,
            Model::Hata { env: HataEnv::Urban },
            Model::Hata { env: HataEnv::Open },
            Model::Cost231 { env: Cost231Env::Metropolitan },
            Model::tr38901(Scenario::Rma, true),
            Model::tr38901(Scenario::Rma, false),
            Model::tr38901(Scenario::Uma, true),
            Model::tr38901(Scenario::Uma, false),
            Model::tr38901(Scenario::Umi, true),
            Model::tr38901(Scenario::Umi, false),
        ];
        for m in models {
            let v = m.validity();
            let (f, hb, hu) = (v.freq_mhz.min.max(700.0).min(v.freq_mhz.max), v.h_bs_m.min.max(25.0).min(v.h_bs_m.max), 1.5);
            let mut last = f64::NEG_INFINITY;
            let mut d = v.dist_m.min;
            while d <= v.dist_m.max.min(20_000.0) {
                let pl = m.path_loss(&link(f, d, hb, hu)).db;
                assert!(pl >= last - 1e-9, "{m:?} not monotonic at {d} m: {pl} < {last}");
                last = pl;
                d *= 1.05;
            }
        }
    }
}
