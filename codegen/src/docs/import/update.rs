//! A page imported for an endpoint that already has a spec: the differences, and an update in
//! place that keeps what a person wrote.

use super::yaml_out;
use super::{ImportRequest, draft};
use crate::spec::ProviderSpec;
use crate::yaml::{self, Node, Value};

/// Where the page (as drafted) and an existing spec disagree, one message per fact, in the
/// draft's order, then what only the spec has. Only facts a page states are compared:
/// title, description, `doc`/`url`/`updated`, method, path, token kinds, app types, scopes,
/// rate limit, parameters, body and reply fields (type, items, required, max_length,
/// example, description; enum values by value, a spec's ` (English gloss)` after the page's
/// text allowed), the examples (as JSON) and the errors (`http_status`, `message`, `hint`).
/// Summaries, type and variant names, waiters, `retryable`, chains and comments are the
/// spec's own and never compared; nor are a reply field's `required`, an authored hint, or
/// facts the spec's `overrides:` name (`errors.1061045`, `body.type.required`), nor a spec
/// `description` that starts with the page's intro and goes on. A fact the page
/// leaves out is no difference: a parameter, field, enum value, scope or error code only
/// the spec has is reported only where the page lists others of its kind beside it (reply
/// fields read from a page's example, not a table, are never taken as the full list).
pub fn differences(
    request: &ImportRequest<'_>,
    existing_spec_text: &str,
    provider: &ProviderSpec,
) -> Vec<String> {
    let draft_text = match draft(request, provider) {
        Ok(t) => t,
        Err(e) => return vec![format!("no draft to compare: {e}")],
    };
    let page = match yaml::parse(&draft_text) {
        Ok(Some(n)) => n,
        _ => return vec!["internal error: the draft does not parse".into()],
    };
    let spec = match yaml::parse(existing_spec_text) {
        Ok(Some(n)) => n,
        Ok(None) => return vec!["the existing spec is empty".into()],
        Err(e) => {
            return vec![format!(
                "the existing spec is not valid YAML (line {}: {})",
                e.at.line, e.message
            )];
        }
    };
    let overrides: Vec<String> = seq(get(&spec, "overrides"))
        .iter()
        .filter_map(|o| text(get(o, "fact")).map(str::to_owned))
        .collect();
    let overridden = |name: &str| {
        overrides.iter().any(|o| {
            name == o
                || name
                    .strip_prefix(o.as_str())
                    .is_some_and(|r| r.starts_with(['.', '=']))
        })
    };
    let page_facts_read = docread::read(request.page_text).facts;
    // Reply fields from an example are not the page's full list.
    let reply_table = !page_facts_read.response.is_empty();
    // A made-up example (a download's) is no page fact.
    let reply_example = page_facts_read.reply_example.is_some();
    let page_facts = facts(&page);
    let spec_facts = facts(&spec);
    let find = |facts: &[Fact], key: &str, attr: Option<&str>| -> Option<usize> {
        facts
            .iter()
            .position(|f| f.key == key && f.attr.as_deref() == attr)
    };
    let mut out = Vec::new();
    for f in &page_facts {
        let name = f.name();
        if f.value.starts_with("TODO") || overridden(&name) || (name == "example" && !reply_example)
        {
            continue;
        }
        // An attribute of an entity the spec lacks is in that entity's message.
        if f.attr.is_some() && find(&spec_facts, &f.key, None).is_none() && f.entity_key() {
            continue;
        }
        match find(&spec_facts, &f.key, f.attr.as_deref()).map(|i| &spec_facts[i]) {
            Some(s) if f.value.is_empty() || same(&s.value, &f.value, f.json) => {}
            // A spec may go on after the page's intro (an alert, a limit the page states
            // elsewhere); only a different intro is a difference.
            Some(s) if name == "description" && extends(&s.value, &f.value) => {}
            Some(s) => out.push(changed(&name, &s.value, &f.value, f.json)),
            None if f.entity => out.push(format!(
                "{name}: on the page{}, not in the spec",
                shown(&f.value)
            )),
            None => out.push(format!(
                "{name}: the page gives{}, the spec has none",
                shown(&f.value)
            )),
        }
    }
    for s in spec_facts.iter().filter(|s| s.entity) {
        let name = s.name();
        let (parent, kind) = s.parent();
        let siblings_on_page = page_facts
            .iter()
            .any(|f| f.entity && f.parent() == (parent, kind));
        let parent_on_page =
            !parent.contains(['.', '=']) || find(&page_facts, parent, None).is_some();
        let from_example = !reply_table && s.key.starts_with("response.") && kind == '.';
        if siblings_on_page
            && parent_on_page
            && !from_example
            && !overridden(&name)
            && find(&page_facts, &s.key, None).is_none()
        {
            out.push(format!("{name}: in the spec, not on the page"));
        }
    }
    out
}

