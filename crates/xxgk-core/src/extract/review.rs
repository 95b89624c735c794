//! Table 四 (行政复议、行政诉讼): fifteen numbers in a fixed order, printed as one row or as
//! three small tables of five. Its header words carry no row labels, so it is found by a
//! run of value cells after a header that names 复议.

use super::rows::{fit_options, ObsRow, Slot};
use super::tables::{make_fact, TableOut};
use super::tokens::{Pos, Tok};
use crate::config::TableSpec;
use crate::normalize::text_key;

/// Observed rows that hold table 四, with the template row each five-cell block belongs to.
#[derive(Debug, Default)]
pub struct ReviewFind {
    pub blocks: Vec<(usize, Vec<usize>)>,
}

impl ReviewFind {
    pub fn obs(&self) -> impl Iterator<Item = usize> + '_ {
        self.blocks.iter().map(|b| b.0)
    }
}

/// How many observed rows back a small table's caption may stand.
const CAPTION_REACH: usize = 10;

/// How far back (in tokens) the header naming 复议 may stand before the numbers.
const HEADER_REACH: usize = 400;

/// Looks for one 15-cell row, else for three 5-cell rows under their own headers.
/// The row's cells fitted to `k`, or its last line's cells when only they fit: OCR junk
/// digits at the end of a header line run straight into the numbers below them.
/// The last line goes first: blank cells closing a header line would otherwise shift it.
/// Where blank cells at both ends leave several fits, the blocks' own identity (总计 = the
/// four results) picks the one it verifies; if it cannot, the fits must agree.
pub fn fit_block(row: &ObsRow, pos: &[Pos], k: usize) -> Option<Vec<Slot>> {
    let last = pos[row.slots.last()?.tok].line;
    let tail: Vec<Slot> = row.slots.iter().filter(|s| pos[s.tok].line == last).cloned().collect();
    if tail.len() < row.slots.len() {
        if let Some(t) = pick(fit_options(&tail, k), pos).filter(|t| t.iter().any(|s| s.num.is_some())) {
            return Some(t);
        }
    }
    pick(fit_options(&row.slots, k), pos)
}

/// How many different line shapes (cells per line) the slots come from. A table prints its
/// cells in one shape (one per line, five or fifteen per row); a line of blank cells left by
/// a merged header (`|||||` above one-cell lines) is another shape.
fn shapes(slots: &[Slot], pos: &[Pos]) -> usize {
    let mut per_line: Vec<(u32, usize)> = Vec::new();
    for s in slots {
        let line = pos[s.tok].line;
        match per_line.last_mut() {
            Some((l, n)) if *l == line => *n += 1,
            _ => per_line.push((line, 1)),
        }
    }
    let mut counts: Vec<usize> = per_line.iter().map(|p| p.1).collect();
    counts.sort_unstable();
    counts.dedup();
    counts.len()
}

fn pick(options: Vec<(usize, Vec<Slot>)>, pos: &[Pos]) -> Option<Vec<Slot>> {
    let values = |s: &[Slot]| -> Vec<Option<f64>> { s.iter().map(|x| x.num.map(|n| n.value)).collect() };
    let verdict = |s: &[Slot]| -> Option<bool> {
        let v = values(s);
        // A block with a non-zero result but no 总计 is no block either: a blank total means 0.
        let checks: Vec<bool> = v
            .chunks(5)
            .filter(|b| b.len() == 5 && b[..4].iter().any(Option::is_some))
            .filter(|b| b[4].is_some() || b[..4].iter().flatten().any(|&x| x != 0.0))
            .map(|b| (b[..4].iter().flatten().sum::<f64>() - b[4].unwrap_or(0.0)).abs() < 1e-6)
            .collect();
        (!checks.is_empty()).then(|| checks.iter().all(|&c| c))
    };
    // The fit that verifies; of several, the one that keeps the table's single line shape.
    let verified: Vec<(usize, &Vec<Slot>)> =
        options.iter().map(|o| &o.1).filter(|s| verdict(s) == Some(true)).map(|s| (shapes(s, pos), s)).collect();
    if let Some(fewest) = verified.iter().map(|v| v.0).min() {
        if let [(_, one)] = verified.iter().filter(|v| v.0 == fewest).collect::<Vec<_>>().as_slice() {
            return Some((*one).clone());
        }
    }
    let first = options.first()?;
    options.iter().all(|o| values(&o.1) == values(&first.1)).then(|| first.1.clone())
}

