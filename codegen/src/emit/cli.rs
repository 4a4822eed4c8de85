//! The CLI's subcommands, one per endpoint, and the dispatch from a subcommand to its call.
//! The engine (environment, exit codes, output) is hand-written in `runtime/src/cli.rs`.

use super::ident;
use crate::model::{Model, ScalarType};
use proc_macro2::TokenStream;
use quote::quote;

pub(super) fn emit(model: &Model) -> TokenStream {
    let mut commands = Vec::new();
    let mut arms = Vec::new();
    let mut waitable: Vec<String> = Vec::new();
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
            let args = e.params.iter().map(|param| {
                let wire = &param.wire;
                let flag = &param.cli_flag;
                let value_name = param.cli_flag.to_uppercase().replace('-', "_");
                let help = format!("{} ({})", param.summary.trim(), param.description.trim());
                let required = param.required;
                let parser = match param.ty {
                    ScalarType::String => quote!(),
                    ScalarType::Integer => quote!(.value_parser(::clap::value_parser!(i64))),
                    ScalarType::Boolean => quote!(.value_parser(::clap::value_parser!(bool))),
                };
                quote! {
                    Arg::new(#wire).long(#flag).value_name(#value_name).required(#required).help(#help) #parser
                }
            });
            commands.push(quote! {
                Command::new(#id).about(#about).long_about(#long_about) #(.arg(#args))*
            });

            let operation = ident(&e.operation);
            let value = |param: &crate::model::Param| {
                let wire = &param.wire;
                match param.ty {
                    ScalarType::String => quote!(call.value::<String>(#wire)),
                    ScalarType::Integer => quote!(call.value::<i64>(#wire)),
                    ScalarType::Boolean => quote!(call.value::<bool>(#wire)),
                }
            };
            let required = e.params.iter().filter(|p| p.required).map(|param| {
                let v = value(param);
                quote!(#v.unwrap_or_default())
            });
            let optional = e.params.iter().filter(|p| !p.required).map(|param| {
                let setter = ident(&param.ident);
                let v = value(param);
                quote! { if let Some(value) = #v { request = request.#setter(value); } }
            });
            let request_binding = if e.params.iter().any(|p| !p.required) {
                quote!(let mut request)
            } else {
                quote!(let request)
            };
            // The driver refuses --wait for endpoints not in WAITABLE before dispatching.
            let wait = e.waiter.as_ref().map(|_| {
                waitable.push(id.clone());
                quote! {
                    if call.waiting() {
                        return call.wait(request.wait()).await;
                    }
                }
            });
            arms.push(quote! {
                #id => {
                    let client = match call.#client_fn::<super::#module::#client>() {
                        Ok(client) => client,
                        Err(outcome) => return outcome,
                    };
                    // The reply is printed as received, not re-serialized from the typed data.
                    #request_binding = client.#operation(#(#required),*).inspect_raw(call.keep_raw());
                    #(#optional)*
                    #wait
                    call.outcome(request.send().await)
                }
            });
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

        /// The endpoints whose spec declares a waiter (`--wait` works for these).
        const WAITABLE: &[&str] = &[#(#waitable),*];

        /// One subcommand per endpoint, flags named after the wire names in kebab-case.
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
