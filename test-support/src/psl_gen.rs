//! Grammar-aware mutations of real Prisma schemas for differential tests
//! (`core/tests/prisma_differential.rs`).
//!
//! A mutation reads the current text with our own parser (to find attributes, argument lists,
//! fields and blocks) and rewrites one spot: list and argument forms, attribute arguments,
//! `@default` and `@db.X` forms, comments and whitespace (all of which keep a valid schema valid
//! or make it invalid in a way Prisma defines), plus mutations that break the schema. Each
//! mutation has a stable name so a disagreement says which one produced it.
#![allow(dead_code)]

use prisma_audit_psl::syntax::ast::{self, AstNode, Expr, Item};
use prisma_audit_psl::syntax::parse;
use std::ops::Range;

use crate::mutate;

/// SplitMix64: small, fast and the same on every platform.
#[derive(Debug, Clone)]
pub struct Rng(u64);

impl Rng {
    pub fn new(seed: u64) -> Self {
        Rng(seed)
    }
    pub fn next_u64(&mut self) -> u64 {
        self.0 = self.0.wrapping_add(0x9E37_79B9_7F4A_7C15);
        let mut z = self.0;
        z = (z ^ (z >> 30)).wrapping_mul(0xBF58_476D_1CE4_E5B9);
        z = (z ^ (z >> 27)).wrapping_mul(0x94D0_49BB_1331_11EB);
        z ^ (z >> 31)
    }
    /// Uniform in `0..n` (`n > 0`).
    pub fn below(&mut self, n: usize) -> usize {
        (self.next_u64() % n.max(1) as u64) as usize
    }
    /// True with probability `num / den`.
    pub fn chance(&mut self, num: u32, den: u32) -> bool {
        self.below(den as usize) < num as usize
    }
    pub fn pick<'a, T>(&mut self, items: &'a [T]) -> Option<&'a T> {
        if items.is_empty() {
            None
        } else {
            Some(&items[self.below(items.len())])
        }
    }
}

/// The datasource provider of a seed, as far as mutations care.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Provider {
    Postgres,
    Cockroach,
    MySql,
    Sqlite,
    SqlServer,
    Mongo,
    Unknown,
}

impl Provider {
    pub fn from_name(name: &str) -> Self {
        match name {
            "postgresql" | "postgres" | "prisma+postgres" => Provider::Postgres,
            "cockroachdb" => Provider::Cockroach,
            "mysql" => Provider::MySql,
            "sqlite" => Provider::Sqlite,
            "sqlserver" => Provider::SqlServer,
            "mongodb" => Provider::Mongo,
            _ => Provider::Unknown,
        }
    }
}

/// Facts about a schema that mutations use: provider, datasource name, declared names.
#[derive(Debug, Clone)]
pub struct SchemaFacts {
    pub provider: Provider,
    /// `db` of `@db.VarChar`.
    pub ds_name: String,
    /// Model, enum and composite type names of every file.
    pub type_names: Vec<String>,
    /// Values of every enum, by enum name.
    pub enum_values: Vec<(String, Vec<String>)>,
}

impl SchemaFacts {
    pub fn of(files: &[(String, String)]) -> Self {
        let mut facts = SchemaFacts {
            provider: Provider::Unknown,
            ds_name: "db".to_string(),
            type_names: Vec::new(),
            enum_values: Vec::new(),
        };
        for (_, text) in files {
            let p = parse(text);
            for item in p.tree().items() {
                match &item {
                    Item::Datasource(ds) => {
                        if let Some(n) = ds.name() {
                            facts.ds_name = n.text().to_string();
                        }
                        for kv in ds.entries() {
                            if kv.key().is_some_and(|k| k.text() == "provider")
                                && let Some(v) = kv.value().and_then(|v| v.as_string())
                            {
                                facts.provider = Provider::from_name(&v);
                            }
                        }
                    }
                    Item::Generator(_) => {}
                    Item::Enum(e) => {
                        if let Some(n) = e.name() {
                            facts.type_names.push(n.text().to_string());
                            let values = e
                                .values()
                                .filter_map(|v| v.name().map(|n| n.text().to_string()))
                                .collect();
                            facts.enum_values.push((n.text().to_string(), values));
                        }
                    }
                    _ => {
                        if let Some(n) = item.name() {
                            facts.type_names.push(n.text().to_string());
                        }
                    }
                }
            }
        }
        facts
    }
}

/// Remove the datasource `url`, `directUrl` and `shadowDatabaseUrl` lines (whole lines).
/// Prisma 7 rejects them and Prisma 6 requires `url`: the differential test compares the
/// schema without them (see its doc comment).
pub fn strip_datasource_urls(text: &str) -> String {
    let p = parse(text);
    let mut cut: Vec<Range<usize>> = Vec::new();
    for item in p.tree().items() {
        if let Item::Datasource(ds) = item {
            for kv in ds.entries() {
                let key = kv.key().map(|k| k.text()).unwrap_or_default();
                if matches!(key, "url" | "directUrl" | "shadowDatabaseUrl") {
                    cut.push(line_of(text, kv.range().start().into()));
                }
            }
        }
    }
    let mut out = text.to_string();
    for r in cut.into_iter().rev() {
        out.replace_range(r, "");
    }
    out
}

/// The whole line holding byte `at`, its line end included.
fn line_of(text: &str, at: usize) -> Range<usize> {
    let start = text[..at].rfind('\n').map_or(0, |i| i + 1);
    let end = text[at..].find('\n').map_or(text.len(), |i| at + i + 1);
    start..end
}

fn r(range: rowan::TextRange) -> Range<usize> {
    usize::from(range.start())..usize::from(range.end())
}

fn splice(text: &str, range: Range<usize>, with: &str) -> String {
    let mut out = String::with_capacity(text.len() + with.len());
    out.push_str(&text[..range.start]);
    out.push_str(with);
    out.push_str(&text[range.end..]);
    out
}

// --- sites ----------------------------------------------------------------------------------

/// An argument of an attribute.
#[derive(Debug, Clone)]
struct ArgSite {
    range: Range<usize>,
    name: Option<String>,
    /// The value: range, and the ranges of its items when it is an array.
    value: Option<Range<usize>>,
    items: Option<Vec<Range<usize>>>,
    /// Items (or the single value) that are plain names: `a` of `[a, b(sort: Desc)]`.
    const_items: Vec<Range<usize>>,
}

/// A field or block attribute.
#[derive(Debug, Clone)]
struct AttrSite {
    block: bool,
    name: String,
    range: Range<usize>,
    /// `( ... )` including the parentheses.
    args_range: Option<Range<usize>>,
    args: Vec<ArgSite>,
}

