//! Prisma ORM releases and preview-feature history, compiled into the tool.
//!
//! The table is a snapshot **as of [`AS_OF`]**; a project on a newer version than the table
//! knows is never reported as outdated. Sources (checked when the table was written):
//! the GitHub release notes of prisma/prisma (6.1.0, 6.2.0/6.2.1, 6.7.0, 6.9.0, 6.10.0, 6.13.0,
//! 6.16.1, 7.0.0), the npm registry's `time` field of the `prisma` package, Prisma's docs
//! (full-text search, metrics deprecation, multi-file schema), and prisma-engines'
//! `psl-core/src/common/preview_features.rs` (renamed and deprecated flags).

use super::package_json::Version;

/// Date of the snapshot.
pub const AS_OF: &str = "2026-11-25";

/// One minor release line: its first release date and its latest patch.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Release {
    /// `(major, minor)`.
    pub line: (u64, u64),
    /// Latest patch of the line known to the table.
    pub latest_patch: u64,
    /// Month of the `.0` release (`YYYY-MM`), or the exact day when known.
    pub date: &'static str,
}

/// Release lines of Prisma 6 and 7, oldest first.
pub const RELEASES: &[Release] = &[
    r(6, 0, 1, "2024-11"),
    r(6, 1, 0, "2024-12"),
    r(6, 2, 1, "2025-01"),
    r(6, 3, 1, "2025-02"),
    r(6, 4, 1, "2025-02"),
    r(6, 5, 0, "2025-03"),
    r(6, 6, 0, "2025-04"),
    r(6, 7, 0, "2025-04-29"),
    r(6, 8, 2, "2025-05"),
    r(6, 9, 0, "2025-06-05"),
    r(6, 10, 1, "2025-06-17"),
    r(6, 11, 1, "2025-07"),
    r(6, 12, 0, "2025-07"),
    r(6, 13, 0, "2025-07-29"),
    r(6, 14, 0, "2025-08"),
    r(6, 15, 0, "2025-08"),
    r(6, 16, 3, "2025-09"),
    r(6, 17, 1, "2025-10"),
    r(6, 18, 0, "2025-10"),
    r(6, 19, 3, "2025-11"),
    r(7, 0, 1, "2025-11-19"),
    r(7, 1, 0, "2025-12"),
    r(7, 2, 0, "2025-12"),
    r(7, 3, 0, "2026-01"),
    r(7, 4, 2, "2026-02"),
    r(7, 5, 0, "2026-03"),
    r(7, 6, 0, "2026-03"),
    r(7, 7, 0, "2026-04"),
    r(7, 8, 0, "2026-04"),
    r(7, 9, 1, "2026-07"),
    r(7, 10, 1, "2026-08"),
];

const fn r(major: u64, minor: u64, latest_patch: u64, date: &'static str) -> Release {
    Release {
        line: (major, minor),
        latest_patch,
        date,
    }
}

impl Release {
    /// The latest version of this line.
    pub fn latest(&self) -> Version {
        Version::new(self.line.0, self.line.1, self.latest_patch)
    }
}

/// The newest release known to the table.
pub fn latest() -> Version {
    RELEASES
        .last()
        .map(Release::latest)
        .unwrap_or(Version::new(7, 10, 1))
}

/// The newest release of `major`, if the table knows that major.
pub fn latest_in_major(major: u64) -> Option<Version> {
    RELEASES
        .iter()
        .rev()
        .find(|r| r.line.0 == major)
        .map(Release::latest)
}

/// The release line of `v`, if known.
pub fn release_of(v: &Version) -> Option<&'static Release> {
    RELEASES.iter().find(|r| r.line == (v.major, v.minor))
}

/// Number of minor release lines after `v` within its major.
pub fn minors_behind(v: &Version) -> usize {
    RELEASES
        .iter()
        .filter(|r| r.line.0 == v.major && r.line.1 > v.minor)
        .count()
}

