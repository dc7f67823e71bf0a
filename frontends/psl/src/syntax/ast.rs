//! Typed views over the flat syntax tree. Accessors return `None` where the source is
//! incomplete, so every consumer handles broken input without panicking.
//!
//! Views are `Copy` handles borrowing the [`Tree`](super::Tree) of a [`Parse`](super::Parse);
//! text accessors return `&str` slices of the source, so reading a schema allocates nothing.

use super::kind::SyntaxKind::*;
use super::tree::{Before, Node, Token};
use rowan::TextRange;

/// A typed wrapper of one node kind.
pub trait AstNode<'t>: Sized + Copy {
    /// Wrap `node` if it has the right kind.
    fn cast(node: Node<'t>) -> Option<Self>;
    /// The underlying node.
    fn syntax(&self) -> Node<'t>;
    /// Byte range of the node (trivia around it excluded by construction).
    fn range(&self) -> TextRange {
        self.syntax().text_range()
    }
    /// The node's source text.
    fn text(&self) -> &'t str {
        self.syntax().text()
    }
}

macro_rules! ast_node {
    ($(#[$doc:meta])* $name:ident, $kind:ident) => {
        $(#[$doc])*
        #[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
        pub struct $name<'t> {
            pub(crate) syntax: Node<'t>,
        }
        impl<'t> AstNode<'t> for $name<'t> {
            fn cast(node: Node<'t>) -> Option<Self> {
                (node.kind() == $kind).then_some($name { syntax: node })
            }
            fn syntax(&self) -> Node<'t> {
                self.syntax
            }
        }
    };
}

fn child<'t, N: AstNode<'t>>(parent: &Node<'t>) -> Option<N> {
    parent.children().find_map(N::cast)
}

