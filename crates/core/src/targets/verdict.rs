//! A place's verdict on a target and the reason it fails: the values every table, map and data
//! file names, with their codes.

use serde::Serialize;

/// The verdict of one place on one target.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize, serde::Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum Verdict {
    /// The place meets the target.
    Met,
    /// It does not.
    NotMet,
    /// The data cannot tell (a field or layer is missing: the evidence says which).
    Unknown,
}

impl Verdict {
    /// Every verdict.
    pub const ALL: [Verdict; 3] = [Verdict::Met, Verdict::NotMet, Verdict::Unknown];

    /// Its name in data files (GeoParquet, JSON): its serde name.
    pub fn code(self) -> &'static str {
        match self {
            Verdict::Met => "met",
            Verdict::NotMet => "not_met",
            Verdict::Unknown => "unknown",
        }
    }

    /// The verdict [`Verdict::code`] names, if any.
    pub fn from_code(code: &str) -> Option<Verdict> {
        Verdict::ALL.into_iter().find(|v| v.code() == code)
    }

    /// The word in tables.
    pub fn word(self) -> &'static str {
        match self {
            Verdict::Met => "met",
            Verdict::NotMet => "not met",
            Verdict::Unknown => "unknown",
        }
    }
}

/// Why a place fails, for sorting and colouring gaps.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize, serde::Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum Reason {
    /// No fiber cable or access point within reach.
    NoFiberInReach,
    /// The access points in reach have no free port.
    NoFreePort,
    /// The access points in reach are over the optical budget.
    OverBudget,
    /// Mobile signal under the RSRP threshold (or no sector in reach).
    WeakSignal,
    /// Signal strong enough but SINR under its threshold.
    Interference,
    /// A network reaches but delivers less than required.
    Capacity,
    /// No WLAN hotspot within the radius.
    NoHotspot,
    /// No point of interest of the required category.
    NoPoi,
    /// Too few subscribers for the households (take-up).
    LowTakeUp,
    /// The data cannot tell.
    MissingData,
}

impl Reason {
    /// Every reason.
    pub const ALL: [Reason; 10] = [
        Reason::NoFiberInReach,
        Reason::NoFreePort,
        Reason::OverBudget,
        Reason::WeakSignal,
        Reason::Interference,
        Reason::Capacity,
        Reason::NoHotspot,
        Reason::NoPoi,
        Reason::LowTakeUp,
        Reason::MissingData,
    ];

    /// The reason [`Reason::code`] names, if any.
    pub fn from_code(code: &str) -> Option<Reason> {
        Reason::ALL.into_iter().find(|r| r.code() == code)
    }

    /// The category as written in gap tables and data files (its serde name).
    pub fn code(self) -> &'static str {
        match self {
            Reason::NoFiberInReach => "no_fiber_in_reach",
            Reason::NoFreePort => "no_free_port",
            Reason::OverBudget => "over_budget",
            Reason::WeakSignal => "weak_signal",
            Reason::Interference => "interference",
            Reason::Capacity => "capacity",
            Reason::NoHotspot => "no_hotspot",
            Reason::NoPoi => "no_poi",
            Reason::LowTakeUp => "low_take_up",
            Reason::MissingData => "missing_data",
        }
    }
}

#[cfg(test)]
mod tests {
    use super::{Reason, Verdict};

    /// The codes verdict states and reasons are written by in data files (a shard's `verdicts.parquet`) are their serde
    /// names (what summary.json and other tools read), every one is read back as itself, and a
    /// name of no value is refused.
    #[test]
    fn state_and_reason_codes_are_serde_names_and_round_trip() {
        // The match fails to build when a reason is added: give it the next position and list
        // it in ALL at that position.
        let position = |r: Reason| match r {
            Reason::NoFiberInReach => 0,
            Reason::NoFreePort => 1,
            Reason::OverBudget => 2,
            Reason::WeakSignal => 3,
            Reason::Interference => 4,
            Reason::Capacity => 5,
            Reason::NoHotspot => 6,
            Reason::NoPoi => 7,
            Reason::LowTakeUp => 8,
            Reason::MissingData => 9,
        };
        assert_eq!(Reason::ALL.map(position), std::array::from_fn(|i| i));
        let serde_name = |v: serde_json::Value| v.as_str().map(str::to_string);
        for v in Verdict::ALL {
            assert_eq!(serde_name(serde_json::to_value(v).unwrap()).as_deref(), Some(v.code()));
            assert_eq!(Verdict::from_code(v.code()), Some(v));
        }
        for r in Reason::ALL {
            assert_eq!(serde_name(serde_json::to_value(r).unwrap()).as_deref(), Some(r.code()));
            assert_eq!(Reason::from_code(r.code()), Some(r));
        }
        assert_eq!(Verdict::from_code("not met"), None);
        assert_eq!(Reason::from_code("met"), None);
        let mut codes: Vec<&str> = Reason::ALL.iter().map(|r| r.code()).collect();
        codes.sort_unstable();
        codes.dedup();
        assert_eq!(codes.len(), Reason::ALL.len());
    }
}
