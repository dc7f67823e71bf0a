use crate::support::schema_edit::{append_field_attribute, insert_at, replace, span_text};
use prisma_audit_core::declare_rule;
use prisma_audit_core::finding::FixSafety;
use prisma_audit_core::model::{Field, RelationKind};
use prisma_audit_core::rule::{RawEdit, RawFinding, RawFix, Rule, RuleContext};
use std::collections::{HashMap, HashSet};

declare_rule! {
    /// ## What it does
    /// Reports relations declared without a name (`@relation(fields: [userId], references:
    /// [id])` instead of `@relation("CustomerToUser", ...)`), once per relation.
    ///
    /// ## Why is this bad?
    /// Nothing breaks: this is information. A name documents the relation on both sides and
    /// makes later additions safe — the day a second relation between the same two models is
    /// added, Prisma requires every relation between them to be named, and naming them then
    /// is a larger change. Two or more *unnamed* relations between the same models are already
    /// an error of `prisma validate` ("Ambiguous relation detected"), reported by
    /// `invalid-schema`; this rule does not repeat it.
    ///
    /// ## Example
    /// ```prisma
    /// model Customer {
    ///   id     String  @id
    ///   userId String?
    ///   user   User?   @relation(fields: [userId], references: [id])
    /// }
    /// ```
    ///
    /// ## Fix
    /// Name the relation on both sides with Prisma's implicit name, `{ModelA}To{ModelB}` (model
    /// names sorted): `@relation("CustomerToUser", fields: [userId], references: [id])` and
    /// `customers Customer[] @relation("CustomerToUser")`. Safe: the name is the one Prisma
    /// already uses, so nothing changes in the database (an implicit many-to-many join table
    /// keeps its name `_CustomerToUser`, foreign-key names do not depend on it). Rename it to
    /// something more meaningful by hand if you like — for many-to-many relations that renames
    /// the join table.
    ///
    /// Info, off by default like every style rule (a schema that never names its relations
    /// would get one finding per relation); enable it with `[rules.unnamed-relation]
    /// enabled = true` or `--select`. Relations of `@@ignore`d models and relations missing their
    /// back-relation field (an `invalid-schema` error) are skipped.
    ///
    /// ## References
    /// - https://www.prisma.io/docs/orm/prisma-schema/data-model/relations#disambiguating-relations
    /// - https://www.prisma.io/docs/orm/reference/prisma-schema-reference#relation
    pub struct UnnamedRelation;
    id = "unnamed-relation",
    summary = "Relations without a name",
    category = Style,
    severity = Info,
    fixable = true,
    enabled = false,
}

/// Give `field` the relation name `name`.
fn name_edit(ctx: &RuleContext<'_>, field: &Field, name: &str) -> Option<RawEdit> {
    let attr = ctx.schema.model_of(field.id)?.relation_attr_of(field);
    let Some(attr) = attr else {
        return Some(append_field_attribute(
            field,
            &format!("@relation(\"{name}\")"),
        ));
    };
    let src = span_text(ctx, attr.span);
    let Some(open) = src.find('(') else {
        return Some(replace(attr.span, format!("@relation(\"{name}\")")));
    };
    let inner = src[open + 1..].trim_end_matches(')').trim();
    let at = usize::from(attr.span.range.start()) + open + 1;
    let text = if inner.is_empty() {
        format!("\"{name}\"")
    } else {
        format!("\"{name}\", ")
    };
    Some(insert_at(attr.span.file, at, text))
}

