//! Masking credentials in text that ends up in errors: excerpts of reply bodies, the
//! provider's messages, decoder explanations.
//!
//! Two rules, applied before the text is stored in an error (so `Display`, `Debug`, logs
//! and the CLI never see the value):
//! - every credential the call knows (the token it sent, the app secret it posted) is
//!   replaced wherever it occurs, whatever the surrounding format (HTML, plain text, JSON);
//! - in JSON-looking text, every value under a key named like a credential (`token`,
//!   `secret`, `password`, ...) is replaced, so a token the client has not learnt yet (a
//!   fresh token in an off-spec token reply) or one echoed back under another name never
//!   shows. The scan copes with cut or invalid JSON: a string cut short is masked to its end.

/// What replaces a masked value.
pub(crate) const MASK: &str = "<redacted>";

/// Parts of key names that mark a credential (compared lowercase, `_` and `-` removed).
/// Document and file tokens match too: an excerpt loses little by hiding them.
const SENSITIVE_KEY_PARTS: &[&str] = &[
    "token",
    "secret",
    "password",
    "passwd",
    "credential",
    "authorization",
    "cookie",
    "signature",
];

/// `text` with every known credential and every JSON value under a credential-like key
/// replaced by [`MASK`].
pub(crate) fn redact(text: &str, known: &[&str]) -> String {
    let mut text = text.to_owned();
    for secret in known.iter().filter(|s| !s.is_empty()) {
        if text.contains(secret) {
            text = text.replace(secret, MASK);
        }
    }
    mask_sensitive_values(&text)
}

fn is_sensitive_key(key: &str) -> bool {
    let folded: String = key
        .chars()
        .filter(|c| *c != '_' && *c != '-')
        .flat_map(char::to_lowercase)
        .collect();
    SENSITIVE_KEY_PARTS.iter().any(|part| folded.contains(part))
}

/// Walks the text as JSON tokens: a string followed by `:` is a key; the value after a
/// sensitive key is replaced (a string's content, or a bare scalar such as a number).
fn mask_sensitive_values(text: &str) -> String {
    let mut out = String::with_capacity(text.len());
    let mut rest = text;
    while let Some(quote) = rest.find('"') {
        out.push_str(&rest[..=quote]);
        rest = &rest[quote + 1..];
        let (key, after) = split_string(rest);
        out.push_str(key);
        let Some(after) = after else {
            rest = "";
            break;
        };
        out.push('"');
        rest = after;
        let Some(after_colon) = rest.trim_start().strip_prefix(':') else {
            continue;
        };
        if !is_sensitive_key(key) {
            continue;
        }
        // Keep the `":` and the spacing; replace what follows.
        let value_start = rest.len() - after_colon.trim_start().len();
        out.push_str(&rest[..value_start]);
        rest = &rest[value_start..];
        if let Some(string) = rest.strip_prefix('"') {
            out.push('"');
            out.push_str(MASK);
            match split_string(string) {
                (_, Some(after)) => {
                    out.push('"');
                    rest = after;
                }
                (_, None) => rest = "",
            }
        } else {
            let end = rest
                .find(|c: char| matches!(c, ',' | '}' | ']' | '"') || c.is_whitespace())
                .unwrap_or(rest.len());
            if end > 0 && !rest.starts_with(['{', '[']) {
                out.push_str(MASK);
                rest = &rest[end..];
            }
        }
    }
    out.push_str(rest);
    out
}

/// Splits the inside of a JSON string (just after its opening quote) into its content and
/// what follows its closing quote; `None` when the string is cut short.
fn split_string(text: &str) -> (&str, Option<&str>) {
    let mut escaped = false;
    for (i, c) in text.char_indices() {
        match c {
            _ if escaped => escaped = false,
            '\\' => escaped = true,
            '"' => return (&text[..i], Some(&text[i + 1..])),
            _ => {}
        }
    }
    (text, None)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn known_credentials_are_masked_anywhere() {
        let text = "<html>bad token t-abc123 for app, secret s3cr3t</html>";
        assert_eq!(
            redact(text, &["t-abc123", "s3cr3t", ""]),
            "<html>bad token <redacted> for app, secret <redacted></html>"
        );
    }

    #[test]
    fn values_under_credential_keys_are_masked() {
        let body = r#"{"code":0,"tenant_access_token":"t-fresh","expire":"7200","appSecret": 123, "name":"ok"}"#;
        assert_eq!(
            redact(body, &[]),
            r#"{"code":0,"tenant_access_token":"<redacted>","expire":"7200","appSecret": <redacted>, "name":"ok"}"#
        );
    }

    #[test]
    fn escaped_quotes_and_cut_strings_do_not_unmask() {
        let body = r#"{"msg":"say \"token\": x","accessToken":"t-cut-sho"#;
        assert_eq!(
            redact(body, &[]),
            r#"{"msg":"say \"token\": x","accessToken":"<redacted>"#
        );
        // A key whose value is an object: its own keys are checked instead.
        let nested = r#"{"token":{"access_token":"t-1"}}"#;
        assert_eq!(
            redact(nested, &[]),
            r#"{"token":{"access_token":"<redacted>"}}"#
        );
    }

    #[test]
    fn strings_that_are_not_keys_are_kept() {
        let text = r#"["token", "secret"] and "password" alone"#;
        assert_eq!(redact(text, &[]), text);
    }
}
