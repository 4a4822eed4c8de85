//! `pagination:` on an endpoint whose reply is one page of a list: which request
//! parameters ask for a page and which reply fields say what comes next.

use crate::decode::{Ctx, Spanned};
use crate::yaml::Node;

/// Both shapes in use: Feishu's `page_token` in, `next_page_token` (or `page_token`) and
/// `has_more` out; DingTalk's `nextToken` both ways, where the end is the absence of a
/// token.
#[derive(Debug, Clone)]
pub struct PaginationSpec {
    pub path: String,
    /// The query parameter that carries the token of the page asked for.
    pub token: Spanned<String>,
    /// The query parameter that carries the page size.
    pub size: Spanned<String>,
    /// The page's documented largest page size: the size asked for unless the caller sets
    /// one (fewest calls under the rate limit).
    pub max_size: Spanned<u32>,
    /// The reply field with the next page's token.
    pub next_token: Spanned<String>,
    /// The reply's boolean "more pages follow", where the shape has one.
    pub has_more: Option<Spanned<String>>,
    /// The reply's array of items.
    pub items: Spanned<String>,
}

// ---- reading ---------------------------------------------------------------------------

impl PaginationSpec {
    pub(super) fn decode(cx: &mut Ctx<'_>, node: &Node, path: &str) -> Option<Self> {
        let mut f = cx.fields(node, path)?;
        let token = f.req(cx, "token");
        let size = f.req(cx, "size");
        let max_size = f.req(cx, "max_size");
        let next_token = f.req(cx, "next_token");
        let has_more = f.opt(cx, "has_more");
        let items = f.req(cx, "items");
        f.finish(cx);
        Some(PaginationSpec {
            path: path.to_owned(),
            token: token?,
            size: size?,
            max_size: max_size?,
            next_token: next_token?,
            has_more,
            items: items?,
        })
    }
}
