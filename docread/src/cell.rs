//! Cell text: the `<br>` normalisation the specs use, plain text for names and labels, and the
//! appendices a description cell carries after its prose (**示例值**, **可选值有** with an
//! `<md-enum>` or a `- value：meaning` list, **数据校验规则**, **默认值** ...). The appendices
//! are recognised by their bold marker at the start of a line, whichever rendering the cell
//! came from, and taken out of the description.

use crate::facts::EnumValue;
use crate::tag;

/// A cell's lines: each without trailing spaces, blank lines at either end dropped, the first
/// line's indentation dropped (later lines keep theirs: nested lists).
pub(crate) fn lines(text: &str) -> Vec<&str> {
    let mut out: Vec<&str> = text.split('\n').map(str::trim_end).collect();
    while out.last().is_some_and(|l| l.is_empty()) {
        out.pop();
    }
    let skip = out.iter().take_while(|l| l.is_empty()).count();
    out.drain(..skip);
    if let Some(first) = out.first_mut() {
        *first = first.trim_start();
    }
    out
}

/// The cell as one line, `<br>` where it had line breaks.
pub(crate) fn one_line(text: &str) -> String {
    lines(text).join("<br>")
}

/// Plain text of a name, type or label cell: tags dropped (their text kept), entities decoded,
/// markdown escapes, bold and surrounding backticks undone, trimmed.
pub(crate) fn plain(text: &str) -> String {
    let untagged = tag::strip_tags(text);
    let mut out = String::with_capacity(untagged.len());
    let mut chars = untagged.chars().peekable();
    while let Some(c) = chars.next() {
        match c {
            '\\' if chars.peek().is_some_and(|n| n.is_ascii_punctuation()) => {
                if let Some(n) = chars.next() {
                    out.push(n);
                }
            }
            '&' => out.push_str(&entity(&mut chars)),
            _ => out.push(c),
        }
    }
    let out = out.replace("**", "").replace("<br>", "\n");
    let trimmed = out.trim();
    let trimmed = trimmed
        .strip_prefix('`')
        .and_then(|t| t.strip_suffix('`'))
        .filter(|t| !t.contains('`'))
        .unwrap_or(trimmed);
    trimmed.trim().to_owned()
}

/// Decodes the entity after a `&` (the `&` already taken); an unknown one stays as written.
fn entity(chars: &mut std::iter::Peekable<std::str::Chars<'_>>) -> String {
    let mut name = String::new();
    while let Some(&c) = chars.peek() {
        if c == ';' || name.len() > 8 || !(c.is_ascii_alphanumeric() || c == '#') {
            break;
        }
        name.push(c);
        chars.next();
    }
    if chars.peek() != Some(&';') {
        return format!("&{name}");
    }
    chars.next();
    let decoded = match name.as_str() {
        "lt" => Some('<'),
        "gt" => Some('>'),
        "amp" => Some('&'),
        "quot" => Some('"'),
        "apos" => Some('\''),
        "nbsp" => Some('\u{a0}'),
        "emsp" => Some('\u{2003}'),
        "ensp" => Some('\u{2002}'),
        _ => name
            .strip_prefix('#')
            .and_then(|n| n.parse::<u32>().ok())
            .and_then(char::from_u32),
    };
    decoded.map_or_else(|| format!("&{name};"), String::from)
}

/// Takes the nesting markers (`└`, `∟`, `&emsp;`, `&nbsp;`, full-width spaces) off a name
/// cell: the rest, and how deep the markers put it. Depths are relative (pages differ in how
/// many markers they write per level: `&emsp;∟&nbsp;`, `&nbsp; &nbsp; ∟`, `└└`), so every
/// marker counts; plain spaces do not.
pub(crate) fn indent(text: &str) -> (&str, usize) {
    const MARKERS: &[&str] = &[
        "└", "∟", "&emsp;", "&nbsp;", "&ensp;", "\u{2003}", "\u{a0}", "\u{2002}", "　",
    ];
    let mut rest = text;
    let mut depth = 0;
    loop {
        if let Some(r) = MARKERS.iter().find_map(|m| rest.strip_prefix(m)) {
            depth += 1;
            rest = r;
        } else if let Some(r) = rest.strip_prefix([' ', '\t', '\n', '\r']) {
            rest = r;
        } else {
            return (rest, depth);
        }
    }
}

