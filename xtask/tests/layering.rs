//! The layering ARCHITECTURE.md states, enforced: within every crate of the workspace, the
//! files use one another without a cycle, and a few named rules hold (`validate/` and
//! `model/` never use each other, only the generator's `lib.rs` uses `emit/`, the runtime's
//! provider description uses nothing above it).
//!
//! A file's edges are the paths it names that start at `crate::`, `super::` or `self::`,
//! resolved to the file that defines the item: through the module tree (`a.rs` or
//! `a/mod.rs`), and through re-exports (`pub use x::Item` in a `mod.rs` passes `Item` on to
//! `x`, and is no edge of its own). `mod` declarations are no edges either. Paths are read
//! with `syn`, so comments and strings are not edges.

use std::collections::{BTreeMap, BTreeSet};
use std::path::{Path, PathBuf};
use syn::visit::Visit;

/// A file of a crate, by its path from the crate's `src/`, e.g. `client/send.rs`.
type File = String;

/// Every crate of the workspace with a `src/` (its root `lib.rs`, else `main.rs`).
fn crates() -> Vec<PathBuf> {
    let root = codegen::workspace_root().unwrap();
    let manifest = std::fs::read_to_string(root.join("Cargo.toml")).unwrap();
    let members = manifest
        .lines()
        .find(|l| l.trim_start().starts_with("members"))
        .expect("a members line");
    let mut crates: Vec<PathBuf> = members
        .split('"')
        .skip(1)
        .step_by(2)
        .map(|member| root.join(member))
        .filter(|dir| dir.join("src").is_dir())
        .collect();
    crates.sort();
    crates
}

/// The `.rs` files under `src/`, by their path from it.
fn files(src: &Path) -> BTreeMap<File, syn::File> {
    let mut out = BTreeMap::new();
    let mut stack = vec![src.to_path_buf()];
    while let Some(dir) = stack.pop() {
        for entry in std::fs::read_dir(&dir).unwrap() {
            let path = entry.unwrap().path();
            if path.is_dir() {
                stack.push(path);
            } else if path.extension().is_some_and(|e| e == "rs") {
                let text = std::fs::read_to_string(&path).unwrap();
                let parsed =
                    syn::parse_file(&text).unwrap_or_else(|e| panic!("{}: {e}", path.display()));
                let name = path
                    .strip_prefix(src)
                    .unwrap()
                    .to_string_lossy()
                    .replace('\\', "/");
                out.insert(name, parsed);
            }
        }
    }
    out
}

/// The module a file is: its path of module names from the crate root.
fn module_of(file: &str) -> Vec<String> {
    let mut parts: Vec<String> = file
        .trim_end_matches(".rs")
        .split('/')
        .map(str::to_owned)
        .collect();
    if matches!(
        parts.last().map(String::as_str),
        Some("mod" | "lib" | "main")
    ) {
        parts.pop();
    }
    parts
}

/// The crate's module tree: module path -> the file that holds it, and what each file
/// defines and imports.
struct Tree {
    modules: BTreeMap<Vec<String>, File>,
    /// Per file: the names its items define.
    defined: BTreeMap<File, BTreeSet<String>>,
    /// Per file: imported name (`*` for a glob) -> the path it comes from, absolute from
    /// the crate root. Public or not: a child module sees its parent's private imports.
    imports: BTreeMap<File, Vec<(String, Vec<String>)>>,
}

impl Tree {
    fn new(files: &BTreeMap<File, syn::File>) -> Tree {
        let mut tree = Tree {
            modules: BTreeMap::new(),
            defined: BTreeMap::new(),
            imports: BTreeMap::new(),
        };
        for file in files.keys() {
            tree.modules.insert(module_of(file), file.clone());
        }
        let modules: BTreeSet<Vec<String>> = tree.modules.keys().cloned().collect();
        for (file, parsed) in files {
            let module = module_of(file);
            let mut defined = BTreeSet::new();
            let mut imports = Vec::new();
            for item in &parsed.items {
                match item {
                    syn::Item::Use(u) => {
                        for (name, path) in use_leaves(&u.tree, &[]) {
                            if let Some(path) = absolute(&module, &path, &modules) {
                                imports.push((name, path));
                            }
                        }
                    }
                    other => defined.extend(item_name(other)),
                }
            }
            tree.defined.insert(file.clone(), defined);
            tree.imports.insert(file.clone(), imports);
        }
        tree
    }

