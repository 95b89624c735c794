//! Panel rows from report summaries: one per (division_code, issuer, report_year).

use super::crosswalk::{sum_opt, Crosswalk, Measured};
use super::packed::{Packed, PackedRow};
use super::stream::PanelBuilder;
use crate::model::{Report, Status};
use crate::spill::{Spill, SpillError};
use std::cmp::Ordering;
use std::sync::Arc;

/// A name many rows share (a check id, a kept copy's names): one allocation for all of them.
pub type Shared = Arc<str>;

/// What the compare stage keeps of one report.
#[derive(Debug, Clone, PartialEq, serde::Serialize, serde::Deserialize)]
pub struct PanelInput {
    pub report_id: String,
    pub source_path: String,
    #[serde(with = "shared")]
    pub issuer: Option<Shared>,
    #[serde(with = "shared")]
    pub issuer_kind: Option<Shared>,
    #[serde(with = "shared")]
    pub province: Option<Shared>,
    #[serde(with = "shared")]
    pub city: Option<Shared>,
    #[serde(with = "shared")]
    pub county: Option<Shared>,
    #[serde(with = "shared")]
    pub division_code: Option<Shared>,
    pub report_year: Option<i32>,
    #[serde(with = "shared")]
    pub template: Option<Shared>,
    pub status: Status,
    /// Non-empty cells extracted: the first criterion for the best copy of a report.
    pub n_values: u32,
    pub n_failed_checks: u32,
    /// `Crosswalk::measures` order.
    pub measures: Packed,
    /// Continuity rows: this year's carried-over and carried-forward cells, one per
    /// `Continuity::columns`.
    pub carried_over: PackedRow,
    pub carried_forward: PackedRow,
}

impl PanelInput {
    /// `measured` is `Crosswalk::summarise` of the report (the costly part, which callers run
    /// in parallel). Names are not interned: inputs go to disk a run at a time, and an
    /// interner would hold every distinct issuer of the corpus.
    pub fn new(r: &Report, measured: Measured) -> PanelInput {
        let name = |n: &Option<String>| n.as_deref().map(Shared::from);
        let (measures, [carried_over, carried_forward]) = measured;
        PanelInput {
            report_id: r.report_id.clone(),
            source_path: r.source_path.clone(),
            issuer: name(&r.issuer),
            issuer_kind: name(&r.issuer_kind),
            province: name(&r.province),
            city: name(&r.city),
            county: name(&r.county),
            division_code: name(&r.division_code),
            report_year: r.report_year,
            template: name(&r.template),
            status: r.status,
            n_values: r.facts.iter().filter(|f| f.value.is_some()).count() as u32,
            n_failed_checks: r.n_failed_checks(),
            measures: Packed::new(&measures),
            carried_over: PackedRow::new(&carried_over),
            carried_forward: PackedRow::new(&carried_forward),
        }
    }

    /// Reports that can be compared: extracted, with an issuer, a year and a template.
    pub(super) fn eligible(&self) -> bool {
        matches!(self.status, Status::Ok | Status::Partial)
            && self.issuer.is_some()
            && self.report_year.is_some()
            && self.template.is_some()
    }
}

/// Names spilled as plain strings (serde's `rc` feature would change serde's features for
/// the whole dependency tree, polars included); read back, each is its own allocation again.
mod shared {
    use super::Shared;
    use serde::{Deserialize, Deserializer, Serializer};

    pub fn serialize<S: Serializer>(name: &Option<Shared>, s: S) -> Result<S::Ok, S::Error> {
        match name {
            Some(n) => s.serialize_some(&**n),
            None => s.serialize_none(),
        }
    }

    pub fn deserialize<'de, D: Deserializer<'de>>(d: D) -> Result<Option<Shared>, D::Error> {
        Ok(Option::<String>::deserialize(d)?.map(Shared::from))
    }
}

#[derive(Debug, Clone, PartialEq)]
pub struct PanelRow {
    /// Index of the kept copy in the inputs.
    pub kept: usize,
    pub n_copies: u32,
    /// `Panel::value_columns` order, packed: one row per issuer-year is held to the end of
    /// the run, and a third of a 2019 report's value columns are empty.
    pub values: Packed,
    /// `Panel::rank_columns` order.
    pub ranks: Vec<Option<u32>>,
    /// Comparable issuers in the rank group (same province, year, kind and level).
    pub rank_group_size: Option<u32>,
}

#[derive(Debug, Clone, Default, PartialEq)]
pub struct Panel {
    pub value_columns: Vec<String>,
    pub rank_columns: Vec<String>,
    pub rows: Vec<PanelRow>,
    /// Per input: the input index of the copy it defers to, when it is a duplicate.
    pub defers_to: Vec<Option<usize>>,
    /// Cross-year checks between consecutive kept years of one issuer.
    pub continuity: Vec<ContinuityCheck>,
}

