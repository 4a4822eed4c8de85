//! A small forward-only scanner for `<name attrs>` / `</name>` tags, the one piece of HTML
//! the raw rendering needs: its tables (`html`) and the markup inside cell text (`cell`)
//! are both read with it. It never fails: what is no tag is text.

/// One tag: its name, whether it closes, its attribute text and where it stands.
pub(crate) struct Tag<'a> {
    pub name: &'a str,
    pub close: bool,
    pub attrs: &'a str,
    /// Byte offsets of `<` and just past `>`.
    pub start: usize,
    pub end: usize,
}

/// The next tag starting at or after byte `from`: `<name ...>` or `</name>`, the name
/// starting with a letter, the tag ending before any further `<`.
pub(crate) fn next_tag(text: &str, from: usize) -> Option<Tag<'_>> {
    let mut i = from;
    loop {
        let lt = i + text.get(i..)?.find('<')?;
        let after = lt + 1;
        let rest = text.get(after..)?;
        let close = rest.starts_with('/');
        let name_start = if close { after + 1 } else { after };
        let tail = text.get(name_start..)?;
        let name_len = tail
            .bytes()
            .take_while(|b| b.is_ascii_alphanumeric() || *b == b'-')
            .count();
        if tail.starts_with(|c: char| c.is_ascii_alphabetic()) {
            let name = tail.get(..name_len)?;
            let attrs_from = tail.get(name_len..)?;
            if let Some(k) = attrs_from.find(['>', '<'])
                && attrs_from.get(k..).is_some_and(|t| t.starts_with('>'))
            {
                let attrs = attrs_from.get(..k)?.trim_end_matches('/');
                return Some(Tag {
                    name,
                    close,
                    attrs,
                    start: lt,
                    end: name_start + name_len + k + 1,
                });
            }
        }
        i = after;
    }
}

/// The value of attribute `key` (`key="v"`, `key='v'` or `key=v`).
pub(crate) fn attr(attrs: &str, key: &str) -> Option<String> {
    let mut from = 0;
    while let Some(k) = attrs.get(from..).and_then(|s| s.find(key)) {
        let at = from + k;
        from = at + key.len();
        let before_ok = attrs
            .get(..at)
            .is_none_or(|b| b.is_empty() || b.ends_with(char::is_whitespace));
        let Some(after) = attrs.get(from..).map(str::trim_start) else {
            break;
        };
        let Some(value) = after.strip_prefix('=').map(str::trim_start) else {
            continue;
        };
        if !before_ok {
            continue;
        }
        for q in ['"', '\''] {
            if let Some(v) = value.strip_prefix(q) {
                return Some(v.split(q).next().unwrap_or("").to_owned());
            }
        }
        return Some(value.split_whitespace().next().unwrap_or("").to_owned());
    }
    None
}

/// Tags of the platform (`md-*`) and of plain HTML formatting, dropped from plain text.
fn is_markup(name: &str) -> bool {
    let name = name.to_ascii_lowercase();
    name.starts_with("md-")
        || matches!(
            name.as_str(),
            "div"
                | "span"
                | "p"
                | "br"
                | "b"
                | "i"
                | "u"
                | "em"
                | "strong"
                | "font"
                | "a"
                | "code"
                | "sup"
                | "sub"
                | "img"
                | "tr"
                | "td"
                | "th"
                | "ul"
                | "ol"
                | "li"
        )
}

/// `text` without its markup tags (the text inside them kept); other `<...>`, such as the
/// `<string,string>` of a map type, stay.
pub(crate) fn strip_tags(text: &str) -> String {
    let mut out = String::with_capacity(text.len());
    let mut pos = 0;
    while let Some(tag) = next_tag(text, pos) {
        if is_markup(tag.name) {
            out.push_str(text.get(pos..tag.start).unwrap_or(""));
        } else {
            out.push_str(text.get(pos..tag.end).unwrap_or(""));
        }
        pos = tag.end;
    }
    out.push_str(text.get(pos..).unwrap_or(""));
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn tags_and_attrs() {
        let t = next_tag("a <md-dt-tr level=\"1\"> b", 0).unwrap();
        assert_eq!((t.name, t.close), ("md-dt-tr", false));
        assert_eq!(attr(t.attrs, "level").as_deref(), Some("1"));
        assert_eq!(
            attr(" name=\"x\" desc='y z'", "desc").as_deref(),
            Some("y z")
        );
        assert_eq!(attr(" type=\"x\"", "ype"), None);
        assert_eq!(
            strip_tags("<md-text>a</md-text> <b>x</b> map<k,v>"),
            "a x map<k,v>"
        );
        assert!(next_tag("a < b", 0).is_none());
    }
}
