//! The listing: the source walked folder by folder (or node by node), every page read to
//! its end, each folder's children recorded in one transaction with the names they get on
//! disk. A recorded item keeps its names; a new one claims a free one in its folder.

use super::context::Context;
use super::event::Event;
use super::formats::Plan;
use crate::record::{Listed, Remote, State};
use crate::step::Stop;
use taskapi::feishu::WikiNodeType;
use taskapi::runtime::FolderNames;

/// One child as a listing gives it, whatever the source.
struct Child {
    id: String,
    kind: String,
    obj_token: String,
    title: String,
    modified: Option<String>,
    /// A folder, or a wiki node with children: walked in turn.
    walk: bool,
    /// A wiki node that is a shortcut to a node elsewhere.
    shortcut: bool,
}

/// A container to list: its id (`None`: a wiki space's top level) and its directory.
struct Container {
    id: Option<String>,
    dir: String,
}

/// How a walk ended: complete, or with folders that could not be listed (each reported).
pub(super) struct Walked {
    /// Folders that could not be listed.
    pub(super) failures: u64,
}

/// Walks the source, recording what it finds under `run`.
pub(super) async fn walk(cx: &Context, run: i64) -> Result<Walked, Stop> {
    let root = match &cx.source {
        Remote::Folder { token } => Some(token.clone()),
        Remote::Wiki { parent_node, .. } => parent_node.clone(),
    };
    let mut stack = vec![Container {
        id: root,
        dir: String::new(),
    }];
    let (mut items, mut folders, mut failures) = (0u64, 0u64, 0u64);
    // A folder listed in two places (or in its own subtree, from a confused server) is
    // walked once: the walk ends.
    let mut walked = std::collections::HashSet::new();
    while let Some(container) = stack.pop() {
        if !walked.insert(container.id.clone()) {
            continue;
        }
        let children = match list(cx, container.id.as_deref()).await {
            Ok(children) => children,
            // The top cannot be listed (not found, no permission): nothing can be done, and
            // the provider said so.
            Err(Stop::Item(error)) if folders == 0 => {
                return Err(Stop::Api(format!("cannot list the source: {error}").into()));
            }
            Err(Stop::Item(error)) => {
                failures += 1;
                cx.emit(Event::ListFailed {
                    id: container.id.clone().unwrap_or_default(),
                    error,
                });
                continue;
            }
            Err(stop) => return Err(stop),
        };
        folders += 1;
        items += children.len() as u64;
        let listed = name(cx, run, &container, children).await?;
        for item in listed.iter().rev() {
            if let Some(dir) = item.dir.as_ref().filter(|_| walks(item)) {
                stack.push(Container {
                    id: Some(item.id.clone()),
                    dir: dir.clone(),
                });
            }
        }
        cx.emit(Event::Listed { items, folders });
    }
    Ok(Walked { failures })
}

/// Whether a recorded child is walked: one with a directory that is not a skipped shortcut.
fn walks(item: &Listed) -> bool {
    !(item.state == State::Skipped && item.kind == "shortcut")
}

