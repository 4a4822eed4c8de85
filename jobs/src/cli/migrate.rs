//! `taskapi migrate folder <DIR> <FOLDER_TOKEN>`, `taskapi migrate wiki <DIR> <SPACE_ID>` and
//! `taskapi migrate status <DIR>`.

use super::exit::{finished, stopped};
use super::progress::{Progress, Tick};
use crate::migrate::{DEFAULT_WORKERS, Entry, EntryCounts, EntryState, Event, Migrate, Summary};
use crate::record::{RecordError, Remote};
use crate::upload::Spreadsheets;
use clap::{Arg, ArgAction, ArgMatches, Command};
use serde::Serialize;
use std::path::PathBuf;
use std::time::Duration;
use taskapi::feishu::FeishuClient;
use taskapi::runtime::cli::{Call, Dispatched, EXIT_OK, Outcome};
use taskapi::runtime::with_causes;

pub(super) fn command() -> Command {
    let dir = || {
        Arg::new("dir")
            .value_name("DIR")
            .required(true)
            .value_parser(clap::value_parser!(PathBuf))
            .help("The local folder to migrate; its record is DIR/.taskapi/ (never uploaded)")
    };
    let json = || {
        Arg::new("json")
            .long("json")
            .action(ArgAction::SetTrue)
            .help("Print the summary as JSON on stdout")
    };
    let job_args = || -> Vec<Arg> {
        vec![
            Arg::new("as")
                        .long("as")
                        .value_name("sheet|bitable")
                        .value_parser(["sheet", "bitable"])
                        .help("What xlsx and csv files become (default sheet; xls is always a sheet). A folder keeps the choice of its first run"),
            Arg::new("imports-only")
                        .long("imports-only")
                        .action(ArgAction::SetTrue)
                        .help("Leave out files no import takes (recorded skipped) instead of uploading them as they are"),
            Arg::new("update")
                        .long("update")
                        .action(ArgAction::SetTrue)
                        .help("Import files changed since they were migrated again (prints what each replaces; the old document stays)"),
            Arg::new("jobs")
                        .long("jobs")
                        .value_name("N")
                        .value_parser(clap::value_parser!(u64).range(1..=64))
                        .help(format!("Entries in work at once (default {DEFAULT_WORKERS}); the rate limits set the pace")),
            Arg::new("retry-failed")
                        .long("retry-failed")
                        .action(ArgAction::SetTrue)
                        .help("Try the entries recorded failed again, without scanning DIR"),
            Arg::new("reconcile-wait")
                        .long("reconcile-wait")
                        .value_name("SECONDS")
                        .value_parser(clap::value_parser!(u64).range(0..=3600))
                        .help("How long after an import whose reply was lost the target folder is watched for its document before the import is started again (default 60)"),
        ]
    };
    Command::new("migrate")
        .about("Move a local folder into a Drive folder or a wiki space: directories become folders (or nodes), files are imported as documents (or uploaded as they are); run again to continue, never duplicating")
        .long_about(
            "Move a local folder into a Drive folder (or a wiki space): DIR's entries land in \
             the target folder, a folder (a wiki node) is created for each directory, each file is imported as the document \
             its extension makes (docx/doc, md/txt/html -> docx; xlsx/csv -> sheet or bitable \
             per --as; xls -> sheet), within the import's size limit, else uploaded as it is \
             (or left out with --imports-only). Every step is recorded in DIR/.taskapi/ \
             before the next, and every create before it is sent: run the same command again \
             after a crash to continue; a create whose reply was lost is looked for in the \
             target folder before it is sent again, so nothing is made twice. A file changed \
             after it was migrated is imported again only with --update. Exit codes: 0 \
             everything migrated (or skipped, with a reason), 5 some entries failed (see \
             `migrate status`; --retry-failed), 3 the provider refused the app, 4 the \
             provider could not be reached or DIR could not be read, 2 usage (also: another \
             job runs on DIR).",
        )
        .subcommand_required(true)
        .args_conflicts_with_subcommands(true)
        .subcommand(
            Command::new("status")
                .about("Print a migration's record: counts per state, and every entry")
                .arg(dir())
                .arg(json()),
        )
        .subcommand(
            Command::new("folder")
                .about("Migrate DIR into a Drive folder")
                .arg(dir())
                .arg(Arg::new("folder").value_name("FOLDER_TOKEN").required(true))
                .args(job_args())
                .arg(json()),
        )
        .subcommand(
            Command::new("wiki")
                .about("Migrate DIR into a wiki space: directories become nodes (documents holding their children); files are imported (or uploaded) into a Drive folder of the run's own, then moved under their directory's node")
                .arg(dir())
                .arg(Arg::new("space").value_name("SPACE_ID").required(true))
                .arg(
                    Arg::new("parent-node")
                        .long("parent-node")
                        .value_name("TOKEN")
                        .help("Put DIR's entries under this node (default: the space's top level)"),
                )
                .args(job_args())
                .arg(json()),
        )
}

