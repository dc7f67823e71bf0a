//! Default database names of constraints and indexes, as Prisma generates them
//! (psl-core `constraint_names`): `{table}_pkey`, `{table}_{columns}_key`, `{table}_{columns}_idx`,
//! `{table}_{columns}_fkey`, truncated so the whole name fits the provider's identifier limit.

use super::datasource::Provider;

/// `{table}_pkey`.
pub fn primary_key_name(table: &str, provider: Provider) -> String {
    let suffix = "_pkey";
    let limit = provider
        .max_identifier_length()
        .saturating_sub(suffix.len());
    [truncate(table, limit), suffix].concat()
}

/// `{table}_{col1}_{col2}_key`.
pub fn unique_index_name(table: &str, columns: &[&str], provider: Provider) -> String {
    with_columns(table, columns, "_key", provider)
}

/// `{table}_{col1}_{col2}_idx` (also used for `@@fulltext`).
pub fn index_name(table: &str, columns: &[&str], provider: Provider) -> String {
    with_columns(table, columns, "_idx", provider)
}

/// `{table}_{col1}_{col2}_fkey`.
pub fn foreign_key_name(table: &str, columns: &[&str], provider: Provider) -> String {
    with_columns(table, columns, "_fkey", provider)
}

/// `_{ModelA}To{ModelB}` (model names sorted) or `_{RelationName}` for an implicit m:n table.
pub fn join_table_name(relation_name: Option<&str>, model_a: &str, model_b: &str) -> String {
    match relation_name {
        Some(n) => ["_", n].concat(),
        None => {
            let (a, b) = if model_a <= model_b {
                (model_a, model_b)
            } else {
                (model_b, model_a)
            };
            ["_", a, "To", b].concat()
        }
    }
}

fn with_columns(table: &str, columns: &[&str], suffix: &str, provider: Provider) -> String {
    // Built in one buffer: this runs for every index and foreign key of every model.
    let len = table.len() + columns.iter().map(|c| c.len() + 1).sum::<usize>() + suffix.len();
    let mut name = String::with_capacity(len);
    name.push_str(table);
    for c in columns {
        name.push('_');
        name.push_str(c);
    }
    let limit = provider
        .max_identifier_length()
        .saturating_sub(suffix.len());
    let keep = truncate(&name, limit).len();
    name.truncate(keep);
    name.push_str(suffix);
    name
}

/// The longest prefix of `s` of at most `max` bytes ending on a char boundary.
fn truncate(s: &str, max: usize) -> &str {
    if s.len() <= max {
        return s;
    }
    let mut end = max;
    while end > 0 && !s.is_char_boundary(end) {
        end -= 1;
    }
    s.get(..end).unwrap_or(s)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn default_names() {
        let pg = Provider::PostgreSql;
        assert_eq!(primary_key_name("User", pg), "User_pkey");
        assert_eq!(unique_index_name("User", &["a", "b"], pg), "User_a_b_key");
        assert_eq!(index_name("Post", &["authorId"], pg), "Post_authorId_idx");
        assert_eq!(
            foreign_key_name("Post", &["authorId"], pg),
            "Post_authorId_fkey"
        );
        assert_eq!(join_table_name(None, "Tag", "Post"), "_PostToTag");
        assert_eq!(join_table_name(Some("Likes"), "Tag", "Post"), "_Likes");
    }

    #[test]
    fn long_names_are_truncated_to_the_identifier_limit() {
        let table = "a".repeat(70);
        let n = index_name(&table, &["b"], Provider::PostgreSql);
        assert_eq!(n.len(), 63);
        assert!(n.ends_with("_idx"));
        let n = primary_key_name(&table, Provider::MySql);
        assert_eq!(n.len(), 64);
        assert!(n.ends_with("_pkey"));
    }
}
