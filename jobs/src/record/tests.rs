//! The record's writes: each durable when it returns, many committed together, one failure
//! undoing nothing but itself; a second job on the same folder refused.

use super::{Job, Listed, Record, RecordError, Remote, State};
use std::sync::Arc;

fn source() -> Remote {
    Remote::Folder {
        token: "fldcnTest".into(),
    }
}

fn listed(id: &str) -> Listed {
    Listed::new(
        id.into(),
        None,
        "docx".into(),
        id.into(),
        format!("title {id}"),
        Some("1".into()),
        State::Listed,
        None,
    )
}

#[test]
fn writes_from_many_threads_are_all_committed_and_a_failure_stays_its_own() {
    let dir = tempfile::tempdir().unwrap();
    let record = Arc::new(Record::open_for_job(dir.path(), Job::Backup, &source()).unwrap());
    let run = record.begin_run(0).unwrap();
    let ids: Vec<String> = (0..400).map(|i| format!("doc{i}")).collect();
    let page: Vec<Listed> = ids.iter().map(|id| listed(id)).collect();
    record.record_listed(run, &page).unwrap();
    let threads: Vec<_> = ids
        .chunks(25)
        .map(|chunk| {
            let (record, chunk) = (Arc::clone(&record), chunk.to_vec());
            std::thread::spawn(move || {
                for id in chunk {
                    record.set_exporting(&id, "ticket").unwrap();
                    record.set_done(&id, 7, Some("1")).unwrap();
                }
            })
        })
        .collect();
    // A write that fails, among the others: rolled back alone.
    let failing = record.write(|db| {
        db.execute("UPDATE items SET state = 'failed' WHERE id = 'doc0'", [])?;
        db.execute("INSERT INTO no_such_table VALUES (1)", [])?;
        Ok(())
    });
    assert!(matches!(failing, Err(RecordError::Database(_))));
    for thread in threads {
        thread.join().unwrap();
    }
    drop(record);
    // Reopened: everything written is there.
    let record = Record::open_for_job(dir.path(), Job::Backup, &source()).unwrap();
    let counts = record.counts().unwrap();
    assert_eq!(counts.get(State::Done), 400, "{counts:?}");
    assert_eq!(counts.bytes, 7 * 400);
}

#[test]
fn a_second_job_on_the_folder_is_refused_and_another_source_too() {
    let dir = tempfile::tempdir().unwrap();
    let first = Record::open_for_job(dir.path(), Job::Backup, &source()).unwrap();
    assert!(matches!(
        Record::open_for_job(dir.path(), Job::Backup, &source()),
        Err(RecordError::Busy { .. })
    ));
    drop(first);
    let other = Remote::Wiki {
        space_id: "1".into(),
        parent_node: None,
    };
    assert!(matches!(
        Record::open_for_job(dir.path(), Job::Backup, &other),
        Err(RecordError::OtherSource { .. })
    ));
    // Reading while a job runs is allowed; writing through a reader is not.
    let _job = Record::open_for_job(dir.path(), Job::Backup, &source()).unwrap();
    let reader = Record::open_to_read(dir.path(), Job::Backup).unwrap();
    assert!(reader.counts().is_ok());
    assert!(matches!(reader.begin_run(0), Err(RecordError::Write(_))));
}
