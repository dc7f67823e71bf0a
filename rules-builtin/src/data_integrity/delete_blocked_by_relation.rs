use crate::support::referential::action_checks::accepts_on_delete;
use crate::support::referential::delete_graph::{Block, DeleteGraph, blocks};
use crate::support::referential::model_kinds::{
    ChildKind, classify, is_history_name, is_person, is_soft_deleted, is_tenant,
};
use crate::support::referential::{
    a, fk_list, has_error_at, is_checkable, model_name, optional_fk_types, referencing_path,
};
use crate::support::schema_edit::set_relation_argument;
use prisma_audit_core::declare_rule;
use prisma_audit_core::finding::{FixSafety, Severity};
use prisma_audit_core::model::{
    Model, ModelId, Provider, ReferentialAction, Relation, RelationId, RelationMode, third_party,
};
use prisma_audit_core::rule::{RawFinding, RawFix, Rule, RuleContext};
use prisma_audit_core::span::Span;
use std::collections::{BTreeMap, HashMap, HashSet};

declare_rule! {
    /// ## What it does
    /// Computes the delete graph of the schema — for every model, what deleting one of its
    /// rows does to the rows pointing at it, following cascades — and reports the models whose
    /// deletes fail although nobody decided so, when the project shows that those deletes
    /// happen. One finding per parent model lists its **required** relations without
    /// `onDelete`, where Prisma's default `Restrict` (`NoAction` on SQL Server) applies:
    /// - **a cascade leads to it** (high, every block listed): another model's
    ///   `onDelete: Cascade` reaches the parent (`Tenant → (Cascade) Customer → Pet
    ///   (Restrict)`), so deleting that model fails as soon as one of its cascaded rows has
    ///   such children;
    /// - **the application deletes it** (high, every block listed): the TypeScript/JavaScript
    ///   code calls `.delete(` or `.deleteMany(` on the parent's Prisma Client delegate, and
    ///   the 40 lines before the call do not deal with every blocking child (delete, count,
    ///   read or update its rows); tests, seeds, scripts and comments are not read. When every
    ///   such call deals with the children, only a cascade from elsewhere is reported;
    /// - **its deletes are planned for** (medium): another relation of the project's own to
    ///   the parent has an explicit `onDelete: Cascade`, `SetNull` or `SetDefault`, so the
    ///   schema says what deleting a parent row does (not for a soft-deleted parent, one with
    ///   a `deletedAt` or `isDeleted` column, whose rows are deleted by an update). Only the
    ///   children that evidently depend on the parent are listed (named after it, identified
    ///   by it through a unique or primary key, or held by nothing else — see
    ///   `model_kinds.rs`); when the parent is a person (a user, customer, patient... by name,
    ///   not a tenant) every block but a tenant's (an organization's owner, which waits for a
    ///   new owner) is listed, as a heuristic finding, because the person's erasure (GDPR) must
    ///   be possible.
    ///
    /// An explicit `onDelete: Restrict`/`NoAction` is a decision and is not listed, except
    /// when it also blocks a cascade coming from another model (then a separate finding,
    /// medium, is at the start of that cascade path, with the `Restrict` as related location)
    /// — unless that model is soft-deleted (`deletedAt`) and the application never deletes it:
    /// the restriction is then a deliberate guard for the rare hard delete.
    ///
    /// ## Why is this bad?
    /// Deleting the parent fails with a foreign-key error as soon as one child row exists:
    /// a tenant offboarding that cascades into such a model aborts, an account deletion
    /// endpoint returns an error for every user who ever wrote a post, and a customer's
    /// erasure request becomes a support ticket. Because the default is silent in the schema,
    /// this is usually discovered in production.
    ///
    /// ## Example
    /// ```prisma
    /// model Customer {
    ///   id        String     @id
    ///   reminders Reminder[]
    ///   pets      Pet[]
    ///   sales     Sale[]
    /// }
    /// model Reminder {
    ///   id         String   @id
    ///   customerId String
    ///   customer   Customer @relation(fields: [customerId], references: [id], onDelete: Cascade)
    /// }
    /// model Pet {
    ///   id         String   @id
    ///   customerId String
    ///   customer   Customer @relation(fields: [customerId], references: [id])
    /// }
    /// model Sale {
    ///   id         String   @id
    ///   customerId String
    ///   customer   Customer @relation(fields: [customerId], references: [id])
    /// }
    /// ```
    /// Deleting a customer is planned for (reminders cascade) but fails while the customer
    /// has pets or sales.
    ///
    /// ## Fix
    /// Decide per child (the classification, on names and relation shapes, is documented in
    /// `model_kinds.rs`):
    /// - **dependent children** (the lines of an order, a user's 1:1 profile, memberships
    ///   identified by the parent, a user's tokens held by nothing else, a workspace's content
    ///   through its `workspaceId`): `onDelete: Cascade` (unsafe fix, for these children only:
    ///   the database then deletes them with the parent; the help lists history records the
    ///   cascade would continue into);
    /// - **references** (anything else: a customer's pets that have records of their own, a
    ///   book's category): no automatic fix; the help lays out `Cascade`, an optional foreign
    ///   key with `SetNull`, or an explicit `Restrict` with the error handled;
    /// - **history/financial/audit records** (sales, orders, invoices, payments, transactions,
    ///   audit logs, prescriptions, medical records, and relations naming who did something
    ///   such as `createdBy`): no automatic fix. Keep `Restrict` — write it, to document the
    ///   decision — and soft-delete or anonymise the parent instead (for GDPR erasure,
    ///   overwrite the personal fields rather than deleting the row); or, when the record may
    ///   lose its link, make the foreign key optional **and** set `onDelete: SetNull` (both
    ///   changes are needed).
    ///
    /// `SetNull` is never proposed on a required relation: every delete would then fail with a
    /// NOT NULL violation. `Cascade` is only proposed where Prisma accepts it: not where it
    /// would close a cycle of referential actions (SQL Server, MongoDB,
    /// `relationMode = "prisma"`, self relations included) nor add a second cascade path to a
    /// model (SQL Server).
    ///
    /// Deliberately silent:
    /// - a parent with none of the signs above (a post's required author with no sign that
    ///   users are ever deleted: the default `Restrict` may be exactly what the project wants);
    /// - when deletes are only planned for, references to a parent that is not a person (a
    ///   book's category, an author's role): refusing to delete a category still in use is a
    ///   reasonable default;
    /// - a soft-deleted parent whose deletes are only planned for (its rows are deleted by an
    ///   update, and a person is erased by anonymising the row);
    /// - implicit m:n join rows (they cascade);
    /// - a block reached through a cascade when the blocking rows are deleted by the same
    ///   cascade (`Sale` cascades from `Tenant` as well: PostgreSQL runs the cascades before
    ///   checking the statement's constraints, so deleting the tenant succeeds);
    /// - views, models documented as views (`/// @view`) and `@@ignore`d models.
    ///
    /// Applies to every provider: with `relationMode = "prisma"` and on MongoDB Prisma Client
    /// emulates the same actions.
    ///
    /// ## References
    /// - https://www.prisma.io/docs/orm/prisma-schema/data-model/relations/referential-actions
    /// - https://www.prisma.io/docs/orm/prisma-schema/data-model/relations/relation-mode
    /// - https://pris.ly/d/cyclic-referential-actions
    /// - https://gdpr-info.eu/art-17-gdpr/
    pub struct DeleteBlockedByRelation;
    id = "delete-blocked-by-relation",
    summary = "Deletes the project performs fail on required relations that restrict them (Restrict or NoAction, written or implied)",
    category = DataIntegrity,
    severity = High,
    fixable = true,
    enabled = true,
}

