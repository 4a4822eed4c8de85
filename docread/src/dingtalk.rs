//! The facts of a DingTalk page as text. Its headings are plain lines (基本信息, 请求头,
//! 路径参数, Query参数, Body参数, 请求示例, 响应体/返回参数, 响应体示例, 错误码, and their English
//! counterparts), known by their exact words; its tables are either pipe tables or cells run
//! together one row per line under a run-together header (`名称类型是否必填描述`), split by
//! `runs`. Nesting lost in the text comes back from the JSON examples, as for the pipe
//! rendering. The page has no title line (the first line is the site's skip link) and no date.

use crate::doc::Doc;
use crate::facts::{At, EnumValue, Facts, Field, Scope};
use crate::fields::{self, Flat};
use crate::outline::{self, Outline};
use crate::page::Problem;
use crate::runs::{self, Col};
use crate::shape::{self, Shape};
use crate::table::Table;
use crate::{basics, cell, feishu, pipe};
use std::ops::Range;

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Role {
    Request,
    Basics,
    Headers,
    Path,
    Query,
    Body,
    RequestExample,
    Response,
    ResponseBody,
    ReplyExample,
    Errors,
}

const HEADINGS: &[(&str, Role)] = &[
    ("请求", Role::Request),
    ("Request", Role::Request),
    ("基本信息", Role::Basics),
    ("Basic information", Role::Basics),
    ("请求头", Role::Headers),
    ("Request header", Role::Headers),
    ("Request headers", Role::Headers),
    ("路径参数", Role::Path),
    ("Path参数", Role::Path),
    ("Path parameters", Role::Path),
    ("Query参数", Role::Query),
    ("查询参数", Role::Query),
    ("Query parameters", Role::Query),
    ("Body参数", Role::Body),
    ("请求体", Role::Body),
    ("Request body", Role::Body),
    ("Body parameters", Role::Body),
    ("请求示例", Role::RequestExample),
    ("Request example", Role::RequestExample),
    ("响应", Role::Response),
    ("Response", Role::Response),
    ("响应体", Role::ResponseBody),
    ("返回参数", Role::ResponseBody),
    ("Response body", Role::ResponseBody),
    ("Response parameters", Role::ResponseBody),
    ("响应体示例", Role::ReplyExample),
    ("返回示例", Role::ReplyExample),
    ("响应示例", Role::ReplyExample),
    ("Response example", Role::ReplyExample),
    ("Response body example", Role::ReplyExample),
    ("错误码", Role::Errors),
    ("Error codes", Role::Errors),
    ("Error code", Role::Errors),
];

const SKIP_LINKS: &[&str] = &["跳转到主要内容", "Skip to main content"];

struct Section {
    role: Role,
    line: usize,
    body: Range<usize>,
}

struct Page<'a> {
    doc: &'a Doc<'a>,
    sections: Vec<Section>,
    tables: Vec<Table>,
}

pub(crate) fn read(doc: &Doc, facts: &mut Facts, problems: &mut Vec<Problem>) {
    let outline = Outline::scan(doc, 1, problems);
    let tables = pipe::tables(doc, &outline, problems);
    let page = Page {
        doc,
        sections: sections(doc),
        tables,
    };
    intro(&page, facts);
    match page.find(Role::Basics).or_else(|| page.find(Role::Request)) {
        Some(s) => page.basics(s, facts, problems),
        None => problems.push(Problem::new(1, "no 基本信息 section found")),
    }
    facts.header_params = page.fields(Role::Headers, None, problems);
    facts.path_params = page.fields(Role::Path, None, problems);
    facts.query_params = page.fields(Role::Query, None, problems);
    facts.request_example = page.example(Role::RequestExample, true, problems);
    let body_shape = facts
        .request_example
        .as_ref()
        .and_then(|e| shape::parse(&e.value));
    facts.body = page.fields(Role::Body, body_shape.as_ref(), problems);
    facts.reply_example = page.example(Role::ReplyExample, false, problems);
    let reply_shape = facts
        .reply_example
        .as_ref()
        .and_then(|e| shape::parse(&e.value));
    facts.response = page.fields(Role::ResponseBody, reply_shape.as_ref(), problems);
    if let Some(s) = page.find(Role::Errors) {
        page.errors(s, facts, problems);
    }
    for f in facts.header_params.iter().chain(&facts.query_params) {
        let name = f.name.to_ascii_lowercase();
        if (name == "x-acs-dingtalk-access-token" || name == "access_token")
            && !facts.token_kinds.iter().any(|t| t.value == "access_token")
        {
            facts
                .token_kinds
                .push(At::new("access_token".to_owned(), f.line));
        }
    }
    let line = page.find(Role::Basics).map_or(1, |s| s.line);
    if facts.method.is_none() {
        problems.push(Problem::new(line, "no HTTP Method found"));
    }
    if facts.path.is_none() {
        problems.push(Problem::new(line, "no HTTP URL found"));
    }
}

