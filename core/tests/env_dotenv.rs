//! Dotenv parsing with spans.

use prisma_audit_core::env::dotenv::{expand, lookup, parse};

#[test]
fn basic_forms_and_spans() {
    let text = "# c\nA=1\nexport B = two # comment\nC: three\nD=\"q u\" # c\nE='x#y'\nF=\nG=`b`\n";
    let e = parse(text);
    let kv: Vec<(&str, &str)> = e
        .iter()
        .map(|e| (e.key.as_str(), e.value.as_str()))
        .collect();
    assert_eq!(
        kv,
        [
            ("A", "1"),
            ("B", "two"),
            ("C", "three"),
            ("D", "q u"),
            ("E", "x#y"),
            ("F", ""),
            ("G", "b")
        ]
    );
    let b = &e[1];
    assert_eq!(&text[b.key_range.clone()], "B");
    assert_eq!(&text[b.value_range.clone()], "two");
    assert_eq!(b.line, 3);
    assert_eq!(&text[e[3].value_range.clone()], "q u");
    assert_eq!(e[3].quote, Some('"'));
}

#[test]
fn multi_line_values_and_line_numbers() {
    let text = "KEY=\"-----BEGIN-----\nabc\n-----END-----\"\nNEXT=1\r\nLAST='a\nb'";
    let e = parse(text);
    assert_eq!(e.len(), 3);
    assert_eq!(e[0].value, "-----BEGIN-----\nabc\n-----END-----");
    assert_eq!(
        (e[1].key.as_str(), e[1].value.as_str(), e[1].line),
        ("NEXT", "1", 4)
    );
    assert_eq!((e[2].value.as_str(), e[2].line), ("a\nb", 5));
}

#[test]
fn double_quote_escapes() {
    let e = parse(r#"A="line\nnext \"q\"""#);
    assert_eq!(e[0].value, "line\nnext \"q\"");
}

#[test]
fn junk_and_unterminated_quotes_do_not_panic() {
    for text in [
        "=",
        "A",
        "A=\"open",
        "#",
        "  \n\n",
        "é=1\nB=ü",
        "export",
        "A=\"\\",
        "'",
    ] {
        let _ = parse(text);
    }
    let e = parse("A=\"open\nB=1");
    assert_eq!(e[0].value, "\"open");
    assert_eq!(e[1].key, "B");
}

#[test]
fn first_assignment_wins_and_expansion() {
    let e = parse("A=1\nA=2\nHOST=db.example.com\nURL=postgres://u@${HOST}:5432/$DB\nDB=app\n");
    assert_eq!(lookup(&e, "A").unwrap().value, "1");
    let url = lookup(&e, "URL").unwrap();
    assert_eq!(
        expand(&url.value, &e),
        "postgres://u@db.example.com:5432/app"
    );
    assert_eq!(expand("a\\$b", &e), "a$b");
    // Self-reference terminates.
    let e = parse("X=${X}${X}");
    let _ = expand(&e[0].value, &e);
}

#[test]
fn debug_never_prints_values() {
    let e = parse("DATABASE_URL=postgres://u:hunter2@h/db");
    assert!(!format!("{e:?}").contains("hunter2"));
}
