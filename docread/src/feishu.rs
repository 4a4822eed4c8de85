//! The facts of a Feishu page, in any of its three renderings. The renderings differ in how
//! they write a table (pipe or `<md-table>`) and in their header; both table syntaxes are read
//! everywhere into one `Table` form, so from here on a page is its headings, its tables and
//! its code blocks: each fact is looked for under the heading that holds it.

use crate::doc::Doc;
use crate::facts::{At, ErrorRow, Facts, Field};
use crate::fields::{self, Flat};
use crate::meta::{self, Meta};
use crate::outline::{Outline, Section};
use crate::page::{Problem, Rendering};
use crate::shape::{self, Shape};
use crate::table::{self, Table};
use crate::{basics, cell, html, pipe};

/// Section titles, by fact.
const REQUEST: &[&str] = &["请求"];
const HEADERS: &[&str] = &["请求头"];
const PATH: &[&str] = &["路径参数"];
const QUERY: &[&str] = &["查询参数"];
const BODY: &[&str] = &["请求体", "请求参数"];
const REQUEST_EXAMPLE: &[&str] = &["请求体示例", "请求示例"];
const RESPONSE: &[&str] = &["响应"];
const RESPONSE_BODY: &[&str] = &["响应体"];
const REPLY_EXAMPLE: &[&str] = &["响应体示例", "响应示例", "返回示例"];
const ERRORS: &[&str] = &["错误码"];

/// Every title above: a heading with one of them is no page title.
const SECTION_TITLES: &[&[&str]] = &[
    REQUEST,
    HEADERS,
    PATH,
    QUERY,
    BODY,
    REQUEST_EXAMPLE,
    RESPONSE,
    RESPONSE_BODY,
    REPLY_EXAMPLE,
    ERRORS,
];

struct Page<'a> {
    doc: &'a Doc<'a>,
    outline: Outline,
    tables: Vec<Table>,
}

pub(crate) fn read(
    doc: &Doc,
    rendering: Rendering,
    facts: &mut Facts,
    problems: &mut Vec<Problem>,
) {
    let meta = meta::read(doc, problems);
    let outline = Outline::scan(doc, meta.body_start, problems);
    let mut tables = if rendering == Rendering::Raw {
        html::tables(doc, problems)
    } else {
        Vec::new()
    };
    tables.extend(pipe::tables(doc, &outline, problems));
    tables.sort_by_key(|t| t.line);
    let page = Page {
        doc,
        outline,
        tables,
    };
    header(&page, &meta, facts);
    match page.tables.iter().find(|t| basics::is_basics(t)) {
        Some(t) => basics::read(t, facts, problems),
        None => {
            let line = page.outline.find(REQUEST).map_or(1, |s| s.line);
            problems.push(Problem::new(
                line,
                "no 基本 table (HTTP URL, HTTP Method) found",
            ));
        }
    }
    facts.header_params = page.params(HEADERS, None, problems);
    facts.path_params = page.params(PATH, None, problems);
    facts.query_params = page.params(QUERY, None, problems);

    facts.request_example = page.find_example(REQUEST_EXAMPLE, problems);
    let body_shape = facts
        .request_example
        .as_ref()
        .and_then(|e| shape::parse(&e.value));
    facts.body = page.params(BODY, body_shape.as_ref(), problems);

    facts.reply_example = page
        .find_example(REPLY_EXAMPLE, problems)
        .or_else(|| page.find_example(RESPONSE, problems));
    let reply_shape = facts
        .reply_example
        .as_ref()
        .and_then(|e| shape::parse(&e.value));
    let reply = match page.outline.find(RESPONSE_BODY) {
        Some(s) => page.fields_in(&s, true, reply_shape.as_ref(), problems),
        // A page without 响应体 may put the table right under 响应 (not under its 错误码).
        None => page
            .outline
            .find(RESPONSE)
            .map(|s| page.fields_in(&s, false, reply_shape.as_ref(), problems))
            .unwrap_or_default(),
    };
    facts.response = fields::strip_envelope(reply);

    // Every 错误码 section (a page may have two, or one inside another: each table once).
    let mut seen: Vec<usize> = Vec::new();
    for section in page.outline.find_all(ERRORS) {
        let range = page.outline.extent(&section);
        for t in page.tables.iter().filter(|t| range.contains(&t.line)) {
            if !seen.contains(&t.line) {
                seen.push(t.line);
                error_rows(t, facts, problems);
            }
        }
    }
    if facts.token_kinds.is_empty()
        && let Some(auth) = facts
            .header_params
            .iter()
            .find(|f| f.name.eq_ignore_ascii_case("Authorization"))
    {
        for token in basics::token_kinds(&auth.description) {
            facts.token_kinds.push(At::new(token, auth.line));
        }
    }
    if facts.method.is_none() || facts.path.is_none() {
        let line = page
            .tables
            .iter()
            .find(|t| basics::is_basics(t))
            .map_or(1, |t| t.line);
        if facts.method.is_none() {
            problems.push(Problem::new(line, "no HTTP Method found"));
        }
        if facts.path.is_none() {
            problems.push(Problem::new(line, "no HTTP URL found"));
        }
    }
}