/// The headings, in page order; a heading's body runs to the next heading.
fn sections(doc: &Doc) -> Vec<Section> {
    let mut out: Vec<Section> = Vec::new();
    for n in doc.all() {
        let t = doc.line(n).trim().trim_start_matches('#').trim();
        if let Some((_, role)) = HEADINGS.iter().find(|(h, _)| outline::same_title(t, h)) {
            if let Some(last) = out.last_mut() {
                last.body.end = n;
            }
            out.push(Section {
                role: *role,
                line: n,
                body: n + 1..doc.len() + 1,
            });
        }
    }
    out
}

/// The intro: the lines before the first heading, without the skip link; a leading `# `
/// line is the title.
fn intro(page: &Page, facts: &mut Facts) {
    let end = page.sections.first().map_or(page.doc.len() + 1, |s| s.line);
    let mut kept: Vec<(usize, &str)> = Vec::new();
    for n in 1..end {
        let line = page.doc.line(n).trim_end();
        if SKIP_LINKS.contains(&line.trim()) {
            continue;
        }
        if let Some((1, title)) = outline::heading(line)
            && facts.title.is_none()
            && kept.iter().all(|(_, l)| l.trim().is_empty())
        {
            facts.title = Some(At::new(title, n));
            continue;
        }
        if line.trim().is_empty() && kept.last().is_none_or(|(_, l)| l.trim().is_empty()) {
            continue;
        }
        kept.push((n, line));
    }
    while kept.last().is_some_and(|(_, l)| l.trim().is_empty()) {
        kept.pop();
    }
    if let Some(&(line, _)) = kept.first() {
        let text = kept.iter().map(|(_, l)| *l).collect::<Vec<_>>().join("\n");
        facts.description = Some(At::new(text, line));
    }
}

