//! Atomic output (issue 7): a build killed with SIGKILL at any moment leaves the previous
//! datasets in DIR complete and readable. A first build of corpus A fills DIR; builds of a
//! different corpus B are then killed at points spread over a whole run (crawl, processing,
//! writing, the swap). After each kill DIR must hold exactly A's datasets, or exactly B's
//! when the kill came after the swap, and every file in it must read.

// Its own test binary: it measures time budgets and kill points, which tests running beside
// it in one binary would shift.
#[path = "it/common/mod.rs"]
mod common;

use common::*;
use std::path::Path;
use std::process::{Command, Stdio};
use std::time::{Duration, Instant};

/// A run of a few seconds, so that kills at fractions of it land in every stage.
const DOCS: usize = 60;

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

fn copy_tree(from: &Path, to: &Path) {
    std::fs::create_dir_all(to).unwrap();
    for e in std::fs::read_dir(from).unwrap() {
        let p = e.unwrap().path();
        let dest = to.join(p.file_name().unwrap());
        if p.is_dir() {
            copy_tree(&p, &dest);
        } else {
            std::fs::copy(&p, &dest).unwrap();
        }
    }
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
    let out = dir.join("out");
    let full = timed_build(&a, &out);
    let old = snapshot(&out);
    assert_eq!(old.documents, DOCS as u64);
    let pristine = dir.join("pristine");
    copy_tree(&out, &pristine);

    // Kills at fractions of a whole run: start-up and crawl, processing, Parquet writing, the swap.
    let mut after_kill = Vec::new();
    for pct in [2u32, 10, 25, 45, 65, 85, 93, 97, 99, 101] {
        let finished = kill_after(&b, &out, full * pct / 100);
        let now = snapshot(&out);
        assert!(!finished || now != old, "killed at {pct}%: a finished run left the old datasets");
        if now != old {
            // The kill came after the swap: put A back, so the next kill meets the previous datasets.
            std::fs::remove_dir_all(&out).unwrap();
            copy_tree(&pristine, &out);
        }
        after_kill.push((pct, now));
    }
    let b_out = dir.join("b-out");
    timed_build(&b, &b_out);
    // What a killed run leaves beside DIR goes with the next run; a live run's stays. Which of
    // the kills above left one depends on timing, so one of each kind is made here too.
    let dead = Command::new("true").spawn().unwrap();
    let dead_pid = dead.id();
    dead.wait_with_output().unwrap();
    let mut live = Command::new("sleep").arg("60").spawn().unwrap();
    for pid in [dead_pid, live.id()] {
        std::fs::create_dir_all(dir.join(format!(".out.tmp-{pid}")).join("facts")).unwrap();
    }
    timed_build(&a, &out);
    let litter: Vec<String> = std::fs::read_dir(&dir)
        .unwrap()
        .map(|e| e.unwrap().file_name().to_string_lossy().into_owned())
        .filter(|n| n.starts_with(".out.tmp-"))
        .collect();
    assert_eq!(litter, vec![format!(".out.tmp-{}", live.id())], "killed runs' directories removed, a live one kept");
    let _ = live.kill();
    let _ = live.wait();
    assert_eq!(snapshot(&out), old, "and the run writes its own datasets");
    let new = snapshot(&b_out);
    assert_ne!(old, new, "the corpora must be told apart");
    for (pct, now) in &after_kill {
        assert!(now == &old || now == &new, "killed at {pct}% of a run: DIR holds neither dataset");
    }
    let mid_run = after_kill.iter().filter(|(_, now)| now == &old).count();
    assert!(mid_run >= 5, "only {mid_run} kills landed before the swap");
    let names: Vec<String> =
        std::fs::read_dir(&out).unwrap().map(|e| e.unwrap().file_name().to_string_lossy().into_owned()).collect();
    assert!(names.iter().all(|n| !n.contains("tmp")), "temporary files inside DIR: {names:?}");
    let _ = std::fs::remove_dir_all(&dir);
}
