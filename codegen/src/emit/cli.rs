//! The CLI's subcommands, one per endpoint (and one per workflow that uploads first, in
//! `cli_upload.rs`; the flags and values both read are `cli_args.rs`'), and the dispatch
//! from a subcommand to its call. The engine (environment, exit codes, output) is
//! hand-written in `runtime/src/cli/`.

use super::cli_args::{
    body_flags, body_value, has_download, leaf_arg, optional_setters, param_arg, required_args,
};
use super::cli_upload;
use super::tokens::ident;
use crate::model::{Body, Endpoint, Model, Provider, Response};
use crate::spec::BodyContent;
use proc_macro2::{Ident, TokenStream};
use quote::{format_ident, quote};

pub(super) fn emit(model: &Model) -> TokenStream {
    let mut commands = Vec::new();
    let mut arms = Vec::new();
    let mut waitable: Vec<String> = Vec::new();
    let mut batchable: Vec<String> = Vec::new();
    let mut paginated: Vec<TokenStream> = Vec::new();
    for p in &model.providers {
        let module = ident(&p.key);
        let client = ident(&p.client);
        // Providers with a token endpoint also accept app credentials.
        let client_fn = if p.token.is_some() {
            ident("managed_client")
        } else {
            ident("client")
        };
        for e in &p.endpoints {
            let id = &e.id;
            let about = e.summary.trim();
            let long_about = format!(
                "{}\n\n{}\n\nSends `{} {}`. The token is read from {}.",
                e.title,
                e.summary.trim(),
                e.method.as_str(),
                e.path_template,
                p.token_env
            );
            let mut args: Vec<TokenStream> = e.params.iter().map(param_arg).collect();
            args.extend(body_args(e));
            commands.push(quote! {
                Command::new(#id).about(#about).long_about(#long_about) #(.arg(#args))*
            });
            if e.waiter.is_some() || e.starts.is_some() {
                // The driver refuses --wait for endpoints not in WAITABLE before dispatching.
                waitable.push(id.clone());
            }
            if batches(e) {
                batchable.push(id.clone());
            }
            if let Some(list) = &e.pagination {
                let size = &list.size_wire;
                paginated.push(quote!((#id, #size)));
            }
            arms.push(arm(p, e, &module, &client, &client_fn));
            if let Some(before) = e.starts.as_ref().and_then(|c| c.before.as_ref()) {
                commands.push(cli_upload::command(p, e, before));
                waitable.push(before.command.clone());
                arms.push(cli_upload::arm(p, e, before, &module, &client, &client_fn));
            }
        }
    }
    let tokens_help = tokens_help(model);
    quote! {
        #![doc = " The `taskapi` command-line tool: one subcommand per endpoint spec, named by endpoint id,"]
        #![doc = " run by the engine in [`taskapi_runtime::cli`](::taskapi_runtime::cli) (exit codes, output)."]

        pub use ::taskapi_runtime::cli::{Outcome, EXIT_API, EXIT_OK, EXIT_OUTPUT, EXIT_TASK_FAILED, EXIT_TRANSPORT, EXIT_USAGE, EXIT_WAIT_TIMEOUT};
        use ::taskapi_runtime::cli::{Call, Commands, Dispatched};
        use ::clap::{Arg, Command};

        /// This crate's subcommands, for the engine.
        pub static COMMANDS: Commands = Commands {
            version: env!("CARGO_PKG_VERSION"),
            tokens_help: #tokens_help,
            commands,
            waitable: WAITABLE,
            batchable: BATCHABLE,
            paginated: PAGINATED,
            dispatch,
            fake_routes: super::testing::ROUTES,
        };

        /// Runs the CLI on `args` (program name first), reading variables through `env`.
        pub async fn run(args: Vec<::std::ffi::OsString>, env: &dyn Fn(&str) -> Option<String>) -> Outcome {
            ::taskapi_runtime::cli::run(&COMMANDS, args, env).await
        }

        /// The binary's entry point: runs on the process's arguments and environment, prints,
        /// and returns the exit code. `RUST_LOG` turns on tracing output on stderr.
        pub fn main() -> i32 {
            ::taskapi_runtime::cli::main(&COMMANDS)
        }

        /// The endpoints whose spec declares a waiter or a chain, and the workflows that upload
        /// first (`--wait` works for these).
        const WAITABLE: &[&str] = &[#(#waitable),*];

        /// The poll endpoints whose requests are built from parameters alone (`--batch` works
        /// for these).
        const BATCHABLE: &[&str] = &[#(#batchable),*];

        /// The paginated endpoints, with their page size parameter (`--all` and `--page-size`
        /// work for these).
        const PAGINATED: &[(&str, &str)] = &[#(#paginated),*];

        /// One subcommand per endpoint (and per workflow that uploads first), flags named
        /// after the wire names in kebab-case.
        fn commands() -> Vec<Command> {
            vec![#(#commands),*]
        }

        fn dispatch<'a>(command: &'a str, call: &'a Call<'_>) -> Dispatched<'a> {
            Box::pin(run_command(command, call))
        }

        /// Runs the endpoint named by `command`.
        async fn run_command(command: &str, call: &Call<'_>) -> Outcome {
            match command {
                #(#arms)*
                other => Outcome::unknown_command(other),
            }
        }
    }
}

/// The `--help` lines on where tokens come from, from the provider specs' variable names.
fn tokens_help(model: &Model) -> String {
    let managed: Vec<String> = model
        .providers
        .iter()
        .filter_map(|p| p.token.as_ref())
        .map(|t| format!("{} + {}", t.id_env, t.secret_env))
        .collect();
    let fixed: Vec<&str> = model
        .providers
        .iter()
        .map(|p| p.token_env.as_str())
        .collect();
    let mut help = String::from("Tokens: ");
    if !managed.is_empty() {
        help.push_str(&format!(
            "{} select managed tokens (fetched, cached, refreshed); otherwise ",
            managed.join(" or ")
        ));
    }
    help.push_str(&format!("{}.", fixed.join(" or ")));
    help
}

/// `--body`, one flag per scalar of the body, `--file` for an upload, `--output` for a
/// download or a chain that ends in one.
fn body_args(e: &Endpoint) -> Vec<TokenStream> {
    let mut args = Vec::new();
    if let Some(body) = &e.body {
        let (body_flag, file_flag) = ("body", "file");
        let what = if body.content == BodyContent::Json {
            "The JSON body"
        } else {
            "The form's text parts, as a JSON object"
        };
        let help = format!("{what} (or @file.json); flags for its fields are set on top of it");
        args.push(quote! {
            Arg::new(#body_flag).long(#body_flag).value_name("JSON|@FILE").help(#help)
        });
        for leaf in &body.leaves {
            let required = if leaf.required {
                " Required (here or in --body)."
            } else {
                ""
            };
            args.push(leaf_arg(leaf, required));
        }
        if let Some(file) = &body.file {
            let help = format!("The file to upload (part `{}`)", file.wire);
            args.push(quote! {
                Arg::new(#file_flag).long(#file_flag).value_name("PATH").required(true).help(#help)
            });
        }
    }
    let downloads = e.response == Response::Binary;
    let chain_downloads = e.starts.is_some();
    if downloads || chain_downloads {
        let help = if downloads {
            "Where the file goes: a path (written whole or not at all), an existing folder (the \
             file goes in it under the server's file name, made safe, never replacing a file), \
             or - for stdout"
        } else {
            "With --wait, when the task ends in a file: where it goes (a path, an existing folder \
             for the server's file name, or - for stdout)"
        };
        args.push(quote! {
            Arg::new("output").long("output").value_name("PATH|-").required(#downloads).help(#help)
        });
    }
    args
}

/// The dispatch arm of one endpoint: build the client and the request from the flags, then
/// send it, wait, or download.
fn arm(
    p: &Provider,
    e: &Endpoint,
    module: &Ident,
    client: &Ident,
    client_fn: &Ident,
) -> TokenStream {
    // A poller that batches builds its request per line of --batch: an arm of its own (a
    // start endpoint's chain comes first: it is a workflow, whatever else it is).
    if e.starts.is_none() && batches(e) {
        return batch_arm(e, module, client, client_fn);
    }
    let id = &e.id;
    let operation = ident(&e.operation);
    let mut required = required_args(e, module);
    let rebind = rebind(e);
    let optional = optional_setters(e, module);
    let (read_body, with_body) = match &e.body {
        Some(body) => {
            let (read, fields) = read_body(e, body, module);
            required.extend(fields);
            (read, quote!(let request = request.with_body(body);))
        }
        None => (quote!(), quote!()),
    };
    let read_file = e.body.as_ref().and_then(|b| b.file.as_ref()).map(|_| {
        required.push(quote!(file));
        quote! {
            let file = match call.upload_file() {
                Ok(file) => file,
                Err(outcome) => return outcome,
            };
        }
    });
    let finish = finish(p, e);
    quote! {
        #id => {
            let client = match call.#client_fn::<super::#module::#client>() {
                Ok(client) => client,
                Err(outcome) => return outcome,
            };
            #read_body
            #read_file
            // The reply is printed as received, not re-serialized from the typed data.
            let request = client.#operation(#(#required),*).inspect_raw(call.keep_raw());
            #with_body
            #rebind
            #(#optional)*
            #finish
        }
    }
}

/// The dispatch arm of a poller `--batch` works for: the request is built by a closure from
/// a `Call`'s values (the command line's, or each line of --batch).
fn batch_arm(e: &Endpoint, module: &Ident, client: &Ident, client_fn: &Ident) -> TokenStream {
    let id = &e.id;
    let operation = ident(&e.operation);
    let required = required_args(e, module);
    let optional = optional_setters(e, module);
    let defaults = format_ident!("{}_WAIT_DEFAULTS", e.operation.to_uppercase());
    let first = quote!(client.#operation(#(#required),*).inspect_raw(call.keep_raw()));
    let build = if rebind(e).is_some() {
        quote!({
            let mut request = #first;
            #(#optional)*
            request
        })
    } else {
        first
    };
    quote! {
        #id => {
            let client = match call.#client_fn::<super::#module::#client>() {
                Ok(client) => client,
                Err(outcome) => return outcome,
            };
            // The reply is printed as received, not re-serialized from the typed data.
            let request = |call: &Call<'_>| #build;
            if call.batching() {
                return call.wait_batch(super::#module::#defaults, request).await;
            }
            let request = request(call);
            if call.waiting() {
                return call.wait(request.wait()).await;
            }
            call.outcome(request.send().await)
        }
    }
}

/// Optional flags set the request again: it is rebound mutable only then.
fn rebind(e: &Endpoint) -> Option<TokenStream> {
    e.params
        .iter()
        .any(|p| !p.required)
        .then(|| quote!(let mut request = request;))
}

/// What an arm ends with, once the request is built: a download, a workflow (and its file
/// with --output), a wait with --wait, or one call.
fn finish(p: &Provider, e: &Endpoint) -> TokenStream {
    if e.response == Response::Binary {
        quote!(call.download(request).await)
    } else if e.starts.is_some() {
        let fetch = has_download(p, e).then(|| {
            quote! {
                if call.output().is_some() {
                    return call.fetch(request.wait()).await;
                }
            }
        });
        quote! {
            if call.waiting() {
                #fetch
                return call.workflow(request.wait()).await;
            }
            call.outcome(request.send().await)
        }
    } else if e.waiter.is_some() {
        quote! {
            if call.waiting() {
                return call.wait(request.wait()).await;
            }
            call.outcome(request.send().await)
        }
    } else if let Some(list) = &e.pagination {
        let items = &list.items.wire;
        quote! {
            if call.listing_all() {
                return call.list_all(request.pages(), #items).await;
            }
            call.outcome(request.send().await)
        }
    } else {
        quote!(call.outcome(request.send().await))
    }
}

/// Reads the body from `--body` and the body flags; the required top-level fields, taken
/// from it, are the client method's arguments.
fn read_body(e: &Endpoint, body: &Body, module: &Ident) -> (TokenStream, Vec<TokenStream>) {
    let ty = ident(&body.type_name);
    let flags = body_flags(body.leaves.iter());
    let read = quote! {
        let body: super::#module::#ty = match call.body(&[#(#flags),*]) {
            Ok(body) => body,
            Err(outcome) => return outcome,
        };
    };
    let fields = body
        .fields
        .iter()
        .filter(|f| f.required)
        .map(|f| body_value(e, f))
        .collect();
    (read, fields)
}

/// Whether `--batch` works for the endpoint: a poller whose request is its parameters alone
/// (no body, no file), so that a line of parameters is a whole request.
fn batches(e: &Endpoint) -> bool {
    e.waiter.is_some() && e.body.is_none() && e.json_response().is_some()
}
