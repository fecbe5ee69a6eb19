//! The mobile link at every building and village: per sector RSRP (antenna pattern, link
//! budget, path loss by environment), best server per operator and technology, SINR against
//! co-channel sectors of the same operator and band, coverage, and the rate a household gets.

use super::antenna::{angle_between_deg, combined_db, horizontal_db, vertical_db};

use super::budget::{n_prb, noise_per_re_dbm, o2i_loss_db, rs_power_dbm, scs_khz};
pub use super::environment::{Environment, choose_model, uma_p_los};
use super::fastloss::FastLoss;
pub use super::link::{Evaluated, LinkResult, Receiver};
use super::pathloss::{Link, Scenario};
use super::reach::{ReachGrid, reach_m};
use super::throughput::efficiency;

mod terrain_cache;
use crate::model::Tech;
use crate::project::Project;
use crate::settings::RadioSettings;
use serde::Serialize;
pub(super) use terrain_cache::EarlierTerrain;

/// A sector made ready for evaluation: position in the frame and its budget numbers.
#[derive(Debug, Clone)]
pub(super) struct Tx {
    pub(super) x: f64,
    pub(super) y: f64,
    /// The position as WGS84 (lon, lat), for terrain profiles.
    pub(super) lonlat: (f64, f64),
    pub(super) h: f64,
    azimuth: Option<f64>,
    tilt: f64,
    pub(super) beamwidth: f64,
    gain: f64,
    rs_dbm: f64,
    pub(super) freq: f64,
    pub(super) tech: Tech,
    pub(super) operator: u16,
    /// Sectors with the same (operator, technology, frequency) interfere with each other.
    pub(super) channel: u32,
    bandwidth: f64,
    tdd: bool,
    /// Thermal noise per resource element at the receiver (dBm).
    noise_dbm: f64,
    /// Extra loss indoors (O2I at its frequency plus body loss, dB): asked for every link of
    /// every household's verdict, so worked out once.
    indoor_db: f64,
    /// Farthest a link is evaluated (the floor distance, capped by the models' range).
    pub(super) reach: f64,
    /// log10 of the uncapped floor distance, for the off-axis bound.
    log_floor_reach: f64,
    /// Boresight as a unit vector (east, north), when the sector is directional.
    pub(super) boresight: Option<(f64, f64)>,
    /// cos of the off-boresight angle past which the horizontal pattern sits on its floor.
    cos_floor: f64,
    /// Squared reach of a signal on the pattern's floor (the off-axis bound at A = −floor).
    back_reach2: f64,
    /// Path-loss coefficients for a handset and for an FWA CPE.
    fast: FastLoss,
    fast_cpe: FastLoss,
}

/// One sector heard at a place, before the best is chosen.
#[derive(Debug, Clone, Copy)]
pub(super) struct Heard {
    pub(super) sector: usize,
    pub(super) rsrp: f64,
    pub(super) d: f64,
    scenario: Scenario,
    los: bool,
    in_range: bool,
    path_loss: f64,
    terrain: f64,
}

/// Every sector heard at one place (see [`RadioModel::hearing`]).
pub struct Hearing(Vec<Heard>);

impl Hearing {
    /// The sectors heard, in the order they were found.
    pub fn sectors(&self) -> impl Iterator<Item = usize> + '_ {
        self.0.iter().map(|h| h.sector)
    }
}

/// How far a village's buildings may lie from its point, for sharing its terrain profiles (m).
pub(super) const VILLAGE_SPREAD_M: f64 = 1_000.0;

/// Cell size of the reach grids (m): small against a sector's reach of a few kilometres.
const REACH_CELL_M: f64 = 500.0;

/// The longest NLOS distance of the models the engine uses (38.901 RMa and UMa NLOS: 5 km).
pub(super) const MAX_NLOS_M: f64 = 5_000.0;

/// All sectors' best links at one place (one entry per operator and technology that reaches).
pub type LinksAt = Vec<LinkResult>;

