//! The project's database connections as the security and operations rules see them: the
//! project environment of a rule context, every declared connection URL with its value and
//! origin, how to describe a host, and fixes that append query parameters to a URL.

use prisma_audit_core::env::conn_url::{ConnUrl, HostKind};
use prisma_audit_core::env::{EnvFile, ProjectEnv, UrlDecl, UrlOrigin, UrlValue};
use prisma_audit_core::finding::FixSafety;
use prisma_audit_core::rule::{RawEdit, RawFix, RuleContext};
use prisma_audit_core::span::Span;

/// The project environment of a rule context.
pub(crate) fn project_env<'a>(ctx: &RuleContext<'a>) -> ProjectEnv<'a> {
    ProjectEnv::new(ctx.project, ctx.schema_files)
}

/// One concrete connection URL: a declared URL and one of its values.
pub(crate) struct Conn<'e> {
    pub decl: &'e UrlDecl,
    pub value: &'e UrlValue,
    pub url: &'e ConnUrl,
    pub env_file: Option<&'e EnvFile>,
}

impl Conn<'_> {
    /// "`DATABASE_URL` (`.env:2`)" or "`url` in the schema (`prisma/schema.prisma:9`)".
    pub fn describe(&self, env: &ProjectEnv<'_>) -> String {
        let at = env.describe_span(self.value.span);
        match &self.decl.env_var {
            Some(var) => format!("`{var}` (`{at}`)"),
            None => {
                let origin = match self.decl.origin {
                    UrlOrigin::Schema => "the schema",
                    UrlOrigin::Config => "prisma.config.ts",
                };
                format!("`{}` in {origin} (`{at}`)", self.decl.role.key())
            }
        }
    }
    /// Stable fingerprint anchor: role, variable and file, never a line.
    pub fn anchor(&self) -> String {
        format!(
            "{}|{}|{}",
            self.decl.role.key(),
            self.decl.env_var.as_deref().unwrap_or("literal"),
            self.env_file.map_or("", |f| f.path.as_str())
        )
    }
    /// The raw URL text in its file (may contain the password: never print it).
    pub fn raw<'t>(&self, env: &'t ProjectEnv<'_>) -> &'t str {
        let text = env
            .project
            .file(self.value.span.file)
            .and_then(|f| f.text())
            .unwrap_or("");
        let r = self.value.span.range;
        text.get(usize::from(r.start())..usize::from(r.end()))
            .unwrap_or("")
    }
}

/// Every declared URL value that parses as a URL (templates excluded).
pub(crate) fn connections<'e>(env: &'e ProjectEnv<'_>) -> Vec<Conn<'e>> {
    let mut out = Vec::new();
    for decl in &env.urls {
        // When both the schema and the config declare a role, judge the one Prisma uses.
        if env.url(decl.role).is_some_and(|d| !std::ptr::eq(d, decl)) {
            continue;
        }
        for value in &decl.values {
            if let Some(url) = &value.url {
                out.push(Conn {
                    decl,
                    value,
                    url,
                    env_file: env.env_file(value.env_file),
                });
            }
        }
    }
    out
}

/// "a public IP", "a public host name", "a private address", "localhost".
pub(crate) fn host_phrase(url: &ConnUrl) -> &'static str {
    match url.host_kind() {
        HostKind::PublicIp => "a public IP address",
        HostKind::Hostname => "a host on the internet",
        HostKind::Private => "a private address",
        HostKind::Local => "the local machine",
        HostKind::None => "no host",
    }
}

/// Set query parameters (`a=1&b=2`) on a URL value: a parameter the URL already has gets its
/// value replaced in place, the others are inserted at the end, so each key stays once. `None`
/// when the raw text is not a plain URL (variables, comments) or nothing changes. The edits
/// never contain the rest of the URL (its password).
pub(crate) fn append_params_fix(
    conn: &Conn<'_>,
    env: &ProjectEnv<'_>,
    params: &str,
    title: &str,
    safety: FixSafety,
) -> Option<RawFix> {
    let raw = conn.raw(env);
    if raw.is_empty() || raw.contains(['$', '#', '\n', ' ', '"', '\'']) || !raw.contains("://") {
        return None;
    }
    let file = conn.value.span.file;
    let start = conn.value.span.range.start();
    let at = |offset: usize| start + prisma_audit_core::TextSize::from(offset as u32);
    // The existing parameters, with their byte ranges in `raw`.
    let mut existing: Vec<(&str, std::ops::Range<usize>)> = Vec::new();
    if let Some(q) = raw.find('?') {
        let mut offset = q + 1;
        for part in raw[q + 1..].split('&') {
            let key = part.split_once('=').map_or(part, |(k, _)| k);
            if !key.is_empty() {
                existing.push((key, offset..offset + part.len()));
            }
            offset += part.len() + 1;
        }
    }
    let mut edits = Vec::new();
    let mut appended: Vec<&str> = Vec::new();
    for pair in params.split('&') {
        let (key, _) = pair.split_once('=')?;
        match existing.iter().find(|(k, _)| *k == key) {
            // Set the value in place: a key must appear once (`sslmode=prefer` → `require`).
            Some((_, range)) if &raw[range.clone()] != pair => edits.push(RawEdit {
                span: Span::new(
                    file,
                    prisma_audit_core::TextRange::new(at(range.start), at(range.end)),
                ),
                replacement: pair.to_string(),
            }),
            Some(_) => {}
            None => appended.push(pair),
        }
    }
    if !appended.is_empty() {
        let sep = if raw.contains('?') {
            if raw.ends_with('?') || raw.ends_with('&') {
                ""
            } else {
                "&"
            }
        } else {
            "?"
        };
        let end = conn.value.span.range.end();
        edits.push(RawEdit {
            span: Span::new(file, prisma_audit_core::TextRange::empty(end)),
            replacement: format!("{sep}{}", appended.join("&")),
        });
    }
    if edits.is_empty() {
        return None;
    }
    Some(RawFix {
        title: title.to_string(),
        safety,
        edits,
        sql: None,
    })
}
