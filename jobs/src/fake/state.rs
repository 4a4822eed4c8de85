//! The model as the tree's handle and the server's responders share it, and the one way to
//! lock it: with every task whose time has come ended first (`due.rs`), so that an import
//! finishes and a wiki move happens when they are due whether or not anyone polls them, as
//! on the real server, although nothing runs in the background.

use super::due;
use super::model::Model;
use std::sync::{Arc, Mutex, MutexGuard};
use taskapi::runtime::testing::{Recorded, Responded, Responder};

/// The model as the tree and the server's responders share it.
pub(crate) type Shared = Arc<Mutex<Model>>;

/// The model, locked, its due tasks ended. A panic elsewhere while holding the lock leaves
/// data that is still consistent enough to serve, so a poisoned lock is taken as it is (a
/// responder must not panic).
pub(crate) fn lock(shared: &Shared) -> MutexGuard<'_, Model> {
    let mut model = shared.lock().unwrap_or_else(|e| e.into_inner());
    due::settle(&mut model);
    model
}

/// How a route answers, from the model.
pub(crate) type Answer = fn(&Shared, &Recorded) -> Responded;

/// Each route id with its answer, as the fake server's responders, sharing `tree`.
pub(crate) fn responders(
    tree: &Shared,
    routes: &[(&'static str, Answer)],
) -> Vec<(&'static str, Responder)> {
    routes
        .iter()
        .map(|&(id, answer)| {
            let tree = tree.clone();
            (
                id,
                Arc::new(move |r: &Recorded| Some(answer(&tree, r))) as Responder,
            )
        })
        .collect()
}
