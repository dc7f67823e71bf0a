//! The flat syntax tree: what the parser produces and what the model reads.
//!
//! A PSL file becomes three arrays — token kinds, token start offsets, nodes in preorder —
//! plus a copy of the text. Building it costs a few `Vec` pushes per token and node, with no
//! allocation per element, and reading it walks indices instead of reference-counted cursors.
//! The same shape is available as a lossless rowan tree ([`super::Parse::syntax`]), built from
//! these arrays on first use (the audit itself never needs it).
//!
//! Shape: every node covers a contiguous run of tokens `first_tok..end_tok`; a token belongs
//! to the innermost node covering it. Nodes are stored in preorder, so the descendants of node
//! `n` are the nodes `n + 1 .. end_node(n)`.

use super::kind::SyntaxKind::{self, *};
use rowan::TextRange;
use std::fmt;

/// One node in preorder.
#[derive(Debug, Clone, Copy)]
struct NodeData {
    kind: SyntaxKind,
    /// First token covered.
    first_tok: u32,
    /// One past the last token covered.
    end_tok: u32,
    /// One past the last descendant (preorder index).
    end_node: u32,
    /// Parent (preorder index); the root is its own parent.
    parent: u32,
}

/// A parsed file in flat form. See the module documentation.
#[derive(Clone)]
pub struct Tree {
    text: Box<str>,
    kinds: Vec<SyntaxKind>,
    /// Start offset of every token, plus the end of the text.
    starts: Vec<u32>,
    /// Innermost node covering each token.
    tok_parent: Vec<u32>,
    nodes: Vec<NodeData>,
}

impl fmt::Debug for Tree {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("Tree")
            .field("len", &self.text.len())
            .field("tokens", &self.kinds.len())
            .field("nodes", &self.nodes.len())
            .finish()
    }
}

impl Tree {
    /// The source text.
    pub fn text(&self) -> &str {
        &self.text
    }
    /// The root (`SOURCE_FILE`).
    pub fn root(&self) -> Node<'_> {
        Node { tree: self, id: 0 }
    }
    /// Number of tokens.
    pub fn token_count(&self) -> usize {
        self.kinds.len()
    }
    /// Every token in source order.
    pub fn tokens(&self) -> impl Iterator<Item = Token<'_>> + '_ {
        (0..self.kinds.len() as u32).map(move |index| Token { tree: self, index })
    }
    fn node(&self, id: u32) -> &NodeData {
        &self.nodes[id as usize]
    }
    fn tok_range(&self, i: u32) -> TextRange {
        let start = self.starts[i as usize];
        let end = self.starts[i as usize + 1];
        TextRange::new(start.into(), end.into())
    }
    fn tok_text(&self, i: u32) -> &str {
        let r = self.tok_range(i);
        &self.text[usize::from(r.start())..usize::from(r.end())]
    }
    /// The child of `ancestor` on the path to `node` (a descendant of `ancestor`).
    fn child_towards(&self, ancestor: u32, mut node: u32) -> u32 {
        while self.node(node).parent != ancestor && node != 0 {
            node = self.node(node).parent;
        }
        node
    }
    /// What precedes the element starting at token `t` inside node `parent`.
    fn before(&self, parent: u32, t: u32) -> Before<'_> {
        if t == 0 || t <= self.node(parent).first_tok {
            Before::Start
        } else if self.tok_parent[t as usize - 1] == parent {
            Before::Token(Token {
                tree: self,
                index: t - 1,
            })
        } else {
            Before::Node
        }
    }
    /// The sibling element before the element starting at token `t` inside node `parent`.
    fn prev_element(&self, parent: u32, t: u32) -> Option<Element<'_>> {
        match self.before(parent, t) {
            Before::Start => None,
            Before::Token(token) => Some(Element::Token(token)),
            Before::Node => Some(self.element_at(parent, t - 1)),
        }
    }
    /// The element at token position `t` inside node `parent`: the token itself when `parent`
    /// holds it directly, else the child node of `parent` that covers it.
    fn element_at(&self, parent: u32, t: u32) -> Element<'_> {
        let owner = self.tok_parent[t as usize];
        if owner == parent {
            Element::Token(Token {
                tree: self,
                index: t,
            })
        } else {
            Element::Node(Node {
                tree: self,
                id: self.child_towards(parent, owner),
            })
        }
    }
}

