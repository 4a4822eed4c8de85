//! An endpoint's waiter: `client.wait_*()`, `client.wait_many_*()` (a batch), `request.wait()`,
//! and the `Pollable` impl whose `observe` applies the spec's status rules.

use super::example;
use super::tokens::{docs, ident, paragraphs};
use crate::model::{Endpoint, PathStep, Provider, Waiter};
use proc_macro2::{Ident, TokenStream};
use quote::{format_ident, quote};

pub(super) fn emit(
    p: &Provider,
    e: &Endpoint,
    w: &Waiter,
    args: &[TokenStream],
    arg_names: &[Ident],
) -> TokenStream {
    let client = ident(&p.client);
    let operation = ident(&e.operation);
    let name = ident(&w.name);
    let many = ident(&w.many_name);
    let request = format_ident!("{}Request", e.type_prefix);
    let error = format_ident!("{}Error", e.type_prefix);
    let data = ident(e.json_response().unwrap_or_default());
    let status = ident(&w.status_enum);
    let defaults = format_ident!("{}_WAIT_DEFAULTS", e.operation.to_uppercase());
    let defaults_const = wait_defaults(w, &defaults);
    let method_doc = method_doc(p, e, w);
    let many_doc = many_doc(p, e, w);
    let wait_doc = docs(&format!(
        "Polls this request until its task ends (see [`{0}::{1}`](super::{0}::{1})).",
        p.client, w.name
    ));
    let observe = observe(w, &data, &status);
    quote! {
        #defaults_const

        impl super::#client {
            #method_doc
            pub fn #name<'c>(&self, #(#args),*) -> ::taskapi_runtime::Waiter<'c, #request> {
                self.#operation(#(#arg_names),*).wait()
            }

            #many_doc
            pub fn #many<'c, K, I>(&self, requests: I) -> ::taskapi_runtime::BatchWaiter<'c, K, #request>
            where
                K: ::std::marker::Send + 'c,
                I: ::std::iter::IntoIterator<Item = (K, #request)>,
                I::IntoIter: ::std::marker::Send + 'c,
            {
                ::taskapi_runtime::BatchWaiter::new(requests, #defaults)
            }
        }

        impl #request {
            #wait_doc
            pub fn wait<'c>(self) -> ::taskapi_runtime::Waiter<'c, Self> {
                ::taskapi_runtime::Waiter::new(self, #defaults)
            }
        }

        impl ::taskapi_runtime::Pollable for #request {
            type Data = #data;
            type Status = #status;
            type Error = #error;

            fn poll(
                &self,
                time_left: ::std::time::Duration,
            ) -> ::taskapi_runtime::BoxFuture<'_, ::std::result::Result<#data, #error>> {
                self.clone().time_limit(time_left).send()
            }

            #observe
        }
    }
}

