//! `xxgk summary`: the page's tables must say what the datasets say (recomputed here from the
//! Parquet files, independently of src/summary), the page must work offline, data must not
//! become markup, and bad inputs must fail with exit code 2 naming the file.
//!
//! Besides the sample build's own panel, most tests write a hand-made panel.parquet next to
//! its reports and checks: 13 issuers with gaps, nulls and hostile names the sample lacks.

use crate::common::*;
use polars::prelude::*;
use std::collections::{BTreeMap, HashMap};
use std::path::{Path, PathBuf};
use std::process::{Command, Stdio};
use std::sync::atomic::{AtomicUsize, Ordering};
use std::sync::OnceLock;
use std::time::{Duration, Instant};

const HOSTILE: &str = "<script>alert('x')</script>某局&\"";
const YEARS: [i32; 3] = [2020, 2021, 2022];

/// One build of the sample corpus, shared by every test (the datasets are only read).
fn sample_build() -> &'static Path {
    static OUT: OnceLock<PathBuf> = OnceLock::new();
    OUT.get_or_init(|| {
        let out = temp_dir("summary-sample").join("out");
        let code = build(&Path::new(env!("CARGO_MANIFEST_DIR")).join("data/sample"), &out, &[]);
        assert!(code <= 1, "build failed with exit code {code}");
        out
    })
}

/// A directory with the sample build's reports and checks, for a test to add a panel to.
fn datasets(name: &str) -> PathBuf {
    let out = temp_dir(name).join("out");
    std::fs::create_dir_all(&out).unwrap();
    for f in ["reports.parquet", "checks.parquet", "run.json"] {
        std::fs::copy(sample_build().join(f), out.join(f)).unwrap();
    }
    out
}

fn issuer_name(k: usize) -> String {
    match k {
        3 => HOSTILE.to_string(),
        // Two issuers of one name in two places: the page must keep them apart.
        12 => issuer_name(5),
        _ => format!("测试{k}市人民政府"),
    }
}

/// 13 issuers over three years: some years missing, some measures null.
fn hand_panel() -> DataFrame {
    let mut rows: Vec<(usize, i32)> = Vec::new();
    for k in 0..13 {
        for y in YEARS {
            if !(k % 4 == 1 && y == 2021) {
                rows.push((k, y));
            }
        }
    }
    let received: Vec<Option<f64>> = rows
        .iter()
        .map(|&(k, y)| {
            (!(k % 5 == 2 && y == 2020)).then(|| (((k * 7) % 13 + 1) * 100 + k) as f64 + (y - 2020) as f64 * 10.0)
        })
        .collect();
    let processed: Vec<Option<f64>> = received.iter().map(|r| r.map(|v| v - 3.0)).collect();
    let granted: Vec<Option<f64>> = received.iter().map(|r| r.map(|v| (v * 0.6).round())).collect();
    let grant_rate: Vec<Option<f64>> =
        granted.iter().zip(&processed).map(|(g, p)| Some(g.as_ref()? / p.as_ref()?)).collect();
    let s = |name: &str, f: &dyn Fn(usize, i32) -> Option<String>| -> Column {
        Series::new(name.into(), rows.iter().map(|&(k, y)| f(k, y)).collect::<Vec<_>>()).into_column()
    };
    let f = |name: &str, v: Vec<Option<f64>>| Series::new(name.into(), v).into_column();
    let per_row = |g: &dyn Fn(usize) -> Option<f64>| rows.iter().map(|&(k, _)| g(k)).collect::<Vec<_>>();
    let columns = vec![
        s("division_code", &|k, _| Some(format!("41{k:04}"))),
        s("issuer", &|k, _| Some(issuer_name(k))),
        s("issuer_kind", &|_, _| Some("government".into())),
        s("admin_level", &|_, _| Some("prefecture".into())),
        s("province", &|_, _| Some("河南省".into())),
        s("city", &|k, _| Some(format!("测试{k}市"))),
        s("county", &|_, _| None),
        Series::new("report_year".into(), rows.iter().map(|r| r.1).collect::<Vec<i32>>()).into_column(),
        s("template", &|_, y| Some(if y < 2021 { "2019" } else { "2021" }.into())),
        s("report_id", &|k, y| Some(format!("r{k}-{y}"))),
        s("source_path", &|k, y| Some(format!("{y}/{k}.html"))),
        Series::new("n_copies".into(), vec![1u32; rows.len()]).into_column(),
        f("applications_received", received),
        f("processed", processed),
        f("granted", granted),
        f("partially_granted", per_row(&|k| Some(k as f64))),
        f("denied", per_row(&|k| Some((k % 3) as f64))),
        f("carried_forward", per_row(&|_| Some(2.0))),
        f("reviews", per_row(&|k| Some((k % 4) as f64))),
        f("lawsuits", per_row(&|k| (k % 2 == 0).then_some(1.0))),
        f("grant_rate", grant_rate),
        f("denial_rate", per_row(&|k| Some(k as f64 / 100.0))),
        f("correction_rate", per_row(&|k| (k > 0).then(|| 1.0 / k as f64))),
    ];
    DataFrame::new(rows.len(), columns).unwrap()
}

