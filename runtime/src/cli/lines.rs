//! The input of `--batch`: lines read one at a time (never the whole file), each a JSON
//! object of parameters checked against the subcommand's definition and parsed by clap
//! exactly as the same flags would be, so a line is accepted only if the command line
//! would be.

use clap::parser::ValueSource;
use clap::{ArgAction, ArgMatches, Command};
use serde_json::{Map, Value};
use std::ffi::OsString;
use tokio::io::{AsyncBufRead, AsyncBufReadExt as _, AsyncReadExt as _};

/// The longest line read; longer ones are skipped.
pub(super) const MAX_LINE_BYTES: u64 = 1 << 20;

/// Argument ids a line may not set: clap's own.
const NOT_PARAMETERS: &[&str] = &["help", "version"];

/// One line of input.
pub(super) enum Line {
    /// Nothing on it (or only whitespace).
    Blank,
    /// A task: the line's object as written, and the flags it makes.
    Task(Map<String, Value>, ArgMatches),
    /// Not usable, and why.
    Bad(String),
}

/// Reads lines of at most [`MAX_LINE_BYTES`].
pub(super) struct LineReader {
    input: Box<dyn AsyncBufRead + Unpin>,
    /// The number of the last line read (from 1).
    pub(super) number: u64,
}

impl LineReader {
    pub(super) fn new(input: Box<dyn AsyncBufRead + Unpin>) -> Self {
        LineReader { input, number: 0 }
    }

    /// The next line, without its end; `None` at the end of the input. A line too long or
    /// not UTF-8 is an `Err` with the reason (and the reading goes on after it).
    pub(super) async fn next(&mut self) -> std::io::Result<Option<Result<String, String>>> {
        let mut bytes = Vec::new();
        let read = (&mut self.input)
            .take(MAX_LINE_BYTES + 1)
            .read_until(b'\n', &mut bytes)
            .await?;
        if read == 0 {
            return Ok(None);
        }
        self.number += 1;
        if bytes.last() != Some(&b'\n') && bytes.len() as u64 > MAX_LINE_BYTES {
            // Skip to the end of this line, a bounded piece at a time.
            loop {
                let mut rest = Vec::new();
                let n = (&mut self.input)
                    .take(MAX_LINE_BYTES)
                    .read_until(b'\n', &mut rest)
                    .await?;
                if n == 0 || rest.last() == Some(&b'\n') {
                    break;
                }
            }
            return Ok(Some(Err(format!("longer than {} bytes", MAX_LINE_BYTES))));
        }
        while matches!(bytes.last(), Some(b'\n' | b'\r')) {
            bytes.pop();
        }
        Ok(Some(
            String::from_utf8(bytes).map_err(|_| "not UTF-8 text".to_owned()),
        ))
    }
}

/// Turns a line's JSON into the flags of `command` (the subcommand as defined), with the
/// flags given on the command line (`given`) for what the line does not set.
pub(super) fn parse_line(text: &str, command: &mut Command, given: &ArgMatches) -> Line {
    if text.trim().is_empty() {
        return Line::Blank;
    }
    let params = match serde_json::from_str::<Value>(text) {
        Ok(Value::Object(params)) => params,
        Ok(_) => return Line::Bad("expected a JSON object of parameters".to_owned()),
        Err(e) => return Line::Bad(format!("not valid JSON: {e}")),
    };
    let mut argv: Vec<OsString> = vec![command.get_name().into()];
    for (key, value) in &params {
        let Some(arg) = command
            .get_arguments()
            .find(|a| a.get_id() == key.as_str() && !NOT_PARAMETERS.contains(&key.as_str()))
        else {
            return Line::Bad(format!(
                "unknown parameter `{key}` (parameters: {})",
                parameters(command).join(", ")
            ));
        };
        let Some(long) = arg.get_long() else {
            return Line::Bad(format!("`{key}` cannot be set from a line"));
        };
        let repeated = matches!(arg.get_action(), ArgAction::Append);
        let values = match (value, repeated) {
            (Value::Null, _) => continue,
            (Value::Array(items), true) => items.iter().map(scalar).collect(),
            (Value::Array(_), false) => Err("a single value, not an array"),
            (value, _) => scalar(value).map(|v| vec![v]),
        };
        match values {
            Ok(values) => argv.extend(values.into_iter().map(|v| flag(long, v.into()))),
            Err(expected) => return Line::Bad(format!("`{key}`: expected {expected}")),
        }
    }
    for arg in command.get_arguments() {
        let id = arg.get_id().as_str();
        let set_by_line = params.get(id).is_some_and(|v| !v.is_null());
        if set_by_line || NOT_PARAMETERS.contains(&id) {
            continue;
        }
        let from_flags = given.value_source(id) == Some(ValueSource::CommandLine);
        match (
            from_flags,
            given.try_get_raw(id).ok().flatten(),
            arg.get_long(),
        ) {
            (true, Some(raw), Some(long)) => {
                argv.extend(raw.map(|value| flag(long, value.to_owned())));
            }
            _ if arg.is_required_set() => {
                return Line::Bad(format!("missing parameter `{id}`"));
            }
            _ => {}
        }
    }
    match command.try_get_matches_from_mut(argv) {
        Ok(matches) => Line::Task(params, matches),
        Err(e) => Line::Bad(clap_message(&e)),
    }
}

/// `--long=value`: the value whole, even when it starts with `-`.
fn flag(long: &str, value: OsString) -> OsString {
    let mut flag = OsString::from(format!("--{long}="));
    flag.push(value);
    flag
}

