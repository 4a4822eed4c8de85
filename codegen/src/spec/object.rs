//! Objects (a reply, a token request), their fields, and the enums of status fields.

use super::value::{Scalar, TextSource};
use crate::decode::{Ctx, Decode, Spanned, keyword};
use crate::yaml::Node;

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum FieldType {
    String,
    Integer,
    /// A float (`f64`).
    Number,
    Boolean,
    Object,
    /// A list: `items` gives the element type, or `object` for objects.
    Array,
    /// An object with arbitrary keys: `items` gives the value type, or `object` for objects.
    Map,
}

/// What a `string` carries beyond text.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum StringFormat {
    /// An int64 (an id, a Unix time) the page types as a string: `i64` in Rust, a string
    /// on the wire.
    Int64,
}

impl FieldType {
    pub fn as_str(self) -> &'static str {
        match self {
            FieldType::String => "string",
            FieldType::Integer => "integer",
            FieldType::Number => "number",
            FieldType::Boolean => "boolean",
            FieldType::Object => "object",
            FieldType::Array => "array",
            FieldType::Map => "map",
        }
    }
}

#[derive(Debug, Clone)]
pub struct ObjectSpec {
    pub name: Spanned<String>,
    pub description: String,
    pub fields: Vec<FieldSpec>,
    /// Written as a name (`object: WikiNode`): one of the provider's shared `types:`, whose
    /// fields loading copied in (`resolve.rs`). Generated once, in the provider's module.
    pub shared: bool,
}

impl ObjectSpec {
    /// The fields a dotted path (`result.job_status`) walks through, outermost first, or
    /// why it does not resolve. It goes through objects only: the object of an array or a
    /// map is one of many.
    pub fn field_path(&self, dotted: &str) -> Result<Vec<&FieldSpec>, String> {
        let mut object = self;
        let mut walked = Vec::new();
        for (i, segment) in dotted.split('.').enumerate() {
            if i > 0 {
                let parent: &FieldSpec = walked[i - 1];
                object = parent
                    .object
                    .as_ref()
                    .filter(|_| parent.ty.value == FieldType::Object)
                    .ok_or_else(|| {
                        format!(
                            "`{}` is {}, not an object, so `{dotted}` goes nowhere",
                            parent.name.value,
                            parent.ty.value.as_str()
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
    /// The scalar element type of an array, or value type of a map.
    pub items: Option<Spanned<FieldType>>,
    /// Request bodies: the longest string the page allows.
    pub max_length: Option<Spanned<u32>>,
    pub format: Option<Spanned<StringFormat>>,
    /// The page's example value, as written.
    pub example: Option<Spanned<Scalar>>,
    /// The object of an `object` field, or the element of an `array` or value of a `map`
    /// of objects.
    pub object: Option<ObjectSpec>,
    pub enumeration: Option<EnumSpec>,
    pub role: Option<Spanned<FieldRole>>,
}

#[derive(Debug, Clone)]
pub struct EnumSpec {
    pub name: Spanned<String>,
    pub values: Vec<EnumValueSpec>,
    /// Written as a name (`enum: UserIdType`): one of the provider's shared `types:`, whose
    /// values loading copied in (`resolve.rs`). Generated once, in the provider's module.
    pub shared: bool,
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
    ("number", FieldType::Number),
    ("boolean", FieldType::Boolean),
    ("object", FieldType::Object),
    ("array", FieldType::Array),
    ("map", FieldType::Map),
];

impl Decode for StringFormat {
    fn decode(cx: &mut Ctx<'_>, node: &Node, path: &str) -> Option<Self> {
        keyword(cx, node, path, &[("int64", StringFormat::Int64)])
    }
}

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
        if is_scalar(node) {
            return Some(ObjectSpec {
                name: Spanned::decode(cx, node, path)?,
                description: String::new(),
                fields: Vec::new(),
                shared: true,
            });
        }
        let mut f = cx.fields(node, path)?;
        let name = f.req(cx, "name");
        let description = f.opt(cx, "description").unwrap_or_default();
        let fields = f.req(cx, "fields");
        f.finish(cx);
        Some(ObjectSpec {
            name: name?,
            description,
            fields: fields?,
            shared: false,
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
        let max_length = f.opt(cx, "max_length");
        let format = f.opt(cx, "format");
        let example = f.opt(cx, "example");
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
            max_length,
            format,
            example,
            object,
            enumeration,
            role,
        })
    }
}

impl EnumSpec {
    pub(super) fn decode(cx: &mut Ctx<'_>, node: &Node, path: &str) -> Option<Self> {
        if is_scalar(node) {
            return Some(EnumSpec {
                name: Spanned::decode(cx, node, path)?,
                values: Vec::new(),
                shared: true,
            });
        }
        let mut f = cx.fields(node, path)?;
        let name = f.req(cx, "name");
        let values = f.req(cx, "values");
        f.finish(cx);
        Some(EnumSpec {
            name: name?,
            values: values?,
            shared: false,
        })
    }
}

/// A scalar where a mapping could be: a shared type's name.
fn is_scalar(node: &Node) -> bool {
    matches!(node.value, crate::yaml::Value::Scalar { .. })
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
