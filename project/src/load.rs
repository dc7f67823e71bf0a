//! Read a project directory from disk into a [`Project`] (native targets only, feature `fs`).
//!
//! Only files prisma-audit looks at are read; build output and dependency folders are skipped,
//! symlinked directories are not followed, nothing is ever written.

use crate::project::Project;
use std::io::Read;
use std::path::{Path, PathBuf};

/// Folders never descended into.
pub const SKIPPED_DIRS: &[&str] = &[
    "node_modules",
    ".git",
    ".next",
    "dist",
    "build",
    "out",
    "target",
    ".turbo",
    ".vercel",
    "coverage",
    ".yarn",
    ".pnpm-store",
    ".venv",
    "__pycache__",
];

/// Size limits of one load.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct LoadLimits {
    /// Files larger than this are skipped with a note.
    pub max_file_bytes: u64,
    /// Once this many bytes are read, further files are skipped with a note.
    pub max_total_bytes: u64,
    /// Once this many files are read, further files are skipped with a note.
    pub max_files: usize,
}

impl Default for LoadLimits {
    fn default() -> Self {
        LoadLimits {
            max_file_bytes: 5 * 1024 * 1024,
            max_total_bytes: 256 * 1024 * 1024,
            max_files: 20_000,
        }
    }
}

/// Why a project could not be read. Messages are one line and name the path.
#[derive(Debug, thiserror::Error)]
pub enum LoadError {
    /// The path does not exist.
    #[error("`{0}` does not exist")]
    NotFound(String),
    /// A file was given where a project directory (or a `.prisma` file) was expected.
    #[error("`{0}` is a file, not a project directory or a .prisma schema file")]
    NotADirectory(String),
    /// A file or directory could not be read.
    #[error("cannot read `{path}`: {message}")]
    Unreadable {
        /// The path.
        path: String,
        /// The operating system's reason.
        message: String,
    },
}

/// A loaded project plus what the loader decided.
#[derive(Debug)]
pub struct Loaded {
    /// The files.
    pub project: Project,
    /// The schema path relative to the root when a `.prisma` file was given instead of a
    /// directory.
    pub schema: Option<String>,
    /// The project root on disk.
    pub root: PathBuf,
    /// Files and folders that were skipped, one line each (too large, unreadable folder, ...).
    pub notes: Vec<String>,
}

/// Read the project at `root` (a directory, or a `.prisma` schema file whose project root is
/// its folder, or the folder above when that folder is `prisma/`).
pub fn load_dir(root: &Path, limits: &LoadLimits) -> Result<Project, LoadError> {
    load(root, limits).map(|l| l.project)
}

/// Like [`load_dir`], also returning the explicit schema (when a file was given) and notes.
pub fn load(path: &Path, limits: &LoadLimits) -> Result<Loaded, LoadError> {
    let shown = path.display().to_string();
    let meta = std::fs::metadata(path).map_err(|e| match e.kind() {
        std::io::ErrorKind::NotFound => LoadError::NotFound(shown.clone()),
        _ => unreadable(path, &e),
    })?;
    let (root, schema) = if meta.is_dir() {
        (path.to_path_buf(), None)
    } else if path.extension().is_some_and(|e| e == "prisma") {
        let abs = std::path::absolute(path).map_err(|e| unreadable(path, &e))?;
        let parent = abs.parent().unwrap_or(Path::new("/")).to_path_buf();
        let root = match parent.file_name() {
            Some(name) if name == "prisma" => parent.parent().unwrap_or(&parent).to_path_buf(),
            _ => parent,
        };
        let rel = abs.strip_prefix(&root).map(slash_path).unwrap_or_default();
        (root, Some(rel))
    } else {
        return Err(LoadError::NotADirectory(shown));
    };
    let name = std::fs::canonicalize(&root)
        .ok()
        .and_then(|p| p.file_name().map(|n| n.to_string_lossy().into_owned()))
        .unwrap_or_else(|| root.display().to_string());
    let mut walker = Walker {
        limits: *limits,
        files: Vec::new(),
        candidates: Vec::new(),
        notes: Vec::new(),
        total: 0,
        stopped: false,
    };
    // The root itself must be listable.
    std::fs::read_dir(&root).map_err(|e| unreadable(&root, &e))?;
    walker.walk(&root, "")?;
    // Read the Prisma-related files first, application source last, so the total-size cap
    // never starves the schema or the migrations.
    let mut candidates = std::mem::take(&mut walker.candidates);
    candidates.sort_by_key(|(rel, _, _)| (read_priority(rel), rel.clone()));
    for (rel, path, len) in candidates {
        walker.read_file(&path, rel, len)?;
    }
    walker.files.sort();
    Ok(Loaded {
        project: Project::from_files(name, walker.files),
        schema,
        root,
        notes: walker.notes,
    })
}