    /// The file that defines the item (or module) at `path`, absolute from the crate root.
    fn resolve(&self, path: &[String], depth: usize) -> Option<File> {
        if depth > 16 {
            return None;
        }
        let mut module: Vec<String> = Vec::new();
        let mut rest = path;
        while let Some((first, tail)) = rest.split_first() {
            let mut deeper = module.clone();
            deeper.push(first.clone());
            if self.modules.contains_key(&deeper) {
                module = deeper;
                rest = tail;
            } else {
                break;
            }
        }
        let file = self.modules.get(&module)?.clone();
        let Some(name) = rest.first() else {
            return Some(file);
        };
        if self.defined[&file].contains(name) {
            return Some(file);
        }
        let imports = &self.imports[&file];
        // Imported by name: defined where it comes from.
        if let Some((_, from)) = imports.iter().find(|(imported, _)| imported == name) {
            let mut full = from.clone();
            full.extend(rest[1..].iter().cloned());
            return self.resolve(&full, depth + 1).or(Some(file));
        }
        // Through a glob: the first module it names that has the name.
        for (_, from) in imports.iter().filter(|(imported, _)| imported == "*") {
            let Some(source) = self.modules.get(from) else {
                continue;
            };
            let has = self.defined[source].contains(name)
                || self.imports[source].iter().any(|(n, _)| n == name);
            if has {
                let mut full = from.clone();
                full.extend(rest.iter().cloned());
                return self.resolve(&full, depth + 1).or(Some(file));
            }
        }
        Some(file)
    }
}

/// The name an item defines, if any.
fn item_name(item: &syn::Item) -> Option<String> {
    let ident = match item {
        syn::Item::Const(i) => &i.ident,
        syn::Item::Enum(i) => &i.ident,
        syn::Item::Fn(i) => &i.sig.ident,
        syn::Item::Mod(i) => &i.ident,
        syn::Item::Static(i) => &i.ident,
        syn::Item::Struct(i) => &i.ident,
        syn::Item::Trait(i) => &i.ident,
        syn::Item::Type(i) => &i.ident,
        syn::Item::Union(i) => &i.ident,
        syn::Item::Macro(i) => i.ident.as_ref()?,
        _ => return None,
    };
    Some(ident.to_string())
}

/// The names a `use` tree brings in, with the path each comes from (as written).
fn use_leaves(tree: &syn::UseTree, prefix: &[String]) -> Vec<(String, Vec<String>)> {
    let mut path = prefix.to_vec();
    match tree {
        syn::UseTree::Path(p) => {
            path.push(p.ident.to_string());
            use_leaves(&p.tree, &path)
        }
        syn::UseTree::Name(n) => {
            let name = n.ident.to_string();
            if name == "self" {
                let last = path.last().cloned().unwrap_or_default();
                vec![(last, path)]
            } else {
                path.push(name.clone());
                vec![(name, path)]
            }
        }
        syn::UseTree::Rename(r) => {
            path.push(r.ident.to_string());
            vec![(r.rename.to_string(), path)]
        }
        syn::UseTree::Glob(_) => vec![("*".to_owned(), path)],
        syn::UseTree::Group(g) => g.items.iter().flat_map(|t| use_leaves(t, &path)).collect(),
    }
}

/// A path as written in `module`, made absolute from the crate root; `None` for a path that
/// leaves the crate (another crate, `std`, a local name). A path may start at `crate`,
/// `self`, `super`, or (2018 paths) at a child module of `module`.
fn absolute(
    module: &[String],
    path: &[String],
    modules: &BTreeSet<Vec<String>>,
) -> Option<Vec<String>> {
    let (first, rest) = path.split_first()?;
    let mut base = match first.as_str() {
        "crate" => Vec::new(),
        "self" => module.to_vec(),
        "super" => {
            let mut base = module.to_vec();
            base.pop()?;
            base
        }
        child => {
            let mut base = module.to_vec();
            base.push(child.to_owned());
            if !modules.contains(&base) {
                return None;
            }
            base
        }
    };
    let mut rest = rest;
    while let Some(("super", tail)) = rest.split_first().map(|(h, t)| (h.as_str(), t)) {
        base.pop()?;
        rest = tail;
    }
    base.extend(rest.iter().cloned());
    Some(base)
}

