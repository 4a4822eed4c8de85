//! `taskapi upload <FILE> <FOLDER_TOKEN>`: a local file into a Drive folder, in one request
//! or in parts by size (see [`crate::upload`]).

use crate::upload::{UploadError, upload_file};
use clap::{Arg, ArgMatches, Command};
use std::path::PathBuf;
use taskapi::feishu::FeishuClient;
use taskapi::runtime::cli::{Call, Dispatched, EXIT_API, EXIT_OK, EXIT_TRANSPORT, Outcome};
use taskapi::runtime::with_causes;

pub(super) fn command() -> Command {
    Command::new("upload")
        .about("Upload a local file into a Drive folder: one request up to 20 MB, else in 4 MB parts read from the file as they go (any size in bounded memory); prints {\"file_token\", \"bytes\", \"parts\"}")
        .arg(
            Arg::new("file")
                .value_name("FILE")
                .required(true)
                .value_parser(clap::value_parser!(PathBuf)),
        )
        .arg(Arg::new("folder").value_name("FOLDER_TOKEN").required(true))
        .arg(
            Arg::new("name")
                .long("name")
                .value_name("NAME")
                .help("The file's name in the folder (default: its name here)"),
        )
}

pub(super) fn run<'a>(args: &'a ArgMatches, call: &'a Call<'_>) -> Dispatched<'a> {
    Box::pin(async move {
        let (Some(file), Some(folder)) = (
            args.get_one::<PathBuf>("file"),
            args.get_one::<String>("folder"),
        ) else {
            return Outcome::usage("name the file and the folder");
        };
        let name = match args.get_one::<String>("name") {
            Some(name) => name.clone(),
            None => match file.file_name().and_then(|n| n.to_str()) {
                Some(name) => name.to_owned(),
                None => {
                    return Outcome::usage(format!(
                        "{} has no usable name: give --name",
                        file.display()
                    ));
                }
            },
        };
        let client = match call.managed_client::<FeishuClient>() {
            Ok(client) => client,
            Err(outcome) => return outcome,
        };
        match upload_file(&client, file, &name, folder).await {
            Ok(uploaded) => Outcome {
                exit_code: EXIT_OK,
                stdout: serde_json::json!({
                    "file_token": uploaded.file_token,
                    "bytes": uploaded.bytes,
                    "parts": uploaded.parts,
                })
                .to_string()
                    + "\n",
                stderr: String::new(),
            },
            Err(error) => Outcome {
                exit_code: exit_code(&error),
                stdout: String::new(),
                stderr: format!("error: {}\n", with_causes(&error)),
            },
        }
    })
}

/// 2 for a file that cannot be read or is empty, 3 for an API error, else 4.
fn exit_code(error: &UploadError) -> i32 {
    match error {
        UploadError::Read { .. } | UploadError::Empty { .. } => taskapi::runtime::cli::EXIT_USAGE,
        UploadError::Call { api: true, .. } => EXIT_API,
        _ => EXIT_TRANSPORT,
    }
}