/// Radio results for a project.
#[derive(Debug, Clone, Serialize)]
pub struct RadioResults {
    /// Operator names (sectors without one are "?").
    pub operators: Vec<String>,
    /// Per building (outdoors at the building, handset height); indoor values derive via [`indoor`].
    pub buildings: Vec<LinksAt>,
    /// Per village, outdoors at its representative point.
    pub villages: Vec<LinksAt>,
    /// Per building, 5G fixed wireless access: an outdoor CPE (settings' height and gain, no
    /// penetration loss) on NR, best per operator; empty for buildings without households.
    pub fwa: Vec<LinksAt>,
    /// Households whose indoor best server is each sector (for the busy-hour share).
    pub households_per_sector: Vec<f64>,
    /// The terrain losses cached per village and sector on the way (not results: a
    /// recomputation after a sector edit looks the kept sectors' up instead of sampling again).
    #[serde(skip)]
    pub(super) village_terrain: terrain_cache::TerrainLists,
    /// Each village's environment (a recomputation after a sector edit takes it from here).
    #[serde(skip)]
    pub(super) village_env: std::sync::Arc<Vec<Environment>>,
}

/// The per-sector data and settings for evaluation.
pub struct RadioModel<'a> {
    pub(super) p: &'a Project,
    pub(super) s: &'a RadioSettings,
    pub(super) txs: Vec<Tx>,
    /// Operator names.
    pub operators: Vec<String>,
    /// Each sector's reach as a box (for villages' terrain profiles).
    pub(super) reach_boxes: crate::spatial::BoxIndex,
    /// The sectors that can reach a place, all and NR only (FWA).
    pub(super) reach_all: ReachGrid,
    pub(super) reach_nr: ReachGrid,
    /// Sectors taking part (all unless restricted to some technologies' channels).
    pub(super) active: Vec<bool>,
    /// Building counts per 50 m cell, for the dense-town test (built when first asked).
    density: std::sync::OnceLock<crate::spatial::DensityGrid>,
    exhaustive: bool,
    /// Per terrain anchor (village point, or grid tile), the terrain loss (dB) from each sector
    /// in reach, sorted by sector.
    pub(super) anchor_terrain: terrain_cache::TerrainLists,
}

fn tdd_band(freq: f64) -> bool {
    // B38/B41/n41 2496–2690, B40 2300–2400, B39 1880–1920, n78 3300–3800, n79 4400–5000.
    (1880.0..=1920.0).contains(&freq) || (2300.0..=2400.0).contains(&freq) || (2496.0..=2690.0).contains(&freq) || (3300.0..=5000.0).contains(&freq)
}

/// The operators of a project's sectors, sorted ("?" for a sector naming none); a shard's are
/// the whole project's.
pub fn operators_of(p: &Project) -> Vec<String> {
    if let Some(part) = &p.partition {
        return part.operators.clone();
    }
    let mut operators: Vec<String> = p.data.sectors.iter().map(|x| x.operator.clone().unwrap_or_else(|| "?".into())).collect();
    operators.sort();
    operators.dedup();
    operators
}

