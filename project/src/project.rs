//! The project as an in-memory file set (path → bytes). No filesystem access here, so the
//! core runs in the browser; [`crate::load`] reads a directory on native targets.

use crate::line_index::LineIndex;
use crate::span::{FileId, Span};
use schemars::JsonSchema;
use serde::{Deserialize, Serialize};
use std::collections::BTreeMap;
use std::sync::OnceLock;

/// Errors about the input as a whole (one-line messages; the CLI exits with 2).
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum ProjectError {
    /// No schema was found where Prisma looks for one.
    #[error("no Prisma schema found (looked at {0}); pass --schema PATH")]
    NoSchema(String),
    /// The explicit schema path does not exist in the project.
    #[error("schema path `{0}` does not exist")]
    SchemaNotFound(String),
    /// An explicit schema folder holds no `.prisma` file.
    #[error("schema folder `{0}` contains no .prisma file")]
    EmptySchemaFolder(String),
}

/// One file of the project.
#[derive(Debug)]
pub struct ProjectFile {
    path: String,
    bytes: Vec<u8>,
    text: Option<String>,
    lines: OnceLock<LineIndex>,
}

impl ProjectFile {
    /// Path relative to the project root, `/`-separated.
    pub fn path(&self) -> &str {
        &self.path
    }
    /// Raw contents.
    pub fn bytes(&self) -> &[u8] {
        &self.bytes
    }
    /// Contents as text; `None` if the file is not UTF-8 or looks binary (contains NUL).
    pub fn text(&self) -> Option<&str> {
        self.text.as_deref()
    }
    /// Line index of the text (empty for non-text files).
    pub fn lines(&self) -> &LineIndex {
        self.lines
            .get_or_init(|| LineIndex::new(self.text().unwrap_or("")))
    }
}

/// How the schema was located, in Prisma's order of precedence.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum SchemaDiscovery {
    /// Given by the caller (`--schema`).
    Explicit,
    /// `schema` in `prisma.config.ts`.
    PrismaConfig,
    /// `prisma.schema` in `package.json`.
    PackageJson,
    /// `prisma/schema.prisma`.
    DefaultFile,
    /// `prisma/schema/` folder.
    DefaultFolder,
    /// `schema.prisma` at the root.
    RootFile,
}

/// The located schema: its files (sorted) and where it came from.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct SchemaSource {
    /// The `.prisma` files making up the schema.
    pub files: Vec<FileId>,
    /// The schema path as configured (a file or a folder), relative to the root.
    pub path: String,
    /// How it was found.
    pub discovery: SchemaDiscovery,
}

/// An in-memory set of project files.
#[derive(Debug, Default)]
pub struct Project {
    root: String,
    files: Vec<ProjectFile>,
}

/// Normalise a path: `\` → `/`, strip `./` and leading `/`, resolve `..` lexically.
pub fn normalize_path(path: &str) -> String {
    let mut parts: Vec<&str> = Vec::new();
    for part in path.split(['/', '\\']) {
        match part {
            "" | "." => {}
            ".." => {
                parts.pop();
            }
            p => parts.push(p),
        }
    }
    parts.join("/")
}

impl Project {
    /// Build a project named `root` from `(path, contents)` pairs. Later duplicates win.
    pub fn from_files<P: Into<String>, B: Into<Vec<u8>>>(
        root: impl Into<String>,
        files: impl IntoIterator<Item = (P, B)>,
    ) -> Self {
        let mut map = BTreeMap::new();
        for (path, bytes) in files {
            map.insert(normalize_path(&path.into()), bytes.into());
        }
        let files = map
            .into_iter()
            .map(|(path, bytes)| {
                let text = std::str::from_utf8(&bytes)
                    .ok()
                    .filter(|t| !t.contains('\0'))
                    .map(str::to_owned);
                ProjectFile {
                    path,
                    bytes,
                    text,
                    lines: OnceLock::new(),
                }
            })
            .collect();
        Project {
            root: root.into(),
            files,
        }
    }

    /// Display name of the root.
    pub fn root(&self) -> &str {
        &self.root
    }

