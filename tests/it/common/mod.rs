//! Shared by the integration tests: run the real binary, read the Parquet it wrote, and
//! score it against expected JSON the way ../shared/tools/score.py does.

#![allow(dead_code)]

use polars::prelude::*;
use std::collections::{BTreeMap, BTreeSet};
use std::path::{Path, PathBuf};
use std::process::Command;

pub fn bin() -> PathBuf {
    PathBuf::from(env!("CARGO_BIN_EXE_xxgk"))
}

pub fn temp_dir(name: &str) -> PathBuf {
    let dir = std::env::temp_dir().join(format!("xxgk-test-{name}-{}", std::process::id()));
    let _ = std::fs::remove_dir_all(&dir);
    std::fs::create_dir_all(&dir).unwrap();
    dir
}

/// Runs `xxgk build INPUT --out OUT` and returns its exit code.
pub fn build(input: &Path, out: &Path, extra: &[&str]) -> i32 {
    let status =
        Command::new(bin()).arg("build").arg(input).arg("--out").arg(out).args(extra).status().expect("run xxgk");
    status.code().unwrap_or(-1)
}

/// Every file under `out`, relative path → bytes.
pub fn output_files(out: &Path) -> BTreeMap<String, Vec<u8>> {
    let mut files = BTreeMap::new();
    let mut dirs = vec![out.to_path_buf()];
    while let Some(d) = dirs.pop() {
        for e in std::fs::read_dir(&d).unwrap() {
            let p = e.unwrap().path();
            if p.is_dir() {
                dirs.push(p);
            } else {
                let rel = p.strip_prefix(out).unwrap().to_string_lossy().into_owned();
                files.insert(rel, std::fs::read(&p).unwrap());
            }
        }
    }
    files
}

pub fn read(path: &Path) -> DataFrame {
    let file = std::fs::File::open(path).unwrap_or_else(|e| panic!("{}: {e}", path.display()));
    ParquetReader::new(file).finish().unwrap_or_else(|e| panic!("{}: {e}", path.display()))
}

pub fn strings(df: &DataFrame, col: &str) -> Vec<Option<String>> {
    df.column(col).unwrap().str().unwrap().iter().map(|s| s.map(str::to_string)).collect()
}

pub fn floats(df: &DataFrame, col: &str) -> Vec<Option<f64>> {
    df.column(col).unwrap().f64().unwrap().iter().collect()
}

pub fn bools(df: &DataFrame, col: &str) -> Vec<bool> {
    df.column(col).unwrap().bool().unwrap().iter().map(|b| b.unwrap_or(false)).collect()
}

/// Every facts file under OUT/facts, concatenated.
pub fn facts(out: &Path) -> Vec<(String, String, String, String, Option<f64>)> {
    let mut rows = Vec::new();
    let mut dirs = vec![out.join("facts")];
    while let Some(d) = dirs.pop() {
        for e in std::fs::read_dir(&d).unwrap() {
            let p = e.unwrap().path();
            if p.is_dir() {
                dirs.push(p);
            } else if p.extension().is_some_and(|x| x == "parquet") {
                let df = read(&p);
                let (id, t, r, c) = (
                    strings(&df, "report_id"),
                    strings(&df, "table"),
                    strings(&df, "row_key"),
                    strings(&df, "col_key"),
                );
                let v = floats(&df, "value");
                for i in 0..df.height() {
                    rows.push((
                        id[i].clone().unwrap(),
                        t[i].clone().unwrap(),
                        r[i].clone().unwrap(),
                        c[i].clone().unwrap(),
                        v[i],
                    ));
                }
            }
        }
    }
    rows
}

/// Totals of a scoring run, as score.py counts them.
#[derive(Debug, Default)]
pub struct Score {
    pub reports: usize,
    pub absent: usize,
    pub expected: usize,
    pub correct: usize,
    pub wrong: usize,
    pub missing: usize,
    pub spurious: usize,
    pub meta_ok: usize,
    pub meta_n: usize,
    pub checks_ok: usize,
    pub checks_n: usize,
    pub status_ok: usize,
    pub status_n: usize,
    pub problems: Vec<String>,
}

impl Score {
    pub fn perfect(&self) -> bool {
        self.absent == 0
            && self.correct == self.expected
            && self.wrong == 0
            && self.spurious == 0
            && self.meta_ok == self.meta_n
            && self.checks_ok == self.checks_n
            && self.status_ok == self.status_n
    }
}

type Key = (String, String, String);

