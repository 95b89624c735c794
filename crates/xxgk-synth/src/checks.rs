//! The one evaluator of DATASETS.md's identities, run on the printed facts of
//! every document: `failing_checks` is whatever it says, blanks included.
//!
//! Rule: a check is evaluated when at least one cell on each side is
//! non-empty; empty cells then count as 0.

use crate::model::{is_result_row, Fact, APPLICANTS, APP_COLS, REVIEW_COLS};
use std::collections::BTreeMap;

type Key<'a> = (&'a str, &'a str, &'a str);

struct Facts<'a>(BTreeMap<Key<'a>, Option<f64>>);

impl<'a> Facts<'a> {
    fn new(facts: &'a [Fact]) -> Self {
        Facts(facts.iter().map(|f| ((f.table, f.row.as_str(), f.col), f.value.map(|v| v.as_f64()))).collect())
    }

    /// Rows of a table in first-seen order (facts are in table order).
    fn rows(&self, facts: &'a [Fact], table: &str) -> Vec<&'a str> {
        let mut rows: Vec<&str> = Vec::new();
        for f in facts.iter().filter(|f| f.table == table) {
            if rows.last() != Some(&f.row.as_str()) && !rows.contains(&f.row.as_str()) {
                rows.push(f.row.as_str());
            }
        }
        rows
    }

    fn has_col(&self, table: &str, col: &str) -> bool {
        self.0.keys().any(|(t, _, c)| *t == table && *c == col)
    }

    /// `Some(passed)` when evaluated.
    fn identity(&self, table: &str, lhs: &[(&str, &str)], rhs: &[(&str, &str)]) -> Option<bool> {
        let side = |cells: &[(&str, &str)]| -> (bool, f64) {
            let vals: Vec<Option<f64>> =
                cells.iter().map(|(r, c)| self.0.get(&(table, r, c)).copied().flatten()).collect();
            (vals.iter().any(Option::is_some), vals.iter().map(|v| v.unwrap_or(0.0)).sum())
        };
        let ((l_any, l), (r_any, r)) = (side(lhs), side(rhs));
        (l_any && r_any).then(|| (l - r).abs() <= 1e-6 * l.abs().max(r.abs()).max(1.0))
    }
}

/// Every evaluated check as `(check_id, passed)`, in a stable order.
pub fn evaluate(facts: &[Fact]) -> Vec<(String, bool)> {
    let f = Facts::new(facts);
    let mut out = Vec::new();
    applications(&f, facts, &mut out);
    let t = "review_litigation";
    for row in f.rows(facts, t) {
        let rhs: Vec<(&str, &str)> = REVIEW_COLS[..4].iter().map(|c| (row, *c)).collect();
        push(&mut out, format!("{t}.total.{row}"), f.identity(t, &[(row, "total")], &rhs));
    }
    legacy(&f, facts, &mut out);
    out
}

/// Ids of the checks that fail, sorted.
pub fn failing(facts: &[Fact]) -> Vec<String> {
    let mut ids: Vec<String> = evaluate(facts).into_iter().filter(|(_, ok)| !ok).map(|(id, _)| id).collect();
    ids.sort();
    ids
}

fn push(out: &mut Vec<(String, bool)>, id: String, result: Option<bool>) {
    if let Some(ok) = result {
        out.push((id, ok));
    }
}

fn applications<'a>(f: &Facts<'a>, facts: &'a [Fact], out: &mut Vec<(String, bool)>) {
    let t = "applications";
    let rows = f.rows(facts, t);
    if rows.is_empty() {
        return;
    }
    let results: Vec<&str> = rows.iter().copied().filter(|r| is_result_row(r)).collect();
    for col in APP_COLS {
        let lhs = [("new_received", col), ("carried_over", col)];
        let rhs = [("total_processed", col), ("carried_forward", col)];
        push(out, format!("{t}.balance.{col}"), f.identity(t, &lhs, &rhs));
        let parts: Vec<(&str, &str)> = results.iter().map(|r| (*r, col)).collect();
        push(out, format!("{t}.results_sum.{col}"), f.identity(t, &[("total_processed", col)], &parts));
    }
    for row in rows {
        let six: Vec<(&str, &str)> = APPLICANTS.iter().map(|c| (row, *c)).collect();
        push(out, format!("{t}.row_total.{row}"), f.identity(t, &[(row, "total")], &six));
    }
}

fn legacy<'a>(f: &Facts<'a>, facts: &'a [Fact], out: &mut Vec<(String, bool)>) {
    let t = "legacy_stats";
    let rows = f.rows(facts, t);
    if rows.is_empty() {
        return;
    }
    if f.has_col(t, "all") {
        for row in &rows {
            let rhs = [(*row, "counties"), (*row, "departments")];
            push(out, format!("{t}.all_sum.{row}"), f.identity(t, &[(row, "all")], &rhs));
        }
    }
    let cols: Vec<&str> =
        ["value", "cumulative", "counties", "departments", "all"].into_iter().filter(|c| f.has_col(t, c)).collect();
    let channels = ["in_person", "fax", "online", "letter"].map(|c| format!("applications.received.{c}"));
    for col in cols {
        let rhs: Vec<(&str, &str)> = channels.iter().map(|r| (r.as_str(), col)).collect();
        push(out, format!("{t}.received_channels.{col}"), f.identity(t, &[("applications.received", col)], &rhs));
        let staff = [("org.staff.full_time", col), ("org.staff.part_time", col)];
        push(out, format!("{t}.staff.{col}"), f.identity(t, &[("org.staff", col)], &staff));
        let review = [("review.upheld", col), ("review.corrected", col), ("review.other", col)];
        push(out, format!("{t}.review.{col}"), f.identity(t, &[("review.total", col)], &review));
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::model::Num;

    fn fact(table: &'static str, row: &str, col: &'static str, v: Option<i64>) -> Fact {
        Fact { table, row: row.to_string(), col, value: v.map(Num::Int) }
    }

    #[test]
    fn blank_side_is_not_evaluated_and_blanks_count_as_zero() {
        let mut facts = vec![fact("review_litigation", "review", "total", None)];
        for c in ["upheld", "corrected", "other", "pending"] {
            facts.push(fact("review_litigation", "review", c, Some(1)));
        }
        assert!(evaluate(&facts).is_empty());
        facts[0].value = Some(Num::Int(3));
        facts[1].value = None;
        assert_eq!(evaluate(&facts), vec![("review_litigation.total.review".to_string(), true)]);
        facts[0].value = Some(Num::Int(0));
        assert_eq!(failing(&facts), vec!["review_litigation.total.review".to_string()]);
    }

    #[test]
    fn legacy_decimals_compare_with_tolerance() {
        let d = |u| Some(Num::Dec { units: u, scale: 2 });
        let facts = vec![
            Fact { table: "legacy_stats", row: "org.funding_wan".into(), col: "counties", value: d(450) },
            Fact { table: "legacy_stats", row: "org.funding_wan".into(), col: "departments", value: d(6568) },
            Fact { table: "legacy_stats", row: "org.funding_wan".into(), col: "all", value: d(7018) },
        ];
        assert_eq!(evaluate(&facts), vec![("legacy_stats.all_sum.org.funding_wan".to_string(), true)]);
    }
}
