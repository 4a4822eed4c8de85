//! An endpoint's request builder: the client method that makes it (required parameters,
//! body fields and file as arguments), setters for the rest (`params.rs`), the request as
//! it goes on the wire (`outgoing.rs`), and what sends it (`finish.rs`): `send` for a JSON
//! reply, `to_file`/`to_dir`/`to_writer` for a download.

mod finish;
mod outgoing;
mod params;

use super::example;
use super::tokens::{docs, ident, paragraphs};
use super::types::{arg_type, arg_value};
use crate::model::{Endpoint, Provider, Response};
use params::{
    body_setters, param_arg_type, param_arg_value, param_doc, param_stored_type, param_takes_into,
};
use proc_macro2::{Ident, TokenStream};
use quote::{format_ident, quote};

/// Endpoints whose spec lists this token kind take a user token per request.
const USER_TOKEN_KIND: &str = "user_access_token";

/// One argument of the client method: a parameter, a body field or the file.
pub(super) struct Arg {
    pub(super) name: Ident,
    pub(super) ty: TokenStream,
    pub(super) doc: String,
}

/// The client method's arguments, in order: required parameters, required top-level body
/// fields, the file part.
pub(super) fn args(e: &Endpoint) -> Vec<Arg> {
    let mut args: Vec<Arg> = e
        .params
        .iter()
        .filter(|p| p.required)
        .map(|param| {
            let name = ident(&param.ident);
            Arg {
                ty: param_arg_type(param),
                name,
                doc: param_doc(param),
            }
        })
        .collect();
    if let Some(body) = &e.body {
        for f in body.fields.iter().filter(|f| f.required) {
            let name = ident(&f.ident);
            args.push(Arg {
                ty: arg_type(&f.ty),
                name,
                doc: format!("`{}` (body): {}", f.wire, f.description.trim()),
            });
        }
        if let Some(file) = &body.file {
            let name = ident(&file.wire);
            args.push(Arg {
                ty: quote!(::taskapi_runtime::UploadFile),
                name,
                doc: format!(
                    "`{}` (the file part): {}",
                    file.wire,
                    file.description.trim()
                ),
            });
        }
    }
    args
}

/// `name: Type` of each argument, for a method's signature.
pub(super) fn decls(args: &[Arg]) -> Vec<TokenStream> {
    args.iter()
        .map(|a| {
            let (name, ty) = (&a.name, &a.ty);
            quote!(#name: #ty)
        })
        .collect()
}

pub(super) fn emit(p: &Provider, e: &Endpoint, info_static: &Ident, args: &[Arg]) -> TokenStream {
    let client = ident(&p.client);
    let operation = ident(&e.operation);
    let request = format_ident!("{}Request", e.type_prefix);
    let error = format_ident!("{}Error", e.type_prefix);
    let arg_decls = decls(args);
    let arg_names: Vec<&Ident> = args.iter().map(|a| &a.name).collect();
    let binary = e.response == Response::Binary;
    let (fields, inits) = stored_fields(e, binary);
    let setters = setters(e);
    let method_doc = method_doc(p, e, args, binary);
    let request_doc = request_doc(p, e, binary);
    let user_token_setting = e.token_kinds.iter().any(|k| k == USER_TOKEN_KIND).then(|| {
        quote! {
            // `user_access_token`: this endpoint takes user tokens.
            ::taskapi_runtime::user_token_setting!(#request);
        }
    });
    let chained_from = is_chain_target(p, e).then(chained_from);
    // With the core, more than seven arguments: clippy's limit, allowed only past it.
    let many_arguments = (args.len() + 1 > 7).then(|| quote!(#[allow(clippy::too_many_arguments)]));
    let finishers = if binary {
        finish::download_methods(e, info_static, &error)
    } else {
        finish::send_method(e, info_static, &error)
    };
    let outgoing = outgoing::method(e, &error);

    quote! {
        impl super::#client {
            #method_doc
            pub fn #operation(&self, #(#arg_decls),*) -> #request {
                #request::with_core(self.core.clone(), #(#arg_names),*)
            }
        }

        #request_doc
        #[derive(Debug, Clone)]
        #[must_use = "a request does nothing until it is sent"]
        pub struct #request {
            core: ::taskapi_runtime::Core,
            #fields
            options: ::taskapi_runtime::CallOptions,
        }

        impl #request {
            /// The request with its required parts; what the client method and the
            /// chains that lead here build. It owns a handle on the client's core, so
            /// that its future can be spawned.
            #many_arguments
            pub(crate) fn with_core(core: ::taskapi_runtime::Core, #(#arg_decls),*) -> Self {
                #request {
                    core,
                    #inits
                    options: ::std::default::Default::default(),
                }
            }

            #chained_from

            #setters

            #finishers

            #outgoing
        }

        // `time_limit` and `inspect_raw`, the same for every request.
        ::taskapi_runtime::request_settings!(#request);
        #user_token_setting
    }
}

