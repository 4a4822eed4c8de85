//! Reads every fixture 20 times: every read gives the same page (the reader keeps no state).
//! Timing belongs to benchmarks; nothing here measures it.

mod common;

#[test]
fn every_fixture_twenty_times() {
    let texts: Vec<(std::path::PathBuf, String)> = common::fixtures()
        .into_iter()
        .map(|p| {
            let text = std::fs::read_to_string(&p).unwrap();
            (p, text)
        })
        .collect();
    let first: Vec<docread::Page> = texts.iter().map(|(_, t)| docread::read(t)).collect();
    for _ in 1..20 {
        for ((path, text), expected) in texts.iter().zip(&first) {
            assert_eq!(&docread::read(text), expected, "{}", path.display());
        }
    }
    assert!(
        first.iter().all(|p| p.facts.method.is_some()),
        "every fixture names its method"
    );
}