impl<'a> RadioModel<'a> {
    /// Prepares every sector of the project.
    pub fn new(p: &'a Project, s: &'a RadioSettings) -> RadioModel<'a> {
        Self::for_channels_of(p, s, &[])
    }

    /// Prepares the sectors on the channels `techs` use (empty: every sector). Links of those
    /// technologies come out exactly as with every sector: each sector on their channels,
    /// whatever its technology, still interferes.
    pub fn for_channels_of(p: &'a Project, s: &'a RadioSettings, techs: &[Tech]) -> RadioModel<'a> {
        let mut m = Self::sectors_only(p, s, techs);
        m.build_grids();
        m
    }

    /// The sectors made ready, without listing them in the reach grids (which then only hold
    /// their lattice): for evaluating given sectors at given places ([`Self::hear`], the reach
    /// tests of a recomputation), not for finding the sectors heard at a place.
    pub fn sectors_only(p: &'a Project, s: &'a RadioSettings, techs: &[Tech]) -> RadioModel<'a> {
        let operators = operators_of(p);
        let noise_lte = noise_per_re_dbm(15.0, s.noise_figure_db);
        let mut reaches: std::collections::HashMap<(u64, u64, u64), f64> = Default::default();
        // A calibration that strengthens some links widens every reach by its largest gain.
        let calibration_gain = s.calibration.as_ref().map_or(0.0, |c| c.max_gain_db(MAX_NLOS_M));
        let txs: Vec<Tx> = p
            .data
            .sectors
            .iter()
            .map(|sec| {
                let (x, y) = p.frame.forward(sec.position.x(), sec.position.y());
                let nr = sec.tech == Tech::Nr;
                let freq = sec.band_mhz.unwrap_or(if nr { 3500.0 } else { 1800.0 });
                let bandwidth = sec.bandwidth_mhz.unwrap_or(if nr { s.default_nr_bandwidth_mhz } else { s.default_lte_bandwidth_mhz });
                let scs = scs_khz(sec.tech, freq);
                let power = sec.power_dbm.unwrap_or(if nr { s.default_nr_power_dbm } else { s.default_lte_power_dbm });
                let rs = rs_power_dbm(power, n_prb(sec.tech, bandwidth, scs));
                let op = operators.binary_search(&sec.operator.clone().unwrap_or_else(|| "?".into())).expect("collected above") as u16;
                let gain = sec.gain_dbi.unwrap_or(s.default_gain_dbi);
                let h = sec.height_m.unwrap_or(s.default_height_m).max(1.0);
                // Reach: where even the rural NLOS loss leaves the boresight signal the setting's
                // margin under the noise; farther sectors neither serve nor measurably interfere.
                let max_loss = rs + gain - s.cable_loss_db - (noise_lte - s.ignore_below_noise_db) + calibration_gain;
                // Sectors mostly share their budget numbers: the bisection runs once for each.
                let key = (freq.to_bits(), h.to_bits(), max_loss.to_bits());
                let floor_reach = *reaches.entry(key).or_insert_with(|| reach_m(freq, h, s.ue_height_m, max_loss));
                // Beyond 5 km only RMa LOS would be valid, and LOS is assumed only within ~700 m:
                // no link past 5 km is ever counted (see `hear`), so none is looked at.
                let reach = floor_reach.min(s.max_distance_m).min(MAX_NLOS_M);
                Tx {
                    x,
                    y,
                    lonlat: p.frame.inverse(x, y),
                    h,
                    azimuth: sec.azimuth_deg,
                    tilt: sec.tilt_deg.unwrap_or(0.0),
                    beamwidth: sec.beamwidth_deg.unwrap_or(s.default_beamwidth_deg),
                    gain,
                    rs_dbm: rs,
                    freq,
                    tech: sec.tech,
                    operator: op,
                    channel: (op as u32) << 24 | (freq.round() as u32),
                    bandwidth,
                    tdd: tdd_band(freq),
                    noise_dbm: noise_per_re_dbm(scs, s.noise_figure_db),
                    indoor_db: o2i_loss_db(freq, s.indoor_high_loss, s.indoor_distance_m) + s.body_loss_db,
                    reach,
                    log_floor_reach: floor_reach.log10(),
                    boresight: sec.azimuth_deg.map(|a| (a.to_radians().sin(), a.to_radians().cos())),
                    cos_floor: {
                        let phi = sec.beamwidth_deg.unwrap_or(s.default_beamwidth_deg) * (s.antenna_floor_db / 12.0).sqrt();
                        if phi >= 180.0 { -2.0 } else { phi.to_radians().cos() }
                    },
                    back_reach2: (floor_reach * 10f64.powf(-s.antenna_floor_db / 36.7)).powi(2),
                    fast: FastLoss::new(freq, h, s.ue_height_m),
                    fast_cpe: FastLoss::new(freq, h, s.fwa_height_m),
                }
            })
            .collect();
        let reach_boxes = crate::spatial::BoxIndex::new(
            txs.iter().enumerate().map(|(i, t)| (i, geo::Rect::new((t.x - t.reach, t.y - t.reach), (t.x + t.reach, t.y + t.reach)))),
        );
        let active = if techs.is_empty() {
            vec![true; txs.len()]
        } else {
            let channels: std::collections::BTreeSet<u32> = txs.iter().filter(|t| techs.contains(&t.tech)).map(|t| t.channel).collect();
            txs.iter().map(|t| channels.contains(&t.channel)).collect()
        };
        let mut m = RadioModel {
            p,
            s,
            txs,
            operators,
            reach_boxes,
            reach_all: ReachGrid::default(),
            reach_nr: ReachGrid::default(),
            active,
            density: std::sync::OnceLock::new(),
            exhaustive: false,
            anchor_terrain: Default::default(),
        };
        let bounds = m.grid_bounds();
        m.reach_all = ReachGrid::lattice(bounds, REACH_CELL_M);
        m.reach_nr = m.reach_all.clone();
        m
    }

    /// The box of the reach grids: every sector's reach, active or not (restricted models then
    /// share their cells, and the far sums' cells, so their links equal the full model's exactly).
    fn grid_bounds(&self) -> (f64, f64, f64, f64) {
        let every: Vec<(f64, f64, f64)> = self.txs.iter().map(|t| (t.x, t.y, t.reach)).collect();
        ReachGrid::bounds(&every)
    }

    /// The largest reach of any sector (m): past it no sector is heard, so none changes a
    /// verdict (0 without sectors). Shards carry their context within multiples of it.
    pub fn max_reach_m(&self) -> f64 {
        self.txs.iter().map(|t| t.reach).filter(|r| r.is_finite()).fold(0.0, f64::max)
    }

    /// Sector `i`'s disc in the reach grid of all sectors (nowhere when it takes no part).
    pub(super) fn reach_disc(&self, i: usize) -> (f64, f64, f64) {
        let t = &self.txs[i];
        if self.active[i] { (t.x, t.y, t.reach) } else { (f64::NAN, f64::NAN, 0.0) }
    }

    fn build_grids(&mut self) {
        let discs = |nr_only: bool| -> Vec<(f64, f64, f64)> {
            self.txs
                .iter()
                .zip(&self.active)
                .map(|(t, &on)| if !on || (nr_only && t.tech != Tech::Nr) { (f64::NAN, f64::NAN, 0.0) } else { (t.x, t.y, t.reach) })
                .collect()
        };
        let (all, nr) = (discs(false), discs(true));
        let bounds = self.grid_bounds();
        (self.reach_all, self.reach_nr) = rayon::join(|| ReachGrid::within(&all, bounds, REACH_CELL_M), || ReachGrid::within(&nr, bounds, REACH_CELL_M));
    }

    /// Evaluates every sector at every place, without reach or pattern pruning (for checking the pruning).
    pub fn set_exhaustive(&mut self, on: bool) {
        self.exhaustive = on;
    }

    /// The environment at local (x, y) for a settlement with urban-rural code `code`: urban
    /// (UMa) where the code is a town or city core (111, 112, 121; or no code) and buildings
    /// are dense around the place; rural (RMa) elsewhere, including 122/210/220 villages.
    pub fn environment(&self, x: f64, y: f64, code: Option<u16>) -> Environment {
        let core = code.is_none_or(|c| self.s.urban_codes.contains(&c));
        let density = self.density.get_or_init(|| crate::spatial::DensityGrid::new(&self.p.index.building_xy, 50.0));
        if core && density.at_least_within(x, y, 200.0, self.s.dense_buildings_200m) { Environment::Urban } else { Environment::Rural }
    }

    /// Every sector heard at local (x, y) (reach and pattern pruning unless exhaustive).
    fn heard_at(&self, x: f64, y: f64, env: Environment, receiver: &Receiver, anchor: Option<usize>) -> Vec<Heard> {
        if self.exhaustive {
            return (0..self.txs.len()).filter(|&i| self.active[i]).filter_map(|i| self.hear(i, x, y, env, receiver, anchor)).collect();
        }
        let grid = if receiver.only_nr { &self.reach_nr } else { &self.reach_all };
        grid.at(x, y).iter().filter_map(|&i| self.hear(i as usize, x, y, env, receiver, anchor)).collect()
    }

    /// Whether [`Self::hear`] rejects sector `i` at every point within `radius` of local
    /// (cx, cy) by its first tests (out of reach, behind the antenna, past the off-axis reach):
    /// the far sums then leave it out of the cell instead of trying it at each building.
    pub(super) fn never_heard_within(&self, i: usize, cx: f64, cy: f64, radius: f64) -> bool {
        if self.exhaustive {
            return false;
        }
        let t = &self.txs[i];
        let dc = ((t.x - cx).powi(2) + (t.y - cy).powi(2)).sqrt();
        let d_min = dc - radius;
        if d_min > t.reach {
            return true;
        }
        // Omni sectors are rejected only by reach; the other tests start at 1 km.
        let Some((sx, sy)) = t.boresight.filter(|_| d_min > 1000.0) else { return false };
        // The least angle off boresight in the disc: the centre's, less what the disc subtends.
        let cos_c = (((cx - t.x) * sx + (cy - t.y) * sy) / dc).clamp(-1.0, 1.0);
        let phi_min = (cos_c.acos() - (radius / dc).asin()).max(0.0);
        if t.cos_floor >= -1.0 && d_min * d_min > t.back_reach2 && phi_min > t.cos_floor.acos() + 1e-9 {
            return true;
        }
        // The off-axis bound of `hear` with the least attenuation the disc allows.
        let ah_max = horizontal_db(phi_min.to_degrees(), t.beamwidth, self.s.antenna_floor_db);
        d_min.log10() > t.log_floor_reach + ah_max / 36.7 + 1e-9
    }

    /// Sector `i` at local (x, y): its RSRP and the evidence, or `None` when out of reach.
    pub(super) fn hear(&self, i: usize, x: f64, y: f64, env: Environment, receiver: &Receiver, anchor: Option<usize>) -> Option<Heard> {
        self.hear_cached(i, x, y, env, receiver, || self.cached_terrain(anchor, i))
    }

    /// [`Self::hear`] with the cached terrain loss given (looked up once per far-sum cell
    /// rather than at each building); asked only once the link survives the pruning.
    pub(super) fn hear_cached(&self, i: usize, x: f64, y: f64, env: Environment, receiver: &Receiver, cached: impl FnOnce() -> Option<f32>) -> Option<Heard> {
        let s = self.s;
        let (h_rx, g_rx) = (receiver.height_m, receiver.gain_dbi);
        let t = &self.txs[i];
        let d = ((t.x - x).powi(2) + (t.y - y).powi(2)).sqrt();
        if (!self.exhaustive && d > t.reach) || (receiver.only_nr && t.tech != Tech::Nr) {
            return None;
        }
        // Behind the antenna the pattern is on its floor: the bound below at A = −floor, without
        // computing the angle.
        if !self.exhaustive
            && d > 1000.0
            && d * d > t.back_reach2
            && let Some((sx, cx)) = t.boresight
            && ((x - t.x) * sx + (y - t.y) * cx) / d < t.cos_floor
        {
            return None;
        }
        // Off-boresight past where the horizontal pattern sits on its floor, the whole pattern
        // is the floor (the vertical cut cannot lower it further): no angle needs computing.
        let off_axis_floor = t.boresight.is_some_and(|(sx, cx)| ((x - t.x) * sx + (y - t.y) * cx) < t.cos_floor * d);
        let ah = match t.boresight {
            None => 0.0,
            Some(_) if off_axis_floor => -s.antenna_floor_db,
            // The angle off boresight straight from the two vectors: the same as bearing minus
            // azimuth wrapped into ±180°, without the two remainders.
            Some((sx, cx)) => {
                let (dx, dy) = (x - t.x, y - t.y);
                horizontal_db(angle_between_deg(dx * cx - dy * sx, dx * sx + dy * cx), t.beamwidth, s.antenna_floor_db)
            }
        };
        // Off-axis, a sector's reach shrinks with its pattern: NLOS loss grows at least
        // 36.7 dB per decade (RMa, h_BS ≤ 150 m), so past 1 km a signal attenuated by A dB
        // cannot beat the floor beyond reach·10^(A/36.7).
        let lg_d = (d > 1000.0).then(|| d.log10());
        if !self.exhaustive && lg_d.is_some_and(|lg| lg > t.log_floor_reach + ah / 36.7) {
            return None;
        }
        let (model, los) = choose_model(env, d);
        // Past a model's distance range no loss is known: the link is not counted at all
        // (no coverage claimed, no interference). Other inputs out of range are clamped and flagged.
        if d > model.validity().dist_m.max {
            return None;
        }
        let fast = if h_rx == t.fast.h_ut {
            Some(&t.fast)
        } else if h_rx == t.fast_cpe.h_ut {
            Some(&t.fast_cpe)
        } else {
            None
        };
        let (statistical, in_range) = match fast.and_then(|f| f.loss(&model, d, lg_d)) {
            Some(fast) => fast,
            None => {
                let pl = model.path_loss(&Link { freq_mhz: t.freq, dist_m: d.max(1.0), h_bs_m: t.h, h_ut_m: h_rx });
                (pl.db, pl.in_range)
            }
        };
        let terrain = if self.p.terrain.is_none() {
            0.0
        } else {
            // A village's profiles are sampled for a handset; a rooftop CPE a few metres higher
            // sees the same ridges, so it shares them.
            cached().map_or_else(|| self.terrain_loss_db(i, x, y, h_rx), f64::from)
        };
        let path_loss = statistical + terrain - self.correction_db(env, d);
        let ant = match t.azimuth {
            None => 0.0,
            Some(_) if off_axis_floor => -s.antenna_floor_db,
            Some(_) => {
                combined_db(ah, vertical_db(flat_depression_deg(t.h - h_rx, d), t.tilt, s.vertical_beamwidth_deg, s.antenna_floor_db), s.antenna_floor_db)
            }
        };
        let rsrp = t.rs_dbm + t.gain + ant - s.cable_loss_db + g_rx - path_loss;
        Some(Heard { sector: i, rsrp, d, scenario: super::environment::scenario_of(env), los, in_range, path_loss, terrain })
    }

    /// The calibration's change of RSRP in `env` at `d` metres (dB; 0 without one).
    fn correction_db(&self, env: Environment, d: f64) -> f64 {
        let Some(c) = &self.s.calibration else { return 0.0 };
        let correction = match env {
            Environment::Urban => c.urban,
            Environment::Rural => c.rural,
        };
        correction.map_or(0.0, |c| c.at(d))
    }

    /// Every sector heard at local (x, y): kept so that subsets of them can be weighed (the
    /// planner judges each candidate site against the network as it is, without the others).
    ///
    /// `terrain_from` gives the point whose terrain profiles stand for this place's, as the
    /// analysis lets a building share its village's (kept to the cache's precision).
    pub fn hearing(&self, x: f64, y: f64, env: Environment, receiver: &Receiver, terrain_from: Option<(f64, f64)>) -> Hearing {
        let Some((tx, ty)) = terrain_from.filter(|_| self.p.terrain.is_some()) else { return Hearing(self.heard_at(x, y, env, receiver, None)) };
        let grid = if receiver.only_nr { &self.reach_nr } else { &self.reach_all };
        let shared = |i: usize| self.terrain_loss_db(i, tx, ty, receiver.height_m) as f32;
        Hearing(grid.at(x, y).iter().filter_map(|&i| self.hear_cached(i as usize, x, y, env, receiver, || Some(shared(i as usize)))).collect())
    }

    /// The link from sector `i` in `h`, with the rest of its channel in `h` as interference at
    /// the settings' load, whether or not it is the best server: what a measurement served by
    /// that sector should read. `None` when `h` does not hear it.
    pub fn link_of(&self, h: &Hearing, i: usize) -> Option<LinkResult> {
        let heard = h.0.iter().find(|r| r.sector == i)?;
        let t = &self.txs[i];
        let mut link = self.link_result(t.operator, t.tech, heard);
        let others: f64 = h.0.iter().filter(|r| r.sector != i && self.txs[r.sector].channel == t.channel).map(|r| dbm_to_mw(r.rsrp)).sum();
        link.interference_mw = others * self.s.load;
        Some(link)
    }

    /// Best link per operator and technology among the sectors of `h` that `keep` accepts (the
    /// rest neither serve nor interfere): [`Self::links_at`] as if only those sectors existed.
    pub fn links_among(&self, h: &Hearing, keep: impl Fn(usize) -> bool) -> LinksAt {
        let rx: Vec<Heard> = h.0.iter().filter(|r| keep(r.sector)).copied().collect();
        self.choose(&rx, &[])
    }

    /// Best link per operator and technology at local (x, y), receiver `receiver`. `anchor`
    /// shares the terrain profiles cached for that anchor (a building its village's).
    pub fn links_at(&self, x: f64, y: f64, env: Environment, receiver: &Receiver, anchor: Option<usize>) -> LinksAt {
        self.choose(&self.heard_at(x, y, env, receiver, anchor), &[])
    }

    /// The best server per (operator, technology) among `rx`, with co-channel interference from
    /// the rest plus `extra_mw` (per channel).
    pub(super) fn choose(&self, rx: &[Heard], extra_mw: &[(u32, f64)]) -> LinksAt {
        // Collected in a buffer kept per thread, then copied into a list of exactly their number:
        // this runs at every building, and the lists are kept for every place of the county.
        thread_local!(static BEST: std::cell::RefCell<LinksAt> = const { std::cell::RefCell::new(Vec::new()) });
        BEST.with_borrow_mut(|best| {
            best.clear();
            self.choose_into(rx, extra_mw, best);
            best.to_vec()
        })
    }

    /// [`Self::choose`] into `best` (empty on entry).
    fn choose_into(&self, rx: &[Heard], extra_mw: &[(u32, f64)], best: &mut LinksAt) {
        let s = self.s;
        // Best server per (operator, technology); ties go to the lower sector index.
        for r in rx {
            let t = &self.txs[r.sector];
            match best.iter_mut().find(|b| b.operator == t.operator && b.tech == t.tech) {
                Some(b) if r.rsrp > b.rsrp_dbm || (r.rsrp == b.rsrp_dbm && r.sector < b.sector) => *b = self.link_result(t.operator, t.tech, r),
                Some(_) => {}
                None => best.push(self.link_result(t.operator, t.tech, r)),
            }
        }
        // Each link's interference: the rest of its channel (a channel holds one operator).
        for b in best.iter_mut() {
            let ch = self.txs[b.sector].channel;
            let mut on_channel = extra_mw.iter().find(|c| c.0 == ch).map_or(0.0, |c| c.1);
            for r in rx.iter().filter(|r| r.sector != b.sector && self.txs[r.sector].channel == ch) {
                on_channel += dbm_to_mw(r.rsrp);
            }
            b.interference_mw = on_channel * s.load;
        }
        best.sort_by_key(|b| (b.operator, b.tech));
    }

    /// A heard link as a result, before its interference is known.
    pub(super) fn link_result(&self, operator: u16, tech: Tech, h: &Heard) -> LinkResult {
        let Heard { sector, rsrp, d, scenario, los, in_range, path_loss, terrain } = *h;
        LinkResult {
            operator,
            tech,
            sector,
            distance_m: d,
            scenario,
            los,
            in_range,
            path_loss_db: path_loss,
            terrain_db: terrain,
            rsrp_dbm: rsrp,
            interference_mw: 0.0,
            noise_dbm: self.txs[sector].noise_dbm,
        }
    }

    /// RSRP, SINR, coverage and peak rate of a link with `extra_loss_db` (O2I, body) applied.
    pub fn evaluate(&self, l: &LinkResult, extra_loss_db: f64) -> Evaluated {
        let s = self.s;
        let t = &self.txs[l.sector];
        let rsrp = l.rsrp_dbm - extra_loss_db;
        let sinr = l.sinr_db(extra_loss_db);
        let threshold = if l.tech == Tech::Nr { s.nr_rsrp_dbm } else { s.lte_rsrp_dbm };
        let nr = l.tech == Tech::Nr;
        let eff = efficiency(s.efficiency, sinr, nr);
        let layers = if nr { s.nr_layers } else { s.lte_layers };
        let dl = if t.tdd { s.tdd_downlink_share } else { 1.0 };
        let peak = t.bandwidth * eff * layers * (1.0 - s.overhead) * dl;
        Evaluated { rsrp_dbm: rsrp, sinr_db: sinr, covered: rsrp >= threshold && sinr >= s.sinr_min_db, peak_mbps: peak }
    }

    /// Indoor extra loss for a link: O2I at its frequency plus body loss.
    pub fn indoor_loss_db(&self, l: &LinkResult) -> f64 {
        self.txs[l.sector].indoor_db
    }

    /// Households' busy-hour rate (Mb/s) on a link: the peak shared by the active households of
    /// its sector — its operator's subscriber households there (`households_per_sector`, the
    /// market share applied) times the busy-hour activity (`concurrency`), at least one.
    pub fn household_rate_mbps(&self, e: &Evaluated, l: &LinkResult, households_per_sector: &[f64]) -> f64 {
        let active = (households_per_sector[l.sector] * self.s.concurrency).max(1.0);
        e.peak_mbps / active
    }
}

