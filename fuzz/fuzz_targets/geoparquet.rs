//! Fuzzes the GeoParquet reader (see readers.rs).
//!
//! `geoparquet::parse` contains the `parquet` crate's panics on malformed pages, but
//! libFuzzer's panic hook would abort on them even though they are caught: this binary runs
//! with a silent hook (set here, not in readers.rs, so that the test replaying the seeds keeps
//! the default hook and its failures their messages). A panic that escapes `parse` still ends
//! the run.
#![no_main]
mod readers;

libfuzzer_sys::fuzz_target!(|data: &[u8]| {
    static QUIET: std::sync::Once = std::sync::Once::new();
    QUIET.call_once(|| std::panic::set_hook(Box::new(|_| {})));
    readers::geoparquet(data)
});
