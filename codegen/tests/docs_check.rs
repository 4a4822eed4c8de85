//! `cargo xtask docs check` on the tree, and on copies of pages changed in each way a page
//! changes: every disagreement is found, located in the spec and on the page.

use std::path::{Path, PathBuf};

const EXPORT_SPEC: &str = "specs/feishu/endpoints/drive_export_task_get.yaml";
const EXPORT_PAGE: &str = "docs/feishu/drive_export_task_get.md";
const IMPORT_SPEC: &str = "specs/feishu/endpoints/drive_import_task_create.yaml";
const IMPORT_PAGE: &str = "docs/feishu/drive_import_task_create.md";

fn root() -> PathBuf {
    codegen::workspace_root().unwrap()
}

/// A temp copy of the specs and the pages.
fn copy() -> tempfile::TempDir {
    let dir = tempfile::tempdir().unwrap();
    for part in ["specs", "docs"] {
        codegen::copy_dir(&root().join(part), &dir.path().join(part)).unwrap();
    }
    dir
}

fn check(root: &Path) -> Vec<String> {
    let (set, problems) = codegen::load::load(root, "specs");
    assert!(problems.is_empty(), "{problems}");
    codegen::docs::check::check(root, &set)
        .iter()
        .map(ToString::to_string)
        .collect()
}

/// Replaces `from` (once) in a file of the copy.
fn edit(dir: &Path, file: &str, from: &str, to: &str) {
    let path = dir.join(file);
    let text = std::fs::read_to_string(&path).unwrap();
    assert!(text.contains(from), "{from:?} not in {file}");
    std::fs::write(&path, text.replacen(from, to, 1)).unwrap();
}

/// The 1-based line of the first line of `file` containing `needle`.
fn line_of(dir: &Path, file: &str, needle: &str) -> usize {
    let text = std::fs::read_to_string(dir.join(file)).unwrap();
    text.lines()
        .position(|l| l.contains(needle))
        .unwrap_or_else(|| panic!("{needle:?} not in {file}"))
        + 1
}

/// The disagreements after one edit of a page.
fn after(file: &str, from: &str, to: &str) -> (tempfile::TempDir, Vec<String>) {
    let dir = copy();
    edit(dir.path(), file, from, to);
    let found = check(dir.path());
    (dir, found)
}

#[test]
fn every_page_in_the_tree_agrees_with_its_spec() {
    let found = check(&root());
    assert!(found.is_empty(), "{}", found.join("\n"));
}

#[test]
fn a_new_error_code_on_the_page() {
    let (dir, found) = after(
        EXPORT_PAGE,
        "| 410 | 1069906 | docs deleted | 文档已被删除 |\n",
        "| 410 | 1069906 | docs deleted | 文档已被删除 |\n| 400 | 1069907 | too many | 过多 |\n",
    );
    let spec_line = line_of(dir.path(), EXPORT_SPEC, "code: 1069906");
    let page_line = line_of(dir.path(), EXPORT_PAGE, "1069907");
    assert_eq!(
        found,
        [format!(
            "{EXPORT_SPEC}:{spec_line}: errors: code 1069907 is on the page ({EXPORT_PAGE}:{page_line}) but not in the spec"
        )]
    );
}

#[test]
fn a_changed_http_status() {
    let (dir, found) = after(EXPORT_PAGE, "| 410 | 1069906 |", "| 404 | 1069906 |");
    let spec_line = line_of(dir.path(), EXPORT_SPEC, "code: 1069906");
    let page_line = line_of(dir.path(), EXPORT_PAGE, "1069906");
    assert_eq!(
        found,
        [format!(
            "{EXPORT_SPEC}:{spec_line}: errors: code 1069906: HTTP status 410 in the spec but 404 on the page ({EXPORT_PAGE}:{page_line})"
        )]
    );
}

