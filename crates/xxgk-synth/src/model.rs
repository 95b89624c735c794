//! Domain values shared by every stage: exact numbers, tables of cells, the
//! printed form of a cell, and the canonical keys of SCHEMA.md.

use serde_json::Value;

/// An exact number: integers, or decimals kept as scaled integers so that
/// sums of 万元 amounts are exact (4.5 + 65.68 = 70.18).
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Num {
    Int(i64),
    Dec { units: i64, scale: u8 },
}

impl Num {
    pub fn as_f64(self) -> f64 {
        self.plain().parse().expect("plain() is a decimal literal")
    }

    pub fn is_zero(self) -> bool {
        match self {
            Num::Int(v) => v == 0,
            Num::Dec { units, .. } => units == 0,
        }
    }

    /// The shortest decimal literal: `70.18`, `4.5`, `-37377`.
    pub fn plain(self) -> String {
        match self {
            Num::Int(v) => v.to_string(),
            Num::Dec { units, scale } => {
                let p = 10i64.pow(u32::from(scale));
                let sign = if units < 0 { "-" } else { "" };
                let (int, frac) = (units.abs() / p, units.abs() % p);
                let frac = format!("{frac:0width$}", width = usize::from(scale));
                let frac = frac.trim_end_matches('0');
                if frac.is_empty() {
                    format!("{sign}{int}")
                } else {
                    format!("{sign}{int}.{frac}")
                }
            }
        }
    }

    /// JSON as the seeds write it: integers stay integers.
    pub fn to_json(self) -> Value {
        match self {
            Num::Int(v) => Value::from(v),
            Num::Dec { .. } if !self.plain().contains('.') => Value::from(self.plain().parse::<i64>().unwrap_or(0)),
            Num::Dec { .. } => Value::from(self.as_f64()),
        }
    }
}

/// One row of a table: its canonical key and cells in canonical column order.
/// `listed` is false for local rows (`unlisted:`) that are printed but never
/// expected as facts.
#[derive(Clone, Debug)]
pub struct Row<T> {
    pub key: String,
    pub listed: bool,
    pub cells: Vec<(&'static str, T)>,
}

#[derive(Clone, Debug)]
pub struct Table<T> {
    pub name: &'static str,
    pub rows: Vec<Row<T>>,
}

impl<T> Table<T> {
    pub fn new(name: &'static str) -> Self {
        Table { name, rows: Vec::new() }
    }

    pub fn push(&mut self, key: &str, cells: Vec<(&'static str, T)>) {
        self.rows.push(Row { key: key.to_string(), listed: true, cells });
    }

    pub fn row(&self, key: &str) -> Option<&Row<T>> {
        self.rows.iter().find(|r| r.key == key)
    }

    pub fn get(&self, row: &str, col: &str) -> Option<&T> {
        self.row(row)?.cells.iter().find(|(c, _)| *c == col).map(|(_, v)| v)
    }

    pub fn get_mut(&mut self, row: &str, col: &str) -> Option<&mut T> {
        let r = self.rows.iter_mut().find(|r| r.key == row)?;
        r.cells.iter_mut().find(|(c, _)| *c == col).map(|(_, v)| v)
    }
}

/// A cell as printed: the text on the page and the fact value it stands
/// for (`None` for an empty cell or a placeholder such as `—`).
#[derive(Clone, Debug, PartialEq)]
pub struct PCell {
    pub text: String,
    pub value: Option<Num>,
}

impl PCell {
    pub fn num(n: Num) -> Self {
        PCell { text: n.plain(), value: Some(n) }
    }

    pub fn null(text: &str) -> Self {
        PCell { text: text.to_string(), value: None }
    }

    /// True when the text is nothing but the digits of the value, as
    /// flattened ("run together") rows need.
    pub fn is_bare_int(&self) -> bool {
        matches!(self.value, Some(Num::Int(v)) if v >= 0 && self.text == v.to_string())
    }
}

pub type TrueTable = Table<Num>;
pub type PTable = Table<PCell>;

/// One expected fact: `(table, row_key, col_key, value-or-null)`.
#[derive(Clone, Debug, PartialEq)]
pub struct Fact {
    pub table: &'static str,
    pub row: String,
    pub col: &'static str,
    pub value: Option<Num>,
}

/// Every listed cell of the printed tables, in table/row/column order.
pub fn facts_of(tables: &[PTable]) -> Vec<Fact> {
    let mut out = Vec::new();
    for t in tables {
        for r in t.rows.iter().filter(|r| r.listed) {
            for (c, cell) in &r.cells {
                out.push(Fact { table: t.name, row: r.key.clone(), col: c, value: cell.value });
            }
        }
    }
    out
}

pub const APPLICANTS: [&str; 6] =
    ["natural_person", "business", "research", "social_org", "legal_service", "other_org"];
pub const APP_COLS: [&str; 7] =
    ["natural_person", "business", "research", "social_org", "legal_service", "other_org", "total"];
pub const DENIED: [&str; 8] = [
    "denied.state_secret",
    "denied.prohibited_by_law",
    "denied.security_stability",
    "denied.third_party",
    "denied.internal_affairs",
    "denied.process_info",
    "denied.enforcement_files",
    "denied.query_matters",
];
pub const UNAVAILABLE: [&str; 3] = ["unavailable.not_held", "unavailable.needs_creation", "unavailable.unclear"];
pub const NOT_PROCESSED: [&str; 5] = [
    "not_processed.petition",
    "not_processed.duplicate",
    "not_processed.publication",
    "not_processed.excessive",
    "not_processed.confirmation",
];
pub const OTHER_SPLIT: [&str; 3] = ["other.no_correction", "other.unpaid_fee", "other.other"];
pub const REVIEW_ROWS: [&str; 3] = ["review", "litigation_direct", "litigation_after_review"];
pub const REVIEW_COLS: [&str; 5] = ["upheld", "corrected", "other", "pending", "total"];

/// Result rows of table 三 (DATASETS.md's results_sum right-hand side).
pub fn is_result_row(key: &str) -> bool {
    key == "granted"
        || key == "partially_granted"
        || key == "other"
        || ["denied.", "unavailable.", "not_processed.", "other."].iter().any(|p| key.starts_with(p))
}

/// Layout tags of one document, in the order they were decided; joined into
/// `report.layout` and counted by the variant-coverage test.
#[derive(Clone, Debug, Default)]
pub struct Tags(Vec<String>);

impl Tags {
    pub fn add(&mut self, tag: impl Into<String>) {
        let tag = tag.into();
        if !self.0.contains(&tag) {
            self.0.push(tag);
        }
    }

    pub fn has(&self, tag: &str) -> bool {
        self.0.iter().any(|t| t == tag)
    }

    pub fn join(&self) -> String {
        self.0.join("; ")
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn decimals_print_shortest() {
        assert_eq!(Num::Dec { units: 7018, scale: 2 }.plain(), "70.18");
        assert_eq!(Num::Dec { units: 450, scale: 2 }.plain(), "4.5");
        assert_eq!(Num::Dec { units: 400, scale: 2 }.plain(), "4");
        assert_eq!(Num::Dec { units: 3_194_752, scale: 3 }.plain(), "3194.752");
        assert_eq!(Num::Dec { units: 51, scale: 4 }.plain(), "0.0051");
        assert_eq!(Num::Dec { units: 251_000, scale: 4 }.to_json(), serde_json::json!(25.1));
        assert_eq!(Num::Dec { units: 40_000, scale: 4 }.to_json(), serde_json::json!(4));
    }
}
