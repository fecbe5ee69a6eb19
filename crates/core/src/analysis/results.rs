//! What an analysis holds per target: each place's verdict, each area's share verdict, and
//! the summary figures counted from them.

use crate::targets::evaluate::{Judgement, Verdict};
use crate::targets::places::PlaceRef;
use crate::targets::profile::{AreaLevel, Requirement, Target};
use crate::targets::share::AreaVerdict;

/// One place's verdict on one target.
#[derive(Debug, Clone, PartialEq)]
pub struct PlaceVerdict {
    /// The place.
    pub place: PlaceRef,
    /// Verdict, evidence, reason.
    pub outcome: Judgement,
    /// Its households, when known.
    pub households: Option<f64>,
    /// Its weight for the target's share rule, when known.
    pub weight: Option<f64>,
    /// Its broadband subscribers, when the data has them.
    pub subscribers: Option<f64>,
}

/// A share verdict for one area.
#[derive(Debug, Clone, PartialEq)]
pub struct AreaResult {
    /// Area level.
    pub level: AreaLevel,
    /// Area key: township code, administrative village id, area name; the county's name.
    pub code: String,
    /// Display name.
    pub name: String,
    /// The verdict.
    pub verdict: AreaVerdict,
}

/// A target's results.
#[derive(Debug, Clone)]
pub struct TargetResult {
    /// The target as the profile gives it.
    pub target: Target,
    /// Every place it applies to, in project order.
    pub places: Vec<PlaceVerdict>,
    /// For share targets: one verdict per area.
    pub areas: Vec<AreaResult>,
}

/// A target's summary figures, counted in one pass over its places (a million places make
/// each pass tens of milliseconds; the summary table, summary.json and the GUI show them all).
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct TargetFigures {
    /// Places met.
    pub met: usize,
    /// Places not met.
    pub not_met: usize,
    /// Places whose verdict is unknown.
    pub unknown: usize,
    /// Households of the places not met.
    pub households_not_met: f64,
    /// Whether any place has households (points of interest have none: shown as a dash, not
    /// a reassuring zero).
    pub with_households: bool,
    /// See [`TargetResult::share_met`].
    pub share_met: f64,
    /// See [`TargetResult::verdict`].
    pub verdict: Verdict,
}

impl TargetResult {
    /// Places with `state`.
    pub fn count(&self, state: Verdict) -> usize {
        self.places.iter().filter(|v| v.outcome.state == state).count()
    }

    /// Households of the places with `state`.
    pub fn households(&self, state: Verdict) -> f64 {
        self.places.iter().filter(|v| v.outcome.state == state).filter_map(|v| v.households).fold(0.0, |a, b| a + b)
    }

    /// Share met: for a share target, by its own weight over all its places (subscribers per
    /// household for penetration); else of households where the places have them, else of places.
    pub fn share_met(&self) -> f64 {
        self.figures().share_met
    }

    /// The overall verdict: for a share target, met when every area is; else when every place is.
    pub fn verdict(&self) -> Verdict {
        self.figures().verdict
    }

    /// Every summary figure of the target, in one pass over its places.
    pub fn figures(&self) -> TargetFigures {
        let share_target = self.target.share.is_some();
        let penetration = self.target.require == Requirement::Penetration;
        let (mut counts, mut households) = ([0usize; 3], [0.0f64; 3]);
        let (mut with_households, mut weight_met, mut weight_all) = (false, 0.0, 0.0);
        for v in &self.places {
            let k = match v.outcome.state {
                Verdict::Met => 0,
                Verdict::NotMet => 1,
                Verdict::Unknown => 2,
            };
            counts[k] += 1;
            if let Some(h) = v.households {
                households[k] += h;
                with_households = true;
            }
            if penetration {
                weight_met += v.subscribers.unwrap_or(0.0);
                weight_all += v.households.unwrap_or(0.0).max(v.subscribers.unwrap_or(0.0));
            } else if let Some(w) = v.weight {
                weight_all += w;
                if k == 0 {
                    weight_met += w;
                }
            }
        }
        let all_households = households[0] + households[1] + households[2];
        let share_met = if share_target {
            if weight_all > 0.0 { weight_met / weight_all } else { 0.0 }
        } else if all_households > 0.0 {
            households[0] / all_households
        } else if self.places.is_empty() {
            0.0
        } else {
            counts[0] as f64 / self.places.len() as f64
        };
        let (not_met, unknown, any) = if share_target {
            let has = |s: Verdict| self.areas.iter().any(|a| a.verdict.state == s);
            (has(Verdict::NotMet), has(Verdict::Unknown), !self.areas.is_empty())
        } else {
            (counts[1] > 0, counts[2] > 0, !self.places.is_empty())
        };
        let verdict = if not_met {
            Verdict::NotMet
        } else if unknown || !any {
            Verdict::Unknown
        } else {
            Verdict::Met
        };
        TargetFigures { met: counts[0], not_met: counts[1], unknown: counts[2], households_not_met: households[1], with_households, share_met, verdict }
    }
}
