//! `package.json` dependencies with the byte ranges of their version strings, npm versions
//! and ranges, and the resolved versions recorded in `package-lock.json`, `pnpm-lock.yaml` and
//! `yarn.lock`.

use std::cmp::Ordering;
use std::fmt;
use std::ops::Range;

/// A JSON value with its byte range (a tiny span-preserving JSON reader).
#[derive(Debug, Clone, PartialEq)]
pub enum Json {
    /// `{...}`: members in order with the range of each key (quotes included).
    Object(Vec<(String, Range<usize>, Spanned)>),
    /// `[...]`
    Array(Vec<Spanned>),
    /// A string (unescaped).
    String(String),
    /// Any other scalar, as written.
    Other(String),
}

/// A JSON value and its byte range (for strings: quotes included).
#[derive(Debug, Clone, PartialEq)]
pub struct Spanned {
    /// The value.
    pub value: Json,
    /// Byte range in the text.
    pub range: Range<usize>,
}

impl Spanned {
    /// Member `key` of an object.
    pub fn get(&self, key: &str) -> Option<&Spanned> {
        match &self.value {
            Json::Object(members) => members.iter().find(|(k, _, _)| k == key).map(|(_, _, v)| v),
            _ => None,
        }
    }
    /// The string value.
    pub fn as_str(&self) -> Option<&str> {
        match &self.value {
            Json::String(s) => Some(s),
            _ => None,
        }
    }
    /// Object members.
    pub fn members(&self) -> &[(String, Range<usize>, Spanned)] {
        match &self.value {
            Json::Object(m) => m,
            _ => &[],
        }
    }
}

/// Parse JSON text; `None` on a syntax error (or nesting deeper than 256).
pub fn parse_json(text: &str) -> Option<Spanned> {
    let mut p = JsonParser {
        b: text.as_bytes(),
        s: text,
        i: 0,
    };
    p.ws();
    // Skip a UTF-8 BOM.
    if p.s[p.i..].starts_with('\u{feff}') {
        p.i += 3;
        p.ws();
    }
    let v = p.value(0)?;
    p.ws();
    (p.i == p.b.len()).then_some(v)
}

struct JsonParser<'a> {
    b: &'a [u8],
    s: &'a str,
    i: usize,
}

impl JsonParser<'_> {
    fn ws(&mut self) {
        while self.i < self.b.len() && matches!(self.b[self.i], b' ' | b'\t' | b'\n' | b'\r') {
            self.i += 1;
        }
    }
    fn value(&mut self, depth: usize) -> Option<Spanned> {
        if depth > 256 {
            return None;
        }
        let start = self.i;
        match *self.b.get(self.i)? {
            b'{' => {
                self.i += 1;
                let mut members = Vec::new();
                self.ws();
                if self.b.get(self.i) == Some(&b'}') {
                    self.i += 1;
                } else {
                    loop {
                        self.ws();
                        let kstart = self.i;
                        let key = self.string()?;
                        let krange = kstart..self.i;
                        self.ws();
                        if self.b.get(self.i) != Some(&b':') {
                            return None;
                        }
                        self.i += 1;
                        self.ws();
                        let v = self.value(depth + 1)?;
                        members.push((key, krange, v));
                        self.ws();
                        match self.b.get(self.i)? {
                            b',' => self.i += 1,
                            b'}' => {
                                self.i += 1;
                                break;
                            }
                            _ => return None,
                        }
                    }
                }
                Some(Spanned {
                    value: Json::Object(members),
                    range: start..self.i,
                })
            }
            b'[' => {
                self.i += 1;
                let mut items = Vec::new();
                self.ws();
                if self.b.get(self.i) == Some(&b']') {
                    self.i += 1;
                } else {
                    loop {
                        self.ws();
                        items.push(self.value(depth + 1)?);
                        self.ws();
                        match self.b.get(self.i)? {
                            b',' => self.i += 1,
                            b']' => {
                                self.i += 1;
                                break;
                            }
                            _ => return None,
                        }
                    }
                }
                Some(Spanned {
                    value: Json::Array(items),
                    range: start..self.i,
                })
            }
            b'"' => {
                let s = self.string()?;
                Some(Spanned {
                    value: Json::String(s),
                    range: start..self.i,
                })
            }
            _ => {
                while self.i < self.b.len()
                    && (self.b[self.i].is_ascii_alphanumeric()
                        || matches!(self.b[self.i], b'-' | b'+' | b'.'))
                {
                    self.i += 1;
                }
                if self.i == start {
                    return None;
                }
                Some(Spanned {
                    value: Json::Other(self.s[start..self.i].to_string()),
                    range: start..self.i,
                })
            }
        }
    }
    fn string(&mut self) -> Option<String> {
        if self.b.get(self.i) != Some(&b'"') {
            return None;
        }
        self.i += 1;
        let start = self.i;
        let mut out = String::new();
        let mut chunk = start;
        while self.i < self.b.len() {
            match self.b[self.i] {
                b'"' => {
                    out.push_str(self.s.get(chunk..self.i)?);
                    self.i += 1;
                    return Some(out);
                }
                b'\\' => {
                    out.push_str(self.s.get(chunk..self.i)?);
                    let esc = *self.b.get(self.i + 1)?;
                    self.i += 2;
                    match esc {
                        b'n' => out.push('\n'),
                        b't' => out.push('\t'),
                        b'r' => out.push('\r'),
                        b'b' => out.push('\u{8}'),
                        b'f' => out.push('\u{c}'),
                        b'u' => {
                            let hex = self.s.get(self.i..self.i + 4)?;
                            let c = u32::from_str_radix(hex, 16).ok()?;
                            out.push(char::from_u32(c).unwrap_or('\u{fffd}'));
                            self.i += 4;
                        }
                        other => out.push(other as char),
                    }
                    chunk = self.i;
                }
                _ => self.i += 1,
            }
        }
        None
    }
}

