//! `taskapi serve-fake --tree N` and `--uploads`: the flags that put a [`FakeTree`] (and
//! [`FakeUploads`](super::FakeUploads)) behind the fake server started from the command
//! line, so a backup or an upload can be tried by hand without an account.

use super::{FakeTree, Source, TreeOptions};
use clap::{Arg, ArgAction, ArgMatches};
use std::time::Duration;
use taskapi::runtime::testing::FakeServer;

/// The flags `serve-fake` gains: `--tree N` (no tree unless given), `--tree-seed S`
/// (default 1), `--export-ready-ms MS`, `--export-expiry-secs S`, `--tree-max-size BYTES`,
/// `--no-hostile-titles`.
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
            .help("Take uploads (files into folders, import sources), whole or in parts, checking each part's size and checksum"),
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
        import_ready: defaults.import_ready,
        max_size: number("tree-max-size").unwrap_or(defaults.max_size),
        hostile_titles: !matches.get_flag("no-hostile-titles"),
    })
}

/// Installs the tree `--tree` asks for on `server` (its responders keep it alive); returns
/// the line to print: the folder and space to back up and how many items each has. Nothing
/// without `--tree`.
pub fn setup_from_args(server: &FakeServer, matches: &ArgMatches) -> Result<Vec<String>, String> {
    let mut lines = Vec::new();
    if matches.get_flag("uploads") {
        super::FakeUploads::default().install(server);
        lines.push("fake uploads: taken whole or in parts".to_owned());
    }
    let Some(options) = options_from(matches) else {
        return Ok(lines);
    };
    let tree = FakeTree::new(options);
    tree.install(server);
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
            "--tree-max-size",
            "100",
            "--no-hostile-titles",
        ]);
        let expected = TreeOptions {
            seed: 7,
            items: 30,
            export_ready: Duration::from_millis(5),
            export_expiry: Duration::from_secs(9),
            import_ready: TreeOptions::default().import_ready,
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
}
