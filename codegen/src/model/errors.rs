//! Documented error codes, each with the variant name its error enum gives it.

use crate::naming;
use crate::spec::{Code, CodeType, ErrorSpec};

#[derive(Debug, Clone)]
pub struct ErrorCase {
    pub code: Code,
    pub variant: String,
    pub message: String,
    pub hint: String,
    pub http_status: Option<u16>,
    pub retryable: bool,
}

pub(super) fn error_case(e: &ErrorSpec, code_type: CodeType) -> Option<ErrorCase> {
    let variant = match &e.name {
        Some(name) => name.value.clone(),
        None => naming::error_variant_from_message(&e.message.value)?,
    };
    Some(ErrorCase {
        code: Code::parse(code_type, &e.code.value).ok()?,
        variant,
        message: e.message.value.clone(),
        hint: e.hint.clone(),
        http_status: e.http_status.as_ref().map(|s| s.value),
        retryable: e.retryable,
    })
}