fn unreadable(path: &Path, e: &std::io::Error) -> LoadError {
    let message = match e.kind() {
        std::io::ErrorKind::PermissionDenied => "permission denied".to_string(),
        _ => e.to_string(),
    };
    LoadError::Unreadable {
        path: path.display().to_string(),
        message,
    }
}

fn slash_path(p: &Path) -> String {
    p.components()
        .map(|c| c.as_os_str().to_string_lossy().into_owned())
        .collect::<Vec<_>>()
        .join("/")
}

/// Whether a file at `rel` (relative, `/`-separated) is one prisma-audit reads.
pub fn is_relevant(rel: &str) -> bool {
    let name = rel.rsplit('/').next().unwrap_or(rel);
    let dirs: Vec<&str> = rel.split('/').collect();
    let dirs = &dirs[..dirs.len().saturating_sub(1)];
    let ext = name.rsplit_once('.').map(|(_, e)| e).unwrap_or("");
    match name {
        "migration_lock.toml"
        | "package.json"
        | "package-lock.json"
        | "pnpm-lock.yaml"
        | "yarn.lock"
        | "prisma.config.ts"
        | ".env"
        | ".gitignore"
        | "prisma-audit.toml"
        | ".prismalintrc.json"
        | "vercel.json" => return true,
        _ => {}
    }
    if name.starts_with(".env.") || name.starts_with("next.config.") {
        return true;
    }
    if name == "prisma.ts" && dirs.last() == Some(&".config") {
        return true;
    }
    match ext {
        "prisma" => true,
        "sql" => dirs.contains(&"migrations"),
        "ts" | "tsx" | "mts" | "cts" | "js" | "mjs" | "cjs" | "jsx" => true,
        _ => false,
    }
}

/// 0: Prisma and project configuration, 1: lockfiles, 2: application source.
fn read_priority(rel: &str) -> u8 {
    let name = rel.rsplit('/').next().unwrap_or(rel);
    if matches!(name, "package-lock.json" | "pnpm-lock.yaml" | "yarn.lock") {
        return 1;
    }
    let ext = name.rsplit_once('.').map(|(_, e)| e).unwrap_or("");
    let config = name == "prisma.config.ts"
        || name.starts_with("next.config.")
        || rel.ends_with(".config/prisma.ts");
    if !config
        && matches!(
            ext,
            "ts" | "tsx" | "mts" | "cts" | "js" | "mjs" | "cjs" | "jsx"
        )
    {
        return 2;
    }
    0
}

struct Walker {
    limits: LoadLimits,
    files: Vec<(String, Vec<u8>)>,
    candidates: Vec<(String, PathBuf, u64)>,
    notes: Vec<String>,
    total: u64,
    stopped: bool,
}

impl Walker {
    fn walk(&mut self, dir: &Path, rel: &str) -> Result<(), LoadError> {
        let entries = match std::fs::read_dir(dir) {
            Ok(entries) => entries,
            Err(e) => {
                // A folder we cannot list (a database volume owned by another user, ...) is
                // noted, not fatal: the project's own files are readable.
                self.notes
                    .push(format!("skipped folder `{rel}`: {}", io_reason(&e)));
                return Ok(());
            }
        };
        let mut entries: Vec<_> = entries.filter_map(Result::ok).collect();
        entries.sort_by_key(|e| e.file_name());
        for entry in entries {
            let Some(name) = entry.file_name().to_str().map(str::to_owned) else {
                self.notes.push(format!(
                    "skipped `{}`: file name is not UTF-8",
                    entry.path().display()
                ));
                continue;
            };
            let child_rel = if rel.is_empty() {
                name.clone()
            } else {
                format!("{rel}/{name}")
            };
            let path = entry.path();
            let Ok(link_meta) = std::fs::symlink_metadata(&path) else {
                continue;
            };
            if link_meta.is_dir() {
                if !SKIPPED_DIRS.contains(&name.as_str()) {
                    self.walk(&path, &child_rel)?;
                }
                continue;
            }
            if !is_relevant(&child_rel) {
                continue;
            }
            // Follow symlinks to files, never to folders; skip FIFOs, sockets and devices
            // (reading a FIFO would block).
            let Ok(meta) = std::fs::metadata(&path) else {
                self.notes
                    .push(format!("skipped `{child_rel}`: broken symbolic link"));
                continue;
            };
            if !meta.is_file() {
                continue;
            }
            self.candidates.push((child_rel, path, meta.len()));
        }
        Ok(())
    }

