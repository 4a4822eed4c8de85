//! DingTalk's text rendering runs a table row's cells together: `taskIdString任务id`,
//! `x-acs-dingtalk-access-tokenStringYesThe API credential`, `400paramError%s参数错误`. The
//! cells are told apart by what each column holds: a name is ASCII, a type is one of a few
//! capitalised words (`String`, `Integer` ...), 必填 is 是/否 or Yes/No, an HTTP status is
//! three digits, an error code an identifier, a message ASCII (up to the Chinese hint).
//! These are heuristics, each documented where it decides.

use crate::facts::ErrorRow;

/// A column of a run-together header.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) enum Col {
    Name,
    Type,
    Required,
    Description,
    Label,
    Value,
    Status,
    Code,
    Message,
}

/// Header words, longest first where one starts another.
const WORDS: &[(&str, Col)] = &[
    ("HTTP status code", Col::Status),
    ("HttpCode", Col::Status),
    ("Error message", Col::Message),
    ("Error code", Col::Code),
    ("Description", Col::Description),
    ("Required", Col::Required),
    ("Field", Col::Label),
    ("Value", Col::Value),
    ("Name", Col::Name),
    ("Type", Col::Type),
    ("是否必填", Col::Required),
    ("必填", Col::Required),
    ("错误信息", Col::Message),
    ("错误码", Col::Code),
    ("名称", Col::Name),
    ("参数", Col::Name),
    ("类型", Col::Type),
    ("描述", Col::Description),
    ("说明", Col::Description),
    ("字段", Col::Label),
    ("值", Col::Value),
];

/// The columns of a run-together header line (`名称类型是否必填描述`), if the whole line is
/// header words.
pub(crate) fn header(line: &str) -> Option<Vec<Col>> {
    let mut rest = line.trim();
    let mut cols = Vec::new();
    while !rest.is_empty() {
        let (word, col) = WORDS.iter().find(|(w, _)| rest.starts_with(w))?;
        cols.push(*col);
        rest = rest.get(word.len()..).unwrap_or("").trim_start();
    }
    // In an error table 说明 is the hint, its message column being 错误信息.
    if cols.contains(&Col::Code)
        && !cols.contains(&Col::Message)
        && let Some(c) = cols.iter_mut().find(|c| **c == Col::Description)
    {
        *c = Col::Message;
    }
    (!cols.is_empty()).then_some(cols)
}

/// Type words, longest first where one starts another.
const TYPES: &[&str] = &[
    "JSONObject",
    "JSONArray",
    "BigDecimal",
    "Boolean",
    "Integer",
    "Object",
    "String",
    "Double",
    "Number",
    "Array",
    "Float",
    "Short",
    "Long",
    "List",
    "Date",
    "File",
    "Byte",
    "Map",
    "Int",
];

/// A field row: name, type, 必填 and description.
#[derive(Debug, PartialEq)]
pub(crate) struct RunField {
    pub name: String,
    pub ty: String,
    pub required: Option<bool>,
    pub description: String,
}

/// Splits a field row. The name and type are the row's leading ASCII run; the type is the
/// first type word in it (after a non-empty name) that ends the run, or is followed by a
/// Yes/No (when the table has a 必填 column) or by punctuation. `Object[]`, `Map<K,V>` keep
/// their suffix.
pub(crate) fn field(line: &str, has_required: bool) -> Option<RunField> {
    let line = line.trim();
    let run_len = line
        .char_indices()
        .find(|(_, c)| !c.is_ascii_graphic())
        .map_or(line.len(), |(i, _)| i);
    let run = line.get(..run_len)?;
    let (ty_start, ty_end) = (1..run.len()).find_map(|p| {
        let at = run.get(p..)?;
        if !at.starts_with(|c: char| c.is_ascii_uppercase()) {
            return None;
        }
        let kw = TYPES.iter().find(|t| at.starts_with(**t))?;
        let mut end = p + kw.len();
        let after = run.get(end..)?;
        if after.starts_with("[]") {
            end += 2;
        } else if after.starts_with('<') {
            end += after.find('>')? + 1;
        }
        let next = run.get(end..)?;
        let ends = next.is_empty()
            || (has_required && yes_no(next).is_some())
            || next.starts_with(|c: char| !c.is_ascii_alphanumeric());
        ends.then_some((p, end))
    })?;
    let name = run.get(..ty_start)?;
    let ty = run.get(ty_start..ty_end)?;
    let mut rest = line.get(ty_end..)?;
    let mut required = None;
    if has_required && let Some((value, len)) = yes_no(rest).or_else(|| shi_fou(rest)) {
        required = Some(value);
        rest = rest.get(len..).unwrap_or("");
    }
    Some(RunField {
        name: name.to_owned(),
        ty: ty.to_owned(),
        required,
        description: rest.trim().to_owned(),
    })
}

/// `Yes`/`No` at the start, not starting a longer word (`None`, `Note`).
fn yes_no(text: &str) -> Option<(bool, usize)> {
    for (word, value) in [("Yes", true), ("No", false)] {
        if let Some(after) = text.strip_prefix(word)
            && !after.starts_with(|c: char| c.is_ascii_lowercase())
        {
            return Some((value, word.len()));
        }
    }
    None
}

/// 是/否 at the start; `是否...` is a description (是否异步), not a 是.
fn shi_fou(text: &str) -> Option<(bool, usize)> {
    if text.starts_with("是否") {
        None
    } else if text.starts_with('是') {
        Some((true, '是'.len_utf8()))
    } else if text.starts_with('否') {
        Some((false, '否'.len_utf8()))
    } else {
        None
    }
}

