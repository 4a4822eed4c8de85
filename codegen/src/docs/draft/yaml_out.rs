//! Writing the draft: a small YAML tree (mappings, lists, scalars, comments) rendered in
//! the block style the hand-written specs use, every scalar quoted only when it must be.

/// One node of the draft.
#[derive(Debug, Clone)]
pub(super) enum Y {
    /// Text, quoted or written as a block (`|`) as its content needs.
    Str(String),
    /// Written as is: integers, `true`, `TODO` markers meant to fail as the wrong type.
    Raw(String),
    /// `[a, b]` of short texts (written as a block list when one needs quoting).
    Flow(Vec<String>),
    Map(Vec<Entry>),
    Seq(Vec<Item>),
}

/// A key, its value, and the comment lines above it.
#[derive(Debug, Clone)]
pub(super) struct Entry {
    pub comments: Vec<String>,
    pub key: String,
    pub value: Y,
    /// A comment after the value on the key's line (scalars only).
    pub trailing: Option<String>,
}

/// A list item, or comment lines standing where an item would (a field left out).
#[derive(Debug, Clone)]
pub(super) enum Item {
    Node(Y),
    Comments(Vec<String>),
}

impl Entry {
    pub fn new(key: &str, value: Y) -> Self {
        Entry {
            comments: Vec::new(),
            key: key.to_owned(),
            value,
            trailing: None,
        }
    }

    pub fn str(key: &str, value: impl Into<String>) -> Self {
        Entry::new(key, Y::Str(value.into()))
    }

    pub fn raw(key: &str, value: impl Into<String>) -> Self {
        Entry::new(key, Y::Raw(value.into()))
    }

    pub fn with_comments(mut self, comments: Vec<String>) -> Self {
        self.comments = comments;
        self
    }

    pub fn with_trailing(mut self, comment: impl Into<String>) -> Self {
        self.trailing = Some(comment.into());
        self
    }
}

/// Renders the top-level mapping of a spec file.
pub(super) fn render(entries: &[Entry]) -> String {
    let mut out = String::new();
    map(&mut out, entries, 0, None);
    out
}

/// `first_prefix`: the `- ` of a list item, written before the first key instead of its
/// indentation.
fn map(out: &mut String, entries: &[Entry], indent: usize, first_prefix: Option<usize>) {
    for (i, entry) in entries.iter().enumerate() {
        let item_start = i == 0 && first_prefix.is_some();
        // The comments of an item's first key go above the `- `, at the dash's indentation.
        let comment_indent = match first_prefix {
            Some(dash) if item_start => dash,
            _ => indent,
        };
        for c in &entry.comments {
            comment_line(out, comment_indent, c);
        }
        match first_prefix {
            Some(dash) if item_start => {
                pad(out, dash);
                out.push_str("- ");
            }
            _ => pad(out, indent),
        }
        out.push_str(&entry.key);
        out.push(':');
        value(out, &entry.value, indent, entry.trailing.as_deref());
    }
}

