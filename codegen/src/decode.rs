//! Reading spec structs out of a located YAML tree while collecting every problem.
//!
//! serde stops at the first error; a person fixing a spec wants them all. So each spec
//! struct reads its mapping through [`Fields`], which records what was asked for, and
//! [`Fields::finish`] reports every key nobody asked for (a typo must not be ignored).

use crate::diag::{Diagnostics, Location};
use crate::yaml::{Key, Node, Value, is_null};

/// Where decoding is: the file being read and the problems found so far.
pub struct Ctx<'d> {
    pub file: &'d str,
    pub diags: &'d mut Diagnostics,
}

impl Ctx<'_> {
    pub fn error(&mut self, at: Location, field: &str, message: impl Into<String>) {
        self.diags.push(self.file, Some(at), field, message);
    }

    /// Opens a mapping for field-by-field reading.
    pub fn fields<'n>(&mut self, node: &'n Node, path: &str) -> Option<Fields<'n>> {
        match &node.value {
            Value::Map(entries) => Some(Fields {
                at: node.at,
                path: path.to_owned(),
                entries,
                known: Vec::new(),
            }),
            _ => {
                self.error(
                    node.at,
                    path,
                    format!("expected a mapping, found {}", node.kind()),
                );
                None
            }
        }
    }
}

/// A value read from a spec, with where it stood (for later, semantic, errors).
#[derive(Debug, Clone, PartialEq)]
pub struct Spanned<T> {
    pub value: T,
    pub at: Location,
    pub path: String,
}

impl<T> Spanned<T> {
    /// The value changed, where it stood kept.
    pub fn map<U>(self, change: impl FnOnce(T) -> U) -> Spanned<U> {
        Spanned {
            value: change(self.value),
            at: self.at,
            path: self.path,
        }
    }
}

/// A type that can be read from a node. `None` means a problem was recorded.
pub trait Decode: Sized {
    fn decode(cx: &mut Ctx<'_>, node: &Node, path: &str) -> Option<Self>;
}

/// The text of a scalar, or an error naming what was expected.
pub fn scalar<'n>(
    cx: &mut Ctx<'_>,
    node: &'n Node,
    path: &str,
    expected: &str,
) -> Option<(&'n str, bool)> {
    match &node.value {
        Value::Scalar { text, plain } if !(*plain && is_null(text)) => Some((text, *plain)),
        _ => {
            cx.error(
                node.at,
                path,
                format!("expected {expected}, found {}", node.kind()),
            );
            None
        }
    }
}

/// What `cargo xtask docs import` writes where only a person can decide (an English
/// summary, a waiter): any text starting with it is refused until it is filled in.
pub const TODO: &str = "TODO";

impl Decode for String {
    fn decode(cx: &mut Ctx<'_>, node: &Node, path: &str) -> Option<Self> {
        let (text, _) = scalar(cx, node, path, "a string")?;
        if text.starts_with(TODO) {
            cx.error(node.at, path, format!("to fill in: {text}"));
        }
        Some(text.to_owned())
    }
}

impl Decode for bool {
    fn decode(cx: &mut Ctx<'_>, node: &Node, path: &str) -> Option<Self> {
        match scalar(cx, node, path, "true or false")? {
            ("true", true) => Some(true),
            ("false", true) => Some(false),
            (other, _) if other.starts_with(TODO) => {
                cx.error(
                    node.at,
                    path,
                    format!("to fill in (true or false): {other}"),
                );
                None
            }
            (other, _) => {
                cx.error(
                    node.at,
                    path,
                    format!("expected true or false, found `{other}`"),
                );
                None
            }
        }
    }
}

macro_rules! decode_integer {
    ($($t:ty),*) => {$(
        impl Decode for $t {
            fn decode(cx: &mut Ctx<'_>, node: &Node, path: &str) -> Option<Self> {
                let expected = concat!("an integer (", stringify!($t), ")");
                let (text, plain) = scalar(cx, node, path, expected)?;
                match text.parse::<$t>() {
                    Ok(n) if plain => Some(n),
                    _ => {
                        cx.error(node.at, path, format!("expected {expected}, found `{text}`"));
                        None
                    }
                }
            }
        }
    )*};
}
decode_integer!(i64, u16, u32, u64);

impl Decode for f64 {
    fn decode(cx: &mut Ctx<'_>, node: &Node, path: &str) -> Option<Self> {
        let (text, plain) = scalar(cx, node, path, "a number")?;
        match text.parse::<f64>() {
            Ok(n) if plain && n.is_finite() => Some(n),
            _ => {
                cx.error(node.at, path, format!("expected a number, found `{text}`"));
                None
            }
        }
    }
}

