//! A target's verdict, as every section words it: a miss in bold, to stand out in the tables.

/// `met`, or `**missed**`.
pub fn met(ok: bool) -> &'static str {
    if ok { "met" } else { "**missed**" }
}