fn write_parquet(path: &Path, df: &mut DataFrame) {
    let file = std::fs::File::create(path).unwrap();
    ParquetWriter::new(file).finish(df).unwrap();
}

/// Runs `xxgk summary OUT --html OUT/../summary.html`: exit code, stderr, page.
fn summary(out: &Path) -> (i32, String, String) {
    let html = out.parent().unwrap().join("summary.html");
    let o = Command::new(bin()).arg("summary").arg(out).arg("--html").arg(&html).output().expect("run xxgk");
    let page = std::fs::read_to_string(&html).unwrap_or_default();
    (o.status.code().unwrap_or(-1), String::from_utf8_lossy(&o.stderr).into_owned(), page)
}

fn unescape(s: &str) -> String {
    s.replace("&lt;", "<").replace("&gt;", ">").replace("&quot;", "\"").replace("&#39;", "'").replace("&amp;", "&")
}

/// Header and body rows of `<table id="ID">`, as text.
fn table(page: &str, id: &str) -> (Vec<String>, Vec<Vec<String>>) {
    let start = page.find(&format!("<table id=\"{id}\">")).unwrap_or_else(|| panic!("no table {id}"));
    let html = &page[start..start + page[start..].find("</table>").unwrap()];
    let cells = |row: &str, tag: &str| -> Vec<String> {
        row.split(&format!("<{tag}>")).skip(1).map(|c| unescape(&c[..c.find(&format!("</{tag}>")).unwrap()])).collect()
    };
    let mut rows = html.split("<tr>").skip(1);
    let head = cells(rows.next().unwrap(), "th");
    (head, rows.map(|r| cells(r, "td")).collect())
}

/// A table's body as row label → (column name → cell).
fn by_label(page: &str, id: &str) -> BTreeMap<String, BTreeMap<String, String>> {
    let (head, rows) = table(page, id);
    rows.into_iter().map(|r| (r[0].clone(), head.iter().cloned().zip(r).skip(1).collect())).collect()
}

fn pct(n: u64, d: u64) -> String {
    format!("{:.1}%", 100.0 * n as f64 / d as f64)
}

fn label(v: &Option<String>) -> String {
    v.clone().unwrap_or_else(|| "(none)".into())
}

fn years_of(reports: &DataFrame) -> Vec<String> {
    let col = reports.column("report_year").unwrap().i32().unwrap();
    col.iter().map(|y| y.map_or("(none)".to_string(), |y| y.to_string())).collect()
}

fn counts<K: Ord + Clone>(keys: impl Iterator<Item = K>) -> BTreeMap<K, u64> {
    let mut m = BTreeMap::new();
    for k in keys {
        *m.entry(k).or_insert(0) += 1;
    }
    m
}

/// The sample build's datasets with the hand-made panel, and the summary page written of them.
fn hand_panel_summary(name: &str) -> (PathBuf, String) {
    let out = datasets(name);
    write_parquet(&out.join("panel.parquet"), &mut hand_panel());
    let (code, err, page) = summary(&out);
    assert_eq!(code, 0, "{err}");
    (out, page)
}