#[derive(Debug, Clone)]
struct FieldSite {
    range: Range<usize>,
    type_range: Range<usize>,
    type_name: String,
    list: bool,
    optional: bool,
    attrs: Vec<AttrSite>,
    /// The owner is a model or view (not a composite type).
    in_model: bool,
}

#[derive(Debug, Clone)]
struct BlockSite {
    range: Range<usize>,
    keyword: String,
    r_brace: Option<Range<usize>>,
    fields: Vec<FieldSite>,
    attrs: Vec<AttrSite>,
}

struct Sites {
    blocks: Vec<BlockSite>,
}

impl Sites {
    fn fields(&self) -> impl Iterator<Item = &FieldSite> {
        self.blocks.iter().flat_map(|b| b.fields.iter())
    }
    fn attrs(&self) -> impl Iterator<Item = &AttrSite> {
        self.blocks
            .iter()
            .flat_map(|b| b.attrs.iter().chain(b.fields.iter().flat_map(|f| &f.attrs)))
    }
}

fn arg_site(a: &ast::Arg) -> ArgSite {
    let value = a.value();
    let items = value.as_ref().and_then(|v| match v {
        Expr::Array(arr) => Some(arr.items().map(|i| r(i.range())).collect()),
        _ => None,
    });
    let const_items = match &value {
        Some(Expr::Array(arr)) => arr
            .items()
            .filter(|i| matches!(i, Expr::Const(_)))
            .map(|i| r(i.range()))
            .collect(),
        Some(v @ Expr::Const(_)) => vec![r(v.range())],
        _ => Vec::new(),
    };
    ArgSite {
        range: r(a.range()),
        name: a.name().map(|n| n.text().to_string()),
        value: value.map(|v| r(v.range())),
        items,
        const_items,
    }
}

fn attr_site(
    block: bool,
    name: &str,
    range: rowan::TextRange,
    list: Option<ast::ArgList>,
) -> AttrSite {
    AttrSite {
        block,
        name: name.to_string(),
        range: r(range),
        args_range: list.map(|l| r(l.range())),
        args: list
            .iter()
            .flat_map(|l| l.args())
            .map(|a| arg_site(&a))
            .collect(),
    }
}

fn field_site(f: &ast::Field, in_model: bool) -> Option<FieldSite> {
    let ty = f.field_type()?;
    Some(FieldSite {
        range: r(f.range()),
        type_range: r(ty.range()),
        type_name: ty.name().map(|t| t.text().to_string()).unwrap_or_default(),
        list: ty.is_list(),
        optional: ty.is_optional(),
        attrs: f
            .attributes()
            .map(|a| attr_site(false, a.name(), a.range(), a.arg_list()))
            .collect(),
        in_model,
    })
}

fn sites(text: &str) -> Sites {
    let p = parse(text);
    let mut blocks = Vec::new();
    for item in p.tree().items() {
        let keyword;
        let (fields, attrs, body) = match &item {
            Item::Model(m) => {
                keyword = if m.is_view() { "view" } else { "model" };
                (
                    m.fields().filter_map(|f| field_site(&f, true)).collect(),
                    m.block_attributes()
                        .map(|a| attr_site(true, a.name(), a.range(), a.arg_list()))
                        .collect(),
                    m.body(),
                )
            }
            Item::CompositeType(c) => {
                keyword = "type";
                (
                    c.fields().filter_map(|f| field_site(&f, false)).collect(),
                    Vec::new(),
                    c.body(),
                )
            }
            Item::Enum(e) => {
                keyword = "enum";
                let mut attrs: Vec<AttrSite> = e
                    .block_attributes()
                    .map(|a| attr_site(true, a.name(), a.range(), a.arg_list()))
                    .collect();
                for v in e.values() {
                    attrs.extend(
                        v.attributes()
                            .map(|a| attr_site(false, a.name(), a.range(), a.arg_list())),
                    );
                }
                (Vec::new(), attrs, e.body())
            }
            Item::Datasource(d) => {
                keyword = "datasource";
                (Vec::new(), Vec::new(), d.body())
            }
            Item::Generator(g) => {
                keyword = "generator";
                (Vec::new(), Vec::new(), g.body())
            }
        };
        blocks.push(BlockSite {
            range: r(item.range()),
            keyword: keyword.to_string(),
            r_brace: body.and_then(|b| b.r_brace()).map(|t| r(t.text_range())),
            fields,
            attrs,
        });
    }
    Sites { blocks }
}

/// Attributes whose first positional argument (or `fields:`) is a field list.
fn is_index_attr(a: &AttrSite) -> bool {
    a.block && matches!(a.name.as_str(), "id" | "unique" | "index" | "fulltext")
}

/// The argument holding a field list: `fields:` of an index or of `@relation`, `references:`,
/// or the first positional argument of an index.
fn list_args(a: &AttrSite) -> Vec<&ArgSite> {
    if is_index_attr(a) {
        a.args
            .iter()
            .enumerate()
            .filter(|(i, x)| x.name.as_deref() == Some("fields") || (*i == 0 && x.name.is_none()))
            .map(|(_, x)| x)
            .collect()
    } else if !a.block && a.name == "relation" {
        a.args
            .iter()
            .filter(|x| matches!(x.name.as_deref(), Some("fields" | "references")))
            .collect()
    } else {
        Vec::new()
    }
}

// --- mutations ------------------------------------------------------------------------------

/// Whether a mutation keeps a valid schema valid (usually: some forms depend on the provider or
/// the field), or is meant to break it.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Intent {
    Form,
    Trivia,
    Break,
}

type MutFn = fn(&mut Rng, &SchemaFacts, &str) -> Option<String>;

