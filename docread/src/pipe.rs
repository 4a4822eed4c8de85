//! Markdown pipe tables: the seeds' (`| a | b |`, `<br>` in cells) and the pipe rendering's
//! (`a | b`, a cell going on over the next lines after a trailing double space, the markdown
//! hard break). A row is one line, plus the lines it continues onto: a line ending in two
//! spaces goes on when the row still lacks cells or when the next line is too short to be a
//! row of its own.

use crate::doc::Doc;
use crate::outline::{self, Outline};
use crate::page::Problem;
use crate::table::{Cell, Row, Table};

/// `| --- | :---: |`, `---|---`: a delimiter row (dashes, colons, pipes; at least one pipe).
pub(crate) fn is_delimiter(line: &str) -> bool {
    let t = line.trim();
    t.contains('|')
        && t.contains('-')
        && t.chars().all(|c| matches!(c, '|' | '-' | ':' | ' ' | '\t'))
        && split(t).iter().all(|c| c.contains('-'))
}

/// The cells of a row's text: outer pipes dropped, split at unescaped pipes (`\|` stays).
pub(crate) fn split(text: &str) -> Vec<String> {
    let t = text.trim();
    let t = t.strip_prefix('|').unwrap_or(t);
    let t = if t.ends_with('|') && !t.ends_with("\\|") {
        t.strip_suffix('|').unwrap_or(t)
    } else {
        t
    };
    let mut cells = vec![String::new()];
    let mut escaped = false;
    for c in t.chars() {
        if c == '|' && !escaped {
            cells.push(String::new());
        } else if let Some(cell) = cells.last_mut() {
            cell.push(c);
        }
        escaped = c == '\\' && !escaped;
    }
    cells
}

/// Every pipe table of the page outside code fences, in order.
pub(crate) fn tables(doc: &Doc, outline: &Outline, problems: &mut Vec<Problem>) -> Vec<Table> {
    let mut out = Vec::new();
    let mut n = outline.start;
    while n + 1 < outline.end {
        let line = doc.line(n);
        if outline.is_fenced(n)
            || !line.contains('|')
            || outline.is_fenced(n + 1)
            || !is_delimiter(doc.line(n + 1))
            || is_delimiter(line)
        {
            n += 1;
            continue;
        }
        let header: Vec<Cell> = split(line)
            .into_iter()
            .map(|text| Cell {
                text: text.trim().to_owned(),
                line: n,
                th: true,
            })
            .collect();
        let width = header.len();
        let mut table = Table {
            header,
            rows: Vec::new(),
            line: n,
        };
        let mut m = n + 2;
        while m < outline.end && starts_row(doc, outline, m) {
            let first = m;
            let mut text = doc.line(m).to_owned();
            // Cells so far, counted as lines join (splitting the whole text each time would
            // make a long cell quadratic).
            let mut cells = split(&text).len();
            loop {
                if continues(doc, outline, m, cells, width) {
                    m += 1;
                } else if continues_past_blank(doc, outline, m, width) {
                    m += 2;
                    text.push('\n');
                } else {
                    break;
                }
                text.push('\n');
                text.push_str(doc.line(m));
                cells += pipes(doc.line(m));
            }
            m += 1;
            table.rows.push(row(&text, first, width, problems));
        }
        out.push(table);
        n = m;
    }
    out
}

/// Whether line `m` can start a row: not blank, no heading, no fence, and either a pipe or a
/// hard break carrying it on.
fn starts_row(doc: &Doc, outline: &Outline, m: usize) -> bool {
    let line = doc.line(m);
    !line.trim().is_empty()
        && !outline.is_fenced(m)
        && outline::heading(line).is_none()
        && (line.contains('|') || line.ends_with("  "))
}

/// Unescaped pipes in a line: each one starts a further cell.
fn pipes(line: &str) -> usize {
    let mut count = 0;
    let mut escaped = false;
    for c in line.chars() {
        if c == '|' && !escaped {
            count += 1;
        }
        escaped = c == '\\' && !escaped;
    }
    count
}

