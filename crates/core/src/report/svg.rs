//! SVG writing primitives shared by the printed page's parts: escaped text in the embedded
//! font, colours.

use crate::render::Rgba;
use std::fmt::Write;

/// Escapes text for SVG.
pub fn esc(s: &str) -> String {
    s.replace('&', "&amp;").replace('<', "&lt;").replace('>', "&gt;").replace('"', "&quot;")
}

/// An SVG colour and its opacity.
pub fn hex(c: Rgba) -> (String, f64) {
    let [r, g, b, a] = c.0;
    (format!("#{r:02x}{g:02x}{b:02x}"), a as f64 / 255.0)
}

/// Text with the embedded CJK font (position, size, anchor, weight and colour are all needed).
#[allow(clippy::too_many_arguments)]
pub fn text(out: &mut String, x: f64, y: f64, size: f64, anchor: &str, weight: &str, fill: &str, s: &str) {
    let _ = writeln!(
        out,
        r#"<text x="{x:.2}" y="{y:.2}" font-family="Noto Sans CJK SC" font-size="{size:.2}" text-anchor="{anchor}" font-weight="{weight}" fill="{fill}">{}</text>"#,
        esc(s)
    );
}

#[cfg(test)]
mod tests {
    #[test]
    fn text_is_escaped() {
        assert_eq!(super::esc("a<b&\"c\""), "a&lt;b&amp;&quot;c&quot;");
    }
}
