//! The raw rendering's HTML-ish tables (`<md-table>`, `<md-dt-table>` with
//! `<md-dt-tr level="N">`), read with the tag scanner of `tag` rather than an HTML parser: the
//! tags are few and flat, and a scanner that only ever moves forward stays linear and cannot
//! fail on a lost or doubled tag. A cell runs from its opening tag to its closing one, skipping
//! the tags inside it (`<md-text>`, `<md-enum>`, `<md-perm>`); a missing closing tag ends the
//! cell at the next row or cell and is reported.

use crate::doc::Doc;
use crate::page::Problem;
use crate::table::{Cell, Row, Table};
use crate::tag::{attr, next_tag};

#[derive(Clone, Copy, PartialEq)]
enum Kind {
    Table,
    Row,
    Cell,
}

fn kind(name: &str) -> Option<Kind> {
    match name {
        "md-table" | "md-dt-table" => Some(Kind::Table),
        "md-tr" | "md-dt-tr" | "tr" => Some(Kind::Row),
        "md-th" | "md-td" | "md-dt-th" | "md-dt-td" => Some(Kind::Cell),
        _ => None,
    }
}

/// Every `<md-table>` / `<md-dt-table>` of the page, in order.
pub(crate) fn tables(doc: &Doc, problems: &mut Vec<Problem>) -> Vec<Table> {
    let text = doc.text;
    let mut b = Builder::default();
    let mut pos = 0;
    while let Some(tag) = next_tag(text, pos) {
        pos = tag.end;
        let line = doc.line_at(tag.start);
        match (kind(tag.name), tag.close) {
            (Some(Kind::Table), false) => {
                if let Some(t) = b.finish_table() {
                    problems.push(Problem::new(t.line, "a table never closed"));
                }
                b.table = Some(Table {
                    header: Vec::new(),
                    rows: Vec::new(),
                    line,
                });
            }
            (Some(Kind::Table), true) => {
                b.finish_table();
            }
            (Some(Kind::Row), false) => {
                if let Some(r) = &b.row {
                    problems.push(Problem::new(r.line, "a table row never closed"));
                }
                b.finish_row();
                b.open_table(line, problems);
                let level = attr(tag.attrs, "level").and_then(|l| {
                    let parsed = l.trim().parse::<usize>().ok();
                    if parsed.is_none() {
                        problems.push(Problem::new(
                            line,
                            format!("a row level {l:?} is no number"),
                        ));
                    }
                    parsed
                });
                b.row = Some(Row {
                    cells: Vec::new(),
                    level,
                    line,
                });
            }
            (Some(Kind::Row), true) => b.finish_row(),
            (Some(Kind::Cell), false) => {
                let (content_end, next, closed) = cell_end(text, tag.end, tag.name);
                if !closed {
                    problems.push(Problem::new(line, format!("a <{}> never closed", tag.name)));
                }
                let content = text.get(tag.end..content_end).unwrap_or("");
                let lead = content.len() - content.trim_start().len();
                let cell_line = if content.trim().is_empty() {
                    line
                } else {
                    doc.line_at(tag.end + lead)
                };
                if b.row.is_none() {
                    problems.push(Problem::new(line, "a table cell outside any row"));
                    b.open_table(line, problems);
                    b.row = Some(Row {
                        cells: Vec::new(),
                        level: None,
                        line,
                    });
                }
                if let Some(r) = &mut b.row {
                    r.cells.push(Cell {
                        text: content.to_owned(),
                        line: cell_line,
                        th: tag.name.ends_with("th"),
                    });
                }
                pos = next.max(pos);
            }
            _ => {}
        }
    }
    if let Some(t) = b.finish_table() {
        problems.push(Problem::new(t.line, "a table never closed"));
    }
    b.done
}

/// Where a cell's content ends: at its closing tag, else (unclosed) at the next structural
/// tag. Returns (content end, where to go on scanning, closed).
fn cell_end(text: &str, from: usize, name: &str) -> (usize, usize, bool) {
    let mut pos = from;
    while let Some(tag) = next_tag(text, pos) {
        if tag.name == name && tag.close {
            return (tag.start, tag.end, true);
        }
        if tag.name.starts_with("md-") && kind(tag.name).is_some() {
            return (tag.start, tag.start, false);
        }
        pos = tag.end;
    }
    (text.len(), text.len(), false)
}

#[derive(Default)]
struct Builder {
    table: Option<Table>,
    row: Option<Row>,
    done: Vec<Table>,
}

impl Builder {
    fn open_table(&mut self, line: usize, problems: &mut Vec<Problem>) {
        if self.table.is_none() {
            problems.push(Problem::new(line, "a table row outside any table"));
            self.table = Some(Table {
                header: Vec::new(),
                rows: Vec::new(),
                line,
            });
        }
    }

    /// The first row of header cells only is the header; the rest are rows.
    fn finish_row(&mut self) {
        let (Some(row), Some(table)) = (self.row.take(), self.table.as_mut()) else {
            return;
        };
        if row.cells.is_empty() {
            return;
        }
        if table.header.is_empty() && table.rows.is_empty() && row.cells.iter().all(|c| c.th) {
            table.header = row.cells;
        } else {
            table.rows.push(row);
        }
    }

    /// Closes the open table; returns a copy of it for the caller to report when it was
    /// closed by something other than its closing tag.
    fn finish_table(&mut self) -> Option<Table> {
        self.finish_row();
        let table = self.table.take()?;
        let copy = Table {
            header: Vec::new(),
            rows: Vec::new(),
            line: table.line,
        };
        self.done.push(table);
        Some(copy)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn table() {
        let page = "<md-table>\n<md-thead><md-tr><md-th>错误码</md-th><md-th>描述</md-th></md-tr></md-thead>\n<md-tr>\n<md-td>1</md-td>\n<md-td>a\nb</md-td>\n</md-tr>\n<md-tr><md-td>2</md-td><md-td>c\n</md-tr>\n</md-table>";
        let doc = Doc::new(page);
        let mut problems = Vec::new();
        let t = tables(&doc, &mut problems);
        assert_eq!(t.len(), 1);
        assert_eq!(t[0].header.len(), 2);
        assert_eq!(t[0].rows.len(), 2);
        assert_eq!(t[0].rows[0].cells[1].line, 5);
        assert_eq!(problems.len(), 1, "{problems:?}");
        assert_eq!(problems[0].line, 8);
    }
}