fn shown(value: &str) -> String {
    if value.is_empty() {
        String::new()
    } else if value.contains('\n') {
        format!(":\n{}", indent(value))
    } else {
        format!(" ({value})")
    }
}

fn indent(text: &str) -> String {
    text.lines()
        .map(|l| format!("    {l}"))
        .collect::<Vec<_>>()
        .join("\n")
}

fn changed(key: &str, spec: &str, page: &str, json: bool) -> String {
    if json || spec.contains('\n') || page.contains('\n') {
        let (spec, page) = if json {
            (pretty(spec), pretty(page))
        } else {
            (spec.to_owned(), page.to_owned())
        };
        let diff = similar::TextDiff::from_lines(&spec, &page)
            .unified_diff()
            .context_radius(2)
            .header("spec", "page")
            .to_string();
        format!("{key}: differs\n{}", indent(diff.trim_end()))
    } else {
        format!("{key}: the spec has {spec:?}, the page {page:?}")
    }
}

fn pretty(json: &str) -> String {
    serde_json::from_str::<serde_json::Value>(json)
        .ok()
        .and_then(|v| serde_json::to_string_pretty(&v).ok())
        .map_or_else(|| json.to_owned(), |t| t + "\n")
}

/// Equal as the docs check compares text: `<br>` and runs of white space are one space; a
/// spec's trailing ` (English gloss)` on a page text is allowed; examples equal as JSON.
fn same(spec: &str, page: &str, json: bool) -> bool {
    if json {
        let parse = |t: &str| serde_json::from_str::<serde_json::Value>(t).ok();
        if let (Some(a), Some(b)) = (parse(spec), parse(page)) {
            return a == b;
        }
    }
    let norm = |s: &str| -> String {
        s.replace("<br>", " ")
            .split_whitespace()
            .collect::<Vec<_>>()
            .join(" ")
    };
    let (spec, page) = (norm(spec), norm(page));
    spec == page
        || (!page.is_empty()
            && spec.ends_with(')')
            && spec
                .rfind(" (")
                .is_some_and(|at| spec.get(..at).is_some_and(|s| s == page)))
}

/// Whether a spec's text starts with the page's (white space as [`same`] counts it).
fn extends(spec: &str, page: &str) -> bool {
    let norm = |s: &str| -> String {
        s.replace("<br>", " ")
            .split_whitespace()
            .collect::<Vec<_>>()
            .join(" ")
    };
    let page = norm(page);
    !page.is_empty() && norm(spec).starts_with(&page)
}

/// One fact of a spec or draft: the entity it is about (`params.token`, `errors.1069901`,
/// `response.result.job_status=0`, `title`) and which of its attributes (`type`), if any.
struct Fact {
    key: String,
    attr: Option<String>,
    value: String,
    /// A parameter, field, enum value, scope, token kind, app type or error code.
    entity: bool,
    json: bool,
}

impl Fact {
    /// As the docs check and `overrides:` name it: `params.token.type`.
    fn name(&self) -> String {
        match &self.attr {
            Some(a) => format!("{}.{a}", self.key),
            None => self.key.clone(),
        }
    }

    /// The enclosing entity and how this one hangs from it (`.` a member, `=` an enum value).
    fn parent(&self) -> (&str, char) {
        match self.key.rfind(['.', '=']) {
            Some(at) => (
                &self.key[..at],
                self.key[at..].chars().next().unwrap_or('.'),
            ),
            None => ("", '.'),
        }
    }

