//! Making both trees from the seed: the Drive folder tree (folders nested up to 4 deep,
//! every type `feishu.drive.file.list` reports) and the wiki space (nodes with children up
//! to 4 levels, a few shortcuts), each with about `items` items, hostile titles first.

use super::model::ROOT_FOLDER;
use super::model::{Model, Node, Source};

/// Every Drive type, in the order the first items of a tree take them (so that even a
/// small tree has one of each).
const DRIVE_KINDS: [&str; 9] = [
    "folder", "docx", "doc", "sheet", "bitable", "file", "mindnote", "slides", "shortcut",
];

/// Every wiki `obj_type`.
const WIKI_KINDS: [&str; 7] = [
    "docx", "doc", "sheet", "bitable", "file", "mindnote", "slides",
];

/// How deep folders (Drive) or nodes (wiki) nest.
const MAX_DEPTH: u8 = 4;

/// Words titles are made of, some of them multi-byte.
const WORDS: [&str; 12] = [
    "Plan",
    "Notes",
    "季度报告",
    "Budget",
    "会议纪要",
    "Roadmap",
    "Design",
    "Résumé",
    "Überblick",
    "设计文档",
    "Retro",
    "Draft",
];

/// A token's prefix for a kind, as the real ones look (`doxcn`, `shtcn`, `fldcn`, ...).
pub(crate) fn prefix(kind: &str) -> &'static str {
    match kind {
        "docx" => "doxcn",
        "doc" => "doccn",
        "sheet" => "shtcn",
        "bitable" => "bascn",
        "file" => "boxcn",
        "mindnote" => "bmncn",
        "slides" => "sldcn",
        "shortcut" => "nodcn",
        "folder" => "fldcn",
        _ => "wikcn",
    }
}

/// Fills an empty model with both trees.
pub(crate) fn populate(model: &mut Model) {
    // An empty tree is asked for as such: hostile titles would make it not empty.
    if model.options.items == 0 {
        return;
    }
    let mut rng = fastrand::Rng::with_seed(model.options.seed);
    drive(model, &mut rng);
    wiki(model, &mut rng);
}

/// Titles that break naive file naming, with the kind each is given: `..`, a slash, a
/// reserved Windows name, a name too long for any file system (multi-byte, 300 characters),
/// same-title siblings and siblings differing only by case.
fn hostile_titles() -> Vec<(String, &'static str)> {
    let long: String = "长".repeat(150) + &"x".repeat(150);
    vec![
        ("../x".to_owned(), "docx"),
        ("a/b".to_owned(), "file"),
        ("CON".to_owned(), "sheet"),
        (long, "docx"),
        ("Same".to_owned(), "docx"),
        ("Same".to_owned(), "docx"),
        ("Report".to_owned(), "docx"),
        ("report".to_owned(), "docx"),
    ]
}

