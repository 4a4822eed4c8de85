//! A Redis URL as shown to people: its password masked in the URL and in any error text
//! that quotes it.

/// The URL to show (its password replaced by `***`) and the password, as written and
/// decoded. Text that does not parse as a URL has everything between `://` and an `@`
/// masked.
pub(super) fn mask_url(url: &str) -> (String, Vec<String>) {
    match url::Url::parse(url) {
        Ok(mut parsed) => {
            let mut passwords = Vec::new();
            if let Some(written) = parsed.password() {
                let decoded = percent_encoding::percent_decode_str(written)
                    .decode_utf8_lossy()
                    .into_owned();
                passwords.push(written.to_owned());
                if decoded != written {
                    passwords.push(decoded);
                }
                let _ = parsed.set_password(Some("***"));
            }
            (parsed.to_string(), passwords)
        }
        Err(_) => {
            let start = url.find("://").map_or(0, |i| i + 3);
            match url[start..].rfind('@') {
                Some(at) => (
                    format!("{}***@{}", &url[..start], &url[start + at + 1..]),
                    Vec::new(),
                ),
                None => (url.to_owned(), Vec::new()),
            }
        }
    }
}

/// `text` with every occurrence of the password masked (an error that quotes it).
pub(super) fn scrub(text: &str, passwords: &[String]) -> String {
    passwords
        .iter()
        .filter(|p| !p.is_empty())
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
        // Not a URL: everything before the last `@` of the authority goes.
        assert_eq!(mask_url("nota url://u:pw@x").0, "nota url://***@x");
        assert_eq!(mask_url("redis://host:6379/").1, Vec::<String>::new());
    }
}
