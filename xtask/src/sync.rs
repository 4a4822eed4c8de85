//! Keeping `generated/src/api/`, and the features block of `generated/Cargo.toml`, equal to
//! what the specs generate: write them, or check them.

use codegen::emit::{FEATURES_BEGIN, FEATURES_END};
use codegen::{GEN_COMMAND, GeneratedFile, OUTPUT_DIR};
use std::collections::BTreeMap;
use std::fmt::Write as _;
use std::path::Path;

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Mode {
    Write,
    /// Write nothing; fail when anything differs.
    Check,
}

/// How the output directory differs from what the specs generate.
#[derive(Debug, Default)]
struct Drift {
    /// (path, unified diff from the file on disk to the generated text)
    changed: Vec<(String, String)>,
    missing: Vec<String>,
    /// Files the generator does not write, e.g. left over from a deleted spec.
    extra: Vec<String>,
    /// The manifest with its features block as generated, and the diff to it, when the
    /// block on disk differs.
    manifest: Option<(String, String)>,
}

impl Drift {
    fn is_empty(&self) -> bool {
        self.changed.is_empty()
            && self.missing.is_empty()
            && self.extra.is_empty()
            && self.manifest.is_none()
    }
}

/// The generated crate's manifest, whose features block the generator owns.
const MANIFEST: &str = "generated/Cargo.toml";

/// The manifest at `root`, and the same with its features block replaced by `block`.
fn manifest_with(root: &Path, block: &str) -> Result<(String, String), String> {
    let path = root.join(MANIFEST);
    let text =
        std::fs::read_to_string(&path).map_err(|e| format!("cannot read {MANIFEST}: {e}"))?;
    match codegen::emit::with_features_block(&text, block) {
        Some(updated) => Ok((text, updated)),
        None => Err(format!(
            "{MANIFEST} has no generated features block: put the lines\n{FEATURES_BEGIN}\n{FEATURES_END}\nin its [features] table, then run `{GEN_COMMAND}`"
        )),
    }
}

/// Generates from `root/specs` and writes or checks `root/generated/src/api`.
/// `Ok` carries a one-line summary; `Err` the whole report for a person.
pub fn run(root: &Path, mode: Mode) -> Result<String, String> {
    let generated = codegen::generate_all(root, "specs").map_err(|e| e.to_string())?;
    let files = generated.files;
    let out_dir = root.join(OUTPUT_DIR);
    let on_disk = read_tree(&out_dir).map_err(|e| format!("cannot read {OUTPUT_DIR}: {e}"))?;
    let mut drift = compare(&files, &on_disk);
    let (manifest, updated) = manifest_with(root, &generated.features)?;
    if manifest != updated {
        let diff = similar::TextDiff::from_lines(manifest.as_str(), updated.as_str())
            .unified_diff()
            .context_radius(3)
            .header(&format!("a/{MANIFEST}"), &format!("b/{MANIFEST}"))
            .to_string();
        drift.manifest = Some((updated, diff));
    }
    match mode {
        Mode::Check if drift.is_empty() => {
            Ok(format!("{OUTPUT_DIR}: {} files up to date", files.len()))
        }
        Mode::Check => Err(report(&drift)),
        Mode::Write => {
            write(&out_dir, &files, &drift)
                .map_err(|e| format!("cannot write {OUTPUT_DIR}: {e}"))?;
            if let Some((updated, _)) = &drift.manifest {
                std::fs::write(root.join(MANIFEST), updated)
                    .map_err(|e| format!("cannot write {MANIFEST}: {e}"))?;
            }
            Ok(format!(
                "{OUTPUT_DIR}: {} files; {} written, {} removed",
                files.len(),
                drift.changed.len() + drift.missing.len(),
                drift.extra.len()
            ))
        }
    }
}

/// Every file under `dir`, by path relative to it (with `/` separators).
fn read_tree(dir: &Path) -> std::io::Result<BTreeMap<String, Vec<u8>>> {
    let mut files = BTreeMap::new();
    if !dir.exists() {
        return Ok(files);
    }
    let mut pending = vec![dir.to_path_buf()];
    while let Some(current) = pending.pop() {
        for entry in std::fs::read_dir(&current)? {
            let path = entry?.path();
            if path.is_dir() {
                pending.push(path);
            } else {
                let relative = path.strip_prefix(dir).unwrap_or(&path);
                let key = relative
                    .components()
                    .map(|c| c.as_os_str().to_string_lossy())
                    .collect::<Vec<_>>()
                    .join("/");
                files.insert(key, std::fs::read(&path)?);
            }
        }
    }
    Ok(files)
}

