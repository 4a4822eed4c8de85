//! Objects (a reply, a token request), their fields, and the enums of status fields.

use super::value::{Scalar, TextSource};
use crate::decode::{Ctx, Decode, Spanned, keyword};
use crate::yaml::Node;

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum FieldType {
    String,
    Integer,
    Boolean,
    Object,
    Array,
}

impl FieldType {
    pub fn as_str(self) -> &'static str {
        match self {
            FieldType::String => "string",
            FieldType::Integer => "integer",
            FieldType::Boolean => "boolean",
            FieldType::Object => "object",
            FieldType::Array => "array",
        }
    }
}

#[derive(Debug, Clone)]
pub struct ObjectSpec {
    pub name: Spanned<String>,
    pub description: String,
    pub fields: Vec<FieldSpec>,
}

impl ObjectSpec {
    /// The fields a dotted path (`result.job_status`) walks through, outermost first, or
    /// why it does not resolve.
    pub fn field_path(&self, dotted: &str) -> Result<Vec<&FieldSpec>, String> {
        let mut object = self;
        let mut walked = Vec::new();
        for (i, segment) in dotted.split('.').enumerate() {
            if i > 0 {
                let parent: &FieldSpec = walked[i - 1];
                object = parent.object.as_ref().ok_or_else(|| {
                    format!(
                        "`{}` is not an object, so `{dotted}` goes nowhere",
                        parent.name.value
                    )
                })?;
            }
            let field = object
                .fields
                .iter()
                .find(|f| f.name.value == segment)
                .ok_or_else(|| {
                    format!(
                        "`{dotted}`: `{}` has no field `{segment}`",
                        object.name.value
                    )
                })?;
            walked.push(field);
        }
        Ok(walked)
    }
}

/// What a token endpoint field means to the runtime.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum FieldRole {
    AppId,
    AppSecret,
    AccessToken,
    ExpiresInSeconds,
}

impl FieldRole {
    pub fn as_str(self) -> &'static str {
        match self {
            FieldRole::AppId => "app_id",
            FieldRole::AppSecret => "app_secret",
            FieldRole::AccessToken => "access_token",
            FieldRole::ExpiresInSeconds => "expires_in_seconds",
        }
    }

    /// Secrets never appear in Debug output.
    pub fn is_secret(self) -> bool {
        matches!(self, FieldRole::AppSecret | FieldRole::AccessToken)
    }
}

#[derive(Debug, Clone)]
pub struct FieldSpec {
    pub path: String,
    pub name: Spanned<String>,
    pub ty: Spanned<FieldType>,
    pub required: bool,
    pub description: String,
    pub items: Option<Spanned<FieldType>>,
    pub object: Option<ObjectSpec>,
    pub enumeration: Option<EnumSpec>,
    pub role: Option<Spanned<FieldRole>>,
}

#[derive(Debug, Clone)]
pub struct EnumSpec {
    pub name: Spanned<String>,
    pub values: Vec<EnumValueSpec>,
}

#[derive(Debug, Clone)]
pub struct EnumValueSpec {
    pub value: Spanned<Scalar>,
    pub name: Spanned<String>,
    pub description: String,
    /// Where `description` comes from when not from the documents (see [`TextSource`]).
    pub source: Option<Spanned<TextSource>>,
}

// ---- reading ---------------------------------------------------------------------------

const FIELD_TYPES: &[(&str, FieldType)] = &[
    ("string", FieldType::String),
    ("integer", FieldType::Integer),
    ("boolean", FieldType::Boolean),
    ("object", FieldType::Object),
    ("array", FieldType::Array),
];

impl Decode for FieldType {
    fn decode(cx: &mut Ctx<'_>, node: &Node, path: &str) -> Option<Self> {
        keyword(cx, node, path, FIELD_TYPES)
    }
}

impl Decode for FieldRole {
    fn decode(cx: &mut Ctx<'_>, node: &Node, path: &str) -> Option<Self> {
        keyword(
            cx,
            node,
            path,
            &[
                ("app_id", FieldRole::AppId),
                ("app_secret", FieldRole::AppSecret),
                ("access_token", FieldRole::AccessToken),
                ("expires_in_seconds", FieldRole::ExpiresInSeconds),
            ],
        )
    }
}

impl ObjectSpec {
    pub(super) fn decode(cx: &mut Ctx<'_>, node: &Node, path: &str) -> Option<Self> {
        let mut f = cx.fields(node, path)?;
        let name = f.req(cx, "name");
        let description = f.opt(cx, "description").unwrap_or_default();
        let fields = f.req(cx, "fields");
        f.finish(cx);
        Some(ObjectSpec {
            name: name?,
            description,
            fields: fields?,
        })
    }
}

impl Decode for FieldSpec {
    fn decode(cx: &mut Ctx<'_>, node: &Node, path: &str) -> Option<Self> {
        let mut f = cx.fields(node, path)?;
        let name = f.req(cx, "name");
        let ty = f.req(cx, "type");
        let required = f.opt(cx, "required").unwrap_or(false);
        let description = f.opt(cx, "description").unwrap_or_default();
        let items = f.opt(cx, "items");
        let object = f.with(cx, "object", false, ObjectSpec::decode);
        let enumeration = f.with(cx, "enum", false, EnumSpec::decode);
        let role = f.opt(cx, "role");
        f.finish(cx);
        Some(FieldSpec {
            path: path.to_owned(),
            name: name?,
            ty: ty?,
            required,
            description,
            items,
            object,
            enumeration,
            role,
        })
    }
}

impl EnumSpec {
    fn decode(cx: &mut Ctx<'_>, node: &Node, path: &str) -> Option<Self> {
        let mut f = cx.fields(node, path)?;
        let name = f.req(cx, "name");
        let values = f.req(cx, "values");
        f.finish(cx);
        Some(EnumSpec {
            name: name?,
            values: values?,
        })
    }
}

impl Decode for EnumValueSpec {
    fn decode(cx: &mut Ctx<'_>, node: &Node, path: &str) -> Option<Self> {
        let mut f = cx.fields(node, path)?;
        let value = f.req(cx, "value");
        let name = f.req(cx, "name");
        let description = f.opt(cx, "description").unwrap_or_default();
        let source = f.opt(cx, "source");
        f.finish(cx);
        Some(EnumValueSpec {
            value: value?,
            name: name?,
            description,
            source,
        })
    }
}
