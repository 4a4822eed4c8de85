//! Spec handling end to end: damaged specs get located errors, all at once, and never a
//! panic; spec features no real endpoint uses yet still generate.
//!
//! Each case copies the real `specs/` into a temp dir, damages one thing, and asserts the
//! exact message, with the line computed from where the damage was made.

mod common;

use codegen::{Error, generate};
use common::{Workspace, file, real_specs};

const EXPORT: &str = "feishu/endpoints/drive_export_task_get.yaml";
const IMPORT: &str = "feishu/endpoints/drive_import_task_get.yaml";
const DINGTALK: &str = "dingtalk/endpoints/doc_task_info_get.yaml";

#[test]
fn the_real_specs_generate() {
    let first = generate(&real_specs().join(".."), "specs").unwrap();
    let second = generate(&real_specs().join(".."), "specs").unwrap();
    assert_eq!(first, second, "output is deterministic");
    let mut paths: Vec<String> = first.iter().map(|f| f.path.clone()).collect();
    paths.sort_unstable();
    // One file per provider and per endpoint spec (named by its operation), plus the
    // crate-wide ones: what the specs say, not a list kept here.
    let (set, problems) = codegen::load::load(&real_specs().join(".."), "specs");
    assert!(problems.is_empty(), "{problems}");
    let mut expected: Vec<String> = ["cli.rs", "mod.rs", "testing.rs"]
        .map(String::from)
        .to_vec();
    for dir in &set.providers {
        expected.push(format!("{}/mod.rs", dir.dir_name));
        if !dir.provider.types.is_empty() {
            expected.push(format!("{}/types.rs", dir.dir_name));
        }
        for e in &dir.endpoints {
            expected.push(format!("{}/{}.rs", dir.dir_name, e.operation.value));
        }
    }
    expected.sort_unstable();
    assert_eq!(paths, expected);
}

#[test]
fn unknown_key_is_a_located_error() {
    let ws = Workspace::new();
    let line = ws.edit(
        IMPORT,
        "    hint: 文件超过 20 MB",
        "    hnit: 文件超过 20 MB",
    );
    let errors = ws.errors();
    assert_eq!(errors.len(), 1, "{errors:#?}");
    assert_eq!(
        errors[0],
        format!(
            "{}:{line}:5: errors[8].hnit: unknown field; expected one of: http_status, code, name, message, hint, source, \
             retryable, invalidates_token",
            file(IMPORT)
        )
    );
}

/// The column (1-based, in characters) where `needle` starts on line `line` of a spec.
fn column(ws: &Workspace, spec: &str, line: usize, needle: &str) -> usize {
    let text = ws.read(spec);
    let line_text = text.lines().nth(line - 1).unwrap();
    let at = line_text.find(needle).unwrap();
    line_text[..at].chars().count() + 1
}

/// `source` (where a label or hint comes from) is read like every other key: a value other
/// than `authored` is a located error, on an enum value and on an error alike, and a
/// `source` with no text to qualify is one too.
#[test]
fn a_bad_label_source_is_a_located_error() {
    let ws = Workspace::new();
    let label_line = ws.edit(
        DINGTALK,
        "description: 等待中 (waiting)}",
        "description: 等待中 (waiting), source: page}",
    );
    let label_col = column(&ws, DINGTALK, label_line, "page}");
    let hint_line = ws.edit(
        DINGTALK,
        "    hint: 参数错误\n",
        "    hint: 参数错误\n    source: reference\n",
    ) + 1;
    let orphan_line = ws.edit(
        "feishu/provider.yaml",
        "    hint: 应用已停用。\n    source: authored\n",
        "    source: authored\n",
    );
    let vc = "feishu/endpoints/vc_export_get.yaml";
    let orphan_label_line = ws.edit(
        vc,
        "name: Done, description: 完成 (done), source: authored}",
        "name: Done, source: authored}",
    );
    let orphan_label_col = column(&ws, vc, orphan_label_line, "authored}");
    assert_eq!(
        ws.errors(),
        vec![
            format!(
                "{}:{label_line}:{label_col}: response.fields[1].enum.values[0].source: unknown value `page`; \
                 expected one of authored",
                file(DINGTALK)
            ),
            format!(
                "{}:{hint_line}:13: errors[0].source: unknown value `reference`; expected one of authored",
                file(DINGTALK)
            ),
            format!(
                "{}:{orphan_label_line}:{orphan_label_col}: response.fields[0].enum.values[2].source: `source` says \
                 where the `description` comes from, and this value has no `description`",
                file(vc)
            ),
            format!(
                "{}:{orphan_line}:13: common_errors[5].source: `source` says where the `hint` comes from, \
                 and this error has no `hint`",
                file("feishu/provider.yaml")
            ),
        ]
    );
}

