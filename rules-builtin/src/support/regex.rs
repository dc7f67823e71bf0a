//! A small backtracking regular-expression engine for the JavaScript-style patterns of
//! prisma-lint options (`"/^(?!.*[aA]mountD6$).*D6$/"`) and the pluralization tables.
//!
//! Supported: literals and escapes (`\d \w \s \D \W \S \b \B`, escaped punctuation), `.`,
//! classes (`[a-z]`, `[^...]`), anchors `^ $`, groups `( )`, `(?: )`, lookaheads `(?= )` and
//! `(?! )`, alternation `|`, quantifiers `* + ? {n} {n,} {n,m}` (greedy, or lazy with `?`).
//! Anything else (lookbehind, back-references, named groups) is rejected with a message, so a
//! configuration never silently means something else. Patterns are short and names are
//! identifiers, so a backtracking matcher is fast enough.

use std::fmt;

#[derive(Debug, Clone)]
enum ClassItem {
    Char(char),
    Range(char, char),
    Digit(bool),
    Word(bool),
    Space(bool),
}

#[derive(Debug, Clone)]
enum Node {
    Char(char),
    Any,
    Class(Vec<ClassItem>, bool),
    Start,
    End,
    WordBoundary(bool),
    Concat(Vec<Node>),
    Alt(Vec<Node>),
    Group(Box<Node>, Option<usize>),
    Look(Box<Node>, bool),
    Repeat {
        node: Box<Node>,
        min: usize,
        max: Option<usize>,
        greedy: bool,
    },
}

type Caps = Vec<Option<(usize, usize)>>;

/// A compiled pattern.
#[derive(Clone)]
pub struct Regex {
    source: String,
    root: Node,
    groups: usize,
}

impl fmt::Debug for Regex {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "/{}/", self.source)
    }
}

impl Regex {
    /// Compile `pattern` (without the surrounding slashes).
    pub fn new(pattern: &str) -> Result<Regex, String> {
        let mut p = Parser {
            chars: pattern.chars().collect(),
            pos: 0,
            groups: 0,
        };
        let root = p.alt()?;
        if p.pos < p.chars.len() {
            return Err(format!(
                "invalid regular expression /{pattern}/: unmatched `{}`",
                p.chars[p.pos]
            ));
        }
        Ok(Regex {
            source: pattern.to_string(),
            root,
            groups: p.groups,
        })
    }

    /// The pattern as written.
    pub fn as_str(&self) -> &str {
        &self.source
    }

    /// Whether the pattern matches anywhere in `text`.
    pub fn is_match(&self, text: &str) -> bool {
        self.find(text).is_some()
    }

    /// The first match: capture groups as char ranges (index 0 = the whole match).
    fn find(&self, text: &str) -> Option<(Vec<char>, Caps)> {
        let s: Vec<char> = text.chars().collect();
        for start in 0..=s.len() {
            let mut caps: Caps = vec![None; self.groups + 1];
            let mut end = None;
            if m(&self.root, &s, start, &mut caps, &mut |e, _| {
                end = Some(e);
                true
            }) {
                caps[0] = end.map(|e| (start, e));
                return Some((s, caps));
            }
        }
        None
    }

    /// Replace the first match with `replacement`, where `$0`..`$9` are capture groups (an
    /// unmatched group is empty). `None` when nothing matches.
    pub fn replace_first(&self, text: &str, replacement: &str) -> Option<String> {
        let (s, caps) = self.find(text)?;
        let (start, end) = caps[0]?;
        let mut out: String = s[..start].iter().collect();
        let mut r = replacement.chars().peekable();
        while let Some(c) = r.next() {
            match (c, r.peek().and_then(|d| d.to_digit(10))) {
                ('$', Some(d)) => {
                    r.next();
                    if let Some(Some((a, b))) = caps.get(d as usize) {
                        out.extend(&s[*a..*b]);
                    }
                }
                _ => out.push(c),
            }
        }
        out.extend(&s[end..]);
        Some(out)
    }
}

fn is_word(c: char) -> bool {
    c.is_ascii_alphanumeric() || c == '_'
}

fn class_matches(items: &[ClassItem], negated: bool, c: char) -> bool {
    let hit = items.iter().any(|i| match *i {
        ClassItem::Char(x) => x == c,
        ClassItem::Range(a, b) => a <= c && c <= b,
        ClassItem::Digit(neg) => c.is_ascii_digit() != neg,
        ClassItem::Word(neg) => is_word(c) != neg,
        ClassItem::Space(neg) => c.is_whitespace() != neg,
    });
    hit != negated
}

