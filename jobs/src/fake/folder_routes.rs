//! `feishu.drive.file.create_folder`: a folder made in a folder of the tree (or the drive's
//! root), listed last there and listable itself. Two folders of one name in one parent are
//! allowed, as on the real server: that duplicate is what a test of a job that creates
//! folders must be able to see.

use super::list_routes::url;
use super::place::{self, Refusal};
use super::state::{self, Shared, lock};
use super::wire::{error, ok};
use serde_json::{Value, json};
use std::time::Duration;
use taskapi::runtime::testing::{Recorded, Responded, Responder};

/// The longest name the page allows, in bytes.
const NAME_MAX_BYTES: usize = 256;

/// The route's responder.
pub(crate) fn responders(tree: &Shared) -> Vec<(&'static str, Responder)> {
    state::responders(tree, &[("feishu.drive.file.create_folder", create_folder)])
}

/// `POST /open-apis/drive/v1/files/create_folder` with `{name, folder_token}`: the new
/// folder's `{token, url}`. A body without both strings, a name empty or over 256 bytes, or
/// a parent that is a Drive item but no folder: `1061002` (params error); an unknown parent:
/// `1061003` (not found, 404); a deleted one: `1061007` (404); a parent with 1500 children:
/// `1062507`. An empty `folder_token` is the drive's root, as the page says.
fn create_folder(tree: &Shared, request: &Recorded) -> Responded {
    let params_error = || error(400, 1061002, "params error.");
    let Ok(body) = serde_json::from_slice::<Value>(&request.body) else {
        return params_error();
    };
    let (Some(name), Some(parent)) = (body["name"].as_str(), body["folder_token"].as_str()) else {
        return params_error();
    };
    if name.is_empty() || name.len() > NAME_MAX_BYTES {
        return params_error();
    }
    let mut model = lock(tree);
    let depth = match place::folder(&model, parent) {
        Ok(depth) => depth,
        Err(Refusal::Missing) => return error(404, 1061003, "not found."),
        Err(Refusal::Deleted) => return error(404, 1061007, "file has been delete."),
        Err(Refusal::NotFolder) => return params_error(),
        Err(Refusal::Full) => return error(400, 1062507, "parent node out of sibling num."),
    };
    let time = place::unix_after(Duration::ZERO);
    let token = place::add(
        &mut model,
        "folder",
        (parent, depth),
        name.to_owned(),
        time,
        0,
    );
    model.writes.folder_creates += 1;
    ok(json!({"token": token, "url": url("folder", &token)}))
}
