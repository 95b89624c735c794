//! panel.parquet, duplicates and continuity checks on multi-year corpora: the real 洪泽区
//! 2023–2024 series and 淮安市 2024 printed twice (data/sample), and generated issuer series
//! with deliberate continuity breaks. Expected values are computed here from the expected
//! JSON (ground truth) or from the run's own facts, never read from the panel itself.

use crate::common::*;
use polars::prelude::*;
use std::collections::{BTreeMap, BTreeSet};
use std::path::Path;

type Cells = BTreeMap<(String, String, String), Option<f64>>;

const APPLICANTS: [&str; 6] = ["natural_person", "business", "research", "social_org", "legal_service", "other_org"];

/// (table, row, col) → value of an expected JSON.
fn expected_cells(path: &Path) -> (serde_json::Value, Cells) {
    let v: serde_json::Value = serde_json::from_str(&std::fs::read_to_string(path).unwrap()).unwrap();
    let mut cells = Cells::new();
    for f in v["facts"].as_array().unwrap() {
        let key = (f[0].as_str().unwrap().into(), f[1].as_str().unwrap().into(), f[2].as_str().unwrap().into());
        cells.insert(key, f[3].as_f64());
    }
    (v, cells)
}

/// SCHEMA.md: a row's 总计, or the sum of its applicant columns when 总计 is empty.
fn row_total(cells: &Cells, row_pred: impl Fn(&str) -> bool) -> Option<f64> {
    let mut total = None;
    let rows: std::collections::BTreeSet<&String> =
        cells.keys().filter(|(t, r, _)| t == "applications" && row_pred(r)).map(|(_, r, _)| r).collect();
    for row in rows {
        let get = |c: &str| cells.get(&("applications".into(), row.clone(), c.into())).copied().flatten();
        let v = get("total").or_else(|| {
            APPLICANTS.iter().filter_map(|c| get(c)).fold(None, |a: Option<f64>, x| Some(a.unwrap_or(0.0) + x))
        });
        if let Some(v) = v {
            total = Some(total.unwrap_or(0.0) + v);
        }
    }
    total
}

fn received(cells: &Cells) -> Option<f64> {
    row_total(cells, |r| r == "new_received")
}

fn denied(cells: &Cells) -> Option<f64> {
    row_total(cells, |r| r.starts_with("denied."))
}

struct Panel {
    df: DataFrame,
}

impl Panel {
    fn read(out: &Path) -> Panel {
        Panel { df: read(&out.join("panel.parquet")) }
    }

    fn row_of(&self, report_id: &str) -> Option<usize> {
        strings(&self.df, "report_id").iter().position(|r| r.as_deref() == Some(report_id))
    }

    fn f(&self, col: &str, row: usize) -> Option<f64> {
        floats(&self.df, col)[row]
    }

    fn u(&self, col: &str, row: usize) -> Option<u32> {
        self.df.column(col).unwrap().u32().unwrap().get(row)
    }
}

/// report_id by source file name.
fn ids_by_file(out: &Path) -> BTreeMap<String, String> {
    let reports = read(&out.join("reports.parquet"));
    let paths = strings(&reports, "source_path");
    let ids = strings(&reports, "report_id");
    paths.into_iter().zip(ids).map(|(p, i)| (p.unwrap(), i.unwrap())).collect()
}

fn checks_of(out: &Path, report_id: &str, family: &str) -> Vec<(String, bool)> {
    let file = if family.contains("continuity") { "continuity.parquet" } else { "checks.parquet" };
    let checks = read(&out.join(file));
    let ids = strings(&checks, "report_id");
    let names = strings(&checks, "check_id");
    let passed = bools(&checks, "passed");
    (0..checks.height())
        .filter(|&i| ids[i].as_deref() == Some(report_id) && names[i].as_deref().unwrap().contains(family))
        .map(|i| (names[i].clone().unwrap(), passed[i]))
        .collect()
}

