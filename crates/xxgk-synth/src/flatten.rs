//! "Cells run together": a table 三 row printed as one digit string
//! (`640020470` for 64|0|0|2|0|4|70), as crawled pages do. A row is only
//! flattened where brute force finds exactly one split that fits the
//! identities, so the expected facts stay the only reading.

use crate::checks;
use crate::model::{facts_of, Num, PCell, PTable, Tags, APP_COLS};
use crate::rng::Rng;

/// Longest digit string we flatten; keeps the brute force small.
const MAX_DIGITS: usize = 22;

/// Every way to cut `digits` into `parts` numbers without leading zeros.
pub fn splits(digits: &str, parts: usize) -> Vec<Vec<i64>> {
    let mut out = Vec::new();
    let mut cur = Vec::new();
    cut(digits.as_bytes(), parts, &mut cur, &mut out);
    out
}

fn cut(rest: &[u8], parts: usize, cur: &mut Vec<i64>, out: &mut Vec<Vec<i64>>) {
    if parts == 0 {
        if rest.is_empty() {
            out.push(cur.clone());
        }
        return;
    }
    let max_len = rest.len().saturating_sub(parts - 1).min(12);
    for len in 1..=max_len {
        if len > 1 && rest[0] == b'0' {
            break;
        }
        let v: i64 = std::str::from_utf8(&rest[..len]).expect("ascii digits").parse().expect("digits");
        cur.push(v);
        cut(&rest[len..], parts - 1, cur, out);
        cur.pop();
    }
}

/// Splits of a 7-number row whose first six add up to the seventh.
pub fn row_splits(digits: &str) -> Vec<Vec<i64>> {
    splits(digits, 7).into_iter().filter(|s| s[..6].iter().sum::<i64>() == s[6]).collect()
}

fn row_digits(t: &PTable, key: &str) -> Option<String> {
    let row = t.row(key)?;
    row.cells.iter().all(|(_, c)| c.is_bare_int()).then(|| row.cells.iter().map(|(_, c)| c.text.as_str()).collect())
}

/// Splits that also keep every column identity of the whole table.
fn table_consistent(tables: &[PTable], app: usize, key: &str, cands: &[Vec<i64>]) -> usize {
    cands
        .iter()
        .filter(|split| {
            let mut trial = tables.to_vec();
            for (col, v) in APP_COLS.iter().zip(split.iter()) {
                *trial[app].get_mut(key, col).expect("cell") = PCell::num(Num::Int(*v));
            }
            checks::failing(&facts_of(&trial)).is_empty()
        })
        .count()
}

/// Picks up to three rows of table 三 to print run together. Rows need a
/// unique split under Σ6 = 总计 alone; a single flattened row may instead be
/// unique once the column identities are used too.
pub fn choose_rows(tables: &[PTable], rng: &mut Rng, tags: &mut Tags) -> Vec<String> {
    let Some(app) = tables.iter().position(|t| t.name == "applications") else {
        return Vec::new();
    };
    let want = rng.int(1, 3) as usize;
    let mut keys: Vec<String> = tables[app].rows.iter().map(|r| r.key.clone()).collect();
    for i in (1..keys.len()).rev() {
        keys.swap(i, rng.below(i + 1));
    }
    let mut chosen = Vec::new();
    let mut needs_columns = None;
    for key in keys {
        let Some(digits) = row_digits(&tables[app], &key) else {
            continue;
        };
        if digits.len() > MAX_DIGITS || digits.len() <= 7 {
            continue; // all-single-digit rows are trivially unique: not interesting
        }
        let cands = row_splits(&digits);
        if cands.len() == 1 {
            chosen.push(key);
        } else if needs_columns.is_none() && table_consistent(tables, app, &key, &cands) == 1 {
            needs_columns = Some(key);
        }
        if chosen.len() == want {
            break;
        }
    }
    if chosen.is_empty() {
        if let Some(key) = needs_columns {
            tags.add("t3:run-together-row-needs-column-identities");
            chosen.push(key);
        }
    }
    if !chosen.is_empty() {
        tags.add("t3:cells-run-together");
    }
    chosen
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn brief_example_is_unique() {
        assert_eq!(row_splits("640020470"), vec![vec![64, 0, 0, 2, 0, 4, 70]]);
    }

    #[test]
    fn splits_reassemble_and_respect_leading_zeros() {
        for digits in ["1010000020", "3001003", "12120000024", "640020470"] {
            for split in splits(digits, 7) {
                let joined: String = split.iter().map(|v| v.to_string()).collect();
                assert_eq!(joined, digits);
            }
        }
        // 10|10|0|0|0|0|20 and 1|0|1|0|0|0|0020 (invalid): one reading only.
        assert_eq!(row_splits("1010000020"), vec![vec![10, 10, 0, 0, 0, 0, 20]]);
        // 3|2|20|0|5|0|30 and 3|22|0|0|5|0|30: not flattenable on its own.
        assert_eq!(row_splits("322005030").len(), 2);
    }
}
