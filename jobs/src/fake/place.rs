//! Placing new items: a folder, a file or an imported document into a Drive folder (checked
//! as the upload and create pages check it), and a Drive document moved into the wiki. Each
//! new item is made now, on the wall clock, as the real server stamps it.

use super::generate::prefix;
use super::model::{Model, Node, ROOT_FOLDER, Source};
use std::time::{Duration, SystemTime, UNIX_EPOCH};

/// The most children a folder takes (`1062507`, parent node out of sibling num: the pages'
/// 1500).
pub(crate) const MAX_SIBLINGS: usize = 1500;

/// Why nothing can go into a folder.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) enum Refusal {
    /// No such token.
    Missing,
    /// A folder, deleted.
    Deleted,
    /// A Drive item that is no folder.
    NotFolder,
    /// A folder with [`MAX_SIBLINGS`] children.
    Full,
}

/// Unix seconds on the wall clock `after` from now.
pub(crate) fn unix_after(after: Duration) -> u64 {
    let at = SystemTime::now() + after;
    at.duration_since(UNIX_EPOCH).map_or(0, |d| d.as_secs())
}

/// Whether things can go into the Drive folder `token` (`""`: the drive's root, which the
/// create folder and import pages accept); the depth its children have.
pub(crate) fn folder(model: &Model, token: &str) -> Result<u8, Refusal> {
    let depth = match token {
        "" | ROOT_FOLDER => 1,
        _ => match model.by_token.get(token).map(|&i| &model.nodes[i]) {
            Some(node) if node.source == Source::Drive && node.kind == "folder" => {
                if node.deleted {
                    return Err(Refusal::Deleted);
                }
                node.depth.saturating_add(1)
            }
            Some(node) if node.source == Source::Drive => return Err(Refusal::NotFolder),
            _ => return Err(Refusal::Missing),
        },
    };
    if model.live_children(Source::Drive, token).count() >= MAX_SIBLINGS {
        return Err(Refusal::Full);
    }
    Ok(depth)
}

/// Adds a Drive item of `kind` into `folder` (checked with [`folder`], which gave `depth`),
/// made at `time` (unix seconds), of `size` bytes; listed last in its folder. Returns its
/// token.
pub(crate) fn add(
    model: &mut Model,
    kind: &'static str,
    (folder, depth): (&str, u8),
    title: String,
    time: u64,
    size: u64,
) -> String {
    model.next_id += 1;
    let token = model.token(prefix(kind), model.next_id);
    model.push(Node {
        source: Source::Drive,
        token: token.clone(),
        obj_token: token.clone(),
        parent: Some(folder.to_owned()),
        title,
        kind,
        shortcut: None,
        created: time,
        modified: time,
        node_created: time,
        size,
        depth,
        deleted: false,
    });
    token
}

/// A new import source's token: a file token from the tree's own sequence, so it never
/// collides with an item's.
pub(crate) fn media_token(model: &mut Model) -> String {
    model.next_id += 1;
    model.token("boxcn", model.next_id)
}

/// Whether `parent` (`None`: the top level) can take a wiki node: a node of the space, not
/// deleted, not a shortcut.
pub(crate) fn wiki_parent(model: &Model, parent: Option<&str>) -> bool {
    let Some(parent) = parent else {
        return true;
    };
    model.by_token.get(parent).is_some_and(|&i| {
        let node = &model.nodes[i];
        node.source == Source::Wiki && !node.deleted && node.shortcut.is_none()
    })
}

/// Moves the Drive document `i` into the wiki under `parent` (checked with
/// [`wiki_parent`]) at `time`: it leaves its folder's listing (its Drive token names
/// nothing any more) and is listed last under `parent`, same object, same title. Returns its
/// node token.
pub(crate) fn move_to_wiki(
    model: &mut Model,
    i: usize,
    parent: Option<String>,
    time: u64,
) -> String {
    model.next_id += 1;
    let token = model.token("wikcn", model.next_id);
    let depth = parent
        .as_ref()
        .and_then(|p| model.by_token.get(p))
        .map_or(1, |&p| model.nodes[p].depth.saturating_add(1));
    let old = std::mem::replace(&mut model.nodes[i].token, token.clone());
    model.by_token.remove(&old);
    model.by_token.insert(token.clone(), i);
    let node = &mut model.nodes[i];
    node.source = Source::Wiki;
    node.parent = parent.clone();
    node.node_created = time;
    node.depth = depth;
    let key = (Source::Wiki, parent.unwrap_or_default());
    model.children.entry(key).or_default().push(i);
    token
}

/// Adds a wiki node of `kind` titled `title` under `parent` (checked with
/// [`wiki_parent`]), made at `time`, with an object of its own. Returns its index.
pub(crate) fn add_wiki_node(
    model: &mut Model,
    kind: &'static str,
    parent: Option<String>,
    title: String,
    time: u64,
) -> usize {
    model.next_id += 1;
    let token = model.token("wikcn", model.next_id);
    model.next_id += 1;
    let obj_token = model.token(prefix(kind), model.next_id);
    let depth = parent
        .as_ref()
        .and_then(|p| model.by_token.get(p))
        .map_or(1, |&p| model.nodes[p].depth.saturating_add(1));
    model.push(Node {
        source: Source::Wiki,
        token,
        obj_token,
        parent,
        title,
        kind,
        shortcut: None,
        created: time,
        modified: time,
        node_created: time,
        size: 0,
        depth,
        deleted: false,
    })
}
