//! Walking both trees through the generated client finds every item of `items()` once,
//! under its parent, whatever the page size, and follows the mutations.

use super::{FakeTree, TreeOptions, serve};
use crate::fake::{FakeItem, Source};
use taskapi::feishu::FeishuClient;

/// One listed item: (token, parent, title, kind, has children).
type Listed = (String, Option<String>, String, String, bool);

/// Every item of the Drive tree, walked folder by folder from the root folder.
async fn walk_drive(client: &FeishuClient, page_size: Option<i64>) -> Vec<Listed> {
    let mut listed = Vec::new();
    let mut folders = vec![FakeTree::ROOT_FOLDER.to_owned()];
    while let Some(folder) = folders.pop() {
        let mut request = client.list_files().folder_token(folder.clone());
        if let Some(size) = page_size {
            request = request.page_size(size);
        }
        let mut items = request.items();
        let mut children = false;
        while let Some(file) = items.next().await {
            let file = file.expect("a page");
            let token = file.token.expect("token");
            let kind = file.type_.expect("type").value().to_owned();
            assert_eq!(file.parent_token.as_deref(), Some(folder.as_str()));
            assert_eq!(kind == "shortcut", file.shortcut_info.is_some());
            if kind == "folder" {
                folders.push(token.clone());
            }
            children = true;
            let name = file.name.expect("name");
            listed.push((token, Some(folder.clone()), name, kind, false));
        }
        // A folder's has_children is whether listing it gave anything.
        if let Some(entry) = listed.iter_mut().find(|l| l.0 == folder) {
            entry.4 = children;
        }
    }
    listed.sort();
    listed
}

/// Every node of the wiki space, walked from the top level.
async fn walk_wiki(client: &FeishuClient, page_size: Option<i64>) -> Vec<Listed> {
    let mut listed = Vec::new();
    let mut parents: Vec<Option<String>> = vec![None];
    while let Some(parent) = parents.pop() {
        let mut request = client.list_wiki_nodes(FakeTree::SPACE_ID);
        if let Some(parent) = &parent {
            request = request.parent_node_token(parent.clone());
        }
        if let Some(size) = page_size {
            request = request.page_size(size);
        }
        let mut items = request.items();
        while let Some(node) = items.next().await {
            let node = node.expect("a page");
            let token = node.node_token.expect("node_token");
            assert_eq!(node.space_id.as_deref(), Some(FakeTree::SPACE_ID));
            assert_eq!(
                node.parent_node_token.unwrap_or_default(),
                parent.clone().unwrap_or_default()
            );
            let has_child = node.has_child.expect("has_child");
            if has_child {
                parents.push(Some(token.clone()));
            }
            let kind = node.obj_type.expect("obj_type").value().to_owned();
            let title = node.title.expect("title");
            listed.push((token, parent.clone(), title, kind, has_child));
        }
    }
    listed.sort();
    listed
}

/// What a walk of `source` must find: the items not deleted.
fn expected(items: &[FakeItem], source: Source) -> Vec<Listed> {
    let mut expected: Vec<Listed> = items
        .iter()
        .filter(|i| i.source == source && !i.deleted)
        .map(|i| {
            let kind = if i.shortcut && source == Source::Drive {
                "shortcut"
            } else {
                &i.kind
            };
            let children = i.has_children;
            (
                i.token.clone(),
                i.parent.clone(),
                i.title.clone(),
                kind.to_owned(),
                children,
            )
        })
        .collect();
    expected.sort();
    expected
}

#[tokio::test]
async fn walks_find_every_item_once_under_its_parent() {
    let (_server, tree, client) = serve(TreeOptions {
        items: 120,
        ..TreeOptions::default()
    })
    .await;
    let items = tree.items();
    let drive = walk_drive(&client, None).await;
    assert_eq!(drive, expected(&items, Source::Drive));
    assert!(
        (110..=120).contains(&drive.len()),
        "{} drive items",
        drive.len()
    );
    let wiki = walk_wiki(&client, None).await;
    assert_eq!(wiki, expected(&items, Source::Wiki));
    assert!(
        (110..=120).contains(&wiki.len()),
        "{} wiki nodes",
        wiki.len()
    );
}

#[tokio::test]
async fn small_pages_have_no_gap_or_repeat() {
    let (server, tree, client) = serve(TreeOptions {
        items: 80,
        seed: 9,
        ..TreeOptions::default()
    })
    .await;
    let items = tree.items();
    for size in [1, 3, 7] {
        assert_eq!(
            walk_drive(&client, Some(size)).await,
            expected(&items, Source::Drive)
        );
        assert_eq!(
            walk_wiki(&client, Some(size)).await,
            expected(&items, Source::Wiki)
        );
    }
    assert!(server.requests("feishu.drive.file.list") > 80);
}