pub fn find(
    obs: &[ObsRow],
    toks: &[Tok],
    pos: &[Pos],
    simplify: &dyn Fn(&str) -> String,
    spec: &TableSpec,
) -> ReviewFind {
    let header = |i: usize| {
        let from = obs[i].tok_value.saturating_sub(HEADER_REACH);
        let text: String = toks[from..obs[i].tok_value]
            .iter()
            .filter_map(|t| if let Tok::Text(x) = t { Some(x.as_str()) } else { None })
            .collect();
        text_key(&simplify(&text))
    };
    let n = spec.columns.len();
    let full = |i: usize, k: usize| obs[i].has_value() && fit_block(&obs[i], pos, k).is_some();
    if let Some(i) = (0..obs.len()).find(|&i| full(i, 3 * n) && header(i).contains("复议")) {
        return ReviewFind { blocks: vec![(i, vec![0, 1, 2])] };
    }
    // A small table's caption may stand in a row of empty cells above its header, and OCR
    // junk digits in the header must not cut it off: look back to the previous full block.
    let caption = |i: usize| {
        let floor = i.saturating_sub(CAPTION_REACH);
        let first = (floor..i).rev().find(|&j| full(j, n)).map_or(floor, |j| j + 1);
        let labels: Vec<String> = obs[first..=i].iter().map(ObsRow::label).collect();
        text_key(&simplify(&labels.join(" ")))
    };
    let mut found = ReviewFind::default();
    for i in 0..obs.len() {
        if !full(i, n) {
            continue;
        }
        if let Some(row) = block_row(&caption(i), spec) {
            if found.blocks.iter().all(|b| b.1 != vec![row]) {
                found.blocks.push((i, vec![row]));
            }
        }
    }
    if found.blocks.is_empty() {
        // A department with no reviews or lawsuits prints table 四 as fifteen 无 (or - or /):
        // the table is there, its cells are empty. Only as a last resort, and only written
        // placeholders: a row of blank cells is as often a merged header's remnant.
        if let Some(i) = (0..obs.len()).find(|&i| nothing_to_report(&obs[i], 3 * n) && header(i).contains("复议")) {
            found.blocks.push((i, vec![0, 1, 2]));
        }
    }
    found
}

/// A row of exactly `k` cells, each a written placeholder and none a number.
fn nothing_to_report(row: &ObsRow, k: usize) -> bool {
    row.slots.len() == k && row.slots.iter().all(|s| s.num.is_none() && !s.raw.trim().is_empty())
}

/// Which of the three blocks a small table's header announces: the block label printed last.
fn block_row(key: &str, spec: &TableSpec) -> Option<usize> {
    (0..spec.rows.len())
        .filter_map(|r| {
            spec.rows[r]
                .labels
                .iter()
                .filter_map(|l| key.rfind(&text_key(l)).map(|p| p + l.len()))
                .max()
                .map(|p| (p, r))
        })
        .max()
        .map(|(_, r)| r)
}

pub fn extract(obs: &[ObsRow], pos: &[Pos], found: &ReviewFind, spec: &TableSpec) -> TableOut {
    let mut out = TableOut::default();
    let cols: Vec<&str> = spec.columns.iter().map(|c| c.key()).collect();
    for (o, rows) in &found.blocks {
        let Some(slots) = fit_block(&obs[*o], pos, cols.len() * rows.len()) else { continue };
        for (b, &r) in rows.iter().enumerate() {
            let row_key = &spec.rows[r].key;
            out.rows_found += 1;
            for (c, col) in cols.iter().enumerate() {
                let col_label = spec.column_labels.get(c).and_then(|l| l.first()).cloned();
                let label = spec.rows[r].labels[0].clone();
                let slot = &slots[b * cols.len() + c];
                out.facts.push(make_fact(&spec.table, row_key, col, col_label, &label, slot, &mut out.warnings));
            }
        }
    }
    if !found.blocks.is_empty() && out.rows_found < 3 {
        out.warnings.push(format!("review_litigation: only {} of 3 blocks found", out.rows_found));
    }
    out
}

#[cfg(test)]
mod tests {
    use crate::process::process_text;

