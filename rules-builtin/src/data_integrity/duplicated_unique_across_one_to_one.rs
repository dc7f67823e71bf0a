use crate::support::naming::words;
use crate::support::referential::model_kinds::is_person;
use crate::support::schema_edit::field_path;
use prisma_audit_core::declare_rule;
use prisma_audit_core::model::{Field, IndexKind, Model, RelationKind, ScalarType, Schema};
use prisma_audit_core::rule::{RawFinding, Rule, RuleContext};

declare_rule! {
    /// ## What it does
    /// Reports a person's attribute stored, unique, on both sides of a one-to-one relation
    /// between two records of the same person — e.g. `Staff.email @unique` where
    /// `Staff.userId @unique` links each staff member to one `User`, which also has
    /// `email @unique`. The finding is on the side that holds the foreign key; the other
    /// side's field is the related location.
    ///
    /// Both sides must describe a person: a user, customer, patient, employee, staff member...
    /// or a profile (by model name), and the field must be a `String` with the same name on
    /// both sides, unique on each (`@unique` or a one-column `@@unique`), not generated
    /// (`@default`), not an `@id` and not a foreign key. The "same person" reading comes from
    /// names, so findings are marked heuristic.
    ///
    /// Deliberately silent on 1:1 relations between different things (a forum category and
    /// its last post both have a unique `slug`, but not the same one), on generated values
    /// (two `@default(autoincrement())` or `cuid()` columns are independent), on foreign keys
    /// (two tables may point at the same third table for different rows), on self relations,
    /// views and `@@ignore`d models. Not fixable: which copy is the source of truth is a design
    /// decision.
    ///
    /// ## Why is this bad?
    /// The same fact is stored twice. When a user changes their email, `Staff.email` keeps the
    /// old one unless every code path updates both; each table checks uniqueness only against
    /// itself, so a stale copy can even block another row from using the address. Reports,
    /// logins and notifications then disagree about a person's email.
    ///
    /// ## Example
    /// ```prisma
    /// model User {
    ///   id    String @id
    ///   email String @unique
    ///   staff Staff?
    /// }
    ///
    /// model Staff {
    ///   id     String  @id
    ///   userId String? @unique
    ///   email  String? @unique
    ///   user   User?   @relation(fields: [userId], references: [id])
    /// }
    /// ```
    ///
    /// ## Fix
    /// Read the value through the relation (`include: { user: true }`) and drop the copy; or,
    /// if rows can exist on one side without the other (an optional relation), keep both
    /// deliberately: update them together in one transaction (or with a trigger) and document
    /// which one is the source of truth.
    ///
    /// ## References
    /// - https://www.prisma.io/docs/orm/prisma-schema/data-model/relations/one-to-one-relations
    /// - https://en.wikipedia.org/wiki/Database_normalization
    pub struct DuplicatedUniqueAcrossOneToOne;
    id = "duplicated-unique-across-one-to-one",
    summary = "The same person's unique value stored on both sides of a 1:1 relation",
    category = DataIntegrity,
    severity = Low,
    fixable = false,
    enabled = true,
}

/// `@unique` on the field, or a one-column `@@unique` over it.
fn is_single_unique(model: &Model, field: &Field) -> bool {
    model.unique_of(field).is_some()
        || model.block_indexes.iter().any(|i| {
            i.kind == IndexKind::Unique
                && i.fields.len() == 1
                && i.fields[0].field == Some(field.id)
        })
}

/// A record of a person: a person-like model or a profile.
fn is_person_record(model: &Model) -> bool {
    is_person(model)
        || words(&model.name)
            .last()
            .is_some_and(|w| w == "profile" || w == "profiles")
}

/// A stored, hand-written value: a `String`, not generated, not an id, not a foreign key.
fn is_plain_value(schema: &Schema, model: &Model, field: &Field) -> bool {
    field.ty.as_scalar() == Some(ScalarType::String)
        && model.default_of(field).is_none()
        && model.id_of(field).is_none()
        && schema.relations_using_scalar(field.id).next().is_none()
        && is_single_unique(model, field)
}

impl Rule for DuplicatedUniqueAcrossOneToOne {
    fn check(&self, ctx: &RuleContext<'_>, out: &mut Vec<RawFinding>) {
        let schema = ctx.schema;
        for r in schema.relations() {
            if r.kind != RelationKind::OneToOne || r.is_self || r.referenced.is_none() {
                continue;
            }
            let (Some(a), Some(b)) = (
                schema.model_by_id(r.referencing_model),
                schema.model_by_id(r.referenced_model),
            ) else {
                continue;
            };
            if a.is_view || b.is_view || a.is_ignored() || b.is_ignored() {
                continue;
            }
            if !is_person_record(a) || !is_person_record(b) {
                continue;
            }
            let Some(rel_field) = a.field_at(r.referencing) else {
                continue;
            };
            for fa in a.scalar_fields() {
                if !is_plain_value(schema, a, fa) {
                    continue;
                }
                let Some(fb) = b.field(&fa.name) else {
                    continue;
                };
                if !fb.is_scalar() || fb.ty != fa.ty || !is_plain_value(schema, b, fb) {
                    continue;
                }
                let pa = field_path(schema, fa);
                let pb = field_path(schema, fb);
                let fk = r
                    .fields
                    .iter()
                    .filter_map(|id| a.field_at(*id))
                    .map(|f| format!("`{}`", f.name))
                    .collect::<Vec<_>>()
                    .join(", ");
                let optional = rel_field.is_optional();
                let mut help = format!(
                    "Each `{}` row is linked to at most one `{}`{} and both tables keep their own \
                     unique `{}`. When one copy changes the other keeps the old value, and each \
                     uniqueness check only sees its own table, so a stale copy can block another \
                     row. Read the value through the relation (`include: {{ {}: true }}`) and drop \
                     `{pa}`",
                    a.name,
                    b.name,
                    if fk.is_empty() {
                        String::new()
                    } else {
                        format!(" (through {fk})")
                    },
                    fa.name,
                    rel_field.name,
                );
                if optional {
                    help.push_str(&optional_relation_note(a, b));
                } else {
                    help.push_str(KEEP_IN_SYNC_NOTE);
                }
                help.push_str(&format!(
                    " (That `{}` and `{}` describe the same person is inferred from their names; \
                     if the two values are independent, suppress this finding.)",
                    a.name, b.name
                ));
                out.push(
                    RawFinding::new(
                        format!("{pa}|{pb}"),
                        format!(
                            "`{pa}` duplicates `{pb}` across the one-to-one relation `{}.{}`: both \
                             are unique, so the same value is stored twice and the copies can \
                             diverge",
                            a.name, rel_field.name
                        ),
                    )
                    .at(fa.span)
                    .heuristic()
                    .related(fb.span, format!("`{pb}`, the same value on the other side"))
                    .help(help),
                );
            }
        }
    }
}