#[test]
fn the_trees_have_every_kind_depth_and_hostile_titles() {
    let tree = FakeTree::new(TreeOptions {
        items: 200,
        ..TreeOptions::default()
    });
    let items = tree.items();
    for source in [Source::Drive, Source::Wiki] {
        let of: Vec<&FakeItem> = items.iter().filter(|i| i.source == source).collect();
        let kinds = match source {
            Source::Drive => &[
                "docx", "doc", "sheet", "bitable", "file", "mindnote", "slides", "folder",
            ][..],
            Source::Wiki => &[
                "docx", "doc", "sheet", "bitable", "file", "mindnote", "slides",
            ][..],
        };
        for kind in kinds {
            assert!(
                of.iter().any(|i| i.kind == *kind && !i.shortcut),
                "{source:?} {kind}"
            );
        }
        assert!(of.iter().any(|i| i.shortcut), "{source:?} shortcut");
        // Shortcuts take their target's title: only the originals count.
        let top = |t: &str| {
            let top = |i: &&&FakeItem| i.title == t && i.parent == of[0].parent && !i.shortcut;
            of.iter().filter(top).count()
        };
        for title in ["../x", "a/b", "CON", "Report", "report"] {
            assert_eq!(top(title), 1, "{source:?} {title}");
        }
        assert_eq!(top("Same"), 2);
        assert!(
            of.iter()
                .any(|i| i.title.chars().count() == 300 && i.title.len() > 300)
        );
        let mut tokens: Vec<&str> = of.iter().map(|i| i.token.as_str()).collect();
        tokens.sort();
        tokens.dedup();
        assert_eq!(tokens.len(), of.len(), "unique tokens");
        assert!(
            of.iter()
                .all(|i| i.token.len() <= 27 && i.obj_token.len() <= 27)
        );
    }
    // Nested: folders (nodes) up to 4 deep, so Drive items up to 5 levels, wiki nodes 4.
    let depth = |item: &FakeItem| {
        let mut depth = 1;
        let mut parent = item.parent.clone();
        while let Some(p) = parent.filter(|p| p != FakeTree::ROOT_FOLDER) {
            depth += 1;
            parent = items
                .iter()
                .find(|i| i.token == p)
                .and_then(|i| i.parent.clone());
        }
        depth
    };
    let deepest = |source| items.iter().filter(|i| i.source == source).map(depth).max();
    assert!(
        matches!(deepest(Source::Drive), Some(4..=5)),
        "{:?}",
        deepest(Source::Drive)
    );
    assert!(
        matches!(deepest(Source::Wiki), Some(3..=4)),
        "{:?}",
        deepest(Source::Wiki)
    );
    assert_eq!(
        FakeTree::new(TreeOptions {
            items: 200,
            ..TreeOptions::default()
        })
        .items(),
        items
    );
    let plain = FakeTree::new(TreeOptions {
        hostile_titles: false,
        ..TreeOptions::default()
    });
    assert!(plain.items().iter().all(|i| i.title != "CON"));
}

#[tokio::test]
async fn listings_follow_additions_and_deletions() {
    let (_server, tree, client) = serve(TreeOptions::default()).await;
    let mut added = tree.add_documents(Source::Drive, 3);
    added.extend(tree.add_documents(Source::Wiki, 3));
    let deleted = tree.delete(5);
    assert_eq!((added.len(), deleted.len()), (6, 5));
    let items = tree.items();
    for (token, source) in added.iter().zip([
        Source::Drive,
        Source::Drive,
        Source::Drive,
        Source::Wiki,
        Source::Wiki,
        Source::Wiki,
    ]) {
        assert!(
            items
                .iter()
                .any(|i| &i.obj_token == token && i.source == source)
        );
    }
    let items = tree.items();
    assert!(
        deleted
            .iter()
            .all(|t| items.iter().any(|i| &i.obj_token == t && i.deleted))
    );
    assert_eq!(
        walk_drive(&client, Some(4)).await,
        expected(&items, Source::Drive)
    );
    assert_eq!(
        walk_wiki(&client, Some(4)).await,
        expected(&items, Source::Wiki)
    );
}

#[test]
fn big_trees_are_about_the_size_asked_and_seeds_differ() {
    let started = std::time::Instant::now();
    let tree = FakeTree::new(TreeOptions {
        items: 20_000,
        ..TreeOptions::default()
    });
    let items = tree.items();
    let drive = items.iter().filter(|i| i.source == Source::Drive).count();
    assert!((19_900..=20_000).contains(&drive), "{drive}");
    assert!((19_900..=20_000).contains(&(items.len() - drive)));
    assert!(
        started.elapsed() < std::time::Duration::from_secs(5),
        "{:?}",
        started.elapsed()
    );
    let other = FakeTree::new(TreeOptions {
        seed: 2,
        ..TreeOptions::default()
    })
    .items();
    assert_ne!(other, FakeTree::new(TreeOptions::default()).items());
}
