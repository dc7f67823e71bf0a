//! Prisma Schema Language syntax: a hand-written lexer and recursive-descent parser producing a
//! lossless rowan tree (`tree.to_string() == input` for every input), plus typed AST accessors.
//!
//! The parser never fails: errors become [`SyntaxError`]s with precise ranges and the parser
//! recovers at the next line or block so one broken model does not hide the next one.

pub mod ast;
mod green;
mod kind;
mod lexer;
mod parser;
mod tree;

pub use kind::{Psl, SyntaxElement, SyntaxKind, SyntaxNode, SyntaxToken};
pub use lexer::{Token, lex};
pub use tree::{Children, ChildrenWithTokens, Element, Node, Tree};

/// A token of a flat [`Tree`] (a [`Token`] is a lexer token: kind and length).
pub use tree::Token as TreeToken;

use rowan::{GreenNode, TextRange};
use std::sync::{Arc, OnceLock};

/// A syntax error: what the parser expected and where.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct SyntaxError {
    /// Human-readable message, e.g. "expected a field type".
    pub message: String,
    /// Byte range of the offending text (empty at the insertion point for missing tokens).
    pub range: TextRange,
}

/// The result of parsing one file: the flat tree, the syntax errors and, on demand, the same
/// tree as a lossless rowan tree.
#[derive(Debug, Clone)]
pub struct Parse {
    tree: Arc<Tree>,
    errors: Vec<SyntaxError>,
    green: OnceLock<GreenNode>,
}

impl Parse {
    /// The root of the lossless rowan tree (built on first use from the flat tree).
    pub fn syntax(&self) -> SyntaxNode {
        SyntaxNode::new_root(self.green().clone())
    }
    /// The typed root, over the flat tree.
    pub fn tree(&self) -> ast::SourceFile<'_> {
        ast::SourceFile {
            syntax: self.tree.root(),
        }
    }
    /// The flat tree.
    pub fn flat(&self) -> &Tree {
        &self.tree
    }
    /// The parsed text.
    pub fn text(&self) -> &str {
        self.tree.text()
    }
    /// Syntax errors in source order.
    pub fn errors(&self) -> &[SyntaxError] {
        &self.errors
    }
    /// Where the flat tree and the rowan tree built from it disagree (nodes, their children,
    /// token parents and siblings), or `None`. For tests and fuzzing: the model reads the flat
    /// tree while users of [`Parse::syntax`] see the rowan one, so they must be the same tree.
    #[doc(hidden)]
    pub fn shape_mismatch(&self) -> Option<String> {
        // The same projection of either tree (rowan and flat nodes share these method names).
        macro_rules! node_shape {
            ($n:expr) => {{
                let kids = $n.children_with_tokens();
                let kids: Vec<(SyntaxKind, TextRange)> =
                    kids.map(|e| (e.kind(), e.text_range())).collect();
                ($n.kind(), $n.text_range(), kids)
            }};
        }
        macro_rules! token_shape {
            ($t:expr, $parent:expr) => {{
                let prev = $t
                    .prev_sibling_or_token()
                    .map(|e| (e.kind(), e.text_range()));
                let next = $t
                    .next_sibling_or_token()
                    .map(|e| (e.kind(), e.text_range()));
                ($t.kind(), $t.text_range(), $parent, prev, next)
            }};
        }
        let root = self.syntax();
        let rowan_nodes = root.descendants().map(|n| node_shape!(n));
        let flat_nodes = self.tree.root().descendants().map(|n| node_shape!(n));
        if let Some((a, b)) = flat_nodes.zip(rowan_nodes).find(|(a, b)| a != b) {
            return Some(format!("node {a:?} (flat) vs {b:?} (rowan)"));
        }
        let count = root.descendants().count();
        if count != self.tree.root().descendants().count() {
            return Some(format!("{count} rowan nodes"));
        }
        let rowan_tokens = root
            .descendants_with_tokens()
            .filter_map(|e| e.into_token())
            .map(|t| token_shape!(t, t.parent().map(|p| (p.kind(), p.text_range()))));
        let flat_tokens = self
            .tree
            .tokens()
            .map(|t| token_shape!(t, Some((t.parent().kind(), t.parent().text_range()))));
        flat_tokens
            .zip(rowan_tokens)
            .find(|(a, b)| a != b)
            .map(|(a, b)| format!("token {a:?} (flat) vs {b:?} (rowan)"))
    }
    /// The rowan green tree (built on first use; cheap to clone, shareable).
    pub fn green(&self) -> &GreenNode {
        self.green.get_or_init(|| green::build(&self.tree))
    }
}

/// Parse PSL text. Never panics; always returns a tree covering every byte of `text`.
pub fn parse(text: &str) -> Parse {
    let (tree, errors) = parser::parse(text);
    Parse {
        tree: Arc::new(tree),
        errors,
        green: OnceLock::new(),
    }
}
