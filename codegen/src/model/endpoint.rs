//! An endpoint: its request (path and parameters, with Rust names), reply types and errors.

use super::errors::{ErrorCase, error_case};
use super::types::{ScalarType, TypeDef, collect_types, scalar_type};
use super::waiter::{Waiter, build_waiter};
use crate::naming;
use crate::path_template::{PathTemplate, TemplatePart};
use crate::spec::{CodeType, EndpointSpec, Method, ParamIn};

#[derive(Debug, Clone)]
pub struct Endpoint {
    pub id: String,
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
    pub path_template: String,
    pub path_parts: Vec<PathPart>,
    pub params: Vec<Param>,
    pub token_kinds: Vec<String>,
    pub app_types: Vec<String>,
    pub scopes: Vec<(String, String)>,
    pub rate_limit: Option<String>,
    /// The type the success reply decodes into; always the first of `types`.
    pub response: String,
    pub types: Vec<TypeDef>,
    pub example: String,
    pub errors: Vec<ErrorCase>,
    pub waiter: Option<Waiter>,
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
    pub required: bool,
    pub max_length: Option<u32>,
    pub description: String,
    pub summary: String,
}

pub(super) fn build_endpoint(e: &EndpointSpec, code_type: CodeType) -> Endpoint {
    let params: Vec<Param> = e
        .params
        .iter()
        .map(|p| Param {
            wire: p.name.value.clone(),
            ident: naming::field_ident(&p.name.value),
            cli_flag: naming::cli_flag(&p.name.value),
            location: p.location,
            ty: scalar_type(p.ty.value),
            required: p.required,
            max_length: p.max_length.as_ref().map(|m| m.value),
            description: p.description.clone(),
            summary: p.summary.clone(),
        })
        .collect();
    let mut types = Vec::new();
    collect_types(&e.response, &mut types);
    Endpoint {
        id: e.id.value.clone(),
        file: e.file.clone(),
        operation: e.operation.value.clone(),
        type_prefix: naming::type_name(&e.operation.value),
        title: e.title.clone(),
        summary: e.summary.clone(),
        description: e.description.clone(),
        source: e.source.clone(),
        method: e.method.value,
        path_template: e.path.value.text.clone(),
        path_parts: path_parts(&e.path.value, &params),
        params,
        token_kinds: e.token_kinds.clone(),
        app_types: e.app_types.clone(),
        scopes: e
            .scopes
            .iter()
            .map(|s| (s.scope.clone(), s.description.clone()))
            .collect(),
        rate_limit: e.rate_limit.as_ref().map(|r| {
            let mut parts = Vec::new();
            if let Some(n) = r.per_minute {
                parts.push(format!("{n} calls per minute"));
            }
            if let Some(n) = r.per_second {
                parts.push(format!("{n} calls per second"));
            }
            parts.join(", ")
        }),
        response: e.response.name.value.clone(),
        types,
        example: e.example.value.clone(),
        errors: e
            .errors
            .iter()
            .filter_map(|err| error_case(err, code_type))
            .collect(),
        waiter: e.waiter.as_ref().and_then(|w| build_waiter(&e.response, w)),
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
