//! Corpus-level properties: determinism, identities on clean documents,
//! failing_checks recomputed independently from the expected facts, and
//! every layout variant present in 2,000 documents.

use serde_json::Value;
use std::collections::BTreeMap;
use std::sync::OnceLock;
use xxgk_synth::{generate, one, variants, Generated, Options};

const N: usize = 2000;

fn corpus() -> &'static [Generated] {
    static CORPUS: OnceLock<Vec<Generated>> = OnceLock::new();
    CORPUS.get_or_init(|| generate(N, 1, &Options::default()))
}

fn layout(g: &Generated) -> &str {
    g.expected_json["report"]["layout"].as_str().unwrap_or("")
}

/// A second, deliberately plain evaluator of DATASETS.md's checks, reading
/// only the expected JSON facts.
fn failing_from_json(facts: &[Value]) -> Vec<String> {
    let mut cells: BTreeMap<(String, String, String), Option<f64>> = BTreeMap::new();
    let mut rows: BTreeMap<String, Vec<String>> = BTreeMap::new();
    for f in facts {
        let (t, r, c) = (f[0].as_str().unwrap(), f[1].as_str().unwrap(), f[2].as_str().unwrap());
        cells.insert((t.into(), r.into(), c.into()), f[3].as_f64());
        let list = rows.entry(t.to_string()).or_default();
        if !list.iter().any(|x| x == r) {
            list.push(r.to_string());
        }
    }
    let get = |t: &str, r: &str, c: &str| cells.get(&(t.to_string(), r.to_string(), c.to_string())).copied().flatten();
    let mut failing = Vec::new();
    let mut check = |id: String, t: &str, lhs: Vec<(String, String)>, rhs: Vec<(String, String)>| {
        let l: Vec<Option<f64>> = lhs.iter().map(|(r, c)| get(t, r, c)).collect();
        let r: Vec<Option<f64>> = rhs.iter().map(|(r, c)| get(t, r, c)).collect();
        if l.iter().any(Option::is_some) && r.iter().any(Option::is_some) {
            let (a, b): (f64, f64) = (l.iter().flatten().sum(), r.iter().flatten().sum());
            if (a - b).abs() > 1e-6 * a.abs().max(b.abs()).max(1.0) {
                failing.push(id);
            }
        }
    };
    let p = |r: &str, c: &str| (r.to_string(), c.to_string());
    let app_cols = ["natural_person", "business", "research", "social_org", "legal_service", "other_org", "total"];
    if let Some(app) = rows.get("applications") {
        let results: Vec<&String> = app
            .iter()
            .filter(|r| {
                ["granted", "partially_granted", "other"].contains(&r.as_str())
                    || ["denied.", "unavailable.", "not_processed.", "other."].iter().any(|x| r.starts_with(x))
            })
            .collect();
        for c in app_cols {
            let (lhs, rhs) = (
                vec![p("new_received", c), p("carried_over", c)],
                vec![p("total_processed", c), p("carried_forward", c)],
            );
            check(format!("applications.balance.{c}"), "applications", lhs, rhs);
            check(
                format!("applications.results_sum.{c}"),
                "applications",
                vec![p("total_processed", c)],
                results.iter().map(|r| p(r, c)).collect(),
            );
        }
        for r in app {
            check(
                format!("applications.row_total.{r}"),
                "applications",
                vec![p(r, "total")],
                app_cols[..6].iter().map(|c| p(r, c)).collect(),
            );
        }
    }
    for r in rows.get("review_litigation").cloned().unwrap_or_default() {
        let rhs = ["upheld", "corrected", "other", "pending"].iter().map(|c| p(&r, c)).collect();
        check(format!("review_litigation.total.{r}"), "review_litigation", vec![p(&r, "total")], rhs);
    }
    if let Some(leg) = rows.get("legacy_stats") {
        let t = "legacy_stats";
        let cols: Vec<&str> = ["value", "counties", "departments", "all"]
            .into_iter()
            .filter(|c| cells.keys().any(|(tt, _, cc)| tt == t && cc == c))
            .collect();
        if cols.contains(&"all") {
            for r in leg {
                check(format!("{t}.all_sum.{r}"), t, vec![p(r, "all")], vec![p(r, "counties"), p(r, "departments")]);
            }
        }
        for c in cols {
            let ch = ["in_person", "fax", "online", "letter"]
                .iter()
                .map(|x| p(&format!("applications.received.{x}"), c))
                .collect();
            check(format!("{t}.received_channels.{c}"), t, vec![p("applications.received", c)], ch);
            check(
                format!("{t}.staff.{c}"),
                t,
                vec![p("org.staff", c)],
                vec![p("org.staff.full_time", c), p("org.staff.part_time", c)],
            );
            let rv = ["upheld", "corrected", "other"].iter().map(|x| p(&format!("review.{x}"), c)).collect();
            check(format!("{t}.review.{c}"), t, vec![p("review.total", c)], rv);
        }
    }
    failing.sort();
    failing
}

