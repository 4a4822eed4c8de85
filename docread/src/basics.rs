//! The 基本 table of a Feishu page (HTTP URL, HTTP Method, 接口频率限制, 支持的应用类型,
//! 权限要求, 支持的访问令牌), in any of its three forms: `<md-th>`/`<md-td>` rows with
//! `<md-app-support>` and `<md-perm>` tags (raw), `desc(name)` lines (pipe), or two 权限要求
//! rows, descriptions then names, split by `<br>` (seed). Rows are found by their label, so
//! their order and number do not matter.

use crate::cell;
use crate::facts::{At, Facts, RateLimit, Scope};
use crate::page::Problem;
use crate::table::{Cell, Table};
use crate::tag::{attr, next_tag};

/// Whether `t` is the basics table: a row labelled HTTP URL or HTTP Method.
pub(crate) fn is_basics(t: &Table) -> bool {
    t.rows.iter().any(|r| {
        r.cell(0).is_some_and(|c| c.text.contains("HTTP "))
            && matches!(label(r.cell(0)).as_str(), "HTTP URL" | "HTTP Method")
    })
}

/// A row's label: the first line of its first cell, as plain text.
fn label(cell: Option<&Cell>) -> String {
    cell.map(|c| cell::plain(&c.text))
        .and_then(|t| {
            t.lines()
                .map(str::trim)
                .find(|l| !l.is_empty())
                .map(str::to_owned)
        })
        .unwrap_or_default()
}

pub(crate) fn read(t: &Table, facts: &mut Facts, problems: &mut Vec<Problem>) {
    let mut names: Vec<At<String>> = Vec::new();
    let mut descriptions: Vec<String> = Vec::new();
    for row in &t.rows {
        let label = label(row.cell(0));
        let Some(value) = row.cell(1) else {
            if !label.is_empty() {
                problems.push(Problem::new(
                    row.line,
                    format!("the {label} row has no value"),
                ));
            }
            continue;
        };
        match label.as_str() {
            "HTTP URL" => {
                let (host, path) = split_url(&cell::plain(&value.text));
                facts.host = host.map(|h| At::new(h, value.line));
                match path {
                    Some(p) => facts.path = Some(At::new(p, value.line)),
                    None => problems.push(Problem::new(value.line, "the HTTP URL holds no path")),
                }
            }
            "HTTP Method" => {
                let method = cell::plain(&value.text).to_ascii_uppercase();
                if !method.is_empty() && method.chars().all(|c| c.is_ascii_alphabetic()) {
                    facts.method = Some(At::new(method, value.line));
                } else {
                    problems.push(Problem::new(
                        value.line,
                        format!("{method:?} is no HTTP method"),
                    ));
                }
            }
            "接口频率限制" => {
                facts.rate_limit = Some(At::new(
                    rate_limit(&cell::one_line(&value.text)),
                    value.line,
                ));
            }
            "支持的应用类型" => app_types(value, facts),
            "支持的访问令牌" | "凭证要求" => {
                for (k, line) in cell::lines(&value.text).iter().enumerate() {
                    for token in token_kinds(line) {
                        facts.token_kinds.push(At::new(token, value.line + k));
                    }
                }
            }
            "权限要求" => scopes(value, facts, &mut names, &mut descriptions),
            _ => {}
        }
    }
    // The seeds' two rows: descriptions, then names, each list in an order of its own (the
    // seed of "查询导入结果" lists 下载 first, its names docs:document:import first). A
    // description goes with its name only when that cannot go wrong: one scope, or one
    // description shared by all.
    if !names.is_empty() {
        descriptions.dedup();
        let line = names.first().map_or(t.line, |n| n.line);
        let shared = match descriptions.as_slice() {
            [one] => one.clone(),
            [] => String::new(),
            _ => {
                problems.push(Problem::new(
                    line,
                    format!(
                        "the 权限要求 rows list {} scope names and {} descriptions apart, without saying which goes with which; descriptions left empty",
                        names.len(),
                        descriptions.len()
                    ),
                ));
                String::new()
            }
        };
        for name in names {
            let scope = Scope {
                name: name.value,
                description: shared.clone(),
            };
            facts.scopes.push(At::new(scope, name.line));
        }
    }
}