/// The children recorded, each with its names: the recorded ones for items seen before,
/// new free ones in `container`'s directory otherwise. Directories of folders are made.
async fn name(
    cx: &Context,
    run: i64,
    container: &Container,
    children: Vec<Child>,
) -> Result<Vec<Listed>, Stop> {
    let parent = container.id.clone();
    let ids: Vec<String> = children.iter().map(|c| c.id.clone()).collect();
    let (known, taken) = cx
        .record(move |r| {
            let ids: Vec<&str> = ids.iter().map(String::as_str).collect();
            Ok((r.names_of(&ids)?, r.names_in(parent.as_deref())?))
        })
        .await?;
    let mut names = FolderNames::new();
    for name in &taken {
        names.keep(name);
    }
    let within = |name: String| {
        if container.dir.is_empty() {
            name
        } else {
            format!("{}/{name}", container.dir)
        }
    };
    let mut listed = Vec::with_capacity(children.len());
    for child in children {
        let plan = if child.shortcut {
            Plan::Skip("a wiki shortcut: its node is backed up where it lives".into())
        } else {
            cx.formats.plan(&child.kind)
        };
        let (state, reason) = match &plan {
            Plan::Folder => (State::Folder, None),
            Plan::Skip(reason) => (State::Skipped, Some(reason.clone())),
            Plan::Export(_) | Plan::Download => (State::Listed, None),
        };
        let mut item = Listed::new(
            child.id.clone(),
            container.id.clone(),
            // A wiki shortcut is recorded as one, whatever it points to.
            if child.shortcut {
                "shortcut".into()
            } else {
                child.kind.clone()
            },
            child.obj_token,
            child.title.clone(),
            child.modified,
            state,
            reason,
        );
        match known.get(&child.id) {
            Some(names) => {
                item.path = names.path.clone();
                item.dir = names.dir.clone();
            }
            None => {
                item.path = match &plan {
                    Plan::Export(format) => {
                        Some(names.claim(&child.id, &child.title, Some(format)))
                    }
                    Plan::Download => Some(names.claim(&child.id, &child.title, None)),
                    Plan::Folder | Plan::Skip(_) => None,
                }
                .map(within);
                // A wiki node's folder is named by its title too: its own claim, so that
                // a twin's suffix differs from its document's only if it must.
                item.dir = (child.walk && !child.shortcut)
                    .then(|| within(names.claim(&format!("{}/", child.id), &child.title, None)));
            }
        }
        listed.push(item);
    }
    let dirs: Vec<std::path::PathBuf> = listed
        .iter()
        .filter_map(|item| item.dir.as_ref())
        .map(|dir| cx.dir.join(dir))
        .collect();
    let page = listed.clone();
    cx.record(move |r| {
        r.record_listed(run, &page)?;
        Ok(())
    })
    .await?;
    for dir in dirs {
        tokio::fs::create_dir_all(&dir)
            .await
            .map_err(|e| Stop::Local(format!("cannot create {}: {e}", dir.display())))?;
    }
    Ok(listed)
}

/// Every child of a container, every page read.
async fn list(cx: &Context, container: Option<&str>) -> Result<Vec<Child>, Stop> {
    let mut children = Vec::new();
    match &cx.source {
        Remote::Folder { .. } => {
            let mut request = cx.client.list_files();
            if let Some(folder) = container {
                request = request.folder_token(folder);
            }
            let mut items = request.items();
            while let Some(file) = items.next().await {
                let file = file.map_err(Stop::from_page)?;
                let kind = file
                    .type_
                    .as_ref()
                    .map_or_else(|| "unknown".to_owned(), |t| t.value().to_owned());
                let Some(token) = file.token else { continue };
                children.push(Child {
                    id: token.clone(),
                    walk: kind == "folder",
                    kind,
                    obj_token: token,
                    title: file.name.unwrap_or_default(),
                    modified: file.modified_time,
                    shortcut: false,
                });
            }
        }
        Remote::Wiki { space_id, .. } => {
            let mut request = cx.client.list_wiki_nodes(space_id.as_str());
            if let Some(node) = container {
                request = request.parent_node_token(node);
            }
            let mut items = request.items();
            while let Some(node) = items.next().await {
                let node = node.map_err(Stop::from_page)?;
                let Some(id) = node.node_token else { continue };
                children.push(Child {
                    id,
                    kind: node
                        .obj_type
                        .as_ref()
                        .map_or_else(|| "unknown".to_owned(), |t| t.value().to_owned()),
                    obj_token: node.obj_token.unwrap_or_default(),
                    title: node.title.unwrap_or_default(),
                    modified: node.obj_edit_time,
                    walk: node.has_child == Some(true),
                    shortcut: node.node_type == Some(WikiNodeType::Shortcut),
                });
            }
        }
    }
    Ok(children)
}
