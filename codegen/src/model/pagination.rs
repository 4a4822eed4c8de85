//! A paginated endpoint's list: the parameters that ask for a page and the reply fields
//! that say what comes next, with Rust names and the item type.

use super::types::{FieldRust, TypeDef};
use crate::naming;
use crate::spec::{EndpointSpec, ObjectSpec, PaginationSpec};

#[derive(Debug, Clone)]
pub struct Pagination {
    /// The token parameter's Rust field, e.g. `page_token`, and wire name.
    pub token_param: String,
    pub token_wire: String,
    /// The page size parameter's Rust field and wire name.
    pub size_param: String,
    pub size_wire: String,
    pub max_size: u32,
    pub next_token: ReplyField,
    pub has_more: Option<ReplyField>,
    pub items: ReplyField,
    /// The type of one item (the items array's element).
    pub item: FieldRust,
}

/// A top-level field of the reply.
#[derive(Debug, Clone)]
pub struct ReplyField {
    pub wire: String,
    pub ident: String,
    /// Always present (not an `Option`).
    pub required: bool,
}

/// The list, resolved against the reply's type (the first of `types`); `None` for a spec
/// validation refused.
pub(super) fn build_pagination(
    e: &EndpointSpec,
    p: &PaginationSpec,
    types: &[TypeDef],
) -> Option<Pagination> {
    let response = e.response.json()?;
    let field = |wire: &str| reply_field(response, wire);
    let items = field(&p.items.value)?;
    let item = match types.first() {
        Some(TypeDef::Struct(reply)) => {
            match &reply.fields.iter().find(|f| f.wire == items.wire)?.ty {
                FieldRust::List(element) => (**element).clone(),
                _ => return None,
            }
        }
        _ => return None,
    };
    Some(Pagination {
        token_param: naming::field_ident(&p.token.value),
        token_wire: p.token.value.clone(),
        size_param: naming::field_ident(&p.size.value),
        size_wire: p.size.value.clone(),
        max_size: p.max_size.value,
        next_token: field(&p.next_token.value)?,
        has_more: match &p.has_more {
            Some(has_more) => Some(field(&has_more.value)?),
            None => None,
        },
        items,
        item,
    })
}

fn reply_field(response: &ObjectSpec, wire: &str) -> Option<ReplyField> {
    let f = response.fields.iter().find(|f| f.name.value == wire)?;
    Some(ReplyField {
        wire: wire.to_owned(),
        ident: naming::field_ident(wire),
        required: f.required,
    })
}
