//! What an analysis writes for people and other tools: summary, gap and area tables (`tables`,
//! `export`, `run_record`) and the printed gap map (`gapmap` composes pages from `print`'s page
//! layout, `map_svg`'s map frame and `furniture`'s scale bar, north arrow, graticule and inset,
//! all written with `svg`'s primitives).

pub mod export;
pub mod furniture;
pub mod gapmap;
pub mod map_svg;
pub mod measure_page;
pub mod plan_files;
pub mod plan_map;
pub mod print;
pub mod run_record;
pub mod svg;
pub mod tables;
