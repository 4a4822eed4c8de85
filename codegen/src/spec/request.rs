//! What a request carries besides its path: parameters (path, query, header) and a body
//! (JSON, or a multipart form with one file part), and what kind of reply comes back.

use super::object::{EnumSpec, FieldType, ObjectSpec, StringFormat};
use super::value::Scalar;
use crate::decode::{Ctx, Decode, Spanned, keyword};
use crate::yaml::Node;

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum ParamIn {
    Path,
    Query,
    Header,
}

impl ParamIn {
    pub fn as_str(self) -> &'static str {
        match self {
            ParamIn::Path => "path",
            ParamIn::Query => "query",
            ParamIn::Header => "header",
        }
    }
}

#[derive(Debug, Clone)]
pub struct ParamSpec {
    pub path: String,
    pub name: Spanned<String>,
    pub location: ParamIn,
    pub ty: Spanned<FieldType>,
    /// The element type of an `array` parameter.
    pub items: Option<Spanned<FieldType>>,
    pub format: Option<Spanned<StringFormat>>,
    pub required: bool,
    pub max_length: Option<Spanned<u32>>,
    pub example: Option<Spanned<Scalar>>,
    /// Values the page lists, with meanings.
    pub enumeration: Option<EnumSpec>,
    pub description: String,
    pub summary: String,
}

/// How a request body is encoded.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum BodyContent {
    Json,
    Multipart,
}

/// A request body: its fields as an object (the JSON body, or a form's text parts) and, for
/// a multipart form, the one file part.
#[derive(Debug, Clone)]
pub struct BodySpec {
    pub path: String,
    pub content: Spanned<BodyContent>,
    pub object: ObjectSpec,
    pub file: Option<FilePartSpec>,
    /// The page's example body, verbatim (JSON bodies).
    pub example: Option<Spanned<String>>,
}

#[derive(Debug, Clone)]
pub struct FilePartSpec {
    pub path: String,
    pub name: Spanned<String>,
    pub description: String,
    pub max_size: Option<Spanned<u64>>,
    /// What the page says to do with a file over `max_size` (e.g. the part upload).
    pub larger: Option<Spanned<String>>,
    /// Text parts that state a fact of the file, filled from it when not given.
    pub from_file: Option<FromFileSpec>,
}

/// `from_file:` of a file part: the text part (by wire name) that states each fact.
#[derive(Debug, Clone, Default)]
pub struct FromFileSpec {
    /// The part that states the file's length in bytes.
    pub size: Option<Spanned<String>>,
    /// The part that states the Adler-32 checksum of its content.
    pub adler32: Option<Spanned<String>>,
}

impl FromFileSpec {
    /// Each named part with the fact it states, in a fixed order.
    pub fn parts(&self) -> impl Iterator<Item = (&Spanned<String>, FileFactKind)> {
        [
            (self.size.as_ref(), FileFactKind::Size),
            (self.adler32.as_ref(), FileFactKind::Adler32),
        ]
        .into_iter()
        .filter_map(|(name, fact)| name.map(|name| (name, fact)))
    }
}

/// A fact of an upload's file that a text part can state.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum FileFactKind {
    /// Its length in bytes (an `integer` part).
    Size,
    /// Its Adler-32 checksum in decimal (a `string` or `integer` part).
    Adler32,
}

/// What a successful reply is.
#[derive(Debug, Clone)]
pub enum ResponseSpec {
    /// JSON data, decoded into the object's type.
    Json(ObjectSpec),
    /// Bytes (a download); errors still arrive as JSON.
    Binary { description: String },
}

impl ResponseSpec {
    pub fn json(&self) -> Option<&ObjectSpec> {
        match self {
            ResponseSpec::Json(object) => Some(object),
            ResponseSpec::Binary { .. } => None,
        }
    }

    pub fn json_mut(&mut self) -> Option<&mut ObjectSpec> {
        match self {
            ResponseSpec::Json(object) => Some(object),
            ResponseSpec::Binary { .. } => None,
        }
    }
}

// ---- reading ---------------------------------------------------------------------------

