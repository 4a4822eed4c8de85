//! `--all` on a paginated endpoint's subcommand: every item of every page, one JSON object
//! per line on stdout, in order, as each page arrives (a stream, never the whole list in
//! memory); `--page-size N` sets the size asked for (default: the spec's `max_size`).
//!
//! - Items are printed as received (fields the spec does not know included), one line each.
//! - A page that fails after its retries, or whose cursor cannot be followed (a repeated
//!   token, `has_more` without a token), ends the run after the items already printed,
//!   with the error and the pages and items read on stderr. Exit code: the failed page's
//!   (3 for an API error, 4 for a transport failure), 4 for a cursor that cannot be
//!   followed (the reply is at fault, as with an undecodable one).
//! - A closed stdout (`| head`) ends the list quietly.
//! - On a terminal, a spinner on stderr counts the items and pages so far.

use super::call::{Call, progress_on_terminal};
use super::outcome::{
    EXIT_OK, EXIT_OUTPUT, EXIT_TRANSPORT, Outcome, Output, one_line, with_causes,
};
use crate::{EndpointError, PageError, Pages, Paginated};
use clap::{Arg, ArgAction, Command};
use indicatif::{ProgressBar, ProgressFinish, ProgressStyle};
use serde::Serialize;
use serde_json::value::RawValue;
use std::collections::HashMap;

/// `--all`.
const ALL: &str = "all";
/// `--page-size`: the page size parameter's flag, or an alias of it.
const PAGE_SIZE: &str = "page-size";

/// A paginated endpoint's subcommand with `--all`, and `--page-size` for its page size
/// parameter (whose argument id is `size_param`).
pub(super) fn with_list(subcommand: Command, size_param: &str) -> Command {
    subcommand
        .mut_arg(size_param, |arg| {
            if arg.get_long() == Some(PAGE_SIZE) {
                arg
            } else {
                arg.visible_alias(PAGE_SIZE)
            }
        })
        .arg(Arg::new(ALL).long(ALL).action(ArgAction::SetTrue).help(
            "Every item of every page, one JSON object per line as the pages arrive (the page \
             size is the spec's maximum unless --page-size is given). An error mid-list \
             exits non-zero after the items printed, saying on stderr how many pages were read",
        ))
}

impl Call<'_> {
    /// Whether `--all` was given.
    pub fn listing_all(&self) -> bool {
        self.args.try_get_one::<bool>(ALL).ok().flatten() == Some(&true)
    }

    /// `--all`: prints every item of `pages`, whose replies carry them in `items_field`.
    pub async fn list_all<R>(&self, mut pages: Pages<R>, items_field: &str) -> Outcome
    where
        R: Paginated,
        R::Item: Serialize,
        R::Error: EndpointError,
    {
        let mut printed: u64 = 0;
        let bar = (matches!(self.output, Output::Print) && progress_on_terminal()).then(bar);
        while let Some(page) = pages.next().await {
            let page = match page {
                Ok(page) => page,
                Err(error) => return self.list_failed(&error, printed),
            };
            let lines = match self.take_raw().and_then(|raw| raw_items(&raw, items_field)) {
                Some(lines) => lines,
                None => typed_items::<R>(page),
            };
            for line in lines {
                if let Err(e) = self.output.stdout(&(line + "\n")) {
                    return output_failed(e);
                }
                printed += 1;
            }
            if let Some(bar) = &bar {
                bar.set_position(printed);
                bar.set_message(format!("{} pages", pages.pages_read()));
            }
        }
        drop(bar);
        Outcome {
            exit_code: EXIT_OK,
            stdout: String::new(),
            stderr: format!("list: {printed} items in {} pages\n", pages.pages_read()),
        }
    }

    fn list_failed<E: EndpointError>(&self, error: &PageError<E>, printed: u64) -> Outcome {
        let summary = format!(
            "list: incomplete: {printed} items printed from {} pages read\n",
            error.pages_read()
        );
        let mut outcome = match error.call_error() {
            Some(call) => Outcome::failure(call, |param| self.flag(param)),
            None => Outcome {
                exit_code: EXIT_TRANSPORT,
                stdout: String::new(),
                stderr: format!("error: {}\n", with_causes(error)),
            },
        };
        outcome.stderr.push_str(&summary);
        outcome
    }
}

/// The items of a page's data as received, one compact line each; `None` when the data
/// does not hold them as an array (the typed page is printed then).
fn raw_items(raw: &str, items_field: &str) -> Option<Vec<String>> {
    let data: HashMap<&str, &RawValue> = serde_json::from_str(raw).ok()?;
    let items: Vec<&RawValue> = match data.get(items_field) {
        Some(items) => serde_json::from_str(items.get()).ok()?,
        None => Vec::new(),
    };
    Some(items.iter().map(|item| one_line(item.get())).collect())
}

/// The page's items re-serialized from their types.
fn typed_items<R: Paginated>(page: R::Page) -> Vec<String>
where
    R::Item: Serialize,
{
    R::into_items(page)
        .iter()
        .map(|item| {
            serde_json::to_string(item).unwrap_or_else(|e| format!("{{\"unprintable\": \"{e}\"}}"))
        })
        .collect()
}

/// The spinner: items printed, their rate, pages read.
fn bar() -> ProgressBar {
    // Cleared however the list ends (an early return included).
    let bar = ProgressBar::new_spinner().with_finish(ProgressFinish::AndClear);
    if let Ok(style) =
        ProgressStyle::with_template("{spinner} {elapsed} {pos} items ({per_sec}): {msg}")
    {
        bar.set_style(style);
    }
    bar.enable_steady_tick(std::time::Duration::from_millis(200));
    bar
}

fn output_failed(e: std::io::Error) -> Outcome {
    match e.kind() {
        // The reader went away (`| head`): end quietly.
        std::io::ErrorKind::BrokenPipe => Outcome {
            exit_code: EXIT_OK,
            stdout: String::new(),
            stderr: String::new(),
        },
        _ => Outcome {
            exit_code: EXIT_OUTPUT,
            stdout: String::new(),
            stderr: format!("error: cannot write the output to stdout: {e}\n"),
        },
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn items_are_printed_as_received_one_per_line() {
        let raw =
            r#"{"files": [ {"name": "a", "extra": [1, 2]}, {"name":"b"} ], "has_more": true}"#;
        assert_eq!(
            raw_items(raw, "files").unwrap(),
            [r#"{"name":"a","extra":[1,2]}"#, r#"{"name":"b"}"#]
        );
        assert_eq!(
            raw_items(r#"{"has_more": false}"#, "files").unwrap().len(),
            0
        );
        assert!(raw_items(r#"{"files": 3}"#, "files").is_none());
    }
}
