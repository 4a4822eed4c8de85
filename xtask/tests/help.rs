//! Every `cargo xtask` command answers `--help` (exit 0, its usage on stdout) without running.
//! The commands are read from `cargo xtask --help` itself, so a new one is covered.

use std::process::Command;

fn xtask(args: &[&str]) -> std::process::Output {
    Command::new(env!("CARGO_BIN_EXE_xtask"))
        .args(args)
        .output()
        .expect("the xtask binary runs")
}

#[test]
fn every_xtask_command_has_a_working_help() {
    let top = xtask(&["--help"]);
    assert!(top.status.success(), "{top:?}");
    let usage = String::from_utf8(top.stdout).unwrap();
    let commands: std::collections::BTreeSet<&str> = usage
        .lines()
        .filter_map(|line| line.strip_prefix("  "))
        .filter_map(|line| line.split_whitespace().next())
        .collect();
    assert!(commands.contains("gen"), "{usage}");
    for command in commands {
        for flag in ["--help", "-h"] {
            let out = xtask(&[command, flag]);
            let text = String::from_utf8_lossy(&out.stdout);
            assert!(out.status.success(), "{command} {flag}: {out:?}");
            assert!(
                text.starts_with(&format!("usage: cargo xtask {command}")),
                "{command} {flag}: {text}"
            );
        }
    }
    let unknown = xtask(&["nonsense", "--help"]);
    assert_eq!(unknown.status.code(), Some(2));
}