/// Splits an error row by its columns (`400paramError%s参数错误`). The status is the leading
/// digits; the code and message are the ASCII text up to the first non-ASCII character (the
/// hint, Chinese). The message starts at `%`, else where the rest repeats the code
/// (`unknownErrorUnknown Error`), else at the last capital before the first space.
pub(crate) fn error(line: &str, cols: &[Col]) -> Option<ErrorRow> {
    let mut rest = line.trim();
    let mut http_status = None;
    if cols.first() == Some(&Col::Status) {
        let digits = rest.bytes().take_while(u8::is_ascii_digit).count();
        http_status = rest.get(..digits).and_then(|d| d.parse::<u16>().ok());
        http_status?;
        rest = rest.get(digits..).unwrap_or("");
    }
    let ascii_len = rest
        .char_indices()
        .find(|(_, c)| !c.is_ascii())
        .map_or(rest.len(), |(i, _)| i);
    let ascii = rest.get(..ascii_len).unwrap_or("");
    let hint = rest.get(ascii_len..).unwrap_or("").trim().to_owned();
    let (code, message) = if cols.contains(&Col::Message) {
        split_code(ascii.trim())
    } else {
        (ascii.trim().to_owned(), String::new())
    };
    (!code.is_empty()).then_some(ErrorRow {
        http_status,
        code,
        message,
        hint,
    })
}

fn split_code(text: &str) -> (String, String) {
    if let Some(at) = text.find('%') {
        let (code, message) = text.split_at_checked(at).unwrap_or((text, ""));
        return (code.trim().to_owned(), message.to_owned());
    }
    let id_len = text
        .find(|c: char| !(c.is_ascii_alphanumeric() || "_.-".contains(c)))
        .unwrap_or(text.len());
    let id = text.get(..id_len).unwrap_or("");
    let after = text.get(id_len..).unwrap_or("");
    let squash = |s: &str| -> String {
        s.chars()
            .filter(|c| c.is_ascii_alphanumeric())
            .flat_map(|c| c.to_lowercase())
            .collect()
    };
    let capitals: Vec<usize> = id
        .char_indices()
        .filter(|(i, c)| *i > 0 && c.is_ascii_uppercase())
        .map(|(i, _)| i)
        .collect();
    for &k in &capitals {
        let (code, head) = id.split_at_checked(k).unwrap_or((id, ""));
        if squash(code) == squash(&format!("{head}{after}")) {
            return (code.to_owned(), format!("{head}{after}").trim().to_owned());
        }
    }
    match capitals.last() {
        Some(&k) if !after.trim().is_empty() => {
            let (code, head) = id.split_at_checked(k).unwrap_or((id, ""));
            (code.to_owned(), format!("{head}{after}").trim().to_owned())
        }
        _ => (id.to_owned(), after.trim().to_owned()),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn f(name: &str, ty: &str, required: Option<bool>, description: &str) -> Option<RunField> {
        Some(RunField {
            name: name.into(),
            ty: ty.into(),
            required,
            description: description.into(),
        })
    }

    #[test]
    fn fields() {
        assert_eq!(
            field("taskIdString任务id,可通过复制文档接口获取。", true),
            f("taskId", "String", None, "任务id,可通过复制文档接口获取。")
        );
        assert_eq!(
            field(
                "x-acs-dingtalk-access-tokenStringYesThe API credential.",
                true
            ),
            f(
                "x-acs-dingtalk-access-token",
                "String",
                Some(true),
                "The API credential."
            )
        );
        assert_eq!(
            field("targetPreDentryUuidStringNoThe file (optional).", true),
            f(
                "targetPreDentryUuid",
                "String",
                Some(false),
                "The file (optional)."
            )
        );
        assert_eq!(
            field("isStringTypeBoolean是否异步", true),
            f("isStringType", "Boolean", None, "是否异步")
        );
        assert_eq!(
            field("nameStringNoString value", true),
            f("name", "String", Some(false), "String value")
        );
        assert_eq!(
            field("userIdListArray用户", false),
            f("userIdList", "Array", None, "用户")
        );
        assert_eq!(
            field("paramObject是参数", true),
            f("param", "Object", Some(true), "参数")
        );
        assert_eq!(
            field("itemsObject[]列表", false),
            f("items", "Object[]", None, "列表")
        );
        assert_eq!(field("任务id。", false), None);
    }

    #[test]
    fn errors() {
        let cols = header("HttpCode错误码错误信息说明").unwrap();
        assert_eq!(
            cols,
            [Col::Status, Col::Code, Col::Message, Col::Description]
        );
        let e = error("400paramError%s参数错误", &cols).unwrap();
        assert_eq!(
            (
                e.http_status,
                e.code.as_str(),
                e.message.as_str(),
                e.hint.as_str()
            ),
            (Some(400), "paramError", "%s", "参数错误")
        );
        let e = error("500unknownErrorUnknown Error未知错误", &cols).unwrap();
        assert_eq!(
            (e.code.as_str(), e.message.as_str(), e.hint.as_str()),
            ("unknownError", "Unknown Error", "未知错误")
        );
        let e = error("403forbidden.accessDeniedNo permission无权限", &cols).unwrap();
        assert_eq!(
            (e.code.as_str(), e.message.as_str()),
            ("forbidden.accessDenied", "No permission")
        );
        assert!(error("x", &cols).is_none());
        assert_eq!(header("名称类型是否必填描述").unwrap().len(), 4);
        assert_eq!(header("字段"), Some(vec![Col::Label]));
        assert_eq!(header("请求示例"), None);
    }
}
