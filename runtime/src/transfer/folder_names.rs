//! Where the items of a remote folder go on disk: a title made one file name, and names
//! kept distinct within a folder, also where they differ only by case (a case-insensitive
//! filesystem would make two of them one file).
//!
//! For jobs that mirror a tree (a backup of a folder or a wiki space). Titles come from the
//! server: [`title_file_name`] follows [`safe_file_name`](super::safe_file_name), so no
//! title reaches another folder; [`FolderNames`] gives each item of one folder a name of
//! its own, stable from run to run.

use super::name::{MAX_NAME_BYTES, safe_file_name, shorten};
use sha2::{Digest, Sha256};
use std::collections::HashSet;

/// What an item with no usable title is called.
const UNTITLED: &str = "untitled";

/// Hex digits of an item's id hash put in a name that collides; more when those collide too.
const SUFFIX_DIGITS: [usize; 3] = [8, 16, 64];

/// `title` as one file name with `extension` (without its dot) after it, if any. A `/` or
/// `\` in a title is part of the title (`a/b` becomes `a_b`), not a path; otherwise the
/// rules of [`safe_file_name`](super::safe_file_name): no control or reserved characters,
/// no leading dot, no Windows device name, at most 255 bytes with the extension kept. A
/// title with nothing usable is `untitled`.
pub fn title_file_name(title: &str, extension: Option<&str>) -> String {
    let flat = title.replace(['/', '\\'], "_");
    let extension = extension.and_then(|e| safe_file_name(e.trim_start_matches('.')));
    let base = safe_file_name(&flat).unwrap_or_else(|| UNTITLED.to_owned());
    match extension {
        Some(extension) => safe_file_name(&format!("{base}.{extension}"))
            .unwrap_or_else(|| format!("{UNTITLED}.{extension}")),
        None => base,
    }
}

/// The names given in one folder. The first item to claim a name gets it as it is; a later
/// one whose name is taken, in any case, gets `~` and a hash of its id before the
/// extension (`Report~1a2b3c4d.docx`): the same for that item whatever else is in the
/// folder. A job that records the names it gave [`keep`](Self::keep)s them on its next run,
/// so every item keeps its name.
#[derive(Debug, Default)]
pub struct FolderNames {
    /// Every name given, lower-cased.
    taken: HashSet<String>,
}

impl FolderNames {
    /// A folder where nothing is named yet.
    pub fn new() -> Self {
        Self::default()
    }

    /// Takes `name` as it is (one an earlier run gave); false when it was taken already.
    pub fn keep(&mut self, name: &str) -> bool {
        self.taken.insert(fold(name))
    }

    /// A name for the item `id` titled `title` (see [`title_file_name`]), distinct from
    /// every name given in this folder so far.
    pub fn claim(&mut self, id: &str, title: &str, extension: Option<&str>) -> String {
        let plain = title_file_name(title, extension);
        if self.keep(&plain) {
            return plain;
        }
        let hash = hex(&Sha256::digest(id.as_bytes()));
        for digits in SUFFIX_DIGITS {
            let name = with_suffix(&plain, &format!("~{}", &hash[..digits]));
            if self.keep(&name) {
                return name;
            }
        }
        // Two ids with one hash: the first free number after it.
        (2u64..)
            .map(|n| with_suffix(&plain, &format!("~{hash}-{n}")))
            .find(|name| self.keep(name))
            .expect("some number is free")
    }
}

/// `name` with `suffix` before its extension, the stem shortened to keep within 255 bytes.
fn with_suffix(name: &str, suffix: &str) -> String {
    let (stem, extension) = match name.rfind('.') {
        Some(dot) if dot > 0 => name.split_at(dot),
        _ => (name, ""),
    };
    let room = MAX_NAME_BYTES.saturating_sub(suffix.len() + extension.len());
    let mut cut = stem.len().min(room);
    while !stem.is_char_boundary(cut) {
        cut -= 1;
    }
    shorten(format!("{}{suffix}{extension}", &stem[..cut]))
}

/// The key two names collide under: case-insensitive, as on Windows and macOS by default.
fn fold(name: &str) -> String {
    name.to_lowercase()
}

fn hex(bytes: &[u8]) -> String {
    bytes.iter().map(|b| format!("{b:02x}")).collect()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn hostile_titles_stay_one_name_inside_the_folder() {
        for (title, expected) in [
            ("../x", "_._x"),
            ("a/b", "a_b"),
            ("a\\b", "a_b"),
            ("CON", "_CON"),
            ("", UNTITLED),
            ("..", UNTITLED),
            ("报告 2024", "报告 2024"),
        ] {
            let name = title_file_name(title, None);
            assert_eq!(name, expected, "{title:?}");
            assert!(!name.contains(['/', '\\']) && name != ".." && name != ".");
        }
        assert_eq!(title_file_name("a/b", Some("docx")), "a_b.docx");
        assert_eq!(title_file_name("nul", Some(".txt")), "_nul.txt");
        let long = title_file_name(&"长".repeat(300), Some("xlsx"));
        assert!(
            long.len() <= MAX_NAME_BYTES && long.ends_with(".xlsx"),
            "{long}"
        );
    }

    #[test]
    fn twins_get_distinct_names_and_each_keeps_its_own() {
        let mut folder = FolderNames::new();
        let first = folder.claim("doxA", "Report", Some("docx"));
        let twin = folder.claim("doxB", "Report", Some("docx"));
        let case_twin = folder.claim("doxC", "REPORT", Some("DOCX"));
        assert_eq!(first, "Report.docx");
        assert!(
            twin.starts_with("Report~") && twin.ends_with(".docx"),
            "{twin}"
        );
        assert!(case_twin.starts_with("REPORT~"), "{case_twin}");
        let folded: HashSet<String> = [&first, &twin, &case_twin].map(|n| fold(n)).into();
        assert_eq!(folded.len(), 3, "distinct whatever the case");
        // The suffix is the item's: the same in another run, whoever else is there.
        let mut again = FolderNames::new();
        assert!(again.keep("Report.docx"));
        again.claim("doxZ", "Report", Some("docx"));
        assert_eq!(again.claim("doxB", "Report", Some("docx")), twin);
        // A name given before is kept, not given again.
        assert!(!again.keep(&twin.to_uppercase()));
    }

    #[test]
    fn a_suffixed_long_name_keeps_its_suffix_and_extension_within_255_bytes() {
        let mut folder = FolderNames::new();
        let title = "字".repeat(200);
        let first = folder.claim("a", &title, Some("pdf"));
        let second = folder.claim("b", &title, Some("pdf"));
        assert_ne!(fold(&first), fold(&second));
        assert!(second.len() <= MAX_NAME_BYTES, "{}", second.len());
        assert!(second.ends_with(".pdf") && second.contains('~'), "{second}");
    }
}
