//! Spec fuzzing: damaged copies of the real specs must never panic the generator, and every
//! rejection must name the damaged file, with a line where there is one.
//!
//! Bounded for CI (300 cases by default). A longer run, with a seed of your choosing:
//!
//! ```sh
//! TASKAPI_SPEC_FUZZ_CASES=20000 TASKAPI_SPEC_FUZZ_SEED=7 cargo test --release -p taskapi-codegen --test fuzz -- --nocapture
//! ```

mod common;

use codegen::{Error, generate};
use common::{Workspace, file};
use std::panic::{AssertUnwindSafe, catch_unwind};

const SPECS: &[&str] = &[
    "feishu/provider.yaml",
    "feishu/endpoints/vc_export_get.yaml",
    "feishu/endpoints/drive_export_task_get.yaml",
    "feishu/endpoints/drive_import_task_get.yaml",
    "feishu/endpoints/drive_file_task_check.yaml",
    "dingtalk/provider.yaml",
    "dingtalk/endpoints/doc_task_info_get.yaml",
];

const WRONG_VALUES: &[&str] = &[
    "[1, 2]",
    "{a: 1}",
    "123",
    "true",
    "~",
    "\"text\"",
    "-1.5e300",
    "99999999999999999999999999999",
    "0x1F",
    "'\u{202E}evil'",
];

const ALIAS_BOMB: &str = "a: &a [x, x, x, x, x, x, x, x, x]\nb: &b [*a, *a, *a, *a, *a, *a, *a, *a, *a]\n\
    c: &c [*b, *b, *b, *b, *b, *b, *b, *b, *b]\nd: &d [*c, *c, *c, *c, *c, *c, *c, *c, *c]\n\
    e: [*d, *d, *d, *d, *d, *d, *d, *d, *d]\n";

/// Applies one random mutation; returns what it did, for the failure message.
fn mutate(rng: &mut fastrand::Rng, bytes: &mut Vec<u8>) -> String {
    let text = String::from_utf8_lossy(bytes).into_owned();
    let lines: Vec<&str> = text.lines().collect();
    let line = rng.usize(..lines.len().max(1));
    let edit_line = |f: &dyn Fn(&str) -> String| {
        let mut out: Vec<String> = lines.iter().map(|l| (*l).to_owned()).collect();
        if let Some(target) = out.get_mut(line) {
            *target = f(target);
        }
        out.join("\n").into_bytes()
    };
    match rng.u8(..13) {
        0 => {
            *bytes = edit_line(&|_| String::new());
            format!("deleted line {}", line + 1)
        }
        1 => {
            *bytes = edit_line(&|l| format!("{l}\n{l}"));
            format!("duplicated line {}", line + 1)
        }
        2 => {
            *bytes = edit_line(&|l| l.replacen(':', "x:", 1));
            format!("renamed the key on line {}", line + 1)
        }
        3 => {
            let value = WRONG_VALUES[rng.usize(..WRONG_VALUES.len())];
            *bytes = edit_line(&|l| match l.split_once(": ") {
                Some((key, _)) => format!("{key}: {value}"),
                None => l.to_owned(),
            });
            format!("set the value on line {} to {value}", line + 1)
        }
        4 => {
            let odd = [
                "\u{202E}",
                "\u{200B}",
                "🦀",
                "\u{FEFF}",
                "\u{0}",
                "é\u{301}",
            ][rng.usize(..6)];
            let mut at = rng.usize(..=text.len());
            while !text.is_char_boundary(at) {
                at -= 1;
            }
            *bytes = format!("{}{odd}{}", &text[..at], &text[at..]).into_bytes();
            format!("inserted {odd:?} at byte {at}")
        }
        5 => {
            *bytes = edit_line(&|l| format!("\t{}", l.trim_start()));
            format!("indented line {} with a tab", line + 1)
        }
        6 => {
            let bracket = ["[", "{", "]", "}", "\"", "'"][rng.usize(..6)];
            *bytes = edit_line(&|l| format!("{l}{bracket}"));
            format!("left {bracket} open on line {}", line + 1)
        }
        7 => {
            let depth = rng.usize(10..500);
            bytes.extend_from_slice(
                format!("\ndeep: {}{}\n", "[".repeat(depth), "]".repeat(depth)).as_bytes(),
            );
            format!("appended nesting {depth} deep")
        }
        8 => {
            bytes.clear();
            "emptied the file".to_owned()
        }
        9 => {
            let at = rng.usize(..=bytes.len());
            bytes.splice(at..at, [0xFF, 0xFE, 0xC3]);
            format!("inserted non-UTF-8 bytes at {at}")
        }
        10 => {
            *bytes = ALIAS_BOMB.as_bytes().to_vec();
            "replaced the file with an alias bomb".to_owned()
        }
        11 => {
            let at = rng.usize(..=bytes.len());
            bytes.truncate(at);
            format!("truncated at byte {at}")
        }
        _ => {
            *bytes = edit_line(&|l| format!("{l} &anchor"));
            format!("added an anchor on line {}", line + 1)
        }
    }
}

/// Messages that are about a whole file, so carry no line.
const FILE_LEVEL: &[&str] = &["empty file", "unexpected file", "cannot read", "file is"];

#[test]
fn mutated_specs_never_panic_and_every_rejection_is_located() {
    let cases: usize = std::env::var("TASKAPI_SPEC_FUZZ_CASES")
        .ok()
        .and_then(|v| v.parse().ok())
        .unwrap_or(300);
    let seed: u64 = std::env::var("TASKAPI_SPEC_FUZZ_SEED")
        .ok()
        .and_then(|v| v.parse().ok())
        .unwrap_or(20261124);
    let mut rng = fastrand::Rng::with_seed(seed);
    let ws = Workspace::new();
    let originals: Vec<Vec<u8>> = SPECS
        .iter()
        .map(|s| std::fs::read(ws.path(s)).unwrap())
        .collect();
    let (mut rejected, mut accepted) = (0, 0);
    for case in 0..cases {
        let index = rng.usize(..SPECS.len());
        let spec = SPECS[index];
        let mut bytes = originals[index].clone();
        let mutations: Vec<String> = (0..rng.usize(1..=3))
            .map(|_| mutate(&mut rng, &mut bytes))
            .collect();
        std::fs::write(ws.path(spec), &bytes).unwrap();
        let what = format!(
            "case {case} (seed {seed}): {spec}: {}",
            mutations.join(", ")
        );
        let result = catch_unwind(AssertUnwindSafe(|| generate(ws.dir.path(), "specs")))
            .unwrap_or_else(|_| panic!("the generator panicked on {what}"));
        match result {
            Ok(_) => accepted += 1,
            Err(Error::Emit(e)) => panic!("{what}: emitted invalid Rust: {e}"),
            Err(Error::Specs(diags)) => {
                rejected += 1;
                assert!(
                    diags.iter().any(|d| d.file == file(spec)),
                    "{what}: no problem names the file:\n{diags}"
                );
                for d in diags.iter() {
                    assert!(d.file.starts_with("specs/"), "{what}: {d}");
                    assert!(
                        d.at.is_some() || FILE_LEVEL.iter().any(|m| d.message.starts_with(m)),
                        "{what}: no line in {d}"
                    );
                }
            }
        }
        std::fs::write(ws.path(spec), &originals[index]).unwrap();
    }
    println!(
        "spec fuzzing: {cases} cases (seed {seed}), {rejected} rejected with located errors, {accepted} still valid"
    );
    assert!(
        rejected > cases / 2,
        "most mutations should break a spec ({rejected} of {cases})"
    );
}
