//! The issuer of every real document in shared/corpus against its expected/*.json.
//!
//! The corpus lives outside the repository (shared/corpus beside the clone);
//! when it is absent the test says so and passes, since the table test covers
//! the same seed issuers from snippets.

use std::path::{Path, PathBuf};

use xxgk_core::issuer::{recognise, Divisions, IssuerContext, IssuerInfo};

/// Where the corpus may be: $XXGK_CORPUS, shared/ beside the work tree, or /work/shared.
fn corpus_dir() -> Option<PathBuf> {
    let manifest = Path::new(env!("CARGO_MANIFEST_DIR"));
    let candidates = [
        std::env::var_os("XXGK_CORPUS").map(PathBuf::from),
        Some(manifest.join("../../../shared/corpus")),
        Some(manifest.join("../../shared/corpus")),
        Some(PathBuf::from("/work/shared/corpus")),
    ];
    candidates.into_iter().flatten().find(|p| p.join("seeds").is_dir())
}

/// (document, expected report object) for every document that has an expected file.
fn documents(dir: &Path) -> Vec<(PathBuf, serde_json::Value)> {
    let mut out = Vec::new();
    for sub in ["seeds", "real"] {
        let Ok(entries) = std::fs::read_dir(dir.join(sub)) else {
            continue;
        };
        let mut paths: Vec<PathBuf> =
            entries.flatten().map(|e| e.path()).filter(|p| p.extension().is_some_and(|x| x == "txt")).collect();
        paths.sort();
        for p in paths {
            let stem = p.file_stem().unwrap().to_string_lossy().to_string();
            let expected = dir.join(sub).join("expected").join(format!("{stem}.json"));
            let Ok(text) = std::fs::read_to_string(&expected) else {
                continue;
            };
            let json: serde_json::Value = serde_json::from_str(&text).expect("expected file is JSON");
            out.push((p, json["report"].clone()));
        }
    }
    out
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
    let Some(dir) = corpus_dir() else {
        eprintln!("shared/corpus not found; set XXGK_CORPUS to run this test on the real documents");
        return;
    };
    let divs = Divisions::embedded();
    let mut failures = Vec::new();
    let docs = documents(&dir);
    assert!(!docs.is_empty(), "no documents with expected files under {}", dir.display());
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