/// The sibling before an element, classified cheaply (walking back over trivia only needs to
/// know that a node comes next, not which one).
#[derive(Clone, Copy)]
pub(crate) enum Before<'t> {
    /// The element is its parent's first.
    Start,
    /// A token of the same parent.
    Token(Token<'t>),
    /// A child node of the same parent.
    Node,
}

/// A node of a [`Tree`]: a cheap, copyable handle.
#[derive(Clone, Copy)]
pub struct Node<'t> {
    tree: &'t Tree,
    id: u32,
}

impl PartialEq for Node<'_> {
    fn eq(&self, other: &Self) -> bool {
        std::ptr::eq(self.tree, other.tree) && self.id == other.id
    }
}
impl Eq for Node<'_> {}
impl std::hash::Hash for Node<'_> {
    fn hash<H: std::hash::Hasher>(&self, state: &mut H) {
        std::ptr::hash(self.tree, state);
        self.id.hash(state);
    }
}

impl fmt::Debug for Node<'_> {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "{:?}@{:?}", self.kind(), self.text_range())
    }
}

/// The node's text.
impl fmt::Display for Node<'_> {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.text())
    }
}

impl<'t> Node<'t> {
    fn data(&self) -> &'t NodeData {
        self.tree.node(self.id)
    }
    /// The tree holding the node.
    pub fn tree(&self) -> &'t Tree {
        self.tree
    }
    /// The kind.
    pub fn kind(&self) -> SyntaxKind {
        self.data().kind
    }
    /// Byte range (empty for an empty node).
    pub fn text_range(&self) -> TextRange {
        let d = self.data();
        let start = self.tree.starts[d.first_tok as usize];
        let end = self.tree.starts[d.end_tok as usize];
        TextRange::new(start.into(), end.into())
    }
    /// The covered text.
    pub fn text(&self) -> &'t str {
        let r = self.text_range();
        &self.tree.text[usize::from(r.start())..usize::from(r.end())]
    }
    /// Preorder index and token bounds (for the rowan builder).
    pub(crate) fn bounds(&self) -> Bounds {
        let d = self.data();
        Bounds {
            id: self.id,
            end_node: d.end_node,
            first_tok: d.first_tok,
            end_tok: d.end_tok,
        }
    }
    /// The parent, `None` for the root.
    pub fn parent(&self) -> Option<Node<'t>> {
        (self.id != 0).then(|| Node {
            tree: self.tree,
            id: self.data().parent,
        })
    }
    /// Child nodes in order.
    pub fn children(&self) -> Children<'t> {
        Children {
            tree: self.tree,
            next: self.id + 1,
            end: self.data().end_node,
        }
    }
    /// The first child of kind `kind`.
    pub fn child(&self, kind: SyntaxKind) -> Option<Node<'t>> {
        self.children().find(|n| n.kind() == kind)
    }
    /// Child nodes and the tokens held directly, in order.
    pub fn children_with_tokens(&self) -> ChildrenWithTokens<'t> {
        let d = self.data();
        ChildrenWithTokens {
            tree: self.tree,
            parent: self.id,
            tok: d.first_tok,
            end_tok: d.end_tok,
            next_child: self.id + 1,
            end_node: d.end_node,
        }
    }
    /// Tokens held directly (not by a child node), in order.
    pub fn tokens(&self) -> impl Iterator<Item = Token<'t>> + use<'t> {
        let (tree, id) = (self.tree, self.id);
        let d = self.data();
        (d.first_tok..d.end_tok)
            .filter(move |&t| tree.tok_parent[t as usize] == id)
            .map(move |index| Token { tree, index })
    }
    /// The first token held directly with kind `kind`.
    pub fn token(&self, kind: SyntaxKind) -> Option<Token<'t>> {
        self.tokens().find(|t| t.kind() == kind)
    }
    /// This node and every descendant node, in preorder.
    pub fn descendants(&self) -> impl Iterator<Item = Node<'t>> + use<'t> {
        let tree = self.tree;
        (self.id..self.data().end_node).map(move |id| Node { tree, id })
    }
    /// Every token covered, in order.
    pub fn descendant_tokens(&self) -> impl Iterator<Item = Token<'t>> + use<'t> {
        let tree = self.tree;
        let d = self.data();
        (d.first_tok..d.end_tok).map(move |index| Token { tree, index })
    }
    /// What precedes this node in its parent, without building a node handle.
    pub(crate) fn before(&self) -> Before<'t> {
        match self.parent() {
            Some(parent) => self.tree.before(parent.id, self.data().first_tok),
            None => Before::Start,
        }
    }
    /// The sibling element before this node (`None` at the start of the parent).
    pub fn prev_sibling_or_token(&self) -> Option<Element<'t>> {
        let parent = self.parent()?;
        self.tree.prev_element(parent.id, self.data().first_tok)
    }
    /// The sibling element after this node (`None` at the end of the parent).
    pub fn next_sibling_or_token(&self) -> Option<Element<'t>> {
        let parent = self.parent()?;
        let end = self.data().end_tok;
        (end < parent.data().end_tok).then(|| self.tree.element_at(parent.id, end))
    }
}

