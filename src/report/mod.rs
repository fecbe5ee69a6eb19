//! What an analysis writes for people and other tools: summary, gap and area tables.

pub mod run_record;
pub mod tables;
