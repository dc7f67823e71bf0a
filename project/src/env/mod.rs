//! The project around the schema: dotenv files, `.gitignore`, connection URLs,
//! `package.json` and lockfiles, `prisma.config.ts`, and the Prisma release table.
//!
//! Everything works on the in-memory [`Project`] (no filesystem, wasm-clean). [`ProjectEnv`]
//! gathers what the project and environment rules need in one pass: the datasource URLs with
//! their `env()` indirections resolved from the env files, the generators, the declared and
//! locked Prisma versions and the deployment signs.

pub mod conn_url;
pub mod dotenv;
pub mod gitignore;
pub mod package_json;
pub mod prisma_config;
pub mod releases;

use crate::project::Project;
use crate::span::{FileId, Span};
use crate::syntax::ast::{self, AstNode, Expr, Item};
use conn_url::ConnUrl;
use dotenv::EnvEntry;
use gitignore::GitIgnore;
use package_json::{Dependency, PackageJson, Version, VersionSpec};
use prisma_audit_psl::SchemaFile;
use prisma_config::{ConfigValue, PrismaConfig};
use rowan::{TextRange, TextSize};
use std::ops::Range;

/// A span of byte range `range` in `file` (clamped to `u32`).
pub fn span_of(file: FileId, range: Range<usize>) -> Span {
    let to = |n: usize| TextSize::from(u32::try_from(n).unwrap_or(u32::MAX));
    let (s, e) = (to(range.start), to(range.end.max(range.start)));
    Span::new(file, TextRange::new(s, e))
}

/// One dotenv file.
#[derive(Debug, Clone)]
pub struct EnvFile {
    /// The file.
    pub file: FileId,
    /// Its path.
    pub path: String,
    /// Its assignments.
    pub entries: Vec<EnvEntry>,
    /// `true` if `.gitignore` rules exclude it (so it is not committed).
    pub ignored: bool,
    /// `true` for templates (`.env.example`, `.env.sample`, `.env.template`, `.env.dist`).
    pub template: bool,
}

/// `true` for dotenv template names, which document variables rather than set them.
pub fn is_template_env(path: &str) -> bool {
    let name = path.rsplit('/').next().unwrap_or(path).to_ascii_lowercase();
    [
        "example", "sample", "template", "dist", "defaults", "schema",
    ]
    .iter()
    .any(|t| name.contains(t))
}

/// Which connection URL of the datasource.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum UrlRole {
    /// `url`
    Url,
    /// `directUrl`
    DirectUrl,
    /// `shadowDatabaseUrl`
    ShadowDatabaseUrl,
}

impl UrlRole {
    /// The property name.
    pub fn key(self) -> &'static str {
        match self {
            UrlRole::Url => "url",
            UrlRole::DirectUrl => "directUrl",
            UrlRole::ShadowDatabaseUrl => "shadowDatabaseUrl",
        }
    }
    const ALL: [UrlRole; 3] = [UrlRole::Url, UrlRole::DirectUrl, UrlRole::ShadowDatabaseUrl];
}

/// Where a URL is declared.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum UrlOrigin {
    /// The `datasource` block of the schema.
    Schema,
    /// `datasource` in `prisma.config.ts`.
    Config,
}

/// One concrete value of a declared URL: a literal, or the value of the variable in one env
/// file.
#[derive(Debug, Clone)]
pub struct UrlValue {
    /// Where the URL text is (the env value, or the literal in the schema/config).
    pub span: Span,
    /// Index into [`ProjectEnv::env_files`] when the value comes from an env file.
    pub env_file: Option<usize>,
    /// The parsed URL (`None` if the value is not a URL).
    pub url: Option<ConnUrl>,
}

/// A declared connection URL (`url = env("DATABASE_URL")`).
#[derive(Debug, Clone)]
pub struct UrlDecl {
    /// Which URL.
    pub role: UrlRole,
    /// Schema or config.
    pub origin: UrlOrigin,
    /// The value expression in the schema or config.
    pub span: Span,
    /// The variable, for `env("X")` / `process.env.X`.
    pub env_var: Option<String>,
    /// The values found: one per env file defining the variable (templates excluded), or
    /// the literal.
    pub values: Vec<UrlValue>,
}

