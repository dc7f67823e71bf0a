//! Byte offset → 1-based line and column.
//!
//! Columns count Unicode scalar values (characters), so a column is the same whatever the
//! encoding of the editor; a leading UTF-8 BOM is not counted. Lines end at `\n` (`\r\n` counts
//! as one line end).

use rowan::TextSize;

/// A 1-based line/column pair.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub struct LineCol {
    /// 1-based line number.
    pub line: u32,
    /// 1-based column, in characters.
    pub column: u32,
}

/// Precomputed line starts of one text.
#[derive(Debug, Clone)]
pub struct LineIndex {
    line_starts: Vec<u32>,
}

impl LineIndex {
    /// Index `text`.
    pub fn new(text: &str) -> Self {
        let mut line_starts = vec![0];
        for_each_newline(text.as_bytes(), |i| line_starts.push(i as u32 + 1));
        LineIndex { line_starts }
    }

    /// Number of lines (a text without newline has one line).
    pub fn line_count(&self) -> usize {
        self.line_starts.len()
    }

    /// Byte offset where 0-based line `line` starts, if it exists.
    pub fn line_start(&self, line: usize) -> Option<TextSize> {
        self.line_starts.get(line).map(|&o| TextSize::from(o))
    }

    /// Line and column of `offset` in `text` (the text this index was built from). Offsets past
    /// the end or inside a multi-byte character are clamped to a valid position.
    pub fn line_col(&self, text: &str, offset: TextSize) -> LineCol {
        let offset = u32::from(offset).min(text.len() as u32);
        let line = match self.line_starts.binary_search(&offset) {
            Ok(l) => l,
            Err(l) => l - 1,
        };
        let start = self.line_starts[line] as usize;
        let mut end = offset as usize;
        while end > start && !text.is_char_boundary(end) {
            end -= 1;
        }
        let segment = &text[start..end];
        let segment = if line == 0 {
            segment.strip_prefix('\u{feff}').unwrap_or(segment)
        } else {
            segment
        };
        LineCol {
            line: line as u32 + 1,
            column: segment.chars().count() as u32 + 1,
        }
    }
}

/// Call `f` with the offset of every `\n` in `bytes`, in order. Tests eight bytes per step
/// (a byte loop costs several instructions per byte, and reports index files of megabytes).
fn for_each_newline(bytes: &[u8], mut f: impl FnMut(usize)) {
    const LOW7: u64 = 0x7f7f_7f7f_7f7f_7f7f;
    const NEWLINES: u64 = 0x0a0a_0a0a_0a0a_0a0a;
    let mut chunks = bytes.chunks_exact(8);
    let mut base = 0;
    for chunk in &mut chunks {
        let mut word = [0u8; 8];
        word.copy_from_slice(chunk);
        // Zero bytes of `x` are the newlines; this sets the high bit of exactly those bytes.
        let x = u64::from_le_bytes(word) ^ NEWLINES;
        let mut hits = !(((x & LOW7) + LOW7) | x | LOW7);
        while hits != 0 {
            f(base + hits.trailing_zeros() as usize / 8);
            hits &= hits - 1;
        }
        base += 8;
    }
    for (i, &b) in chunks.remainder().iter().enumerate() {
        if b == b'\n' {
            f(base + i);
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn positions() {
        let text = "ab\r\nçd\n\nx";
        let idx = LineIndex::new(text);
        assert_eq!(idx.line_count(), 4);
        assert_eq!(idx.line_col(text, 0.into()), LineCol { line: 1, column: 1 });
        assert_eq!(idx.line_col(text, 4.into()), LineCol { line: 2, column: 1 });
        // 'd' follows the two-byte 'ç'
        assert_eq!(idx.line_col(text, 6.into()), LineCol { line: 2, column: 2 });
        assert_eq!(idx.line_col(text, 9.into()), LineCol { line: 4, column: 1 });
        assert_eq!(
            idx.line_col(text, 99.into()),
            LineCol { line: 4, column: 2 }
        );
    }

    #[test]
    fn finds_every_newline() {
        let mut text = String::new();
        for i in 0..40 {
            text.push_str(&"é\n\r\t x\u{10a}".repeat(i % 5));
            text.push('\n');
        }
        let expected: Vec<usize> = text.match_indices('\n').map(|(i, _)| i).collect();
        for start in 0..9 {
            let mut found = Vec::new();
            for_each_newline(&text.as_bytes()[start..], |i| found.push(i + start));
            let want: Vec<usize> = expected.iter().copied().filter(|&i| i >= start).collect();
            assert_eq!(found, want, "from byte {start}");
        }
    }

    #[test]
    fn bom_is_not_a_column() {
        let text = "\u{feff}model";
        let idx = LineIndex::new(text);
        assert_eq!(idx.line_col(text, 3.into()), LineCol { line: 1, column: 1 });
    }
}