/// At most this many extra paths are listed as related locations.
const MAX_PATHS: usize = 5;

fn default_name(ctx: &RuleContext<'_>) -> &'static str {
    match (ctx.schema.provider(), ctx.schema.relation_mode()) {
        (Some(Provider::SqlServer), RelationMode::ForeignKeys) => "NoAction",
        _ => "Restrict",
    }
}

/// Where a cascade path starts: the first cascading relation's `onDelete: Cascade`.
fn path_start(ctx: &RuleContext<'_>, block: &Block) -> Option<Span> {
    let first = ctx.schema.relation(*block.path.first()?)?;
    first
        .on_delete
        .span
        .or_else(|| ctx.schema.field(first.referencing).map(|f| f.span))
}

fn add_paths(
    ctx: &RuleContext<'_>,
    graph: &DeleteGraph<'_>,
    mut f: RawFinding,
    blocks: &[&Block],
    more: usize,
) -> RawFinding {
    let shown = blocks.len().min(MAX_PATHS);
    let hidden = blocks.len() - shown + more;
    for (i, b) in blocks.iter().take(shown).enumerate() {
        let Some(at) = path_start(ctx, b) else {
            continue;
        };
        let mut msg = format!(
            "Deleting {} fails too: {}",
            a(model_name(ctx.schema, b.root)),
            graph.describe(b)
        );
        if i + 1 == shown && hidden > 0 {
            msg.push_str(&format!(" (and {hidden} more paths)"));
        }
        f = f.related(at, msg);
    }
    f
}

/// Application code: TypeScript/JavaScript outside tests, seeds, scripts and build output.
fn is_app_code(path: &str) -> bool {
    const EXT: &[&str] = &[".ts", ".tsx", ".js", ".jsx", ".mjs", ".cjs", ".mts", ".cts"];
    if !EXT.iter().any(|e| path.ends_with(e)) || path.ends_with(".d.ts") {
        return false;
    }
    let mut segs = path.split('/');
    let name = segs.next_back().unwrap_or("");
    let skip_dir = segs.any(|s| {
        matches!(
            s,
            "node_modules"
                | ".next"
                | "dist"
                | "build"
                | "out"
                | "coverage"
                | "generated"
                | "scripts"
                | "prisma"
                | "test"
                | "tests"
                | "__tests__"
                | "e2e"
                | "seed"
                | "seeds"
                | "fixtures"
                | "mocks"
                | "__mocks__"
        )
    });
    let skip_name = name.contains(".test.")
        || name.contains(".spec.")
        || name.starts_with("seed")
        || name.contains(".config.");
    !skip_dir && !skip_name
}

/// Where the application deletes rows: Prisma Client delegate (`user` in
/// `prisma.user.delete(`) → the calls.
#[derive(Default)]
struct CodeDeletes {
    sites: HashMap<String, Vec<Span>>,
}

impl CodeDeletes {
    fn scan(ctx: &RuleContext<'_>) -> Self {
        let mut out = CodeDeletes::default();
        for (id, file) in ctx.project.files() {
            if !is_app_code(file.path()) {
                continue;
            }
            let Some(text) = file.text() else { continue };
            for needle in [".delete(", ".deleteMany("] {
                let mut from = 0;
                while let Some(i) = text[from..].find(needle) {
                    let at = from + i;
                    from = at + needle.len();
                    let before = &text[..at];
                    let start = before
                        .rfind(|c: char| !(c.is_ascii_alphanumeric() || c == '_' || c == '$'))
                        .map_or(0, |i| i + 1);
                    let delegate = &before[start..];
                    // `prisma.user.delete(`, `tx.user.delete(`: a member of a client.
                    if delegate.is_empty() || !before[..start].ends_with('.') {
                        continue;
                    }
                    let line_start = before.rfind('\n').map_or(0, |n| n + 1);
                    if before[line_start..].trim_start().starts_with("//")
                        || before[line_start..].trim_start().starts_with('*')
                    {
                        continue;
                    }
                    let span = prisma_audit_core::env::span_of(id, start..at + needle.len() - 1);
                    out.sites
                        .entry(delegate.to_string())
                        .or_default()
                        .push(span);
                }
            }
        }
        out
    }

    /// How the application deletes `parent` rows: the first call that leaves some model of
    /// `children` alone in the lines just before it (neither deletes, counts, reads nor
    /// updates its rows there, so nothing clears or checks the blocking rows first), with the
    /// children it does delete there; or `Handled` when every call deals with every child.
    fn find<'m>(
        &self,
        ctx: &RuleContext<'_>,
        parent: &Model,
        children: &[&'m Model],
    ) -> CodePath<'m> {
        let Some(sites) = self.sites.get(&delegate(&parent.name)) else {
            return CodePath::None;
        };
        for s in sites {
            let text = ctx.text(s.file);
            let at = usize::from(s.range.start()).min(text.len());
            let before = preceding_lines(text, at, HANDLING_LINES);
            let touched = |c: &Model| before.contains(&format!(".{}.", delegate_of(c)));
            if children.iter().all(|c| c.id == parent.id || touched(c)) {
                continue;
            }
            let first: Vec<&Model> = children
                .iter()
                .copied()
                .filter(|c| {
                    let d = delegate_of(c);
                    before.contains(&format!(".{d}.deleteMany("))
                        || before.contains(&format!(".{d}.delete("))
                })
                .collect();
            return CodePath::Unguarded(*s, first);
        }
        CodePath::Handled
    }
}

/// How many lines before a delete call may deal with the blocking rows (the body of the
/// function or transaction that performs the delete).
const HANDLING_LINES: usize = 40;