/// A parameter's value as the text its flag would take.
fn scalar(value: &Value) -> Result<String, &'static str> {
    match value {
        Value::String(text) => Ok(text.clone()),
        Value::Number(n) => Ok(n.to_string()),
        Value::Bool(b) => Ok(b.to_string()),
        Value::Null | Value::Array(_) | Value::Object(_) => Err("a string, a number or a boolean"),
    }
}

/// The ids a line may set, for messages.
fn parameters(command: &Command) -> Vec<String> {
    command
        .get_arguments()
        .map(|a| a.get_id().to_string())
        .filter(|id| !NOT_PARAMETERS.contains(&id.as_str()))
        .collect()
}

/// Clap's message, on one line, without its `error: ` and its advice to try `--help`.
fn clap_message(e: &clap::Error) -> String {
    let text = e.to_string();
    let first = text.lines().next().unwrap_or_default();
    first.strip_prefix("error: ").unwrap_or(first).to_owned()
}

#[cfg(test)]
mod tests {
    use super::*;
    use clap::Arg;

    fn command() -> Command {
        Command::new("poll")
            .arg(Arg::new("ticket").long("ticket").required(true))
            .arg(
                Arg::new("page_size")
                    .long("page-size")
                    .value_parser(clap::value_parser!(i64)),
            )
            .arg(Arg::new("ids").long("ids").action(ArgAction::Append))
    }

    fn parse(text: &str, flags: &[&str]) -> Line {
        let given = Command::new("poll")
            .arg(Arg::new("ticket").long("ticket"))
            .arg(Arg::new("page_size").long("page-size"))
            .arg(Arg::new("ids").long("ids").action(ArgAction::Append))
            .get_matches_from(std::iter::once("poll").chain(flags.iter().copied()));
        parse_line(text, &mut command(), &given)
    }

    fn bad(line: Line) -> String {
        match line {
            Line::Bad(why) => why,
            Line::Blank => "blank".to_owned(),
            Line::Task(params, _) => panic!("accepted {params:?}"),
        }
    }

    #[test]
    fn a_line_is_parsed_as_its_flags_would_be() {
        let Line::Task(params, matches) = parse(
            r#"{"ticket": "-T=1", "page_size": 20, "ids": ["a", 2]}"#,
            &[],
        ) else {
            panic!()
        };
        assert_eq!(params["page_size"], 20);
        assert_eq!(matches.get_one::<String>("ticket").unwrap(), "-T=1");
        assert_eq!(*matches.get_one::<i64>("page_size").unwrap(), 20);
        let ids: Vec<&String> = matches.get_many::<String>("ids").unwrap().collect();
        assert_eq!(ids, ["a", "2"]);
    }

    #[test]
    fn flags_on_the_command_line_fill_in_what_a_line_leaves_out() {
        let Line::Task(_, matches) = parse(
            r#"{"page_size": 5}"#,
            &["--ticket", "T", "--page-size", "9"],
        ) else {
            panic!()
        };
        assert_eq!(matches.get_one::<String>("ticket").unwrap(), "T");
        assert_eq!(
            *matches.get_one::<i64>("page_size").unwrap(),
            5,
            "the line wins"
        );
    }

    #[test]
    fn bad_lines_say_why() {
        assert_eq!(bad(parse("   ", &[])), "blank");
        assert!(bad(parse("{", &[])).starts_with("not valid JSON"));
        assert_eq!(
            bad(parse("[1]", &[])),
            "expected a JSON object of parameters"
        );
        assert_eq!(bad(parse("{}", &[])), "missing parameter `ticket`");
        assert_eq!(
            bad(parse(r#"{"ticket": null}"#, &[])),
            "missing parameter `ticket`"
        );
        assert_eq!(
            bad(parse(r#"{"ticket": "T", "tikcet": "T"}"#, &[])),
            "unknown parameter `tikcet` (parameters: ticket, page_size, ids)"
        );
        assert_eq!(
            bad(parse(r#"{"ticket": {"a": 1}}"#, &[])),
            "`ticket`: expected a string, a number or a boolean"
        );
        assert_eq!(
            bad(parse(r#"{"ticket": ["a"]}"#, &[])),
            "`ticket`: expected a single value, not an array"
        );
        assert_eq!(
            bad(parse(r#"{"ticket": "T", "help": true}"#, &[])),
            "unknown parameter `help` (parameters: ticket, page_size, ids)"
        );
        let why = bad(parse(r#"{"ticket": "T", "page_size": "many"}"#, &[]));
        assert!(why.contains("many") && why.contains("--page-size"), "{why}");
    }

    #[tokio::test]
    async fn lines_are_read_one_at_a_time_long_ones_skipped() {
        let long = "x".repeat(MAX_LINE_BYTES as usize + 10);
        let input = format!("a\r\n\n{long}\nb\n\u{e9}\nlast");
        let mut bytes = input.into_bytes();
        bytes.extend_from_slice(b"\n\xff\n");
        let mut reader = LineReader::new(Box::new(std::io::Cursor::new(bytes)));
        let mut seen = Vec::new();
        while let Some(line) = reader.next().await.unwrap() {
            seen.push((reader.number, line));
        }
        let expected: Vec<(u64, Result<String, String>)> = vec![
            (1, Ok("a".into())),
            (2, Ok("".into())),
            (3, Err(format!("longer than {MAX_LINE_BYTES} bytes"))),
            (4, Ok("b".into())),
            (5, Ok("\u{e9}".into())),
            (6, Ok("last".into())),
            (7, Err("not UTF-8 text".into())),
        ];
        assert_eq!(seen, expected);
    }
}