/// `https://open.feishu.cn/open-apis/x/:id?y=` → host and `/open-apis/x/{id}`.
pub(crate) fn split_url(url: &str) -> (Option<String>, Option<String>) {
    let url = url.trim().trim_matches('`').trim();
    let (host, rest) = match url.split_once("://") {
        Some((scheme, after)) => {
            let slash = after.find('/').unwrap_or(after.len());
            let host = after.get(..slash).unwrap_or(after);
            (
                Some(format!("{scheme}://{host}")),
                after.get(slash..).unwrap_or(""),
            )
        }
        None => (None, url),
    };
    let path = rest.split(['?', '#']).next().unwrap_or("").trim();
    if !path.starts_with('/') {
        return (host, None);
    }
    let path = path
        .split('/')
        .map(|seg| match seg.strip_prefix(':') {
            Some(name) if !name.is_empty() => format!("{{{name}}}"),
            _ => seg.to_owned(),
        })
        .collect::<Vec<_>>()
        .join("/");
    (host, Some(path))
}

/// `[1000 次/分钟、50 次/秒](...)`, `特殊频控`, `5 QPS`.
pub(crate) fn rate_limit(text: &str) -> RateLimit {
    let mut limit = RateLimit {
        per_minute: None,
        per_second: None,
        special: text.contains("特殊频控"),
        text: text.to_owned(),
    };
    let mut rest = text;
    while let Some(start) = rest.find(|c: char| c.is_ascii_digit()) {
        let tail = rest.get(start..).unwrap_or("");
        let digits = tail.bytes().take_while(u8::is_ascii_digit).count();
        let number = tail.get(..digits).and_then(|d| d.parse::<u32>().ok());
        let unit = tail.get(digits..).unwrap_or("").trim_start();
        if ["次/分钟", "次/分", "次/min", "次每分钟"]
            .iter()
            .any(|u| unit.starts_with(u))
        {
            limit.per_minute = limit.per_minute.or(number);
        } else if ["次/秒", "QPS", "次/s", "次每秒"]
            .iter()
            .any(|u| unit.starts_with(u))
        {
            limit.per_second = limit.per_second.or(number);
        }
        rest = tail.get(digits.max(1)..).unwrap_or("");
    }
    limit
}

/// `custom,isv` (raw tag), `custom  isv` (seed), `自建应用、商店应用` (pipe).
fn app_types(value: &Cell, facts: &mut Facts) {
    let mut pos = 0;
    let mut found = false;
    while let Some(tag) = next_tag(&value.text, pos) {
        pos = tag.end;
        if tag.name == "md-app-support" && !tag.close {
            let line = line_in(value, tag.start);
            for t in attr(tag.attrs, "types").unwrap_or_default().split(',') {
                if !t.trim().is_empty() {
                    facts.app_types.push(At::new(t.trim().to_owned(), line));
                    found = true;
                }
            }
        }
    }
    if found {
        return;
    }
    for (k, line) in cell::plain(&value.text).lines().enumerate() {
        for t in line.split([',', '，', '、', ' ', '/', '\u{a0}']) {
            if !t.trim().is_empty() {
                facts
                    .app_types
                    .push(At::new(t.trim().to_owned(), value.line + k));
            }
        }
    }
}

/// The line of byte `pos` of a cell's text.
fn line_in(c: &Cell, pos: usize) -> usize {
    let text = c.text.as_str();
    let lead = text.len() - text.trim_start().len();
    let newlines = text
        .get(lead.min(pos)..pos)
        .map_or(0, |s| s.matches('\n').count());
    c.line + newlines
}

