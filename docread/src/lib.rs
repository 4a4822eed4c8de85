//! Reads one Feishu/Lark or DingTalk open-platform API doc page and extracts the facts an
//! endpoint spec holds: method, host and path, parameters, body and reply fields (with types,
//! `required`, examples, enum values and nesting), scopes, token kinds, rate limit, the JSON
//! examples and the error table.
//!
//! The pages come in four renderings ([`Rendering`]); each is read by its structure (headings,
//! table headers, tags), never by line numbers, so a page that gains a paragraph or a row reads
//! the same. Nothing here panics on any input: what cannot be read is reported as a
//! [`Problem`] carrying the line it is on, and everything else is still read.
//!
//! Text is kept as the page writes it (Chinese verbatim, links as on the page), with one
//! normalisation the specs use: inside a table cell, line breaks become `<br>` and each line's
//! trailing spaces are dropped.
//!
//! Module map, in reading order:
//! - [`read`] (here): the API types and the dispatch;
//! - `detect`: which rendering a text is;
//! - `doc`: the text as numbered lines; `meta`: front matter and the comment header;
//! - `outline`: markdown headings and code fences; `pipe`, `html`: the two table syntaxes,
//!   both yielding `table::Table`;
//! - `cell`: cell text (`<br>`, appendices such as **示例值**, enum lists);
//! - `fields`: table rows to nested [`Field`]s; `shape`: a tolerant JSON reader whose key tree
//!   nests the rows of tables that lost their nesting;
//! - `feishu`, `basics`: the facts of the three Feishu renderings; `dingtalk`, `runs`:
//!   DingTalk's.
//!
//! `cargo run -p taskapi-docread --example read_page -- page.md` prints what is read from a
//! page (`--problems`, `--summary` for one line a page).
#![forbid(unsafe_code)]
#![cfg_attr(
    not(test),
    deny(
        clippy::unwrap_used,
        clippy::expect_used,
        clippy::indexing_slicing,
        clippy::panic,
        clippy::string_slice,
        clippy::unreachable
    )
)]

mod basics;
mod cell;
mod detect;
mod dingtalk;
mod doc;
mod feishu;
mod fields;
mod html;
mod meta;
mod outline;
mod pipe;
mod runs;
mod shape;
mod table;

use std::fmt;

/// Reads one page. Never panics; what it could not read is in `problems`, each with a line.
pub fn read(text: &str) -> Page {
    // A byte-order mark is no part of the first line's text; dropping it moves no line.
    let text = text.strip_prefix('\u{feff}').unwrap_or(text);
    let doc = doc::Doc::new(text);
    let mut problems = Vec::new();
    let rendering = detect::rendering(&doc, &mut problems);
    let mut facts = Facts::default();
    match rendering {
        Rendering::DingTalk => dingtalk::read(&doc, &mut facts, &mut problems),
        Rendering::Seed | Rendering::Raw | Rendering::Pipe => {
            feishu::read(&doc, rendering, &mut facts, &mut problems)
        }
    }
    // Every line reported is one of the page's (an empty page has one, empty, line).
    let last = doc.len().max(1);
    for p in &mut problems {
        p.line = p.line.clamp(1, last);
    }
    problems.sort_by_key(|p| p.line);
    Page {
        rendering,
        facts,
        problems,
    }
}

/// One page as read.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Page {
    pub rendering: Rendering,
    pub facts: Facts,
    pub problems: Vec<Problem>,
}

/// How a page is written down; see the crate docs of each reader for the markers.
#[non_exhaustive]
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum Rendering {
    /// The project's seed pages: `##` headings, pipe tables with leading and trailing `|`,
    /// `<br>` inside cells, `/ssl:ttdoc/...` links.
    Seed,
    /// The open platform's own markdown: an HTML comment header, `:::html` blocks holding
    /// `<md-table>` / `<md-dt-table level="N">` tables, `<md-enum-item>`, `<md-perm>`.
    Raw,
    /// Pipe tables without outer `|`, multi-line cells continued after a trailing double space,
    /// YAML front matter (`source_url`, `last_remote_update`), absolute links.
    Pipe,
    /// A DingTalk page as text: plain-line headings (基本信息, 请求头, Body参数, 返回参数 ...),
    /// table cells run together (`taskIdString任务id`), or pipe tables.
    DingTalk,
}

impl fmt::Display for Rendering {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(match self {
            Rendering::Seed => "seed",
            Rendering::Raw => "raw",
            Rendering::Pipe => "pipe",
            Rendering::DingTalk => "dingtalk",
        })
    }
}

