//! Good practices found in the schema, recorded as the report's strengths whichever rules
//! run: models with a random, non-enumerable primary key (UUID, cuid, nanoid, ulid), audit or
//! access log models, soft-delete fields (`deletedAt`, `isDeleted`) and deactivation flags
//! (`isActive`). Each entry is a fact computed from the schema, with the models it is about.
//! Views and `@@ignore`d models are not counted; timestamps and tenant keys are confirmed by
//! the rules that check them.
//!
//! For example, a schema whose only model is
//! ```prisma
//! model AdminAuditLog {
//!   id        String   @id @default(uuid())
//!   action    String
//!   createdAt DateTime @default(now())
//! }
//! ```
//! gives "The only model uses a random string primary key (UUID)" and "Audit/access log
//! models: AdminAuditLog".

use crate::support::case::last_word_start;
use prisma_audit_core::declare_strengths;
use prisma_audit_core::model::{DefaultKind, FieldType, Model, ScalarType};
use prisma_audit_core::rule::RuleContext;

declare_strengths!(schema_practices);

/// The kind of random id of a model's single-column primary key, if it is one.
fn random_id(model: &Model) -> Option<&'static str> {
    let pk = model.primary_key_ref()?;
    if pk.len() != 1 {
        return None;
    }
    let col = pk.column(0)?;
    let field = model.field_at(col.field?)?;
    let default = model.default_of(field)?;
    Some(match &default.kind {
        DefaultKind::Uuid(_) => "UUID",
        DefaultKind::Cuid(_) => "cuid",
        DefaultKind::Nanoid(_) => "nanoid",
        DefaultKind::Ulid => "ulid",
        DefaultKind::DbGenerated(Some(e))
            if e.contains("gen_random_uuid") || e.contains("uuid_generate_v4") =>
        {
            "UUID"
        }
        _ => return None,
    })
}

fn names(models: &[&Model]) -> String {
    let mut v: Vec<&str> = models.iter().map(|m| m.name.as_str()).collect();
    let extra = v.len().saturating_sub(8);
    v.truncate(8);
    let mut s = v.join(", ");
    if extra > 0 {
        s.push_str(&format!(" and {extra} more"));
    }
    s
}

fn count(n: usize, one: &str, many: &str) -> String {
    if n == 1 {
        format!("1 {one}")
    } else {
        format!("{n} {many}")
    }
}

/// The schema's good practices, one sentence each.
fn schema_practices(ctx: &RuleContext<'_>) -> Vec<String> {
    let models: Vec<&Model> = ctx.schema.models().filter(|m| !m.is_ignored()).collect();
    let mut out = Vec::new();
    if models.is_empty() {
        return out;
    }
    let ids: Vec<&'static str> = models.iter().filter_map(|m| random_id(m)).collect();
    if ids.len() == models.len() {
        let mut kinds = ids.clone();
        kinds.sort_unstable();
        kinds.dedup();
        let single = kinds.len() == 1;
        let kinds = kinds
            .iter()
            .map(|k| {
                if single {
                    k.to_string()
                } else {
                    format!("{k}: {}", ids.iter().filter(|i| *i == k).count())
                }
            })
            .collect::<Vec<_>>()
            .join(", ");
        out.push(if models.len() == 1 {
            format!("The only model uses a random string primary key ({kinds}): its ids cannot be enumerated")
        } else {
            format!(
                "All {} models use random string primary keys ({kinds}): ids cannot be enumerated \
                 or guessed from one another",
                models.len()
            )
        });
    }
    let logs: Vec<&Model> = models
        .iter()
        .copied()
        .filter(|m| {
            let last = m.name[last_word_start(&m.name)..].to_lowercase();
            m.name.to_lowercase().contains("audit") || last == "log" || last == "logs"
        })
        .collect();
    if !logs.is_empty() {
        out.push(format!("Audit/access log models: {}", names(&logs)));
    }
    let flag = |m: &Model, names: &[&str], ty: ScalarType| {
        m.fields
            .iter()
            .any(|f| names.contains(&f.name.as_str()) && f.ty == FieldType::Scalar(ty))
    };
    let soft: Vec<&Model> = models
        .iter()
        .copied()
        .filter(|m| {
            flag(
                m,
                &["deletedAt", "deleted_at", "deletedOn"],
                ScalarType::DateTime,
            ) || flag(
                m,
                &["isDeleted", "deleted", "is_deleted"],
                ScalarType::Boolean,
            )
        })
        .collect();
    if !soft.is_empty() {
        out.push(format!(
            "Soft delete: {} a `deletedAt`/`isDeleted` field, so rows can be hidden instead of deleted ({})",
            count(soft.len(), "model has", "models have"),
            names(&soft)
        ));
    }
    let active: Vec<&Model> = models
        .iter()
        .copied()
        .filter(|m| flag(m, &["isActive", "active", "is_active"], ScalarType::Boolean))
        .collect();
    if !active.is_empty() {
        out.push(format!(
            "Deactivation flags: {} an `isActive` field to retire records without deleting them ({})",
            count(active.len(), "model has", "models have"),
            names(&active)
        ));
    }
    out
}

#[cfg(test)]
mod tests {
    use prisma_audit_core::config::Config;
    use prisma_audit_core::{AuditOptions, Project, audit};

    fn strengths(schema: &str) -> Vec<String> {
        let p = Project::from_files(
            "t",
            [("schema.prisma".to_string(), schema.as_bytes().to_vec())],
        );
        // No rule selected: the strengths come from the engine, not from a rule.
        let config = Config {
            select: Some(vec![]),
            ..Config::default()
        };
        let r = audit(
            &p,
            &AuditOptions {
                config,
                ..AuditOptions::default()
            },
        )
        .unwrap();
        assert!(r.findings.is_empty());
        r.strengths
    }

    #[test]
    fn computed_facts() {
        let s = "model AdminAuditLog {\n  id String @id @default(uuid())\n}\nmodel TrialAccessLog {\n  id String @id @default(cuid())\n}\nmodel Customer {\n  id        String    @id @default(uuid())\n  isActive  Boolean   @default(true)\n  deletedAt DateTime?\n}\nmodel Catalog {\n  id String @id @default(uuid(7))\n}\n";
        assert_eq!(
            strengths(s),
            [
                "All 4 models use random string primary keys (UUID: 3, cuid: 1): ids cannot be enumerated or guessed from one another",
                "Audit/access log models: AdminAuditLog, TrialAccessLog",
                "Deactivation flags: 1 model has an `isActive` field to retire records without deleting them (Customer)",
                "Soft delete: 1 model has a `deletedAt`/`isDeleted` field, so rows can be hidden instead of deleted (Customer)",
            ]
        );
    }

    #[test]
    fn only_true_facts() {
        let s = "model A {\n  id Int @id @default(autoincrement())\n  deleted String\n}\nmodel B {\n  id String @id @default(uuid())\n}\n";
        assert!(strengths(s).is_empty());
        assert!(strengths("").is_empty());
    }
}