/// [`super::antenna::depression_deg`] without `atan2`: by the series where the angle is flat (|dh/d| < 0.05:
/// to x⁵ it is then exact to 1e-10 rad), which is most links, else by [`angle_between_deg`].
fn flat_depression_deg(dh: f64, d: f64) -> f64 {
    let d = d.max(0.1);
    let x = dh / d;
    if x.abs() < 0.05 {
        let x2 = x * x;
        (x * (1.0 - x2 * (1.0 / 3.0 - x2 / 5.0))).to_degrees()
    } else {
        angle_between_deg(dh, d).copysign(dh)
    }
}

/// 10^(dBm/10) through `exp`, several times cheaper than `powf` in the per-link sum.
pub(super) fn dbm_to_mw(dbm: f64) -> f64 {
    (dbm * (std::f64::consts::LN_10 / 10.0)).exp()
}

pub(super) fn add_mw(sums: &mut Vec<(u32, f64)>, channel: u32, mw: f64) {
    match sums.iter_mut().find(|c| c.0 == channel) {
        Some(c) => c.1 += mw,
        None => sums.push((channel, mw)),
    }
}

#[cfg(test)]
mod tests {
    use super::super::antenna::depression_deg;
    use super::*;

    #[test]
    fn flat_depression_equals_atan2() {
        for &(dh, d) in &[(30.0, 5000.0), (30.0, 601.0), (30.0, 599.0), (28.5, 100.0), (-5.0, 2000.0), (-40.0, 30.0), (30.0, 0.0)] {
            assert!((flat_depression_deg(dh, d) - depression_deg(dh, 0.0, d)).abs() < 1e-8, "{dh} {d}");
        }
    }
}
