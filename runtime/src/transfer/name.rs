//! File names that come from a server: the one a download's `Content-Disposition` gives,
//! and [`safe_file_name`], which makes any such name (or a document's title) usable as
//! one file name inside a folder the user chose, and nowhere else.

use reqwest::header::HeaderValue;

/// The longest file name most filesystems take (ext4, APFS, NTFS in UTF-16 units; bytes
/// here, which is stricter).
pub(super) const MAX_NAME_BYTES: usize = 255;

/// The longest extension kept whole when a name must be shortened.
const MAX_KEPT_EXTENSION: usize = 16;

/// Names Windows reserves whatever their extension (`nul.txt` is the null device).
const WINDOWS_RESERVED: &[&str] = &[
    "CON", "PRN", "AUX", "NUL", "COM1", "COM2", "COM3", "COM4", "COM5", "COM6", "COM7", "COM8",
    "COM9", "LPT1", "LPT2", "LPT3", "LPT4", "LPT5", "LPT6", "LPT7", "LPT8", "LPT9",
];

/// `raw` made into one file name that stays inside the folder it is joined to, or `None`
/// when nothing usable is left (an empty name, `.`, `..`).
///
/// - only what follows the last `/` or `\` is kept: no name can reach another folder;
/// - control characters and the characters Windows forbids (`<>:"|?*`) become `_`;
/// - a leading `.` becomes `_` (no hidden files, no `..`), and trailing dots and spaces,
///   which Windows drops, are removed;
/// - names Windows reserves (`CON`, `nul.txt`, `COM1`, ...) get a `_` in front;
/// - the result is at most 255 bytes, cut at a character boundary, its extension kept.
///
/// Two different inputs can give the same name; a caller that writes many files decides
/// what a collision means.
pub fn safe_file_name(raw: &str) -> Option<String> {
    let base = raw.rsplit(['/', '\\']).next().unwrap_or(raw);
    let mut name: String = base
        .chars()
        .map(|c| {
            if c.is_control() || matches!(c, '<' | '>' | ':' | '"' | '|' | '?' | '*') {
                '_'
            } else {
                c
            }
        })
        .collect();
    name = name
        .trim_start_matches(' ')
        .trim_end_matches(['.', ' '])
        .to_owned();
    if name.is_empty() {
        return None;
    }
    if name.starts_with('.') {
        name.replace_range(..1, "_");
    }
    let stem = name.split('.').next().unwrap_or("");
    if WINDOWS_RESERVED
        .iter()
        .any(|reserved| stem.trim_end().eq_ignore_ascii_case(reserved))
    {
        name.insert(0, '_');
    }
    Some(shorten(name))
}

/// `name` cut to [`MAX_NAME_BYTES`], its extension kept when it is short.
pub(super) fn shorten(name: String) -> String {
    if name.len() <= MAX_NAME_BYTES {
        return name;
    }
    let extension = name
        .rfind('.')
        .filter(|&dot| dot > 0 && name.len() - dot <= MAX_KEPT_EXTENSION)
        .map_or("", |dot| &name[dot..]);
    let mut cut = MAX_NAME_BYTES - extension.len();
    while !name.is_char_boundary(cut) {
        cut -= 1;
    }
    format!("{}{extension}", &name[..cut])
}

/// The file name a `Content-Disposition` value gives, as sent (decoded, not made safe):
/// `filename*` (RFC 5987, UTF-8 or ISO-8859-1) when present, else `filename` (a quoted
/// string or a token, percent-decoded when that gives UTF-8, as the official SDKs read it).
pub(crate) fn disposition_file_name(value: &HeaderValue) -> Option<String> {
    // Servers send UTF-8 in the header itself too; anything else is read as Latin-1.
    let text = match std::str::from_utf8(value.as_bytes()) {
        Ok(text) => text.to_owned(),
        Err(_) => value.as_bytes().iter().map(|&b| char::from(b)).collect(),
    };
    let params = parameters(&text);
    let extended = params
        .iter()
        .find(|(key, _)| key.eq_ignore_ascii_case("filename*"))
        .and_then(|(_, value)| extended_value(value));
    let name = extended.or_else(|| {
        params
            .iter()
            .find(|(key, _)| key.eq_ignore_ascii_case("filename"))
            .map(|(_, value)| {
                percent_encoding::percent_decode_str(value)
                    .decode_utf8()
                    .map_or_else(|_| value.clone(), |decoded| decoded.into_owned())
            })
    })?;
    (!name.is_empty()).then_some(name)
}

/// `key=value` parameters after the disposition type, values unquoted.
fn parameters(text: &str) -> Vec<(String, String)> {
    let mut params = Vec::new();
    let mut rest = text;
    // Skip the disposition type (`attachment`, `inline`).
    match rest.find(';') {
        Some(at) => rest = &rest[at + 1..],
        None => return params,
    }
    loop {
        rest = rest.trim_start_matches([' ', '\t', ';']);
        let Some(eq) = rest.find('=') else {
            return params;
        };
        let key = rest[..eq].trim().to_owned();
        rest = rest[eq + 1..].trim_start();
        let value;
        if let Some(quoted) = rest.strip_prefix('"') {
            let (unquoted, after) = quoted_string(quoted);
            value = unquoted;
            rest = after;
        } else {
            let end = rest.find(';').unwrap_or(rest.len());
            value = rest[..end].trim().to_owned();
            rest = &rest[end..];
        }
        params.push((key, value));
    }
}