#[test]
fn duplicate_code_names_both_places() {
    let ws = Workspace::new();
    let line = ws.edit(IMPORT, "code: 1069905", "code: 1069903");
    assert_eq!(
        ws.errors(),
        vec![format!(
            "{}:{line}:11: errors[4].code: duplicate code 1069903 (first at errors[2].code)",
            file(IMPORT)
        )]
    );
}

#[test]
fn names_colliding_after_case_conversion_ask_for_an_explicit_name() {
    let ws = Workspace::new();
    ws.edit(IMPORT, "    name: InternalError1069903\n", "");
    let line = ws
        .read(IMPORT)
        .lines()
        .position(|l| l.contains("code: 1069903"))
        .unwrap()
        + 1;
    assert_eq!(
        ws.errors(),
        vec![format!(
            "{}:{line}:11: errors[2].code: variant name `InternalError` (from message \"internal error\") collides \
             with errors[0] (code 1069901); give one of them an explicit `name:`",
            file(IMPORT)
        )]
    );
}

#[test]
fn path_template_must_match_path_params() {
    let ws = Workspace::new();
    let path_line = ws.edit(EXPORT, "export_tasks/{ticket}", "export_tasks/{tickets}");
    let param_line = ws
        .read(EXPORT)
        .lines()
        .position(|l| l == "  - name: ticket")
        .unwrap()
        + 1;
    assert_eq!(
        ws.errors(),
        vec![
            format!(
                "{}:{path_line}:7: path: `{{tickets}}` has no matching parameter with `in: path`",
                file(EXPORT)
            ),
            format!(
                "{}:{param_line}:11: params[0].name: path parameter does not appear in path \
                 `/open-apis/drive/v1/export_tasks/{{tickets}}`",
                file(EXPORT)
            ),
        ]
    );
}

#[test]
fn unknown_types_and_methods_are_rejected() {
    let ws = Workspace::new();
    let method_line = ws.edit(DINGTALK, "method: GET", "method: FETCH");
    let type_line = ws.edit(
        DINGTALK,
        "      type: integer\n      description: 任务总数",
        "      type: int\n      description: 任务总数",
    );
    assert_eq!(
        ws.errors(),
        vec![
            format!(
                "{}:{method_line}:9: method: unknown value `FETCH`; expected one of GET, POST, PUT, PATCH, DELETE",
                file(DINGTALK)
            ),
            format!(
                "{}:{}:13: response.fields[2].type: unknown value `int`; expected one of string, integer, number, boolean, object, array, map",
                file(DINGTALK),
                type_line
            ),
        ]
    );
}

#[test]
fn every_problem_in_every_file_is_reported_at_once() {
    let ws = Workspace::new();
    ws.edit(DINGTALK, "required: true", "required: yes");
    ws.edit(EXPORT, "operation: get_export_task\n", "");
    ws.edit(
        IMPORT,
        "value: 0, name: Success",
        "value: zero, name: Success",
    );
    let errors = ws.errors();
    assert_eq!(errors.len(), 3, "{errors:#?}");
    assert!(
        errors[0].starts_with(&format!("{}:", file(DINGTALK)))
            && errors[0].ends_with("params[0].required: expected true or false, found `yes`"),
        "{}",
        errors[0]
    );
    assert_eq!(
        errors[1],
        format!("{}:1:1: operation: missing required field", file(EXPORT))
    );
    assert!(errors[2].ends_with("response.fields[0].object.fields[2].enum.values[0].value: expected an integer, found `zero`"), "{}", errors[2]);
}

#[test]
fn error_names_must_be_derivable_or_given() {
    let ws = Workspace::new();
    let line = ws.edit(DINGTALK, "    name: ParamError\n", "");
    // The `message: "%s"` line now stands where `name:` stood.
    assert_eq!(
        ws.errors(),
        vec![format!(
            "{}:{}:14: errors[0].message: cannot derive a variant name from message \"%s\"; add `name:` to this error",
            file(DINGTALK),
            line - 1
        )]
    );
}

