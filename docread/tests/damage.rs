//! Damaged copies of every fixture (the kinds of damage of codegen/tests/fuzz.rs, plus lost
//! tags): the reader never panics, and every problem and every fact it reports sits on a line
//! of the text it was given.
//!
//! Bounded for CI. A longer run, with a seed of your choosing:
//!
//! ```sh
//! TASKAPI_DOCREAD_FUZZ_CASES=5000 TASKAPI_DOCREAD_FUZZ_SEED=7 cargo test --release -p taskapi-docread --test damage -- --nocapture
//! ```

mod common;

use docread::{Field, Page};
use std::panic::{AssertUnwindSafe, catch_unwind};

/// Reads `text`; fails the test on a panic or on a line outside the text.
fn check(text: &str, what: &dyn Fn() -> String) -> Page {
    let page = catch_unwind(AssertUnwindSafe(|| docread::read(text)))
        .unwrap_or_else(|_| panic!("the reader panicked on {}", what()));
    let last = text.lines().count().max(1);
    let ok = |line: usize| (1..=last).contains(&line);
    for p in &page.problems {
        assert!(
            ok(p.line),
            "{}: problem outside the text ({last} lines): {p}",
            what()
        );
        assert!(
            !p.message.is_empty(),
            "{}: a problem without a message",
            what()
        );
    }
    let f = &page.facts;
    let mut lines: Vec<(&str, usize)> = Vec::new();
    for (name, at) in [
        ("title", &f.title),
        ("url", &f.url),
        ("updated", &f.updated),
        ("description", &f.description),
        ("method", &f.method),
        ("host", &f.host),
        ("path", &f.path),
        ("request example", &f.request_example),
        ("reply example", &f.reply_example),
    ] {
        if let Some(at) = at {
            lines.push((name, at.line));
        }
    }
    lines.extend(f.rate_limit.iter().map(|r| ("rate limit", r.line)));
    lines.extend(f.app_types.iter().map(|a| ("app type", a.line)));
    lines.extend(f.token_kinds.iter().map(|a| ("token kind", a.line)));
    lines.extend(f.scopes.iter().map(|a| ("scope", a.line)));
    lines.extend(f.errors.iter().map(|a| ("error", a.line)));
    let mut stack: Vec<&Field> = f
        .header_params
        .iter()
        .chain(&f.path_params)
        .chain(&f.query_params)
        .chain(&f.body)
        .chain(&f.response)
        .collect();
    while let Some(field) = stack.pop() {
        lines.push(("field", field.line));
        stack.extend(&field.children);
    }
    for (name, line) in lines {
        assert!(
            ok(line),
            "{}: {name} on line {line}, outside the text ({last} lines)",
            what()
        );
    }
    page
}

#[test]
fn truncated_at_every_line() {
    for path in common::fixtures() {
        let text = std::fs::read_to_string(&path).unwrap();
        let mut end = 0;
        for (n, line) in text.split_inclusive('\n').enumerate() {
            end += line.len();
            let cut = &text[..end];
            check(cut, &|| {
                format!("{} cut after line {}", path.display(), n + 1)
            });
            // Cut inside every 5th line too (at a character boundary).
            if n % 5 != 0 {
                continue;
            }
            let mid = end - line.len() / 2;
            let mid = (0..=mid).rev().find(|&i| text.is_char_boundary(i)).unwrap();
            check(&text[..mid], &|| {
                format!("{} cut at byte {mid}", path.display())
            });
        }
    }
}

#[test]
fn every_line_deleted_and_duplicated() {
    for path in common::fixtures() {
        let text = std::fs::read_to_string(&path).unwrap();
        let lines: Vec<&str> = text.lines().collect();
        // Every line of the small pages, every 10th of the big ones: the cost is quadratic.
        let step = if lines.len() > 250 { 10 } else { 1 };
        for n in (0..lines.len()).step_by(step) {
            let mut deleted = lines.clone();
            deleted.remove(n);
            check(&deleted.join("\n"), &|| {
                format!("{} without line {}", path.display(), n + 1)
            });
            let mut doubled = lines.clone();
            doubled.insert(n, lines[n]);
            check(&doubled.join("\n"), &|| {
                format!("{} with line {} twice", path.display(), n + 1)
            });
        }
    }
}

