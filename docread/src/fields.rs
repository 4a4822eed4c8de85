//! Table rows to [`Field`]s, and their nesting. The nesting comes from what the page states,
//! in this order:
//! 1. depths: `<md-dt-tr level="N">`, or `└`/`∟`/`&emsp;` markers before names (relative:
//!    a row's parent is the nearest row above it that is less deep);
//! 2. else the JSON example's key tree (the pipe rendering and DingTalk's text print nested
//!    rows flat, in depth-first order): a row goes under the deepest open object of the
//!    example that has its key; a row the example lacks goes under the row above when that
//!    row is an object, else beside it;
//! 3. else the rows stay flat.

use crate::cell;
use crate::facts::Field;
use crate::page::Problem;
use crate::shape::Shape;
use crate::table::{self, Table};

/// Nesting deeper than this is kept at this depth (and reported): no real table comes near.
const MAX_DEPTH: usize = 32;

/// A row read, before nesting.
pub(crate) struct Flat {
    pub field: Field,
    /// The stated depth (level attribute or markers); None when the page states none.
    pub depth: Option<usize>,
}

/// Whether a table is a field table: it names its fields and says something of each.
pub(crate) fn is_field_table(t: &Table) -> bool {
    t.has(table::NAME) && (t.has(table::TYPE) || t.has(table::DESCRIPTION))
}

/// The rows of a field table. `lower_types`: DingTalk's `String` is the spec's `string`.
pub(crate) fn rows(t: &Table, lower_types: bool, problems: &mut Vec<Problem>) -> Vec<Flat> {
    let name = t.column(table::NAME);
    let ty = t.column_except(table::TYPE, &[name]);
    let required = t.column_except(table::REQUIRED, &[name, ty]);
    let description = t.column_except(table::DESCRIPTION, &[name, ty, required]);
    let mut out = Vec::new();
    for row in &t.rows {
        // Markers may sit inside the name's tag (`<md-text ...>∟ has_more</md-text>`).
        let untagged = crate::tag::strip_tags(row.text(name));
        let (rest, markers) = cell::indent(&untagged);
        let name_text = cell::plain(rest);
        let name_text = name_text.lines().next().unwrap_or("").trim().to_owned();
        if name_text.is_empty() {
            problems.push(Problem::new(row.line, "a table row without a field name"));
            continue;
        }
        let mut ty_text = cell::plain(row.text(ty)).replace('\n', " ");
        if lower_types {
            ty_text = ty_text.to_lowercase();
        }
        let d = cell::describe(row.text(description));
        let depth = row.level.or((markers > 0).then_some(markers));
        out.push(Flat {
            field: Field {
                name: name_text,
                ty: ty_text,
                required: required.and_then(|i| parse_required(row.text(Some(i)))),
                description: d.description,
                example: d.example,
                max_length: d.max_length,
                enum_values: d.enum_values,
                children: Vec::new(),
                line: row.line_of(name),
            },
            depth,
        });
    }
    // Markers on some rows only: the unmarked ones are at the top.
    if out.iter().any(|f| f.depth.is_some()) {
        for f in &mut out {
            f.depth = Some(f.depth.unwrap_or(0));
        }
    }
    out
}

/// 是/否, Yes/No, required/optional; None for anything else (an empty cell included).
pub(crate) fn parse_required(text: &str) -> Option<bool> {
    match cell::plain(text).to_lowercase().as_str() {
        "是" | "必填" | "必选" | "yes" | "y" | "true" | "required" => Some(true),
        "否" | "选填" | "可选" | "no" | "n" | "false" | "optional" => Some(false),
        _ => None,
    }
}

/// Nests `rows` (see the module docs); `example` is the JSON the rows describe, its root
/// being the object the top rows are keys of.
pub(crate) fn nest(
    mut rows: Vec<Flat>,
    example: Option<&Shape>,
    problems: &mut Vec<Problem>,
) -> Vec<Field> {
    if rows.iter().all(|r| r.depth.is_none())
        && let Some(example) = example
    {
        infer_depths(&mut rows, example);
    }
    let mut roots: Vec<Field> = Vec::new();
    let mut stack: Vec<(usize, Field)> = Vec::new();
    for row in rows {
        let depth = row.depth.unwrap_or(0);
        while stack.last().is_some_and(|(d, _)| *d >= depth) {
            close(&mut stack, &mut roots);
        }
        if stack.len() >= MAX_DEPTH {
            problems.push(Problem::new(
                row.field.line,
                format!("fields nested deeper than {MAX_DEPTH} levels"),
            ));
            close(&mut stack, &mut roots);
        }
        stack.push((depth, row.field));
    }
    while !stack.is_empty() {
        close(&mut stack, &mut roots);
    }
    roots
}