#[test]
fn real_series_and_duplicate_copies() {
    let root = Path::new(env!("CARGO_MANIFEST_DIR"));
    let out = temp_dir("panel-real").join("out");
    build(&root.join("data/sample"), &out, &[]);
    let expected = root.join("tests/fixtures/expected");
    let ids = ids_by_file(&out);
    let panel = Panel::read(&out);
    let (_, c23) = expected_cells(&expected.join("003_jiangsu-huaian-hongzequ_2023.pdftext.json"));
    let (_, c24) = expected_cells(&expected.join("004_jiangsu-huaian-hongzequ_2024.pdftext.json"));
    let id24 = &ids["004_jiangsu-huaian-hongzequ_2024.pdftext.txt"];
    let row = panel.row_of(id24).expect("洪泽区 2024 has a panel row");
    assert_eq!(panel.f("applications_received", row), received(&c24));
    assert_eq!(panel.f("prev_applications_received", row), received(&c23), "2023 under a shorter name");
    let yoy = received(&c24).zip(received(&c23)).map(|(a, b)| a - b);
    assert_eq!(panel.f("yoy_applications_received", row), yoy);
    assert_eq!(panel.f("denied", row), denied(&c24));
    let continuity = checks_of(&out, id24, ".continuity.");
    assert_eq!(continuity.len(), 7, "every column of 上年结转 printed both years: {continuity:?}");
    assert!(continuity.iter().all(|(_, ok)| *ok), "洪泽区 carried 0 forward into 2024: {continuity:?}");
    let id23 = &ids["003_jiangsu-huaian-hongzequ_2023.pdftext.txt"];
    assert!(checks_of(&out, id23, ".continuity.").is_empty(), "no 2022 report in the corpus");
    let cont = read(&out.join("continuity.parquet"));
    let previous: BTreeSet<Option<String>> = strings(&cont, "previous_report_id").into_iter().collect();
    assert_eq!(previous, BTreeSet::from([Some(id23.clone())]), "each check names the 2023 report it compares with");
    let own = read(&out.join("checks.parquet"));
    assert!(
        strings(&own, "check_id").iter().all(|c| !c.as_deref().unwrap().contains(".continuity.")),
        "checks.parquet holds each report's own identities only"
    );

    // 淮安市 2024: the same report as PDF text and PDF layout text.
    let a = &ids["001_jiangsu-huaian-shi_2024.pdftext.txt"];
    let b = &ids["002_jiangsu-huaian-shi_2024.pdflayout.txt"];
    let kept = [a, b].into_iter().find(|id| panel.row_of(id).is_some()).expect("one copy kept");
    let other = if kept == a { b } else { a };
    assert!(panel.row_of(other).is_none());
    assert_eq!(panel.u("n_copies", panel.row_of(kept).unwrap()), Some(2));
    let reports = read(&out.join("reports.parquet"));
    let dup = strings(&reports, "duplicate_of");
    let rid = strings(&reports, "report_id");
    let dup_of = |id: &str| dup[rid.iter().position(|r| r.as_deref() == Some(id)).unwrap()].clone();
    assert_eq!(dup_of(other).as_deref(), Some(kept.as_str()));
    assert_eq!(dup_of(kept), None);
    assert_eq!(panel.df.height(), 8, "nine files, one duplicate");
}

#[test]
fn generated_series_give_correct_panel_rows_yoy_and_continuity() {
    let dir = temp_dir("panel-synth");
    let corpus = dir.join("corpus");
    let opts = xxgk_synth::Options { series_years: 3, ..Default::default() };
    let names = xxgk_synth::write_corpus(&corpus, 90, 77, &opts).expect("generate");
    let out = dir.join("out");
    build(&corpus, &out, &["--jobs", "2"]);
    let ids = ids_by_file(&out);
    let panel = Panel::read(&out);
    let mut truth = BTreeMap::new();
    for name in &names {
        let stem = Path::new(name).file_stem().unwrap().to_str().unwrap();
        truth.insert(name.clone(), expected_cells(&corpus.join("expected").join(format!("{stem}.json"))));
    }
    let (mut rows_right, mut continuity_right, mut later_years) = (0, 0, 0);
    for (i, name) in names.iter().enumerate() {
        let (v, cells) = &truth[name];
        let Some(row) = panel.row_of(&ids[name]) else { continue };
        let pos = &v["series"];
        let prev = (pos["year_index"].as_u64().unwrap() > 0).then(|| &truth[&names[i - 1]].1);
        let want_prev = prev.and_then(received);
        let right = panel.f("applications_received", row) == received(cells)
            && panel.f("denied", row) == denied(cells)
            && panel.f("prev_applications_received", row) == want_prev
            && panel.f("yoy_applications_received", row) == received(cells).zip(want_prev).map(|(a, b)| a - b);
        rows_right += usize::from(right);
        if prev.is_some() {
            later_years += 1;
            let checks = checks_of(&out, &ids[name], ".continuity.");
            let none_failed = checks.iter().all(|(_, ok)| *ok);
            let right = none_failed == pos["continuity_consistent"].as_bool().unwrap();
            if !right {
                eprintln!("continuity of {name}: {checks:?}, expected {pos}");
            }
            continuity_right += usize::from(right);
        }
    }
    assert_eq!(panel.df.height(), 90, "one row per issuer and year");
    assert_eq!(rows_right, 90, "panel rows equal to ground truth");
    assert_eq!(later_years, 60);
    assert_eq!(continuity_right, 60, "continuity verdicts equal to ground truth");
}

#[test]
fn panel_measures_follow_the_runs_own_facts_exactly() {
    let dir = temp_dir("panel-facts");
    let corpus = dir.join("corpus");
    let opts = xxgk_synth::Options { series_years: 2, ..Default::default() };
    xxgk_synth::write_corpus(&corpus, 40, 78, &opts).expect("generate");
    let out = dir.join("out");
    build(&corpus, &out, &["--jobs", "2"]);
    let mut by_report: BTreeMap<String, Cells> = BTreeMap::new();
    for (id, t, r, c, v) in facts(&out) {
        by_report.entry(id).or_default().insert((t, r, c), v);
    }
    let panel = Panel::read(&out);
    let ids = strings(&panel.df, "report_id");
    for (row, id) in ids.iter().enumerate() {
        let cells = &by_report[id.as_deref().unwrap()];
        assert_eq!(panel.f("applications_received", row), received(cells), "{id:?}");
        assert_eq!(panel.f("denied", row), denied(cells), "{id:?}");
        let granted = row_total(cells, |r| r == "granted");
        let processed = row_total(cells, |r| r == "total_processed");
        let rate = granted.zip(processed.filter(|p| *p != 0.0)).map(|(g, p)| g / p);
        assert_eq!(panel.f("grant_rate", row), rate, "{id:?}");
    }
}