/// Where a node sits: preorder index, end of its descendants, token range.
pub(crate) struct Bounds {
    pub(crate) id: u32,
    pub(crate) end_node: u32,
    pub(crate) first_tok: u32,
    pub(crate) end_tok: u32,
}

/// Iterator over child nodes.
#[derive(Clone)]
pub struct Children<'t> {
    tree: &'t Tree,
    next: u32,
    end: u32,
}

impl<'t> Iterator for Children<'t> {
    type Item = Node<'t>;
    fn next(&mut self) -> Option<Node<'t>> {
        if self.next >= self.end {
            return None;
        }
        let id = self.next;
        self.next = self.tree.node(id).end_node;
        Some(Node {
            tree: self.tree,
            id,
        })
    }
}

/// Iterator over child nodes and tokens.
#[derive(Clone)]
pub struct ChildrenWithTokens<'t> {
    tree: &'t Tree,
    parent: u32,
    tok: u32,
    end_tok: u32,
    next_child: u32,
    end_node: u32,
}

impl<'t> Iterator for ChildrenWithTokens<'t> {
    type Item = Element<'t>;
    fn next(&mut self) -> Option<Element<'t>> {
        // The next child node comes first when it starts at the current token (also when it
        // is empty).
        if self.next_child < self.end_node {
            let child = self.tree.node(self.next_child);
            if child.first_tok <= self.tok {
                let id = self.next_child;
                self.next_child = child.end_node;
                self.tok = self.tok.max(child.end_tok);
                return Some(Element::Node(Node {
                    tree: self.tree,
                    id,
                }));
            }
        }
        if self.tok >= self.end_tok {
            return None;
        }
        let index = self.tok;
        self.tok += 1;
        debug_assert_eq!(self.tree.tok_parent[index as usize], self.parent);
        Some(Element::Token(Token {
            tree: self.tree,
            index,
        }))
    }
}

/// A token of a [`Tree`]: a cheap, copyable handle.
#[derive(Clone, Copy)]
pub struct Token<'t> {
    tree: &'t Tree,
    index: u32,
}

impl PartialEq for Token<'_> {
    fn eq(&self, other: &Self) -> bool {
        std::ptr::eq(self.tree, other.tree) && self.index == other.index
    }
}
impl Eq for Token<'_> {}

impl fmt::Debug for Token<'_> {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(
            f,
            "{:?}@{:?} {:?}",
            self.kind(),
            self.text_range(),
            self.text()
        )
    }
}

