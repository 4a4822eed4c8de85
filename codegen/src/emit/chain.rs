//! Chains: a start endpoint's workflow method and its `StartsTask` impl (which poll request
//! its reply feeds), a poller's `FeedsDownload` impl (which download its result feeds), and
//! a download endpoint's `Download` impl.

use super::example;
use super::tokens::{docs, ident, paragraphs};
use super::waiter::{Finish, access};
use crate::model::{Chain, Endpoint, Feed, FeedFrom, Fixed, Provider, Response};
use proc_macro2::{Ident, TokenStream};
use quote::{format_ident, quote};

pub(super) fn emit(
    p: &Provider,
    e: &Endpoint,
    arg_decls: &[TokenStream],
    arg_names: &[Ident],
) -> TokenStream {
    let starts = e
        .starts
        .as_ref()
        .map(|chain| starts(p, e, chain, arg_decls, arg_names));
    let feeds_download = e.download.as_ref().map(|chain| feeds_download(e, chain));
    let download = (e.response == Response::Binary).then(|| download(e));
    quote! {
        #starts
        #feeds_download
        #download
    }
}

fn starts(
    p: &Provider,
    e: &Endpoint,
    chain: &Chain,
    arg_decls: &[TokenStream],
    arg_names: &[Ident],
) -> TokenStream {
    let client = ident(&p.client);
    let workflow = ident(chain.workflow.as_deref().unwrap_or_default());
    let operation = ident(&e.operation);
    let request = format_ident!("{}Request", e.type_prefix);
    let error = format_ident!("{}Error", e.type_prefix);
    let data = ident(e.json_response().unwrap_or_default());
    let next_module = ident(&chain.next_operation);
    let next = format_ident!("{}Request", chain.next_type_prefix);
    let defaults = format_ident!("{}_WAIT_DEFAULTS", chain.next_operation.to_uppercase());
    let flag_check = chain.async_flag.as_ref().map(|flag| {
        let flag = access(flag, Finish::Copied);
        quote! {
            // The work was done at once: there is no task.
            if #flag == Some(false) {
                return None;
            }
        }
    });
    let next_request = next_request(&quote!(super::#next_module::#next), chain);
    let method_doc = workflow_doc(p, e, chain, &workflow);
    let wait_doc = docs(&format!(
        "Sends this request and waits for the task it starts (see [`{0}::{1}`](super::{0}::{1})).",
        p.client, workflow
    ));
    quote! {
        impl super::#client {
            #method_doc
            pub fn #workflow<'c>(&self, #(#arg_decls),*) -> ::taskapi_runtime::Workflow<'c, #request> {
                self.#operation(#(#arg_names),*).wait()
            }
        }

        impl #request {
            #wait_doc
            pub fn wait<'c>(self) -> ::taskapi_runtime::Workflow<'c, Self> {
                ::taskapi_runtime::Workflow::new(self)
            }
        }

        impl ::taskapi_runtime::StartsTask for #request {
            type Started = #data;
            type Error = #error;
            type Poll = super::#next_module::#next;
            const WAIT_DEFAULTS: ::taskapi_runtime::WaitDefaults = super::#next_module::#defaults;

            fn start(&self) -> ::taskapi_runtime::BoxFuture<'_, ::std::result::Result<#data, #error>> {
                self.clone().send()
            }

            fn poller(&self, data: &#data) -> ::std::option::Option<Self::Poll> {
                #flag_check
                #next_request
            }
        }
    }
}

/// The workflow method's docs: what it starts and waits for, how it ends (a file to write,
/// or the start reply and the task's end), an example.
fn workflow_doc(p: &Provider, e: &Endpoint, chain: &Chain, workflow: &Ident) -> TokenStream {
    let downloads = has_download(p, &chain.next_id);
    docs(&paragraphs([
        format!(
            "Starts the task of `{}`, waits for it with `{}`'s waiter{}.",
            e.id,
            chain.next_id,
            if downloads {
                ", and fetches its file"
            } else {
                ""
            }
        )
        .as_str(),
        if downloads {
            "Configure the wait (`max_wait`, `on_progress`, ...), then write the file with \
             [`to_file`](::taskapi_runtime::Workflow::to_file) or \
             [`to_writer`](::taskapi_runtime::Workflow::to_writer): each returns the start \
             reply, the final poll reply and the bytes written."
        } else {
            "Configure the wait (`max_wait`, `on_progress`, ...), then `.await` it: it returns \
             the start reply and how the task ended (`None` when the start reply says the work \
             was done at once)."
        },
        &example::usage(
            p,
            e,
            &format!(
                "let done = client.{}({}){};",
                workflow,
                example::args(e),
                if downloads {
                    ".to_file(\"result.bin\").await?"
                } else {
                    ".await?"
                }
            ),
            "done",
        ),
    ]))
}