#[test]
fn coverage_and_status_tables_count_the_reports() {
    let (out, page) = hand_panel_summary("summary-coverage");
    let reports = read(&out.join("reports.parquet"));
    let (years, provinces) = (years_of(&reports), strings(&reports, "province"));
    let cells = counts(provinces.iter().map(label).zip(years.iter().cloned()));
    let coverage = by_label(&page, "coverage");
    let mut provinces_seen: Vec<&String> = cells.keys().map(|k| &k.0).collect();
    provinces_seen.dedup();
    assert_eq!(coverage.len(), provinces_seen.len() + 1, "one row per province and the totals: {coverage:?}");
    for ((province, year), n) in &cells {
        assert_eq!(coverage[province][year], n.to_string(), "{province} {year}");
    }
    for (province, row) in &coverage {
        let total: u64 = cells.iter().filter(|(k, _)| &k.0 == province || province == "all").map(|(_, n)| n).sum();
        assert_eq!(row["all"], total.to_string(), "{province}");
    }
    let statuses = strings(&reports, "status");
    for (id, keys) in
        [("status-year", years.clone()), ("status-template", strings(&reports, "template").iter().map(label).collect())]
    {
        let want = counts(keys.iter().cloned().zip(statuses.iter().map(label)));
        let totals = counts(keys.iter().cloned());
        let got = by_label(&page, id);
        assert_eq!(got.len(), totals.len(), "{id}");
        for ((key, status), n) in &want {
            assert_eq!(got[key]["documents"], totals[key].to_string());
            assert_eq!(got[key][status], format!("{n} ({})", pct(*n, totals[key])), "{id} {key} {status}");
        }
    }
}

#[test]
fn check_table_counts_failures_by_family_and_year() {
    let out = datasets("summary-checks");
    let (code, err, page) = summary(&out);
    assert_eq!(code, 0, "{err}");
    let reports = read(&out.join("reports.parquet"));
    let checks = read(&out.join("checks.parquet"));
    let year_of: HashMap<String, String> =
        strings(&reports, "report_id").into_iter().map(Option::unwrap).zip(years_of(&reports)).collect();
    let mut want: BTreeMap<(String, String), (u64, u64)> = BTreeMap::new();
    let (ids, check_ids, passed) =
        (strings(&checks, "report_id"), strings(&checks, "check_id"), bools(&checks, "passed"));
    for i in 0..checks.height() {
        let id = check_ids[i].clone().unwrap();
        let family = id.split('.').take(2).collect::<Vec<_>>().join(".");
        let year = year_of[ids[i].as_ref().unwrap()].clone();
        for key in [(family.clone(), year), (family, "all years".to_string())] {
            let e = want.entry(key).or_default();
            e.0 += u64::from(!passed[i]);
            e.1 += 1;
        }
    }
    assert!(want.values().any(|v| v.0 > 0), "the sample has failing checks, so the table can show them");
    let got = by_label(&page, "checks");
    for ((family, year), (failed, n)) in &want {
        assert_eq!(got[family][year], format!("{failed} / {n} ({})", pct(*failed, *n)), "{family} {year}");
    }
    assert_eq!(got.len(), want.keys().map(|k| &k.0).collect::<std::collections::BTreeSet<_>>().len());
}

/// The ten issuers with most applications over all years, recomputed from the panel file.
fn expected_top(panel: &DataFrame) -> Vec<(String, String, f64)> {
    let (codes, names, received) =
        (strings(panel, "division_code"), strings(panel, "issuer"), floats(panel, "applications_received"));
    let mut sums: BTreeMap<(String, String), f64> = BTreeMap::new();
    for i in 0..panel.height() {
        if let Some(v) = received[i] {
            *sums.entry((names[i].clone().unwrap(), codes[i].clone().unwrap())).or_default() += v;
        }
    }
    let mut top: Vec<(String, String, f64)> = sums.into_iter().map(|((n, c), v)| (n, c, v)).collect();
    top.sort_by(|a, b| b.2.total_cmp(&a.2).then(a.0.cmp(&b.0)).then(a.1.cmp(&b.1)));
    top.truncate(10);
    top
}

/// The page's ranking table is the panel's issuers ordered by applications received.
fn assert_ranking(page: &str, top: &[(String, String, f64)]) {
    let (_, ranking) = table(page, "top-issuers");
    assert_eq!(ranking.len(), top.len());
    let twice = |name: &str| top.iter().filter(|t| t.0 == name).count() > 1;
    for (i, (name, code, sum)) in top.iter().enumerate() {
        let shown = if twice(name) { format!("{name} ({code})") } else { name.clone() };
        assert_eq!(ranking[i][..4], [(i + 1).to_string(), shown, code.clone(), format!("{sum:.0}")], "rank {}", i + 1);
    }
}

#[test]
fn the_sample_builds_panel_is_ranked() {
    let out = sample_build();
    assert!(out.join("panel.parquet").exists(), "builds write the panel (DATASETS.md)");
    let html = temp_dir("summary-real").join("summary.html");
    let run = Command::new(bin()).arg("summary").arg(out).arg("--html").arg(&html).output().unwrap();
    assert_eq!(run.status.code(), Some(0), "{}", String::from_utf8_lossy(&run.stderr));
    let page = std::fs::read_to_string(&html).unwrap();
    let top = expected_top(&read(&out.join("panel.parquet")));
    assert!(top.len() >= 5, "the sample has several issuers with applications: {top:?}");
    assert_ranking(&page, &top);
    assert!(!page.contains("class=\"note\""), "every chart drawn on a real build");
}

