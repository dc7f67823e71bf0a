use crate::support::referential::{
    a, fk_list, has_error_at, is_checkable, model_name, parent_side, referencing_path,
};
use crate::support::schema_edit::insert_at;
use prisma_audit_core::declare_rule;
use prisma_audit_core::finding::FixSafety;
use prisma_audit_core::model::{Field, IndexKind, ReferentialAction, Relation, Schema};
use prisma_audit_core::rule::{RawEdit, RawFinding, RawFix, Rule, RuleContext};

declare_rule! {
    /// ## What it does
    /// Reports `onDelete: SetNull` (or `onUpdate: SetNull`) on a relation whose foreign-key
    /// fields are required.
    ///
    /// ## Why is this bad?
    /// `SetNull` writes `NULL` into the foreign key, which a required column cannot hold. On
    /// PostgreSQL Prisma only prints a warning and creates the schema, but then every delete
    /// of a parent that still has children fails with a NOT NULL violation — the opposite of
    /// what the author intended. (Other providers reject the schema outright; `invalid-schema`
    /// reports those, so this rule stays silent there to avoid double reporting.)
    ///
    /// ## Example
    /// ```prisma
    /// model Player {
    ///   id     Int  @id
    ///   teamId Int
    ///   team   Team @relation(fields: [teamId], references: [id], onDelete: SetNull)
    /// }
    /// ```
    /// Deleting a `Team` with players fails: `null value in column "teamId" violates not-null
    /// constraint`.
    ///
    /// ## Fix
    /// Decide what deleting the parent should do:
    /// - keep the children without a parent: make the foreign key optional (`teamId Int?`) **and**
    ///   the relation field optional (`team Team?`) — the unsafe fix does both (the column
    ///   becomes nullable in the next migration);
    /// - delete the children with the parent: `onDelete: Cascade`;
    /// - forbid deleting a parent that has children: `onDelete: Restrict`.
    ///
    /// No fix is proposed when a foreign-key field is part of the primary key or shared with
    /// another required relation (it cannot become optional there).
    ///
    /// ## References
    /// - https://www.prisma.io/docs/orm/prisma-schema/data-model/relations/referential-actions#setnull
    /// - https://www.postgresql.org/docs/current/ddl-constraints.html#DDL-CONSTRAINTS-FK
    pub struct SetNullOnRequiredRelation;
    id = "set-null-on-required-relation",
    summary = "onDelete/onUpdate: SetNull on a relation whose foreign key is required",
    category = DataIntegrity,
    severity = High,
    fixable = true,
    enabled = true,
}

/// Edits making the foreign key and the relation field optional, when that is possible.
fn optional_edits(schema: &Schema, r: &Relation, field: &Field) -> Option<Vec<RawEdit>> {
    let child = schema.model_by_id(r.referencing_model)?;
    let mut edits = Vec::new();
    for fid in &r.fields {
        let f = schema.field(*fid)?;
        let in_pk = child
            .index_refs()
            .any(|i| i.kind == IndexKind::Primary && i.field_ids().any(|x| x == *fid));
        let shared = schema.relations_using_scalar(*fid).any(|o| {
            o.id != r.id
                && schema
                    .field(o.referencing)
                    .is_some_and(|rf| rf.is_required())
        });
        if in_pk || shared || f.is_list() {
            return None;
        }
        if f.is_required() {
            edits.push(insert_at(
                f.type_span.file,
                usize::from(f.type_span.range.end()),
                "?".into(),
            ));
        }
    }
    if field.is_required() {
        edits.push(insert_at(
            field.type_span.file,
            usize::from(field.type_span.range.end()),
            "?".into(),
        ));
    }
    Some(edits)
}

/// Why the help does not offer to make the foreign key optional.
const FK_STAYS_REQUIRED: &str = " The foreign key cannot become optional here (it is part of the \
     primary key or shared with another required relation).";

/// The choices for the `child` rows when a `parent` key changes, after the optional `keep` one.
fn on_update_alternatives(child: &str, parent: &str, keep: &str) -> String {
    format!(
        "Decide what should happen to the `{child}` rows when a `{parent}` key changes: \
         {keep}follow the new key — `onUpdate: Cascade`; or forbid the change while they exist — \
         `onUpdate: Restrict`."
    )
}