/// The `*_WAIT_DEFAULTS` const: the spec's delays, in milliseconds.
fn wait_defaults(w: &Waiter, defaults: &Ident) -> TokenStream {
    let millis = |secs: f64| proc_macro2::Literal::u64_unsuffixed((secs * 1000.0).round() as u64);
    let (min_delay, max_delay, max_wait) =
        (millis(w.min_delay), millis(w.max_delay), millis(w.max_wait));
    quote! {
        /// The waiting defaults from this endpoint's spec.
        pub const #defaults: ::taskapi_runtime::WaitDefaults = ::taskapi_runtime::WaitDefaults {
            min_delay: ::std::time::Duration::from_millis(#min_delay),
            max_delay: ::std::time::Duration::from_millis(#max_delay),
            max_wait: ::std::time::Duration::from_millis(#max_wait),
        };
    }
}

/// The docs of `client.wait_*()`: what it polls, the status rules, the defaults, an example.
fn method_doc(p: &Provider, e: &Endpoint, w: &Waiter) -> TokenStream {
    docs(&paragraphs([
        format!("Waits for the task `{}` reports on to end: polls `{} {}` until its status is terminal.", e.id, e.method.as_str(), e.path_template).as_str(),
        &w.rules,
        &format!(
            "Defaults: first delay {}s, growing with the time waited up to {}s, giving up after {}s. \
             Configure with [`Waiter::min_delay`](::taskapi_runtime::Waiter::min_delay), \
             [`Waiter::max_delay`](::taskapi_runtime::Waiter::max_delay), \
             [`Waiter::max_wait`](::taskapi_runtime::Waiter::max_wait), \
             [`Waiter::on_progress`](::taskapi_runtime::Waiter::on_progress), then `.await`.",
            w.min_delay, w.max_delay, w.max_wait
        ),
        "Transient failures are retried and do not end the wait; an error that retrying cannot fix ends it at once.",
        &example::usage(
            p,
            e,
            &format!("let outcome = client.{}({}).await?;", ident(&w.name), example::args(e)),
            "outcome",
        ),
    ]))
}

/// The docs of `client.wait_many_*()`: how a batch schedules its polls, an example.
fn many_doc(p: &Provider, e: &Endpoint, w: &Waiter) -> TokenStream {
    let many = ident(&w.many_name);
    docs(&paragraphs([
        format!(
            "Waits for many tasks `{}` reports on at once, with one scheduler: give `(key, request)` pairs, get each task back as it ends.",
            e.id
        )
        .as_str(),
        &format!(
            "Each task follows the rules of [`{0}`](Self::{0}), counted from its own first poll. \
             Polls go out in the order they are due, at most \
             [`DEFAULT_MAX_IN_FLIGHT`](::taskapi_runtime::DEFAULT_MAX_IN_FLIGHT) at once \
             ([`BatchWaiter::max_in_flight`](::taskapi_runtime::BatchWaiter::max_in_flight)); the requests are \
             taken from `requests` as there is room, and a pending task costs its key and request only. \
             Ended tasks come out in the order they end ([`BatchWaiter::next`](::taskapi_runtime::BatchWaiter::next), \
             or any `Stream` combinator), with [`summary`](::taskapi_runtime::BatchWaiter::summary) \
             at any time. Dropping the batch stops it.",
            w.name
        ),
        &example::usage(
            p,
            e,
            &format!(
                "// One request per task, with a key to tell them apart (any type).\n\
                 let requests = (1..=3).map(|n| (n, client.{operation}({args})));\n\
                 let mut batch = client.{many}(requests);\n\
                 while let Some(ended) = batch.next().await {{\n    \
                 println!(\"task {{}}: {{}} after {{}} polls\", ended.key, ended.kind(), ended.polls);\n\
                 }}\n\
                 let summary = batch.summary();",
                operation = ident(&e.operation),
                args = example::args(e),
                many = many,
            ),
            "summary",
        ),
    ]))
}

/// `Pollable::observe`: the status, progress and message read from a reply, and the state
/// the spec's status rules give it.
fn observe(w: &Waiter, data: &Ident, status: &Ident) -> TokenStream {
    if let Some(array) = w.status.iter().position(|step| step.each) {
        return observe_each(w, array, data, status);
    }
    let status_expr = status_access(w, &quote!(data), &w.status);
    let message = w
        .message
        .as_ref()
        .map_or(quote!(None), |m| access(m, Finish::Cloned));
    let (done, total) = match &w.progress {
        Some((done, total)) => (access(done, Finish::Copied), access(total, Finish::Copied)),
        None => (quote!(None), quote!(None)),
    };
    let state = state_match(w, status, true);
    quote! {
        fn observe(data: &#data) -> ::taskapi_runtime::Observation<#status> {
            use ::taskapi_runtime::{Observation, WaitState};
            let status = #status_expr;
            // A reply without a status says nothing yet: keep waiting.
            let state = #state;
            Observation {
                status,
                state,
                message: #message,
                done: #done,
                total: #total,
            }
        }
    }
}

/// `observe` for a status in each element of an array (the step at `array`): each
/// element observed by the status rules, the task's state theirs together
/// (`Observation::of_each`), the progress read from the reply.
fn observe_each(w: &Waiter, array: usize, data: &Ident, status: &Ident) -> TokenStream {
    let elements = access(&w.status[..=array], Finish::Slice);
    let status_expr = status_access(w, &quote!(item), &w.status[array + 1..]);
    let message = w.message.as_ref().map_or(quote!(None), |m| {
        access_from(quote!(item), &m[array + 1..], Finish::Cloned)
    });
    // Validation refuses a readiness field here: each element's status says it.
    let state = state_match(w, status, false);
    let each = quote! {
        Observation::of_each(#elements.iter().map(|item| {
            let status = #status_expr;
            let state = #state;
            Observation {
                status,
                state,
                message: #message,
                done: None,
                total: None,
            }
        }))
    };
    let body = match &w.progress {
        Some((done, total)) => {
            let (done, total) = (access(done, Finish::Copied), access(total, Finish::Copied));
            quote! {
                let mut observation = #each;
                observation.done = #done;
                observation.total = #total;
                observation
            }
        }
        None => each,
    };
    quote! {
        fn observe(data: &#data) -> ::taskapi_runtime::Observation<#status> {
            use ::taskapi_runtime::{Observation, WaitState};
            #body
        }
    }
}

