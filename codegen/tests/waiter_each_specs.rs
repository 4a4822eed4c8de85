//! A waiter's status read in every element of an array (`task.move_result[].status`), and a
//! chain's fixed values (`{param: task_type, value: move}`): each mistake is one error,
//! located at the value that is wrong.

mod common;

use common::{Workspace, file};

const TASK: &str = "feishu/endpoints/wiki_task_get.yaml";
const MOVE: &str = "feishu/endpoints/wiki_space_node_move_docs_to_wiki.yaml";

/// The errors after one edit of a fresh copy of the real specs, and where the edited value
/// `value` starts (line, column).
fn errors_after(spec: &str, from: &str, to: &str, value: &str) -> (String, Vec<String>) {
    let ws = Workspace::new();
    let line = ws.edit(spec, from, to);
    (at(&ws, spec, line, value), ws.errors())
}

/// `file:line:col` of `value` on line `line` of the edited copy.
fn at(ws: &Workspace, spec: &str, line: usize, value: &str) -> String {
    let text = ws.read(spec);
    let column = text.lines().nth(line - 1).unwrap().find(value).unwrap() + 1;
    format!("{}:{line}:{column}", file(spec))
}

#[test]
fn the_real_specs_read_a_status_per_element_and_feed_a_fixed_value() {
    assert_eq!(Workspace::new().errors_or_none(), Vec::<String>::new());
}

#[test]
fn a_status_path_through_an_array_without_brackets_says_how_to_step_in() {
    let value = "task.move_result.status";
    let (at, errors) = errors_after(
        TASK,
        "status: task.move_result[].status",
        &format!("status: {value}"),
        value,
    );
    assert_eq!(
        errors,
        [format!(
            "{at}: waiter.status: `move_result` is an array, so `{value}` goes nowhere: step into its elements with `move_result[]`"
        )]
    );
}

#[test]
fn a_status_path_into_a_missing_element_field_is_located() {
    let value = "task.move_result[].state";
    let (at, errors) = errors_after(
        TASK,
        "status: task.move_result[].status",
        &format!("status: {value}"),
        value,
    );
    assert_eq!(
        errors,
        [format!(
            "{at}: waiter.status: `{value}`: `WikiMoveResult` has no field `state`"
        )]
    );
}

#[test]
fn a_status_path_that_ends_at_the_array_is_located() {
    let value = "task.move_result[]";
    let (at, errors) = errors_after(
        TASK,
        "status: task.move_result[].status",
        &format!("status: {value}"),
        value,
    );
    assert_eq!(
        errors,
        [format!(
            "{at}: waiter.status: `{value}` ends at the array: name the field of its elements, as in `{value}.status`"
        )]
    );
}

#[test]
fn brackets_on_an_object_are_located() {
    let value = "task[].move_result";
    let (at, errors) = errors_after(
        TASK,
        "status: task.move_result[].status",
        &format!("status: {value}"),
        value,
    );
    assert_eq!(
        errors,
        [format!(
            "{at}: waiter.status: `task` is object, not an array, so `task[]` steps into nothing"
        )]
    );
}

#[test]
fn a_status_path_into_an_array_of_scalars_is_located() {
    let ws = Workspace::new();
    ws.edit(
        TASK,
        "          - name: task_id\n",
        "          - name: tags\n            type: array\n            items: string\n          - name: task_id\n",
    );
    let value = "task.tags[].status";
    let line = ws.edit(
        TASK,
        "status: task.move_result[].status",
        &format!("status: {value}"),
    );
    assert_eq!(
        ws.errors(),
        [format!(
            "{}: waiter.status: `tags` is an array of string, not of objects: `[]` steps into elements that have fields",
            at(&ws, TASK, line, value)
        )]
    );
}

#[test]
fn a_message_outside_the_status_array_is_located() {
    let value = "task.task_id";
    let (at, errors) = errors_after(
        TASK,
        "message: task.move_result[].status_msg",
        &format!("message: {value}"),
        value,
    );
    assert_eq!(
        errors,
        [format!(
            "{at}: waiter.message: the status is read in each element of `task.move_result[]`, so the message is a field of its elements (`task.move_result[].<field>`)"
        )]
    );
}

#[test]
fn a_message_that_is_not_text_is_located() {
    let value = "task.move_result[].status";
    let (at, errors) = errors_after(
        TASK,
        "message: task.move_result[].status_msg",
        &format!("message: {value}"),
        value,
    );
    assert_eq!(
        errors,
        [format!(
            "{at}: waiter.message: `{value}` is integer, expected string"
        )]
    );
}

#[test]
fn progress_into_an_array_is_located() {
    let ws = Workspace::new();
    let value = "task.move_result[].status";
    ws.edit(
        TASK,
        "  unknown: pending\n",
        &format!("  unknown: pending\n  progress:\n    done: {value}\n    total: {value}\n"),
    );
    let line = |key: &str| {
        let text = ws.read(TASK);
        text.lines()
            .position(|l| l.starts_with(&format!("    {key}: ")))
            .unwrap()
            + 1
    };
    let refused = "reads one value of the reply: only `status` and `message` step into an array's elements (`[]`)";
    assert_eq!(
        ws.errors(),
        [
            format!(
                "{}: waiter.progress.done: `progress` {refused}",
                at(&ws, TASK, line("done"), value)
            ),
            format!(
                "{}: waiter.progress.total: `progress` {refused}",
                at(&ws, TASK, line("total"), value)
            ),
        ]
    );
}

#[test]
fn a_fixed_value_not_of_the_parameter_s_enum_is_located() {
    let (at, errors) = errors_after(
        MOVE,
        "- {param: task_type, value: move}",
        "- {param: task_type, value: copy}",
        "copy",
    );
    assert_eq!(
        errors,
        [format!(
            "{at}: starts.params[1].value: copy is not a value of WikiTaskType (`task_type`)"
        )]
    );
}

#[test]
fn a_feed_with_a_value_and_a_reply_field_is_located() {
    let (at, errors) = errors_after(
        MOVE,
        "- {param: task_type, value: move}",
        "- {param: task_type, value: move, reply: task_id}",
        "{param",
    );
    assert_eq!(
        errors,
        [format!(
            "{at}: starts.params[1]: expected exactly one of `reply` (a reply field), `request` (a request parameter) or `value` (a fixed value)"
        )]
    );
}
