//! A provider's shared types: its `types` module (`types.rs`, each type once), and the
//! `use super::types::{..}` an endpoint module needs for those its own code names.

use super::tokens::{ident, module_docs};
use super::types;
use crate::model::{Endpoint, FieldRust, Provider, TypeDef};
use proc_macro2::TokenStream;
use quote::quote;
use std::collections::BTreeSet;

/// The name of the provider's module of shared types.
pub const MODULE: &str = "types";

/// `types.rs`: every shared type of the provider.
pub(super) fn emit(p: &Provider) -> TokenStream {
    let doc = module_docs(&format!(
        "The types {}'s endpoints share, declared once in its provider.yaml (`types:`) and \
         re-exported from the provider module.",
        p.title
    ));
    let defs = p
        .shared_types
        .iter()
        .map(|t| types::type_def(t, &p.shared_types));
    quote! {
        #doc
        #(#defs)*
    }
}

/// The shared types an endpoint module names in code of its own (its types' fields, its
/// parameters' enums, its list's item, its waiter's status), imported by name.
pub(super) fn imports(e: &Endpoint) -> TokenStream {
    let shared: BTreeSet<&str> = e
        .types
        .iter()
        .filter(|t| t.is_shared())
        .map(TypeDef::name)
        .collect();
    let mut named = BTreeSet::new();
    for t in e.types.iter().filter(|t| !t.is_shared()) {
        if let TypeDef::Struct(s) = t {
            for field in &s.fields {
                names_in(&field.ty, &mut named);
            }
        }
    }
    for param in &e.params {
        if let Some((name, _)) = &param.enumeration {
            named.insert(name.clone());
        }
    }
    if let Some(list) = &e.pagination {
        names_in(&list.item, &mut named);
    }
    if let Some(waiter) = &e.waiter {
        named.insert(waiter.status_enum.clone());
    }
    let used: Vec<_> = named
        .iter()
        .filter(|n| shared.contains(n.as_str()))
        .map(|n| ident(n))
        .collect();
    if used.is_empty() {
        return quote!();
    }
    let module = ident(MODULE);
    quote!(use super::#module::{#(#used),*};)
}

fn names_in(ty: &FieldRust, out: &mut BTreeSet<String>) {
    match ty {
        FieldRust::Named(name) => {
            out.insert(name.clone());
        }
        FieldRust::List(inner) | FieldRust::Map(inner) => names_in(inner, out),
        FieldRust::Scalar(_) => {}
    }
}