/// The status at `path` from `root`: integer status enums are `Copy`, string ones are not.
fn status_access(w: &Waiter, root: &TokenStream, path: &[PathStep]) -> TokenStream {
    let finish = if w.status_is_integer {
        Finish::Copied
    } else {
        Finish::Cloned
    };
    access_from(root.clone(), path, finish)
}

/// The `match` giving `status` (an `Option` of the enum) its state; `ready` says whether
/// the readiness field (read from `data`) applies.
fn state_match(w: &Waiter, status: &Ident, ready: bool) -> TokenStream {
    let success: Vec<Ident> = w.success.iter().map(|v| ident(v)).collect();
    let pending: Vec<Ident> = w.pending.iter().map(|v| ident(v)).collect();
    let failure: Vec<Ident> = w.failure.iter().map(|v| ident(v)).collect();
    let success_arm = match w.ready_when_set.as_ref().filter(|_| ready) {
        Some(ready) => {
            let ready = access(ready, Finish::NonEmpty);
            quote! {
                // Terminal, but not usable until the readiness field is filled in.
                Some(#(#status::#success)|*) if #ready => WaitState::Succeeded,
                Some(#(#status::#success)|*) => WaitState::Pending,
            }
        }
        None => quote!(Some(#(#status::#success)|*) => WaitState::Succeeded,),
    };
    let pending_arm =
        (!pending.is_empty()).then(|| quote!(Some(#(#status::#pending)|*) => WaitState::Pending,));
    let failure_arm =
        (!failure.is_empty()).then(|| quote!(Some(#(#status::#failure)|*) => WaitState::Failed,));
    let unknown = if w.unknown_is_failure {
        quote!(WaitState::Failed)
    } else {
        quote!(WaitState::Pending)
    };
    quote! {
        match &status {
            None => WaitState::Pending,
            #success_arm
            #pending_arm
            #failure_arm
            Some(#status::Unknown(_)) => #unknown,
        }
    }
}

/// What to do with the value at the end of a path.
#[derive(Clone, Copy)]
pub(super) enum Finish {
    /// `Option<T>`, cloned.
    Cloned,
    /// `Option<T>`, copied.
    Copied,
    /// `bool`: present and non-empty.
    NonEmpty,
    /// A `Vec`'s elements as a slice, empty when absent.
    Slice,
}

/// An expression reading `data.a.b` through optional fields (`as_ref`/`and_then`), so that
/// a missing field reads as `None` instead of failing.
pub(super) fn access(path: &[PathStep], finish: Finish) -> TokenStream {
    access_from(quote!(data), path, finish)
}

/// [`access`] from `root` (an element of an array rather than the reply).
fn access_from(root: TokenStream, path: &[PathStep], finish: Finish) -> TokenStream {
    let mut expr = root;
    let mut optional = false;
    for step in path {
        let field = ident(&step.ident);
        expr = match (optional, step.required) {
            (false, true) => quote!(#expr.#field),
            (false, false) => {
                optional = true;
                quote!(#expr.#field.as_ref())
            }
            (true, true) => quote!(#expr.map(|v| &v.#field)),
            (true, false) => quote!(#expr.and_then(|v| v.#field.as_ref())),
        };
    }
    match (optional, finish) {
        (true, Finish::Cloned) => quote!(#expr.cloned()),
        (true, Finish::Copied) => quote!(#expr.copied()),
        (true, Finish::NonEmpty) => quote!(#expr.is_some_and(|v| !v.is_empty())),
        (true, Finish::Slice) => quote!(#expr.map(::std::vec::Vec::as_slice).unwrap_or_default()),
        (false, Finish::Cloned) => quote!(Some(#expr.clone())),
        (false, Finish::Copied) => quote!(Some(#expr)),
        (false, Finish::NonEmpty) => quote!(!#expr.is_empty()),
        (false, Finish::Slice) => quote!(#expr.as_slice()),
    }
}
