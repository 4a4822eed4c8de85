//! Prints what `docread::read` makes of each page given:
//! `cargo run -p taskapi-docread --example read_page -- page.md [more.md ...]`.
//! `--problems`: the problems only, one a line; `--summary`: one line of facts per page
//! (to compare renderings of the same page).

use docread::Field;

fn tree(fields: &[Field]) -> String {
    fields
        .iter()
        .map(|f| {
            let req = match f.required {
                Some(true) => "!",
                Some(false) => "?",
                None => "",
            };
            let kids = if f.children.is_empty() {
                String::new()
            } else {
                format!("({})", tree(&f.children))
            };
            format!("{}{req}:{}[{}]{kids}", f.name, f.ty, f.enum_values.len())
        })
        .collect::<Vec<_>>()
        .join(",")
}

fn main() {
    let args: Vec<String> = std::env::args().skip(1).collect();
    let mode = args
        .iter()
        .find(|a| a.starts_with("--"))
        .cloned()
        .unwrap_or_default();
    for path in args.iter().filter(|a| !a.starts_with("--")) {
        let bytes = match std::fs::read(path) {
            Ok(b) => b,
            Err(e) => {
                eprintln!("{path}: {e}");
                continue;
            }
        };
        let page = docread::read(&String::from_utf8_lossy(&bytes));
        let f = &page.facts;
        match mode.as_str() {
            "--problems" => {
                for p in &page.problems {
                    println!("{path}:{p}");
                }
            }
            "--summary" => {
                let v = |a: &Option<docread::At<String>>| {
                    a.as_ref().map_or("-".to_owned(), |a| a.value.clone())
                };
                let errors: Vec<String> = f
                    .errors
                    .iter()
                    .map(|e| format!("{:?}/{}", e.value.http_status, e.value.code))
                    .collect();
                let scopes: Vec<&str> = f.scopes.iter().map(|s| s.value.name.as_str()).collect();
                let tokens: Vec<&str> = f.token_kinds.iter().map(|s| s.value.as_str()).collect();
                let rl = f.rate_limit.as_ref().map_or("-".to_owned(), |r| {
                    format!(
                        "{:?}/{:?}/{}",
                        r.value.per_minute, r.value.per_second, r.value.special
                    )
                });
                println!(
                    "{}\t{}\t{}\t{}\t{}\t{}\t{}\t{}\t{}\t{}\t{}\t{}\t{}\t{}\t{}",
                    v(&f.url),
                    path,
                    v(&f.method),
                    v(&f.path),
                    rl,
                    scopes.join(","),
                    tokens.join(","),
                    tree(&f.header_params),
                    tree(&f.path_params),
                    tree(&f.query_params),
                    tree(&f.body),
                    tree(&f.response),
                    errors.join(","),
                    f.request_example.is_some(),
                    f.reply_example.is_some(),
                );
            }
            _ => {
                println!("== {path} ({})\n{:#?}", page.rendering, page.facts);
                for p in &page.problems {
                    println!("problem: {p}");
                }
            }
        }
    }
}