/// The text of the `n` lines before byte `at` of `text`, up to `at`.
fn preceding_lines(text: &str, at: usize, n: usize) -> &str {
    let mut start = at;
    for _ in 0..=n {
        match text[..start].rfind('\n') {
            Some(i) => start = i,
            None => {
                start = 0;
                break;
            }
        }
    }
    &text[start..at]
}

/// What the application code shows about deletes of a parent.
enum CodePath<'m> {
    /// No call deletes its rows.
    None,
    /// Every call deals with the blocking children first (deletes, counts or reads them).
    Handled,
    /// A call that does not, and the children its file deletes.
    Unguarded(Span, Vec<&'m Model>),
}

/// Prisma Client's delegate for a model: its name with a lower-case first letter.
fn delegate(name: &str) -> String {
    let mut c = name.chars();
    c.next().map_or_else(String::new, |f| {
        f.to_lowercase().collect::<String>() + c.as_str()
    })
}

fn delegate_of(m: &Model) -> String {
    delegate(&m.name)
}

/// Why deleting a parent's rows is expected to happen.
#[derive(Default)]
struct Evidence {
    /// Cascade paths from other models that the parent's blocking relations stop.
    cascades: Vec<Block>,
    /// Paths not listed (beyond the limit).
    more_paths: usize,
    /// An application call deleting parent rows, and the blocking children the same file
    /// deletes.
    code: Option<(Span, Vec<ModelId>)>,
    /// A relation to the parent with an explicit non-blocking `onDelete`.
    planned: Option<RelationId>,
    /// The parent is a person (name heuristic) that is not soft-deleted: erasing it means
    /// deleting its row.
    person: bool,
}

/// At most `max` items, the rest counted: "`A`", "`B`", "3 more".
fn shorten(items: &[String], max: usize) -> Vec<String> {
    if items.len() <= max {
        return items.to_vec();
    }
    let mut out = items[..max - 1].to_vec();
    out.push(format!("{} more", items.len() - (max - 1)));
    out
}

/// "`A`" / "`A` or `B`" / "`A`, `B` or `C`".
fn or_list(items: &[String]) -> String {
    match items {
        [] => String::new(),
        [one] => one.clone(),
        [init @ .., last] => format!("{} or {last}", init.join(", ")),
    }
}

/// "`A`" / "`A` and `B`" / "`A`, `B` and `C`".
fn and_list(items: &[String]) -> String {
    match items {
        [] => String::new(),
        [one] => one.clone(),
        [init @ .., last] => format!("{} and {last}", init.join(", ")),
    }
}

/// Closes every help: why `SetNull` is no way out, and where the classification comes from.
const SET_NULL_NOTE: &str = "Never use `onDelete: SetNull` on a required foreign key: every delete \
     would fail with a NOT NULL violation. (Which rows are dependent, history or references is \
     inferred from names and relation shapes.)";

/// Appended to the help when Prisma would reject `Cascade` on some of the owned children.
const REFUSED_CASCADE_NOTE: &str = " No automatic `Cascade` where Prisma would reject it: this \
     database or relation mode refuses cascades that form a cycle (self relations included) or, on \
     SQL Server, a second cascade path to a model; see \
     https://pris.ly/d/cyclic-referential-actions.";

