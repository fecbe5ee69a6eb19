//! The printed page in its three outputs, all from one SVG: SVG as composed, PNG at a chosen
//! DPI (resvg), vector PDF with selectable, subset-embedded CJK text (krilla).

use crate::render::font::CJK_FONT;
use std::sync::Arc;

crate::error::message_error!(
    /// Why a page could not be laid out, rendered or written (the text says which and what to change).
    ExportError
);

/// Parses the page SVG with the embedded CJK font as the only font (no system fonts: the same
/// bytes out on every machine).
pub fn parse(svg: &str) -> Result<usvg::Tree, ExportError> {
    let mut db = usvg::fontdb::Database::new();
    db.load_font_data(CJK_FONT.to_vec());
    let opts = usvg::Options { fontdb: Arc::new(db), font_family: crate::render::font::CJK_FAMILY.to_string(), ..Default::default() };
    usvg::Tree::from_str(svg, &opts).map_err(|e| ExportError(format!("the page could not be laid out: {e}")))
}

/// The page as PNG at `dpi` dots per inch.
pub fn to_png(tree: &usvg::Tree, dpi: f64) -> Result<Vec<u8>, ExportError> {
    // usvg sizes are CSS pixels (96 per inch).
    let scale = (dpi / 96.0) as f32;
    let size = tree.size().to_int_size().scale_by(scale).ok_or_else(|| ExportError("the page is too small to render".into()))?;
    if size.width() as u64 * size.height() as u64 > 40_000u64 * 40_000 {
        return Err(ExportError(format!("{dpi} dpi makes a {} × {} px image; choose a lower DPI", size.width(), size.height())));
    }
    let mut pixmap = resvg::tiny_skia::Pixmap::new(size.width(), size.height()).ok_or_else(|| ExportError("cannot allocate the image".into()))?;
    resvg::render(tree, resvg::tiny_skia::Transform::from_scale(scale, scale), &mut pixmap.as_mut());
    pixmap.encode_png().map_err(|e| ExportError(format!("cannot encode the PNG: {e}")))
}

/// The pages as one vector PDF.
pub fn to_pdf(pages: &[usvg::Tree]) -> Result<Vec<u8>, ExportError> {
    use krilla_svg::{SurfaceExt, SvgSettings};
    let mut doc = krilla::Document::new();
    for tree in pages {
        // CSS pixels → PDF points.
        let (w, h) = (tree.size().width() * 0.75, tree.size().height() * 0.75);
        let size = krilla::geom::Size::from_wh(w, h).ok_or_else(|| ExportError("empty page".into()))?;
        let mut page = doc.start_page_with(krilla::page::PageSettings::new(size));
        let mut surface = page.surface();
        surface.draw_svg(tree, size, SvgSettings::default()).ok_or_else(|| ExportError("the page could not be drawn into the PDF".into()))?;
        surface.finish();
        page.finish();
    }
    doc.finish().map_err(|e| ExportError(format!("cannot write the PDF: {e:?}")))
}