fn children<'t, N: AstNode<'t>>(parent: &Node<'t>) -> impl Iterator<Item = N> + use<'t, N> {
    parent.children().filter_map(N::cast)
}

ast_node!(/// The root of one `.prisma` file.
    SourceFile, SOURCE_FILE);
ast_node!(/// `model` or `view` declaration.
    Model, MODEL);
ast_node!(/// `type` declaration (composite type).
    CompositeType, COMPOSITE_TYPE);
ast_node!(/// `enum` declaration.
    Enum, ENUM);
ast_node!(/// `datasource` block.
    Datasource, DATASOURCE);
ast_node!(/// `generator` block.
    Generator, GENERATOR);
ast_node!(/// `{ ... }` of a block.
    BlockBody, BLOCK_BODY);
ast_node!(/// A declared name.
    Name, NAME);
ast_node!(/// A field of a model, view or composite type.
    Field, FIELD);
ast_node!(/// The type of a field.
    FieldType, FIELD_TYPE);
ast_node!(/// `Unsupported("...")`.
    Unsupported, UNSUPPORTED);
ast_node!(/// A value of an enum.
    EnumValue, ENUM_VALUE);
ast_node!(/// `key = value` in a datasource or generator.
    KeyValue, KEY_VALUE);
ast_node!(/// `@attr(...)`.
    FieldAttribute, FIELD_ATTRIBUTE);
ast_node!(/// `@@attr(...)`.
    BlockAttribute, BLOCK_ATTRIBUTE);
ast_node!(/// A dotted name such as `db.VarChar`.
    Path, PATH);
ast_node!(/// `( ... )` arguments.
    ArgList, ARG_LIST);
ast_node!(/// One argument, positional or named.
    Arg, ARG);
ast_node!(/// A string literal.
    StringLit, STRING_LIT);
ast_node!(/// A number literal.
    NumberLit, NUMBER_LIT);
ast_node!(/// A bare identifier used as a value.
    Const, CONST);
ast_node!(/// `[ ... ]`.
    Array, ARRAY);
ast_node!(/// `name(args)`.
    FunctionCall, FUNCTION_CALL);

/// A top-level declaration.
#[derive(Debug, Clone, PartialEq, Eq, Hash)]
pub enum Item<'t> {
    /// `model` / `view`.
    Model(Model<'t>),
    /// `type`.
    CompositeType(CompositeType<'t>),
    /// `enum`.
    Enum(Enum<'t>),
    /// `datasource`.
    Datasource(Datasource<'t>),
    /// `generator`.
    Generator(Generator<'t>),
}

impl<'t> Item<'t> {
    fn cast(node: Node<'t>) -> Option<Self> {
        Some(match node.kind() {
            MODEL => Item::Model(Model { syntax: node }),
            COMPOSITE_TYPE => Item::CompositeType(CompositeType { syntax: node }),
            ENUM => Item::Enum(Enum { syntax: node }),
            DATASOURCE => Item::Datasource(Datasource { syntax: node }),
            GENERATOR => Item::Generator(Generator { syntax: node }),
            _ => return None,
        })
    }
    /// The underlying node.
    pub fn syntax(&self) -> Node<'t> {
        match self {
            Item::Model(n) => n.syntax,
            Item::CompositeType(n) => n.syntax,
            Item::Enum(n) => n.syntax,
            Item::Datasource(n) => n.syntax,
            Item::Generator(n) => n.syntax,
        }
    }
    /// Byte range.
    pub fn range(&self) -> TextRange {
        self.syntax().text_range()
    }
    /// The declared name.
    pub fn name(&self) -> Option<Name<'t>> {
        child(&self.syntax())
    }
}

impl<'t> SourceFile<'t> {
    /// Top-level declarations in source order.
    pub fn items(&self) -> impl Iterator<Item = Item<'t>> + use<'t> {
        self.syntax.children().filter_map(Item::cast)
    }
}

/// Shared accessors of the declarations with a name and a body.
macro_rules! named_block {
    ($($name:ident),*) => {$(
        impl<'t> $name<'t> {
            /// The declared name.
            pub fn name(&self) -> Option<Name<'t>> {
                child(&self.syntax)
            }
            /// The `{ ... }` body.
            pub fn body(&self) -> Option<BlockBody<'t>> {
                child(&self.syntax)
            }
            /// The keyword token (`model`, `view`, `enum`, ...).
            pub fn keyword(&self) -> Option<Token<'t>> {
                self.syntax.token(IDENT)
            }
            /// `///` documentation directly above the declaration, without the slashes.
            pub fn doc(&self) -> Option<smol_str::SmolStr> {
                doc_comments(self.syntax)
            }
        }
    )*};
}
named_block!(Model, CompositeType, Enum, Datasource, Generator);

impl<'t> Model<'t> {
    /// `true` for `view Name { ... }`.
    pub fn is_view(&self) -> bool {
        self.keyword().is_some_and(|k| k.text() == "view")
    }
    /// Fields in source order.
    pub fn fields(&self) -> impl Iterator<Item = Field<'t>> + use<'t> {
        self.body().into_iter().flat_map(|b| b.fields())
    }
    /// `@@` attributes in source order.
    pub fn block_attributes(&self) -> impl Iterator<Item = BlockAttribute<'t>> + use<'t> {
        self.body().into_iter().flat_map(|b| b.block_attributes())
    }
}

impl<'t> CompositeType<'t> {
    /// Fields in source order.
    pub fn fields(&self) -> impl Iterator<Item = Field<'t>> + use<'t> {
        self.body().into_iter().flat_map(|b| b.fields())
    }
    /// `@@` attributes (Prisma rejects them on composite types; kept for diagnostics).
    pub fn block_attributes(&self) -> impl Iterator<Item = BlockAttribute<'t>> + use<'t> {
        self.body().into_iter().flat_map(|b| b.block_attributes())
    }
}