    /// Whether `key` names an entity (not a top-level scalar such as `rate_limit`).
    fn entity_key(&self) -> bool {
        self.key.contains(['.', '='])
    }
}

#[derive(Default)]
struct Facts(Vec<Fact>);

impl Facts {
    fn entity(&mut self, key: String, value: &str) {
        self.0.push(Fact {
            key,
            attr: None,
            value: value.to_owned(),
            entity: true,
            json: false,
        });
    }

    fn attr(&mut self, key: &str, attr: &str, value: &str) {
        self.0.push(Fact {
            key: key.to_owned(),
            attr: Some(attr.to_owned()),
            value: value.to_owned(),
            entity: false,
            json: false,
        });
    }

    fn top(&mut self, key: &str, value: &str, json: bool) {
        self.0.push(Fact {
            key: key.to_owned(),
            attr: None,
            value: value.to_owned(),
            entity: false,
            json,
        });
    }
}

fn facts(root: &Node) -> Vec<Fact> {
    let mut out = Facts::default();
    for &key in SCALAR_KEYS {
        if let Some(v) = text(get(root, key)) {
            out.top(key, v, false);
        }
    }
    for key in ["token_kinds", "app_types"] {
        for v in seq(get(root, key)).iter().filter_map(|n| text(Some(n))) {
            out.entity(format!("{key}.{v}"), "");
        }
    }
    for s in seq(get(root, "scopes")) {
        if let Some(name) = text(get(s, "scope")) {
            out.entity(
                format!("scopes.{name}"),
                text(get(s, "description")).unwrap_or(""),
            );
        }
    }
    if let Some(limit) = get(root, "rate_limit") {
        for unit in ["per_minute", "per_second"] {
            if let Some(v) = text(get(limit, unit)) {
                out.attr("rate_limit", unit, v);
            }
        }
    }
    for p in seq(get(root, "params")) {
        let Some(name) = text(get(p, "name")) else {
            continue;
        };
        let key = format!("params.{name}");
        out.entity(key.clone(), "");
        for attr in [
            "in",
            "type",
            "items",
            "required",
            "max_length",
            "example",
            "description",
        ] {
            if let Some(v) = text(get(p, attr)) {
                out.attr(&key, attr, v);
            }
        }
        enum_facts(p, &key, &mut out);
    }
    if let Some(body) = get(root, "body") {
        if let Some(v) = text(get(body, "content")) {
            out.attr("body", "content", v);
        }
        if let Some(v) = get(body, "file").and_then(|f| text(get(f, "name"))) {
            out.attr("body", "file", v);
        }
        field_facts(seq(get(body, "fields")), "body", true, &mut out);
    }
    if let Some(response) = get(root, "response") {
        if let Some(v) = text(get(response, "content")) {
            out.attr("response", "content", v);
        }
        field_facts(seq(get(response, "fields")), "response", false, &mut out);
    }
    for e in seq(get(root, "errors")) {
        let Some(code) = text(get(e, "code")) else {
            continue;
        };
        let key = format!("errors.{code}");
        out.entity(key.clone(), "");
        for attr in ["http_status", "message"] {
            if let Some(v) = text(get(e, attr)) {
                out.attr(&key, attr, v);
            }
        }
        // An authored hint is the project's, not the page's.
        if get(e, "source").is_none()
            && let Some(v) = text(get(e, "hint"))
        {
            out.attr(&key, "hint", v);
        }
    }
    if let Some(v) = get(root, "body").and_then(|b| text(get(b, "example"))) {
        out.top("body.example", v, true);
    }
    if let Some(v) = text(get(root, "example")) {
        out.top("example", v, true);
    }
    out.0
}