/// Every mutation: name, intent, weight, function.
pub const MUTATIONS: &[(&str, Intent, u32, MutFn)] = &[
    ("list-unbracket", Intent::Form, 6, list_unbracket),
    ("list-bracket", Intent::Form, 4, list_bracket),
    ("list-unbracket-many", Intent::Break, 1, list_unbracket_many),
    ("positional-to-named", Intent::Form, 5, positional_to_named),
    ("named-to-positional", Intent::Form, 4, named_to_positional),
    ("move-arg", Intent::Form, 5, move_arg),
    ("add-map-arg", Intent::Form, 4, add_map_arg),
    ("index-field-args", Intent::Form, 5, index_field_args),
    ("index-args", Intent::Form, 4, index_args),
    ("id-unique-args", Intent::Form, 3, id_unique_args),
    ("default-form", Intent::Form, 6, default_form),
    ("native-type", Intent::Form, 6, native_type),
    ("eol-comment", Intent::Trivia, 4, eol_comment),
    ("doc-comment", Intent::Trivia, 4, doc_comment),
    ("comment-line", Intent::Trivia, 3, comment_line),
    ("block-comment", Intent::Trivia, 3, block_comment),
    ("comment-in-args", Intent::Trivia, 2, comment_in_args),
    ("blank-lines", Intent::Trivia, 3, blank_lines),
    ("tabs", Intent::Trivia, 3, tabs),
    ("spaces", Intent::Trivia, 4, spaces),
    ("crlf", Intent::Trivia, 3, crlf),
    ("trailing-ws", Intent::Trivia, 2, trailing_ws),
    ("unicode-space", Intent::Trivia, 1, unicode_space),
    ("drop-brace", Intent::Break, 2, drop_brace),
    ("unknown-attr", Intent::Break, 2, unknown_attr),
    ("dup-field", Intent::Break, 2, dup_field),
    ("wrong-type", Intent::Break, 2, wrong_type),
    ("type-modifier", Intent::Break, 2, type_modifier),
    ("dup-attr", Intent::Break, 1, dup_attr),
    ("drop-line", Intent::Break, 2, drop_line),
    ("byte-edit", Intent::Break, 2, byte_edit),
];

/// The index in [`MUTATIONS`] of a weighted random mutation.
pub fn pick_mutation(rng: &mut Rng) -> usize {
    let total: u32 = MUTATIONS.iter().map(|m| m.2).sum();
    let mut x = rng.below(total as usize) as u32;
    for (i, m) in MUTATIONS.iter().enumerate() {
        if x < m.2 {
            return i;
        }
        x -= m.2;
    }
    0
}

/// `[a]` → `a` where a field list is expected.
fn list_unbracket(rng: &mut Rng, _: &SchemaFacts, text: &str) -> Option<String> {
    let s = sites(text);
    let cands: Vec<(Range<usize>, Range<usize>)> = s
        .attrs()
        .flat_map(list_args)
        .filter_map(|a| match &a.items {
            Some(items) if items.len() == 1 => Some((a.value.clone()?, items[0].clone())),
            _ => None,
        })
        .collect();
    let (outer, inner) = rng.pick(&cands)?.clone();
    Some(splice(text, outer, &text[inner]))
}

/// `a` → `[a]` where a field list is expected.
fn list_bracket(rng: &mut Rng, _: &SchemaFacts, text: &str) -> Option<String> {
    let s = sites(text);
    let cands: Vec<Range<usize>> = s
        .attrs()
        .flat_map(list_args)
        .filter(|a| a.items.is_none())
        .filter_map(|a| a.value.clone())
        .collect();
    let v = rng.pick(&cands)?.clone();
    let with = format!("[{}]", &text[v.clone()]);
    Some(splice(text, v, &with))
}

/// `[a, b]` → `a, b`: extra positional arguments.
fn list_unbracket_many(rng: &mut Rng, _: &SchemaFacts, text: &str) -> Option<String> {
    let s = sites(text);
    let cands: Vec<(Range<usize>, Range<usize>)> = s
        .attrs()
        .flat_map(list_args)
        .filter_map(|a| match &a.items {
            Some(items) if items.len() >= 2 => {
                Some((a.value.clone()?, items[0].start..items[items.len() - 1].end))
            }
            _ => None,
        })
        .collect();
    let (outer, inner) = rng.pick(&cands)?.clone();
    Some(splice(text, outer, &text[inner]))
}

/// The name a positional first argument gets when written as a named one.
fn positional_name(a: &AttrSite) -> Option<&'static str> {
    Some(match (a.block, a.name.as_str()) {
        (true, "id" | "unique" | "index" | "fulltext") => "fields",
        (_, "map" | "schema") | (false, "relation") => "name",
        (false, "default") => "value",
        _ => return None,
    })
}

