//! The draft's `body:`: JSON, or a multipart form when a field is a file (the first file field
//! is the form's file part), with the page's request example. A GET page that lists body
//! fields gets a `TODO` instead, the fields shown in a comment.

use super::fields::{Place, field};
use super::json::Json;
use super::kind::{Kind, kind};
use super::names::TypeNames;
use super::yaml_out::{Entry, Item, Y, with_newline};
use docread::{Facts, Field};

/// The body of a `method` request, `None` when the page lists no body fields.
pub(super) fn body(facts: &Facts, method: &str, names: &mut TypeNames) -> Option<Entry> {
    if facts.body.is_empty() {
        return None;
    }
    if method == "GET" {
        let mut lines = vec![
            "TODO: the page lists body fields for a GET request, which sends no body;".into(),
            "they are left out (are they query parameters?):".into(),
        ];
        outline(&facts.body, 1, &mut lines);
        // Kept where a person will see it, on the response that follows.
        return Some(
            Entry::raw(
                "body",
                "TODO a GET request has no body (see the comment above)",
            )
            .with_comments(lines),
        );
    }
    let files: Vec<&Field> = facts
        .body
        .iter()
        .filter(|f| kind(f) == Kind::File)
        .collect();
    let multipart = !files.is_empty();
    let name = names.of_operation(&["Body", "RequestBody"]);
    let mut e = vec![
        Entry::str("content", if multipart { "multipart" } else { "json" }),
        Entry::str("name", &name),
        Entry::str(
            "description",
            if multipart {
                "The multipart form."
            } else {
                "The JSON body."
            },
        ),
    ];
    let fields: Vec<Item> = facts
        .body
        .iter()
        .filter(|f| kind(f) != Kind::File)
        .map(|f| field(f, &name, Place::Body, &[], names))
        .collect();
    e.push(Entry::new("fields", Y::Seq(fields)));
    if let Some(file) = files.first() {
        let mut part = vec![Entry::str("name", &file.name)];
        if !file.description.is_empty() {
            part.push(Entry::str("description", &file.description));
        }
        let mut comments = Vec::new();
        for extra in files.iter().skip(1) {
            comments.push(format!(
                "TODO: the page has a second file part, `{}`; a form has one: left out.",
                extra.name
            ));
        }
        e.push(Entry::new("file", Y::Map(part)).with_comments(comments));
    }
    if !multipart && let Some(example) = &facts.request_example {
        if Json::parse(&example.value).is_some() {
            e.push(Entry::str("example", with_newline(&example.value)));
        } else {
            let mut lines = vec!["The page's request example is not valid JSON; left out:".into()];
            lines.extend(example.value.lines().map(|l| format!("  {l}")));
            if let Some(last) = e.last_mut() {
                last.comments.extend(lines);
            }
        }
    }
    Some(Entry::new("body", Y::Map(e)))
}

/// Nested field rows as indented comment lines (`name (type): description`).
fn outline(fields: &[Field], depth: usize, lines: &mut Vec<String>) {
    for f in fields {
        let mut line = format!("{}- {} ({})", "  ".repeat(depth), f.name, f.ty.trim());
        if f.required == Some(true) {
            line.push_str(", required");
        }
        if !f.description.is_empty() {
            line.push_str(": ");
            line.push_str(&f.description);
        }
        lines.push(line);
        outline(&f.children, depth + 1, lines);
    }
}
