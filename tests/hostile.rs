//! Hostile input (issue 7): a corpus of broken, huge, looping, unreadable and vanishing files
//! built here at run time, beside the sample reports. Every file must end as a reports row
//! with a specific status and reason, the run must finish with exit code 1, and the sample
//! reports must come out exactly as they do alone.

// Its own test binary: it measures time budgets and kill points, which tests running beside
// it in one binary would shift.
#[path = "it/common/mod.rs"]
mod common;

use common::*;
use std::collections::BTreeMap;
use std::io::{BufRead, BufReader};
use std::os::unix::ffi::OsStrExt;
use std::path::{Path, PathBuf};
use std::process::{Command, Stdio};

/// The sample report the damaged copies are made from (UTF-8, every table present).
const SOURCE: &str = "001_jiangsu-huaian-shi_2024.pdftext.txt";
const TITLE: &str = "某市2020年政府信息公开工作年度报告";
/// Enough tiny files ahead of `zz_deleted.txt` that it falls in the pipeline's second batch
/// of 512, which starts only after the first (holding the 50 MB line) was written.
const FILLERS: usize = 520;

/// One reports row, the columns this test compares.
#[derive(Debug, Clone, PartialEq)]
struct Row {
    report_id: String,
    status: String,
    detail: Option<String>,
    title: Option<String>,
    n_facts: u32,
    n_failed_checks: u32,
    warnings: Vec<String>,
}

/// What one hostile file must come out as.
struct Expect {
    path: String,
    status: &'static str,
    /// A substring of status_detail (None: the detail must be empty, as for `ok`).
    detail: Option<String>,
    warning: Option<&'static str>,
}

fn expect(path: &str, status: &'static str, detail: &str) -> Expect {
    Expect { path: path.to_string(), status, detail: Some(detail.to_string()), warning: None }
}

fn rows(out: &Path) -> BTreeMap<String, Row> {
    let df = read(&out.join("reports.parquet"));
    let u32s = |c: &str| -> Vec<u32> { df.column(c).unwrap().u32().unwrap().iter().map(|v| v.unwrap()).collect() };
    let (n_facts, n_failed) = (u32s("n_facts"), u32s("n_failed_checks"));
    let warnings = df.column("warnings").unwrap().list().unwrap().clone();
    let (paths, ids) = (strings(&df, "source_path"), strings(&df, "report_id"));
    let (status, detail, title) = (strings(&df, "status"), strings(&df, "status_detail"), strings(&df, "title"));
    let mut out = BTreeMap::new();
    for i in 0..df.height() {
        let w = warnings.get_as_series(i).unwrap();
        let w: Vec<String> = w.str().unwrap().iter().flatten().map(str::to_string).collect();
        let row = Row {
            report_id: ids[i].clone().unwrap(),
            status: status[i].clone().unwrap(),
            detail: detail[i].clone(),
            title: title[i].clone(),
            n_facts: n_facts[i],
            n_failed_checks: n_failed[i],
            warnings: w,
        };
        let path = paths[i].clone().unwrap();
        assert!(out.insert(path.clone(), row).is_none(), "two rows for {path}");
    }
    out
}

/// Facts of one report, sorted, as comparable tuples.
fn facts_of(out: &Path, id: &str) -> Vec<(String, String, String, Option<u64>)> {
    let mut f: Vec<_> =
        facts(out).into_iter().filter(|r| r.0 == id).map(|(_, t, r, c, v)| (t, r, c, v.map(f64::to_bits))).collect();
    f.sort();
    f
}

fn write(path: &Path, bytes: &[u8]) {
    std::fs::create_dir_all(path.parent().unwrap()).unwrap();
    std::fs::write(path, bytes).unwrap();
}

fn is_root() -> bool {
    // SAFETY: geteuid has no preconditions and cannot fail.
    unsafe { libc::geteuid() == 0 }
}

