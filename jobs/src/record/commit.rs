//! Group commit: the record's writes, from any number of threads, committed together by one
//! writer thread. A write returns only once the transaction holding it is committed and
//! synced, so each write is as durable as if it were committed alone; the writes that
//! arrive while the disk syncs one commit go in the next, with one sync between them all
//! (a sync costs milliseconds: one per write would set the pace of a large backup).

use super::error::RecordError;
use rusqlite::Connection;
use std::any::Any;
use std::sync::Mutex;
use std::sync::mpsc::{Receiver, SyncSender, sync_channel};

/// The most writes in one commit.
const MAX_BATCH: usize = 512;

type Output = Box<dyn Any + Send>;
type Op = Box<dyn FnOnce(&Connection) -> Result<Output, RecordError> + Send>;

struct Job {
    op: Op,
    reply: SyncSender<Result<Output, RecordError>>,
}

/// The writer thread, and the way to it. Dropped, it lets the thread finish and joins it.
pub(super) struct Writer {
    jobs: Mutex<Option<SyncSender<Job>>>,
    thread: Option<std::thread::JoinHandle<()>>,
}

impl Writer {
    /// Starts the thread that owns `db` for writing.
    pub(super) fn start(db: Connection) -> Result<Writer, RecordError> {
        let (jobs, queue) = sync_channel(MAX_BATCH);
        let thread = std::thread::Builder::new()
            .name("taskapi-record".into())
            .spawn(move || run(db, queue))
            .map_err(|source| RecordError::Io {
                doing: "start the record's writer",
                source,
            })?;
        Ok(Writer {
            jobs: Mutex::new(Some(jobs)),
            thread: Some(thread),
        })
    }

    /// Runs `op` in the next commit, and returns its result once that commit is synced. An
    /// `op` that fails is rolled back alone (a savepoint); the others in its commit stand.
    pub(super) fn write<T: Send + 'static>(
        &self,
        op: impl FnOnce(&Connection) -> Result<T, RecordError> + Send + 'static,
    ) -> Result<T, RecordError> {
        let (reply, answer) = sync_channel(1);
        let job = Job {
            op: Box::new(move |db| op(db).map(|t| Box::new(t) as Output)),
            reply,
        };
        let sent = match &*self.jobs.lock().unwrap_or_else(|p| p.into_inner()) {
            Some(jobs) => jobs.send(job).is_ok(),
            None => false,
        };
        let stopped = || RecordError::Write("the record's writer has stopped".into());
        if !sent {
            return Err(stopped());
        }
        let output = answer.recv().map_err(|_| stopped())??;
        output
            .downcast::<T>()
            .map(|t| *t)
            .map_err(|_| RecordError::Write("a write gave back another type".into()))
    }
}

impl Drop for Writer {
    fn drop(&mut self) {
        self.jobs.lock().unwrap_or_else(|p| p.into_inner()).take();
        if let Some(thread) = self.thread.take() {
            let _ = thread.join();
        }
    }
}

/// The thread: waits for a write, takes every other one waiting (up to [`MAX_BATCH`]),
/// commits them together, answers each.
fn run(mut db: Connection, queue: Receiver<Job>) {
    while let Ok(first) = queue.recv() {
        let mut batch = vec![first];
        while batch.len() < MAX_BATCH {
            match queue.try_recv() {
                Ok(job) => batch.push(job),
                Err(_) => break,
            }
        }
        let (ops, replies): (Vec<Op>, Vec<_>) = batch.into_iter().map(|j| (j.op, j.reply)).unzip();
        for (reply, outcome) in replies.into_iter().zip(commit(&mut db, ops)) {
            // A writer that stopped waiting (its thread panicked) is no one's concern here.
            let _ = reply.send(outcome);
        }
    }
}

/// Runs `ops` in one transaction, each in a savepoint of its own, and commits it.
fn commit(db: &mut Connection, ops: Vec<Op>) -> Vec<Result<Output, RecordError>> {
    let count = ops.len();
    let failed = |e: &rusqlite::Error| -> Vec<Result<Output, RecordError>> {
        (0..count)
            .map(|_| Err(RecordError::Write(format!("the commit failed: {e}"))))
            .collect()
    };
    let mut tx = match db.transaction() {
        Ok(tx) => tx,
        Err(e) => return failed(&e),
    };
    let mut outcomes = Vec::with_capacity(count);
    for op in ops {
        let outcome = match tx.savepoint() {
            Ok(mut savepoint) => {
                let outcome = op(&savepoint);
                let ended = match &outcome {
                    Ok(_) => savepoint.commit(),
                    Err(_) => savepoint.rollback(),
                };
                match ended {
                    Ok(()) => outcome,
                    Err(e) => Err(RecordError::Database(e)),
                }
            }
            Err(e) => Err(RecordError::Database(e)),
        };
        outcomes.push(outcome);
    }
    match tx.commit() {
        Ok(()) => outcomes,
        Err(e) => failed(&e),
    }
}
