//! The lossless rowan tree, built on demand from a [`Tree`] (see [`super::Parse::syntax`]).
//!
//! Rowan trees are for consumers that want rowan's API (e.g. custom rules, editors, round-trip
//! checks); the audit itself reads the flat [`Tree`]. Equal tokens and small subtrees are
//! shared (hash-consing, see [`Builder`]), which keeps the tree ~4× the size of its text.

use super::kind::SyntaxKind::{self, *};
use super::tree::Tree;
use rowan::{GreenNode, GreenToken, NodeOrToken};
use std::collections::HashMap;
use std::collections::hash_map::Entry;

/// The rowan green tree of `tree`: same nodes, same tokens, same text.
pub(crate) fn build<'t>(tree: &'t Tree) -> GreenNode {
    let mut b: Builder<'t> = Builder::default();
    let mut tokens = tree.tokens();
    let mut emitted = 0u32;
    let mut emit_until = |b: &mut Builder<'t>, end: u32| {
        while emitted < end {
            let Some(t) = tokens.next() else { break };
            b.token(t.kind(), t.text());
            emitted += 1;
        }
    };
    // Open nodes: (end of their descendants in preorder, end token).
    let mut open: Vec<(u32, u32)> = Vec::with_capacity(32);
    for node in tree.root().descendants() {
        let b_ = node.bounds();
        while let Some(&(end_node, end_tok)) = open.last() {
            if b_.id < end_node {
                break;
            }
            emit_until(&mut b, end_tok);
            b.finish_node();
            open.pop();
        }
        emit_until(&mut b, b_.first_tok);
        b.start_node(node.kind());
        open.push((b_.end_node, b_.end_tok));
    }
    while let Some((_, end_tok)) = open.pop() {
        emit_until(&mut b, end_tok);
        b.finish_node();
    }
    b.finish()
}

type Element = NodeOrToken<GreenNode, GreenToken>;

/// Most children a node may have to be shared (see [`Builder`]).
const MAX_SHARED_CHILDREN: usize = 8;
/// Longest token text that is shared (see [`Builder`]).
const MAX_SHARED_TOKEN: usize = 64;

/// A green tree builder with its own hash-consing, cheaper than rowan's `NodeCache`.
///
/// Allocation dominates tree building, and a tree of distinct nodes takes ~16 times the size of
/// its text. So equal subtrees are shared, as rowan's `NodeCache` does, but keyed by the
/// *identity* of their (already shared) children instead of structural hashes, which
/// `NodeCache` recomputes recursively whenever its table grows (quadratic-looking slowdowns on
/// big files):
/// - tokens whose text is fixed by their kind, newlines and short runs of spaces come from small
///   tables indexed without hashing;
/// - other tokens up to [`MAX_SHARED_TOKEN`] bytes are interned by kind and text (the text is
///   borrowed from the input, so keys cost no allocation);
/// - a node with at most [`MAX_SHARED_CHILDREN`] children, all of them shared, is interned by
///   kind and children pointers: `@default(now())` or `id Int @id` is built once per file.
///
/// Everything else (long strings and comments, large nodes) is allocated once, unshared.
/// Sharing is invisible to users: red nodes carry their own offsets.
#[derive(Default)]
struct Builder<'t> {
    /// Open nodes: kind and index of their first child in `children`.
    parents: Vec<(SyntaxKind, usize)>,
    /// Finished children of the open nodes, with whether each is shared (interned).
    children: Vec<(Element, bool)>,
    /// Shared punctuation tokens, by kind.
    punct: Vec<Option<GreenToken>>,
    /// Shared `\n`, `\r\n`, `\r`.
    newlines: [Option<GreenToken>; 3],
    /// Shared runs of 1..=32 spaces, by length.
    spaces: Vec<Option<GreenToken>>,
    /// Interned tokens by kind and text.
    tokens: HashMap<(SyntaxKind, &'t str), GreenToken, FxBuild>,
    /// Interned nodes by kind and children identities.
    nodes: HashMap<NodeKey, GreenNode, FxBuild>,
}

