//! Finding and reading the spec files.
//!
//! Layout: `specs/<provider>/provider.yaml` and `specs/<provider>/endpoints/*.yaml`.
//! Files are read in sorted order so that output never depends on directory order.

use crate::decode::Ctx;
use crate::diag::Diagnostics;
use crate::spec::{EndpointSpec, ProviderSpec};
use crate::yaml;
use std::path::Path;

/// A spec is a page of data; anything this large is a mistake (or an attack), not a spec.
pub const MAX_SPEC_BYTES: u64 = 1024 * 1024;

/// The specs of one provider directory.
#[derive(Debug, Clone)]
pub struct ProviderDir {
    /// The directory name, which endpoint ids must start with.
    pub dir_name: String,
    pub provider: ProviderSpec,
    pub endpoints: Vec<EndpointSpec>,
    /// Whether every endpoint file read cleanly. When one did not, it may be missing from
    /// `endpoints`, and a chain that names it is not reported as dangling.
    pub complete: bool,
}

/// Every spec under the specs directory, decoded but not yet validated.
#[derive(Debug, Clone, Default)]
pub struct SpecSet {
    pub providers: Vec<ProviderDir>,
}

/// Reads all specs under `root/specs_dir`. File names in diagnostics are shown as
/// `specs_dir/...`, the way a person at the workspace root would type them.
///
/// Returns every spec that could be read together with the problems found, so that
/// validation can still report on the rest (every problem at once, not file by file).
pub fn load(root: &Path, specs_dir: &str) -> (SpecSet, Diagnostics) {
    let mut diags = Diagnostics::default();
    let mut set = SpecSet::default();
    let base = root.join(specs_dir);
    let Some(provider_dirs) = sorted_entries(&base, specs_dir, &mut diags) else {
        return (set, diags);
    };
    for (name, path) in provider_dirs {
        let shown = format!("{specs_dir}/{name}");
        if !path.is_dir() {
            diags.push(
                &shown,
                None,
                "",
                "unexpected file: specs/ holds one directory per provider",
            );
            continue;
        }
        let provider_file = format!("{shown}/provider.yaml");
        let provider = read_clean(
            &path.join("provider.yaml"),
            &provider_file,
            &mut diags,
            ProviderSpec::decode,
        );
        let mut endpoints = Vec::new();
        let mut complete = true;
        for (entry, entry_path) in sorted_entries(&path, &shown, &mut diags).unwrap_or_default() {
            if entry != "provider.yaml" && entry != "endpoints" {
                diags.push(
                    &format!("{shown}/{entry}"),
                    None,
                    "",
                    "unexpected file: a provider directory holds provider.yaml and endpoints/",
                );
            }
            if entry == "endpoints" {
                let before = diags.len();
                endpoints = load_endpoints(&entry_path, &format!("{shown}/endpoints"), &mut diags);
                complete = diags.len() == before;
            }
        }
        if let Some(mut provider) = provider {
            complete &= crate::resolve::resolve(&mut provider, &mut endpoints, &mut diags);
            set.providers.push(ProviderDir {
                dir_name: name,
                provider,
                endpoints,
                complete,
            });
        }
    }
    (set, diags)
}

fn load_endpoints(dir: &Path, shown: &str, diags: &mut Diagnostics) -> Vec<EndpointSpec> {
    let mut endpoints = Vec::new();
    for (name, path) in sorted_entries(dir, shown, diags).unwrap_or_default() {
        let file = format!("{shown}/{name}");
        if !name.ends_with(".yaml") || !path.is_file() {
            diags.push(
                &file,
                None,
                "",
                "unexpected file: endpoint specs are `*.yaml` files",
            );
            continue;
        }
        endpoints.extend(read_clean(&path, &file, diags, EndpointSpec::decode));
    }
    endpoints
}

/// Reads and decodes one spec file. A file with any problem yields no spec: half a spec
/// would only make validation report consequences (a parameter that failed to decode
/// leaves its path placeholder "undeclared") instead of causes.
fn read_clean<T>(
    path: &Path,
    file: &str,
    diags: &mut Diagnostics,
    decode: fn(&mut Ctx<'_>, &yaml::Node) -> Option<T>,
) -> Option<T> {
    let before = diags.len();
    let node = read_yaml(path, file, diags)?;
    let spec = decode(&mut Ctx { file, diags }, &node);
    if diags.len() == before { spec } else { None }
}

/// Directory entries sorted by name; hidden files (editor swap files, `.DS_Store`) skipped.
fn sorted_entries(
    dir: &Path,
    shown: &str,
    diags: &mut Diagnostics,
) -> Option<Vec<(String, std::path::PathBuf)>> {
    let read = match std::fs::read_dir(dir) {
        Ok(read) => read,
        Err(e) => {
            diags.push(shown, None, "", format!("cannot read directory: {e}"));
            return None;
        }
    };
    let mut entries = Vec::new();
    for entry in read {
        match entry {
            Ok(entry) => {
                let name = entry.file_name().to_string_lossy().into_owned();
                if !name.starts_with('.') {
                    entries.push((name, entry.path()));
                }
            }
            Err(e) => diags.push(shown, None, "", format!("cannot read directory: {e}")),
        }
    }
    entries.sort();
    Some(entries)
}

/// Reads one file into a located tree, recording why when it cannot.
fn read_yaml(path: &Path, file: &str, diags: &mut Diagnostics) -> Option<yaml::Node> {
    let size = match std::fs::metadata(path) {
        Ok(meta) => meta.len(),
        Err(e) => {
            diags.push(file, None, "", format!("cannot read: {e}"));
            return None;
        }
    };
    if size > MAX_SPEC_BYTES {
        diags.push(
            file,
            None,
            "",
            format!("file is {size} bytes; a spec may be at most {MAX_SPEC_BYTES}"),
        );
        return None;
    }
    let bytes = match std::fs::read(path) {
        Ok(bytes) => bytes,
        Err(e) => {
            diags.push(file, None, "", format!("cannot read: {e}"));
            return None;
        }
    };
    let text = match String::from_utf8(bytes) {
        Ok(text) => text,
        Err(e) => {
            let offset = e.utf8_error().valid_up_to();
            let before = &e.as_bytes()[..offset];
            let line = before.iter().filter(|b| **b == b'\n').count() + 1;
            let col = offset
                - before
                    .iter()
                    .rposition(|b| *b == b'\n')
                    .map_or(0, |p| p + 1)
                + 1;
            diags.push(
                file,
                Some(crate::diag::Location { line, col }),
                "",
                "not valid UTF-8: specs must be UTF-8 text",
            );
            return None;
        }
    };
    match yaml::parse(&text) {
        Ok(Some(node)) => Some(node),
        Ok(None) => {
            diags.push(file, None, "", "empty file: expected a spec mapping");
            None
        }
        Err(e) => {
            diags.push(file, Some(e.at), "", format!("invalid YAML: {}", e.message));
            None
        }
    }
}
