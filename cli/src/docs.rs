//! Rule documentation pages (`docs/rules/<id>.md` and the `docs/rules/README.md` index), built
//! from the registered rules' metadata. Shared by `--explain` and the docs staleness test.

use prisma_audit_core::rule::RuleMeta;

fn yes_no(b: bool) -> &'static str {
    if b { "yes" } else { "no" }
}

/// The page of one rule: title, summary, facts, then the rule's own documentation.
pub fn rule_page(meta: &RuleMeta) -> String {
    let mut badges = vec![format!("`{}`", meta.default_severity)];
    badges.push(format!("`{}`", meta.category));
    if meta.fixable {
        badges.push("`fixable`".into());
    }
    badges.push(if meta.default_enabled {
        "`enabled by default`".into()
    } else {
        "`opt-in`".into()
    });
    format!(
        "# `{id}`\n\n{badges}\n\n> {summary}\n\n\
         | Category | Default severity | Fixable | Enabled by default |\n\
         | --- | --- | --- | --- |\n\
         | {category} | {severity} | {fixable} | {enabled} |\n\n\
         {docs}\n\
         ## Configuration\n\n\
         ```toml\n# prisma-audit.toml\n[rules.{id}]\nseverity = \"{severity}\"\nenabled = {enabled_bool}\n```\n\n\
         Suppress one occurrence with `// prisma-audit-ignore {id} -- reason` on the line above \
         the item (`-- prisma-audit-ignore {id}` in SQL).\n",
        id = meta.id,
        badges = badges.join(" "),
        summary = meta.summary,
        category = meta.category.title(),
        severity = meta.default_severity,
        fixable = yes_no(meta.fixable),
        enabled = yes_no(meta.default_enabled),
        enabled_bool = meta.default_enabled,
        docs = meta.docs_markdown(),
    )
}

/// The index page: every rule with category, severity and summary, plus how to configure and
/// suppress.
pub fn index_page(metas: &[&RuleMeta]) -> String {
    let mut s = String::from(
        "# Rules\n\n\
         <!-- Generated from the rules' doc comments; do not edit. Update with:\n\
         UPDATE_DOCS=1 cargo test -p prisma-audit --test docs -->\n\n",
    );
    s.push_str(&format!(
        "{} rules. `prisma-audit --list-rules` prints this table; `prisma-audit --explain RULE` \
         prints a rule's page.\n\n",
        metas.len()
    ));
    s.push_str("| Rule | Category | Severity | Fixable | Default | Summary |\n");
    s.push_str("| --- | --- | --- | --- | --- | --- |\n");
    for m in metas {
        s.push_str(&format!(
            "| [`{id}`]({id}.md) | {cat} | {sev} | {fix} | {on} | {summary} |\n",
            id = m.id,
            cat = m.category.title(),
            sev = m.default_severity,
            fix = yes_no(m.fixable),
            on = if m.default_enabled { "on" } else { "off" },
            summary = m.summary.replace('|', "\\|"),
        ));
    }
    s.push_str(
        "\n## Configuration\n\n\
         `prisma-audit.toml` at the project root (or `--config FILE`):\n\n\
         ```toml\n\
         fail-on = \"high\"              # exit 1 when a finding at or above this severity remains\n\n\
         [categories]\n\
         performance = false           # switch a whole category off\n\n\
         [rules.missing-fk-index]\n\
         severity = \"low\"              # override the severity\n\
         enabled = true                # force the rule on or off\n\
         # any other key is a rule option, validated by the rule\n\
         ```\n\n\
         prisma-lint's `.prismalintrc.json` is read too (rules with the same id); when both files \
         exist, `prisma-audit.toml` wins rule by rule.\n\n\
         ## Suppressions\n\n\
         In a `.prisma` file, a comment on the line directly above a model, view, enum, field, \
         enum value or `@@` attribute silences the listed rules for findings inside that item:\n\n\
         ```prisma\n\
         // prisma-audit-ignore missing-fk-index, some-other-rule -- reason\n\
         customerId String\n\
         ```\n\n\
         - `// prisma-audit-ignore-file rule-id` anywhere in a schema file silences the rule in \
         the whole file.\n\
         - In migration SQL: `-- prisma-audit-ignore rule-id` on the line(s) directly above a \
         statement covers that statement (to its `;`); `-- prisma-audit-ignore-file rule-id` the \
         whole file.\n\
         - Rule ids must be listed explicitly: there is no `all`.\n\
         - A blank line between the comment and the item breaks the link.\n\
         - Every rule id that silences nothing is reported as `unused-suppression`.\n",
    );
    s
}

/// Every generated file: `(file name inside docs/rules, contents)`, sorted by name.
pub fn generate(metas: &[&RuleMeta]) -> Vec<(String, String)> {
    let mut files: Vec<(String, String)> = metas
        .iter()
        .map(|m| (format!("{}.md", m.id), rule_page(m)))
        .collect();
    files.push(("README.md".into(), index_page(metas)));
    files.sort();
    files
}