impl<T: Decode> Decode for Vec<T> {
    fn decode(cx: &mut Ctx<'_>, node: &Node, path: &str) -> Option<Self> {
        let Value::Seq(items) = &node.value else {
            cx.error(
                node.at,
                path,
                format!("expected a list, found {}", node.kind()),
            );
            return None;
        };
        let mut out = Vec::with_capacity(items.len());
        let mut ok = true;
        for (i, item) in items.iter().enumerate() {
            match T::decode(cx, item, &format!("{path}[{i}]")) {
                Some(v) => out.push(v),
                None => ok = false,
            }
        }
        ok.then_some(out)
    }
}

impl<T: Decode> Decode for Spanned<T> {
    fn decode(cx: &mut Ctx<'_>, node: &Node, path: &str) -> Option<Self> {
        T::decode(cx, node, path).map(|value| Spanned {
            value,
            at: node.at,
            path: path.to_owned(),
        })
    }
}

/// Reads one of a fixed set of words, e.g. an HTTP method or a field type.
pub fn keyword<T: Copy>(
    cx: &mut Ctx<'_>,
    node: &Node,
    path: &str,
    words: &[(&str, T)],
) -> Option<T> {
    let names: Vec<&str> = words.iter().map(|(w, _)| *w).collect();
    let expected = format!("one of {}", names.join(", "));
    let (text, _) = scalar(cx, node, path, &expected)?;
    match words.iter().find(|(w, _)| *w == text) {
        Some((_, v)) => Some(*v),
        None => {
            cx.error(
                node.at,
                path,
                format!("unknown value `{text}`; expected {expected}"),
            );
            None
        }
    }
}

/// A mapping being read field by field.
pub struct Fields<'n> {
    pub at: Location,
    path: String,
    entries: &'n [(Key, Node)],
    known: Vec<&'static str>,
}

impl<'n> Fields<'n> {
    fn child_path(&self, key: &str) -> String {
        if self.path.is_empty() {
            key.to_owned()
        } else {
            format!("{}.{key}", self.path)
        }
    }

    fn node(&mut self, key: &'static str) -> Option<&'n Node> {
        self.known.push(key);
        self.entries
            .iter()
            .find(|(k, _)| k.name == key)
            .map(|(_, n)| n)
    }

    /// Whether the mapping has `key` with a value, whether or not it reads (a null is
    /// absent, as for [`opt`](Self::opt)).
    pub fn has(&self, key: &str) -> bool {
        self.entries.iter().any(|(k, node)| {
            k.name == key
                && !matches!(&node.value, Value::Scalar { text, plain: true } if is_null(text))
        })
    }

    /// A field that must be present.
    pub fn req<T: Decode>(&mut self, cx: &mut Ctx<'_>, key: &'static str) -> Option<T> {
        match self.node(key) {
            Some(node) => T::decode(cx, node, &self.child_path(key)),
            None => {
                cx.error(self.at, &self.child_path(key), "missing required field");
                None
            }
        }
    }

    /// A field that may be absent (or explicitly null).
    pub fn opt<T: Decode>(&mut self, cx: &mut Ctx<'_>, key: &'static str) -> Option<T> {
        let node = self.node(key)?;
        if matches!(&node.value, Value::Scalar { text, plain: true } if is_null(text)) {
            return None;
        }
        T::decode(cx, node, &self.child_path(key))
    }

    /// A field read with a custom reader (for keywords and nested structs).
    pub fn with<T>(
        &mut self,
        cx: &mut Ctx<'_>,
        key: &'static str,
        required: bool,
        read: impl FnOnce(&mut Ctx<'_>, &Node, &str) -> Option<T>,
    ) -> Option<T> {
        let path = self.child_path(key);
        match self.node(key) {
            Some(node) => read(cx, node, &path),
            None => {
                if required {
                    cx.error(self.at, &path, "missing required field");
                }
                None
            }
        }
    }

    /// Reports every key that no reader asked for.
    pub fn finish(self, cx: &mut Ctx<'_>) {
        for (key, _) in self.entries {
            if !self.known.contains(&key.name.as_str()) {
                let path = self.child_path(&key.name);
                cx.error(
                    key.at,
                    &path,
                    format!("unknown field; expected one of: {}", self.known.join(", ")),
                );
            }
        }
    }
}