fn field_facts(fields: &[Node], prefix: &str, request: bool, out: &mut Facts) {
    for f in fields {
        let Some(name) = text(get(f, "name")) else {
            continue;
        };
        let key = format!("{prefix}.{name}");
        out.entity(key.clone(), "");
        let attrs: &[&str] = if request {
            &[
                "type",
                "items",
                "required",
                "max_length",
                "example",
                "description",
            ]
        } else {
            &["type", "items", "description"]
        };
        for attr in attrs {
            if let Some(v) = text(get(f, attr)) {
                out.attr(&key, attr, v);
            }
        }
        // `required` defaults to false in a request body.
        if request && get(f, "required").is_none() {
            out.attr(&key, "required", "false");
        }
        enum_facts(f, &key, out);
        if let Some(object) = get(f, "object") {
            field_facts(seq(get(object, "fields")), &key, request, out);
        }
    }
}

fn enum_facts(node: &Node, key: &str, out: &mut Facts) {
    let values = get(node, "enum").map_or(&[][..], |e| seq(get(e, "values")));
    for v in values {
        if let Some(value) = text(get(v, "value")) {
            out.entity(
                format!("{key}={value}"),
                text(get(v, "description")).unwrap_or(""),
            );
        }
    }
}

fn get<'n>(node: &'n Node, key: &str) -> Option<&'n Node> {
    match &node.value {
        Value::Map(entries) => entries.iter().find(|(k, _)| k.name == key).map(|(_, v)| v),
        _ => None,
    }
}

fn text(node: Option<&Node>) -> Option<&str> {
    match &node?.value {
        Value::Scalar { text, .. } => Some(text),
        _ => None,
    }
}

fn seq(node: Option<&Node>) -> &[Node] {
    match node.map(|n| &n.value) {
        Some(Value::Seq(items)) => items,
        _ => &[],
    }
}

// ---- write_into --------------------------------------------------------------------------

/// Top-level keys whose value `write_into` takes from the draft.
const SCALAR_KEYS: &[&str] = &[
    "title",
    "description",
    "doc",
    "url",
    "updated",
    "method",
    "path",
];

/// Where a new top-level key goes: after the last of the keys before it here that the spec has.
const ORDER: &[&str] = &[
    "id",
    "operation",
    "title",
    "summary",
    "description",
    "source",
    "doc",
    "url",
    "updated",
    "overrides",
    "method",
];

