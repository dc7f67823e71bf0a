//! Source positions that carry their file.

use rowan::TextRange;

/// Index of a file inside the project being audited (files are numbered in path order).
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub struct FileId(pub u32);

/// A byte range inside one file.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub struct Span {
    /// The file the range belongs to.
    pub file: FileId,
    /// Byte offsets into that file's text.
    pub range: TextRange,
}

impl Span {
    /// A span of `range` in `file`.
    pub fn new(file: FileId, range: TextRange) -> Self {
        Span { file, range }
    }
}