impl Decode for BodyContent {
    fn decode(cx: &mut Ctx<'_>, node: &Node, path: &str) -> Option<Self> {
        keyword(
            cx,
            node,
            path,
            &[
                ("json", BodyContent::Json),
                ("multipart", BodyContent::Multipart),
            ],
        )
    }
}

impl Decode for ParamSpec {
    fn decode(cx: &mut Ctx<'_>, node: &Node, path: &str) -> Option<Self> {
        let mut f = cx.fields(node, path)?;
        let name = f.req(cx, "name");
        let location = f.with(cx, "in", true, |cx, n, p| {
            keyword(
                cx,
                n,
                p,
                &[
                    ("path", ParamIn::Path),
                    ("query", ParamIn::Query),
                    ("header", ParamIn::Header),
                ],
            )
        });
        let ty = f.req(cx, "type");
        let items = f.opt(cx, "items");
        let format = f.opt(cx, "format");
        let required = f.req(cx, "required");
        let max_length = f.opt(cx, "max_length");
        let example = f.opt(cx, "example");
        let enumeration = f.with(cx, "enum", false, EnumSpec::decode);
        let description = f.req(cx, "description");
        let summary = f.opt(cx, "summary").unwrap_or_default();
        f.finish(cx);
        Some(ParamSpec {
            path: path.to_owned(),
            name: name?,
            location: location?,
            ty: ty?,
            items,
            format,
            required: required?,
            max_length,
            example,
            enumeration,
            description: description?,
            summary,
        })
    }
}

impl BodySpec {
    pub(super) fn decode(cx: &mut Ctx<'_>, node: &Node, path: &str) -> Option<Self> {
        let mut f = cx.fields(node, path)?;
        let content = f.req(cx, "content");
        let name = f.req(cx, "name");
        let description = f.opt(cx, "description").unwrap_or_default();
        let fields = f.req(cx, "fields");
        let file = f.with(cx, "file", false, FilePartSpec::decode);
        let example = f.opt(cx, "example");
        f.finish(cx);
        Some(BodySpec {
            path: path.to_owned(),
            content: content?,
            object: ObjectSpec {
                name: name?,
                description,
                fields: fields?,
                shared: false,
            },
            file,
            example,
        })
    }
}

impl FilePartSpec {
    fn decode(cx: &mut Ctx<'_>, node: &Node, path: &str) -> Option<Self> {
        let mut f = cx.fields(node, path)?;
        let name = f.req(cx, "name");
        let description = f.opt(cx, "description").unwrap_or_default();
        let max_size = f.opt(cx, "max_size");
        let larger = f.opt(cx, "larger");
        let from_file = f.with(cx, "from_file", false, |cx, node, path| {
            let mut f = cx.fields(node, path)?;
            let size = f.opt(cx, "size");
            let adler32 = f.opt(cx, "adler32");
            f.finish(cx);
            Some(FromFileSpec { size, adler32 })
        });
        f.finish(cx);
        Some(FilePartSpec {
            path: path.to_owned(),
            name: name?,
            description,
            max_size,
            larger,
            from_file,
        })
    }
}

/// `content: binary` with a description, or a JSON object (`content: json` optional).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum ResponseContent {
    Json,
    Binary,
}

impl Decode for ResponseContent {
    fn decode(cx: &mut Ctx<'_>, node: &Node, path: &str) -> Option<Self> {
        keyword(
            cx,
            node,
            path,
            &[
                ("json", ResponseContent::Json),
                ("binary", ResponseContent::Binary),
            ],
        )
    }
}

impl ResponseSpec {
    pub(super) fn decode(cx: &mut Ctx<'_>, node: &Node, path: &str) -> Option<Self> {
        let mut f = cx.fields(node, path)?;
        let content: Option<ResponseContent> = f.opt(cx, "content");
        let description = f.opt(cx, "description").unwrap_or_default();
        if content == Some(ResponseContent::Binary) {
            f.finish(cx);
            return Some(ResponseSpec::Binary { description });
        }
        let name = f.req(cx, "name");
        let fields = f.req(cx, "fields");
        f.finish(cx);
        Some(ResponseSpec::Json(ObjectSpec {
            name: name?,
            description,
            fields: fields?,
            shared: false,
        }))
    }
}
