//! The fake server's generated half (`taskapi::testing`): one route per endpoint and token
//! endpoint, with envelopes, documented codes and examples from the specs, and a typed
//! scripting method per endpoint on `FakeServer`.

use super::example;
use super::tokens::{code_literal, docs, envelope, ident};
use crate::model::{Code, Endpoint, ErrorCase, Model, Pagination, Provider, TokenEndpoint};
use proc_macro2::{Ident, TokenStream};
use quote::{format_ident, quote};

pub(super) fn emit(model: &Model) -> TokenStream {
    let mut parts = Parts::default();
    for p in &model.providers {
        provider_parts(p, &mut parts);
    }
    module(parts)
}

/// What the providers add to the module, gathered in one walk over them.
#[derive(Default)]
struct Parts {
    /// `static` shapes the routes point at: rate limits, common errors, tasks.
    shapes: Vec<TokenStream>,
    /// `ROUTES`, in order: a scripting method finds its route by its index here.
    routes: Vec<TokenStream>,
    /// `FakeServer`'s scripting methods.
    methods: Vec<TokenStream>,
    /// The arms of `call_by_id`.
    calls: Vec<TokenStream>,
    /// The arms of `list_by_id`, one per paginated endpoint.
    lists: Vec<TokenStream>,
}

impl Parts {
    /// The index the next route gets in `ROUTES`.
    fn next_index(&self) -> proc_macro2::Literal {
        proc_macro2::Literal::usize_unsuffixed(self.routes.len())
    }
}

/// A provider's shapes, then a route, a method and a call per endpoint, then its token
/// endpoint's route and method.
fn provider_parts(p: &Provider, parts: &mut Parts) {
    let rate_limit = rate_limit_shape(p, &mut parts.shapes);
    let common_static = format_ident!("{}_COMMON_ERRORS", p.key.to_uppercase());
    let common = p.common_errors.iter().map(documented);
    parts.shapes.push(quote! {
        static #common_static: &[DocumentedError] = &[#(#common),*];
    });
    for e in &p.endpoints {
        let index = parts.next_index();
        let route = endpoint_route(p, e, &rate_limit, &common_static, &mut parts.shapes);
        parts.routes.push(route);
        parts.methods.push(endpoint_method(p, e, &index));
        parts.calls.push(call_arm(p, e));
        if let Some(list) = &e.pagination {
            parts.lists.push(list_arm(p, e, list));
        }
    }
    if let Some(t) = &p.token {
        let index = parts.next_index();
        parts.routes.push(token_route(p, t, &common_static));
        parts.methods.push(token_method(p, t, &index));
    }
}

