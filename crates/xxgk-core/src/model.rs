//! The domain model shared by every stage: documents, layout lines, facts, checks, reports.
//! It imports nothing else of the crate so that stages depend on it and not on each other.

use std::path::PathBuf;

/// A file found by `crawl`, before anything is read.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct SourceFile {
    /// Absolute (or as-given) path used to read the file.
    pub path: PathBuf,
    /// Path relative to the INPUT root it was found under, with `/` separators.
    pub rel_path: String,
    pub format: SourceFormat,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, serde::Serialize, serde::Deserialize)]
pub enum SourceFormat {
    Html,
    Text,
}

impl SourceFormat {
    pub fn as_str(self) -> &'static str {
        match self {
            SourceFormat::Html => "html",
            SourceFormat::Text => "text",
        }
    }
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, serde::Serialize, serde::Deserialize)]
pub enum Script {
    Simplified,
    Traditional,
}

impl Script {
    pub fn as_str(self) -> &'static str {
        match self {
            Script::Simplified => "simplified",
            Script::Traditional => "traditional",
        }
    }
}

/// Decoded text of one file, with what decoding had to do.
#[derive(Debug, Clone)]
pub struct Decoded {
    pub text: String,
    /// Canonical encoding name (`UTF-8`, `GBK`, `GB18030`, `Big5`, `UTF-16LE` …).
    pub encoding: String,
    pub mojibake_repaired: bool,
    pub warnings: Vec<String>,
}

/// One physical line of the document after layout parsing: a paragraph or a table row.
#[derive(Debug, Clone, PartialEq)]
pub struct Line {
    pub cells: Vec<Cell>,
    /// Cells come from explicit delimiters (HTML `<td>`, `|`, tab): an empty cell is a real cell.
    pub delimited: bool,
    /// The line is a row of an HTML `<table>` (not text that merely looks tabular).
    pub in_table: bool,
}

#[derive(Debug, Clone, PartialEq)]
pub struct Cell {
    pub text: String,
    /// A copy produced by expanding rowspan/colspan: it keeps grid positions but carries no new content.
    pub span_copy: bool,
}

impl Cell {
    pub fn new(text: impl Into<String>) -> Cell {
        Cell { text: text.into(), span_copy: false }
    }
}

impl Line {
    pub fn paragraph(text: impl Into<String>) -> Line {
        Line { cells: vec![Cell::new(text)], delimited: false, in_table: false }
    }

    /// The line's text with cells joined by a space, for narrative searches.
    pub fn joined(&self) -> String {
        let parts: Vec<&str> =
            self.cells.iter().filter(|c| !c.span_copy).map(|c| c.text.trim()).filter(|t| !t.is_empty()).collect();
        parts.join(" ")
    }
}

/// The parsed document: layout lines plus what parsing learned about the page.
#[derive(Debug, Clone, Default, PartialEq)]
pub struct Layout {
    pub lines: Vec<Line>,
    /// `<title>` of an HTML page, when present.
    pub html_title: Option<String>,
    pub warnings: Vec<String>,
}

/// Table names of SCHEMA.md.
pub const TABLES: [&str; 4] = ["active_disclosure", "applications", "review_litigation", "legacy_stats"];

/// One table cell, addressed by canonical keys.
///
/// Small strings: a report holds ~150 facts, and nearly all their keys, column labels and
/// printed values fit in 24 bytes inline, so a fact costs about one heap allocation, not six,
/// when it is extracted, read back from the cache, and dropped.
#[derive(Debug, Clone, PartialEq, serde::Serialize, serde::Deserialize)]
pub struct Fact {
    pub table: CompactString,
    pub row_key: CompactString,
    pub col_key: CompactString,
    pub value: Option<f64>,
    pub raw_row_label: Option<CompactString>,
    pub raw_col_label: Option<CompactString>,
    pub raw_value: CompactString,
}

pub use compact_str::CompactString;

/// One evaluated identity.
#[derive(Debug, Clone, PartialEq, serde::Serialize, serde::Deserialize)]
pub struct Check {
    pub check_id: String,
    pub lhs: f64,
    pub rhs: f64,
    pub passed: bool,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, serde::Serialize, serde::Deserialize)]
pub enum Status {
    Ok,
    Partial,
    NoTables,
    NotAReport,
    Error,
}

impl Status {
    pub fn as_str(self) -> &'static str {
        match self {
            Status::Ok => "ok",
            Status::Partial => "partial",
            Status::NoTables => "no_tables",
            Status::NotAReport => "not_a_report",
            Status::Error => "error",
        }
    }
}

/// Everything known about one input file: one row of reports.parquet plus its facts and checks.
#[derive(Debug, Clone, serde::Serialize, serde::Deserialize)]
pub struct Report {
    pub report_id: String,
    pub source_path: String,
    pub source_format: SourceFormat,
    pub bytes: u64,
    pub encoding: Option<String>,
    pub script: Option<Script>,
    pub mojibake_repaired: bool,
    pub title: Option<String>,
    pub issuer: Option<String>,
    pub issuer_kind: Option<String>,
    pub province: Option<String>,
    pub city: Option<String>,
    pub county: Option<String>,
    pub division_code: Option<String>,
    pub report_year: Option<i32>,
    /// ISO date `YYYY-MM-DD`.
    pub published_date: Option<String>,
    pub template: Option<String>,
    pub status: Status,
    pub status_detail: Option<String>,
    pub facts: Vec<Fact>,
    pub checks: Vec<Check>,
    pub warnings: Vec<String>,
    /// Nanoseconds spent per stage, for run.json and benchmarks (not a dataset column).
    pub timings: StageTimes,
}

#[derive(Debug, Clone, Copy, Default, PartialEq, Eq, serde::Serialize, serde::Deserialize)]
pub struct StageTimes {
    pub read: u64,
    pub decode: u64,
    pub parse: u64,
    pub extract: u64,
    pub validate: u64,
}

impl StageTimes {
    pub fn add(&mut self, o: &StageTimes) {
        self.read += o.read;
        self.decode += o.decode;
        self.parse += o.parse;
        self.extract += o.extract;
        self.validate += o.validate;
    }
}

impl Report {
    /// A report row for a file that could not be processed past `stage`.
    pub fn failed(file: &SourceFile, report_id: String, bytes: u64, detail: String) -> Report {
        Report {
            report_id,
            source_path: file.rel_path.clone(),
            source_format: file.format,
            bytes,
            encoding: None,
            script: None,
            mojibake_repaired: false,
            title: None,
            issuer: None,
            issuer_kind: None,
            province: None,
            city: None,
            county: None,
            division_code: None,
            report_year: None,
            published_date: None,
            template: None,
            status: Status::Error,
            status_detail: Some(detail),
            facts: Vec::new(),
            checks: Vec::new(),
            warnings: Vec::new(),
            timings: StageTimes::default(),
        }
    }

    pub fn n_failed_checks(&self) -> u32 {
        self.checks.iter().filter(|c| !c.passed).count() as u32
    }
}
