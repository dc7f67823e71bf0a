//! PLACEHOLDER until the PSL parser lands (helper task).
use super::{SyntaxError, kind::SyntaxKind, lexer::lex};
use rowan::{GreenNode, GreenNodeBuilder};

pub(crate) fn parse(text: &str) -> (GreenNode, Vec<SyntaxError>) {
    let mut b = GreenNodeBuilder::new();
    b.start_node(SyntaxKind::SOURCE_FILE.into());
    let mut pos = 0usize;
    for t in lex(text) {
        b.token(t.kind.into(), &text[pos..pos + t.len as usize]);
        pos += t.len as usize;
    }
    b.finish_node();
    (b.finish(), vec![])
}
