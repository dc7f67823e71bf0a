//! The role a model plays in a schema: a **join** (link) model, a **counter** (bucket,
//! aggregate) model, a **transient** model (tokens, sessions), an **append-only** model (logs,
//! events, versions), a **lookup** model (reference data), or an ordinary **record**. Rules use
//! it to leave out advice that does not fit the role: a join row needs no `updatedAt`, a counter
//! row is rewritten in place by design, a log row is never updated, a one-time token is deleted
//! rather than edited.
//!
//! [`role`] returns the first role that applies, in this order:
//!
//! - [`join_model`] (shape): the model links two or more others. Its columns are the foreign
//!   keys of at least two to-one relations, plus at most a generated single-column id,
//!   timestamps (any `DateTime` with `@default(now())` or `@updatedAt`, or named like a
//!   timestamp) and a little metadata (`role`, `position`, `isPrimary`). Without metadata the
//!   shape alone decides (`UserRole { userId, roleId }`, `Follow { id, followerId, followingId,
//!   createdAt }`); with metadata (at most [`MAX_JOIN_METADATA`] columns) the foreign keys must
//!   also be a key (`@@id` or `@@unique` over foreign-key columns of two relations), so an
//!   `OrderItem` with a quantity and a price but no unique pair stays a record.
//! - [`is_counter_model`] (shape, or name): every column besides the keys, foreign keys and
//!   timestamps is a number, there is at least one such column, and the model is keyed by
//!   something other than a generated id (a date, a period, a foreign key: `DailyStats { date
//!   @unique, views, signups }`, `TagMetric { tagId, timeframe, followerCount, @@id([tagId,
//!   timeframe]) }`) or its name ends with a counter word (`Count`, `Counter`, `Stats`,
//!   `Metric`, `Aggregate`, `Usage`...).
//! - [`is_transient`] (name): the name ends with a word of short-lived rows
//!   ([`TRANSIENT_SUFFIXES`]: `Token`, `Otp`, `Code`, `Verification`, `VerificationRequest`,
//!   `MagicLink`, `Nonce`, `Challenge`, `Session`, `Lock`, `Cache`: `PasswordResetToken`,
//!   `VerificationCode`, `ChatSession`).
//! - [`is_append_only`] (name): the name ends, at a word boundary, with a log or event word
//!   ([`APPEND_ONLY_SUFFIXES`]: `AuditLog`, `LoginEvent`, `PriceHistory`, `PageVersion`;
//!   `Catalog` does not match `Log`).
//! - [`is_lookup_model`] (shape and name): reference data. The model holds no foreign key, has
//!   one to [`MAX_LOOKUP_COLUMNS`] scalar columns besides its `@id` and timestamps (none of
//!   them `Json` or `Bytes`), and either its name ends with a reference-data word (`Category`,
//!   `Type`, `Tag`, `Status`, `Setting`, `Config`, `Flag`, `Country`, `Currency`, `Role`...)
//!   or it is keyed by a string the application chooses (`AppSetting { key String @id, value
//!   }`).
//!
//! The roles recognised by name are conventions, not facts: a rule that reports something
//! because of a role marks the finding heuristic; a rule that only stays silent because of one
//! documents the silence (and, where it matters, lets users configure the names).

use crate::support::naming::words;
use prisma_audit_core::model::{DefaultKind, Field, FieldId, Model, ScalarType, Schema};

/// What a model is for.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) enum ModelRole {
    /// Links other models (an explicit many-to-many join table, a membership, a follow).
    Join,
    /// Holds counters or aggregates keyed by an entity and/or a period.
    Counter,
    /// Rows that live until they expire or are consumed: one-time tokens and codes, sessions,
    /// locks, caches (recognised by name).
    Transient,
    /// Log, event, history and snapshot rows, written once (recognised by name).
    AppendOnly,
    /// Small reference data without foreign keys: categories, types, tags, settings, flags.
    Lookup,
    /// Anything else: a business record.
    Record,
}

/// Metadata columns a join model may carry besides its keys and timestamps when its foreign
/// keys form a key.
pub(crate) const MAX_JOIN_METADATA: usize = 3;

/// Columns a lookup model may have besides its `@id` and timestamps.
pub(crate) const MAX_LOOKUP_COLUMNS: usize = 4;

/// Default model-name suffixes of append-only models (matched word by word, see
/// [`is_append_only`]).
pub(crate) const APPEND_ONLY_SUFFIXES: &[&str] = &[
    "Log",
    "Logs",
    "Event",
    "Events",
    "History",
    "Histories",
    "Audit",
    "Audits",
    "AuditTrail",
    "Movement",
    "Movements",
    "LedgerEntry",
    "JournalEntry",
    "Snapshot",
    "Snapshots",
    "Version",
    "Versions",
    "Revision",
    "Revisions",
    "Attempt",
    "Attempts",
    "Execution",
    "Executions",
    "Delivery",
    "Deliveries",
];

