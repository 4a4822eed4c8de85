//! The last step of loading: what endpoints refer to by name is copied in from their
//! provider's declarations, so that validation, the model and the docs check read whole
//! specs. A shared type's name (`object: WikiNode`, `enum: UserIdType`) gets its fields or
//! values, kept marked `shared` (generated once, in the provider's module); `errors_from:
//! table` puts the table's codes before the endpoint's own.
//!
//! A name that resolves to nothing, or to the wrong kind of type, is a located error, and
//! its endpoint is left out (as a file with any problem is).

use crate::decode::Spanned;
use crate::diag::Diagnostics;
use crate::spec::{
    EndpointSpec, EnumSpec, ErrorTableSpec, FieldSpec, FieldType, ProviderSpec, SharedType,
};
use std::collections::BTreeMap;

/// How deep shared types may refer to one another: a cycle is an error, not a hang.
const MAX_DEPTH: usize = 16;

/// Resolves every endpoint of a provider (and the provider's own types, which may refer to
/// one another). Endpoints with a reference that does not resolve are removed: false then.
pub fn resolve(
    provider: &mut ProviderSpec,
    endpoints: &mut Vec<EndpointSpec>,
    diags: &mut Diagnostics,
) -> bool {
    let file = provider.file.clone();
    let declared: Vec<SharedType> = provider.types.clone();
    let lookup = Lookup {
        types: declared
            .iter()
            .map(|t| (t.name().value.as_str(), t))
            .collect(),
        tables: provider
            .error_tables
            .iter()
            .map(|t| (t.name.value.as_str(), t))
            .collect(),
        missing: Default::default(),
    };
    // The declarations themselves: an object's fields may name other shared types.
    let mut ok = true;
    for shared in &mut provider.types {
        if let SharedType::Object(object) = shared {
            ok &= lookup.fields(&file, &mut object.fields, 1, diags);
        }
    }
    if !ok {
        return false;
    }
    // Endpoints take the declarations as resolved.
    let resolved = Lookup {
        types: provider
            .types
            .iter()
            .map(|t| (t.name().value.as_str(), t))
            .collect(),
        tables: lookup.tables,
        missing: Default::default(),
    };
    let before = endpoints.len();
    endpoints.retain_mut(|e| resolved.endpoint(e, diags));
    let missing = resolved.missing.take();
    if !missing.is_empty() {
        let names: Vec<String> = missing.iter().map(|n| format!("`{n}`")).collect();
        diags.push(
            &file,
            Some(provider.declared.at),
            "",
            format!(
                "declares no {} that endpoints name (`types:`, `error_tables:`)",
                names.join(", ")
            ),
        );
    }
    endpoints.len() == before
}

struct Lookup<'a> {
    types: BTreeMap<&'a str, &'a SharedType>,
    tables: BTreeMap<&'a str, &'a ErrorTableSpec>,
    /// Names no declaration has: reported once more in provider.yaml, where the cause may be.
    missing: std::cell::RefCell<std::collections::BTreeSet<String>>,
}