/// One finding for `parent`, blocked by the implicit `Restrict` of `rels`.
fn parent_finding(
    ctx: &RuleContext<'_>,
    graph: &DeleteGraph<'_>,
    parent: &Model,
    rels: &[&Relation],
    ev: &Evidence,
) -> Option<RawFinding> {
    let schema = ctx.schema;
    let default = default_name(ctx);
    let p = &parent.name;
    let paths: Vec<String> = rels
        .iter()
        .map(|r| format!("`{}`", referencing_path(schema, r)))
        .collect();
    let mut children: Vec<String> = Vec::new();
    for r in rels {
        let c = model_name(schema, r.referencing_model);
        let c = if r.is_self {
            format!("other `{c}`")
        } else {
            format!("`{c}`")
        };
        if !children.contains(&c) {
            children.push(c);
        }
    }
    let who = format!("{} rows reference it", or_list(&shorten(&children, 6)));
    let what = match rels.len() {
        1 => format!("{} is required and has no `onDelete`", paths[0]),
        2 | 3 => format!("{} are required and have no `onDelete`", and_list(&paths)),
        n => format!("{n} required relations have no `onDelete`"),
    };
    let mut message = format!(
        "Deleting {} fails while {who}: {what} (Prisma's default is {default})",
        a(p)
    );
    let mut severity = Severity::Medium;
    let mut heuristic = false;
    if let Some(first) = ev.cascades.first() {
        severity = Severity::High;
        let mut seen = HashSet::new();
        let mut roots: Vec<String> = ev
            .cascades
            .iter()
            .filter(|b| seen.insert(b.root))
            .map(|b| a(model_name(schema, b.root)))
            .collect();
        let total = roots.len() + ev.more_paths;
        if total > 4 {
            roots.truncate(3);
            roots.push(format!("{} more", total - 3));
        }
        message.push_str(&format!(
            "; deleting {} fails too, since {} cascades to `{p}` ({})",
            or_list(&roots),
            if total == 1 { "it" } else { "each" },
            graph.describe(first)
        ));
    } else if let Some((_, handled)) = &ev.code {
        severity = Severity::High;
        if handled.is_empty() {
            message.push_str(&format!("; the application deletes `{p}` rows"));
        } else {
            let missing: Vec<String> = children
                .iter()
                .filter(|c| {
                    !handled
                        .iter()
                        .any(|h| **c == format!("`{}`", model_name(schema, *h)))
                })
                .cloned()
                .collect();
            message.push_str(&format!(
                "; the application deletes `{p}` rows after deleting some of their children, but \
                 not the {} rows",
                and_list(&shorten(&missing, 6))
            ));
        }
    } else if let Some(rid) = ev.planned.and_then(|id| schema.relation(id)) {
        message.push_str(&format!(
            ", although `{}` has `onDelete: {}`, so deleting `{p}` rows is planned for",
            referencing_path(schema, rid),
            rid.on_delete.action.as_str()
        ));
    }
    // Reference and history children of a person are listed because of the name heuristic.
    if ev.cascades.is_empty()
        && ev.code.is_none()
        && ev.person
        && rels.iter().any(|r| classify(schema, r) != ChildKind::Owned)
    {
        heuristic = true;
    }

    // Classification of each child, and the Cascade fix for the owned ones.
    let (mut owned, mut history, mut reference) = (Vec::new(), Vec::new(), Vec::new());
    for r in rels {
        match classify(schema, r) {
            ChildKind::Owned => owned.push(*r),
            ChildKind::History => history.push(*r),
            ChildKind::Reference => reference.push(*r),
        }
    }
    let list = |rs: &[&Relation]| {
        and_list(
            &rs.iter()
                .map(|r| format!("`{}`", referencing_path(schema, r)))
                .collect::<Vec<_>>(),
        )
    };
    let verb = |rs: &[&Relation]| if rs.len() == 1 { "is" } else { "are" };
    let mut help = Vec::new();
    if !owned.is_empty() {
        let mut h = format!(
            "The rows of {} depend on their `{p}` (named after it, identified by it, or held by \
             nothing else): add `onDelete: Cascade` so deleting {} deletes them too.",
            list(&owned),
            a(p)
        );
        let mut downstream: Vec<String> = Vec::new();
        for r in &owned {
            for (m, _) in graph.cascade_closure(r.referencing_model) {
                if let Some(m) = schema.model_by_id(m)
                    && m.id != parent.id
                    && is_history_name(&m.name)
                {
                    let n = format!("`{}`", m.name);
                    if !downstream.contains(&n) {
                        downstream.push(n);
                    }
                }
            }
        }
        if !downstream.is_empty() {
            h.push_str(&format!(
                " Note that the cascade continues into {} rows; if those records must be kept, \
                 keep the restriction (write `onDelete: {default}`) and soft-delete `{p}` rows \
                 instead.",
                and_list(&downstream)
            ));
        }
        help.push(h);
    }
    if let Some(example) = reference.first() {
        let field = schema.field(example.referencing)?;
        help.push(format!(
            "For {}: if those rows belong to their `{p}`, add `onDelete: Cascade`; if they must \
             survive it, make the foreign key optional (e.g. {}) and the relation optional \
             (`{} {p}?`) AND set `onDelete: SetNull` — both changes are needed; if {} that still \
             has them must not be deleted, write `onDelete: {default}` to document it and handle \
             the error (e.g. reassign them first).",
            list(&reference),
            optional_fk_types(ctx, example),
            field.name,
            a(p)
        ));
    }
    if let Some(example) = history.first() {
        let field = schema.field(example.referencing)?;
        help.push(format!(
            "{} {} history (financial, clinical or audit records, or who did something) that \
             should outlive the `{p}`, so do not cascade: either keep the restriction — write \
             `onDelete: {default}` to document it — and soft-delete or anonymise `{p}` rows \
             instead of deleting them (for a GDPR erasure, overwrite the personal fields of the \
             `{p}`: the records stay valid for accounting and audits); or, if a record may lose \
             its link, make its foreign key optional (e.g. {}) and its relation optional \
             (`{} {p}?`) AND set `onDelete: SetNull` — both changes are needed.",
            list(&history),
            verb(&history),
            optional_fk_types(ctx, example),
            field.name
        ));
    }
    if ev.person {
        help.push(format!(
            "As long as this holds, a `{p}` who asks to be erased (GDPR) cannot be deleted either."
        ));
    }
    help.push(SET_NULL_NOTE.to_string());
    let help = help.join(" ");

    let mut f = RawFinding::new(format!("{p}|delete-blocked"), message)
        .at(parent.name_span)
        .severity(severity)
        .help(help);
    if heuristic {
        f = f.heuristic();
    }
    for r in rels {
        if let Some(field) = schema.field(r.referencing) {
            f = f.related(
                field.span,
                format!(
                    "`{}`: required ({}), no `onDelete`",
                    referencing_path(schema, r),
                    fk_list(schema, r)
                ),
            );
        }
    }
    // One path per model whose delete fails (the shortest).
    let mut seen = HashSet::new();
    let cascades: Vec<&Block> = ev.cascades.iter().filter(|b| seen.insert(b.root)).collect();
    f = add_paths(ctx, graph, f, &cascades, ev.more_paths);
    if let Some((span, _)) = &ev.code {
        f = f.related(*span, format!("the application deletes `{p}` rows here"));
    }
    if ev.cascades.is_empty()
        && ev.code.is_none()
        && let Some(r) = ev.planned.and_then(|id| schema.relation(id))
        && let Some(span) = r.on_delete.span
    {
        f = f.related(
            span,
            format!(
                "`{}` has `onDelete: {}`: deletes of `{p}` rows are planned for",
                referencing_path(schema, r),
                r.on_delete.action.as_str()
            ),
        );
    }

    // Cascade on the owned children Prisma accepts it for, all together.
    let mut changes: Vec<(RelationId, ReferentialAction)> = Vec::new();
    let mut edits = Vec::new();
    let mut fixed_paths = Vec::new();
    let mut refused = false;
    for r in &owned {
        let mut next = changes.clone();
        next.push((r.id, ReferentialAction::Cascade));
        let Some(field) = schema.field(r.referencing) else {
            continue;
        };
        if !accepts_on_delete(schema, &next) {
            refused = true;
            continue;
        }
        let Some(edit) = set_relation_argument(ctx, field, "onDelete", "Cascade") else {
            continue;
        };
        changes = next;
        edits.push(edit);
        fixed_paths.push(format!("`{}`", referencing_path(schema, r)));
    }
    if refused {
        f.help = f.help.map(|h| h + REFUSED_CASCADE_NOTE);
    }
    if !edits.is_empty() {
        f = f.fix(RawFix {
            title: format!("Set `onDelete: Cascade` on {}", and_list(&fixed_paths)),
            safety: FixSafety::Unsafe,
            edits,
            sql: None,
        });
    }
    Some(f)
}

/// A blocking relation, the ways it makes deletes fail, and how many paths were not listed.
type Blocked<'a> = (&'a Relation, Vec<Block>, usize);

