//! Secret redaction for anything that prints project text (code frames, excerpts, messages).
//!
//! Three entry points:
//! - [`redact_urls`]: masks the password of every `scheme://user:password@host` URL in a text;
//! - [`redact_env_line`]: one line of a dotenv file — masks the value of keys that look
//!   secret (`PASSWORD`, `SECRET`, `TOKEN`, `KEY`, ...) and URL passwords in other values;
//! - [`redact_env_text`]: a whole dotenv file, including multi-line quoted values; the line
//!   count is preserved so line numbers stay valid.
//!
//! [`is_env_file`] tells which paths are dotenv files, and [`redact_file_text`] picks the right
//! redaction for a path. Redaction errs on the side of masking too much.

/// What replaces a secret.
pub const MASK: &str = "****";

/// Mask the password of every URL with credentials: `postgresql://app:s3cret@db/app` becomes
/// `postgresql://app:****@db/app`. URLs without a password are left alone.
///
/// The userinfo ends at the last `@` before any `?` or `#` (passwords sometimes contain an
/// unencoded `@` or `/`); the URL ends at whitespace, a quote, a backtick or `<`/`>`.
pub fn redact_urls(text: &str) -> String {
    let mut out = String::with_capacity(text.len());
    let mut rest = text;
    while let Some(i) = rest.find("://") {
        let (head, tail) = rest.split_at(i + 3);
        out.push_str(head);
        let end = tail
            .find(|c: char| c.is_whitespace() || matches!(c, '"' | '\'' | '`' | '<' | '>'))
            .unwrap_or(tail.len());
        let url = &tail[..end];
        let limit = url.find(['?', '#']).unwrap_or(url.len());
        let authority = &url[..url.find(['/', '?', '#']).unwrap_or(url.len())];
        let has_credentials = match authority.find(['@', ':']) {
            Some(i) if authority.as_bytes()[i] == b'@' => true,
            // `host:port/...` is not a password; `user:pa/ss@host` is.
            Some(i) => !authority[i + 1..].bytes().all(|b| b.is_ascii_digit()),
            None => authority.contains('@'),
        };
        let at = if has_credentials {
            url[..limit].rfind('@')
        } else {
            None
        };
        match at {
            Some(at) => {
                let userinfo = &url[..at];
                match userinfo.find(':') {
                    Some(colon) => {
                        out.push_str(&userinfo[..=colon]);
                        out.push_str(MASK);
                    }
                    None => out.push_str(userinfo),
                }
                // Continue after the `@` so a URL in the query part is still scanned.
                out.push('@');
                rest = &tail[at + 1..];
            }
            None => {
                rest = tail;
            }
        }
    }
    out.push_str(rest);
    out
}

/// `true` if an environment variable name looks like it holds a secret.
pub fn is_secret_key(key: &str) -> bool {
    let upper = key.to_ascii_uppercase();
    const SUBSTRINGS: [&str; 7] = [
        "PASSWORD",
        "PASSWD",
        "SECRET",
        "TOKEN",
        "KEY",
        "CREDENTIAL",
        "PRIVATE",
    ];
    const SEGMENTS: [&str; 3] = ["PASS", "PWD", "AUTH"];
    SUBSTRINGS.iter().any(|s| upper.contains(s))
        || upper
            .split(|c: char| !c.is_ascii_alphanumeric())
            .any(|seg| SEGMENTS.contains(&seg))
}

/// Split a dotenv assignment into `(prefix up to and including '=', key, value)`.
fn split_assignment(line: &str) -> Option<(&str, &str, &str)> {
    let trimmed = line.trim_start();
    if trimmed.starts_with('#') {
        return None;
    }
    let eq = line.find('=')?;
    let lhs = line[..eq].trim();
    let key = lhs.strip_prefix("export ").map(str::trim).unwrap_or(lhs);
    if key.is_empty()
        || !key
            .chars()
            .all(|c| c.is_ascii_alphanumeric() || matches!(c, '_' | '.' | '-'))
    {
        return None;
    }
    Some((&line[..=eq], key, &line[eq + 1..]))
}

/// Redact one line of a dotenv file: `DB_PASSWORD="hunter2"` becomes `DB_PASSWORD="****"`,
/// `DATABASE_URL=postgres://u:p@h/db` becomes `DATABASE_URL=postgres://u:****@h/db`. Comments
/// and other lines only get [`redact_urls`].
pub fn redact_env_line(line: &str) -> String {
    let Some((prefix, key, value)) = split_assignment(line) else {
        return redact_urls(line);
    };
    if !is_secret_key(key) {
        return redact_urls(line);
    }
    let lead = &value[..value.len() - value.trim_start().len()];
    let v = value.trim_start();
    let quote = v.chars().next().filter(|c| matches!(c, '"' | '\'' | '`'));
    let masked = match quote {
        Some(q) if !v.is_empty() => {
            // Keep the quotes (and a trailing comment after the closing quote) for readability.
            let after = &v[q.len_utf8()..];
            match after.find(q) {
                Some(close) => format!("{q}{MASK}{q}{}", &after[close + q.len_utf8()..]),
                None => format!("{q}{MASK}"),
            }
        }
        _ if v.is_empty() => String::new(),
        _ => MASK.to_string(),
    };
    format!("{prefix}{lead}{masked}")
}