/// Whether the row gathered so far (`cells` cells, last line `m`) goes on over line `m + 1`. A code
/// block inside a cell (its lines ending in the hard break too) goes on as well.
fn continues(doc: &Doc, outline: &Outline, m: usize, cells: usize, width: usize) -> bool {
    let next = doc.line(m + 1);
    if m + 1 >= outline.end
        || !doc.line(m).ends_with("  ")
        || next.trim().is_empty()
        || outline::heading(next).is_some()
        || is_delimiter(next)
    {
        return false;
    }
    // A name never starts with bold or a list dash: such a line goes on the cell above.
    let t = next.trim_start();
    cells < width || split(next).len() < width || t.starts_with("**") || t.starts_with("- ")
}

/// The pipe rendering sometimes leaves a blank line inside a cell: the line before it ends
/// in the hard break and the line after it is no row of its own (nor a heading or a new
/// table), so the cell goes on past it.
fn continues_past_blank(doc: &Doc, outline: &Outline, m: usize, width: usize) -> bool {
    let after = doc.line(m + 2);
    m + 2 < outline.end
        && doc.line(m).ends_with("  ")
        && doc.line(m + 1).trim().is_empty()
        && !after.trim().is_empty()
        && outline::heading(after).is_none()
        && !is_delimiter(doc.line(m + 3))
        && split(after).len() < width
}

/// One row from its text; cells beyond the header's count are joined into the last one.
fn row(text: &str, line: usize, width: usize, problems: &mut Vec<Problem>) -> Row {
    let mut texts = split(text);
    if texts.len() != width {
        problems.push(Problem::new(
            line,
            format!(
                "a table row with {} cells where the header has {width}",
                texts.len()
            ),
        ));
        if texts.len() > width && width > 0 {
            let extra = texts.split_off(width - 1);
            texts.push(extra.join("|"));
        }
    }
    // A cell's line is the line its text starts on.
    let mut cells = Vec::with_capacity(texts.len());
    let mut at = line;
    for t in texts {
        let lead = t.len() - t.trim_start().len();
        let start_line = at + t.get(..lead).map_or(0, |s| s.matches('\n').count());
        at += t.matches('\n').count();
        cells.push(Cell {
            text: t.trim().to_owned(),
            line: if t.trim().is_empty() { at } else { start_line },
            th: false,
        });
    }
    Row {
        cells,
        level: None,
        line,
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn read(page: &str) -> (Vec<Table>, Vec<Problem>) {
        let doc = Doc::new(page);
        let mut problems = Vec::new();
        let outline = Outline::scan(&doc, 1, &mut problems);
        (tables(&doc, &outline, &mut problems), problems)
    }

    #[test]
    fn continued_cells() {
        let (t, p) = read(
            "名称 | 值\n---|---\n权限要求  \n   **x**  \n   开启 | a(b:c)  \n   d(e:f)\nHTTP Method | GET\n\nafter",
        );
        assert!(p.is_empty(), "{p:?}");
        assert_eq!(t[0].rows.len(), 2);
        assert_eq!(
            t[0].rows[0].cells[0].text,
            "权限要求  \n   **x**  \n   开启"
        );
        assert_eq!(t[0].rows[0].cells[1].line, 5);
        assert_eq!(t[0].rows[1].line, 7);
    }

    #[test]
    fn rows_after_trailing_spaces() {
        let (t, p) =
            read("名称 | 必填 | 描述\n--- | --- | ---\n└ a | 是 | x   \n└ b | 否 | y  \nz\n");
        assert!(p.is_empty(), "{p:?}");
        assert_eq!(t[0].rows.len(), 2);
        assert_eq!(t[0].rows[1].cells[2].text, "y  \nz");
    }

    #[test]
    fn seed_rows_and_mismatch() {
        let (t, p) = read("| a | b |\n| --- | --- |\n| 1 | x \\| y |\n| 2 |\n");
        assert_eq!(t[0].rows[0].cells[1].text, "x \\| y");
        assert_eq!(p.len(), 1);
        assert_eq!(p[0].line, 4);
    }
}