/// Writes a value after `key:` (the colon already written), ending the line(s).
fn value(out: &mut String, v: &Y, indent: usize, trailing: Option<&str>) {
    let end = |out: &mut String| {
        if let Some(t) = trailing {
            out.push_str("  # ");
            out.push_str(&one_line(t));
        }
        out.push('\n');
    };
    match v {
        // A TODO marker is text too: quoted if it must be (it still fails where it stands).
        Y::Raw(text) if text.starts_with("TODO") && !text.starts_with("[TODO") => {
            out.push(' ');
            out.push_str(&scalar(text, false));
            end(out);
        }
        Y::Raw(text) => {
            out.push(' ');
            out.push_str(text);
            end(out);
        }
        Y::Str(text) => match block(text) {
            Some(header) => {
                out.push(' ');
                out.push_str(&header);
                end(out);
                for line in text.strip_suffix('\n').unwrap_or(text).split('\n') {
                    if !line.is_empty() {
                        pad(out, indent + 2);
                        out.push_str(line);
                    }
                    out.push('\n');
                }
            }
            None => {
                out.push(' ');
                out.push_str(&scalar(text, false));
                end(out);
            }
        },
        Y::Flow(items) if items.iter().all(|s| is_plain(s, true)) => {
            out.push_str(" [");
            out.push_str(&items.join(", "));
            out.push(']');
            end(out);
        }
        Y::Flow(items) => {
            end(out);
            for s in items {
                pad(out, indent + 2);
                out.push_str("- ");
                out.push_str(&scalar(s, false));
                out.push('\n');
            }
        }
        Y::Map(entries) if entries.is_empty() => {
            out.push_str(" {}");
            end(out);
        }
        Y::Map(entries) => {
            end(out);
            map(out, entries, indent + 2, None);
        }
        Y::Seq(items) if items.iter().all(|i| matches!(i, Item::Comments(_))) => {
            out.push_str(" []");
            end(out);
            for item in items {
                if let Item::Comments(lines) = item {
                    for c in lines {
                        comment_line(out, indent + 2, c);
                    }
                }
            }
        }
        Y::Seq(items) => {
            end(out);
            seq(out, items, indent + 2);
        }
    }
}

fn seq(out: &mut String, items: &[Item], indent: usize) {
    for item in items {
        match item {
            Item::Comments(lines) => {
                for c in lines {
                    comment_line(out, indent, c);
                }
            }
            Item::Node(Y::Map(entries)) if !entries.is_empty() => {
                map(out, entries, indent + 2, Some(indent));
            }
            Item::Node(Y::Str(s)) if block(s).is_none() => {
                pad(out, indent);
                out.push_str("- ");
                out.push_str(&scalar(s, false));
                out.push('\n');
            }
            Item::Node(Y::Raw(s)) => {
                pad(out, indent);
                out.push_str("- ");
                out.push_str(s);
                out.push('\n');
            }
            Item::Node(other) => {
                // Not used by the draft; written as a one-key-less value for completeness.
                pad(out, indent);
                out.push('-');
                value(out, other, indent, None);
            }
        }
    }
}

fn pad(out: &mut String, n: usize) {
    out.extend(std::iter::repeat_n(' ', n));
}

/// `# text`, one line per line of `text`.
fn comment_line(out: &mut String, indent: usize, text: &str) {
    for line in text.split('\n') {
        pad(out, indent);
        out.push('#');
        let line = line.trim_end();
        if !line.is_empty() {
            out.push(' ');
            out.push_str(&one_line(line));
        }
        out.push('\n');
    }
}

/// A comment's text with nothing that could end the comment early.
fn one_line(text: &str) -> String {
    text.chars()
        .map(|c| if c.is_control() { ' ' } else { c })
        .collect()
}

/// The block scalar header (`|`, `|-`, `|+`, with an indentation indicator when the first
/// line starts with a space) for text that is best written as a block, or `None`.
fn block(text: &str) -> Option<String> {
    if !text.contains('\n') || !text.chars().all(block_safe) {
        return None;
    }
    let body = text.trim_end_matches('\n');
    // Lines of spaces only cannot be told from indentation; a block cannot start with a
    // blank line and keep it either.
    if body.is_empty()
        || body
            .split('\n')
            .any(|l| !l.is_empty() && l.trim().is_empty())
        || body.starts_with('\n')
    {
        return None;
    }
    let chomp = match text.len() - body.len() {
        0 => "-",
        1 => "",
        _ => "+",
    };
    let indicator = if body.starts_with(' ') { "2" } else { "" };
    Some(format!("|{indicator}{chomp}"))
}

fn block_safe(c: char) -> bool {
    c == '\n' || c == '\t' || printable(c)
}

/// Characters YAML lets a document hold as they are.
fn printable(c: char) -> bool {
    !(c.is_control()
        || matches!(
            c,
            '\u{2028}' | '\u{2029}' | '\u{feff}' | '\u{fffe}' | '\u{ffff}'
        ))
}

