//! `datasource` and `generator` blocks.

use super::types::{Name, Spanned};
use crate::diagnostic::Diagnostic;
use crate::span::{FileId, Span};
use crate::syntax::ast::{self, AstNode};

/// A database provider.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum Provider {
    /// `postgresql` / `postgres` (also `prisma+postgres`).
    PostgreSql,
    /// `mysql`
    MySql,
    /// `sqlite`
    Sqlite,
    /// `sqlserver`
    SqlServer,
    /// `cockroachdb`
    CockroachDb,
    /// `mongodb`
    MongoDb,
}

impl Provider {
    /// Parse the `provider` string. `postgres` and `prisma+postgres` are PostgreSQL.
    pub fn from_name(name: &str) -> Option<Self> {
        Some(match name {
            "postgresql" | "postgres" | "prisma+postgres" => Provider::PostgreSql,
            "mysql" => Provider::MySql,
            "sqlite" => Provider::Sqlite,
            "sqlserver" => Provider::SqlServer,
            "cockroachdb" => Provider::CockroachDb,
            "mongodb" => Provider::MongoDb,
            _ => return None,
        })
    }
    /// The canonical provider name.
    pub fn as_str(self) -> &'static str {
        match self {
            Provider::PostgreSql => "postgresql",
            Provider::MySql => "mysql",
            Provider::Sqlite => "sqlite",
            Provider::SqlServer => "sqlserver",
            Provider::CockroachDb => "cockroachdb",
            Provider::MongoDb => "mongodb",
        }
    }
    /// Every provider but MongoDB.
    pub fn is_sql(self) -> bool {
        self != Provider::MongoDb
    }
    /// PostgreSQL or CockroachDB (the PostgreSQL wire protocol family).
    pub fn is_postgres_like(self) -> bool {
        matches!(self, Provider::PostgreSql | Provider::CockroachDb)
    }
    /// Whether `String[]`, `Int[]`... are supported (PostgreSQL, CockroachDB, MongoDB).
    pub fn supports_scalar_lists(self) -> bool {
        matches!(
            self,
            Provider::PostgreSql | Provider::CockroachDb | Provider::MongoDb
        )
    }
    /// Maximum identifier length Prisma uses when it generates constraint names.
    pub fn max_identifier_length(self) -> usize {
        match self {
            Provider::PostgreSql | Provider::CockroachDb => 63,
            Provider::MySql => 64,
            Provider::SqlServer => 128,
            Provider::MongoDb => 127,
            Provider::Sqlite => 10_000,
        }
    }
}

/// `relationMode` of the datasource.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Default)]
pub enum RelationMode {
    /// Real foreign keys in the database (the default on SQL providers).
    #[default]
    ForeignKeys,
    /// Relations emulated by Prisma Client (no foreign keys; the MongoDB default).
    Prisma,
}

/// The value of a `key = value` entry.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum ConfigValue {
    /// `"text"`
    Literal(String),
    /// `env("VAR")`
    Env(String),
    /// `[ ... ]` of string literals (other elements are dropped).
    Array(Vec<String>),
    /// Anything else, as written.
    Other(String),
}

impl ConfigValue {
    /// The literal string, if this is one.
    pub fn as_literal(&self) -> Option<&str> {
        match self {
            ConfigValue::Literal(s) => Some(s),
            _ => None,
        }
    }
    /// The variable name of `env("VAR")`.
    pub fn as_env(&self) -> Option<&str> {
        match self {
            ConfigValue::Env(s) => Some(s),
            _ => None,
        }
    }
}

/// One `key = value` entry of a datasource or generator.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ConfigEntry {
    /// The key.
    pub key: String,
    /// The value.
    pub value: ConfigValue,
    /// The key token.
    pub key_span: Span,
    /// The value expression.
    pub value_span: Span,
    /// The whole entry.
    pub span: Span,
}

