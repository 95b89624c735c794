//! The group-bys behind the summary's charts, in plain Rust over columns (polars is built
//! without its lazy engine, see ARCHITECTURE.md). Every function is independent of HTML.

use std::collections::{BTreeMap, HashMap};
use std::ops::AddAssign;

/// The label of a missing key (a report without a province or year is still counted).
pub const NONE: &str = "(none)";

pub fn label(value: Option<&str>) -> String {
    value.filter(|v| !v.trim().is_empty()).unwrap_or(NONE).to_string()
}

/// A cell of a [`Grid`]: something that adds up, with a size to order rows by.
pub trait Tally: Default + Copy + AddAssign {
    fn weight(&self) -> u64;
}

impl Tally for u64 {
    fn weight(&self) -> u64 {
        *self
    }
}

/// Checks evaluated and failed.
#[derive(Clone, Copy, Default, Debug, PartialEq, Eq)]
pub struct Rate {
    pub evaluated: u64,
    pub failed: u64,
}

impl AddAssign for Rate {
    fn add_assign(&mut self, other: Rate) {
        self.evaluated += other.evaluated;
        self.failed += other.failed;
    }
}

impl Tally for Rate {
    fn weight(&self) -> u64 {
        self.evaluated
    }
}

/// How a grid's rows or columns are ordered; the missing-key label always goes last.
#[derive(Clone, Copy)]
pub enum Order {
    /// Years ascending (labels that are not numbers after them).
    Year,
    /// Largest total first, so the big provinces head the table.
    LargestFirst,
    /// These labels first in this order, then the others alphabetically.
    Known(&'static [&'static str]),
}

/// Tallies over two categorical keys (row × column), every pair present.
#[derive(Debug, Clone, PartialEq)]
pub struct Grid<T> {
    pub rows: Vec<String>,
    pub cols: Vec<String>,
    pub cells: Vec<Vec<T>>,
}

impl<T: Tally> Grid<T> {
    pub fn tally(items: impl IntoIterator<Item = (String, String, T)>, rows: Order, cols: Order) -> Grid<T> {
        let mut map: BTreeMap<(String, String), T> = BTreeMap::new();
        for (r, c, v) in items {
            *map.entry((r, c)).or_default() += v;
        }
        let row_totals = totals(map.iter().map(|((r, _), v)| (r, v)));
        let col_totals = totals(map.iter().map(|((_, c), v)| (c, v)));
        let rows = ordered(row_totals, rows);
        let cols = ordered(col_totals, cols);
        let cells = rows
            .iter()
            .map(|r| cols.iter().map(|c| map.get(&(r.clone(), c.clone())).copied().unwrap_or_default()).collect())
            .collect();
        Grid { rows, cols, cells }
    }

    pub fn row_total(&self, row: usize) -> T {
        let mut t = T::default();
        for v in &self.cells[row] {
            t += *v;
        }
        t
    }
}

fn totals<'a, T: Tally + 'a>(items: impl Iterator<Item = (&'a String, &'a T)>) -> HashMap<String, T> {
    let mut out: HashMap<String, T> = HashMap::new();
    for (k, v) in items {
        *out.entry(k.clone()).or_default() += *v;
    }
    out
}

fn ordered<T: Tally>(totals: HashMap<String, T>, order: Order) -> Vec<String> {
    let mut keys: Vec<(String, u64)> = totals.into_iter().map(|(k, v)| (k, v.weight())).collect();
    keys.sort_by(|a, b| {
        let none = (a.0 == NONE).cmp(&(b.0 == NONE));
        let by = match order {
            Order::Year => year_key(&a.0).cmp(&year_key(&b.0)),
            Order::LargestFirst => b.1.cmp(&a.1),
            Order::Known(known) => known_key(known, &a.0).cmp(&known_key(known, &b.0)),
        };
        none.then(by).then_with(|| a.0.cmp(&b.0))
    });
    keys.into_iter().map(|(k, _)| k).collect()
}

fn year_key(label: &str) -> (bool, i64) {
    match label.parse::<i64>() {
        Ok(y) => (false, y),
        Err(_) => (true, 0),
    }
}

fn known_key(known: &[&str], label: &str) -> usize {
    known.iter().position(|k| *k == label).unwrap_or(known.len())
}

/// `applications.balance.granted` → `applications.balance`: the identity without the cell it
/// was evaluated on (DATASETS.md ids are `table.identity.{row|col}`).
pub fn check_family(check_id: &str) -> &str {
    match check_id.match_indices('.').nth(1) {
        Some((i, _)) => &check_id[..i],
        None => check_id,
    }
}

/// One issuer of the panel with its rows, for the largest-issuers charts.
#[derive(Debug, Clone, PartialEq)]
pub struct Issuer {
    pub label: String,
    pub name: String,
    pub division_code: Option<String>,
    pub received: f64,
    /// (report_year, panel row), one per year, years ascending.
    pub years: Vec<(i32, usize)>,
}

