//! Text encodings of Chinese data: labels, `.cpg` files, DBF language drivers, detection.

use encoding_rs::{Encoding, GBK, UTF_8};

/// Finds the encoding for a label as written in `.cpg` files, project files and the command line
/// (GBK, CP936, 936, GB2312, GB18030, UTF-8, 65001, Big5, 950, 1252 …).
pub fn encoding_for_label(label: &str) -> Option<&'static Encoding> {
    let l = label.trim().trim_start_matches('\u{feff}').trim();
    let u = l.to_ascii_uppercase().replace(['-', '_', ' '], "");
    match u.as_str() {
        "936" | "CP936" | "GBK" | "GB2312" | "GB18030" | "CHINESE" | "ANSI936" => Some(GBK),
        "65001" | "UTF8" | "CP65001" => Some(UTF_8),
        "950" | "CP950" | "BIG5" => Some(encoding_rs::BIG5),
        "1252" | "CP1252" | "ANSI1252" => Some(encoding_rs::WINDOWS_1252),
        "88591" | "ISO88591" | "LATIN1" => Some(encoding_rs::WINDOWS_1252),
        _ => Encoding::for_label(l.as_bytes()),
    }
}

/// The encoding a DBF language-driver byte (offset 29) names, for the drivers we meet in China.
pub fn encoding_for_ldid(ldid: u8) -> Option<&'static Encoding> {
    match ldid {
        0x4D | 0x7A => Some(GBK),
        0x4F | 0x78 => Some(encoding_rs::BIG5),
        0x57 | 0x03 => Some(encoding_rs::WINDOWS_1252),
        _ => None,
    }
}

/// True when `bytes` is UTF-8, allowing a multi-byte character cut off at the end
/// (DBF fields are fixed-width and exporters cut names mid-character).
pub fn is_utf8_allowing_cut_end(bytes: &[u8]) -> bool {
    match std::str::from_utf8(bytes) {
        Ok(_) => true,
        Err(e) => e.error_len().is_none(),
    }
}

/// Decodes text, dropping an incomplete trailing UTF-8 sequence instead of adding U+FFFD.
pub fn decode(bytes: &[u8], enc: &'static Encoding) -> String {
    // ASCII reads the same in every encoding a layer uses (GBK, Big5, UTF-8 …), and most ids and
    // codes are ASCII: no decoder for them (it shows when a million records are read).
    if enc.is_ascii_compatible()
        && bytes.is_ascii()
        && let Ok(s) = std::str::from_utf8(bytes)
    {
        return s.to_owned();
    }
    if enc == UTF_8 {
        match std::str::from_utf8(bytes) {
            Ok(s) => return s.to_string(),
            Err(e) if e.error_len().is_none() => {
                return String::from_utf8_lossy(&bytes[..e.valid_up_to()]).into_owned();
            }
            Err(_) => {}
        }
    }
    enc.decode_without_bom_handling(bytes).0.into_owned()
}

/// Decodes bytes of unknown encoding: a BOM, else UTF-8 if valid, else GBK.
/// Returns the text and the encoding used.
pub fn decode_guess(bytes: &[u8]) -> (String, &'static Encoding) {
    if let Some((enc, bom_len)) = Encoding::for_bom(bytes) {
        return (enc.decode_without_bom_handling(&bytes[bom_len..]).0.into_owned(), enc);
    }
    match std::str::from_utf8(bytes) {
        Ok(s) => (s.to_string(), UTF_8),
        Err(_) => (GBK.decode_without_bom_handling(bytes).0.into_owned(), GBK),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn labels() {
        for l in ["GBK", "cp936", "936", "GB2312", " GB18030\r\n", "\u{feff}gbk"] {
            assert_eq!(encoding_for_label(l), Some(GBK), "{l}");
        }
        assert_eq!(encoding_for_label("UTF-8"), Some(UTF_8));
        assert_eq!(encoding_for_label("65001"), Some(UTF_8));
        assert_eq!(encoding_for_label("klingon"), None);
    }

    #[test]
    fn cut_utf8_is_still_utf8() {
        let s = "怀集县".as_bytes();
        assert!(is_utf8_allowing_cut_end(&s[..8]));
        assert_eq!(decode(&s[..8], UTF_8), "怀集");
        let gbk = GBK.encode("怀集县").0;
        assert!(!is_utf8_allowing_cut_end(&gbk));
        assert_eq!(decode_guess(&gbk).0, "怀集县");
    }
}