/// A node's kind and the addresses of its (shared) children.
#[derive(PartialEq, Eq, Hash)]
struct NodeKey {
    kind: SyntaxKind,
    len: u8,
    children: [usize; MAX_SHARED_CHILDREN],
}

fn element_addr(e: &Element) -> usize {
    match e {
        NodeOrToken::Node(n) => std::ptr::from_ref::<rowan::GreenNodeData>(n) as usize,
        NodeOrToken::Token(t) => std::ptr::from_ref::<rowan::GreenTokenData>(t) as usize,
    }
}

use crate::fxhash::FxBuild;

impl<'t> Builder<'t> {
    fn token(&mut self, kind: SyntaxKind, text: &'t str) {
        let slot = match kind {
            L_BRACE | R_BRACE | L_PAREN | R_PAREN | L_BRACK | R_BRACK | COMMA | COLON | EQ | AT
            | AT_AT | DOT | QUESTION => {
                let i = kind as usize;
                if self.punct.len() <= i {
                    self.punct.resize(i + 1, None);
                }
                self.punct.get_mut(i)
            }
            NEWLINE => match text {
                "\n" => self.newlines.get_mut(0),
                "\r\n" => self.newlines.get_mut(1),
                _ => self.newlines.get_mut(2),
            },
            WHITESPACE if text.len() <= 32 && text.bytes().all(|b| b == b' ') => {
                if self.spaces.len() <= text.len() {
                    self.spaces.resize(33, None);
                }
                self.spaces.get_mut(text.len())
            }
            _ => None,
        };
        let (token, shared) = match slot {
            Some(Some(t)) => (t.clone(), true),
            Some(empty) => (
                empty.insert(GreenToken::new(kind.into(), text)).clone(),
                true,
            ),
            None if text.len() <= MAX_SHARED_TOKEN => (
                self.tokens
                    .entry((kind, text))
                    .or_insert_with(|| GreenToken::new(kind.into(), text))
                    .clone(),
                true,
            ),
            None => (GreenToken::new(kind.into(), text), false),
        };
        self.children.push((NodeOrToken::Token(token), shared));
    }

    fn start_node(&mut self, kind: SyntaxKind) {
        self.parents.push((kind, self.children.len()));
    }

    fn finish_node(&mut self) {
        let Some((kind, first)) = self.parents.pop() else {
            return;
        };
        let first = first.min(self.children.len());
        let kids = &self.children[first..];
        let (node, shared) = if kids.len() <= MAX_SHARED_CHILDREN && kids.iter().all(|c| c.1) {
            let mut key = NodeKey {
                kind,
                len: kids.len() as u8,
                children: [0; MAX_SHARED_CHILDREN],
            };
            for (slot, (e, _)) in key.children.iter_mut().zip(kids) {
                *slot = element_addr(e);
            }
            let node = match self.nodes.entry(key) {
                Entry::Occupied(o) => o.get().clone(),
                Entry::Vacant(v) => v
                    .insert(GreenNode::new(
                        kind.into(),
                        kids.iter().map(|(e, _)| e.clone()),
                    ))
                    .clone(),
            };
            self.children.truncate(first);
            (node, true)
        } else {
            let node = GreenNode::new(kind.into(), self.children.drain(first..).map(|(e, _)| e));
            (node, false)
        };
        self.children.push((NodeOrToken::Node(node), shared));
    }

    /// The root: the single finished node (a `SOURCE_FILE` wrapping everything otherwise).
    fn finish(mut self) -> GreenNode {
        while !self.parents.is_empty() {
            self.finish_node();
        }
        if let [(NodeOrToken::Node(root), _)] = self.children.as_slice() {
            return root.clone();
        }
        GreenNode::new(SOURCE_FILE.into(), self.children.drain(..).map(|(e, _)| e))
    }
}
