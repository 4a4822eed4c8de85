//! `starts.before`, the upload a start takes first, is decoded and validated like every
//! other key: each mistake is one error (or one per fact it breaks), located at the value
//! that is wrong. And the generator decides the names it adds: the workflow method, its
//! subcommand, and an argument for the file that no argument of the start takes.

mod common;

use common::{Workspace, file};

const IMPORT: &str = "feishu/endpoints/drive_import_task_create.yaml";

/// The errors after one edit of a fresh copy of the real specs, and a way to locate text
/// in the edited spec.
fn errors_after(from: &str, to: &str) -> (Vec<String>, Located) {
    let ws = Workspace::new();
    ws.edit(IMPORT, from, to);
    let text = ws.read(IMPORT);
    (ws.errors(), Located(text))
}

struct Located(String);

impl Located {
    /// `specs/<IMPORT>:<line>:<col>` of the first `needle` at or after the line holding
    /// `after`.
    fn at(&self, after: &str, needle: &str) -> String {
        let start = self
            .0
            .find(after)
            .unwrap_or_else(|| panic!("{after:?} not in the spec"));
        let at = start
            + self.0[start..]
                .find(needle)
                .unwrap_or_else(|| panic!("{needle:?} not after {after:?}"));
        let line = self.0[..at].lines().count() + usize::from(self.0[..at].ends_with('\n'));
        let col = at - self.0[..at].rfind('\n').map_or(0, |n| n + 1) + 1;
        format!("{}:{line}:{col}", file(IMPORT))
    }
}

#[test]
fn the_real_import_uploads_first() {
    let ws = Workspace::new();
    assert_eq!(ws.errors_or_none(), Vec::<String>::new());
}

#[test]
fn an_upload_that_does_not_exist_is_located() {
    let (errors, spec) = errors_after(
        "endpoint: feishu.drive.media.upload_all",
        "endpoint: feishu.drive.media.upload_gone",
    );
    assert_eq!(
        errors,
        [format!(
            "{}: starts.before.endpoint: no endpoint `feishu.drive.media.upload_gone` in feishu",
            spec.at("  before:", "feishu.drive.media.upload_gone")
        )]
    );
}

#[test]
fn the_step_before_must_be_an_upload() {
    let (errors, spec) = errors_after(
        "endpoint: feishu.drive.media.upload_all",
        "endpoint: feishu.drive.import_task.get",
    );
    assert_eq!(
        errors,
        [format!(
            "{}: starts.before.endpoint: `feishu.drive.import_task.get` is not an upload: `before` sends a multipart form with a file part (`body: {{content: multipart, file: ..}}`), the path given as its file",
            spec.at("  before:", "feishu.drive.import_task.get")
        )]
    );
}

#[test]
fn an_unknown_key_is_located() {
    let (errors, spec) = errors_after(
        "    workflow: import_file\n",
        "    workflow: import_file\n    after: true\n",
    );
    assert_eq!(
        errors,
        [format!(
            "{}: starts.before.after: unknown field; expected one of: endpoint, workflow, fields, feeds",
            spec.at("  before:", "after:")
        )]
    );
}

#[test]
fn a_field_the_upload_does_not_have_is_located_and_the_one_meant_is_not_set() {
    let (errors, spec) = errors_after(
        "{field: parent_node, value: \"\"}",
        "{field: parent_nodes, value: \"\"}",
    );
    assert_eq!(
        errors,
        [
            format!(
                "{}: starts.before.endpoint: required field `parent_node` of `feishu.drive.media.upload_all` is not set (add it to `fields`)",
                spec.at("  before:", "feishu.drive.media.upload_all")
            ),
            format!(
                "{}: starts.before.fields[2].field: `feishu.drive.media.upload_all` has no body field `parent_nodes`",
                spec.at("  before:", "parent_nodes")
            ),
        ]
    );
}

#[test]
fn a_fixed_value_must_be_one_the_field_takes() {
    let (errors, spec) = errors_after("value: ccm_import_open", "value: ccm_import");
    assert_eq!(
        errors,
        [format!(
            "{}: starts.before.fields[1].value: ccm_import is not a value of MediaParentType (`parent_type`)",
            spec.at("  before:", "ccm_import")
        )]
    );
}

