//! The scheduler on simulated tasks and time: what ends comes out in the order it ends,
//! polls go out in the order they are due, each task keeps a single waiter's rules, the
//! counts hold at every step, and thousands of tasks run in simulated hours.

use super::sim::{Reply, Sim, SimError, SimTask, fixed};
use super::{BatchSummary, BatchWaiter, EndKind, TaskEnded};
use crate::{BoxFuture, GROWTH, Observation, Pollable, WaitDefaults};
use std::collections::HashMap;
use std::sync::Arc;
use std::sync::atomic::{AtomicUsize, Ordering};
use std::time::Duration;

#[tokio::test]
async fn ends_come_out_in_the_order_they_end_each_as_soon_as_it_is_seen() {
    for in_flight in [1, 32] {
        let sim = Sim::new(Duration::ZERO);
        let needed = [5, 0, 3, 1, 8];
        let tasks: Vec<_> = needed
            .iter()
            .enumerate()
            .map(|(id, n)| sim.after(id, *n, Reply::Done))
            .collect();
        let taken = Arc::new(AtomicUsize::new(0));
        let counter = taken.clone();
        let tasks = tasks.into_iter().inspect(move |_| {
            counter.fetch_add(1, Ordering::SeqCst);
        });
        let mut batch = sim.batch(tasks, 1).max_in_flight(in_flight);
        let mut order = Vec::new();
        while let Some(ended) = batch.next().await {
            assert_eq!(ended.kind(), EndKind::Succeeded, "{ended:?}");
            assert_eq!(ended.polls as usize, needed[ended.key] + 1);
            // Seen at once: no other poll of it, and every slower task is still running.
            assert_eq!(sim.polls(ended.key).len(), needed[ended.key] + 1);
            for (id, n) in needed.iter().enumerate() {
                if *n > needed[ended.key] {
                    assert!(
                        sim.polls(id).len() <= *n,
                        "task {id} (done at poll {}) already polled {} times when task {} ended",
                        n + 1,
                        sim.polls(id).len(),
                        ended.key
                    );
                }
            }
            order.push(ended.key);
            let summary = batch.summary();
            assert_eq!(summary.succeeded, order.len());
            let started = taken.load(Ordering::SeqCst);
            assert_eq!(summary.pending, started - order.len(), "{summary}");
            if in_flight > needed.len() {
                assert_eq!(started, needed.len(), "all started at once");
            }
        }
        assert_eq!(order, [1, 3, 2, 0, 4], "in flight {in_flight}");
        assert_eq!(batch.summary().polls, 22);
    }
}

#[tokio::test]
async fn every_kind_of_end_is_counted_when_it_happens() {
    let sim = Sim::new(Duration::ZERO);
    let tasks = vec![
        sim.after(0, 2, Reply::Done),
        sim.after(1, 1, Reply::Failed),
        sim.after(2, 4, Reply::Fatal),
        sim.task(3, vec![Reply::Pending]),
        sim.task(
            4,
            vec![
                Reply::Transient(None),
                Reply::Pending,
                Reply::Pending,
                Reply::Done,
            ],
        ),
    ];
    let max_wait = Duration::from_secs(10);
    let mut batch =
        BatchWaiter::new(tasks, fixed(Duration::from_secs(1), max_wait)).clock(sim.clock.clone());
    assert_eq!(
        batch.summary(),
        BatchSummary::default(),
        "nothing before polling"
    );
    let mut seen: Vec<(usize, EndKind, BatchSummary)> = Vec::new();
    while let Some(ended) = batch.next().await {
        seen.push((ended.key, ended.kind(), batch.summary()));
        if let TaskEnded { key: 3, result, .. } = &ended {
            let Err(crate::WaitError::TimedOut { elapsed, .. }) = result else {
                panic!("{result:?}")
            };
            assert_eq!(*elapsed, max_wait, "the last poll is at the deadline");
        }
    }
    let kinds: Vec<(usize, EndKind)> = seen.iter().map(|(k, e, _)| (*k, *e)).collect();
    assert_eq!(
        kinds,
        [
            (1, EndKind::Failed),
            (0, EndKind::Succeeded),
            (4, EndKind::Succeeded),
            (2, EndKind::Error),
            (3, EndKind::TimedOut),
        ]
    );
    let counts: Vec<[usize; 5]> = seen
        .iter()
        .map(|(_, _, s)| [s.succeeded, s.failed, s.timed_out, s.errors, s.pending])
        .collect();
    assert_eq!(
        counts,
        [
            [0, 1, 0, 0, 4],
            [1, 1, 0, 0, 3],
            [2, 1, 0, 0, 2],
            [2, 1, 0, 1, 1],
            [2, 1, 1, 1, 0],
        ]
    );
    assert_eq!(batch.summary().ended(), 5);
    assert_eq!(
        sim.polls(4).len(),
        4,
        "a transient error did not end the task"
    );
}