impl Lookup<'_> {
    /// Resolves an endpoint against the resolved declarations; false when something did
    /// not resolve (reported).
    fn endpoint(&self, e: &mut EndpointSpec, diags: &mut Diagnostics) -> bool {
        let file = e.file.clone();
        let mut ok = true;
        for param in &mut e.params {
            if let Some(enumeration) = &mut param.enumeration {
                ok &= self.enumeration(&file, enumeration, param.ty.value, diags);
            }
        }
        if let Some(object) = e.response.json_mut() {
            ok &= self.fields(&file, &mut object.fields, 1, diags);
        }
        if let Some(body) = &mut e.body {
            ok &= self.fields(&file, &mut body.object.fields, 1, diags);
            ok &= no_shared_objects(&file, &body.object.fields, diags);
        }
        if let Some(name) = &e.errors_from {
            match self.tables.get(name.value.as_str()) {
                Some(table) => {
                    let own = std::mem::take(&mut e.errors);
                    let shared = table.errors.iter().cloned().map(|mut err| {
                        err.from_table = true;
                        err
                    });
                    e.errors = shared.chain(own).collect();
                }
                None => {
                    report(
                        diags,
                        &file,
                        name,
                        format!("no error table `{}` in provider.yaml", name.value),
                    );
                    self.missing.borrow_mut().insert(name.value.clone());
                    ok = false;
                }
            }
        }
        ok
    }

    /// Fills every shared name among `fields`, through nested objects.
    fn fields(
        &self,
        file: &str,
        fields: &mut [FieldSpec],
        depth: usize,
        diags: &mut Diagnostics,
    ) -> bool {
        let mut ok = true;
        for field in fields {
            if let Some(enumeration) = &mut field.enumeration {
                ok &= self.enumeration(file, enumeration, field.ty.value, diags);
            }
            let Some(object) = &mut field.object else {
                continue;
            };
            if !object.shared {
                ok &= self.fields(file, &mut object.fields, depth, diags);
                continue;
            }
            if depth > MAX_DEPTH {
                report(
                    diags,
                    file,
                    &object.name,
                    "shared types refer to one another in a cycle",
                );
                return false;
            }
            match self.types.get(object.name.value.as_str()) {
                Some(SharedType::Object(declared)) => {
                    object.description = declared.description.clone();
                    object.fields = declared.fields.clone();
                    ok &= self.fields(file, &mut object.fields, depth + 1, diags);
                }
                Some(SharedType::Enum { .. }) => {
                    report(
                        diags,
                        file,
                        &object.name,
                        format!(
                            "`{}` is a shared enum, not an object: use `enum:`",
                            object.name.value
                        ),
                    );
                    ok = false;
                }
                None => {
                    self.missing.borrow_mut().insert(object.name.value.clone());
                    report(
                        diags,
                        file,
                        &object.name,
                        format!("no shared type `{}` in provider.yaml", object.name.value),
                    );
                    ok = false;
                }
            }
        }
        ok
    }

    /// Fills a shared enum's values, checking its values' type is the user's.
    fn enumeration(
        &self,
        file: &str,
        enumeration: &mut EnumSpec,
        used_as: FieldType,
        diags: &mut Diagnostics,
    ) -> bool {
        if !enumeration.shared {
            return true;
        }
        let name = &enumeration.name;
        match self.types.get(name.value.as_str()) {
            Some(SharedType::Enum {
                enumeration: declared,
                ty,
                ..
            }) if ty.value == used_as => {
                enumeration.values = declared.values.clone();
                true
            }
            Some(SharedType::Enum { ty, .. }) => {
                report(
                    diags,
                    file,
                    name,
                    format!(
                        "`{}` has {} values; this is {}",
                        name.value,
                        ty.value.as_str(),
                        used_as.as_str()
                    ),
                );
                false
            }
            Some(SharedType::Object(_)) => {
                report(
                    diags,
                    file,
                    name,
                    format!(
                        "`{}` is a shared object, not an enum: use `object:`",
                        name.value
                    ),
                );
                false
            }
            None => {
                self.missing.borrow_mut().insert(name.value.clone());
                report(
                    diags,
                    file,
                    name,
                    format!("no shared type `{}` in provider.yaml", name.value),
                );
                false
            }
        }
    }
}

/// A body is built by the caller with its own setters: shared objects are reply types.
fn no_shared_objects(file: &str, fields: &[FieldSpec], diags: &mut Diagnostics) -> bool {
    let mut ok = true;
    for field in fields {
        if let Some(object) = &field.object {
            if object.shared {
                report(
                    diags,
                    file,
                    &object.name,
                    "a shared object is a reply type; a body declares its own objects",
                );
                ok = false;
            } else {
                ok &= no_shared_objects(file, &object.fields, diags);
            }
        }
    }
    ok
}

fn report(diags: &mut Diagnostics, file: &str, at: &Spanned<String>, message: impl Into<String>) {
    diags.push(file, Some(at.at), &at.path, message);
}
