//! The issuer of every sample document (data/sample, the seed and real reports copied into
//! the repository) against its hand-checked expectation in tests/fixtures/expected.

use std::path::{Path, PathBuf};

use xxgk_core::issuer::{recognise, Divisions, IssuerContext, IssuerInfo};

/// (document, expected report object) for every sample document.
fn documents() -> Vec<(PathBuf, serde_json::Value)> {
    let root = Path::new(env!("CARGO_MANIFEST_DIR")).join("../..");
    let mut paths: Vec<PathBuf> = std::fs::read_dir(root.join("data/sample"))
        .expect("data/sample is in the repository")
        .flatten()
        .map(|e| e.path())
        .filter(|p| p.extension().is_some_and(|x| x == "txt"))
        .collect();
    paths.sort();
    paths
        .into_iter()
        .map(|p| {
            let stem = p.file_stem().unwrap().to_string_lossy().to_string();
            let expected = root.join("tests/fixtures/expected").join(format!("{stem}.json"));
            let text = std::fs::read_to_string(&expected).unwrap_or_else(|e| panic!("{}: {e}", expected.display()));
            let json: serde_json::Value = serde_json::from_str(&text).expect("expected file is JSON");
            (p, json["report"].clone())
        })
        .collect()
}

fn field(v: &serde_json::Value, key: &str) -> Option<String> {
    v[key].as_str().map(str::to_string)
}

/// Differences between what was recognised and what the expected file says.
fn compare(info: &IssuerInfo, want: &serde_json::Value) -> Vec<String> {
    let got = [
        ("issuer", &info.issuer),
        ("issuer_kind", &info.issuer_kind),
        ("province", &info.province),
        ("city", &info.city),
        ("county", &info.county),
        ("division_code", &info.division_code),
    ];
    got.iter()
        .filter(|(k, v)| **v != field(want, k))
        .map(|(k, v)| format!("{k}: got {v:?}, want {:?}", field(want, k)))
        .collect()
}

#[test]
fn corpus_issuers_match_expected() {
    let divs = Divisions::embedded();
    let mut failures = Vec::new();
    let docs = documents();
    assert_eq!(docs.len(), 9, "the nine sample documents");
    for (path, want) in &docs {
        let raw = std::fs::read_to_string(path).expect("corpus text is UTF-8");
        // The pipeline converts to simplified script before recognising the issuer.
        let text = fast2s::convert(&raw);
        let year = want["report_year"].as_i64().map(|y| y as i32);
        let info = recognise(divs, &IssuerContext { title: None, text: &text, report_year: year });
        for d in compare(&info, want) {
            failures.push(format!("{}: {d} (warnings {:?})", path.display(), info.warnings));
        }
    }
    assert!(failures.is_empty(), "{} mismatches:\n{}", failures.len(), failures.join("\n"));
}
