//! The embedded CJK font (a GBK subset of Noto Sans CJK SC, OFL; see assets/fonts), added
//! behind egui's own fonts so every village name renders on a machine without Chinese fonts.

use eframe::egui;
use std::sync::Arc;

use covplan_core::render::font::CJK_FONT;

/// Installs the CJK font as the fallback of both font families.
pub fn install(ctx: &egui::Context) {
    let mut fonts = egui::FontDefinitions::default();
    fonts.font_data.insert("noto-sans-cjk-sc".into(), Arc::new(egui::FontData::from_static(CJK_FONT)));
    for family in [egui::FontFamily::Proportional, egui::FontFamily::Monospace] {
        fonts.families.entry(family).or_default().push("noto-sans-cjk-sc".into());
    }
    ctx.set_fonts(fonts);
}