impl<'t> Enum<'t> {
    /// Values in source order.
    pub fn values(&self) -> impl Iterator<Item = EnumValue<'t>> + use<'t> {
        self.body().into_iter().flat_map(|b| b.enum_values())
    }
    /// `@@map`, `@@schema`.
    pub fn block_attributes(&self) -> impl Iterator<Item = BlockAttribute<'t>> + use<'t> {
        self.body().into_iter().flat_map(|b| b.block_attributes())
    }
}

impl<'t> Datasource<'t> {
    /// `key = value` entries.
    pub fn entries(&self) -> impl Iterator<Item = KeyValue<'t>> + use<'t> {
        self.body().into_iter().flat_map(|b| b.key_values())
    }
}

impl<'t> Generator<'t> {
    /// `key = value` entries.
    pub fn entries(&self) -> impl Iterator<Item = KeyValue<'t>> + use<'t> {
        self.body().into_iter().flat_map(|b| b.key_values())
    }
}

impl<'t> BlockBody<'t> {
    /// `FIELD` children.
    pub fn fields(&self) -> impl Iterator<Item = Field<'t>> + use<'t> {
        children(&self.syntax)
    }
    /// `ENUM_VALUE` children.
    pub fn enum_values(&self) -> impl Iterator<Item = EnumValue<'t>> + use<'t> {
        children(&self.syntax)
    }
    /// `BLOCK_ATTRIBUTE` children.
    pub fn block_attributes(&self) -> impl Iterator<Item = BlockAttribute<'t>> + use<'t> {
        children(&self.syntax)
    }
    /// `KEY_VALUE` children.
    pub fn key_values(&self) -> impl Iterator<Item = KeyValue<'t>> + use<'t> {
        children(&self.syntax)
    }
    /// The `{` token.
    pub fn l_brace(&self) -> Option<Token<'t>> {
        self.syntax.token(L_BRACE)
    }
    /// The `}` token (missing in broken input).
    pub fn r_brace(&self) -> Option<Token<'t>> {
        self.syntax.token(R_BRACE)
    }
}

impl<'t> Name<'t> {
    /// The identifier token.
    pub fn ident(&self) -> Option<Token<'t>> {
        self.syntax.token(IDENT)
    }
    /// The identifier text (empty if missing).
    pub fn text(&self) -> &'t str {
        self.ident().map_or("", |t| t.text())
    }
}

impl<'t> Field<'t> {
    /// The field name.
    pub fn name(&self) -> Option<Name<'t>> {
        child(&self.syntax)
    }
    /// The field type (missing in broken input).
    pub fn field_type(&self) -> Option<FieldType<'t>> {
        child(&self.syntax)
    }
    /// `@` attributes in source order.
    pub fn attributes(&self) -> impl Iterator<Item = FieldAttribute<'t>> + use<'t> {
        children(&self.syntax)
    }
    /// `///` documentation directly above the field, without the slashes.
    pub fn doc(&self) -> Option<smol_str::SmolStr> {
        doc_comments(self.syntax)
    }
}

impl<'t> FieldType<'t> {
    /// The type name token (`String`, `User`, ...); `None` for `Unsupported(...)`.
    pub fn name(&self) -> Option<Token<'t>> {
        self.syntax.token(IDENT)
    }
    /// `Unsupported("...")`, if that is the type.
    pub fn unsupported(&self) -> Option<Unsupported<'t>> {
        child(&self.syntax)
    }
    /// `Type?`
    pub fn is_optional(&self) -> bool {
        self.syntax.token(QUESTION).is_some()
    }
    /// `Type[]`
    pub fn is_list(&self) -> bool {
        self.syntax.token(L_BRACK).is_some()
    }
}

impl<'t> Unsupported<'t> {
    /// The quoted database type.
    pub fn string(&self) -> Option<Token<'t>> {
        self.syntax.token(STRING)
    }
}

impl<'t> EnumValue<'t> {
    /// The value name.
    pub fn name(&self) -> Option<Name<'t>> {
        child(&self.syntax)
    }
    /// `@map(...)` and friends.
    pub fn attributes(&self) -> impl Iterator<Item = FieldAttribute<'t>> + use<'t> {
        children(&self.syntax)
    }
}

