//! Drift between the replayed catalog and what the schema implies (filled in once the semantic
//! model exposes database names and native types).