/// Builds the hostile part of the corpus under `dir` and returns what each entry must yield.
fn hostile_corpus(dir: &Path, sample: &Path) -> Vec<Expect> {
    let report = std::fs::read_to_string(sample.join(SOURCE)).unwrap();
    let h = dir.join("hostile");
    let mut cases = Vec::new();

    write(&h.join("empty.html"), b"");
    cases.push(expect("hostile/empty.html", "error", "decode: file is empty"));

    let mut elf = b"\x7fELF\x02\x01\x01\x00".to_vec();
    elf.extend((0u32..8192).map(|i| (i.wrapping_mul(2654435761) >> 13) as u8));
    write(&h.join("binary.html"), &elf);
    cases.push(expect("hostile/binary.html", "error", "decode: binary content"));

    let mut cut = report.as_bytes().to_vec();
    cut.extend_from_slice(&"报".as_bytes()[..2]);
    write(&h.join("truncated.txt"), &cut);
    cases.push(Expect { warning: Some("ends inside a UTF-8 character"), ..like_source("hostile/truncated.txt") });

    write(&h.join("mixed.txt"), &mixed_utf8_gbk(&report));
    cases.push(Expect { warning: Some("mixed encodings"), ..like_source("hostile/mixed.txt") });

    let line = "政府信息公开 12 ".repeat(50 * 1024 * 1024 / 20);
    write(&h.join("long_line.txt"), line.as_bytes());
    cases.push(expect("hostile/long_line.txt", "error", "over the limit of 1048576 (limits.toml max_line_bytes)"));

    let deep = format!("{}<p>{TITLE}</p>{}", "<div>".repeat(100_000), "</div>".repeat(100_000));
    write(&h.join("deep.html"), deep.as_bytes());
    cases.push(expect("hostile/deep.html", "error", "parse: over the time budget of"));

    let table = format!("<table>{}</table>", "<tr><td>规章</td><td>1</td></tr>".repeat(100_000));
    write(&h.join("big_table.html"), table.as_bytes());
    cases.push(expect(
        "hostile/big_table.html",
        "error",
        "parse: an HTML table has 100000 rows, over the limit of 5000 (limits.toml max_table_rows)",
    ));

    let unclosed =
        format!("<html><body><div><p><b>{TITLE}<p><font>一、总体情况<table><tr><td>规章<td>1<tr><td>规范性文件");
    write(&h.join("unclosed.html"), unclosed.as_bytes());
    cases.push(expect("hostile/unclosed.html", "no_tables", "a disclosure report, but none of its statistical tables"));

    write(&h.join("bad_utf16.txt"), &invalid_utf16());
    cases.push(Expect {
        warning: Some("malformed byte sequences for UTF-16LE replaced with U+FFFD"),
        ..expect("hostile/bad_utf16.txt", "no_tables", "a disclosure report, but none of its statistical tables")
    });

    std::fs::create_dir_all(h.join("loop")).unwrap();
    std::os::unix::fs::symlink("..", h.join("loop/up")).unwrap();
    cases.push(expect("hostile/loop/up", "error", "File system loop found"));
    std::os::unix::fs::symlink("self.html", h.join("self.html")).unwrap();
    cases.push(expect("hostile/self.html", "error", "Too many levels of symbolic links"));
    std::os::unix::fs::symlink("nowhere.html", h.join("dangling.html")).unwrap();
    cases.push(expect("hostile/dangling.html", "error", "No such file or directory"));

    // /proc/self/mem is a regular file whose reads fail, even for root.
    std::os::unix::fs::symlink("/proc/self/mem", h.join("unreadable.html")).unwrap();
    cases.push(expect(
        "hostile/unreadable.html",
        "error",
        "read: cannot read hostile/unreadable.html: Input/output error",
    ));
    if !is_root() {
        write(&h.join("no_permission.html"), report.as_bytes());
        std::fs::set_permissions(h.join("no_permission.html"), std::os::unix::fs::PermissionsExt::from_mode(0o000))
            .unwrap();
        cases.push(expect(
            "hostile/no_permission.html",
            "error",
            "read: cannot read hostile/no_permission.html: Permission denied",
        ));
    }

    assert!(Command::new("mkfifo").arg(h.join("pipe.html")).status().unwrap().success());
    cases.push(expect("hostile/pipe.html", "error", "crawl: hostile/pipe.html is a FIFO, not read"));

    // Sparse: over max_file_bytes without using the disk, and never read.
    std::fs::File::create(h.join("huge.txt")).unwrap().set_len(64 * 1024 * 1024 + 1).unwrap();
    cases.push(expect(
        "hostile/huge.txt",
        "error",
        "read: file is 67108865 bytes, over the limit of 67108864 (limits.toml max_file_bytes)",
    ));

    // A trailing newline gives it a report_id of its own (ids are content hashes).
    let name = std::ffi::OsStr::from_bytes(b"r\xff\xfe.txt");
    write(&h.join(name), format!("{report}\n").as_bytes());
    cases.push(Expect { warning: Some("file name is not UTF-8"), ..like_source("hostile/r\\xFF\\xFE.txt") });

    write(&dir.join("zz_deleted.txt"), format!("{report}\n\n").as_bytes());
    cases.push(expect("zz_deleted.txt", "error", "read: cannot stat zz_deleted.txt: No such file or directory"));
    cases
}

