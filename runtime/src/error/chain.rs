//! An error and its causes as one line of text.

/// The error's text followed by its causes' (`source()` chain), as one line:
/// `outer: inner: innermost`.
pub fn with_causes(error: &dyn std::error::Error) -> String {
    let mut text = error.to_string();
    let mut source = error.source();
    while let Some(cause) = source {
        text.push_str(": ");
        text.push_str(&cause.to_string());
        source = cause.source();
    }
    text
}