/// `@@index([a])` → `@@index(fields: [a])`, `@map("x")` → `@map(name: "x")`,
/// `@default(1)` → `@default(value: 1)`, `@relation("R")` → `@relation(name: "R")`.
fn positional_to_named(rng: &mut Rng, _: &SchemaFacts, text: &str) -> Option<String> {
    let s = sites(text);
    let cands: Vec<(usize, &'static str)> = s
        .attrs()
        .filter_map(|a| {
            let first = a.args.first()?;
            if first.name.is_some() {
                return None;
            }
            Some((first.range.start, positional_name(a)?))
        })
        .collect();
    let (at, name) = *rng.pick(&cands)?;
    let sep = if rng.chance(1, 4) { ":" } else { ": " };
    Some(splice(text, at..at, &format!("{name}{sep}")))
}

/// The reverse: drop the name of `fields:`, `name:` or `value:` (wherever the argument is).
fn named_to_positional(rng: &mut Rng, _: &SchemaFacts, text: &str) -> Option<String> {
    let s = sites(text);
    let cands: Vec<(usize, usize)> = s
        .attrs()
        .flat_map(|a| {
            let want = positional_name(a);
            a.args.iter().filter_map(move |x| {
                let n = x.name.as_deref()?;
                (Some(n) == want).then_some((x.range.start, x.value.as_ref()?.start))
            })
        })
        .collect();
    let (start, value) = *rng.pick(&cands)?;
    Some(splice(text, start..value, ""))
}

/// Move one argument of a list with at least two to the front or the back (`map:` first or
/// last).
fn move_arg(rng: &mut Rng, _: &SchemaFacts, text: &str) -> Option<String> {
    let s = sites(text);
    let cands: Vec<&AttrSite> = s.attrs().filter(|a| a.args.len() >= 2).collect();
    let a = *rng.pick(&cands)?;
    // Prefer a named argument (`map:` above all).
    let named: Vec<usize> = (0..a.args.len())
        .filter(|&i| a.args[i].name.is_some())
        .collect();
    let maps: Vec<usize> = (0..a.args.len())
        .filter(|&i| a.args[i].name.as_deref() == Some("map"))
        .collect();
    let i = if !maps.is_empty() && rng.chance(1, 2) {
        maps[0]
    } else if !named.is_empty() && rng.chance(3, 4) {
        *rng.pick(&named)?
    } else {
        rng.below(a.args.len())
    };
    let mut parts: Vec<&str> = a.args.iter().map(|x| &text[x.range.clone()]).collect();
    let moved = parts.remove(i);
    if rng.chance(1, 2) {
        parts.insert(0, moved);
    } else {
        parts.push(moved);
    }
    let span = a.args[0].range.start..a.args[a.args.len() - 1].range.end;
    Some(splice(text, span, &parts.join(", ")))
}

/// Insert `arg` into the argument list of `a` (at the front, after the first positional
/// argument or at the end), creating the list if needed.
fn insert_arg(rng: &mut Rng, text: &str, a: &AttrSite, arg: &str) -> String {
    match &a.args_range {
        None => splice(text, a.range.end..a.range.end, &format!("({arg})")),
        Some(_) if a.args.is_empty() => {
            let close = a.range.end - 1;
            splice(text, close..close, arg)
        }
        Some(_) => {
            let at = rng.below(3);
            if at == 0 {
                let p = a.args[0].range.start;
                splice(text, p..p, &format!("{arg}, "))
            } else if at == 1 || a.args.len() == 1 {
                let p = a.args[0].range.end;
                splice(text, p..p, &format!(", {arg}"))
            } else {
                let p = a.args[a.args.len() - 1].range.end;
                splice(text, p..p, &format!(", {arg}"))
            }
        }
    }
}

fn fresh_name(rng: &mut Rng, prefix: &str) -> String {
    format!("{prefix}_{}", rng.below(10_000))
}

/// `map: "..."` on `@id`, `@unique`, `@default`, `@relation`, `@@id`, `@@unique`, `@@index`.
fn add_map_arg(rng: &mut Rng, _: &SchemaFacts, text: &str) -> Option<String> {
    let s = sites(text);
    let cands: Vec<&AttrSite> = s
        .attrs()
        .filter(|a| {
            matches!(
                (a.block, a.name.as_str()),
                (false, "id" | "unique" | "default" | "relation")
                    | (true, "id" | "unique" | "index")
            ) && !a.args.iter().any(|x| x.name.as_deref() == Some("map"))
        })
        .collect();
    let a = *rng.pick(&cands)?;
    let arg = format!("map: \"{}\"", fresh_name(rng, "m"));
    Some(insert_arg(rng, text, a, &arg))
}

/// Arguments of one index field: `a(sort: Desc)`, `a(length: 10)`, `a(ops: ...)`.
fn column_args(rng: &mut Rng, p: Provider) -> Option<String> {
    let sorts = ["sort: Asc", "sort: Desc"];
    let ops = [
        "ops: JsonbPathOps",
        "ops: JsonbOps",
        "ops: TextOps",
        "ops: raw(\"gin_trgm_ops\")",
        "ops: Int4MinMaxOps",
        "ops: InetOps",
    ];
    let mut args = Vec::new();
    // Operator classes only on PostgreSQL, where they are checked against the index type.
    let want = match p {
        Provider::MySql => ["sort", "length", "length", "sort"][rng.below(4)],
        Provider::Postgres => ["sort", "ops", "sort", "length"][rng.below(4)],
        _ => ["sort", "sort", "length", "sort"][rng.below(4)],
    };
    match want {
        "sort" => args.push(rng.pick(&sorts)?.to_string()),
        "length" => args.push(format!("length: {}", 1 + rng.below(200))),
        _ => args.push(rng.pick(&ops)?.to_string()),
    }
    if rng.chance(1, 4) {
        args.push(rng.pick(&sorts)?.to_string());
    }
    Some(args.join(", "))
}

/// `[a, b]` → `[a(sort: Desc), b]` in `@@id`, `@@unique`, `@@index`, `@@fulltext`.
fn index_field_args(rng: &mut Rng, facts: &SchemaFacts, text: &str) -> Option<String> {
    let s = sites(text);
    let cands: Vec<Range<usize>> = s
        .attrs()
        .filter(|a| is_index_attr(a))
        .flat_map(list_args)
        .flat_map(|a| a.const_items.iter().cloned())
        .collect();
    let item = rng.pick(&cands)?.clone();
    let args = column_args(rng, facts.provider)?;
    Some(splice(text, item.end..item.end, &format!("({args})")))
}

/// `type:`, `clustered:` and `name:` on block indexes.
fn index_args(rng: &mut Rng, facts: &SchemaFacts, text: &str) -> Option<String> {
    let s = sites(text);
    let cands: Vec<&AttrSite> = s.attrs().filter(|a| is_index_attr(a)).collect();
    let a = *rng.pick(&cands)?;
    // PostgreSQL's other index types depend on the field types (operator classes): left out.
    let types = match facts.provider {
        Provider::Postgres | Provider::Cockroach => &["BTree", "Hash"][..],
        _ => &["BTree", "Hash", "Gin", "Gist"][..],
    };
    let arg = match rng.below(5) {
        0 | 1 if a.name == "index" => format!("type: {}", rng.pick(types)?),
        0 => format!("type: {}", rng.pick(types)?),
        2 => format!("clustered: {}", rng.pick(&["true", "false"])?),
        3 if matches!(a.name.as_str(), "id" | "unique") => {
            format!("name: \"{}\"", fresh_name(rng, "n"))
        }
        _ => format!("map: \"{}\"", fresh_name(rng, "ix")),
    };
    if let Some(name) = arg.split(':').next()
        && a.args.iter().any(|x| x.name.as_deref() == Some(name))
    {
        return None;
    }
    Some(insert_arg(rng, text, a, &arg))
}

/// `sort:`, `length:`, `clustered:` on `@id` and `@unique`.
fn id_unique_args(rng: &mut Rng, _: &SchemaFacts, text: &str) -> Option<String> {
    let s = sites(text);
    let cands: Vec<&AttrSite> = s
        .attrs()
        .filter(|a| !a.block && matches!(a.name.as_str(), "id" | "unique"))
        .collect();
    let a = *rng.pick(&cands)?;
    let arg = match rng.below(4) {
        0 => format!("sort: {}", rng.pick(&["Asc", "Desc"])?),
        1 => format!("length: {}", 1 + rng.below(100)),
        2 => format!("clustered: {}", rng.pick(&["true", "false"])?),
        _ => format!("map: \"{}\"", fresh_name(rng, "k")),
    };
    if let Some(name) = arg.split(':').next()
        && a.args.iter().any(|x| x.name.as_deref() == Some(name))
    {
        return None;
    }
    Some(insert_arg(rng, text, a, &arg))
}

/// `@default` value forms per field type.
fn default_values(ty: &str, p: Provider) -> &'static [&'static str] {
    match ty {
        "Int" | "BigInt" => {
            if p == Provider::Cockroach {
                &[
                    "autoincrement()",
                    "0",
                    "-5",
                    "42",
                    "dbgenerated(\"1\")",
                    "sequence()",
                    "sequence(start: 3)",
                ]
            } else {
                &[
                    "autoincrement()",
                    "0",
                    "-5",
                    "42",
                    "dbgenerated(\"1\")",
                    "dbgenerated()",
                ]
            }
        }
        "String" => {
            if p == Provider::Mongo {
                &[
                    "auto()",
                    "uuid()",
                    "cuid()",
                    "\"x\"",
                    "\"\"",
                    "nanoid(8)",
                    "ulid()",
                ]
            } else {
                &[
                    "uuid()",
                    "uuid(4)",
                    "uuid(7)",
                    "cuid()",
                    "cuid(2)",
                    "cuid(1)",
                    "nanoid()",
                    "nanoid(16)",
                    "ulid()",
                    "\"text\"",
                    "\"\"",
                    "\"a \\\"quoted\\\" \\u00e9\"",
                    "dbgenerated(\"gen_random_uuid()\")",
                ]
            }
        }
        "DateTime" => &[
            "now()",
            "\"2020-01-01T00:00:00Z\"",
            "dbgenerated(\"now()\")",
        ],
        "Boolean" => &["true", "false"],
        "Float" => &["1.5", "0", "-2.25", "3"],
        "Decimal" => &["1.5", "0", "\"12.30\""],
        "Json" => &["\"{}\"", "\"[]\"", "\"{\\\"a\\\": 1}\""],
        "Bytes" => &["\"\"", "\"AAEC\""],
        _ => &[],
    }
}

