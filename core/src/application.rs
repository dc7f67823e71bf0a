//! The application's Prisma Client calls, read by the TypeScript front end
//! ([`prisma_audit_typescript`]) from the project's `.ts`/`.js` files and resolved against the
//! schema's models. Rules get them through [`RuleContext::application`](crate::rule::RuleContext::application),
//! computed once per audit; tools get them with [`queries`].

use crate::model::Schema;
use crate::project::Project;
use crate::span::{FileId, Span};
use prisma_audit_typescript::{Models, extract_all};
use rowan::{TextRange, TextSize};

pub use prisma_audit_typescript::{
    AwaitedCall, ByteSpan, ClientConstruction, Conversion, DataRead, Direction, FileQueries,
    FileRole, Filter, FilterOp, Input, LoopContext, LoopKind, NumberConversion, Operation, OrderBy,
    OrderKey, Origin, Quantifier, QueryArgs, QueryCall, RawSql, Receiver, SelectItem, Selection,
    SqlFragment, SqlHelper, Transaction, Value, role_of,
};

/// Which source files are application code to read, beyond what [`role_of`] rejects
/// (dependencies, build output, generated clients, declaration files).
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct CodeScope {
    /// Read only files matching one of these globs (none: every file).
    pub include: Vec<String>,
    /// Never read files matching one of these globs.
    pub exclude: Vec<String>,
}

impl CodeScope {
    /// Whether `path` is in scope.
    pub fn admits(&self, path: &str) -> bool {
        use crate::config::glob_match;
        (self.include.is_empty() || self.include.iter().any(|g| glob_match(g, path)))
            && !self.exclude.iter().any(|g| glob_match(g, path))
    }
}

/// The Prisma Client calls of the project's source files.
#[derive(Debug, Default)]
pub struct Application {
    /// Every source file read, with its calls, in path order.
    pub files: Vec<SourceFile>,
}

/// One source file and its calls.
#[derive(Debug)]
pub struct SourceFile {
    /// The file in the project.
    pub file: FileId,
    /// Its calls, role and syntax error.
    pub queries: FileQueries,
}

impl Application {
    /// Read the source files of `project` in `scope` (and not ignored by the project's
    /// `.gitignore` files) against the models of `schema`.
    pub fn read(project: &Project, schema: &Schema, scope: &CodeScope) -> Application {
        let models = Models::new(schema.models().map(|m| m.name.as_str()));
        let ignored = crate::env::gitignore::GitIgnore::from_project(project);
        let inputs: Vec<(FileId, &str, &str)> = project
            .files()
            .filter(|(_, f)| {
                role_of(f.path()).is_some()
                    && scope.admits(f.path())
                    && !ignored.is_ignored(f.path())
            })
            .filter_map(|(id, f)| Some((id, f.path(), f.text()?)))
            .collect();
        let pairs: Vec<(&str, &str)> = inputs.iter().map(|(_, p, t)| (*p, *t)).collect();
        let files = extract_all(&pairs, &models)
            .into_iter()
            .zip(inputs.iter().map(|(id, _, _)| *id))
            .map(|(queries, file)| SourceFile { file, queries })
            .collect();
        Application { files }
    }

    /// Every call, with its file.
    pub fn calls(&self) -> impl Iterator<Item = (&SourceFile, &QueryCall)> {
        self.files
            .iter()
            .flat_map(|f| f.queries.calls.iter().map(move |c| (f, c)))
    }

    /// Whether any source file holds a Prisma Client call.
    pub fn has_calls(&self) -> bool {
        self.files.iter().any(|f| !f.queries.calls.is_empty())
    }
}

/// The span of `span` in `file`.
pub fn span_of(file: FileId, span: ByteSpan) -> Span {
    Span::new(
        file,
        TextRange::new(TextSize::from(span.start), TextSize::from(span.end)),
    )
}

/// The Prisma Client calls of `project`'s source files as plain data (JSON-serialisable,
/// described by `schema/queries.schema.json`), the files without calls or SQL helpers left out.
pub fn queries(project: &Project, schema: &Schema, scope: &CodeScope) -> Vec<FileQueries> {
    Application::read(project, schema, scope)
        .files
        .into_iter()
        .map(|f| f.queries)
        .filter(|q| !q.calls.is_empty() || !q.sql_fragments.is_empty() || q.syntax_error.is_some())
        .collect()
}

/// The JSON Schema of [`queries`]' result, pretty-printed with a final newline.
pub fn json_schema() -> String {
    let schema = schemars::schema_for!(Vec<FileQueries>);
    let mut s = serde_json::to_string_pretty(&schema).unwrap_or_default();
    s.push('\n');
    s
}
