//! The report's strengths that no rule confirms: good practices found in the project, each
//! registered with `prisma_audit_core::declare_strengths!`.

mod schema_practices;
