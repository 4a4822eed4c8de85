//! Tasks that end by themselves: an import task makes its document (or fails) and a wiki
//! move moves its document, each at its due time. Ended when the model is next locked
//! (`state::lock`), in the order they came due, so what anyone sees afterwards is what a
//! server working in the background would show.

use super::model::{Model, Source};
use super::place::{self, Refusal};
use super::written::Due;
use tokio::time::Instant;

/// Ends every task due by now, earliest first (ties in the order they were started).
pub(crate) fn settle(model: &mut Model) {
    if model.writes.due.is_empty() {
        return;
    }
    let now = Instant::now();
    let (mut ended, waiting): (Vec<_>, Vec<_>) = std::mem::take(&mut model.writes.due)
        .into_iter()
        .partition(|(at, _)| *at <= now);
    model.writes.due = waiting;
    ended.sort_by_key(|(at, _)| *at);
    for (_, due) in ended {
        match due {
            Due::Import(ticket) => end_import(model, &ticket),
            Due::Move(task_id) => end_move(model, &task_id),
        }
    }
}

/// The import `ticket` ends: its injected or decided failure, else its document in its
/// folder (`117` if the folder was deleted since the create, `105` if it is full).
fn end_import(model: &mut Model, ticket: &str) {
    let Some(import) = model.writes.imports.get(ticket).cloned() else {
        return;
    };
    let ended = match import.fails_with {
        Some(status) => Err(status),
        None => match place::folder(model, &import.mount) {
            Ok(depth) => {
                let token = place::add(
                    model,
                    import.kind,
                    (&import.mount, depth),
                    import.title.clone(),
                    import.done_unix,
                    import.content.len,
                );
                model.writes.contents.insert(token.clone(), import.content);
                Ok(token)
            }
            Err(Refusal::Deleted) => Err(117),
            Err(Refusal::Full) => Err(105),
            Err(Refusal::Missing | Refusal::NotFolder) => Err(119),
        },
    };
    if let Some(import) = model.writes.imports.get_mut(ticket) {
        import.ended = Some(ended);
    }
}

/// The move `task_id` ends: the document moved (or found moved already), else why not, in
/// the page's `status_msg` words.
fn end_move(model: &mut Model, task_id: &str) {
    let Some(task) = model.writes.moves.get(task_id).cloned() else {
        return;
    };
    let ended = match model.by_obj.get(&task.obj_token).copied() {
        Some(i) if model.nodes[i].deleted => Err("source not exist"),
        Some(i) if model.nodes[i].source == Source::Wiki => Ok(i),
        Some(_) if !place::wiki_parent(model, task.parent.as_deref()) => Err("failure"),
        Some(i) => {
            place::move_to_wiki(model, i, task.parent.clone(), task.done_unix);
            Ok(i)
        }
        None => Err("source not exist"),
    };
    if let Some(task) = model.writes.moves.get_mut(task_id) {
        task.ended = Some(ended);
    }
}