    /// All files, sorted by path; `FileId(i)` is the i-th.
    pub fn files(&self) -> impl Iterator<Item = (FileId, &ProjectFile)> {
        self.files
            .iter()
            .enumerate()
            .map(|(i, f)| (FileId(i as u32), f))
    }

    /// One file.
    pub fn file(&self, id: FileId) -> Option<&ProjectFile> {
        self.files.get(id.0 as usize)
    }

    /// The id of `path` (normalised).
    pub fn file_id(&self, path: &str) -> Option<FileId> {
        let path = normalize_path(path);
        self.files
            .binary_search_by(|f| f.path.as_str().cmp(&path))
            .ok()
            .map(|i| FileId(i as u32))
    }

    /// Text of `path`, if present and text.
    pub fn text_of(&self, path: &str) -> Option<&str> {
        self.file_id(path)
            .and_then(|id| self.file(id))
            .and_then(|f| f.text())
    }

    /// Files under folder `dir` (recursively), in path order.
    pub fn files_under<'a>(
        &'a self,
        dir: &str,
    ) -> impl Iterator<Item = (FileId, &'a ProjectFile)> + 'a {
        let dir = normalize_path(dir);
        let prefix = if dir.is_empty() {
            String::new()
        } else {
            format!("{dir}/")
        };
        self.files()
            .filter(move |(_, f)| f.path.starts_with(&prefix))
    }

    /// `true` if some file lies under `dir`.
    pub fn is_dir(&self, dir: &str) -> bool {
        self.files_under(dir).next().is_some() && self.file_id(dir).is_none()
    }

    /// Convert a span to a public location (1-based line/column, path with `/`).
    pub fn location(&self, span: Span) -> Option<Location> {
        let file = self.file(span.file)?;
        let text = file.text().unwrap_or("");
        let lines = file.lines();
        let s = lines.line_col(text, span.range.start());
        let e = lines.line_col(text, span.range.end());
        Some(Location {
            file: file.path.clone(),
            start: Position {
                line: s.line,
                column: s.column,
            },
            end: Position {
                line: e.line,
                column: e.column,
            },
        })
    }

    /// Position of a byte offset in a file.
    pub fn position(&self, file: FileId, offset: rowan::TextSize) -> Position {
        match self.file(file) {
            Some(f) => {
                let lc = f.lines().line_col(f.text().unwrap_or(""), offset);
                Position {
                    line: lc.line,
                    column: lc.column,
                }
            }
            None => Position { line: 1, column: 1 },
        }
    }

    /// Locate the schema as Prisma does. `explicit` (a file or folder relative to the root)
    /// overrides discovery; `config_schema` is the `schema` value of `prisma.config.ts` if any.
    pub fn discover_schema(
        &self,
        explicit: Option<&str>,
        config_schema: Option<&str>,
    ) -> Result<SchemaSource, ProjectError> {
        if let Some(path) = explicit {
            return self
                .schema_at(path, SchemaDiscovery::Explicit)?
                .ok_or_else(|| ProjectError::SchemaNotFound(normalize_path(path)));
        }
        if let Some(path) = config_schema
            && let Some(found) = self.schema_at(path, SchemaDiscovery::PrismaConfig)?
        {
            return Ok(found);
        }
        if let Some(path) = self.package_json_schema()
            && let Some(found) = self.schema_at(&path, SchemaDiscovery::PackageJson)?
        {
            return Ok(found);
        }
        for (path, how) in [
            ("prisma/schema.prisma", SchemaDiscovery::DefaultFile),
            ("prisma/schema", SchemaDiscovery::DefaultFolder),
            ("schema.prisma", SchemaDiscovery::RootFile),
        ] {
            if let Some(found) = self.schema_at(path, how)? {
                return Ok(found);
            }
        }
        Err(ProjectError::NoSchema(
            "prisma.config.ts, package.json#prisma.schema, prisma/schema.prisma, prisma/schema/, schema.prisma".into(),
        ))
    }

    /// `prisma.schema` of the root `package.json`.
    fn package_json_schema(&self) -> Option<String> {
        let text = self.text_of("package.json")?;
        let json: serde_json::Value = serde_json::from_str(text).ok()?;
        json.get("prisma")?
            .get("schema")?
            .as_str()
            .map(str::to_owned)
    }

    fn schema_at(
        &self,
        path: &str,
        discovery: SchemaDiscovery,
    ) -> Result<Option<SchemaSource>, ProjectError> {
        let path = normalize_path(path);
        if let Some(id) = self.file_id(&path) {
            return Ok(Some(SchemaSource {
                files: vec![id],
                path,
                discovery,
            }));
        }
        if self.is_dir(&path) {
            let files: Vec<FileId> = self
                .files_under(&path)
                .filter(|(_, f)| f.path.ends_with(".prisma") && !f.path.contains("/node_modules/"))
                .map(|(id, _)| id)
                .collect();
            if files.is_empty() {
                return Err(ProjectError::EmptySchemaFolder(path));
            }
            return Ok(Some(SchemaSource {
                files,
                path,
                discovery,
            }));
        }
        Ok(None)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn project(paths: &[&str]) -> Project {
        Project::from_files("p", paths.iter().map(|p| (p.to_string(), b"x".to_vec())))
    }

    #[test]
    fn normalizes_paths() {
        assert_eq!(
            normalize_path("./prisma\\schema.prisma"),
            "prisma/schema.prisma"
        );
        assert_eq!(normalize_path("/a/b/../c"), "a/c");
    }

    #[test]
    fn discovery_order() {
        let p = project(&["prisma/schema.prisma", "schema.prisma"]);
        let s = p.discover_schema(None, None).unwrap();
        assert_eq!(s.discovery, SchemaDiscovery::DefaultFile);
        let p = project(&[
            "prisma/schema/a.prisma",
            "prisma/schema/b.prisma",
            "prisma/schema/x.txt",
        ]);
        let s = p.discover_schema(None, None).unwrap();
        assert_eq!(s.discovery, SchemaDiscovery::DefaultFolder);
        assert_eq!(s.files.len(), 2);
        let p = project(&["schema.prisma"]);
        assert_eq!(
            p.discover_schema(None, None).unwrap().discovery,
            SchemaDiscovery::RootFile
        );
        let p = project(&["db/main.prisma", "schema.prisma"]);
        let s = p.discover_schema(None, Some("./db/main.prisma")).unwrap();
        assert_eq!(
            (s.discovery, s.path.as_str()),
            (SchemaDiscovery::PrismaConfig, "db/main.prisma")
        );
        assert!(matches!(
            p.discover_schema(Some("nope.prisma"), None),
            Err(ProjectError::SchemaNotFound(_))
        ));
        assert!(matches!(
            project(&["a.txt"]).discover_schema(None, None),
            Err(ProjectError::NoSchema(_))
        ));
    }

    #[test]
    fn package_json_schema_path() {
        let p = Project::from_files(
            "p",
            [
                (
                    "package.json",
                    br#"{"prisma":{"schema":"db/schema.prisma"}}"#.to_vec(),
                ),
                ("db/schema.prisma", b"".to_vec()),
            ],
        );
        assert_eq!(
            p.discover_schema(None, None).unwrap().discovery,
            SchemaDiscovery::PackageJson
        );
    }

    #[test]
    fn binary_and_non_utf8_have_no_text() {
        let p = Project::from_files(
            "p",
            [
                ("a", vec![0xff, 0xfe]),
                ("b", b"a\0b".to_vec()),
                ("c", b"ok".to_vec()),
            ],
        );
        let texts: Vec<_> = p.files().map(|(_, f)| f.text().is_some()).collect();
        assert_eq!(texts, [false, false, true]);
    }
}

/// A 1-based line and column (columns count characters).
#[derive(
    Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize, Deserialize, JsonSchema,
)]
pub struct Position {
    /// 1-based line.
    pub line: u32,
    /// 1-based column in characters.
    pub column: u32,
}

/// A range in one project file.
#[derive(
    Debug, Clone, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize, Deserialize, JsonSchema,
)]
pub struct Location {
    /// Path relative to the project root, with `/` separators.
    pub file: String,
    /// First character.
    pub start: Position,
    /// Just past the last character.
    pub end: Position,
}