impl<'t> KeyValue<'t> {
    /// The key.
    pub fn key(&self) -> Option<Name<'t>> {
        child(&self.syntax)
    }
    /// The value (missing in broken input).
    pub fn value(&self) -> Option<Expr<'t>> {
        self.syntax.children().find_map(Expr::cast)
    }
}

/// Shared accessors of `@attr` and `@@attr`.
macro_rules! attribute {
    ($($name:ident),*) => {$(
        impl<'t> $name<'t> {
            /// The attribute name path (`id`, `db.VarChar`).
            pub fn path(&self) -> Option<Path<'t>> {
                child(&self.syntax)
            }
            /// The name as text (`"db.VarChar"`; empty if missing).
            pub fn name(&self) -> &'t str {
                self.path().map_or("", |p| p.text())
            }
            /// The argument list, if written.
            pub fn arg_list(&self) -> Option<ArgList<'t>> {
                child(&self.syntax)
            }
            /// Arguments in order (empty without a list).
            pub fn args(&self) -> impl Iterator<Item = Arg<'t>> + use<'t> {
                self.arg_list().into_iter().flat_map(|l| l.args())
            }
        }
    )*};
}
attribute!(FieldAttribute, BlockAttribute);

impl<'t> Path<'t> {
    /// The identifier tokens.
    pub fn segments(&self) -> impl Iterator<Item = Token<'t>> + use<'t> {
        self.syntax.tokens().filter(|t| t.kind() == IDENT)
    }
    /// Segments joined by `.` (the parser allows no trivia inside a path; a dangling `.` of
    /// broken input is left out).
    pub fn text(&self) -> &'t str {
        self.syntax.text().trim_end_matches('.')
    }
}

impl<'t> ArgList<'t> {
    /// Arguments in order.
    pub fn args(&self) -> impl Iterator<Item = Arg<'t>> + use<'t> {
        children(&self.syntax)
    }
    /// The argument named `name`, or else the first positional one wherever it is (Prisma takes
    /// an unnamed argument as the default one in any position: `@@unique(map: "x", [a])`).
    pub fn named_or_first(&self, name: &str) -> Option<Arg<'t>> {
        let mut first = None;
        for arg in self.args() {
            match arg.name() {
                Some(n) if n.text() == name => return Some(arg),
                None if first.is_none() => first = Some(arg),
                _ => {}
            }
        }
        first
    }
    /// The argument named `name`.
    pub fn named(&self, name: &str) -> Option<Arg<'t>> {
        self.args()
            .find(|a| a.name().is_some_and(|n| n.text() == name))
    }
}

impl<'t> Arg<'t> {
    /// The name of a named argument.
    pub fn name(&self) -> Option<Name<'t>> {
        child(&self.syntax)
    }
    /// The value.
    pub fn value(&self) -> Option<Expr<'t>> {
        self.syntax.children().find_map(Expr::cast)
    }
}

