//! Model -> Rust source. Each emitter builds a token stream with `quote`; `render` parses
//! it as a file, formats it with prettyplease and puts the do-not-edit header on top.

mod before;
mod chain;
mod cli;
mod cli_args;
mod cli_upload;
mod endpoint;
mod example;
mod features;
mod pages;
mod provider;
mod request;
mod shared_types;
mod testing;
mod tokens;
mod types;
mod waiter;

pub use features::{
    ALL_FAMILIES, FEATURES_BEGIN, FEATURES_END, families, manifest_block, with_features_block,
};

use crate::model::{Endpoint, Model, Provider};
use proc_macro2::TokenStream;
use quote::quote;
use tokens::ident;

/// Where generated files go, relative to the workspace root. Everything in it is owned by
/// the generator: a file there that `gen` does not write is stale and reported as such.
pub const OUTPUT_DIR: &str = "generated/src/api";

/// The command that writes the generated files, named in their header and in check failures.
pub const GEN_COMMAND: &str = "cargo xtask gen";

/// One generated file, its path relative to [`OUTPUT_DIR`].
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct GeneratedFile {
    pub path: String,
    pub contents: String,
}

/// Every generated file, in a fixed order.
pub fn emit(model: &Model) -> Result<Vec<GeneratedFile>, String> {
    let jobs = jobs(model);
    // Files are independent: render them on every core. Token streams are not `Send`, so
    // each worker builds its own files. Workers take the next job as they finish one, the
    // largest files (the CLI and the fake server's routes, which grow with every endpoint)
    // first, so that no worker is left with them at the end; results go back in the fixed
    // order of `jobs`.
    let workers = std::thread::available_parallelism()
        .map_or(1, |n| n.get())
        .min(jobs.len().max(1));
    let mut order: Vec<usize> = (0..jobs.len()).collect();
    order.sort_by_key(|&i| std::cmp::Reverse(jobs[i].weight()));
    let next = std::sync::atomic::AtomicUsize::new(0);
    let rendered: Vec<Vec<(usize, Result<GeneratedFile, String>)>> = std::thread::scope(|scope| {
        let handles: Vec<_> = (0..workers)
            .map(|_| {
                scope.spawn(|| {
                    let mut done = Vec::new();
                    loop {
                        let taken = next.fetch_add(1, std::sync::atomic::Ordering::Relaxed);
                        let Some(&index) = order.get(taken) else {
                            return done;
                        };
                        done.push((index, jobs[index].render(model)));
                    }
                })
            })
            .collect();
        handles
            .into_iter()
            .map(|h| {
                h.join().unwrap_or_else(|_| {
                    vec![(0, Err("generator bug: a render thread panicked".to_owned()))]
                })
            })
            .collect()
    });
    let mut slots: Vec<Option<GeneratedFile>> = jobs.iter().map(|_| None).collect();
    for (index, file) in rendered.into_iter().flatten() {
        slots[index] = Some(file?);
    }
    slots
        .into_iter()
        .map(|slot| slot.ok_or_else(|| "generator bug: a file was not rendered".to_owned()))
        .collect()
}

/// One file to write.
enum Job<'m> {
    Root,
    Provider(&'m Provider),
    /// The provider's shared types, when it declares any.
    SharedTypes(&'m Provider),
    Endpoint(&'m Provider, &'m Endpoint),
    Cli,
    Testing,
}

impl Job<'_> {
    /// How large a file is, roughly, to start the largest first.
    fn weight(&self) -> usize {
        match self {
            Job::Cli | Job::Testing => usize::MAX,
            Job::Provider(p) => p.common_errors.len(),
            Job::SharedTypes(p) => p.shared_types.len() * 4,
            Job::Endpoint(_, e) => e.errors.len() + e.types.len() * 4,
            Job::Root => 0,
        }
    }
}

/// Every generated file, in a fixed order.
fn jobs(model: &Model) -> Vec<Job<'_>> {
    let mut jobs = vec![Job::Root];
    for provider in &model.providers {
        jobs.push(Job::Provider(provider));
        if !provider.shared_types.is_empty() {
            jobs.push(Job::SharedTypes(provider));
        }
        jobs.extend(
            provider
                .endpoints
                .iter()
                .map(|e| Job::Endpoint(provider, e)),
        );
    }
    jobs.push(Job::Cli);
    jobs.push(Job::Testing);
    jobs
}

impl Job<'_> {
    fn render(&self, model: &Model) -> Result<GeneratedFile, String> {
        match self {
            Job::Root => {
                let modules = model.providers.iter().map(|p| {
                    let (name, feature) = (ident(&p.key), &p.key);
                    quote! {
                        #[cfg(feature = #feature)]
                        #[cfg_attr(docsrs, doc(cfg(feature = #feature)))]
                        pub mod #name;
                    }
                });
                let root = quote! {
                    #![doc = " Generated API modules, one per provider (each behind its feature). See the crate root for the overview."]
                    #(#modules)*
                    #[cfg(feature = "cli")]
                    #[cfg_attr(docsrs, doc(cfg(feature = "cli")))]
                    pub mod cli;
                    #[cfg(feature = "testing")]
                    #[cfg_attr(docsrs, doc(cfg(feature = "testing")))]
                    pub mod testing;
                };
                render("mod.rs", &["specs/"], root)
            }
            Job::Provider(p) => render(&format!("{}/mod.rs", p.key), &[&p.file], provider::emit(p)),
            Job::SharedTypes(p) => render(
                &format!("{}/{}.rs", p.key, shared_types::MODULE),
                &[&p.file],
                shared_types::emit(p),
            ),
            Job::Endpoint(p, e) => render(
                &format!("{}/{}.rs", p.key, e.operation),
                &[&e.file],
                endpoint::emit(p, e),
            ),
            Job::Cli => render("cli.rs", &["specs/"], cli::emit(model)),
            Job::Testing => render("testing.rs", &["specs/"], testing::emit(model)),
        }
    }
}

