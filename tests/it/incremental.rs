//! Incremental rebuilds (`--cache`) and scale-out (`--shard I/N` + `merge`) must write the
//! same datasets, byte for byte, as one full run over the same corpus.

use crate::common::*;
use std::collections::BTreeMap;
use std::path::Path;
use std::process::Command;

/// Every dataset file under OUT (run.json aside: it records timings) with its bytes.
fn datasets(out: &Path) -> BTreeMap<String, Vec<u8>> {
    let mut files = output_files(out);
    files.remove("run.json");
    files
}

fn assert_same_datasets(a: &Path, b: &Path) {
    let (da, db) = (datasets(a), datasets(b));
    assert_eq!(da.keys().collect::<Vec<_>>(), db.keys().collect::<Vec<_>>(), "same files");
    for (name, bytes) in &da {
        assert!(bytes == &db[name], "{name} differs between {} and {}", a.display(), b.display());
    }
    assert!(da.contains_key("panel.parquet") && da.len() >= 4, "{:?}", da.keys());
}

fn run_json(out: &Path) -> serde_json::Value {
    serde_json::from_str(&std::fs::read_to_string(out.join("run.json")).unwrap()).unwrap()
}

#[test]
fn cached_rebuild_equals_a_full_rebuild_after_changes_and_removals() {
    let dir = temp_dir("cache");
    let corpus = dir.join("corpus");
    let names = xxgk_synth::write_corpus(&corpus, 120, 31, &xxgk_synth::Options::default()).unwrap();
    std::fs::remove_dir_all(corpus.join("expected")).unwrap();
    let cache = dir.join("cache");
    let cache_arg = cache.to_str().unwrap();
    build(&corpus, &dir.join("first"), &["--cache", cache_arg]);
    assert_eq!(run_json(&dir.join("first"))["cache"]["hits"], 0);
    // Change two documents, remove one, add a copy of another under a new name.
    let other = xxgk_synth::generate(2, 99, &xxgk_synth::Options::default());
    std::fs::write(corpus.join(&names[3]), &other[0].bytes).unwrap();
    std::fs::write(corpus.join(&names[50]), &other[1].bytes).unwrap();
    std::fs::remove_file(corpus.join(&names[7])).unwrap();
    std::fs::copy(corpus.join(&names[9]), corpus.join(format!("mirror_{}", names[9]))).unwrap();
    let cached = dir.join("cached");
    build(&corpus, &cached, &["--cache", cache_arg, "--jobs", "2"]);
    let full = dir.join("full");
    build(&corpus, &full, &["--jobs", "1"]);
    assert_same_datasets(&cached, &full);
    let run = run_json(&cached);
    assert_eq!(run["cache"]["misses"], 2, "only the changed documents are processed: {run}");
    assert_eq!(run["cache"]["hits"], 118, "{run}");
    let reports = read(&cached.join("reports.parquet"));
    let paths = strings(&reports, "source_path");
    assert!(!paths.contains(&Some(names[7].clone())), "a removed file leaves the datasets");
    assert_eq!(reports.height(), 120);
}

#[test]
fn sharded_runs_merge_into_the_single_run() {
    let dir = temp_dir("shards");
    let corpus = dir.join("corpus");
    let opts = xxgk_synth::Options { series_years: 2, ..Default::default() };
    xxgk_synth::write_corpus(&corpus, 150, 32, &opts).unwrap();
    std::fs::remove_dir_all(corpus.join("expected")).unwrap();
    // One document the crawl cannot read, so the unreadable rows are merged too.
    std::fs::create_dir(corpus.join("loop")).unwrap();
    std::os::unix::fs::symlink("..", corpus.join("loop/up")).unwrap();
    let single = dir.join("single");
    build(&corpus, &single, &[]);
    let mut shard_dirs = Vec::new();
    for i in 0..3 {
        let out = dir.join(format!("shard-{i}"));
        let code = build(&corpus, &out, &["--shard", &format!("{i}/3"), "--jobs", "1"]);
        assert!(code <= 1, "shard {i} failed");
        shard_dirs.push(out);
    }
    let merged = dir.join("merged");
    let status = Command::new(bin()).arg("merge").args(&shard_dirs).arg("--out").arg(&merged).status().unwrap();
    assert!(status.code().unwrap() <= 1);
    assert_same_datasets(&single, &merged);
    // An incomplete set is refused with the missing shard named, and writes nothing.
    let partial = dir.join("partial");
    let out = Command::new(bin()).arg("merge").args(&shard_dirs[..2]).arg("--out").arg(&partial).output().unwrap();
    assert_eq!(out.status.code(), Some(2));
    assert!(String::from_utf8_lossy(&out.stderr).contains("missing shards: 2/3"));
    assert!(!partial.exists());
}
