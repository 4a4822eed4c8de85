//! A Redis URL as shown to people: its password masked in the URL and in any error text
//! that quotes it.

/// The schemes the Redis client accepts.
const REDIS_SCHEMES: [&str; 7] = [
    "redis",
    "rediss",
    "valkey",
    "valkeys",
    "redis+unix",
    "valkey+unix",
    "unix",
];

/// Query parameters that carry a password (`redis+unix:///sock?pass=...`).
const PASSWORD_PARAMETERS: [&str; 2] = ["pass", "password"];

/// The URL to show (its passwords replaced by `***`) and the secrets masked, as written
/// and decoded, to scrub from error text. A Redis URL has the password of its authority
/// and the values of `pass` and `password` in its query masked. Anything else (text that
/// does not parse, another scheme, `user:pass@host:6379` which parses with the scheme
/// `user`) has everything up to its last `@` masked, and its query too.
pub(super) fn mask_url(url: &str) -> (String, Vec<String>) {
    let mut secrets = Vec::new();
    match url::Url::parse(url) {
        Ok(mut parsed) if REDIS_SCHEMES.contains(&parsed.scheme()) => {
            if let Some(written) = parsed.password() {
                let decoded = percent_encoding::percent_decode_str(written)
                    .decode_utf8_lossy()
                    .into_owned();
                add_secret(&mut secrets, written, decoded);
                let _ = parsed.set_password(Some("***"));
            }
            if let Some(query) = parsed.query() {
                let masked = mask_query(query, &mut secrets);
                parsed.set_query(Some(&masked));
            }
            (parsed.to_string(), secrets)
        }
        _ => {
            let (shown, query) = match url.split_once('?') {
                Some((before, query)) => (before, Some(query)),
                None => (url, None),
            };
            let mut shown = match shown.rfind('@') {
                Some(at) => {
                    // Keep a Redis scheme (a URL that did not parse), nothing else.
                    let kept = url
                        .split_once("://")
                        .filter(|(scheme, _)| {
                            REDIS_SCHEMES.contains(&scheme.to_lowercase().as_str())
                        })
                        .map_or(0, |(scheme, _)| scheme.len() + 3);
                    let hidden = &shown[kept..at];
                    add_secret(&mut secrets, hidden, decode(hidden));
                    // The part after a `:`, the password of `user:pass@`, on its own too.
                    if let Some((_, password)) = hidden.rsplit_once(':') {
                        add_secret(&mut secrets, password, decode(password));
                    }
                    format!("{}***{}", &shown[..kept], &shown[at..])
                }
                None => shown.to_owned(),
            };
            if let Some(query) = query {
                shown.push('?');
                shown.push_str(&mask_query(query, &mut secrets));
            }
            (shown, secrets)
        }
    }
}

/// `query` (as written) with the values of password parameters replaced by `***`.
fn mask_query(query: &str, secrets: &mut Vec<String>) -> String {
    query
        .split('&')
        .map(|pair| match pair.split_once('=') {
            Some((name, value)) if is_password_parameter(name) => {
                // The Redis client decodes a query as a form does (`+` is a space).
                let decoded = url::form_urlencoded::parse(format!("v={value}").as_bytes())
                    .next()
                    .map(|(_, v)| v.into_owned())
                    .unwrap_or_default();
                add_secret(secrets, value, decoded);
                format!("{name}=***")
            }
            _ => pair.to_owned(),
        })
        .collect::<Vec<_>>()
        .join("&")
}

fn is_password_parameter(name: &str) -> bool {
    let decoded = decode(name).to_lowercase();
    PASSWORD_PARAMETERS.contains(&decoded.as_str())
}

fn decode(text: &str) -> String {
    percent_encoding::percent_decode_str(text)
        .decode_utf8_lossy()
        .into_owned()
}

fn add_secret(secrets: &mut Vec<String>, written: &str, decoded: String) {
    for secret in [written.to_owned(), decoded] {
        if !secret.is_empty() && !secrets.contains(&secret) {
            secrets.push(secret);
        }
    }
}

/// `text` with every occurrence of a secret masked (an error that quotes it), longest
/// first, so that a secret containing another is masked whole.
pub(super) fn scrub(text: &str, secrets: &[String]) -> String {
    let mut secrets: Vec<&String> = secrets.iter().filter(|p| !p.is_empty()).collect();
    secrets.sort_by_key(|s| std::cmp::Reverse(s.len()));
    secrets
        .into_iter()
        .fold(text.to_owned(), |text, p| text.replace(p.as_str(), "***"))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_password_is_masked_as_written_and_decoded() {
        let (shown, passwords) = mask_url("redis://:p%40ss@host/");
        assert_eq!(shown, "redis://:***@host/");
        assert_eq!(passwords, ["p%40ss", "p@ss"]);
        assert_eq!(
            scrub("auth p@ss failed (p%40ss)", &passwords),
            "auth *** failed (***)"
        );
        assert_eq!(mask_url("redis://host:6379/").1, Vec::<String>::new());
    }

    #[test]
    fn a_password_in_the_query_is_masked() {
        for url in [
            "redis+unix:///run/redis.sock?db=2&pass=s%2Bcr+t",
            "unix:///run/redis.sock?db=2&pass=s%2Bcr+t",
            "redis://host:6379/0?db=2&password=s%2Bcr+t",
        ] {
            let (shown, secrets) = mask_url(url);
            let scheme = url.split_once("://").unwrap().0;
            assert!(shown.starts_with(scheme), "{shown}");
            assert!(shown.ends_with("?db=2&pass=***") || shown.ends_with("?db=2&password=***"));
            assert_eq!(secrets, ["s%2Bcr+t", "s+cr t"], "{url}");
            assert_eq!(scrub("bad s+cr t", &secrets), "bad ***");
        }
        // Not a URL, or another scheme: the query is masked all the same.
        let (shown, _) = mask_url("nota url?pass=s3cret");
        assert_eq!(shown, "nota url?pass=***");
    }

    #[test]
    fn text_that_is_not_a_redis_url_is_masked_up_to_its_last_at() {
        // No scheme: it parses with the scheme `user`.
        let (shown, secrets) = mask_url("user:s3cret@host:6379");
        assert_eq!(shown, "***@host:6379");
        assert_eq!(
            scrub("scheme user:s3cret@host, s3cret", &secrets),
            "scheme ***@host, ***"
        );
        assert_eq!(mask_url("http://u:s3cret@127.0.0.1/").0, "***@127.0.0.1/");
        assert_eq!(mask_url("nota url://u:pw@x@y").0, "***@y");
        // A Redis URL that does not parse keeps its scheme.
        assert_eq!(mask_url("redis://u:pw@[bad").0, "redis://***@[bad");
        assert_eq!(mask_url("localhost:6379").0, "localhost:6379");
    }
}