/// What changes when moving to Prisma ORM 7 (shown when a project is on 6 or older).
pub const PRISMA7_CHANGES: &str = "Prisma 7 (2025-11-19) moves the connection URLs out of the schema into `prisma.config.ts` (`url`, `directUrl` and `shadowDatabaseUrl` are rejected in the datasource block), makes the Rust-free `prisma-client` generator the default (its `output` is required and imports come from that folder instead of `@prisma/client`), requires a driver adapter (e.g. `@prisma/adapter-pg`) or `accelerateUrl` in the `PrismaClient` constructor, no longer loads `.env` automatically, and removes the `metrics` preview feature. MongoDB stays on Prisma 6.";

/// How a preview flag changed.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum FeatureChange {
    /// Generally available: the flag is no longer needed (Prisma warns about it).
    Ga,
    /// Renamed to another flag, optionally only for one provider.
    Renamed {
        /// The new flag.
        to: &'static str,
        /// The provider the rename applies to (`None`: all).
        provider: Option<&'static str>,
    },
    /// Deprecated (the feature goes away).
    Deprecated,
    /// Removed: Prisma rejects the flag.
    Removed,
}

/// One event of a preview flag's history.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct FeatureEvent {
    /// The flag as written in `previewFeatures`.
    pub feature: &'static str,
    /// What happened.
    pub change: FeatureChange,
    /// The version it happened in (`None`: before 6.0, exact version not recorded).
    pub since: Option<(u64, u64, u64)>,
    /// Source for the claim.
    pub source: &'static str,
}

const fn ev(
    feature: &'static str,
    change: FeatureChange,
    since: Option<(u64, u64, u64)>,
    source: &'static str,
) -> FeatureEvent {
    FeatureEvent {
        feature,
        change,
        since,
        source,
    }
}

const ENGINES_PF: &str = "prisma-engines psl-core/src/common/preview_features.rs (deprecated list)";

