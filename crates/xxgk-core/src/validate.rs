//! The identities of SCHEMA.md, evaluated on a report's facts as checks.parquet rows with the
//! ids of DATASETS.md. A failure is reported, never "fixed". A check runs when at least one
//! cell on each side is non-empty; empty cells then count as 0.

use crate::model::{Check, Fact};
use std::collections::BTreeMap;

const APPLICANT_COLS: [&str; 6] =
    ["natural_person", "business", "research", "social_org", "legal_service", "other_org"];
const APP_COLS: [&str; 7] =
    ["natural_person", "business", "research", "social_org", "legal_service", "other_org", "total"];
const REVIEW_ROWS: [&str; 3] = ["review", "litigation_direct", "litigation_after_review"];
const LEGACY_SUMS: [(&str, &str, &[&str]); 3] = [
    (
        "received_channels",
        "applications.received",
        &[
            "applications.received.in_person",
            "applications.received.fax",
            "applications.received.online",
            "applications.received.letter",
        ],
    ),
    ("staff", "org.staff", &["org.staff.full_time", "org.staff.part_time"]),
    ("review", "review.total", &["review.upheld", "review.corrected", "review.other"]),
];

/// Cells of one table by (row, col); a present key with None is a printed empty cell.
struct Cells<'a>(BTreeMap<(&'a str, &'a str), Option<f64>>);

impl<'a> Cells<'a> {
    fn of(facts: &'a [Fact], table: &str) -> Cells<'a> {
        Cells(
            facts
                .iter()
                .filter(|f| f.table == table)
                .map(|f| ((f.row_key.as_str(), f.col_key.as_str()), f.value))
                .collect(),
        )
    }

    fn get(&self, row: &str, col: &str) -> Option<f64> {
        self.0.get(&(row, col)).copied().flatten()
    }

    /// Sum of the given cells and whether any of them is non-empty.
    fn sum<'b>(&self, cells: impl IntoIterator<Item = (&'b str, &'b str)>) -> (f64, bool) {
        cells.into_iter().fold((0.0, false), |(s, any), (r, c)| match self.get(r, c) {
            Some(v) => (s + v, true),
            None => (s, any),
        })
    }

    fn rows(&self) -> Vec<&'a str> {
        let mut rows: Vec<&str> = self.0.keys().map(|k| k.0).collect();
        rows.dedup();
        rows
    }
}

pub fn validate(facts: &[Fact]) -> Vec<Check> {
    let mut checks = Vec::new();
    applications(&Cells::of(facts, "applications"), &mut checks);
    review(&Cells::of(facts, "review_litigation"), &mut checks);
    legacy(&Cells::of(facts, "legacy_stats"), &mut checks);
    checks
}

fn push(checks: &mut Vec<Check>, id: String, (lhs, l_any): (f64, bool), (rhs, r_any): (f64, bool)) {
    if l_any && r_any {
        let passed = (lhs - rhs).abs() <= 1e-6 * lhs.abs().max(rhs.abs()).max(1.0);
        checks.push(Check { check_id: id, lhs, rhs, passed });
    }
}

fn is_result_row(row: &str) -> bool {
    matches!(row, "granted" | "partially_granted" | "other")
        || ["denied.", "unavailable.", "not_processed.", "other."].iter().any(|p| row.starts_with(p))
}

fn applications(c: &Cells, checks: &mut Vec<Check>) {
    if c.0.is_empty() {
        return;
    }
    let results: Vec<&str> = c.rows().into_iter().filter(|r| is_result_row(r)).collect();
    for col in APP_COLS {
        let lhs = c.sum([("new_received", col), ("carried_over", col)]);
        let rhs = c.sum([("total_processed", col), ("carried_forward", col)]);
        push(checks, format!("applications.balance.{col}"), lhs, rhs);
        let parts = c.sum(results.iter().map(|r| (*r, col)));
        push(checks, format!("applications.results_sum.{col}"), c.sum([("total_processed", col)]), parts);
    }
    for row in c.rows() {
        let parts = c.sum(APPLICANT_COLS.iter().map(|col| (row, *col)));
        push(checks, format!("applications.row_total.{row}"), c.sum([(row, "total")]), parts);
    }
}

fn review(c: &Cells, checks: &mut Vec<Check>) {
    for row in REVIEW_ROWS {
        let parts = c.sum(["upheld", "corrected", "other", "pending"].map(|col| (row, col)));
        push(checks, format!("review_litigation.total.{row}"), c.sum([(row, "total")]), parts);
    }
}

fn legacy(c: &Cells, checks: &mut Vec<Check>) {
    if c.0.is_empty() {
        return;
    }
    for row in c.rows() {
        let parts = c.sum([(row, "counties"), (row, "departments")]);
        push(checks, format!("legacy_stats.all_sum.{row}"), c.sum([(row, "all")]), parts);
    }
    let mut cols: Vec<&str> = c.0.keys().map(|k| k.1).collect();
    cols.sort();
    cols.dedup();
    for (name, total, parts) in LEGACY_SUMS {
        for col in &cols {
            let rhs = c.sum(parts.iter().map(|p| (*p, *col)));
            push(checks, format!("legacy_stats.{name}.{col}"), c.sum([(total, *col)]), rhs);
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn fact(table: &str, row: &str, col: &str, v: Option<f64>) -> Fact {
        Fact {
            table: table.into(),
            row_key: row.into(),
            col_key: col.into(),
            value: v,
            raw_row_label: None,
            raw_col_label: None,
            raw_value: Default::default(),
        }
    }

    #[test]
    fn review_totals_pass_and_fail() {
        let mut f = vec![];
        for (col, v) in [("upheld", 10.0), ("corrected", 1.0), ("other", 0.0), ("pending", 0.0), ("total", 0.0)] {
            f.push(fact("review_litigation", "review", col, Some(v)));
        }
        let checks = validate(&f);
        assert_eq!(checks.len(), 1);
        assert_eq!(
            (checks[0].check_id.as_str(), checks[0].passed, checks[0].lhs, checks[0].rhs),
            ("review_litigation.total.review", false, 0.0, 11.0)
        );
    }

    #[test]
    fn empty_side_skips_the_check_and_empties_count_as_zero() {
        let f = vec![
            fact("legacy_stats", "applications.received.fax", "counties", None),
            fact("legacy_stats", "applications.received.fax", "all", Some(0.0)),
            fact("legacy_stats", "applications.received", "all", Some(30.0)),
            fact("legacy_stats", "applications.received.letter", "all", Some(11.0)),
        ];
        let ids: Vec<(String, bool)> = validate(&f).into_iter().map(|c| (c.check_id, c.passed)).collect();
        assert_eq!(ids, [("legacy_stats.received_channels.all".to_string(), false)]);
    }

    #[test]
    fn applications_identities() {
        let mut f = vec![];
        for (row, np, total) in [
            ("new_received", 5.0, 5.0),
            ("carried_over", 1.0, 1.0),
            ("granted", 4.0, 4.0),
            ("total_processed", 4.0, 4.0),
            ("carried_forward", 2.0, 2.0),
        ] {
            f.push(fact("applications", row, "natural_person", Some(np)));
            f.push(fact("applications", row, "total", Some(total)));
        }
        let checks = validate(&f);
        assert!(checks.iter().all(|c| c.passed), "{checks:?}");
        assert!(checks.iter().any(|c| c.check_id == "applications.balance.natural_person"));
        assert!(checks.iter().any(|c| c.check_id == "applications.row_total.granted"));
        assert!(!checks.iter().any(|c| c.check_id == "applications.balance.business"));
    }
}
