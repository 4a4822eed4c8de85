//! Chains between endpoints: a start endpoint names the poller that waits for the task it
//! started (`starts`, with an upload before it in `before.rs`), and a poller names the
//! download its result feeds (`download`).

use super::before::BeforeSpec;
use super::object::{EnumSpec, FieldSpec, FieldType};
use super::request::ParamSpec;
use super::value::{Code, CodeType, Scalar};
use crate::decode::{Ctx, Decode, Spanned};
use crate::yaml::Node;

/// `starts:` on an endpoint whose reply starts a task.
#[derive(Debug, Clone)]
pub struct StartsSpec {
    pub path: String,
    /// The poll endpoint's id.
    pub poller: Spanned<String>,
    /// The client method that starts, waits and (when the poller feeds a download) fetches.
    pub workflow: Spanned<String>,
    pub params: Vec<FeedSpec>,
    /// A boolean reply field: `false` means the work was done at once, with no task.
    pub async_flag: Option<Spanned<String>>,
    /// An upload before the start, whose reply feeds it.
    pub before: Option<BeforeSpec>,
}

/// `download:` on a poll endpoint whose successful result names a file.
#[derive(Debug, Clone)]
pub struct DownloadSpec {
    pub path: String,
    /// The download endpoint's id.
    pub endpoint: Spanned<String>,
    pub params: Vec<FeedSpec>,
    /// An integer reply field with the file's size in bytes, checked against the download.
    pub size: Option<Spanned<String>>,
}

/// One parameter of the next endpoint and where its value comes from.
#[derive(Debug, Clone)]
pub struct FeedSpec {
    pub path: String,
    /// The next endpoint's parameter (wire name).
    pub param: Spanned<String>,
    pub source: Spanned<FeedSource>,
}

#[derive(Debug, Clone, PartialEq)]
pub enum FeedSource {
    /// A field of this endpoint's reply, dotted.
    Reply(String),
    /// A parameter or top-level body field of this endpoint's request.
    Request(String),
    /// A fixed value, as written (a parameter the next endpoint requires that is always the
    /// same for this chain, e.g. a task kind).
    Value(Scalar),
}

// ---- reading ---------------------------------------------------------------------------

impl StartsSpec {
    pub(super) fn decode(cx: &mut Ctx<'_>, node: &Node, path: &str) -> Option<Self> {
        let mut f = cx.fields(node, path)?;
        let poller = f.req(cx, "poller");
        let workflow = f.req(cx, "workflow");
        let params = f.req(cx, "params");
        let async_flag = f.opt(cx, "async_flag");
        let before = f.with(cx, "before", false, BeforeSpec::decode);
        f.finish(cx);
        Some(StartsSpec {
            path: path.to_owned(),
            poller: poller?,
            workflow: workflow?,
            params: params?,
            async_flag,
            before,
        })
    }
}

impl DownloadSpec {
    pub(super) fn decode(cx: &mut Ctx<'_>, node: &Node, path: &str) -> Option<Self> {
        let mut f = cx.fields(node, path)?;
        let endpoint = f.req(cx, "endpoint");
        let params = f.req(cx, "params");
        let size = f.opt(cx, "size");
        f.finish(cx);
        Some(DownloadSpec {
            path: path.to_owned(),
            endpoint: endpoint?,
            params: params?,
            size,
        })
    }
}

impl Decode for FeedSpec {
    fn decode(cx: &mut Ctx<'_>, node: &Node, path: &str) -> Option<Self> {
        let mut f = cx.fields(node, path)?;
        let at = f.at;
        let param = f.req(cx, "param");
        let reply: Option<Spanned<String>> = f.opt(cx, "reply");
        let request: Option<Spanned<String>> = f.opt(cx, "request");
        let value: Option<Spanned<Scalar>> = f.opt(cx, "value");
        f.finish(cx);
        let source = match (reply, request, value) {
            (Some(r), None, None) => Spanned {
                value: FeedSource::Reply(r.value),
                at: r.at,
                path: r.path,
            },
            (None, Some(r), None) => Spanned {
                value: FeedSource::Request(r.value),
                at: r.at,
                path: r.path,
            },
            (None, None, Some(v)) => Spanned {
                value: FeedSource::Value(v.value),
                at: v.at,
                path: v.path,
            },
            _ => {
                cx.error(
                    at,
                    path,
                    "expected exactly one of `reply` (a reply field), `request` (a request parameter) or `value` (a fixed value)",
                );
                return None;
            }
        };
        Some(FeedSpec {
            path: path.to_owned(),
            param: param?,
            source,
        })
    }
}

// ---- fixed values ----------------------------------------------------------------------

/// A fixed feed value read as the parameter it feeds: validation reports the error, the
/// model emits the value, so both read it the same way.
#[derive(Debug, Clone, PartialEq)]
pub enum FixedValue {
    /// A value of the parameter's enum: the variant's name.
    Variant(String),
    Text(String),
    Integer(i64),
    Boolean(bool),
}

impl ParamSpec {
    /// `value` as a value of this parameter, or why it is not one.
    pub fn fixed_value(&self, value: &Scalar) -> Result<FixedValue, String> {
        fixed_value(
            &self.name.value,
            self.ty.value,
            self.format.is_some(),
            self.enumeration.as_ref(),
            value,
        )
    }
}

impl FieldSpec {
    /// `value` as a value of this (body) field, or why it is not one: as a parameter's.
    pub fn fixed_value(&self, value: &Scalar) -> Result<FixedValue, String> {
        fixed_value(
            &self.name.value,
            self.ty.value,
            self.format.is_some(),
            self.enumeration.as_ref(),
            value,
        )
    }
}

/// `value` as a value of the parameter or field `name` of type `ty`, or why it is not one.
fn fixed_value(
    name: &str,
    ty: FieldType,
    formatted: bool,
    enumeration: Option<&EnumSpec>,
    value: &Scalar,
) -> Result<FixedValue, String> {
    if let Some(enumeration) = enumeration {
        let repr = if ty == FieldType::Integer {
            CodeType::Integer
        } else {
            CodeType::String
        };
        let code = Code::parse(repr, value)?;
        return enumeration
            .values
            .iter()
            .find(|v| Code::parse(repr, &v.value.value).as_ref() == Ok(&code))
            .map(|v| FixedValue::Variant(v.name.value.clone()))
            .ok_or_else(|| {
                format!(
                    "{code} is not a value of {} (`{name}`)",
                    enumeration.name.value
                )
            });
    }
    match (ty, value.text.as_str()) {
        (FieldType::String, text) if !formatted => Ok(FixedValue::Text(text.to_owned())),
        (FieldType::Integer, text) if value.plain => text
            .parse()
            .map(FixedValue::Integer)
            .map_err(|_| format!("`{name}` is an integer; `{text}` is not one")),
        (FieldType::Boolean, "true") if value.plain => Ok(FixedValue::Boolean(true)),
        (FieldType::Boolean, "false") if value.plain => Ok(FixedValue::Boolean(false)),
        (ty @ (FieldType::Integer | FieldType::Boolean), text) => Err(format!(
            "`{name}` is {}; `{text}` is not one (unquoted)",
            ty.as_str()
        )),
        (ty, _) => Err(format!(
            "a fixed value feeds a string, integer, boolean or enum parameter; `{name}` is {}{}",
            ty.as_str(),
            if formatted { " with a format" } else { "" }
        )),
    }
}