/// Name suffixes of transient models: rows that live until they expire or are consumed
/// (one-time tokens and codes, sessions, locks, caches), matched like [`is_append_only`].
pub(crate) const TRANSIENT_SUFFIXES: &[&str] = &[
    "Token",
    "Tokens",
    "Otp",
    "Otps",
    "Code",
    "Codes",
    "Verification",
    "Verifications",
    "VerificationRequest",
    "VerificationRequests",
    "MagicLink",
    "MagicLinks",
    "Nonce",
    "Nonces",
    "Challenge",
    "Challenges",
    "Session",
    "Sessions",
    "Lock",
    "Locks",
    "Cache",
    "Caches",
];

/// Last words of counter and aggregate model names.
const COUNTER_WORDS: &[&str] = &[
    "count",
    "counts",
    "counter",
    "counters",
    "stat",
    "stats",
    "statistic",
    "statistics",
    "metric",
    "metrics",
    "aggregate",
    "aggregates",
    "aggregation",
    "tally",
    "usage",
    "usages",
    "rollup",
    "rollups",
];

/// Last words of reference-data model names.
const LOOKUP_WORDS: &[&str] = &[
    "category",
    "categories",
    "type",
    "types",
    "kind",
    "kinds",
    "tag",
    "tags",
    "label",
    "labels",
    "status",
    "statuses",
    "setting",
    "settings",
    "config",
    "configs",
    "configuration",
    "flag",
    "flags",
    "option",
    "options",
    "country",
    "countries",
    "currency",
    "currencies",
    "language",
    "languages",
    "locale",
    "locales",
    "unit",
    "units",
    "role",
    "roles",
    "permission",
    "permissions",
];

/// A recognised join model.
#[derive(Debug, Clone, PartialEq, Eq)]
pub(crate) struct JoinModel {
    /// The to-one relation fields whose foreign keys this model holds (two or more).
    pub relations: Vec<FieldId>,
    /// Columns that are neither foreign keys, a generated id nor timestamps.
    pub metadata: Vec<FieldId>,
}

/// The role of `model` (see the module documentation).
pub(crate) fn role(schema: &Schema, model: &Model) -> ModelRole {
    if join_model(schema, model).is_some() {
        ModelRole::Join
    } else if is_counter_model(schema, model) {
        ModelRole::Counter
    } else if is_transient(model) {
        ModelRole::Transient
    } else if is_append_only(model, APPEND_ONLY_SUFFIXES) {
        ModelRole::AppendOnly
    } else if is_lookup_model(schema, model) {
        ModelRole::Lookup
    } else {
        ModelRole::Record
    }
}

/// The scalar fields that are foreign keys of a to-one relation held by `model`, and those
/// relation fields.
fn foreign_keys(schema: &Schema, model: &Model) -> (Vec<FieldId>, Vec<FieldId>) {
    let mut relations = Vec::new();
    let mut fks = Vec::new();
    for f in model.relation_fields() {
        let cols = schema.fk_fields(f.id);
        if cols.is_empty() {
            continue;
        }
        relations.push(f.id);
        fks.extend(cols.iter().copied());
    }
    (relations, fks)
}

/// A `DateTime` that records when the row was written: `@default(now())`, `@updatedAt`, or a
/// name like `createdAt`/`updated_at`.
pub(crate) fn is_timestamp(model: &Model, field: &Field) -> bool {
    if field.ty.as_scalar() != Some(ScalarType::DateTime) {
        return false;
    }
    if field.updated_at.is_some()
        || model
            .default_of(field)
            .is_some_and(|d| d.kind == DefaultKind::Now)
    {
        return true;
    }
    let w = words(&field.name);
    let verb_first = matches!(
        w.first().map(String::as_str),
        Some("created" | "updated" | "modified" | "inserted" | "deleted")
    );
    verb_first
        || match w.as_slice() {
            [a, b] => a == "date" && matches!(b.as_str(), "created" | "modified"),
            _ => false,
        }
}

/// A single-column `@id` with a generated default (`autoincrement()`, `uuid()`, `cuid()`...).
fn is_generated_id(model: &Model, field: &Field) -> bool {
    model.id_of(field).is_some() && model.default_of(field).is_some()
}

