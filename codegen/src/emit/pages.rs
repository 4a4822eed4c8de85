//! A paginated endpoint's list: `request.pages()`, `request.items()`, and the `Paginated`
//! impl the runtime's streams read (which page to ask for, what a page says comes next).

use super::example;
use super::tokens::{docs, ident, paragraphs};
use super::types::rust_type;
use crate::model::{Endpoint, Pagination, Provider, ReplyField};
use proc_macro2::{Literal, TokenStream};
use quote::{format_ident, quote};

pub(super) fn emit(p: &Provider, e: &Endpoint, list: &Pagination) -> TokenStream {
    let request = format_ident!("{}Request", e.type_prefix);
    let error = format_ident!("{}Error", e.type_prefix);
    let page = ident(e.json_response().unwrap_or_default());
    let item = rust_type(&list.item);
    let token = ident(&list.token_param);
    let size = ident(&list.size_param);
    let max_size = Literal::u32_unsuffixed(list.max_size);
    let next = read_field(&list.next_token, quote!(.clone()));
    let has_more = match &list.has_more {
        Some(field) => read_field(field, quote!()),
        None => quote!(::std::option::Option::None),
    };
    let items_field = ident(&list.items.ident);
    let items = if list.items.required {
        quote!(page.#items_field)
    } else {
        quote!(page.#items_field.unwrap_or_default())
    };
    let (pages_doc, items_doc) = method_docs(p, e, list);
    quote! {
        impl #request {
            #pages_doc
            pub fn pages(self) -> ::taskapi_runtime::Pages<Self> {
                ::taskapi_runtime::Pages::new(self)
            }

            #items_doc
            pub fn items(self) -> ::taskapi_runtime::Items<Self> {
                ::taskapi_runtime::Pages::new(self).items()
            }
        }

        impl ::taskapi_runtime::Paginated for #request {
            type Page = #page;
            type Item = #item;
            type Error = #error;

            fn page(
                &self,
                token: ::std::option::Option<::std::string::String>,
            ) -> ::taskapi_runtime::BoxFuture<'static, ::std::result::Result<#page, #error>> {
                let mut request = self.clone();
                // The first page starts where the caller's token (if any) says.
                if token.is_some() {
                    request.#token = token;
                }
                request.#size = ::std::option::Option::Some(request.#size.unwrap_or(#max_size));
                request.send()
            }

            fn cursor(page: &#page) -> ::taskapi_runtime::Cursor {
                ::taskapi_runtime::Cursor { next: #next, has_more: #has_more }
            }

            fn into_items(page: #page) -> ::std::vec::Vec<#item> {
                #items
            }
        }
    }
}

/// A top-level reply field of `page` as an `Option`.
fn read_field(field: &ReplyField, take: TokenStream) -> TokenStream {
    let name = ident(&field.ident);
    if field.required {
        quote!(::std::option::Option::Some(page.#name #take))
    } else {
        quote!(page.#name #take)
    }
}

/// The docs of `pages()` and `items()`: the rules every list follows, and an example.
fn method_docs(p: &Provider, e: &Endpoint, list: &Pagination) -> (TokenStream, TokenStream) {
    let end = match &list.has_more {
        Some(has_more) => format!(
            "`{}: false`, or `{}: true` with no `{}` (an error)",
            has_more.wire, has_more.wire, list.next_token.wire
        ),
        None => format!("a reply without `{}`", list.next_token.wire),
    };
    let rules = format!(
        "Each page is a call like [`send`](Self::send): retries, rate limit, deadline and \
         tracing. Pages ask for `{size}` {max} (the spec's `max_size`, fewest calls) unless it \
         is set, and the first page starts at the `{token}` set, if any. The list ends at {end}; \
         an empty page that says more follow is not the end. A token an earlier page gave \
         ends the list with [`PageError::RepeatedToken`](::taskapi_runtime::PageError) \
         instead of looping, and a page that fails after its retries ends it with \
         [`PageError::Call`](::taskapi_runtime::PageError), saying how many pages were read; \
         what was yielded before stays valid.",
        size = list.size_wire,
        max = list.max_size,
        token = list.token_param,
    );
    let call = format!("client.{}({})", e.operation, example::args(e));
    let pages_doc = docs(&paragraphs([
        "Every page of the list, in order, as a `Stream` (or \
         [`Pages::next`](::taskapi_runtime::Pages::next)).",
        &rules,
        &example::usage(
            p,
            e,
            &format!(
                "let mut pages = {call}.pages();\nwhile let Some(page) = pages.next().await {{\n    \
                 let page = page?;\n    println!(\"{{page:?}}\");\n}}\nlet read = pages.pages_read();"
            ),
            "read",
        ),
    ]));
    let items_doc = docs(&paragraphs([
        format!(
            "Every item of every page (`{}`), in order, as a `Stream` (or [`Items::next`](::taskapi_runtime::Items::next)); the pages are read by the rules of [`pages`](Self::pages).",
            list.items.wire
        )
        .as_str(),
        &example::usage(
            p,
            e,
            &format!(
                "let mut items = {call}.items();\nwhile let Some(item) = items.next().await {{\n    \
                 let item = item?;\n    println!(\"{{item:?}}\");\n}}\nlet read = items.pages_read();"
            ),
            "read",
        ),
    ]));
    (pages_doc, items_doc)
}
