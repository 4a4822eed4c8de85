//! An endpoint: its request (path, parameters and body, with Rust names), reply types,
//! errors, waiter and chains.

use super::chain::{Chain, build_download, build_starts};
use super::errors::{ErrorCase, error_case};
use super::pagination::{Pagination, build_pagination};
use super::types::{Field, ScalarType, StructKind, TypeDef, collect_types, enum_def, scalar_type};
use super::waiter::{Waiter, build_waiter};
use crate::naming;
use crate::path_template::{PathTemplate, TemplatePart};
use crate::spec::{
    BodyContent, BodySpec, CodeType, EndpointSpec, FieldType, FileFactKind, Method, ObjectSpec,
    ParamIn, ParamSpec, RateLimitSpec, ResponseSpec,
};

#[derive(Debug, Clone)]
pub struct Endpoint {
    pub id: String,
    /// The API family, the Cargo feature that compiles it: the id's first two segments,
    /// e.g. `feishu-drive` for `feishu.drive.export_task.get`.
    pub family: String,
    pub file: String,
    /// Method and module name, e.g. `get_export_task`.
    pub operation: String,
    /// Prefix of the generated request and error types, e.g. `GetExportTask`.
    pub type_prefix: String,
    pub title: String,
    pub summary: String,
    pub description: String,
    pub source: String,
    pub method: Method,
    /// Whether a failure that does not prove the server did nothing may be retried.
    pub idempotent: bool,
    pub path_template: String,
    pub path_parts: Vec<PathPart>,
    pub params: Vec<Param>,
    pub body: Option<Body>,
    pub token_kinds: Vec<String>,
    pub app_types: Vec<String>,
    pub scopes: Vec<(String, String)>,
    pub rate_limit: Option<String>,
    /// The limit the client's limiter applies: per minute, per second, and the key its
    /// slots are counted under (the spec's group, or the endpoint id).
    pub limit: Option<Limit>,
    pub response: Response,
    /// The reply's types (the first is the reply's), then the body's.
    pub types: Vec<TypeDef>,
    pub example: String,
    pub errors: Vec<ErrorCase>,
    pub waiter: Option<Waiter>,
    /// The poller that waits for the task this endpoint starts.
    pub starts: Option<Chain>,
    /// The download this poller's successful result feeds.
    pub download: Option<Chain>,
    /// The reply is one page of a list.
    pub pagination: Option<Pagination>,
}

/// What a successful reply is.
#[derive(Debug, Clone, PartialEq)]
pub enum Response {
    /// JSON data decoded into this type.
    Json(String),
    /// Bytes, streamed to a file or writer.
    Binary,
}

impl Endpoint {
    /// The reply's type name, for a JSON reply.
    pub fn json_response(&self) -> Option<&str> {
        match &self.response {
            Response::Json(name) => Some(name),
            Response::Binary => None,
        }
    }
}

/// An endpoint's documented rate limit, for the client's limiter.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Limit {
    pub per_minute: Option<u32>,
    pub per_second: Option<u32>,
    /// The spec's `rate_limit.group`, or the endpoint id.
    pub key: String,
}

/// A request body: a JSON object or a multipart form.
#[derive(Debug, Clone)]
pub struct Body {
    pub content: BodyContent,
    /// The body struct (first of the body's types).
    pub type_name: String,
    /// Its top-level fields: required ones are arguments of the client method.
    pub fields: Vec<Field>,
    /// Every scalar (or list of scalars) reachable through objects: the CLI's body flags.
    pub leaves: Vec<BodyLeaf>,
    pub file: Option<FilePart>,
    /// The page's example body.
    pub example: Option<String>,
}

/// A scalar inside a body, reachable from the top through required-or-not objects.
#[derive(Debug, Clone)]
pub struct BodyLeaf {
    /// Wire names from the body's top, e.g. `["point", "mount_key"]`.
    pub wire_path: Vec<String>,
    /// `--point-mount-key`.
    pub cli_flag: String,
    pub ty: ScalarType,
    pub repeated: bool,
    /// Required here and on every object on the way.
    pub required: bool,
    pub description: String,
}

/// The one file part of a multipart body.
#[derive(Debug, Clone)]
pub struct FilePart {
    pub wire: String,
    pub description: String,
    pub max_size: Option<u64>,
    /// What the page says to do with a larger file (set with `max_size`).
    pub larger: Option<String>,
    /// Text parts (wire names) that state a fact of the file: optional in the body, filled
    /// from the file when not given.
    pub from_file: Vec<(String, FileFactKind)>,
}

