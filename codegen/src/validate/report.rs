//! How the checks record problems: [`report`] puts one at a spec value, and [`Names`] makes
//! a second claim to a name in a namespace one.

use crate::decode::Spanned;
use crate::diag::Diagnostics;
use std::collections::BTreeMap;

/// Records a problem at a spec value: its line, column and field path.
pub(super) fn report<T>(
    diags: &mut Diagnostics,
    file: &str,
    at: &Spanned<T>,
    message: impl Into<String>,
) {
    diags.push(file, Some(at.at), &at.path, message);
}

/// Claims a name within a namespace, reporting a collision with where it was first claimed.
pub(super) struct Names<'a> {
    what: &'static str,
    seen: BTreeMap<String, Claim<'a>>,
}

/// Who claimed a name: a field path, and the file when the namespace spans files.
#[derive(Clone, Copy)]
struct Claim<'a> {
    file: Option<&'a str>,
    by: &'a str,
}

impl<'a> Names<'a> {
    pub(super) fn new(what: &'static str) -> Self {
        Names {
            what,
            seen: BTreeMap::new(),
        }
    }

    pub(super) fn claim(&mut self, name: String, claimed_by: &'a str) -> Result<(), String> {
        self.claim_at(name, None, claimed_by)
    }

    /// As [`claim`](Self::claim), in a namespace that spans files: a collision with a
    /// claim from another file names that file.
    pub(super) fn claim_in(
        &mut self,
        name: String,
        file: &'a str,
        claimed_by: &'a str,
    ) -> Result<(), String> {
        self.claim_at(name, Some(file), claimed_by)
    }

    fn claim_at(&mut self, name: String, file: Option<&'a str>, by: &'a str) -> Result<(), String> {
        match self.seen.get(&name) {
            Some(first) => {
                let at = match first.file {
                    Some(first_file) if Some(first_file) != file => {
                        format!("{first_file}: {}", first.by)
                    }
                    _ => first.by.to_owned(),
                };
                Err(format!("{} `{name}` collides with {at}", self.what))
            }
            None => {
                self.seen.insert(name, Claim { file, by });
                Ok(())
            }
        }
    }
}
