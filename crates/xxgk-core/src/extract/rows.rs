//! Observed rows (a label followed by its value cells) and their assignment to template rows:
//! exact aliases first, fuzzy labels between exact anchors, and — only where the template
//! leaves exactly one row between two anchored rows — placement by position.

use super::labels::{How, RowMatcher};
use super::numbers::Number;
use super::tokens::Tok;
use crate::normalize::label_key;
use std::ops::Range;

/// A label and the value cells that follow it before the next label.
#[derive(Debug, Clone)]
pub struct ObsRow {
    /// Text pieces before the values (units removed), raw.
    pub parts: Vec<String>,
    /// Matching key of the simplified, joined label.
    pub key: String,
    pub slots: Vec<Slot>,
    /// Token index where the label begins (headings and captions before it included).
    pub tok_start: usize,
    /// Token index of the first value: what places the row inside a table's region.
    pub tok_value: usize,
}

#[derive(Debug, Clone, PartialEq)]
pub struct Slot {
    pub raw: String,
    pub num: Option<Number>,
    /// Index of the token the cell came from (its position in the grid).
    pub tok: usize,
}

impl ObsRow {
    pub fn has_value(&self) -> bool {
        self.slots.iter().any(|s| s.num.is_some())
    }

    pub fn label(&self) -> String {
        self.parts.join(" ")
    }
}

/// Splits tokens into observed rows. `simplify` turns raw text into simplified script.
pub fn segment(toks: &[Tok], simplify: &dyn Fn(&str) -> String, unit_words: &[String]) -> Vec<ObsRow> {
    let mut rows = Vec::new();
    let mut parts: Vec<String> = Vec::new();
    let mut start = 0;
    let mut cur: Option<ObsRow> = None;
    let longest_unit = unit_words.iter().map(|u| u.chars().count()).max().unwrap_or(0);
    for (i, tok) in toks.iter().enumerate() {
        let slot = match tok {
            Tok::Text(t) => {
                if let Some(r) = cur.take() {
                    rows.push(r);
                }
                if is_narrative(t) {
                    // Sentences are never labels: whatever preceded them is not a label either.
                    parts.clear();
                } else if !is_unit_word(t.trim(), unit_words, longest_unit, simplify) {
                    if parts.is_empty() {
                        start = i;
                    }
                    parts.push(t.clone());
                }
                continue;
            }
            Tok::LineEnd => continue,
            Tok::Value { raw, num } => Slot { raw: raw.clone(), num: Some(*num), tok: i },
            Tok::Empty { raw } => Slot { raw: raw.clone(), num: None, tok: i },
        };
        let row = cur.get_or_insert_with(|| {
            let key = tail(label_key(&simplify(&parts.join(" "))), LABEL_WINDOW);
            let tok_start = if parts.is_empty() { i } else { start };
            ObsRow { parts: std::mem::take(&mut parts), key, slots: Vec::new(), tok_start, tok_value: i }
        });
        row.slots.push(slot);
    }
    rows.extend(cur);
    rows
}

/// A unit printed as a cell of its own (`件`, `萬元`); converted once, and only when short
/// enough to be one (conversion is most of the cost for traditional documents).
fn is_unit_word(t: &str, unit_words: &[String], longest: usize, simplify: &dyn Fn(&str) -> String) -> bool {
    if t.is_empty() || t.chars().count() > longest {
        return false;
    }
    let s = simplify(t);
    unit_words.contains(&s)
}

/// Labels sit just before their values; older text (captions, headings) only adds noise.
const LABEL_WINDOW: usize = 80;

fn tail(s: String, n: usize) -> String {
    let count = s.chars().count();
    if count <= n {
        s
    } else {
        s.chars().skip(count - n).collect()
    }
}

/// A sentence of running text: it ends a clause with 。 or is far longer than any label.
fn is_narrative(text: &str) -> bool {
    text.contains('。') || text.chars().count() > 120
}

/// One observed row placed on a template row.
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct Assigned {
    pub obs: usize,
    pub row: usize,
    pub how: How,
}

/// Assigns the observed rows `candidates` (indices into `obs`, in document order).
pub fn assign(obs: &[ObsRow], candidates: &[usize], m: &RowMatcher) -> Vec<Assigned> {
    let mut out = skeleton(obs, candidates, m);
    if out.is_empty() {
        return out;
    }
    fill_gaps(obs, candidates, m, &mut out);
    out
}