#[tokio::test]
async fn with_one_poll_in_flight_polls_go_out_in_the_order_they_are_due() {
    // Each poll takes 0.3 s and tasks want one every second: ten tasks cannot all be
    // polled on time, so the order the scheduler picks is what is checked.
    let latency = Duration::from_millis(300);
    let delay = Duration::from_secs(1);
    let sim = Sim::new(latency);
    let tasks: Vec<_> = (0..10)
        .map(|id| sim.after(id, 2 + id % 4, Reply::Done))
        .collect();
    let mut batch = sim.batch(tasks, 1).max_in_flight(1);
    while batch.next().await.is_some() {}
    assert_eq!(sim.most_in_flight.load(Ordering::SeqCst), 1);
    let log = sim.log.lock().unwrap().clone();
    let mut last_end: HashMap<usize, Duration> = HashMap::new();
    let mut previous_due = Duration::ZERO;
    for (i, (id, at)) in log.iter().enumerate() {
        // First poll: due when the task was taken; later ones: a delay after the last.
        let due = last_end.get(id).map_or(*at, |end| *end + delay);
        assert!(
            *at >= due,
            "poll {i} of task {id} at {at:?} before due {due:?}"
        );
        assert!(
            due >= previous_due,
            "poll {i} (task {id}, due {due:?}) went out after one due later ({previous_due:?})"
        );
        previous_due = due;
        last_end.insert(*id, *at + latency);
    }
    assert!(
        log.windows(2).any(|w| w[1].1 > w[0].1 + latency),
        "some polls waited for their time"
    );
}

#[tokio::test]
async fn ten_thousand_tasks_on_a_simulated_clock_each_keep_the_waiter_rules() {
    let sim = Sim::new(Duration::ZERO);
    let count = 10_000;
    // Most end after 0..20 pending polls (within the maximum wait); every 97th never does.
    let script = |id: usize| {
        if id.is_multiple_of(97) {
            vec![Reply::Pending]
        } else {
            let mut script = vec![Reply::Pending; id % 20];
            script.push(if id.is_multiple_of(7) {
                Reply::Failed
            } else {
                Reply::Done
            });
            script
        }
    };
    let tasks: Vec<_> = (0..count).map(|id| sim.task(id, script(id))).collect();
    let defaults = WaitDefaults {
        min_delay: Duration::from_secs(3),
        max_delay: Duration::from_secs(30),
        max_wait: Duration::from_secs(600),
    };
    let mut batch = BatchWaiter::new(tasks, defaults).clock(sim.clock.clone());
    let mut ended = vec![0u8; count];
    let mut kinds: HashMap<EndKind, usize> = HashMap::new();
    while let Some(task) = batch.next().await {
        ended[task.key] += 1;
        *kinds.entry(task.kind()).or_default() += 1;
    }
    assert!(
        ended.iter().all(|n| *n == 1),
        "every task ends exactly once"
    );
    let never = (0..count).filter(|id| id.is_multiple_of(97)).count();
    assert_eq!(kinds.get(&EndKind::TimedOut), Some(&never));
    assert_eq!(kinds.values().sum::<usize>(), count);
    assert!(sim.most_in_flight.load(Ordering::SeqCst) <= super::DEFAULT_MAX_IN_FLIGHT);

    let log = sim.log.lock().unwrap();
    let mut polls: Vec<Vec<Duration>> = vec![Vec::new(); count];
    for (id, at) in log.iter() {
        polls[*id].push(*at);
    }
    for (id, times) in polls.iter().enumerate() {
        let start = times[0];
        if id % 97 != 0 {
            assert_eq!(times.len(), id % 20 + 1, "task {id}");
        } else {
            assert_eq!(
                *times.last().unwrap() - start,
                defaults.max_wait,
                "task {id}"
            );
        }
        for (i, pair) in times.windows(2).enumerate() {
            let (waited, gap) = (pair[0] - start, pair[1] - pair[0]);
            let last = i + 2 == times.len();
            let ceiling = (defaults.min_delay + waited.mul_f64(GROWTH)).min(defaults.max_delay);
            assert!(gap <= ceiling, "task {id}: gap {gap:?} after {waited:?}");
            assert!(
                gap >= defaults.min_delay || (last && id.is_multiple_of(97)),
                "task {id}: gap {gap:?} under the minimum"
            );
        }
    }
}

#[tokio::test]
async fn server_waits_push_a_task_out_and_fatal_errors_end_only_their_task() {
    let sim = Sim::new(Duration::ZERO);
    let tasks = vec![
        sim.task(
            0,
            vec![
                Reply::Pending,
                Reply::Transient(Some(Duration::from_secs(40))),
                Reply::Done,
            ],
        ),
        sim.task(1, vec![Reply::Fatal]),
        sim.after(2, 2, Reply::Done),
    ];
    let mut batch = sim.batch(tasks, 1);
    let mut ends = Vec::new();
    while let Some(ended) = batch.next().await {
        ends.push((ended.key, ended.kind()));
    }
    assert_eq!(
        ends,
        [
            (1, EndKind::Error),
            (2, EndKind::Succeeded),
            (0, EndKind::Succeeded)
        ]
    );
    let polls = sim.polls(0);
    assert_eq!(polls.len(), 3);
    assert!(polls[2] - polls[1] >= Duration::from_secs(40), "{polls:?}");
    assert_eq!(sim.polls(1).len(), 1);
}