#[test]
fn reserved_and_clashing_names_are_rejected() {
    let ws = Workspace::new();
    ws.edit(DINGTALK, "name: SystemError", "name: Unknown");
    ws.edit(EXPORT, "name: ExportJobStatus", "name: ImportJobStatus");
    let errors = ws.errors();
    assert_eq!(errors.len(), 2, "{errors:#?}");
    assert!(errors[0].ends_with("errors[1].name: `Unknown` is reserved by the generator; give this error another `name:`"), "{}", errors[0]);
    // The two claims are in different files: the message names the other one.
    assert!(
        errors[1].contains("type name `ImportJobStatus` collides with specs/feishu/endpoints/drive_export_task_get.yaml: response."),
        "{}",
        errors[1]
    );
}

#[test]
fn yaml_level_damage_is_located() {
    let cases: &[(&str, &str, &str)] = &[
        (
            "unclosed bracket",
            "token_kinds: [tenant_access_token, user_access_token]",
            "token_kinds: [tenant_access_token, user_access_token",
        ),
        (
            "tab indentation",
            "  - scope: vc:export",
            "\t- scope: vc:export",
        ),
        (
            "duplicate key",
            "title: 查询导出任务结果\n",
            "title: 查询导出任务结果\ntitle: again\n",
        ),
        (
            "alias",
            "app_types: [custom, isv]",
            "app_types: &a [custom, isv]\nextra: *a",
        ),
    ];
    for (what, from, to) in cases {
        let ws = Workspace::new();
        ws.edit("feishu/endpoints/vc_export_get.yaml", from, to);
        let errors = ws.errors();
        assert_eq!(errors.len(), 1, "{what}: {errors:#?}");
        let prefix = format!("{}:", file("feishu/endpoints/vc_export_get.yaml"));
        assert!(errors[0].starts_with(&prefix), "{what}: {}", errors[0]);
        let line: usize = errors[0][prefix.len()..]
            .split(':')
            .next()
            .unwrap()
            .parse()
            .unwrap_or(0);
        assert!(line > 0, "{what}: no line in {}", errors[0]);
    }
}

#[test]
fn alias_bombs_empty_files_and_bad_bytes_are_refused() {
    let ws = Workspace::new();
    let bomb = "a: &a [x, x, x, x, x, x, x, x, x]\nb: &b [*a, *a, *a, *a, *a, *a, *a, *a, *a]\nc: &c [*b, *b, *b, *b, *b, *b, *b, *b, *b]\nd: [*c, *c, *c, *c, *c, *c, *c, *c, *c]\n";
    std::fs::write(ws.path(EXPORT), bomb).unwrap();
    std::fs::write(ws.path(IMPORT), "").unwrap();
    std::fs::write(ws.path(DINGTALK), b"id: \"\xff\xfe\"\n").unwrap();
    assert_eq!(
        ws.errors(),
        vec![
            format!(
                "{}:1:6: not valid UTF-8: specs must be UTF-8 text",
                file(DINGTALK)
            ),
            format!(
                "{}:1:4: invalid YAML: anchors (`&name`) are not allowed in specs: write the value out",
                file(EXPORT)
            ),
            format!("{}: empty file: expected a spec mapping", file(IMPORT)),
        ]
    );
}

#[test]
fn stray_files_are_reported() {
    let ws = Workspace::new();
    std::fs::write(ws.path("feishu/endpoints/notes.txt"), "todo").unwrap();
    std::fs::write(ws.path("feishu/readme.md"), "x").unwrap();
    assert_eq!(
        ws.errors(),
        vec![
            format!(
                "{}: unexpected file: endpoint specs are `*.yaml` files",
                file("feishu/endpoints/notes.txt")
            ),
            format!(
                "{}: unexpected file: a provider directory holds provider.yaml and endpoints/",
                file("feishu/readme.md")
            ),
        ]
    );
}

