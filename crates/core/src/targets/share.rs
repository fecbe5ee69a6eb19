//! Share targets judged per area: the weight met against the weight in all, with places whose
//! data is missing counted both ways, so that a verdict is given only when they cannot change it.

use super::evaluate::Verdict;
use super::profile::{ShareRule, Weight};
use serde::Serialize;

/// The weights of one area: met, not met, and unknown (data missing).
#[derive(Debug, Clone, Copy, Default, PartialEq, Serialize)]
pub struct Tally {
    /// Weight met.
    pub met: f64,
    /// Weight not met.
    pub not_met: f64,
    /// Weight whose outcome is unknown.
    pub unknown: f64,
    /// Places whose weight itself is unknown (e.g. no households figure): left out of the sums.
    pub unweighted: usize,
}

impl Tally {
    /// Adds a place of weight `w` (`None` when its weight is unknown) with `state`.
    pub fn add(&mut self, state: Verdict, w: Option<f64>) {
        match (w, state) {
            (None, _) => self.unweighted += 1,
            (Some(w), Verdict::Met) => self.met += w,
            (Some(w), Verdict::NotMet) => self.not_met += w,
            (Some(w), Verdict::Unknown) => self.unknown += w,
        }
    }

    /// Everything counted.
    pub fn total(&self) -> f64 {
        self.met + self.not_met + self.unknown
    }
}

/// The verdict of a share rule over one area.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct AreaVerdict {
    /// Verdict.
    pub state: Verdict,
    /// Share met, counting unknown weight as not met (the share reported).
    pub share: f64,
    /// Share met, counting unknown weight as met.
    pub share_if_unknown_met: f64,
    /// Numerator and denominator (households, subscribers or places).
    pub numerator: f64,
    /// Denominator.
    pub denominator: f64,
    /// The numbers, as a planner reads them.
    pub evidence: String,
}

/// What a weight counts, for evidence (a penetration share counts households, of which the
/// subscribed ones are met).
pub fn weight_noun(w: Weight, penetration: bool) -> &'static str {
    match (w, penetration) {
        (_, true) => "households",
        (Weight::Households, _) => "households",
        (Weight::Subscribers, _) => "subscribers",
        (Weight::Places, _) => "places",
    }
}

/// Judges `rule` on an area's tally.
pub fn judge(rule: &ShareRule, t: &Tally, noun: &str) -> AreaVerdict {
    let total = t.total();
    let pct = |x: f64| format!("{:.1} %", 100.0 * x);
    let left_out = if t.unweighted > 0 { format!("; {} places without a figure left out", t.unweighted) } else { String::new() };
    if total <= 0.0 {
        return AreaVerdict {
            state: Verdict::Unknown,
            share: 0.0,
            share_if_unknown_met: 0.0,
            numerator: 0.0,
            denominator: 0.0,
            evidence: format!("no {noun} to count{left_out}"),
        };
    }
    let (low, high) = (t.met / total, (t.met + t.unknown) / total);
    let state = if rule.op.holds(low, rule.value) {
        Verdict::Met
    } else if !rule.op.holds(high, rule.value) {
        Verdict::NotMet
    } else {
        Verdict::Unknown
    };
    let cmp = if rule.op.holds(low, rule.value) { rule.op.symbol() } else { rule.op.negated_symbol() };
    let unknown = if t.unknown > 0.0 { format!("; {:.0} {noun} unknown, up to {}", t.unknown, pct(high)) } else { String::new() };
    AreaVerdict {
        state,
        share: low,
        share_if_unknown_met: high,
        numerator: t.met,
        denominator: total,
        evidence: format!("{} ({:.0} of {:.0} {noun}) {cmp} {}{unknown}{left_out}", pct(low), t.met, total, pct(rule.value)),
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::targets::profile::{AreaLevel, Op};

    fn rule(op: Op, value: f64) -> ShareRule {
        ShareRule { op, value, weight: Weight::Households, per: AreaLevel::County }
    }

    #[test]
    fn unknown_weight_decides_only_when_it_cannot_change_the_verdict() {
        let r = rule(Op::AtLeast, 0.9);
        let t = Tally { met: 90.0, not_met: 10.0, unknown: 0.0, unweighted: 0 };
        assert_eq!(judge(&r, &t, "households").state, Verdict::Met, "90 % ≥ 90 %: 以上 includes the figure");
        let t = Tally { met: 89.0, not_met: 10.0, unknown: 1.0, unweighted: 0 };
        let v = judge(&r, &t, "households");
        assert_eq!(v.state, Verdict::Unknown);
        assert_eq!((v.share, v.share_if_unknown_met), (0.89, 0.9));
        let t = Tally { met: 80.0, not_met: 15.0, unknown: 5.0, unweighted: 0 };
        assert_eq!(judge(&r, &t, "households").state, Verdict::NotMet);
        assert!(judge(&r, &t, "households").evidence.starts_with("80.0 % (80 of 100 households) < 90.0 %"), "{}", judge(&r, &t, "households").evidence);
        // 超过 50 %: exactly half is not more than half.
        let t = Tally { met: 50.0, not_met: 50.0, unknown: 0.0, unweighted: 0 };
        assert_eq!(judge(&rule(Op::Above, 0.5), &t, "households").state, Verdict::NotMet);
        assert_eq!(judge(&rule(Op::Above, 0.5), &Tally::default(), "households").state, Verdict::Unknown);
    }
}