/// A `generator` block.
#[derive(Debug, Clone)]
pub struct GeneratorInfo {
    /// Block name.
    pub name: String,
    /// The name's span (or the block's).
    pub span: Span,
    /// `provider` value and span.
    pub provider: Option<(String, Span)>,
    /// `output` value and span.
    pub output: Option<(String, Span)>,
    /// `engineType` value and span.
    pub engine_type: Option<(String, Span)>,
    /// `binaryTargets` entries.
    pub binary_targets: Vec<(String, Span)>,
    /// The `binaryTargets` value span, if declared.
    pub binary_targets_span: Option<Span>,
    /// `previewFeatures` entries.
    pub preview_features: Vec<(String, Span)>,
    /// Empty span just before the closing `}` (for inserting an entry).
    pub insert_at: Option<Span>,
}

impl GeneratorInfo {
    /// The provider string (empty if missing).
    pub fn provider_name(&self) -> &str {
        self.provider.as_ref().map_or("", |(p, _)| p.as_str())
    }
    /// `true` for the Prisma Client generators (`prisma-client-js`, `prisma-client`).
    pub fn is_client(&self) -> bool {
        matches!(self.provider_name(), "prisma-client-js" | "prisma-client")
    }
}

/// The datasource block.
#[derive(Debug, Clone)]
pub struct DatasourceInfo {
    /// Block name.
    pub name: String,
    /// The name's span.
    pub span: Span,
    /// `provider` value and span.
    pub provider: Option<(String, Span)>,
}

/// A `package.json` of the project.
#[derive(Debug, Clone)]
pub struct PackageRef {
    /// The file.
    pub file: FileId,
    /// Its path.
    pub path: String,
    /// Its directory (`""` for the root).
    pub dir: String,
    /// Parsed contents.
    pub json: PackageJson,
}

/// A Prisma dependency and what the lockfile resolved.
#[derive(Debug, Clone)]
pub struct DepRef {
    /// Index into [`ProjectEnv::packages`].
    pub package: usize,
    /// The declaration.
    pub dep: Dependency,
    /// The version span.
    pub span: Span,
    /// The resolved version and the lockfile's path.
    pub resolved: Option<(Version, String)>,
}

impl DepRef {
    /// The version actually installed (locked) or, failing that, the lowest one the
    /// specifier allows.
    pub fn effective(&self) -> Option<Version> {
        self.resolved
            .as_ref()
            .map(|(v, _)| v.clone())
            .or_else(|| VersionSpec::parse(&self.dep.spec).min().cloned())
    }
    /// `"6.5.0"` or `"^6.5.0 (locked at 6.10.1 in pnpm-lock.yaml)"`.
    pub fn describe(&self) -> String {
        match &self.resolved {
            Some((v, lock)) if v.to_string() != self.dep.spec.trim_start_matches('=') => {
                format!("`{}` (locked at {v} in `{lock}`)", self.dep.spec)
            }
            _ => format!("`{}`", self.dep.spec),
        }
    }
}

/// The project and environment facts the rules need.
#[derive(Debug)]
pub struct ProjectEnv<'a> {
    /// The project.
    pub project: &'a Project,
    /// `.gitignore` rules.
    pub gitignore: GitIgnore,
    /// Env files (outside `node_modules`), in path order.
    pub env_files: Vec<EnvFile>,
    /// The root `package.json` and the one owning the schema (deduplicated).
    pub packages: Vec<PackageRef>,
    /// The `prisma` CLI dependency.
    pub cli: Option<DepRef>,
    /// The `@prisma/client` dependency.
    pub client: Option<DepRef>,
    /// `prisma.config.ts` (or `.config/prisma.ts`) and its static reading.
    pub config: Option<(FileId, PrismaConfig)>,
    /// The datasource block.
    pub datasource: Option<DatasourceInfo>,
    /// Declared URLs (schema first, then config).
    pub urls: Vec<UrlDecl>,
    /// Generator blocks.
    pub generators: Vec<GeneratorInfo>,
    /// Directory of the (first) schema file.
    pub schema_dir: String,
}

