//! What the comparison of a page with a spec yields: each fact on which they differ, named as
//! `overrides:` names it, with both values and where each side states it; and the spec's
//! overrides, which accept a difference by its exact name.

/// One fact on which a page and its spec differ.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Difference {
    /// The fact, as an `overrides:` entry names it: `errors.1069907`, `params.token.type`,
    /// `body.point.mount_type=2`, `host`.
    pub fact: String,
    /// When the fact is an attribute of an entity (`type` of `params.token`): which.
    pub attr: Option<String>,
    /// What the spec states; `None` when it does not state the fact.
    pub spec: Option<String>,
    /// What the page states, in the spec's terms (a type `int` is `integer`); `None` when it
    /// does not state the fact.
    pub page: Option<String>,
    /// The fact is an entity (a parameter, field, enum value, scope, token kind, app type,
    /// error code, the body) rather than a value: present or not, its value a description.
    pub entity: bool,
    /// The values are JSON (the examples), equal as JSON.
    pub json: bool,
    /// The spec line that states the fact (an attribute: its entity's line); for a fact only
    /// the page states, the line of the closest entity it is in that the spec states.
    pub spec_line: Option<usize>,
    /// Likewise on the page.
    pub page_line: Option<usize>,
    /// The value as the page writes it, where that is not [`Difference::page`]: a type.
    pub page_shown: Option<String>,
}

impl Difference {
    /// The entity (or top-level key) the fact is about: the fact without its attribute.
    pub fn key(&self) -> &str {
        match &self.attr {
            Some(attr) => self
                .fact
                .strip_suffix(attr.as_str())
                .and_then(|k| k.strip_suffix('.'))
                .unwrap_or(&self.fact),
            None => &self.fact,
        }
    }

    /// The part of the spec the fact is in: `errors`, `params`, `body`, `title` ...
    pub fn area(&self) -> &str {
        let end = self.fact.find(['.', '=']).unwrap_or(self.fact.len());
        self.fact.get(..end).unwrap_or(&self.fact)
    }
}

/// An `overrides:` entry of the spec: a deliberate difference, by its fact's name.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Override {
    pub fact: String,
    /// The line of its `fact:`.
    pub line: usize,
}

/// A page compared with its spec.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct Comparison {
    /// Every difference, in the order the page states its facts, then what only the spec
    /// states.
    pub differences: Vec<Difference>,
    pub overrides: Vec<Override>,
}

impl Comparison {
    /// The differences no override accepts: an override accepts exactly the fact it names (an
    /// entity's override does not accept a change of one of its attributes).
    pub fn unaccepted(&self) -> impl Iterator<Item = &Difference> {
        self.differences
            .iter()
            .filter(|d| !self.overrides.iter().any(|o| o.fact == d.fact))
    }

    /// The overrides that accept no difference: each is reported, so none outlives its reason.
    pub fn unused_overrides(&self) -> impl Iterator<Item = &Override> {
        self.overrides
            .iter()
            .filter(|o| !self.differences.iter().any(|d| d.fact == o.fact))
    }
}
