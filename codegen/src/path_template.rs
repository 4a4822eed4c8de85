//! Path templates (`/open-apis/drive/v1/export_tasks/{ticket}`), split once, when a spec is
//! decoded, into literal runs and `{name}` slots. Validation checks the slots against the
//! parameters, and the model turns them into parameter indexes, from the same parts.

use crate::naming;

/// A path template as written, with its parts.
#[derive(Debug, Clone, PartialEq)]
pub struct PathTemplate {
    pub text: String,
    /// The parts in order, or why the template is malformed. Kept rather than reported while
    /// decoding: a file with a decoding problem yields no spec, and one bad path should not
    /// hide the rest of its file's problems; validation reports it.
    pub parts: Result<Vec<TemplatePart>, String>,
}

#[derive(Debug, Clone, PartialEq)]
pub enum TemplatePart {
    /// Sent as is, e.g. `/open-apis/drive/v1/export_tasks/`.
    Literal(String),
    /// A `{name}` slot: a whole path segment, filled by the path parameter `name`.
    Param(String),
}

impl PathTemplate {
    pub fn parse(text: String) -> PathTemplate {
        let parts = split(&text);
        PathTemplate { text, parts }
    }

    /// The names of the `{name}` slots, in order; none when the template is malformed.
    pub fn params(&self) -> impl Iterator<Item = &str> {
        let parts = self.parts.as_deref().unwrap_or_default();
        parts.iter().filter_map(|part| match part {
            TemplatePart::Param(name) => Some(name.as_str()),
            TemplatePart::Literal(_) => None,
        })
    }
}

fn split(template: &str) -> Result<Vec<TemplatePart>, String> {
    if !template.starts_with('/') {
        return Err("a path starts with `/`".into());
    }
    if template.contains(['?', '#', ' ']) {
        return Err(
            "a path holds no query, fragment or spaces: declare query parameters with `in: query`"
                .into(),
        );
    }
    let mut parts = Vec::new();
    let mut names: Vec<&str> = Vec::new();
    let mut rest = template;
    while let Some(open) = rest.find(['{', '}']) {
        if rest.as_bytes()[open] == b'}' {
            return Err("unbalanced `}` in path".into());
        }
        let after = &rest[open + 1..];
        let close = after.find('}').ok_or("unclosed `{` in path")?;
        let name = &after[..close];
        if !naming::is_wire_name(name) {
            return Err(format!("`{{{name}}}` is not a parameter name"));
        }
        if names.contains(&name) {
            return Err(format!("`{{{name}}}` appears twice in the path"));
        }
        if !(rest[..open].ends_with('/')
            && (after[close + 1..].is_empty() || after[close + 1..].starts_with('/')))
        {
            return Err(format!("`{{{name}}}` must be a whole path segment"));
        }
        parts.push(TemplatePart::Literal(rest[..open].to_owned()));
        parts.push(TemplatePart::Param(name.to_owned()));
        names.push(name);
        rest = &after[close + 1..];
    }
    if !rest.is_empty() {
        parts.push(TemplatePart::Literal(rest.to_owned()));
    }
    Ok(parts)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn parts(template: &str) -> Result<Vec<TemplatePart>, String> {
        PathTemplate::parse(template.to_owned()).parts
    }

    #[test]
    fn splits_into_literals_and_whole_segment_slots() {
        use TemplatePart::{Literal, Param};
        assert_eq!(
            parts("/v2.0/doc/task/info/{taskId}"),
            Ok(vec![
                Literal("/v2.0/doc/task/info/".into()),
                Param("taskId".into())
            ])
        );
        assert_eq!(
            parts("/a/{x}/b/{y}/c"),
            Ok(vec![
                Literal("/a/".into()),
                Param("x".into()),
                Literal("/b/".into()),
                Param("y".into()),
                Literal("/c".into()),
            ])
        );
        assert_eq!(parts("/plain"), Ok(vec![Literal("/plain".into())]));
    }

    #[test]
    fn malformed_templates_say_why() {
        assert_eq!(parts("a/{x}"), Err("a path starts with `/`".into()));
        assert_eq!(parts("/a/{x"), Err("unclosed `{` in path".into()));
        assert_eq!(parts("/a/x}"), Err("unbalanced `}` in path".into()));
        assert_eq!(
            parts("/a/{x}/{x}"),
            Err("`{x}` appears twice in the path".into())
        );
        assert_eq!(
            parts("/a/v{x}"),
            Err("`{x}` must be a whole path segment".into())
        );
        assert_eq!(
            parts("/a/{1x}"),
            Err("`{1x}` is not a parameter name".into())
        );
        assert_eq!(PathTemplate::parse("/a/{x".into()).params().count(), 0);
    }
}