impl<'t> Token<'t> {
    /// The kind.
    pub fn kind(&self) -> SyntaxKind {
        self.tree.kinds[self.index as usize]
    }
    /// The text.
    pub fn text(&self) -> &'t str {
        self.tree.tok_text(self.index)
    }
    /// Byte range.
    pub fn text_range(&self) -> TextRange {
        self.tree.tok_range(self.index)
    }
    /// The innermost node holding the token.
    pub fn parent(&self) -> Node<'t> {
        Node {
            tree: self.tree,
            id: self.tree.tok_parent[self.index as usize],
        }
    }
    /// What precedes this token in its parent, without building a node handle.
    pub(crate) fn before(&self) -> Before<'t> {
        self.tree
            .before(self.tree.tok_parent[self.index as usize], self.index)
    }
    /// The sibling element before this token (`None` at the start of the parent).
    pub fn prev_sibling_or_token(&self) -> Option<Element<'t>> {
        let parent = self.tree.tok_parent[self.index as usize];
        self.tree.prev_element(parent, self.index)
    }
    /// The sibling element after this token (`None` at the end of the parent).
    pub fn next_sibling_or_token(&self) -> Option<Element<'t>> {
        let parent = self.tree.tok_parent[self.index as usize];
        let end = self.tree.node(parent).end_tok;
        (self.index + 1 < end).then(|| self.tree.element_at(parent, self.index + 1))
    }
}

/// A node or a token.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Element<'t> {
    /// A node.
    Node(Node<'t>),
    /// A token.
    Token(Token<'t>),
}

impl<'t> Element<'t> {
    /// The kind.
    pub fn kind(&self) -> SyntaxKind {
        match self {
            Element::Node(n) => n.kind(),
            Element::Token(t) => t.kind(),
        }
    }
    /// Byte range.
    pub fn text_range(&self) -> TextRange {
        match self {
            Element::Node(n) => n.text_range(),
            Element::Token(t) => t.text_range(),
        }
    }
    /// The token, if this is one.
    pub fn as_token(&self) -> Option<Token<'t>> {
        match self {
            Element::Token(t) => Some(*t),
            Element::Node(_) => None,
        }
    }
    /// The node, if this is one.
    pub fn as_node(&self) -> Option<Node<'t>> {
        match self {
            Element::Node(n) => Some(*n),
            Element::Token(_) => None,
        }
    }
    /// The sibling element before this one.
    pub fn prev_sibling_or_token(&self) -> Option<Element<'t>> {
        match self {
            Element::Node(n) => n.prev_sibling_or_token(),
            Element::Token(t) => t.prev_sibling_or_token(),
        }
    }
    /// The sibling element after this one.
    pub fn next_sibling_or_token(&self) -> Option<Element<'t>> {
        match self {
            Element::Node(n) => n.next_sibling_or_token(),
            Element::Token(t) => t.next_sibling_or_token(),
        }
    }
}

/// Builds a [`Tree`] from the parser's calls, in one pass: nodes are pushed in preorder when
/// they start, and every emitted token records its innermost open node.
pub(crate) struct TreeBuilder {
    nodes: Vec<NodeData>,
    /// Open nodes, innermost last.
    open: Vec<u32>,
    tok_parent: Vec<u32>,
}