/// `model` as a join model, if it is one (see the module documentation).
pub(crate) fn join_model(schema: &Schema, model: &Model) -> Option<JoinModel> {
    let (relations, fks) = foreign_keys(schema, model);
    if relations.len() < 2 {
        return None;
    }
    let metadata: Vec<FieldId> = model
        .scalar_fields()
        .filter(|f| !fks.contains(&f.id) && !is_generated_id(model, f) && !is_timestamp(model, f))
        .map(|f| f.id)
        .collect();
    if metadata.is_empty() {
        return Some(JoinModel {
            relations,
            metadata,
        });
    }
    if metadata.len() > MAX_JOIN_METADATA {
        return None;
    }
    // With metadata, the foreign keys of two relations must be a key of the model.
    let relation_of = |col: FieldId| {
        relations
            .iter()
            .position(|r| schema.fk_fields(*r).contains(&col))
    };
    let keyed = model.index_refs().any(|i| {
        if !i.is_unique() || i.is_empty() {
            return false;
        }
        let mut seen = Vec::new();
        for c in i.columns() {
            match c.field.and_then(relation_of) {
                Some(r) => {
                    if !seen.contains(&r) {
                        seen.push(r);
                    }
                }
                None => return false,
            }
        }
        seen.len() >= 2
    });
    keyed.then_some(JoinModel {
        relations,
        metadata,
    })
}

/// Whether `model` is a counter, bucket or aggregate model (see the module documentation).
pub(crate) fn is_counter_model(schema: &Schema, model: &Model) -> bool {
    let (_, fks) = foreign_keys(schema, model);
    let key_cols: Vec<FieldId> = model
        .index_refs()
        .filter(|i| i.is_unique())
        .flat_map(|i| i.field_ids().collect::<Vec<_>>())
        .collect();
    let mut numbers = 0;
    for f in model.scalar_fields() {
        if fks.contains(&f.id) || key_cols.contains(&f.id) || is_timestamp(model, f) {
            continue;
        }
        let numeric = !f.is_list()
            && f.ty.as_scalar().is_some_and(|s| {
                matches!(
                    s,
                    ScalarType::Int | ScalarType::BigInt | ScalarType::Float | ScalarType::Decimal
                )
            });
        if !numeric {
            return false;
        }
        numbers += 1;
    }
    if numbers == 0 {
        return false;
    }
    let by_name = words(&model.name)
        .last()
        .is_some_and(|w| COUNTER_WORDS.contains(&w.as_str()));
    // Keyed by something meaningful: a unique key with a column that is not a generated id.
    let meaningful_key = model.index_refs().any(|i| {
        i.is_unique()
            && i.columns().any(|c| {
                c.field
                    .and_then(|id| model.field_at(id))
                    .is_some_and(|f| !is_generated_id(model, f))
            })
    });
    by_name || meaningful_key
}

/// Whether `model` is small reference data (see the module documentation).
pub(crate) fn is_lookup_model(schema: &Schema, model: &Model) -> bool {
    let (relations, _) = foreign_keys(schema, model);
    if !relations.is_empty() {
        return false;
    }
    let mut columns = 0;
    for f in model.scalar_fields() {
        if model.id_of(f).is_some() || is_timestamp(model, f) {
            continue;
        }
        if matches!(f.ty.as_scalar(), Some(ScalarType::Json | ScalarType::Bytes)) {
            return false;
        }
        columns += 1;
    }
    // A natural key: a `String @id` the application chooses (`key`, `code`, `slug`).
    let natural_key = model.scalar_fields().any(|f| {
        model.id_of(f).is_some()
            && model.default_of(f).is_none()
            && f.ty.as_scalar() == Some(ScalarType::String)
    });
    columns > 0
        && columns <= MAX_LOOKUP_COLUMNS
        && (natural_key
            || words(&model.name)
                .last()
                .is_some_and(|w| LOOKUP_WORDS.contains(&w.as_str())))
}

/// Whether `model` holds short-lived rows (see the module documentation).
pub(crate) fn is_transient(model: &Model) -> bool {
    is_append_only(model, TRANSIENT_SUFFIXES)
}

/// Whether `model`'s name ends with one of `suffixes`, compared word by word (`AdminAuditLog`
/// ends with `Log` and with `AuditLog`; `Catalog` ends with neither). An entry equal to the
/// whole model name marks that single model.
pub(crate) fn is_append_only<S: AsRef<str>>(model: &Model, suffixes: &[S]) -> bool {
    let name = words(&model.name);
    suffixes.iter().any(|s| {
        let suffix = words(s.as_ref());
        !suffix.is_empty() && name.ends_with(&suffix)
    })
}

#[cfg(test)]
mod tests {
    use super::*;
    use prisma_audit_core::Project;

