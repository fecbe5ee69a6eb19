//! The map scene: the project's layers in drawing order with their styles, and the theme that
//! colours features (by the verdict of one target). One scene is drawn by the screen and by
//! the printed map, so both show the same thing; its legend lists what is actually drawn.

use super::geometry::{Item, LayerGeometry};
use super::style::{LayerStyle, Rgba, verdict_color};
use super::view::{Bounds, overlaps, union};
use crate::analysis::TargetResult;
use crate::project::{Project, Role};
use crate::targets::evaluate::Verdict;
use crate::targets::places::PlaceRef;
use rustc_hash::FxHashMap;
use std::sync::Arc;

/// One layer of the scene.
#[derive(Debug, Clone)]
pub struct SceneLayer {
    /// The drawable geometry (shared: restyling never copies it).
    pub geometry: Arc<LayerGeometry>,
    /// How it is drawn.
    pub style: LayerStyle,
}

/// The per-feature colours of a target's verdicts.
#[derive(Debug, Clone, Default)]
pub struct VerdictTheme {
    /// The target's id.
    pub target: String,
    /// The verdict of every place the target applies to.
    pub states: FxHashMap<Item, Verdict>,
}

impl VerdictTheme {
    /// The verdicts of `t` by map item.
    pub fn of(t: &TargetResult) -> VerdictTheme {
        let states = t.places.iter().map(|pv| (item_of(pv.place), pv.outcome.state)).collect();
        VerdictTheme { target: t.target.id.clone(), states }
    }
}

/// A coverage overlay: a colour per feature (buildings by RSRP class, best server, capability
/// class) with its legend; drawn over the verdict theme where it gives a colour.
#[derive(Debug, Clone, Default)]
pub struct Overlay {
    /// What it shows ("RSRP (best 4G)").
    pub title: String,
    /// Feature colours.
    pub colors: FxHashMap<Item, Rgba>,
    /// Legend lines: label, colour, features.
    pub legend: Vec<(String, Rgba, usize)>,
}

impl Overlay {
    /// An overlay giving `items` the class colours of `classes` (label, colour) by index,
    /// with a legend of the classes present.
    pub fn classed(title: &str, classes: &[(String, Rgba)], items: impl Iterator<Item = (Item, usize)>) -> Overlay {
        let mut counts = vec![0usize; classes.len()];
        let mut colors = FxHashMap::default();
        for (item, k) in items {
            counts[k] += 1;
            colors.insert(item, classes[k].1);
        }
        let legend = classes.iter().zip(&counts).filter(|(_, n)| **n > 0).map(|((l, c), n)| (l.clone(), *c, *n)).collect();
        Overlay { title: title.to_string(), colors, legend }
    }
}

/// The map item of a place judged by a target.
pub fn item_of(place: PlaceRef) -> Item {
    match place {
        PlaceRef::Village(v) => Item::Village(v),
        PlaceRef::Building(b) => Item::Building(b),
        PlaceRef::Poi(i) => Item::Poi(i),
    }
}

/// The place a map item stands for, when targets judge such items.
pub fn place_of(item: Item) -> Option<PlaceRef> {
    match item {
        Item::Village(v) => Some(PlaceRef::Village(v)),
        Item::Building(b) => Some(PlaceRef::Building(b)),
        Item::Poi(i) => Some(PlaceRef::Poi(i)),
        _ => None,
    }
}

/// Everything the map draws.
#[derive(Debug, Clone, Default)]
pub struct Scene {
    /// Bottom first.
    pub layers: Vec<SceneLayer>,
    /// Colours by verdict, when a target is chosen.
    pub theme: Option<Arc<VerdictTheme>>,
    /// A coverage overlay, drawn over the verdict colours.
    pub overlay: Option<Arc<Overlay>>,
    /// The coverage grid, drawn over the admin areas and under everything else.
    pub grid: Option<Arc<super::grid_image::GridImage>>,
}

/// One legend line.
#[derive(Debug, Clone, PartialEq)]
pub struct LegendEntry {
    /// Layer name, or the verdict word.
    pub label: String,
    /// Symbol colour.
    pub color: Rgba,
    /// Features drawn with it.
    pub count: usize,
    /// The verdict it stands for (its label is then the verdict's English word).
    pub state: Option<Verdict>,
}

impl Scene {
    /// Every vector layer of the project in project-file order (areas first, points last, as
    /// project files list them), each with its role's default style.
    pub fn of_project(p: &Project) -> Scene {
        Self::of_project_with(p, true)
    }

    /// [`Scene::of_project`] for print: polygons keep their rings but are not triangulated.
    pub fn for_print(p: &Project) -> Scene {
        Self::of_project_with(p, false)
    }