#[test]
fn a_fact_of_the_path_or_a_json_text_goes_to_a_text_field_only() {
    let (errors, spec) = errors_after(
        "{field: parent_type, value: ccm_import_open}",
        "{field: parent_type, path: file_name}",
    );
    assert_eq!(
        errors,
        [format!(
            "{}: starts.before.fields[1].path: `parent_type` is string with listed values: it takes text here",
            spec.at("{field: parent_type", "file_name")
        )]
    );
}

#[test]
fn a_part_the_file_fills_cannot_be_set_and_none_twice() {
    let (errors, spec) = errors_after(
        "      - {field: parent_type, value: ccm_import_open}\n",
        "      - {field: parent_type, value: ccm_import_open}\n      - {field: size, value: 1}\n      - {field: parent_type, value: ccm_import_open}\n",
    );
    assert_eq!(
        errors,
        [
            format!(
                "{}: starts.before.fields[2].field: `size` is filled from the file itself (`from_file`)",
                spec.at("{field: size", "size")
            ),
            format!(
                "{}: starts.before.fields[3].field: set twice (also starts.before.fields[1])",
                spec.at("{field: size", "parent_type")
            ),
        ]
    );
}

#[test]
fn a_field_takes_exactly_one_source() {
    let (errors, spec) = errors_after(
        "{field: parent_node, value: \"\"}",
        "{field: parent_node, value: \"\", path: file_name}",
    );
    assert_eq!(
        errors,
        [format!(
            "{}: starts.before.fields[2]: expected exactly one of `value` (a fixed value), `path` (`file_name` or `extension` of the path given) or `json` (a JSON object's text from this request's fields)",
            spec.at("{field: parent_node", "{")
        )]
    );
    let (errors, spec) = errors_after(
        "{field: file_name, path: file_name}",
        "{field: file_name, path: stem}",
    );
    assert_eq!(
        errors,
        [format!(
            "{}: starts.before.fields[0].path: unknown value `stem`; expected one of file_name, extension",
            spec.at("{field: file_name", "stem")
        )]
    );
}

#[test]
fn a_json_member_reads_a_required_text_field_of_the_start_that_has_a_value_before_the_upload() {
    let (errors, spec) = errors_after("request: type}", "request: kind}");
    assert_eq!(
        errors,
        [format!(
            "{}: starts.before.fields[3].json[0].request: this request has no body field `kind`",
            spec.at("{key: obj_type", "kind")
        )]
    );
    let (errors, spec) = errors_after("request: type}", "request: file_name}");
    assert_eq!(
        errors,
        [format!(
            "{}: starts.before.fields[3].json[0].request: `file_name` must be a required string field (text, or a listed text value) to be a member's value",
            spec.at("{key: obj_type", "file_name")
        )]
    );
    let (errors, spec) = errors_after("request: type}", "request: file_token}");
    assert_eq!(
        errors,
        [format!(
            "{}: starts.before.fields[3].json[0].request: `file_token` is fed by the upload's reply: it has no value before the upload",
            spec.at("{key: obj_type", "file_token")
        )]
    );
    let (errors, spec) = errors_after("{key: file_extension,", "{key: obj_type,");
    assert_eq!(
        errors,
        [format!(
            "{}: starts.before.fields[3].json[1].key: key used twice (also starts.before.fields[3].json[0])",
            spec.at(
                "{key: obj_type, request: type}\n",
                "obj_type, request: file_extension"
            )
        )]
    );
}

