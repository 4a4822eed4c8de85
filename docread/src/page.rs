//! What reading a page yields: its [`Rendering`], its [`Facts`] and the [`Problem`]s met on
//! the way.

use crate::facts::Facts;
use std::fmt;

/// One page as read.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Page {
    pub rendering: Rendering,
    pub facts: Facts,
    pub problems: Vec<Problem>,
}

/// How a page is written down; see the crate docs of each reader for the markers.
#[non_exhaustive]
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum Rendering {
    /// The project's seed pages: `##` headings, pipe tables with leading and trailing `|`,
    /// `<br>` inside cells, `/ssl:ttdoc/...` links.
    Seed,
    /// The open platform's own markdown: an HTML comment header, `:::html` blocks holding
    /// `<md-table>` / `<md-dt-table level="N">` tables, `<md-enum-item>`, `<md-perm>`.
    Raw,
    /// Pipe tables without outer `|`, multi-line cells continued after a trailing double space,
    /// YAML front matter (`source_url`, `last_remote_update`), absolute links.
    Pipe,
    /// A DingTalk page as text: plain-line headings (基本信息, 请求头, Body参数, 返回参数 ...),
    /// table cells run together (`taskIdString任务id`), or pipe tables.
    DingTalk,
}

impl fmt::Display for Rendering {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(match self {
            Rendering::Seed => "seed",
            Rendering::Raw => "raw",
            Rendering::Pipe => "pipe",
            Rendering::DingTalk => "dingtalk",
        })
    }
}

/// A part of the page that could not be read, and where it is.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Problem {
    /// 1-based line in the page (always one of its lines).
    pub line: usize,
    pub message: String,
}

impl Problem {
    pub(crate) fn new(line: usize, message: impl Into<String>) -> Self {
        Problem {
            line,
            message: message.into(),
        }
    }
}

impl fmt::Display for Problem {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "line {}: {}", self.line, self.message)
    }
}