const ALL_DEFAULT_FORMS: &[&str] = &[
    "autoincrement()",
    "now()",
    "uuid()",
    "uuid(4)",
    "uuid(7)",
    "uuid(9)",
    "cuid(2)",
    "cuid(3)",
    "nanoid()",
    "nanoid(4)",
    "ulid()",
    "auto()",
    "dbgenerated()",
    "dbgenerated(\"x\")",
    "\"s\"",
    "1",
    "1.5",
    "true",
    "[]",
    "[1, 2]",
    "[\"a\"]",
    "foo()",
    "Unknown",
];

/// Add a `@default` of some form to a scalar or enum field (replacing one that is there).
fn default_form(rng: &mut Rng, facts: &SchemaFacts, text: &str) -> Option<String> {
    let s = sites(text);
    let cands: Vec<&FieldSite> = s
        .fields()
        .filter(|f| {
            !f.type_name.is_empty()
                && (!default_values(&f.type_name, facts.provider).is_empty()
                    || facts.enum_values.iter().any(|(n, _)| *n == f.type_name))
        })
        .collect();
    let f = *rng.pick(&cands)?;
    let enum_values = facts
        .enum_values
        .iter()
        .find(|(n, _)| *n == f.type_name)
        .map(|(_, v)| v.as_slice());
    let value = if rng.chance(1, 5) {
        rng.pick(ALL_DEFAULT_FORMS)?.to_string()
    } else if let Some(values) = enum_values {
        match rng.pick(values) {
            Some(v) if rng.chance(5, 6) => v.clone(),
            _ => "NOT_A_VALUE".to_string(),
        }
    } else {
        rng.pick(default_values(&f.type_name, facts.provider))?
            .to_string()
    };
    let value = if f.list && rng.chance(2, 3) {
        if value.ends_with(')') {
            "[]".to_string()
        } else {
            format!("[{value}]")
        }
    } else {
        value
    };
    let attr = match rng.below(6) {
        0 => format!("@default({value}, map: \"{}\")", fresh_name(rng, "df")),
        1 => format!("@default(value: {value})"),
        _ => format!("@default({value})"),
    };
    let existing = f.attrs.iter().find(|a| a.name == "default");
    Some(match existing {
        Some(a) => splice(text, a.range.clone(), &attr),
        None => splice(text, f.range.end..f.range.end, &format!(" {attr}")),
    })
}

/// Native types per provider: name, scalar types, argument forms that Prisma accepts.
type NativeSpec = (
    &'static str,
    &'static [&'static str],
    &'static [&'static str],
);

const PG_NATIVE: &[NativeSpec] = &[
    ("Text", &["String"], &[""]),
    ("VarChar", &["String"], &["", "(255)"]),
    ("Char", &["String"], &["", "(10)"]),
    ("Uuid", &["String"], &[""]),
    ("Citext", &["String"], &[""]),
    ("Inet", &["String"], &[""]),
    ("Xml", &["String"], &[""]),
    ("Bit", &["String"], &["", "(8)"]),
    ("VarBit", &["String"], &["", "(8)"]),
    ("Boolean", &["Boolean"], &[""]),
    ("Integer", &["Int"], &[""]),
    ("SmallInt", &["Int"], &[""]),
    ("Oid", &["Int"], &[""]),
    ("BigInt", &["BigInt"], &[""]),
    ("DoublePrecision", &["Float"], &[""]),
    ("Real", &["Float"], &[""]),
    ("Decimal", &["Decimal"], &["", "(10, 2)"]),
    ("Money", &["Decimal"], &[""]),
    ("Timestamp", &["DateTime"], &["", "(3)", "(6)"]),
    ("Timestamptz", &["DateTime"], &["", "(3)"]),
    ("Date", &["DateTime"], &[""]),
    ("Time", &["DateTime"], &["", "(0)"]),
    ("Timetz", &["DateTime"], &["", "(2)"]),
    ("Json", &["Json"], &[""]),
    ("JsonB", &["Json"], &[""]),
    ("ByteA", &["Bytes"], &[""]),
];

const MYSQL_NATIVE: &[NativeSpec] = &[
    ("VarChar", &["String"], &["(191)"]),
    ("Char", &["String"], &["(10)"]),
    ("Text", &["String"], &[""]),
    ("TinyText", &["String"], &[""]),
    ("MediumText", &["String"], &[""]),
    ("LongText", &["String"], &[""]),
    ("TinyInt", &["Int", "Boolean"], &[""]),
    ("Int", &["Int"], &[""]),
    ("UnsignedInt", &["Int"], &[""]),
    ("SmallInt", &["Int"], &[""]),
    ("MediumInt", &["Int"], &[""]),
    ("Year", &["Int"], &[""]),
    ("BigInt", &["BigInt"], &[""]),
    ("UnsignedBigInt", &["BigInt"], &[""]),
    ("Float", &["Float"], &[""]),
    ("Double", &["Float"], &[""]),
    ("Decimal", &["Decimal"], &["", "(10, 2)"]),
    ("DateTime", &["DateTime"], &["", "(3)"]),
    ("Timestamp", &["DateTime"], &["", "(0)"]),
    ("Date", &["DateTime"], &[""]),
    ("Time", &["DateTime"], &["", "(0)"]),
    ("Json", &["Json"], &[""]),
    ("Bit", &["Boolean", "Bytes"], &["(1)"]),
    ("Binary", &["Bytes"], &["(16)"]),
    ("VarBinary", &["Bytes"], &["(16)"]),
    ("Blob", &["Bytes"], &[""]),
    ("LongBlob", &["Bytes"], &[""]),
];

