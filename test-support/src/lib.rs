//! Helpers shared by the tests and benchmarks of the prisma-audit crates (a dev-dependency only):
//! generated schemas and migration histories ([`generate`]), mutations of valid inputs for
//! property tests ([`mutate`]), a generator of Prisma schemas for differential testing
//! ([`psl_gen`]), Prisma's own validator as an oracle ([`wasm_oracle`]), and a throwaway
//! PostgreSQL cluster ([`pg_cluster`]). It depends on the PSL front end only.

pub mod generate;
pub mod mutate;
pub mod pg_cluster;
pub mod psl_gen;
pub mod wasm_oracle;
