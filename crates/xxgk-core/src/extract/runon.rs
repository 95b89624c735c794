//! Recovers table 三 rows that a crawled page printed as one run of digits (`640020470` for
//! 64|0|0|2|0|4|70) from the table's own identities: row totals, the column balance
//! (received + carried over = processed + carried forward) and the results sum. Never guesses.

use std::collections::HashMap;

#[derive(Debug, Clone, PartialEq)]
pub enum RowCells {
    /// The 7 cells natural_person … other_org, total; `None` is a blank cell (counts as 0).
    Known(Vec<Option<f64>>),
    /// All 7 cells printed without separators.
    RunTogether(String),
}

#[derive(Debug, Clone, PartialEq)]
pub enum Split {
    Unique(Vec<f64>),
    /// Number of solutions, capped at the search budget (the cap also means "gave up").
    Ambiguous(usize),
    Impossible,
}

const COLS: usize = 7;
/// Longer runs cannot be 7 realistic counts; the bound keeps the enumeration small.
const MAX_DIGITS: usize = 40;
/// Keeps every cell and every column sum exact in both i64 and f64.
const MAX_CELL_DIGITS: usize = 15;
/// Search nodes visited (and solutions counted) before answering Ambiguous.
const SEARCH_BUDGET: usize = 200_000;

/// The rows whose sum is total_processed, besides the `other` group (canonical keys, tables.toml).
const RESULT_PARTS: &str = "granted partially_granted denied.state_secret denied.prohibited_by_law \
    denied.security_stability denied.third_party denied.internal_affairs denied.process_info \
    denied.enforcement_files denied.query_matters unavailable.not_held unavailable.needs_creation \
    unavailable.unclear not_processed.petition not_processed.duplicate not_processed.publication \
    not_processed.excessive not_processed.confirmation";
const OTHER_SPLIT: [&str; 3] = ["other.no_correction", "other.unpaid_fee", "other.other"];

type Cells = [i64; COLS];
type Row = (String, RowCells);

/// One column identity reduced to `constant + Σ coef·cands[row][col] = 0` over run-together rows.
struct Identity {
    col: usize,
    constant: i64,
    terms: Vec<(usize, i64)>,
}

/// rows: (row_key, cells) for every row of the table as extracted. Returns, for each RunTogether row
/// (in input order), its split: Unique only when exactly one assignment of ALL run-together rows
/// satisfies every identity that can be evaluated; never a guess.
pub fn resolve(rows: &[(String, RowCells)]) -> Vec<(String, Split)> {
    let runs: Vec<(&String, &str)> = rows
        .iter()
        .filter_map(|(k, c)| if let RowCells::RunTogether(s) = c { Some((k, s.as_str())) } else { None })
        .collect();
    let mut cands: Vec<Vec<Cells>> = runs.iter().map(|(_, s)| splits(s)).collect();
    let ids = identities(rows);
    if !propagate(&ids, &mut cands) {
        return runs.iter().map(|(k, _)| (k.to_string(), Split::Impossible)).collect();
    }
    let search = Search::run(&ids, &cands);
    runs.iter().enumerate().map(|(j, (k, _))| (k.to_string(), search.split(j))).collect()
}

/// The balance and results-sum identities of every column that the extracted rows can evaluate.
fn identities(rows: &[Row]) -> Vec<Identity> {
    // A key printed twice is as unusable as a missing one: we could not tell which copy counts.
    let mut once: HashMap<&str, Option<usize>> = HashMap::new();
    for (i, (key, _)) in rows.iter().enumerate() {
        once.entry(key).and_modify(|v| *v = None).or_insert(Some(i));
    }
    let once: HashMap<&str, usize> = once.into_iter().filter_map(|(k, v)| Some((k, v?))).collect();
    let balance = [("new_received", 1), ("carried_over", 1), ("total_processed", -1), ("carried_forward", -1)];
    // `other` is the subtotal of other.* when those are printed; counting both would double it.
    let other: &[&str] = if OTHER_SPLIT.iter().all(|k| once.contains_key(k)) { &OTHER_SPLIT } else { &["other"] };
    let parts = RESULT_PARTS.split_whitespace().chain(other.iter().copied()).map(|k| (k, -1));
    let results: Vec<(&str, i64)> = std::iter::once(("total_processed", 1)).chain(parts).collect();
    let compile = |spec: &[(&str, i64)], col| compile(rows, &once, spec, col);
    (0..COLS).flat_map(|col| [compile(&balance, col), compile(&results, col)]).flatten().collect()
}