const SQLSERVER_NATIVE: &[NativeSpec] = &[
    ("NVarChar", &["String"], &["", "(100)", "(Max)"]),
    ("VarChar", &["String"], &["", "(100)", "(Max)"]),
    ("Char", &["String"], &["", "(10)"]),
    ("NChar", &["String"], &["", "(10)"]),
    ("Text", &["String"], &[""]),
    ("NText", &["String"], &[""]),
    ("Xml", &["String"], &[""]),
    ("UniqueIdentifier", &["String"], &[""]),
    ("Bit", &["Boolean", "Int"], &[""]),
    ("TinyInt", &["Int"], &[""]),
    ("SmallInt", &["Int"], &[""]),
    ("Int", &["Int"], &[""]),
    ("BigInt", &["BigInt"], &[""]),
    ("Float", &["Float"], &["", "(53)"]),
    ("Real", &["Float"], &[""]),
    ("Decimal", &["Decimal"], &["", "(10, 2)"]),
    ("Money", &["Decimal", "Float"], &[""]),
    ("Date", &["DateTime"], &[""]),
    ("DateTime", &["DateTime"], &[""]),
    ("DateTime2", &["DateTime"], &[""]),
    ("DateTimeOffset", &["DateTime"], &[""]),
    ("VarBinary", &["Bytes"], &["", "(Max)", "(16)"]),
    ("Image", &["Bytes"], &[""]),
];

const COCKROACH_NATIVE: &[NativeSpec] = &[
    ("String", &["String"], &["", "(100)"]),
    ("Char", &["String"], &["", "(10)"]),
    ("Uuid", &["String"], &[""]),
    ("Inet", &["String"], &[""]),
    ("Bool", &["Boolean"], &[""]),
    ("Int2", &["Int"], &[""]),
    ("Int4", &["Int"], &[""]),
    ("Int8", &["BigInt"], &[""]),
    ("Float4", &["Float"], &[""]),
    ("Float8", &["Float"], &[""]),
    ("Decimal", &["Decimal"], &["", "(10, 2)"]),
    ("Timestamp", &["DateTime"], &["", "(3)"]),
    ("Timestamptz", &["DateTime"], &["", "(3)"]),
    ("Date", &["DateTime"], &[""]),
    ("JsonB", &["Json"], &[""]),
    ("Bytes", &["Bytes"], &[""]),
];

const MONGO_NATIVE: &[NativeSpec] = &[
    ("String", &["String"], &[""]),
    ("ObjectId", &["String"], &[""]),
    ("Int", &["Int"], &[""]),
    ("Long", &["Int", "BigInt"], &[""]),
    ("Double", &["Float"], &[""]),
    ("Bool", &["Boolean"], &[""]),
    ("Date", &["DateTime"], &[""]),
    ("Timestamp", &["DateTime"], &[""]),
    ("BinData", &["Bytes"], &[""]),
    ("Json", &["Json"], &[""]),
];

fn native_table(p: Provider) -> &'static [NativeSpec] {
    match p {
        Provider::Postgres | Provider::Unknown => PG_NATIVE,
        Provider::MySql => MYSQL_NATIVE,
        Provider::SqlServer => SQLSERVER_NATIVE,
        Provider::Cockroach => COCKROACH_NATIVE,
        Provider::Mongo => MONGO_NATIVE,
        // SQLite has no native types: any `@db.X` is an error, which is worth generating too.
        Provider::Sqlite => PG_NATIVE,
    }
}

/// Add (or replace) a `@db.X` attribute with or without parentheses and arguments.
fn native_type(rng: &mut Rng, facts: &SchemaFacts, text: &str) -> Option<String> {
    let s = sites(text);
    let table = native_table(facts.provider);
    let cands: Vec<&FieldSite> = s
        .fields()
        .filter(|f| !default_values(&f.type_name, Provider::Postgres).is_empty())
        .collect();
    let f = *rng.pick(&cands)?;
    let fitting: Vec<&NativeSpec> = table
        .iter()
        .filter(|(_, scalars, _)| scalars.contains(&f.type_name.as_str()))
        .collect();
    let spec = if !fitting.is_empty() && rng.chance(4, 5) {
        *rng.pick(&fitting)?
    } else {
        rng.pick(table)?
    };
    let args = match rng.below(10) {
        0 => "()".to_string(),
        1 => ["(1, 2, 3)", "(x)", "(\"a\")", "(10)", "(-1)"][rng.below(5)].to_string(),
        _ => rng.pick(spec.2)?.to_string(),
    };
    let attr = format!("@{}.{}{}", facts.ds_name, spec.0, args);
    let ds_prefix = format!("{}.", facts.ds_name);
    let existing = f.attrs.iter().find(|a| a.name.starts_with(&ds_prefix));
    Some(match existing {
        Some(a) => splice(text, a.range.clone(), &attr),
        None => splice(text, f.range.end..f.range.end, &format!(" {attr}")),
    })
}

// --- trivia ---------------------------------------------------------------------------------

/// Byte ranges of the lines (without their line end).
fn lines(text: &str) -> Vec<Range<usize>> {
    let mut out = Vec::new();
    let mut start = 0;
    for (i, b) in text.bytes().enumerate() {
        if b == b'\n' {
            let end = if i > start && text.as_bytes()[i - 1] == b'\r' {
                i - 1
            } else {
                i
            };
            out.push(start..end);
            start = i + 1;
        }
    }
    if start < text.len() {
        out.push(start..text.len());
    }
    out
}

fn nonblank_lines(text: &str) -> Vec<Range<usize>> {
    lines(text)
        .into_iter()
        .filter(|l| !text[l.clone()].trim().is_empty())
        .collect()
}

fn indent_of(line: &str) -> &str {
    &line[..line.len() - line.trim_start().len()]
}

/// The line end the text uses.
fn eol(text: &str) -> &'static str {
    if text.contains("\r\n") { "\r\n" } else { "\n" }
}

/// `// c` (or `///`) at the end of a line: after values, after `{`, after attributes.
fn eol_comment(rng: &mut Rng, _: &SchemaFacts, text: &str) -> Option<String> {
    let ls = nonblank_lines(text);
    let l = rng.pick(&ls)?.clone();
    let c = [
        "  // c",
        "// c",
        "\t// note: x",
        " /// doc after a value",
        " //",
        " // {}",
    ][rng.below(6)];
    Some(splice(text, l.end..l.end, c))
}

/// A `///` doc comment line before some line (fields, attributes, blocks, `}`).
fn doc_comment(rng: &mut Rng, _: &SchemaFacts, text: &str) -> Option<String> {
    let ls = nonblank_lines(text);
    let l = rng.pick(&ls)?.clone();
    let indent = indent_of(&text[l.clone()]).to_string();
    let c = [
        "/// doc",
        "///",
        "/// doc with `code` and \"quotes\"",
        "////",
    ][rng.below(4)];
    Some(splice(
        text,
        l.start..l.start,
        &format!("{indent}{c}{}", eol(text)),
    ))
}