/// An expression: the value of an argument, entry or array element.
#[derive(Debug, Clone, PartialEq, Eq, Hash)]
pub enum Expr<'t> {
    /// `"..."`
    String(StringLit<'t>),
    /// `42`, `-1.5`
    Number(NumberLit<'t>),
    /// `true`, `Cascade`, `fieldName`
    Const(Const<'t>),
    /// `[...]`
    Array(Array<'t>),
    /// `fn(...)`
    Call(FunctionCall<'t>),
}

impl<'t> Expr<'t> {
    /// Wrap an expression node.
    pub fn cast(node: Node<'t>) -> Option<Self> {
        Some(match node.kind() {
            STRING_LIT => Expr::String(StringLit { syntax: node }),
            NUMBER_LIT => Expr::Number(NumberLit { syntax: node }),
            CONST => Expr::Const(Const { syntax: node }),
            ARRAY => Expr::Array(Array { syntax: node }),
            FUNCTION_CALL => Expr::Call(FunctionCall { syntax: node }),
            _ => return None,
        })
    }
    /// The underlying node.
    pub fn syntax(&self) -> Node<'t> {
        match self {
            Expr::String(n) => n.syntax,
            Expr::Number(n) => n.syntax,
            Expr::Const(n) => n.syntax,
            Expr::Array(n) => n.syntax,
            Expr::Call(n) => n.syntax,
        }
    }
    /// The expression's source text.
    pub fn text(&self) -> &'t str {
        self.syntax().text()
    }
    /// Byte range.
    pub fn range(&self) -> TextRange {
        self.syntax().text_range()
    }
    /// The unescaped value of a string literal.
    pub fn as_string(&self) -> Option<String> {
        match self {
            Expr::String(s) => s.value(),
            _ => None,
        }
    }
    /// The unescaped value of a string literal as a [`Name`](crate::model::Name) (no
    /// allocation for short strings without escapes).
    pub fn as_name(&self) -> Option<crate::model::Name> {
        match self {
            Expr::String(s) => s.value_cow().map(crate::model::Name::new),
            _ => None,
        }
    }
    /// The dotted text of a constant.
    pub fn as_const(&self) -> Option<&'t str> {
        match self {
            Expr::Const(c) => c.path().map(|p| p.text()),
            _ => None,
        }
    }
    /// The elements of an array.
    pub fn as_array(&self) -> Option<Vec<Expr<'t>>> {
        match self {
            Expr::Array(a) => Some(a.items().collect()),
            _ => None,
        }
    }
}

impl<'t> StringLit<'t> {
    /// The raw token, quotes included.
    pub fn token(&self) -> Option<Token<'t>> {
        self.syntax.token(STRING)
    }
    /// The unescaped contents; `None` if the token is missing.
    pub fn value(&self) -> Option<String> {
        self.token().map(|t| unescape(t.text()))
    }
    /// The unescaped contents, borrowed from the source when there is nothing to unescape.
    pub fn value_cow(&self) -> Option<std::borrow::Cow<'t, str>> {
        let raw = self.token()?.text();
        let inner = strip_quotes(raw);
        Some(if inner.contains('\\') {
            std::borrow::Cow::Owned(unescape(raw))
        } else {
            std::borrow::Cow::Borrowed(inner)
        })
    }
}

impl<'t> NumberLit<'t> {
    /// The number as written.
    pub fn text(&self) -> &'t str {
        self.syntax.token(NUMBER).map_or("", |t| t.text())
    }
}

impl<'t> Const<'t> {
    /// The identifier path.
    pub fn path(&self) -> Option<Path<'t>> {
        child(&self.syntax)
    }
}

impl<'t> Array<'t> {
    /// Elements in order.
    pub fn items(&self) -> impl Iterator<Item = Expr<'t>> + Clone + use<'t> {
        self.syntax.children().filter_map(Expr::cast)
    }
}

impl<'t> FunctionCall<'t> {
    /// The function name.
    pub fn path(&self) -> Option<Path<'t>> {
        child(&self.syntax)
    }
    /// The name as text.
    pub fn name(&self) -> &'t str {
        self.path().map_or("", |p| p.text())
    }
    /// The argument list.
    pub fn arg_list(&self) -> Option<ArgList<'t>> {
        child(&self.syntax)
    }
    /// Arguments in order.
    pub fn args(&self) -> impl Iterator<Item = Arg<'t>> + use<'t> {
        self.arg_list().into_iter().flat_map(|l| l.args())
    }
}