/// A quoted string's content (backslash escapes undone) and what follows its closing quote.
fn quoted_string(text: &str) -> (String, &str) {
    let mut value = String::new();
    let mut chars = text.char_indices();
    while let Some((at, c)) = chars.next() {
        match c {
            '\\' => {
                if let Some((_, escaped)) = chars.next() {
                    value.push(escaped);
                }
            }
            '"' => return (value, &text[at + 1..]),
            c => value.push(c),
        }
    }
    (value, "")
}

/// An RFC 5987 `charset'language'percent-encoded` value, decoded.
fn extended_value(value: &str) -> Option<String> {
    let mut parts = value.splitn(3, '\'');
    let (charset, _language, encoded) = (parts.next()?, parts.next()?, parts.next()?);
    let bytes: Vec<u8> = percent_encoding::percent_decode_str(encoded).collect();
    if charset.eq_ignore_ascii_case("utf-8") {
        String::from_utf8(bytes).ok()
    } else if charset.eq_ignore_ascii_case("iso-8859-1") {
        Some(bytes.into_iter().map(char::from).collect())
    } else {
        None
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn named(value: &[u8]) -> Option<String> {
        disposition_file_name(&HeaderValue::from_bytes(value).unwrap())
    }

    #[test]
    fn disposition_names_are_read_as_the_sdks_read_them() {
        assert_eq!(
            named(b"attachment; filename=\"a b.pdf\"").as_deref(),
            Some("a b.pdf")
        );
        assert_eq!(
            named(b"attachment; filename=plain.docx").as_deref(),
            Some("plain.docx")
        );
        // filename* wins, whatever the order.
        assert_eq!(
            named(b"attachment; filename*=UTF-8''%E5%AF%BC%E5%87%BA.pdf; filename=\"x.pdf\"")
                .as_deref(),
            Some("导出.pdf")
        );
        // Percent-encoded UTF-8 in the plain parameter, and raw UTF-8 in the header.
        assert_eq!(
            named(b"attachment; filename=\"%E6%8A%A5%E5%91%8A.xlsx\"").as_deref(),
            Some("报告.xlsx")
        );
        assert_eq!(
            named("attachment; filename=\"报告.xlsx\"".as_bytes()).as_deref(),
            Some("报告.xlsx")
        );
        // Quotes and semicolons inside a quoted string.
        assert_eq!(
            named(br#"attachment; filename="a \"q\"; b.txt""#).as_deref(),
            Some("a \"q\"; b.txt")
        );
        assert_eq!(named(b"attachment"), None);
        assert_eq!(named(b"attachment; filename=\"\""), None);
        assert_eq!(named(b"attachment; filename*=KOI8-R''%C1"), None);
    }

    #[test]
    fn names_cannot_leave_the_folder() {
        assert_eq!(safe_file_name("../x").as_deref(), Some("x"));
        assert_eq!(safe_file_name("/etc/x").as_deref(), Some("x"));
        assert_eq!(safe_file_name("..\\..\\x.txt").as_deref(), Some("x.txt"));
        assert_eq!(safe_file_name("a/"), None);
        assert_eq!(safe_file_name(".."), None);
        assert_eq!(safe_file_name("."), None);
        assert_eq!(safe_file_name(""), None);
        assert_eq!(safe_file_name(" . "), None);
        assert_eq!(safe_file_name(".bashrc").as_deref(), Some("_bashrc"));
        assert_eq!(safe_file_name("...x").as_deref(), Some("_..x"));
    }

    #[test]
    fn names_are_valid_everywhere() {
        assert_eq!(
            safe_file_name("a\u{0}b\nc\u{7f}d").as_deref(),
            Some("a_b_c_d")
        );
        assert_eq!(
            safe_file_name("what? <yes>: \"a|b*\".txt").as_deref(),
            Some("what_ _yes__ _a_b__.txt")
        );
        assert_eq!(safe_file_name("report. . ").as_deref(), Some("report"));
        assert_eq!(safe_file_name("CON").as_deref(), Some("_CON"));
        assert_eq!(safe_file_name("nul.txt").as_deref(), Some("_nul.txt"));
        assert_eq!(
            safe_file_name("com1 .tar.gz").as_deref(),
            Some("_com1 .tar.gz")
        );
        assert_eq!(
            safe_file_name("console.txt").as_deref(),
            Some("console.txt")
        );
        assert_eq!(
            safe_file_name("季度报告.docx").as_deref(),
            Some("季度报告.docx")
        );
    }

    #[test]
    fn long_names_are_cut_at_a_character_boundary_keeping_the_extension() {
        let long = format!("{}.docx", "文".repeat(200));
        let safe = safe_file_name(&long).unwrap();
        assert!(safe.len() <= MAX_NAME_BYTES, "{}", safe.len());
        assert!(safe.ends_with(".docx"));
        assert!(safe.starts_with("文文"));
        let no_extension = "x".repeat(300);
        assert_eq!(safe_file_name(&no_extension).unwrap().len(), MAX_NAME_BYTES);
    }
}
