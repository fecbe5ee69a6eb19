//! Predicted against measured: each measurement (drive test, MR, speed test) set beside what
//! the radio engine predicts at its point from the same serving cell, the errors summed up by
//! operator, technology, environment and distance, and the path-loss models calibrated on them.
//!
//! `compare` pairs measurements with predictions; `stats` sums the errors; `calibrate` fits the
//! per-environment corrections ([`crate::settings::Calibration`]) with k-fold cross-validation;
//! `synthetic` makes drive tests from a perturbed model whose truth is known (the sample
//! county's measurement file and the tests).

pub mod calibrate;
pub mod challenge;
pub mod compare;
pub mod report;
pub mod stats;
pub mod synthetic;

pub use crate::model::operator_key;

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn operator_names_are_matched_across_languages() {
        for (a, b) in [("中国移动", "CMCC"), ("中国联通", "China Unicom"), ("电信", "中国电信"), ("中国广电", "CBN")] {
            assert_eq!(operator_key(a), operator_key(b), "{a} {b}");
        }
        assert_ne!(operator_key("中国移动"), operator_key("中国联通"));
        assert_eq!(operator_key(" Acme Tel "), "acmetel");
    }
}
