//! A wiki space as the target: a directory becomes a node (a document that holds its
//! children), and a file, once staged in the run's Drive folder, is moved under its
//! directory's node. A move makes nothing new (the document is the same), so a move whose
//! outcome is unknown is looked for under the node, then sent again.

use super::context::{Context, Place};
use super::entries;
use super::entry::{Entry, EntryState};
use super::event::Event;
use super::failed::CreateFailed;
use crate::step::{Severity, Stop};
use taskapi::feishu::{
    CreateWikiNodeObjType, CreateWikiNodeType, MoveDocsToWikiObjType, WikiNode, WikiTaskType,
};
use taskapi::runtime::{WaitOutcome, with_causes};

/// A node titled `title` created under `parent` (`""`: the space's top level): its token.
pub(super) async fn create_node(
    cx: &Context,
    space_id: &str,
    parent: &str,
    title: &str,
) -> Result<Option<String>, CreateFailed> {
    let mut request = cx
        .client
        .create_wiki_node(
            space_id,
            CreateWikiNodeObjType::Docx,
            CreateWikiNodeType::Origin,
        )
        .title(title);
    if !parent.is_empty() {
        request = request.parent_node_token(parent);
    }
    request
        .send()
        .await
        .map(|reply| reply.node.and_then(|node| node.node_token))
        .map_err(CreateFailed::of)
}

/// Every node directly under `parent` (`""`: the top level), every page read.
pub(super) async fn nodes_under(
    cx: &Context,
    space_id: &str,
    parent: &str,
) -> Result<Vec<WikiNode>, Stop> {
    let mut request = cx.client.list_wiki_nodes(space_id);
    if !parent.is_empty() {
        request = request.parent_node_token(parent);
    }
    let mut items = request.items();
    let mut nodes = Vec::new();
    while let Some(node) = items.next().await {
        nodes.push(node.map_err(Stop::from_page)?);
    }
    Ok(nodes)
}

/// A staged `entry` moved under the node `parent`, and recorded done with its node.
pub(super) async fn move_into_wiki(cx: &Context, parent: &str, entry: &Entry) -> Result<(), Stop> {
    let Place::Wiki { space_id, .. } = &cx.place else {
        return Err(Stop::Item("a staged entry outside a wiki migration".into()));
    };
    let obj_token = entry.token.clone().unwrap_or_default();
    let obj_type = MoveDocsToWikiObjType::from(entry.remote_kind().to_owned());
    let mut request = cx
        .client
        .move_docs_to_wiki(space_id.as_str(), obj_type, obj_token.as_str());
    if !parent.is_empty() {
        request = request.parent_wiki_token(parent);
    }
    let moved = match request.send().await {
        Ok(reply) => {
            let nonempty = |t: &String| !t.is_empty();
            match (
                reply.wiki_token.filter(nonempty),
                reply.task_id.filter(nonempty),
            ) {
                (Some(node), _) => Ok(Some(node)),
                (None, Some(task)) => wait_move(cx, &task, &obj_token).await,
                (None, None) => Ok(None),
            }
        }
        Err(e) => match Severity::of(&e) {
            Severity::Item => Err(with_causes(&e)),
            severity => return Err(Stop::with(severity, e)),
        },
    };
    // Whatever the reply said, the node is what counts: looked for under the parent.
    let node = match moved {
        Ok(Some(node)) => node,
        other => {
            let found = moved_node(cx, space_id, parent, &obj_token).await?;
            match (found, other) {
                (Some(node), _) => node,
                (None, Err(error)) => {
                    return Err(Stop::Item(format!(
                        "the move into the wiki failed: {error}"
                    )));
                }
                (None, Ok(_)) => {
                    return Err(Stop::Item("the move into the wiki made no node".into()));
                }
            }
        }
    };
    let (id, token) = (entry.id, node.clone());
    cx.record(move |r| entries::set(r, id, EntryState::Done, vec![("token", Some(token))]))
        .await?;
    cx.emit(Event::Done {
        path: entry.path.clone(),
        token: node,
    });
    Ok(())
}

/// The node of `obj_token` under `parent`, looked for until `reconcile_wait` from now: a
/// move answered as a task may end after its reply was lost.
async fn moved_node(
    cx: &Context,
    space_id: &str,
    parent: &str,
    obj_token: &str,
) -> Result<Option<String>, Stop> {
    let deadline = tokio::time::Instant::now() + cx.reconcile_wait;
    let mut pause = std::time::Duration::from_millis(250);
    loop {
        let found = nodes_under(cx, space_id, parent)
            .await?
            .into_iter()
            .find(|n| n.obj_token.as_deref() == Some(obj_token))
            .and_then(|n| n.node_token);
        if found.is_some() || tokio::time::Instant::now() >= deadline {
            return Ok(found);
        }
        tokio::time::sleep(pause).await;
        pause = (pause * 2).min(std::time::Duration::from_secs(5));
    }
}

/// A move's task waited for: the node it made for `obj_token`.
async fn wait_move(cx: &Context, task: &str, obj_token: &str) -> Result<Option<String>, String> {
    match cx
        .client
        .wait_wiki_task(task, WikiTaskType::Move)
        .min_delay(cx.poll_delay)
        .await
    {
        Ok(WaitOutcome::Succeeded(data)) => Ok(data
            .task
            .and_then(|t| t.move_result)
            .unwrap_or_default()
            .into_iter()
            .filter_map(|result| result.node)
            .find(|node| node.obj_token.as_deref().is_none_or(|t| t == obj_token))
            .and_then(|node| node.node_token)),
        Ok(WaitOutcome::Failed { message, .. }) => Err(format!(
            "the move's task failed: {}",
            message.unwrap_or_default()
        )),
        Ok(other) => Err(format!("the move's task ended unexpectedly: {other:?}")),
        Err(e) => Err(format!("the move's task did not end: {e}")),
    }
}
