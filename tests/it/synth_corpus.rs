//! Property test over a generated corpus (crates/xxgk-synth): a few hundred documents in
//! every layout, encoding and template, with ground truth. The bars are the level extraction
//! has reached (see the issue-3 closing note); they only move up.

use crate::common::*;

const DOCS: usize = 300;
/// Fixed so CI is repeatable; `XXGK_SYNTH_SEED=N cargo test --test it synth_corpus` explores others.
const SEED: u64 = 20261201;

#[test]
fn generated_corpus_scores_at_the_reached_level() {
    let dir = temp_dir("synth");
    let corpus = dir.join("corpus");
    let seed = std::env::var("XXGK_SYNTH_SEED").ok().and_then(|s| s.parse().ok()).unwrap_or(SEED);
    xxgk_synth::write_corpus(&corpus, DOCS, seed, &xxgk_synth::Options::default()).expect("generate corpus");
    let out = dir.join("out");
    let code = build(&corpus, &out, &["--jobs", "2"]);
    assert!(code == 0 || code == 1, "run failed with exit code {code}");
    let s =
        score(&out, &corpus.join("expected"), &["template", "report_year", "script", "published_date", "issuer_kind"]);
    let cells = s.correct as f64 / s.expected as f64;
    let shown: Vec<&String> = s.problems.iter().take(40).collect();
    eprintln!(
        "cells {}/{} wrong {} spurious {} check sets {}/{} metadata {}/{}",
        s.correct, s.expected, s.wrong, s.spurious, s.checks_ok, s.checks_n, s.meta_ok, s.meta_n
    );
    assert_eq!(s.absent, 0, "every generated document has a reports row");
    assert_eq!(s.status_ok, s.status_n, "non-reports and reports without tables: {shown:#?}");
    // A cell left out carries a warning; a wrong one is a defect, so the bars differ.
    assert!(cells >= 0.9995, "cells {:.5} below 0.9995: {shown:#?}", cells);
    assert_eq!(s.wrong, 0, "wrong values in {} cells: {shown:#?}", s.expected);
    assert_eq!(s.spurious, 0, "{shown:#?}");
    assert_eq!(s.checks_ok, s.checks_n, "failing-check sets: {shown:#?}");
    assert_eq!(s.meta_ok, s.meta_n, "metadata: {shown:#?}");
}
