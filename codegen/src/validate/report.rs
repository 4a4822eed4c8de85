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
    seen: BTreeMap<String, &'a str>,
}

impl<'a> Names<'a> {
    pub(super) fn new(what: &'static str) -> Self {
        Names {
            what,
            seen: BTreeMap::new(),
        }
    }

    pub(super) fn claim(&mut self, name: String, claimed_by: &'a str) -> Result<(), String> {
        match self.seen.get(&name) {
            Some(first) => Err(format!("{} `{name}` collides with {first}", self.what)),
            None => {
                self.seen.insert(name, claimed_by);
                Ok(())
            }
        }
    }
}