/// One finding for `parent` whose explicit `Restrict`/`NoAction` relations stop a cascade
/// coming from another model.
fn explicit_finding(
    ctx: &RuleContext<'_>,
    graph: &DeleteGraph<'_>,
    parent: ModelId,
    entries: &[Blocked<'_>],
    code: &CodeDeletes,
) -> Option<RawFinding> {
    let schema = ctx.schema;
    // A written restriction against a cascade from a soft-deleted model (`deletedAt`) that the
    // application never deletes: its rows are rarely hard-deleted, and the restriction is a
    // deliberate guard for when they are.
    let soft = |m: ModelId| {
        schema
            .model_by_id(m)
            .is_some_and(|m| is_soft_deleted(m) && !code.sites.contains_key(&delegate(&m.name)))
    };
    let mut via: Vec<&Block> = entries
        .iter()
        .flat_map(|(_, found, _)| found.iter().filter(|b| !b.path.is_empty() && !soft(b.root)))
        .collect();
    via.sort_by_key(|b| b.path.len());
    let more: usize = entries.iter().map(|(_, _, m)| m).sum();
    let first = *via.first()?;
    let at = path_start(ctx, first)?;
    // Only the relations that stop a cascade.
    let rels: Vec<&Relation> = entries
        .iter()
        .filter(|(_, found, _)| found.iter().any(|b| !b.path.is_empty() && !soft(b.root)))
        .map(|(r, _, _)| *r)
        .collect();
    let root = model_name(schema, first.root);
    let p = model_name(schema, parent);
    let mut children: Vec<String> = Vec::new();
    for r in &rels {
        let c = format!("`{}`", model_name(schema, r.referencing_model));
        if !children.contains(&c) {
            children.push(c);
        }
    }
    let written: Vec<String> = rels
        .iter()
        .map(|r| {
            format!(
                "`{}` has `onDelete: {}`",
                referencing_path(schema, r),
                r.on_delete.action.as_str()
            )
        })
        .collect();
    let paths: Vec<String> = rels
        .iter()
        .map(|r| format!("`{}`", referencing_path(schema, r)))
        .collect();
    let anchor = rels
        .iter()
        .map(|r| referencing_path(schema, r))
        .collect::<Vec<_>>()
        .join(",");
    let mut f = RawFinding::new(
        format!("{anchor}|cascade"),
        format!(
            "Deleting {} fails when its cascade reaches {} that has {} rows: {} ({})",
            a(root),
            a(p),
            or_list(&shorten(&children, 6)),
            graph.describe(first),
            and_list(&shorten(&written, 3))
        ),
    )
    .at(at)
    .severity(Severity::Medium)
    .help(format!(
        "The explicit `onDelete` on {} protects {} rows, but it also aborts every delete of {} \
         that cascades into {} with such rows. Decide which wins: delete or detach those rows \
         first (in the same transaction), let them cascade from `{root}` as well, or soft-delete \
         `{root}` rows instead of deleting them.",
        and_list(&shorten(&paths, 6)),
        and_list(&shorten(&children, 6)),
        a(root),
        a(p)
    ));
    for r in &rels {
        if let Some(span) = r.on_delete.span {
            f = f.related(
                span,
                format!(
                    "`onDelete: {}` on `{}` stops the cascade",
                    r.on_delete.action.as_str(),
                    referencing_path(schema, r)
                ),
            );
        }
    }
    // Other roots (one path each), not the first one again.
    let mut seen = HashSet::from([first.root]);
    let others: Vec<&Block> = via[1..]
        .iter()
        .copied()
        .filter(|b| seen.insert(b.root))
        .collect();
    Some(add_paths(ctx, graph, f, &others, more))
}

impl Rule for DeleteBlockedByRelation {
    fn check(&self, ctx: &RuleContext<'_>, out: &mut Vec<RawFinding>) {
        let schema = ctx.schema;
        let graph = DeleteGraph::new(ctx);
        // Implicit blocks per parent, in schema order of the parent.
        let mut by_parent: BTreeMap<ModelId, Vec<Blocked<'_>>> = BTreeMap::new();
        let mut explicit_by_parent: BTreeMap<ModelId, Vec<Blocked<'_>>> = BTreeMap::new();
        for r in graph.edges() {
            // The direct block, then the shortest cascade paths (one more for the explicit
            // case, whose first path is the primary location).
            let (found, more) = graph.blocks_of(r, MAX_PATHS + 1);
            if found.is_empty() || r.on_delete.span.is_some_and(|s| has_error_at(ctx, s)) {
                continue;
            }
            if r.on_delete.explicit {
                explicit_by_parent
                    .entry(r.referenced_model)
                    .or_default()
                    .push((*r, found, more));
            } else {
                by_parent
                    .entry(r.referenced_model)
                    .or_default()
                    .push((*r, found, more));
            }
        }
        if by_parent.is_empty() && explicit_by_parent.is_empty() {
            return;
        }
        let code = CodeDeletes::scan(ctx);
        for (pid, entries) in &explicit_by_parent {
            out.extend(explicit_finding(ctx, &graph, *pid, entries, &code));
        }
        for (pid, entries) in by_parent {
            let Some(parent) = schema.model_by_id(pid) else {
                continue;
            };
            let rels: Vec<&Relation> = entries.iter().map(|(r, _, _)| *r).collect();
            let mut ev = Evidence::default();
            for (_, found, more) in &entries {
                ev.cascades
                    .extend(found.iter().filter(|b| !b.path.is_empty()).cloned());
                ev.more_paths += more;
            }
            ev.cascades.sort_by_key(|b| b.path.len());
            let children: Vec<&Model> = rels
                .iter()
                .filter_map(|r| schema.model_by_id(r.referencing_model))
                .collect();
            let path = code.find(ctx, parent, &children);
            let handled = matches!(path, CodePath::Handled);
            if let CodePath::Unguarded(span, first) = path {
                ev.code = Some((span, first.iter().map(|m| m.id).collect()));
            }
            // A written non-blocking action, on a relation of the project's own (a library's
            // table, such as an auth adapter's `Session`, says nothing about the project). A
            // soft-deleted parent (`deletedAt`) is deleted by an update: its cascades do not
            // show that rows are hard-deleted.
            ev.planned = graph
                .incoming(pid)
                .iter()
                .find(|r| {
                    r.on_delete.explicit
                        && !blocks(r.on_delete.action)
                        && schema
                            .model_by_id(r.referencing_model)
                            .is_some_and(|m| third_party::owner(m).is_none())
                })
                .map(|r| r.id)
                .filter(|_| !is_soft_deleted(parent));
            // A person whose erasure means deleting the row (not a soft-deleted one, which is
            // erased by anonymising it).
            ev.person = is_person(parent) && !is_tenant(schema, parent) && !is_soft_deleted(parent);
            // Which blocks to report: all of them when deletes of the parent certainly happen
            // (a cascade reaches it, the application deletes it) or when a person's deletes
            // are planned for (erasure) and it is not soft-deleted; only the dependent children
            // when deletes are planned for; none without a sign that the parent is ever
            // deleted.
            let strong = !ev.cascades.is_empty() || ev.code.is_some();
            // The application already deals with the blocking rows wherever it deletes the
            // parent: only a cascade from elsewhere can still fail.
            if handled && ev.cascades.is_empty() {
                continue;
            }
            let rels: Vec<&Relation> = if strong {
                rels
            } else if ev.planned.is_some() && ev.person {
                // A tenant a person owns (an organization's owner) waits for a new owner.
                rels.into_iter()
                    .filter(|r| {
                        schema
                            .model_by_id(r.referencing_model)
                            .is_some_and(|c| !is_tenant(schema, c))
                    })
                    .collect()
            } else if ev.planned.is_some() {
                rels.into_iter()
                    .filter(|r| classify(schema, r) == ChildKind::Owned)
                    .collect()
            } else {
                continue;
            };
            if rels.is_empty() {
                continue;
            }
            out.extend(parent_finding(ctx, &graph, parent, &rels, &ev));
        }
    }

    fn strengths(&self, ctx: &RuleContext<'_>) -> Vec<String> {
        let schema = ctx.schema;
        let mut relations = schema
            .relations()
            .iter()
            .filter(|r| is_checkable(ctx, r))
            .peekable();
        if relations.peek().is_some() && relations.all(|r| r.on_delete.explicit) {
            vec!["Every relation has an explicit `onDelete`".into()]
        } else {
            Vec::new()
        }
    }
}

#[cfg(test)]
mod tests {
    use crate::support::test_util::{cases, findings, fixed, schema_findings};
    use prisma_audit_core::finding::{Confidence, Severity};

    const ID: &str = "delete-blocked-by-relation";

    /// Customers are deleted somewhere (reminders cascade); notes are held by nothing else,
    /// pets also belong to the tenant, sales are history.
    const CLINIC: &str = r#"datasource db {
  provider = "postgresql"
}

model Tenant {
  id        String     @id
  customers Customer[]
  pets      Pet[]
  sales     Sale[]
}

model Customer {
  id        String     @id
  tenantId  String
  tenant    Tenant     @relation(fields: [tenantId], references: [id], onDelete: Cascade)
  reminders Reminder[]
  notes     Note[]
  pets      Pet[]
  sales     Sale[]
}

model Reminder {
  id         String   @id
  customerId String
  customer   Customer @relation(fields: [customerId], references: [id], onDelete: Cascade)
}

model Note {
  id         String   @id
  customerId String
  customer   Customer @relation(fields: [customerId], references: [id])
}

model Pet {
  id         String   @id
  tenantId   String
  customerId String
  tenant     Tenant   @relation(fields: [tenantId], references: [id], onDelete: Cascade)
  customer   Customer @relation(fields: [customerId], references: [id])
}

model Sale {
  id         String   @id
  tenantId   String
  customerId String
  tenant     Tenant   @relation(fields: [tenantId], references: [id], onDelete: Cascade)
  customer   Customer @relation(fields: [customerId], references: [id])
}
"#;

    /// Notes cascade from the tenant too: no cascade path is blocked any more. Deletes of
    /// customers are planned for (reminders cascade) and a customer is a person: every block
    /// is listed, as a heuristic.
    fn planned() -> String {
        CLINIC
            .replace(
                "model Note {\n  id         String   @id\n  customerId String\n",
                "model Note {\n  id         String   @id\n  tenantId   String\n  customerId String\n  tenant     Tenant   @relation(fields: [tenantId], references: [id], onDelete: Cascade)\n",
            )
            .replace(
                "  sales     Sale[]\n}\n\nmodel Customer",
                "  sales     Sale[]\n  notes     Note[]\n}\n\nmodel Customer",
            )
    }

    /// The same for a model that is not a person: only the dependent rows count, and there
    /// are none.
    fn planned_kennel() -> String {
        planned()
            .replace("Customer", "Kennel")
            .replace("customer", "kennel")
    }

    /// A soft-deleted person is erased by anonymising it: only dependent rows count.
    fn planned_soft_deleted() -> String {
        planned().replace(
            "model Customer {\n  id        String     @id\n",
            "model Customer {\n  id        String     @id\n  deletedAt DateTime?\n",
        )
    }

    /// Every blocking relation of `CLINIC` with an explicit `onDelete: Restrict`.
    fn explicit_restrict() -> String {
        CLINIC
            .replace(
                "model Note {\n  id         String   @id\n  customerId String\n  customer   Customer @relation(fields: [customerId], references: [id])",
                "model Note {\n  id         String   @id\n  customerId String\n  customer   Customer @relation(fields: [customerId], references: [id], onDelete: Restrict)",
            )
            .replace(
                "  customer   Customer @relation(fields: [customerId], references: [id])\n}\n\nmodel Sale",
                "  customer   Customer @relation(fields: [customerId], references: [id], onDelete: Restrict)\n}\n\nmodel Sale",
            )
            .replace(
                "  customer   Customer @relation(fields: [customerId], references: [id])\n}\n",
                "  customer   Customer @relation(fields: [customerId], references: [id], onDelete: Restrict)\n}\n",
            )
    }

    /// A soft-deleted tenant is rarely hard-deleted: the written Restrict is a guard for that
    /// case, unless the application deletes tenants.
    fn explicit_restrict_soft_deleted_tenant() -> String {
        explicit_restrict().replace(
            "model Tenant {\n  id        String     @id\n",
            "model Tenant {\n  id        String     @id\n  deletedAt DateTime?\n",
        )
    }

    fn clinic_on(datasource: &str) -> String {
        CLINIC.replace("  provider = \"postgresql\"\n", datasource)
    }

    const ORGANIZATION_OWNER: &str = r#"datasource db {
  provider = "postgresql"
}

