//! `starts.before`: a step before the start, an upload whose reply feeds the start request,
//! so that one workflow method goes from a file on disk to the task's end (the upload's
//! `file_token` feeds an import's).

use super::value::Scalar;
use crate::decode::{Ctx, Decode, Spanned, keyword};
use crate::yaml::Node;

/// `before:` in a start endpoint's `starts`.
#[derive(Debug, Clone)]
pub struct BeforeSpec {
    pub path: String,
    /// The upload's endpoint id: a multipart upload, its file part the path given.
    pub endpoint: Spanned<String>,
    /// The client method that uploads, starts and waits (and the CLI subcommand's last
    /// segment).
    pub workflow: Spanned<String>,
    /// The upload's body fields and where each value comes from.
    pub fields: Vec<StepFieldSpec>,
    /// This request's body fields the step fills: from the upload's reply, or the path.
    pub feeds: Vec<StartFeedSpec>,
}

/// One body field of the upload and its value.
#[derive(Debug, Clone)]
pub struct StepFieldSpec {
    pub path: String,
    /// The upload's body field (wire name).
    pub field: Spanned<String>,
    pub source: Spanned<StepSource>,
}

#[derive(Debug, Clone, PartialEq)]
pub enum StepSource {
    /// A fixed value, read as the field it sets (as a chain's fixed feed value is).
    Value(Scalar),
    /// A fact of the path given.
    Path(PathFact),
    /// The text of a JSON object whose members are string fields of the start request.
    Json(Vec<JsonMemberSpec>),
}

/// One member of a JSON object's text: its key, and the start request's body field whose
/// value it takes.
#[derive(Debug, Clone, PartialEq)]
pub struct JsonMemberSpec {
    pub path: String,
    pub key: Spanned<String>,
    pub request: Spanned<String>,
}

/// One body field of the start request and what fills it.
#[derive(Debug, Clone)]
pub struct StartFeedSpec {
    pub path: String,
    /// The start request's body field (wire name).
    pub field: Spanned<String>,
    pub source: Spanned<StartSource>,
}

#[derive(Debug, Clone, PartialEq)]
pub enum StartSource {
    /// A field of the upload's reply, dotted.
    Reply(String),
    /// A fact of the path given.
    Path(PathFact),
}

/// What a path says of its file.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum PathFact {
    /// Its last component (`report.md`).
    FileName,
    /// Its extension without the dot, as written (`md`).
    Extension,
}

impl PathFact {
    pub fn as_str(self) -> &'static str {
        match self {
            PathFact::FileName => "file_name",
            PathFact::Extension => "extension",
        }
    }
}

// ---- reading ---------------------------------------------------------------------------

impl BeforeSpec {
    pub(super) fn decode(cx: &mut Ctx<'_>, node: &Node, path: &str) -> Option<Self> {
        let mut f = cx.fields(node, path)?;
        let endpoint = f.req(cx, "endpoint");
        let workflow = f.req(cx, "workflow");
        let fields = f.req(cx, "fields");
        let feeds = f.req(cx, "feeds");
        f.finish(cx);
        Some(BeforeSpec {
            path: path.to_owned(),
            endpoint: endpoint?,
            workflow: workflow?,
            fields: fields?,
            feeds: feeds?,
        })
    }
}

impl Decode for PathFact {
    fn decode(cx: &mut Ctx<'_>, node: &Node, path: &str) -> Option<Self> {
        keyword(
            cx,
            node,
            path,
            &[
                ("file_name", PathFact::FileName),
                ("extension", PathFact::Extension),
            ],
        )
    }
}

impl Decode for StepFieldSpec {
    fn decode(cx: &mut Ctx<'_>, node: &Node, path: &str) -> Option<Self> {
        let mut f = cx.fields(node, path)?;
        let at = f.at;
        let given = ["value", "path", "json"]
            .iter()
            .filter(|k| f.has(k))
            .count();
        let field = f.req(cx, "field");
        let value: Option<Spanned<Scalar>> = f.opt(cx, "value");
        let from_path: Option<Spanned<PathFact>> = f.opt(cx, "path");
        let json: Option<Spanned<Vec<JsonMemberSpec>>> = f.opt(cx, "json");
        f.finish(cx);
        let source = match (value, from_path, json) {
            (Some(v), None, None) => v.map(StepSource::Value),
            (None, Some(p), None) => p.map(StepSource::Path),
            (None, None, Some(j)) => j.map(StepSource::Json),
            // One source, which did not read: reported already.
            _ if given == 1 => return None,
            _ => {
                cx.error(
                    at,
                    path,
                    "expected exactly one of `value` (a fixed value), `path` (`file_name` or `extension` of the path given) or `json` (a JSON object's text from this request's fields)",
                );
                return None;
            }
        };
        Some(StepFieldSpec {
            path: path.to_owned(),
            field: field?,
            source,
        })
    }
}

impl Decode for JsonMemberSpec {
    fn decode(cx: &mut Ctx<'_>, node: &Node, path: &str) -> Option<Self> {
        let mut f = cx.fields(node, path)?;
        let key = f.req(cx, "key");
        let request = f.req(cx, "request");
        f.finish(cx);
        Some(JsonMemberSpec {
            path: path.to_owned(),
            key: key?,
            request: request?,
        })
    }
}

impl Decode for StartFeedSpec {
    fn decode(cx: &mut Ctx<'_>, node: &Node, path: &str) -> Option<Self> {
        let mut f = cx.fields(node, path)?;
        let at = f.at;
        let given = ["reply", "path"].iter().filter(|k| f.has(k)).count();
        let field = f.req(cx, "field");
        let reply: Option<Spanned<String>> = f.opt(cx, "reply");
        let from_path: Option<Spanned<PathFact>> = f.opt(cx, "path");
        f.finish(cx);
        let source = match (reply, from_path) {
            (Some(r), None) => r.map(StartSource::Reply),
            (None, Some(p)) => p.map(StartSource::Path),
            // One source, which did not read: reported already.
            _ if given == 1 => return None,
            _ => {
                cx.error(
                    at,
                    path,
                    "expected exactly one of `reply` (a field of the upload's reply) or `path` (`file_name` or `extension` of the path given)",
                );
                return None;
            }
        };
        Some(StartFeedSpec {
            path: path.to_owned(),
            field: field?,
            source,
        })
    }
}