fn compare(files: &[GeneratedFile], on_disk: &BTreeMap<String, Vec<u8>>) -> Drift {
    let mut drift = Drift::default();
    for file in files {
        match on_disk.get(&file.path) {
            None => drift.missing.push(file.path.clone()),
            Some(bytes) if bytes.as_slice() != file.contents.as_bytes() => {
                let old = String::from_utf8_lossy(bytes);
                let diff = similar::TextDiff::from_lines(old.as_ref(), file.contents.as_str())
                    .unified_diff()
                    .context_radius(3)
                    .header(
                        &format!("a/{OUTPUT_DIR}/{}", file.path),
                        &format!("b/{OUTPUT_DIR}/{}", file.path),
                    )
                    .to_string();
                drift.changed.push((file.path.clone(), diff));
            }
            Some(_) => {}
        }
    }
    for path in on_disk.keys() {
        if !files.iter().any(|f| &f.path == path) {
            drift.extra.push(path.clone());
        }
    }
    drift
}

fn report(drift: &Drift) -> String {
    let mut out = String::new();
    for (_, diff) in &drift.changed {
        out.push_str(diff);
    }
    if let Some((_, diff)) = &drift.manifest {
        out.push_str(diff);
        let _ = writeln!(out, "stale:   {MANIFEST} (its generated features block)");
    }
    for path in &drift.changed {
        let _ = writeln!(
            out,
            "stale:   {OUTPUT_DIR}/{} (edited by hand, or its spec changed)",
            path.0
        );
    }
    for path in &drift.missing {
        let _ = writeln!(out, "missing: {OUTPUT_DIR}/{path}");
    }
    for path in &drift.extra {
        let _ = writeln!(out, "extra:   {OUTPUT_DIR}/{path} (no spec generates it)");
    }
    let _ = write!(out, "generated code is out of date: run `{GEN_COMMAND}`");
    out
}