/// A `// c` line.
fn comment_line(rng: &mut Rng, _: &SchemaFacts, text: &str) -> Option<String> {
    let ls = lines(text);
    let l = rng.pick(&ls)?.clone();
    let indent = if rng.chance(1, 2) {
        indent_of(&text[l.clone()]).to_string()
    } else {
        String::new()
    };
    let c = ["// c", "//", "// model X {", "//\t@@id"][rng.below(4)];
    Some(splice(
        text,
        l.start..l.start,
        &format!("{indent}{c}{}", eol(text)),
    ))
}

/// `/* */` on its own line, over several lines, before an item, at the end of a line, or
/// between the tokens of one item.
fn block_comment(rng: &mut Rng, _: &SchemaFacts, text: &str) -> Option<String> {
    let ls = nonblank_lines(text);
    let l = rng.pick(&ls)?.clone();
    let nl = eol(text);
    match rng.below(5) {
        0 => Some(splice(text, l.start..l.start, &format!("/* c */{nl}"))),
        1 => Some(splice(
            text,
            l.start..l.start,
            &format!("/*{nl} * several{nl} * lines */{nl}"),
        )),
        2 => {
            let at = l.start + indent_of(&text[l.clone()]).len();
            Some(splice(text, at..at, "/* before */ "))
        }
        3 => Some(splice(text, l.end..l.end, " /* after */")),
        _ => {
            let at = token_boundary(rng, text)?;
            Some(splice(text, at..at, " /* inside */ "))
        }
    }
}

/// Comments inside an argument list: `/* */` after an argument, or a `//` comment (and so a
/// line break) inside it.
fn comment_in_args(rng: &mut Rng, _: &SchemaFacts, text: &str) -> Option<String> {
    let s = sites(text);
    let cands: Vec<&AttrSite> = s.attrs().filter(|a| !a.args.is_empty()).collect();
    let a = *rng.pick(&cands)?;
    let arg = rng.pick(&a.args)?;
    let c = match rng.below(3) {
        0 => " /* c */".to_string(),
        1 => format!(" // c{}", eol(text)),
        _ => format!(" /// d{}", eol(text)),
    };
    Some(splice(text, arg.range.end..arg.range.end, &c))
}

/// Blank or whitespace-only lines.
fn blank_lines(rng: &mut Rng, _: &SchemaFacts, text: &str) -> Option<String> {
    let ls = lines(text);
    let l = rng.pick(&ls)?.clone();
    let nl = eol(text);
    let b = ["", " ", "\t", "  \t "][rng.below(4)];
    let n = 1 + rng.below(3);
    Some(splice(
        text,
        l.start..l.start,
        &format!("{b}{nl}").repeat(n),
    ))
}

/// Offsets between two adjacent tokens of one line (neither whitespace nor a line end).
fn token_boundaries(text: &str) -> Vec<usize> {
    use prisma_audit_psl::syntax::SyntaxKind as K;
    let mut out = Vec::new();
    let mut at = 0usize;
    let mut prev: Option<K> = None;
    for t in prisma_audit_psl::syntax::lex(text) {
        let trivia = matches!(
            t.kind,
            K::WHITESPACE | K::NEWLINE | K::LINE_COMMENT | K::DOC_COMMENT
        );
        if !trivia && prev.is_some_and(|p| !matches!(p, K::WHITESPACE | K::NEWLINE)) {
            out.push(at);
        }
        prev = Some(t.kind);
        at += t.len as usize;
    }
    out
}

fn token_boundary(rng: &mut Rng, text: &str) -> Option<usize> {
    rng.pick(&token_boundaries(text)).copied()
}

/// Offsets and lengths of the whitespace runs inside lines.
fn whitespace_runs(text: &str) -> Vec<Range<usize>> {
    use prisma_audit_psl::syntax::SyntaxKind as K;
    let mut out = Vec::new();
    let mut at = 0usize;
    for t in prisma_audit_psl::syntax::lex(text) {
        if t.kind == K::WHITESPACE {
            out.push(at..at + t.len as usize);
        }
        at += t.len as usize;
    }
    out
}

/// Tabs for spaces: indentation or the gaps between tokens.
fn tabs(rng: &mut Rng, _: &SchemaFacts, text: &str) -> Option<String> {
    let runs = whitespace_runs(text);
    let mut out = text.to_string();
    // Several runs at once (back to front so earlier offsets stay valid).
    let mut picked: Vec<Range<usize>> = (0..1 + rng.below(6))
        .filter_map(|_| rng.pick(&runs).cloned())
        .collect();
    picked.sort_by_key(|r| r.start);
    picked.dedup();
    if picked.is_empty() {
        return None;
    }
    for run in picked.into_iter().rev() {
        let with = ["\t", "\t\t", " \t", "\t "][rng.below(4)];
        out.replace_range(run, with);
    }
    Some(out)
}

/// A space between two adjacent tokens (`@@index( [a] )`, `a , b`, `name :`, `Int ?`,
/// `@ id`), or a wider gap.
fn spaces(rng: &mut Rng, _: &SchemaFacts, text: &str) -> Option<String> {
    if rng.chance(1, 3) {
        let runs = whitespace_runs(text);
        let run = rng.pick(&runs)?.clone();
        return Some(splice(text, run.end..run.end, "   "));
    }
    let at = token_boundary(rng, text)?;
    Some(splice(text, at..at, " "))
}

/// CRLF line endings: everywhere, on some lines, or one lone CR.
fn crlf(rng: &mut Rng, _: &SchemaFacts, text: &str) -> Option<String> {
    match rng.below(8) {
        0..=4 => {
            if text.contains('\r') {
                return None;
            }
            Some(text.replace('\n', "\r\n"))
        }
        5 | 6 => {
            let ls = lines(text);
            let mut out = text.to_string();
            for l in ls.iter().rev() {
                if l.end < text.len() && !text[..l.end].ends_with('\r') && rng.chance(1, 3) {
                    out.insert(l.end, '\r');
                }
            }
            Some(out)
        }
        _ => {
            let ls = nonblank_lines(text);
            let l = rng.pick(&ls)?.clone();
            if l.end >= text.len() || text[..l.end].ends_with('\r') {
                return None;
            }
            Some(splice(text, l.end..l.end + 1, "\r"))
        }
    }
}