#[test]
fn issuer_tables_rank_the_panel() {
    let (out, page) = hand_panel_summary("summary-issuers");
    let panel = read(&out.join("panel.parquet"));
    let top = expected_top(&panel);
    assert_eq!(top.len(), 10);
    assert_ranking(&page, &top);
    let twice = |name: &str| top.iter().filter(|t| t.0 == name).count() > 1;
    assert!(
        top.iter().any(|t| t.0 == HOSTILE) && top.iter().any(|t| twice(&t.0)),
        "the panel exercises escaping and same-name issuers"
    );
    let (head, rows) = table(&page, "issuer-years");
    let col = |name: &str| head.iter().position(|h| h == name).unwrap();
    let (codes, years, received) = (
        strings(&panel, "division_code"),
        panel.column("report_year").unwrap().i32().unwrap(),
        floats(&panel, "applications_received"),
    );
    let mut want = Vec::new();
    for (name, code, _) in &top {
        let mut mine: Vec<(i32, Option<f64>)> = (0..panel.height())
            .filter(|&i| codes[i].as_ref() == Some(code))
            .map(|i| (years.get(i).unwrap(), received[i]))
            .collect();
        mine.sort_by_key(|m| m.0);
        want.extend(
            mine.into_iter().map(|(y, v)| (name.clone(), y.to_string(), v.map_or("–".into(), |v| format!("{v:.0}")))),
        );
    }
    let got: Vec<(String, String, String)> = rows
        .iter()
        .map(|r| {
            (
                r[0].split(" (41").next().unwrap().to_string(),
                r[col("report_year")].clone(),
                r[col("applications_received")].clone(),
            )
        })
        .collect();
    assert_eq!(got, want);
}

#[test]
fn page_is_self_contained_and_data_stays_text() {
    let (_, page) = hand_panel_summary("summary-offline");
    assert!(page.contains("<meta charset=\"utf-8\">"));
    assert!(page.contains("plotly.js v"), "plotly.js is inlined");
    let lower = page.to_lowercase();
    for tag in lower.split('<').skip(1).map(|t| &t[..t.find('>').unwrap_or(t.len())]) {
        let is_fetching =
            tag.starts_with("script") || tag.starts_with("link") || tag.starts_with("img") || tag.starts_with("iframe");
        if is_fetching {
            assert!(!tag.contains("src=") && !tag.contains("href="), "the page loads nothing: <{tag}>");
        }
    }
    assert!(!page.contains("<script>alert"), "an issuer name became markup");
    assert!(table(&page, "top-issuers").1.iter().any(|r| r[1] == HOSTILE), "the name is shown as text");
    for id in
        ["coverage", "status-year", "status-template", "checks", "issuers-applications_received", "issuers-grant_rate"]
    {
        assert!(page.contains(&format!("<div id=\"chart-{id}\"")), "chart {id}");
    }
}

#[test]
fn missing_panel_or_columns_leave_notes() {
    let out = datasets("summary-partial");
    let (code, err, page) = summary(&out);
    assert_eq!(code, 0, "{err}");
    assert!(page.contains("panel.parquet not found"), "a note in place of the issuer charts");
    assert!(!page.contains("id=\"top-issuers\""));
    assert!(err.contains("panel.parquet"), "the note is also on stderr: {err}");
    let mut panel = hand_panel().drop_many(["grant_rate", "correction_rate", "division_code"]);
    write_parquet(&out.join("panel.parquet"), &mut panel);
    let (code, err, page) = summary(&out);
    assert_eq!(code, 0, "{err}");
    assert!(page.contains("has no column grant_rate, correction_rate"), "{err}");
    assert!(!page.contains("chart-issuers-grant_rate") && page.contains("chart-issuers-applications_received"));
    assert!(!table(&page, "issuer-years").0.contains(&"grant_rate".to_string()));
    let mut bare = panel.drop_many(["applications_received"]);
    write_parquet(&out.join("panel.parquet"), &mut bare);
    let (code, _, page) = summary(&out);
    assert_eq!(code, 0);
    assert!(page.contains("has no column applications_received") && page.contains("id=\"coverage\""));
}

