//! Planning the cheapest fixes for the gaps an analysis finds. So far: the Steiner tree that
//! extends fiber along a graph to the villages that lack it, sharing trunk between them
//! ([`steiner`]). The road graph, the cost table, new sites, FWA and the costed works list
//! build on it.

pub mod steiner;
