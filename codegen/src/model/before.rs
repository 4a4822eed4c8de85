//! An upload before a start (`starts.before`) with its names decided: the workflow method,
//! its subcommand and the argument that names the file; the upload's request and how each
//! of its fields is filled; the start's fields its reply and the path fill.

use super::fixed::{Fixed, fixed};
use super::waiter::{PathStep, steps};
use crate::naming;
use crate::spec::{BeforeSpec, EndpointSpec, FieldSpec, PathFact, StartSource, StepSource};

/// The upload a workflow sends before its start, and what its reply feeds.
#[derive(Debug, Clone)]
pub struct Before {
    /// The client method that uploads, starts and waits.
    pub workflow: String,
    /// Its CLI subcommand, e.g. `feishu.drive.import_file`.
    pub command: String,
    /// The method's argument naming the file: `path`, unless the start request takes an
    /// argument of that name (then `path_`, ...).
    pub path_arg: String,
    pub upload_id: String,
    /// The upload's module (its operation) and the prefix of its request type.
    pub upload_operation: String,
    pub upload_type_prefix: String,
    /// The upload reply's type.
    pub upload_reply: String,
    /// The upload's body fields the spec sets, in its order.
    pub fields: Vec<StepField>,
    /// The start's body fields the upload's reply feeds.
    pub fed: Vec<FedField>,
    /// The start's body fields the path gives (Rust name, wire name, fact).
    pub from_path: Vec<FromPath>,
}

/// One body field of the upload and its value.
#[derive(Debug, Clone)]
pub struct StepField {
    pub ident: String,
    pub wire: String,
    /// Required in the upload's form: one of its request constructor's arguments.
    pub required: bool,
    pub value: StepValue,
}

#[derive(Debug, Clone, PartialEq)]
pub enum StepValue {
    /// A fixed value (an enum's variant is the upload's), and its text as written.
    Fixed {
        value: Fixed,
        wire: String,
    },
    Path(PathFact),
    /// A JSON object's text, its members from the start's body fields.
    Json(Vec<JsonMember>),
}

/// A member of a JSON object's text.
#[derive(Debug, Clone, PartialEq)]
pub struct JsonMember {
    pub key: String,
    /// The start body's field (Rust name, wire name), required and text.
    pub field: String,
    pub field_wire: String,
    /// Listed values: its text is the enum's `value()`.
    pub is_enum: bool,
}

/// A text field of the start's body that a field of the upload's reply fills.
#[derive(Debug, Clone)]
pub struct FedField {
    pub ident: String,
    pub wire: String,
    pub required: bool,
    /// The reply field, and its dotted wire path (for the error naming it).
    pub reply: Vec<PathStep>,
    pub reply_wire: String,
}

/// A text field of the start's body that a fact of the path gives.
#[derive(Debug, Clone)]
pub struct FromPath {
    pub ident: String,
    pub wire: String,
    pub fact: PathFact,
}

pub(super) fn build_before(
    e: &EndpointSpec,
    b: &BeforeSpec,
    all: &[EndpointSpec],
) -> Option<Before> {
    let upload = all.iter().find(|u| u.id.value == b.endpoint.value)?;
    let form = upload.body.as_ref()?;
    let reply = upload.response.json()?;
    let mut fields = Vec::new();
    for step in &b.fields {
        let field = form
            .object
            .fields
            .iter()
            .find(|f| f.name.value == step.field.value)?;
        fields.push(StepField {
            ident: naming::field_ident(&field.name.value),
            wire: field.name.value.clone(),
            required: field.required,
            value: step_value(e, field, &step.source.value)?,
        });
    }
    let mut fed = Vec::new();
    let mut from_path = Vec::new();
    for feed in &b.feeds {
        let field = body_field(e, &feed.field.value)?;
        let (ident, wire) = (
            naming::field_ident(&field.name.value),
            field.name.value.clone(),
        );
        match &feed.source.value {
            StartSource::Reply(path) => fed.push(FedField {
                ident,
                wire,
                required: field.required,
                reply: steps(reply, path)?,
                reply_wire: path.clone(),
            }),
            StartSource::Path(fact) => from_path.push(FromPath {
                ident,
                wire,
                fact: *fact,
            }),
        }
    }
    Some(Before {
        workflow: b.workflow.value.clone(),
        command: naming::workflow_command(&e.id.value, &b.workflow.value),
        path_arg: path_arg(e),
        upload_id: upload.id.value.clone(),
        upload_operation: upload.operation.value.clone(),
        upload_type_prefix: naming::type_name(&upload.operation.value),
        upload_reply: reply.name.value.clone(),
        fields,
        fed,
        from_path,
    })
}

fn step_value(e: &EndpointSpec, field: &FieldSpec, source: &StepSource) -> Option<StepValue> {
    Some(match source {
        StepSource::Value(value) => StepValue::Fixed {
            value: fixed(field.fixed_value(value).ok()?, field.enumeration.as_ref())?,
            wire: value.text.clone(),
        },
        StepSource::Path(fact) => StepValue::Path(*fact),
        StepSource::Json(members) => StepValue::Json(
            members
                .iter()
                .map(|m| {
                    let field = body_field(e, &m.request.value)?;
                    Some(JsonMember {
                        key: m.key.value.clone(),
                        field: naming::field_ident(&field.name.value),
                        field_wire: field.name.value.clone(),
                        is_enum: field.enumeration.is_some(),
                    })
                })
                .collect::<Option<_>>()?,
        ),
    })
}

fn body_field<'e>(e: &'e EndpointSpec, name: &str) -> Option<&'e FieldSpec> {
    e.body
        .as_ref()
        .and_then(|b| b.object.fields.iter().find(|f| f.name.value == name))
}

/// `path`, or with `_` added until no argument of the start's client method has the name
/// (its required parameters and body fields, its file part).
fn path_arg(e: &EndpointSpec) -> String {
    let params = e
        .params
        .iter()
        .filter(|p| p.required)
        .map(|p| &p.name.value);
    let body = e.body.iter().flat_map(|b| {
        let fields = b.object.fields.iter().filter(|f| f.required);
        fields
            .map(|f| &f.name.value)
            .chain(b.file.iter().map(|f| &f.name.value))
    });
    let taken: Vec<String> = params.chain(body).map(|n| naming::field_ident(n)).collect();
    let mut name = String::from("path");
    while taken.contains(&name) {
        name.push('_');
    }
    name
}