impl Page<'_> {
    fn find(&self, role: Role) -> Option<&Section> {
        self.sections.iter().find(|s| s.role == role)
    }

    fn table_in(&self, s: &Section) -> Option<&Table> {
        self.tables.iter().find(|t| s.body.contains(&t.line))
    }

    /// A run-together table in `s`: its header's columns, line and rows' lines.
    fn run_table(&self, s: &Section) -> Option<(Vec<Col>, usize, Vec<usize>)> {
        let mut lines = s
            .body
            .clone()
            .skip_while(|&n| self.doc.line(n).trim().is_empty());
        // The header is among the first lines (a remark such as 若调用该接口报错 may precede it).
        let (cols, header) = lines
            .by_ref()
            .take(3)
            .find_map(|n| runs::header(self.doc.line(n)).map(|c| (c, n)))?;
        let rows = (header + 1..s.body.end)
            .take_while(|&n| !self.doc.line(n).trim().is_empty())
            .collect();
        Some((cols, header, rows))
    }

    fn basics(&self, s: &Section, facts: &mut Facts, problems: &mut Vec<Problem>) {
        let rows: Vec<(usize, String, String)> = if let Some(t) = self.table_in(s) {
            t.rows
                .iter()
                .map(|r| {
                    (
                        r.line,
                        cell::plain(r.text(Some(0))),
                        cell::plain(r.text(Some(1))),
                    )
                })
                .collect()
        } else if let Some((_, _, rows)) = self.run_table(s) {
            rows.into_iter()
                .filter_map(|n| {
                    let line = self.doc.line(n).trim();
                    let label = LABELS.iter().find(|l| line.starts_with(**l))?;
                    let value = line.get(label.len()..).unwrap_or("").trim();
                    Some((n, (*label).to_owned(), value.to_owned()))
                })
                .collect()
        } else {
            Vec::new()
        };
        for (line, label, value) in rows {
            match label.as_str() {
                "HTTP URL" => {
                    let (host, path) = basics::split_url(&value);
                    facts.host = host.map(|h| At::new(h, line));
                    match path {
                        Some(p) => facts.path = Some(At::new(p, line)),
                        None => problems.push(Problem::new(line, "the HTTP URL holds no path")),
                    }
                }
                "HTTP Method" => {
                    let m = value.trim().to_ascii_uppercase();
                    if !m.is_empty() && m.chars().all(|c| c.is_ascii_alphabetic()) {
                        facts.method = Some(At::new(m, line));
                    } else {
                        problems.push(Problem::new(line, format!("{m:?} is no HTTP method")));
                    }
                }
                "支持的应用类型" | "Supported app type" | "Supported app types" => {
                    for t in prefixed(&value, "appType-") {
                        facts.app_types.push(At::new(t, line));
                    }
                }
                "权限要求" | "Required permissions" | "Required permission" => {
                    for p in prefixed(&value, "permission-") {
                        facts.scopes.push(At::new(scope(&p), line));
                    }
                }
                _ => {}
            }
        }
    }

    fn fields(
        &self,
        role: Role,
        example: Option<&Shape>,
        problems: &mut Vec<Problem>,
    ) -> Vec<Field> {
        let Some(s) = self.find(role) else {
            return Vec::new();
        };
        let mut rows: Vec<Flat> =
            if let Some(t) = self.table_in(s).filter(|t| fields::is_field_table(t)) {
                fields::rows(t, true, problems)
            } else if let Some((cols, _, lines)) = self.run_table(s) {
                self.run_fields(&cols, &lines, problems)
            } else {
                Vec::new()
            };
        for r in &mut rows {
            inline_enum(&mut r.field);
        }
        fields::nest(rows, example, problems)
    }

    fn run_fields(&self, cols: &[Col], lines: &[usize], problems: &mut Vec<Problem>) -> Vec<Flat> {
        let has_required = cols.contains(&Col::Required);
        let mut out: Vec<Flat> = Vec::new();
        for &n in lines {
            let line = self.doc.line(n).trim_end();
            match runs::field(line, has_required) {
                Some(f) => out.push(Flat {
                    field: Field {
                        name: f.name,
                        ty: f.ty.to_lowercase(),
                        required: f.required,
                        description: f.description,
                        example: None,
                        max_length: None,
                        enum_values: Vec::new(),
                        children: Vec::new(),
                        line: n,
                    },
                    depth: None,
                }),
                // Prose (not starting like a name) goes on the row above.
                None => match out.last_mut() {
                    Some(prev)
                        if !line
                            .trim_start()
                            .starts_with(|c: char| c.is_ascii_alphanumeric()) =>
                    {
                        prev.field.description.push_str("<br>");
                        prev.field.description.push_str(line.trim());
                    }
                    _ => problems.push(Problem::new(
                        n,
                        "cannot tell the name, type and description of this table row apart",
                    )),
                },
            }
        }
        out
    }

    fn errors(&self, s: &Section, facts: &mut Facts, problems: &mut Vec<Problem>) {
        if let Some(t) = self.table_in(s) {
            feishu::error_rows(t, facts, problems);
        } else if let Some((cols, _, lines)) = self.run_table(s) {
            for n in lines {
                match runs::error(self.doc.line(n), &cols) {
                    Some(e) => facts.errors.push(At::new(e, n)),
                    None => problems.push(Problem::new(
                        n,
                        "cannot read this error row (status, code, message, hint)",
                    )),
                }
            }
        }
    }

    /// The JSON of an example section: after the request line and headers of an HTTP message
    /// (`request`), or the first line that opens a JSON value.
    fn example(
        &self,
        role: Role,
        request: bool,
        problems: &mut Vec<Problem>,
    ) -> Option<At<String>> {
        let s = self.find(role)?;
        let n = if request {
            let is_request_line = |l: &str| {
                let l = l.trim().trim_start_matches("HTTP").trim_start();
                l.contains(" /")
                    && l.contains("HTTP/")
                    && l.starts_with(|c: char| c.is_ascii_uppercase())
            };
            let mut n = s
                .body
                .clone()
                .find(|&k| is_request_line(self.doc.line(k)))?
                + 1;
            while n < s.body.end && is_header(self.doc.line(n)) {
                n += 1;
            }
            while n < s.body.end && self.doc.line(n).trim().is_empty() {
                n += 1;
            }
            if !self.doc.line(n).trim_start().starts_with(['{', '[']) {
                return None;
            }
            n
        } else {
            s.body
                .clone()
                .find(|&k| self.doc.line(k).trim_start().starts_with(['{', '[']))?
        };
        let lines = (n..s.body.end).map(|k| self.doc.line(k));
        let (last, closed) = shape::extent(lines);
        if !closed {
            problems.push(Problem::new(n, "a JSON example that never closes"));
        }
        let text = (n..=n + last)
            .map(|k| self.doc.line(k).trim_end())
            .collect::<Vec<_>>()
            .join("\n");
        Some(At::new(text, n))
    }
}

