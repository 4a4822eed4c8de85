//! Shared types and error tables (provider.yaml's `types:` and `error_tables:`): a name that
//! resolves to nothing or to the wrong kind is a located error, and a shared type is
//! generated once, in the provider's `types` module, whatever number of endpoints use it.

mod common;

use common::{Workspace, file};

const PROVIDER: &str = "feishu/provider.yaml";
const MEETINGS: &str = "feishu/endpoints/vc_export_meeting_list.yaml";
const NODES: &str = "feishu/endpoints/wiki_space_node_list.yaml";

#[test]
fn a_name_that_resolves_to_nothing_is_located_at_the_reference() {
    let ws = Workspace::new();
    let enum_line = ws.edit(MEETINGS, "enum: UserIdType", "enum: UserIdTipe");
    let table_line = ws.edit(
        MEETINGS,
        "errors_from: vc_export",
        "errors_from: vc_exports",
    );
    let object_line = ws.edit(NODES, "object: WikiNode", "object: WikiNod");
    assert_eq!(
        ws.errors(),
        [
            format!(
                "{}:{enum_line}:11: params[0].enum: no shared type `UserIdTipe` in provider.yaml",
                file(MEETINGS)
            ),
            format!(
                "{}:{table_line}:14: errors_from: no error table `vc_exports` in provider.yaml",
                file(MEETINGS)
            ),
            format!(
                "{}:{object_line}:15: response.fields[0].object: no shared type `WikiNod` in provider.yaml",
                file(NODES)
            ),
            // Once more where the cause may be (a declaration removed or renamed).
            format!(
                "{}:3:1: declares no `UserIdTipe`, `WikiNod`, `vc_exports` that endpoints name (`types:`, `error_tables:`)",
                file(PROVIDER)
            ),
        ]
    );
}

#[test]
fn a_shared_type_of_the_wrong_kind_or_type_is_refused() {
    let ws = Workspace::new();
    let object_line = ws.edit(NODES, "object: WikiNode", "object: UserIdType");
    // MeetingStatus has integer values; user_id_type is a string parameter.
    let type_line = ws.edit(MEETINGS, "enum: UserIdType", "enum: MeetingStatus");
    assert_eq!(
        ws.errors(),
        [
            format!(
                "{}:{type_line}:11: params[0].enum: `MeetingStatus` has integer values; this is string",
                file(MEETINGS)
            ),
            format!(
                "{}:{object_line}:15: response.fields[0].object: `UserIdType` is a shared enum, not an object: use `enum:`",
                file(NODES)
            ),
        ]
    );
}

#[test]
fn a_shared_declaration_is_checked_where_it_is_declared() {
    let ws = Workspace::new();
    let line = ws.edit(
        PROVIDER,
        "{value: 3, name: Upcoming",
        "{value: 2, name: Upcoming",
    );
    let errors = ws.errors();
    assert_eq!(errors.len(), 1, "{errors:?}");
    assert!(
        errors[0].starts_with(&format!("{}:{line}:", file(PROVIDER))),
        "reported once, in provider.yaml: {errors:?}"
    );
}

#[test]
fn each_shared_type_is_generated_once_in_the_providers_types_module() {
    let root = codegen::workspace_root().unwrap();
    let files = codegen::generate(&root, "specs").unwrap();
    let (set, _) = codegen::load::load(&root, "specs");
    let mut checked = 0;
    for dir in &set.providers {
        for shared in &dir.provider.types {
            let name = &shared.name().value;
            let defines = |f: &&codegen::emit::GeneratedFile| {
                f.contents.contains(&format!("pub struct {name} "))
                    || f.contents.contains(&format!("pub enum {name} "))
            };
            // Another provider may have a type of the same name: its own.
            let mine = |f: &&codegen::emit::GeneratedFile| {
                f.path.starts_with(&format!("{}/", dir.dir_name))
            };
            let defined: Vec<&str> = files
                .iter()
                .filter(mine)
                .filter(defines)
                .map(|f| f.path.as_str())
                .collect();
            assert_eq!(
                defined,
                [format!("{}/types.rs", dir.dir_name)],
                "{name} is defined once, in the provider's types module"
            );
            checked += 1;
        }
    }
    assert!(checked > 0, "the specs declare shared types");
}
