//! Label placement without overlaps: the most important labels first, each tried at a few
//! positions around its anchor, kept only where it collides with nothing placed before.

/// A label that wants a place.
#[derive(Debug, Clone)]
pub struct LabelRequest {
    /// Anchor in pixels.
    pub anchor: [f32; 2],
    /// Text size in pixels (width, height).
    pub size: [f32; 2],
    /// Higher first (households, for villages).
    pub priority: f64,
}

/// Estimated width of `text` at font size `px`: CJK characters are square, others about half.
pub fn text_width(text: &str, px: f32) -> f32 {
    text.chars().map(|c| if (c as u32) < 0x2E80 { 0.55 } else { 1.0 }).sum::<f32>() * px
}

/// Places labels; returns for each request the top-left corner chosen, or `None` when every
/// candidate position overlaps. Ties in priority keep input order (deterministic).
pub fn place(requests: &[LabelRequest], gap: f32) -> Vec<Option<[f32; 2]>> {
    let mut order: Vec<usize> = (0..requests.len()).collect();
    order.sort_by(|&a, &b| requests[b].priority.total_cmp(&requests[a].priority).then(a.cmp(&b)));
    // Placed boxes in a coarse grid of buckets, so each test looks at a few neighbours only.
    const CELL: f32 = 64.0;
    let mut grid: rustc_hash::FxHashMap<(i32, i32), Vec<[f32; 4]>> = Default::default();
    let cells = |r: [f32; 4]| {
        let (x0, y0, x1, y1) = ((r[0] / CELL).floor() as i32, (r[1] / CELL).floor() as i32, (r[2] / CELL).floor() as i32, (r[3] / CELL).floor() as i32);
        (x0..=x1).flat_map(move |x| (y0..=y1).map(move |y| (x, y)))
    };
    let mut out = vec![None; requests.len()];
    for i in order {
        let r = &requests[i];
        let [w, h] = r.size;
        let [ax, ay] = r.anchor;
        let offset = 4.0;
        // Right, left, above, below the anchor.
        let candidates = [[ax + offset, ay - h / 2.0], [ax - offset - w, ay - h / 2.0], [ax - w / 2.0, ay - offset - h], [ax - w / 2.0, ay + offset]];
        for c in candidates {
            let rect = [c[0] - gap, c[1] - gap, c[0] + w + gap, c[1] + h + gap];
            let hit = cells(rect).any(|k| grid.get(&k).is_some_and(|v| v.iter().any(|o| rect[0] < o[2] && o[0] < rect[2] && rect[1] < o[3] && o[1] < rect[3])));
            if !hit {
                for k in cells(rect) {
                    grid.entry(k).or_default().push(rect);
                }
                out[i] = Some(c);
                break;
            }
        }
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn labels_never_overlap_and_important_ones_win() {
        let req = |x: f32, p: f64| LabelRequest { anchor: [x, 100.0], size: [40.0, 14.0], priority: p };
        // Three anchors 10 px apart: the most important takes the right, the next the left,
        // and a third finds room above or below.
        let placed = place(&[req(100.0, 1.0), req(110.0, 5.0), req(105.0, 3.0), req(104.0, 2.0), req(106.0, 0.5)], 1.0);
        assert_eq!(placed[1], Some([114.0, 93.0]));
        let rects: Vec<[f32; 4]> = placed.iter().flatten().map(|c| [c[0], c[1], c[0] + 40.0, c[1] + 14.0]).collect();
        for (i, a) in rects.iter().enumerate() {
            for b in &rects[i + 1..] {
                assert!(!(a[0] < b[2] && b[0] < a[2] && a[1] < b[3] && b[1] < a[3]), "{a:?} overlaps {b:?}");
            }
        }
        assert!(placed.iter().filter(|p| p.is_none()).count() >= 1, "five labels cannot all fit");
        assert_eq!(text_width("四会市", 10.0), 30.0);
        assert!((text_width("ab", 10.0) - 11.0).abs() < 1e-6);
    }
}
