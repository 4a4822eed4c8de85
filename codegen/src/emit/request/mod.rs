//! An endpoint's request builder: the client method that makes it (required parameters,
//! body fields and file as arguments), setters for the rest, and what sends it: `send` for
//! a JSON reply, `to_file`/`to_writer` for a download.

use super::types::{arg_type, arg_value, scalar_type};
use super::{docs, example, ident, paragraphs};
use crate::model::{
    Body, Endpoint, FieldRust, Param, PathPart, Provider, Response, ScalarType, TypeDef,
};
use crate::spec::{BodyContent, CodeType, FileFactKind, ParamIn};
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
    let binary = e.response == Response::Binary;
    let (transfer_field, transfer_init) = if binary {
        (
            quote!(transfer: ::taskapi_runtime::TransferOptions,),
            quote!(transfer: ::std::default::Default::default(),),
        )
    } else {
        (quote!(), quote!())
    };

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

    let method_doc = docs(&paragraphs([
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
    ]));
    let finish = if binary {
        "then write the file with [`to_file`](Self::to_file) or [`to_writer`](Self::to_writer)"
    } else if e.waiter.is_some() || e.starts.is_some() {
        "then [`send`](Self::send) it, or [`wait`](Self::wait) for its task to end"
    } else {
        "then [`send`](Self::send) it"
    };
    let request_doc = docs(&format!(
        "A `{} {}` request, built by [`{client}::{op}`](super::{client}::{op}): set optional \
         parameters, {finish}.",
        e.method.as_str(),
        e.path_template,
        client = p.client,
        op = e.operation
    ));

    let user_token_setting = e.token_kinds.iter().any(|k| k == USER_TOKEN_KIND).then(|| {
        quote! {
            // `user_access_token`: this endpoint takes user tokens.
            ::taskapi_runtime::user_token_setting!(#request);
        }
    });
    let chained_from = is_chain_target(p, e).then(|| {
        quote! {
            /// Carries the settings that go on to the next request of a chain (a user token).
            pub(crate) fn chained_from(mut self, options: &::taskapi_runtime::CallOptions) -> Self {
                self.options = options.for_next_call();
                self
            }
        }
    });
    let finishers = if binary {
        download_methods(e, info_static, &error, &outgoing(e, &error, false))
    } else {
        send_method(e, info_static, &error, &outgoing(e, &error, true))
    };

    quote! {
        impl super::#client {
            #method_doc
            pub fn #operation(&self, #(#arg_decls),*) -> #request<'_> {
                #request::with_core(&self.core, #(#arg_names),*)
            }
        }

        #request_doc
        #[derive(Debug, Clone)]
        #[must_use = "a request does nothing until it is sent"]
        pub struct #request<'c> {
            core: &'c ::taskapi_runtime::Core,
            #(#param_fields,)*
            #body_field
            #file_field
            #transfer_field
            options: ::taskapi_runtime::CallOptions,
        }

        impl<'c> #request<'c> {
            /// The request with its required parts; what the client method and the
            /// chains that lead here build.
            #[allow(clippy::too_many_arguments)]
            pub(crate) fn with_core(core: &'c ::taskapi_runtime::Core, #(#arg_decls),*) -> Self {
                #request {
                    core,
                    #(#param_inits,)*
                    #body_init
                    #file_init
                    #transfer_init
                    options: ::std::default::Default::default(),
                }
            }

            #chained_from

            #(#param_setters)*
            #body_setters

            #finishers
        }

        // `time_limit` and `inspect_raw`, the same for every request.
        ::taskapi_runtime::request_settings!(#request);
        #user_token_setting
    }
}

