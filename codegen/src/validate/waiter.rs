//! A waiter: its fields exist in the reply with the right types, its values sort the status
//! enum, and its delays keep within the endpoint's rate limit.

use super::report::report;
use super::types::expect_field;
use super::waiter_each as elements;
use crate::decode::Spanned;
use crate::diag::Diagnostics;
use crate::naming;
use crate::spec::{Code, CodeType, EndpointSpec, EnumSpec, FieldType, ObjectSpec, WaiterSpec};
use std::collections::BTreeMap;

/// A waiter's fields must exist in the reply with the right types, and its status values must
/// sort every value of the status enum into exactly one of pending, success and failure.
pub(super) fn validate_waiter(e: &EndpointSpec, w: &WaiterSpec, diags: &mut Diagnostics) {
    let file = e.file.as_str();
    if !naming::is_snake_ident(&w.name.value) {
        report(
            diags,
            file,
            &w.name,
            "must be a snake_case method name like `wait_export_task`",
        );
    }
    let Some(response) = e.response.json() else {
        report(
            diags,
            file,
            &w.name,
            "a waiter reads a JSON reply; this endpoint's response is binary",
        );
        return;
    };
    let field = |path: &Spanned<String>, ty: FieldType, diags: &mut Diagnostics| {
        expect_field(file, response, path, &[ty], diags)
    };
    if let Some(ready) = &w.ready_when_set
        && !elements::refuse_each(file, ready, "ready_when_set", diags)
    {
        field(ready, FieldType::String, diags);
    }
    if let Some((done, total)) = &w.progress {
        for count in [done, total] {
            if !elements::refuse_each(file, count, "progress", diags) {
                field(count, FieldType::Integer, diags);
            }
        }
    }
    elements::validate_each(file, response, w, diags);
    validate_wait_delays(e, w, diags);
    validate_status(file, response, w, diags);
}

/// The status field is an enum, and the waiter's values sort every value of it into exactly
/// one of pending, success and failure.
fn validate_status(file: &str, response: &ObjectSpec, w: &WaiterSpec, diags: &mut Diagnostics) {
    let Ok(fields) = response
        .waiter_path(&w.status.value)
        .map(|steps| steps.iter().map(|s| s.field).collect::<Vec<_>>())
        .map_err(|msg| report(diags, file, &w.status, msg))
    else {
        return;
    };
    let Some(enumeration) = &fields[fields.len() - 1].enumeration else {
        report(
            diags,
            file,
            &w.status,
            format!(
                "`{}` has no `enum`: a waiter needs known status values",
                w.status.value
            ),
        );
        return;
    };
    let repr = if fields[fields.len() - 1].ty.value == FieldType::Integer {
        CodeType::Integer
    } else {
        CodeType::String
    };
    let known: Vec<Code> = enumeration
        .values
        .iter()
        .filter_map(|v| Code::parse(repr, &v.value.value).ok())
        .collect();
    if known.len() != enumeration.values.len() {
        // The enum's own bad values are reported already; checking against the rest would
        // only report consequences.
        return;
    }
    let sorted = sort_values(file, w, repr, &known, enumeration, diags);
    if w.success.is_empty() {
        diags.push(
            file,
            Some(w.status.at),
            &format!("{}.success", w.path),
            "a waiter needs at least one success value",
        );
    }
    for (code, value) in known.iter().zip(&enumeration.values) {
        if !sorted.contains_key(code) {
            report(
                diags,
                file,
                &w.status,
                format!(
                    "{code} ({}) of {} is not listed as pending, success or failure",
                    value.name.value, enumeration.name.value
                ),
            );
        }
    }
}

/// The waiter's status values by the group they are listed in; each must parse as the
/// status type, be a value of the enum, and be listed once.
fn sort_values(
    file: &str,
    w: &WaiterSpec,
    repr: CodeType,
    known: &[Code],
    enumeration: &EnumSpec,
    diags: &mut Diagnostics,
) -> BTreeMap<Code, &'static str> {
    let mut sorted: BTreeMap<Code, &str> = BTreeMap::new();
    for (group, values) in [
        ("pending", &w.pending),
        ("success", &w.success),
        ("failure", &w.failure),
    ] {
        for value in values {
            match Code::parse(repr, &value.value) {
                Err(msg) => report(diags, file, value, msg),
                Ok(code) if !known.contains(&code) => report(
                    diags,
                    file,
                    value,
                    format!("{code} is not a value of {}", enumeration.name.value),
                ),
                Ok(code) => {
                    if let Some(first) = sorted.insert(code.clone(), group) {
                        report(
                            diags,
                            file,
                            value,
                            format!("{code} is already listed as {first}"),
                        );
                    }
                }
            }
        }
    }
    sorted
}

/// Delays must be ordered, and the shortest must keep within the endpoint's rate limit.
fn validate_wait_delays(e: &EndpointSpec, w: &WaiterSpec, diags: &mut Diagnostics) {
    let file = e.file.as_str();
    for delay in [&w.min_delay, &w.max_delay, &w.max_wait] {
        if delay.value <= 0.0 || delay.value > 86_400.0 {
            report(
                diags,
                file,
                delay,
                "expected seconds above 0 and at most 86400",
            );
        }
    }
    if w.max_delay.value < w.min_delay.value {
        report(diags, file, &w.max_delay, "max_delay is below min_delay");
    }
    if let Some(rate) = &e.rate_limit {
        let floor = [
            rate.per_minute.map(|n| 60.0 / f64::from(n.max(1))),
            rate.per_second.map(|n| 1.0 / f64::from(n.max(1))),
        ]
        .into_iter()
        .flatten()
        .fold(0.0, f64::max);
        if w.min_delay.value < floor {
            report(
                diags,
                file,
                &w.min_delay,
                format!(
                    "polling every {}s would exceed the rate limit: at least {floor}s",
                    w.min_delay.value
                ),
            );
        }
    }
}