/// The choices for the `child` rows when their parent is deleted, after the optional `keep` one.
fn on_delete_alternatives(child: &str, keep: &str) -> String {
    format!(
        "Decide what should happen to the `{child}` rows: {keep}delete them with it — \
         `onDelete: Cascade`; or forbid the delete while they exist — `onDelete: Restrict`."
    )
}

impl Rule for SetNullOnRequiredRelation {
    fn check(&self, ctx: &RuleContext<'_>, out: &mut Vec<RawFinding>) {
        let schema = ctx.schema;
        for r in schema.relations() {
            if !is_checkable(ctx, r) {
                continue;
            }
            let required: Vec<&Field> = r
                .fields
                .iter()
                .filter_map(|f| schema.field(*f))
                .filter(|f| f.is_required())
                .collect();
            if required.is_empty() {
                continue;
            }
            let set_null: Vec<(&str, prisma_audit_core::span::Span)> =
                [("onDelete", r.on_delete), ("onUpdate", r.on_update)]
                    .into_iter()
                    .filter(|(_, a)| a.explicit && a.action == ReferentialAction::SetNull)
                    .filter_map(|(w, a)| a.span.map(|s| (w, s)))
                    .collect();
            let Some(&(which, span)) = set_null.first() else {
                continue;
            };
            if set_null.iter().any(|(_, s)| has_error_at(ctx, *s)) {
                continue; // rejected by Prisma: invalid-schema reports it
            }
            let Some(field) = schema.field(r.referencing) else {
                continue;
            };
            let path = referencing_path(schema, r);
            let parent = model_name(schema, r.referenced_model);
            let child = model_name(schema, r.referencing_model);
            let req = required
                .iter()
                .map(|f| format!("`{}`", f.name))
                .collect::<Vec<_>>()
                .join(", ");
            let plural = required.len() > 1;
            let consequence = if set_null.len() == 2 {
                format!(
                    "every delete of {} that still has `{child}` rows, and every change of its \
                     referenced key, fails with a NOT NULL violation",
                    a(parent)
                )
            } else if which == "onDelete" {
                format!(
                    "every delete of {} that still has `{child}` rows fails with a NOT NULL violation",
                    a(parent)
                )
            } else {
                format!(
                    "every change of a referenced `{parent}` key that still has `{child}` rows \
                     fails with a NOT NULL violation"
                )
            };
            let written = set_null
                .iter()
                .map(|(w, _)| format!("`{w}: SetNull`"))
                .collect::<Vec<_>>()
                .join(" and ");
            let fks = fk_list(schema, r);
            let optional_type = |f: &Field| {
                let text = crate::support::schema_edit::span_text(ctx, f.type_span);
                format!("`{} {}?`", f.name, text)
            };
            // Keeping the rows without a parent is only an option when the foreign key can
            // become optional (not part of the primary key, not shared with another required
            // relation).
            let edits = optional_edits(schema, r, field);
            let keep = match &edits {
                Some(_) => format!(
                    "keep them without their `{parent}` — write {} and {} (both changes are needed); ",
                    required
                        .iter()
                        .map(|f| optional_type(f))
                        .collect::<Vec<_>>()
                        .join(", "),
                    optional_type(field)
                ),
                None => String::new(),
            };
            let alternatives = if set_null.len() == 1 && which == "onUpdate" {
                on_update_alternatives(child, parent, &keep)
            } else {
                on_delete_alternatives(child, &keep)
            };
            let cannot = if edits.is_none() {
                FK_STAYS_REQUIRED
            } else {
                ""
            };
            let mut f = RawFinding::new(
                format!("{path}|{which}"),
                format!(
                    "`{path}` has {written} but its foreign key {req} {} required: {consequence}",
                    if plural { "are" } else { "is" }
                ),
            )
            .at(span)
            .help(format!(
                "`SetNull` stores NULL in {fks}, which a required column cannot hold; Prisma only \
                 warns about this on PostgreSQL (other databases reject the schema).{cannot} \
                 {alternatives}"
            ));
            for (_, other) in set_null.iter().skip(1) {
                f = f.related(*other, format!("`{path}`: also SetNull"));
            }
            if let Some((s, m)) = parent_side(schema, r) {
                f = f.related(s, m);
            }
            if let Some(edits) = edits {
                f = f.fix(RawFix {
                    title: format!(
                        "Make {} and `{}` optional",
                        required
                            .iter()
                            .map(|f| format!("`{}.{}`", child, f.name))
                            .collect::<Vec<_>>()
                            .join(", "),
                        path
                    ),
                    safety: FixSafety::Unsafe,
                    edits,
                    sql: None,
                });
            }
            out.push(f);
        }
    }
}