#[test]
fn same_seed_same_bytes_and_documents_independent_of_n() {
    let a = generate(40, 7, &Options::default());
    let b = generate(40, 7, &Options::default());
    for (x, y) in a.iter().zip(&b) {
        assert_eq!(x.file_name, y.file_name);
        assert_eq!(x.bytes, y.bytes);
        assert_eq!(x.expected_text, y.expected_text);
    }
    let single = one(7, 33, &Options::default());
    assert_eq!(single.bytes, a[33].bytes);
    assert_ne!(generate(3, 8, &Options::default())[0].bytes, a[0].bytes);
}

#[test]
fn clean_documents_satisfy_every_identity() {
    let clean: Vec<&Generated> = corpus().iter().filter(|g| !layout(g).contains("corrupt:")).collect();
    assert!(clean.len() > N * 8 / 10);
    for g in clean {
        let facts = g.expected_json["facts"].as_array().unwrap();
        assert_eq!(failing_from_json(facts), Vec::<String>::new(), "{}", g.file_name);
        assert_eq!(g.expected_json["failing_checks"], serde_json::json!([]), "{}", g.file_name);
    }
}

#[test]
fn failing_checks_match_an_independent_evaluation() {
    let mut corrupted = 0;
    for g in corpus() {
        let facts = g.expected_json["facts"].as_array().unwrap();
        let want: Vec<String> = serde_json::from_value(g.expected_json["failing_checks"].clone()).unwrap();
        assert_eq!(failing_from_json(facts), want, "{}", g.file_name);
        if layout(g).contains("corrupt:") {
            corrupted += 1;
            assert!(!want.is_empty(), "{} is marked corrupt but fails nothing", g.file_name);
        }
    }
    let reports = corpus().iter().filter(|g| layout(g).contains("kind:report")).count();
    let share = f64::from(corrupted) / reports as f64;
    assert!((0.06..0.14).contains(&share), "corrupt share {share}");
}

#[test]
fn every_variant_appears_many_times_in_2000_documents() {
    let mut counts: BTreeMap<&str, usize> = BTreeMap::new();
    for g in corpus() {
        let tags: Vec<&str> = layout(g).split("; ").collect();
        for want in variants::REQUIRED {
            let hit = match want.strip_suffix('*') {
                Some(prefix) => tags.iter().any(|t| t.starts_with(prefix)),
                None => tags.contains(want),
            };
            if hit {
                *counts.entry(want).or_default() += 1;
            }
        }
    }
    let mut missing = Vec::new();
    for want in variants::REQUIRED {
        let n = counts.get(want).copied().unwrap_or(0);
        println!("{n:6}  {want}");
        if n < 10 {
            missing.push(format!("{want} ({n})"));
        }
    }
    assert!(missing.is_empty(), "rare variants: {missing:?}");
}

#[test]
fn expected_files_follow_the_seed_format() {
    for g in corpus().iter().take(200) {
        let v: Value = serde_json::from_str(&g.expected_text).unwrap();
        assert_eq!(v, g.expected_json);
        assert!(g.expected_text.starts_with("{\n \"file\": "));
        assert_eq!(v["file"], g.file_name.as_str());
        for f in v["facts"].as_array().unwrap() {
            assert_eq!(f.as_array().unwrap().len(), 4);
        }
        let status = v.get("expected_status").and_then(Value::as_str);
        assert_eq!(status.is_some(), v["facts"].as_array().unwrap().is_empty(), "{}", g.file_name);
    }
}
