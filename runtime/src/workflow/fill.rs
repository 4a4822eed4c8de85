//! The values an upload before a start fills its fields with, and the start's fields the
//! file gives, as a spec's `starts.before` names them: facts of the path, and a JSON
//! object's text built from the start request's fields. Generated code calls these with
//! the values; the rules live here once.

use std::path::Path;

/// The path's file name (its last component), as text (lossy where it is not UTF-8); empty
/// for a path without one (`/`, `..`), which the upload then refuses or the server does.
pub fn file_name_of(path: &Path) -> String {
    path.file_name()
        .map(|name| name.to_string_lossy().into_owned())
        .unwrap_or_default()
}

/// The path's extension without its dot, as written (`Notes.MD` gives `MD`: Feishu's import
/// wants the file's own suffix, exactly); empty when the file name has none.
pub fn extension_of(path: &Path) -> String {
    path.extension()
        .map(|ext| ext.to_string_lossy().into_owned())
        .unwrap_or_default()
}

/// The text of a JSON object with these string members, in this order (a spec's order,
/// so the text is the same from run to run): `{"obj_type":"docx","file_extension":"md"}`.
/// Keys and values are JSON-escaped, so a value with quotes or backslashes stays one string.
pub fn json_object_text(members: &[(&str, &str)]) -> String {
    let mut text = String::from("{");
    for (i, (key, value)) in members.iter().enumerate() {
        if i > 0 {
            text.push(',');
        }
        text.push_str(&json_string(key));
        text.push(':');
        text.push_str(&json_string(value));
    }
    text.push('}');
    text
}

fn json_string(text: &str) -> String {
    // Serializing a `&str` cannot fail.
    serde_json::to_string(text).unwrap_or_default()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_path_gives_its_file_name_and_extension_as_written() {
        let path = Path::new("/tmp/reports/Q3 notes.MD");
        assert_eq!(file_name_of(path), "Q3 notes.MD");
        assert_eq!(extension_of(path), "MD");
        assert_eq!(extension_of(Path::new("archive.tar.gz")), "gz");
        assert_eq!(extension_of(Path::new("README")), "");
        assert_eq!(extension_of(Path::new(".profile")), "");
        assert_eq!(file_name_of(Path::new("/")), "");
    }

    #[test]
    fn members_keep_their_order_and_are_escaped() {
        assert_eq!(
            json_object_text(&[("obj_type", "docx"), ("file_extension", "md")]),
            r#"{"obj_type":"docx","file_extension":"md"}"#
        );
        let text = json_object_text(&[("name", "a \"quoted\"\\ name\n")]);
        let value: serde_json::Value = serde_json::from_str(&text).unwrap();
        assert_eq!(value["name"], "a \"quoted\"\\ name\n");
        assert_eq!(json_object_text(&[]), "{}");
    }
}