#[cfg(test)]
mod tests {
    use crate::support::test_util::{cases, fixed, schema_findings};

    const ID: &str = "set-null-on-required-relation";

    const REQUIRED: &str = r#"datasource db {
  provider = "postgresql"
}

model Team {
  id      Int      @id @default(autoincrement())
  players Player[]
}

model Player {
  id     Int  @id @default(autoincrement())
  teamId Int
  team   Team @relation(fields: [teamId], references: [id], onDelete: SetNull)
}
"#;

    // Optional foreign key: SetNull is right.
    const OPTIONAL: &str = r#"datasource db {
  provider = "postgresql"
}

model Team {
  id      Int      @id @default(autoincrement())
  players Player[]
}

model Player {
  id     Int  @id @default(autoincrement())
  teamId Int?
  team   Team? @relation(fields: [teamId], references: [id], onDelete: SetNull)
}
"#;

    // The foreign key is part of the primary key: it cannot become optional.
    const IN_PRIMARY_KEY: &str = r#"datasource db {
  provider = "postgresql"
}

model Team {
  id      Int      @id @default(autoincrement())
  players Player[]
}

model Player {
  teamId Int
  number Int
  team   Team @relation(fields: [teamId], references: [id], onDelete: SetNull)

  @@id([teamId, number])
}
"#;

    fn on_update() -> String {
        REQUIRED.replace("onDelete: SetNull", "onUpdate: SetNull")
    }

    fn on_delete_and_update() -> String {
        REQUIRED.replace("onDelete: SetNull", "onDelete: SetNull, onUpdate: SetNull")
    }

    #[test]
    fn pass_and_fail() {
        // MySQL, SQLite, relationMode prisma: an invalid-schema error already.
        let others: Vec<String> = ["mysql", "sqlite", "sqlserver", "cockroachdb"]
            .iter()
            .map(|p| REQUIRED.replace("postgresql", p))
            .collect();
        let relation_mode_prisma = REQUIRED.replace(
            "\"postgresql\"",
            "\"postgresql\"\n  relationMode = \"prisma\"",
        );
        let mut pass: Vec<&str> = others.iter().map(String::as_str).collect();
        pass.extend([relation_mode_prisma.as_str(), OPTIONAL]);
        insta::assert_snapshot!(cases(
            ID,
            &pass,
            &[
                REQUIRED,
                &on_update(),
                &on_delete_and_update(),
                IN_PRIMARY_KEY
            ]
        ));
    }

    #[test]
    fn one_finding_per_relation() {
        for s in [
            REQUIRED.to_string(),
            on_update(),
            on_delete_and_update(),
            IN_PRIMARY_KEY.to_string(),
        ] {
            assert_eq!(schema_findings(ID, &s).len(), 1, "{s}");
        }
        let f = schema_findings(ID, REQUIRED);
        assert_eq!(f[0].location.as_ref().unwrap().start.line, 13);
    }

    #[test]
    fn the_unsafe_fix_makes_both_fields_optional() {
        assert_eq!(fixed(ID, REQUIRED, true), OPTIONAL);
        assert_eq!(fixed(ID, REQUIRED, false), REQUIRED, "unsafe fix only");
        assert!(fixed(ID, &on_delete_and_update(), true).contains("team   Team? @relation"));
    }

    #[test]
    fn no_fix_when_the_fk_is_in_the_primary_key() {
        assert!(schema_findings(ID, IN_PRIMARY_KEY)[0].fix.is_none());
    }

    #[test]
    fn fixture_pg_setnull_required_warning() {
        let s = include_str!(
            "../../../core/tests/fixtures/schemas/valid/pg_setnull_required_warning.prisma"
        );
        let f = schema_findings(ID, s);
        assert_eq!(f.len(), 1);
        let out = fixed(ID, s, true);
        assert!(
            out.contains("  teamId Int?\n  team   Team? @relation"),
            "{out}"
        );
    }
}