fn write(out_dir: &Path, files: &[GeneratedFile], drift: &Drift) -> std::io::Result<()> {
    let to_write = drift.changed.iter().map(|(p, _)| p).chain(&drift.missing);
    for path in to_write {
        let Some(file) = files.iter().find(|f| &f.path == path) else {
            continue;
        };
        let target = out_dir.join(&file.path);
        if let Some(parent) = target.parent() {
            std::fs::create_dir_all(parent)?;
        }
        std::fs::write(target, &file.contents)?;
    }
    for path in &drift.extra {
        let target = out_dir.join(path);
        std::fs::remove_file(&target)?;
        // Drop directories the removal emptied (a deleted provider).
        let mut dir = target.parent();
        while let Some(d) = dir.filter(|d| *d != out_dir) {
            if std::fs::remove_dir(d).is_err() {
                break;
            }
            dir = d.parent();
        }
    }
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;
    use std::path::PathBuf;

    /// This checkout, found at run time (`cargo test` sets `CARGO_MANIFEST_DIR`).
    fn workspace_root() -> PathBuf {
        codegen::workspace_root().unwrap()
    }

    /// `cargo test` fails when the checked-in generated code is stale.
    #[test]
    fn generated_code_is_up_to_date() {
        if let Err(report) = run(&workspace_root(), Mode::Check) {
            panic!("{report}");
        }
    }

    /// A temp workspace with the real specs and a freshly generated output directory.
    fn fresh_copy() -> tempfile::TempDir {
        let dir = tempfile::tempdir().unwrap();
        codegen::copy_dir(&workspace_root().join("specs"), &dir.path().join("specs")).unwrap();
        std::fs::create_dir_all(dir.path().join("generated")).unwrap();
        std::fs::copy(workspace_root().join(MANIFEST), dir.path().join(MANIFEST)).unwrap();
        run(dir.path(), Mode::Write).unwrap();
        assert!(run(dir.path(), Mode::Check).is_ok());
        dir
    }

    /// Check fails with `expected` in its report, writes nothing, and `gen` repairs it.
    fn assert_check_fails_then_gen_repairs(root: &Path, expected: &[&str]) {
        let before = read_tree(&root.join(OUTPUT_DIR)).unwrap();
        let report = run(root, Mode::Check).unwrap_err();
        for text in expected {
            assert!(report.contains(text), "missing {text:?} in:\n{report}");
        }
        assert!(report.ends_with("run `cargo xtask gen`"), "{report}");
        assert_eq!(
            read_tree(&root.join(OUTPUT_DIR)).unwrap(),
            before,
            "check wrote something"
        );
        run(root, Mode::Write).unwrap();
        assert!(
            run(root, Mode::Check).is_ok(),
            "gen did not repair the output"
        );
    }

    #[test]
    fn hand_edit_of_a_generated_file_is_caught_with_a_diff() {
        let ws = fresh_copy();
        let file = ws.path().join(OUTPUT_DIR).join("feishu/get_export_task.rs");
        let text = std::fs::read_to_string(&file).unwrap();
        std::fs::write(
            &file,
            text.replacen(
                "pub struct ExportTaskData",
                "pub struct MyExportTaskData",
                1,
            ),
        )
        .unwrap();
        assert_check_fails_then_gen_repairs(
            ws.path(),
            &[
                "--- a/generated/src/api/feishu/get_export_task.rs",
                "-pub struct MyExportTaskData",
                "+pub struct ExportTaskData",
                "stale:   generated/src/api/feishu/get_export_task.rs",
            ],
        );
    }

    #[test]
    fn spec_change_without_regenerating_is_caught() {
        let ws = fresh_copy();
        let spec = ws
            .path()
            .join("specs/feishu/endpoints/drive_file_task_check.yaml");
        let text = std::fs::read_to_string(&spec).unwrap();
        std::fs::write(&spec, text.replace("name: Process,", "name: Processing,")).unwrap();
        assert_check_fails_then_gen_repairs(
            ws.path(),
            &[
                "+        Processing = \"process\",",
                "stale:   generated/src/api/feishu/check_folder_task.rs",
            ],
        );
    }

    #[test]
    fn deleted_spec_and_stray_file_are_extra_and_gen_removes_them() {
        let ws = fresh_copy();
        // A spec no chain leads to, so that the others stay valid without it.
        let (set, _) = codegen::load::load(ws.path(), "specs");
        let targets: Vec<&str> = set
            .providers
            .iter()
            .flat_map(|dir| &dir.endpoints)
            .flat_map(|e| {
                let poller = e.starts.as_ref().map(|s| s.poller.value.as_str());
                let download = e.download.as_ref().map(|d| d.endpoint.value.as_str());
                poller.into_iter().chain(download)
            })
            .collect();
        let (dir, deleted) = set
            .providers
            .iter()
            .flat_map(|dir| dir.endpoints.iter().map(move |e| (dir, e)))
            .find(|(_, e)| !targets.contains(&e.id.value.as_str()))
            .unwrap();
        std::fs::remove_file(ws.path().join(&deleted.file)).unwrap();
        let generated = format!("{}/{}.rs", dir.dir_name, deleted.operation.value);
        let stray = ws.path().join(OUTPUT_DIR).join("feishu/notes.rs");
        std::fs::write(&stray, "// left behind").unwrap();
        assert_check_fails_then_gen_repairs(
            ws.path(),
            &[
                &format!("extra:   generated/src/api/{generated} (no spec generates it)"),
                "extra:   generated/src/api/feishu/notes.rs",
            ],
        );
        assert!(!stray.exists());
        assert!(!ws.path().join(OUTPUT_DIR).join(&generated).exists());
    }

    #[test]
    fn missing_generated_file_is_caught() {
        let ws = fresh_copy();
        std::fs::remove_file(ws.path().join(OUTPUT_DIR).join("cli.rs")).unwrap();
        assert_check_fails_then_gen_repairs(ws.path(), &["missing: generated/src/api/cli.rs"]);
    }

    #[test]
    fn invalid_specs_stop_both_modes_with_located_errors() {
        let ws = fresh_copy();
        let spec = ws
            .path()
            .join("specs/dingtalk/endpoints/doc_task_info_get.yaml");
        let text = std::fs::read_to_string(&spec).unwrap();
        let line = text.lines().position(|l| l == "method: GET").unwrap() + 1;
        std::fs::write(&spec, text.replace("method: GET", "method: GOT")).unwrap();
        let expected = format!(
            "specs/dingtalk/endpoints/doc_task_info_get.yaml:{line}:9: method: unknown value `GOT`"
        );
        for mode in [Mode::Check, Mode::Write] {
            let report = run(ws.path(), mode).unwrap_err();
            assert!(report.contains(&expected), "{report}");
        }
    }
}
