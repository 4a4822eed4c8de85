//! What a local file becomes in a migration: the document its extension imports to, within
//! the size that type allows, or else a plain file (with the reason).
//!
//! From the import overview (导入文件概述; doc-hub-mcp
//! `feishu/003-服务端API/云文档/云空间/文件/导入文件/导入文件概述.md`@9617d88a): docx and
//! doc import as documents up to 600 MB; txt, md (also `mark`, `markdown`) and html as
//! documents up to 20 MB; xlsx as a sheet or a bitable up to 800 MB; csv as a sheet up to
//! 20 MB or a bitable up to 100 MB; xls as a sheet up to 20 MB. The upload's `extra` must
//! name the file's own extension exactly (else 1069910).

use super::media::ImportAs;

const MB: u64 = 1024 * 1024;

/// What spreadsheets (xlsx, csv) become: the page lets each be a sheet or a bitable.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub enum Spreadsheets {
    /// Sheets (`sheet`), the default.
    #[default]
    Sheet,
    /// Bitables (`bitable`); xls has no bitable import and stays a sheet.
    Bitable,
}

/// Where a local file goes.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Placement {
    /// Imported as this document type.
    Import(ImportAs),
    /// Uploaded as it is, for this reason (no import takes its type, or it is over the
    /// import's size limit).
    PlainFile(String),
}

/// The document type and size limit the import overview gives for `extension` (without
/// its dot, any case), with spreadsheets as `spreadsheets`; `None`: no import takes it.
pub fn import_limit(extension: &str, spreadsheets: Spreadsheets) -> Option<(&'static str, u64)> {
    let bitable = spreadsheets == Spreadsheets::Bitable;
    Some(match extension.to_ascii_lowercase().as_str() {
        "docx" | "doc" => ("docx", 600 * MB),
        "txt" | "md" | "mark" | "markdown" | "html" => ("docx", 20 * MB),
        "xlsx" if bitable => ("bitable", 800 * MB),
        "xlsx" => ("sheet", 800 * MB),
        "csv" if bitable => ("bitable", 100 * MB),
        "csv" => ("sheet", 20 * MB),
        "xls" => ("sheet", 20 * MB),
        _ => return None,
    })
}

/// Where a file named `name` of `size` bytes goes.
pub fn placement(name: &str, size: u64, spreadsheets: Spreadsheets) -> Placement {
    let Some((_, extension)) = name.rsplit_once('.').filter(|(stem, _)| !stem.is_empty()) else {
        return Placement::PlainFile("no extension: no import takes it".into());
    };
    match import_limit(extension, spreadsheets) {
        Some((obj_type, limit)) if size <= limit => Placement::Import(ImportAs {
            obj_type: obj_type.to_owned(),
            // As the file has it: the import refuses another spelling (1069910).
            extension: extension.to_owned(),
        }),
        Some((obj_type, limit)) => Placement::PlainFile(format!(
            "{size} bytes, over the {} MB a {extension} file can be imported as a {obj_type}",
            limit / MB
        )),
        None => Placement::PlainFile(format!("no import takes .{extension} files")),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn import(obj_type: &str, extension: &str) -> Placement {
        Placement::Import(ImportAs {
            obj_type: obj_type.into(),
            extension: extension.into(),
        })
    }

    #[test]
    fn each_extension_imports_to_its_type_within_its_limit() {
        let sheets = Spreadsheets::Sheet;
        assert_eq!(
            placement("a.docx", 600 * MB, sheets),
            import("docx", "docx")
        );
        assert_eq!(
            placement("notes.Markdown", 5, sheets),
            import("docx", "Markdown")
        );
        assert_eq!(placement("t.xlsx", 1, sheets), import("sheet", "xlsx"));
        assert_eq!(
            placement("t.xlsx", 1, Spreadsheets::Bitable),
            import("bitable", "xlsx")
        );
        assert_eq!(
            placement("t.xls", 1, Spreadsheets::Bitable),
            import("sheet", "xls")
        );
        assert_eq!(
            placement("t.csv", 50 * MB, Spreadsheets::Bitable),
            import("bitable", "csv")
        );
        assert!(matches!(
            placement("t.csv", 50 * MB, sheets),
            Placement::PlainFile(r) if r.contains("20 MB") && r.contains("sheet")
        ));
        assert!(matches!(
            placement("a.docx", 600 * MB + 1, sheets),
            Placement::PlainFile(_)
        ));
        assert!(
            matches!(placement("photo.jpg", 1, sheets), Placement::PlainFile(r) if r.contains(".jpg"))
        );
        assert!(
            matches!(placement(".docx", 1, sheets), Placement::PlainFile(r) if r.contains("no extension"))
        );
        assert!(matches!(
            placement("README", 1, sheets),
            Placement::PlainFile(_)
        ));
    }
}