/// Every crate-relative path a file names, outside its public `use` items (re-exports),
/// its `mod` declarations and its `#[cfg(test)]` modules (tests may use anything), each
/// made absolute from where it is written (inline modules included).
struct Paths<'t> {
    /// The module being read: the file's, then any inline `mod` it is inside.
    module: Vec<String>,
    /// The crate's modules, to tell a path into a child module from a local name.
    modules: &'t BTreeSet<Vec<String>>,
    found: Vec<Vec<String>>,
}

fn is_test_only(attrs: &[syn::Attribute]) -> bool {
    attrs.iter().any(|a| {
        a.path().is_ident("cfg")
            && a.parse_args::<syn::Meta>()
                .is_ok_and(|m| m.path().is_ident("test"))
    })
}

impl<'ast> Visit<'ast> for Paths<'_> {
    fn visit_item_mod(&mut self, m: &'ast syn::ItemMod) {
        if is_test_only(&m.attrs) {
            return;
        }
        self.module.push(m.ident.to_string());
        syn::visit::visit_item_mod(self, m);
        self.module.pop();
    }

    fn visit_item_use(&mut self, u: &'ast syn::ItemUse) {
        if matches!(u.vis, syn::Visibility::Inherited) {
            for (_, path) in use_leaves(&u.tree, &[]) {
                if let Some(full) = absolute(&self.module, &path, self.modules) {
                    self.found.push(full);
                }
            }
        }
    }

    fn visit_path(&mut self, p: &'ast syn::Path) {
        if p.leading_colon.is_none() {
            let segments: Vec<String> = p.segments.iter().map(|s| s.ident.to_string()).collect();
            if segments.len() > 1
                && let Some(full) = absolute(&self.module, &segments, self.modules)
            {
                self.found.push(full);
            }
        }
        syn::visit::visit_path(self, p);
    }
}

/// The crate's edges: file -> file -> the names the first takes from the second.
fn edges(files: &BTreeMap<File, syn::File>) -> BTreeMap<File, BTreeMap<File, BTreeSet<String>>> {
    let tree = Tree::new(files);
    let modules: BTreeSet<Vec<String>> = tree.modules.keys().cloned().collect();
    let mut edges: BTreeMap<File, BTreeMap<File, BTreeSet<String>>> = BTreeMap::new();
    for (file, parsed) in files {
        let mut paths = Paths {
            module: module_of(file),
            modules: &modules,
            found: Vec::new(),
        };
        paths.visit_file(parsed);
        for full in paths.found {
            let Some(target) = tree.resolve(&full, 0) else {
                continue;
            };
            if &target != file {
                let name = full.last().cloned().unwrap_or_default();
                edges
                    .entry(file.clone())
                    .or_default()
                    .entry(target)
                    .or_default()
                    .insert(name);
            }
        }
    }
    edges
}

/// The cycles: strongly connected components of more than one file (Tarjan).
fn cycles(edges: &BTreeMap<File, BTreeMap<File, BTreeSet<String>>>) -> Vec<Vec<File>> {
    struct State<'e> {
        edges: &'e BTreeMap<File, BTreeMap<File, BTreeSet<String>>>,
        index: BTreeMap<&'e str, usize>,
        low: BTreeMap<&'e str, usize>,
        stack: Vec<&'e str>,
        on_stack: BTreeSet<&'e str>,
        next: usize,
        found: Vec<Vec<File>>,
    }
    fn visit<'e>(s: &mut State<'e>, v: &'e str) {
        s.index.insert(v, s.next);
        s.low.insert(v, s.next);
        s.next += 1;
        s.stack.push(v);
        s.on_stack.insert(v);
        if let Some(out) = s.edges.get(v) {
            for w in out.keys() {
                let w = w.as_str();
                if !s.index.contains_key(w) {
                    visit(s, w);
                    let low = s.low[v].min(s.low[w]);
                    s.low.insert(v, low);
                } else if s.on_stack.contains(w) {
                    let low = s.low[v].min(s.index[w]);
                    s.low.insert(v, low);
                }
            }
        }
        if s.low[v] == s.index[v] {
            let mut component = Vec::new();
            while let Some(w) = s.stack.pop() {
                s.on_stack.remove(w);
                component.push(w.to_owned());
                if w == v {
                    break;
                }
            }
            if component.len() > 1 {
                component.sort();
                s.found.push(component);
            }
        }
    }
    let mut state = State {
        edges,
        index: BTreeMap::new(),
        low: BTreeMap::new(),
        stack: Vec::new(),
        on_stack: BTreeSet::new(),
        next: 0,
        found: Vec::new(),
    };
    let nodes: Vec<&str> = edges.keys().map(String::as_str).collect();
    for v in nodes {
        if !state.index.contains_key(v) {
            visit(&mut state, v);
        }
    }
    state.found
}