/// None when a row is absent or a known cell is not an integer: the identity then says nothing.
fn compile(rows: &[Row], once: &HashMap<&str, usize>, spec: &[(&str, i64)], col: usize) -> Option<Identity> {
    let mut id = Identity { col, constant: 0, terms: Vec::new() };
    // Like validation, an identity whose side is all blank says nothing (a 总计 column left
    // blank except on a few rows must not read as zeros).
    let (mut lhs_printed, mut rhs_printed) = (false, false);
    for &(key, coef) in spec {
        let i = *once.get(key)?;
        let printed = match &rows[i].1 {
            // Run-together rows are numbered in input order, as `resolve` lists them.
            RowCells::RunTogether(_) => {
                id.terms.push((rows[..i].iter().filter(|r| matches!(r.1, RowCells::RunTogether(_))).count(), coef));
                true
            }
            RowCells::Known(cells) => {
                let v = *cells.get(col)?;
                id.constant += coef * known_int(v)?;
                v.is_some()
            }
        };
        if coef > 0 {
            lhs_printed |= printed;
        } else {
            rhs_printed |= printed;
        }
    }
    // Identities among known rows only are validation's business, not ours.
    (!id.terms.is_empty() && lhs_printed && rhs_printed).then_some(id)
}

fn known_int(v: Option<f64>) -> Option<i64> {
    match v {
        None => Some(0),
        Some(v) if v.is_finite() && v.fract() == 0.0 && v.abs() < 1e15 => Some(v as i64),
        Some(_) => None,
    }
}

/// Every split of `s` into 7 cells without leading zeros whose last cell is the sum of the others.
fn splits(s: &str) -> Vec<Cells> {
    let d = s.as_bytes();
    let mut out = Vec::new();
    if d.len() < COLS || d.len() > MAX_DIGITS || !d.iter().all(u8::is_ascii_digit) {
        return out;
    }
    // Fixing the total first lets the other cells be pruned by what is left of it.
    for t in 1..=(d.len() - (COLS - 1)).min(MAX_CELL_DIGITS) {
        if let Some(total) = cell(&d[d.len() - t..]) {
            let mut cells = [total; COLS]; // `parts` overwrites all but the last
            parts(&d[..d.len() - t], 0, total, &mut cells, &mut out);
        }
    }
    out
}

/// Fills cells[k..6] from `rest` so that they add up to `left`.
fn parts(rest: &[u8], k: usize, left: i64, cells: &mut Cells, out: &mut Vec<Cells>) {
    let need = COLS - 1 - k;
    if need == 0 {
        if rest.is_empty() && left == 0 {
            out.push(*cells);
        }
        return;
    }
    if rest.len() < need {
        return;
    }
    // No cell exceeds `left`, so none is longer than it; each also leaves a digit per later cell.
    let width = left.checked_ilog10().map_or(1, |d| d as usize + 1);
    let longest = (rest.len() + 1 - need).min(width);
    // Every cell still to place is below 10^longest: together they may fall short of `left`.
    if left >= need as i64 * 10_i64.pow(longest as u32) {
        return;
    }
    // The later cells must still be able to hold the rest of the digits.
    let shortest = rest.len().saturating_sub((need - 1) * width).max(1);
    for len in shortest..=longest {
        // A longer prefix is invalid too (leading zero) or larger still: stop, not skip.
        match cell(&rest[..len]) {
            Some(v) if v <= left => {
                cells[k] = v;
                parts(&rest[len..], k + 1, left - v, cells, out);
            }
            _ => break,
        }
    }
}

/// A printed cell: digits without a leading zero ("0" alone is fine).
fn cell(b: &[u8]) -> Option<i64> {
    let printable = !b.is_empty() && b.len() <= MAX_CELL_DIGITS && (b.len() == 1 || b[0] != b'0');
    printable.then(|| b.iter().fold(0, |n, c| n * 10 + i64::from(c - b'0')))
}

/// The value every candidate of a row has in `col`, if they agree.
fn settled(cands: &[Cells], col: usize) -> Option<i64> {
    let v = cands.first()?[col];
    cands.iter().all(|c| c[col] == v).then_some(v)
}

/// Pins rows that are the only open unknown of an identity, until nothing changes.
/// False when some identity cannot hold: no assignment exists.
fn propagate(ids: &[Identity], cands: &mut [Vec<Cells>]) -> bool {
    loop {
        let mut changed = false;
        for id in ids {
            let mut fixed = id.constant;
            let mut open = Vec::new();
            for &(r, coef) in &id.terms {
                match settled(&cands[r], id.col) {
                    Some(v) => fixed += coef * v,
                    None => open.push((r, coef)),
                }
            }
            match open[..] {
                [] if fixed != 0 => return false,
                [(r, coef)] => {
                    let before = cands[r].len();
                    cands[r].retain(|c| coef * c[id.col] + fixed == 0);
                    changed |= cands[r].len() != before;
                }
                _ => {}
            }
        }
        let emptied = cands.iter().any(Vec::is_empty);
        if emptied || !changed {
            return !emptied;
        }
    }
}