/// The end of the help when the relation is required: both copies may stay if kept in sync.
const KEEP_IN_SYNC_NOTE: &str = ", or keep them in sync deliberately (one transaction updating \
     both) and document which one is the source of truth.";

/// The end of the help when `a` rows can exist without a `b`: then both copies are needed.
fn optional_relation_note(a: &Model, b: &Model) -> String {
    format!(
        "; if `{}` rows can exist without a `{}` (the relation is optional), keep both \
         deliberately: update them together in one transaction and document which one is the \
         source of truth.",
        a.name, b.name
    )
}

#[cfg(test)]
mod tests {
    use crate::support::test_util::{cases, schema_findings};
    use prisma_audit_core::finding::Confidence;

    const ID: &str = "duplicated-unique-across-one-to-one";

    const STAFF_EMAIL: &str = r#"datasource db {
  provider = "postgresql"
}

model User {
  id    String @id
  email String @unique
  phone String @unique
  name  String @unique
  staff Staff?
}

model Staff {
  id     String  @id
  userId String? @unique
  email  String? @unique
  phone  Int?    @unique
  name   String
  user   User?   @relation(fields: [userId], references: [id])
}
"#;

    // One-column @@unique counts; 1:n relations do not.
    const BLOCK_UNIQUE_AND_PROFILE: &str = r#"datasource db {
  provider = "postgresql"
}

model Customer {
  id      Int      @id
  code    String
  profile Profile?
  posts   Post[]

  @@unique([code])
}

model Profile {
  id         Int      @id
  customerId Int      @unique
  code       String   @unique
  customer   Customer @relation(fields: [customerId], references: [id])
}

model Post {
  id         Int      @id
  customerId Int
  code       String   @unique
  customer   Customer @relation(fields: [customerId], references: [id])
}
"#;

    const NOT_UNIQUE_ON_ONE_SIDE: &str = r#"datasource db {
  provider = "postgresql"
}

model User {
  id   Int    @id
  code String
  b    Staff?
}

model Staff {
  id     Int    @id
  userId Int    @unique
  code   String @unique
  user   User   @relation(fields: [userId], references: [id])
}
"#;

    // A category and its last post: both have a unique slug, not the same one.
    const DIFFERENT_THINGS: &str = r#"datasource db {
  provider = "postgresql"
}

model Category {
  id         Int    @id
  slug       String @unique
  lastPostId Int?   @unique
  lastPost   Post?  @relation("Last", fields: [lastPostId], references: [id])
}

model Post {
  id   Int       @id
  slug String    @unique
  last Category? @relation("Last")
}
"#;

    // Generated values and foreign keys on two person records.
    const GENERATED_VALUES_AND_KEYS: &str = r#"datasource db {
  provider = "postgresql"
}

model Team {
  id    Int    @id
  users User[]
  staff Staff[]
}

model User {
  id     Int    @id
  code   String @unique @default(cuid())
  teamId Int    @unique
  team   Team   @relation(fields: [teamId], references: [id])
  staff  Staff?
}

model Staff {
  id     Int    @id
  userId Int    @unique
  code   String @unique @default(cuid())
  teamId Int    @unique
  team   Team   @relation(fields: [teamId], references: [id])
  user   User   @relation(fields: [userId], references: [id])
}
"#;

    #[test]
    fn pass_and_fail() {
        insta::assert_snapshot!(cases(
            ID,
            &[
                NOT_UNIQUE_ON_ONE_SIDE,
                DIFFERENT_THINGS,
                GENERATED_VALUES_AND_KEYS
            ],
            &[STAFF_EMAIL, BLOCK_UNIQUE_AND_PROFILE]
        ));
    }

    #[test]
    fn one_heuristic_finding_without_fix_pointing_at_the_original() {
        let f = schema_findings(ID, STAFF_EMAIL);
        assert_eq!(f.len(), 1, "{f:#?}");
        assert_eq!(f[0].confidence, Confidence::Heuristic);
        let loc = f[0].location.as_ref().unwrap();
        assert_eq!(loc.start.line, 16);
        assert_eq!(f[0].related[0].location.start.line, 7);
        assert!(f[0].fix.is_none());
        assert_eq!(schema_findings(ID, BLOCK_UNIQUE_AND_PROFILE).len(), 1);
    }
}
