//! Error statistics of predictions against measurements: count, mean error (bias), standard
//! deviation and RMSE, overall and by group.

use serde::Serialize;

/// The statistics of a set of errors (measured − predicted, dB).
#[derive(Debug, Clone, Copy, PartialEq, Serialize)]
pub struct ErrorStats {
    /// How many.
    pub count: usize,
    /// Mean error (dB; positive: the model predicts too little).
    pub mean_db: f64,
    /// Standard deviation (dB, population).
    pub sd_db: f64,
    /// Root mean square error (dB).
    pub rmse_db: f64,
}

impl ErrorStats {
    /// The statistics of `errors` (`None` when empty). Summed in the order given, so the same
    /// errors give the same bytes.
    pub fn of(errors: impl IntoIterator<Item = f64>) -> Option<ErrorStats> {
        let (mut n, mut sum, mut sum2) = (0usize, 0.0, 0.0);
        for e in errors {
            n += 1;
            sum += e;
            sum2 += e * e;
        }
        (n > 0).then(|| {
            let mean = sum / n as f64;
            let ms = sum2 / n as f64;
            ErrorStats { count: n, mean_db: mean, sd_db: (ms - mean * mean).max(0.0).sqrt(), rmse_db: ms.sqrt() }
        })
    }
}

/// One row of a statistics table: what was grouped on, the group, its statistics.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct GroupStats {
    /// The grouping: "all", "operator", "technology", "environment", "distance", "matched by".
    pub by: String,
    /// The group ("中国移动", "LTE", "rural", "1–2 km" …).
    pub group: String,
    /// Its statistics.
    pub stats: ErrorStats,
}

/// Distance bins of the statistics (upper bounds, km).
pub const DISTANCE_BINS_KM: &[f64] = &[0.5, 1.0, 2.0, 5.0];

/// The distance bin of `d` metres, as its label.
pub fn distance_bin(d: f64) -> String {
    let km = d / 1000.0;
    let mut lower = 0.0;
    for &upper in DISTANCE_BINS_KM {
        if km < upper {
            return format!("{lower:.1}–{upper:.1} km");
        }
        lower = upper;
    }
    format!("≥ {lower:.1} km")
}

/// A grouping: its name, and the group of an item.
pub type Grouping<'a, T> = (&'a str, &'a dyn Fn(&T) -> String);

/// The statistics of `errors` grouped by each of `keys` (name, key of an item), each grouping's
/// groups in the order of their labels, after the overall row.
pub fn grouped<T>(items: &[T], error: impl Fn(&T) -> f64, keys: &[Grouping<'_, T>]) -> Vec<GroupStats> {
    let mut out = Vec::new();
    if let Some(stats) = ErrorStats::of(items.iter().map(&error)) {
        out.push(GroupStats { by: "all".into(), group: "all".into(), stats });
    }
    for (by, key) in keys {
        let mut groups: std::collections::BTreeMap<String, Vec<f64>> = Default::default();
        for it in items {
            groups.entry(key(it)).or_default().push(error(it));
        }
        for (group, errors) in groups {
            if let Some(stats) = ErrorStats::of(errors) {
                out.push(GroupStats { by: (*by).to_string(), group, stats });
            }
        }
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    /// Hand-computed: errors 1, 2, 3, 6 → mean 3, variance (4 + 1 + 0 + 9)/4 = 3.5,
    /// RMSE √((1 + 4 + 9 + 36)/4) = √12.5.
    #[test]
    fn stats_match_hand_computed_values() {
        let s = ErrorStats::of([1.0, 2.0, 3.0, 6.0]).unwrap();
        assert_eq!(s.count, 4);
        assert!((s.mean_db - 3.0).abs() < 1e-12);
        assert!((s.sd_db - 3.5f64.sqrt()).abs() < 1e-12);
        assert!((s.rmse_db - 12.5f64.sqrt()).abs() < 1e-12);
        assert!(ErrorStats::of([]).is_none());
    }

    #[test]
    fn distances_fall_in_their_bins() {
        assert_eq!(distance_bin(100.0), "0.0–0.5 km");
        assert_eq!(distance_bin(500.0), "0.5–1.0 km");
        assert_eq!(distance_bin(4999.0), "2.0–5.0 km");
        assert_eq!(distance_bin(7000.0), "≥ 5.0 km");
    }

    #[test]
    fn groups_are_summed_apart() {
        let items = [(1.0, "a"), (3.0, "a"), (10.0, "b")];
        let rows = grouped(&items, |x| x.0, &[("letter", &|x: &(f64, &str)| x.1.to_string())]);
        assert_eq!(rows.len(), 3);
        assert_eq!((rows[1].group.as_str(), rows[1].stats.mean_db), ("a", 2.0));
        assert_eq!((rows[2].group.as_str(), rows[2].stats.count), ("b", 1));
    }
}