/// One `applications.continuity.{col}` check: input indices of both years' reports. Not a
/// `model::Check`: a corpus has ~6 of these per issuer-year, and the check id, one of a few,
/// is shared instead of allocated for each.
#[derive(Clone, Debug, PartialEq)]
pub struct ContinuityCheck {
    pub report: usize,
    pub previous: usize,
    pub check_id: Shared,
    pub lhs: f64,
    pub rhs: f64,
    pub passed: bool,
}

/// `province`, `prefecture` or `county`, from the shape of a GB/T 2260 code.
pub fn admin_level(code: &str) -> Option<&'static str> {
    if code.len() != 6 || !code.bytes().all(|b| b.is_ascii_digit()) {
        return None;
    }
    Some(if code.ends_with("0000") {
        "province"
    } else if code.ends_with("00") {
        "prefecture"
    } else {
        "county"
    })
}

/// The panel of `inputs`, all in memory: the compare stage of `stream.rs` without a spill
/// directory (a build streams through `PanelBuilder` instead).
pub fn build_panel(inputs: &[PanelInput], cw: &Crosswalk) -> Result<Panel, SpillError> {
    let mut builder = PanelBuilder::new(cw, Spill::memory())?;
    for p in inputs {
        builder.push(p.clone())?;
    }
    builder.finish()?.collect()
}

/// Base values (measures, rates), then a prev/yoy pair per `yoy_index` column from the
/// issuer's previous-year row.
pub(super) fn row_values(
    p: &PanelInput,
    cw: &Crosswalk,
    yoy_index: &[usize],
    width: usize,
    prev: Option<&Packed>,
) -> Packed {
    let mut values = Vec::with_capacity(width);
    values.extend(base_values(p, cw));
    for &c in yoy_index {
        let (now, before) = (values[c], prev.and_then(|r| r.get(c)));
        values.push(before);
        values.push(now.zip(before).map(|(now, before)| now - before));
    }
    Packed::new(&values)
}

/// The same issuer under its different names: 淮安市洪泽区人民政府 and 洪泽区人民政府 are one
/// government; 驻马店市水利局 and 水利局 (with the same division code) one department.
pub(super) fn issuer_key(p: &PanelInput) -> String {
    let name = p.issuer.as_deref().unwrap_or_default();
    if p.division_code.is_none() {
        return name.to_string();
    }
    if p.issuer_kind.as_deref() == Some("government") {
        return "government".to_string();
    }
    let places: Vec<&str> = [&p.province, &p.city, &p.county].into_iter().flatten().map(|s| &**s).collect();
    let mut rest = name;
    while let Some(stripped) = places.iter().find_map(|place| rest.strip_prefix(place).filter(|r| !r.is_empty())) {
        rest = stripped;
    }
    rest.to_string()
}

/// Most cells, then fewest failed checks, then `ok` over `partial`, then the first path; of
/// equals, the first in corpus order. A position in `copies` (never empty).
pub(super) fn best_copy(copies: &[(u64, PanelInput)]) -> usize {
    let rank = |x: &PanelInput, y: &PanelInput| -> Ordering {
        y.n_values
            .cmp(&x.n_values)
            .then(x.n_failed_checks.cmp(&y.n_failed_checks))
            .then((x.status != Status::Ok).cmp(&(y.status != Status::Ok)))
            .then(x.source_path.cmp(&y.source_path))
    };
    (0..copies.len()).min_by(|&a, &b| rank(&copies[a].1, &copies[b].1)).unwrap_or(0)
}

/// Measures then rates.
fn base_values(p: &PanelInput, cw: &Crosswalk) -> Vec<Option<f64>> {
    let measure = |name: &str| cw.measures.iter().position(|m| m.name == name).and_then(|i| p.measures.get(i));
    let mut values = p.measures.to_vec();
    for r in &cw.rates {
        let num = sum_opt(r.numerator.iter().map(|m| measure(m)));
        let den = sum_opt(r.denominator.iter().map(|m| measure(m)));
        values.push(num.zip(den.filter(|d| *d != 0.0)).map(|(n, d)| n / d));
    }
    values
}

