//! When a spec's text says what the page's does: the equality of the comparison, which
//! `write_into` follows too (it writes what the comparison finds different).

/// Text as compared: `<br>` (a line break inside a table cell) and runs of white space are
/// one space.
fn norm(s: &str) -> String {
    s.replace("<br>", " ")
        .split_whitespace()
        .collect::<Vec<_>>()
        .join(" ")
}

/// Equal as the comparison counts it: white space as [`norm`] counts it; a spec's trailing
/// ` (English gloss)` on a page text is allowed; examples (`json`) equal as JSON.
pub(crate) fn same(spec: &str, page: &str, json: bool) -> bool {
    if json {
        let parse = |t: &str| serde_json::from_str::<serde_json::Value>(t).ok();
        if let (Some(a), Some(b)) = (parse(spec), parse(page)) {
            return a == b;
        }
    }
    let (spec, page) = (norm(spec), norm(page));
    spec == page
        || (!page.is_empty()
            && spec.ends_with(')')
            && spec
                .rfind(" (")
                .is_some_and(|at| spec.get(..at).is_some_and(|s| s == page)))
}

/// Whether a spec's text starts with the page's (white space as [`same`] counts it): a
/// spec's description may go on after the page's intro (an alert, a limit the page states
/// elsewhere).
pub(crate) fn extends(spec: &str, page: &str) -> bool {
    let page = norm(page);
    !page.is_empty() && norm(spec).starts_with(&page)
}
