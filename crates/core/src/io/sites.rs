//! What operators' site tables (工参表) write and covplan needs in numbers:
//! channel numbers (EARFCN, NR-ARFCN) and band names to MHz, power in W or dBm.

use crate::model::Tech;

/// LTE downlink bands used in China: (band, F_DL_low MHz, N_Offs-DL, last EARFCN).
const LTE_BANDS: &[(u32, f64, u32, u32)] = &[
    (1, 2110.0, 0, 599),
    (3, 1805.0, 1200, 1949),
    (5, 869.0, 2400, 2649),
    (8, 925.0, 3450, 3799),
    (28, 758.0, 9210, 9659),
    (34, 2010.0, 36200, 36349),
    (38, 2570.0, 37750, 38249),
    (39, 1880.0, 38250, 38649),
    (40, 2300.0, 38650, 39649),
    (41, 2496.0, 39650, 41589),
];

/// Centre downlink frequency (MHz) of the bands Chinese operators use, LTE `B` and NR `n`.
const BAND_CENTRES: &[(&str, f64)] = &[
    ("B1", 2140.0),
    ("B3", 1842.5),
    ("B5", 881.5),
    ("B8", 942.5),
    ("B28", 780.5),
    ("B34", 2017.5),
    ("B38", 2595.0),
    ("B39", 1900.0),
    ("B40", 2350.0),
    ("B41", 2593.0),
    ("N1", 2140.0),
    ("N3", 1842.5),
    ("N8", 942.5),
    ("N28", 780.5),
    ("N41", 2595.0), // China Mobile 2515–2675 MHz
    ("N78", 3500.0), // China Telecom / Unicom 3400–3600 MHz
    ("N79", 4850.0), // China Mobile 4800–4900 MHz
];

/// LTE downlink EARFCN → MHz (36.101: F = F_DL_low + 0.1·(N − N_Offs)).
pub fn earfcn_to_mhz(n: u32) -> Option<f64> {
    LTE_BANDS.iter().find(|b| n >= b.2 && n <= b.3).map(|b| b.1 + 0.1 * (n - b.2) as f64)
}

/// NR-ARFCN → MHz (38.104 global raster below 24.25 GHz).
pub fn nr_arfcn_to_mhz(n: u32) -> Option<f64> {
    match n {
        0..=599_999 => Some(0.005 * n as f64),
        600_000..=2_016_666 => Some(3000.0 + 0.015 * (n - 600_000) as f64),
        _ => None,
    }
}

/// A channel number to MHz, by technology (EARFCN for LTE/NB-IoT, NR-ARFCN for NR).
pub fn channel_to_mhz(n: f64, tech: Tech) -> Option<f64> {
    if n < 0.0 || n.fract() != 0.0 || n > u32::MAX as f64 {
        return None;
    }
    match tech {
        Tech::Nr => nr_arfcn_to_mhz(n as u32),
        _ => earfcn_to_mhz(n as u32),
    }
}

/// A band as written in site tables to MHz: `n41`, `B3`, `2.6G`, `3.5GHz`, `1800M`, `FDD1800`,
/// `D频段`, `F频段`, a band number (by technology), or plain MHz.
pub fn band_to_mhz(text: &str, tech: Option<Tech>) -> Option<f64> {
    let t = text.trim().to_uppercase().replace(' ', "");
    if t.is_empty() {
        return None;
    }
    if let Some(&(_, f)) = BAND_CENTRES.iter().find(|(n, _)| *n == t || format!("BAND{}", &n[1..]) == t && n.starts_with('B')) {
        return Some(f);
    }
    // China Mobile's TD-LTE band letters.
    for (letter, f) in [("A", 2017.5), ("D", 2595.0), ("E", 2345.0), ("F", 1900.0)] {
        if t == format!("{letter}频段") || t == letter || t == format!("{letter}频") {
            return Some(f);
        }
    }
    let start = t.find(|c: char| c.is_ascii_digit())?;
    let num_str: String = t[start..].chars().take_while(|c| c.is_ascii_digit() || *c == '.').collect();
    let v: f64 = num_str.parse().ok()?;
    let unit = &t[start + num_str.len()..];
    if unit.starts_with('G') {
        return Some(v * 1000.0);
    }
    if unit.starts_with('M') || v >= 100.0 {
        return (100.0..=100_000.0).contains(&v).then_some(v);
    }
    // A bare small number is a band number.
    let prefix = if tech == Some(Tech::Nr) || t.starts_with('N') { "N" } else { "B" };
    BAND_CENTRES.iter().find(|(n, _)| *n == format!("{prefix}{}", v as u32)).map(|b| b.1)
}

/// Total transmit power to dBm: the header's unit decides (W, 瓦 → converted; dBm kept);
/// with no unit in the header, dBm is assumed.
pub fn power_to_dbm(value: f64, header: &str) -> f64 {
    let h = header.to_lowercase();
    let watts = !h.contains("dbm") && (h.contains("(w)") || h.contains("（w）") || h.contains('瓦') || h.ends_with("_w") || h.ends_with("w)"));
    if watts { 10.0 * (value * 1000.0).log10() } else { value }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn channel_numbers_by_hand() {
        // B3: 1805 + 0.1·(1825 − 1200) = 1867.5 MHz; B39: 1880 + 0.1·(38400 − 38250) = 1895 MHz.
        assert_eq!(earfcn_to_mhz(1825), Some(1867.5));
        assert!((earfcn_to_mhz(38400).unwrap() - 1895.0).abs() < 1e-9);
        assert_eq!(earfcn_to_mhz(100), Some(2120.0));
        assert_eq!(earfcn_to_mhz(5000), None);
        // NR: 0.005·504990 = 2524.95 MHz (n41); 3000 + 0.015·(633984 − 600000) = 3509.76 MHz (n78).
        assert!((nr_arfcn_to_mhz(504_990).unwrap() - 2524.95).abs() < 1e-9);
        assert!((nr_arfcn_to_mhz(633_984).unwrap() - 3509.76).abs() < 1e-9);
    }

    #[test]
    fn band_words() {
        assert_eq!(band_to_mhz("n41", None), Some(2595.0));
        assert_eq!(band_to_mhz("B3", None), Some(1842.5));
        assert_eq!(band_to_mhz("2.6G", None), Some(2600.0));
        assert_eq!(band_to_mhz("3.5GHz", None), Some(3500.0));
        assert_eq!(band_to_mhz("FDD1800", None), Some(1800.0));
        assert_eq!(band_to_mhz("D频段", None), Some(2595.0));
        assert_eq!(band_to_mhz("78", Some(Tech::Nr)), Some(3500.0));
        assert_eq!(band_to_mhz("8", Some(Tech::Lte)), Some(942.5));
        assert_eq!(band_to_mhz("x", None), None);
    }

    #[test]
    fn power_units() {
        assert!((power_to_dbm(20.0, "发射功率(W)") - 43.0103).abs() < 1e-4);
        assert_eq!(power_to_dbm(46.0, "发射功率(dBm)"), 46.0);
        assert_eq!(power_to_dbm(46.0, "power"), 46.0);
    }
}
