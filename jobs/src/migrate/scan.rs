//! The local folder walked into [`Scanned`] entries, each with its plan: a folder, an
//! import (by extension and size, [`placement`]), a plain file, or left out with a reason.
//! Never follows a link, never enters the record's folder.

use super::entries::Scanned;
use super::entry::Route;
use crate::record::RECORD_DIR;
use crate::upload::{Placement, Spreadsheets, placement};
use std::collections::HashMap;
use std::path::Path;

/// The longest name Drive takes (the uploads' `file_name`: 250 bytes).
const MAX_NAME: usize = 250;

/// How files are planned.
#[derive(Debug, Clone, Copy, Default)]
pub(super) struct Plan {
    pub spreadsheets: Spreadsheets,
    /// Files no import takes are left out instead of uploaded as they are.
    pub imports_only: bool,
}

/// Every entry under `root`, a folder before what is in it, siblings by name.
pub(super) fn scan(root: &Path, plan: Plan) -> std::io::Result<Vec<Scanned>> {
    let mut out = Vec::new();
    walk(root, None, 1, plan, &mut out)?;
    Ok(out)
}

fn walk(
    dir: &Path,
    parent: Option<&str>,
    depth: i64,
    plan: Plan,
    out: &mut Vec<Scanned>,
) -> std::io::Result<()> {
    let mut children: Vec<_> = std::fs::read_dir(dir)?.collect::<Result<_, _>>()?;
    children.sort_by_key(|e| e.file_name());
    let mut planned = Vec::new();
    for child in &children {
        let file_name = child.file_name();
        if parent.is_none() && file_name == RECORD_DIR {
            continue;
        }
        let name = file_name.to_string_lossy().into_owned();
        let path = match parent {
            Some(parent) => format!("{parent}/{name}"),
            None => name.clone(),
        };
        // Not followed: a link may lead out of the folder, or into a loop.
        let meta = std::fs::symlink_metadata(child.path())?;
        let modified = meta
            .modified()
            .ok()
            .and_then(|t| t.duration_since(std::time::UNIX_EPOCH).ok())
            .map_or(0, |d| d.as_nanos() as i64);
        let mut scanned = Scanned {
            path,
            parent: parent.map(str::to_owned),
            depth,
            name: name.clone(),
            route: Route::Skip,
            obj_type: None,
            extension: None,
            size: if meta.is_file() { meta.len() } else { 0 },
            modified,
            reason: None,
        };
        let skip = |why: &str| Some(why.to_owned());
        scanned.reason = if file_name.to_str().is_none() {
            skip("its name is not UTF-8")
        } else if name.len() > MAX_NAME {
            skip("its name is over the 250 bytes Drive takes")
        } else if meta.file_type().is_symlink() {
            skip("a symbolic link: not followed")
        } else if meta.is_dir() {
            scanned.route = Route::Folder;
            None
        } else if !meta.is_file() {
            skip("not a regular file")
        } else if meta.len() == 0 {
            skip("empty: Drive takes no empty file")
        } else {
            match placement(&name, meta.len(), plan.spreadsheets) {
                Placement::Import(import) => {
                    scanned.route = Route::Import;
                    scanned.obj_type = Some(import.obj_type);
                    scanned.extension = Some(import.extension);
                    None
                }
                Placement::PlainFile(why) if plan.imports_only => {
                    Some(format!("{why}; --imports-only"))
                }
                Placement::PlainFile(why) => {
                    scanned.route = Route::File;
                    Some(why)
                }
            }
        };
        planned.push((scanned, child.path()));
    }
    name_imports(&mut planned);
    for (scanned, local) in planned {
        let (path, route) = (scanned.path.clone(), scanned.route);
        out.push(scanned);
        // A folder's route is given to directories only (never to a link to one).
        if route == Route::Folder {
            walk(&local, Some(&path), depth + 1, plan, out)?;
        }
    }
    Ok(())
}

/// An import is named without its extension, as Drive shows an imported document; when
/// two siblings would import to the same name (`a.docx` and `a.md`), both keep their
/// extension, so that a name in the target folder stands for one file.
fn name_imports(planned: &mut [(Scanned, std::path::PathBuf)]) {
    let stem = |s: &Scanned| {
        let ext = s.extension.as_deref().unwrap_or("");
        s.name[..s.name.len() - ext.len() - 1].to_lowercase()
    };
    let mut stems: HashMap<String, usize> = HashMap::new();
    for (s, _) in planned.iter().filter(|(s, _)| s.route == Route::Import) {
        *stems.entry(stem(s)).or_default() += 1;
    }
    for (s, _) in planned.iter_mut().filter(|(s, _)| s.route == Route::Import) {
        if stems.get(&stem(s)) == Some(&1) {
            let ext = s.extension.as_deref().unwrap_or("");
            s.name.truncate(s.name.len() - ext.len() - 1);
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn write(root: &Path, path: &str, bytes: &[u8]) {
        let path = root.join(path);
        std::fs::create_dir_all(path.parent().unwrap()).unwrap();
        std::fs::write(path, bytes).unwrap();
    }

    #[test]
    fn folders_come_first_and_each_file_gets_its_route_and_name() {
        let dir = tempfile::tempdir().unwrap();
        let root = dir.path();
        write(root, "a.docx", b"x");
        write(root, "a.md", b"x");
        write(root, "notes.md", b"x");
        write(root, "photo.jpg", b"x");
        write(root, "empty.txt", b"");
        write(root, "sub/t.xlsx", b"x");
        write(root, ".taskapi/migrate.sqlite3", b"x");
        std::os::unix::fs::symlink("/etc", root.join("link")).unwrap();
        let found = scan(root, Plan::default()).unwrap();
        let by_path: HashMap<_, _> = found.iter().map(|s| (s.path.as_str(), s)).collect();
        assert!(!by_path.contains_key(".taskapi"));
        assert_eq!(by_path["a.docx"].name, "a.docx");
        assert_eq!(by_path["a.md"].name, "a.md");
        assert_eq!(by_path["notes.md"].name, "notes");
        assert_eq!(by_path["notes.md"].obj_type.as_deref(), Some("docx"));
        assert_eq!(by_path["photo.jpg"].route, Route::File);
        assert_eq!(by_path["empty.txt"].route, Route::Skip);
        assert_eq!(by_path["link"].route, Route::Skip);
        assert_eq!(by_path["sub"].route, Route::Folder);
        assert_eq!(by_path["sub/t.xlsx"].obj_type.as_deref(), Some("sheet"));
        assert_eq!(by_path["sub/t.xlsx"].parent.as_deref(), Some("sub"));
        let position = |p: &str| found.iter().position(|s| s.path == p).unwrap();
        assert!(position("sub") < position("sub/t.xlsx"));

        let only = scan(
            root,
            Plan {
                imports_only: true,
                ..Plan::default()
            },
        )
        .unwrap();
        let photo = only.iter().find(|s| s.path == "photo.jpg").unwrap();
        assert_eq!(photo.route, Route::Skip);
        assert!(photo.reason.as_deref().unwrap().contains("--imports-only"));
    }
}