/// Column names (measures, rates, then `prev_`/`yoy_` pairs) and which base columns get pairs.
pub(super) fn value_columns(cw: &Crosswalk) -> (Vec<String>, Vec<usize>) {
    let mut names: Vec<String> = cw.measures.iter().map(|m| m.name.clone()).collect();
    names.extend(cw.rates.iter().map(|r| r.name.clone()));
    let yoy: Vec<bool> = cw.measures.iter().map(|m| m.yoy).chain(cw.rates.iter().map(|r| r.yoy)).collect();
    let index: Vec<usize> = (0..yoy.len()).filter(|&i| yoy[i]).collect();
    let pairs: Vec<String> =
        index.iter().flat_map(|&i| [format!("prev_{}", names[i]), format!("yoy_{}", names[i])]).collect();
    names.extend(pairs);
    (names, index)
}

/// carried_over(Y) = carried_forward(Y−1), per column both years print: (column, lhs, rhs,
/// passed). As for every identity, an empty cell counts as 0 once the other side has a number.
pub(super) fn continuity<'a>(
    prev: &'a PanelInput,
    now: &'a PanelInput,
) -> impl Iterator<Item = (usize, f64, f64, bool)> + 'a {
    now.carried_over.iter().zip(prev.carried_forward.iter()).enumerate().filter_map(|(column, (lhs, rhs))| {
        let (lhs, rhs) = (lhs?, rhs?);
        if lhs.is_none() && rhs.is_none() {
            return None;
        }
        let (lhs, rhs) = (lhs.unwrap_or(0.0), rhs.unwrap_or(0.0));
        Some((column, lhs, rhs, (lhs - rhs).abs() < 1e-6))
    })
}

/// 1 + how many values are strictly larger, for each value (ties share the best rank). By
/// sorting, not by counting per value: a province's county departments in one year are
/// thousands of issuers, and counting is quadratic in that.
pub(super) fn competition_ranks(values: &[f64]) -> Vec<u32> {
    let mut sorted: Vec<f64> = values.iter().copied().filter(|v| !v.is_nan()).collect();
    sorted.sort_by(|a, b| b.total_cmp(a));
    values.iter().map(|v| if v.is_nan() { 1 } else { 1 + sorted.partition_point(|w| w > v) as u32 }).collect()
}

#[cfg(test)]
mod tests {
    use super::*;

    mod ranks {
        use super::super::competition_ranks;
        use proptest::prelude::*;

        proptest! {
            // Small integers make ties; num::f64::ANY brings infinities, NaN and both zeros
            // (`any::<f64>()` leaves NaN and infinities out).
            #[test]
            fn competition_ranks_count_the_larger_values(
                values in proptest::collection::vec(
                    prop_oneof![(-5i32..5).prop_map(f64::from), proptest::num::f64::ANY],
                    0..40,
                )
            ) {
                let by_definition: Vec<u32> =
                    values.iter().map(|v| 1 + values.iter().filter(|w| *w > v).count() as u32).collect();
                prop_assert_eq!(competition_ranks(&values), by_definition);
            }
        }
    }

    fn input(path: &str, issuer: &str, code: &str, year: i32, received: f64) -> PanelInput {
        let cw = Crosswalk::embedded().expect("valid");
        let mut measures = vec![None; cw.measures.len()];
        measures[0] = Some(received);
        PanelInput {
            report_id: format!("id-{path}"),
            source_path: path.into(),
            issuer: Some(issuer.into()),
            issuer_kind: Some("government".into()),
            province: Some("河南省".into()),
            city: None,
            county: None,
            division_code: Some(code.into()),
            report_year: Some(year),
            template: Some("2021".into()),
            status: Status::Ok,
            n_values: 100,
            n_failed_checks: 0,
            measures: Packed::new(&measures),
            carried_over: PackedRow::default(),
            carried_forward: PackedRow::default(),
        }
    }

    fn value(panel: &Panel, row: &PanelRow, col: &str) -> Option<f64> {
        row.values.get(panel.value_columns.iter().position(|c| c == col).expect("column"))
    }

    #[test]
    fn duplicates_defer_to_the_copy_with_most_cells_then_fewest_failures() {
        let cw = Crosswalk::embedded().expect("valid");
        let mut a = input("a.html", "周口市人民政府", "411600", 2021, 10.0);
        let b = input("b.txt", "周口市人民政府", "411600", 2021, 10.0);
        a.n_failed_checks = 2;
        let mut c = input("c.txt", "周口市人民政府", "411600", 2021, 9.0);
        c.n_values = 50;
        let panel = build_panel(&[a, b, c], &cw).expect("in memory");
        assert_eq!(panel.rows.len(), 1);
        assert_eq!((panel.rows[0].kept, panel.rows[0].n_copies), (1, 3));
        assert_eq!(panel.defers_to, vec![Some(1), None, Some(1)]);
    }

