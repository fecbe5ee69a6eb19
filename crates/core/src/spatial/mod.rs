//! The spatial core: the local metric frame and R-tree indexes over it.

mod density;
mod frame;
mod index;

pub use density::DensityGrid;
pub use frame::{LocalFrame, PolygonMetrics};
pub use index::{BoxIndex, PointIndex, PolygonIndex, SegmentIndex};
mod plan_index;

pub use plan_index::{PlanIndex, PlanRefs};