/// The exact matches that keep template order, chosen to cover the most rows with numbers
/// (then the most blank rows): a header row of empty cells whose caption says 总计 cannot
/// push twenty real rows out of order, and a blank row can still anchor its neighbours.
fn skeleton(obs: &[ObsRow], candidates: &[usize], m: &RowMatcher) -> Vec<Assigned> {
    let items: Vec<(usize, usize)> =
        candidates.iter().flat_map(|&o| m.exact_rows(&obs[o].key).iter().map(move |&r| (o, r))).collect();
    let weight = |o: usize| if obs[o].has_value() { 1000u64 } else { 1 };
    // best[i]: heaviest increasing chain ending with item i; prev[i]: the item before it.
    let mut best: Vec<u64> = Vec::with_capacity(items.len());
    let mut prev: Vec<Option<usize>> = Vec::with_capacity(items.len());
    for (i, &(o, r)) in items.iter().enumerate() {
        let before =
            (0..i).filter(|&j| items[j].0 < o && items[j].1 < r).max_by_key(|&j| (best[j], std::cmp::Reverse(j)));
        best.push(before.map_or(0, |j| best[j]) + weight(o));
        prev.push(before);
    }
    let Some(mut i) = (0..items.len()).max_by_key(|&i| (best[i], std::cmp::Reverse(i))) else { return Vec::new() };
    let mut chain = vec![i];
    while let Some(p) = prev[i] {
        chain.push(p);
        i = p;
    }
    chain.iter().rev().map(|&i| Assigned { obs: items[i].0, row: items[i].1, how: How::Exact }).collect()
}

/// Fuzzy, then positional assignment of value rows lying between (or just after) exact ones.
fn fill_gaps(obs: &[ObsRow], candidates: &[usize], m: &RowMatcher, out: &mut Vec<Assigned>) {
    // The region starts at the table's anchor, so a damaged first row is still table content.
    for &o in candidates.iter().filter(|&&o| obs[o].has_value()) {
        if out.iter().any(|a| a.obs == o) {
            continue;
        }
        let (lo, hi) = bounds(out, o, m.rows.len());
        if let Some((r, score)) = m.fuzzy(&obs[o].key, lo) {
            if lo.is_none_or(|l| r > l) && r < hi {
                insert_sorted(out, Assigned { obs: o, row: r, how: How::Fuzzy(score) });
            }
        }
    }
    let assigned: Vec<Assigned> = out.clone();
    for pair in assigned.windows(2) {
        let (a, b) = (pair[0], pair[1]);
        let between: Vec<usize> =
            candidates.iter().copied().filter(|&o| o > a.obs && o < b.obs && !obs[o].slots.is_empty()).collect();
        let free: Vec<usize> = (a.row + 1..b.row).filter(|&r| !m.rows[r].group).collect();
        // Unreadable labels, but the template leaves exactly as many places as there are rows
        // (blank rows count: they hold a place). A label with nothing in common with its
        // place is more likely a local extra row, and then nothing is placed.
        let plausible = between.len() == free.len()
            && between.iter().zip(&free).all(|(&o, &r)| m.similarity(&obs[o].key, r) >= 0.25);
        if !between.is_empty() && plausible {
            for (&o, &r) in between.iter().zip(&free) {
                insert_sorted(out, Assigned { obs: o, row: r, how: How::Position });
            }
        }
    }
}

/// Template rows already assigned just before and after observed row `o`.
fn bounds(out: &[Assigned], o: usize, n_rows: usize) -> (Option<usize>, usize) {
    let lo = out.iter().filter(|a| a.obs < o).map(|a| a.row).max();
    let hi = out.iter().filter(|a| a.obs > o).map(|a| a.row).min().unwrap_or(n_rows);
    (lo, hi)
}

fn insert_sorted(out: &mut Vec<Assigned>, a: Assigned) {
    let pos = out.iter().position(|x| x.obs > a.obs).unwrap_or(out.len());
    out.insert(pos, a);
}

/// Fits a row's cells to `n` columns: padding cells of delimited rows are dropped from the
/// end, then from the start. Anything else that does not fit is an error, never a guess.
pub fn fit(slots: &[Slot], n: usize) -> Result<Vec<Slot>, String> {
    let mut s: &[Slot] = slots;
    while s.len() > n && s.last().is_some_and(|x| x.num.is_none() && x.raw.is_empty()) {
        s = &s[..s.len() - 1];
    }
    while s.len() > n && s.first().is_some_and(|x| x.num.is_none() && x.raw.is_empty()) {
        s = &s[1..];
    }
    match s.len().cmp(&n) {
        std::cmp::Ordering::Equal => Ok(s.to_vec()),
        std::cmp::Ordering::Greater => Err(format!("{} values for {} columns", s.len(), n)),
        std::cmp::Ordering::Less => Err(format!("only {} values for {} columns", s.len(), n)),
    }
}

