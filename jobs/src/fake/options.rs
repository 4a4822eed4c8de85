//! [`TreeOptions`]: what a [`FakeTree`](super::FakeTree) is made of, so that a test asks
//! for the shape it needs (size, timing of exports, hostile titles) and nothing else.

use std::time::Duration;

/// How a [`FakeTree`](super::FakeTree) is generated and how its exports behave.
///
/// The same options (the same `seed` above all) give the same tree, byte for byte: a test
/// that fails can be run again on the very tree it failed on.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct TreeOptions {
    /// Seeds every random choice: titles, tokens, the shape of both trees, sizes, content.
    pub seed: u64,
    /// About how many items each tree has: the Drive folder tree and the wiki space are
    /// generated separately, each with about this many (folders and shortcuts included).
    /// `0` makes both empty (no hostile titles either): a root folder to write into.
    pub items: usize,
    /// Time from an export's create until its task reports success (default 200 ms, so that
    /// a poller polls at least once before the file is there).
    pub export_ready: Duration,
    /// How long after success an exported file can still be downloaded (default 600 s, the
    /// 10 minutes the real download page states); after it, downloads fail.
    pub export_expiry: Duration,
    /// Time from an import task's create until it ends and its document (if it succeeds)
    /// appears in its folder, polled or not (default 200 ms).
    pub import_ready: Duration,
    /// The largest file or export, in bytes; sizes vary from 0 to it (default 64 KiB).
    pub max_size: u64,
    /// Titles that break naive file naming, in the root folder of each tree: `../x`, `a/b`,
    /// `CON`, a 300-character title, two siblings with the same title and two differing only
    /// by case (default on).
    pub hostile_titles: bool,
}

impl Default for TreeOptions {
    fn default() -> Self {
        TreeOptions {
            seed: 1,
            items: 50,
            export_ready: Duration::from_millis(200),
            export_expiry: Duration::from_secs(600),
            import_ready: Duration::from_millis(200),
            max_size: 64 * 1024,
            hostile_titles: true,
        }
    }
}
