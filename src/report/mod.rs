//! What an analysis writes for people and other tools: summary, gap and area tables.

pub mod export;
pub mod furniture;
pub mod gapmap;
pub mod map_svg;
pub mod print;
pub mod run_record;
pub mod tables;