    fn of_project_with(p: &Project, triangulate: bool) -> Scene {
        let layers = p
            .file
            .layers
            .iter()
            .filter(|l| l.role != Role::Terrain)
            .map(|l| SceneLayer {
                geometry: Arc::new(LayerGeometry::of_layer_with(p, &l.name, Some(l.role), triangulate)),
                style: LayerStyle::default_for(l.role),
            })
            .collect();
        Scene { layers, theme: None, overlay: None, grid: None }
    }

    /// Where the coverage grid goes in the drawing order: before this layer index (over the
    /// admin areas, which come first, and under everything else), the same on screen and paper.
    pub fn grid_slot(&self) -> usize {
        self.layers.iter().position(|l| l.geometry.role != Some(crate::project::Role::Admin)).unwrap_or(self.layers.len())
    }

    /// Bounds of every layer.
    pub fn extent(&self) -> Option<Bounds> {
        self.layers.iter().filter_map(|l| l.geometry.extent).reduce(union)
    }

    /// The fill colour of feature `i` of layer `l`: its verdict's colour under a theme, else
    /// the layer's (with the layer's opacity applied either way). Features a theme does not
    /// judge keep their style but fade, so the judged ones stand out.
    pub fn fill_of(&self, l: &SceneLayer, i: usize) -> Rgba {
        if let Some(c) = self.overlay.as_ref().and_then(|o| o.colors.get(&l.geometry.items[i])) {
            return c.faded(l.style.opacity);
        }
        match self.state_of(l, i) {
            Some(s) => verdict_color(s).faded(l.style.opacity),
            None if self.theme.is_some() && judged_role(l.geometry.role) => l.style.fill.faded(l.style.opacity * 0.35),
            None => l.style.fill.faded(l.style.opacity),
        }
    }

    /// The verdict of feature `i` of layer `l` under the theme.
    pub fn state_of(&self, l: &SceneLayer, i: usize) -> Option<Verdict> {
        self.theme.as_ref()?.states.get(&l.geometry.items[i]).copied()
    }

    /// The legend of what is drawn inside `bounds`: one line per visible layer, then one per
    /// verdict present (with its count), nothing for verdicts no feature shows.
    pub fn legend(&self, bounds: Bounds) -> Vec<LegendEntry> {
        let mut out = Vec::new();
        let mut counts: FxHashMap<Verdict, usize> = FxHashMap::default();
        for l in self.layers.iter().filter(|l| l.style.visible && l.style.opacity > 0.0) {
            let Some(e) = l.geometry.extent else { continue };
            if !overlaps(e, bounds) {
                continue;
            }
            // A layer wholly in view needs no R-tree query: every feature counts.
            let whole = bounds[0] <= e[0] && bounds[1] <= e[1] && bounds[2] >= e[2] && bounds[3] >= e[3];
            let visible: Vec<usize> = if whole { Vec::new() } else { l.geometry.visible(bounds) };
            let n = if whole { l.geometry.len() } else { visible.len() };
            if n == 0 {
                continue;
            }
            if let Some(t) = &self.theme {
                let mut tally = |i: usize| {
                    if let Some(s) = t.states.get(&l.geometry.items[i]) {
                        *counts.entry(*s).or_default() += 1;
                    }
                };
                if whole { (0..n).for_each(&mut tally) } else { visible.iter().for_each(|&i| tally(i)) }
            }
            let color = if l.style.fill.0[3] > 0 { l.style.fill } else { l.style.stroke };
            out.push(LegendEntry { label: l.geometry.name.clone(), color, count: n, state: None });
        }
        for s in [Verdict::Met, Verdict::NotMet, Verdict::Unknown] {
            if let Some(&n) = counts.get(&s) {
                out.push(LegendEntry { label: s.word().to_string(), color: verdict_color(s), count: n, state: Some(s) });
            }
        }
        out
    }
}

/// Roles whose features targets judge.
fn judged_role(r: Option<Role>) -> bool {
    matches!(r, Some(Role::Villages | Role::Buildings | Role::Poi))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn overlay_legend_lists_only_classes_present_with_counts() {
        let classes = vec![("a".to_string(), Rgba::rgb(1, 0, 0)), ("b".to_string(), Rgba::rgb(0, 1, 0)), ("c".to_string(), Rgba::rgb(0, 0, 1))];
        let o = Overlay::classed("t", &classes, [(Item::Building(0), 2), (Item::Building(1), 0), (Item::Building(2), 2)].into_iter());
        assert_eq!(o.legend, vec![("a".to_string(), Rgba::rgb(1, 0, 0), 1), ("c".to_string(), Rgba::rgb(0, 0, 1), 2)]);
        assert_eq!(o.colors[&Item::Building(2)], Rgba::rgb(0, 0, 1));
    }
}