model User {
  id     Int            @id
  orgs   Organization[]
  tokens Token[]
}

model Token {
  id     Int  @id
  userId Int
  user   User @relation(fields: [userId], references: [id], onDelete: Cascade)
}

model Organization {
  id      Int  @id
  ownerId Int
  owner   User @relation(fields: [ownerId], references: [id])
}
"#;

    // A post's required author: Restrict may be exactly what the project wants.
    const POST_AUTHOR: &str = r#"datasource db {
  provider = "postgresql"
}

model User {
  id    Int    @id
  posts Post[]
}

model Post {
  id       Int  @id
  authorId Int
  author   User @relation(fields: [authorId], references: [id])
}
"#;

    const BOARD: &str = r#"datasource db {
  provider = "postgresql"
}

model Board {
  id      Int      @id
  columns Column[]
  cards   Card[]
}

model Column {
  id      Int   @id
  boardId Int
  board   Board @relation(fields: [boardId], references: [id])
  cards   Card[]
}

model Card {
  id       Int    @id
  boardId  Int
  columnId Int
  board    Board  @relation(fields: [boardId], references: [id])
  column   Column @relation(fields: [columnId], references: [id])
}
"#;
    const OPTIONAL_SET_NULL_MANY_TO_MANY: &str = r#"datasource db {
  provider = "postgresql"
}

model A {
  id Int  @id
  bs B[]
  cs C[]
  ds D[]
  es E[]
}

model B {
  id  Int  @id
  aId Int?
  a   A?   @relation(fields: [aId], references: [id])
}

model C {
  id  Int @id
  aId Int @default(0)
  a   A   @relation(fields: [aId], references: [id], onDelete: SetDefault)
}

model D {
  id Int @id
  as A[]
}

