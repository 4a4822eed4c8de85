//! A fixed value a spec writes for a field or parameter (a chain's feed, an upload's field),
//! as Rust code builds it.

use crate::spec::{EnumSpec, FixedValue};

/// A fixed value as Rust code builds it.
#[derive(Debug, Clone, PartialEq)]
pub enum Fixed {
    /// A variant of the next request's enum (its name, the variant's), or of a shared
    /// enum (the provider's `types` module's).
    Variant {
        enumeration: String,
        variant: String,
        shared: bool,
    },
    Text(String),
    Integer(i64),
    Boolean(bool),
}

/// The value validation read (`fixed_value`), with the enum of the field it sets.
pub(super) fn fixed(value: FixedValue, enumeration: Option<&EnumSpec>) -> Option<Fixed> {
    Some(match value {
        FixedValue::Variant(variant) => {
            let enumeration = enumeration?;
            Fixed::Variant {
                enumeration: enumeration.name.value.clone(),
                variant,
                shared: enumeration.shared,
            }
        }
        FixedValue::Text(text) => Fixed::Text(text),
        FixedValue::Integer(n) => Fixed::Integer(n),
        FixedValue::Boolean(b) => Fixed::Boolean(b),
    })
}
