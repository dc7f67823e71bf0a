//! The versions an npm specifier of a Prisma package can install, for the rules that compare
//! or date them (`prisma-version-mismatch`, `prisma-outdated`).
//!
//! `prisma` and `@prisma/client` are published together with the same version numbers, so two
//! specifiers whose windows have the same upper bound install the same version on a fresh
//! install (npm, pnpm and yarn take the newest version a range allows).

use prisma_audit_core::env::package_json::Version;
use prisma_audit_core::env::releases;
use prisma_audit_core::env::{DepRef, ProjectEnv};

/// The last release of each Prisma major before 6 (the release table starts at 6.0).
const LAST_OF_OLD_MAJORS: [Version; 4] = [
    Version::new(2, 30, 3),
    Version::new(3, 15, 2),
    Version::new(4, 16, 2),
    Version::new(5, 22, 0),
];

/// The versions a specifier allows: `lo <= v < hi` (`hi` `None`: no upper bound), or exactly
/// `lo`.
#[derive(Debug, Clone, PartialEq, Eq)]
pub(crate) struct Window {
    /// Lowest version allowed.
    pub lo: Version,
    /// First version no longer allowed (`None`: unbounded, e.g. `>=6.0.0`, `*`, `latest`).
    pub hi: Option<Version>,
    /// `6.5.0` / `=6.5.0`: only `lo`.
    pub exact: bool,
}

impl Window {
    /// Interpret an npm specifier; `None` for what it cannot bound (`||` unions, tags other
    /// than `latest`, `workspace:`, `file:`, git and URL specifiers).
    pub fn parse(spec: &str) -> Option<Window> {
        let s = spec.trim();
        let s = s
            .strip_prefix("npm:")
            .and_then(|a| a.rsplit_once('@').map(|(_, v)| v))
            .unwrap_or(s)
            .trim();
        if s.contains("||") || s.contains(':') || s.contains('/') || s.contains(" - ") {
            return None;
        }
        if matches!(s, "" | "*" | "x" | "X" | "latest") {
            return Some(Window {
                lo: Version::new(0, 0, 0),
                hi: None,
                exact: false,
            });
        }
        // `>=6.0.0 <7.0.0`: a lower and an upper comparator.
        let parts: Vec<&str> = s.split_whitespace().collect();
        if parts.len() == 2
            && let (Some(lo), Some(hi)) = (parts[0].strip_prefix(">="), parts[1].strip_prefix('<'))
            && !hi.starts_with('=')
        {
            return Some(Window {
                lo: Version::parse(lo)?,
                hi: Some(Version::parse(hi)?),
                exact: false,
            });
        }
        if parts.len() != 1 {
            return None;
        }
        if let Some(rest) = s.strip_prefix(">=").or_else(|| s.strip_prefix('>')) {
            return Some(Window {
                lo: Version::parse(rest)?,
                hi: None,
                exact: false,
            });
        }
        if s.starts_with('<') {
            return None;
        }
        let (op, body) = if let Some(b) = s.strip_prefix('^') {
            ('^', b)
        } else if let Some(b) = s.strip_prefix('~') {
            ('~', b.trim_start_matches('>'))
        } else {
            ('=', s.trim_start_matches(['=', 'v']))
        };
        let body = body.trim_start_matches('v');
        let (core, pre) = match body.split_once('-') {
            Some((c, p)) => (c, Some(p)),
            None => (body, None),
        };
        let mut nums = Vec::new();
        for p in core.split('.') {
            if matches!(p, "x" | "X" | "*") {
                break;
            }
            nums.push(p.parse::<u64>().ok()?);
        }
        if nums.is_empty() || nums.len() > 3 {
            return None;
        }
        let given = nums.len();
        let (major, minor, patch) = (
            nums[0],
            nums.get(1).copied().unwrap_or(0),
            nums.get(2).copied().unwrap_or(0),
        );
        let lo = Version {
            major,
            minor,
            patch,
            pre: pre.map(str::to_string),
        };
        let next_major = Some(Version::new(major + 1, 0, 0));
        let next_minor = Some(Version::new(major, minor + 1, 0));
        let next_patch = Some(Version::new(major, minor, patch + 1));
        let (hi, exact) = match (op, given) {
            ('=', 3) => (None, true),
            ('=', 2) | ('~', 2) | ('~', 3) => (next_minor, false),
            ('=', _) | ('~', _) => (next_major, false),
            // Caret: the left-most non-zero part stays fixed.
            (_, _) if major > 0 || given == 1 => (next_major, false),
            (_, _) if minor > 0 || given == 2 => (next_minor, false),
            _ => (next_patch, false),
        };
        Some(Window { lo, hi, exact })
    }

    /// Whether `v` is allowed.
    pub fn contains(&self, v: &Version) -> bool {
        if self.exact {
            return *v == self.lo;
        }
        *v >= self.lo && self.hi.as_ref().is_none_or(|h| v < h)
    }

    /// Whether some version is allowed by both.
    pub fn overlaps(&self, other: &Window) -> bool {
        if self.exact {
            return other.contains(&self.lo);
        }
        if other.exact {
            return self.contains(&other.lo);
        }
        let below = |lo: &Version, hi: &Option<Version>| hi.as_ref().is_none_or(|h| lo < h);
        below(&self.lo, &other.hi) && below(&other.lo, &self.hi)
    }

