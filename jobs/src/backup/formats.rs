//! What becomes of each type of item: exported in which format, downloaded as it is, a
//! folder, or skipped with the reason.

use std::collections::BTreeMap;

/// What a backup does with an item of one type.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Plan {
    /// A folder: its children go in a directory.
    Folder,
    /// A document: exported as a file with this extension (`docx`, `pdf`, `xlsx`, `csv`).
    Export(String),
    /// A plain file: downloaded as it is.
    Download,
    /// Not backed up, for this reason.
    Skip(String),
}

/// The export format per document type: `doc`/`docx` to `docx` and `sheet`/`bitable` to
/// `xlsx` unless set otherwise (`--format docx=pdf,sheet=csv`).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Formats {
    by_type: BTreeMap<&'static str, &'static str>,
}

/// The document types the export endpoint takes, and the formats a backup can export each
/// to (its page; the first is the default). CSV is left out: it holds one sheet, named by
/// an id (`sub_id`) that no listing gives, and the endpoint refuses it without one.
const EXPORTABLE: [(&str, &[&str]); 4] = [
    ("doc", &["docx", "pdf"]),
    ("docx", &["docx", "pdf"]),
    ("sheet", &["xlsx"]),
    ("bitable", &["xlsx"]),
];

impl Default for Formats {
    fn default() -> Self {
        Formats {
            by_type: EXPORTABLE.iter().map(|(t, f)| (*t, f[0])).collect(),
        }
    }
}

impl Formats {
    /// The defaults with `spec`'s choices: `type=format` pairs separated by commas, e.g.
    /// `docx=pdf,doc=pdf`. An unknown type, or a format the type cannot be exported to, is
    /// refused, naming what is possible.
    pub fn parse(spec: &str) -> Result<Formats, String> {
        let mut formats = Formats::default();
        for pair in spec.split(',').map(str::trim).filter(|p| !p.is_empty()) {
            let Some((kind, format)) = pair.split_once('=') else {
                return Err(format!("expected TYPE=FORMAT, got {pair:?}"));
            };
            let (kind, format) = (kind.trim(), format.trim());
            let Some((kind, allowed)) = EXPORTABLE.iter().find(|(t, _)| *t == kind) else {
                let types: Vec<_> = EXPORTABLE.iter().map(|(t, _)| *t).collect();
                return Err(format!(
                    "{kind:?} cannot be exported; the types are {}",
                    types.join(", ")
                ));
            };
            let Some(format) = allowed.iter().find(|f| **f == format) else {
                let why = if format == "csv" {
                    " (csv holds one sheet, chosen by an id a listing does not give)"
                } else {
                    ""
                };
                return Err(format!(
                    "{kind} exports to {}, not {format:?}{why}",
                    allowed.join(" or ")
                ));
            };
            formats.by_type.insert(kind, format);
        }
        Ok(formats)
    }

    /// The choices as one text (`type=format` in type order), as the record keeps them: a
    /// folder backed up in some formats is continued in the same ones.
    pub fn key(&self) -> String {
        let pairs: Vec<String> = self
            .by_type
            .iter()
            .map(|(t, f)| format!("{t}={f}"))
            .collect();
        pairs.join(",")
    }

    /// What to do with an item listed with type `kind`.
    pub fn plan(&self, kind: &str) -> Plan {
        match kind {
            "folder" => Plan::Folder,
            "file" => Plan::Download,
            "shortcut" => Plan::Skip(
                "a shortcut: its target is backed up where it lives, if inside the backup".into(),
            ),
            _ => match self.by_type.get(kind) {
                Some(format) => Plan::Export((*format).to_owned()),
                None => Plan::Skip(format!(
                    "{kind} cannot be exported by the export endpoint (it takes doc, docx, sheet \
                     and bitable)"
                )),
            },
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn defaults_and_choices() {
        let formats = Formats::parse("docx=pdf, sheet=xlsx").unwrap();
        assert_eq!(formats.plan("docx"), Plan::Export("pdf".into()));
        assert_eq!(formats.plan("doc"), Plan::Export("docx".into()));
        assert_eq!(formats.plan("sheet"), Plan::Export("xlsx".into()));
        assert_eq!(formats.key(), "bitable=xlsx,doc=docx,docx=pdf,sheet=xlsx");
        assert_eq!(formats.plan("bitable"), Plan::Export("xlsx".into()));
        assert_eq!(formats.plan("file"), Plan::Download);
        assert_eq!(formats.plan("folder"), Plan::Folder);
        assert!(matches!(formats.plan("mindnote"), Plan::Skip(r) if r.contains("mindnote")));
        assert!(matches!(formats.plan("shortcut"), Plan::Skip(_)));
    }

    #[test]
    fn bad_choices_are_refused_with_what_is_possible() {
        assert_eq!(
            Formats::parse("docx=xlsx").unwrap_err(),
            "docx exports to docx or pdf, not \"xlsx\""
        );
        assert!(
            Formats::parse("sheet=csv")
                .unwrap_err()
                .contains("one sheet")
        );
        assert!(
            Formats::parse("mindnote=pdf")
                .unwrap_err()
                .contains("doc, docx, sheet")
        );
        assert!(Formats::parse("docx").unwrap_err().contains("TYPE=FORMAT"));
    }
}
