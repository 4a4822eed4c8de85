//! The markdown skeleton of a Feishu page: its headings and code fences. Sections are found by
//! heading text (请求, 请求体, 错误码 ...), never by position; fences are tracked so that the
//! `# comment` lines of code samples are not taken for headings, and so that tables and
//! examples are looked for in the right places.

use crate::doc::Doc;
use crate::page::Problem;
use std::ops::Range;

pub(crate) struct Heading {
    pub level: usize,
    /// Trimmed, inner runs of whitespace collapsed to one space.
    pub title: String,
    pub line: usize,
}

/// A fenced code block: its opening line, info string and content lines.
pub(crate) struct Fence {
    pub open: usize,
    pub info: String,
    pub content: Range<usize>,
}

/// A heading and the lines up to the next heading (of any level).
#[derive(Clone)]
pub(crate) struct Section {
    pub title: String,
    pub line: usize,
    pub body: Range<usize>,
}

pub(crate) struct Outline {
    pub headings: Vec<Heading>,
    pub fences: Vec<Fence>,
    /// Per line (index `n`), whether it belongs to a fence (its markers included).
    fenced: Vec<bool>,
    pub start: usize,
    pub end: usize,
}

impl Outline {
    /// Scans lines `start..` of `doc`.
    pub fn scan(doc: &Doc, start: usize, problems: &mut Vec<Problem>) -> Outline {
        let end = doc.len() + 1;
        let mut headings = Vec::new();
        let mut fences = Vec::new();
        let mut fenced = vec![false; end + 1];
        let mut open: Option<(usize, char, usize, String)> = None;
        for n in start..end {
            let line = doc.line(n);
            if let Some((at, ch, len, info)) = &open {
                if let Some(f) = fenced.get_mut(n) {
                    *f = true;
                }
                if is_close(line, *ch, *len) {
                    fences.push(Fence {
                        open: *at,
                        info: info.clone(),
                        content: at + 1..n,
                    });
                    open = None;
                }
                continue;
            }
            if let Some((ch, len, info)) = fence_open(line) {
                if let Some(f) = fenced.get_mut(n) {
                    *f = true;
                }
                open = Some((n, ch, len, info));
            } else if let Some((level, title)) = heading(line) {
                headings.push(Heading {
                    level,
                    title,
                    line: n,
                });
            }
        }
        if let Some((at, _, _, info)) = open {
            problems.push(Problem::new(at, "a code block opened here is never closed"));
            fences.push(Fence {
                open: at,
                info,
                content: at + 1..end,
            });
        }
        Outline {
            headings,
            fences,
            fenced,
            start,
            end,
        }
    }

    pub fn is_fenced(&self, n: usize) -> bool {
        self.fenced.get(n).copied().unwrap_or(false)
    }

    /// The section of heading `i`.
    fn section(&self, i: usize) -> Option<Section> {
        let h = self.headings.get(i)?;
        let end = self.headings.get(i + 1).map_or(self.end, |next| next.line);
        Some(Section {
            title: h.title.clone(),
            line: h.line,
            body: h.line + 1..end,
        })
    }

    /// The first section titled one of `names` (compared without spaces).
    pub fn find(&self, names: &[&str]) -> Option<Section> {
        self.find_all(names).into_iter().next()
    }

    /// Every section titled one of `names`, in page order.
    pub fn find_all(&self, names: &[&str]) -> Vec<Section> {
        (0..self.headings.len())
            .filter(|&i| {
                self.headings
                    .get(i)
                    .is_some_and(|h| names.iter().any(|n| same_title(&h.title, n)))
            })
            .filter_map(|i| self.section(i))
            .collect()
    }

    /// Lines `from..` up to the next heading of level `level` or higher (lower number):
    /// a section with its subsections.
    pub fn extent(&self, section: &Section) -> Range<usize> {
        let level = self
            .headings
            .iter()
            .find(|h| h.line == section.line)
            .map_or(1, |h| h.level);
        let end = self
            .headings
            .iter()
            .find(|h| h.line > section.line && h.level <= level)
            .map_or(self.end, |h| h.line);
        section.body.start..end
    }
}

/// Heading titles compare without spaces: the pages write `###  cURL 请求示例`, `## 响应  `.
pub(crate) fn same_title(a: &str, b: &str) -> bool {
    a.chars()
        .filter(|c| !c.is_whitespace())
        .eq(b.chars().filter(|c| !c.is_whitespace()))
}

/// `## 请求` → (2, "请求"). At most three leading spaces; `#` runs need a space after them.
pub(crate) fn heading(line: &str) -> Option<(usize, String)> {
    let trimmed = line.trim_start_matches(' ');
    if line.len() - trimmed.len() > 3 {
        return None;
    }
    let level = trimmed.bytes().take_while(|&b| b == b'#').count();
    if !(1..=6).contains(&level) {
        return None;
    }
    let rest = trimmed.get(level..)?;
    if !rest.is_empty() && !rest.starts_with([' ', '\t']) {
        return None;
    }
    let title = rest.trim().trim_end_matches('#').trim();
    if title.is_empty() {
        return None;
    }
    Some((
        level,
        title.split_whitespace().collect::<Vec<_>>().join(" "),
    ))
}

/// A fence opener: three or more backticks or tildes, at most three spaces in.
fn fence_open(line: &str) -> Option<(char, usize, String)> {
    let trimmed = line.trim_start_matches(' ');
    if line.len() - trimmed.len() > 3 {
        return None;
    }
    let ch = trimmed.chars().next().filter(|c| *c == '`' || *c == '~')?;
    let len = trimmed.chars().take_while(|c| *c == ch).count();
    if len < 3 {
        return None;
    }
    let info = trimmed.get(len..).unwrap_or("").trim();
    // A backtick fence's info string has no backtick (else it is inline code).
    if ch == '`' && info.contains('`') {
        return None;
    }
    Some((ch, len, info.to_owned()))
}

fn is_close(line: &str, ch: char, len: usize) -> bool {
    let trimmed = line.trim();
    trimmed.chars().count() >= len && trimmed.chars().all(|c| c == ch)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn headings() {
        assert_eq!(heading("## 请求"), Some((2, "请求".to_owned())));
        assert_eq!(
            heading("###  cURL 请求示例"),
            Some((3, "cURL 请求示例".to_owned()))
        );
        assert_eq!(heading("#不是"), None);
        assert_eq!(heading("    # code"), None);
        assert!(same_title("响应体示例  ", "响应体示例"));
    }
}
