//! Small pieces every emitter uses: identifiers, doc attributes, literals, prose. A leaf
//! of `emit/`: it uses only the model's values and the naming rules.

use crate::model::Code;
use proc_macro2::{Literal, TokenStream};
use quote::{ToTokens, quote};

/// An identifier the validator has already vetted; a keyword (an operation named `type`)
/// becomes a raw identifier (`r#type`). `self`, `Self`, `super` and `crate` cannot be raw:
/// validation refuses them as names.
pub(super) fn ident(name: &str) -> proc_macro2::Ident {
    if crate::naming::is_keyword(name) {
        proc_macro2::Ident::new_raw(name, proc_macro2::Span::call_site())
    } else {
        proc_macro2::Ident::new(name, proc_macro2::Span::call_site())
    }
}

/// `#[doc]` attributes for each line of `text`, so prettyplease prints `///` lines.
pub(super) fn docs(text: &str) -> TokenStream {
    let lines = text.trim_end().lines().map(|line| {
        let line = if line.is_empty() {
            String::new()
        } else {
            format!(" {line}")
        };
        quote!(#[doc = #line])
    });
    quote!(#(#lines)*)
}

/// Inner (`//!`) doc attributes.
pub(super) fn module_docs(text: &str) -> TokenStream {
    let lines = text.trim_end().lines().map(|line| {
        let line = if line.is_empty() {
            String::new()
        } else {
            format!(" {line}")
        };
        quote!(#![doc = #line])
    });
    quote!(#(#lines)*)
}

/// The runtime's `Envelope` variant for a spec's envelope style.
pub(super) fn envelope(style: crate::spec::EnvelopeStyle) -> TokenStream {
    use crate::spec::EnvelopeStyle;
    match style {
        EnvelopeStyle::CodeMsgData => quote!(::taskapi_runtime::Envelope::CodeMsgData),
        EnvelopeStyle::CodeMsgFlat => quote!(::taskapi_runtime::Envelope::CodeMsgFlat),
        EnvelopeStyle::Bare => quote!(::taskapi_runtime::Envelope::Bare),
    }
}

/// A code or enum value as a pattern/literal: `1069901`, `-1` or `"paramError"`.
pub(super) fn code_literal(code: &Code) -> TokenStream {
    match code {
        Code::Int(n) if *n < 0 => {
            let magnitude = Literal::u64_unsuffixed(n.unsigned_abs());
            quote!(-#magnitude)
        }
        Code::Int(n) => Literal::i64_unsuffixed(*n).into_token_stream(),
        Code::Str(s) => Literal::string(s).into_token_stream(),
    }
}

/// Ends a description with a full stop unless it already ends in punctuation.
pub(super) fn sentence(text: &str) -> String {
    let text = text.trim();
    match text.chars().last() {
        None => String::new(),
        Some(c) if ".。!！?？)）:：".contains(c) => text.to_owned(),
        Some(_) => format!("{text}."),
    }
}

/// Joins non-empty paragraphs with a blank line.
pub(super) fn paragraphs<'a>(parts: impl IntoIterator<Item = &'a str>) -> String {
    parts
        .into_iter()
        .map(str::trim)
        .filter(|p| !p.is_empty())
        .collect::<Vec<_>>()
        .join("\n\n")
}