/// One scalar on one line: plain when that reads back as the same text, else double-quoted.
pub(crate) fn scalar(text: &str, in_flow: bool) -> String {
    if is_plain(text, in_flow) {
        text.to_owned()
    } else {
        quoted(text)
    }
}

/// A double-quoted scalar (YAML's escapes).
pub(super) fn quoted(text: &str) -> String {
    let mut out = String::with_capacity(text.len() + 2);
    out.push('"');
    for c in text.chars() {
        match c {
            '"' => out.push_str("\\\""),
            '\\' => out.push_str("\\\\"),
            '\n' => out.push_str("\\n"),
            '\t' => out.push_str("\\t"),
            '\r' => out.push_str("\\r"),
            c if !printable(c) => {
                let n = c as u32;
                if n <= 0xffff {
                    out.push_str(&format!("\\u{n:04x}"));
                } else {
                    out.push_str(&format!("\\U{n:08x}"));
                }
            }
            c => out.push(c),
        }
    }
    out.push('"');
    out
}

/// Whether `text` can be written plain and read back as the same string (not a number, a
/// boolean or null, no indicator that would change its meaning).
pub(super) fn is_plain(text: &str, in_flow: bool) -> bool {
    let Some(first) = text.chars().next() else {
        return false;
    };
    if text.trim() != text || text.chars().any(|c| !printable(c) || c == '\t') {
        return false;
    }
    if "-?:,[]{}#&*!|>'\"%@`".contains(first) {
        return false;
    }
    if text.contains(": ") || text.contains(" #") || text.ends_with(':') {
        return false;
    }
    if in_flow && text.chars().any(|c| ",[]{}".contains(c)) {
        return false;
    }
    !looks_typed(text)
}

/// Plain text a YAML reader (1.1 or 1.2) might take for something other than a string.
fn looks_typed(text: &str) -> bool {
    let lower = text.to_ascii_lowercase();
    if matches!(
        lower.as_str(),
        "~" | "null" | "true" | "false" | "yes" | "no" | "on" | "off" | "y" | "n"
    ) {
        return true;
    }
    if lower.starts_with('.') || lower.starts_with("0x") || lower.starts_with("0o") {
        return true;
    }
    let first = text.chars().next().unwrap_or(' ');
    (first.is_ascii_digit() || first == '+' || first == '-')
        && (text.parse::<f64>().is_ok()
            || text
                .chars()
                .all(|c| c.is_ascii_digit() || "_:.+-eE".contains(c)))
}

/// A block text as a block scalar keeps it: ending with exactly one line break.
pub(super) fn with_newline(text: &str) -> String {
    let mut t = text.trim_end().to_owned();
    t.push('\n');
    t
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn scalars_are_quoted_only_when_needed() {
        assert_eq!(scalar("导出云文档", false), "导出云文档");
        assert_eq!(scalar("[link](x)", false), "\"[link](x)\"");
        assert_eq!(scalar("1024", false), "\"1024\"");
        assert_eq!(scalar("true", false), "\"true\"");
        assert_eq!(scalar("a: b", false), "\"a: b\"");
        assert_eq!(scalar("", false), "\"\"");
        assert_eq!(scalar("say \"hi\"", false), "say \"hi\"");
        assert_eq!(scalar("-x", false), "\"-x\"");
        assert_eq!(quoted("a\"b\\c\n"), "\"a\\\"b\\\\c\\n\"");
    }

    #[test]
    fn multi_line_text_is_a_block() {
        assert_eq!(block("a\nb\n").as_deref(), Some("|"));
        assert_eq!(block("a\n\nb").as_deref(), Some("|-"));
        assert_eq!(block(" a\nb").as_deref(), Some("|2-"));
        assert_eq!(block("a\n   \nb"), None);
        assert_eq!(block("one line"), None);
    }
}
