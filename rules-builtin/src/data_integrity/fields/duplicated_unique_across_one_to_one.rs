use crate::schema_edit::field_path;
use prisma_audit_core::declare_rule;
use prisma_audit_core::model::{Field, IndexKind, Model, RelationKind};
use prisma_audit_core::rule::{RawFinding, Rule, RuleContext};

declare_rule! {
    /// ## What it does
    /// Reports a field that is unique on both sides of a one-to-one relation with the same
    /// name and type — e.g. `Staff.email @unique` where `Staff.userId @unique` links each staff
    /// member to one `User`, which also has `email @unique`. The finding is on the side that
    /// holds the foreign key; the other side's field is the related location.
    ///
    /// Silent on self-relations, `@@ignore`d models, the relation's own key fields and `@id`
    /// fields. Not fixable: which copy is the source of truth is a design decision.
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
    summary = "The same unique value stored on both sides of a 1:1 relation",
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
            let Some(rel_field) = a.field_at(r.referencing) else {
                continue;
            };
            for fa in a.scalar_fields() {
                if r.fields.contains(&fa.id) || a.id_of(fa).is_some() || !is_single_unique(a, fa) {
                    continue;
                }
                let Some(fb) = b.field(&fa.name) else {
                    continue;
                };
                if !fb.is_scalar()
                    || fb.ty != fa.ty
                    || r.references.contains(&fb.id)
                    || b.id_of(fb).is_some()
                    || !is_single_unique(b, fb)
                {
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
                    "Each `{}` row is linked to at most one `{}`{} and both tables keep their own unique `{}`. When one copy changes the other keeps the old value, and each uniqueness check only sees its own table, so a stale copy can block another row. Read the value through the relation (`include: {{ {}: true }}`) and drop `{pa}`",
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
                    help.push_str(&format!(
                        "; if `{}` rows can exist without a `{}` (the relation is optional), keep both deliberately: update them together in one transaction and document which one is the source of truth.",
                        a.name, b.name
                    ));
                } else {
                    help.push_str(", or keep them in sync deliberately (one transaction updating both) and document which one is the source of truth.");
                }
                out.push(
                    RawFinding::new(
                        format!("{pa}|{pb}"),
                        format!(
                            "`{pa}` duplicates `{pb}` across the one-to-one relation `{}.{}`: both are unique, so the same value is stored twice and the copies can diverge",
                            a.name, rel_field.name
                        ),
                    )
                    .at(fa.span)
                    .related(fb.span, format!("`{pb}`, the same value on the other side"))
                    .help(help),
                );
            }
        }
    }
}

#[cfg(test)]
mod tests {
    use crate::test_util::schema_findings;

    const ID: &str = "duplicated-unique-across-one-to-one";
    const PG: &str = "datasource db {\n  provider = \"postgresql\"\n}\n\n";

    #[test]
    fn reports_staff_email() {
        let s = format!(
            "{PG}model User {{\n  id    String @id\n  email String @unique\n  phone String @unique\n  name  String @unique\n  staff Staff?\n}}\n\nmodel Staff {{\n  id     String  @id\n  userId String? @unique\n  email  String? @unique\n  phone  Int?    @unique\n  name   String\n  user   User?   @relation(fields: [userId], references: [id])\n}}\n"
        );
        let f = schema_findings(ID, &s);
        assert_eq!(f.len(), 1, "{f:#?}");
        assert_eq!(
            f[0].message,
            "`Staff.email` duplicates `User.email` across the one-to-one relation `Staff.user`: both are unique, so the same value is stored twice and the copies can diverge"
        );
        let loc = f[0].location.as_ref().unwrap();
        assert_eq!(loc.start.line, 16);
        assert_eq!(f[0].related[0].location.start.line, 7);
        assert!(f[0].fix.is_none());
        assert!(
            f[0].help
                .as_ref()
                .unwrap()
                .contains("the relation is optional")
        );
    }

    #[test]
    fn block_unique_and_silent_cases() {
        // One-column @@unique counts; 1:n relations and shared keys do not.
        let s = format!(
            "{PG}model Account {{\n  id      Int      @id\n  code    String\n  profile Profile?\n  posts   Post[]\n\n  @@unique([code])\n}}\n\nmodel Profile {{\n  id        Int     @id\n  accountId Int     @unique\n  code      String  @unique\n  account   Account @relation(fields: [accountId], references: [id])\n}}\n\nmodel Post {{\n  id        Int     @id\n  accountId Int\n  code      String  @unique\n  account   Account @relation(fields: [accountId], references: [id])\n}}\n"
        );
        let f = schema_findings(ID, &s);
        assert_eq!(f.len(), 1, "{f:#?}");
        assert!(
            f[0].message
                .starts_with("`Profile.code` duplicates `Account.code`")
        );
        assert!(
            !f[0]
                .help
                .as_ref()
                .unwrap()
                .contains("the relation is optional")
        );
        let s = format!(
            "{PG}model A {{\n  id   Int    @id\n  code String\n  b    B?\n}}\n\nmodel B {{\n  id   Int    @id\n  aId  Int    @unique\n  code String @unique\n  a    A      @relation(fields: [aId], references: [id])\n}}\n"
        );
        assert!(schema_findings(ID, &s).is_empty());
    }
}
