//! A workflow that uploads first (`starts.before`): the client method (the file's path and
//! the start's other arguments), and the start request's `StartsAfterUpload` impl: its
//! upload built from it and the path, and what the upload's reply fills in it.

use super::chain::fixed;
use super::example;
use super::request::Arg;
use super::tokens::{docs, ident, paragraphs};
use super::waiter::{Finish, access};
use crate::model::{Before, Chain, Endpoint, Provider, StepValue};
use crate::spec::PathFact;
use proc_macro2::TokenStream;
use quote::{format_ident, quote};

/// `args`: the start endpoint's client method arguments, in order.
pub(super) fn emit(
    p: &Provider,
    e: &Endpoint,
    chain: &Chain,
    before: &Before,
    args: &[Arg],
) -> TokenStream {
    let client = ident(&p.client);
    let request = format_ident!("{}Request", e.type_prefix);
    let workflow = ident(&before.workflow);
    let path = ident(&before.path_arg);
    // The start's constructor takes every argument: the caller's, a placeholder for what
    // the upload's reply feeds (set by `fed`), and what the path gives.
    let taken: Vec<&Arg> = args.iter().filter(|a| is_given(before, a)).collect();
    let decls = taken.iter().map(|a| {
        let (name, ty) = (&a.name, &a.ty);
        quote!(#name: #ty)
    });
    let values = args.iter().map(|a| {
        if before.fed.iter().any(|f| ident(&f.ident) == a.name) {
            quote!(::std::string::String::new())
        } else if let Some(from) = before.from_path.iter().find(|f| ident(&f.ident) == a.name) {
            path_fact(from.fact, &quote!(&#path))
        } else {
            let name = &a.name;
            quote!(#name)
        }
    });
    // A field the path gives that the constructor does not take is set after it.
    let optional_from_path = before
        .from_path
        .iter()
        .filter(|f| !args.iter().any(|a| ident(&f.ident) == a.name))
        .map(|f| {
            let setter = ident(&f.ident);
            let value = path_fact(f.fact, &quote!(&#path));
            quote!(.#setter(#value))
        });
    let many_arguments =
        (taken.len() + 2 > 7).then(|| quote!(#[allow(clippy::too_many_arguments)]));
    let method_doc = method_doc(p, e, chain, before, &taken);
    let impl_ = starts_after_upload(p, e, before);
    quote! {
        impl super::#client {
            #method_doc
            #many_arguments
            pub fn #workflow<'c>(
                &self,
                #path: impl ::std::convert::Into<::std::path::PathBuf>,
                #(#decls),*
            ) -> ::taskapi_runtime::UploadThen<'c, #request> {
                let #path: ::std::path::PathBuf = #path.into();
                let start = #request::with_core(self.core.clone(), #(#values),*)
                    #(#optional_from_path)*;
                ::taskapi_runtime::UploadThen::new(start, #path)
            }
        }

        #impl_
    }
}

/// Whether the caller gives this argument (neither the upload's reply nor the path does).
fn is_given(before: &Before, arg: &Arg) -> bool {
    !before
        .fed
        .iter()
        .map(|f| &f.ident)
        .chain(before.from_path.iter().map(|f| &f.ident))
        .any(|name| ident(name) == arg.name)
}

/// The runtime's reading of a fact of the path `path` (a `&Path` expression).
fn path_fact(fact: PathFact, path: &TokenStream) -> TokenStream {
    match fact {
        PathFact::FileName => quote!(::taskapi_runtime::file_name_of(#path)),
        PathFact::Extension => quote!(::taskapi_runtime::extension_of(#path)),
    }
}

/// The upload built from the start request and the path, and the start request completed
/// by the upload's reply.
fn starts_after_upload(p: &Provider, e: &Endpoint, before: &Before) -> TokenStream {
    let request = format_ident!("{}Request", e.type_prefix);
    let module = ident(&before.upload_operation);
    let upload = format_ident!("{}Request", before.upload_type_prefix);
    let upload_error = format_ident!("{}Error", before.upload_type_prefix);
    let reply = ident(&before.upload_reply);
    let upload_id = &before.upload_id;
    let upload_endpoint = p.endpoints.iter().find(|u| u.id == before.upload_id);
    let upload_args = upload_endpoint
        .map(super::request::args)
        .unwrap_or_default();
    let path = quote!(path);
    let values = upload_args.iter().map(|a| {
        let is_file = upload_endpoint
            .and_then(|u| u.body.as_ref())
            .and_then(|b| b.file.as_ref())
            .is_some_and(|f| ident(&f.wire) == a.name);
        match before.fields.iter().find(|f| ident(&f.ident) == a.name) {
            _ if is_file => quote!(::taskapi_runtime::UploadFile::path(#path)),
            Some(field) => step_value(&field.value, &before.upload_operation, &path),
            // Validation sees every required field set: never reached.
            None => quote!(::std::default::Default::default()),
        }
    });
    let setters = before.fields.iter().filter(|f| !f.required).map(|f| {
        let setter = ident(&f.ident);
        let value = step_value(&f.value, &before.upload_operation, &path);
        quote!(.#setter(#value))
    });
    let fed = before.fed.iter().map(|f| {
        let field = ident(&f.ident);
        let value = access(&f.reply, Finish::Cloned);
        let wire = &f.reply_wire;
        let value = quote!(#value.filter(|v| !v.is_empty()).ok_or(#wire)?);
        if f.required {
            quote!(next.body.#field = #value;)
        } else {
            quote!(next.body.#field = ::std::option::Option::Some(#value);)
        }
    });
    quote! {
        impl ::taskapi_runtime::StartsAfterUpload for #request {
            type Upload = super::#module::#upload;
            type Uploaded = super::#module::#reply;
            type UploadError = super::#module::#upload_error;
            const UPLOAD_ID: &'static str = #upload_id;

            fn upload(&self, #path: &::std::path::Path) -> Self::Upload {
                super::#module::#upload::with_core(self.core.clone(), #(#values),*)
                    #(#setters)*
                    .chained_from(&self.options)
            }

            fn send_upload(
                upload: Self::Upload,
            ) -> ::taskapi_runtime::BoxFuture<'static, ::std::result::Result<Self::Uploaded, Self::UploadError>> {
                upload.send()
            }

            fn fed(&self, data: &Self::Uploaded) -> ::std::result::Result<Self, &'static str> {
                let mut next = self.clone();
                #(#fed)*
                ::std::result::Result::Ok(next)
            }
        }
    }
}

/// An upload field's value, read from `self` (the start request) and `path`.
fn step_value(value: &StepValue, upload_module: &str, path: &TokenStream) -> TokenStream {
    match value {
        StepValue::Fixed { value, .. } => fixed(value, upload_module),
        StepValue::Path(fact) => path_fact(*fact, path),
        StepValue::Json(members) => {
            let members = members.iter().map(|m| {
                let (key, field) = (&m.key, ident(&m.field));
                if m.is_enum {
                    quote!((#key, self.body.#field.value()))
                } else {
                    quote!((#key, self.body.#field.as_str()))
                }
            });
            quote!(::taskapi_runtime::json_object_text(&[#(#members),*]))
        }
    }
}

/// The method's docs: the three steps, what fills each field, the arguments, an example.
fn method_doc(
    p: &Provider,
    e: &Endpoint,
    chain: &Chain,
    before: &Before,
    taken: &[&Arg],
) -> TokenStream {
    let downloads = p
        .endpoints
        .iter()
        .any(|other| other.id == chain.next_id && other.download.is_some());
    let path = &before.path_arg;
    let upload_fields: Vec<String> = before
        .fields
        .iter()
        .map(|f| format!("  - `{}`: {}", f.wire, step_words(&f.value, path)))
        .chain([format!("  - the file part: the file at `{path}`")])
        .collect();
    let start_fields: Vec<String> = before
        .fed
        .iter()
        .map(|f| format!("  - `{}`: the upload reply's `{}`", f.wire, f.reply_wire))
        .chain(
            before
                .from_path
                .iter()
                .map(|f| format!("  - `{}`: {}", f.wire, fact_words(f.fact, path))),
        )
        .chain(
            taken
                .iter()
                .map(|a| format!("  - {}", a.doc.replace("\n\n", " "))),
        )
        .collect();
    let example_call = format!(
        "let done = client.{}({}){};",
        ident(&before.workflow),
        example_args(e, before, taken),
        if downloads {
            ".to_file(\"result.bin\").await?"
        } else {
            ".await?"
        }
    );
    docs(&paragraphs([
        format!(
            "Uploads the file at `{path}` with `{}`, starts the task of `{}` with what the \
             upload's reply gives, and waits for it with `{}`'s waiter{}.",
            before.upload_id,
            e.id,
            chain.next_id,
            if downloads {
                ", then fetches its file"
            } else {
                ""
            }
        )
        .as_str(),
        &format!(
            "- The upload (`{}`):\n{}\n- The start (`{}`):\n{}",
            before.upload_id,
            upload_fields.join("\n"),
            e.id,
            start_fields.join("\n")
        ),
        "A file over the upload's documented maximum is refused before anything is sent. \
         Set the start's optional fields, or replace what the path gives, with \
         [`map_start`](::taskapi_runtime::UploadThen::map_start) (e.g. \
         `.map_start(|start| start.with_body(body))`); what the upload's reply feeds is set \
         after the upload, whatever the body says.",
        if downloads {
            "Configure the wait (`max_wait`, `on_progress`, ...), then write the file with \
             [`to_file`](::taskapi_runtime::UploadThen::to_file) or \
             [`to_writer`](::taskapi_runtime::UploadThen::to_writer): each returns the \
             upload's reply and the workflow's end ([`AfterUpload`](::taskapi_runtime::AfterUpload))."
        } else {
            "Configure the wait (`max_wait`, `on_progress`, ...), then `.await` it: it returns \
             the upload's reply and how the workflow ended \
             ([`AfterUpload`](::taskapi_runtime::AfterUpload)). Each step keeps its typed \
             error: [`UploadThenError`](::taskapi_runtime::UploadThenError) is the upload's \
             (`Upload`, also its `source()`), a reply without what the start needs \
             (`NotFed`), or what followed (`Then`: the start's, the wait's)."
        },
        &example::usage(p, e, &example_call, "done"),
    ]))
}

fn step_words(value: &StepValue, path: &str) -> String {
    match value {
        StepValue::Fixed { wire, .. } if wire.is_empty() => "empty text".to_owned(),
        StepValue::Fixed { wire, .. } => format!("`{wire}`"),
        StepValue::Path(fact) => fact_words(*fact, path),
        StepValue::Json(members) => {
            let members: Vec<String> = members
                .iter()
                .map(|m| format!("`{}` the start's `{}`", m.key, m.field_wire))
                .collect();
            format!(
                "the text of a JSON object of strings: {}",
                members.join(", ")
            )
        }
    }
}

fn fact_words(fact: PathFact, path: &str) -> String {
    match fact {
        PathFact::FileName => format!("the file name of `{path}`"),
        PathFact::Extension => {
            format!("the extension of `{path}`, without its dot, as written (`md` for `notes.md`)")
        }
    }
}

/// The example call's arguments: a file path (with the extension the start's example gives,
/// when the path gives the extension), then the start's example values of the others.
fn example_args(e: &Endpoint, before: &Before, taken: &[&Arg]) -> String {
    let values = example::doc_arg_values(e);
    let args = super::request::args(e);
    let example_of = |name: &str| {
        args.iter()
            .position(|a| a.name == ident(name))
            .and_then(|i| values.get(i))
    };
    let extension = before
        .from_path
        .iter()
        .find(|f| f.fact == PathFact::Extension)
        .and_then(|f| example_of(&f.ident))
        .map(|v| v.trim_matches('"').to_owned())
        .filter(|v| !v.is_empty() && v.chars().all(|c| c.is_ascii_alphanumeric()))
        .unwrap_or_else(|| "bin".to_owned());
    let mut out = vec![format!("\"report.{extension}\"")];
    for arg in taken {
        let at = args.iter().position(|a| a.name == arg.name);
        out.extend(at.and_then(|i| values.get(i)).cloned());
    }
    out.join(", ")
}