model E {
  id  Int @id
  aId Int
  a   A   @relation(fields: [aId], references: [id], onDelete: Cascade)
}
"#;

    // Deleting users is planned for (tokens cascade) and a user is a person. The 1:1 profile
    // is identified by its user; the drawer records who opened it; the manager is a reference.
    const SELF_ONE_TO_ONE_ATTRIBUTION: &str = r#"datasource db {
  provider = "postgresql"
}

model User {
  id        Int      @id
  managerId Int
  manager   User     @relation("Reports", fields: [managerId], references: [id])
  reports   User[]   @relation("Reports")
  profile   Profile?
  drawers   Drawer[]
  tokens    Token[]
}

model Token {
  id     Int  @id
  userId Int
  user   User @relation(fields: [userId], references: [id], onDelete: Cascade)
}

model Profile {
  id     Int  @id
  userId Int  @unique
  user   User @relation(fields: [userId], references: [id])
}

model Drawer {
  id         Int  @id
  openedById Int
  openedBy   User @relation(fields: [openedById], references: [id])
}
"#;

    // A dependent row that is also its own parent's child: under relationMode prisma the
    // Cascade would close a cycle, which Prisma rejects: no fix, and the help says why.
    const CYCLE: &str = r#"datasource db {
  provider     = "mysql"
  relationMode = "prisma"
}

model Folder {
  id      Int      @id
  coverId Int?     @unique
  cover   FolderItem? @relation("Cover", fields: [coverId], references: [id], onDelete: SetNull)
  items   FolderItem[] @relation("Items")
  rules   Rule[]
}

model Rule {
  id       Int    @id
  folderId Int
  folder   Folder @relation(fields: [folderId], references: [id], onDelete: Cascade)
}

model FolderItem {
  id       Int     @id
  folderId Int
  folder   Folder  @relation("Items", fields: [folderId], references: [id], onUpdate: Restrict)
  coverOf  Folder? @relation("Cover")
}
"#;

    /// Seven models cascade into `Hub`, which `Leaf` blocks.
    fn many_paths() -> String {
        let mut s = String::from(
            "datasource db {\n  provider = \"postgresql\"\n}\n\nmodel Hub {\n  id Int @id\n",
        );
        for i in 1..=7 {
            s.push_str(&format!("  r{i}Id Int\n  r{i} R{i} @relation(fields: [r{i}Id], references: [id], onDelete: Cascade)\n"));
        }
        s.push_str("  leaves Leaf[]\n}\n\nmodel Leaf {\n  id    Int @id\n  hubId Int\n  hub   Hub @relation(fields: [hubId], references: [id])\n}\n");
        for i in 1..=7 {
            s.push_str(&format!(
                "\nmodel R{i} {{\n  id   Int   @id\n  hubs Hub[]\n}}\n"
            ));
        }
        s
    }

    #[test]
    fn pass_and_fail() {
        // SQL Server: the default is NoAction. relationMode prisma on MySQL: Prisma Client
        // emulates Restrict, still reported.
        let sqlserver = clinic_on("  provider = \"sqlserver\"\n");
        let mysql_prisma = clinic_on("  provider     = \"mysql\"\n  relationMode = \"prisma\"\n");
        // Without relationMode prisma, MySQL's foreign keys accept the cascade.
        let cycle_with_foreign_keys = CYCLE.replace("\n  relationMode = \"prisma\"", "");
        insta::assert_snapshot!(cases(
            ID,
            &[
                &planned_kennel(),
                &planned_soft_deleted(),
                &explicit_restrict_soft_deleted_tenant(),
                ORGANIZATION_OWNER,
                POST_AUTHOR,
                BOARD,
                OPTIONAL_SET_NULL_MANY_TO_MANY,
            ],
            &[
                CLINIC,
                &planned(),
                &explicit_restrict(),
                SELF_ONE_TO_ONE_ATTRIBUTION,
                &sqlserver,
                &mysql_prisma,
                CYCLE,
                &cycle_with_foreign_keys,
                &many_paths(),
            ]
        ));
    }

    #[test]
    fn a_cascade_into_the_parent_makes_every_block_an_incident() {
        let f = schema_findings(ID, CLINIC);
        assert_eq!(f.len(), 1, "{f:#?}");
        let f = &f[0];
        assert_eq!(f.severity, Severity::High);
        assert_eq!(f.confidence, Confidence::Certain);
        // At the parent model; each blocking relation, then the cascade path, related.
        assert_eq!(f.location.as_ref().unwrap().start.line, 12);
        let related: Vec<u32> = f.related.iter().map(|r| r.location.start.line).collect();
        assert_eq!(related, [31, 39, 47, 15], "{:#?}", f.related);
        // Notes are held by nothing else: Cascade. Pets are a reference, sales history.
        let out = fixed(ID, CLINIC, true);
        assert!(out.contains(
            "model Note {\n  id         String   @id\n  customerId String\n  customer   Customer @relation(fields: [customerId], references: [id], onDelete: Cascade)\n}"
        ));
        assert!(out.contains(
            "  customer   Customer @relation(fields: [customerId], references: [id])\n}\n\nmodel Sale"
        ));
        assert_eq!(fixed(ID, CLINIC, false), CLINIC);
    }

    #[test]
    fn planned_deletes_report_dependent_rows_and_a_persons_blocks() {
        let s = planned();
        let f = schema_findings(ID, &s);
        assert_eq!(f.len(), 1, "{f:#?}");
        assert_eq!(f[0].severity, Severity::Medium);
        assert_eq!(f[0].confidence, Confidence::Heuristic);
        assert!(f[0].fix.is_none(), "nothing is evidently dependent");

        // The application deletes customers and deals with every blocking child first.
        let code = "await tx.note.deleteMany({ where: { customerId: id } })\nawait tx.pet.deleteMany({ where: { customerId: id } })\nif (await tx.sale.count({ where: { customerId: id } })) throw new InUse()\nawait tx.customer.delete({ where: { id } })\n";
        let f = findings(ID, &[("schema.prisma", &s), ("src/customers.ts", code)]);
        assert!(f.is_empty(), "{f:#?}");
    }

    #[test]
    fn application_deletes_are_evidence() {
        let s = r#"datasource db {
  provider = "postgresql"
}

model Board {
  id      Int      @id
  columns Column[]
  cards   Card[]
}

model Column {
  id      Int   @id
  boardId Int
  board   Board @relation(fields: [boardId], references: [id])
  cards   Card[]
}

