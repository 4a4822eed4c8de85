//! The two listings a backup walks: `feishu.drive.file.list` (one folder's children, by
//! `folder_token`) and `feishu.wiki.space_node.list` (one node's children, by
//! `parent_node_token`), paged by a position in the parent's children (`wire::page`), with
//! the documented codes for what a real server refuses.

use super::model::{Model, ROOT_FOLDER, SPACE_ID, Source};
use super::state::{self, Shared, lock};
use super::wire::{self, BadSize, error, ok};
use serde_json::{Value, json};
use taskapi::runtime::testing::{Recorded, Responded, Responder};

/// The owner every item has.
const OWNER: &str = "ou_fa4e0000000000000000000000000000";

/// The responders of both listings.
pub(crate) fn responders(tree: &Shared) -> Vec<(&'static str, Responder)> {
    state::responders(
        tree,
        &[
            ("feishu.drive.file.list", list_files),
            ("feishu.wiki.space_node.list", list_wiki_nodes),
        ],
    )
}

/// A Drive item's browser URL, by its type.
pub(crate) fn url(kind: &str, token: &str) -> String {
    let path = match kind {
        "docx" => "docx",
        "doc" => "docs",
        "sheet" => "sheets",
        "bitable" => "base",
        "mindnote" => "mindnotes",
        "slides" => "slides",
        "folder" => "drive/folder",
        _ => "file",
    };
    format!("https://fake.feishu.cn/{path}/{token}")
}

/// A Drive item as `files[]` has it.
fn drive_file(model: &Model, i: usize) -> Value {
    let node = &model.nodes[i];
    let mut file = json!({
        "token": node.token,
        "name": node.title,
        "type": node.kind,
        "parent_token": node.parent.clone().unwrap_or_default(),
        "url": url(node.kind, &node.token),
        "created_time": node.created.to_string(),
        "modified_time": node.modified.to_string(),
        "owner_id": OWNER,
    });
    if let Some(target) = node.shortcut.as_ref() {
        let kind = model
            .by_token
            .get(target)
            .map_or("file", |&t| model.nodes[t].kind);
        file["shortcut_info"] = json!({"target_token": target, "target_type": kind});
        file["url"] = json!(url(kind, target));
    }
    file
}

/// The tree's root folder as the drive's root lists it: not a node of the tree.
fn root_folder() -> Value {
    json!({
        "token": ROOT_FOLDER,
        "name": "Fake tree",
        "type": "folder",
        "parent_token": "",
        "url": url("folder", ROOT_FOLDER),
        "created_time": "1600000000",
        "modified_time": "1600000000",
        "owner_id": OWNER,
    })
}

/// `GET /open-apis/drive/v1/files`: `1064001` for a page size over 200, `1061002` (params
/// error) for a bad page size or page token, `1061003` (not found, 404) for an unknown
/// folder, `1061007` (deleted, 404) for a deleted one, `1061002` for a token that is no
/// folder. No `folder_token`: the drive's root, holding the tree's root folder first, then
/// what was created there.
fn list_files(tree: &Shared, request: &Recorded) -> Responded {
    let query = wire::query(request);
    let size = match wire::page_size(query.get("page_size"), 100, 200) {
        Ok(size) => size,
        Err(BadSize::TooLarge) => return error(400, 1064001, "page size out of limit."),
        Err(BadSize::Invalid) => return error(400, 1061002, "params error."),
    };
    let folder = query.get("folder_token").map_or("", String::as_str);
    let model = lock(tree);
    if !folder.is_empty() && folder != ROOT_FOLDER {
        match model.by_token.get(folder).map(|&i| &model.nodes[i]) {
            Some(node) if node.source == Source::Drive && node.kind == "folder" => {
                if node.deleted {
                    return error(404, 1061007, "file has been delete.");
                }
            }
            Some(node) if node.source == Source::Drive => {
                return error(400, 1061002, "params error.");
            }
            _ => return error(404, 1061003, "not found."),
        }
    }
    // The root folder, at the drive's root, is no node: it stands in the list as `ROOT`.
    const ROOT: usize = usize::MAX;
    let mut children = Vec::new();
    if folder.is_empty() {
        children.push(ROOT);
    }
    if let Some(placed) = model.children.get(&(Source::Drive, folder.to_owned())) {
        children.extend(placed);
    }
    let live = |i: usize| i == ROOT || model.listed_in(i, Source::Drive, folder);
    let Some(page) = wire::page(&children, live, query.get("page_token"), size) else {
        return error(400, 1061002, "params error.");
    };
    let files: Vec<Value> = page
        .items
        .iter()
        .map(|&i| match i {
            ROOT => root_folder(),
            _ => drive_file(&model, i),
        })
        .collect();
    let mut data = json!({"files": files, "has_more": page.next.is_some()});
    if let Some(next) = page.next {
        data["next_page_token"] = json!(next);
    }
    ok(data)
}

/// A wiki node as `items[]` has it; a shortcut shows its origin's object.
pub(crate) fn wiki_node(model: &Model, i: usize) -> Value {
    let node = &model.nodes[i];
    let origin = &model.nodes[model.origin(i)];
    json!({
        "space_id": SPACE_ID,
        "node_token": node.token,
        "obj_token": origin.obj_token,
        "obj_type": origin.kind,
        "parent_node_token": node.parent.clone().unwrap_or_default(),
        "node_type": if node.shortcut.is_some() { "shortcut" } else { "origin" },
        "origin_node_token": origin.token,
        "origin_space_id": SPACE_ID,
        "has_child": model.has_children(i),
        "title": origin.title,
        "obj_create_time": origin.created.to_string(),
        "obj_edit_time": origin.modified.to_string(),
        "node_create_time": node.node_created.to_string(),
        "creator": OWNER,
        "owner": OWNER,
        "node_creator": OWNER,
    })
}

/// `GET /open-apis/wiki/v2/spaces/{space_id}/nodes`: `131005` (not found) for another
/// space or an unknown or deleted parent node, `131002` (param err) for a page size over 50
/// or not a number, or a page token this fake did not give. All HTTP 400, as documented.
/// The page size defaults to 20 (the page gives no default).
fn list_wiki_nodes(tree: &Shared, request: &Recorded) -> Responded {
    let space = wire::segment(&request.path, "/open-apis/wiki/v2/spaces/", "/nodes");
    if space.as_deref() != Some(SPACE_ID) {
        return error(400, 131005, "not found");
    }
    let query = wire::query(request);
    let Ok(size) = wire::page_size(query.get("page_size"), 20, 50) else {
        return error(400, 131002, "param err");
    };
    let parent = query.get("parent_node_token").map_or("", String::as_str);
    let model = lock(tree);
    if !parent.is_empty() {
        match model.by_token.get(parent).map(|&i| &model.nodes[i]) {
            Some(node) if node.source == Source::Wiki && !node.deleted => {}
            _ => return error(400, 131005, "not found"),
        }
    }
    let empty = Vec::new();
    let children = model
        .children
        .get(&(Source::Wiki, parent.to_owned()))
        .unwrap_or(&empty);
    let live = |i: usize| model.listed_in(i, Source::Wiki, parent);
    let Some(page) = wire::page(children, live, query.get("page_token"), size) else {
        return error(400, 131002, "param err");
    };
    let items: Vec<Value> = page.items.iter().map(|&i| wiki_node(&model, i)).collect();
    let mut data = json!({"items": items, "has_more": page.next.is_some()});
    if let Some(next) = page.next {
        data["page_token"] = json!(next);
    }
    ok(data)
}