impl TreeBuilder {
    pub(crate) fn with_capacity(tokens: usize, nodes: usize) -> Self {
        TreeBuilder {
            nodes: Vec::with_capacity(nodes),
            open: Vec::with_capacity(32),
            tok_parent: Vec::with_capacity(tokens),
        }
    }
    /// Open a node whose first token is `tok`.
    pub(crate) fn start_node(&mut self, kind: SyntaxKind, tok: u32) {
        let id = self.nodes.len() as u32;
        self.nodes.push(NodeData {
            kind,
            first_tok: tok,
            end_tok: tok,
            end_node: id + 1,
            parent: self.open.last().copied().unwrap_or(0),
        });
        self.open.push(id);
    }
    /// Record the next token (tokens are emitted in order).
    pub(crate) fn token(&mut self) {
        self.tok_parent.push(self.open.last().copied().unwrap_or(0));
    }
    /// A position to wrap later siblings in a node with [`TreeBuilder::start_node_at`].
    pub(crate) fn checkpoint(&self, tok: u32) -> (u32, u32) {
        (tok, self.nodes.len() as u32)
    }
    /// Open a node that starts at `checkpoint`, wrapping the siblings finished since (e.g. the
    /// `PATH` of what turns out to be a function call). They are few, so moving them is cheap.
    pub(crate) fn start_node_at(&mut self, checkpoint: (u32, u32), kind: SyntaxKind) {
        let (tok, at) = checkpoint;
        let at = at.min(self.nodes.len() as u32);
        let tok = tok.min(self.tok_parent.len() as u32);
        let outer = self.open.last().copied().unwrap_or(0);
        let remap = |p: u32| {
            if p == outer {
                at
            } else if p >= at {
                p + 1
            } else {
                p
            }
        };
        for n in &mut self.nodes[at as usize..] {
            n.end_node += 1;
            n.parent = remap(n.parent);
        }
        for p in &mut self.tok_parent[tok as usize..] {
            *p = remap(*p);
        }
        self.nodes.insert(
            at as usize,
            NodeData {
                kind,
                first_tok: tok,
                end_tok: tok,
                end_node: at + 1,
                parent: outer,
            },
        );
        self.open.push(at);
    }
    /// Close the innermost open node; `tok` is one past its last token.
    pub(crate) fn finish_node(&mut self, tok: u32) {
        let end_node = self.nodes.len() as u32;
        if let Some(id) = self.open.pop()
            && let Some(n) = self.nodes.get_mut(id as usize)
        {
            n.end_tok = tok.max(n.first_tok);
            n.end_node = end_node;
        }
    }
    /// The finished tree. Open nodes are closed at the end of input; the parser always opens
    /// the `SOURCE_FILE` root first and emits every token.
    pub(crate) fn finish(mut self, text: &str, kinds: Vec<SyntaxKind>, starts: Vec<u32>) -> Tree {
        let tokens = kinds.len() as u32;
        while !self.open.is_empty() {
            self.finish_node(tokens);
        }
        // Defensive: a root covering every token.
        if self.nodes.is_empty() {
            self.nodes.push(NodeData {
                kind: SOURCE_FILE,
                first_tok: 0,
                end_tok: tokens,
                end_node: 1,
                parent: 0,
            });
        }
        let node_count = self.nodes.len() as u32;
        if let Some(root) = self.nodes.first_mut() {
            root.first_tok = 0;
            root.end_tok = tokens;
            root.end_node = node_count;
        }
        self.tok_parent.resize(kinds.len(), 0);
        self.nodes.shrink_to_fit();
        let (mut kinds, mut starts) = (kinds, starts);
        kinds.shrink_to_fit();
        starts.shrink_to_fit();
        Tree {
            text: text.into(),
            kinds,
            starts,
            tok_parent: self.tok_parent,
            nodes: self.nodes,
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn preorder_from_postorder_with_wrapping() {
        // SOURCE_FILE( A( t0 ) t1 B( C( t2 ) t3 ) ) where C was wrapped by B via a checkpoint.
        let mut b = TreeBuilder::with_capacity(4, 4);
        b.start_node(SOURCE_FILE, 0);
        b.start_node(MODEL, 0);
        b.token();
        b.finish_node(1);
        b.token();
        let cp = b.checkpoint(2);
        b.start_node(PATH, 2);
        b.token();
        b.finish_node(3);
        b.start_node_at(cp, CONST);
        b.token();
        b.finish_node(4);
        b.finish_node(4);
        let tree = b.finish(
            "abcd",
            vec![IDENT, WHITESPACE, IDENT, IDENT],
            vec![0, 1, 2, 3, 4],
        );
        let root = tree.root();
        let kinds: Vec<_> = root.descendants().map(|n| n.kind()).collect();
        assert_eq!(kinds, [SOURCE_FILE, MODEL, CONST, PATH]);
        let kids: Vec<_> = root.children().map(|n| n.kind()).collect();
        assert_eq!(kids, [MODEL, CONST]);
        let all: Vec<_> = root.children_with_tokens().map(|e| e.kind()).collect();
        assert_eq!(all, [MODEL, WHITESPACE, CONST]);
        let konst = root.child(CONST).unwrap();
        assert_eq!(konst.text(), "cd");
        let path = konst.child(PATH).unwrap();
        assert_eq!(path.parent(), Some(konst));
        assert_eq!(path.text(), "c");
        let d = konst.token(IDENT).unwrap();
        assert_eq!(d.text(), "d");
        assert_eq!(d.prev_sibling_or_token(), Some(Element::Node(path)));
        assert_eq!(
            konst.prev_sibling_or_token().map(|e| e.kind()),
            Some(WHITESPACE)
        );
        assert_eq!(
            root.child(MODEL)
                .unwrap()
                .next_sibling_or_token()
                .map(|e| e.kind()),
            Some(WHITESPACE)
        );
    }
}