/// The request struct's fields between the core and the options, and what `with_core`
/// fills them with: each parameter (an `Option` when optional, set later by its setter),
/// the body (built from its required fields), the file, a download's transfer options.
fn stored_fields(e: &Endpoint, binary: bool) -> (TokenStream, TokenStream) {
    let param_fields = e.params.iter().map(|param| {
        let name = ident(&param.ident);
        let stored = param_stored_type(param);
        if param.required {
            quote!(#name: #stored)
        } else {
            quote!(#name: ::std::option::Option<#stored>)
        }
    });
    let param_inits = e.params.iter().map(|param| {
        let name = ident(&param.ident);
        if param.required && param_takes_into(param) {
            quote!(#name: #name.into())
        } else if param.required {
            quote!(#name)
        } else {
            quote!(#name: None)
        }
    });
    let (body_field, body_init) = match &e.body {
        Some(body) => {
            let ty = ident(&body.type_name);
            let required = body.fields.iter().filter(|f| f.required).map(|f| {
                let name = ident(&f.ident);
                arg_value(&f.ty, &name)
            });
            (quote!(body: #ty,), quote!(body: #ty::new(#(#required),*),))
        }
        None => (quote!(), quote!()),
    };
    let (file_field, file_init) = match e.body.as_ref().and_then(|b| b.file.as_ref()) {
        Some(file) => {
            let name = ident(&file.wire);
            (
                quote!(file: ::std::sync::Arc<::taskapi_runtime::UploadFile>,),
                quote!(file: ::std::sync::Arc::new(#name),),
            )
        }
        None => (quote!(), quote!()),
    };
    let (transfer_field, transfer_init) = if binary {
        (
            quote!(transfer: ::taskapi_runtime::TransferOptions,),
            quote!(transfer: ::std::default::Default::default(),),
        )
    } else {
        (quote!(), quote!())
    };
    (
        quote!(#(#param_fields,)* #body_field #file_field #transfer_field),
        quote!(#(#param_inits,)* #body_init #file_init #transfer_init),
    )
}

/// The setters of the optional parameters, then the body's.
fn setters(e: &Endpoint) -> TokenStream {
    let param_setters = e.params.iter().filter(|p| !p.required).map(|param| {
        let name = ident(&param.ident);
        let ty = param_arg_type(param);
        let value = param_arg_value(param, &name);
        let doc = docs(&param_doc(param));
        quote! {
            #doc
            pub fn #name(mut self, #name: #ty) -> Self {
                self.#name = Some(#value);
                self
            }
        }
    });
    let body_setters = e.body.as_ref().map(body_setters);
    quote! {
        #(#param_setters)*
        #body_setters
    }
}

/// The client method's docs: what it sends, its arguments, an example.
fn method_doc(p: &Provider, e: &Endpoint, args: &[Arg], binary: bool) -> TokenStream {
    docs(&paragraphs([
        format!("{} ({})", e.title, e.summary.trim()).as_str(),
        &format!(
            "Sends `{} {}` (`{}`).",
            e.method.as_str(),
            e.path_template,
            e.id
        ),
        &args
            .iter()
            .map(|a| format!("- {}", a.doc.replace("\n\n", " ")))
            .collect::<Vec<_>>()
            .join("\n"),
        &example::usage(
            p,
            e,
            &format!(
                "let reply = client.{}({}){};",
                ident(&e.operation),
                example::args(e),
                if binary {
                    ".to_file(\"export.bin\").await?"
                } else {
                    ".send().await?"
                }
            ),
            "reply",
        ),
    ]))
}

/// The request struct's docs: what it sends, what makes it, and how it ends.
fn request_doc(p: &Provider, e: &Endpoint, binary: bool) -> TokenStream {
    let finish = if binary {
        "then write the file with [`to_file`](Self::to_file) or [`to_writer`](Self::to_writer)"
    } else if e.waiter.is_some() || e.starts.is_some() {
        "then [`send`](Self::send) it, or [`wait`](Self::wait) for its task to end"
    } else {
        "then [`send`](Self::send) it"
    };
    docs(&format!(
        "A `{} {}` request, built by [`{client}::{op}`](super::{client}::{op}): set optional \
         parameters, {finish}.",
        e.method.as_str(),
        e.path_template,
        client = p.client,
        op = e.operation
    ))
}

/// `chained_from`, for a request a chain leads to.
fn chained_from() -> TokenStream {
    quote! {
        /// Carries the settings that go on to the next request of a chain (a user token).
        pub(crate) fn chained_from(mut self, options: &::taskapi_runtime::CallOptions) -> Self {
            self.options = options.for_next_call();
            self
        }
    }
}

/// Whether a chain leads to `e`: another endpoint starts its task, feeds its download, or
/// sends it before its start (an upload).
fn is_chain_target(p: &Provider, e: &Endpoint) -> bool {
    p.endpoints.iter().any(|other| {
        [&other.starts, &other.download]
            .into_iter()
            .flatten()
            .any(|chain| {
                chain.next_id == e.id || chain.before.as_ref().is_some_and(|b| b.upload_id == e.id)
            })
    })
}