/// The panel's columns that identify and rank issuers.
pub struct PanelKeys<'a> {
    pub division_code: &'a [Option<String>],
    pub issuer: &'a [Option<String>],
    pub year: &'a [Option<i32>],
    pub received: &'a [Option<f64>],
}

/// The `n` issuers (division code + name) with the most applications received over all
/// years; an issuer that never reports a number of applications cannot be ranked.
pub fn top_issuers(keys: &PanelKeys, n: usize) -> Vec<Issuer> {
    let mut by_key: HashMap<(Option<&str>, &str), Issuer> = HashMap::new();
    for i in 0..keys.issuer.len() {
        let (Some(name), Some(year)) = (keys.issuer[i].as_deref(), keys.year[i]) else { continue };
        let division = keys.division_code.get(i).and_then(|d| d.as_deref());
        let issuer = by_key.entry((division, name)).or_insert_with(|| Issuer {
            label: name.to_string(),
            name: name.to_string(),
            division_code: division.map(str::to_string),
            received: f64::NAN,
            years: Vec::new(),
        });
        // The panel has one row per issuer and year; should a year repeat, the first row stands.
        if issuer.years.iter().any(|(y, _)| *y == year) {
            continue;
        }
        issuer.years.push((year, i));
        if let Some(v) = keys.received[i].filter(|v| v.is_finite()) {
            issuer.received = if issuer.received.is_nan() { v } else { issuer.received + v };
        }
    }
    let mut ranked: Vec<Issuer> = by_key.into_values().filter(|i| !i.received.is_nan()).collect();
    ranked.sort_by(|a, b| {
        b.received
            .total_cmp(&a.received)
            .then_with(|| a.name.cmp(&b.name))
            .then_with(|| a.division_code.cmp(&b.division_code))
    });
    ranked.truncate(n);
    for issuer in &mut ranked {
        issuer.years.sort_unstable();
    }
    disambiguate(&mut ranked);
    ranked
}

/// Two issuers of one name (a department of two places) are told apart by division code.
fn disambiguate(issuers: &mut [Issuer]) {
    let mut seen: HashMap<String, usize> = HashMap::new();
    for i in issuers.iter() {
        *seen.entry(i.name.clone()).or_default() += 1;
    }
    for i in issuers.iter_mut().filter(|i| seen[&i.name] > 1) {
        i.label = format!("{} ({})", i.name, i.division_code.as_deref().unwrap_or(NONE));
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn families_drop_the_cell() {
        assert_eq!(check_family("applications.balance.granted"), "applications.balance");
        assert_eq!(check_family("legacy_stats.all_sum.applications.received"), "legacy_stats.all_sum");
        assert_eq!(check_family("applications.continuity"), "applications.continuity");
        assert_eq!(check_family("odd"), "odd");
    }

    #[test]
    fn grid_orders_rows_and_columns() {
        let items = [("b", "2021"), ("a", "2020"), ("b", "2020"), ("(none)", "2020"), ("b", "(none)")]
            .map(|(r, c)| (r.to_string(), c.to_string(), 1u64));
        let g = Grid::tally(items, Order::LargestFirst, Order::Year);
        assert_eq!(g.rows, ["b", "a", NONE]);
        assert_eq!(g.cols, ["2020", "2021", NONE]);
        assert_eq!(g.cells[0], [1, 1, 1]);
        assert_eq!(g.row_total(0), 3);
        let known = Grid::tally(
            [("x", "partial", 1u64), ("x", "ok", 2), ("x", "weird", 1)].map(|(r, c, n)| (r.into(), c.into(), n)),
            Order::Year,
            Order::Known(&["ok", "partial"]),
        );
        assert_eq!(known.cols, ["ok", "partial", "weird"]);
    }

    #[test]
    fn top_issuers_rank_by_received_and_skip_unranked() {
        let s = |v: &str| Some(v.to_string());
        let division = [s("1"), s("1"), s("2"), s("3"), s("4")];
        let issuer = [s("甲"), s("甲"), s("乙"), s("甲"), s("丁")];
        let year = [Some(2021), Some(2020), Some(2021), Some(2021), Some(2021)];
        let received = [Some(5.0), Some(10.0), Some(12.0), Some(1.0), None];
        let keys = PanelKeys { division_code: &division, issuer: &issuer, year: &year, received: &received };
        let top = top_issuers(&keys, 2);
        assert_eq!(top.iter().map(|i| i.label.as_str()).collect::<Vec<_>>(), ["甲", "乙"]);
        assert_eq!(top[0].received, 15.0);
        assert_eq!(top[0].years, [(2020, 1), (2021, 0)]);
        let all = top_issuers(&keys, 10);
        assert_eq!(all.iter().map(|i| i.label.as_str()).collect::<Vec<_>>(), ["甲 (1)", "乙", "甲 (3)"]);
    }
}
