//! Checks a loaded spec set for everything the decoder cannot see on its own: names that
//! collide after case conversion, path templates that disagree with their parameters,
//! duplicate codes, values of the wrong type. Every problem is reported, each located.
//!
//! One file per part of a spec: `provider.rs` (a provider file, its hosts and token
//! endpoint), `endpoint.rs` (an endpoint file: id, operation, path and parameters),
//! `request.rs` (parameter types and bodies), `errors.rs` (error tables), `types.rs`
//! (objects, fields and enums, and the type names they claim), `waiter.rs` (a waiter against
//! its reply and rate limit, with `waiter_each.rs` for a status read in an array's
//! elements), `chain.rs` (`starts` and `download` against the endpoints they name, with
//! `before.rs` and `before_start.rs` for the upload a start may take first),
//! `pagination.rs` (a list's parameters and reply fields); `report.rs` is how they all
//! record a problem.

mod before;
mod before_start;
mod chain;
mod endpoint;
mod errors;
mod pagination;
mod provider;
mod report;
mod request;
mod types;
mod waiter;
mod waiter_each;

use crate::diag::Diagnostics;
use crate::load::SpecSet;
use report::report;
use std::collections::BTreeMap;

pub fn validate(set: &SpecSet) -> Diagnostics {
    let mut diags = Diagnostics::default();
    let mut ids: BTreeMap<&str, &str> = BTreeMap::new();
    // The fake server has one scripting method per endpoint, named by its operation, for
    // every provider: operations are one namespace across providers.
    let mut operations: BTreeMap<&str, (&str, &str)> = BTreeMap::new();
    for dir in &set.providers {
        provider::validate_provider(dir, &mut diags);
        for endpoint in &dir.endpoints {
            if let Some(first) = ids.insert(&endpoint.id.value, &endpoint.file) {
                report(
                    &mut diags,
                    &endpoint.file,
                    &endpoint.id,
                    format!("duplicate endpoint id (also in {first})"),
                );
            }
            let here = (dir.dir_name.as_str(), endpoint.file.as_str());
            // Within a provider, the provider's own check reports a second claim.
            if let Some((provider, first)) = operations.insert(&endpoint.operation.value, here)
                && provider != here.0
            {
                report(
                    &mut diags,
                    &endpoint.file,
                    &endpoint.operation,
                    format!(
                        "operation `{}` is also {first}'s: the fake server's scripting \
                         methods (`FakeServer::{}`) are one namespace across providers",
                        endpoint.operation.value, endpoint.operation.value
                    ),
                );
            }
        }
    }
    diags
}
