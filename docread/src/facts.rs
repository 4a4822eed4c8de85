//! What a page says about its endpoint ([`Facts`]), each fact with the line it was read from
//! ([`At`]): the types every reader fills in, below all of them.

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