    /// Table 四 one cell per line, under header lines that end in a row of blank cells left
    /// by merged headers. `values` are the 15 cells (None = blank).
    fn table_four(values: &[Option<u32>; 15]) -> String {
        let mut t = String::from("四、因政府信息公开工作被申请行政复议、提起行政诉讼情况\n行政复议 |\n行政诉讼 |\n");
        for l in ["结果维持", "结果纠正", "其他结果", "尚未审结", "合计", "未经复议直接起诉", "复议后起诉"]
        {
            t.push_str(&format!("{l} |\n"));
        }
        t.push_str("|||||\n");
        for v in values {
            t.push_str(&v.map_or(" |\n".to_string(), |v| format!("{v} |\n")));
        }
        t.push_str("五、存在的主要问题及改进情况\n");
        t
    }

    fn review_facts(text: &str) -> Vec<(String, String, Option<f64>)> {
        process_text(text)
            .facts
            .iter()
            .filter(|f| f.table == "review_litigation" && f.value.is_some())
            .map(|f| (f.row_key.to_string(), f.col_key.to_string(), f.value))
            .collect()
    }

    /// Table 四 with only direct lawsuits, `cells` as (column, value) of that block, read back.
    fn assert_direct_lawsuits(cells: &[(&str, u32)]) {
        let cols = ["upheld", "corrected", "other", "pending", "total"];
        let mut v = [None; 15];
        for (c, x) in cells {
            v[5 + cols.iter().position(|k| k == c).unwrap()] = Some(*x);
        }
        let want: Vec<(String, String, Option<f64>)> =
            cells.iter().map(|(c, x)| ("litigation_direct".to_string(), c.to_string(), Some(f64::from(*x)))).collect();
        assert_eq!(review_facts(&table_four(&v)), want);
    }

    /// Table 四 under its header with the fifteen cells on one line, as a PDF's text prints it.
    fn one_line_table_four(cells: &str) -> String {
        format!(
            "四、因政府信息公开工作被申请行政复议、提起行政诉讼情况\n行政复议\n行政诉讼\n\
             结果维持 结果纠正 其他结果 尚未审结 总计 未经复议直接起诉 复议后起诉\n{cells}\n\
             五、存在的主要问题及改进情况\n"
        )
    }

    #[test]
    fn a_table_four_of_placeholders_is_found_with_empty_cells() {
        let report = process_text(&one_line_table_four(&["无"; 15].join(" ")));
        let cells: Vec<(&str, Option<f64>, &str)> = report
            .facts
            .iter()
            .filter(|f| f.table == "review_litigation")
            .map(|f| (f.row_key.as_str(), f.value, f.raw_value.as_str()))
            .collect();
        assert_eq!(cells.len(), 15, "{cells:?}");
        assert!(cells.iter().all(|c| c.1.is_none() && c.2 == "无"), "{cells:?}");
        assert_eq!(cells[0].0, "review");
        assert_eq!(cells[14].0, "litigation_after_review");
    }

    #[test]
    fn a_row_of_numbers_still_wins_over_placeholders() {
        // The placeholder row comes first, so a fallback tried before the numeric search
        // would take it and leave every cell empty.
        let numbers = ["1", "0", "0", "0", "1", "0", "0", "0", "0", "0", "0", "0", "0", "0", "0"].join(" ");
        let text = one_line_table_four(&format!("{}\n{numbers}", ["无"; 15].join(" ")));
        assert_eq!(
            review_facts(&text).iter().filter(|f| f.2 != Some(0.0)).cloned().collect::<Vec<_>>(),
            vec![
                ("review".to_string(), "upheld".to_string(), Some(1.0)),
                ("review".to_string(), "total".to_string(), Some(1.0))
            ]
        );
    }

    #[test]
    fn a_blank_header_line_is_not_taken_for_the_first_cells() {
        // Dropping the five trailing blanks instead of the header line's would verify too, as
        // lawsuits after review.
        assert_direct_lawsuits(&[("upheld", 2), ("other", 1), ("total", 3)]);
    }

    #[test]
    fn a_block_with_results_but_a_blank_total_does_not_verify_a_fit() {
        // Shifted by one, [_, 1, _, _, 1] would pass as a block totalling 1 next to
        // [2, _, _, _, _], a block with a result and no 总计.
        assert_direct_lawsuits(&[("upheld", 1), ("pending", 1), ("total", 2)]);
    }
}