/// Every prefix of every real spec is a damaged spec: none may panic, each names its file.
#[test]
fn truncated_specs_never_panic() {
    let ws = Workspace::new();
    for spec in [
        EXPORT,
        IMPORT,
        DINGTALK,
        "feishu/provider.yaml",
        "dingtalk/provider.yaml",
    ] {
        let original = ws.read(spec);
        let cuts: Vec<usize> = (1..original.len())
            .step_by(97)
            .filter(|i| original.is_char_boundary(*i))
            .collect();
        for cut in cuts {
            std::fs::write(ws.path(spec), &original[..cut]).unwrap();
            if let Err(Error::Specs(diags)) = generate(ws.dir.path(), "specs") {
                // A provider cut before its declarations leaves what endpoints name from
                // it unresolved: reported where named, and once in the cut file.
                let unresolved =
                    |m: &str| m.starts_with("no shared type") || m.starts_with("no error table");
                assert!(
                    diags.iter().any(|d| d.file == file(spec))
                        && diags
                            .iter()
                            .all(|d| d.file == file(spec) || unresolved(&d.message)),
                    "cut {cut} of {spec}: {diags}"
                );
            }
        }
        std::fs::write(ws.path(spec), &original).unwrap();
    }
}

/// No real endpoint has optional parameters yet; the emission path must work when one does.
#[test]
fn optional_params_get_setters_query_handling_and_cli_flags() {
    let ws = Workspace::new();
    ws.edit(
        "feishu/endpoints/vc_export_get.yaml",
        "response:\n",
        "  - name: page_size\n    in: query\n    type: integer\n    required: false\n    description: 分页大小\n\
         \x20 - name: withDetail\n    in: query\n    type: boolean\n    required: false\n    description: 详情\nresponse:\n",
    );
    let files = generate(ws.dir.path(), "specs").unwrap();
    let endpoint = &files
        .iter()
        .find(|f| f.path == "feishu/get_meeting_export.rs")
        .unwrap()
        .contents;
    for expected in [
        "pub fn page_size(mut self, page_size: i64) -> Self {",
        "self.page_size = Some(page_size);",
        "pub fn with_detail(mut self, with_detail: bool) -> Self {",
        "if let Some(value) = &self.page_size {",
        "pairs.push((\"page_size\", value.to_string()));",
        "pairs.push((\"withDetail\", value.to_string()));",
        "page_size: None,",
    ] {
        assert!(
            endpoint.contains(expected),
            "missing {expected:?} in:\n{endpoint}"
        );
    }
    let cli = &files.iter().find(|f| f.path == "cli.rs").unwrap().contents;
    for expected in [
        "Arg::new(\"withDetail\")",
        ".long(\"with-detail\")",
        ".value_parser(::clap::value_parser!(i64))",
        "request = request.page_size(value);",
    ] {
        assert!(cli.contains(expected), "missing {expected:?} in cli.rs");
    }
}

#[test]
fn token_endpoint_rules_are_checked() {
    let ws = Workspace::new();
    let feishu = "feishu/provider.yaml";
    let method_line = ws.edit(feishu, "  method: POST", "  method: GET");
    ws.edit(feishu, "        role: access_token\n", "");
    let text = ws.read(feishu);
    let reply_line = text
        .lines()
        .position(|l| l.contains("name: TenantAccessTokenReply"))
        .unwrap()
        + 1;
    let misplaced_line = ws.edit(
        DINGTALK,
        "      type: integer\n      description: 成功数量",
        "      type: integer\n      role: app_id\n      description: 成功数量",
    ) + 1;
    let flag_line = ws.edit(
        DINGTALK,
        "    retryable: true\n",
        "    retryable: true\n    invalidates_token: true\n",
    ) + 1;
    assert_eq!(
        ws.errors(),
        vec![
            format!(
                "{}:{misplaced_line}:13: response.fields[3].role: `role` is only for the fields of a token_endpoint's request and response",
                file(DINGTALK)
            ),
            format!(
                "{}:{flag_line}:24: errors[1].invalidates_token: token errors are declared once, in provider.yaml common_errors",
                file(DINGTALK)
            ),
            format!(
                "{}:{method_line}:11: token_endpoint.method: a token endpoint is a POST with a JSON body",
                file(feishu)
            ),
            format!(
                "{}:{reply_line}:11: token_endpoint.response.name: needs one field with `role: access_token`",
                file(feishu)
            ),
        ]
    );
}

