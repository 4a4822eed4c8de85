//! Turning wire names into Rust names, in one place so validation (which reports
//! collisions) and the model (which uses the names) can never disagree.

use heck::{ToShoutySnakeCase, ToSnakeCase, ToUpperCamelCase};

/// Rust keywords (strict and reserved, all editions) that cannot be plain identifiers.
const KEYWORDS: &[&str] = &[
    "abstract", "as", "async", "await", "become", "box", "break", "const", "continue", "crate",
    "do", "dyn", "else", "enum", "extern", "false", "final", "fn", "for", "gen", "if", "impl",
    "in", "let", "loop", "macro", "match", "mod", "move", "mut", "override", "priv", "pub", "ref",
    "return", "self", "Self", "static", "struct", "super", "trait", "true", "try", "type",
    "typeof", "union", "unsafe", "unsized", "use", "virtual", "where", "while", "yield",
];

pub fn is_keyword(name: &str) -> bool {
    KEYWORDS.contains(&name)
}

/// A field or parameter name: snake_case, with `_` appended to keywords (`type` -> `type_`).
/// The wire name is kept separately (serde `rename`, query key).
pub fn field_ident(wire: &str) -> String {
    let snake = wire.to_snake_case();
    if is_keyword(&snake) {
        format!("{snake}_")
    } else {
        snake
    }
}

/// The CLI flag for a parameter: kebab-case of its wire name (`taskId` -> `task-id`).
pub fn cli_flag(wire: &str) -> String {
    wire.to_snake_case().replace('_', "-")
}

/// An `UpperCamelCase` type name from a snake_case operation (`get_export_task` -> `GetExportTask`).
pub fn type_name(snake: &str) -> String {
    snake.to_upper_camel_case()
}

/// A `SHOUTY_SNAKE` constant name.
pub fn const_name(name: &str) -> String {
    name.to_shouty_snake_case()
}

/// The API family of an endpoint id, and the Cargo feature that compiles it: its first two
/// segments joined by `-` (`feishu.drive.export_task.get` -> `feishu-drive`). Validation
/// keeps ids to at least two lower-case segments.
pub fn family(id: &str) -> String {
    id.splitn(3, '.').take(2).collect::<Vec<_>>().join("-")
}

/// The CLI subcommand of a workflow that uploads first: the start endpoint's family, then
/// the workflow (`feishu.drive.import_task.create`, `import_file` ->
/// `feishu.drive.import_file`). Validation refuses one that is an endpoint's id.
pub fn workflow_command(start_id: &str, workflow: &str) -> String {
    let family: Vec<&str> = start_id.splitn(3, '.').take(2).collect();
    format!("{}.{workflow}", family.join("."))
}

/// The client method that waits for many tasks of an endpoint whose single waiter is
/// `waiter`: `wait_export_task` -> `wait_many_export_task`.
pub fn wait_many_method(waiter: &str) -> String {
    format!(
        "wait_many_{}",
        waiter.strip_prefix("wait_").unwrap_or(waiter)
    )
}

/// The provider's common-code enum, named after its client (`FeishuClient` ->
/// `FeishuCommonError`).
pub fn common_error_enum(client: &str) -> String {
    let base = client.strip_suffix("Client").unwrap_or(client);
    format!("{base}CommonError")
}

/// The variant name an error message gives when the spec names none
/// (`internal error.` -> `InternalError`); `None` when the message has no letters to use.
pub fn error_variant_from_message(message: &str) -> Option<String> {
    // DingTalk's table prints printf placeholders (`%s`) as messages: they name nothing.
    let mut words = String::with_capacity(message.len());
    let mut chars = message.chars();
    while let Some(c) = chars.next() {
        if c == '%' {
            chars.next();
            words.push(' ');
        } else {
            words.push(if c.is_ascii_alphanumeric() { c } else { ' ' });
        }
    }
    let name = words.to_upper_camel_case();
    is_upper_camel(&name).then_some(name)
}

/// `UpperCamelCase` and usable as a Rust type or variant name.
pub fn is_upper_camel(name: &str) -> bool {
    let mut chars = name.chars();
    chars.next().is_some_and(|c| c.is_ascii_uppercase())
        && chars.all(|c| c.is_ascii_alphanumeric())
        && name.to_upper_camel_case() == name
        && !is_never_identifier(name)
}

/// Keywords that cannot be raw identifiers either (`r#self` is not Rust): no name can be one.
const NEVER_IDENTIFIERS: &[&str] = &["self", "Self", "super", "crate"];

/// Whether `name` cannot be a Rust identifier at all, even a raw one.
pub fn is_never_identifier(name: &str) -> bool {
    NEVER_IDENTIFIERS.contains(&name)
}

/// `snake_case`, starting with a letter: usable as a method and module name. Keywords are
/// fine (the generated code writes them as raw identifiers, `r#type`), except those that
/// cannot be raw.
pub fn is_snake_ident(name: &str) -> bool {
    let mut chars = name.chars();
    chars.next().is_some_and(|c| c.is_ascii_lowercase())
        && chars.all(|c| c.is_ascii_lowercase() || c.is_ascii_digit() || c == '_')
        && !name.contains("__")
        && !name.ends_with('_')
        && !is_never_identifier(name)
}

/// A wire name we can turn into a field: letters, digits and `_`, starting with a letter.
pub fn is_wire_name(name: &str) -> bool {
    let mut chars = name.chars();
    chars.next().is_some_and(|c| c.is_ascii_alphabetic())
        && chars.all(|c| c.is_ascii_alphanumeric() || c == '_')
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_workflow_command_is_its_family_and_its_name() {
        assert_eq!(
            workflow_command("feishu.drive.import_task.create", "import_file"),
            "feishu.drive.import_file"
        );
    }

    #[test]
    fn wire_names_become_safe_idents() {
        assert_eq!(field_ident("type"), "type_");
        assert_eq!(field_ident("taskId"), "task_id");
        assert_eq!(field_ident("succCount"), "succ_count");
        assert_eq!(cli_flag("taskId"), "task-id");
        assert_eq!(cli_flag("task_id"), "task-id");
    }

    #[test]
    fn error_names_come_from_messages() {
        assert_eq!(
            error_variant_from_message("internal error.").as_deref(),
            Some("InternalError")
        );
        assert_eq!(
            error_variant_from_message("mount point not found or no permission").as_deref(),
            Some("MountPointNotFoundOrNoPermission")
        );
        assert_eq!(error_variant_from_message("%s"), None);
        assert_eq!(
            error_variant_from_message("bad %s value").as_deref(),
            Some("BadValue")
        );
        assert_eq!(error_variant_from_message("404"), None);
    }
}
