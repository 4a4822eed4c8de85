//! Wiki nodes made (`feishu.wiki.space_node.create`) and Drive documents moved into the
//! wiki: `feishu.wiki.space_node.move_docs_to_wiki`
//! (answered alternately: the 1st, 3rd, ... move done at once with its `wiki_token`, the
//! 2nd, 4th, ... as a task, so a client meets both replies the page shows) and
//! `feishu.wiki.task.get` (the task processing, then its node or why it failed). A moved
//! document leaves its folder's listing and is listed in the wiki, same object and title.

use super::list_routes::wiki_node;
use super::model::{SPACE_ID, Source};
use super::place;
use super::state::{self, Shared, lock};
use super::wire::{self, error, ok};
use super::written::{Due, Move};
use serde_json::{Value, json};
use std::time::Duration;
use taskapi::runtime::testing::{Recorded, Responded, Responder};
use tokio::time::Instant;

/// The responders of both routes.
pub(crate) fn responders(tree: &Shared) -> Vec<(&'static str, Responder)> {
    state::responders(
        tree,
        &[
            ("feishu.wiki.space_node.create", create_node),
            ("feishu.wiki.space_node.move_docs_to_wiki", move_docs),
            ("feishu.wiki.task.get", task),
        ],
    )
}

/// `131002` (param err) and `131005` (not found), both HTTP 400 as the pages give them.
fn param_err() -> Responded {
    error(400, 131002, "param err")
}

fn not_found() -> Responded {
    error(400, 131005, "not found")
}

/// `POST /open-apis/wiki/v2/spaces/{space_id}/nodes`: an origin node of a new document
/// (`docx`, `sheet`, ... as `obj_type` says) titled `title`, under `parent_node_token` or at
/// the top; two of the same title are allowed, as on the real server. Another space or a
/// parent that is no node: `131005`; a body without `obj_type` and `node_type`, or a node
/// type other than `origin`: `131002`.
fn create_node(tree: &Shared, request: &Recorded) -> Responded {
    let space = wire::segment(&request.path, "/open-apis/wiki/v2/spaces/", "/nodes");
    if space.as_deref() != Some(SPACE_ID) {
        return not_found();
    }
    let Ok(body) = serde_json::from_slice::<Value>(&request.body) else {
        return param_err();
    };
    let kind = match body["obj_type"].as_str() {
        Some("docx") => "docx",
        Some("sheet") => "sheet",
        Some("bitable") => "bitable",
        Some("mindnote") => "mindnote",
        _ => return param_err(),
    };
    if body["node_type"].as_str() != Some("origin") {
        return param_err();
    }
    let parent = body["parent_node_token"].as_str().filter(|p| !p.is_empty());
    let mut model = lock(tree);
    if !place::wiki_parent(&model, parent) {
        return not_found();
    }
    let title = body["title"].as_str().unwrap_or_default().to_owned();
    let time = place::unix_after(Duration::ZERO);
    let i = place::add_wiki_node(&mut model, kind, parent.map(str::to_owned), title, time);
    model.writes.wiki_node_creates += 1;
    ok(json!({"node": wiki_node(&model, i)}))
}

/// `POST /open-apis/wiki/v2/spaces/{space_id}/nodes/move_docs_to_wiki`: another space, a
/// `parent_wiki_token` that is no node (or a shortcut, or deleted), or an `obj_token` that
/// is no document: `131005`; a body without `obj_type` and `obj_token`, or an `obj_type`
/// not the document's: `131002`. A document in the wiki already: its node token at once
/// (the page: 文档已在Wiki中，则直接返回结果), not counted as a move.
fn move_docs(tree: &Shared, request: &Recorded) -> Responded {
    let path = "/open-apis/wiki/v2/spaces/";
    let space = wire::segment(&request.path, path, "/nodes/move_docs_to_wiki");
    if space.as_deref() != Some(SPACE_ID) {
        return not_found();
    }
    let Ok(body) = serde_json::from_slice::<Value>(&request.body) else {
        return param_err();
    };
    let (Some(obj_type), Some(obj_token)) = (body["obj_type"].as_str(), body["obj_token"].as_str())
    else {
        return param_err();
    };
    let parent = body["parent_wiki_token"].as_str().filter(|p| !p.is_empty());
    let mut model = lock(tree);
    if !place::wiki_parent(&model, parent) {
        return not_found();
    }
    let Some(i) = model.by_obj.get(obj_token).copied() else {
        return not_found();
    };
    let node = &model.nodes[i];
    if node.deleted {
        return not_found();
    }
    if node.kind != obj_type {
        return param_err();
    }
    if node.source == Source::Wiki {
        return ok(json!({"wiki_token": node.token}));
    }
    let parent = parent.map(str::to_owned);
    model.writes.wiki_moves += 1;
    if model.writes.wiki_moves % 2 == 1 {
        let time = place::unix_after(Duration::ZERO);
        let token = place::move_to_wiki(&mut model, i, parent, time);
        return ok(json!({"wiki_token": token}));
    }
    model.writes.next_task += 1;
    let n = model.writes.next_task;
    // Shaped as the page's: digits, a dash, 40 hex digits.
    let task_id = format!("{}-{n:040x}", 7_037_044_037_068_177_428u64 + n);
    let ready = model.writes.move_ready;
    let task = Move {
        obj_token: obj_token.to_owned(),
        parent,
        done_unix: place::unix_after(ready),
        ended: None,
    };
    model.writes.moves.insert(task_id.clone(), task);
    let due = (Instant::now() + ready, Due::Move(task_id.clone()));
    model.writes.due.push(due);
    ok(json!({"task_id": task_id}))
}

/// `GET /open-apis/wiki/v2/tasks/{task_id}?task_type=move`: one `move_result`, status 1
/// (processing) until the move's time has come, then 0 with the node, or -1 with the
/// reason (`source not exist`: the document was deleted meanwhile). A `task_type` other
/// than `move`: `131002`; an unknown task: `131005`.
fn task(tree: &Shared, request: &Recorded) -> Responded {
    let Some(task_id) = wire::segment(&request.path, "/open-apis/wiki/v2/tasks/", "") else {
        return not_found();
    };
    if wire::query(request).get("task_type").map(String::as_str) != Some("move") {
        return param_err();
    }
    let model = lock(tree);
    let Some(task) = model.writes.moves.get(&task_id) else {
        return not_found();
    };
    let result = match &task.ended {
        None => json!({"status": 1, "status_msg": "processing"}),
        Some(Ok(i)) => json!({"node": wiki_node(&model, *i), "status": 0, "status_msg": "success"}),
        Some(Err(why)) => json!({"status": -1, "status_msg": why}),
    };
    ok(json!({"task": {"task_id": task_id, "move_result": [result]}}))
}
