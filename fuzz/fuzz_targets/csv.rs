//! Fuzzes the CSV site-table reader (decoding, delimiter sniffing, coordinates).
#![no_main]
use libfuzzer_sys::fuzz_target;

fuzz_target!(|data: &[u8]| {
    let path = std::path::Path::new("fuzz.csv");
    if let Ok(t) = covplan_core::io::csv_table::parse_csv(path, data, None) {
        let _ = covplan_core::io::csv_table::table_to_layer(path, t, None);
    }
});
