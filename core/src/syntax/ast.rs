//! Typed views over the lossless tree. Accessors return `None` where the source is incomplete,
//! so every consumer handles broken input without panicking.

use super::kind::{SyntaxKind, SyntaxKind::*, SyntaxNode, SyntaxToken};
use rowan::TextRange;

/// A typed wrapper of one node kind.
pub trait AstNode: Sized {
    /// Wrap `node` if it has the right kind.
    fn cast(node: SyntaxNode) -> Option<Self>;
    /// The underlying node.
    fn syntax(&self) -> &SyntaxNode;
    /// Byte range of the node (trivia around it excluded by construction).
    fn range(&self) -> TextRange {
        self.syntax().text_range()
    }
}

macro_rules! ast_node {
    ($(#[$doc:meta])* $name:ident, $kind:ident) => {
        $(#[$doc])*
        #[derive(Debug, Clone, PartialEq, Eq, Hash)]
        pub struct $name {
            pub(crate) syntax: SyntaxNode,
        }
        impl AstNode for $name {
            fn cast(node: SyntaxNode) -> Option<Self> {
                (node.kind() == $kind).then(|| $name { syntax: node })
            }
            fn syntax(&self) -> &SyntaxNode {
                &self.syntax
            }
        }
    };
}

fn child<N: AstNode>(parent: &SyntaxNode) -> Option<N> {
    parent.children().find_map(N::cast)
}

fn children<N: AstNode>(parent: &SyntaxNode) -> impl Iterator<Item = N> + use<N> {
    parent.children().filter_map(N::cast)
}

fn token(parent: &SyntaxNode, kind: SyntaxKind) -> Option<SyntaxToken> {
    parent
        .children_with_tokens()
        .filter_map(|e| e.into_token())
        .find(|t| t.kind() == kind)
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
pub enum Item {
    /// `model` / `view`.
    Model(Model),
    /// `type`.
    CompositeType(CompositeType),
    /// `enum`.
    Enum(Enum),
    /// `datasource`.
    Datasource(Datasource),
    /// `generator`.
    Generator(Generator),
}

impl Item {
    fn cast(node: SyntaxNode) -> Option<Self> {
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
    pub fn syntax(&self) -> &SyntaxNode {
        match self {
            Item::Model(n) => &n.syntax,
            Item::CompositeType(n) => &n.syntax,
            Item::Enum(n) => &n.syntax,
            Item::Datasource(n) => &n.syntax,
            Item::Generator(n) => &n.syntax,
        }
    }
    /// The declared name.
    pub fn name(&self) -> Option<Name> {
        child(self.syntax())
    }
}

impl SourceFile {
    /// Top-level declarations in source order.
    pub fn items(&self) -> impl Iterator<Item = Item> + use<> {
        self.syntax.children().filter_map(Item::cast)
    }
}

/// Shared accessors of the declarations with a name and a body.
macro_rules! named_block {
    ($($name:ident),*) => {$(
        impl $name {
            /// The declared name.
            pub fn name(&self) -> Option<Name> {
                child(&self.syntax)
            }
            /// The `{ ... }` body.
            pub fn body(&self) -> Option<BlockBody> {
                child(&self.syntax)
            }
            /// The keyword token (`model`, `view`, `enum`, ...).
            pub fn keyword(&self) -> Option<SyntaxToken> {
                token(&self.syntax, IDENT)
            }
            /// `///` documentation directly above the declaration, without the slashes.
            pub fn doc(&self) -> Option<String> {
                doc_comments(&self.syntax)
            }
        }
    )*};
}
named_block!(Model, CompositeType, Enum, Datasource, Generator);

impl Model {
    /// `true` for `view Name { ... }`.
    pub fn is_view(&self) -> bool {
        self.keyword().is_some_and(|k| k.text() == "view")
    }
    /// Fields in source order.
    pub fn fields(&self) -> impl Iterator<Item = Field> + use<> {
        self.body().into_iter().flat_map(|b| b.fields())
    }
    /// `@@` attributes in source order.
    pub fn block_attributes(&self) -> impl Iterator<Item = BlockAttribute> + use<> {
        self.body().into_iter().flat_map(|b| b.block_attributes())
    }
}

impl CompositeType {
    /// Fields in source order.
    pub fn fields(&self) -> impl Iterator<Item = Field> + use<> {
        self.body().into_iter().flat_map(|b| b.fields())
    }
    /// `@@` attributes (Prisma rejects them on composite types; kept for diagnostics).
    pub fn block_attributes(&self) -> impl Iterator<Item = BlockAttribute> + use<> {
        self.body().into_iter().flat_map(|b| b.block_attributes())
    }
}

impl Enum {
    /// Values in source order.
    pub fn values(&self) -> impl Iterator<Item = EnumValue> + use<> {
        self.body().into_iter().flat_map(|b| b.enum_values())
    }
    /// `@@map`, `@@schema`.
    pub fn block_attributes(&self) -> impl Iterator<Item = BlockAttribute> + use<> {
        self.body().into_iter().flat_map(|b| b.block_attributes())
    }
}

impl Datasource {
    /// `key = value` entries.
    pub fn entries(&self) -> impl Iterator<Item = KeyValue> + use<> {
        self.body().into_iter().flat_map(|b| b.key_values())
    }
}

impl Generator {
    /// `key = value` entries.
    pub fn entries(&self) -> impl Iterator<Item = KeyValue> + use<> {
        self.body().into_iter().flat_map(|b| b.key_values())
    }
}

impl BlockBody {
    /// `FIELD` children.
    pub fn fields(&self) -> impl Iterator<Item = Field> + use<> {
        children(&self.syntax)
    }
    /// `ENUM_VALUE` children.
    pub fn enum_values(&self) -> impl Iterator<Item = EnumValue> + use<> {
        children(&self.syntax)
    }
    /// `BLOCK_ATTRIBUTE` children.
    pub fn block_attributes(&self) -> impl Iterator<Item = BlockAttribute> + use<> {
        children(&self.syntax)
    }
    /// `KEY_VALUE` children.
    pub fn key_values(&self) -> impl Iterator<Item = KeyValue> + use<> {
        children(&self.syntax)
    }
    /// The `{` token.
    pub fn l_brace(&self) -> Option<SyntaxToken> {
        token(&self.syntax, L_BRACE)
    }
    /// The `}` token (missing in broken input).
    pub fn r_brace(&self) -> Option<SyntaxToken> {
        token(&self.syntax, R_BRACE)
    }
}

impl Name {
    /// The identifier token.
    pub fn ident(&self) -> Option<SyntaxToken> {
        token(&self.syntax, IDENT)
    }
    /// The identifier text (empty if missing).
    pub fn text(&self) -> String {
        self.ident()
            .map(|t| t.text().to_string())
            .unwrap_or_default()
    }
}

impl Field {
    /// The field name.
    pub fn name(&self) -> Option<Name> {
        child(&self.syntax)
    }
    /// The field type (missing in broken input).
    pub fn field_type(&self) -> Option<FieldType> {
        child(&self.syntax)
    }
    /// `@` attributes in source order.
    pub fn attributes(&self) -> impl Iterator<Item = FieldAttribute> + use<> {
        children(&self.syntax)
    }
    /// `///` documentation directly above the field, without the slashes.
    pub fn doc(&self) -> Option<String> {
        doc_comments(&self.syntax)
    }
}

impl FieldType {
    /// The type name token (`String`, `User`, ...); `None` for `Unsupported(...)`.
    pub fn name(&self) -> Option<SyntaxToken> {
        token(&self.syntax, IDENT)
    }
    /// `Unsupported("...")`, if that is the type.
    pub fn unsupported(&self) -> Option<Unsupported> {
        child(&self.syntax)
    }
    /// `Type?`
    pub fn is_optional(&self) -> bool {
        token(&self.syntax, QUESTION).is_some()
    }
    /// `Type[]`
    pub fn is_list(&self) -> bool {
        token(&self.syntax, L_BRACK).is_some()
    }
}

impl Unsupported {
    /// The quoted database type.
    pub fn string(&self) -> Option<SyntaxToken> {
        token(&self.syntax, STRING)
    }
}

impl EnumValue {
    /// The value name.
    pub fn name(&self) -> Option<Name> {
        child(&self.syntax)
    }
    /// `@map(...)` and friends.
    pub fn attributes(&self) -> impl Iterator<Item = FieldAttribute> + use<> {
        children(&self.syntax)
    }
}

impl KeyValue {
    /// The key.
    pub fn key(&self) -> Option<Name> {
        child(&self.syntax)
    }
    /// The value (missing in broken input).
    pub fn value(&self) -> Option<Expr> {
        self.syntax.children().find_map(Expr::cast)
    }
}

/// Shared accessors of `@attr` and `@@attr`.
macro_rules! attribute {
    ($($name:ident),*) => {$(
        impl $name {
            /// The attribute name path (`id`, `db.VarChar`).
            pub fn path(&self) -> Option<Path> {
                child(&self.syntax)
            }
            /// The name as text (`"db.VarChar"`; empty if missing).
            pub fn name(&self) -> String {
                self.path().map(|p| p.text()).unwrap_or_default()
            }
            /// The argument list, if written.
            pub fn arg_list(&self) -> Option<ArgList> {
                child(&self.syntax)
            }
            /// Arguments in order (empty without a list).
            pub fn args(&self) -> impl Iterator<Item = Arg> + use<> {
                self.arg_list().into_iter().flat_map(|l| l.args())
            }
        }
    )*};
}
attribute!(FieldAttribute, BlockAttribute);

impl Path {
    /// The identifier tokens.
    pub fn segments(&self) -> impl Iterator<Item = SyntaxToken> + use<> {
        self.syntax
            .children_with_tokens()
            .filter_map(|e| e.into_token())
            .filter(|t| t.kind() == IDENT)
    }
    /// Segments joined by `.`.
    pub fn text(&self) -> String {
        self.segments()
            .map(|t| t.text().to_string())
            .collect::<Vec<_>>()
            .join(".")
    }
}

impl ArgList {
    /// Arguments in order.
    pub fn args(&self) -> impl Iterator<Item = Arg> + use<> {
        children(&self.syntax)
    }
    /// The first positional argument, or the one named `name`.
    pub fn named_or_first(&self, name: &str) -> Option<Arg> {
        let mut first = None;
        for (i, arg) in self.args().enumerate() {
            match arg.name() {
                Some(n) if n.text() == name => return Some(arg),
                None if i == 0 => first = Some(arg),
                _ => {}
            }
        }
        first
    }
    /// The argument named `name`.
    pub fn named(&self, name: &str) -> Option<Arg> {
        self.args()
            .find(|a| a.name().is_some_and(|n| n.text() == name))
    }
}

impl Arg {
    /// The name of a named argument.
    pub fn name(&self) -> Option<Name> {
        child(&self.syntax)
    }
    /// The value.
    pub fn value(&self) -> Option<Expr> {
        self.syntax.children().find_map(Expr::cast)
    }
}

/// An expression: the value of an argument, entry or array element.
#[derive(Debug, Clone, PartialEq, Eq, Hash)]
pub enum Expr {
    /// `"..."`
    String(StringLit),
    /// `42`, `-1.5`
    Number(NumberLit),
    /// `true`, `Cascade`, `fieldName`
    Const(Const),
    /// `[...]`
    Array(Array),
    /// `fn(...)`
    Call(FunctionCall),
}

impl Expr {
    /// Wrap an expression node.
    pub fn cast(node: SyntaxNode) -> Option<Self> {
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
    pub fn syntax(&self) -> &SyntaxNode {
        match self {
            Expr::String(n) => &n.syntax,
            Expr::Number(n) => &n.syntax,
            Expr::Const(n) => &n.syntax,
            Expr::Array(n) => &n.syntax,
            Expr::Call(n) => &n.syntax,
        }
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
    /// The dotted text of a constant.
    pub fn as_const(&self) -> Option<String> {
        match self {
            Expr::Const(c) => c.path().map(|p| p.text()),
            _ => None,
        }
    }
    /// The elements of an array.
    pub fn as_array(&self) -> Option<Vec<Expr>> {
        match self {
            Expr::Array(a) => Some(a.items().collect()),
            _ => None,
        }
    }
}

impl StringLit {
    /// The raw token, quotes included.
    pub fn token(&self) -> Option<SyntaxToken> {
        token(&self.syntax, STRING)
    }
    /// The unescaped contents; `None` if the token is missing.
    pub fn value(&self) -> Option<String> {
        self.token().map(|t| unescape(t.text()))
    }
}

impl NumberLit {
    /// The number as written.
    pub fn text(&self) -> String {
        token(&self.syntax, NUMBER)
            .map(|t| t.text().to_string())
            .unwrap_or_default()
    }
}

impl Const {
    /// The identifier path.
    pub fn path(&self) -> Option<Path> {
        child(&self.syntax)
    }
}

impl Array {
    /// Elements in order.
    pub fn items(&self) -> impl Iterator<Item = Expr> + use<> {
        self.syntax.children().filter_map(Expr::cast)
    }
}

impl FunctionCall {
    /// The function name.
    pub fn path(&self) -> Option<Path> {
        child(&self.syntax)
    }
    /// The name as text.
    pub fn name(&self) -> String {
        self.path().map(|p| p.text()).unwrap_or_default()
    }
    /// The argument list.
    pub fn arg_list(&self) -> Option<ArgList> {
        child(&self.syntax)
    }
    /// Arguments in order.
    pub fn args(&self) -> impl Iterator<Item = Arg> + use<> {
        self.arg_list().into_iter().flat_map(|l| l.args())
    }
}

/// Contents of a string token: quotes removed, escapes `\" \\ \/ \b \f \n \r \t \uXXXX` resolved
/// (unknown escapes kept as written, an unterminated string keeps what is there).
pub fn unescape(raw: &str) -> String {
    let inner = raw.strip_prefix('"').unwrap_or(raw);
    let inner = inner
        .strip_suffix('"')
        .filter(|_| raw.len() >= 2)
        .unwrap_or(inner);
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

/// The `///` comments directly above `node` (no blank line between), joined by `\n`, with the
/// slashes and one following space removed.
pub fn doc_comments(node: &SyntaxNode) -> Option<String> {
    let mut lines = Vec::new();
    for comment in leading_comments(node) {
        if comment.kind() == DOC_COMMENT {
            let text = comment.text().trim_start_matches("///");
            lines.push(
                text.strip_prefix(' ')
                    .unwrap_or(text)
                    .trim_end()
                    .to_string(),
            );
        } else {
            break;
        }
    }
    if lines.is_empty() {
        return None;
    }
    lines.reverse();
    Some(lines.join("\n"))
}

/// Comment tokens directly above `node`, nearest first: walks back over preceding siblings,
/// allowing one line end between comments and stopping at a blank line or any non-trivia.
/// A comment on the same line after another item (`a Int // note`) is not included.
pub fn leading_comments(node: &SyntaxNode) -> Vec<SyntaxToken> {
    let mut out = Vec::new();
    let mut newlines = 0;
    let mut prev = node.prev_sibling_or_token();
    while let Some(el) = prev {
        let Some(tok) = el.as_token() else { break };
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
                let mut before = tok.prev_sibling_or_token();
                while let Some(b) = before.as_ref().and_then(|b| b.as_token().cloned()) {
                    if b.kind() == WHITESPACE {
                        before = b.prev_sibling_or_token();
                    } else {
                        break;
                    }
                }
                let trailing = match &before {
                    Some(rowan::NodeOrToken::Node(_)) => true,
                    Some(rowan::NodeOrToken::Token(t)) => {
                        !t.kind().is_trivia() && t.kind() != L_BRACE
                    }
                    None => false,
                };
                if trailing {
                    break;
                }
                out.push(tok.clone());
                newlines = 0;
            }
            _ => break,
        }
        prev = el.prev_sibling_or_token();
    }
    out
}
