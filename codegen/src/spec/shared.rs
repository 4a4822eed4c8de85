//! What a provider declares once for its endpoints to share: named types (`types:`, an
//! object or an enum, referred to by name as `object: Name` or `enum: Name`) and error
//! tables (`error_tables:`, taken into an endpoint's errors with `errors_from: name`).

use super::errors::ErrorSpec;
use super::object::{EnumSpec, FieldType, ObjectSpec};
use crate::decode::{Ctx, Decode, Spanned};
use crate::yaml::Node;

/// One of `types:`.
#[derive(Debug, Clone)]
pub enum SharedType {
    /// `{name, description, fields}`: a reply object.
    Object(ObjectSpec),
    /// `{name, description, type: string|integer, values}`: an enum.
    Enum {
        enumeration: EnumSpec,
        /// The type of the values, which every field or parameter using it must have.
        ty: Spanned<FieldType>,
        description: String,
    },
}

impl SharedType {
    pub fn name(&self) -> &Spanned<String> {
        match self {
            SharedType::Object(object) => &object.name,
            SharedType::Enum { enumeration, .. } => &enumeration.name,
        }
    }
}

/// One of `error_tables:`: codes several endpoints document alike.
#[derive(Debug, Clone)]
pub struct ErrorTableSpec {
    pub name: Spanned<String>,
    pub errors: Vec<ErrorSpec>,
}

// ---- reading ---------------------------------------------------------------------------

impl Decode for SharedType {
    fn decode(cx: &mut Ctx<'_>, node: &Node, path: &str) -> Option<Self> {
        let mut f = cx.fields(node, path)?;
        let at = f.at;
        let name = f.req(cx, "name");
        let description: String = f.opt(cx, "description").unwrap_or_default();
        let fields = f.opt(cx, "fields");
        let values = f.opt(cx, "values");
        let ty = f.opt(cx, "type");
        f.finish(cx);
        match (fields, values, ty) {
            (Some(fields), None, None) => Some(SharedType::Object(ObjectSpec {
                name: name?,
                description,
                fields,
                shared: false,
            })),
            (None, Some(values), Some(ty)) => Some(SharedType::Enum {
                enumeration: EnumSpec {
                    name: name?,
                    values,
                    shared: false,
                },
                ty,
                description,
            }),
            _ => {
                cx.error(
                    at,
                    path,
                    "a shared type is an object (`fields`) or an enum (`type` and `values`)",
                );
                None
            }
        }
    }
}

impl Decode for ErrorTableSpec {
    fn decode(cx: &mut Ctx<'_>, node: &Node, path: &str) -> Option<Self> {
        let mut f = cx.fields(node, path)?;
        let name = f.req(cx, "name");
        let errors = f.req(cx, "errors");
        f.finish(cx);
        Some(ErrorTableSpec {
            name: name?,
            errors: errors?,
        })
    }
}