/// Preview-flag history. Later events of the same flag come later.
pub const FEATURE_EVENTS: &[FeatureEvent] = &[
    ev(
        "fullTextSearch",
        FeatureChange::Renamed {
            to: "fullTextSearchPostgres",
            provider: Some("postgresql"),
        },
        Some((6, 0, 0)),
        "Prisma docs, full-text search: GA on MySQL in v6, `fullTextSearchPostgres` on PostgreSQL; prisma-engines renamed-feature map",
    ),
    ev(
        "fullTextSearch",
        FeatureChange::Ga,
        Some((6, 0, 0)),
        "Prisma docs, full-text search (MySQL GA in v6)",
    ),
    ev(
        "fullTextIndex",
        FeatureChange::Ga,
        Some((6, 0, 0)),
        "Prisma docs, full-text search (MySQL GA in v6); prisma-engines deprecated list",
    ),
    ev(
        "tracing",
        FeatureChange::Ga,
        Some((6, 1, 0)),
        "prisma/prisma release 6.1.0 (\"Tracing goes GA\")",
    ),
    ev(
        "omitApi",
        FeatureChange::Ga,
        Some((6, 2, 0)),
        "prisma/prisma release 6.2.0 / 6.2.1",
    ),
    ev(
        "prismaSchemaFolder",
        FeatureChange::Ga,
        Some((6, 7, 0)),
        "Prisma blog (multi-file schema), update of June 2025: GA in v6.7.0",
    ),
    ev(
        "multiSchema",
        FeatureChange::Ga,
        Some((6, 13, 0)),
        "prisma/prisma release 6.13.0; prisma-engines#5563",
    ),
    ev(
        "metrics",
        FeatureChange::Deprecated,
        Some((6, 14, 0)),
        "prisma/web#7151 (deprecated in 6.14.0)",
    ),
    ev(
        "driverAdapters",
        FeatureChange::Ga,
        Some((6, 16, 0)),
        "prisma/prisma release 6.16.1 notes (stabilized in 6.16.0)",
    ),
    ev(
        "queryCompiler",
        FeatureChange::Ga,
        Some((6, 16, 0)),
        "prisma/prisma release 6.16.1 notes (stabilized in 6.16.0)",
    ),
    ev(
        "metrics",
        FeatureChange::Removed,
        Some((7, 0, 0)),
        "prisma-engines#5665, prisma/prisma#28393 (removed for 7)",
    ),
    // Generally available before 6.0 (Prisma warns that they are no longer needed).
    ev(
        "interactiveTransactions",
        FeatureChange::Ga,
        None,
        ENGINES_PF,
    ),
    ev("extendedWhereUnique", FeatureChange::Ga, None, ENGINES_PF),
    ev("fieldReference", FeatureChange::Ga, None, ENGINES_PF),
    ev("jsonProtocol", FeatureChange::Ga, None, ENGINES_PF),
    ev("filteredRelationCount", FeatureChange::Ga, None, ENGINES_PF),
    ev("orderByNulls", FeatureChange::Ga, None, ENGINES_PF),
    ev("clientExtensions", FeatureChange::Ga, None, ENGINES_PF),
    ev("referentialIntegrity", FeatureChange::Ga, None, ENGINES_PF),
    ev("namedConstraints", FeatureChange::Ga, None, ENGINES_PF),
    ev("improvedQueryRaw", FeatureChange::Ga, None, ENGINES_PF),
    ev("extendedIndexes", FeatureChange::Ga, None, ENGINES_PF),
    ev("filterJson", FeatureChange::Ga, None, ENGINES_PF),
    ev("referentialActions", FeatureChange::Ga, None, ENGINES_PF),
    ev("microsoftSqlServer", FeatureChange::Ga, None, ENGINES_PF),
    ev("mongoDb", FeatureChange::Ga, None, ENGINES_PF),
    ev("cockroachdb", FeatureChange::Ga, None, ENGINES_PF),
    ev("dataProxy", FeatureChange::Ga, None, ENGINES_PF),
    ev("nApi", FeatureChange::Ga, None, ENGINES_PF),
    ev("selectRelationCount", FeatureChange::Ga, None, ENGINES_PF),
    ev("orderByRelation", FeatureChange::Ga, None, ENGINES_PF),
    ev("orderByAggregateGroup", FeatureChange::Ga, None, ENGINES_PF),
    ev("createMany", FeatureChange::Ga, None, ENGINES_PF),
    ev("groupBy", FeatureChange::Ga, None, ENGINES_PF),
    ev("transactionApi", FeatureChange::Ga, None, ENGINES_PF),
    ev("uncheckedScalarInputs", FeatureChange::Ga, None, ENGINES_PF),
    ev("aggregateApi", FeatureChange::Ga, None, ENGINES_PF),
    ev(
        "atomicNumberOperations",
        FeatureChange::Ga,
        None,
        ENGINES_PF,
    ),
    ev("connectOrCreate", FeatureChange::Ga, None, ENGINES_PF),
    ev("distinct", FeatureChange::Ga, None, ENGINES_PF),
    ev("middlewares", FeatureChange::Ga, None, ENGINES_PF),
    ev("nativeTypes", FeatureChange::Ga, None, ENGINES_PF),
];

/// The most recent event of `feature` that applies to `version` and `provider` (a rename for
/// another provider is skipped). With an unknown version, only pre-6.0 events apply.
pub fn feature_status(
    feature: &str,
    version: Option<&Version>,
    provider: Option<&str>,
) -> Option<&'static FeatureEvent> {
    FEATURE_EVENTS
        .iter()
        .filter(|e| e.feature.eq_ignore_ascii_case(feature))
        .filter(|e| match (e.since, version) {
            (None, _) => true,
            (Some((a, b, c)), Some(v)) => *v >= Version::new(a, b, c),
            (Some(_), None) => false,
        })
        .filter(|e| match e.change {
            FeatureChange::Renamed {
                provider: Some(p), ..
            } => provider.is_some_and(|q| q == p || (p == "postgresql" && q == "postgres")),
            _ => true,
        })
        // A provider-specific rename is more precise than the generic GA of the same version.
        .max_by_key(|e| {
            (
                e.since.unwrap_or((0, 0, 0)),
                matches!(
                    e.change,
                    FeatureChange::Renamed { .. } | FeatureChange::Removed
                ),
            )
        })
}
