//! A waiter whose status is read in every element of an array (`task.move_result[].status`):
//! its message is read in the same elements, and the keys that read one value of the whole
//! reply (`ready_when_set`, `progress`) do not step into an array.

use super::report::report;
use crate::decode::Spanned;
use crate::diag::Diagnostics;
use crate::spec::{FieldType, ObjectSpec, WaiterSpec};

/// Reports a path of `key` that steps into an array; true when it does.
pub(super) fn refuse_each(
    file: &str,
    path: &Spanned<String>,
    key: &str,
    diags: &mut Diagnostics,
) -> bool {
    let steps = path.value.contains("[]");
    if steps {
        report(
            diags,
            file,
            path,
            format!(
                "`{key}` reads one value of the reply: only `status` and `message` step into an array's elements (`[]`)"
            ),
        );
    }
    steps
}

/// The message is read where the status is: in the elements of the same array, or both
/// outside any array; a status read in elements has no readiness field.
pub(super) fn validate_each(
    file: &str,
    response: &ObjectSpec,
    w: &WaiterSpec,
    diags: &mut Diagnostics,
) {
    let status_array = array_of(&w.status.value);
    if let (Some(array), Some(ready)) = (status_array, &w.ready_when_set) {
        report(
            diags,
            file,
            ready,
            format!(
                "the status is read in each element of `{array}`, whose own status says when it is done: no `ready_when_set`"
            ),
        );
    }
    // A status path that does not resolve is reported already; the message is checked
    // against one that does.
    let Some(message) = w
        .message
        .as_ref()
        .filter(|_| response.waiter_path(&w.status.value).is_ok())
    else {
        return;
    };
    match (status_array, array_of(&message.value)) {
        (Some(status), Some(read)) if status != read => report(
            diags,
            file,
            message,
            format!(
                "the status is read in the elements of `{status}`, so the message is too, not in `{read}`"
            ),
        ),
        (Some(status), None) => report(
            diags,
            file,
            message,
            format!(
                "the status is read in each element of `{status}`, so the message is a field of its elements (`{status}.<field>`)"
            ),
        ),
        (None, Some(_)) => report(
            diags,
            file,
            message,
            "only a status read in an array's elements (`status: items[].status`) has its message there",
        ),
        _ => match response.waiter_path(&message.value) {
            Err(msg) => report(diags, file, message, msg),
            Ok(steps) => {
                let last = steps[steps.len() - 1].field;
                if last.ty.value != FieldType::String {
                    report(
                        diags,
                        file,
                        message,
                        format!(
                            "`{}` is {}, expected string",
                            message.value,
                            last.ty.value.as_str()
                        ),
                    );
                }
            }
        },
    }
}

/// The part of a waiter path up to its `[]` step (`task.move_result[]`), if it has one.
fn array_of(path: &str) -> Option<&str> {
    path.find("[]").map(|end| &path[..end + 2])
}
