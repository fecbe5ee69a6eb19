//! Policy targets: profiles (data), and verdicts with evidence per place and per area.

pub mod evaluate;
pub mod places;
pub mod profile;
pub mod share;
pub mod verdict;