model Card {
  id       Int    @id
  boardId  Int
  columnId Int
  board    Board  @relation(fields: [boardId], references: [id])
  column   Column @relation(fields: [columnId], references: [id])
}
"#;
        let code = "export async function remove(id: number) {\n  await prisma.board.delete({ where: { id } })\n}\n";
        let f = findings(ID, &[("prisma/schema.prisma", s), ("src/boards.ts", code)]);
        assert_eq!(f.len(), 1, "{f:#?}");
        assert!(
            f[0].message
                .ends_with("; the application deletes `Board` rows"),
            "{}",
            f[0].message
        );
        assert_eq!(f[0].severity, Severity::High);
        let at = f[0].related.last().unwrap();
        assert_eq!(at.message, "the application deletes `Board` rows here");
        assert_eq!(
            (at.location.file.as_str(), at.location.start.line),
            ("src/boards.ts", 2)
        );

        // Some children deleted first in the same file: the others are named.
        let partial = "await prisma.card.deleteMany({ where: { boardId } })\nawait tx.board.delete({ where: { id } })\n";
        let f = findings(
            ID,
            &[("prisma/schema.prisma", s), ("src/boards.ts", partial)],
        );
        assert_eq!(f.len(), 1, "{f:#?}");
        assert!(
            f[0].message.ends_with(
                "; the application deletes `Board` rows after deleting some of their children, but not the `Column` rows"
            ),
            "{}",
            f[0].message
        );
        // Children read somewhere else in the file (another function) are not dealt with.
        let elsewhere = format!(
            "const cards = await prisma.card.findMany()\nconst columns = await prisma.column.findMany()\n{}await prisma.board.delete({{ where: {{ id }} }})\n",
            "\n".repeat(60)
        );
        let f = findings(
            ID,
            &[("prisma/schema.prisma", s), ("src/boards.ts", &elsewhere)],
        );
        assert_eq!(f.len(), 1, "{f:#?}");

        // Every child deleted first, or checked before the delete: handled. Tests, seeds and
        // comments are not evidence.
        let all = "await prisma.card.deleteMany({})\nawait prisma.column.deleteMany({})\nawait prisma.board.delete({ where: { id } })\n";
        let checked = "if (await tx.card.count({ where: { boardId: id } })) throw new InUse()\nawait tx.column.deleteMany({ where: { boardId: id } })\nawait tx.board.delete({ where: { id } })\n";
        for (path, text) in [
            ("src/boards.ts", all),
            ("src/boards.ts", checked),
            ("src/boards.test.ts", code),
            ("prisma/seed.ts", code),
            (
                "src/x.ts",
                "// await prisma.board.delete({ where: { id } })\n",
            ),
        ] {
            let f = findings(ID, &[("prisma/schema.prisma", s), (path, text)]);
            assert!(f.is_empty(), "{path}: {f:#?}");
        }
    }

    #[test]
    fn explicit_restrict_is_a_decision_unless_it_blocks_a_cascade() {
        // Pet and Sale are explicit and cleared by the Tenant cascade; Note is explicit but
        // blocks Tenant → Customer → Note.
        let f = schema_findings(ID, &explicit_restrict());
        assert_eq!(f.len(), 1, "{f:#?}");
        assert_eq!(f[0].severity, Severity::Medium);
        let loc = f[0].location.as_ref().unwrap();
        assert_eq!(loc.start.line, 15, "at the start of the cascade path");
        assert_eq!(f[0].related[0].location.start.line, 31);
        assert!(f[0].fix.is_none());

        // The application deletes tenants: the soft-deleted tenant's guard is reported.
        let code = "await prisma.tenant.delete({ where: { id } })\n";
        let soft = explicit_restrict_soft_deleted_tenant();
        let f = findings(ID, &[("schema.prisma", &soft), ("src/tenants.ts", code)]);
        assert_eq!(f.len(), 1, "{f:#?}");
    }

    #[test]
    fn self_relations_one_to_one_and_attribution() {
        let s = SELF_ONE_TO_ONE_ATTRIBUTION;
        assert_eq!(schema_findings(ID, s).len(), 1);
        assert!(fixed(ID, s, true).contains(
            "user   User @relation(fields: [userId], references: [id], onDelete: Cascade)\n}\n\nmodel Drawer"
        ));

        // The fixture with every relation kind: only the composite-key Grant.member blocks a
        // cascade (GroupUser.user is an explicit NoAction; Article.author an explicit Restrict).
        let s = include_str!(
            "../../../core/tests/fixtures/schemas/valid/pg_relations_all_kinds.prisma"
        );
        let f = schema_findings(ID, s);
        assert_eq!(f.len(), 1, "{f:#?}");
        assert!(
            f[0].message.starts_with(
                "Deleting a `GroupUser` fails while `Grant` rows reference it: `Grant.member`"
            ),
            "{}",
            f[0].message
        );
        assert!(f[0].related.iter().any(|r| {
            r.message
                .contains("Group → (Cascade) GroupUser → Grant (Restrict)")
        }));
    }

    #[test]
    fn providers_and_cycles() {
        assert_eq!(
            schema_findings(ID, &clinic_on("  provider = \"sqlserver\"\n")).len(),
            1
        );
        let f = schema_findings(
            ID,
            &clinic_on("  provider     = \"mysql\"\n  relationMode = \"prisma\"\n"),
        );
        assert_eq!(f.len(), 1);
        assert!(f[0].fix.is_some());
        let f = schema_findings(ID, CYCLE);
        assert_eq!(f.len(), 1, "{f:#?}");
        assert!(f[0].fix.is_none(), "{:#?}", f[0].fix);
        let fk = CYCLE.replace("\n  relationMode = \"prisma\"", "");
        assert!(schema_findings(ID, &fk)[0].fix.is_some());
    }

    #[test]
    fn views_are_not_tables() {
        // A model documented as a view is not a table: its relations block nothing, also when
        // a blank line separates the marker from the model.
        for marker in ["/// @view\n", "/// @view\n\n"] {
            let s = CLINIC.replace("model Note {", &format!("{marker}model Note {{"));
            let f = schema_findings(ID, &s);
            assert!(f.iter().all(|f| !f.message.contains("`Note")), "{f:#?}");
            assert_eq!(f.len(), 1, "{f:#?}");
        }
    }

    #[test]
    fn strengths() {
        use prisma_audit_core::{AuditOptions, Project, audit};
        let s = CLINIC.replace(
            "references: [id])\n",
            "references: [id], onDelete: Restrict)\n",
        );
        let p = Project::from_files("t", [("schema.prisma".to_string(), s.into_bytes())]);
        let mut o = AuditOptions::default();
        o.config.select = Some(vec![ID.into()]);
        let r = audit(&p, &o).unwrap();
        assert!(
            format!("{:?}", r).contains("Every relation has an explicit `onDelete`"),
            "{r:#?}"
        );
    }

    #[test]
    fn many_paths_are_summarised() {
        // One finding, five paths listed, the rest counted.
        let f = schema_findings(ID, &many_paths());
        assert_eq!(f.len(), 1, "{f:#?}");
        assert_eq!(f[0].related.len(), 6, "{:#?}", f[0].related);
    }
}
