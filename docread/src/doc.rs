//! The page as numbered lines. Every position inside the crate is a 1-based line number, the
//! form facts and problems carry, so no conversion can be forgotten; byte offsets exist only
//! for the HTML tables, which are read across lines.

use std::ops::Range;

pub(crate) struct Doc<'a> {
    pub text: &'a str,
    /// Line `n` is `lines[n - 1]`, without its `\n` / `\r\n`.
    lines: Vec<&'a str>,
    /// Byte offset of each line's start in `text`.
    starts: Vec<usize>,
}

impl<'a> Doc<'a> {
    pub fn new(text: &'a str) -> Self {
        let mut lines = Vec::new();
        let mut starts = Vec::new();
        let mut start = 0;
        for piece in text.split_inclusive('\n') {
            starts.push(start);
            start += piece.len();
            let line = piece.strip_suffix('\n').unwrap_or(piece);
            lines.push(line.strip_suffix('\r').unwrap_or(line));
        }
        Doc {
            text,
            lines,
            starts,
        }
    }

    /// The number of lines (a final newline ends the last line, it starts none).
    pub fn len(&self) -> usize {
        self.lines.len()
    }

    /// All line numbers: `1..len + 1`.
    pub fn all(&self) -> Range<usize> {
        1..self.len() + 1
    }

    /// Line `n` (1-based); "" outside the page.
    pub fn line(&self, n: usize) -> &'a str {
        n.checked_sub(1)
            .and_then(|i| self.lines.get(i))
            .copied()
            .unwrap_or("")
    }

    /// The line holding byte `offset`.
    pub fn line_at(&self, offset: usize) -> usize {
        self.starts.partition_point(|&s| s <= offset).max(1)
    }
}
