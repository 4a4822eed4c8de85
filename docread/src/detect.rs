//! Which rendering a text is, from markers each rendering alone has. The checks go from the
//! most specific marker to the least, so a truncated page (its header or first table gone)
//! still lands on the rendering its remaining lines show.

use crate::doc::Doc;
use crate::page::{Problem, Rendering};

pub(crate) fn rendering(doc: &Doc, problems: &mut Vec<Problem>) -> Rendering {
    let text = doc.text;
    let first = doc.line(1).trim();
    if text.trim().is_empty() {
        problems.push(Problem::new(1, "the page is empty"));
        return Rendering::Seed;
    }
    // Raw: the platform's own tags, or its comment header.
    if text.contains("<md-table") || text.contains("<md-dt-table") || text.contains(":::html") {
        return Rendering::Raw;
    }
    if first.starts_with("<!--") && (text.contains("\nfullPath:") || text.contains("\nupdatedAt:"))
    {
        return Rendering::Raw;
    }
    // Pipe: YAML front matter with the crawler's keys.
    if first == "---" && (text.contains("\nsource_url:") || text.contains("\nlast_remote_update:"))
    {
        return Rendering::Pipe;
    }
    // DingTalk: its hosts, its token header, its skip link.
    if text.contains("api.dingtalk.")
        || text.contains("oapi.dingtalk.")
        || text.contains("x-acs-dingtalk-access-token")
        || first == "跳转到主要内容"
        || first == "Skip to main content"
    {
        return Rendering::DingTalk;
    }
    // Feishu without a header: seeds write tables with outer pipes, the pipe rendering without.
    let mut outer = 0usize;
    let mut bare = 0usize;
    let mut headings = 0usize;
    for n in doc.all() {
        let line = doc.line(n).trim();
        if crate::pipe::is_delimiter(line) {
            if line.starts_with('|') {
                outer += 1;
            } else {
                bare += 1;
            }
        } else if line.starts_with("## ") || line.starts_with("# ") {
            headings += 1;
        }
    }
    if bare > outer {
        Rendering::Pipe
    } else if outer > 0 || headings > 0 {
        Rendering::Seed
    } else {
        problems.push(Problem::new(
            1,
            "no heading, table or header tells which rendering this page is; read as a seed page",
        ));
        Rendering::Seed
    }
}