#[test]
fn a_changed_message() {
    let (dir, found) = after(
        EXPORT_PAGE,
        "| 1069906 | docs deleted |",
        "| 1069906 | doc removed |",
    );
    let spec_line = line_of(dir.path(), EXPORT_SPEC, "code: 1069906");
    let page_line = line_of(dir.path(), EXPORT_PAGE, "1069906");
    assert_eq!(
        found,
        [format!(
            "{EXPORT_SPEC}:{spec_line}: errors: code 1069906: message \"docs deleted\" in the spec but \"doc removed\" on the page ({EXPORT_PAGE}:{page_line})"
        )]
    );
}

#[test]
fn a_changed_hint() {
    let (dir, found) = after(
        EXPORT_PAGE,
        "| docs deleted | 文档已被删除 |",
        "| docs deleted | 文档已删除，请恢复 |",
    );
    let spec_line = line_of(dir.path(), EXPORT_SPEC, "code: 1069906");
    let page_line = line_of(dir.path(), EXPORT_PAGE, "1069906");
    assert_eq!(
        found,
        [format!(
            "{EXPORT_SPEC}:{spec_line}: errors: code 1069906: the hint in the spec is not the page's ({EXPORT_PAGE}:{page_line})"
        )]
    );
}

#[test]
fn a_parameter_that_is_no_longer_required() {
    let (dir, found) = after(
        EXPORT_PAGE,
        "| token | string | 是 |",
        "| token | string | 否 |",
    );
    let spec_line = line_of(dir.path(), EXPORT_SPEC, "  - name: token");
    let page_line = line_of(dir.path(), EXPORT_PAGE, "| token | string |");
    assert_eq!(
        found,
        [format!(
            "{EXPORT_SPEC}:{spec_line}: params: `token` is required in the spec but optional on the page ({EXPORT_PAGE}:{page_line})"
        )]
    );
}

#[test]
fn a_parameter_whose_type_changed() {
    let (dir, found) = after(
        EXPORT_PAGE,
        "| token | string | 是 |",
        "| token | int | 是 |",
    );
    let spec_line = line_of(dir.path(), EXPORT_SPEC, "  - name: token");
    let page_line = line_of(dir.path(), EXPORT_PAGE, "| token | int |");
    assert_eq!(
        found,
        [format!(
            "{EXPORT_SPEC}:{spec_line}: params: `token` is string in the spec but int on the page ({EXPORT_PAGE}:{page_line})"
        )]
    );
}

#[test]
fn a_changed_path() {
    let (dir, found) = after(
        EXPORT_PAGE,
        "/open-apis/drive/v1/export_tasks/:ticket",
        "/open-apis/drive/v2/export_tasks/:ticket",
    );
    let spec_line = line_of(dir.path(), EXPORT_SPEC, "path: /open-apis");
    let page_line = line_of(dir.path(), EXPORT_PAGE, "drive/v2/export_tasks/:ticket");
    assert_eq!(
        found,
        [format!(
            "{EXPORT_SPEC}:{spec_line}: path: `/open-apis/drive/v1/export_tasks/{{ticket}}` in the spec but `/open-apis/drive/v2/export_tasks/{{ticket}}` on the page ({EXPORT_PAGE}:{page_line})"
        )]
    );
}

#[test]
fn a_changed_method() {
    let (dir, found) = after(
        EXPORT_PAGE,
        "| HTTP Method | GET |",
        "| HTTP Method | POST |",
    );
    let spec_line = line_of(dir.path(), EXPORT_SPEC, "method: GET");
    let page_line = line_of(dir.path(), EXPORT_PAGE, "| HTTP Method |");
    assert_eq!(
        found,
        [format!(
            "{EXPORT_SPEC}:{spec_line}: method: GET in the spec but POST on the page ({EXPORT_PAGE}:{page_line})"
        )]
    );
}