/// A PostgreSQL extension listed in `extensions = [...]`.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Extension {
    /// The extension name (`pg_trgm`, `uuid_ossp`).
    pub name: String,
    /// `schema:` argument.
    pub schema: Option<String>,
    /// `version:` argument.
    pub version: Option<String>,
    /// `map:` argument (database name of the extension).
    pub map: Option<String>,
    /// Where it is written.
    pub span: Span,
}

/// A `datasource` block.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Datasource {
    /// The block name (`db`): also the prefix of native type attributes (`@db.VarChar`).
    pub name: String,
    /// The name token.
    pub name_span: Span,
    /// The whole block.
    pub span: Span,
    /// The provider, if known.
    pub provider: Option<Provider>,
    /// The provider string as written and the value span.
    pub provider_raw: Option<Spanned<String>>,
    /// `relationMode` as written (see [`Datasource::relation_mode`] for the effective mode).
    pub relation_mode_raw: Option<Spanned<String>>,
    /// `extensions = [...]`.
    pub extensions: Vec<Extension>,
    /// `schemas = [...]` (multiSchema).
    pub schemas: Vec<Spanned<String>>,
    /// `url` entry (Prisma 7 rejects it; recorded for version-aware rules).
    pub url: Option<ConfigEntry>,
    /// `directUrl` entry.
    pub direct_url: Option<ConfigEntry>,
    /// `shadowDatabaseUrl` entry.
    pub shadow_database_url: Option<ConfigEntry>,
    /// Every entry as written, in order.
    pub entries: Vec<ConfigEntry>,
    /// `///` documentation.
    pub doc: Option<Name>,
}

impl Datasource {
    /// The effective relation mode: `prisma` if written or on MongoDB, else foreign keys.
    pub fn relation_mode(&self) -> RelationMode {
        match self.relation_mode_raw.as_ref().map(|r| r.value.as_str()) {
            Some("prisma") => RelationMode::Prisma,
            _ if self.provider == Some(Provider::MongoDb) => RelationMode::Prisma,
            _ => RelationMode::ForeignKeys,
        }
    }
    /// Whether the database enforces foreign keys (false on MongoDB or `relationMode = "prisma"`).
    pub fn supports_fk(&self) -> bool {
        self.provider.is_none_or(Provider::is_sql)
            && self.relation_mode() == RelationMode::ForeignKeys
    }
    /// The entry named `key`.
    pub fn entry(&self, key: &str) -> Option<&ConfigEntry> {
        self.entries.iter().find(|e| e.key == key)
    }
}

/// A `generator` block.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Generator {
    /// The block name.
    pub name: String,
    /// The name token.
    pub name_span: Span,
    /// The whole block.
    pub span: Span,
    /// `provider` (`prisma-client-js`, `prisma-client`, ...).
    pub provider: Option<ConfigValue>,
    /// `output`.
    pub output: Option<ConfigValue>,
    /// `previewFeatures` names.
    pub preview_features: Vec<Spanned<String>>,
    /// `binaryTargets`.
    pub binary_targets: Vec<Spanned<String>>,
    /// `engineType` literal.
    pub engine_type: Option<String>,
    /// Every entry as written (including the ones above), in order.
    pub entries: Vec<ConfigEntry>,
    /// `///` documentation.
    pub doc: Option<Name>,
}

impl Generator {
    /// The entry named `key`.
    pub fn entry(&self, key: &str) -> Option<&ConfigEntry> {
        self.entries.iter().find(|e| e.key == key)
    }
    /// Whether `previewFeatures` contains `feature` (case-insensitive, as Prisma compares).
    pub fn has_preview_feature(&self, feature: &str) -> bool {
        self.preview_features
            .iter()
            .any(|f| f.value.eq_ignore_ascii_case(feature))
    }
}