/// Match `n` at `pos`, then call the continuation `k` with the end position.
fn m(
    n: &Node,
    s: &[char],
    pos: usize,
    caps: &mut Caps,
    k: &mut dyn FnMut(usize, &mut Caps) -> bool,
) -> bool {
    match n {
        Node::Char(c) => pos < s.len() && s[pos] == *c && k(pos + 1, caps),
        Node::Any => pos < s.len() && s[pos] != '\n' && k(pos + 1, caps),
        Node::Class(items, neg) => {
            pos < s.len() && class_matches(items, *neg, s[pos]) && k(pos + 1, caps)
        }
        Node::Start => pos == 0 && k(pos, caps),
        Node::End => pos == s.len() && k(pos, caps),
        Node::WordBoundary(neg) => {
            let before = pos > 0 && is_word(s[pos - 1]);
            let after = pos < s.len() && is_word(s[pos]);
            ((before != after) != *neg) && k(pos, caps)
        }
        Node::Concat(items) => seq(items, s, pos, caps, k),
        Node::Alt(alts) => {
            for alt in alts {
                let saved = caps.clone();
                if m(alt, s, pos, caps, k) {
                    return true;
                }
                *caps = saved;
            }
            false
        }
        Node::Group(inner, None) => m(inner, s, pos, caps, k),
        Node::Group(inner, Some(idx)) => {
            let idx = *idx;
            m(inner, s, pos, caps, &mut |e, caps: &mut Caps| {
                let prev = caps[idx];
                caps[idx] = Some((pos, e));
                if k(e, caps) {
                    true
                } else {
                    caps[idx] = prev;
                    false
                }
            })
        }
        Node::Look(inner, negated) => {
            let mut inner_caps = caps.clone();
            let found = m(inner, s, pos, &mut inner_caps, &mut |_, _| true);
            if found == *negated {
                return false;
            }
            if found {
                *caps = inner_caps;
            }
            k(pos, caps)
        }
        Node::Repeat {
            node,
            min,
            max,
            greedy,
        } => rep(node, *min, *max, *greedy, 0, s, pos, caps, k),
    }
}

fn seq(
    items: &[Node],
    s: &[char],
    pos: usize,
    caps: &mut Caps,
    k: &mut dyn FnMut(usize, &mut Caps) -> bool,
) -> bool {
    match items.split_first() {
        None => k(pos, caps),
        Some((first, rest)) => m(first, s, pos, caps, &mut |p, c: &mut Caps| {
            seq(rest, s, p, c, k)
        }),
    }
}

#[allow(clippy::too_many_arguments)]
fn rep(
    node: &Node,
    min: usize,
    max: Option<usize>,
    greedy: bool,
    count: usize,
    s: &[char],
    pos: usize,
    caps: &mut Caps,
    k: &mut dyn FnMut(usize, &mut Caps) -> bool,
) -> bool {
    let can_more = max.is_none_or(|mx| count < mx);
    if count < min {
        return m(node, s, pos, caps, &mut |p, c: &mut Caps| {
            rep(node, min, max, greedy, count + 1, s, p, c, k)
        });
    }
    if !greedy && k(pos, caps) {
        return true;
    }
    if can_more {
        let saved = caps.clone();
        // An iteration must consume something, else `(a*)*` loops forever.
        if m(node, s, pos, caps, &mut |p, c: &mut Caps| {
            p != pos && rep(node, min, max, greedy, count + 1, s, p, c, k)
        }) {
            return true;
        }
        *caps = saved;
    }
    greedy && k(pos, caps)
}

struct Parser {
    chars: Vec<char>,
    pos: usize,
    groups: usize,
}

impl Parser {
    fn peek(&self) -> Option<char> {
        self.chars.get(self.pos).copied()
    }
    fn source(&self) -> String {
        self.chars.iter().collect()
    }
    fn err(&self, what: &str) -> String {
        format!("invalid regular expression /{}/: {what}", self.source())
    }