#[tokio::test]
async fn in_flight_and_pending_limits_hold() {
    let sim = Sim::new(Duration::from_millis(10));
    let taken = Arc::new(AtomicUsize::new(0));
    let counter = taken.clone();
    let tasks: Vec<_> = (0..200)
        .map(|id| sim.after(id, id % 5, Reply::Done))
        .collect();
    let source = tasks.into_iter().inspect(move |_| {
        counter.fetch_add(1, Ordering::SeqCst);
    });
    let mut batch = sim.batch(source, 1).max_in_flight(8).max_pending(20);
    let mut ended = 0;
    while let Some(_task) = batch.next().await {
        ended += 1;
        let summary = batch.summary();
        assert!(summary.pending <= 20, "{summary}");
        assert!(taken.load(Ordering::SeqCst) <= ended + 20);
    }
    assert_eq!(ended, 200);
    assert_eq!(sim.most_in_flight.load(Ordering::SeqCst), 8);
}

#[tokio::test]
async fn dropping_the_batch_stops_its_polls() {
    // Real time: polls every 10 ms that never end, driven by a spawned task.
    #[derive(Clone)]
    struct Forever(Arc<AtomicUsize>);
    impl Pollable for Forever {
        type Data = Reply;
        type Status = u8;
        type Error = SimError;
        fn poll(&self, _: Duration) -> BoxFuture<'_, Result<Reply, SimError>> {
            self.0.fetch_add(1, Ordering::SeqCst);
            Box::pin(async {
                tokio::time::sleep(Duration::from_millis(2)).await;
                Ok(Reply::Pending)
            })
        }
        fn observe(data: &Reply) -> Observation<u8> {
            SimTask::observe(data)
        }
    }
    let polls = Arc::new(AtomicUsize::new(0));
    let tasks: Vec<_> = (0..5).map(|i| (i, Forever(polls.clone()))).collect();
    let delay = Duration::from_millis(10);
    let mut batch = BatchWaiter::new(tasks, fixed(delay, Duration::from_secs(60)));
    let running = tokio::spawn(async move { batch.next().await.map(|t| t.key) });
    while polls.load(Ordering::SeqCst) < 20 {
        tokio::time::sleep(Duration::from_millis(5)).await;
    }
    running.abort();
    assert!(running.await.is_err(), "cancelled, not ended");
    let after_drop = polls.load(Ordering::SeqCst);
    tokio::time::sleep(Duration::from_millis(100)).await;
    assert_eq!(polls.load(Ordering::SeqCst), after_drop);
}

#[tokio::test]
async fn an_empty_batch_ends_at_once() {
    let sim = Sim::new(Duration::ZERO);
    let mut batch = sim.batch(Vec::new(), 1);
    assert!(batch.next().await.is_none());
    assert_eq!(batch.summary(), BatchSummary::default());
}

/// Replies without a status, then a last poll that fails (a deadline cutting it short, as a
/// loaded machine does): the timeout still says the task's state was never known, for a
/// batch as for a single wait. Before, only the very last poll counted, and a failed one
/// lost what the replies had shown.
#[tokio::test]
async fn a_timeout_says_no_reply_had_a_status_even_when_the_last_poll_failed() {
    let max_wait = Duration::from_secs(3);
    let script = vec![Reply::NoStatus, Reply::NoStatus, Reply::Transient(None)];
    let check = |result: &crate::WaitResult<SimTask>, who: &str| {
        let Err(crate::WaitError::TimedOut {
            no_status,
            last_error,
            ..
        }) = result
        else {
            panic!("{who}: {result:?}")
        };
        assert!(last_error.is_some(), "{who}: the last poll failed");
        assert!(*no_status, "{who}: no reply had a status");
        let text = result.as_ref().unwrap_err().to_string();
        assert!(text.contains("carried no status"), "{who}: {text}");
    };

    let sim = Sim::new(Duration::ZERO);
    let tasks = vec![sim.task(0, script.clone())];
    let mut batch =
        BatchWaiter::new(tasks, fixed(Duration::from_secs(1), max_wait)).clock(sim.clock.clone());
    let ended = batch.next().await.expect("the task ends");
    check(&ended.result, "batch");

    let sim = Sim::new(Duration::ZERO);
    let (_, task) = sim.task(0, script);
    let single = crate::Waiter::new(task, fixed(Duration::from_secs(1), max_wait))
        .clock(sim.clock.clone())
        .run()
        .await;
    check(&single, "single wait");
}