#[derive(Debug, Clone, PartialEq)]
pub enum PathPart {
    Literal(String),
    /// Index into the endpoint's `params`.
    Param(usize),
}

#[derive(Debug, Clone)]
pub struct Param {
    pub wire: String,
    pub ident: String,
    pub cli_flag: String,
    pub location: ParamIn,
    pub ty: ScalarType,
    /// An array (of strings): sent as a repeated query parameter.
    pub repeated: bool,
    /// The generated enum of its listed values, and whether they are integers.
    pub enumeration: Option<(String, CodeType)>,
    pub required: bool,
    pub max_length: Option<u32>,
    pub description: String,
    pub summary: String,
}

pub(super) fn build_endpoint(
    e: &EndpointSpec,
    all: &[EndpointSpec],
    code_type: CodeType,
) -> Endpoint {
    let params: Vec<Param> = e.params.iter().map(build_param).collect();
    let mut types = reply_and_param_types(e);
    let body = e.body.as_ref().map(|b| build_body(b, &mut types));
    Endpoint {
        id: e.id.value.clone(),
        family: naming::family(&e.id.value),
        file: e.file.clone(),
        operation: e.operation.value.clone(),
        type_prefix: naming::type_name(&e.operation.value),
        title: e.title.clone(),
        summary: e.summary.clone(),
        description: e.description.clone(),
        source: e.source.clone(),
        method: e.method.value,
        idempotent: e.is_idempotent(),
        path_template: e.path.value.text.clone(),
        path_parts: path_parts(&e.path.value, &params),
        params,
        body,
        token_kinds: e.token_kinds.clone(),
        app_types: e.app_types.clone(),
        scopes: e
            .scopes
            .iter()
            .map(|s| (s.scope.clone(), s.description.clone()))
            .collect(),
        rate_limit: e.rate_limit.as_ref().map(rate_limit_text),
        limit: e.rate_limit.as_ref().map(|r| Limit {
            per_minute: r.per_minute,
            per_second: r.per_second,
            key: r
                .group
                .as_ref()
                .map_or_else(|| e.id.value.clone(), |g| g.value.clone()),
        }),
        response: match &e.response {
            ResponseSpec::Json(object) => Response::Json(object.name.value.clone()),
            ResponseSpec::Binary { .. } => Response::Binary,
        },
        example: e.example.value.clone(),
        errors: e
            .errors
            .iter()
            .filter_map(|err| error_case(err, code_type))
            .collect(),
        waiter: e
            .waiter
            .as_ref()
            .zip(e.response.json())
            .and_then(|(w, response)| build_waiter(response, w)),
        starts: e.starts.as_ref().and_then(|s| build_starts(e, s, all)),
        download: e.download.as_ref().and_then(|d| build_download(e, d, all)),
        pagination: e
            .pagination
            .as_ref()
            .and_then(|p| build_pagination(e, p, &types)),
        types,
    }
}

/// A parameter with its Rust name, CLI flag, scalar type (an array's element type) and
/// enum.
fn build_param(p: &ParamSpec) -> Param {
    Param {
        wire: p.name.value.clone(),
        ident: naming::field_ident(&p.name.value),
        cli_flag: naming::cli_flag(&p.name.value),
        location: p.location,
        ty: match &p.items {
            Some(items) => scalar_type(items.value, None),
            None => scalar_type(p.ty.value, p.format.as_ref().map(|f| f.value)),
        },
        repeated: p.ty.value == FieldType::Array,
        enumeration: p.enumeration.as_ref().map(|en| {
            let repr = if p.ty.value == FieldType::Integer {
                CodeType::Integer
            } else {
                CodeType::String
            };
            (en.name.value.clone(), repr)
        }),
        required: p.required,
        max_length: p.max_length.as_ref().map(|m| m.value),
        description: p.description.clone(),
        summary: p.summary.clone(),
    }
}

/// The reply's types (its own first), then the parameters' enums; the body's come after,
/// from [`build_body`].
fn reply_and_param_types(e: &EndpointSpec) -> Vec<TypeDef> {
    let mut types = Vec::new();
    if let ResponseSpec::Json(object) = &e.response {
        collect_types(object, StructKind::Reply, &mut types);
    }
    for p in &e.params {
        if let Some(en) = &p.enumeration {
            types.push(enum_def(en, &p.description, p.ty.value));
        }
    }
    types
}

