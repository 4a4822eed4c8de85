//! `taskapi serve-fake --tree N` and `--uploads`: the flags that put a [`FakeTree`] (and
//! [`FakeUploads`](super::FakeUploads)) behind the fake server started from the command
//! line, so a backup or an upload can be tried by hand without an account. Both together
//! serve the tree writable ([`FakeTree::install_writable`]): uploads, folders and imports
//! land in it, so a migration can be tried too (`--tree 0`: into an empty root folder).

use super::{FakeTree, Source, TreeOptions};
use clap::{Arg, ArgAction, ArgMatches};
use std::time::Duration;
use taskapi::runtime::testing::FakeServer;

/// The flags `serve-fake` gains: `--tree N` (no tree unless given), `--tree-seed S`
/// (default 1), `--export-ready-ms MS`, `--export-expiry-secs S`, `--import-ready-ms MS`,
/// `--tree-max-size BYTES`, `--no-hostile-titles`, `--uploads`.
pub fn fake_args() -> Vec<Arg> {
    let number = || clap::value_parser!(u64);
    vec![
        Arg::new("tree")
            .long("tree")
            .value_name("N")
            .value_parser(clap::value_parser!(usize))
            .help("Serve a generated Drive folder tree and wiki space of about N items each (0: empty)"),
        Arg::new("tree-seed")
            .long("tree-seed")
            .value_name("S")
            .value_parser(number())
            .default_value("1")
            .help("Seed of the generated tree (the same seed gives the same tree)"),
        Arg::new("export-ready-ms")
            .long("export-ready-ms")
            .value_name("MS")
            .value_parser(number())
            .help("Time from an export's create to its success [default: 200]"),
        Arg::new("export-expiry-secs")
            .long("export-expiry-secs")
            .value_name("S")
            .value_parser(number())
            .help("How long an exported file can be downloaded after success [default: 600]"),
        Arg::new("import-ready-ms")
            .long("import-ready-ms")
            .value_name("MS")
            .value_parser(number())
            .help("Time from an import task's create to its end, with --tree and --uploads [default: 200]"),
        Arg::new("tree-max-size")
            .long("tree-max-size")
            .value_name("BYTES")
            .value_parser(number())
            .help("Largest file or export of the tree [default: 65536]"),
        Arg::new("no-hostile-titles")
            .long("no-hostile-titles")
            .action(ArgAction::SetTrue)
            .help("Leave out the titles that break naive file naming (../x, a/b, CON, ...)"),
        Arg::new("uploads")
            .long("uploads")
            .action(ArgAction::SetTrue)
            .help("Take uploads (files into folders, import sources), whole or in parts, checking each part's size and checksum; with --tree, into the tree, which then also takes new folders, imports and wiki moves"),
    ]
}

/// The options the flags ask for; `None` without `--tree`.
fn options_from(matches: &ArgMatches) -> Option<TreeOptions> {
    let items = *matches.get_one::<usize>("tree")?;
    let number = |id: &str| matches.get_one::<u64>(id).copied();
    let defaults = TreeOptions::default();
    Some(TreeOptions {
        seed: number("tree-seed").unwrap_or(defaults.seed),
        items,
        export_ready: number("export-ready-ms")
            .map_or(defaults.export_ready, Duration::from_millis),
        export_expiry: number("export-expiry-secs")
            .map_or(defaults.export_expiry, Duration::from_secs),
        import_ready: number("import-ready-ms")
            .map_or(defaults.import_ready, Duration::from_millis),
        max_size: number("tree-max-size").unwrap_or(defaults.max_size),
        hostile_titles: !matches.get_flag("no-hostile-titles"),
    })
}