    fn read_file(&mut self, path: &Path, rel: String, len: u64) -> Result<(), LoadError> {
        let max = self.limits.max_file_bytes;
        if len > max {
            self.notes.push(too_large(&rel, len, max));
            return Ok(());
        }
        if self.stopped {
            return Ok(());
        }
        if self.files.len() >= self.limits.max_files {
            self.stopped = true;
            self.notes.push(format!(
                "stopped reading at `{rel}`: more than {} files",
                self.limits.max_files
            ));
            return Ok(());
        }
        let mut bytes = Vec::new();
        std::fs::File::open(path)
            .and_then(|f| f.take(max + 1).read_to_end(&mut bytes))
            .map_err(|e| LoadError::Unreadable {
                path: path.display().to_string(),
                message: io_reason(&e),
            })?;
        if bytes.len() as u64 > max {
            self.notes.push(too_large(&rel, bytes.len() as u64, max));
            return Ok(());
        }
        if self.total + bytes.len() as u64 > self.limits.max_total_bytes {
            self.stopped = true;
            self.notes.push(format!(
                "stopped reading at `{rel}`: more than {:.1} MB in total",
                self.limits.max_total_bytes as f64 / 1_048_576.0
            ));
            return Ok(());
        }
        self.total += bytes.len() as u64;
        self.files.push((rel, bytes));
        Ok(())
    }
}

fn too_large(rel: &str, len: u64, max: u64) -> String {
    format!(
        "skipped `{rel}`: {:.1} MB is over the {:.1} MB limit per file",
        len as f64 / 1_048_576.0,
        max as f64 / 1_048_576.0
    )
}