/// Depth-first over the rows, checking an identity as soon as its last row is picked; keeps
/// the solution count, the first solution, and which rows kept its value in all of them.
/// Running out of `nodes` ends it: the count is then only a lower bound.
struct Search<'a> {
    cands: &'a [Vec<Cells>],
    due: Vec<Vec<&'a Identity>>,
    pick: Vec<usize>,
    nodes: usize,
    count: usize,
    first: Vec<usize>,
    same: Vec<bool>,
}

impl<'a> Search<'a> {
    fn run(ids: &'a [Identity], cands: &'a [Vec<Cells>]) -> Self {
        let n = cands.len();
        let mut due = vec![Vec::new(); n];
        for id in ids {
            due[id.terms.iter().map(|t| t.0).max().unwrap_or(0)].push(id);
        }
        let mut s = Search { cands, due, pick: vec![0; n], nodes: 0, count: 0, first: vec![0; n], same: vec![true; n] };
        s.dfs(0);
        s
    }

    /// False when the budget ran out.
    fn dfs(&mut self, depth: usize) -> bool {
        if depth == self.cands.len() {
            self.record();
            return true;
        }
        for k in 0..self.cands[depth].len() {
            self.nodes += 1;
            if self.nodes > SEARCH_BUDGET {
                return false;
            }
            self.pick[depth] = k;
            let ok = self.due[depth].iter().all(|id| self.holds(id));
            if ok && !self.dfs(depth + 1) {
                return false;
            }
        }
        true
    }

    fn holds(&self, id: &Identity) -> bool {
        let sum: i64 = id.terms.iter().map(|&(r, coef)| coef * self.cands[r][self.pick[r]][id.col]).sum();
        id.constant + sum == 0
    }

    fn record(&mut self) {
        if self.count == 0 {
            self.first.clone_from(&self.pick);
        }
        for (same, (p, f)) in self.same.iter_mut().zip(self.pick.iter().zip(&self.first)) {
            *same &= p == f;
        }
        self.count += 1;
    }

