//! An endpoint's waiter: the status field and the fields readiness, messages and progress
//! are read from, as steps through the reply; the status values as enum variants.

use crate::decode::Spanned;
use crate::naming;
use crate::spec::{
    Code, CodeType, FieldSpec, FieldType, ObjectSpec, Scalar, WaitState, WaiterSpec,
};

/// How to wait for an endpoint's task (see `WaiterSpec`), with fields and values resolved.
#[derive(Debug, Clone)]
pub struct Waiter {
    pub name: String,
    /// The client method that waits for many tasks at once (`wait_many_*`).
    pub many_name: String,
    /// Steps to the status field. One step may be `each` (an array whose elements each carry
    /// a status); `message` then goes through the same array.
    pub status: Vec<PathStep>,
    pub status_enum: String,
    pub status_is_integer: bool,
    /// Variant names of the status enum, by what they mean.
    pub pending: Vec<String>,
    pub success: Vec<String>,
    pub failure: Vec<String>,
    /// The first pending and success values, as JSON (for the fake server's tasks).
    pub first_pending: Option<String>,
    pub first_success: Option<String>,
    pub unknown_is_failure: bool,
    pub ready_when_set: Option<Vec<PathStep>>,
    pub message: Option<Vec<PathStep>>,
    pub progress: Option<(Vec<PathStep>, Vec<PathStep>)>,
    /// Seconds.
    pub min_delay: f64,
    pub max_delay: f64,
    pub max_wait: f64,
    /// The spec's rules in words, for docs.
    pub rules: String,
}

/// One field on the way to a value: its Rust name and whether it is always present.
#[derive(Debug, Clone, PartialEq)]
pub struct PathStep {
    pub wire: String,
    pub ident: String,
    pub required: bool,
    /// An array of objects the path goes on in, in every element (`name[]` in a waiter).
    pub each: bool,
}

pub(super) fn steps(object: &ObjectSpec, dotted: &str) -> Option<Vec<PathStep>> {
    let fields = object.field_path(dotted).ok()?;
    Some(fields.iter().map(|f| step(f, false)).collect())
}

/// A waiter's path, which may step into an array's elements.
fn waiter_steps(object: &ObjectSpec, dotted: &str) -> Option<Vec<PathStep>> {
    let walked = object.waiter_path(dotted).ok()?;
    Some(walked.iter().map(|s| step(s.field, s.each)).collect())
}

fn step(f: &FieldSpec, each: bool) -> PathStep {
    PathStep {
        wire: f.name.value.clone(),
        ident: naming::field_ident(&f.name.value),
        required: f.required,
        each,
    }
}

pub(super) fn build_waiter(response: &ObjectSpec, w: &WaiterSpec) -> Option<Waiter> {
    let walked = response.waiter_path(&w.status.value).ok()?;
    let status_field = walked.last()?.field;
    let enumeration = status_field.enumeration.as_ref()?;
    let repr = if status_field.ty.value == FieldType::Integer {
        CodeType::Integer
    } else {
        CodeType::String
    };
    let variant = |value: &Spanned<Scalar>| {
        let code = Code::parse(repr, &value.value).ok()?;
        enumeration
            .values
            .iter()
            .find(|v| Code::parse(repr, &v.value.value).ok().as_ref() == Some(&code))
            .map(|v| v.name.value.clone())
    };
    let names = |values: &[Spanned<Scalar>]| values.iter().filter_map(variant).collect::<Vec<_>>();
    let list = |values: &[Spanned<Scalar>]| {
        values
            .iter()
            .map(|v| v.value.text.clone())
            .collect::<Vec<_>>()
            .join(", ")
    };
    let unknown_is_failure = w.unknown.value == WaitState::Failure;
    let mut rules = format!(
        "`{}` {} is success, {} pending, {} failure; a value no table lists is {}.",
        w.status.value,
        list(&w.success),
        list(&w.pending),
        if w.failure.is_empty() {
            "nothing".to_owned()
        } else {
            list(&w.failure)
        },
        if unknown_is_failure {
            "a failure"
        } else {
            "pending"
        }
    );
    if let Some((array, _)) = w.status.value.split_once("[]") {
        rules.push_str(&format!(
            " Read in every element of `{array}`: the task failed once any element failed, \
             succeeded once every element succeeded, and is pending otherwise (and while \
             `{array}` is empty or absent)."
        ));
    }
    if let Some(ready) = &w.ready_when_set {
        rules.push_str(&format!(
            " A success counts only once `{}` is non-empty.",
            ready.value
        ));
    }
    Some(Waiter {
        name: w.name.value.clone(),
        many_name: naming::wait_many_method(&w.name.value),
        status: waiter_steps(response, &w.status.value)?,
        status_enum: enumeration.name.value.clone(),
        status_is_integer: repr == CodeType::Integer,
        pending: names(&w.pending),
        success: names(&w.success),
        failure: names(&w.failure),
        first_pending: w.pending.first().and_then(|v| json_value(repr, &v.value)),
        first_success: w.success.first().and_then(|v| json_value(repr, &v.value)),
        unknown_is_failure,
        ready_when_set: w
            .ready_when_set
            .as_ref()
            .and_then(|r| steps(response, &r.value)),
        message: w
            .message
            .as_ref()
            .and_then(|m| waiter_steps(response, &m.value)),
        progress: w.progress.as_ref().and_then(|(done, total)| {
            Some((
                steps(response, &done.value)?,
                steps(response, &total.value)?,
            ))
        }),
        min_delay: w.min_delay.value,
        max_delay: w.max_delay.value,
        max_wait: w.max_wait.value,
        rules,
    })
}

/// A status value as JSON text.
fn json_value(repr: CodeType, value: &Scalar) -> Option<String> {
    Some(match Code::parse(repr, value).ok()? {
        Code::Int(n) => n.to_string(),
        Code::Str(s) => serde_json::Value::String(s).to_string(),
    })
}
