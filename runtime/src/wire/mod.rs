//! How generated types travel as JSON: [`Record`] for structs (read and written field by
//! field, by loops written once here instead of a derive per struct), and the formats serde
//! has no name for, such as an `i64` carried as a string ([`Int64String`]).

mod int64;
mod record;

pub use int64::{Int64String, int64_string, int64_string_opt};
pub use record::{Placeholder, Record, read, write};
