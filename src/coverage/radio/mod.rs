//! Radio propagation: path-loss models (and, next, antennas, link budget, SINR, throughput).

pub mod pathloss;