#[test]
fn a_changed_rate_limit() {
    let (dir, found) = after(IMPORT_PAGE, "[100 次/分钟]", "[50 次/分钟]");
    let spec_line = line_of(dir.path(), IMPORT_SPEC, "id: ");
    let page_line = line_of(dir.path(), IMPORT_PAGE, "[50 次/分钟]");
    assert_eq!(
        found,
        [format!(
            "{IMPORT_SPEC}:{spec_line}: rate_limit: per_minute is 100 in the spec but 50 on the page ({IMPORT_PAGE}:{page_line})"
        )]
    );
}

#[test]
fn a_new_enum_value() {
    let (dir, found) = after(
        IMPORT_PAGE,
        "<md-enum-item key=\"1\" >挂载到云空间</md-enum-item>\n",
        "<md-enum-item key=\"1\" >挂载到云空间</md-enum-item>\n<md-enum-item key=\"2\" >挂载到知识库</md-enum-item>\n",
    );
    let spec_line = line_of(dir.path(), IMPORT_SPEC, "name: mount_type");
    let page_line = line_of(dir.path(), IMPORT_PAGE, ">mount_type<");
    assert_eq!(
        found,
        [format!(
            "{IMPORT_SPEC}:{spec_line}: body: `body.point.mount_type` value `2` (挂载到知识库) is on the page ({IMPORT_PAGE}:{page_line}) but not in the spec"
        )]
    );
}

const TICKET_ROW: &str =
    "<md-dt-tr level=\"1\">\n\t<md-dt-td>\n\t<md-text type=\"field-name\" >ticket</md-text>";

#[test]
fn a_new_reply_field() {
    let (dir, found) = after(
        IMPORT_PAGE,
        TICKET_ROW,
        &format!(
            "<md-dt-tr level=\"1\">\n\t<md-dt-td>\n\t<md-text type=\"field-name\" >queue</md-text>\n\t</md-dt-td>\n\t<md-dt-td>\n\t<md-text type=\"field-type\" >int</md-text>\n\t</md-dt-td>\n\t<md-dt-td>\n\t排队位置\n\t</md-dt-td>\n</md-dt-tr>\n\n\n{TICKET_ROW}"
        ),
    );
    let spec_line = line_of(dir.path(), IMPORT_SPEC, "id: ");
    let page_line = line_of(dir.path(), IMPORT_PAGE, ">queue<");
    assert_eq!(
        found,
        [format!(
            "{IMPORT_SPEC}:{spec_line}: response: field `queue` is on the page ({IMPORT_PAGE}:{page_line}) but not in the spec"
        )]
    );
}

#[test]
fn a_removed_reply_field() {
    let (dir, found) = after(IMPORT_PAGE, ">ticket</md-text>", ">ticket_id</md-text>");
    let spec_line = line_of(dir.path(), IMPORT_SPEC, "    - name: ticket");
    let page_line = line_of(dir.path(), IMPORT_PAGE, ">ticket_id<");
    assert_eq!(
        found,
        [
            format!(
                "{IMPORT_SPEC}:{}: response: field `ticket_id` is on the page ({IMPORT_PAGE}:{page_line}) but not in the spec",
                line_of(dir.path(), IMPORT_SPEC, "id: ")
            ),
            format!(
                "{IMPORT_SPEC}:{spec_line}: response: field `ticket` is in the spec but not on the page ({IMPORT_PAGE})"
            ),
        ]
    );
}

#[test]
fn an_override_is_accepted_exactly() {
    // The tree's move spec overrides two differences; one that matches nothing is refused.
    let dir = copy();
    edit(
        dir.path(),
        "specs/feishu/endpoints/drive_file_move.yaml",
        "overrides:\n",
        "overrides:\n  - fact: errors.999\n    reason: no such difference\n",
    );
    let found = check(dir.path());
    let line = line_of(
        dir.path(),
        "specs/feishu/endpoints/drive_file_move.yaml",
        "fact: errors.999",
    );
    assert_eq!(
        found,
        [format!(
            "specs/feishu/endpoints/drive_file_move.yaml:{line}: overrides: `errors.999` matches no difference from the page: drop the override"
        )]
    );
}
