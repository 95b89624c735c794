//! One document through every stage (read → decode → parse → extract → validate) into a
//! `Report`. Whatever fails, the document still yields a report with the stage and reason.

use crate::budget::{Deadline, OverBudget};
use crate::config::Config;
use crate::decode::{decode, DecodeError};
use crate::extract::meta::read_meta;
use crate::extract::{Extraction, Extractor};
use crate::issuer::{recognise, Divisions, IssuerContext};
use crate::model::{Decoded, Layout, Report, Script, SourceFile, Status};
use crate::normalize::{detect_script, Simplifier};
use crate::parse::{check_raw_lines, parser_for, sniff_format, ParseError};
use crate::validate::validate;
use std::time::Instant;

/// Everything built once per run and shared by all documents (read-only, so `Sync`).
pub struct Engine {
    pub config: Config,
    pub extractor: Extractor,
    pub simplifier: Simplifier,
}

impl Engine {
    pub fn new(config: Config) -> Engine {
        let extractor = Extractor::new(&config);
        let simplifier = Simplifier::new(&config.normalise);
        Engine { config, extractor, simplifier }
    }
}

impl Engine {
    /// What a cached result depends on besides the document's bytes: the crate version,
    /// a hash of the extraction code and reference data, and the config fingerprint.
    pub fn extraction_version(&self) -> String {
        format!("{}+{}+{}", env!("CARGO_PKG_VERSION"), env!("XXGK_CODE_HASH"), self.config.fingerprint)
    }
}

/// The stable id of a document: same bytes, same id.
pub fn report_id(bytes: &[u8]) -> String {
    blake3::hash(bytes).to_hex()[..16].to_string()
}

/// Reads and processes one file.
pub fn process_file(file: &SourceFile, engine: &Engine) -> Report {
    let id_of_path = || report_id(file.rel_path.as_bytes());
    let meta = match std::fs::metadata(&file.path) {
        Ok(m) => m,
        Err(e) => return Report::failed(file, id_of_path(), 0, format!("read: cannot stat {}: {e}", file.rel_path)),
    };
    let limit = engine.config.limits.max_file_bytes;
    if meta.len() > limit {
        let detail =
            format!("read: file is {} bytes, over the limit of {limit} (limits.toml max_file_bytes)", meta.len());
        return Report::failed(file, id_of_path(), meta.len(), detail);
    }
    let t0 = Instant::now();
    match read_at_most(&file.path, limit) {
        Ok(bytes) if bytes.len() as u64 > limit => {
            let detail =
                format!("read: file grew past the limit of {limit} bytes while read (limits.toml max_file_bytes)");
            Report::failed(file, id_of_path(), bytes.len() as u64, detail)
        }
        Ok(bytes) => {
            let read = t0.elapsed().as_nanos() as u64;
            let mut r = process_bytes(file, &bytes, engine);
            r.timings.read = read;
            if file.path.to_str().is_none() {
                r.warnings
                    .push("crawl: file name is not UTF-8; source_path shows its other bytes as \\xNN".to_string());
            }
            r
        }
        Err(e) => Report::failed(file, id_of_path(), meta.len(), format!("read: cannot read {}: {e}", file.rel_path)),
    }
}

/// Reads up to one byte past `limit`: the size from `stat` can be stale (a file still being
/// written, a special file that reports 0), and memory must stay bounded anyway.
fn read_at_most(path: &std::path::Path, limit: u64) -> std::io::Result<Vec<u8>> {
    use std::io::Read;
    let mut bytes = Vec::new();
    std::fs::File::open(path)?.take(limit.saturating_add(1)).read_to_end(&mut bytes)?;
    Ok(bytes)
}

/// Processes a document's bytes (the file was read already) within the per-document budget.
pub fn process_bytes(file: &SourceFile, bytes: &[u8], engine: &Engine) -> Report {
    let deadline = Deadline::after_ms(engine.config.limits.max_document_ms);
    let mut report = Report::failed(file, report_id(bytes), bytes.len() as u64, String::new());
    if let Err(e) = run_stages(&mut report, file, bytes, engine, &deadline) {
        // Whatever a stage had filled in stays for diagnosis, but nothing counts as extracted.
        report.status = Status::Error;
        report.status_detail = Some(e.to_string());
        report.facts.clear();
        report.checks.clear();
    }
    report
}