fn feeds_download(e: &Endpoint, chain: &Chain) -> TokenStream {
    let request = format_ident!("{}Request", e.type_prefix);
    let data = ident(e.json_response().unwrap_or_default());
    let next_module = ident(&chain.next_operation);
    let next = format_ident!("{}Request", chain.next_type_prefix);
    let next_request = next_request(&quote!(super::#next_module::#next), chain);
    let size = match &chain.size {
        Some(size) => {
            let size = access(size, Finish::Copied);
            quote!(#size.and_then(|n| u64::try_from(n).ok()))
        }
        None => quote!({
            let _ = data;
            None
        }),
    };
    quote! {
        impl ::taskapi_runtime::FeedsDownload for #request {
            type Download = super::#next_module::#next;

            fn download(&self, data: &#data) -> ::std::option::Option<Self::Download> {
                #next_request
            }

            fn file_size(data: &#data) -> ::std::option::Option<u64> {
                #size
            }
        }
    }
}

fn download(e: &Endpoint) -> TokenStream {
    let request = format_ident!("{}Request", e.type_prefix);
    let error = format_ident!("{}Error", e.type_prefix);
    quote! {
        impl ::taskapi_runtime::Download for #request {
            type Error = #error;

            fn fetch<'a>(
                mut self,
                target: ::taskapi_runtime::DownloadTarget<'a>,
                transfer: ::taskapi_runtime::TransferOptions,
            ) -> ::taskapi_runtime::BoxFuture<'a, ::std::result::Result<::taskapi_runtime::Downloaded, #error>> {
                self.transfer = transfer;
                self.fetch_into(target)
            }
        }
    }
}

/// Statements building the next request from `data` (the reply) and `self` (this
/// request), ending in `Some(request)`, or `None` when a required value is absent.
fn next_request(next: &TokenStream, chain: &Chain) -> TokenStream {
    let required: Vec<&Feed> = chain.feeds.iter().filter(|f| f.required).collect();
    let vars: Vec<Ident> = required
        .iter()
        .map(|f| format_ident!("{}_value", f.param_ident))
        .collect();
    let values = required
        .iter()
        .map(|f| match value(f, &chain.next_operation) {
            (value, true) => quote!(#value?),
            (value, false) => value,
        });
    let optional: Vec<TokenStream> = chain
        .feeds
        .iter()
        .filter(|f| !f.required)
        .map(|f| {
            let setter = ident(&f.param_ident);
            match value(f, &chain.next_operation) {
                (value, true) => quote! {
                    if let Some(value) = #value {
                        next = next.#setter(value);
                    }
                },
                (value, false) => quote!(next = next.#setter(#value);),
            }
        })
        .collect();
    let binding = if optional.is_empty() {
        quote!(let next)
    } else {
        quote!(let mut next)
    };
    quote! {
        #(let #vars = #values;)*
        #binding = #next::with_core(self.core.clone(), #(#vars),*).chained_from(&self.options);
        #(#optional)*
        Some(next)
    }
}

/// A fed value, and whether it is an `Option`: a reply field (an empty string counts as
/// absent), a parameter or body field of this request, or a fixed value (an enum's is the
/// next endpoint's, in `next_module`).
fn value(feed: &Feed, next_module: &str) -> (TokenStream, bool) {
    match &feed.from {
        FeedFrom::Value { value, .. } => (fixed(value, next_module), false),
        FeedFrom::Reply(steps) if feed.is_string => {
            let value = access(steps, Finish::Cloned);
            (quote!(#value.filter(|v| !v.is_empty())), true)
        }
        FeedFrom::Reply(steps) => (access(steps, Finish::Cloned), true),
        FeedFrom::Request {
            ident: name,
            in_body,
            required,
        } => {
            let name = ident(name);
            let field = if *in_body {
                quote!(self.body.#name)
            } else {
                quote!(self.#name)
            };
            let value = if feed.is_string || !*required {
                quote!(#field.clone())
            } else {
                field
            };
            (value, !*required)
        }
    }
}

pub(super) fn fixed(value: &Fixed, next_module: &str) -> TokenStream {
    match value {
        Fixed::Variant {
            enumeration,
            variant,
            shared,
        } => {
            // A shared enum is the provider's `types` module's; the endpoint module only
            // imports it.
            let module = ident(if *shared { "types" } else { next_module });
            let (enumeration, variant) = (ident(enumeration), ident(variant));
            quote!(super::#module::#enumeration::#variant)
        }
        Fixed::Text(text) => quote!(::std::string::String::from(#text)),
        Fixed::Integer(n) => quote!(#n),
        Fixed::Boolean(b) => quote!(#b),
    }
}

/// Whether the endpoint `id` declares a download.
fn has_download(p: &Provider, id: &str) -> bool {
    p.endpoints
        .iter()
        .any(|other| other.id == id && other.download.is_some())
}
