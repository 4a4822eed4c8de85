//! Who may call: the page's token kinds and app types in the spec's words
//! (`tenant_access_token`, `custom`), for the draft and for finding them on the page again.

use docread::Facts;

/// A token kind as the spec names it: the page's `Tenant Access Token`, `tenant-access-token`
/// ... are `tenant_access_token`; a kind it does not know stays as written (trimmed).
pub(crate) fn token_kind(page: &str) -> String {
    let lower = page.trim().to_ascii_lowercase().replace([' ', '-'], "_");
    if lower.contains("tenant") {
        "tenant_access_token".to_owned()
    } else if lower.contains("user") {
        "user_access_token".to_owned()
    } else if lower.contains("app_access") {
        "app_access_token".to_owned()
    } else {
        page.trim().to_owned()
    }
}

/// An app type as the spec names it: 自建应用 is `custom`, 商店应用 `isv`; another stays as
/// written (trimmed).
pub(crate) fn app_type(page: &str) -> String {
    match page.trim() {
        "自建应用" | "企业自建应用" => "custom",
        "商店应用" | "应用商店应用" => "isv",
        other => other,
    }
    .to_owned()
}

/// The page's token kinds, each once, in the page's order.
pub(super) fn token_kinds(facts: &Facts) -> Vec<String> {
    distinct(facts.token_kinds.iter().map(|t| token_kind(&t.value)))
}

/// The page's app types, each once, in the page's order.
pub(super) fn app_types(facts: &Facts) -> Vec<String> {
    distinct(facts.app_types.iter().map(|t| app_type(&t.value)))
}

fn distinct(words: impl Iterator<Item = String>) -> Vec<String> {
    let mut out: Vec<String> = Vec::new();
    for word in words {
        if !word.is_empty() && !out.contains(&word) {
            out.push(word);
        }
    }
    out
}