/// Title, URL, date and intro.
fn header(page: &Page, meta: &Meta, facts: &mut Facts) {
    let is_section = |t: &str| {
        SECTION_TITLES
            .iter()
            .any(|names| names.iter().any(|n| crate::outline::same_title(t, n)))
    };
    let title = page
        .outline
        .headings
        .iter()
        .find(|h| h.level == 1)
        .or_else(|| {
            page.outline
                .headings
                .first()
                .filter(|h| !is_section(&h.title))
        });
    match title {
        Some(h) => {
            facts.title = Some(At::new(h.title.clone(), h.line));
            let end = page
                .outline
                .headings
                .iter()
                .find(|next| next.line > h.line)
                .map_or(page.outline.end, |next| next.line);
            facts.description = intro(page, h.line + 1, end);
        }
        None => facts.title = meta.get("title").cloned(),
    }
    facts.url = meta
        .get("source_url")
        .or_else(|| meta.get("source"))
        .filter(|u| u.value.starts_with("http"))
        .cloned();
    facts.updated = meta
        .get("last_remote_update")
        .and_then(|d| Some(At::new(meta::iso_date(&d.value)?, d.line)))
        .or_else(|| {
            let ms = meta
                .get("updatedAt")
                .or_else(|| meta.get("last_remote_update_timestamp"))?;
            Some(At::new(meta::epoch_ms_date(&ms.value)?, ms.line))
        })
        .or_else(|| {
            // The pipe rendering repeats the date under its front matter: 最后更新于 2024-07-23.
            let first_heading = page
                .outline
                .headings
                .first()
                .map_or(page.outline.end, |h| h.line);
            (page.outline.start..first_heading).find_map(|n| {
                let rest = page.doc.line(n).trim().strip_prefix("最后更新于")?;
                Some(At::new(meta::iso_date(rest)?, n))
            })
        });
}

/// The intro: lines `from..to` without `:::html` blocks, code, tables and the
/// `{尝试一下}(url=...)` widget; runs of blank lines become one.
fn intro(page: &Page, from: usize, to: usize) -> Option<At<String>> {
    let mut kept: Vec<(usize, String)> = Vec::new();
    let mut in_html = false;
    for n in from..to {
        let line = page.doc.line(n);
        let t = line.trim();
        if in_html {
            in_html = t != ":::";
            continue;
        }
        if t.starts_with(":::") {
            in_html = true;
            continue;
        }
        if page.outline.is_fenced(n) || page.tables.iter().any(|tb| tb.line == n) {
            break;
        }
        let text = without_widget(line.trim_end());
        if text.trim().is_empty() && kept.last().is_none_or(|(_, l)| l.trim().is_empty()) {
            continue;
        }
        kept.push((n, text));
    }
    while kept.last().is_some_and(|(_, l)| l.trim().is_empty()) {
        kept.pop();
    }
    let line = kept.first()?.0;
    let text = kept
        .into_iter()
        .map(|(_, l)| l)
        .collect::<Vec<_>>()
        .join("\n");
    Some(At::new(text, line))
}

/// Drops `{尝试一下}(url=...)`.
fn without_widget(line: &str) -> String {
    let Some(at) = line.find("{尝试一下}(") else {
        return line.to_owned();
    };
    let head = line.get(..at).unwrap_or("");
    let rest = line.get(at..).unwrap_or("");
    let tail = rest.find(')').and_then(|e| rest.get(e + 1..)).unwrap_or("");
    format!("{head}{tail}").trim_end().to_owned()
}

impl Page<'_> {
    /// The fields of the section titled one of `names`.
    fn params(
        &self,
        names: &[&str],
        example: Option<&Shape>,
        problems: &mut Vec<Problem>,
    ) -> Vec<Field> {
        match self.outline.find(names) {
            Some(s) => self.fields_in(&s, true, example, problems),
            None => Vec::new(),
        }
    }

    /// The first field table under `section` (and its subsections when `deep`), nested.
    fn fields_in(
        &self,
        section: &Section,
        deep: bool,
        example: Option<&Shape>,
        problems: &mut Vec<Problem>,
    ) -> Vec<Field> {
        let range = if deep {
            self.outline.extent(section)
        } else {
            section.body.clone()
        };
        let mut in_range = self.tables.iter().filter(|t| range.contains(&t.line));
        let Some(t) = in_range.clone().find(|t| fields::is_field_table(t)) else {
            if let Some(t) = in_range.next() {
                problems.push(Problem::new(
                    t.line,
                    format!(
                        "the table under {} has no 名称 and 类型/描述 columns",
                        section.title
                    ),
                ));
            }
            return Vec::new();
        };
        let rows: Vec<Flat> = fields::rows(t, false, problems);
        fields::nest(rows, example, problems)
    }

    /// The first JSON example under the section titled one of `names`.
    fn find_example(&self, names: &[&str], problems: &mut Vec<Problem>) -> Option<At<String>> {
        let section = self.outline.find(names)?;
        json_example(
            self.doc,
            &self.outline,
            self.outline.extent(&section),
            problems,
        )
    }
}

