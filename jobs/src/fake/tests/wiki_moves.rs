//! Moving Drive documents into the wiki: the document leaves its folder's listing and is
//! listed in the wiki, at once or through a task that ends by itself.

use super::{FakeTree, TreeOptions, code, listed, raw, serve_writable};
use crate::fake::{FakeItem, Source};
use std::time::Duration;
use taskapi::feishu::{FeishuClient, MoveDocsToWikiObjType, WikiMoveStatus, WikiTaskType};

/// The wiki node tokens listed under `parent` (`None`: the top level).
async fn wiki_children(client: &FeishuClient, parent: Option<&str>) -> Vec<String> {
    let mut request = client.list_wiki_nodes(FakeTree::SPACE_ID);
    if let Some(parent) = parent {
        request = request.parent_node_token(parent);
    }
    let mut items = request.items();
    let mut tokens = Vec::new();
    while let Some(node) = items.next().await {
        tokens.push(node.expect("a page").node_token.expect("node_token"));
    }
    tokens
}

/// Drive docx documents at the top of the tree (not shortcuts), first two.
fn two_documents(tree: &FakeTree) -> Vec<FakeItem> {
    let items = tree.items();
    let top = items.into_iter().filter(|i| {
        i.source == Source::Drive
            && i.kind == "docx"
            && !i.shortcut
            && i.parent.as_deref() == Some(FakeTree::ROOT_FOLDER)
    });
    top.take(2).collect()
}

#[tokio::test]
async fn moves_alternate_between_done_at_once_and_a_task() {
    let options = TreeOptions {
        items: 30,
        ..TreeOptions::default()
    };
    let (_server, tree, _uploads, client) = serve_writable(options).await;
    tree.set_wiki_move_ready(Duration::from_millis(150));
    let docs = two_documents(&tree);
    let parent = tree
        .items()
        .into_iter()
        .find(|i| i.source == Source::Wiki && !i.shortcut && i.parent.is_none())
        .expect("a top-level wiki node")
        .token;

    // The first: done at once, under the top level.
    let first = client
        .move_docs_to_wiki(
            FakeTree::SPACE_ID,
            MoveDocsToWikiObjType::Docx,
            docs[0].obj_token.as_str(),
        )
        .send()
        .await
        .expect("moved");
    let wiki_token = first.wiki_token.expect("wiki_token");
    assert_eq!(first.task_id, None);
    let drive = listed(&client, FakeTree::ROOT_FOLDER).await;
    assert!(
        drive
            .iter()
            .all(|f| f.token.as_deref() != Some(docs[0].token.as_str()))
    );
    assert!(wiki_children(&client, None).await.contains(&wiki_token));
    let moved = tree
        .items()
        .into_iter()
        .find(|i| i.token == wiki_token)
        .unwrap();
    assert_eq!(
        (
            moved.source,
            moved.obj_token.as_str(),
            moved.title.as_str(),
            moved.parent.as_deref()
        ),
        (
            Source::Wiki,
            docs[0].obj_token.as_str(),
            docs[0].title.as_str(),
            None
        )
    );
    assert_eq!(
        tree.items()
            .iter()
            .filter(|i| i.obj_token == docs[0].obj_token)
            .count(),
        1
    );

    // The second: a task, under a node, done after its time whether polled or not.
    let second = client
        .move_docs_to_wiki(
            FakeTree::SPACE_ID,
            MoveDocsToWikiObjType::Docx,
            docs[1].obj_token.as_str(),
        )
        .parent_wiki_token(parent.as_str())
        .send()
        .await
        .expect("started");
    let task_id = second.task_id.expect("task_id");
    let poll = || {
        client
            .get_wiki_task(task_id.as_str(), WikiTaskType::Move)
            .send()
    };
    let running = poll().await.expect("polled").task.expect("task");
    let result = &running.move_result.expect("move_result")[0];
    assert_eq!(result.status, Some(WikiMoveStatus::Processing));
    assert!(
        listed(&client, FakeTree::ROOT_FOLDER)
            .await
            .iter()
            .any(|f| f.token.as_deref() == Some(docs[1].token.as_str()))
    );
    tokio::time::sleep(Duration::from_millis(200)).await;
    let under = wiki_children(&client, Some(&parent)).await;
    let done = poll().await.expect("polled").task.expect("task");
    let result = &done.move_result.expect("move_result")[0];
    assert_eq!(result.status, Some(WikiMoveStatus::Success));
    let node = result.node.as_ref().expect("node");
    let node_token = node.node_token.clone().expect("node_token");
    assert!(under.contains(&node_token));
    assert_eq!(node.obj_token.as_deref(), Some(docs[1].obj_token.as_str()));
    assert_eq!(node.parent_node_token.as_deref(), Some(parent.as_str()));
    assert!(
        listed(&client, FakeTree::ROOT_FOLDER)
            .await
            .iter()
            .all(|f| f.token.as_deref() != Some(docs[1].token.as_str()))
    );
    assert_eq!(tree.wiki_moves(), 2);

    // A document in the wiki already: its node, no move.
    let again = client
        .move_docs_to_wiki(
            FakeTree::SPACE_ID,
            MoveDocsToWikiObjType::Docx,
            docs[0].obj_token.as_str(),
        )
        .send()
        .await
        .expect("answered");
    assert_eq!(again.wiki_token.as_deref(), Some(wiki_token.as_str()));
    assert_eq!(tree.wiki_moves(), 2);
}

#[tokio::test]
async fn moves_refuse_what_the_page_documents() {
    let options = TreeOptions {
        items: 30,
        ..TreeOptions::default()
    };
    let (server, tree, _uploads, client) = serve_writable(options).await;
    let doc = two_documents(&tree).remove(0).obj_token;
    let send = |space: &str, kind, token: &str| client.move_docs_to_wiki(space, kind, token).send();
    let other_space = send("1", MoveDocsToWikiObjType::Docx, &doc).await;
    assert_eq!(code(&other_space.unwrap_err()), Some(131005));
    let wrong_type = send(FakeTree::SPACE_ID, MoveDocsToWikiObjType::Sheet, &doc).await;
    assert_eq!(code(&wrong_type.unwrap_err()), Some(131002));
    let unknown = send(
        FakeTree::SPACE_ID,
        MoveDocsToWikiObjType::Docx,
        "doxcnNoSuchDocument",
    )
    .await;
    assert_eq!(code(&unknown.unwrap_err()), Some(131005));
    let no_parent = client
        .move_docs_to_wiki(
            FakeTree::SPACE_ID,
            MoveDocsToWikiObjType::Docx,
            doc.as_str(),
        )
        .parent_wiki_token("wikcnNoSuchNode")
        .send()
        .await;
    assert_eq!(code(&no_parent.unwrap_err()), Some(131005));
    let task = client.get_wiki_task("1-0", WikiTaskType::Move).send().await;
    assert_eq!(code(&task.unwrap_err()), Some(131005));
    let (status, body) = raw(
        &server,
        "GET",
        "/open-apis/wiki/v2/tasks/1-0?task_type=copy",
        "",
    )
    .await;
    assert_eq!((status, body.contains("131002")), (400, true), "{body}");
    assert_eq!(tree.wiki_moves(), 0);
}