#[test]
fn bad_datasets_fail_with_exit_code_2_naming_the_file() {
    let empty = temp_dir("summary-empty").join("out");
    std::fs::create_dir_all(&empty).unwrap();
    let (code, err, _) = summary(&empty);
    assert_eq!(code, 2);
    assert!(err.contains("reports.parquet") && err.contains("not found"), "{err}");
    let out = datasets("summary-garbage");
    std::fs::write(out.join("panel.parquet"), "not parquet").unwrap();
    let (code, err, _) = summary(&out);
    assert_eq!(code, 2);
    assert!(err.contains("panel.parquet") && err.contains("not a readable Parquet"), "{err}");
    std::fs::write(out.join("checks.parquet"), [0u8; 64]).unwrap();
    let (code, err, _) = summary(&out);
    assert_eq!(code, 2);
    assert!(err.contains("checks.parquet"), "{err}");
}

fn find_chromium() -> Option<PathBuf> {
    if let Some(p) = std::env::var_os("CHROMIUM") {
        return Some(PathBuf::from(p)).filter(|p| p.is_file());
    }
    let path = std::env::var_os("PATH")?;
    let names = ["chromium", "chromium-browser", "google-chrome"];
    std::env::split_paths(&path).flat_map(|d| names.map(|n| d.join(n))).find(|p| p.is_file())
}

/// Headless Chromium on `args`, killed after two minutes: (stdout, stderr).
fn chromium(exe: &Path, args: &[String]) -> (String, String) {
    static RUNS: AtomicUsize = AtomicUsize::new(0);
    let profile = temp_dir(&format!("chromium-{}", RUNS.fetch_add(1, Ordering::Relaxed)));
    let flags = [
        "--headless",
        "--no-sandbox",
        "--disable-gpu",
        "--disable-quic",
        "--no-first-run",
        "--disable-background-networking",
        "--disable-component-update",
        "--disable-sync",
        "--enable-logging=stderr",
        "--v=0",
    ];
    let (stdout, stderr) = (profile.join("stdout"), profile.join("stderr"));
    let mut child = Command::new(exe)
        .args(flags)
        .arg(format!("--user-data-dir={}", profile.join("profile").display()))
        .args(args)
        .stdin(Stdio::null())
        .stdout(std::fs::File::create(&stdout).unwrap())
        .stderr(std::fs::File::create(&stderr).unwrap())
        .spawn()
        .expect("start chromium");
    let started = Instant::now();
    while child.try_wait().unwrap().is_none() {
        if started.elapsed() > Duration::from_secs(120) {
            child.kill().unwrap();
            panic!("chromium did not finish in 120 s: {args:?}");
        }
        std::thread::sleep(Duration::from_millis(100));
    }
    (std::fs::read_to_string(stdout).unwrap(), std::fs::read_to_string(stderr).unwrap())
}

/// Opens the page as a person would: every chart must be drawn by plotly.js and no script
/// may throw. Needs Chromium, so `make summary-check` runs it (skipped without a browser).
#[test]
#[ignore = "needs chromium: make summary-check"]
fn page_renders_in_headless_chromium() {
    let Some(exe) = find_chromium() else {
        eprintln!("summary-check: SKIPPED: no chromium on PATH or at $CHROMIUM (apt-get install chromium)");
        return;
    };
    let (_, page) = hand_panel_summary("summary-browser");
    let kept = Path::new(env!("CARGO_TARGET_TMPDIR"));
    let (html, png) = (kept.join("summary-check.html"), kept.join("summary-check.png"));
    std::fs::write(&html, &page).unwrap();
    let url = format!("file://{}", html.display());
    let (dom, log) = chromium(&exe, &["--dump-dom".into(), url.clone()]);
    let errors: Vec<&str> = log.lines().filter(|l| l.contains("Uncaught") || l.contains(":ERROR:CONSOLE")).collect();
    assert!(errors.is_empty(), "script errors in the page: {errors:#?}");
    let charts = page.matches("class=\"plotly-graph-div\"").count();
    assert!(charts >= 10, "coverage, statuses, checks and the issuer measures: {charts}");
    assert_eq!(dom.matches("class=\"plot-container").count(), charts, "every chart rendered by plotly.js");
    assert!(dom.matches("class=\"main-svg\"").count() >= charts);
    chromium(&exe, &[format!("--screenshot={}", png.display()), "--window-size=1400,3000".into(), url]);
    let shot = std::fs::read(&png).expect("screenshot written");
    assert!(shot.starts_with(b"\x89PNG") && shot.len() > 20_000, "a screenshot of a drawn page");
    eprintln!("summary-check: {charts} charts rendered, no script errors; screenshot {}", png.display());
}
