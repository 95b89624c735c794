//! `config/panel.toml`: which cells of each template make a headline measure. Loaded and
//! validated once; evaluated per report into a short vector of numbers, so the panel never
//! needs the facts of the whole corpus in memory.

use super::packed::Packed;
use crate::config::ConfigError;
use crate::model::{Fact, Report};
use rustc_hash::FxHashMap;
use serde::Deserialize;
use std::collections::{BTreeMap, BTreeSet};
use std::path::Path;

/// A continuity row, one entry per `Continuity::columns`: None where the report does not
/// print the column, Some(None) for an empty cell. A fixed layout instead of a map keeps the
/// per-report input of the panel small (it is held for every document of a run).
pub type RowValues = Vec<Option<Option<f64>>>;
/// What `Crosswalk::summarise` returns: the measures, then the two continuity rows.
pub type Measured = (Vec<Option<f64>>, [RowValues; 2]);

const PANEL: &str = include_str!("../../../../config/panel.toml");
pub const TEMPLATES: [&str; 3] = ["legacy", "2019", "2021"];

#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
struct RawMeasure {
    name: String,
    meaning: String,
    legacy: Vec<String>,
    #[serde(rename = "2019")]
    t2019: Vec<String>,
    #[serde(rename = "2021")]
    t2021: Vec<String>,
    #[serde(default)]
    note: Option<String>,
    #[serde(default)]
    yoy: bool,
    #[serde(default)]
    rank: bool,
}

#[derive(Debug, Clone, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Rate {
    pub name: String,
    pub meaning: String,
    pub numerator: Vec<String>,
    pub denominator: Vec<String>,
    #[serde(default)]
    pub yoy: bool,
    #[serde(default)]
    pub rank: bool,
}

#[derive(Debug, Clone, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Continuity {
    pub table: String,
    pub this_year: String,
    pub previous_year: String,
    /// The columns compared, in check order.
    pub columns: Vec<String>,
}

#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
struct RawPanel {
    measure: Vec<RawMeasure>,
    rate: Vec<Rate>,
    column_sums: BTreeMap<String, Vec<String>>,
    continuity: Continuity,
}

/// `row` of a source: one row, or every row under a prefix.
#[derive(Debug, Clone, PartialEq)]
enum RowSel {
    Exact(String),
    Prefix(String),
}

#[derive(Debug, Clone, PartialEq)]
struct Source {
    table: String,
    row: RowSel,
    /// Alternatives: the first one the report printed counts.
    cols: Vec<String>,
}

#[derive(Debug, Clone)]
pub struct Measure {
    pub name: String,
    pub meaning: String,
    pub note: Option<String>,
    pub yoy: bool,
    pub rank: bool,
    sources: [Vec<Source>; 3],
}

impl Measure {
    /// Whether the template has this measure at all (else the panel holds null by design).
    pub fn exists_in(&self, template: &str) -> bool {
        template_index(template).is_some_and(|i| !self.sources[i].is_empty())
    }
}

/// The validated crosswalk.
#[derive(Debug, Clone)]
pub struct Crosswalk {
    pub measures: Vec<Measure>,
    pub rates: Vec<Rate>,
    pub continuity: Continuity,
    /// `table/col` → the columns whose sum stands in for an empty cell; nested, so a lookup
    /// for every cell of every report needs no owned key.
    column_sums: ColumnSums,
    pub fingerprint: String,
}

type ColumnSums = BTreeMap<String, BTreeMap<String, Vec<String>>>;

fn template_index(template: &str) -> Option<usize> {
    TEMPLATES.iter().position(|t| *t == template)
}

fn invalid(problems: Vec<String>) -> ConfigError {
    ConfigError::Invalid { file: "panel.toml".into(), problems }
}

fn parse_source(text: &str, problems: &mut Vec<String>) -> Option<Source> {
    let parts: Vec<&str> = text.split('/').collect();
    let [table, row, cols] = parts[..] else {
        problems.push(format!("source {text:?} is not table/row/col"));
        return None;
    };
    if !crate::model::TABLES.contains(&table) {
        problems.push(format!("source {text:?}: unknown table {table}"));
    }
    let row = match row.strip_suffix(".*") {
        Some(p) => RowSel::Prefix(format!("{p}.")),
        None => RowSel::Exact(row.to_string()),
    };
    let cols: Vec<String> = cols.split('|').map(str::to_string).collect();
    if cols.iter().any(String::is_empty) {
        problems.push(format!("source {text:?}: empty column"));
    }
    Some(Source { table: table.to_string(), row, cols })
}

impl Crosswalk {
    pub fn embedded() -> Result<Crosswalk, ConfigError> {
        Crosswalk::from_text(PANEL)
    }

