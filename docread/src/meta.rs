//! The header a page may open with: YAML front matter (`---` ... `---`, the pipe rendering) or
//! an HTML comment (`<!--` ... `-->`, the raw rendering). Both are flat `key: value` lines; this
//! reads them without a YAML parser (values are single-line scalars, maybe quoted).

use crate::doc::Doc;
use crate::facts::At;
use crate::page::Problem;

/// The header's keys, and the first line after it.
pub(crate) struct Meta {
    pub entries: Vec<(String, At<String>)>,
    pub body_start: usize,
}

impl Meta {
    pub fn get(&self, key: &str) -> Option<&At<String>> {
        self.entries.iter().find(|(k, _)| k == key).map(|(_, v)| v)
    }
}

/// Reads the header at line 1, if any; an unclosed one is a problem and ends at the first line
/// that is no `key: value` (so a lost closing line does not swallow the page).
pub(crate) fn read(doc: &Doc, problems: &mut Vec<Problem>) -> Meta {
    let first = doc.line(1).trim();
    let close: &dyn Fn(&str) -> bool = if first == "---" {
        &|l: &str| l.trim() == "---"
    } else if first.starts_with("<!--") && !first.contains("-->") {
        &|l: &str| l.contains("-->")
    } else {
        return Meta {
            entries: Vec::new(),
            body_start: 1,
        };
    };
    let mut entries = Vec::new();
    let mut n = 2;
    while n <= doc.len() {
        let line = doc.line(n);
        if close(line) {
            return Meta {
                entries,
                body_start: n + 1,
            };
        }
        match line.split_once(':') {
            Some((key, value)) if is_key(key) => {
                entries.push((key.trim().to_owned(), At::new(unquote(value.trim()), n)));
            }
            _ if line.trim().is_empty() => {}
            _ => break,
        }
        n += 1;
    }
    problems.push(Problem::new(
        1,
        "the page's header (front matter or comment) is never closed",
    ));
    Meta {
        entries,
        body_start: n,
    }
}

fn is_key(key: &str) -> bool {
    let key = key.trim();
    !key.is_empty()
        && key
            .chars()
            .all(|c| c.is_ascii_alphanumeric() || c == '_' || c == '-')
}

fn unquote(value: &str) -> String {
    for q in ['"', '\''] {
        if let Some(inner) = value.strip_prefix(q).and_then(|v| v.strip_suffix(q)) {
            return inner.replace("\\\"", "\"");
        }
    }
    value.to_owned()
}

/// `YYYY-MM-DD` when `text` starts with a valid one.
pub(crate) fn iso_date(text: &str) -> Option<String> {
    let date = text.trim().get(..10)?;
    let mut parts = date.split('-');
    let (y, m, d) = (parts.next()?, parts.next()?, parts.next()?);
    let ok = y.len() == 4
        && m.len() == 2
        && d.len() == 2
        && date.bytes().filter(|b| b.is_ascii_digit()).count() == 8
        && (1..=12).contains(&m.parse::<u8>().ok()?)
        && (1..=31).contains(&d.parse::<u8>().ok()?);
    ok.then(|| date.to_owned())
}

/// The UTC date of a Unix time in milliseconds (the form `updatedAt` and
/// `last_remote_update_timestamp` take; the pipe pages print this UTC date).
pub(crate) fn epoch_ms_date(text: &str) -> Option<String> {
    let ms: i64 = text.trim().parse().ok()?;
    // 1990..2100: anything else is no page date.
    if !(631_152_000_000..4_102_444_800_000).contains(&ms) {
        return None;
    }
    let days = ms / 86_400_000;
    // Howard Hinnant's civil_from_days.
    let z = days + 719_468;
    let era = z.div_euclid(146_097);
    let doe = z - era * 146_097;
    let yoe = (doe - doe / 1460 + doe / 36_524 - doe / 146_096) / 365;
    let doy = doe - (365 * yoe + yoe / 4 - yoe / 100);
    let mp = (5 * doy + 2) / 153;
    let d = doy - (153 * mp + 2) / 5 + 1;
    let m = if mp < 10 { mp + 3 } else { mp - 9 };
    let y = yoe + era * 400 + i64::from(m <= 2);
    Some(format!("{y:04}-{m:02}-{d:02}"))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn dates() {
        assert_eq!(
            epoch_ms_date("1740477085000").as_deref(),
            Some("2025-02-25")
        );
        assert_eq!(
            epoch_ms_date("1749830573000").as_deref(),
            Some("2025-06-13")
        );
        assert_eq!(
            epoch_ms_date("1709251200000").as_deref(),
            Some("2024-03-01")
        );
        assert_eq!(epoch_ms_date("x"), None);
        assert_eq!(iso_date("2024-07-23").as_deref(), Some("2024-07-23"));
        assert_eq!(iso_date("2024-13-23"), None);
        assert_eq!(iso_date("最后更新于"), None);
    }
}
