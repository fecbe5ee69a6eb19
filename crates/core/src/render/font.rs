//! The embedded CJK font: a subset of Noto Sans CJK SC with every Chinese character of GBK
//! (SIL OFL; `assets/fonts/LICENSE-OFL.txt`, made by `tools/subset_font.py`), so village names
//! render on screen and paper on machines without Chinese fonts.

/// The font file's bytes (OpenType/CFF).
pub const CJK_FONT: &[u8] = include_bytes!("../../../../assets/fonts/NotoSansCJKsc-covplan.otf");

/// Its family name, as SVG text asks for it.
pub const CJK_FAMILY: &str = "Noto Sans CJK SC";
