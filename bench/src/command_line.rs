//! The command line's words: the usage line, and the parts `--only` can name.

/// The parts `--only` can name, in the order they run.
const PARTS: [&str; 13] = [
    "generation",
    "compile",
    "client",
    "cli",
    "download",
    "tokens",
    "waiting",
    "batch",
    "pages",
    "lists",
    "backup",
    "upload",
    "shared",
];

pub const USAGE: &str = "usage: cargo xtask bench [--quick] [--only PART,...] [--baseline REV] \
                     (parts: generation, compile, client, cli, download, tokens, waiting, batch, pages, lists, backup, upload, shared; \
                     --baseline: also compile the output of git revision REV's generator)";

/// The parts named by `--only`, checked.
pub fn only(list: &str) -> Result<Vec<&'static str>, String> {
    list.split(',')
        .map(|name| {
            PARTS
                .into_iter()
                .find(|part| *part == name.trim())
                .ok_or_else(|| format!("no part {name:?}; {USAGE}"))
        })
        .collect()
}
