//! What one call sends besides its method and auth: path, query, header parameters and a
//! body, as the generated request builders hand them to [`Core`](super::Core).

use crate::error::InvalidRequest;
use crate::transfer::UploadFile;
use crate::url::PathPart;

/// The parts of a request a generated builder fills in, owned: the call that sends them
/// can outlive the builder (a spawned future).
#[derive(Debug, Clone)]
pub struct Outgoing {
    /// The path template's parts, parameters filled in.
    pub path: Vec<PathPart>,
    /// Query parameters, in the spec's order (an array repeats its name).
    pub query: Vec<(&'static str, String)>,
    /// Header parameters.
    pub headers: Vec<(&'static str, String)>,
    /// The body.
    pub body: RequestBody,
}

impl Outgoing {
    /// A request with no header parameters and no body.
    pub fn new(path: Vec<PathPart>, query: Vec<(&'static str, String)>) -> Self {
        Outgoing {
            path,
            query,
            headers: Vec::new(),
            body: RequestBody::None,
        }
    }
}

/// A request body.
#[derive(Debug, Clone)]
#[non_exhaustive]
pub enum RequestBody {
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
        /// Where its content comes from (shared with the request that built it).
        file: std::sync::Arc<UploadFile>,
        /// Text parts that state a fact of the file (its size, its checksum): measured
        /// when the call begins and sent after `fields`; a value the caller gave must agree.
        from_file: Vec<FromFile>,
        /// The largest file the endpoint takes; a larger one is refused before sending.
        max_size: Option<MaxSize>,
    },
}

/// A form field whose value is a fact of the upload's file.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct FromFile {
    /// The field's wire name.
    pub field: &'static str,
    /// What it states.
    pub fact: FileFact,
    /// The value the caller gave, if any: checked against the file, never sent unchecked.
    pub given: Option<String>,
}

/// A fact of an upload's file that a form field states.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
#[non_exhaustive]
pub enum FileFact {
    /// Its length in bytes, in decimal.
    Size,
    /// The Adler-32 checksum of its content, in decimal (left out for a one-shot reader,
    /// which cannot be read twice, unless given).
    Adler32,
}

/// The largest file an endpoint's page allows, and what its page says to use beyond it.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct MaxSize {
    /// The limit in bytes.
    pub bytes: u64,
    /// What to do with a larger file, from the page (e.g. the part upload).
    pub larger: &'static str,
}

impl Outgoing {
    /// For a form: measures its file (once per call, before anything is sent), refuses a
    /// file over the endpoint's maximum, and turns `from_file` into text parts, refusing a
    /// given value the file contradicts. Other bodies are left as they are.
    pub(crate) async fn with_file_facts(mut self) -> Result<Self, InvalidRequest> {
        let RequestBody::Multipart {
            fields,
            file_part,
            file,
            from_file,
            max_size,
        } = &mut self.body
        else {
            return Ok(self);
        };
        let checksum = from_file.iter().any(|f| f.fact == FileFact::Adler32);
        let facts = file.facts(file_part, checksum).await?;
        if let Some(max) = max_size
            && facts.len > max.bytes
        {
            return Err(InvalidRequest::new(
                file_part,
                format!(
                    "is {} bytes, over the {} bytes ({:.1} MiB) this endpoint takes; {}",
                    facts.len,
                    max.bytes,
                    max.bytes as f64 / (1024.0 * 1024.0),
                    max.larger
                ),
            ));
        }
        for stated in from_file.drain(..) {
            let (what, actual) = match stated.fact {
                FileFact::Size => ("size", Some(facts.len)),
                FileFact::Adler32 => ("Adler-32 checksum", facts.adler32.map(u64::from)),
            };
            let value = match (stated.given, actual) {
                (Some(given), Some(actual)) => {
                    if given.trim().parse::<u64>().ok() != Some(actual) {
                        return Err(InvalidRequest::new(
                            stated.field,
                            format!("is {given}, but the file's {what} is {actual}"),
                        ));
                    }
                    given
                }
                (Some(given), None) => given,
                (None, Some(actual)) => actual.to_string(),
                (None, None) => continue,
            };
            fields.push((stated.field, value));
        }
        Ok(self)
    }
}

impl RequestBody {
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