    fn alt(&mut self) -> Result<Node, String> {
        let mut alts = vec![self.concat()?];
        while self.peek() == Some('|') {
            self.pos += 1;
            alts.push(self.concat()?);
        }
        Ok(if alts.len() == 1 {
            alts.pop().unwrap_or(Node::Concat(Vec::new()))
        } else {
            Node::Alt(alts)
        })
    }

    fn concat(&mut self) -> Result<Node, String> {
        let mut items = Vec::new();
        while let Some(c) = self.peek() {
            if c == '|' || c == ')' {
                break;
            }
            let atom = self.atom()?;
            items.push(self.quantified(atom)?);
        }
        Ok(Node::Concat(items))
    }

    fn number(&mut self) -> Option<usize> {
        let start = self.pos;
        while self.peek().is_some_and(|c| c.is_ascii_digit()) {
            self.pos += 1;
        }
        self.chars[start..self.pos]
            .iter()
            .collect::<String>()
            .parse()
            .ok()
    }

    fn quantified(&mut self, atom: Node) -> Result<Node, String> {
        let (min, max) = match self.peek() {
            Some('*') => (0, None),
            Some('+') => (1, None),
            Some('?') => (0, Some(1)),
            Some('{') => {
                let save = self.pos;
                self.pos += 1;
                let Some(min) = self.number() else {
                    self.pos = save;
                    return Ok(atom);
                };
                let max = if self.peek() == Some(',') {
                    self.pos += 1;
                    if self.peek() == Some('}') {
                        None
                    } else {
                        Some(self.number().ok_or_else(|| self.err("bad `{n,m}`"))?)
                    }
                } else {
                    Some(min)
                };
                if self.peek() != Some('}') {
                    return Err(self.err("bad `{n,m}`"));
                }
                (min, max)
            }
            _ => return Ok(atom),
        };
        self.pos += 1;
        if matches!(
            atom,
            Node::Start | Node::End | Node::WordBoundary(_) | Node::Look(..)
        ) {
            return Err(self.err("nothing to repeat"));
        }
        let greedy = if self.peek() == Some('?') {
            self.pos += 1;
            false
        } else {
            true
        };
        Ok(Node::Repeat {
            node: Box::new(atom),
            min,
            max,
            greedy,
        })
    }

    fn atom(&mut self) -> Result<Node, String> {
        let c = self.peek().ok_or_else(|| self.err("unexpected end"))?;
        self.pos += 1;
        Ok(match c {
            '.' => Node::Any,
            '^' => Node::Start,
            '$' => Node::End,
            '(' => {
                let node = if self.peek() == Some('?') {
                    self.pos += 1;
                    match self.peek() {
                        Some(':') => {
                            self.pos += 1;
                            Node::Group(Box::new(self.alt()?), None)
                        }
                        Some('=') => {
                            self.pos += 1;
                            Node::Look(Box::new(self.alt()?), false)
                        }
                        Some('!') => {
                            self.pos += 1;
                            Node::Look(Box::new(self.alt()?), true)
                        }
                        _ => {
                            return Err(self.err(
                                "unsupported group (lookbehind and named groups are not supported)",
                            ));
                        }
                    }
                } else {
                    self.groups += 1;
                    let idx = self.groups;
                    Node::Group(Box::new(self.alt()?), Some(idx))
                };
                if self.peek() != Some(')') {
                    return Err(self.err("missing `)`"));
                }
                self.pos += 1;
                node
            }
            '[' => self.class()?,
            '\\' => match self.escape()? {
                Escaped::Item(ClassItem::Char(c)) => Node::Char(c),
                Escaped::Item(item) => Node::Class(vec![item], false),
                Escaped::Boundary(neg) => Node::WordBoundary(neg),
            },
            '*' | '+' | '?' => return Err(self.err("nothing to repeat")),
            ')' => return Err(self.err("unmatched `)`")),
            c => Node::Char(c),
        })
    }

    fn escape(&mut self) -> Result<Escaped, String> {
        let c = self.peek().ok_or_else(|| self.err("trailing `\\`"))?;
        self.pos += 1;
        Ok(Escaped::Item(match c {
            'd' => ClassItem::Digit(false),
            'D' => ClassItem::Digit(true),
            'w' => ClassItem::Word(false),
            'W' => ClassItem::Word(true),
            's' => ClassItem::Space(false),
            'S' => ClassItem::Space(true),
            'b' => return Ok(Escaped::Boundary(false)),
            'B' => return Ok(Escaped::Boundary(true)),
            'n' => ClassItem::Char('\n'),
            't' => ClassItem::Char('\t'),
            c if c.is_ascii_alphanumeric() => {
                return Err(self.err(&format!("unsupported escape `\\{c}`")));
            }
            c => ClassItem::Char(c),
        }))
    }