/// A description cell split into its prose and its appendices.
#[derive(Debug, Default, PartialEq)]
pub(crate) struct Described {
    pub description: String,
    pub example: Option<String>,
    pub max_length: Option<u32>,
    pub enum_values: Vec<EnumValue>,
}

enum Kind {
    Example,
    Enum,
    Validation,
    /// One line, of no use to a spec (**默认值**, **值格式**).
    Drop,
    /// A field-permission block: the marker and the lines after it up to a blank line.
    Permission,
}

fn kind(marker: &str) -> Option<Kind> {
    Some(match marker {
        "示例值" | "固定值" => Kind::Example,
        "可选值有" | "可选值" | "可能值有" => Kind::Enum,
        "数据校验规则" => Kind::Validation,
        "默认值" | "值格式" => Kind::Drop,
        m if m.contains("字段权限要求") => Kind::Permission,
        _ => return None,
    })
}

/// `**示例值**："csv"` → ("示例值", "\"csv\"").
pub(crate) fn marker(line: &str) -> Option<(&str, &str)> {
    let rest = line.trim_start().strip_prefix("**")?;
    let (name, after) = rest.split_once("**")?;
    let after = after.trim_start();
    let value = after
        .strip_prefix('：')
        .or_else(|| after.strip_prefix(':'))?;
    (!name.is_empty() && name.len() <= 90).then_some((name.trim(), value.trim()))
}

fn is_item(line: &str) -> bool {
    let t = line.trim_start();
    t.starts_with("- ") || t.starts_with("* ") || t == "-"
}

/// Splits a description cell; see the module docs.
pub(crate) fn describe(text: &str) -> Described {
    let ls = lines(text);
    let mut out = Described::default();
    let mut keep: Vec<&str> = Vec::new();
    let mut i = 0;
    while let Some(&line) = ls.get(i) {
        let Some((kind, rest)) = marker(line).and_then(|(m, r)| Some((kind(m)?, r))) else {
            keep.push(line);
            i += 1;
            continue;
        };
        i += 1;
        match kind {
            Kind::Example => {
                if rest.is_empty() {
                    let (value, next) = example_below(&ls, i);
                    out.example = out.example.or(value);
                    i = next;
                } else {
                    out.example = out.example.or_else(|| Some(unquote(rest)));
                }
            }
            Kind::Enum => {
                let start = i;
                i = list_end(&ls, i);
                out.enum_values
                    .extend(enum_values(ls.get(start..i).unwrap_or_default()));
            }
            Kind::Validation => {
                let start = i;
                i = list_end(&ls, i);
                for l in ls.get(start..i).unwrap_or_default() {
                    out.max_length = out.max_length.or_else(|| max_length(l));
                }
            }
            Kind::Drop => {}
            Kind::Permission => {
                while ls
                    .get(i)
                    .is_some_and(|l| !l.trim().is_empty() && marker(l).is_none())
                {
                    i += 1;
                }
            }
        }
        // An appendix takes the blank lines before it along.
        while keep.last().is_some_and(|l| l.trim().is_empty()) {
            keep.pop();
        }
    }
    while keep.last().is_some_and(|l| l.trim().is_empty()) {
        keep.pop();
    }
    out.description = keep.join("<br>");
    out
}

