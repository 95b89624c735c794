//! Deliberate inconsistencies: one printed number changed so that at least
//! one identity fails, as real reports do (a 总计 printed 0, a typo'd digit).

use crate::checks;
use crate::model::{facts_of, Num, PCell, PTable, Tags};
use crate::rng::Rng;

/// Legacy rows whose cells take part in a DATASETS.md check.
fn legacy_checked(row: &str, aggregate: bool) -> bool {
    aggregate || row.starts_with("applications.received") || row.starts_with("org.staff") || row.starts_with("review.")
}

/// Cells that may be changed: printed bare integers of checked tables.
fn candidates(tables: &[PTable]) -> Vec<(usize, String, &'static str)> {
    let mut out = Vec::new();
    for (ti, t) in tables.iter().enumerate() {
        let aggregate = t.rows.iter().any(|r| r.cells.iter().any(|(c, _)| *c == "all"));
        for r in t.rows.iter().filter(|r| r.listed) {
            let usable = match t.name {
                "applications" | "review_litigation" => true,
                "legacy_stats" => legacy_checked(&r.key, aggregate),
                _ => false,
            };
            for (c, cell) in r.cells.iter().filter(|_| usable) {
                if cell.is_bare_int() {
                    out.push((ti, r.key.clone(), *c));
                }
            }
        }
    }
    out
}

/// A wrong value near `v`: off by some, zeroed, or two digits swapped.
fn wrong_value(v: i64, rng: &mut Rng) -> (i64, &'static str) {
    let swapped: i64 = {
        let mut d: Vec<char> = v.to_string().chars().collect();
        if d.len() >= 2 {
            d.swap(0, 1);
        }
        // "07" would print as 7: only swaps that keep the digit count
        let s: String = d.iter().collect();
        if s.starts_with('0') {
            v
        } else {
            s.parse().unwrap_or(v)
        }
    };
    let mut modes = vec!["increased"];
    if v > 0 {
        modes.push("zeroed");
        modes.push("decreased");
    }
    if swapped != v {
        modes.push("digits-swapped");
    }
    match *rng.pick(&modes) {
        "zeroed" => (0, "zeroed"),
        "decreased" => (v - rng.int(1, (v / 5).max(1)).min(v), "decreased"),
        "digits-swapped" => (swapped, "digits-swapped"),
        _ => (v + rng.int(1, (v / 5).max(1)), "increased"),
    }
}

/// Changes one printed cell so that some check fails; returns the failing
/// ids, or `None` when no candidate cell could break a check.
pub fn corrupt(tables: &mut [PTable], rng: &mut Rng, tags: &mut Tags) -> Option<Vec<String>> {
    let cands = candidates(tables);
    // Most cells are 0–9; half the time take a multi-digit one so that every
    // kind of error (a swapped digit needs two) is common enough.
    let big: Vec<_> =
        cands.iter().filter(|(ti, r, c)| tables[*ti].get(r, c).is_some_and(|p| p.text.len() >= 2)).cloned().collect();
    for _ in 0..30 {
        if cands.is_empty() {
            return None;
        }
        let pool = if !big.is_empty() && rng.chance(0.5) { &big } else { &cands };
        let (ti, row, col) = pool[rng.below(pool.len())].clone();
        let cell = tables[ti].get_mut(&row, col).expect("candidate exists");
        let old = cell.clone();
        let Some(Num::Int(v)) = old.value else {
            continue;
        };
        let (new, how) = wrong_value(v, rng);
        *cell = PCell::num(Num::Int(new));
        let failing = checks::failing(&facts_of(tables));
        if !failing.is_empty() {
            tags.add(format!("corrupt:{how}"));
            tags.add(format!("corrupt-cell:{}/{row}/{col}", tables[ti].name));
            return Some(failing);
        }
        *tables[ti].get_mut(&row, col).expect("candidate exists") = old;
    }
    None
}