/// A kind after the first few: documents most, folders often enough to nest.
fn weighted(rng: &mut fastrand::Rng, kinds: &[(&'static str, u32)]) -> &'static str {
    let total: u32 = kinds.iter().map(|(_, w)| w).sum();
    let mut pick = rng.u32(0..total);
    for &(kind, weight) in kinds {
        if pick < weight {
            return kind;
        }
        pick -= weight;
    }
    kinds[0].0
}

/// A title for an item: words and a number; files get an extension, as uploads do.
fn title(rng: &mut fastrand::Rng, kind: &str) -> String {
    let word = WORDS[rng.usize(0..WORDS.len())];
    let n = rng.u32(1..1000);
    match kind {
        "file" => format!(
            "{word} {n}.{}",
            ["pdf", "png", "zip", "txt"][rng.usize(0..4)]
        ),
        _ => format!("{word} {n}"),
    }
}

/// A new node with fresh times, size and token.
pub(crate) fn node(
    model: &mut Model,
    rng: &mut fastrand::Rng,
    source: Source,
    kind: &'static str,
    parent: Option<String>,
    depth: u8,
) -> Node {
    model.next_id += 1;
    let obj_token = model.token(prefix(kind), model.next_id);
    let token = match source {
        Source::Drive => obj_token.clone(),
        Source::Wiki => model.token("wikcn", model.next_id),
    };
    let created = 1_600_000_000 + rng.u64(0..100_000_000);
    let modified = created + rng.u64(0..10_000_000);
    let size = match kind {
        "folder" | "shortcut" => 0,
        _ => rng.u64(0..=model.options.max_size),
    };
    Node {
        source,
        token,
        obj_token,
        parent,
        title: title(rng, kind),
        kind,
        shortcut: None,
        created,
        modified,
        node_created: created + rng.u64(0..1_000_000),
        size,
        depth,
        deleted: false,
    }
}

/// The Drive tree under [`ROOT_FOLDER`].
fn drive(model: &mut Model, rng: &mut fastrand::Rng) {
    let root = ROOT_FOLDER.to_owned();
    // Folders that may take children: (token, depth of their children).
    let mut folders: Vec<(String, u8)> = vec![(root.clone(), 1)];
    // What shortcuts may point to, in tree order (not the index's: a hash map's order
    // changes between runs).
    let mut targets: Vec<usize> = Vec::new();
    let mut made = 0;
    if model.options.hostile_titles {
        for (title, kind) in hostile_titles() {
            let mut node = node(model, rng, Source::Drive, kind, Some(root.clone()), 1);
            node.title = title;
            targets.push(model.push(node));
            made += 1;
        }
    }
    let weights = [
        ("docx", 30),
        ("doc", 6),
        ("sheet", 10),
        ("bitable", 6),
        ("file", 15),
        ("mindnote", 4),
        ("slides", 4),
        ("shortcut", 5),
        ("folder", 14),
    ];
    for i in 0..model.options.items.saturating_sub(made) {
        let kind = DRIVE_KINDS
            .get(i)
            .copied()
            .unwrap_or_else(|| weighted(rng, &weights));
        let (parent, depth) = folders[rng.usize(0..folders.len())].clone();
        let mut node = node(model, rng, Source::Drive, kind, Some(parent), depth);
        if kind == "shortcut" {
            let Some(&target) = targets.get(rng.usize(0..targets.len().max(1))) else {
                continue;
            };
            let target = &model.nodes[target];
            node.title = target.title.clone();
            node.shortcut = Some(target.token.clone());
        }
        if kind == "folder" && depth < MAX_DEPTH {
            folders.push((node.token.clone(), depth + 1));
        }
        let object = node.shortcut.is_none() && kind != "folder";
        let i = model.push(node);
        if object {
            targets.push(i);
        }
    }
}

/// The wiki space [`SPACE_ID`](super::model::SPACE_ID).
fn wiki(model: &mut Model, rng: &mut fastrand::Rng) {
    // Nodes that may take children: (token or "" for the top, depth of their children).
    let mut parents: Vec<(String, u8)> = vec![(String::new(), 1)];
    let mut made = 0;
    if model.options.hostile_titles {
        for (title, kind) in hostile_titles() {
            let mut node = node(model, rng, Source::Wiki, kind, None, 1);
            node.title = title;
            model.push(node);
            made += 1;
        }
    }
    let weights = [
        ("docx", 40),
        ("doc", 8),
        ("sheet", 12),
        ("bitable", 8),
        ("file", 10),
        ("mindnote", 4),
        ("slides", 4),
    ];
    let mut origins: Vec<usize> = Vec::new();
    for i in 0..model.options.items.saturating_sub(made) {
        let (parent, depth) = parents[rng.usize(0..parents.len())].clone();
        let parent = (!parent.is_empty()).then_some(parent);
        // One shortcut after the first of every kind, then about one in 25.
        let shortcut = !origins.is_empty() && (i == WIKI_KINDS.len() || rng.u32(0..25) == 0);
        if shortcut {
            let origin = &model.nodes[origins[rng.usize(0..origins.len())]];
            let (kind, obj_token, origin_token) =
                (origin.kind, origin.obj_token.clone(), origin.token.clone());
            let mut node = node(model, rng, Source::Wiki, kind, parent, depth);
            node.obj_token = obj_token;
            node.shortcut = Some(origin_token);
            model.push(node);
            continue;
        }
        let kind = WIKI_KINDS
            .get(i)
            .copied()
            .unwrap_or_else(|| weighted(rng, &weights));
        let node = node(model, rng, Source::Wiki, kind, parent, depth);
        if depth < MAX_DEPTH {
            parents.push((node.token.clone(), depth + 1));
        }
        origins.push(model.push(node));
    }
}
