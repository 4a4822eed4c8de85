//! A body or reply field as the draft writes it: its type, `required` and limits (a request's
//! as the page says; a reply's `required` only where the page says so), example,
//! description, enum, and the object it holds, nested field by field. An object type the page
//! refers back to (`同上`) gets the fields listed above for it, a bounded number of levels
//! down.

use super::enums::enum_values;
use super::kind::{Kind, kind, page_type_name};
use super::names::TypeNames;
use super::yaml_out::{Entry, Item, Y};
use docread::Field;

/// Where a field sits: request fields have `required` and `max_length` as the page says;
/// reply fields are `required` only where the page says so.
#[derive(Debug, Clone, Copy, PartialEq)]
pub(super) enum Place {
    Body,
    Reply,
}

/// How many times an object type the page refers back to (`children | dropdown_option[] |
/// 同上`, listed without fields inside a `dropdown_option` whose fields it lists) is repeated
/// with those fields below where the page lists them: Feishu's nested dropdown options go
/// three levels deep. Deeper, its objects have no fields (and a comment says why).
const REPEATS: usize = 2;

/// An object a field is in, as the draft gives it.
#[derive(Debug, Clone)]
pub(super) struct Level<'f> {
    /// The page's name of its type, when it names one (`dropdown_option`).
    ty: Option<String>,
    /// Its fields: the page's, or those of the type's object above when the page lists none.
    fields: &'f [Field],
    /// Its fields are those of an object above.
    repeated: bool,
}

impl<'f> Level<'f> {
    /// The object of field `f` (of an object field, or the element of an array or the value
    /// of a map of objects), and a comment when its fields are not the page's own.
    fn of(f: &'f Field, above: &[Level<'f>]) -> (Level<'f>, Option<String>) {
        let ty = page_type_name(f);
        let own = Level {
            ty: ty.clone(),
            fields: &f.children,
            repeated: false,
        };
        let Some(ty) = ty.filter(|_| f.children.is_empty()) else {
            return (own, None);
        };
        let Some(source) = above
            .iter()
            .rev()
            .find(|l| l.ty.as_deref() == Some(ty.as_str()) && !l.fields.is_empty())
        else {
            return (own, None);
        };
        if above.iter().filter(|l| l.repeated).count() >= REPEATS {
            let comment = format!(
                "`{ty}` again, {REPEATS} levels below where the page lists its fields: not repeated deeper, so no fields."
            );
            return (own, Some(comment));
        }
        let comment = format!("The fields the page lists for `{ty}` above, repeated here.");
        let level = Level {
            ty: Some(ty),
            fields: source.fields,
            repeated: true,
        };
        (level, Some(comment))
    }
}

/// A body or reply field, with the object of an object, of an array of objects or of a
/// map of objects nested in it; `above` are the objects it is in, outermost first.
pub(super) fn field(
    f: &Field,
    parent: &str,
    place: Place,
    above: &[Level<'_>],
    names: &mut TypeNames,
) -> Item {
    let k = kind(f);
    let mut e = vec![Entry::str("name", &f.name)];
    match &k {
        Kind::Scalar(t) => e.push(Entry::str("type", *t)),
        Kind::Array(t) => {
            e.push(Entry::str("type", "array"));
            e.push(Entry::str("items", *t));
        }
        Kind::ArrayUnknown => {
            e.push(Entry::str("type", "array"));
            e.push(Entry::raw(
                "items",
                "TODO the element type (string, integer, number or boolean)",
            ));
        }
        Kind::Object => e.push(Entry::str("type", "object")),
        Kind::ArrayOfObjects => e.push(Entry::str("type", "array")),
        Kind::Map(Some(t)) => {
            e.push(Entry::str("type", "map"));
            e.push(Entry::str("items", *t));
        }
        Kind::Map(None) => e.push(Entry::str("type", "map")),
        Kind::File | Kind::Unknown => e.push(Entry::raw(
            "type",
            format!("TODO the page types it `{}`", f.ty.trim()),
        )),
    }
    match (place, f.required) {
        (Place::Body, Some(r)) => e.push(Entry::raw("required", r.to_string())),
        (Place::Reply, Some(true)) => e.push(Entry::raw("required", "true")),
        _ => {}
    }
    if let (Place::Body, Some(n), Kind::Scalar("string")) = (place, f.max_length, &k) {
        e.push(Entry::raw("max_length", n.to_string()));
    }
    if let Some(x) = &f.example {
        e.push(Entry::str("example", x));
    }
    if !f.description.is_empty() {
        e.push(Entry::str("description", &f.description));
    }
    if matches!(k, Kind::Object | Kind::Map(None) | Kind::ArrayOfObjects) {
        let element = k == Kind::ArrayOfObjects;
        let name = names.nested(parent, &f.name, element);
        let (level, comment) = Level::of(f, above);
        let mut inner = above.to_vec();
        inner.push(level.clone());
        let fields: Vec<Item> = level
            .fields
            .iter()
            .map(|c| field(c, &name, place, &inner, names))
            .collect();
        let mut object = vec![Entry::str("name", &name)];
        let comment = comment.or_else(|| {
            f.children.is_empty().then(|| {
                if element {
                    "The page lists no fields of its elements.".to_owned()
                } else {
                    "The page lists no fields of this object.".to_owned()
                }
            })
        });
        let fields_entry = Entry::new("fields", Y::Seq(fields));
        object.push(match comment {
            Some(comment) => fields_entry.with_comments(vec![comment]),
            None => fields_entry,
        });
        e.push(Entry::new("object", Y::Map(object)));
    }
    if let Kind::Scalar(t @ ("integer" | "string")) = k
        && !f.enum_values.is_empty()
        && let Some(values) = enum_values(&f.enum_values, t)
    {
        let name = names.nested(parent, &f.name, false);
        e.push(Entry::new(
            "enum",
            Y::Map(vec![Entry::str("name", name), Entry::new("values", values)]),
        ));
    }
    Item::Node(Y::Map(e))
}