/// A copy of the source report must come out as the source does (checked against the baseline).
fn like_source(path: &str) -> Expect {
    Expect { path: path.to_string(), status: "like-source", detail: None, warning: None }
}

/// The report's first half in UTF-8, its second half in GBK.
fn mixed_utf8_gbk(report: &str) -> Vec<u8> {
    let lines: Vec<&str> = report.split_inclusive('\n').collect();
    let (head, tail) = lines.split_at(lines.len() / 2);
    let gbk = xxgk_synth::encode::encode(&tail.concat(), xxgk_synth::spec::Encoding::Gbk)
        .unwrap_or_else(|c| panic!("the source report must be GBK-encodable, {c:?} is not"));
    let mut bytes = head.concat().into_bytes();
    bytes.extend_from_slice(&gbk);
    bytes
}

/// UTF-16LE with a BOM, an unpaired surrogate and an odd trailing byte.
fn invalid_utf16() -> Vec<u8> {
    let mut units: Vec<u16> = format!("{TITLE}\n一、总体情况\n").encode_utf16().collect();
    units.insert(5, 0xD800);
    let mut bytes = vec![0xFF, 0xFE];
    bytes.extend(units.iter().flat_map(|u| u.to_le_bytes()));
    bytes.push(0x41);
    bytes
}

/// A config directory like the embedded one, with a short time budget so that the deep
/// nesting case costs seconds rather than the production budget.
fn short_budget_config(dir: &Path) -> PathBuf {
    let root = Path::new(env!("CARGO_MANIFEST_DIR")).join("config");
    let cfg = dir.join("config");
    std::fs::create_dir_all(&cfg).unwrap();
    for f in ["tables.toml", "normalise.toml"] {
        std::fs::copy(root.join(f), cfg.join(f)).unwrap();
    }
    let limits = std::fs::read_to_string(root.join("limits.toml")).unwrap();
    let limits: String = limits
        .lines()
        .map(|l| if l.starts_with("max_document_ms") { "max_document_ms = 4000" } else { l })
        .collect::<Vec<_>>()
        .join("\n");
    std::fs::write(cfg.join("limits.toml"), limits).unwrap();
    cfg
}

/// Runs the build, deleting `zz_deleted.txt` as soon as the crawl has listed it.
fn build_deleting(input: &Path, out: &Path, config: &Path) -> (i32, String) {
    let mut child = Command::new(bin())
        .arg("build")
        .arg(input)
        .arg("--out")
        .arg(out)
        .args(["--jobs", "2", "--config"])
        .arg(config)
        .stderr(Stdio::piped())
        .spawn()
        .expect("run xxgk");
    let mut stderr = BufReader::new(child.stderr.take().unwrap());
    let mut log = String::new();
    let mut line = String::new();
    while stderr.read_line(&mut line).unwrap() > 0 {
        log.push_str(&line);
        if line.contains("documents to process") {
            std::fs::remove_file(input.join("zz_deleted.txt")).unwrap();
        }
        line.clear();
    }
    (child.wait().unwrap().code().unwrap_or(-1), log)
}