/// A released version `major.minor.patch[-pre]`.
#[derive(Debug, Clone, PartialEq, Eq, Hash)]
pub struct Version {
    /// Major.
    pub major: u64,
    /// Minor.
    pub minor: u64,
    /// Patch.
    pub patch: u64,
    /// Pre-release tag (`dev.3`), if any.
    pub pre: Option<String>,
}

impl Version {
    /// A version without pre-release tag.
    pub const fn new(major: u64, minor: u64, patch: u64) -> Version {
        Version {
            major,
            minor,
            patch,
            pre: None,
        }
    }
    /// Parse `1.2.3`, `v1.2.3`, `1.2` (patch 0), `1.2.3-dev.4` (build metadata dropped).
    pub fn parse(s: &str) -> Option<Version> {
        let s = s.trim().trim_start_matches(['v', '=']);
        let s = s.split('+').next()?;
        let (core, pre) = match s.find('-') {
            Some(i) => (&s[..i], Some(s[i + 1..].to_string())),
            None => (s, None),
        };
        let mut parts = core.split('.');
        let major = parts.next()?.parse().ok()?;
        let minor = match parts.next() {
            Some(p) => p.parse().ok()?,
            None => 0,
        };
        let patch = match parts.next() {
            Some(p) => p.parse().ok()?,
            None => 0,
        };
        if parts.next().is_some() {
            return None;
        }
        Some(Version {
            major,
            minor,
            patch,
            pre,
        })
    }
}

impl Ord for Version {
    fn cmp(&self, o: &Self) -> Ordering {
        (self.major, self.minor, self.patch)
            .cmp(&(o.major, o.minor, o.patch))
            .then_with(|| match (&self.pre, &o.pre) {
                (None, None) => Ordering::Equal,
                (None, Some(_)) => Ordering::Greater,
                (Some(_), None) => Ordering::Less,
                (Some(a), Some(b)) => a.cmp(b),
            })
    }
}

impl PartialOrd for Version {
    fn partial_cmp(&self, o: &Self) -> Option<Ordering> {
        Some(self.cmp(o))
    }
}

impl fmt::Display for Version {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "{}.{}.{}", self.major, self.minor, self.patch)?;
        if let Some(pre) = &self.pre {
            write!(f, "-{pre}")?;
        }
        Ok(())
    }
}

