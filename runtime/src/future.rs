//! [`BoxFuture`]: the boxed future of the runtime's object-safe traits (token sources,
//! shared state, download sinks, pollers). A leaf: it uses nothing of the crate.

use std::future::Future;
use std::pin::Pin;

/// A boxed future, so that traits with async methods can be trait objects.
pub type BoxFuture<'a, T> = Pin<Box<dyn Future<Output = T> + Send + 'a>>;