    /// Whether a fresh install (no lockfile) gives both the same version: two equal exact
    /// versions, or two ranges that share their upper bound (both take the newest release
    /// below it).
    pub fn installs_like(&self, other: &Window) -> bool {
        match (self.exact, other.exact) {
            (true, true) => self.lo == other.lo,
            (false, false) => self.hi == other.hi,
            _ => false,
        }
    }

    /// The newest release this window allows, as far as the tool's release table knows (its
    /// lower bound when the table lists no release inside it); `None` when the window reaches
    /// the newest release the table knows or beyond.
    pub fn newest_known(&self) -> Option<Version> {
        if self.exact {
            return Some(self.lo.clone());
        }
        let latest = releases::latest();
        if self.contains(&latest) || self.hi.as_ref().is_none_or(|h| *h > latest) {
            return None;
        }
        releases::RELEASES
            .iter()
            .map(releases::Release::latest)
            .chain(LAST_OF_OLD_MAJORS)
            .filter(|v| self.contains(v))
            .max()
            .or_else(|| Some(self.lo.clone()))
    }
}

/// The window of a dependency's specifier.
pub(crate) fn window_of(dep: &DepRef) -> Option<Window> {
    Window::parse(&dep.dep.spec)
}

/// The newest Prisma CLI the project can run: the locked `prisma` (else `@prisma/client`),
/// else the newest release the CLI's (else the client's) specifier allows. `None` when a
/// range reaches the newest release the table knows, or nothing bounds it.
pub(crate) fn newest_possible(env: &ProjectEnv<'_>) -> Option<Version> {
    let locked = [&env.cli, &env.client]
        .into_iter()
        .flatten()
        .find_map(|d| d.resolved.as_ref().map(|(v, _)| v.clone()));
    if locked.is_some() {
        return locked;
    }
    let dep = env.cli.as_ref().or(env.client.as_ref())?;
    window_of(dep)?.newest_known()
}

/// The last release of `major` (table, or the known last release of majors before 6).
pub(crate) fn last_of_major(major: u64) -> Option<Version> {
    releases::latest_in_major(major).or_else(|| {
        LAST_OF_OLD_MAJORS
            .iter()
            .find(|v| v.major == major)
            .cloned()
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    fn w(s: &str) -> Window {
        Window::parse(s).unwrap_or_else(|| panic!("{s}"))
    }
    fn v(s: &str) -> Version {
        Version::parse(s).unwrap()
    }

    #[test]
    fn windows_of_common_specifiers() {
        assert_eq!(w("^6.12.0").hi, Some(v("7.0.0")));
        assert!(w("6.12.0").exact && w("=6.12.0").exact && w("v6.12.0").exact);
        assert_eq!(w("~6.12.0").hi, Some(v("6.13.0")));
        assert_eq!(w("6.x").hi, Some(v("7.0.0")));
        assert_eq!(w("6.12").hi, Some(v("6.13.0")));
        assert_eq!(w("6").hi, Some(v("7.0.0")));
        assert_eq!(w("^0.3.1").hi, Some(v("0.4.0")));
        assert_eq!(w(">=5.0.0").hi, None);
        assert_eq!(w(">=6.0.0 <7.0.0").hi, Some(v("7.0.0")));
        assert_eq!(w("npm:prisma@^6.1.0").lo, v("6.1.0"));
        assert_eq!(w("latest").hi, None);
        assert!(Window::parse("workspace:*").is_none());
        assert!(Window::parse("^5 || ^6").is_none());
        assert!(Window::parse("<7").is_none());
        assert!(w("7.0.0-dev.3").exact);
    }

    #[test]
    fn fresh_installs_compare_by_upper_bound() {
        assert!(w("^5.22.0").installs_like(&w("^5.22.0")));
        assert!(w("^7.4.1").installs_like(&w("^7.3.0")));
        assert!(!w("^6.12.0").installs_like(&w("6.12.0")));
        assert!(!w("~6.5.0").installs_like(&w("^6.5.0")));
        assert!(w("^6.12.0").overlaps(&w("6.12.0")));
        assert!(!w("6.5.0").overlaps(&w("6.10.1")));
        assert!(!w("^5.0.0").overlaps(&w("^6.0.0")));
        assert!(w("~6.5.0").overlaps(&w("^6.5.3")));
    }

    #[test]
    fn newest_known_release_of_a_window() {
        assert_eq!(w("^6.12.0").newest_known(), Some(v("6.19.3")));
        assert_eq!(w("^5.1.0").newest_known(), Some(v("5.22.0")));
        assert_eq!(w("~6.5.0").newest_known(), Some(v("6.5.0")));
        assert_eq!(w("6.2.1").newest_known(), Some(v("6.2.1")));
        assert_eq!(w("^7.4.0").newest_known(), None);
        assert_eq!(w(">=5.0.0").newest_known(), None);
        assert_eq!(last_of_major(4), Some(v("4.16.2")));
    }
}
