//! An endpoint file: its id and operation, request (method, path template, parameters) and
//! example; its body, reply, errors, waiter and chains are checked by their own modules.

use super::before::validate_before;
use super::chain::validate_chains;
use super::errors::validate_errors;
use super::pagination::validate_pagination;
use super::report::{Names, report};
use super::request::{validate_body, validate_param_type};
use super::types::validate_object;
use super::waiter::validate_waiter;
use crate::diag::Diagnostics;
use crate::load::ProviderDir;
use crate::naming;
use crate::spec::{EndpointSpec, ErrorSpec, ParamIn};
use std::collections::{BTreeMap, BTreeSet};

pub(super) fn validate_endpoint<'a>(
    dir: &ProviderDir,
    e: &'a EndpointSpec,
    common_codes: &BTreeMap<String, &ErrorSpec>,
    operations: &mut Names<'a>,
    type_names: &mut Names<'a>,
    diags: &mut Diagnostics,
) {
    let file = e.file.as_str();
    let id = &e.id.value;
    let segments: Vec<&str> = id.split('.').collect();
    if segments.len() < 2
        || !segments
            .iter()
            .all(|s| naming::is_snake_ident(s) || is_id_segment(s))
    {
        report(
            diags,
            file,
            &e.id,
            "expected dotted lower-case words like `feishu.drive.export_task.get`",
        );
    } else if segments[0] != dir.dir_name {
        report(
            diags,
            file,
            &e.id,
            format!("must start with its provider `{}.`", dir.dir_name),
        );
    }
    if !naming::is_snake_ident(&e.operation.value) {
        report(
            diags,
            file,
            &e.operation,
            "must be a snake_case method name like `get_export_task`",
        );
    } else if let Err(msg) = operations.claim(e.operation.value.clone(), file) {
        report(diags, file, &e.operation, msg);
    }
    if let Err(msg) = serde_json::from_str::<serde_json::Value>(&e.example.value) {
        report(diags, file, &e.example, format!("not valid JSON: {msg}"));
    }
    validate_path_and_params(e, type_names, diags);
    let prefix = naming::type_name(&e.operation.value);
    for generated in [format!("{prefix}Request"), format!("{prefix}Error")] {
        if let Err(msg) = type_names.claim(generated, file) {
            report(diags, file, &e.operation, msg);
        }
    }
    if let Some(response) = e.response.json() {
        validate_object(file, response, false, type_names, diags);
    }
    if let Some(body) = &e.body {
        validate_body(e, body, type_names, diags);
    }
    validate_chains(dir, e, operations, diags);
    if let Some(before) = e.starts.as_ref().and_then(|s| s.before.as_ref()) {
        validate_before(dir, e, before, operations, diags);
    }
    if let Some(waiter) = &e.waiter {
        if let Err(msg) = operations.claim(waiter.name.value.clone(), file) {
            report(diags, file, &waiter.name, msg);
        }
        let many = naming::wait_many_method(&waiter.name.value);
        if let Err(msg) = operations.claim(many, file) {
            report(diags, file, &waiter.name, msg);
        }
        validate_waiter(e, waiter, diags);
    }
    if let Some(pagination) = &e.pagination {
        validate_pagination(e, pagination, diags);
    }
    validate_errors(&dir.provider, &e.errors, common_codes, file, diags);
    for err in &e.errors {
        if let Some(flag) = &err.invalidates_token {
            report(
                diags,
                file,
                flag,
                "token errors are declared once, in provider.yaml common_errors",
            );
        }
    }
}

fn validate_path_and_params<'a>(
    e: &'a EndpointSpec,
    type_names: &mut Names<'a>,
    diags: &mut Diagnostics,
) {
    let file = e.file.as_str();
    let template = &e.path.value;
    if let Err(msg) = &template.parts {
        report(diags, file, &e.path, msg.as_str());
        return;
    }
    let placeholders: Vec<&str> = template.params().collect();
    let mut wire_names = Names::new("parameter");
    let mut idents = Names::new("parameter name (after snake_case)");
    let mut declared_path = BTreeSet::new();
    for param in &e.params {
        let name = &param.name;
        // Header names have dashes (`X-Request-Id`); they become `_` in Rust names.
        let wire_ok = match param.location {
            ParamIn::Header => naming::is_wire_name(&name.value.replace('-', "_")),
            _ => naming::is_wire_name(&name.value),
        };
        if !wire_ok {
            report(
                diags,
                file,
                name,
                "expected letters, digits and `_` (and `-` in a header), starting with a letter",
            );
            continue;
        }
        if let Err(msg) = wire_names.claim(name.value.clone(), &name.path) {
            report(diags, file, name, msg);
        } else if let Err(msg) = idents.claim(naming::field_ident(&name.value), &name.path) {
            report(diags, file, name, msg);
        }
        validate_param_type(file, param, type_names, diags);
        if param.location == ParamIn::Path {
            declared_path.insert(name.value.as_str());
            if !param.required {
                diags.push(
                    file,
                    Some(name.at),
                    &format!("{}.required", param.path),
                    "a path parameter must be required",
                );
            }
            if !placeholders.contains(&name.value.as_str()) {
                report(
                    diags,
                    file,
                    name,
                    format!("path parameter does not appear in path `{}`", template.text),
                );
            }
        }
    }
    for placeholder in placeholders {
        if !declared_path.contains(placeholder) {
            report(
                diags,
                file,
                &e.path,
                format!("`{{{placeholder}}}` has no matching parameter with `in: path`"),
            );
        }
    }
}

fn is_id_segment(s: &str) -> bool {
    // Endpoint ids may use words that are Rust keywords (`type`), unlike module names.
    let mut chars = s.chars();
    chars.next().is_some_and(|c| c.is_ascii_lowercase())
        && chars.all(|c| c.is_ascii_lowercase() || c.is_ascii_digit() || c == '_')
}
