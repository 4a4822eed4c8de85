//! A located YAML tree: the parser's events folded into nodes that remember where they
//! stand, so every later check can point at a line and column.
//!
//! Specs are plain data, so the tree refuses what plain data never needs: anchors and
//! aliases (which is also what makes alias bombs impossible), several documents in one file,
//! duplicate keys, non-scalar keys and nesting deeper than [`MAX_DEPTH`].

use crate::diag::Location;
use saphyr_parser::{Event, Parser, ScalarStyle, Span};

/// Deeper than any spec needs, shallow enough that nothing downstream can overflow a stack.
pub const MAX_DEPTH: usize = 64;

#[derive(Debug, Clone, PartialEq)]
pub struct Node {
    pub at: Location,
    pub value: Value,
}

#[derive(Debug, Clone, PartialEq)]
pub enum Value {
    /// `plain` is false for quoted and block scalars: `"123"` is text, `123` may be a number.
    Scalar {
        text: String,
        plain: bool,
    },
    Seq(Vec<Node>),
    Map(Vec<(Key, Node)>),
}

#[derive(Debug, Clone, PartialEq)]
pub struct Key {
    pub name: String,
    pub at: Location,
}

impl Node {
    /// What the node is, for "expected X, found Y" messages.
    pub fn kind(&self) -> &'static str {
        match &self.value {
            Value::Scalar { text, plain } if *plain && is_null(text) => "null",
            Value::Scalar { .. } => "a scalar",
            Value::Seq(_) => "a list",
            Value::Map(_) => "a mapping",
        }
    }
}

pub fn is_null(text: &str) -> bool {
    matches!(text, "" | "~" | "null" | "Null" | "NULL")
}

/// A problem that stops the file from being read at all.
#[derive(Debug, Clone, PartialEq)]
pub struct ParseError {
    pub at: Location,
    pub message: String,
}

fn location(span: Span) -> Location {
    Location {
        line: span.start.line(),
        col: span.start.col() + 1,
    }
}

enum Open {
    Seq(Location, Vec<Node>),
    /// A mapping under construction; `pending` holds a key waiting for its value.
    Map(Location, Vec<(Key, Node)>, Option<Key>),
}

/// Parses one YAML document into a located tree. An empty document is `Ok(None)`.
pub fn parse(text: &str) -> Result<Option<Node>, ParseError> {
    let mut stack: Vec<Open> = Vec::new();
    let mut root: Option<Node> = None;
    let mut documents = 0;

    for event in Parser::new_from_str(text) {
        let (event, span) = event.map_err(|e| ParseError {
            at: Location {
                line: e.marker().line(),
                col: e.marker().col() + 1,
            },
            message: e.info().to_owned(),
        })?;
        let at = location(span);
        let complete = match event {
            Event::StreamStart | Event::StreamEnd | Event::DocumentEnd | Event::Nothing => None,
            Event::DocumentStart(_) => {
                documents += 1;
                if documents > 1 {
                    return Err(ParseError {
                        at,
                        message: "a spec file holds one YAML document; found a second `---`".into(),
                    });
                }
                None
            }
            Event::Alias(_) => {
                return Err(ParseError {
                    at,
                    message: "aliases (`*name`) are not allowed in specs: write the value out"
                        .into(),
                });
            }
            Event::Scalar(_, _, anchor, _)
            | Event::SequenceStart(anchor, _)
            | Event::MappingStart(anchor, _)
                if anchor != 0 =>
            {
                return Err(ParseError {
                    at,
                    message: "anchors (`&name`) are not allowed in specs: write the value out"
                        .into(),
                });
            }
            Event::Scalar(text, style, _, _) => Some(Node {
                at,
                value: Value::Scalar {
                    text: text.into_owned(),
                    plain: style == ScalarStyle::Plain,
                },
            }),
            Event::SequenceStart(..) | Event::MappingStart(..) => {
                if stack.len() >= MAX_DEPTH {
                    return Err(ParseError {
                        at,
                        message: format!("nested deeper than {MAX_DEPTH} levels"),
                    });
                }
                stack.push(if matches!(event, Event::SequenceStart(..)) {
                    Open::Seq(at, Vec::new())
                } else {
                    Open::Map(at, Vec::new(), None)
                });
                None
            }
            Event::SequenceEnd => match stack.pop() {
                Some(Open::Seq(at, items)) => Some(Node {
                    at,
                    value: Value::Seq(items),
                }),
                _ => return Err(unbalanced(at)),
            },
            Event::MappingEnd => match stack.pop() {
                Some(Open::Map(at, entries, None)) => Some(Node {
                    at,
                    value: Value::Map(entries),
                }),
                _ => return Err(unbalanced(at)),
            },
        };
        if let Some(node) = complete {
            attach(&mut stack, &mut root, node)?;
        }
    }
    Ok(root)
}

fn unbalanced(at: Location) -> ParseError {
    ParseError {
        at,
        message: "unbalanced collection".into(),
    }
}

/// Hands a finished node to its parent: a list item, a mapping key, a mapping value, or the root.
fn attach(stack: &mut [Open], root: &mut Option<Node>, node: Node) -> Result<(), ParseError> {
    match stack.last_mut() {
        None => *root = Some(node),
        Some(Open::Seq(_, items)) => items.push(node),
        Some(Open::Map(_, entries, pending)) => match pending.take() {
            Some(key) => entries.push((key, node)),
            None => {
                let Value::Scalar { text, .. } = node.value else {
                    return Err(ParseError {
                        at: node.at,
                        message: "mapping keys must be plain names, not lists or mappings".into(),
                    });
                };
                if let Some((first, _)) = entries.iter().find(|(k, _)| k.name == text) {
                    return Err(ParseError {
                        at: node.at,
                        message: format!(
                            "duplicate key `{text}` (first at line {})",
                            first.at.line
                        ),
                    });
                }
                *pending = Some(Key {
                    name: text,
                    at: node.at,
                });
            }
        },
    }
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn nodes_remember_their_line_and_column() {
        let root = parse("a: 1\nb:\n  - x\n  - \"2\"\n").unwrap().unwrap();
        let Value::Map(entries) = root.value else {
            panic!("expected a map")
        };
        assert_eq!(entries[1].0.name, "b");
        assert_eq!(entries[1].0.at, Location { line: 2, col: 1 });
        let Value::Seq(items) = &entries[1].1.value else {
            panic!("expected a list")
        };
        assert_eq!(items[1].at, Location { line: 4, col: 5 });
        assert_eq!(
            items[1].value,
            Value::Scalar {
                text: "2".into(),
                plain: false
            }
        );
    }

    #[test]
    fn refuses_aliases_anchors_duplicates_and_depth() {
        let alias = parse("a: &x [1]\nb: *x\n").unwrap_err();
        assert!(alias.message.contains("anchors"), "{alias:?}");
        let dup = parse("a: 1\na: 2\n").unwrap_err();
        assert_eq!(dup.at.line, 2);
        assert!(dup.message.contains("duplicate key `a`"));
        let deep = format!("{}{}", "[".repeat(MAX_DEPTH + 1), "]".repeat(MAX_DEPTH + 1));
        assert!(parse(&deep).unwrap_err().message.contains("nested deeper"));
        assert!(
            parse("a: 1\n---\nb: 2\n")
                .unwrap_err()
                .message
                .contains("one YAML document")
        );
    }

    #[test]
    fn empty_document_is_none() {
        assert_eq!(parse("").unwrap(), None);
        assert_eq!(parse("# only a comment\n").unwrap(), None);
    }
}