/// Where a list appendix ends: after its items and the lines continuing them (blank lines
/// allowed before the first item; a blank line or a marker after it ends the list), or after
/// an `<md-enum>` block.
fn list_end(ls: &[&str], mut i: usize) -> usize {
    let mut in_enum = false;
    let mut seen = false;
    while let Some(l) = ls.get(i) {
        let t = l.trim();
        if in_enum {
            in_enum = !t.contains("</md-enum>");
        } else if t.starts_with("<md-enum") {
            // `</md-enum-item>` is not `</md-enum>`: an item line keeps the block open.
            in_enum = !t.contains("</md-enum>");
            seen = true;
        } else if is_item(l) {
            seen = true;
        } else if t.is_empty() {
            if seen {
                break;
            }
        } else if !seen || marker(l).is_some() {
            break;
        }
        i += 1;
    }
    i
}

/// An example written below its marker: a fenced block, or the lines up to a blank one.
fn example_below(ls: &[&str], mut i: usize) -> (Option<String>, usize) {
    while ls.get(i).is_some_and(|l| l.trim().is_empty()) {
        i += 1;
    }
    let Some(first) = ls.get(i) else {
        return (None, i);
    };
    if first.trim_start().starts_with("```") {
        let start = i + 1;
        let mut end = start;
        while ls
            .get(end)
            .is_some_and(|l| !l.trim_start().starts_with("```"))
        {
            end += 1;
        }
        let body = ls.get(start..end).unwrap_or_default().join("\n");
        return (Some(body), (end + 1).min(ls.len()));
    }
    let start = i;
    while ls
        .get(i)
        .is_some_and(|l| !l.trim().is_empty() && marker(l).is_none())
    {
        i += 1;
    }
    let value = ls.get(start..i).unwrap_or_default().join("<br>");
    ((!value.is_empty()).then(|| unquote(value.trim())), i)
}

/// `"a\"b"` → `a"b`; unquoted text as it is.
pub(crate) fn unquote(text: &str) -> String {
    match text.strip_prefix('"').and_then(|t| t.strip_suffix('"')) {
        Some(inner) => {
            let mut out = String::with_capacity(inner.len());
            let mut chars = inner.chars();
            while let Some(c) = chars.next() {
                if c == '\\' {
                    match chars.next() {
                        Some(n @ ('"' | '\\')) => out.push(n),
                        Some(n) => {
                            out.push('\\');
                            out.push(n);
                        }
                        None => out.push('\\'),
                    }
                } else {
                    out.push(c);
                }
            }
            out
        }
        None => text.to_owned(),
    }
}

/// Enum values of an appendix: `<md-enum-item key="v">meaning</md-enum-item>` tags, else
/// `- v：meaning` items; a line indented deeper than the first item, or no item at all,
/// goes on the item above (`<br>`).
fn enum_values(ls: &[&str]) -> Vec<EnumValue> {
    let joined = ls.join("\n");
    if joined.contains("<md-enum-item") {
        return enum_items(&joined);
    }
    let indent = |l: &str| l.len() - l.trim_start().len();
    let base = ls.iter().find(|l| is_item(l)).map_or(0, |l| indent(l));
    let mut out: Vec<EnumValue> = Vec::new();
    for l in ls.iter().filter(|l| !l.trim().is_empty()) {
        if is_item(l) && indent(l) <= base {
            let item = l.trim_start().get(1..).unwrap_or("").trim();
            out.push(enum_item(item));
        } else if let Some(last) = out.last_mut() {
            last.meaning.push_str("<br>");
            last.meaning.push_str(l);
        }
    }
    out.retain(|e| !e.value.is_empty());
    out
}

/// `<md-enum-item key="v" >meaning</md-enum-item>` items, in order.
fn enum_items(text: &str) -> Vec<EnumValue> {
    let mut out = Vec::new();
    let mut pos = 0;
    while let Some(item) = tag::next_tag(text, pos) {
        pos = item.end;
        if item.name != "md-enum-item" || item.close {
            continue;
        }
        let mut end = text.len();
        let mut scan = item.end;
        while let Some(t) = tag::next_tag(text, scan) {
            scan = t.end;
            if t.name == "md-enum-item" || t.name == "md-enum" {
                end = t.start;
                break;
            }
        }
        let meaning = one_line(text.get(item.end..end).unwrap_or(""));
        let value = tag::attr(item.attrs, "key").unwrap_or_default();
        out.push(EnumValue { value, meaning });
        pos = end.max(pos);
    }
    out
}

