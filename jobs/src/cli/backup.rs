//! `taskapi backup folder <FOLDER_TOKEN> <DIR>`, `taskapi backup wiki <SPACE_ID> <DIR>` and
//! `taskapi backup status <DIR>`.

use super::exit::{finished, stopped};
use super::progress::{Progress, Tick};
use super::status;
use crate::backup::{Backup, DEFAULT_WORKERS, Event, Formats, JobError, Summary};
use crate::record::Remote;
use clap::{Arg, ArgAction, ArgMatches, Command};
use std::path::PathBuf;
use taskapi::feishu::FeishuClient;
use taskapi::runtime::cli::{Call, Dispatched, Outcome};

pub(super) fn command() -> Command {
    let job_args = || {
        [
            Arg::new("format")
                .long("format")
                .value_name("TYPE=FORMAT,..")
                .help("Export formats per document type (defaults: doc=docx, docx=docx, sheet=xlsx, bitable=xlsx; doc and docx also pdf). A folder keeps the formats of its first backup"),
            Arg::new("jobs")
                .long("jobs")
                .value_name("N")
                .value_parser(clap::value_parser!(u64).range(1..=256))
                .help(format!("Items in work at once (default {DEFAULT_WORKERS}); the rate limits set the pace")),
            Arg::new("retry-failed")
                .long("retry-failed")
                .action(ArgAction::SetTrue)
                .help("Try the items recorded failed again, without listing the source"),
            Arg::new("json")
                .long("json")
                .action(ArgAction::SetTrue)
                .help("Print the summary as JSON on stdout"),
        ]
    };
    let dir = || {
        Arg::new("dir")
            .value_name("DIR")
            .required(true)
            .value_parser(clap::value_parser!(PathBuf))
            .help("The folder to back up into; its record is DIR/.taskapi/")
    };
    Command::new("backup")
        .about("Back up a Drive folder tree or a wiki space to a folder: documents exported, files downloaded; run again to continue or update")
        .long_about(
            "Back up a Drive folder tree or a wiki space to a folder: folders become \
             directories, documents are exported (--format), files downloaded as they are, and \
             types that cannot be exported recorded as skipped. Every item's state is recorded \
             in DIR/.taskapi/ before the next step: run the same command again after a crash to \
             continue (nothing downloaded is fetched again, no started export started again), \
             or after a finished run to fetch only what changed. Exit codes: 0 everything \
             backed up, 5 some items failed (see `backup status`; --retry-failed), 3 the \
             provider refused the app, 4 the provider could not be reached or a file could \
             not be written, 2 usage (also: another backup runs on DIR).",
        )
        .subcommand_required(true)
        .subcommand(
            Command::new("folder")
                .about("Back up a Drive folder and everything below it")
                .arg(Arg::new("folder").value_name("FOLDER_TOKEN").required(true))
                .arg(dir())
                .args(job_args()),
        )
        .subcommand(
            Command::new("wiki")
                .about("Back up a wiki space, or the nodes under one of its nodes")
                .arg(Arg::new("space").value_name("SPACE_ID").required(true))
                .arg(dir())
                .arg(
                    Arg::new("parent-node")
                        .long("parent-node")
                        .value_name("TOKEN")
                        .help("Back up only the nodes under this node"),
                )
                .args(job_args()),
        )
        .subcommand(
            Command::new("status")
                .about("Print a backup's record: counts per state, and every item")
                .arg(dir())
                .arg(
                    Arg::new("json")
                        .long("json")
                        .action(ArgAction::SetTrue)
                        .help("As one JSON object"),
                ),
        )
}

pub(super) fn run<'a>(args: &'a ArgMatches, call: &'a Call<'_>) -> Dispatched<'a> {
    Box::pin(async move {
        let Some((which, args)) = args.subcommand() else {
            return Outcome::usage("name what to back up: folder, wiki or status");
        };
        let Some(dir) = args.get_one::<PathBuf>("dir").cloned() else {
            return Outcome::usage("name the folder to back up into");
        };
        let source = match which {
            "status" => return status::print(&dir, args.get_flag("json")),
            "folder" => Remote::Folder {
                token: args
                    .get_one::<String>("folder")
                    .cloned()
                    .unwrap_or_default(),
            },
            _ => Remote::Wiki {
                space_id: args.get_one::<String>("space").cloned().unwrap_or_default(),
                parent_node: args.get_one::<String>("parent-node").cloned(),
            },
        };
        let formats = match args.get_one::<String>("format").map(|f| Formats::parse(f)) {
            Some(Ok(formats)) => formats,
            Some(Err(e)) => return Outcome::usage(format!("--format: {e}")),
            None => Formats::default(),
        };
        let client = match call.managed_client::<FeishuClient>() {
            Ok(client) => client,
            Err(outcome) => return outcome,
        };
        let mut backup = Backup::new(client, source, dir)
            .formats(formats)
            .retry_failed(args.get_flag("retry-failed"));
        if let Some(jobs) = args.get_one::<u64>("jobs") {
            backup = backup.workers(*jobs as usize);
        }
        let progress = Progress::start("backup", ("listed", "exporting"));
        let reporter = progress.clone();
        let result = backup
            .on_event(move |event| {
                if let Some(tick) = tick(event) {
                    reporter.record(tick);
                }
            })
            .run()
            .await;
        progress.finish();
        outcome(result, args.get_flag("json"))
    })
}

/// What a backup's event means for its progress.
fn tick(event: &Event) -> Option<Tick> {
    Some(match event {
        Event::Listed { items, .. } => Tick::Found(*items),
        Event::Pending { items } => Tick::Pending(*items),
        Event::ExportStarted { .. } => Tick::Started,
        Event::Exported { .. } => Tick::Ended,
        Event::Saved { .. } => Tick::Done,
        Event::Failed { .. } => Tick::Failed,
        Event::ListFailed { id, error } => Tick::Note(format!("cannot list {id}: {error}")),
        _ => return None,
    })
}

/// The run's exit code and summary.
fn outcome(result: Result<Summary, JobError>, json: bool) -> Outcome {
    match result {
        Ok(summary) => finished(
            summary.complete(),
            &summary,
            json,
            status::summary_line(&summary),
        ),
        Err(error) => stopped("backup", &error),
    }
}
