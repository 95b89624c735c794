//! Table 三 rows that a crawled page flattened into one digit string (`640020470` for
//! 64|0|0|2|0|4|70): split by the table's identities (`runon`), only where the split is unique.

use super::numbers::parse_number;
use super::rows::{Assigned, Slot};
use super::runon::{resolve, RowCells, Split};
use super::tables::{Ctx, RowTable};
use std::collections::BTreeMap;

/// Fewer digits than cells cannot be a flattened row.
const MIN_DIGITS: usize = 7;

/// The digit string of a row printed as one run of digits, if it is one.
fn digit_run(slots: &[Slot]) -> Option<&str> {
    let filled: Vec<&Slot> = slots.iter().filter(|s| s.num.is_some() || !s.raw.is_empty()).collect();
    let [one] = filled.as_slice() else { return None };
    let raw = one.raw.trim();
    (raw.len() >= MIN_DIGITS && raw.bytes().all(|b| b.is_ascii_digit())).then_some(raw)
}

/// Splits of every flattened row, by observed row; warnings for those left out.
pub fn split_rows(
    table: &RowTable,
    ctx: &Ctx,
    assigned: &[Assigned],
    pad: Option<usize>,
    warnings: &mut Vec<String>,
) -> BTreeMap<usize, Vec<Slot>> {
    let n = table.columns.len();
    let rows: Vec<&Assigned> = assigned.iter().filter(|a| !table.matcher.rows[a.row].group).collect();
    if !rows.iter().any(|a| digit_run(&ctx.obs[a.obs].slots).is_some()) {
        return BTreeMap::new();
    }
    let mut input = Vec::new();
    let mut flat = Vec::new();
    for a in &rows {
        let key = table.matcher.rows[a.row].key.clone();
        if let Some(run) = digit_run(&ctx.obs[a.obs].slots) {
            input.push((key, RowCells::RunTogether(run.to_string())));
            flat.push((a.obs, run.to_string()));
        } else if let Ok(cells) = table.fitted(ctx, a, n, pad) {
            input.push((key, RowCells::Known(cells.iter().map(|c| c.num.map(|v| v.value)).collect())));
        }
    }
    let mut out = BTreeMap::new();
    for ((obs, run), (key, split)) in flat.into_iter().zip(resolve(&input)) {
        match split {
            Split::Unique(values) => {
                warnings.push(format!(
                    "applications: row {key} printed as one digit run '{run}', split by the table's identities"
                ));
                let tok = ctx.obs[obs].slots.first().map_or(0, |s| s.tok);
                out.insert(obs, values.iter().map(|v| cell(*v, tok)).collect());
            }
            Split::Ambiguous(k) => warnings.push(format!(
                "applications: row {key} printed as one digit run '{run}'; {k} splits fit the identities, left out"
            )),
            Split::Impossible => warnings.push(format!(
                "applications: row {key} printed as one digit run '{run}'; no split fits the identities, left out"
            )),
        }
    }
    out
}

fn cell(v: f64, tok: usize) -> Slot {
    let raw = format!("{v}");
    Slot { num: parse_number(&raw), raw, tok }
}
