//! Table-driven issuer recognition: one case per row of tests/fixtures/issuers.tsv.
//!
//! Columns (tab-separated; `\n` in a cell is a line break):
//! id, year (`-` = none), title (`-` = none), text, expected issuer, kind and
//! division_code (`null` = None), place (`province|city|county`, empty part =
//! None, `-` = not checked) and warning (`-` = not checked, `none` = no
//! warning at all, else a substring one warning must contain).

use xxgk_core::issuer::{recognise, Divisions, IssuerContext, IssuerInfo};

const FIXTURE: &str = include_str!("fixtures/issuers.tsv");

struct Case {
    line: usize,
    id: String,
    year: Option<i32>,
    title: Option<String>,
    text: String,
    issuer: Option<String>,
    kind: Option<String>,
    code: Option<String>,
    place: Option<[Option<String>; 3]>,
    warning: String,
}

fn unescape(s: &str) -> String {
    s.replace("\\n", "\n").replace("\\t", "\t")
}

fn opt(s: &str) -> Option<String> {
    (s != "null").then(|| s.to_string())
}

fn parse_case(line: usize, row: &str) -> Case {
    let f: Vec<&str> = row.split('\t').collect();
    assert_eq!(f.len(), 9, "issuers.tsv line {line}: expected 9 columns, found {}", f.len());
    let place = (f[7] != "-").then(|| {
        let parts: Vec<Option<String>> = f[7].split('|').map(|p| (!p.is_empty()).then(|| p.to_string())).collect();
        assert_eq!(parts.len(), 3, "issuers.tsv line {line}: place needs province|city|county");
        [parts[0].clone(), parts[1].clone(), parts[2].clone()]
    });
    Case {
        line,
        id: f[0].to_string(),
        year: (f[1] != "-").then(|| f[1].parse().expect("year is a number")),
        title: (f[2] != "-").then(|| unescape(f[2])),
        text: if f[3] == "-" { String::new() } else { unescape(f[3]) },
        issuer: opt(f[4]),
        kind: opt(f[5]),
        code: opt(f[6]),
        place,
        warning: f[8].to_string(),
    }
}

fn cases() -> Vec<Case> {
    FIXTURE
        .lines()
        .enumerate()
        .filter(|(_, l)| !l.trim().is_empty() && !l.starts_with('#'))
        .skip(1) // header
        .map(|(i, l)| parse_case(i + 1, l))
        .collect()
}

/// Everything wrong with one case's result.
fn check(c: &Case, got: &IssuerInfo) -> Vec<String> {
    let mut bad = Vec::new();
    let mut eq = |what: &str, got: &Option<String>, want: &Option<String>| {
        if got != want {
            bad.push(format!("{what}: got {got:?}, want {want:?}"));
        }
    };
    eq("issuer", &got.issuer, &c.issuer);
    eq("kind", &got.issuer_kind, &c.kind);
    eq("code", &got.division_code, &c.code);
    if let Some([p, ci, co]) = &c.place {
        eq("province", &got.province, p);
        eq("city", &got.city, ci);
        eq("county", &got.county, co);
    }
    match c.warning.as_str() {
        "-" => {}
        "none" if !got.warnings.is_empty() => bad.push("expected no warning".into()),
        "none" => {}
        w if !got.warnings.iter().any(|g| g.contains(w)) => bad.push(format!("no warning contains {w:?}")),
        _ => {}
    }
    bad
}

#[test]
fn issuer_table() {
    let cases = cases();
    assert!(cases.len() >= 150, "issuers.tsv has {} cases, want at least 150", cases.len());
    let divs = Divisions::embedded();
    let mut failures = Vec::new();
    for c in &cases {
        let ctx = IssuerContext { title: c.title.as_deref(), text: &c.text, report_year: c.year };
        let got = recognise(divs, &ctx);
        for b in check(c, &got) {
            failures.push(format!("line {} [{}]: {b}\n    warnings: {:?}", c.line, c.id, got.warnings));
        }
    }
    assert!(failures.is_empty(), "{} of {} cases failed:\n{}", failures.len(), cases.len(), failures.join("\n"));
}

#[test]
fn ids_are_unique() {
    let cases = cases();
    let mut ids: Vec<&str> = cases.iter().map(|c| c.id.as_str()).collect();
    ids.sort_unstable();
    let dup: Vec<_> = ids.windows(2).filter(|w| w[0] == w[1]).map(|w| w[0]).collect();
    assert!(dup.is_empty(), "duplicate ids in issuers.tsv: {dup:?}");
}