/// The existing spec with the page-derived parts of `draft` written in, everything else kept
/// line for line (comments, summaries, waiter, chains, params, body, response).
///
/// What it does:
/// - `title`, `description`, `doc`, `url`, `updated`, `method`, `path`: the draft's value
///   replaces the spec's when they differ (a key the spec lacks is added in its usual place,
///   after `description`/`source`); a value equal to the spec's leaves its lines untouched,
///   and so does a `description` that starts with the page's intro and goes on (text the
///   spec adds from the page's alerts or limits, which the reader does not take as intro).
/// - `example`: replaced by the draft's when they differ as JSON.
/// - `errors:`: rebuilt in the page's order. An error whose code, HTTP status, message and
///   hint are unchanged keeps its lines (and comments) as they are; a changed one is the
///   draft's entry with the spec's `retryable` (absent: `false`), its `name`, and the comments
///   above it carried over by code; a new code comes with `retryable: TODO`. A code the page
///   no longer lists is dropped unless an `overrides:` entry names it (`errors.<code>`).
///   The comments above `errors:` stay.
///
/// What it does not do (see [`differences`] for these): update `token_kinds`, `app_types`,
/// `scopes`, `rate_limit`, `params`, `body` or `response` (they mix page facts with a
/// person's choices: names, formats, SDK fields); remove a key the page no longer gives
/// (a page without a title, URL, error table or example leaves the spec's); keep comments on
/// the same line as a replaced value, or comments inside a replaced value's lines; carry a
/// `source: authored` hint over a hint the page now gives.
pub fn write_into(existing_spec_text: &str, draft: &str) -> Result<String, String> {
    let spec_root = match yaml::parse(existing_spec_text) {
        Ok(Some(n)) => n,
        Ok(None) => return Err("the existing spec is empty".into()),
        Err(e) => {
            return Err(format!(
                "the existing spec is not valid YAML (line {}: {})",
                e.at.line, e.message
            ));
        }
    };
    let draft_root = match yaml::parse(draft) {
        Ok(Some(n)) => n,
        _ => return Err("the draft is not valid YAML".into()),
    };
    let (spec_id, draft_id) = (text(get(&spec_root, "id")), text(get(&draft_root, "id")));
    if spec_id != draft_id {
        return Err(format!(
            "the spec is for {} and the draft for {}",
            spec_id.unwrap_or("no id"),
            draft_id.unwrap_or("no id")
        ));
    }
    let mut lines: Vec<String> = existing_spec_text.lines().map(str::to_owned).collect();
    let draft_lines: Vec<&str> = draft.lines().collect();
    let draft_blocks = blocks(&draft_lines);

    // Keys one by one, each on the current text, so line numbers are always fresh.
    for &key in SCALAR_KEYS.iter().chain(["example"].iter()) {
        let Some(new) = draft_blocks.iter().find(|b| b.key == key) else {
            continue;
        };
        let new_value = text(get(&draft_root, key)).unwrap_or("");
        let made_up = draft_lines[new.lead..new.start]
            .iter()
            .any(|l| l.contains(super::build::NO_REPLY_EXAMPLE));
        if new_value.starts_with("TODO") || made_up {
            continue;
        }
        let current_text = lines.join("\n");
        let current = yaml::parse(&current_text)
            .ok()
            .flatten()
            .ok_or("internal error: the spec stopped parsing")?;
        let old_value = text(get(&current, key));
        if old_value.is_some_and(|old| match key {
            "example" => same(old, new_value, true),
            "description" => old == new_value || extends(old, new_value),
            _ => old == new_value,
        }) {
            continue;
        }
        let new_lines: Vec<String> = draft_lines[new.start..new.end]
            .iter()
            .map(|l| (*l).to_owned())
            .collect();
        let spec_line_refs: Vec<&str> = lines.iter().map(String::as_str).collect();
        let spec_blocks = blocks(&spec_line_refs);
        match spec_blocks.iter().find(|b| b.key == key) {
            Some(old) => {
                lines.splice(old.start..old.end, new_lines);
            }
            None => {
                let at = insertion_point(&spec_blocks, key, lines.len());
                lines.splice(at..at, new_lines);
            }
        }
    }

    let errors = rebuild_errors(&lines, &draft_lines, &draft_root)?;
    if let Some((range, new_lines)) = errors {
        lines.splice(range, new_lines);
    }

    let mut out = lines.join("\n");
    out.push('\n');
    match yaml::parse(&out) {
        Ok(Some(_)) => Ok(out),
        _ => Err("internal error: the updated spec is not valid YAML; nothing written".into()),
    }
}

/// A top-level key's lines: `start..end` from its key line to its last line (the comment and
/// blank lines at column 0 after it belong to the next key); `lead` is where the comments
/// above it begin.
struct Block {
    key: String,
    lead: usize,
    start: usize,
    end: usize,
}

fn blocks(lines: &[&str]) -> Vec<Block> {
    let key_of = |l: &str| -> Option<String> {
        let (key, _) = l.split_once(':')?;
        (!key.is_empty()
            && key.chars().all(|c| c.is_ascii_alphanumeric() || c == '_')
            && key.chars().next().is_some_and(|c| c.is_ascii_alphabetic()))
        .then(|| key.to_owned())
    };
    let starts: Vec<(usize, String)> = lines
        .iter()
        .enumerate()
        .filter_map(|(i, l)| key_of(l).map(|k| (i, k)))
        .collect();
    let mut out: Vec<Block> = Vec::new();
    for (n, (start, key)) in starts.iter().enumerate() {
        let next = starts.get(n + 1).map_or(lines.len(), |(i, _)| *i);
        let mut end = next;
        while end > start + 1 {
            let l = lines.get(end - 1).copied().unwrap_or("");
            if l.trim().is_empty() || l.starts_with('#') {
                end -= 1;
            } else {
                break;
            }
        }
        let lead = out.last().map_or(0, |b| b.end);
        out.push(Block {
            key: key.clone(),
            lead,
            start: *start,
            end,
        });
    }
    out
}