/// A part of the page that could not be read, and where it is.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Problem {
    /// 1-based line in the page (always one of its lines).
    pub line: usize,
    pub message: String,
}

impl Problem {
    pub(crate) fn new(line: usize, message: impl Into<String>) -> Self {
        Problem {
            line,
            message: message.into(),
        }
    }
}

impl fmt::Display for Problem {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "line {}: {}", self.line, self.message)
    }
}

/// A fact and the 1-based line it was read from.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct At<T> {
    pub value: T,
    pub line: usize,
}

impl<T> At<T> {
    pub(crate) fn new(value: T, line: usize) -> Self {
        At { value, line }
    }
}

/// What one page says about its endpoint. Absent facts are `None` or empty.
#[derive(Debug, Clone, PartialEq, Eq, Default)]
pub struct Facts {
    pub title: Option<At<String>>,
    /// The page's public URL (front matter `source_url`, comment `source:`); None when the
    /// page has none.
    pub url: Option<At<String>>,
    /// Last-updated date as YYYY-MM-DD (`last_remote_update`, `updatedAt` epoch ms in UTC).
    pub updated: Option<At<String>>,
    /// The intro paragraph(s) under the title, verbatim (minus the `{尝试一下}(url=...)`
    /// widget and `:::html` blocks); paragraphs stay separated by a blank line.
    pub description: Option<At<String>>,
    /// GET/POST/...
    pub method: Option<At<String>>,
    /// e.g. `https://open.feishu.cn`
    pub host: Option<At<String>>,
    /// Path only, placeholders as {name} (`:ticket` becomes `{ticket}`).
    pub path: Option<At<String>>,
    pub rate_limit: Option<At<RateLimit>>,
    /// As the page words them (custom, isv, 自建应用, 商店应用, 企业内部应用).
    pub app_types: Vec<At<String>>,
    pub scopes: Vec<At<Scope>>,
    /// tenant_access_token, user_access_token, app_access_token (DingTalk: access_token).
    pub token_kinds: Vec<At<String>>,
    pub header_params: Vec<Field>,
    pub path_params: Vec<Field>,
    pub query_params: Vec<Field>,
    /// Nested fields via `children`.
    pub body: Vec<Field>,
    /// Feishu: the fields of `data` (the envelope rows code/msg/data themselves skipped);
    /// DingTalk: the body's fields.
    pub response: Vec<Field>,
    /// The JSON request body example, verbatim (None when the page's example is no JSON,
    /// e.g. a multipart form).
    pub request_example: Option<At<String>>,
    /// The JSON reply example, verbatim.
    pub reply_example: Option<At<String>>,
    pub errors: Vec<At<ErrorRow>>,
}

/// The 接口频率限制 row.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct RateLimit {
    pub per_minute: Option<u32>,
    pub per_second: Option<u32>,
    /// 特殊频控: a limit of its own, stated elsewhere (or nowhere).
    pub special: bool,
    /// The cell as the page writes it (with its link).
    pub text: String,
}

/// One permission the call needs (any one of a page's scopes is enough).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Scope {
    pub name: String,
    pub description: String,
}

/// One row of a parameter, body or reply table.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Field {
    pub name: String,
    /// The page's type text (lower-cased for DingTalk): string, int, boolean, object,
    /// string[], map<string,string>, long, integer, array ...
    pub ty: String,
    /// 是/否 (必填 column); None when the page does not say.
    pub required: Option<bool>,
    /// Verbatim, without the example/validation/enum appendices.
    pub description: String,
    /// **示例值**："..." (unquoted), or a **固定值**.
    pub example: Option<String>,
    /// From 数据校验规则 (最大长度, 长度范围) when stated.
    pub max_length: Option<u32>,
    /// **可选值有**： / `<md-enum-item key=..>` / `- 1：进行中` lists.
    pub enum_values: Vec<EnumValue>,
    pub children: Vec<Field>,
    pub line: usize,
}

impl Field {
    /// The field named `name` among `fields`, searched depth-first (children included).
    pub fn find<'a>(fields: &'a [Field], name: &str) -> Option<&'a Field> {
        fields.iter().find_map(|f| {
            if f.name == name {
                Some(f)
            } else {
                Field::find(&f.children, name)
            }
        })
    }
}

/// One listed value of a field and what it means.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct EnumValue {
    pub value: String,
    pub meaning: String,
}

/// One row of an error table.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ErrorRow {
    pub http_status: Option<u16>,
    pub code: String,
    pub message: String,
    /// Verbatim; multi-line cells joined with `<br>`.
    pub hint: String,
}
