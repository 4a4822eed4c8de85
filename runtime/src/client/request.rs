//! What one call sends besides its method and auth: path, query, header parameters and a
//! body, as the generated request builders hand them to [`Core`](super::Core).

use crate::error::InvalidRequest;
use crate::transfer::UploadFile;
use crate::url::PathPart;

/// The parts of a request a generated builder fills in.
#[derive(Debug)]
pub struct Outgoing<'a> {
    /// The path template's parts, parameters filled in.
    pub path: &'a [PathPart<'a>],
    /// Query parameters, in the spec's order (an array repeats its name).
    pub query: &'a [(&'static str, String)],
    /// Header parameters.
    pub headers: &'a [(&'static str, String)],
    /// The body.
    pub body: RequestBody<'a>,
}

impl<'a> Outgoing<'a> {
    /// A request with no header parameters and no body.
    pub fn new(path: &'a [PathPart<'a>], query: &'a [(&'static str, String)]) -> Self {
        Outgoing {
            path,
            query,
            headers: &[],
            body: RequestBody::None,
        }
    }
}

/// A request body.
#[derive(Debug)]
#[non_exhaustive]
pub enum RequestBody<'a> {
    /// No body.
    None,
    /// A JSON body, serialized once and sent as is by every attempt.
    Json(bytes::Bytes),
    /// A multipart form: text parts, then the file part (streamed, opened per attempt).
    Multipart {
        /// Text parts, in the spec's order.
        fields: Vec<(&'static str, String)>,
        /// The file part's name.
        file_part: &'static str,
        /// Where its content comes from.
        file: &'a UploadFile,
    },
}

impl RequestBody<'_> {
    /// Whether the body can be sent by another attempt (an upload from a reader cannot).
    pub(crate) fn can_send_again(&self) -> bool {
        match self {
            RequestBody::Multipart { file, .. } => file.can_send_again(),
            _ => true,
        }
    }

    /// A JSON body from a generated body type.
    pub fn json<T: serde::Serialize>(body: &T) -> Result<Self, InvalidRequest> {
        serde_json::to_vec(body)
            .map(|bytes| RequestBody::Json(bytes.into()))
            .map_err(|e| InvalidRequest::new("body", format!("cannot be written as JSON: {e}")))
    }
}
