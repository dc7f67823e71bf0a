//! `.gitignore` semantics over in-memory paths: nested `.gitignore` files, negation (`!`),
//! anchored patterns (`/x`, `a/b`), `**`, directory-only patterns (`x/`), character classes
//! and backslash escapes.
//!
//! As in git: within one file the last matching pattern wins; a deeper `.gitignore` overrides
//! a shallower one; and a file inside an ignored directory stays ignored even if a later
//! pattern re-includes it (git does not descend into excluded directories).

use crate::project::Project;

/// One pattern line.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Pattern {
    /// The pattern as written (trimmed).
    pub text: String,
    /// 1-based line in its `.gitignore`.
    pub line: usize,
    /// `!pattern`
    pub negated: bool,
    /// `pattern/`
    pub dir_only: bool,
    /// Contains a `/` before the end: matched against the whole path relative to the
    /// `.gitignore`'s directory instead of the name.
    pub anchored: bool,
    glob: Vec<Tok>,
}

#[derive(Debug, Clone, PartialEq, Eq)]
enum Tok {
    Lit(char),
    Any,
    Star,
    /// `**/` — zero or more whole directories.
    DirStar,
    /// `/**` at the end — everything inside.
    AllInside,
    /// `**` elsewhere — anything, slashes included.
    AnyPath,
    Class(Vec<(char, char)>, bool),
}

/// One `.gitignore` file.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct IgnoreFile {
    /// Path of the `.gitignore` relative to the project root.
    pub path: String,
    /// Its directory (`""` for the root).
    pub dir: String,
    /// Patterns in file order.
    pub patterns: Vec<Pattern>,
}

/// The pattern that decided a path.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Decision<'a> {
    /// The `.gitignore` file.
    pub file: &'a IgnoreFile,
    /// The deciding pattern.
    pub pattern: &'a Pattern,
    /// The directory (or the path itself) the pattern matched.
    pub matched: &'a str,
}

/// All `.gitignore` files of a project.
#[derive(Debug, Clone, Default)]
pub struct GitIgnore {
    files: Vec<IgnoreFile>,
}

impl Pattern {
    /// Parse one line; `None` for blank lines and comments.
    pub fn parse(line: &str, line_no: usize) -> Option<Pattern> {
        let line = line.strip_suffix('\r').unwrap_or(line);
        // Trailing spaces are ignored unless escaped.
        let mut end = line.len();
        while end > 0 && line.as_bytes()[end - 1] == b' ' {
            if end >= 2 && line.as_bytes()[end - 2] == b'\\' {
                break;
            }
            end -= 1;
        }
        let mut p = &line[..end];
        if p.is_empty() || p.starts_with('#') {
            return None;
        }
        let negated = p.starts_with('!');
        if negated {
            p = &p[1..];
        }
        let dir_only = p.ends_with('/') && !p.ends_with("\\/");
        if dir_only {
            p = &p[..p.len() - 1];
        }
        if p.is_empty() {
            return None;
        }
        let anchored = p.trim_end_matches('/').contains('/');
        let p = p.strip_prefix('/').unwrap_or(p);
        Some(Pattern {
            text: line[..end].to_string(),
            line: line_no,
            negated,
            dir_only,
            anchored,
            glob: compile(p),
        })
    }

    /// `true` if the pattern matches `rel` (relative to the `.gitignore`'s directory);
    /// `is_dir` tells whether `rel` is a directory.
    pub fn matches(&self, rel: &str, is_dir: bool) -> bool {
        if self.dir_only && !is_dir {
            return false;
        }
        let subject = if self.anchored {
            rel
        } else {
            rel.rsplit('/').next().unwrap_or(rel)
        };
        glob_match(&self.glob, &subject.chars().collect::<Vec<_>>())
    }
}

fn compile(p: &str) -> Vec<Tok> {
    let chars: Vec<char> = p.chars().collect();
    let mut out = Vec::new();
    let mut i = 0;
    while i < chars.len() {
        let c = chars[i];
        match c {
            '\\' if i + 1 < chars.len() => {
                out.push(Tok::Lit(chars[i + 1]));
                i += 2;
                continue;
            }
            '*' if chars.get(i + 1) == Some(&'*') => {
                let at_start = i == 0 || chars[i - 1] == '/';
                let next = chars.get(i + 2);
                if at_start && next == Some(&'/') {
                    out.push(Tok::DirStar);
                    i += 3;
                    continue;
                }
                if at_start && next.is_none() && i > 0 {
                    // `dir/**`: drop the `/` already pushed.
                    if out.last() == Some(&Tok::Lit('/')) {
                        out.pop();
                    }
                    out.push(Tok::AllInside);
                    i += 2;
                    continue;
                }
                if at_start && next.is_none() {
                    out.push(Tok::AnyPath);
                    i += 2;
                    continue;
                }
                // `a**b` behaves like `*`.
                out.push(Tok::Star);
                while i < chars.len() && chars[i] == '*' {
                    i += 1;
                }
                continue;
            }
            '*' => out.push(Tok::Star),
            '?' => out.push(Tok::Any),
            '[' => {
                if let Some((tok, len)) = class(&chars[i..]) {
                    out.push(tok);
                    i += len;
                    continue;
                }
                out.push(Tok::Lit('['));
            }
            c => out.push(Tok::Lit(c)),
        }
        i += 1;
    }
    out
}