/// Rows of an error table (one with an 错误码 column).
pub(crate) fn error_rows(t: &Table, facts: &mut Facts, problems: &mut Vec<Problem>) {
    let status = t.column(table::HTTP_STATUS);
    let Some(code) = t.column_except(table::ERROR_CODE, &[status]) else {
        return;
    };
    let message = t.column_except(table::ERROR_MESSAGE, &[status, Some(code)]);
    let hint = t.column_except(table::ERROR_HINT, &[status, Some(code), message]);
    for row in &t.rows {
        let code_text = cell::plain(row.text(Some(code))).replace('\n', " ");
        if code_text.is_empty() {
            problems.push(Problem::new(row.line, "an error row without a code"));
            continue;
        }
        let status_text = cell::plain(row.text(status));
        let http_status = status_text.parse::<u16>().ok();
        if http_status.is_none() && !status_text.is_empty() {
            problems.push(Problem::new(
                row.line_of(status),
                format!("HTTP status {status_text:?} is no number"),
            ));
        }
        facts.errors.push(At::new(
            ErrorRow {
                http_status,
                code: code_text,
                message: cell::one_line(row.text(message)),
                hint: cell::one_line(row.text(hint)),
            },
            row.line_of(Some(code)),
        ));
    }
}

/// The first JSON example in `range`: in a fenced block or an `<md-code-json>`, from the
/// first line opening a JSON value (`{`, `[`; comment lines before it are no part of it) to
/// the line closing it. A multipart or cURL example holds none.
fn json_example(
    doc: &Doc,
    outline: &Outline,
    range: std::ops::Range<usize>,
    problems: &mut Vec<Problem>,
) -> Option<At<String>> {
    let fence = outline
        .fences
        .iter()
        .filter(|f| range.contains(&f.open))
        .filter(|f| {
            !matches!(
                f.info.to_ascii_lowercase().as_str(),
                "bash" | "shell" | "sh" | "http" | "curl"
            )
        })
        .find_map(|f| json_in(doc, f.content.clone(), problems));
    let tagged = md_code_json(doc, outline, range, problems);
    match (fence, tagged) {
        (Some(f), Some(t)) => Some(if f.line < t.line { f } else { t }),
        (f, t) => f.or(t),
    }
}

/// The JSON value in lines `range`: from the first line opening one, when only blank or
/// comment lines come before it, to the line closing it (the range's end when it never
/// closes, which is reported).
fn json_in(
    doc: &Doc,
    range: std::ops::Range<usize>,
    problems: &mut Vec<Problem>,
) -> Option<At<String>> {
    let start = range.clone().find(|&n| {
        let t = doc.line(n).trim();
        !(t.is_empty() || t.starts_with("//") || t.starts_with('#'))
    })?;
    if !doc.line(start).trim_start().starts_with(['{', '[']) {
        return None;
    }
    let (last, closed) = shape::extent((start..range.end).map(|n| doc.line(n)));
    if !closed {
        problems.push(Problem::new(start, "a JSON example that never closes"));
    }
    let text = (start..=start + last)
        .map(|n| doc.line(n).trim_end())
        .collect::<Vec<_>>()
        .join("\n");
    Some(At::new(text, start))
}

/// `<md-code-json>...</md-code-json>` in `range` (outside code fences).
fn md_code_json(
    doc: &Doc,
    outline: &Outline,
    range: std::ops::Range<usize>,
    problems: &mut Vec<Problem>,
) -> Option<At<String>> {
    let open = range
        .clone()
        .find(|&n| !outline.is_fenced(n) && doc.line(n).contains("<md-code-json"))?;
    let close = (open..range.end).find(|&n| doc.line(n).contains("</md-code-json>"));
    if close.is_none() {
        problems.push(Problem::new(open, "an <md-code-json> never closed"));
    }
    // The tags sit on lines of their own in every page seen; text beside them is left out.
    json_in(doc, open + 1..close.unwrap_or(range.end), problems)
}