/// The provider's rate-limit reply as a `static` shape in `shapes`, and the route field
/// pointing at it (`None` when the spec documents no such reply).
fn rate_limit_shape(p: &Provider, shapes: &mut Vec<TokenStream>) -> TokenStream {
    let Some((status, code)) = &p.rate_limit_reply else {
        return quote!(None);
    };
    let shape = format_ident!("{}_RATE_LIMIT", p.key.to_uppercase());
    let code = code_ref(code);
    let reset = optional_str(p.rate_limit_reset_header.as_deref());
    let limit = optional_str(p.rate_limit_limit_header.as_deref());
    shapes.push(quote! {
        static #shape: RateLimitShape = RateLimitShape {
            http_status: #status,
            code: #code,
            reset_header: #reset,
            limit_header: #limit,
        };
    });
    quote!(Some(&#shape))
}

/// `Some("…")` or `None`.
fn optional_str(value: Option<&str>) -> TokenStream {
    match value {
        Some(h) => quote!(Some(#h)),
        None => quote!(None),
    }
}

/// An endpoint's route; its task shape, if it has one, goes to `shapes`.
fn endpoint_route(
    p: &Provider,
    e: &Endpoint,
    rate_limit: &TokenStream,
    common_static: &Ident,
    shapes: &mut Vec<TokenStream>,
) -> TokenStream {
    let module = ident(&p.key);
    let provider_envelope = envelope(p.envelope);
    let (id, method, path) = (&e.id, e.method.as_str(), &e.path_template);
    let example = format_ident!("{}_EXAMPLE", e.operation.to_uppercase());
    let errors = e.errors.iter().map(documented);
    let kind = if e.json_response().is_some() {
        quote!(RouteKind::Endpoint)
    } else {
        quote!(RouteKind::Download)
    };
    let task = task_shape(e, shapes);
    let list = list_shape(e, shapes);
    let starts = match &e.starts {
        Some(chain) => {
            let next = &chain.next_id;
            quote!(Some(#next))
        }
        None => quote!(None),
    };
    quote! {
        Route {
            id: #id,
            method: #method,
            path: #path,
            envelope: #provider_envelope,
            kind: #kind,
            example: super::#module::#example,
            errors: &[#(#errors),*],
            common_errors: #common_static,
            rate_limit: #rate_limit,
            task: #task,
            starts: #starts,
            list: #list,
        }
    }
}

/// A poller's task as a `static` shape in `shapes` (its status values, the first pending
/// and success ones the fake answers with, a download's size steps), and the route field
/// pointing at it; `None` for an endpoint without a waiter that names both values.
fn task_shape(e: &Endpoint, shapes: &mut Vec<TokenStream>) -> TokenStream {
    let Some((w, pending, success)) = e
        .waiter
        .as_ref()
        .and_then(|w| Some((w, w.first_pending.as_ref()?, w.first_success.as_ref()?)))
    else {
        return quote!(None);
    };
    let shape = format_ident!("{}_TASK", e.operation.to_uppercase());
    // `"[]"` after an array: the status is in each of its elements (`TaskShape::status`).
    let status = w
        .status
        .iter()
        .flat_map(|s| std::iter::once(s.wire.as_str()).chain(s.each.then_some("[]")));
    let size = match e.download.as_ref().and_then(|d| d.size.as_ref()) {
        Some(steps) => {
            let wires = steps.iter().map(|s| &s.wire);
            quote!(Some(&[#(#wires),*]))
        }
        None => quote!(None),
    };
    shapes.push(quote! {
        static #shape: TaskShape = TaskShape {
            status: &[#(#status),*],
            pending: #pending,
            success: #success,
            size: #size,
        };
    });
    quote!(Some(&#shape))
}

/// A paginated endpoint's list as a `static` shape in `shapes` (its parameters and reply
/// fields), and the route field pointing at it.
fn list_shape(e: &Endpoint, shapes: &mut Vec<TokenStream>) -> TokenStream {
    let Some(list) = &e.pagination else {
        return quote!(None);
    };
    let shape = format_ident!("{}_LIST", e.operation.to_uppercase());
    let (token, size, max_size) = (&list.token_wire, &list.size_wire, list.max_size);
    let (next, items) = (&list.next_token.wire, &list.items.wire);
    let has_more = match &list.has_more {
        Some(field) => {
            let wire = &field.wire;
            quote!(Some(#wire))
        }
        None => quote!(None),
    };
    shapes.push(quote! {
        static #shape: ::taskapi_runtime::testing::ListShape = ::taskapi_runtime::testing::ListShape {
            token_param: #token,
            size_param: #size,
            max_size: #max_size,
            next_token: #next,
            has_more: #has_more,
            items: #items,
        };
    });
    quote!(Some(&#shape))
}

/// `FakeServer`'s typed scripting method for an endpoint, on route `index`.
fn endpoint_method(p: &Provider, e: &Endpoint, index: &proc_macro2::Literal) -> TokenStream {
    let module = ident(&p.key);
    let (id, method, path) = (&e.id, e.method.as_str(), &e.path_template);
    let name = ident(&e.operation);
    // A download's route is scripted with JSON (its errors); its data is untyped.
    let data = match e.json_response() {
        Some(data) => {
            let data = ident(data);
            quote!(super::#module::#data)
        }
        None => quote!(::serde_json::Value),
    };
    let doc = docs(&format!(
        "Scripts `{id}` (`{method} {path}`). Unscripted, it answers with the doc example."
    ));
    quote! {
        #doc
        pub fn #name(&self) -> EndpointScript<'_, #data> {
            self.0.script(&ROUTES[#index])
        }
    }
}

/// The arm of `call_by_id` for an endpoint: build a client, call with the example
/// arguments (and example body), describe the outcome.
fn call_arm(p: &Provider, e: &Endpoint) -> TokenStream {
    let module = ident(&p.key);
    let id = &e.id;
    let name = ident(&e.operation);
    let client = ident(&p.client);
    let args = example_args(p, e);
    // The documented example body, when the page gives one, is what is sent.
    let body = e.body.as_ref().filter(|b| b.example.is_some()).map(|b| {
        let ty = ident(&b.type_name);
        let example = format_ident!("{}_BODY_EXAMPLE", e.operation.to_uppercase());
        quote! {
            .with_body(::serde_json::from_str::<super::#module::#ty>(super::#module::#example)
                .expect("the spec's example body decodes as its body type"))
        }
    });
    // A request is sent as a task of its own: that it compiles proves every
    // request future spawnable. A download's writer is borrowed, so it is not.
    let send = if e.json_response().is_some() {
        quote!(Called::of(::taskapi_runtime::testing::spawned(client.#name(#args) #body .send()).await))
    } else {
        quote!(Called::of(client.#name(#args) #body .to_writer(&mut ::taskapi_runtime::testing::discard()).await))
    };
    quote! {
        #id => match settings.builder::<super::#module::#client>().build() {
            Ok(client) => #send,
            Err(e) => Called::NotBuilt(e),
        },
    }
}

/// The required arguments of an example call, as tokens of the generated crate.
fn example_args(p: &Provider, e: &Endpoint) -> TokenStream {
    example::args_with(
        e,
        &format!("super::{}::", ident(&p.key)),
        "::taskapi_runtime::",
    )
    .parse()
    .expect("example arguments are Rust expressions")
}

/// The arm of `list_by_id` for a paginated endpoint: its items to the end, read in a task
/// of their own (so the stream is shown `Send + 'static`), with the page size given.
fn list_arm(p: &Provider, e: &Endpoint, list: &Pagination) -> TokenStream {
    let module = ident(&p.key);
    let (id, name, client) = (&e.id, ident(&e.operation), ident(&p.client));
    let args = example_args(p, e);
    let size = ident(&list.size_param);
    quote! {
        #id => match settings.builder::<super::#module::#client>().build() {
            Ok(client) => {
                let mut request = client.#name(#args);
                if let Some(size) = page_size {
                    request = request.#size(size);
                }
                ::taskapi_runtime::testing::spawned(Listed::of(request.items())).await
            }
            Err(e) => Listed::not_built(e),
        },
    }
}

/// The token endpoint's route: it issues tokens, and shares the provider's common errors.
fn token_route(p: &Provider, t: &TokenEndpoint, common_static: &Ident) -> TokenStream {
    let id = format!("{}.token", p.key);
    let (method, path) = (t.method.as_str(), &t.path);
    let token_envelope = envelope(t.envelope);
    let (token_field, expires_field) = (&t.token_wire, &t.expires_wire);
    let example = &t.example;
    quote! {
        Route {
            id: #id,
            method: #method,
            path: #path,
            envelope: #token_envelope,
            kind: RouteKind::Token { token_field: #token_field, expires_field: #expires_field },
            example: #example,
            errors: &[],
            common_errors: #common_static,
            rate_limit: None,
            task: None,
            starts: None,
            list: None,
        }
    }
}

/// `FakeServer`'s scripting method for the token endpoint, on route `index`.
fn token_method(p: &Provider, t: &TokenEndpoint, index: &proc_macro2::Literal) -> TokenStream {
    let module = ident(&p.key);
    let id = format!("{}.token", p.key);
    let (method, path) = (t.method.as_str(), &t.path);
    let name = format_ident!("{}_token", p.key);
    let reply = ident(&t.response);
    let doc = docs(&format!(
        "Scripts the {} token endpoint (`{method} {path}`, requests counted as `{id}`). \
         Unscripted, it issues `fake-token-N` tokens.",
        p.title
    ));
    quote! {
        #doc
        pub fn #name(&self) -> EndpointScript<'_, super::#module::#reply> {
            self.0.script(&ROUTES[#index])
        }
    }
}

/// The module: its docs, the shapes, `ROUTES`, `FakeServer` with its methods, and
/// `call_by_id`.
fn module(parts: Parts) -> TokenStream {
    let Parts {
        shapes,
        routes,
        methods,
        calls,
        lists,
    } = parts;
    // With no paginated endpoint, the arguments are unused.
    let list_body = if lists.is_empty() {
        quote!(let _ = (id, settings, page_size); None)
    } else {
        quote!(Some(match id { #(#lists)* _ => return None, }))
    };
    quote! {
        #![doc = " A fake Feishu/DingTalk server generated from the specs, for testing code that calls or"]
        #![doc = " waits on these APIs without reaching either: every endpoint and token endpoint, the"]
        #![doc = " providers' envelopes, every documented code with its HTTP status, and the doc examples."]
        #![doc = ""]
        #![doc = " ```no_run"]
        #![doc = " # async fn demo() -> Result<(), Box<dyn std::error::Error>> {"]
        #![doc = " use taskapi::testing::FakeServer;"]
        #![doc = ""]
        #![doc = " let fake = FakeServer::start().await?;"]
        #![doc = " let script = fake.endpoint_by_id(\"feishu.drive.export_task.get\").unwrap();"]
        #![doc = " script.error(1069906);                 // a documented code, with its HTTP status"]
        #![doc = " # Ok(()) }"]
        #![doc = " ```"]
        #![doc = ""]
        #![doc = " The engine is hand-written in [`taskapi_runtime::testing`](::taskapi_runtime::testing); this"]
        #![doc = " module adds the routes and one typed scripting method per endpoint."]

        pub use ::taskapi_runtime::testing::{content, content_byte, list_item, Called, CalledError, ClientSettings, EndpointScript, Fault, ListPlan, Listed, ListedError, Recorded, FAILED_PAGE_CODE, FAILED_PAGE_CODE_STR, FAKE_ACCESS_TOKEN};
        use ::taskapi_runtime::testing::{CodeRef, DocumentedError, RateLimitShape, Route, RouteKind, TaskShape};

        #(#shapes)*

        /// Every route the fake serves, for the engine (and `taskapi serve-fake`).
        pub static ROUTES: &[Route] = &[#(#routes),*];

        /// A fake provider on 127.0.0.1 serving every spec's endpoints. The engine's methods
        /// (`client`, `uri`, `requests`, `endpoint_by_id`, `set_token_lifetime`) are reached
        /// through `Deref`. Stops when dropped.
        #[derive(Debug)]
        pub struct FakeServer(::taskapi_runtime::testing::FakeServer);

        impl FakeServer {
            /// Starts a server on a free port of 127.0.0.1.
            pub async fn start() -> ::std::io::Result<Self> {
                ::taskapi_runtime::testing::FakeServer::start(ROUTES).await.map(FakeServer)
            }

            #(#methods)*
        }

        /// Calls endpoint `id` once, with example arguments, on a client built from
        /// `settings`, and describes the outcome; `None` for an id no spec has. For tests that
        /// walk every spec: they need no code of their own per endpoint.
        pub async fn call_by_id(id: &str, settings: &ClientSettings) -> ::std::option::Option<Called> {
            Some(match id {
                #(#calls)*
                _ => return None,
            })
        }

        /// Lists paginated endpoint `id` to its end (every item of every page), with example
        /// arguments and `page_size` items a page (the documented maximum when `None`), on a
        /// client built from `settings`; `None` for an id no paginated spec has.
        pub async fn list_by_id(id: &str, settings: &ClientSettings, page_size: ::std::option::Option<i64>) -> ::std::option::Option<Listed> {
            #list_body
        }

        impl ::std::ops::Deref for FakeServer {
            type Target = ::taskapi_runtime::testing::FakeServer;

            fn deref(&self) -> &Self::Target {
                &self.0
            }
        }
    }
}

fn code_ref(code: &Code) -> TokenStream {
    let literal = code_literal(code);
    match code {
        Code::Int(_) => quote!(CodeRef::Int(#literal)),
        Code::Str(_) => quote!(CodeRef::Str(#literal)),
    }
}

fn documented(e: &ErrorCase) -> TokenStream {
    let code = code_ref(&e.code);
    let status = e.http_status.unwrap_or(400);
    let message = &e.message;
    quote!(DocumentedError { code: #code, http_status: #status, message: #message })
}