fn insertion_point(spec: &[Block], key: &str, len: usize) -> usize {
    let position = ORDER.iter().position(|k| *k == key);
    let before: &[&str] = match position {
        Some(p) => ORDER.get(..p).unwrap_or(&[]),
        // `example` and `errors`: at the end.
        None => return len,
    };
    spec.iter()
        .filter(|b| before.contains(&b.key.as_str()))
        .map(|b| b.end)
        .max()
        .unwrap_or_else(|| spec.first().map_or(0, |b| b.lead))
}

/// The items of a top-level list block: for each, `lead..end` (its comments and lines) and
/// the line its item starts on.
fn items(lines: &[&str], block: &Block, list: &[Node]) -> Vec<(usize, usize, usize)> {
    let starts: Vec<usize> = list.iter().map(|n| n.at.line.saturating_sub(1)).collect();
    let mut out = Vec::new();
    let mut lead = block.start + 1;
    for (i, start) in starts.iter().enumerate() {
        let next = starts.get(i + 1).copied().unwrap_or(block.end);
        let mut end = next;
        while end > start + 1 {
            let l = lines.get(end - 1).copied().unwrap_or("").trim_start();
            if l.is_empty() || l.starts_with('#') {
                end -= 1;
            } else {
                break;
            }
        }
        out.push((lead, *start, end));
        lead = end;
    }
    out
}

/// The new lines of the spec's `errors:` block (its key line to its end), or `None` when
/// nothing is to change.
#[allow(clippy::type_complexity)]
fn rebuild_errors(
    spec_lines: &[String],
    draft_lines: &[&str],
    draft_root: &Node,
) -> Result<Option<(std::ops::Range<usize>, Vec<String>)>, String> {
    let draft_errors = seq(get(draft_root, "errors"));
    if draft_errors.is_empty() {
        return Ok(None);
    }
    let spec_text = spec_lines.join("\n");
    let spec_root = yaml::parse(&spec_text)
        .ok()
        .flatten()
        .ok_or("internal error: the spec stopped parsing")?;
    let spec_refs: Vec<&str> = spec_lines.iter().map(String::as_str).collect();
    let spec_blocks = blocks(&spec_refs);
    let draft_blocks = blocks(draft_lines);
    let Some(draft_block) = draft_blocks.iter().find(|b| b.key == "errors") else {
        return Ok(None);
    };
    let draft_items = items(draft_lines, draft_block, draft_errors);
    let spec_errors = seq(get(&spec_root, "errors"));
    let spec_block = spec_blocks.iter().find(|b| b.key == "errors");
    let spec_items = spec_block
        .map(|b| items(&spec_refs, b, spec_errors))
        .unwrap_or_default();
    // Items one to a line range, in order (a flow list `[{...}, {...}]` is not).
    let in_lines = |block: &Block, items: &[(usize, usize, usize)]| {
        items.iter().all(|(lead, start, end)| {
            block.start < *lead && lead <= start && start < end && *end <= block.end
        })
    };
    if !in_lines(draft_block, &draft_items) || spec_block.is_some_and(|b| !in_lines(b, &spec_items))
    {
        return Err("`errors:` is not a block list of one item after another: not updated".into());
    }
    let overrides: Vec<&str> = seq(get(&spec_root, "overrides"))
        .iter()
        .filter_map(|o| text(get(o, "fact")))
        .collect();

    let mut out = vec!["errors:".to_owned()];
    // Comment lines the draft's list opens with (codes left out) come before the first item.
    let first_draft = draft_items
        .first()
        .map_or(draft_block.end, |(lead, _, _)| *lead);
    out.extend(
        draft_lines[draft_block.start + 1..first_draft]
            .iter()
            .map(|l| (*l).to_owned()),
    );
    for (d, (lead, start, end)) in draft_errors.iter().zip(&draft_items) {
        let code = text(get(d, "code")).unwrap_or("");
        let old = spec_errors
            .iter()
            .zip(&spec_items)
            .find(|(s, _)| text(get(s, "code")) == Some(code));
        // The draft's own comment lines before this item (codes left out).
        let draft_comments = &draft_lines[*lead..*start];
        out.extend(draft_comments.iter().map(|l| (*l).to_owned()));
        match old {
            Some((s, (slead, sstart, send)))
                if text(get(s, "http_status")) == text(get(d, "http_status"))
                    && ["message", "hint"].iter().all(|k| {
                        let (old, new) = (text(get(s, k)), text(get(d, k)));
                        // An authored hint stands for the page's (the page gives none).
                        (*k == "hint" && new.is_none())
                            || old.zip(new).is_some_and(|(o, n)| same(o, n, false))
                    }) =>
            {
                out.extend(spec_refs[*slead..*send].iter().map(|l| (*l).to_owned()));
                let _ = sstart;
            }
            Some((s, (slead, sstart, _))) => {
                out.extend(spec_refs[*slead..*sstart].iter().map(|l| (*l).to_owned()));
                out.extend(carried(s, d, &draft_lines[*start..*end]));
            }
            None => out.extend(draft_lines[*start..*end].iter().map(|l| (*l).to_owned())),
        }
    }
    // Codes the page no longer lists, kept where an override names them.
    for (s, (slead, _, send)) in spec_errors.iter().zip(&spec_items) {
        let code = text(get(s, "code")).unwrap_or("");
        let on_page = draft_errors
            .iter()
            .any(|d| text(get(d, "code")) == Some(code));
        if !on_page && overrides.contains(&format!("errors.{code}").as_str()) {
            out.extend(spec_refs[*slead..*send].iter().map(|l| (*l).to_owned()));
        }
    }
    match spec_block {
        Some(b) => {
            let old: Vec<&str> = spec_refs[b.start..b.end].to_vec();
            if old == out.iter().map(String::as_str).collect::<Vec<_>>() {
                return Ok(None);
            }
            Ok(Some((b.start..b.end, out)))
        }
        None => Ok(Some((spec_lines.len()..spec_lines.len(), out))),
    }
}