fn render(path: &str, sources: &[&str], tokens: TokenStream) -> Result<GeneratedFile, String> {
    let mut file: syn::File =
        syn::parse2(tokens).map_err(|e| format!("generator bug: {path} is not valid Rust: {e}"))?;
    let bodies = take_macro_bodies(&mut file);
    let header = format!(
        "// @generated by `{GEN_COMMAND}` from {}. Do not edit by hand:\n// change the spec and run `{GEN_COMMAND}`.\n\n",
        sources.join(", ")
    );
    let printed = put_macro_bodies(&prettyplease::unparse(&file), &bodies);
    Ok(GeneratedFile {
        path: path.to_owned(),
        contents: header + &space_items(&printed),
    })
}

/// The runtime's macros whose input is written as a Rust item (`listed_enum!`,
/// `endpoint_error!`): the printer lays out items but not macro input, so their bodies are
/// printed apart, as the items they are written as.
const ITEM_MACROS: &[&str] = &["listed_enum", "endpoint_error"];

/// The name of the stand-in item for the `n`th macro body while the file is printed.
fn stand_in(n: usize) -> String {
    format!("__MACRO_BODY_{n}")
}

/// Replaces each top-level invocation of an [`ITEM_MACROS`] macro with a stand-in item, and
/// returns the macro's path and its body, printed.
fn take_macro_bodies(file: &mut syn::File) -> Vec<(String, String)> {
    let mut bodies = Vec::new();
    for item in &mut file.items {
        let syn::Item::Macro(invocation) = item else {
            continue;
        };
        let path = &invocation.mac.path;
        let known = path
            .segments
            .last()
            .is_some_and(|last| ITEM_MACROS.contains(&last.ident.to_string().as_str()));
        let Ok(body) = syn::parse2::<syn::Item>(invocation.mac.tokens.clone()) else {
            continue;
        };
        if !known {
            continue;
        }
        let path = quote!(#path).to_string().replace(' ', "");
        let printed = prettyplease::unparse(&syn::File {
            items: vec![body],
            ..syn::parse_quote!()
        });
        let name = quote::format_ident!("{}", stand_in(bodies.len()));
        *item = syn::parse_quote!(const #name: () = (););
        bodies.push((path, printed));
    }
    bodies
}

/// Puts each macro body back in the printed file, indented inside its invocation.
fn put_macro_bodies(printed: &str, bodies: &[(String, String)]) -> String {
    let mut out = printed.to_owned();
    for (n, (path, body)) in bodies.iter().enumerate() {
        let indented: String = body
            .lines()
            .map(|line| {
                if line.is_empty() {
                    "\n".to_owned()
                } else {
                    format!("    {line}\n")
                }
            })
            .collect();
        let stand_in = format!("const {}: () = ();\n", stand_in(n));
        out = out.replacen(&stand_in, &format!("{path}! {{\n{indented}}}\n"), 1);
    }
    out
}

/// prettyplease puts items back to back; a blank line after each closed item (and after the
/// module docs and imports) makes the output read like hand-written code.
fn space_items(source: &str) -> String {
    const ITEM_STARTS: &[&str] = &[
        "///", "#[", "pub ", "pub(", "fn ", "impl", "const ", "static ", "use ", "mod ", "enum ",
        "struct ",
    ];
    let mut out = String::with_capacity(source.len() + source.len() / 16);
    let mut previous = "";
    for line in source.lines() {
        let indent = line.len() - line.trim_start().len();
        let body = line.trim_start();
        let prev_indent = previous.len() - previous.trim_start().len();
        let prev_body = previous.trim_start();
        let item_start = ITEM_STARTS.iter().any(|start| body.starts_with(start));
        let after_closed_item = prev_indent == indent && matches!(prev_body, "}" | "};");
        // A one-line top-level item (`pub const X: &str = "...";`) before another item;
        // consecutive `use` and `mod` lines stay together.
        let after_one_line_item = indent == 0
            && prev_indent == 0
            && prev_body.ends_with(';')
            && !prev_body.starts_with("//")
            && !["use ", "pub use ", "mod ", "pub mod "]
                .iter()
                .any(|s| prev_body.starts_with(s));
        let after_docs = prev_body.starts_with("//!") && !body.starts_with("//!");
        let after_imports =
            prev_body.starts_with("use ") && prev_body.ends_with(';') && !body.starts_with("use ");
        let after_import_block = prev_body == "};" && prev_indent == 0 && !body.starts_with("use ");
        if !previous.is_empty()
            && (item_start && (after_closed_item || after_one_line_item)
                || after_docs
                || after_imports
                || after_import_block)
        {
            out.push('\n');
        }
        out.push_str(line);
        out.push('\n');
        previous = line;
    }
    out
}
