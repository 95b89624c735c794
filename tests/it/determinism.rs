//! Determinism (issue 7): the same corpus built with different thread counts gives the same
//! datasets, byte for byte (run.json differs only in timings and the jobs it records).

use crate::common::*;
use std::collections::BTreeMap;

/// Every layout, encoding and template of the generator, in a few seconds per run.
const DOCS: usize = 120;
const SEED: u64 = 7;

/// run.json without what legitimately differs between the runs.
fn stable_run_json(bytes: &[u8]) -> serde_json::Value {
    let mut v: serde_json::Value = serde_json::from_slice(bytes).unwrap();
    let obj = v.as_object_mut().unwrap();
    obj.remove("timings_ms");
    obj.remove("jobs");
    v
}

#[test]
fn thread_counts_do_not_change_a_byte() {
    let dir = temp_dir("determinism");
    let corpus = dir.join("corpus");
    xxgk_synth::write_corpus(&corpus, DOCS, SEED, &xxgk_synth::Options::default()).expect("generate corpus");
    let runs: Vec<BTreeMap<String, Vec<u8>>> = ["1", "3"]
        .iter()
        .map(|jobs| {
            let out = dir.join(format!("out-{jobs}"));
            let code = build(&corpus, &out, &["--jobs", jobs]);
            assert!(code == 0 || code == 1, "run with {jobs} jobs failed: exit {code}");
            output_files(&out)
        })
        .collect();
    let first = &runs[0];
    assert!(first.contains_key("reports.parquet") && first.keys().any(|k| k.starts_with("facts/")));
    assert_eq!(read(&dir.join("out-1/reports.parquet")).height(), DOCS, "one row per generated document");
    for (i, other) in runs.iter().enumerate().skip(1) {
        assert_eq!(first.keys().collect::<Vec<_>>(), other.keys().collect::<Vec<_>>(), "run {i}: other files");
        for (name, bytes) in first {
            if name == "run.json" {
                assert_eq!(stable_run_json(bytes), stable_run_json(&other[name]), "run {i}: run.json");
            } else {
                assert!(
                    bytes == &other[name],
                    "run {i}: {name} differs ({} vs {} bytes)",
                    bytes.len(),
                    other[name].len()
                );
            }
        }
    }
    let _ = std::fs::remove_dir_all(&dir);
}