#[test]
fn waiter_rules_are_checked_against_the_response_schema() {
    let ws = Workspace::new();
    let vc = "feishu/endpoints/vc_export_get.yaml";
    let status_line = ws.edit(
        EXPORT,
        "  status: result.job_status",
        "  status: result.job_state",
    );
    let pending_line = ws.edit(IMPORT, "  pending: [1, 2]", "  pending: [1]");
    let ready_line = ws.edit(
        IMPORT,
        "  ready_when_set: result.token",
        "  ready_when_set: result.extra",
    );
    let value_line = ws.edit(DINGTALK, "  success: [1]", "  success: [1, 9]");
    let delay_line = ws.edit(vc, "  min_delay: 3", "  min_delay: 0.5");
    let errors = ws.errors();
    assert_eq!(
        errors,
        vec![
            format!(
                "{}:{value_line}:16: waiter.success[1]: 9 is not a value of TaskStatus",
                file(DINGTALK)
            ),
            format!(
                "{}:{status_line}:11: waiter.status: `result.job_state`: `ExportTaskResult` has no field `job_state`",
                file(EXPORT)
            ),
            format!(
                "{}:{}:11: waiter.status: 2 (Processing) of ImportJobStatus is not listed as pending, success or failure",
                file(IMPORT),
                pending_line - 1
            ),
            format!(
                "{}:{ready_line}:19: waiter.ready_when_set: `result.extra` is array, expected string",
                file(IMPORT)
            ),
            format!(
                "{}:{delay_line}:14: waiter.min_delay: polling every 0.5s would exceed the rate limit: at least 0.6s",
                file(vc)
            ),
        ]
    );
}

/// Keywords are fine as names (they come out as raw identifiers, `r#type`); what no Rust can
/// carry, or what would take a file or method the generated code has, is a located error.
#[test]
fn names_that_cannot_work_are_located_errors_and_keywords_are_not() {
    let ws = Workspace::new();
    let op_line = ws.edit(EXPORT, "operation: get_export_task", "operation: self");
    let type_line = ws.edit(EXPORT, "name: ExportJobStatus", "name: Self");
    let provider_line = ws.edit(
        "dingtalk/provider.yaml",
        "provider: dingtalk",
        "provider: testing",
    );
    let errors = ws.errors();
    let expect = |spec: &str, line: usize, needle: &str| {
        let prefix = format!("{}:{line}:{}:", file(spec), column(&ws, spec, line, needle));
        assert!(
            errors.iter().any(|e| e.starts_with(&prefix)),
            "no error at {prefix} in {errors:#?}"
        );
    };
    expect(EXPORT, op_line, "self");
    expect(EXPORT, type_line, "Self");
    expect("dingtalk/provider.yaml", provider_line, "testing");

    // A keyword operation generates (as `r#type`).
    let ws = Workspace::new();
    ws.edit(EXPORT, "operation: get_export_task", "operation: type");
    let files = generate(ws.dir.path(), "specs").unwrap();
    let provider = &files
        .iter()
        .find(|f| f.path == "feishu/mod.rs")
        .unwrap()
        .contents;
    assert!(provider.contains("pub mod r#type;"), "{provider}");
    assert!(files.iter().any(|f| f.path == "feishu/type.rs"));
}

/// A reply field `warnings`, an array of objects with an object in each element, inserted
/// as the first field of the export task's reply.
const WARNINGS: &str = "  fields:\n    - name: warnings\n      type: array\n      description: 警告列表\n      object:\n        name: ExportWarning\n        description: 一条警告 (one warning).\n        fields:\n          - {name: code, type: integer, description: 警告代码}\n          - name: detail\n            type: object\n            description: 详情\n            object:\n              name: ExportWarningDetail\n              fields:\n                - {name: text, type: string, description: 文本}\n";

/// A body field `attachments`, an array of objects with a `max_length` inside, inserted
/// before `file_name` in the import task's body.
const ATTACHMENTS: &str = "    - name: attachments\n      type: array\n      required: false\n      description: 附件列表\n      object:\n        name: ImportAttachment\n        fields:\n          - {name: title, type: string, required: true, max_length: 8, description: 附件名}\n          - {name: size, type: integer, required: false, description: 大小}\n    - name: file_name\n";