/// A cycle in words: each edge inside it with the names it takes.
fn describe(
    krate: &str,
    cycle: &[File],
    edges: &BTreeMap<File, BTreeMap<File, BTreeSet<String>>>,
) -> String {
    let mut text = format!("cycle in {krate}: {}\n", cycle.join(" <-> "));
    for from in cycle {
        for (to, names) in edges.get(from).into_iter().flatten() {
            if cycle.contains(to) {
                let names: Vec<&str> = names.iter().map(String::as_str).collect();
                text.push_str(&format!("  {from} -> {to}: {}\n", names.join(", ")));
            }
        }
    }
    text
}

#[test]
fn no_crate_has_a_cycle_between_its_files() {
    let mut report = String::new();
    for krate in crates() {
        let name = krate.file_name().unwrap().to_string_lossy().into_owned();
        let files = files(&krate.join("src"));
        let edges = edges(&files);
        for cycle in cycles(&edges) {
            report.push_str(&describe(&name, &cycle, &edges));
        }
    }
    assert!(
        report.is_empty(),
        "the files of a crate must use one another without a cycle:\n{report}"
    );
}

/// Rules ARCHITECTURE.md states beyond "no cycle": (crate, files starting with, may use
/// only files starting with one of).
const LEAVES: &[(&str, &str, &[&str])] = &[
    // The runtime's description of providers and endpoints is data the generated code
    // fills in: it reads error codes and tokens, nothing that uses it.
    ("runtime", "provider.rs", &["error/", "token.rs"]),
    ("runtime", "future.rs", &[]),
    ("runtime", "token.rs", &[]),
    ("runtime", "error/", &["error/", "redact.rs"]),
    // The generator's shared rules sit below both stages that use them.
    ("codegen", "naming.rs", &[]),
    ("codegen", "diag.rs", &[]),
];

/// (crate, files starting with, must not use files starting with).
const APART: &[(&str, &str, &str)] = &[
    // Validation and the model never use each other: what both need lives below them.
    ("codegen", "validate/", "model/"),
    ("codegen", "model/", "validate/"),
    // Only the generator's root runs the emitters.
    ("codegen", "model/", "emit/"),
    ("codegen", "validate/", "emit/"),
    ("codegen", "spec/", "emit/"),
    ("codegen", "docs/", "emit/"),
    // The runtime's parts below the client read the provider description from its leaf,
    // never from the client that sends with them.
    ("runtime", "auth.rs", "client/"),
    ("runtime", "decode.rs", "client/"),
    ("runtime", "http.rs", "client/"),
    ("runtime", "limit/", "client/"),
    ("runtime", "shared/", "client/"),
];

#[test]
fn leaves_and_separate_stages_use_nothing_they_must_not() {
    let mut broken = Vec::new();
    for krate in crates() {
        let name = krate.file_name().unwrap().to_string_lossy().into_owned();
        let edges = edges(&files(&krate.join("src")));
        for (from, targets) in &edges {
            for (to, names) in targets {
                let names: Vec<&str> = names.iter().map(String::as_str).collect();
                for (_, prefix, allowed) in LEAVES.iter().filter(|(c, _, _)| *c == name) {
                    if from.starts_with(prefix) && !allowed.iter().any(|a| to.starts_with(a)) {
                        broken.push(format!(
                            "{name}: {from} -> {to} ({}): {prefix} may use only {allowed:?}",
                            names.join(", ")
                        ));
                    }
                }
                for (_, prefix, forbidden) in APART.iter().filter(|(c, _, _)| *c == name) {
                    if from.starts_with(prefix) && to.starts_with(forbidden) {
                        broken.push(format!(
                            "{name}: {from} -> {to} ({}): {prefix} must not use {forbidden}",
                            names.join(", ")
                        ));
                    }
                }
            }
        }
    }
    assert!(broken.is_empty(), "{}", broken.join("\n"));
}