fn config_value(expr: &ast::Expr) -> ConfigValue {
    match expr {
        ast::Expr::String(s) => ConfigValue::Literal(s.value().unwrap_or_default()),
        ast::Expr::Call(c) if c.name() == "env" => {
            let var = c
                .args()
                .next()
                .and_then(|a| a.value())
                .and_then(|v| v.as_string());
            match var {
                Some(v) => ConfigValue::Env(v),
                None => ConfigValue::Other(expr.syntax().to_string()),
            }
        }
        ast::Expr::Array(a) => {
            ConfigValue::Array(a.items().filter_map(|i| i.as_string()).collect())
        }
        _ => ConfigValue::Other(expr.syntax().to_string()),
    }
}

fn entries<'t>(file: FileId, kvs: impl Iterator<Item = ast::KeyValue<'t>>) -> Vec<ConfigEntry> {
    let mut out = Vec::new();
    for kv in kvs {
        let Some(key) = kv.key() else { continue };
        let span = Span::new(file, kv.range());
        let (value, value_span) = match kv.value() {
            Some(v) => (config_value(&v), Span::new(file, v.range())),
            None => (ConfigValue::Other(String::new()), span),
        };
        out.push(ConfigEntry {
            key: key.text().to_string(),
            value,
            key_span: Span::new(file, key.range()),
            value_span,
            span,
        });
    }
    out
}

/// Spanned string items of an array value (or a single string).
fn string_items(file: FileId, kv: &ast::KeyValue) -> Vec<Spanned<String>> {
    match kv.value() {
        Some(ast::Expr::Array(a)) => a
            .items()
            .filter_map(|i| {
                let span = Span::new(file, i.range());
                i.as_string().map(|value| Spanned { value, span })
            })
            .collect(),
        Some(v) => v
            .as_string()
            .map(|value| Spanned {
                value,
                span: Span::new(file, v.range()),
            })
            .into_iter()
            .collect(),
        None => Vec::new(),
    }
}

/// An extension takes `schema:`, `version:` and `map:` only.
fn extension_arguments(file: FileId, kv: &ast::KeyValue, diags: &mut Vec<Diagnostic>) {
    let Some(ast::Expr::Array(a)) = kv.value() else {
        return;
    };
    for item in a.items() {
        let ast::Expr::Call(c) = item else { continue };
        for arg in c.args() {
            let key = arg.name().map(|n| n.text());
            if !matches!(key, Some("schema" | "version" | "map")) {
                let shown = key.unwrap_or_else(|| arg.text());
                diags.push(Diagnostic::error(
                    Span::new(file, arg.range()),
                    format!("Argument not known: \"{shown}\"."),
                ));
            }
        }
    }
}

fn extensions(file: FileId, kv: &ast::KeyValue) -> Vec<Extension> {
    let Some(ast::Expr::Array(a)) = kv.value() else {
        return Vec::new();
    };
    let mut out = Vec::new();
    for item in a.items() {
        let span = Span::new(file, item.range());
        let (name, args) = match &item {
            ast::Expr::Const(_) => (item.as_const().unwrap_or_default().to_string(), None),
            ast::Expr::Call(c) => (c.name().to_string(), c.arg_list()),
            ast::Expr::String(_) => (item.as_string().unwrap_or_default(), None),
            _ => continue,
        };
        let arg = |n: &str| {
            args.as_ref()
                .and_then(|l| l.named(n))
                .and_then(|a| a.value())
                .and_then(|v| v.as_string())
        };
        out.push(Extension {
            schema: arg("schema"),
            version: arg("version"),
            map: arg("map"),
            name,
            span,
        });
    }
    out
}

const DATASOURCE_KEYS: &[&str] = &[
    "provider",
    "url",
    "directUrl",
    "shadowDatabaseUrl",
    "relationMode",
    "referentialIntegrity",
    "extensions",
    "schemas",
];

