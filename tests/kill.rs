//! Atomic output (issue 7): a build killed with SIGKILL at any moment leaves the previous
//! datasets in DIR complete and readable. A first build of corpus A fills DIR; builds of a
//! different corpus B are then killed at points spread over a whole run (crawl, batches,
//! closing files, the swap). After each kill DIR must hold exactly A's datasets, or exactly
//! B's when the kill came after the swap, and every file in it must read.

mod common;

use common::*;
use std::path::Path;
use std::process::{Command, Stdio};
use std::time::{Duration, Instant};

/// Over one batch of 512, so a kill can land between batch writes.
const DOCS: usize = 600;

/// What a complete DIR holds, read back through Parquet and JSON.
#[derive(Debug, PartialEq)]
struct Snapshot {
    report_ids: Vec<String>,
    facts: usize,
    checks: usize,
    documents: u64,
}

fn snapshot(out: &Path) -> Snapshot {
    let reports = read(&out.join("reports.parquet"));
    let report_ids = strings(&reports, "report_id").into_iter().map(Option::unwrap).collect();
    let checks = read(&out.join("checks.parquet")).height();
    let facts = facts(out).len();
    let run: serde_json::Value = serde_json::from_str(&std::fs::read_to_string(out.join("run.json")).unwrap()).unwrap();
    let documents = run["counts"]["documents"].as_u64().unwrap();
    Snapshot { report_ids, facts, checks, documents }
}

fn timed_build(corpus: &Path, out: &Path) -> Duration {
    let t = Instant::now();
    let code = build(corpus, out, &["--jobs", "2"]);
    assert!(code == 0 || code == 1, "build failed: exit {code}");
    t.elapsed()
}

/// Starts a build and SIGKILLs it after `after`; true when it had already finished.
fn kill_after(corpus: &Path, out: &Path, after: Duration) -> bool {
    let mut child = Command::new(bin())
        .arg("build")
        .arg(corpus)
        .arg("--out")
        .arg(out)
        .args(["--jobs", "2"])
        .stderr(Stdio::null())
        .spawn()
        .expect("run xxgk");
    std::thread::sleep(after);
    let finished = child.try_wait().unwrap().is_some();
    let _ = child.kill(); // SIGKILL on Unix
    child.wait().unwrap();
    finished
}

#[test]
fn sigkill_at_any_point_leaves_complete_datasets() {
    let dir = temp_dir("kill");
    let (a, b) = (dir.join("a"), dir.join("b"));
    xxgk_synth::write_corpus(&a, DOCS, 11, &xxgk_synth::Options::default()).unwrap();
    xxgk_synth::write_corpus(&b, DOCS + 7, 12, &xxgk_synth::Options::default()).unwrap();
    let probe = dir.join("probe");
    let full = timed_build(&b, &probe);
    let new = snapshot(&probe);
    let out = dir.join("out");
    timed_build(&a, &out);
    let old = snapshot(&out);
    assert_ne!(old, new, "the corpora must be told apart");
    assert_eq!(old.documents, DOCS as u64);

    let mut killed_before_swap = 0;
    for pct in [1u32, 5, 15, 30, 50, 70, 85, 95, 99, 102] {
        let finished = kill_after(&b, &out, full * pct / 100);
        let now = snapshot(&out);
        assert!(now == old || now == new, "killed at {pct}% of a run: DIR holds neither dataset");
        if now == old {
            assert!(!finished, "a finished run must have swapped its datasets in");
            killed_before_swap += 1;
        }
        // Put A back so that every kill is tested against the previous datasets.
        if now == new {
            timed_build(&a, &out);
            assert_eq!(snapshot(&out), old);
        }
    }
    assert!(killed_before_swap >= 5, "only {killed_before_swap} kills landed mid-run");
    let names: Vec<String> =
        std::fs::read_dir(&out).unwrap().map(|e| e.unwrap().file_name().to_string_lossy().into_owned()).collect();
    assert!(names.iter().all(|n| !n.contains("tmp")), "temporary files inside DIR: {names:?}");
    let _ = std::fs::remove_dir_all(&dir);
}
