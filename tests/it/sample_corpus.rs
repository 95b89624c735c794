//! The embedded sample corpus (five seed reports, four real PDF-text reports) must come out
//! exactly as hand-checked: every cell, every failing check, every metadata field.

use crate::common::*;
use std::path::Path;

const ALL_META: &[&str] =
    &["template", "report_year", "division_code", "issuer_kind", "script", "issuer", "published_date"];

#[test]
fn sample_corpus_scores_perfectly() {
    let root = Path::new(env!("CARGO_MANIFEST_DIR"));
    let out = temp_dir("sample").join("out");
    let code = build(&root.join("data/sample"), &out, &[]);
    // Two sample reports print totals that do not add up, so the run reports failed checks.
    assert_eq!(code, 1, "exit code 1: some documents failed checks");
    let s = score(&out, &root.join("tests/fixtures/expected"), ALL_META);
    assert!(s.perfect(), "{s:#?}");
    assert_eq!((s.reports, s.expected, s.correct), (9, 1678, 1678));
    assert_eq!(s.checks_n, 9);
}

#[test]
fn datasets_have_the_contract_columns_and_partitions() {
    let root = Path::new(env!("CARGO_MANIFEST_DIR"));
    let out = temp_dir("contract").join("out");
    build(&root.join("data/sample"), &out, &[]);
    let reports = read(&out.join("reports.parquet"));
    let names: Vec<String> = reports.get_column_names().iter().map(|s| s.to_string()).collect();
    for col in [
        "report_id",
        "source_path",
        "source_format",
        "bytes",
        "encoding",
        "script",
        "mojibake_repaired",
        "title",
        "issuer",
        "issuer_kind",
        "province",
        "city",
        "county",
        "division_code",
        "report_year",
        "published_date",
        "template",
        "status",
        "status_detail",
        "n_facts",
        "n_failed_checks",
        "warnings",
    ] {
        assert!(names.iter().any(|n| n == col), "reports.parquet lacks {col}");
    }
    assert_eq!(reports.height(), 9);
    assert_eq!(format!("{:?}", reports.column("published_date").unwrap().dtype()), "Date");
    assert_eq!(format!("{:?}", reports.column("bytes").unwrap().dtype()), "UInt64");
    let mut years: Vec<String> = std::fs::read_dir(out.join("facts"))
        .unwrap()
        .map(|e| e.unwrap().file_name().to_string_lossy().into_owned())
        .collect();
    years.sort();
    assert_eq!(years, ["report_year=2014", "report_year=2020", "report_year=2023", "report_year=2024"]);
    let run: serde_json::Value = serde_json::from_str(&std::fs::read_to_string(out.join("run.json")).unwrap()).unwrap();
    assert_eq!(run["counts"]["documents"], 9);
    // Nothing of the run's working files (partial reports, the compare stage's spill) is left.
    let mut entries: Vec<String> =
        std::fs::read_dir(&out).unwrap().map(|e| e.unwrap().file_name().to_string_lossy().into_owned()).collect();
    entries.sort();
    assert_eq!(
        entries,
        ["checks.parquet", "continuity.parquet", "facts", "panel.parquet", "reports.parquet", "run.json"]
    );
    assert!(!out.parent().unwrap().read_dir().unwrap().any(|e| e
        .unwrap()
        .file_name()
        .to_string_lossy()
        .contains(".tmp-")));
}