fn io_reason(e: &std::io::Error) -> String {
    match e.kind() {
        std::io::ErrorKind::PermissionDenied => "permission denied".into(),
        _ => {
            let s = e.to_string();
            // "Input/output error (os error 5)" → "Input/output error".
            s.split(" (os error").next().unwrap_or(&s).to_string()
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn relevant_files() {
        for yes in [
            "prisma/schema.prisma",
            "prisma/migrations/20240101_init/migration.sql",
            "db/migrations/001.sql",
            "prisma/migrations/migration_lock.toml",
            "package.json",
            "apps/web/package.json",
            "pnpm-lock.yaml",
            ".env",
            ".env.production",
            ".config/prisma.ts",
            "prisma.config.ts",
            "src/db.ts",
            "src/page.tsx",
            "next.config.mjs",
            "vercel.json",
            ".prismalintrc.json",
            "prisma-audit.toml",
            ".gitignore",
        ] {
            assert!(is_relevant(yes), "{yes}");
        }
        for no in [
            "README.md",
            "seed.sql",
            "src/prisma.ts.bak",
            "image.png",
            "tsconfig.json",
        ] {
            assert!(!is_relevant(no), "{no}");
        }
    }

    struct Tmp(PathBuf);
    impl Tmp {
        fn new(tag: &str) -> Self {
            let p = std::env::temp_dir()
                .join(format!("prisma-audit-load-{tag}-{}", std::process::id()));
            let _ = std::fs::remove_dir_all(&p);
            std::fs::create_dir_all(&p).unwrap();
            Tmp(p)
        }
        fn write(&self, rel: &str, bytes: &[u8]) {
            let p = self.0.join(rel);
            std::fs::create_dir_all(p.parent().unwrap()).unwrap();
            std::fs::write(p, bytes).unwrap();
        }
    }
    impl Drop for Tmp {
        fn drop(&mut self) {
            let _ = std::fs::remove_dir_all(&self.0);
        }
    }

    fn paths(p: &Project) -> Vec<String> {
        p.files().map(|(_, f)| f.path().to_string()).collect()
    }

    #[test]
    fn walks_relevant_files_and_skips_build_folders() {
        let t = Tmp::new("walk");
        t.write("prisma/schema.prisma", b"model A {}");
        t.write("prisma/migrations/1_init/migration.sql", b"SELECT 1;");
        t.write("prisma/seed.sql", b"SELECT 1;");
        t.write("src/db.ts", b"x");
        t.write("README.md", b"x");
        t.write(".env.local", b"A=1");
        t.write("node_modules/x/schema.prisma", b"x");
        t.write(".next/server.js", b"x");
        t.write("apps/web/dist/a.js", b"x");
        t.write("bin.prisma", &[0, 159, 146, 150]);
        let loaded = load(&t.0, &LoadLimits::default()).unwrap();
        assert_eq!(
            paths(&loaded.project),
            [
                ".env.local",
                "bin.prisma",
                "prisma/migrations/1_init/migration.sql",
                "prisma/schema.prisma",
                "src/db.ts"
            ]
        );
        let bin = loaded.project.file_id("bin.prisma").unwrap();
        assert_eq!(
            loaded.project.file(bin).unwrap().bytes(),
            [0, 159, 146, 150]
        );
        assert!(loaded.schema.is_none() && loaded.notes.is_empty());
    }

    #[test]
    fn size_limits_skip_with_notes() {
        let t = Tmp::new("size");
        t.write("prisma/schema.prisma", b"model A {}");
        t.write("big.ts", &vec![b'x'; 2000]);
        t.write("a.ts", &vec![b'x'; 600]);
        t.write("b.ts", &vec![b'x'; 600]);
        let limits = LoadLimits {
            max_file_bytes: 1000,
            max_total_bytes: 1000,
            max_files: 100,
        };
        let loaded = load(&t.0, &limits).unwrap();
        // The schema is read first, then source files until the total cap.
        assert_eq!(paths(&loaded.project), ["a.ts", "prisma/schema.prisma"]);
        assert_eq!(
            loaded.notes,
            [
                "stopped reading at `b.ts`: more than 0.0 MB in total",
                "skipped `big.ts`: 0.0 MB is over the 0.0 MB limit per file"
            ]
        );
    }

    #[cfg(unix)]
    #[test]
    fn symlinked_folders_are_not_followed() {
        let t = Tmp::new("link");
        t.write("prisma/schema.prisma", b"model A {}");
        std::os::unix::fs::symlink(&t.0, t.0.join("prisma/loop")).unwrap();
        std::os::unix::fs::symlink(t.0.join("prisma/schema.prisma"), t.0.join("linked.prisma"))
            .unwrap();
        let loaded = load(&t.0, &LoadLimits::default()).unwrap();
        assert_eq!(
            paths(&loaded.project),
            ["linked.prisma", "prisma/schema.prisma"]
        );
    }

    #[test]
    fn schema_file_paths_and_errors() {
        let t = Tmp::new("file");
        t.write("prisma/schema.prisma", b"model A {}");
        t.write("db/main.prisma", b"model B {}");
        t.write("notes.txt", b"x");
        let loaded = load(&t.0.join("prisma/schema.prisma"), &LoadLimits::default()).unwrap();
        assert_eq!(loaded.schema.as_deref(), Some("prisma/schema.prisma"));
        assert_eq!(loaded.root, t.0);
        assert_eq!(
            paths(&loaded.project),
            ["db/main.prisma", "prisma/schema.prisma"]
        );
        let loaded = load(&t.0.join("db/main.prisma"), &LoadLimits::default()).unwrap();
        assert_eq!(loaded.schema.as_deref(), Some("main.prisma"));
        assert_eq!(loaded.root, t.0.join("db"));
        let e = load(&t.0.join("notes.txt"), &LoadLimits::default()).unwrap_err();
        assert!(matches!(e, LoadError::NotADirectory(_)), "{e}");
        let e = load(&t.0.join("missing"), &LoadLimits::default()).unwrap_err();
        assert!(e.to_string().ends_with("missing` does not exist"), "{e}");
        assert!(load_dir(&t.0, &LoadLimits::default()).is_ok());
    }
}