/// Setters of optional top-level body fields, and `with_body` for the whole body.
fn body_setters(body: &Body) -> TokenStream {
    let ty = ident(&body.type_name);
    let setters = body.fields.iter().filter(|f| !f.required).map(|f| {
        let name = ident(&f.ident);
        let arg = arg_type(&f.ty);
        let value = arg_value(&f.ty, &name);
        let doc = docs(&format!("`{}` (body): {}", f.wire, f.description.trim()));
        quote! {
            #doc
            pub fn #name(mut self, #name: #arg) -> Self {
                self.body.#name = Some(#value);
                self
            }
        }
    });
    let doc = docs(&format!(
        "Replaces the whole body (e.g. one read from JSON with `serde_json::from_str::<{}>`).",
        body.type_name
    ));
    quote! {
        #(#setters)*

        #doc
        pub fn with_body(mut self, body: #ty) -> Self {
            self.body = body;
            self
        }
    }
}

/// Statements that check lengths and build `outgoing`, an `Outgoing` borrowing `self` (and,
/// when `owned`, taking strings out of it: `send(self)`).
fn outgoing(e: &Endpoint, error: &Ident, owned: bool) -> TokenStream {
    // `max_length` from the spec, checked before any traffic.
    let param_checks = e.params.iter().filter_map(|param| {
        let max = proc_macro2::Literal::usize_unsuffixed(param.max_length? as usize);
        let wire = &param.wire;
        let name = ident(&param.ident);
        Some(length_check(
            wire,
            quote!(self.#name),
            param.required,
            &max,
            error,
        ))
    });
    // A body checks its own fields, nested objects included.
    let body_checks = e.body.as_ref().map(|_| {
        quote!(self.body.check_lengths().map_err(<#error as ::taskapi_runtime::EndpointError>::from_invalid_request)?;)
    });
    // Path parameters that are not strings are written out first.
    let path_texts = e.path_parts.iter().filter_map(|part| match part {
        PathPart::Param(i) if e.params[*i].ty != ScalarType::String => {
            let name = ident(&e.params[*i].ident);
            let text = format_ident!("{}_text", e.params[*i].ident);
            Some(quote!(let #text = self.#name.to_string();))
        }
        _ => None,
    });
    let path_parts = e.path_parts.iter().map(|part| match part {
        PathPart::Literal(text) => quote!(::taskapi_runtime::PathPart::Literal(#text)),
        PathPart::Param(i) => {
            let param = &e.params[*i];
            let wire = &param.wire;
            let value = if param.ty == ScalarType::String {
                let name = ident(&param.ident);
                quote!(&self.#name)
            } else {
                let text = format_ident!("{}_text", param.ident);
                quote!(&#text)
            };
            quote!(::taskapi_runtime::PathPart::Param { name: #wire, value: #value })
        }
    });
    // Only called for a location some parameter is in: `pairs` is pushed to.
    let pairs = |location: ParamIn| -> TokenStream {
        let pushes = e
            .params
            .iter()
            .filter(|p| p.location == location)
            .map(|param| {
                let wire = &param.wire;
                let name = ident(&param.ident);
                let text = param_text(param, quote!(value));
                let push = if param.repeated {
                    quote!(for value in value { pairs.push((#wire, #text)); })
                } else {
                    quote!(pairs.push((#wire, #text));)
                };
                if param.required {
                    quote! { { let value = &self.#name; #push } }
                } else {
                    quote! { if let Some(value) = &self.#name { #push } }
                }
            });
        quote! {
            {
                let mut pairs: ::std::vec::Vec<(&'static str, ::std::string::String)> = ::std::vec::Vec::new();
                #(#pushes)*
                pairs
            }
        }
    };
    // A request sent by value moves its required strings into an array: no copy, no
    // allocation (a poll's only query parameter is usually one).
    let moved = |location: ParamIn| -> Option<TokenStream> {
        let params: Vec<&Param> = e.params.iter().filter(|p| p.location == location).collect();
        let simple = params
            .iter()
            .all(|p| p.required && !p.repeated && p.enumeration.is_none());
        (owned && simple).then(|| {
            let items = params.iter().map(|param| {
                let wire = &param.wire;
                let name = ident(&param.ident);
                if param.ty == ScalarType::String {
                    quote!((#wire, self.#name))
                } else {
                    quote!((#wire, self.#name.to_string()))
                }
            });
            quote!([#(#items),*])
        })
    };
    let list = |location: ParamIn| {
        if !e.params.iter().any(|p| p.location == location) {
            quote!(::std::vec::Vec::new())
        } else if let Some(array) = moved(location) {
            array
        } else {
            pairs(location)
        }
    };
    let query = list(ParamIn::Query);
    let headers = list(ParamIn::Header);
    let body = match &e.body {
        None => quote!(::taskapi_runtime::RequestBody::None),
        Some(body) if body.content == BodyContent::Json => quote! {
            ::taskapi_runtime::RequestBody::json(&self.body).map_err(<#error as ::taskapi_runtime::EndpointError>::from_invalid_request)?
        },
        Some(body) => multipart_body(e, body),
    };
    quote! {
        #(#param_checks)*
        #body_checks
        #(#path_texts)*
        let path = [#(#path_parts),*];
        let query = #query;
        let headers = #headers;
        let outgoing = ::taskapi_runtime::Outgoing {
            path: &path,
            query: &query,
            headers: &headers,
            body: #body,
        };
    }
}

/// A form: its text parts in the spec's order, the parts its file fills (with the values
/// given, to be checked), and the file part with its limit.
fn multipart_body(e: &Endpoint, body: &Body) -> TokenStream {
    let file = body.file.as_ref();
    let file_part = file.map_or("file", |f| f.wire.as_str());
    let from_file = file.map_or(&[][..], |f| &f.from_file[..]);
    let fact_of = |wire: &str| {
        from_file
            .iter()
            .find(|(w, _)| w == wire)
            .map(|(_, fact)| *fact)
    };
    let pushes = body
        .fields
        .iter()
        .filter(|f| fact_of(&f.wire).is_none())
        .map(|f| {
            let wire = &f.wire;
            let name = ident(&f.ident);
            let text = field_text(e, &f.ty, quote!(value));
            if f.required {
                quote! { { let value = &self.body.#name; fields.push((#wire, #text)); } }
            } else {
                quote! { if let Some(value) = &self.body.#name { fields.push((#wire, #text)); } }
            }
        });
    let stated: Vec<TokenStream> = body
        .fields
        .iter()
        .filter_map(|f| {
            let fact = match fact_of(&f.wire)? {
                FileFactKind::Size => quote!(Size),
                FileFactKind::Adler32 => quote!(Adler32),
            };
            let wire = &f.wire;
            let name = ident(&f.ident);
            // An integer or a string (validated): both print as they are sent.
            Some(quote! {
                ::taskapi_runtime::FromFile {
                    field: #wire,
                    fact: ::taskapi_runtime::FileFact::#fact,
                    given: self.body.#name.as_ref().map(::std::string::ToString::to_string),
                }
            })
        })
        .collect();
    // An array, not `vec![..]`: the printer lays out expressions, not macro arguments.
    let from_file = if stated.is_empty() {
        quote!(::std::vec::Vec::new())
    } else {
        quote!(::std::vec::Vec::from([#(#stated),*]))
    };
    let max_size = match file.and_then(|f| f.max_size.zip(f.larger.as_deref())) {
        Some((bytes, larger)) => quote! {
            ::std::option::Option::Some(::taskapi_runtime::MaxSize { bytes: #bytes, larger: #larger })
        },
        None => quote!(::std::option::Option::None),
    };
    quote! {
        {
            let mut fields: ::std::vec::Vec<(&'static str, ::std::string::String)> = ::std::vec::Vec::new();
            #(#pushes)*
            ::taskapi_runtime::RequestBody::Multipart {
                fields,
                file_part: #file_part,
                file: &self.file,
                from_file: #from_file,
                max_size: #max_size,
            }
        }
    }
}

fn length_check(
    wire: &str,
    value: TokenStream,
    required: bool,
    max: &proc_macro2::Literal,
    error: &Ident,
) -> TokenStream {
    if required {
        quote!(::taskapi_runtime::check_max_length(#wire, &#value, #max).map_err(<#error as ::taskapi_runtime::EndpointError>::from_invalid_request)?;)
    } else {
        quote! {
            if let Some(value) = &#value {
                ::taskapi_runtime::check_max_length(#wire, value, #max).map_err(<#error as ::taskapi_runtime::EndpointError>::from_invalid_request)?;
            }
        }
    }
}

fn send_method(
    e: &Endpoint,
    info_static: &Ident,
    error: &Ident,
    outgoing: &TokenStream,
) -> TokenStream {
    let response = ident(e.json_response().unwrap_or_default());
    let doc = docs(&format!(
        "Sends `{} {}` and decodes the reply into [`{}`].{}",
        e.method.as_str(),
        e.path_template,
        e.json_response().unwrap_or_default(),
        if e.idempotent {
            ""
        } else {
            "\n\nNot idempotent: it is sent again only after a failure that proves the server \
             did not act on it (connection refused, throttled); any other failure is returned, \
             saying the server may or may not have acted."
        }
    ));
    quote! {
        #doc
        pub async fn send(self) -> ::std::result::Result<#response, #error> {
            #outgoing
            self.core.send(&#info_static, outgoing, &self.options).await
        }
    }
}

fn download_methods(
    e: &Endpoint,
    info_static: &Ident,
    error: &Ident,
    outgoing: &TokenStream,
) -> TokenStream {
    let sends = format!("`{} {}`", e.method.as_str(), e.path_template);
    let file_doc = docs(&format!(
        "Sends {sends} and writes the file to `path`, streamed: through a temporary file \
         beside it, renamed onto `path` only once complete and checked against its announced \
         length (a failed download leaves nothing under `path`). A body cut mid-way is resumed \
         by range, or started again. Returns the bytes written."
    ));
    let dir_doc = docs(&format!(
        "Sends {sends} and writes the file into the folder `dir`, under the name the server \
         gives (its `Content-Disposition`) made safe, else `download`, as `curl -OJ` does: \
         written like [`to_file`](Self::to_file), and never replacing a file that is there. \
         Returns the file's path and length."
    ));
    let writer_doc = docs(&format!(
        "Sends {sends} and streams the file into `writer`. A body cut mid-way is resumed by \
         range when the server allows it; otherwise the download fails. Returns the bytes written."
    ));
    quote! {
        /// Refuses a file larger than `bytes` (default: no limit; the cap on JSON replies
        /// does not apply to files).
        pub fn max_bytes(mut self, bytes: u64) -> Self {
            self.transfer = self.transfer.max_bytes(bytes);
            self
        }

        /// Calls `report` as the file arrives (every 64 KiB or so, and at the end).
        pub fn on_progress(
            mut self,
            report: impl ::std::ops::Fn(&::taskapi_runtime::TransferProgress) + ::std::marker::Send + ::std::marker::Sync + 'static,
        ) -> Self {
            self.transfer = self.transfer.on_progress(::std::sync::Arc::new(report));
            self
        }

        #file_doc
        pub async fn to_file(self, path: impl ::std::convert::AsRef<::std::path::Path>) -> ::std::result::Result<u64, #error> {
            let target = ::taskapi_runtime::DownloadTarget::Path(path.as_ref());
            self.fetch_into(target, &self.transfer).await.map(|downloaded| downloaded.bytes)
        }

        #dir_doc
        pub async fn to_dir(self, dir: impl ::std::convert::AsRef<::std::path::Path>) -> ::std::result::Result<::taskapi_runtime::Downloaded, #error> {
            self.fetch_into(::taskapi_runtime::DownloadTarget::Dir(dir.as_ref()), &self.transfer).await
        }

        #writer_doc
        pub async fn to_writer(
            self,
            writer: &mut (dyn ::taskapi_runtime::AsyncWrite + ::std::marker::Unpin + ::std::marker::Send),
        ) -> ::std::result::Result<u64, #error> {
            let target = ::taskapi_runtime::DownloadTarget::Writer(writer);
            self.fetch_into(target, &self.transfer).await.map(|downloaded| downloaded.bytes)
        }

        async fn fetch_into(
            &self,
            target: ::taskapi_runtime::DownloadTarget<'_>,
            transfer: &::taskapi_runtime::TransferOptions,
        ) -> ::std::result::Result<::taskapi_runtime::Downloaded, #error> {
            #outgoing
            self.core.download(&#info_static, outgoing, &self.options, target, transfer).await
        }
    }
}

pub(super) fn param_doc(param: &Param) -> String {
    let max = param
        .max_length
        .map(|m| format!(" At most {m} characters."))
        .unwrap_or_default();
    paragraphs([
        format!("`{}`: {}{max}", param.wire, param.summary.trim()).as_str(),
        &param.description,
    ])
}

/// The type a parameter is stored in.
fn param_stored_type(param: &Param) -> TokenStream {
    let one = match &param.enumeration {
        Some((name, _)) => {
            let name = ident(name);
            quote!(#name)
        }
        None => scalar_type(param.ty),
    };
    if param.repeated {
        quote!(::std::vec::Vec<#one>)
    } else {
        one
    }
}

/// Whether a parameter's argument is `impl Into<String>`.
fn param_takes_into(param: &Param) -> bool {
    param.enumeration.is_none() && !param.repeated && param.ty == ScalarType::String
}

/// The argument type a parameter's setter or client method takes.
fn param_arg_type(param: &Param) -> TokenStream {
    if param_takes_into(param) {
        quote!(impl ::std::convert::Into<::std::string::String>)
    } else {
        param_stored_type(param)
    }
}

fn param_arg_value(param: &Param, name: &Ident) -> TokenStream {
    if param_takes_into(param) {
        quote!(#name.into())
    } else {
        quote!(#name)
    }
}

/// A parameter's value as the text it travels as (`value` is a reference to a value of
/// the parameter's element type).
fn param_text(param: &Param, value: TokenStream) -> TokenStream {
    match &param.enumeration {
        Some((_, CodeType::String)) => quote!(::std::string::String::from(#value.clone())),
        Some((_, CodeType::Integer)) => quote!(i64::from(#value.clone()).to_string()),
        None if param.ty == ScalarType::String => quote!(#value.clone()),
        None => quote!(#value.to_string()),
    }
}

/// A form field's value as text (`value` is a reference to a value of the field's type).
fn field_text(e: &Endpoint, ty: &FieldRust, value: TokenStream) -> TokenStream {
    match ty {
        FieldRust::Scalar(ScalarType::String) => quote!(#value.clone()),
        FieldRust::Named(name) => match enum_repr(e, name) {
            Some(CodeType::String) => quote!(::std::string::String::from(#value.clone())),
            Some(CodeType::Integer) => quote!(i64::from(#value.clone()).to_string()),
            // Validation keeps objects out of forms.
            None => quote!(::std::string::String::new()),
        },
        _ => quote!(#value.to_string()),
    }
}

/// The representation of the generated enum `name`, if `name` is an enum of `e`.
fn enum_repr(e: &Endpoint, name: &str) -> Option<CodeType> {
    e.types.iter().find_map(|t| match t {
        TypeDef::Enum(en) if en.name == name => Some(en.repr),
        _ => None,
    })
}

/// Whether a chain leads to `e`: another endpoint starts its task or feeds its download.
fn is_chain_target(p: &Provider, e: &Endpoint) -> bool {
    p.endpoints.iter().any(|other| {
        [&other.starts, &other.download]
            .into_iter()
            .flatten()
            .any(|chain| chain.next_id == e.id)
    })
}
