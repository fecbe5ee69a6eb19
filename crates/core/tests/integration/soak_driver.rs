//! The soak of incremental analysis: random what-if edits (sectors and access points moved,
//! added, deleted; power, tilt and azimuth changed; undo and redo), each analysed the way the app
//! does — from the previous state's results, only around the edit — and checked against an
//! analysis of the same scenario from scratch. Shared by the short test in `cargo test` and the
//! long run (`cargo bench -p covplan-core --bench soak`).

use covplan_core::analysis::{Analysis, PlaceVerdict, gaps, run_after_edit, run_with_coverage};
use covplan_core::project::{Project, ScenarioAccessPoint, ScenarioSector, ScenarioSpec};
use covplan_core::targets::profile::Profile;

/// What a soak found.
#[derive(Debug, Default)]
pub struct SoakReport {
    /// Edits made (undo and redo count as edits).
    pub edits: usize,
    /// Edits after which the incremental results were compared with a full analysis.
    pub checks: usize,
    /// Checks that found a difference, with what differed.
    pub divergences: Vec<String>,
    /// Edits per kind, in the order of [`KINDS`].
    pub per_kind: [usize; KINDS.len()],
    /// Verdicts compared over all checks.
    pub verdicts_compared: usize,
}

/// The kinds of edit the soak draws from.
pub const KINDS: [&str; 9] = ["move sector", "add sector", "delete sector", "power", "tilt", "azimuth", "move/add/delete access point", "undo", "redo"];

/// A small fixed-seed generator (the soak must give the same edits on every run).
struct Lcg(u64);

impl Lcg {
    fn next(&mut self) -> f64 {
        self.0 = self.0.wrapping_mul(6364136223846793005).wrapping_add(1442695040888963407);
        (self.0 >> 11) as f64 / (1u64 << 53) as f64
    }

    fn below(&mut self, n: usize) -> usize {
        ((self.next() * n as f64) as usize).min(n.saturating_sub(1))
    }
}

/// Runs `edits` random edits of `base` (seeded by `seed`) on profile `profile_id`, comparing with
/// a full analysis after every `check_every`-th edit and after the last.
pub fn soak(base: &Project, profile_id: &str, edits: usize, check_every: usize, seed: u64) -> SoakReport {
    let profile = || Profile::load(profile_id).expect("a built-in profile").0;
    let mut rng = Lcg(seed);
    let mut report = SoakReport::default();
    // The app's history: specs, and where we are in them.
    let mut history = vec![ScenarioSpec::default()];
    let mut at = 0usize;
    let mut project = base.with_scenario(&history[at]);
    let (mut analysis, mut coverage) = run_with_coverage(&project, profile(), profile_id.into()).expect("the sample analyses");
    let mut gap_list = gaps::gaps(&project, &analysis);
    for n in 1..=edits {
        let kind = rng.below(KINDS.len());
        let spec = match kind {
            7 if at > 0 => {
                at -= 1;
                history[at].clone()
            }
            8 if at + 1 < history.len() => {
                at += 1;
                history[at].clone()
            }
            _ => {
                let spec = random_edit(base, &project, &history[at], kind.min(6), &mut rng, n);
                history.truncate(at + 1);
                history.push(spec.clone());
                at += 1;
                spec
            }
        };
        report.per_kind[kind] += 1;
        let next = base.with_scenario(&spec);
        let (a, c) = run_after_edit(&project, coverage, Some(&analysis), &next, profile(), profile_id.into()).expect("an edited scenario analyses");
        gap_list = gaps::gaps_after_edit(&next, &a, &analysis, &gap_list);
        (project, analysis, coverage) = (next, a, c);
        report.edits += 1;
        if n % check_every == 0 || n == edits {
            report.checks += 1;
            let (full, _) = run_with_coverage(&project, profile(), profile_id.into()).expect("the scenario analyses");
            if let Err(what) = compare(&project, &analysis, &gap_list, &full, &mut report.verdicts_compared) {
                report.divergences.push(format!("after edit {n} ({}): {what}", KINDS[kind]));
            }
        }
    }
    report
}