#[test]
fn what_the_upload_feeds_is_a_text_field_of_the_start_from_a_text_field_of_the_reply() {
    let (errors, spec) = errors_after("reply: file_token}", "reply: token}");
    assert_eq!(
        errors,
        [format!(
            "{}: starts.before.feeds[0].reply: `token`: `UploadMediaData` has no field `token`",
            spec.at("    feeds:", "token}")
        )]
    );
    let (errors, spec) = errors_after("{field: file_token, reply", "{field: point, reply");
    assert_eq!(
        errors,
        [format!(
            "{}: starts.before.feeds[0].field: `point` is object: it takes text here",
            spec.at("    feeds:", "point")
        )]
    );
    let (errors, spec) = errors_after("{field: file_token, reply", "{field: file_tokens, reply");
    assert_eq!(
        errors,
        [format!(
            "{}: starts.before.feeds[0].field: this request has no body field `file_tokens`",
            spec.at("    feeds:", "file_tokens")
        )]
    );
    let (errors, spec) = errors_after("      - {field: file_token, reply: file_token}\n", "");
    assert_eq!(
        errors,
        [format!(
            "{}: starts.before.endpoint: nothing in `feeds` reads the upload's reply (`reply:`): the upload would feed nothing",
            spec.at("  before:", "feishu.drive.media.upload_all")
        )]
    );
}

#[test]
fn the_workflow_s_name_is_a_free_method_name() {
    let (errors, spec) = errors_after("workflow: import_file", "workflow: import_document");
    assert_eq!(
        errors,
        [format!(
            "{}: starts.before.workflow: operation `import_document` collides with {}",
            spec.at("  before:", "import_document"),
            file(IMPORT)
        )]
    );
    let (errors, spec) = errors_after("workflow: import_file", "workflow: ImportFile");
    assert_eq!(
        errors,
        [format!(
            "{}: starts.before.workflow: must be a snake_case method name like `import_file`",
            spec.at("  before:", "ImportFile")
        )]
    );
}

#[test]
fn the_workflow_s_subcommand_is_no_endpoint_s_id_and_its_file_flag_is_free() {
    let ws = Workspace::new();
    ws.edit(
        "feishu/endpoints/drive_file_delete.yaml",
        "id: feishu.drive.file.delete",
        "id: feishu.drive.import_file",
    );
    let spec = Located(ws.read(IMPORT));
    assert_eq!(
        ws.errors(),
        [format!(
            "{}: starts.before.workflow: its subcommand `feishu.drive.import_file` is the id of the endpoint in {}",
            spec.at("  before:", "import_file"),
            file("feishu/endpoints/drive_file_delete.yaml")
        )]
    );
    let ws = Workspace::new();
    ws.edit(IMPORT, "    - name: file_name\n", "    - name: file\n");
    ws.edit(
        IMPORT,
        "\"file_name\": \"销售表\",",
        "\"file\": \"销售表\",",
    );
    let spec = Located(ws.read(IMPORT));
    assert_eq!(
        ws.errors(),
        [format!(
            "{}: starts.before.workflow: its subcommand takes the file as `--file`, the flag of this request's field `file`",
            spec.at("  before:", "import_file")
        )]
    );
}

/// The generated method takes the file as `path`, unless an argument of the start has the
/// name: then `path_`. The upload's fields and what feeds the start are as the spec says.
#[test]
fn the_file_s_argument_never_takes_a_name_the_start_s_arguments_have() {
    let generated = |ws: &Workspace| {
        let files = codegen::generate(ws.dir.path(), "specs").unwrap();
        let module = files
            .iter()
            .find(|f| f.path == "feishu/create_import_task.rs")
            .unwrap();
        module
            .contents
            .split_whitespace()
            .collect::<Vec<_>>()
            .join(" ")
    };
    let real = generated(&Workspace::new());
    assert!(
        real.contains("pub fn import_file<'c>( &self, path: impl ::std::convert::Into<::std::path::PathBuf>, type_: ImportDocumentType, point: ImportPoint, ) -> ::taskapi_runtime::UploadThen<'c, CreateImportTaskRequest>"),
        "{real}"
    );
    assert!(
        real.contains("next.body.file_token = data .file_token"),
        "{real}"
    );
    assert!(
        real.contains(r#"("obj_type", self.body.type_.value())"#),
        "{real}"
    );

    let ws = Workspace::new();
    ws.edit(IMPORT, "    - name: point\n", "    - name: path\n");
    ws.edit(IMPORT, "\"point\": {", "\"path\": {");
    let renamed = generated(&ws);
    assert!(
        renamed.contains("path_: impl ::std::convert::Into<::std::path::PathBuf>, type_: ImportDocumentType, path: ImportPoint,"),
        "{renamed}"
    );
}
