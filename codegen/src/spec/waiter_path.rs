//! A waiter's status path, which may step into the elements of one array of objects
//! (`task.move_result[].status`): a task reported per item has its state in every element.
//! Every other path of the format goes through objects only ([`ObjectSpec::field_path`]).

use super::object::{FieldSpec, FieldType, ObjectSpec};

/// One field on a waiter's path; `each` when the path goes on in every element of this
/// field, an array of objects (it was written `name[]`).
#[derive(Debug, Clone, Copy)]
pub struct WaiterStep<'o> {
    pub field: &'o FieldSpec,
    pub each: bool,
}

impl ObjectSpec {
    /// The fields a waiter's dotted path walks through, outermost first, or why it does not
    /// resolve. Like [`field_path`](Self::field_path), plus one `[]` step into an array of
    /// objects, followed by a field of its elements.
    pub fn waiter_path(&self, dotted: &str) -> Result<Vec<WaiterStep<'_>>, String> {
        let mut object = self;
        let mut walked: Vec<WaiterStep<'_>> = Vec::new();
        let segments: Vec<&str> = dotted.split('.').collect();
        for (i, segment) in segments.iter().enumerate() {
            let (name, each) = match segment.strip_suffix("[]") {
                Some(name) => (name, true),
                None => (*segment, false),
            };
            if let Some(parent) = walked.last() {
                object = inside(parent, dotted)?;
            }
            let field = object
                .fields
                .iter()
                .find(|f| f.name.value == name)
                .ok_or_else(|| {
                    format!("`{dotted}`: `{}` has no field `{name}`", object.name.value)
                })?;
            if each {
                check_each(field, dotted, &walked, i + 1 == segments.len())?;
            }
            walked.push(WaiterStep { field, each });
        }
        Ok(walked)
    }
}

/// The object the path goes on in after `parent`.
fn inside<'o>(parent: &WaiterStep<'o>, dotted: &str) -> Result<&'o ObjectSpec, String> {
    let field = parent.field;
    let name = &field.name.value;
    match (&field.object, field.ty.value) {
        (Some(object), FieldType::Object) => Ok(object),
        (Some(object), FieldType::Array) if parent.each => Ok(object),
        (Some(_), FieldType::Array) => Err(format!(
            "`{name}` is an array, so `{dotted}` goes nowhere: step into its elements with `{name}[]`"
        )),
        (_, ty) => Err(format!(
            "`{name}` is {}, not an object, so `{dotted}` goes nowhere",
            ty.as_str()
        )),
    }
}

/// `name[]`: an array of objects, the only one the path steps into, with a field after it.
fn check_each(
    field: &FieldSpec,
    dotted: &str,
    walked: &[WaiterStep<'_>],
    last: bool,
) -> Result<(), String> {
    let name = &field.name.value;
    if field.ty.value != FieldType::Array {
        return Err(format!(
            "`{name}` is {}, not an array, so `{name}[]` steps into nothing",
            field.ty.value.as_str()
        ));
    }
    if field.object.is_none() {
        let items = field.items.as_ref().map_or("scalars", |t| t.value.as_str());
        return Err(format!(
            "`{name}` is an array of {items}, not of objects: `[]` steps into elements that have fields"
        ));
    }
    if walked.iter().any(|step| step.each) {
        return Err(format!(
            "`{dotted}` steps into two arrays: a waiter reads the elements of one"
        ));
    }
    if last {
        return Err(format!(
            "`{dotted}` ends at the array: name the field of its elements, as in `{dotted}.status`"
        ));
    }
    Ok(())
}
