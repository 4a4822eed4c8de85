//! Listing any paginated endpoint by its id to its end and describing the outcome without
//! its types: what spec-driven tests of the list rules need. The generated
//! `taskapi::testing::list_by_id` makes the calls; this module describes them.

use super::called::CalledError;
use crate::{BuildError, EndpointError, Items, PageError, Paginated};
use serde::Serialize;

/// What listing an endpoint to its end came to.
#[derive(Debug)]
#[non_exhaustive]
pub struct Listed {
    /// Every item yielded, in order, as JSON with wire names.
    pub items: Vec<serde_json::Value>,
    /// Pages read.
    pub pages_read: u32,
    /// Why the list ended early; `None` when it reached its end.
    pub error: Option<ListedError>,
}

/// Why a list ended early: the runtime's [`PageError`], its failed page's error described
/// without its type, or a client that could not be built.
#[derive(Debug)]
#[non_exhaustive]
pub enum ListedError {
    /// The list ended at a page (see [`PageError`]).
    Page(PageError<CalledError>),
    /// The client could not be built from the settings.
    NotBuilt(BuildError),
}

impl Listed {
    /// Reads `items` to its end.
    pub async fn of<R>(mut items: Items<R>) -> Self
    where
        R: Paginated,
        R::Item: Serialize,
        R::Error: EndpointError + std::fmt::Debug,
    {
        let mut listed = Listed {
            items: Vec::new(),
            pages_read: 0,
            error: None,
        };
        while let Some(next) = items.next().await {
            match next {
                Ok(item) => listed.items.push(
                    serde_json::to_value(&item)
                        .unwrap_or_else(|e| format!("unprintable item: {e}").into()),
                ),
                Err(error) => {
                    listed.error = Some(ListedError::of(error));
                    break;
                }
            }
        }
        listed.pages_read = items.pages_read();
        listed
    }

    /// A list whose client could not be built.
    pub fn not_built(error: BuildError) -> Self {
        Listed {
            items: Vec::new(),
            pages_read: 0,
            error: Some(ListedError::NotBuilt(error)),
        }
    }
}

impl ListedError {
    fn of<E: EndpointError + std::fmt::Debug>(error: PageError<E>) -> Self {
        ListedError::Page(error.map_call(|e| CalledError::of(&e)))
    }
}