    fn schema(models: &str) -> Schema {
        let text = format!("datasource db {{\n  provider = \"postgresql\"\n}}\n\n{models}");
        let p = Project::from_files("t", [("schema.prisma".to_string(), text.into_bytes())]);
        prisma_audit_core::audit::analyze(&p, None).unwrap().schema
    }

    const BASE: &str = "model User {\n  id Int @id\n}\n\nmodel Role {\n  id Int @id\n}\n\nmodel Post {\n  id Int @id\n}\n\n";

    fn role_of(models: &str, name: &str) -> ModelRole {
        let s = schema(&format!("{BASE}{models}"));
        role(&s, s.model(name).unwrap())
    }

    #[test]
    fn join_models() {
        let pure = "model UserRole {\n  userId Int\n  roleId Int\n  user User @relation(fields: [userId], references: [id])\n  role Role @relation(fields: [roleId], references: [id])\n  @@id([userId, roleId])\n}\n";
        assert_eq!(role_of(pure, "UserRole"), ModelRole::Join);
        let follow = "model Follow {\n  id Int @id @default(autoincrement())\n  followerId Int\n  followingId Int\n  joinedAt DateTime @default(now())\n  follower User @relation(\"a\", fields: [followerId], references: [id])\n  following User @relation(\"b\", fields: [followingId], references: [id])\n}\n";
        assert_eq!(role_of(follow, "Follow"), ModelRole::Join);
        let member = "model Member {\n  id Int @id @default(autoincrement())\n  userId Int\n  roleId Int\n  position Int\n  user User @relation(fields: [userId], references: [id])\n  role Role @relation(fields: [roleId], references: [id])\n  @@unique([userId, roleId])\n}\n";
        let s = schema(&format!("{BASE}{member}"));
        let j = join_model(&s, s.model("Member").unwrap()).unwrap();
        assert_eq!((j.relations.len(), j.metadata.len()), (2, 1));
        // Metadata without the foreign keys as a key: a record (an order line).
        let line = "model Line {\n  id Int @id @default(autoincrement())\n  userId Int\n  postId Int\n  quantity Int\n  user User @relation(fields: [userId], references: [id])\n  post Post @relation(fields: [postId], references: [id])\n}\n";
        assert_eq!(role_of(line, "Line"), ModelRole::Record);
        // One relation only.
        let one = "model Profile {\n  id Int @id\n  userId Int\n  user User @relation(fields: [userId], references: [id])\n}\n";
        assert_eq!(role_of(one, "Profile"), ModelRole::Record);
    }

    #[test]
    fn counter_models() {
        let daily = "model DailyStats {\n  id Int @id @default(autoincrement())\n  date DateTime @unique\n  views Int\n  revenue Float\n}\n";
        assert_eq!(role_of(daily, "DailyStats"), ModelRole::Counter);
        let metric = "model PostMetric {\n  postId Int\n  timeframe String\n  likes Int\n  updatedAt DateTime @default(now())\n  post Post @relation(fields: [postId], references: [id])\n  @@id([postId, timeframe])\n}\n";
        assert_eq!(role_of(metric, "PostMetric"), ModelRole::Counter);
        let named = "model ViewCount {\n  id Int @id @default(autoincrement())\n  views Int\n}\n";
        assert_eq!(role_of(named, "ViewCount"), ModelRole::Counter);
        // A generated id only and no counter name: a record.
        let plain = "model Reading {\n  id Int @id @default(autoincrement())\n  value Float\n}\n";
        assert_eq!(role_of(plain, "Reading"), ModelRole::Record);
        // A text column: a record.
        let text = "model Score {\n  id Int @id @default(autoincrement())\n  points Int\n  note String\n}\n";
        assert_eq!(role_of(text, "Score"), ModelRole::Record);
    }

    #[test]
    fn append_only_models() {
        let log = "model AdminAuditLog {\n  id Int @id\n  action String\n}\n\nmodel Catalog {\n  id Int @id\n  name String\n}\n";
        assert_eq!(role_of(log, "AdminAuditLog"), ModelRole::AppendOnly);
        assert_eq!(role_of(log, "Catalog"), ModelRole::Record);
        let s = schema(&format!("{BASE}{log}"));
        assert!(is_append_only(s.model("Catalog").unwrap(), &["Catalog"]));
        let token = "model PasswordResetToken {\n  id Int @id\n  token String\n  expiresAt DateTime\n  userId Int\n  user User @relation(fields: [userId], references: [id])\n}\n";
        assert_eq!(role_of(token, "PasswordResetToken"), ModelRole::Transient);
    }
}