/// Redact a whole dotenv file line by line, masking every continuation line of a multi-line
/// quoted secret value (such as a PEM private key). The result has as many lines as `text`.
pub fn redact_env_text(text: &str) -> String {
    let mut out = String::with_capacity(text.len());
    // The quote that closes the multi-line value being skipped, and whether it is secret.
    let mut open: Option<(char, bool)> = None;
    for piece in text.split_inclusive('\n') {
        let (line, eol) = match piece.strip_suffix('\n') {
            Some(l) => match l.strip_suffix('\r') {
                Some(l) => (l, "\r\n"),
                None => (l, "\n"),
            },
            None => (piece, ""),
        };
        if let Some((q, secret)) = open {
            if line.contains(q) {
                open = None;
            }
            if secret {
                out.push_str(MASK);
            } else {
                out.push_str(&redact_urls(line));
            }
            out.push_str(eol);
            continue;
        }
        if let Some((_, key, value)) = split_assignment(line) {
            let v = value.trim_start();
            if let Some(q) = v.chars().next().filter(|c| matches!(c, '"' | '\'' | '`'))
                && !v[q.len_utf8()..].contains(q)
            {
                open = Some((q, is_secret_key(key)));
            }
        }
        out.push_str(&redact_env_line(line));
        out.push_str(eol);
    }
    out
}

/// `true` for dotenv files: the file name (last path segment) starts with `.env`.
pub fn is_env_file(path: &str) -> bool {
    path.rsplit(['/', '\\'])
        .next()
        .is_some_and(|name| name.starts_with(".env"))
}

/// Redact the text of the file at `path` for display: [`redact_env_text`] for dotenv files,
/// [`redact_urls`] for everything else. Line structure is preserved.
pub fn redact_file_text(path: &str, text: &str) -> String {
    if is_env_file(path) {
        redact_env_text(text)
    } else {
        redact_urls(text)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn urls() {
        assert_eq!(
            redact_urls(r#"url = "postgresql://app:s3cret@db.internal:5432/app?schema=public""#),
            r#"url = "postgresql://app:****@db.internal:5432/app?schema=public""#
        );
        assert_eq!(
            redact_urls("mysql://root@localhost/db"),
            "mysql://root@localhost/db"
        );
        assert_eq!(
            redact_urls("see https://example.com/a?b=c@d"),
            "see https://example.com/a?b=c@d"
        );
        // Unencoded `@` and `/` in the password still get masked.
        assert_eq!(
            redact_urls("postgres://u:p@ss/w@host/db"),
            "postgres://u:****@host/db"
        );
        assert_eq!(
            redact_urls("a=mongodb+srv://x:y@h1 b=redis://:pw@h2"),
            "a=mongodb+srv://x:****@h1 b=redis://:****@h2"
        );
        assert_eq!(
            redact_urls("postgres://u:pa/ss@host/db"),
            "postgres://u:****@host/db"
        );
        assert_eq!(
            redact_urls("https://registry.example:8443/@scope/pkg"),
            "https://registry.example:8443/@scope/pkg"
        );
        assert_eq!(redact_urls("no url here"), "no url here");
        assert_eq!(redact_urls("trailing ://"), "trailing ://");
        assert_eq!(redact_urls("é://ü:ß@ñ"), "é://ü:****@ñ");
    }

    #[test]
    fn env_lines() {
        assert_eq!(redact_env_line("DB_PASSWORD=hunter2"), "DB_PASSWORD=****");
        assert_eq!(
            redact_env_line(r#"export JWT_SECRET="abc" # prod"#),
            r#"export JWT_SECRET="****" # prod"#
        );
        assert_eq!(
            redact_env_line("STRIPE_API_KEY='sk_live_1'"),
            "STRIPE_API_KEY='****'"
        );
        assert_eq!(redact_env_line("GITHUB_TOKEN= ghp_x"), "GITHUB_TOKEN= ****");
        assert_eq!(redact_env_line("DB_PASS=x"), "DB_PASS=****");
        assert_eq!(redact_env_line("EMPTY_SECRET="), "EMPTY_SECRET=");
        assert_eq!(
            redact_env_line(r#"DATABASE_URL="postgresql://u:pw@h:5432/d""#),
            r#"DATABASE_URL="postgresql://u:****@h:5432/d""#
        );
        assert_eq!(
            redact_env_line("NODE_ENV=production"),
            "NODE_ENV=production"
        );
        assert_eq!(redact_env_line("# PASSWORD=x"), "# PASSWORD=x");
        assert_eq!(redact_env_line("not an assignment"), "not an assignment");
    }

    #[test]
    fn env_text_multiline_and_line_count() {
        let text =
            "A=1\nPRIVATE_KEY=\"-----BEGIN KEY-----\nMIIEabc\n-----END KEY-----\"\nB=2\r\nTOKEN=t";
        let red = redact_env_text(text);
        assert_eq!(
            red,
            "A=1\nPRIVATE_KEY=\"****\n****\n****\nB=2\r\nTOKEN=****"
        );
        assert_eq!(red.lines().count(), text.lines().count());
        assert!(!red.contains("MIIE"));
    }

    #[test]
    fn env_files() {
        assert!(is_env_file(".env"));
        assert!(is_env_file("apps/web/.env.production"));
        assert!(!is_env_file("prisma/schema.prisma"));
        assert!(!is_env_file("env/.config"));
        assert_eq!(
            redact_file_text(".env.local", "SECRET=x\n"),
            "SECRET=****\n"
        );
        assert_eq!(redact_file_text("a.ts", "SECRET=x\n"), "SECRET=x\n");
    }
}