/// No real endpoint has an array of objects yet: one in a reply and one in a body
/// generate `Vec`s of their element structs (docs kept), the body's with a setter and its
/// elements' `max_length` checked, and no CLI flag (only `--body` sets it).
#[test]
fn arrays_of_objects_generate_in_replies_and_bodies() {
    let ws = Workspace::new();
    ws.edit(EXPORT, "  fields:\n", WARNINGS);
    let create = "feishu/endpoints/drive_import_task_create.yaml";
    ws.edit(create, "    - name: file_name\n", ATTACHMENTS);
    let files = generate(ws.dir.path(), "specs").unwrap();
    assert_eq!(
        files,
        generate(ws.dir.path(), "specs").unwrap(),
        "output is deterministic"
    );
    // prettyplease breaks lines where it likes: compared without whitespace.
    let squeeze = |text: &str| text.split_whitespace().collect::<String>();
    let contents = |path: &str| squeeze(&files.iter().find(|f| f.path == path).unwrap().contents);
    let export = contents("feishu/get_export_task.rs");
    for expected in [
        "/// `warnings`: 警告列表. May be absent.",
        "pub warnings: ::std::option::Option<::std::vec::Vec<ExportWarning>>,",
        "/// 一条警告 (one warning).",
        "pub struct ExportWarning {",
        "pub detail: ::std::option::Option<ExportWarningDetail>,",
        "pub struct ExportWarningDetail {",
        "pub text: ::std::option::Option<::std::string::String>,",
    ] {
        assert!(export.contains(&squeeze(expected)), "missing {expected:?}");
    }
    let import = contents("feishu/create_import_task.rs");
    for expected in [
        "pub attachments: ::std::option::Option<::std::vec::Vec<ImportAttachment>>,",
        "pub fn attachments(mut self, attachments: ::std::vec::Vec<ImportAttachment>",
        "if let Some(value) = &self.attachments { for value in value { value.check_lengths()?; } }",
        "pub struct ImportAttachment {",
        "pub fn new(title: impl ::std::convert::Into<::std::string::String>)",
        "::taskapi_runtime::check_max_length(\"title\", value, 8)?;",
        "pub fn size(mut self, size: i64) -> Self {",
    ] {
        assert!(import.contains(&squeeze(expected)), "missing {expected:?}");
    }
    let cli = contents("cli.rs");
    assert!(cli.contains("Arg::new(\"point-mount-type\")"));
    assert!(
        !cli.contains("attachments"),
        "a flag for an array of objects"
    );
}

/// An array of objects is checked like a nested object, each mistake located: `items` and
/// `object` both, neither, an `object` on a scalar, an element type name taken twice, and a
/// dotted path (a waiter's status) that would go into an array's elements without `[]`.
#[test]
fn arrays_of_objects_with_wrong_shapes_are_located_errors() {
    let ws = Workspace::new();
    let both_line = ws.edit(
        EXPORT,
        "  fields:\n",
        "  fields:\n    - {name: both, type: array, items: string, description: 两者, object: {name: Both, fields: []}}\n    \
         - {name: neither, type: array, description: 都没有}\n    \
         - {name: scalar, type: string, description: 标量, object: {name: Scalar, fields: []}}\n    \
         - {name: twice, type: array, description: 重名, object: {name: ExportTaskResult, fields: []}}\n    \
         - {name: steps, type: array, description: 步骤, object: {name: ExportStep, fields: [{name: job_status, type: integer, description: 状态}]}}\n",
    ) + 1;
    let column_of = |line: usize, needle: &str| column(&ws, EXPORT, line, needle);
    let status_line = ws.edit(
        EXPORT,
        "  status: result.job_status",
        "  status: steps.job_status",
    );
    let errors = ws.errors();
    let expected = [
        format!(
            "{}:{status_line}:11: waiter.status: `steps` is an array, so `steps.job_status` goes nowhere: step into its elements with `steps[]`",
            file(EXPORT)
        ),
        format!(
            "{}:{both_line}:{}: response.fields[0].items: either `items:` (a scalar element type) or `object:` (an object element), not both",
            file(EXPORT),
            column_of(both_line, "string,")
        ),
        format!(
            "{}:{}:{}: response.fields[1].type: an array field needs `items:` (a scalar element type) or `object:` (an object element)",
            file(EXPORT),
            both_line + 1,
            column_of(both_line + 1, "array,")
        ),
        format!(
            "{}:{}:{}: response.fields[2].object.name: `object:` needs `type: object`, `array` or `map`, not string",
            file(EXPORT),
            both_line + 2,
            column_of(both_line + 2, "Scalar, fields")
        ),
    ];
    for e in &expected {
        assert!(errors.contains(e), "missing {e}\nin {errors:#?}");
    }
    // The element's type name is claimed like a nested object's: the reply's own
    // `ExportTaskResult`, further down, now collides with it.
    let result_line = line_of(&ws, EXPORT, "name: ExportTaskResult\n");
    let twice = format!(
        "{}:{result_line}:15: response.fields[5].object.name: type name `ExportTaskResult` collides with response.fields[3].object.name",
        file(EXPORT),
    );
    assert!(errors.contains(&twice), "missing {twice}\nin {errors:#?}");
    assert_eq!(errors.len(), expected.len() + 1, "{errors:#?}");
}