impl Rule for UnnamedRelation {
    fn check(&self, ctx: &RuleContext<'_>, out: &mut Vec<RawFinding>) {
        let schema = ctx.schema;
        // Unnamed relations per pair of models, and the names in use (linear, for large schemas).
        let pair = |r: &prisma_audit_core::model::Relation| {
            let (x, y) = (r.referencing_model, r.referenced_model);
            if x <= y { (x, y) } else { (y, x) }
        };
        let mut unnamed: HashMap<_, usize> = HashMap::new();
        let mut names: HashSet<&str> = HashSet::new();
        for r in schema.relations() {
            match &r.name {
                Some(n) => {
                    names.insert(n);
                }
                None => *unnamed.entry(pair(r)).or_default() += 1,
            }
        }
        for rel in schema.relations() {
            if rel.name.is_some() {
                continue;
            }
            let Some(back_id) = rel.referenced else {
                continue;
            };
            let (Some(a), Some(b)) = (schema.field(rel.referencing), schema.field(back_id)) else {
                continue;
            };
            let (Some(ma), Some(mb)) = (schema.model_of(a.id), schema.model_of(b.id)) else {
                continue;
            };
            if ma.is_ignored() || mb.is_ignored() {
                continue;
            }
            // Two unnamed relations between the same models: `invalid-schema` reports it.
            if unnamed.get(&pair(rel)).copied().unwrap_or(0) > 1 {
                continue;
            }
            let (first, second) = if ma.name <= mb.name {
                (&ma.name, &mb.name)
            } else {
                (&mb.name, &ma.name)
            };
            let name = format!("{first}To{second}");
            let a_path = format!("{}.{}", ma.name, a.name);
            let b_path = format!("{}.{}", mb.name, b.name);
            let kind = match rel.kind {
                RelationKind::OneToOne => "one-to-one",
                RelationKind::OneToMany => "one-to-many",
                RelationKind::ManyToMany => "many-to-many",
            };
            let span = ma.relation_attr_of(a).map_or(a.span, |r| r.span);
            let mut f = RawFinding::new(
                a_path.clone(),
                format!(
                    "The {kind} relation `{a_path}` ↔ `{b_path}` has no name; name it `\"{name}\"` \
                     on both sides"
                ),
            )
            .at(span)
            .related(b.span, format!("the other side, `{b_path}`"))
            .help(format!(
                "`{name}` is the name Prisma already gives this relation implicitly, so writing it \
                 changes nothing in the database; it documents the relation and keeps the schema \
                 valid when a second relation between `{}` and `{}` is added.",
                ma.name, mb.name
            ));
            let taken = names.contains(name.as_str());
            if !taken
                && let (Some(ea), Some(eb)) = (name_edit(ctx, a, &name), name_edit(ctx, b, &name))
            {
                f = f.fix(RawFix {
                    title: format!("Name the relation `\"{name}\"` on `{a_path}` and `{b_path}`"),
                    safety: FixSafety::Safe,
                    edits: vec![ea, eb],
                    sql: None,
                });
            }
            out.push(f);
        }
    }
}

#[cfg(test)]
mod tests {
    use crate::support::test_util::{cases, fixed};

    const ID: &str = "unnamed-relation";

    /// An unnamed one-to-many, an unnamed many-to-many, and two named relations.
    const RELATIONS: &str = r#"datasource db {
  provider = "postgresql"
}

model User {
  id        String     @id
  customers Customer[]
  tags      Tag[]
  opened    Drawer[]   @relation("opened")
  closed    Drawer[]   @relation("closed")
}

model Customer {
  id     String  @id
  userId String?
  user   User?   @relation(fields: [userId], references: [id])
}

model Tag {
  id    String @id
  users User[]
}

model Drawer {
  id       String @id
  openedId String
  closedId String
  openedBy User   @relation("opened", fields: [openedId], references: [id])
  closedBy User   @relation("closed", fields: [closedId], references: [id])
}
"#;

    /// Two unnamed relations between the same models: an error `invalid-schema` reports.
    const AMBIGUOUS: &str = r#"model A {
  id  Int @id
  b1  B   @relation(fields: [b1Id], references: [id])
  b1Id Int
  b2  B   @relation(fields: [b2Id], references: [id])
  b2Id Int
}
model B {
  id Int @id
  as1 A[]
  as2 A[]
}
"#;

    #[test]
    fn pass_and_fail() {
        insta::assert_snapshot!(cases(ID, &[AMBIGUOUS], &[RELATIONS]));
    }

    #[test]
    fn fix_names_both_sides() {
        let want = RELATIONS
            .replace(
                "customers Customer[]\n",
                "customers Customer[] @relation(\"CustomerToUser\")\n",
            )
            .replace(
                "tags      Tag[]\n",
                "tags      Tag[] @relation(\"TagToUser\")\n",
            )
            .replace("users User[]\n", "users User[] @relation(\"TagToUser\")\n")
            .replace(
                "@relation(fields: [userId]",
                "@relation(\"CustomerToUser\", fields: [userId]",
            );
        assert_eq!(fixed(ID, RELATIONS, false), want);
    }
}