/// A plain-text document through every stage with the embedded configuration: the stages'
/// unit tests feed it the table they are about.
#[cfg(test)]
pub(crate) fn process_text(text: &str) -> Report {
    let engine = Engine::new(Config::embedded().expect("embedded config is valid"));
    let file =
        SourceFile { path: "r.txt".into(), rel_path: "r.txt".to_string(), format: crate::model::SourceFormat::Text };
    process_bytes(&file, text.as_bytes(), &engine)
}

/// Why a document stopped before the end of the stages.
#[derive(Debug, thiserror::Error)]
pub enum StageError {
    #[error(transparent)]
    Decode(#[from] DecodeError),
    #[error(transparent)]
    Parse(#[from] ParseError),
    #[error(transparent)]
    OverBudget(#[from] OverBudget),
}

fn run_stages(
    report: &mut Report,
    file: &SourceFile,
    bytes: &[u8],
    engine: &Engine,
    deadline: &Deadline,
) -> Result<(), StageError> {
    let mut clock = Instant::now();
    let is_html = file.format == crate::model::SourceFormat::Html;
    if !is_html {
        // HTML may be minified onto one line; its limit applies to layout lines after parsing.
        check_raw_lines(bytes, &engine.config.limits)?;
    }
    let decoded = decode(bytes, is_html)?;
    report.encoding = Some(decoded.encoding.clone());
    report.mojibake_repaired = decoded.mojibake_repaired;
    report.warnings.extend(decoded.warnings.iter().cloned());
    report.timings.decode = lap(&mut clock);
    deadline.check("decode")?;
    let format = sniff_format(file.format, &decoded.text);
    let layout = parser_for(format).parse(&decoded.text, &engine.config.limits, deadline)?;
    report.timings.parse = lap(&mut clock);
    fill(report, &decoded, &layout, engine, &mut clock, deadline)?;
    Ok(())
}

fn lap(clock: &mut Instant) -> u64 {
    let ns = clock.elapsed().as_nanos() as u64;
    *clock = Instant::now();
    ns
}

fn fill(
    report: &mut Report,
    decoded: &Decoded,
    layout: &Layout,
    engine: &Engine,
    clock: &mut Instant,
    deadline: &Deadline,
) -> Result<(), OverBudget> {
    let script = detect_script(&decoded.text, &engine.simplifier);
    report.script = Some(script);
    let simp = &engine.simplifier;
    // The extractor converts the same label and header texts many times over; a traditional
    // document converts each distinct text once.
    let converted = std::cell::RefCell::new(std::collections::HashMap::<String, String>::new());
    let simplify = |s: &str| {
        if script != Script::Traditional {
            return s.to_string();
        }
        if let Some(hit) = converted.borrow().get(s) {
            return hit.clone();
        }
        let out = simp.simplify(s);
        converted.borrow_mut().insert(s.to_string(), out.clone());
        out
    };
    let lines: Vec<String> = layout.lines.iter().map(|l| simplify(&l.joined())).collect();
    deadline.check("normalise")?;
    let meta = read_meta(&lines, layout.html_title.as_deref().map(&simplify).as_deref());
    report.warnings.extend(layout.warnings.iter().cloned());
    report.warnings.extend(meta.warnings);
    report.title = meta.title;
    report.report_year = meta.report_year;
    report.published_date = meta.published_date;
    fill_issuer(report, &lines);
    deadline.check("issuer")?;
    let ex = engine.extractor.extract(layout, &simplify, report.report_year);
    report.warnings.extend(ex.warnings.iter().cloned());
    report.template = ex.template.clone();
    if let Some(w) = template_year_mismatch(report.template.as_deref(), report.report_year) {
        report.warnings.push(w);
    }
    set_status(report, &ex, &lines);
    report.timings.extract = lap(clock);
    deadline.check("extract")?;
    report.checks = validate(&ex.facts);
    report.facts = ex.facts;
    report.timings.validate = lap(clock);
    deadline.check("validate")
}

/// Templates belong to report years (legacy ≤2018, 2019 for 2019–2020, 2021 from 2021), but
/// early-2022 publications can print the new tables for 2021 and vice versa: the tables
/// decide `template`, a mismatch is only noted.
fn template_year_mismatch(template: Option<&str>, year: Option<i32>) -> Option<String> {
    let (t, y) = (template?, year?);
    let expected = match y {
        ..=2018 => "legacy",
        2019 | 2020 => "2019",
        _ => "2021",
    };
    (t != expected)
        .then(|| format!("extract: tables follow the {t} template, but report year {y} uses the {expected} one"))
}

/// A report titles itself `…信息公开工作年度报告` (a notice about reports ends in 公告/通知),
/// or opens with 本报告…编制.
fn looks_like_report(lines: &[String]) -> bool {
    let compact = |l: &str| -> String { l.chars().filter(|c| !c.is_whitespace()).collect() };
    let titled = lines.iter().take(30).map(|l| compact(l)).any(|l| {
        let t = l.trim_end_matches(|c: char| !crate::normalize::is_ideograph(c));
        t.chars().count() <= 60 && t.contains("信息公开") && (t.ends_with("年度报告") || t.ends_with("工作报告"))
    });
    titled || lines.iter().take(60).any(|l| l.contains("本报告") && l.contains("编制"))
}

fn fill_issuer(report: &mut Report, lines: &[String]) {
    let text = lines.join("\n");
    let ctx = IssuerContext { title: report.title.as_deref(), text: &text, report_year: report.report_year };
    let info = recognise(Divisions::embedded(), &ctx);
    report.issuer = info.issuer;
    report.issuer_kind = info.issuer_kind;
    report.province = info.province;
    report.city = info.city;
    report.county = info.county;
    report.division_code = info.division_code;
    report.warnings.extend(info.warnings);
}

fn set_status(report: &mut Report, ex: &Extraction, lines: &[String]) {
    if ex.tables.is_empty() {
        let reportish = looks_like_report(lines);
        report.status = if reportish { Status::NoTables } else { Status::NotAReport };
        report.status_detail = Some(if reportish {
            "extract: a disclosure report, but none of its statistical tables was found".to_string()
        } else {
            "extract: no disclosure report title or tables found".to_string()
        });
        return;
    }
    let expected: &[&str] = match ex.template.as_deref() {
        Some("legacy") => &["legacy_stats"],
        _ => &["active_disclosure", "applications", "review_litigation"],
    };
    let missing: Vec<&str> = expected.iter().copied().filter(|t| !ex.tables.iter().any(|x| x == t)).collect();
    if missing.is_empty() {
        report.status = Status::Ok;
        report.status_detail = None;
    } else {
        report.status = Status::Partial;
        report.status_detail = Some(format!("extract: tables not found: {}", missing.join(", ")));
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::model::SourceFormat;

    fn engine_with(edit: impl FnOnce(&mut crate::config::Limits)) -> Engine {
        let mut cfg = Config::embedded().unwrap();
        edit(&mut cfg.limits);
        Engine::new(cfg)
    }

    fn text_file(path: std::path::PathBuf) -> SourceFile {
        SourceFile { path, rel_path: "r.txt".to_string(), format: SourceFormat::Text }
    }

    const REPORT: &str = "某市2020年政府信息公开工作年度报告\n一、总体情况\n本报告由某市人民政府办公室编制。\n";

    #[test]
    fn a_spent_budget_is_an_error_naming_the_limit() {
        let r = process_bytes(&text_file("r.txt".into()), REPORT.as_bytes(), &engine_with(|l| l.max_document_ms = 0));
        assert_eq!(r.status, Status::Error);
        let detail = r.status_detail.unwrap();
        assert!(detail.starts_with("decode: over the time budget of 0 ms"), "{detail}");
        assert!(detail.ends_with("(limits.toml max_document_ms)"), "{detail}");
        assert!(r.facts.is_empty() && r.checks.is_empty());
        let ok = process_bytes(&text_file("r.txt".into()), REPORT.as_bytes(), &engine_with(|_| {}));
        assert_eq!(ok.status, Status::NoTables, "{:?}", ok.status_detail);
    }

    #[test]
    fn the_parser_loops_watch_the_budget() {
        let limits = Config::embedded().unwrap().limits;
        let text = "规章 1 0\n".repeat(5000);
        let err = parser_for(SourceFormat::Text).parse(&text, &limits, &Deadline::after_ms(0)).unwrap_err();
        assert!(err.to_string().starts_with("parse: over the time budget"), "{err}");
        let html = format!("<table>{}</table>", "<tr><td>规章</td><td>1</td></tr>".repeat(50));
        let err = parser_for(SourceFormat::Html).parse(&html, &limits, &Deadline::after_ms(0)).unwrap_err();
        assert!(matches!(err, ParseError::OverBudget(_)), "{err}");
    }

    #[test]
    fn size_line_and_table_limits_name_themselves() {
        let dir = std::env::temp_dir().join(format!("xxgk-limits-{}", std::process::id()));
        std::fs::create_dir_all(&dir).unwrap();
        let path = dir.join("r.txt");
        std::fs::write(&path, REPORT).unwrap();
        let r = process_file(&text_file(path.clone()), &engine_with(|l| l.max_file_bytes = 10));
        let detail = r.status_detail.unwrap();
        assert!(detail.starts_with("read: file is") && detail.ends_with("(limits.toml max_file_bytes)"), "{detail}");
        // stat says 0 bytes for /proc files; what is read still counts.
        let r = process_file(&text_file("/proc/self/maps".into()), &engine_with(|l| l.max_file_bytes = 10));
        assert_eq!(
            r.status_detail.unwrap(),
            "read: file grew past the limit of 10 bytes while read (limits.toml max_file_bytes)"
        );
        let r = process_bytes(&text_file(path.clone()), REPORT.as_bytes(), &engine_with(|l| l.max_line_bytes = 40));
        assert_eq!(
            r.status_detail.unwrap(),
            "parse: line 1 is 49 bytes long, over the limit of 40 (limits.toml max_line_bytes)"
        );
        let r = process_bytes(&text_file(path.clone()), REPORT.as_bytes(), &engine_with(|l| l.max_lines = 2));
        assert!(r.status_detail.unwrap().ends_with("(limits.toml max_lines)"));
        let html = format!("<table>{}</table>", "<tr><td>规章</td><td>1</td></tr>".repeat(11));
        let file = SourceFile { format: SourceFormat::Html, ..text_file(path.clone()) };
        let r = process_bytes(&file, html.as_bytes(), &engine_with(|l| l.max_table_rows = 10));
        assert_eq!(
            r.status_detail.unwrap(),
            "parse: an HTML table has 11 rows, over the limit of 10 (limits.toml max_table_rows)"
        );
        std::fs::remove_dir_all(&dir).unwrap();
    }

    #[test]
    fn a_file_deleted_after_the_crawl_is_an_error_row() {
        let dir = std::env::temp_dir().join(format!("xxgk-vanish-{}", std::process::id()));
        std::fs::create_dir_all(&dir).unwrap();
        std::fs::write(dir.join("gone.txt"), REPORT).unwrap();
        let (files, _) = crate::crawl::crawl_all(std::slice::from_ref(&dir)).unwrap();
        std::fs::remove_dir_all(&dir).unwrap();
        let r = process_file(&files[0], &engine_with(|_| {}));
        assert_eq!(r.status, Status::Error);
        let detail = r.status_detail.unwrap();
        assert!(detail.starts_with("read: cannot stat gone.txt: No such file"), "{detail}");
    }

    #[test]
    fn template_and_year_disagreement_is_noted() {
        assert!(template_year_mismatch(Some("2021"), Some(2020)).is_some());
        assert!(template_year_mismatch(Some("2019"), Some(2020)).is_none());
        assert!(template_year_mismatch(Some("legacy"), Some(2014)).is_none());
        assert!(template_year_mismatch(Some("2019"), Some(2021)).is_some());
        assert!(template_year_mismatch(None, Some(2021)).is_none());
    }

    #[test]
    fn notices_about_reports_are_not_reports() {
        let l = |v: &[&str]| v.iter().map(|s| s.to_string()).collect::<Vec<_>>();
        assert!(!looks_like_report(&l(&["关于公开苏州市2016年度政府信息公开工作年度报告的公告", "正文"])));
        assert!(looks_like_report(&l(&["苏州市2016年政府信息公开工作年度报告", "正文"])));
        assert!(looks_like_report(&l(&["本报告由某市人民政府办公室编制。"])));
    }
}
