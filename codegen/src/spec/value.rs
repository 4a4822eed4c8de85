//! The small values both kinds of spec file use: scalars whose type depends on context and
//! the codes read from them, HTTP methods, path templates, where a text comes from.

use crate::decode::{Ctx, Decode, keyword, scalar};
use crate::path_template::PathTemplate;
use crate::yaml::Node;
use std::fmt;

/// How a provider's error codes are written (`envelope.code_type`), and how an enum's values
/// are: its field's type.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum CodeType {
    Integer,
    String,
}

/// A scalar kept as written, for values whose type depends on context (error codes, enum values).
#[derive(Debug, Clone, PartialEq)]
pub struct Scalar {
    pub text: String,
    /// False when quoted: `"123"` is meant as text.
    pub plain: bool,
}

/// An error code (Feishu's are integers, DingTalk's strings) or an enum value, read as its
/// [`CodeType`]. Validation and the model both read codes with [`Code::parse`], so a value
/// the validator accepted is the value the model emits.
#[derive(Debug, Clone, PartialEq, Eq, PartialOrd, Ord)]
pub enum Code {
    Int(i64),
    Str(String),
}

impl Code {
    /// Reads a code or enum value as the given type, or says why it is not one.
    pub fn parse(ty: CodeType, scalar: &Scalar) -> Result<Code, String> {
        match ty {
            CodeType::Integer => match scalar.text.parse() {
                Ok(n) if scalar.plain => Ok(Code::Int(n)),
                _ => Err(format!("expected an integer, found `{}`", scalar.text)),
            },
            CodeType::String if scalar.text.is_empty() => Err("expected a non-empty string".into()),
            CodeType::String => Ok(Code::Str(scalar.text.clone())),
        }
    }
}

impl fmt::Display for Code {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            Code::Int(n) => write!(f, "{n}"),
            Code::Str(s) => f.write_str(s),
        }
    }
}

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Method {
    Get,
    Post,
    Put,
    Patch,
    Delete,
}

impl Method {
    pub fn as_str(self) -> &'static str {
        match self {
            Method::Get => "GET",
            Method::Post => "POST",
            Method::Put => "PUT",
            Method::Patch => "PATCH",
            Method::Delete => "DELETE",
        }
    }
}

/// Where a label (an enum value's `description`) or an error's `hint` comes from, when it is
/// not the documents'. Absent, the text is the endpoint page's or `reference/endpoints.md`'s
/// and a docs checker can look it up there; `authored` says the project wrote it, so there is
/// nothing to look up and a changed page cannot be expected to confirm it.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum TextSource {
    Authored,
}

// ---- reading ---------------------------------------------------------------------------

impl Decode for Method {
    fn decode(cx: &mut Ctx<'_>, node: &Node, path: &str) -> Option<Self> {
        keyword(
            cx,
            node,
            path,
            &[
                ("GET", Method::Get),
                ("POST", Method::Post),
                ("PUT", Method::Put),
                ("PATCH", Method::Patch),
                ("DELETE", Method::Delete),
            ],
        )
    }
}

/// Split here, once; a malformed template is kept for validation to report (see
/// [`PathTemplate::parts`]).
impl Decode for PathTemplate {
    fn decode(cx: &mut Ctx<'_>, node: &Node, path: &str) -> Option<Self> {
        String::decode(cx, node, path).map(PathTemplate::parse)
    }
}

impl Decode for TextSource {
    fn decode(cx: &mut Ctx<'_>, node: &Node, path: &str) -> Option<Self> {
        keyword(cx, node, path, &[("authored", TextSource::Authored)])
    }
}

impl Decode for Scalar {
    fn decode(cx: &mut Ctx<'_>, node: &Node, path: &str) -> Option<Self> {
        scalar(cx, node, path, "a scalar").map(|(text, plain)| Scalar {
            text: text.to_owned(),
            plain,
        })
    }
}