/// Basics labels of the run-together rendering (value glued on).
const LABELS: &[&str] = &[
    "HTTP URL",
    "HTTP Method",
    "支持的应用类型",
    "权限要求",
    "Supported app types",
    "Supported app type",
    "Required permissions",
    "Required permission",
];

/// An HTTP header line of an example (`Host:api.dingtalk.io`).
fn is_header(line: &str) -> bool {
    line.split_once(':').is_some_and(|(name, _)| {
        !name.is_empty() && name.chars().all(|c| c.is_ascii_alphanumeric() || c == '-')
    })
}

/// `appType-企业内部应用appType-第三方企业应用` → the items after each prefix (the text as
/// one item when the prefix is absent).
fn prefixed(text: &str, prefix: &str) -> Vec<String> {
    let items: Vec<String> = text
        .split(prefix)
        .map(|s| {
            s.trim()
                .trim_end_matches([',', '、', '，'])
                .trim()
                .to_owned()
        })
        .filter(|s| !s.is_empty())
        .collect();
    if text.contains(prefix) || items.is_empty() {
        items
    } else {
        vec![text.trim().to_owned()]
    }
}

/// `SNS.Document.WorkspaceDocument.Read-SNS知识库文档读权限`: the name ends at the last `-`
/// of the leading ASCII run (the description being Chinese or words).
fn scope(item: &str) -> Scope {
    let run = item
        .char_indices()
        .find(|(_, c)| !c.is_ascii_graphic())
        .map_or(item.len(), |(i, _)| i);
    let head = item.get(..run).unwrap_or(item);
    match head.rfind('-') {
        Some(at) if at > 0 => Scope {
            name: item.get(..at).unwrap_or("").to_owned(),
            description: item.get(at + 1..).unwrap_or("").trim().to_owned(),
        },
        _ => Scope {
            name: item.to_owned(),
            description: String::new(),
        },
    }
}

/// `任务状态: - -1:等待中 - 0:执行中` → description `任务状态`, values -1, 0. Two items at
/// least, each a short value before its colon.
fn inline_enum(field: &mut Field) {
    if !field.enum_values.is_empty() {
        return;
    }
    let mut parts = field.description.split(" - ");
    let head = parts.next().unwrap_or("");
    let items: Vec<EnumValue> = parts.map(|p| cell::enum_item(p.trim())).collect();
    let ok = items.len() >= 2
        && items.iter().all(|e| {
            !e.value.is_empty()
                && e.value.len() <= 32
                && !e.value.contains(' ')
                && !e.meaning.is_empty()
        });
    if ok {
        field.description = head.trim().trim_end_matches([':', '：']).trim().to_owned();
        field.enum_values = items;
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn scopes_and_prefixes() {
        let s = scope("SNS.Document.WorkspaceDocument.Read-SNS知识库文档读权限");
        assert_eq!(s.name, "SNS.Document.WorkspaceDocument.Read");
        assert_eq!(s.description, "SNS知识库文档读权限");
        assert_eq!(
            prefixed("appType-企业内部应用", "appType-"),
            ["企业内部应用"]
        );
        assert_eq!(prefixed("企业内部应用", "appType-"), ["企业内部应用"]);
    }
}