/// What an npm version specifier allows, as far as these checks need.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum VersionSpec {
    /// `6.5.0` / `=6.5.0`
    Exact(Version),
    /// `^6.5.0`, `~6.5.0`, `>=6.5.0`, `6.x`, ...: the lowest version allowed and the
    /// operator as written.
    Range {
        /// Lowest version allowed.
        min: Version,
        /// The specifier as written.
        text: String,
    },
    /// `latest`, `*`, `workspace:*`, git URLs, ...
    Unknown(String),
}

impl VersionSpec {
    /// Interpret a specifier (`npm:prisma@6.5.0` aliases are unwrapped).
    pub fn parse(spec: &str) -> VersionSpec {
        let s = spec.trim();
        let s = s
            .strip_prefix("npm:")
            .and_then(|a| a.rsplit_once('@').map(|(_, v)| v))
            .unwrap_or(s);
        if let Some(v) = Version::parse(s)
            && !s.contains(['x', 'X', '*'])
        {
            return VersionSpec::Exact(v);
        }
        let first = s.split("||").next().unwrap_or("").trim();
        let body = first.trim_start_matches(['^', '~', '>', '=', ' ']);
        let body = body.split_whitespace().next().unwrap_or("");
        let cleaned: String = body
            .split('.')
            .map(|p| if matches!(p, "x" | "X" | "*") { "0" } else { p })
            .collect::<Vec<_>>()
            .join(".");
        match Version::parse(&cleaned) {
            Some(min) if !first.starts_with('<') => VersionSpec::Range {
                min,
                text: spec.trim().to_string(),
            },
            _ => VersionSpec::Unknown(spec.trim().to_string()),
        }
    }
    /// The lowest version the specifier allows, if known.
    pub fn min(&self) -> Option<&Version> {
        match self {
            VersionSpec::Exact(v) | VersionSpec::Range { min: v, .. } => Some(v),
            VersionSpec::Unknown(_) => None,
        }
    }
}

/// Which dependency section.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum DepKind {
    /// `dependencies`
    Prod,
    /// `devDependencies`
    Dev,
    /// `peerDependencies`
    Peer,
    /// `optionalDependencies`
    Optional,
}

impl DepKind {
    /// The JSON key.
    pub fn key(self) -> &'static str {
        match self {
            DepKind::Prod => "dependencies",
            DepKind::Dev => "devDependencies",
            DepKind::Peer => "peerDependencies",
            DepKind::Optional => "optionalDependencies",
        }
    }
}

/// One declared dependency.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Dependency {
    /// Package name.
    pub name: String,
    /// Specifier as written.
    pub spec: String,
    /// Byte range of the specifier string (quotes included).
    pub range: Range<usize>,
    /// Section.
    pub kind: DepKind,
}

/// The parts of a `package.json` the checks use.
#[derive(Debug, Clone, Default, PartialEq)]
pub struct PackageJson {
    /// `name`
    pub name: Option<String>,
    /// All dependencies of all sections.
    pub dependencies: Vec<Dependency>,
    /// `scripts` (name, command).
    pub scripts: Vec<(String, String)>,
    /// `true` if `workspaces` is declared (a monorepo root).
    pub has_workspaces: bool,
}

impl PackageJson {
    /// Parse; `None` if the text is not a JSON object.
    pub fn parse(text: &str) -> Option<PackageJson> {
        let root = parse_json(text)?;
        if !matches!(root.value, Json::Object(_)) {
            return None;
        }
        let mut pkg = PackageJson {
            name: root.get("name").and_then(|n| n.as_str()).map(str::to_owned),
            has_workspaces: root.get("workspaces").is_some(),
            ..PackageJson::default()
        };
        for kind in [
            DepKind::Prod,
            DepKind::Dev,
            DepKind::Peer,
            DepKind::Optional,
        ] {
            if let Some(section) = root.get(kind.key()) {
                for (name, _, v) in section.members() {
                    if let Some(spec) = v.as_str() {
                        pkg.dependencies.push(Dependency {
                            name: name.clone(),
                            spec: spec.to_string(),
                            range: v.range.clone(),
                            kind,
                        });
                    }
                }
            }
        }
        if let Some(scripts) = root.get("scripts") {
            for (name, _, v) in scripts.members() {
                if let Some(cmd) = v.as_str() {
                    pkg.scripts.push((name.clone(), cmd.to_string()));
                }
            }
        }
        Some(pkg)
    }
    /// The dependency `name` (first section wins: dependencies, dev, peer, optional).
    pub fn dependency(&self, name: &str) -> Option<&Dependency> {
        self.dependencies.iter().find(|d| d.name == name)
    }
}