/// The 1-based line of the first line of a spec containing `needle`.
fn line_of(ws: &Workspace, spec: &str, needle: &str) -> usize {
    let text = ws.read(spec);
    let at = text
        .find(needle)
        .unwrap_or_else(|| panic!("{needle:?} not in {spec}"));
    text[..at].lines().count() + usize::from(text[..at].ends_with('\n') || at == 0)
}

/// `rate_limit.group`: endpoints that share one limit count their calls under one key, so
/// the group must have one set of numbers, and a name.
#[test]
fn a_rate_limit_group_is_one_key_with_one_limit() {
    const GET: &str = "feishu/endpoints/vc_export_get.yaml";
    const DOWNLOAD: &str = "feishu/endpoints/vc_export_download.yaml";
    const IMPORT_GET: &str = "feishu/endpoints/drive_import_task_get.yaml";
    let group = |ws: &Workspace, spec: &str, name: &str| {
        let text = ws.read(spec);
        let limit = text
            .lines()
            .find(|l| l.starts_with("  per_"))
            .unwrap_or_else(|| panic!("{spec} states a rate limit"))
            .to_owned();
        ws.edit(spec, &limit, &format!("{limit}\n  group: {name}")) + 1
    };

    // Two endpoints with the same numbers: both generated under the group's key.
    let ws = Workspace::new();
    group(&ws, GET, "vc_export");
    group(&ws, DOWNLOAD, "vc_export");
    let files = generate(ws.dir.path(), "specs").expect("a shared group generates");
    let keyed = files
        .iter()
        .filter(|f| f.contents.contains("key: \"vc_export\""))
        .count();
    assert_eq!(keyed, 2, "both endpoints count under the group");

    // Other numbers under the same name: refused where the second spec names it.
    let ws = Workspace::new();
    group(&ws, IMPORT_GET, "shared");
    let line = group(&ws, GET, "shared");
    assert_eq!(
        ws.errors(),
        vec![format!(
            "{}:{line}:{}: rate_limit.group: group `shared` has other numbers in {}: one group, one limit",
            file(GET),
            column(&ws, GET, line, "shared"),
            file(IMPORT_GET)
        )]
    );

    // A name that is not snake_case.
    let ws = Workspace::new();
    let line = group(&ws, GET, "Vc Export");
    assert_eq!(
        ws.errors(),
        vec![format!(
            "{}:{line}:{}: rate_limit.group: expected a snake_case group name",
            file(GET),
            column(&ws, GET, line, "Vc Export")
        )]
    );
}

/// The fake server's scripting methods are named by operation, for every provider at once.
#[test]
fn an_operation_of_another_provider_is_refused() {
    const LIST: &str = "feishu/endpoints/drive_file_list.yaml";
    let ws = Workspace::new();
    let dingtalk = "dingtalk/endpoints/wiki_node_list.yaml";
    let operation = ws.read(dingtalk);
    let operation = operation
        .lines()
        .find_map(|l| l.strip_prefix("operation: "))
        .unwrap()
        .to_owned();
    ws.edit(
        dingtalk,
        &format!("operation: {operation}"),
        "operation: list_files",
    );
    // Reported at the second claim, in provider order (dingtalk before feishu), naming both.
    let line = ws.edit(LIST, "operation: list_files", "operation: list_files");
    assert_eq!(
        ws.errors(),
        [format!(
            "{}:{line}:12: operation: operation `list_files` is also {}'s: the fake server's scripting methods (`FakeServer::list_files`) are one namespace across providers",
            file(LIST),
            file(dingtalk)
        )]
    );
}