/// Spaces and tabs at line ends.
fn trailing_ws(rng: &mut Rng, _: &SchemaFacts, text: &str) -> Option<String> {
    let ls = lines(text);
    let mut out = text.to_string();
    let mut picked: Vec<usize> = (0..1 + rng.below(4))
        .filter_map(|_| rng.pick(&ls).map(|l| l.end))
        .collect();
    picked.sort_unstable();
    picked.dedup();
    for at in picked.into_iter().rev() {
        out.insert_str(at, [" ", "\t", "  \t", "   "][rng.below(4)]);
    }
    Some(out)
}

/// Unicode space separators for a space.
fn unicode_space(rng: &mut Rng, _: &SchemaFacts, text: &str) -> Option<String> {
    let runs = whitespace_runs(text);
    let run = rng.pick(&runs)?.clone();
    let with = ["\u{a0}", "\u{2003}", "\u{3000}", " \u{a0}", "\u{202f}"][rng.below(5)];
    Some(splice(text, run, with))
}

// --- breaking -------------------------------------------------------------------------------

/// Drop a block's closing `}`.
fn drop_brace(rng: &mut Rng, _: &SchemaFacts, text: &str) -> Option<String> {
    let s = sites(text);
    let cands: Vec<Range<usize>> = s.blocks.iter().filter_map(|b| b.r_brace.clone()).collect();
    let b = rng.pick(&cands)?.clone();
    Some(splice(text, b, ""))
}

/// An unknown attribute: `@foo`, `@@foo`, or a known one misspelt.
fn unknown_attr(rng: &mut Rng, _: &SchemaFacts, text: &str) -> Option<String> {
    let s = sites(text);
    match rng.below(3) {
        0 => {
            let fields: Vec<&FieldSite> = s.fields().collect();
            let f = *rng.pick(&fields)?;
            let a = ["@foo", "@Id", "@index", "@db", "@default", "@unique()"][rng.below(6)];
            Some(splice(text, f.range.end..f.range.end, &format!(" {a}")))
        }
        1 => {
            let blocks: Vec<&BlockSite> = s
                .blocks
                .iter()
                .filter(|b| b.keyword == "model" && b.r_brace.is_some())
                .collect();
            let b = *rng.pick(&blocks)?;
            let at = b.r_brace.clone()?.start;
            let a = [
                "@@foo",
                "@@Index([id])",
                "@@indexes([id])",
                "@@unique",
                "@@map",
            ][rng.below(5)];
            Some(splice(text, at..at, &format!("  {a}{}", eol(text))))
        }
        _ => {
            let attrs: Vec<&AttrSite> = s.attrs().collect();
            let a = *rng.pick(&attrs)?;
            let name_at = a.range.start + if a.block { 2 } else { 1 };
            Some(splice(text, name_at..name_at, "x"))
        }
    }
}

/// Duplicate a field line.
fn dup_field(rng: &mut Rng, _: &SchemaFacts, text: &str) -> Option<String> {
    let s = sites(text);
    let fields: Vec<&FieldSite> = s.fields().collect();
    let f = *rng.pick(&fields)?;
    let line = line_of(text, f.range.start);
    let copy = text[line.clone()].to_string();
    let copy = if copy.ends_with('\n') {
        copy
    } else {
        format!("{copy}{}", eol(text))
    };
    Some(splice(text, line.end..line.end, &copy))
}

/// Another type for a field: a misspelt one, another scalar, a declared model or enum.
fn wrong_type(rng: &mut Rng, facts: &SchemaFacts, text: &str) -> Option<String> {
    let s = sites(text);
    let fields: Vec<&FieldSite> = s.fields().filter(|f| !f.type_name.is_empty()).collect();
    let f = *rng.pick(&fields)?;
    let name_start = f.type_range.start;
    let name_end = name_start + f.type_name.len();
    let scalars = [
        "String", "Int", "BigInt", "Float", "Decimal", "Boolean", "DateTime", "Json", "Bytes",
    ];
    let new = match rng.below(4) {
        0 => format!("{}x", f.type_name),
        1 => rng.pick(&facts.type_names)?.clone(),
        _ => rng.pick(&scalars)?.to_string(),
    };
    if new == f.type_name {
        return None;
    }
    Some(splice(text, name_start..name_end, &new))
}

/// `?`, `[]`, `[]?` added to or removed from a field type.
fn type_modifier(rng: &mut Rng, _: &SchemaFacts, text: &str) -> Option<String> {
    let s = sites(text);
    let fields: Vec<&FieldSite> = s.fields().filter(|f| !f.type_name.is_empty()).collect();
    let f = *rng.pick(&fields)?;
    let base = &text[f.type_range.clone()];
    let name = base.trim_end_matches(['?', '[', ']', ' ']);
    let new = match rng.below(4) {
        0 => name.to_string(),
        1 => format!("{name}?"),
        2 => format!("{name}[]"),
        _ => format!("{name}[]?"),
    };
    if new == base {
        return None;
    }
    Some(splice(text, f.type_range.clone(), &new))
}

/// The same attribute twice on a field or a block.
fn dup_attr(rng: &mut Rng, _: &SchemaFacts, text: &str) -> Option<String> {
    let s = sites(text);
    let attrs: Vec<&AttrSite> = s.attrs().collect();
    let a = *rng.pick(&attrs)?;
    let copy = text[a.range.clone()].to_string();
    if a.block {
        let line = line_of(text, a.range.start);
        let indent = indent_of(&text[line.clone()]).to_string();
        Some(splice(
            text,
            line.start..line.start,
            &format!("{indent}{copy}{}", eol(text)),
        ))
    } else {
        Some(splice(text, a.range.end..a.range.end, &format!(" {copy}")))
    }
}

/// Remove one line.
fn drop_line(rng: &mut Rng, _: &SchemaFacts, text: &str) -> Option<String> {
    let ls = nonblank_lines(text);
    let l = rng.pick(&ls)?.clone();
    let whole = line_of(text, l.start);
    Some(splice(text, whole, ""))
}

/// Random insertions, deletions and replacements of grammar fragments (`mutate.rs`).
fn byte_edit(rng: &mut Rng, _: &SchemaFacts, text: &str) -> Option<String> {
    let n = 1 + rng.below(2);
    let edits: Vec<mutate::Edit> = (0..n)
        .map(|_| {
            let p = rng.next_u64() as usize;
            match rng.below(3) {
                0 => mutate::Edit::Insert(p, rng.below(mutate::ALPHABET.len())),
                1 => mutate::Edit::Delete(p, 1 + rng.below(7)),
                _ => mutate::Edit::Replace(p, rng.below(mutate::ALPHABET.len())),
            }
        })
        .collect();
    let out = mutate::apply(text, &edits);
    (out != text).then_some(out)
}