/// Closing markers a page relies on: losing one leaves a tag, block or header open.
const CLOSERS: &[&str] = &[
    "</md-td>",
    "</md-th>",
    "</md-dt-td>",
    "</md-tr>",
    "</md-dt-tr>",
    "</md-table>",
    "</md-dt-table>",
    "</md-enum>",
    "</md-enum-item>",
    "</md-code-json>",
    "-->",
    "```",
    ":::",
    "---",
    "}",
    "|",
];

#[test]
fn every_closing_marker_lost() {
    for path in common::fixtures() {
        let text = std::fs::read_to_string(&path).unwrap();
        for closer in CLOSERS {
            let spots: Vec<usize> = text.match_indices(closer).map(|(i, _)| i).collect();
            let step = (spots.len() / 20).max(1);
            for &at in spots.iter().step_by(step) {
                let damaged = format!("{}{}", &text[..at], &text[at + closer.len()..]);
                check(&damaged, &|| {
                    format!("{} without the {closer:?} at byte {at}", path.display())
                });
            }
        }
    }
}

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
    match rng.u8(..12) {
        0 => {
            *bytes = edit_line(&|_| String::new());
            format!("emptied line {}", line + 1)
        }
        1 => {
            *bytes = edit_line(&|l| format!("{l}\n{l}"));
            format!("duplicated line {}", line + 1)
        }
        2 => {
            // Swap two neighbouring characters.
            let chars: Vec<char> = text.chars().collect();
            if chars.len() < 2 {
                return "nothing to swap".to_owned();
            }
            let at = rng.usize(..chars.len() - 1);
            let mut chars = chars;
            chars.swap(at, at + 1);
            *bytes = chars.into_iter().collect::<String>().into_bytes();
            format!("swapped characters {at} and {}", at + 1)
        }
        3 => {
            let odd = [
                "\u{202E}",
                "\u{200B}",
                "🦀",
                "\u{FEFF}",
                "\u{0}",
                "é\u{301}",
                "|",
                "<",
                ">",
                "\\",
                "`",
                "**",
                "\r",
            ][rng.usize(..13)];
            let mut at = rng.usize(..=text.len());
            while !text.is_char_boundary(at) {
                at -= 1;
            }
            *bytes = format!("{}{odd}{}", &text[..at], &text[at..]).into_bytes();
            format!("inserted {odd:?} at byte {at}")
        }
        4 => {
            *bytes = edit_line(&|l| format!("\t{}", l.trim_start()));
            format!("indented line {} with a tab", line + 1)
        }
        5 => {
            let bracket = [
                "[",
                "{",
                "]",
                "}",
                "\"",
                "<md-td>",
                "<md-dt-tr level=\"9999999999999\">",
                "```",
                "<!--",
            ][rng.usize(..9)];
            *bytes = edit_line(&|l| format!("{l}{bracket}"));
            format!("left {bracket} open on line {}", line + 1)
        }
        6 => {
            let depth = rng.usize(10..5000);
            let nest = match rng.u8(..3) {
                0 => format!(
                    "\n```json\n{}{}\n```\n",
                    "[".repeat(depth),
                    "]".repeat(depth)
                ),
                1 => (0..depth)
                    .map(|d| {
                        format!("<md-dt-tr level=\"{d}\"><md-dt-td>f{d}</md-dt-td></md-dt-tr>\n")
                    })
                    .collect(),
                _ => (0..depth.min(300))
                    .map(|d| format!("{}∟ f{d} | string | x\n", "&emsp;".repeat(d)))
                    .collect(),
            };
            let at = rng.usize(..=lines.len());
            let mut out: Vec<String> = lines.iter().map(|l| (*l).to_owned()).collect();
            out.insert(at, nest);
            *bytes = out.join("\n").into_bytes();
            format!("inserted nesting {depth} deep at line {}", at + 1)
        }
        7 => {
            bytes.clear();
            "emptied the page".to_owned()
        }
        8 => {
            let at = rng.usize(..=bytes.len());
            let junk: Vec<u8> = (0..rng.usize(1..16)).map(|_| rng.u8(..)).collect();
            bytes.splice(at..at, junk);
            format!("inserted random bytes at {at}")
        }
        9 => {
            let at = rng.usize(..=bytes.len());
            bytes.truncate(at);
            format!("truncated at byte {at}")
        }
        10 => {
            let closer = CLOSERS[rng.usize(..CLOSERS.len())];
            *bytes = text.replacen(closer, "", 1).into_bytes();
            format!("dropped the first {closer:?}")
        }
        _ => {
            // Move a line elsewhere (a heading or a row out of place).
            let mut out: Vec<&str> = lines.clone();
            if out.is_empty() {
                return "nothing to move".to_owned();
            }
            let moved = out.remove(line);
            let to = rng.usize(..=out.len());
            out.insert(to, moved);
            *bytes = out.join("\n").into_bytes();
            format!("moved line {} to {}", line + 1, to + 1)
        }
    }
}