/// Installs what the flags ask for on `server` (its responders keep it alive): `--uploads`
/// alone, uploads kept apart; `--tree`, the tree, read only, or writable with `--uploads`.
/// Returns the lines to print: what is served, and for a tree the folder and space to back
/// up (or migrate into) and how many items each has.
pub fn setup_from_args(server: &FakeServer, matches: &ArgMatches) -> Result<Vec<String>, String> {
    let uploads = matches.get_flag("uploads");
    let Some(options) = options_from(matches) else {
        if uploads {
            super::FakeUploads::default().install(server);
            return Ok(vec!["fake uploads: taken whole or in parts".to_owned()]);
        }
        return Ok(Vec::new());
    };
    let tree = FakeTree::new(options);
    let mut lines = Vec::new();
    if uploads {
        tree.install_writable(server);
        lines.push(format!(
            "fake uploads: taken whole or in parts into the tree; folders, imports and wiki \
             moves too (root folder {})",
            FakeTree::ROOT_FOLDER
        ));
    } else {
        tree.install(server);
    }
    let items = tree.items();
    let count = |source| items.iter().filter(|i| i.source == source).count();
    lines.push(format!(
        "fake tree: folder {}, wiki space {}, {} drive items, {} wiki nodes",
        FakeTree::ROOT_FOLDER,
        FakeTree::SPACE_ID,
        count(Source::Drive),
        count(Source::Wiki),
    ));
    Ok(lines)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn matches(args: &[&str]) -> ArgMatches {
        clap::Command::new("serve-fake")
            .args(fake_args())
            .try_get_matches_from(args)
            .unwrap()
    }

    #[test]
    fn they_make_a_serve_fake_extension() {
        let extension = taskapi::runtime::cli::FakeExtension {
            args: fake_args,
            setup: setup_from_args,
        };
        let args = (extension.args)();
        let longs: std::collections::HashSet<_> =
            args.iter().filter_map(|a| a.get_long()).collect();
        assert_eq!(
            longs.len(),
            args.len(),
            "every flag has a long name of its own"
        );
        assert!(
            args.iter().all(|a| a.get_help().is_some()),
            "every flag says what it does"
        );
    }

    #[test]
    fn no_tree_without_the_flag() {
        assert_eq!(options_from(&matches(&["serve-fake"])), None);
    }

    #[test]
    fn flags_set_the_options() {
        let m = matches(&[
            "serve-fake",
            "--tree",
            "30",
            "--tree-seed",
            "7",
            "--export-ready-ms",
            "5",
            "--export-expiry-secs",
            "9",
            "--import-ready-ms",
            "11",
            "--tree-max-size",
            "100",
            "--no-hostile-titles",
        ]);
        let expected = TreeOptions {
            seed: 7,
            items: 30,
            export_ready: Duration::from_millis(5),
            export_expiry: Duration::from_secs(9),
            import_ready: Duration::from_millis(11),
            max_size: 100,
            hostile_titles: false,
        };
        assert_eq!(options_from(&m), Some(expected));
        let d = options_from(&matches(&["serve-fake", "--tree", "3"])).unwrap();
        assert_eq!(
            d,
            TreeOptions {
                items: 3,
                ..TreeOptions::default()
            }
        );
    }

    #[test]
    fn tree_0_is_empty() {
        let options = options_from(&matches(&["serve-fake", "--tree", "0"])).unwrap();
        assert!(FakeTree::new(options).items().is_empty());
    }

    #[tokio::test]
    async fn setup_installs_and_says_what_it_serves() {
        let server = taskapi::testing::FakeServer::start().await.unwrap();
        let lines = setup_from_args(&server, &matches(&["serve-fake", "--tree", "20"])).unwrap();
        assert_eq!(lines.len(), 1);
        assert!(lines[0].starts_with(&format!("fake tree: folder {}", FakeTree::ROOT_FOLDER)));
        assert!(
            lines[0].contains("20 drive items, 20 wiki nodes"),
            "{}",
            lines[0]
        );
    }

    #[tokio::test]
    async fn tree_and_uploads_serve_a_writable_tree_even_an_empty_one() {
        use taskapi::feishu::{FeishuClient, UploadFileParentType};
        let server = taskapi::testing::FakeServer::start().await.unwrap();
        let flags = ["serve-fake", "--tree", "0", "--uploads"];
        let lines = setup_from_args(&server, &matches(&flags)).unwrap();
        assert_eq!(lines.len(), 2, "{lines:?}");
        assert!(lines[0].contains("into the tree"), "{}", lines[0]);
        assert!(
            lines[1].contains("0 drive items, 0 wiki nodes"),
            "{}",
            lines[1]
        );
        let client = server.client::<FeishuClient>().build().unwrap();
        let root = FakeTree::ROOT_FOLDER;
        let folder = client.create_folder("New", root).send().await.unwrap();
        let folder = folder.token.unwrap();
        let file = taskapi::runtime::UploadFile::bytes(b"hello".to_vec());
        let parent = UploadFileParentType::Explorer;
        let sent = client
            .upload_file("a.txt", parent, folder.as_str(), file)
            .send()
            .await;
        sent.unwrap();
        let listed = client.list_files().folder_token(root).send().await.unwrap();
        let files = listed.files.unwrap();
        assert_eq!(files.len(), 1);
        assert_eq!(files[0].token.as_deref(), Some(folder.as_str()));
        let inside = client
            .list_files()
            .folder_token(folder)
            .send()
            .await
            .unwrap();
        assert_eq!(inside.files.unwrap()[0].name.as_deref(), Some("a.txt"));
    }
}