#[test]
fn every_hostile_file_is_a_row_with_a_specific_reason() {
    let started = std::time::Instant::now();
    let sample = Path::new(env!("CARGO_MANIFEST_DIR")).join("data/sample");
    let dir = temp_dir("hostile");
    let baseline_out = dir.join("baseline");
    assert_eq!(build(&sample, &baseline_out, &["--jobs", "2"]), 1, "the samples alone fail two checks");
    let baseline = rows(&baseline_out);

    let corpus = dir.join("corpus");
    for entry in std::fs::read_dir(&sample).unwrap() {
        let p = entry.unwrap().path();
        write(&corpus.join("good").join(p.file_name().unwrap()), &std::fs::read(&p).unwrap());
    }
    for i in 0..FILLERS {
        write(&corpus.join(format!("fill/{i:04}.txt")), format!("填充文件 {i}").as_bytes());
    }
    let cases = hostile_corpus(&corpus, &sample);
    let out = dir.join("out");
    let (code, log) = build_deleting(&corpus, &out, &short_budget_config(&dir));
    assert_eq!(code, 1, "documents failed, the run did not: {log}");
    assert!(!log.contains("panicked"), "{log}");
    let got = rows(&out);

    let source = &baseline[SOURCE];
    for c in &cases {
        let row = got.get(&c.path).unwrap_or_else(|| panic!("no reports row for {}: {:#?}", c.path, got.keys()));
        if c.status == "like-source" {
            let same = (&row.status, &row.detail, &row.title, row.n_facts, row.n_failed_checks);
            let want = (&source.status, &source.detail, &source.title, source.n_facts, source.n_failed_checks);
            assert_eq!(same, want, "{}", c.path);
            let (got_facts, want_facts) = (facts_of(&out, &row.report_id), facts_of(&baseline_out, &source.report_id));
            assert!(
                got_facts == want_facts,
                "{}: {} facts, the source has {}",
                c.path,
                got_facts.len(),
                want_facts.len()
            );
        } else {
            assert_eq!(row.status, c.status, "{}: {row:?}", c.path);
            let detail = row.detail.as_deref().unwrap_or("");
            assert!(detail.contains(c.detail.as_deref().unwrap()), "{}: {detail}", c.path);
        }
        if let Some(w) = c.warning {
            assert!(row.warnings.iter().any(|x| x.contains(w)), "{}: warning {w:?} not in {:?}", c.path, row.warnings);
        }
    }
    assert_eq!(got["hostile/deep.html"].n_facts, 0);

    for (path, want) in &baseline {
        let row = &got[&format!("good/{path}")];
        assert_eq!(row, want, "good/{path} changed beside hostile input");
        assert!(
            facts_of(&out, &row.report_id) == facts_of(&baseline_out, &want.report_id),
            "good/{path}: facts differ"
        );
    }
    let fillers: Vec<&Row> = got.iter().filter(|(p, _)| p.starts_with("fill/")).map(|(_, r)| r).collect();
    assert_eq!(fillers.len(), FILLERS);
    assert!(fillers.iter().all(|r| r.status == "not_a_report"
        && r.detail.as_deref() == Some("extract: no disclosure report title or tables found")));
    assert_eq!(got.len(), FILLERS + baseline.len() + cases.len(), "one row per file: {:#?}", got.keys());
    let run: serde_json::Value = serde_json::from_str(&std::fs::read_to_string(out.join("run.json")).unwrap()).unwrap();
    assert_eq!(run["counts"]["documents"], got.len());
    eprintln!("hostile corpus: {} rows in {:.1} s", got.len(), started.elapsed().as_secs_f64());
    let _ = std::fs::remove_dir_all(&dir);
}