#[test]
fn random_damage() {
    let cases: usize = std::env::var("TASKAPI_DOCREAD_FUZZ_CASES")
        .ok()
        .and_then(|v| v.parse().ok())
        .unwrap_or(1000);
    let seed: u64 = std::env::var("TASKAPI_DOCREAD_FUZZ_SEED")
        .ok()
        .and_then(|v| v.parse().ok())
        .unwrap_or(20261127);
    let mut rng = fastrand::Rng::with_seed(seed);
    let fixtures = common::fixtures();
    let originals: Vec<Vec<u8>> = fixtures.iter().map(|p| std::fs::read(p).unwrap()).collect();
    let mut with_problems = 0;
    for case in 0..cases {
        let index = rng.usize(..fixtures.len());
        let mut bytes = originals[index].clone();
        let mutations: Vec<String> = (0..rng.usize(1..=3))
            .map(|_| mutate(&mut rng, &mut bytes))
            .collect();
        let text = String::from_utf8_lossy(&bytes);
        let what = || {
            format!(
                "case {case} (seed {seed}): {}: {}",
                fixtures[index].display(),
                mutations.join(", ")
            )
        };
        if !check(&text, &what).problems.is_empty() {
            with_problems += 1;
        }
    }
    println!("page damage: {cases} cases (seed {seed}), {with_problems} with problems reported");
    assert!(with_problems > 0);
}

#[test]
fn odd_whole_inputs() {
    let inputs = [
        String::new(),
        "\n".into(),
        "\r\n\r\n".into(),
        "\u{feff}".into(),
        "|".into(),
        "| a |\n| --- |\n".into(),
        "<md-table>".into(),
        "</md-td><md-td><md-tr>".into(),
        "<!--".into(),
        "---\n".into(),
        "```".into(),
        "# \n## 请求\n".into(),
        "HTTP URLhttps://api.dingtalk.com".into(),
        "x-acs-dingtalk-access-token\n错误码\nHttpCode错误码错误信息说明\n999999999paramError%s\n"
            .into(),
        "{".repeat(100_000),
        "<md-dt-tr level=\"1\">".repeat(10_000),
        "a | b\n---|---\n".to_owned() + &"x  \n".repeat(10_000),
    ];
    for (i, input) in inputs.iter().enumerate() {
        let page = check(input, &|| format!("input {i}"));
        if input.trim().is_empty() {
            assert!(
                !page.problems.is_empty(),
                "input {i}: an empty page is a problem"
            );
            assert_eq!(page.problems[0].line, 1);
        }
    }
}
