//! Map drawing shared by the screen and the printed map: the view, styles and palettes, the
//! drawable geometry of each layer, the scene (layers + verdict theme + legend), the scale bar
//! and label placement. Knows nothing about egui or PDF: those draw what this describes.

pub mod attributes;
pub mod font;
pub mod geometry;
pub mod graticule;
pub mod grid_image;
pub mod labels;
pub mod scalebar;
pub mod scene;
pub mod style;
pub mod view;

pub use geometry::{Item, LayerGeometry, Shape};
pub use scene::{LegendEntry, Scene, SceneLayer, VerdictTheme};
pub use style::{LayerStyle, Rgba};
pub use view::{Bounds, View};
