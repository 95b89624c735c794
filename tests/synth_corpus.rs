//! Property test over a generated corpus (crates/xxgk-synth): a few hundred documents in
//! every layout, encoding and template, with ground truth. The bars are the level extraction
//! has reached (see the issue-3 closing note); they only move up.

mod common;

use common::*;

const DOCS: usize = 300;
const SEED: u64 = 20261201;

#[test]
fn generated_corpus_scores_at_the_reached_level() {
    let dir = temp_dir("synth");
    let corpus = dir.join("corpus");
    xxgk_synth::write_corpus(&corpus, DOCS, SEED, &xxgk_synth::Options::default()).expect("generate corpus");
    let out = dir.join("out");
    let code = build(&corpus, &out, &["--jobs", "2"]);
    assert!(code == 0 || code == 1, "run failed with exit code {code}");
    let s =
        score(&out, &corpus.join("expected"), &["template", "report_year", "script", "published_date", "issuer_kind"]);
    let cells = s.correct as f64 / s.expected as f64;
    let shown: Vec<&String> = s.problems.iter().take(40).collect();
    assert_eq!(s.absent, 0, "every generated document has a reports row");
    assert_eq!(s.status_ok, s.status_n, "non-reports and reports without tables: {shown:#?}");
    assert!(cells >= 0.99, "cells {:.4} below 0.99: {shown:#?}", cells);
    assert!(s.wrong * 2000 <= s.expected, "{} wrong values in {} cells: {shown:#?}", s.wrong, s.expected);
    assert_eq!(s.spurious, 0, "{shown:#?}");
    assert!(s.checks_ok * 100 >= s.checks_n * 98, "failing-check sets {}/{}: {shown:#?}", s.checks_ok, s.checks_n);
    assert!(s.meta_ok as f64 >= 0.999 * s.meta_n as f64, "metadata {}/{}: {shown:#?}", s.meta_ok, s.meta_n);
}