/// The version of `name` that a lockfile resolved, if the lockfile records it.
///
/// `kind` is the lockfile's file name (`package-lock.json`, `npm-shrinkwrap.json`,
/// `pnpm-lock.yaml`, `yarn.lock`, `bun.lock`). For several entries (hoisted and nested), the
/// top-level one wins.
pub fn lockfile_version(kind: &str, text: &str, name: &str) -> Option<Version> {
    match kind {
        "package-lock.json" | "npm-shrinkwrap.json" | "bun.lock" => {
            let root = parse_json(text)?;
            if let Some(v) = root
                .get("packages")
                .and_then(|p| p.get(&format!("node_modules/{name}")))
                .and_then(|e| e.get("version"))
                .and_then(|v| v.as_str())
            {
                return Version::parse(v);
            }
            root.get("dependencies")
                .and_then(|d| d.get(name))
                .and_then(|e| e.get("version"))
                .and_then(|v| v.as_str())
                .and_then(Version::parse)
        }
        "pnpm-lock.yaml" => pnpm_version(text, name),
        "yarn.lock" => yarn_version(text, name),
        _ => None,
    }
}

fn pnpm_version(text: &str, name: &str) -> Option<Version> {
    // v6+/v9: under `importers: .: dependencies:` → `prisma:` then `version: 6.5.0(...)`;
    // v5: `dependencies:` → `prisma: 6.5.0`; packages keys: `/prisma@6.5.0:` or `prisma@6.5.0:`.
    let lines: Vec<&str> = text.lines().collect();
    for (i, line) in lines.iter().enumerate() {
        let trimmed = line.trim_start();
        let indent = line.len() - trimmed.len();
        let key = trimmed
            .strip_prefix(&format!("{name}:"))
            .or_else(|| trimmed.strip_prefix(&format!("'{name}':")));
        if let Some(rest) = key {
            let rest = rest.trim();
            if !rest.is_empty() {
                if let Some(v) = Version::parse(rest.split('(').next().unwrap_or("")) {
                    return Some(v);
                }
                continue;
            }
            for next in lines.iter().skip(i + 1) {
                let t = next.trim_start();
                if next.len() - t.len() <= indent {
                    break;
                }
                if let Some(v) = t.strip_prefix("version:") {
                    let v = v.trim().trim_matches(['\'', '"']);
                    if let Some(v) = Version::parse(v.split('(').next().unwrap_or("")) {
                        return Some(v);
                    }
                }
            }
        }
    }
    for line in &lines {
        let t = line
            .trim()
            .trim_start_matches('/')
            .trim_matches(['\'', '"']);
        let t = t.trim_end_matches(':').trim_matches(['\'', '"']);
        if let Some(v) = t.strip_prefix(&format!("{name}@"))
            && let Some(v) = Version::parse(v.split('(').next().unwrap_or(""))
        {
            return Some(v);
        }
    }
    None
}

fn yarn_version(text: &str, name: &str) -> Option<Version> {
    let lines: Vec<&str> = text.lines().collect();
    for (i, line) in lines.iter().enumerate() {
        if line.starts_with(' ') || line.starts_with('#') {
            continue;
        }
        let header = line.trim_end_matches(':');
        let is_entry = header.split(',').any(|k| {
            let k = k.trim().trim_matches('"');
            k.strip_prefix(name)
                .is_some_and(|rest| rest.starts_with('@'))
        });
        if !is_entry {
            continue;
        }
        for next in lines.iter().skip(i + 1) {
            if !next.starts_with(' ') {
                break;
            }
            let t = next.trim();
            if let Some(v) = t.strip_prefix("version") {
                let v = v.trim_start_matches(':').trim().trim_matches('"');
                return Version::parse(v);
            }
        }
    }
    None
}