    /// `DIR/panel.toml`, falling back to the embedded one when the directory has none.
    pub fn from_dir(dir: &Path) -> Result<Crosswalk, ConfigError> {
        let path = dir.join("panel.toml");
        if !path.exists() {
            return Crosswalk::embedded();
        }
        let text = std::fs::read_to_string(&path).map_err(|source| ConfigError::Read { path, source })?;
        Crosswalk::from_text(&text)
    }

    pub fn from_text(text: &str) -> Result<Crosswalk, ConfigError> {
        let raw: RawPanel =
            toml::from_str(text).map_err(|source| ConfigError::Parse { file: "panel.toml".into(), source })?;
        let mut problems = Vec::new();
        let measures = build_measures(raw.measure, &mut problems);
        check_rates(&raw.rate, &measures, &mut problems);
        let mut column_sums = ColumnSums::new();
        for (k, v) in raw.column_sums {
            match k.split_once('/') {
                Some((t, c)) => {
                    column_sums.entry(t.to_string()).or_default().insert(c.to_string(), v);
                }
                None => problems.push(format!("column_sums key {k:?} is not table/col")),
            }
        }
        check_continuity(&raw.continuity, &mut problems);
        // A panel row keeps its value columns packed (compare/packed.rs).
        let width = measures.len()
            + raw.rate.len()
            + measures.iter().filter(|m| m.yoy).count() * 2
            + raw.rate.iter().filter(|r| r.yoy).count() * 2;
        if width > Packed::CAPACITY {
            problems.push(format!(
                "{width} panel value columns (measures, rates, prev/yoy pairs); at most {}",
                Packed::CAPACITY
            ));
        }
        if !problems.is_empty() {
            return Err(invalid(problems));
        }
        let fingerprint = blake3::hash(text.as_bytes()).to_hex()[..16].to_string();
        Ok(Crosswalk { measures, rates: raw.rate, continuity: raw.continuity, column_sums, fingerprint })
    }

    /// Every measure of a report, in `measures` order (null where not printed or not in its
    /// template), and its continuity rows (this year's, previous year's), indexed once.
    pub fn summarise(&self, report: &Report) -> Measured {
        let cells = CellIndex::new(&report.facts, &self.column_sums);
        let c = &self.continuity;
        let rows = [c.this_year.as_str(), c.previous_year.as_str()]
            .map(|row| row_values(report, &cells, &c.table, row, &c.columns));
        (self.measures_of(report, &cells), rows)
    }

    pub fn evaluate(&self, report: &Report) -> Vec<Option<f64>> {
        self.measures_of(report, &CellIndex::new(&report.facts, &self.column_sums))
    }

    fn measures_of(&self, report: &Report, cells: &CellIndex) -> Vec<Option<f64>> {
        let Some(t) = report.template.as_deref().and_then(template_index) else {
            return vec![None; self.measures.len()];
        };
        self.measures.iter().map(|m| sum_opt(m.sources[t].iter().map(|s| cells.source(s)))).collect()
    }
}

/// The row of `table` as col → value, with the same empty-cell rule as the measures.
fn row_values(report: &Report, cells: &CellIndex, table: &str, row: &str, columns: &[String]) -> RowValues {
    let mut out = vec![None; columns.len()];
    for f in report.facts.iter().filter(|f| f.table == table && f.row_key == row) {
        if let Some(i) = columns.iter().position(|c| *c == f.col_key) {
            out[i] = Some(cells.cell(table, row, &f.col_key));
        }
    }
    out
}

fn check_continuity(c: &Continuity, problems: &mut Vec<String>) {
    let unique: BTreeSet<&String> = c.columns.iter().collect();
    if c.columns.is_empty() || unique.len() != c.columns.len() {
        problems.push(format!("continuity.columns must list distinct columns, not {:?}", c.columns));
    }
    if c.columns.len() > Packed::CAPACITY {
        problems.push(format!("continuity.columns lists {} columns; at most {}", c.columns.len(), Packed::CAPACITY));
    }
}

fn build_measures(raw: Vec<RawMeasure>, problems: &mut Vec<String>) -> Vec<Measure> {
    let mut names = BTreeSet::new();
    let mut out = Vec::new();
    for m in raw {
        if !names.insert(m.name.clone()) {
            problems.push(format!("measure {} appears twice", m.name));
        }
        if m.meaning.trim().is_empty() {
            problems.push(format!("measure {} has no meaning", m.name));
        }
        let mut parse = |list: &[String]| list.iter().filter_map(|s| parse_source(s, problems)).collect::<Vec<_>>();
        let sources = [parse(&m.legacy), parse(&m.t2019), parse(&m.t2021)];
        if sources.iter().all(Vec::is_empty) {
            problems.push(format!("measure {} exists in no template", m.name));
        }
        out.push(Measure { name: m.name, meaning: m.meaning, note: m.note, yoy: m.yoy, rank: m.rank, sources });
    }
    // Each report's measures are kept packed (compare/packed.rs), one bit a measure.
    if out.len() > Packed::CAPACITY {
        problems.push(format!("{} measures; at most {}", out.len(), Packed::CAPACITY));
    }
    out
}

