//! Reads one Feishu/Lark or DingTalk open-platform API doc page and extracts the facts an
//! endpoint spec holds: method, host and path, parameters, body and reply fields (with types,
//! `required`, examples, enum values and nesting), scopes, token kinds, rate limit, the JSON
//! examples and the error table.
//!
//! The pages come in four renderings ([`Rendering`]); each is read by its structure (headings,
//! table headers, tags), never by line numbers, so a page that gains a paragraph or a row reads
//! the same. Nothing here panics on any input: what cannot be read is reported as a
//! [`Problem`] carrying the line it is on, and everything else is still read.
//!
//! Text is kept as the page writes it (Chinese verbatim, links as on the page), with one
//! normalisation the specs use: inside a table cell, line breaks become `<br>` and each line's
//! trailing spaces are dropped.
//!
//! Module map, in reading order:
//! - [`read`] (here): the dispatch; this file declares and re-exports the others and holds
//!   nothing they use;
//! - `page`: what a read yields ([`Page`], [`Rendering`], [`Problem`]); `facts`: the facts
//!   themselves ([`Facts`], [`Field`], [`At`] ...), used by every reader;
//! - `detect`: which rendering a text is;
//! - `doc`: the text as numbered lines; `meta`: front matter and the comment header;
//! - `outline`: markdown headings and code fences; `pipe`, `html`: the two table syntaxes,
//!   both yielding `table::Table`; `tag`: the tag scanner under `html` and cell text;
//! - `cell`: cell text (`<br>`, appendices such as **示例值**, enum lists);
//! - `fields`: table rows to nested [`Field`]s; `shape`: a tolerant JSON reader whose key tree
//!   nests the rows of tables that lost their nesting;
//! - `feishu`, `basics`: the facts of the three Feishu renderings; `dingtalk`, `runs`:
//!   DingTalk's.
//!
//! `cargo run -p taskapi-docread --example read_page -- page.md` prints what is read from a
//! page (`--problems`, `--summary` for one line a page).
#![forbid(unsafe_code)]
#![cfg_attr(
    not(test),
    deny(
        clippy::unwrap_used,
        clippy::expect_used,
        clippy::indexing_slicing,
        clippy::panic,
        clippy::string_slice,
        clippy::unreachable
    )
)]

mod basics;
mod cell;
mod detect;
mod dingtalk;
mod doc;
mod facts;
mod feishu;
mod fields;
mod html;
mod meta;
mod outline;
mod page;
mod pipe;
mod runs;
mod shape;
mod table;
mod tag;

pub use facts::{At, EnumValue, ErrorRow, Facts, Field, RateLimit, Scope};
pub use page::{Page, Problem, Rendering};

/// Reads one page. Never panics; what it could not read is in `problems`, each with a line.
pub fn read(text: &str) -> Page {
    // A byte-order mark is no part of the first line's text; dropping it moves no line.
    let text = text.strip_prefix('\u{feff}').unwrap_or(text);
    let doc = doc::Doc::new(text);
    let mut problems = Vec::new();
    let rendering = detect::rendering(&doc, &mut problems);
    let mut facts = Facts::default();
    match rendering {
        Rendering::DingTalk => dingtalk::read(&doc, &mut facts, &mut problems),
        Rendering::Seed | Rendering::Raw | Rendering::Pipe => {
            feishu::read(&doc, rendering, &mut facts, &mut problems)
        }
    }
    // Every line reported is one of the page's (an empty page has one, empty, line).
    let last = doc.len().max(1);
    for p in &mut problems {
        p.line = p.line.clamp(1, last);
    }
    problems.sort_by_key(|p| p.line);
    Page {
        rendering,
        facts,
        problems,
    }
}