/// A changed error: the draft's lines, with the spec's `retryable` and `name` (and its hint
/// and `source`, when the page gives no hint) in place of the draft's.
fn carried(spec: &Node, draft: &Node, draft_item: &[&str]) -> Vec<String> {
    let key_indent = draft_item
        .iter()
        .skip(1)
        .find(|l| !l.trim().is_empty())
        .map_or(4, |l| l.len() - l.trim_start().len());
    let pad = " ".repeat(key_indent);
    let retryable = text(get(spec, "retryable")).unwrap_or("false").to_owned();
    let mut out: Vec<String> = Vec::new();
    let mut named = false;
    for line in draft_item {
        let body = line.trim_start();
        let body = body.strip_prefix("- ").unwrap_or(body);
        if body.starts_with("retryable:") {
            let prefix = &line[..line.len() - line.trim_start().len()];
            let dash = if line.trim_start().starts_with("- ") {
                "- "
            } else {
                ""
            };
            out.push(format!("{prefix}{dash}retryable: {retryable}"));
            continue;
        }
        if body.starts_with("name:") {
            named = true;
            if let Some(name) = text(get(spec, "name")) {
                let prefix = &line[..line.len() - line.trim_start().len()];
                let dash = if line.trim_start().starts_with("- ") {
                    "- "
                } else {
                    ""
                };
                out.push(format!(
                    "{prefix}{dash}name: {}",
                    yaml_out::scalar(name, false)
                ));
                continue;
            }
        }
        out.push((*line).to_owned());
        if body.starts_with("code:")
            && !named
            && let Some(name) = text(get(spec, "name"))
            && get(draft, "name").is_none()
        {
            out.push(format!("{pad}name: {}", yaml_out::scalar(name, false)));
            named = true;
        }
    }
    if get(draft, "hint").is_none()
        && let Some(hint) = text(get(spec, "hint"))
    {
        out.push(format!("{pad}hint: {}", yaml_out::scalar(hint, false)));
        if let Some(source) = text(get(spec, "source")) {
            out.push(format!("{pad}source: {}", yaml_out::scalar(source, false)));
        }
    }
    out
}