/// Lower a datasource block.
pub(crate) fn lower_datasource(
    file: FileId,
    ds: &ast::Datasource,
    diags: &mut Vec<Diagnostic>,
) -> Option<Datasource> {
    let name = ds.name()?;
    let span = Span::new(file, ds.range());
    let all = entries(file, ds.entries());
    let mut out = Datasource {
        name: name.text().to_string(),
        name_span: Span::new(file, name.range()),
        span,
        provider: None,
        provider_raw: None,
        relation_mode_raw: None,
        extensions: Vec::new(),
        schemas: Vec::new(),
        url: None,
        direct_url: None,
        shadow_database_url: None,
        entries: Vec::new(),
        doc: ds.doc(),
    };
    for kv in ds.entries() {
        let Some(key) = kv.key() else { continue };
        match key.text() {
            "extensions" => {
                out.extensions = extensions(file, &kv);
                extension_arguments(file, &kv, diags);
            }
            "schemas" => out.schemas = string_items(file, &kv),
            _ => {}
        }
    }
    for e in &all {
        match e.key.as_str() {
            "provider" => {
                let raw = e.value.as_literal().unwrap_or_default().to_string();
                out.provider = Provider::from_name(&raw);
                if out.provider.is_none() {
                    diags.push(Diagnostic::error(
                        e.value_span,
                        format!(
                            "Datasource provider not known: \"{raw}\". Expected one of \
                             postgresql, mysql, sqlite, sqlserver, cockroachdb, mongodb."
                        ),
                    ));
                }
                out.provider_raw = Some(Spanned {
                    value: raw,
                    span: e.value_span,
                });
            }
            "relationMode" | "referentialIntegrity" => {
                let raw = e.value.as_literal().unwrap_or_default().to_string();
                if raw != "prisma" && raw != "foreignKeys" {
                    diags.push(Diagnostic::error(
                        e.value_span,
                        format!(
                            "Invalid relation mode setting: \"{raw}\". Supported values: \
                             \"prisma\", \"foreignKeys\""
                        ),
                    ));
                }
                out.relation_mode_raw = Some(Spanned {
                    value: raw,
                    span: e.value_span,
                });
            }
            "url" => out.url = Some(e.clone()),
            "directUrl" => out.direct_url = Some(e.clone()),
            "shadowDatabaseUrl" => out.shadow_database_url = Some(e.clone()),
            k if !DATASOURCE_KEYS.contains(&k) => diags.push(Diagnostic::error(
                e.key_span,
                format!("Property not known: \"{k}\"."),
            )),
            _ => {}
        }
    }
    if out.provider_raw.is_none() {
        diags.push(Diagnostic::error(
            out.name_span,
            format!(
                "The datasource `{}` is missing the required `provider` argument.",
                out.name
            ),
        ));
    }
    if out.provider == Some(Provider::MongoDb)
        && let Some(rm) = &out.relation_mode_raw
        && rm.value == "foreignKeys"
    {
        diags.push(Diagnostic::error(
            rm.span,
            "Invalid relation mode setting: \"foreignKeys\". Supported values: \"prisma\"",
        ));
    }
    out.entries = all;
    Some(out)
}

/// Lower a generator block.
pub(crate) fn lower_generator(file: FileId, g: &ast::Generator) -> Option<Generator> {
    let name = g.name()?;
    let all = entries(file, g.entries());
    let mut out = Generator {
        name: name.text().to_string(),
        name_span: Span::new(file, name.range()),
        span: Span::new(file, g.range()),
        provider: None,
        output: None,
        preview_features: Vec::new(),
        binary_targets: Vec::new(),
        engine_type: None,
        entries: Vec::new(),
        doc: g.doc(),
    };
    for kv in g.entries() {
        let Some(key) = kv.key() else { continue };
        match key.text() {
            "previewFeatures" => out.preview_features = string_items(file, &kv),
            "binaryTargets" => out.binary_targets = string_items(file, &kv),
            _ => {}
        }
    }
    for e in &all {
        match e.key.as_str() {
            "provider" => out.provider = Some(e.value.clone()),
            "output" => out.output = Some(e.value.clone()),
            "engineType" => out.engine_type = e.value.as_literal().map(str::to_string),
            _ => {}
        }
    }
    out.entries = all;
    Some(out)
}