fn check_rates(rates: &[Rate], measures: &[Measure], problems: &mut Vec<String>) {
    let known: BTreeSet<&str> = measures.iter().map(|m| m.name.as_str()).collect();
    for r in rates {
        for m in r.numerator.iter().chain(&r.denominator) {
            if !known.contains(m.as_str()) {
                problems.push(format!("rate {} uses unknown measure {m}", r.name));
            }
        }
        if known.contains(r.name.as_str()) {
            problems.push(format!("rate {} has the name of a measure", r.name));
        }
    }
}

/// Sum of the values present; null when none is.
pub fn sum_opt(values: impl Iterator<Item = Option<f64>>) -> Option<f64> {
    values.flatten().fold(None, |acc, v| Some(acc.unwrap_or(0.0) + v))
}

/// One report's facts by (table, row) → col → value.
struct CellIndex<'a> {
    rows: FxHashMap<(&'a str, &'a str), Vec<&'a Fact>>,
    column_sums: &'a ColumnSums,
}

impl<'a> CellIndex<'a> {
    fn new(facts: &'a [Fact], column_sums: &'a ColumnSums) -> CellIndex<'a> {
        // Built once per report for a few hundred short keys: SipHash's DoS resistance buys
        // nothing here and was a tenth of a cached rebuild's profile with the owned lookups.
        let mut rows: FxHashMap<(&str, &str), Vec<&Fact>> = FxHashMap::default();
        for f in facts {
            rows.entry((f.table.as_str(), f.row_key.as_str())).or_default().push(f);
        }
        CellIndex { rows, column_sums }
    }

    fn raw(&self, table: &str, row: &str, col: &str) -> Option<Option<f64>> {
        let facts = self.rows.get(&(table, row))?;
        facts.iter().find(|f| f.col_key == col).map(|f| f.value)
    }

    /// A cell's value; an empty (or absent) summed column falls back to its parts.
    fn cell(&self, table: &str, row: &str, col: &str) -> Option<f64> {
        if let Some(Some(v)) = self.raw(table, row, col) {
            return Some(v);
        }
        let parts = self.column_sums.get(table)?.get(col)?;
        sum_opt(parts.iter().map(|p| self.raw(table, row, p).flatten()))
    }

    /// The first alternative column the row printed (a number, or an empty cell that
    /// still says the column exists).
    fn row_cell(&self, table: &str, row: &str, cols: &[String]) -> Option<f64> {
        cols.iter().find(|c| self.raw(table, row, c).is_some()).and_then(|c| self.cell(table, row, c))
    }

    fn source(&self, s: &Source) -> Option<f64> {
        match &s.row {
            RowSel::Exact(row) => self.row_cell(&s.table, row, &s.cols),
            RowSel::Prefix(p) => {
                let mut rows: Vec<&str> =
                    self.rows.keys().filter(|(t, r)| *t == s.table && r.starts_with(p.as_str())).map(|k| k.1).collect();
                rows.sort_unstable();
                sum_opt(rows.into_iter().map(|r| self.row_cell(&s.table, r, &s.cols)))
            }
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::model::{SourceFile, SourceFormat};

    fn fact(table: &str, row: &str, col: &str, value: Option<f64>) -> Fact {
        Fact {
            table: table.into(),
            row_key: row.into(),
            col_key: col.into(),
            value,
            raw_row_label: None,
            raw_col_label: None,
            raw_value: value.map(|v| v.to_string()).unwrap_or_default().into(),
        }
    }

    fn report(template: &str, facts: Vec<Fact>) -> Report {
        let file = SourceFile { path: "a.txt".into(), rel_path: "a.txt".into(), format: SourceFormat::Text };
        let mut r = Report::failed(&file, "id".into(), 0, String::new());
        r.template = Some(template.into());
        r.facts = facts;
        r
    }

    fn measure(cw: &Crosswalk, r: &Report, name: &str) -> Option<f64> {
        let i = cw.measures.iter().position(|m| m.name == name).expect("measure exists");
        cw.evaluate(r)[i]
    }

    #[test]
    fn embedded_crosswalk_is_valid_and_keeps_unlike_measures_apart() {
        let cw = Crosswalk::embedded().expect("valid");
        let granted = cw.measures.iter().find(|m| m.name == "granted").expect("granted");
        assert!(!granted.exists_in("legacy"), "legacy 申请答复 is not the 2019 result row");
        assert!(granted.exists_in("2019") && granted.exists_in("2021"));
        assert!(cw.measures.iter().all(|m| !m.name.contains("fee")), "fees differ across templates");
    }

    #[test]
    fn totals_fall_back_to_applicant_columns_and_prefix_rows_sum() {
        let cw = Crosswalk::embedded().expect("valid");
        let r = report(
            "2021",
            vec![
                fact("applications", "new_received", "natural_person", Some(5.0)),
                fact("applications", "new_received", "business", Some(2.0)),
                fact("applications", "new_received", "total", None),
                fact("applications", "denied.state_secret", "total", Some(1.0)),
                fact("applications", "denied.third_party", "total", Some(3.0)),
                fact("applications", "granted", "total", None),
            ],
        );
        assert_eq!(measure(&cw, &r, "applications_received"), Some(7.0));
        assert_eq!(measure(&cw, &r, "denied"), Some(4.0));
        assert_eq!(measure(&cw, &r, "granted"), None, "an empty row stays null");
        assert_eq!(measure(&cw, &r, "reviews"), None);
    }

    #[test]
    fn legacy_takes_the_first_printed_alternative_column() {
        let cw = Crosswalk::embedded().expect("valid");
        let agg = report(
            "legacy",
            vec![
                fact("legacy_stats", "applications.received", "counties", Some(10.0)),
                fact("legacy_stats", "applications.received", "all", Some(30.0)),
            ],
        );
        assert_eq!(measure(&cw, &agg, "applications_received"), Some(30.0));
        let single = report("legacy", vec![fact("legacy_stats", "applications.received", "value", Some(12.0))]);
        assert_eq!(measure(&cw, &single, "applications_received"), Some(12.0));
        assert_eq!(measure(&cw, &single, "granted"), None);
    }

    #[test]
    fn invalid_crosswalks_name_every_problem() {
        let text = PANEL
            .replace("applications/new_received/total", "applications/new_received")
            .replace("numerator = [\"granted\"]", "numerator = [\"grnted\"]");
        let err = Crosswalk::from_text(&text).expect_err("invalid").to_string();
        assert!(err.contains("is not table/row/col"), "{err}");
        assert!(err.contains("unknown measure grnted"), "{err}");
        let missing = PANEL.replacen("legacy = []\n", "", 1);
        assert!(Crosswalk::from_text(&missing).is_err(), "every template must be listed on purpose");
        let twice = PANEL.replace("\"other_org\", \"total\"]", "\"other_org\", \"business\"]");
        let err = Crosswalk::from_text(&twice).expect_err("repeated column").to_string();
        assert!(err.contains("continuity.columns must list distinct columns"), "{err}");
    }

    #[test]
    fn more_measures_or_columns_than_a_packed_input_holds_are_refused() {
        let extra: String = (0..Packed::CAPACITY)
            .map(|i| format!("\n[[measure]]\nname = \"m{i}\"\nmeaning = \"m\"\nlegacy = []\n2019 = [\"applications/granted/total\"]\n2021 = []\n"))
            .collect();
        let (head, tail) = PANEL.split_at(PANEL.find("[[measure]]").expect("measures"));
        let err = Crosswalk::from_text(&format!("{head}{extra}{tail}")).expect_err("too many").to_string();
        assert!(err.contains(&format!("measures; at most {}", Packed::CAPACITY)), "{err}");
        let columns: Vec<String> = (0..=Packed::CAPACITY).map(|i| format!("\"c{i}\"")).collect();
        let wide = PANEL.replace(
            "[\"natural_person\", \"business\", \"research\", \"social_org\", \"legal_service\", \"other_org\", \"total\"]",
            &format!("[{}]", columns.join(", ")),
        );
        let err = Crosswalk::from_text(&wide).expect_err("too wide").to_string();
        assert!(err.contains("continuity.columns lists 65 columns"), "{err}");
        let yoy: String = (0..20)
            .map(|i| format!("\n[[measure]]\nname = \"y{i}\"\nmeaning = \"y\"\nlegacy = []\n2019 = [\"applications/granted/total\"]\n2021 = []\nyoy = true\n"))
            .collect();
        let err = Crosswalk::from_text(&format!("{head}{yoy}{tail}")).expect_err("too many columns").to_string();
        assert!(err.contains("panel value columns (measures, rates, prev/yoy pairs); at most 64"), "{err}");
        assert!(!err.contains("measures; at most"), "34 measures alone fit: {err}");
    }
}
