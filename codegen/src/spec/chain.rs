//! Chains between endpoints: a start endpoint names the poller that waits for the task it
//! started (`starts`), and a poller names the download its result feeds (`download`).

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

#[derive(Debug, Clone, PartialEq, Eq)]
pub enum FeedSource {
    /// A field of this endpoint's reply, dotted.
    Reply(String),
    /// A parameter or top-level body field of this endpoint's request.
    Request(String),
}

// ---- reading ---------------------------------------------------------------------------

impl StartsSpec {
    pub(super) fn decode(cx: &mut Ctx<'_>, node: &Node, path: &str) -> Option<Self> {
        let mut f = cx.fields(node, path)?;
        let poller = f.req(cx, "poller");
        let workflow = f.req(cx, "workflow");
        let params = f.req(cx, "params");
        let async_flag = f.opt(cx, "async_flag");
        f.finish(cx);
        Some(StartsSpec {
            path: path.to_owned(),
            poller: poller?,
            workflow: workflow?,
            params: params?,
            async_flag,
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
        f.finish(cx);
        let source = match (reply, request) {
            (Some(r), None) => Spanned {
                value: FeedSource::Reply(r.value),
                at: r.at,
                path: r.path,
            },
            (None, Some(r)) => Spanned {
                value: FeedSource::Request(r.value),
                at: r.at,
                path: r.path,
            },
            _ => {
                cx.error(
                    at,
                    path,
                    "expected exactly one of `reply` (a reply field) or `request` (a request parameter)",
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
