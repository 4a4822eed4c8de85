//! The subcommand of a workflow that uploads first (`starts.before`), named by
//! `Before::command` (`feishu.drive.import_file`): `--file PATH`, the start's flags but the
//! fields the upload's reply feeds (a field the path gives is a flag too, to replace it),
//! `--wait`, and `--output` when the chain ends in a file. Without `--wait` it uploads and
//! starts, printing the start reply, as a start endpoint's subcommand sends and prints.

use super::cli_args::{
    body_flags, body_value, has_download, leaf_arg, optional_setters, param_arg, required_args,
};
use super::tokens::ident;
use crate::model::{Before, Endpoint, Provider};
use crate::spec::PathFact;
use proc_macro2::{Ident, TokenStream};
use quote::quote;

pub(super) fn command(p: &Provider, e: &Endpoint, before: &Before) -> TokenStream {
    let name = &before.command;
    let about = format!(
        "Uploads --file with {}, then starts {} with the upload's reply (with --wait, waits for the task)",
        before.upload_id, e.id
    );
    let long_about = format!(
        "{about}.\n\n{}: {}\n\nThe upload's fields: {}. The upload's reply gives the start's \
         {}{}. The token is read from {}.",
        e.title,
        e.summary.trim(),
        before
            .fields
            .iter()
            .map(|f| format!("`{}`", f.wire))
            .collect::<Vec<_>>()
            .join(", "),
        before
            .fed
            .iter()
            .map(|f| format!("`{}`", f.wire))
            .collect::<Vec<_>>()
            .join(", "),
        from_path_words(before),
        p.token_env
    );
    let mut args: Vec<TokenStream> = e.params.iter().map(param_arg).collect();
    if let Some(body) = &e.body {
        args.push(quote! {
            Arg::new("body").long("body").value_name("JSON|@FILE")
                .help("The start's JSON body (or @file.json); flags for its fields are set on top of it")
        });
        for leaf in body.leaves.iter().filter(|l| !is_fed(before, &l.wire_path)) {
            let note = match from_path(before, &leaf.wire_path) {
                Some(fact) => format!(" Default: {fact} of --file."),
                None if leaf.required => " Required (here or in --body).".to_owned(),
                None => String::new(),
            };
            args.push(leaf_arg(leaf, &note));
        }
    }
    let file_help = format!("The file to upload with {}", before.upload_id);
    args.push(quote! {
        Arg::new("file").long("file").value_name("PATH").required(true).help(#file_help)
    });
    if has_download(p, e) {
        args.push(quote! {
            Arg::new("output").long("output").value_name("PATH|-")
                .help("With --wait: where the task's file goes (a path, an existing folder for the server's file name, or - for stdout)")
        });
    }
    quote! {
        Command::new(#name).about(#about).long_about(#long_about) #(.arg(#args))*
    }
}

/// The arm: the client, the file's path, the start's body (what the upload's reply feeds
/// left empty for it, what the path gives unless a flag gives it), then the workflow.
pub(super) fn arm(
    p: &Provider,
    e: &Endpoint,
    before: &Before,
    module: &Ident,
    client: &Ident,
    client_fn: &Ident,
) -> TokenStream {
    let name = &before.command;
    let workflow = ident(&before.workflow);
    let Some(body) = &e.body else {
        // Validation sees the start's body: `before` feeds its fields.
        return quote!();
    };
    let ty = ident(&body.type_name);
    let flags = body_flags(body.leaves.iter().filter(|l| !is_fed(before, &l.wire_path)));
    let placeholders = before.fed.iter().filter(|f| f.required).map(|f| {
        let wire = &f.wire;
        quote!((#wire, ::std::string::String::new()))
    });
    let from_path = before.from_path.iter().map(|f| {
        let wire = &f.wire;
        let value = match f.fact {
            PathFact::FileName => quote!(::taskapi_runtime::file_name_of(&path)),
            PathFact::Extension => quote!(::taskapi_runtime::extension_of(&path)),
        };
        quote!((#wire, #value))
    });
    // The workflow method's arguments: the required parameters, then the body's required
    // fields but those the upload or the path fill.
    let mut taken = required_args(e, module);
    taken.extend(
        body.fields
            .iter()
            .filter(|f| f.required)
            .filter(|f| !before.fed.iter().any(|x| x.ident == f.ident))
            .filter(|f| !before.from_path.iter().any(|x| x.ident == f.ident))
            .map(|f| body_value(e, f)),
    );
    let optional = optional_setters(e, module);
    let start = if optional.is_empty() {
        quote!(request.with_body(body))
    } else {
        quote!({
            let mut request = request.with_body(body);
            #(#optional)*
            request
        })
    };
    let fetch = has_download(p, e).then(|| {
        quote! {
            if call.output().is_some() {
                return call.upload_then_fetch(workflow).await;
            }
        }
    });
    quote! {
        #name => {
            let client = match call.#client_fn::<super::#module::#client>() {
                Ok(client) => client,
                Err(outcome) => return outcome,
            };
            let path = match call.upload_path() {
                Ok(path) => path,
                Err(outcome) => return outcome,
            };
            let body: super::#module::#ty = match call.body_with_defaults(
                &[#(#flags),*],
                &[#(#placeholders,)* #(#from_path),*],
            ) {
                Ok(body) => body,
                Err(outcome) => return outcome,
            };
            // The whole body replaces the start's: its optional fields, and a value the
            // path gives that a flag replaced.
            let workflow = client.#workflow(path, #(#taken),*).map_start(|request| #start);
            if call.waiting() {
                #fetch
                return call.upload_then_wait(workflow).await;
            }
            call.upload_then_start(workflow).await
        }
    }
}

/// Whether the body leaf at `wire_path` is a top-level field the upload's reply feeds.
fn is_fed(before: &Before, wire_path: &[String]) -> bool {
    matches!(wire_path, [wire] if before.fed.iter().any(|f| f.wire == *wire))
}

/// What the path gives the body leaf at `wire_path`, in words.
fn from_path(before: &Before, wire_path: &[String]) -> Option<&'static str> {
    let [wire] = wire_path else { return None };
    before
        .from_path
        .iter()
        .find(|f| f.wire == *wire)
        .map(|f| match f.fact {
            PathFact::FileName => "the file name",
            PathFact::Extension => "the extension (without its dot)",
        })
}

fn from_path_words(before: &Before) -> String {
    let words: Vec<String> = before
        .from_path
        .iter()
        .map(|f| {
            let what = from_path(before, std::slice::from_ref(&f.wire)).unwrap_or_default();
            format!("; `{}` is {what} of --file unless given", f.wire)
        })
        .collect();
    words.concat()
}
