//! `pagination:` is validated like every other key: each mistake is one error, located at
//! the value that is wrong, and a valid list generates its page and item streams.

mod common;

use common::{Workspace, file};

const LIST: &str = "feishu/endpoints/drive_file_list.yaml";

/// The errors after edits of a fresh copy of the real specs, with the line of each edit.
fn errors_after(edits: &[(&str, &str)]) -> (Vec<usize>, Vec<String>) {
    let ws = Workspace::new();
    let lines = edits
        .iter()
        .map(|(from, to)| ws.edit(LIST, from, to))
        .collect();
    (lines, ws.errors())
}

#[test]
fn parameters_must_be_optional_query_parameters_of_the_right_type() {
    let (lines, errors) = errors_after(&[
        ("  token: page_token", "  token: page_tokn"),
        ("  size: page_size", "  size: folder_token"),
        ("  max_size: 200", "  max_size: 0"),
    ]);
    assert_eq!(
        errors,
        [
            format!(
                "{}:{}:10: pagination.token: `page_tokn` is not a parameter of this endpoint",
                file(LIST),
                lines[0]
            ),
            format!(
                "{}:{}:9: pagination.size: `folder_token` must be an optional query parameter of type integer",
                file(LIST),
                lines[1]
            ),
            format!(
                "{}:{}:13: pagination.max_size: a page holds at least one item",
                file(LIST),
                lines[2]
            ),
        ]
    );
}

#[test]
fn reply_fields_must_be_at_the_top_of_the_reply_with_the_right_types() {
    let (lines, errors) = errors_after(&[
        ("  next_token: next_page_token", "  next_token: has_more"),
        ("  has_more: has_more", "  has_more: files.name"),
        ("  items: files", "  items: filez"),
    ]);
    assert_eq!(
        errors,
        [
            format!(
                "{}:{}:15: pagination.next_token: `has_more` is boolean, expected string",
                file(LIST),
                lines[0]
            ),
            format!(
                "{}:{}:13: pagination.has_more: must be a field at the top of the reply",
                file(LIST),
                lines[1]
            ),
            format!(
                "{}:{}:10: pagination.items: `filez`: `FileList` has no field `filez`",
                file(LIST),
                lines[2]
            ),
        ]
    );
}

#[test]
fn a_list_that_creates_something_is_refused() {
    let ws = Workspace::new();
    ws.edit(LIST, "method: GET", "method: POST");
    let text = ws.read(LIST);
    let token_line = text[..text.find("  token: page_token").unwrap()]
        .lines()
        .count()
        + 1;
    assert_eq!(
        ws.errors(),
        [format!(
            "{}:{token_line}:10: pagination.token: a paginated endpoint sends one request per page, so it must be idempotent (a GET, or `idempotent: true`)",
            file(LIST),
        )]
    );
}

#[test]
fn a_setter_named_like_a_list_method_is_refused() {
    let (lines, errors) = errors_after(&[("  - name: direction\n", "  - name: items\n")]);
    assert_eq!(
        errors,
        [format!(
            "{}:{}:11: params[4].name: the setter `items` collides with the list method of that name",
            file(LIST),
            lines[0]
        )]
    );
}