    #[test]
    fn previous_year_and_change_come_from_the_same_issuer_only() {
        let cw = Crosswalk::embedded().expect("valid");
        let inputs = vec![
            input("z20.txt", "周口市人民政府", "411600", 2020, 40.0),
            input("z21.txt", "周口市人民政府", "411600", 2021, 55.0),
            input("x21.txt", "许昌市人民政府", "411000", 2021, 7.0),
            input("z23.txt", "周口市人民政府", "411600", 2023, 60.0),
        ];
        let panel = build_panel(&inputs, &cw).expect("in memory");
        let row = |path: &str| panel.rows.iter().find(|r| inputs[r.kept].source_path == path).expect("row");
        assert_eq!(value(&panel, row("z21.txt"), "prev_applications_received"), Some(40.0));
        assert_eq!(value(&panel, row("z21.txt"), "yoy_applications_received"), Some(15.0));
        assert_eq!(value(&panel, row("x21.txt"), "prev_applications_received"), None);
        assert_eq!(value(&panel, row("z23.txt"), "prev_applications_received"), None, "2022 is missing");
        let r = panel.rank_columns.iter().position(|c| c == "rank_applications_received").expect("ranked");
        assert_eq!(row("z21.txt").ranks[r], Some(1));
        assert_eq!(row("x21.txt").ranks[r], Some(2));
        assert_eq!(row("x21.txt").rank_group_size, Some(2));
        assert_eq!(row("z20.txt").ranks[r], Some(1), "ranked within its own year");
    }

    #[test]
    fn continuity_compares_carried_over_with_last_years_carried_forward() {
        let cw = Crosswalk::embedded().expect("valid");
        let mut y1 = input("a20.txt", "周口市人民政府", "411600", 2020, 1.0);
        let mut y2 = input("a21.txt", "周口市人民政府", "411600", 2021, 1.0);
        // Columns of config/panel.toml: natural_person business research social_org
        // legal_service other_org total. Outer None: not printed; Some(None): empty cell.
        y1.carried_forward = PackedRow::new(&[None, Some(Some(1.0)), None, Some(None), None, None, Some(Some(5.0))]);
        y2.carried_over = PackedRow::new(&[
            None,
            Some(Some(2.0)),
            Some(None),
            Some(Some(3.0)),
            None,
            Some(Some(3.0)),
            Some(Some(5.0)),
        ]);
        let panel = build_panel(&[y1, y2], &cw).expect("in memory");
        let got: Vec<(&str, bool, usize, usize)> =
            panel.continuity.iter().map(|c| (&*c.check_id, c.passed, c.report, c.previous)).collect();
        assert_eq!(
            got,
            vec![
                ("applications.continuity.business", false, 1, 0),
                ("applications.continuity.social_org", false, 1, 0),
                ("applications.continuity.total", true, 1, 0)
            ]
        );
    }

    #[test]
    fn an_issuer_under_a_longer_name_is_the_same_issuer() {
        let cw = Crosswalk::embedded().expect("valid");
        let mut a = input("h23.txt", "洪泽区人民政府", "320813", 2023, 21.0);
        let mut b = input("h24.txt", "淮安市洪泽区人民政府", "320813", 2024, 95.0);
        let mut c = input("w24.txt", "淮安市洪泽区水利局", "320813", 2024, 3.0);
        let mut d = input("w23.txt", "洪泽区水利局", "320813", 2023, 2.0);
        for (p, kind) in
            [(&mut a, "government"), (&mut b, "government"), (&mut c, "department"), (&mut d, "department")]
        {
            p.issuer_kind = Some(kind.into());
            p.city = Some("淮安市".into());
            p.county = Some("洪泽区".into());
        }
        let inputs = [a, b, c, d];
        let panel = build_panel(&inputs, &cw).expect("in memory");
        assert_eq!(panel.rows.len(), 4);
        let row = |path: &str| panel.rows.iter().find(|r| inputs[r.kept].source_path == path).expect("row");
        assert_eq!(value(&panel, row("h24.txt"), "prev_applications_received"), Some(21.0));
        assert_eq!(value(&panel, row("w24.txt"), "prev_applications_received"), Some(2.0));
    }

    #[test]
    fn reports_without_issuer_or_year_stay_out_and_levels_follow_codes() {
        let cw = Crosswalk::embedded().expect("valid");
        let mut a = input("a.txt", "x", "411600", 2021, 1.0);
        a.issuer = None;
        let mut b = input("b.txt", "y", "411600", 2021, 1.0);
        b.status = Status::NoTables;
        assert!(build_panel(&[a, b], &cw).expect("in memory").rows.is_empty());
        assert_eq!(admin_level("410000"), Some("province"));
        assert_eq!(admin_level("411600"), Some("prefecture"));
        assert_eq!(admin_level("411602"), Some("county"));
        assert_eq!(admin_level("4116"), None);
    }
}