    fn split(&self, row: usize) -> Split {
        match self.count {
            _ if self.nodes > SEARCH_BUDGET => Split::Ambiguous(SEARCH_BUDGET),
            0 => Split::Impossible,
            _ if self.same[row] => Split::Unique(self.cands[row][self.first[row]].iter().map(|&v| v as f64).collect()),
            n => Split::Ambiguous(n),
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn known(key: &str, v: [i64; 6]) -> Row {
        let cells = v.iter().chain([&v.iter().sum()]).map(|&x| Some(x as f64)).collect();
        (key.to_string(), RowCells::Known(cells))
    }

    /// A consistent table: every result row (zero unless given), total_processed as their sum,
    /// carried_forward closing the balance.
    fn table(given: &[(&str, [i64; 6])], new_received: [i64; 6], carried_over: [i64; 6]) -> Vec<Row> {
        let mut rows = vec![known("new_received", new_received), known("carried_over", carried_over)];
        let mut processed = [0; 6];
        for key in RESULT_PARTS.split_whitespace().chain(["other"]) {
            let v = given.iter().find(|g| g.0 == key).map_or([0; 6], |g| g.1);
            (0..6).for_each(|c| processed[c] += v[c]);
            rows.push(known(key, v));
        }
        let forward: [i64; 6] = std::array::from_fn(|c| new_received[c] + carried_over[c] - processed[c]);
        rows.extend([known("total_processed", processed), known("carried_forward", forward)]);
        rows
    }

    /// Replaces rows' cells by their concatenation, as a flattened page prints them.
    fn run_together(rows: &mut [Row], keys: &[&str]) -> Vec<String> {
        let flatten = |r: &mut Row| {
            let RowCells::Known(cells) = &r.1 else { panic!("{} already run together", r.0) };
            let s: String = cells.iter().map(|c| c.unwrap().to_string()).collect();
            r.1 = RowCells::RunTogether(s.clone());
            s
        };
        keys.iter().map(|k| flatten(rows.iter_mut().find(|r| r.0 == *k).unwrap())).collect()
    }

    fn splits_of(rows: &[Row]) -> Vec<Split> {
        resolve(rows).into_iter().map(|r| r.1).collect()
    }

    fn unique(v: [i64; 6]) -> Split {
        Split::Unique(v.iter().chain([&v.iter().sum()]).map(|&x| x as f64).collect())
    }

    #[test]
    fn example_row_is_recovered() {
        let given = [("granted", [50, 0, 0, 2, 0, 3]), ("not_processed.duplicate", [4, 0, 0, 0, 0, 1])];
        let mut rows = table(&given, [64, 0, 0, 2, 0, 4], [3, 0, 0, 0, 0, 0]);
        assert_eq!(run_together(&mut rows, &["new_received"]), ["640020470"]);
        assert_eq!(resolve(&rows), [("new_received".to_string(), unique([64, 0, 0, 2, 0, 4]))]);
    }

    #[test]
    fn column_identities_pick_between_row_total_solutions() {
        // 1|10|0|0|0|0|11 and 11|0|0|0|0|0|11 print the same digits.
        assert_eq!(splits("110000011").len(), 2);
        for truth in [[1, 10, 0, 0, 0, 0], [11, 0, 0, 0, 0, 0]] {
            let mut rows = table(&[("granted", truth)], [20, 10, 0, 0, 0, 0], [0; 6]);
            assert_eq!(run_together(&mut rows, &["granted"]), ["110000011"]);
            assert_eq!(splits_of(&rows), [unique(truth)]);
        }
        // With other.* printed, the `other` subtotal above them must not be counted again.
        let mut rows =
            table(&[("granted", [1, 10, 0, 0, 0, 0]), ("other", [2, 0, 0, 0, 0, 0])], [20, 10, 0, 0, 0, 0], [0; 6]);
        run_together(&mut rows, &["granted"]);
        rows.extend(OTHER_SPLIT.iter().zip([2, 0, 0]).map(|(k, n)| known(k, [n, 0, 0, 0, 0, 0])));
        assert_eq!(splits_of(&rows), [unique([1, 10, 0, 0, 0, 0])]);
    }

    #[test]
    fn two_rows_are_resolved_jointly() {
        // Both rows share the results identity, so neither is pinned alone; only 1+1 fits column 1.
        let v = [1, 10, 0, 0, 0, 0];
        let mut rows = table(&[("granted", v), ("partially_granted", v)], [30, 20, 0, 0, 0, 0], [0; 6]);
        run_together(&mut rows, &["granted", "partially_granted"]);
        assert_eq!(splits_of(&rows), [unique(v), unique(v)]);
    }

    #[test]
    fn swapped_rows_stay_ambiguous_but_settled_rows_are_reported() {
        let (a, b) = ([1, 10, 0, 0, 0, 0], [11, 0, 0, 0, 0, 0]);
        let mut rows = table(&[("granted", a), ("partially_granted", b)], [20, 10, 0, 0, 0, 0], [0; 6]);
        assert_eq!(run_together(&mut rows, &["carried_forward"]), ["8000008"]);
        run_together(&mut rows, &["granted", "partially_granted"]);
        assert_eq!(splits_of(&rows), [Split::Ambiguous(2), Split::Ambiguous(2), unique([8, 0, 0, 0, 0, 0])]);
    }

    #[test]
    fn missing_or_repeated_rows_make_identities_unusable() {
        // A key printed twice is no better than a missing one: which copy would count?
        let spoil: [fn(&mut Vec<Row>); 2] =
            [|r| r.retain(|r| r.0 != "total_processed"), |r| r.push(known("denied.third_party", [0; 6]))];
        for spoil in spoil {
            let mut rows = table(&[("granted", [1, 10, 0, 0, 0, 0])], [20, 10, 0, 0, 0, 0], [0; 6]);
            run_together(&mut rows, &["granted"]);
            spoil(&mut rows);
            assert_eq!(splits_of(&rows), [Split::Ambiguous(2)]);
        }
    }

    #[test]
    fn leading_zeros_are_rejected() {
        assert_eq!(splits("051000015"), [[0, 5, 10, 0, 0, 0, 15]]);
        // Only 05|10|0|0|0|0|15 would add up here.
        assert!(splits("0510000015").is_empty());
    }

    #[test]
    fn contradictions_are_impossible() {
        // No split adds up; only one with a leading zero would; too long; not digits.
        for s in ["1111111", "0510000015", &"1".repeat(41), "64 0020470"] {
            let mut rows = table(&[], [0; 6], [0; 6]);
            rows[0].1 = RowCells::RunTogether(s.to_string());
            assert_eq!(splits_of(&rows), [Split::Impossible], "{s}");
        }
        // The row adds up, but the balance needs 65 natural persons, which no split gives.
        let mut rows = table(&[("granted", [65, 0, 0, 2, 0, 4])], [65, 0, 0, 2, 0, 4], [0; 6]);
        rows[0].1 = RowCells::RunTogether("640020470".into());
        assert_eq!(splits_of(&rows), [Split::Impossible]);
    }

    #[test]
    fn search_gives_up_within_budget() {
        // Five rows outside every identity, 19 splits each: 19^5 combinations exceed the budget.
        let s = "1515151114187";
        assert_eq!(splits(s).len(), 19);
        let rows: Vec<Row> = "abcde".chars().map(|k| (k.to_string(), RowCells::RunTogether(s.into()))).collect();
        assert_eq!(splits_of(&rows), vec![Split::Ambiguous(SEARCH_BUDGET); 5]);
        assert_eq!(splits_of(&rows[..1]), [Split::Ambiguous(19)]);
    }
}
