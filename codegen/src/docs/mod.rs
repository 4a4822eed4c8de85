//! Doc pages beside the specs (`docs/<provider>/...`, named by each spec's `doc:` key), read
//! by the `docread` crate. From the bottom up: `draft` turns a page into a draft spec (the
//! page in the spec's terms); `compare` compares a page, through its draft, with a spec, fact
//! by fact, each difference named as `overrides:` names it; `check` runs the comparison for
//! every spec that cites a page and locates each difference in both files; `import` drafts a
//! spec from a page, lists the comparison's differences, or writes them into the spec.

pub mod check;
pub mod compare;
pub mod draft;
pub mod import;
