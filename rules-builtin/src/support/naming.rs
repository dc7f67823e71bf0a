//! Name analysis shared by rules that classify models and fields by their names.

/// The lower-case words of an identifier, split at non-alphanumerics and camelCase
/// boundaries: `stripeCustomerId` → `stripe`, `customer`, `id`; `sale_item` → `sale`, `item`;
/// `PDFContent` → `pdf`, `content`.
pub(crate) fn words(name: &str) -> Vec<String> {
    if name.is_ascii() {
        ascii_words(name)
    } else {
        unicode_words(name)
    }
}

/// [`words`] for ASCII names (nearly all): word ranges found on the bytes, each word allocated
/// once at its final size. Rules call this for every model and field name.
fn ascii_words(name: &str) -> Vec<String> {
    let b = name.as_bytes();
    let mut out = Vec::new();
    let mut start: Option<usize> = None;
    for (i, &c) in b.iter().enumerate() {
        if !c.is_ascii_alphanumeric() {
            if let Some(s) = start.take() {
                out.push(name[s..i].to_ascii_lowercase());
            }
            continue;
        }
        match start {
            None => start = Some(i),
            Some(s) => {
                let prev = b[i - 1];
                let boundary = c.is_ascii_uppercase()
                    && (prev.is_ascii_lowercase()
                        || prev.is_ascii_digit()
                        || b.get(i + 1).is_some_and(|n| n.is_ascii_lowercase()));
                if boundary {
                    out.push(name[s..i].to_ascii_lowercase());
                    start = Some(i);
                }
            }
        }
    }
    if let Some(s) = start {
        out.push(name[s..].to_ascii_lowercase());
    }
    out
}

fn unicode_words(name: &str) -> Vec<String> {
    let chars: Vec<char> = name.chars().collect();
    let mut out = Vec::new();
    let mut cur = String::new();
    for (i, &c) in chars.iter().enumerate() {
        if !c.is_alphanumeric() {
            if !cur.is_empty() {
                out.push(std::mem::take(&mut cur));
            }
            continue;
        }
        let boundary = c.is_uppercase()
            && !cur.is_empty()
            && (chars[i - 1].is_lowercase()
                || chars[i - 1].is_ascii_digit()
                || chars.get(i + 1).is_some_and(|n| n.is_lowercase()));
        if boundary {
            out.push(std::mem::take(&mut cur));
        }
        cur.extend(c.to_lowercase());
    }
    if !cur.is_empty() {
        out.push(cur);
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn splits_camel_snake_and_acronyms() {
        assert_eq!(words("stripeCustomerId"), ["stripe", "customer", "id"]);
        assert_eq!(words("sale_item"), ["sale", "item"]);
        assert_eq!(words("PDFContent"), ["pdf", "content"]);
        assert_eq!(words("createdAt2Fa"), ["created", "at2", "fa"]);
        assert_eq!(words("__x__"), ["x"]);
        assert!(words("").is_empty());
    }

    #[test]
    fn ascii_fast_path_agrees_with_the_unicode_path() {
        let names = [
            "id",
            "userId",
            "user_id",
            "USER_ID",
            "HTTPRequestLog",
            "a1B2c3",
            "x-y.z",
            "ABC",
            "aBC",
            "AbC",
            "tenant__id",
            "_private",
            "trailing_",
            "v2Api",
            "M10Parent",
            "orgID",
            "iOSDevice",
            "A",
            "a",
            "9lives",
            "snake_Camel_MIXED42",
        ];
        for n in names {
            assert_eq!(ascii_words(n), unicode_words(n), "{n}");
        }
    }

    #[test]
    fn non_ascii_names_use_the_unicode_path() {
        assert_eq!(words("émailAdresse"), ["émail", "adresse"]);
        assert_eq!(words("ÄrzteListe"), ["ärzte", "liste"]);
    }

    #[test]
    fn words_split() {
        assert_eq!(
            super::words("stripeCustomerId"),
            ["stripe", "customer", "id"]
        );
        assert_eq!(super::words("file_data"), ["file", "data"]);
        assert_eq!(super::words("PDFContent"), ["pdf", "content"]);
        assert_eq!(super::words("avatar2x"), ["avatar2x"]);
    }
}