/// Names of the Prisma config file, in Prisma's order.
pub const CONFIG_FILES: [&str; 6] = [
    "prisma.config.ts",
    "prisma.config.mts",
    "prisma.config.cts",
    "prisma.config.js",
    "prisma.config.mjs",
    ".config/prisma.ts",
];

fn dir_of(path: &str) -> &str {
    path.rfind('/').map_or("", |i| &path[..i])
}

fn in_node_modules(path: &str) -> bool {
    path.split('/').any(|s| s == "node_modules" || s == ".git")
}

/// The `package.json` at `path` (in directory `dir`), if it exists and parses.
fn package_at(project: &Project, path: String, dir: &str) -> Option<PackageRef> {
    let file = project.file_id(&path)?;
    let json = project
        .file(file)
        .and_then(|f| f.text())
        .and_then(PackageJson::parse)?;
    Some(PackageRef {
        file,
        path,
        dir: dir.to_string(),
        json,
    })
}

impl<'a> ProjectEnv<'a> {
    /// Gather everything from `project` and its parsed schema files.
    pub fn new(project: &'a Project, schema_files: &[SchemaFile]) -> ProjectEnv<'a> {
        let gitignore = GitIgnore::from_project(project);
        let schema_path = schema_files
            .first()
            .and_then(|s| project.file(s.file))
            .map(|f| f.path().to_string())
            .unwrap_or_default();
        let schema_dir = dir_of(&schema_path).to_string();

        // package.json: the one owning the schema (nearest ancestor) and the root.
        let mut packages = Vec::new();
        let mut dir = schema_dir.clone();
        loop {
            let path = if dir.is_empty() {
                "package.json".to_string()
            } else {
                format!("{dir}/package.json")
            };
            if let Some(package) = package_at(project, path, &dir) {
                packages.push(package);
                break;
            }
            if dir.is_empty() {
                break;
            }
            dir = dir_of(&dir).to_string();
        }
        if !packages.iter().any(|p| p.dir.is_empty())
            && let Some(package) = package_at(project, "package.json".into(), "")
        {
            packages.push(package);
        }
        let dep = |name: &str| -> Option<DepRef> {
            packages.iter().enumerate().find_map(|(i, p)| {
                let d = p.json.dependency(name)?;
                let resolved = lock_version(project, &p.dir, name);
                Some(DepRef {
                    package: i,
                    span: span_of(p.file, d.range.clone()),
                    dep: d.clone(),
                    resolved,
                })
            })
        };
        let cli = dep("prisma");
        let client = dep("@prisma/client");

        // Env files: in the root, the schema's package directory and the schema directory.
        let mut env_dirs: Vec<String> = vec![String::new(), schema_dir.clone()];
        if let Some(p) = packages.first() {
            env_dirs.push(p.dir.clone());
        }
        let env_files: Vec<EnvFile> = project
            .files()
            .filter(|(_, f)| {
                let p = f.path();
                crate::redact::is_env_file(p)
                    && !in_node_modules(p)
                    && env_dirs.iter().any(|d| d == dir_of(p))
            })
            .filter_map(|(id, f)| {
                let text = f.text()?;
                Some(EnvFile {
                    file: id,
                    path: f.path().to_string(),
                    entries: dotenv::parse(text),
                    ignored: gitignore.is_ignored(f.path()),
                    template: is_template_env(f.path()),
                })
            })
            .collect();

        let mut config_dirs = vec![String::new()];
        if let Some(p) = packages.first().filter(|p| !p.dir.is_empty()) {
            config_dirs.insert(0, p.dir.clone());
        }
        let config = config_dirs.iter().find_map(|dir| {
            CONFIG_FILES.iter().find_map(|name| {
                let path = if dir.is_empty() {
                    name.to_string()
                } else {
                    format!("{dir}/{name}")
                };
                let id = project.file_id(&path)?;
                Some((id, prisma_config::parse(project.file(id)?.text()?)))
            })
        });

        let mut env = ProjectEnv {
            project,
            gitignore,
            env_files,
            packages,
            cli,
            client,
            config,
            datasource: None,
            urls: Vec::new(),
            generators: Vec::new(),
            schema_dir,
        };
        env.read_schema(schema_files);
        env.read_config_urls();
        env
    }

    fn read_schema(&mut self, schema_files: &[SchemaFile]) {
        for sf in schema_files {
            let file = sf.file;
            for item in sf.parse.tree().items() {
                match item {
                    Item::Datasource(ds) => {
                        if self.datasource.is_some() {
                            continue;
                        }
                        let name = ds.name().map_or("", |n| n.text()).to_string();
                        let name_span =
                            Span::new(file, ds.name().map_or(ds.range(), |n| n.range()));
                        let mut provider = None;
                        for kv in ds.entries() {
                            let Some(key) = kv.key().map(|k| k.text()) else {
                                continue;
                            };
                            let Some(value) = kv.value() else { continue };
                            let vspan = Span::new(file, value.range());
                            if key == "provider" {
                                provider = value.as_string().map(|s| (s, vspan));
                                continue;
                            }
                            let Some(role) = UrlRole::ALL.into_iter().find(|r| r.key() == key)
                            else {
                                continue;
                            };
                            let decl = match &value {
                                Expr::Call(call) if call.name() == "env" => {
                                    let var = call
                                        .args()
                                        .next()
                                        .and_then(|a| a.value())
                                        .and_then(|v| v.as_string());
                                    self.decl_from_env(role, UrlOrigin::Schema, vspan, var)
                                }
                                Expr::String(s) => {
                                    let lit = s.value().unwrap_or_default();
                                    // Inside the quotes.
                                    let r = value.range();
                                    let inner = span_of(
                                        file,
                                        usize::from(r.start()) + 1
                                            ..usize::from(r.end()).saturating_sub(1),
                                    );
                                    UrlDecl {
                                        role,
                                        origin: UrlOrigin::Schema,
                                        span: vspan,
                                        env_var: None,
                                        values: vec![UrlValue {
                                            span: inner,
                                            env_file: None,
                                            url: ConnUrl::parse(&lit),
                                        }],
                                    }
                                }
                                _ => continue,
                            };
                            self.urls.push(decl);
                        }
                        self.datasource = Some(DatasourceInfo {
                            name,
                            span: name_span,
                            provider,
                        });
                    }
                    Item::Generator(g) => self.generators.push(generator_info(file, &g)),
                    _ => {}
                }
            }
        }
    }

    fn read_config_urls(&mut self) {
        let Some((file, config)) = self.config.clone() else {
            return;
        };
        for role in UrlRole::ALL {
            let Some(entry) = config.get(&format!("datasource.{}", role.key())) else {
                continue;
            };
            let vspan = span_of(file, entry.range.clone());
            let decl = match &entry.value {
                ConfigValue::Env(var) | ConfigValue::ProcessEnv(var) => {
                    self.decl_from_env(role, UrlOrigin::Config, vspan, Some(var.clone()))
                }
                ConfigValue::Str(s) => UrlDecl {
                    role,
                    origin: UrlOrigin::Config,
                    span: vspan,
                    env_var: None,
                    values: vec![UrlValue {
                        span: span_of(
                            file,
                            entry.range.start + 1..entry.range.end.saturating_sub(1),
                        ),
                        env_file: None,
                        url: ConnUrl::parse(s),
                    }],
                },
                ConfigValue::Other(_) => continue,
            };
            self.urls.push(decl);
        }
    }

    fn decl_from_env(
        &self,
        role: UrlRole,
        origin: UrlOrigin,
        span: Span,
        var: Option<String>,
    ) -> UrlDecl {
        let mut values = Vec::new();
        if let Some(var) = &var {
            for (i, ef) in self.env_files.iter().enumerate() {
                if ef.template {
                    continue;
                }
                if let Some(entry) = dotenv::lookup(&ef.entries, var) {
                    let value = dotenv::expand(&entry.value, &ef.entries);
                    values.push(UrlValue {
                        span: span_of(ef.file, entry.value_range.clone()),
                        env_file: Some(i),
                        url: ConnUrl::parse(&value),
                    });
                }
            }
        }
        UrlDecl {
            role,
            origin,
            span,
            env_var: var,
            values,
        }
    }

    /// The declared URL of `role`: from the config when Prisma 7 rules apply or when the
    /// schema does not declare it, else from the schema.
    pub fn url(&self, role: UrlRole) -> Option<&UrlDecl> {
        let schema = self
            .urls
            .iter()
            .find(|u| u.role == role && u.origin == UrlOrigin::Schema);
        let config = self
            .urls
            .iter()
            .find(|u| u.role == role && u.origin == UrlOrigin::Config);
        if self.is_prisma7() {
            config.or(schema)
        } else {
            schema.or(config)
        }
    }

    /// The Prisma version the project runs: the locked CLI, else the locked client, else the
    /// lowest version the CLI's (or client's) specifier allows.
    pub fn prisma_version(&self) -> Option<Version> {
        let locked = |d: &Option<DepRef>| {
            d.as_ref()
                .and_then(|d| d.resolved.as_ref().map(|(v, _)| v.clone()))
        };
        locked(&self.cli)
            .or_else(|| locked(&self.client))
            .or_else(|| self.cli.as_ref().and_then(DepRef::effective))
            .or_else(|| self.client.as_ref().and_then(DepRef::effective))
    }

    /// `true` when the project is on Prisma 7 or later.
    pub fn is_prisma7(&self) -> bool {
        self.prisma_version().is_some_and(|v| v.major >= 7)
    }

    /// The datasource provider (`postgresql`, ...).
    pub fn provider(&self) -> Option<&str> {
        self.datasource
            .as_ref()?
            .provider
            .as_ref()
            .map(|(p, _)| p.as_str())
    }

    /// `true` if Prisma Client talks to the database through a JavaScript driver adapter
    /// (Prisma 7, the Rust-free client, or an `@prisma/adapter-*` dependency), so the Rust
    /// engine's pool parameters (`connection_limit`, ...) do not apply.
    pub fn uses_driver_adapters(&self) -> bool {
        self.is_prisma7()
            || self.adapter_dependency().is_some()
            || self
                .generators
                .iter()
                .any(|g| g.engine_type.as_ref().is_some_and(|(e, _)| e == "client"))
    }

    /// The first `@prisma/adapter-*` dependency, if any.
    pub fn adapter_dependency(&self) -> Option<&str> {
        self.packages
            .iter()
            .flat_map(|p| p.json.dependencies.iter())
            .find(|d| d.name.starts_with("@prisma/adapter-"))
            .map(|d| d.name.as_str())
    }

    /// `true` if the dependency `name` is declared in a considered `package.json`.
    pub fn has_dependency(&self, name: &str) -> bool {
        self.packages
            .iter()
            .any(|p| p.json.dependency(name).is_some())
    }

    /// Signs of a serverless deployment, described for messages ("Next.js (`next` in
    /// package.json)", "`vercel.json`").
    pub fn serverless_signs(&self) -> Vec<String> {
        let mut signs = Vec::new();
        for (dep, what) in [
            ("next", "Next.js"),
            ("@vercel/node", "Vercel functions"),
            ("@netlify/functions", "Netlify functions"),
            ("aws-lambda", "AWS Lambda"),
            ("@types/aws-lambda", "AWS Lambda"),
            ("serverless", "Serverless Framework"),
            ("@cloudflare/workers-types", "Cloudflare Workers"),
            ("sst", "SST"),
        ] {
            if self.has_dependency(dep) && !signs.iter().any(|s: &String| s.starts_with(what)) {
                signs.push(format!("{what} (`{dep}` in package.json)"));
            }
        }
        let mut dirs = vec![String::new()];
        for p in &self.packages {
            if !dirs.contains(&p.dir) {
                dirs.push(p.dir.clone());
            }
        }
        for dir in &dirs {
            for name in [
                "vercel.json",
                "netlify.toml",
                "serverless.yml",
                "serverless.yaml",
                "serverless.ts",
                "wrangler.toml",
                "wrangler.jsonc",
                "sst.config.ts",
            ] {
                let path = if dir.is_empty() {
                    name.to_string()
                } else {
                    format!("{dir}/{name}")
                };
                if self.project.file_id(&path).is_some() {
                    signs.push(format!("`{path}`"));
                }
            }
        }
        signs
    }

    /// The env file an index refers to.
    pub fn env_file(&self, index: Option<usize>) -> Option<&EnvFile> {
        self.env_files.get(index?)
    }

    /// `path:line` of a span, for messages.
    pub fn describe_span(&self, span: Span) -> String {
        match self.project.location(span) {
            Some(l) => format!("{}:{}", l.file, l.start.line),
            None => "?".into(),
        }
    }
}

fn lock_version(project: &Project, dir: &str, name: &str) -> Option<(Version, String)> {
    let mut d = dir.to_string();
    loop {
        for lock in [
            "package-lock.json",
            "npm-shrinkwrap.json",
            "pnpm-lock.yaml",
            "yarn.lock",
        ] {
            let path = if d.is_empty() {
                lock.to_string()
            } else {
                format!("{d}/{lock}")
            };
            if let Some(text) = project.text_of(&path)
                && let Some(v) = package_json::lockfile_version(lock, text, name)
            {
                return Some((v, path));
            }
        }
        if d.is_empty() {
            return None;
        }
        d = dir_of(&d).to_string();
    }
}

fn generator_info(file: FileId, g: &ast::Generator) -> GeneratorInfo {
    let name = g.name().map_or("", |n| n.text()).to_string();
    let span = Span::new(file, g.name().map_or(g.range(), |n| n.range()));
    let mut info = GeneratorInfo {
        name,
        span,
        provider: None,
        output: None,
        engine_type: None,
        binary_targets: Vec::new(),
        binary_targets_span: None,
        preview_features: Vec::new(),
        insert_at: g
            .body()
            .and_then(|b| b.r_brace())
            .map(|t| Span::new(file, TextRange::empty(t.text_range().start()))),
    };
    for kv in g.entries() {
        let (Some(key), Some(value)) = (kv.key().map(|k| k.text()), kv.value()) else {
            continue;
        };
        let vspan = Span::new(file, value.range());
        let string_or_env = |v: &Expr| -> Option<String> {
            v.as_string().or_else(|| match v {
                Expr::Call(c) if c.name() == "env" => Some(format!(
                    "env(\"{}\")",
                    c.args()
                        .next()
                        .and_then(|a| a.value())
                        .and_then(|v| v.as_string())
                        .unwrap_or_default()
                )),
                _ => None,
            })
        };
        match key {
            "provider" => info.provider = string_or_env(&value).map(|s| (s, vspan)),
            "output" => info.output = string_or_env(&value).map(|s| (s, vspan)),
            "engineType" => info.engine_type = string_or_env(&value).map(|s| (s, vspan)),
            "binaryTargets" => {
                info.binary_targets_span = Some(vspan);
                let items = value.as_array().unwrap_or_else(|| vec![value.clone()]);
                for it in items {
                    if let Some(s) = string_or_env(&it) {
                        info.binary_targets.push((s, Span::new(file, it.range())));
                    }
                }
            }
            "previewFeatures" => {
                for it in value.as_array().unwrap_or_default() {
                    if let Some(s) = it.as_string() {
                        info.preview_features.push((s, Span::new(file, it.range())));
                    }
                }
            }
            _ => {}
        }
    }
    info
}