/// The documented rate limit in words, e.g. `20 calls per minute, 5 calls per second`.
fn rate_limit_text(r: &RateLimitSpec) -> String {
    let mut parts = Vec::new();
    if let Some(n) = r.per_minute {
        parts.push(format!("{n} calls per minute"));
    }
    if let Some(n) = r.per_second {
        parts.push(format!("{n} calls per second"));
    }
    parts.join(", ")
}

fn build_body(b: &BodySpec, types: &mut Vec<TypeDef>) -> Body {
    let first = types.len();
    collect_types(&b.object, StructKind::Body, types);
    let file = b.file.as_ref().map(|f| FilePart {
        wire: f.name.value.clone(),
        description: f.description.clone(),
        max_size: f.max_size.as_ref().map(|m| m.value),
        larger: f.larger.as_ref().map(|l| l.value.clone()),
        from_file: f
            .from_file
            .iter()
            .flat_map(|from| from.parts())
            .map(|(name, fact)| (name.value.clone(), fact))
            .collect(),
    });
    let mut leaves = Vec::new();
    collect_leaves(&b.object, &mut Vec::new(), true, &mut leaves);
    // A part the file fills is the caller's to give or not: optional everywhere.
    let from_file = file.as_ref().map_or(&[][..], |f| &f.from_file[..]);
    if let TypeDef::Struct(def) = &mut types[first] {
        for field in &mut def.fields {
            if let Some((_, fact)) = from_file.iter().find(|(wire, _)| *wire == field.wire) {
                field.required = false;
                field.description = from_file_description(&field.description, *fact);
            }
        }
    }
    for leaf in &mut leaves {
        if let [wire] = &leaf.wire_path[..]
            && let Some((_, fact)) = from_file.iter().find(|(w, _)| w == wire)
        {
            leaf.required = false;
            leaf.description = from_file_description(&leaf.description, *fact);
        }
    }
    let fields = match &types[first] {
        TypeDef::Struct(def) => def.fields.clone(),
        TypeDef::Enum(_) => Vec::new(),
    };
    Body {
        content: b.content.value,
        type_name: b.object.name.value.clone(),
        fields,
        leaves,
        file,
        example: b.example.as_ref().map(|e| e.value.clone()),
    }
}

/// A from-file part's description, saying where its value comes from.
fn from_file_description(description: &str, fact: FileFactKind) -> String {
    let what = match fact {
        FileFactKind::Size => "size",
        FileFactKind::Adler32 => "Adler-32 checksum",
    };
    format!(
        "{} (default: the file's {what}; a value the file contradicts is refused before sending)",
        description.trim_end()
    )
}

/// The scalars (and lists of scalars) of a body, through nested objects (not through
/// arrays or maps of objects: those are set with `--body`).
fn collect_leaves(
    object: &ObjectSpec,
    prefix: &mut Vec<String>,
    required: bool,
    leaves: &mut Vec<BodyLeaf>,
) {
    for f in &object.fields {
        prefix.push(f.name.value.clone());
        match (f.ty.value, &f.object, &f.items) {
            (FieldType::Object, Some(nested), _) => {
                collect_leaves(nested, prefix, required && f.required, leaves)
            }
            (FieldType::Array, None, Some(items)) => leaves.push(BodyLeaf {
                wire_path: prefix.clone(),
                cli_flag: naming::cli_flag(&prefix.join("_")),
                ty: scalar_type(items.value, None),
                repeated: true,
                required: required && f.required,
                description: f.description.clone(),
            }),
            (FieldType::Object | FieldType::Array | FieldType::Map, _, _) => {}
            (ty, _, _) => leaves.push(BodyLeaf {
                wire_path: prefix.clone(),
                cli_flag: naming::cli_flag(&prefix.join("_")),
                ty: scalar_type(ty, f.format.as_ref().map(|f| f.value)),
                repeated: false,
                required: required && f.required,
                description: f.description.clone(),
            }),
        }
        prefix.pop();
    }
}

/// The template's parts, each slot resolved to the index of its parameter.
fn path_parts(template: &PathTemplate, params: &[Param]) -> Vec<PathPart> {
    let parts = template.parts.as_deref().unwrap_or_default();
    parts
        .iter()
        .filter_map(|part| match part {
            TemplatePart::Literal(text) => Some(PathPart::Literal(text.clone())),
            TemplatePart::Param(name) => params
                .iter()
                .position(|p| p.wire == *name)
                .map(PathPart::Param),
        })
        .collect()
}