    fn class(&mut self) -> Result<Node, String> {
        let negated = self.peek() == Some('^');
        if negated {
            self.pos += 1;
        }
        let mut items = Vec::new();
        let mut first = true;
        loop {
            let c = self.peek().ok_or_else(|| self.err("missing `]`"))?;
            self.pos += 1;
            if c == ']' && !first {
                break;
            }
            first = false;
            let item = if c == '\\' {
                match self.escape()? {
                    Escaped::Item(i) => i,
                    Escaped::Boundary(_) => ClassItem::Char('\u{8}'),
                }
            } else {
                ClassItem::Char(c)
            };
            if let ClassItem::Char(lo) = item
                && self.peek() == Some('-')
                && self.chars.get(self.pos + 1).is_some_and(|&n| n != ']')
            {
                self.pos += 1;
                let mut hi = self.peek().ok_or_else(|| self.err("missing `]`"))?;
                self.pos += 1;
                if hi == '\\' {
                    match self.escape()? {
                        Escaped::Item(ClassItem::Char(h)) => hi = h,
                        _ => return Err(self.err("bad class range")),
                    }
                }
                if hi < lo {
                    return Err(self.err("class range out of order"));
                }
                items.push(ClassItem::Range(lo, hi));
            } else {
                items.push(item);
            }
        }
        Ok(Node::Class(items, negated))
    }
}

enum Escaped {
    Item(ClassItem),
    Boundary(bool),
}

#[cfg(test)]
mod tests {
    use super::Regex;

    fn is(p: &str, s: &str) -> bool {
        Regex::new(p).unwrap().is_match(s)
    }

    #[test]
    fn basics() {
        assert!(is("^test$", "test"));
        assert!(!is("^test$", "tests"));
        assert!(is("Id$", "tenantId"));
        assert!(!is("Id$", "identity"));
        assert!(is("^[a-z][a-zA-Z0-9]*$", "rowId2"));
        assert!(!is("^[a-z][a-zA-Z0-9]*$", "row_id"));
        assert!(is("a|b", "xb"));
        assert!(is("^(ab)+$", "ababab"));
        assert!(!is("^(ab)+$", "ababa"));
        assert!(is("^a{2,3}$", "aaa"));
        assert!(!is("^a{2,3}$", "aaaa"));
        assert!(is("\\bcat", "a cat"));
        assert!(!is("\\bcat", "bobcat"));
        assert!(is("^\\w+\\.\\d$", "v_1.2"));
        assert!(is("[^aeiou]y$", "city"));
        assert!(!is("[^aeiou]y$", "day"));
        assert!(is("^(a*)*$", "aaaa"));
    }

    #[test]
    fn lookahead_as_in_prisma_lint_docs() {
        let re = Regex::new("^(?!.*[aA]mountD6$).*D6$").unwrap();
        assert!(re.is_match("priceD6"));
        assert!(!re.is_match("priceAmountD6"));
        assert!(!re.is_match("id"));
        assert!(is("^foo(?=bar)", "foobar"));
        assert!(!is("^foo(?=bar)", "foobaz"));
    }

    #[test]
    fn replace_with_groups() {
        let re = Regex::new("([^aeiouy]|qu)y$").unwrap();
        assert_eq!(re.replace_first("city", "$1ies").as_deref(), Some("cities"));
        let re = Regex::new("(?:(kni|wi|li)fe|(ar|l|ea|eo|oa|hoo)f)$").unwrap();
        assert_eq!(
            re.replace_first("wolf", "$1$2ves").as_deref(),
            Some("wolves")
        );
        assert_eq!(
            re.replace_first("knife", "$1$2ves").as_deref(),
            Some("knives")
        );
        assert_eq!(Regex::new("x").unwrap().replace_first("abc", "y"), None);
    }

    #[test]
    fn rejects_what_it_cannot_do() {
        for bad in ["(?<=a)b", "(?<n>a)", "\\1", "a(", "a)", "*a", "[a", "[z-a]"] {
            assert!(Regex::new(bad).is_err(), "{bad}");
        }
    }
}