/// Parse `[...]` at the start of `chars`; returns the token and the consumed length.
fn class(chars: &[char]) -> Option<(Tok, usize)> {
    let mut i = 1;
    let negated = matches!(chars.get(1), Some('!' | '^'));
    if negated {
        i += 1;
    }
    let mut ranges = Vec::new();
    let mut first = true;
    while i < chars.len() {
        let mut c = chars[i];
        if c == ']' && !first {
            return Some((Tok::Class(ranges, negated), i + 1));
        }
        first = false;
        if c == '\\' && i + 1 < chars.len() {
            i += 1;
            c = chars[i];
        }
        if chars.get(i + 1) == Some(&'-') && chars.get(i + 2).is_some_and(|&e| e != ']') {
            let hi = chars[i + 2];
            ranges.push((c, hi));
            i += 3;
        } else {
            ranges.push((c, c));
            i += 1;
        }
    }
    None
}

fn glob_match(toks: &[Tok], text: &[char]) -> bool {
    // memo[t][s]: None = unknown.
    let mut memo = vec![None; (toks.len() + 1) * (text.len() + 1)];
    m(toks, text, 0, 0, &mut memo)
}

fn m(toks: &[Tok], text: &[char], t: usize, s: usize, memo: &mut [Option<bool>]) -> bool {
    let key = t * (text.len() + 1) + s;
    if let Some(v) = memo[key] {
        return v;
    }
    let r = match toks.get(t) {
        None => s == text.len(),
        Some(Tok::Lit(c)) => text.get(s) == Some(c) && m(toks, text, t + 1, s + 1, memo),
        Some(Tok::Any) => {
            text.get(s).is_some_and(|&c| c != '/') && m(toks, text, t + 1, s + 1, memo)
        }
        Some(Tok::Class(ranges, negated)) => {
            text.get(s).is_some_and(|&c| {
                c != '/' && (ranges.iter().any(|&(lo, hi)| lo <= c && c <= hi) != *negated)
            }) && m(toks, text, t + 1, s + 1, memo)
        }
        Some(Tok::Star) => {
            let mut k = s;
            loop {
                if m(toks, text, t + 1, k, memo) {
                    break true;
                }
                if k >= text.len() || text[k] == '/' {
                    break false;
                }
                k += 1;
            }
        }
        Some(Tok::AnyPath) => (s..=text.len()).any(|k| m(toks, text, t + 1, k, memo)),
        Some(Tok::DirStar) => {
            // Zero directories, or skip up to and including some later `/`.
            m(toks, text, t + 1, s, memo)
                || (s..text.len())
                    .filter(|&k| text[k] == '/')
                    .any(|k| m(toks, text, t + 1, k + 1, memo))
        }
        Some(Tok::AllInside) => {
            text.get(s) == Some(&'/')
                && s + 1 < text.len()
                && m(toks, text, t + 1, text.len(), memo)
        }
    };
    memo[key] = Some(r);
    r
}

impl IgnoreFile {
    /// Parse the text of the `.gitignore` at `path`.
    pub fn parse(path: &str, text: &str) -> IgnoreFile {
        let dir = match path.rfind('/') {
            Some(i) => path[..i].to_string(),
            None => String::new(),
        };
        IgnoreFile {
            path: path.to_string(),
            dir,
            patterns: text
                .lines()
                .enumerate()
                .filter_map(|(i, l)| Pattern::parse(l, i + 1))
                .collect(),
        }
    }
}

impl GitIgnore {
    /// Every `.gitignore` of the project (outside `node_modules`).
    pub fn from_project(project: &Project) -> GitIgnore {
        let files = project
            .files()
            .filter(|(_, f)| {
                let p = f.path();
                (p == ".gitignore" || p.ends_with("/.gitignore"))
                    && !p.split('/').any(|s| s == "node_modules")
            })
            .filter_map(|(_, f)| Some(IgnoreFile::parse(f.path(), f.text()?)))
            .collect();
        GitIgnore { files }
    }

    /// Build from `(path of the .gitignore, text)` pairs.
    pub fn from_files<'a>(files: impl IntoIterator<Item = (&'a str, &'a str)>) -> GitIgnore {
        GitIgnore {
            files: files
                .into_iter()
                .map(|(p, t)| IgnoreFile::parse(p, t))
                .collect(),
        }
    }

    /// The `.gitignore` files.
    pub fn files(&self) -> &[IgnoreFile] {
        &self.files
    }

    /// `true` if git would ignore the file at `path` (relative to the root, `/`-separated).
    pub fn is_ignored(&self, path: &str) -> bool {
        self.decide(path).is_some_and(|d| !d.pattern.negated)
    }

    /// The pattern deciding `path`: the exclusion of an ancestor directory, or the last
    /// pattern matching the file itself (possibly a negation). `None` if nothing matches.
    pub fn decide<'p>(&'p self, path: &'p str) -> Option<Decision<'p>> {
        let path = path.trim_start_matches("./");
        let mut end = 0;
        // Ancestor directories first: an excluded directory cannot be re-included into.
        while let Some(i) = path[end..].find('/') {
            let dir = &path[..end + i];
            if let Some(d) = self.last_match(dir, true)
                && !d.pattern.negated
            {
                return Some(d);
            }
            end += i + 1;
        }
        self.last_match(path, false)
    }

    fn last_match<'p>(&'p self, path: &'p str, is_dir: bool) -> Option<Decision<'p>> {
        let mut files: Vec<&IgnoreFile> = self
            .files
            .iter()
            .filter(|f| f.dir.is_empty() || path.starts_with(&format!("{}/", f.dir)))
            .collect();
        // Shallow first, so deeper files override.
        files.sort_by_key(|f| f.dir.matches('/').count() + usize::from(!f.dir.is_empty()));
        let mut found = None;
        for f in files {
            let rel = if f.dir.is_empty() {
                path
            } else {
                &path[f.dir.len() + 1..]
            };
            for p in &f.patterns {
                if p.matches(rel, is_dir) {
                    found = Some(Decision {
                        file: f,
                        pattern: p,
                        matched: path,
                    });
                }
            }
        }
        found
    }
}