pub(super) fn run<'a>(args: &'a ArgMatches, call: &'a Call<'_>) -> Dispatched<'a> {
    Box::pin(async move {
        let Some((which, args)) = args.subcommand() else {
            return Outcome::usage(
                "name what to do: migrate folder DIR FOLDER_TOKEN, or migrate status DIR",
            );
        };
        let Some(dir) = args.get_one::<PathBuf>("dir").cloned() else {
            return Outcome::usage("name the folder to migrate");
        };
        if which == "status" {
            return status(dir, args.get_flag("json"));
        }
        if !dir.is_dir() {
            return Outcome::usage(format!("{} is not a folder", dir.display()));
        }
        let target = match which {
            "wiki" => Remote::Wiki {
                space_id: args.get_one::<String>("space").cloned().unwrap_or_default(),
                parent_node: args.get_one::<String>("parent-node").cloned(),
            },
            _ => Remote::Folder {
                token: args
                    .get_one::<String>("folder")
                    .cloned()
                    .unwrap_or_default(),
            },
        };
        let client = match call.managed_client::<FeishuClient>() {
            Ok(client) => client,
            Err(outcome) => return outcome,
        };
        let spreadsheets = match args.get_one::<String>("as").map(String::as_str) {
            Some("bitable") => Spreadsheets::Bitable,
            _ => Spreadsheets::Sheet,
        };
        let mut migrate = Migrate::new(client, dir, target)
            .spreadsheets(spreadsheets)
            .imports_only(args.get_flag("imports-only"))
            .update(args.get_flag("update"))
            .retry_failed(args.get_flag("retry-failed"));
        if let Some(jobs) = args.get_one::<u64>("jobs") {
            migrate = migrate.workers(*jobs as usize);
        }
        if let Some(wait) = args.get_one::<u64>("reconcile-wait") {
            migrate = migrate.reconcile_wait(Duration::from_secs(*wait));
        }
        let progress = Progress::start("migrate", ("found", "importing"));
        let reporter = progress.clone();
        let result = migrate
            .on_event(move |event| {
                if let Some(tick) = tick(event) {
                    reporter.record(tick);
                }
            })
            .run()
            .await;
        progress.finish();
        match result {
            Ok(summary) => finished(
                summary.complete(),
                &summary,
                args.get_flag("json"),
                summary_line(&summary),
            ),
            Err(error) => stopped("migrate", &error),
        }
    })
}

/// What a migration's event means for its progress.
fn tick(event: &Event) -> Option<Tick> {
    Some(match event {
        Event::Scanned { entries, .. } => Tick::Found(*entries),
        Event::Pending { entries } => Tick::Pending(*entries),
        Event::ImportStarted { .. } => Tick::Started,
        Event::Imported { .. } => Tick::Ended,
        Event::Done { .. } => Tick::Done,
        Event::Failed { .. } => Tick::Failed,
        Event::Replacing { path, token } => Tick::Note(format!(
            "{path} changed: its new import replaces {token} (which stays)"
        )),
        _ => return None,
    })
}

/// The line a run ends with on stderr.
fn summary_line(summary: &Summary) -> String {
    let r = &summary.record;
    let mut line = format!(
        "migrate: {} done ({} bytes of files), {} skipped, {} failed, {} changed since; \
         this run: {} creates, {} bytes uploaded, {} found after a lost reply, in {:.1} s\n",
        r.get(EntryState::Done),
        r.bytes,
        r.get(EntryState::Skipped),
        r.get(EntryState::Failed),
        r.get(EntryState::Changed),
        summary.creates,
        summary.uploaded_bytes,
        summary.reconciled,
        summary.elapsed.as_secs_f64()
    );
    if r.get(EntryState::Changed) > 0 {
        line.push_str("migrate: files changed since they were migrated are left as they are; --update imports them again\n");
    }
    if summary.blocked > 0 {
        line.push_str(&format!(
            "migrate: {} entries wait for a folder that could not be created\n",
            summary.blocked
        ));
    }
    if r.get(EntryState::Failed) > 0 {
        line.push_str(
            "migrate: see `taskapi migrate status DIR`; --retry-failed tries the failed again\n",
        );
    }
    line
}

/// `migrate status DIR`: counts per state, then a line per entry (or one JSON object).
fn status(dir: PathBuf, json: bool) -> Outcome {
    let (target, counts, entries) = match crate::migrate::read_record(&dir) {
        Ok(read) => read,
        Err(e @ RecordError::Missing { .. }) => return Outcome::usage(e),
        Err(e) => return Outcome::usage(with_causes(&e)),
    };
    let stdout = if json {
        #[derive(Serialize)]
        struct Status<'a> {
            target: Option<String>,
            counts: &'a EntryCounts,
            entries: &'a [Entry],
        }
        let status = Status {
            target,
            counts: &counts,
            entries: &entries,
        };
        serde_json::to_string(&status).unwrap_or_default() + "\n"
    } else {
        let mut out = format!("target: {}\n", target.as_deref().unwrap_or("unknown"));
        for state in EntryState::ALL {
            out.push_str(&format!("{:>10}: {}\n", state.as_str(), counts.get(state)));
        }
        out.push_str(&format!("{:>10}: {}\n\n", "bytes", counts.bytes));
        for e in &entries {
            out.push_str(&format!(
                "{}\t{}\t{}\t{}\t{}\n",
                e.state.as_str(),
                e.remote_kind(),
                e.path,
                e.token.as_deref().unwrap_or("-"),
                e.reason.as_deref().unwrap_or(""),
            ));
        }
        out
    };
    Outcome {
        exit_code: EXIT_OK,
        stdout,
        stderr: String::new(),
    }
}
