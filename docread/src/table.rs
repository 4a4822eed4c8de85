//! The one table form both table syntaxes (`pipe`, `html`) yield, and how a header names its
//! columns. Readers ask for a column by role (name, type, 必填 ...), so a table whose columns
//! are reordered, renamed within the known words, or extended still reads.

use crate::cell;

/// A cell's text as the page holds it: several lines for multi-line cells (raw and pipe), one
/// line with `<br>` in the seeds. Tags stay (an `<md-perm>` is read from its cell).
#[derive(Debug, Clone, Default)]
pub(crate) struct Cell {
    pub text: String,
    pub line: usize,
    /// A header cell (`<md-th>`): the raw basics table labels its rows with them.
    pub th: bool,
}

#[derive(Debug, Clone)]
pub(crate) struct Row {
    pub cells: Vec<Cell>,
    /// Nesting depth where the page states one (`<md-dt-tr level="N">`).
    pub level: Option<usize>,
    pub line: usize,
}

#[derive(Debug, Clone)]
pub(crate) struct Table {
    pub header: Vec<Cell>,
    pub rows: Vec<Row>,
    pub line: usize,
}

impl Row {
    pub fn cell(&self, i: usize) -> Option<&Cell> {
        self.cells.get(i)
    }

    /// Cell `i`'s text, "" when the row is short.
    pub fn text(&self, i: Option<usize>) -> &str {
        i.and_then(|i| self.cells.get(i))
            .map_or("", |c| c.text.as_str())
    }

    /// Cell `i`'s line, the row's when the row is short.
    pub fn line_of(&self, i: Option<usize>) -> usize {
        i.and_then(|i| self.cells.get(i))
            .map_or(self.line, |c| c.line)
    }
}

impl Table {
    /// The first column whose header is one of `names` (compared as plain text, without
    /// spaces or case).
    pub fn column(&self, names: &[&str]) -> Option<usize> {
        self.column_except(names, &[])
    }

    /// As [`Table::column`], skipping columns already taken by another role.
    pub fn column_except(&self, names: &[&str], taken: &[Option<usize>]) -> Option<usize> {
        let headers: Vec<String> = self.header.iter().map(|c| key(&c.text)).collect();
        names.iter().find_map(|name| {
            let want = key(name);
            headers
                .iter()
                .enumerate()
                .find(|(i, h)| **h == want && !taken.contains(&Some(*i)))
                .map(|(i, _)| i)
        })
    }

    /// Whether the header holds a column named one of `names`.
    pub fn has(&self, names: &[&str]) -> bool {
        self.column(names).is_some()
    }
}

/// A header's comparison key: plain text, no spaces, ASCII lower case.
fn key(text: &str) -> String {
    cell::plain(text)
        .chars()
        .filter(|c| !c.is_whitespace())
        .flat_map(char::to_lowercase)
        .collect()
}

/// Header words of each column role, Chinese and English.
pub(crate) const NAME: &[&str] = &[
    "名称",
    "参数名",
    "参数",
    "参数名称",
    "字段",
    "字段名",
    "字段名称",
    "属性",
    "属性名称",
    "name",
    "parameter",
    "field",
];
pub(crate) const TYPE: &[&str] = &["类型", "数据类型", "参数类型", "type", "data type"];
pub(crate) const REQUIRED: &[&str] = &["必填", "是否必填", "必须", "是否必须", "必选", "required"];
pub(crate) const DESCRIPTION: &[&str] = &["描述", "说明", "备注", "description"];
pub(crate) const HTTP_STATUS: &[&str] = &[
    "HTTP状态码",
    "HTTP 状态码",
    "HttpCode",
    "HTTP status code",
    "HTTP code",
];
pub(crate) const ERROR_CODE: &[&str] = &["错误码", "error code", "code", "错误代码"];
pub(crate) const ERROR_MESSAGE: &[&str] = &[
    "错误信息",
    "描述",
    "错误描述",
    "error message",
    "message",
    "说明",
];
pub(crate) const ERROR_HINT: &[&str] = &[
    "排查建议",
    "解决方案",
    "处理建议",
    "说明",
    "solution",
    "description",
];