/// Contents of a string token: quotes removed, escapes `\" \\ \/ \b \f \n \r \t \uXXXX` resolved
/// (unknown escapes kept as written, an unterminated string keeps what is there).
pub fn unescape(raw: &str) -> String {
    let inner = strip_quotes(raw);
    let mut out = String::with_capacity(inner.len());
    let mut chars = inner.chars();
    while let Some(c) = chars.next() {
        if c != '\\' {
            out.push(c);
            continue;
        }
        match chars.next() {
            Some('"') => out.push('"'),
            Some('\\') => out.push('\\'),
            Some('n') => out.push('\n'),
            Some('r') => out.push('\r'),
            Some('t') => out.push('\t'),
            Some('/') => out.push('/'),
            Some('b') => out.push('\u{8}'),
            Some('f') => out.push('\u{c}'),
            Some('u') => {
                let hex: String = chars.clone().take(4).collect();
                match u32::from_str_radix(&hex, 16)
                    .ok()
                    .filter(|_| hex.len() == 4)
                    .and_then(char::from_u32)
                {
                    Some(ch) => {
                        out.push(ch);
                        for _ in 0..4 {
                            chars.next();
                        }
                    }
                    None => out.push_str("\\u"),
                }
            }
            Some(other) => {
                out.push('\\');
                out.push(other);
            }
            None => out.push('\\'),
        }
    }
    out
}

/// A string token without its quotes (an unterminated string has only the opening one).
fn strip_quotes(raw: &str) -> &str {
    let inner = raw.strip_prefix('"').unwrap_or(raw);
    inner
        .strip_suffix('"')
        .filter(|_| raw.len() >= 2)
        .unwrap_or(inner)
}

/// The `///` comments directly above `node` (no blank line between), joined by `\n`, with the
/// slashes and one following space removed.
///
/// Short docs (up to 23 bytes) are stored inline, with no allocation.
pub fn doc_comments(node: Node<'_>) -> Option<smol_str::SmolStr> {
    let mut comments = smallvec::SmallVec::<[Token<'_>; 4]>::new();
    walk_leading_comments(node, |c| comments.push(c));
    // Nearest first: the doc block is the run of `///` comments right above the node.
    let docs = comments
        .iter()
        .take_while(|c| c.kind() == DOC_COMMENT)
        .count();
    if docs == 0 {
        return None;
    }
    let mut out = smol_str::SmolStrBuilder::new();
    for (i, comment) in comments[..docs].iter().rev().enumerate() {
        if i > 0 {
            out.push('\n');
        }
        let mut text = comment.text();
        while let Some(rest) = text.strip_prefix("///") {
            text = rest;
        }
        out.push_str(text.strip_prefix(' ').unwrap_or(text).trim_end());
    }
    Some(out.finish())
}

/// Comment tokens directly above `node`, nearest first: walks back over preceding siblings,
/// allowing one line end between comments and stopping at a blank line or any non-trivia.
/// A comment on the same line after another item (`a Int // note`) is not included.
pub fn leading_comments(node: Node<'_>) -> Vec<Token<'_>> {
    let mut out = Vec::new();
    walk_leading_comments(node, |c| out.push(c));
    out
}

/// Hand the comments of [`leading_comments`] to `sink`, nearest first, without collecting them.
fn walk_leading_comments<'t>(node: Node<'t>, mut sink: impl FnMut(Token<'t>)) {
    let mut newlines = 0;
    let mut prev = node.before();
    while let Before::Token(tok) = prev {
        match tok.kind() {
            WHITESPACE => {}
            NEWLINE => {
                newlines += 1;
                if newlines > 1 {
                    break;
                }
            }
            k if k.is_comment() => {
                // A comment that ends the line of a preceding item belongs to that item.
                let mut before = tok.before();
                while let Before::Token(b) = before
                    && b.kind() == WHITESPACE
                {
                    before = b.before();
                }
                let trailing = match before {
                    Before::Node => true,
                    Before::Token(t) => !t.kind().is_trivia() && t.kind() != L_BRACE,
                    Before::Start => false,
                };
                if trailing {
                    break;
                }
                sink(tok);
                newlines = 0;
            }
            _ => break,
        }
        prev = tok.before();
    }
}