/// Every way to fit the cells by dropping blank padding cells at the two ends, in order of
/// preference (end first), each with how many cells it dropped from the end (usize::MAX when
/// blank cells inside the row were dropped). A caller with an identity to test picks.
pub fn fit_options(slots: &[Slot], n: usize) -> Vec<(usize, Vec<Slot>)> {
    let blank = |x: &Slot| x.num.is_none() && x.raw.is_empty();
    if slots.len() <= n {
        return fit(slots, n).into_iter().map(|s| (0, s)).collect();
    }
    let extra = slots.len() - n;
    let lead = slots.iter().take_while(|x| blank(x)).count();
    let trail = slots.iter().rev().take_while(|x| blank(x)).count();
    let ends: Vec<(usize, Vec<Slot>)> = (0..=extra)
        .rev()
        .filter(|&from_end| from_end <= trail && extra - from_end <= lead)
        .map(|from_end| (from_end, slots[extra - from_end..slots.len() - from_end].to_vec()))
        .collect();
    if !ends.is_empty() {
        return ends;
    }
    // A flattened colspan leaves a blank cell beside its value (`规章 | 0 | 0 | | 2`): values
    // then count by their order, as the template defines them.
    let filled: Vec<Slot> = slots.iter().filter(|x| !blank(x)).cloned().collect();
    if filled.len() == n {
        vec![(usize::MAX, filled)]
    } else {
        Vec::new()
    }
}

/// The shortest tail of the label that still matches `row` exactly: the label as printed,
/// without the headings and captions that preceded it.
pub fn printed_label(row: &ObsRow, m: &RowMatcher, target: usize, simplify: &dyn Fn(&str) -> String) -> String {
    for k in (0..row.parts.len()).rev() {
        let tail = row.parts[k..].join(" ");
        let key = label_key(&simplify(&tail));
        if m.exact(&key, target.checked_sub(1)) == Some(target) {
            return tail;
        }
    }
    row.parts.last().cloned().unwrap_or_default()
}

/// Observed rows whose values start inside `range`.
pub fn in_range(obs: &[ObsRow], range: &Range<usize>) -> Vec<usize> {
    (0..obs.len()).filter(|&i| range.contains(&obs[i].tok_value)).collect()
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::config::Config;
    use crate::extract::tokens::tokenize;
    use crate::model::{Cell, Line};

    fn lines(text: &str) -> Vec<Line> {
        text.lines().map(|l| Line { cells: vec![Cell::new(l)], delimited: false, in_table: false }).collect()
    }

    #[test]
    fn one_cell_per_line_rows_are_segmented_by_labels() {
        let (toks, _) = tokenize(&lines("规章\n1\n1\n5\n规范性文件\n536\n536\n1634"), &[]);
        let rows = segment(&toks, &|s| s.to_string(), &[]);
        assert_eq!(rows.len(), 2);
        assert_eq!(rows[1].key, "规范性文件");
        assert_eq!(rows[1].slots.len(), 3);
    }

    #[test]
    fn garbled_label_between_anchors_is_placed_by_fuzzy_or_position() {
        let cfg = Config::embedded().unwrap();
        let m = RowMatcher::new(&cfg.tables.legacy_stats);
        let text = "四、行政复议数量 件 9 14 23\n（一）维持具体行政行为数 件 1 10 11\n（订被依穖錯數 件 0 0 0\n（醛其碎形 件 8 4 12\n五、行政诉讼数量 件 0 0 0";
        let (toks, _) = tokenize(&lines(text), &[]);
        let units: Vec<String> = vec!["件".into()];
        let obs = segment(&toks, &|s| fast2s::convert(s), &units);
        let cands: Vec<usize> = (0..obs.len()).collect();
        let got: Vec<(String, How)> =
            assign(&obs, &cands, &m).iter().map(|a| (m.rows[a.row].key.clone(), a.how)).collect();
        let keys: Vec<&str> = got.iter().map(|(k, _)| k.as_str()).collect();
        assert_eq!(keys, ["review.total", "review.upheld", "review.corrected", "review.other", "litigation.total"]);
        assert!(matches!(got[2].1, How::Fuzzy(_)));
        assert_eq!(got[3].1, How::Position);
    }

    #[test]
    fn fit_drops_padding_but_never_guesses() {
        let v = |r: &str| Slot { raw: r.into(), num: crate::extract::numbers::parse_number(r), tok: 0 };
        let e = || Slot { raw: String::new(), num: None, tok: 0 };
        assert_eq!(fit(&[v("2"), v("2"), e()], 2).unwrap().len(), 2);
        assert_eq!(fit(&[e(), v("1"), v("2"), v("3")], 3).unwrap()[0].raw, "1");
        assert!(fit(&[v("1"), v("2")], 3).is_err());
        assert!(fit(&[v("1"), v("2"), v("3"), v("4")], 3).is_err());
        assert_eq!(fit(&[e(), v("4"), v("4")], 3).unwrap()[0].num, None);
    }
}
