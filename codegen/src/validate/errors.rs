//! Error tables (an endpoint's `errors`, a provider's `common_errors`): codes, statuses and
//! the variant names they become.

use super::report::report;
use crate::diag::Diagnostics;
use crate::naming;
use crate::reserved;
use crate::spec::{Code, ErrorSpec, ProviderSpec};
use std::collections::BTreeMap;

/// Checks an error table: codes of the provider's type, unique (and not shadowing a common
/// code), names derivable from the message or given, unique, and not reserved.
pub(super) fn validate_errors(
    p: &ProviderSpec,
    errors: &[ErrorSpec],
    common_codes: &BTreeMap<String, &ErrorSpec>,
    file: &str,
    diags: &mut Diagnostics,
) {
    let mut codes: BTreeMap<String, &str> = BTreeMap::new();
    let mut names: BTreeMap<String, &ErrorSpec> = BTreeMap::new();
    for err in errors {
        validate_code(p, err, common_codes, &mut codes, file, diags);
        // A table's entry is checked where provider.yaml declares it; here it only takes
        // its code and variant name, which the endpoint's own entries must not repeat.
        let mut checked_there = Diagnostics::default();
        let own = if err.from_table {
            &mut checked_there
        } else {
            &mut *diags
        };
        validate_hint_and_status(err, file, own);
        // Without a name there is nothing to claim: the problem is reported already.
        if let Some(name) = variant_name(err, file, own) {
            claim_variant(err, name, &mut names, file, diags);
        }
    }
}

/// An error's code: of the provider's code type, not listed before in this table (`codes`,
/// by where it was first), and not one of the provider's common codes.
fn validate_code<'e>(
    p: &ProviderSpec,
    err: &'e ErrorSpec,
    common_codes: &BTreeMap<String, &ErrorSpec>,
    codes: &mut BTreeMap<String, &'e str>,
    file: &str,
    diags: &mut Diagnostics,
) {
    match Code::parse(p.envelope.code_type, &err.code.value) {
        Err(msg) => report(diags, file, &err.code, msg),
        Ok(code) => {
            let key = code.to_string();
            if let Some(first) = codes.get(&key) {
                report(
                    diags,
                    file,
                    &err.code,
                    format!("duplicate code {key} (first at {first})"),
                );
            } else if common_codes.contains_key(&key) {
                report(
                    diags,
                    file,
                    &err.code,
                    format!(
                        "code {key} is one of the provider's common codes; list it only in provider.yaml"
                    ),
                );
            }
            codes.entry(key).or_insert(&err.code.path);
        }
    }
}

/// A `source` goes with a `hint`; an HTTP status is one, and a 5xx says whether retrying
/// helps.
fn validate_hint_and_status(err: &ErrorSpec, file: &str, diags: &mut Diagnostics) {
    if let Some(source) = &err.source
        && err.hint.is_empty()
    {
        report(
            diags,
            file,
            source,
            "`source` says where the `hint` comes from, and this error has no `hint`",
        );
    }
    if let Some(status) = &err.http_status
        && !(100..=599).contains(&status.value)
    {
        report(
            diags,
            file,
            status,
            "expected an HTTP status from 100 to 599",
        );
    }
    // A 5xx is most often a passing fault, but some providers answer lasting conditions
    // (a missing document) with one too: the spec decides, and cannot forget to.
    if let Some(status) = &err.http_status
        && status.value >= 500
        && !err.retryable_stated
    {
        report(
            diags,
            file,
            status,
            "a 5xx code must say whether trying again can help: add `retryable: true` (a passing fault) or `retryable: false` (an answer that will not change)",
        );
    }
}

/// The variant name an error becomes: given (and UpperCamelCase), or derived from its
/// message; `None`, reported, when it has neither.
fn variant_name(err: &ErrorSpec, file: &str, diags: &mut Diagnostics) -> Option<String> {
    match &err.name {
        Some(name) => {
            if !naming::is_upper_camel(&name.value) {
                report(diags, file, name, "must be an UpperCamelCase variant name");
                return None;
            }
            Some(name.value.clone())
        }
        None => match naming::error_variant_from_message(&err.message.value) {
            Some(name) => Some(name),
            None => {
                report(
                    diags,
                    file,
                    &err.message,
                    format!(
                        "cannot derive a variant name from message {:?}; add `name:` to this error",
                        err.message.value
                    ),
                );
                None
            }
        },
    }
}

/// Claims an error's variant name in the table: not reserved by the generator, and not
/// taken by another error of the table (`names`).
fn claim_variant<'e>(
    err: &'e ErrorSpec,
    name: String,
    names: &mut BTreeMap<String, &'e ErrorSpec>,
    file: &str,
    diags: &mut Diagnostics,
) {
    let (at, path) = match &err.name {
        Some(n) => (n.at, n.path.clone()),
        None => (err.code.at, err.code.path.clone()),
    };
    if reserved::ERROR_VARIANTS.contains(&name.as_str()) {
        diags.push(
            file,
            Some(at),
            &path,
            format!("`{name}` is reserved by the generator; give this error another `name:`"),
        );
    } else if let Some(first) = names.get(&name) {
        diags.push(
            file,
            Some(at),
            &path,
            format!(
                "variant name `{name}` (from message {:?}) collides with {} (code {}); give one of them an explicit `name:`",
                err.message.value, first.path, first.code.value.text
            ),
        );
    } else {
        names.insert(name, err);
    }
}
