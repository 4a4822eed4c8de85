//! Where a finished upload lands when the uploads write to a tree: a file into a folder
//! becomes an item of that folder (which must be a folder of the tree), an import source is
//! kept for the tree's import tasks; anything else lands nowhere in it.

use super::incoming::Stated;
use super::model::Model;
use super::place::{self, Refusal};
use super::state::{Shared, lock};
use super::wire::error;
use super::written::{Content, Media};
use serde_json::Value;
use std::time::Duration;
use taskapi::runtime::testing::Responded;

/// The folder a file into a folder goes to, checked: its children's depth.
fn folder(tree: &Model, stated: &Stated) -> Result<u8, Refusal> {
    // The upload pages take a folder's token; unlike create folder's, they do not say that
    // an empty one means the drive's root.
    if stated.folder.is_empty() {
        return Err(Refusal::Missing);
    }
    place::folder(tree, &stated.folder)
}

/// A folder refused, in the upload pages' codes (the prepare page has no `1061041`).
fn refused(refusal: Refusal, at_prepare: bool) -> Responded {
    match refusal {
        Refusal::Deleted if !at_prepare => error(400, 1061041, "parent node has been deleted."),
        Refusal::Full => error(400, 1062507, "parent node out of sibling num."),
        _ => error(400, 1061044, "parent node not exist."),
    }
}

/// At prepare, before any part is taken: refuses a file into a folder the tree does not
/// have (nothing to check without a tree, or for media).
pub(crate) fn admit(tree: Option<&Shared>, stated: &Stated) -> Result<(), Responded> {
    match tree {
        Some(tree) if stated.parent_type == "explorer" => folder(&lock(tree), stated)
            .map(drop)
            .map_err(|r| refused(r, true)),
        _ => Ok(()),
    }
}

/// Puts a complete upload into the tree: its token there, `None` when it lands nowhere in
/// it (no tree, or a media type other than an import source); the folder's refusal when it
/// is gone or full.
pub(crate) fn land(
    tree: Option<&Shared>,
    stated: &Stated,
    content: &Content,
) -> Result<Option<String>, Responded> {
    let Some(tree) = tree else {
        return Ok(None);
    };
    let mut tree = lock(tree);
    match stated.parent_type.as_str() {
        "explorer" => {
            let depth = folder(&tree, stated).map_err(|r| refused(r, false))?;
            let time = place::unix_after(Duration::ZERO);
            let at = (stated.folder.as_str(), depth);
            let token = place::add(
                &mut tree,
                "file",
                at,
                stated.name.clone(),
                time,
                content.len,
            );
            tree.writes.contents.insert(token.clone(), content.clone());
            tree.writes.file_creates += 1;
            Ok(Some(token))
        }
        "ccm_import_open" => {
            let token = place::media_token(&mut tree);
            let extra: Value = stated
                .extra
                .as_deref()
                .and_then(|e| serde_json::from_str(e).ok())
                .unwrap_or_default();
            let field = |name: &str| extra[name].as_str().map(str::to_owned);
            let media = Media {
                name: stated.name.clone(),
                content: content.clone(),
                obj_type: field("obj_type"),
                extension: field("file_extension"),
            };
            tree.writes.media.insert(token.clone(), media);
            Ok(Some(token))
        }
        _ => Ok(None),
    }
}
