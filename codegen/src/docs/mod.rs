//! Doc pages beside the specs (`docs/<provider>/...`, named by each spec's `doc:` key):
//! `check.rs` compares every fact a page states with its spec; `import.rs` drafts a spec
//! from a page. Pages are read by the `docread` crate.

pub mod check;
pub mod import;