/// One random edit of kind `kind` (0–6, see [`KINDS`]) on top of `spec`.
fn random_edit(base: &Project, now: &Project, spec: &ScenarioSpec, kind: usize, rng: &mut Lcg, n: usize) -> ScenarioSpec {
    let mut spec = spec.clone();
    let sectors = &now.data.sectors;
    let pick = sectors[rng.below(sectors.len())].clone();
    // An edited sector replaces the one of the same cell (a layer sector is removed by name).
    let mut edited = ScenarioSector::of(&pick);
    let replace = |spec: &mut ScenarioSpec, new: Option<ScenarioSector>| {
        spec.sectors.retain(|s| s.cell != pick.cell);
        if base.data.sectors.iter().any(|s| s.cell == pick.cell) && !spec.removed.contains(&pick.cell) {
            spec.removed.push(pick.cell.clone());
        }
        spec.sectors.extend(new);
    };
    match kind {
        0 => {
            let (d, bearing) = (50.0 + 450.0 * rng.next(), rng.next() * std::f64::consts::TAU);
            edited.lon += d * bearing.sin() / 102_000.0;
            edited.lat += d * bearing.cos() / 111_320.0;
            replace(&mut spec, Some(edited));
        }
        1 => {
            edited.cell = format!("soak-{n}");
            edited.lon += (rng.next() - 0.5) * 2_000.0 / 102_000.0;
            edited.lat += (rng.next() - 0.5) * 2_000.0 / 111_320.0;
            spec.sectors.push(edited);
        }
        2 => replace(&mut spec, None),
        3 => {
            edited.power_dbm = Some(edited.power_dbm.unwrap_or(43.0) + (rng.next() - 0.5) * 12.0);
            replace(&mut spec, Some(edited));
        }
        4 => {
            edited.tilt_deg = Some((edited.tilt_deg.unwrap_or(6.0) + (rng.next() - 0.5) * 8.0).clamp(0.0, 15.0));
            replace(&mut spec, Some(edited));
        }
        5 => {
            edited.azimuth_deg = Some((edited.azimuth_deg.unwrap_or(0.0) + rng.next() * 360.0) % 360.0);
            replace(&mut spec, Some(edited));
        }
        _ => {
            let aps = &now.data.access_points;
            let ap = &aps[rng.below(aps.len())];
            let mut moved = ScenarioAccessPoint::of(ap);
            let from_layer = base.data.access_points.iter().any(|a| a.id == ap.id);
            spec.access_points.retain(|a| a.id != ap.id);
            if from_layer && !spec.removed_access_points.contains(&ap.id) {
                spec.removed_access_points.push(ap.id.clone());
            }
            match rng.below(3) {
                0 => {
                    moved.lon += (rng.next() - 0.5) * 600.0 / 102_000.0;
                    moved.lat += (rng.next() - 0.5) * 600.0 / 111_320.0;
                    spec.access_points.push(moved);
                }
                1 => {
                    let mut added = moved.clone();
                    added.id = format!("soak-ap-{n}");
                    added.lon += 300.0 / 102_000.0;
                    spec.access_points.push(moved);
                    spec.access_points.push(added);
                }
                _ => {}
            }
        }
    }
    spec
}

/// The incremental results against the full analysis: every verdict (place, state, reason,
/// households, weight), every area's figures, and the gap list (place, target, state, households).
fn compare(p: &Project, inc: &Analysis, inc_gaps: &[gaps::Gap], full: &Analysis, compared: &mut usize) -> Result<(), String> {
    if inc.targets.len() != full.targets.len() {
        return Err("a different number of targets".into());
    }
    for (a, b) in inc.targets.iter().zip(&full.targets) {
        if a.places.len() != b.places.len() {
            return Err(format!("{}: {} places against {}", a.target.id, a.places.len(), b.places.len()));
        }
        for (x, y) in a.places.iter().zip(&b.places) {
            *compared += 1;
            let key = |v: &PlaceVerdict| (v.place, v.outcome.state, v.outcome.reason, v.households, v.weight);
            if key(x) != key(y) {
                return Err(format!("{}: {:?} incremental, {:?} full", a.target.id, key(x), key(y)));
            }
        }
        if a.areas != b.areas {
            return Err(format!("{}: area figures differ", a.target.id));
        }
    }
    let brief = |g: &gaps::Gap| (g.target.clone(), g.id.clone(), g.state, g.households.to_bits());
    let full_gaps = gaps::gaps(p, full);
    if inc_gaps.iter().map(brief).ne(full_gaps.iter().map(brief)) {
        return Err(format!("gap lists differ ({} incremental, {} full)", inc_gaps.len(), full_gaps.len()));
    }
    Ok(())
}
