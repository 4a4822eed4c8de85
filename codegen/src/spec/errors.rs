//! An error table entry: a documented code (an endpoint's `errors`) or a common one (a
//! provider's `common_errors`).

use super::value::{Scalar, TextSource};
use crate::decode::{Ctx, Decode, Spanned};
use crate::yaml::Node;

#[derive(Debug, Clone)]
pub struct ErrorSpec {
    pub path: String,
    pub http_status: Option<Spanned<u16>>,
    pub code: Spanned<Scalar>,
    pub name: Option<Spanned<String>>,
    pub message: Spanned<String>,
    pub hint: String,
    /// Where `hint` comes from when not from the documents (see [`TextSource`]).
    pub source: Option<Spanned<TextSource>>,
    pub retryable: bool,
    /// Whether the spec states `retryable` (a 5xx code must: see validation).
    pub retryable_stated: bool,
    /// The access token was refused: a managed token is dropped and fetched again, once.
    pub invalidates_token: Option<Spanned<bool>>,
    /// Copied from a provider's error table (`errors_from`), where it is checked.
    pub from_table: bool,
}

// ---- reading ---------------------------------------------------------------------------

impl Decode for ErrorSpec {
    fn decode(cx: &mut Ctx<'_>, node: &Node, path: &str) -> Option<Self> {
        let mut f = cx.fields(node, path)?;
        let http_status = f.opt(cx, "http_status");
        let code = f.req(cx, "code");
        let name = f.opt(cx, "name");
        let message = f.req(cx, "message");
        let hint = f.opt(cx, "hint").unwrap_or_default();
        let source = f.opt(cx, "source");
        let retryable: Option<bool> = f.opt(cx, "retryable");
        let invalidates_token = f.opt(cx, "invalidates_token");
        f.finish(cx);
        Some(ErrorSpec {
            path: path.to_owned(),
            http_status,
            code: code?,
            name,
            message: message?,
            hint,
            source,
            retryable: retryable.unwrap_or(false),
            retryable_stated: retryable.is_some(),
            invalidates_token,
            from_table: false,
        })
    }
}
