//! What a draft is made from: the page, as named and read, and the endpoint it is for. Below
//! every part of the draft, which all take it.

/// What a `retryable` the page cannot decide is written as: not a boolean, so the loader
/// refuses it (located) until a person writes `true` or `false`.
pub const TODO_RETRYABLE: &str = "TODO";

/// One page to import.
#[derive(Debug, Clone, Copy)]
pub struct ImportRequest<'a> {
    /// The page as shown to a person and written as `doc:`, e.g. `docs/feishu/x.md`.
    pub page_path: &'a str,
    pub page_text: &'a str,
    /// The provider directory (`feishu`), which the id starts with.
    pub provider: &'a str,
    /// The endpoint id, `provider.area.resource.verb`.
    pub id: &'a str,
}

impl ImportRequest<'_> {
    /// The id's resource and verb (`feishu.drive.export_task.create` -> `export_task`,
    /// `create`), or why the id is not `provider.area.resource.verb`.
    pub(crate) fn resource_and_verb(&self) -> Result<(&str, &str), String> {
        let (id, provider) = (self.id, self.provider);
        let segments: Vec<&str> = id.split('.').collect();
        let ok = segments.len() >= 3
            && segments.first() == Some(&provider)
            && segments.iter().all(|s| crate::naming::is_snake_ident(s));
        match (ok, segments.as_slice()) {
            (true, [.., resource, verb]) => Ok((resource, verb)),
            _ => Err(format!(
                "the id `{id}` is not `{provider}.area.resource.verb` (snake_case segments, starting with the provider)"
            )),
        }
    }
}