/// Pops the innermost open field into its parent (or the roots).
fn close(stack: &mut Vec<(usize, Field)>, roots: &mut Vec<Field>) {
    if let Some((_, done)) = stack.pop() {
        match stack.last_mut() {
            Some((_, parent)) => parent.children.push(done),
            None => roots.push(done),
        }
    }
}

/// Depths from the example's key tree (rule 2 of the module docs). A row the example lacks
/// opens an object of unknown keys when its type is no primitive, unless it is itself inside
/// one (unknown objects do not stack: without the example nothing tells where they end).
fn infer_depths(rows: &mut [Flat], example: &Shape) {
    const UNKNOWN: &Shape = &Shape::Object(Vec::new());
    // Open objects: the root, then each object row's value; `false` for unknown ones.
    let mut open: Vec<(&Shape, bool)> = vec![(example, true)];
    let mut previous_opened = false;
    let mut previous_depth = 0;
    for row in rows.iter_mut() {
        let name = row.field.name.as_str();
        let found = (0..open.len())
            .rev()
            .find(|&d| open.get(d).is_some_and(|(s, _)| s.get(name).is_some()));
        let depth = match found {
            Some(d) => d,
            None if previous_opened => previous_depth + 1,
            None => previous_depth,
        };
        let depth = depth.min(open.len());
        open.truncate(depth + 1);
        let value = found
            .and_then(|d| open.get(d))
            .and_then(|(s, _)| s.get(name));
        let inside_unknown = open.last().is_some_and(|(_, known)| !known);
        previous_opened = match value {
            Some(v) if v.is_container() => {
                open.push((v, true));
                true
            }
            Some(_) => false,
            None if !inside_unknown && !is_primitive(&row.field.ty) => {
                open.push((UNKNOWN, false));
                true
            }
            None => false,
        };
        previous_depth = depth;
        row.depth = Some(depth);
    }
}

/// string, int, boolean ... and arrays and maps of them: types whose rows have no children.
fn is_primitive(ty: &str) -> bool {
    const PRIMITIVES: &[&str] = &[
        "string", "int", "long", "float", "double", "number", "bool", "file", "binary", "date",
        "map",
    ];
    let t = ty.trim().to_ascii_lowercase();
    let t = t.trim_end_matches("[]");
    t.is_empty() || PRIMITIVES.iter().any(|p| t.starts_with(p))
}

/// Feishu's reply table holds the envelope: the reply is `data`'s children, then any other
/// top-level rows but `code` and `msg` (a flat table lists `data`'s fields after it).
pub(crate) fn strip_envelope(fields: Vec<Field>) -> Vec<Field> {
    let mut out = Vec::new();
    for f in fields {
        match f.name.as_str() {
            "code" | "msg" => {}
            "data" => out.extend(f.children),
            _ => out.push(f),
        }
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::shape;

    fn flat(name: &str, depth: Option<usize>) -> Flat {
        Flat {
            field: Field {
                name: name.into(),
                ty: String::new(),
                required: None,
                description: String::new(),
                example: None,
                max_length: None,
                enum_values: Vec::new(),
                children: Vec::new(),
                line: 1,
            },
            depth,
        }
    }

    fn names(fields: &[Field]) -> String {
        fields
            .iter()
            .map(|f| {
                if f.children.is_empty() {
                    f.name.clone()
                } else {
                    format!("{}({})", f.name, names(&f.children))
                }
            })
            .collect::<Vec<_>>()
            .join(",")
    }

    #[test]
    fn by_depth() {
        let rows = vec![
            flat("a", Some(0)),
            flat("b", Some(2)),
            flat("c", Some(3)),
            flat("d", Some(2)),
            flat("e", Some(0)),
        ];
        assert_eq!(names(&nest(rows, None, &mut Vec::new())), "a(b(c),d),e");
    }

    #[test]
    fn by_example() {
        let ex = shape::parse(r#"{"code":0,"data":{"result":{"x":1,"y":2},"t":3}}"#).unwrap();
        let rows = ["code", "data", "result", "x", "y", "z", "t"]
            .map(|n| flat(n, None))
            .into_iter()
            .collect();
        assert_eq!(
            names(&nest(rows, Some(&ex), &mut Vec::new())),
            "code,data(result(x,y,z),t)"
        );
        let rows = ["p", "q", "r"].map(|n| flat(n, None)).into_iter().collect();
        let ex = shape::parse(r#"{"p":{}}"#).unwrap();
        assert_eq!(names(&nest(rows, Some(&ex), &mut Vec::new())), "p(q,r)");
    }
}