/// `` `v`：meaning `` / `v: meaning` → the value and its meaning.
pub(crate) fn enum_item(item: &str) -> EnumValue {
    let (value, meaning) = item
        .split_once('：')
        .or_else(|| item.split_once(':'))
        .unwrap_or((item, ""));
    let value = value.trim();
    let value = value
        .strip_prefix('`')
        .and_then(|v| v.strip_suffix('`'))
        .unwrap_or(value);
    EnumValue {
        value: value.trim().to_owned(),
        meaning: meaning.trim().to_owned(),
    }
}

/// 最大长度：`27` 字符 → 27; 长度范围：`1` ～ `100` 字符 → 100.
fn max_length(line: &str) -> Option<u32> {
    let numbers = |s: &str| -> Vec<u32> {
        s.split(|c: char| !c.is_ascii_digit())
            .filter_map(|d| d.parse().ok())
            .collect()
    };
    if let Some((_, rest)) = line.split_once("最大长度") {
        numbers(rest).first().copied()
    } else if let Some((_, rest)) = line.split_once("长度范围") {
        numbers(rest).last().copied()
    } else {
        None
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn appendices() {
        let d = describe(
            "\t要导出的云文档的 token。\n\n**示例值**：\"Fm7o\"\n\n**数据校验规则**：\n\n- 最大长度：`27` 字符\n\t",
        );
        assert_eq!(d.description, "要导出的云文档的 token。");
        assert_eq!(d.example.as_deref(), Some("Fm7o"));
        assert_eq!(d.max_length, Some(27));
        let d = describe(
            "类型  \n**示例值**：2  \n**可选值有**：  \n- 1：进行中  \n- 2：已结束\n**注意**：x",
        );
        assert_eq!(d.description, "类型<br>**注意**：x");
        assert_eq!(d.example.as_deref(), Some("2"));
        assert_eq!(d.enum_values.len(), 2);
        assert_eq!(d.enum_values[1].meaning, "已结束");
        let d = describe(
            "a\n\n**可选值有**：\n<md-enum>\n<md-enum-item key=\"x\" >甲</md-enum-item>\n<md-enum-item key=\"y\" >乙\n丙</md-enum-item>\n</md-enum>\n\n**注意**：z",
        );
        assert_eq!(d.description, "a<br><br>**注意**：z");
        assert_eq!(d.enum_values[1].value, "y");
        assert_eq!(d.enum_values[1].meaning, "乙<br>丙");
        let d = describe("t  \n**可选值有**：  \n- a：x  \n    - x1  \ny  \n- b：z\n**默认值**：a");
        assert_eq!(d.description, "t");
        assert_eq!(d.enum_values.len(), 2);
        assert_eq!(d.enum_values[0].meaning, "x<br>    - x1<br>y");
        assert_eq!(unquote(r#""{\"a\":\"b\"}""#), r#"{"a":"b"}"#);
    }

    #[test]
    fn plain_and_indent() {
        assert_eq!(
            plain("<md-text type=\"field-name\" >file_token</md-text>"),
            "file_token"
        );
        assert_eq!(plain("\\-"), "-");
        assert_eq!(plain("map&lt;string, string&gt;"), "map<string, string>");
        assert_eq!(plain("map<string,string>"), "map<string,string>");
        let (name, depth) = indent("&emsp;&emsp;∟&nbsp;children");
        assert_eq!((name, depth), ("children", 4));
        assert!(indent("&nbsp; &nbsp; ∟node_id").1 > indent("&nbsp; ∟items").1);
        assert_eq!(indent("└└ x").1, 2);
    }
}
