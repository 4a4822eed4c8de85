//! `starts.before`: the upload a workflow sends before its start, checked against both
//! endpoints. The upload is a multipart form with a file part; each of its required text
//! parts is set, each from a value of its type, a fact of the path or a JSON object of the
//! start's fields; the workflow's method and subcommand names are free. The start's side
//! (the fields the JSON object reads, what the upload's reply feeds) is `before_start.rs`.

use super::before_start::{expect_text, validate_feeds, validate_members};
use super::chain::{find, not_found};
use super::report::{Names, report};
use super::request::from_file_problem;
use crate::diag::Diagnostics;
use crate::load::ProviderDir;
use crate::naming;
use crate::spec::{BeforeSpec, BodyContent, EndpointSpec, StepSource};
use std::collections::BTreeMap;

/// The flag the workflow's subcommand takes the file's path with.
const FILE_FLAG: &str = "file";

pub(super) fn validate_before<'a>(
    dir: &ProviderDir,
    e: &'a EndpointSpec,
    before: &'a BeforeSpec,
    operations: &mut Names<'a>,
    diags: &mut Diagnostics,
) {
    let file = e.file.as_str();
    validate_workflow(dir, e, before, operations, diags);
    let upload = match find(dir, &before.endpoint) {
        Err(msg) => return not_found(dir, diags, file, &before.endpoint, msg),
        Ok(upload) => upload,
    };
    let Some(form) = upload
        .body
        .as_ref()
        .filter(|b| b.content.value == BodyContent::Multipart)
    else {
        return report(
            diags,
            file,
            &before.endpoint,
            format!(
                "`{}` is not an upload: `before` sends a multipart form with a file part (`body: {{content: multipart, file: ..}}`), the path given as its file",
                upload.id.value
            ),
        );
    };
    // A form without its file part is reported at the upload's own spec.
    if form.file.is_none() {
        return;
    }
    for param in upload.params.iter().filter(|p| p.required) {
        report(
            diags,
            file,
            &before.endpoint,
            format!(
                "required parameter `{}` of `{}`: `before` sets body fields only",
                param.name.value, upload.id.value
            ),
        );
    }
    let from_file: Vec<&str> = form
        .file
        .iter()
        .flat_map(|f| f.from_file.iter().flat_map(|from| from.parts()))
        .map(|(name, _)| name.value.as_str())
        .collect();
    // A wrong `from_file` entry is reported at the upload's own spec; what it names (or
    // meant to) is not reported here again.
    let from_file_sound = form
        .file
        .iter()
        .flat_map(|f| f.from_file.iter().flat_map(|from| from.parts()))
        .all(|(name, fact)| from_file_problem(form, &name.value, fact).is_none());
    let mut set: BTreeMap<&str, &str> = BTreeMap::new();
    for step in &before.fields {
        let name = step.field.value.as_str();
        let Some(field) = form.object.fields.iter().find(|f| f.name.value == name) else {
            report(
                diags,
                file,
                &step.field,
                format!("`{}` has no body field `{name}`", upload.id.value),
            );
            continue;
        };
        if from_file_sound && from_file.contains(&name) {
            report(
                diags,
                file,
                &step.field,
                format!("`{name}` is filled from the file itself (`from_file`)"),
            );
        } else if let Some(first) = set.insert(name, &step.path) {
            report(
                diags,
                file,
                &step.field,
                format!("set twice (also {first})"),
            );
        }
        match &step.source.value {
            StepSource::Value(value) => {
                if let Err(msg) = field.fixed_value(value) {
                    report(diags, file, &step.source, msg);
                }
            }
            StepSource::Path(_) => expect_text(file, field, &step.source, diags),
            StepSource::Json(members) => {
                expect_text(file, field, &step.source, diags);
                validate_members(e, before, members, diags);
            }
        }
    }
    for field in form.object.fields.iter().filter(|f| f.required) {
        let name = field.name.value.as_str();
        if from_file_sound && !set.contains_key(name) && !from_file.contains(&name) {
            report(
                diags,
                file,
                &before.endpoint,
                format!(
                    "required field `{name}` of `{}` is not set (add it to `fields`)",
                    upload.id.value
                ),
            );
        }
    }
    validate_feeds(e, before, upload, diags);
}

/// The method's name, and the subcommand it gives, are free.
fn validate_workflow<'a>(
    dir: &ProviderDir,
    e: &'a EndpointSpec,
    before: &'a BeforeSpec,
    operations: &mut Names<'a>,
    diags: &mut Diagnostics,
) {
    let file = e.file.as_str();
    let workflow = &before.workflow;
    if !naming::is_snake_ident(&workflow.value) {
        return report(
            diags,
            file,
            workflow,
            "must be a snake_case method name like `import_file`",
        );
    }
    if let Err(msg) = operations.claim(workflow.value.clone(), file) {
        report(diags, file, workflow, msg);
    }
    let command = naming::workflow_command(&e.id.value, &workflow.value);
    if let Some(other) = dir.endpoints.iter().find(|o| o.id.value == command) {
        report(
            diags,
            file,
            workflow,
            format!(
                "its subcommand `{command}` is the id of the endpoint in {}",
                other.file
            ),
        );
    }
    // The subcommand takes the start's body fields as flags, and the file as `--file`.
    let fed = |name: &str| before.feeds.iter().any(|f| f.field.value == name);
    for field in e.body.iter().flat_map(|b| &b.object.fields) {
        if naming::cli_flag(&field.name.value) == FILE_FLAG && !fed(&field.name.value) {
            report(
                diags,
                file,
                workflow,
                format!(
                    "its subcommand takes the file as `--{FILE_FLAG}`, the flag of this request's field `{}`",
                    field.name.value
                ),
            );
        }
    }
}
