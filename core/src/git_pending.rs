//! Which migrations have not run yet, as git tells: the migration folders added or changed on
//! this branch since its merge base with the base branch, plus uncommitted ones.
//!
//! The base branch is `--since REF`, else the CI's target branch (`GITHUB_BASE_REF`,
//! `CI_MERGE_REQUEST_TARGET_BRANCH_NAME`, `BITBUCKET_PR_DESTINATION_BRANCH`), else the
//! repository's default branch (`origin/HEAD`, `main`, `master`). Outside a git work tree, or
//! without git, there is no answer and the audit takes the newest migration as pending.
//!
//! Native only (feature `fs`): it runs the `git` program in the project's directory.

use crate::Project;
use crate::sql::{PendingMigrations, history};
use std::path::Path;
use std::process::Command;

/// Runs `git -C dir args…`; `None` when git fails or is missing.
fn git(dir: &Path, args: &[&str]) -> Option<String> {
    let out = Command::new("git")
        .arg("-C")
        .arg(dir)
        .args(args)
        .env("GIT_TERMINAL_PROMPT", "0")
        .output()
        .ok()?;
    out.status
        .success()
        .then(|| String::from_utf8_lossy(&out.stdout).into_owned())
}

/// The migration folder of each path under `migrations_dir/`.
fn folders_of(paths: &str, migrations_dir: &str, out: &mut Vec<String>) {
    let prefix = format!("{}/", migrations_dir.trim_end_matches('/'));
    for line in paths.lines() {
        let Some(rest) = line.trim().strip_prefix(&prefix) else {
            continue;
        };
        if let Some((folder, _)) = rest.split_once('/')
            && !out.iter().any(|f| f == folder)
        {
            out.push(folder.to_string());
        }
    }
}

/// The base to compare with, and how it was chosen.
fn base_ref(root: &Path, since: Option<&str>) -> Option<(String, String)> {
    if let Some(r) = since {
        return Some((r.to_string(), format!("--since {r}")));
    }
    for var in [
        "GITHUB_BASE_REF",
        "CI_MERGE_REQUEST_TARGET_BRANCH_NAME",
        "BITBUCKET_PR_DESTINATION_BRANCH",
    ] {
        if let Ok(branch) = std::env::var(var)
            && !branch.is_empty()
        {
            let remote = format!("origin/{branch}");
            let r = if git(root, &["rev-parse", "--verify", "--quiet", &remote]).is_some() {
                remote
            } else {
                branch
            };
            return Some((r, var.to_string()));
        }
    }
    if let Some(head) = git(
        root,
        &[
            "symbolic-ref",
            "--quiet",
            "--short",
            "refs/remotes/origin/HEAD",
        ],
    ) {
        let head = head.trim().to_string();
        return Some((head.clone(), format!("default branch {head}")));
    }
    ["main", "master", "origin/main", "origin/master"]
        .into_iter()
        .find(|r| git(root, &["rev-parse", "--verify", "--quiet", r]).is_some())
        .map(|r| (r.to_string(), format!("default branch {r}")))
}

/// Pending migration folders by git, or `None` outside a work tree. `Err` when `--since` names
/// a ref git cannot find.
pub fn from_git(
    root: &Path,
    migrations_dir: &str,
    since: Option<&str>,
) -> Result<Option<PendingMigrations>, String> {
    if git(root, &["rev-parse", "--is-inside-work-tree"]).is_none_or(|s| s.trim() != "true") {
        return match since {
            Some(_) => Err(format!(
                "--since: `{}` is not inside a git work tree",
                root.display()
            )),
            None => Ok(None),
        };
    }
    let mut folders = Vec::new();
    let mut how = Vec::new();
    match base_ref(root, since) {
        Some((base, chosen)) => match git(root, &["merge-base", "HEAD", &base]) {
            Some(mb) => {
                let mb = mb.trim();
                if let Some(changed) = git(
                    root,
                    &[
                        "diff",
                        "--relative",
                        "--name-only",
                        mb,
                        "HEAD",
                        "--",
                        migrations_dir,
                    ],
                ) {
                    folders_of(&changed, migrations_dir, &mut folders);
                }
                how.push(format!(
                    "added or changed since the merge base with {base} ({chosen})"
                ));
            }
            None if since.is_some() => {
                return Err(format!(
                    "--since: git cannot find a merge base with `{base}`"
                ));
            }
            None => how.push(format!(
                "no merge base with {base} (shallow clone? pass --since)"
            )),
        },
        None => how.push("no base branch found".to_string()),
    }
    if let Some(dirty) = git(
        root,
        &[
            "diff",
            "--relative",
            "--name-only",
            "HEAD",
            "--",
            migrations_dir,
        ],
    ) {
        folders_of(&dirty, migrations_dir, &mut folders);
    }
    if let Some(untracked) = git(
        root,
        &[
            "ls-files",
            "--others",
            "--exclude-standard",
            "--",
            migrations_dir,
        ],
    ) {
        folders_of(&untracked, migrations_dir, &mut folders);
    }
    how.push("or uncommitted".to_string());
    folders.sort();
    Ok(Some(PendingMigrations {
        source: format!("git: {}", how.join(", ")),
        folders,
    }))
}

/// The pending migrations of `project` (loaded from `root`) as git tells, when it has a
/// migration history inside a work tree. `schema` is the `--schema` override, if any.
pub fn for_project(
    project: &Project,
    root: &Path,
    schema: Option<&str>,
    since: Option<&str>,
) -> Result<Option<PendingMigrations>, String> {
    let schema_path = crate::audit::analyze(project, schema)
        .ok()
        .map(|a| a.source.path);
    let config_path = history::prisma_config_migrations_path(project);
    let Some(dir) =
        history::find_migrations_dir(project, config_path.as_deref(), schema_path.as_deref())
    else {
        return match since {
            Some(_) => Err("--since: the project has no migrations folder".to_string()),
            None => Ok(None),
        };
    };
    from_git(root, &dir, since)
}

#[cfg(test)]
mod tests {
    use super::folders_of;

    #[test]
    fn folders_from_paths() {
        let mut out = Vec::new();
        folders_of(
            "prisma/migrations/2_b/migration.sql\nprisma/migrations/migration_lock.toml\n\
             prisma/migrations/1_a/migration.sql\nprisma/schema.prisma\nprisma/migrations/2_b/x.sql\n",
            "prisma/migrations",
            &mut out,
        );
        assert_eq!(out, ["2_b", "1_a"]);
    }
}