fn scopes(
    value: &Cell,
    facts: &mut Facts,
    names: &mut Vec<At<String>>,
    descriptions: &mut Vec<String>,
) {
    // Raw: <md-perm name="docs:doc" desc="...">...</md-perm>.
    let mut pos = 0;
    let mut tagged = false;
    while let Some(tag) = next_tag(&value.text, pos) {
        pos = tag.end;
        if tag.name == "md-perm" && !tag.close {
            tagged = true;
            let name = attr(tag.attrs, "name").unwrap_or_default();
            let description = attr(tag.attrs, "desc").unwrap_or_else(|| {
                let inner = value.text.get(tag.end..).unwrap_or("");
                cell::plain(inner.split("</md-perm>").next().unwrap_or(""))
            });
            let scope = Scope { name, description };
            facts.scopes.push(At::new(scope, line_in(value, tag.start)));
        }
    }
    if tagged {
        return;
    }
    // Pipe: `导出云文档(docs:document:export)` per line; seed: names or descriptions, `<br>`.
    let text = value.text.replace("<br>", "\n");
    for (k, item) in text.lines().map(str::trim).enumerate() {
        if item.is_empty() {
            continue;
        }
        let line = if value.text.contains("<br>") {
            value.line
        } else {
            value.line + k
        };
        if let Some((description, name)) = described_scope(item) {
            facts
                .scopes
                .push(At::new(Scope { name, description }, line));
        } else if is_scope_name(item) {
            names.push(At::new(item.to_owned(), line));
        } else {
            descriptions.push(item.to_owned());
        }
    }
}

/// `导出云文档(docs:document:export)` → (description, name).
fn described_scope(item: &str) -> Option<(String, String)> {
    let item = item.trim_end_matches(['）', ')']);
    let open = item.rfind(['(', '（'])?;
    let name = item.get(open..)?.trim_start_matches(['(', '（']).trim();
    let description = item.get(..open)?.trim();
    (is_scope_name(name) && !description.is_empty())
        .then(|| (description.to_owned(), name.to_owned()))
}

/// A scope name: ASCII without spaces, with a `:` or `.` (`drive:drive`, `bitable:app`).
fn is_scope_name(s: &str) -> bool {
    !s.is_empty()
        && s.is_ascii()
        && !s.contains(char::is_whitespace)
        && (s.contains(':') || s.contains('.'))
}

/// The token kinds a text names, in its order, by their normal names.
pub(crate) fn token_kinds(text: &str) -> Vec<String> {
    let mut found: Vec<(usize, &str)> = [
        ("tenant_access_token", "tenant_access_token"),
        ("token-tenant", "tenant_access_token"),
        ("user_access_token", "user_access_token"),
        ("token-user", "user_access_token"),
        ("app_access_token", "app_access_token"),
        ("token-app", "app_access_token"),
    ]
    .iter()
    .filter_map(|(needle, name)| text.find(needle).map(|at| (at, *name)))
    .collect();
    found.sort();
    let mut out: Vec<String> = Vec::new();
    for (_, name) in found {
        if !out.iter().any(|o| o == name) {
            out.push(name.to_owned());
        }
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn urls() {
        let (h, p) = split_url("`https://open.feishu.cn/open-apis/drive/v1/export_tasks/:ticket`");
        assert_eq!(h.as_deref(), Some("https://open.feishu.cn"));
        assert_eq!(
            p.as_deref(),
            Some("/open-apis/drive/v1/export_tasks/{ticket}")
        );
        let (_, p) = split_url("https://api.dingtalk.io/v2.0/doc/task/info/{taskId}?x=1");
        assert_eq!(p.as_deref(), Some("/v2.0/doc/task/info/{taskId}"));
        assert_eq!(split_url("nothing").1, None);
    }

    #[test]
    fn limits() {
        let r = rate_limit("[1000 次/分钟、50 次/秒](/ssl:ttdoc/x)");
        assert_eq!(
            (r.per_minute, r.per_second, r.special),
            (Some(1000), Some(50), false)
        );
        let r = rate_limit("[特殊频控](/ssl:ttdoc/ukTMukTMukTM/uUzN04SN3QjL1cDN)");
        assert_eq!((r.per_minute, r.per_second, r.special), (None, None, true));
        let r = rate_limit("99999999999 次/分钟");
        assert_eq!(r.per_minute, None);
    }

    #[test]
    fn scope_items() {
        assert_eq!(
            described_scope("获取用户 user ID(contact:user.employee_id:readonly)"),
            Some((
                "获取用户 user ID".into(),
                "contact:user.employee_id:readonly".into()
            ))
        );
        assert_eq!(
            token_kinds(
                "<md-tag type=\"token-user\">user_access_token</md-tag> 或 tenant_access_token"
            ),
            ["user_access_token", "tenant_access_token"]
        );
    }
}