/// Scores OUT against every expected JSON in EXPECTED on the given metadata fields.
pub fn score(out: &Path, expected: &Path, meta_fields: &[&str]) -> Score {
    let reports = read(&out.join("reports.parquet"));
    let checks = read(&out.join("checks.parquet"));
    let all_facts = facts(out);
    let paths = strings(&reports, "source_path");
    let by_name: BTreeMap<String, usize> = paths
        .iter()
        .enumerate()
        .map(|(i, p)| (Path::new(p.as_deref().unwrap()).file_name().unwrap().to_string_lossy().into_owned(), i))
        .collect();
    let ids = strings(&reports, "report_id");
    let mut s = Score::default();
    let mut files: Vec<PathBuf> = std::fs::read_dir(expected)
        .unwrap()
        .map(|e| e.unwrap().path())
        .filter(|p| p.extension().is_some_and(|x| x == "json"))
        .collect();
    files.sort();
    for path in files {
        let exp: serde_json::Value = serde_json::from_str(&std::fs::read_to_string(&path).unwrap()).unwrap();
        let name = exp["file"].as_str().unwrap().to_string();
        s.reports += 1;
        let Some(&row) = by_name.get(&name) else {
            s.absent += 1;
            s.problems.push(format!("{name}: not in reports.parquet"));
            continue;
        };
        let id = ids[row].clone().unwrap();
        let got: BTreeMap<Key, Option<f64>> =
            all_facts.iter().filter(|f| f.0 == id).map(|f| ((f.1.clone(), f.2.clone(), f.3.clone()), f.4)).collect();
        score_facts(&mut s, &name, &exp, &got);
        score_meta(&mut s, &name, &exp, &reports, row, meta_fields);
        score_checks(&mut s, &name, &exp, &checks, &id);
    }
    s
}

fn score_facts(s: &mut Score, name: &str, exp: &serde_json::Value, got: &BTreeMap<Key, Option<f64>>) {
    let mut keys = BTreeSet::new();
    let mut tables = BTreeSet::new();
    for f in exp["facts"].as_array().unwrap() {
        let k: Key = (f[0].as_str().unwrap().into(), f[1].as_str().unwrap().into(), f[2].as_str().unwrap().into());
        tables.insert(k.0.clone());
        keys.insert(k.clone());
        let have = got.get(&k).copied().flatten();
        match (f[3].as_f64(), have) {
            (None, Some(g)) => {
                s.wrong += 1;
                s.problems.push(format!("{name}: {k:?} expected empty, got {g}"));
            }
            (None, None) => {}
            (Some(v), None) => {
                s.expected += 1;
                s.missing += 1;
                s.problems.push(format!("{name}: {k:?} missing (expected {v})"));
            }
            (Some(v), Some(g)) => {
                s.expected += 1;
                if (g - v).abs() <= 1e-6 * v.abs().max(1.0) {
                    s.correct += 1;
                } else {
                    s.wrong += 1;
                    s.problems.push(format!("{name}: {k:?} expected {v}, got {g}"));
                }
            }
        }
    }
    for (k, v) in got {
        if tables.contains(&k.0) && !keys.contains(k) && v.is_some() && !k.1.starts_with("unlisted:") {
            s.spurious += 1;
            s.problems.push(format!("{name}: {k:?} unexpected value {v:?}"));
        }
    }
}

fn score_meta(s: &mut Score, name: &str, exp: &serde_json::Value, reports: &DataFrame, row: usize, fields: &[&str]) {
    if let Some(want) = exp.get("expected_status").and_then(|v| v.as_str()) {
        s.status_n += 1;
        let have = strings(reports, "status")[row].clone();
        if have.as_deref() == Some(want) {
            s.status_ok += 1;
        } else {
            s.problems.push(format!("{name}: status expected {want}, got {have:?}"));
        }
    }
    for field in fields {
        let want = &exp["report"][*field];
        if want.is_null() {
            continue;
        }
        s.meta_n += 1;
        let want = match want {
            serde_json::Value::String(x) => x.clone(),
            other => other.to_string(),
        };
        let col = reports.column(field).unwrap();
        let have = col.get(row).ok().map(|v| v.str_value().to_string()).filter(|v| v != "null");
        let ok = match (*field, have.as_deref()) {
            ("issuer", Some(h)) => h.chars().count() >= 2 && (want.contains(h) || h.contains(&want)),
            (_, Some(h)) => h.trim() == want.trim(),
            _ => false,
        };
        if ok {
            s.meta_ok += 1;
        } else {
            s.problems.push(format!("{name}: meta {field} expected {want:?}, got {have:?}"));
        }
    }
}

fn score_checks(s: &mut Score, name: &str, exp: &serde_json::Value, checks: &DataFrame, id: &str) {
    let Some(want) = exp.get("failing_checks").and_then(|v| v.as_array()) else { return };
    let want: BTreeSet<String> = want.iter().map(|v| v.as_str().unwrap().to_string()).collect();
    let (rid, cid, passed) = (strings(checks, "report_id"), strings(checks, "check_id"), bools(checks, "passed"));
    let have: BTreeSet<String> = (0..checks.height())
        .filter(|&i| rid[i].as_deref() == Some(id) && !passed[i])
        .map(|i| cid[i].clone().unwrap())
        .collect();
    s.checks_n += 1;
    if have == want {
        s.checks_ok += 1;
    } else {
        s.problems.push(format!("{name}: failing checks expected {want:?}, got {have:?}"));
    }
}
