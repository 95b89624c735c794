//! True numbers of the 2019/2021 tables (二, 三, 四), generated so that every
//! identity of SCHEMA.md holds; printing and corruption come later.

use crate::issuers::{Issuer, Kind, Level};
use crate::model::*;
use crate::rng::Rng;

/// How busy an issuer is: a province gets thousands of requests, a bureau a few.
#[derive(Clone, Copy, Debug)]
pub struct Scale {
    pub apps_lo: i64,
    pub apps_hi: i64,
    /// Multiplier for activity counts (decisions, penalties, procurement).
    pub activity: i64,
}

pub fn scale_of(issuer: &Issuer, rng: &mut Rng) -> Scale {
    let (lo, hi, activity) = match (issuer.kind, issuer.level()) {
        (Kind::Government, Level::Province) => (300, 6000, 100),
        (Kind::Government, Level::City) => (80, 3500, 30),
        (Kind::Government, Level::County) => (5, 500, 5),
        (Kind::Department, Level::County) => (0, 15, 1),
        (Kind::Department, _) => (0, 80, 3),
    };
    // Some bureaus receive nothing at all (seed 002 prints a table of zeros).
    if issuer.kind == Kind::Department && rng.chance(0.15) {
        return Scale { apps_lo: 0, apps_hi: 0, activity };
    }
    Scale { apps_lo: lo, apps_hi: hi, activity }
}

const APPLICANT_WEIGHTS: [u32; 6] = [850, 80, 5, 10, 35, 20];

/// Weights of the result rows, in table order. `split_other` picks the 2021
/// three-row （六） instead of the single `other` row.
fn result_rows(split_other: bool) -> Vec<(&'static str, u32)> {
    let mut rows: Vec<(&'static str, u32)> = vec![("granted", 400), ("partially_granted", 90)];
    let tail = |keys: &[&'static str], w: &[u32]| keys.iter().copied().zip(w.iter().copied()).collect::<Vec<_>>();
    rows.extend(tail(&DENIED, &[6, 25, 4, 20, 15, 18, 6, 40]));
    rows.extend(tail(&UNAVAILABLE, &[260, 30, 12]));
    rows.extend(tail(&NOT_PROCESSED, &[30, 25, 3, 4, 6]));
    if split_other {
        rows.extend(tail(&OTHER_SPLIT, &[20, 3, 35]));
    } else {
        rows.push(("other", 40));
    }
    rows
}

/// Table 三: columns balance, results add up, every row's total is the sum
/// of the six applicant columns.
pub fn applications(scale: Scale, split_other: bool, carried_in: Option<[i64; 6]>, rng: &mut Rng) -> TrueTable {
    let results = result_rows(split_other);
    let received = rng.magnitude(scale.apps_lo, scale.apps_hi);
    let carried = if rng.chance(0.6) { rng.int(0, received / 12 + 1) } else { 0 };
    let mut weights = APPLICANT_WEIGHTS;
    for w in weights.iter_mut().skip(1) {
        if rng.chance(0.35) {
            *w = 0; // many reports have whole applicant columns of zeros
        }
    }
    let new_c = rng.spread(received, &weights);
    let carried_c = match carried_in {
        Some(c) => c.to_vec(),
        None => rng.spread(carried, &weights),
    };
    let mut columns: Vec<Vec<i64>> = Vec::new(); // per applicant: values by row
    let row_weights: Vec<u32> = results.iter().map(|(_, w)| if rng.chance(0.3) { 0 } else { *w }).collect();
    for c in 0..6 {
        let inflow = new_c[c] + carried_c[c];
        let forward = if inflow > 0 && rng.chance(0.5) { rng.int(0, inflow / 15 + 1).min(inflow) } else { 0 };
        let mut col = vec![new_c[c], carried_c[c]];
        let mut w = row_weights.clone();
        if w.iter().all(|&x| x == 0) {
            w[0] = 1;
        }
        col.extend(rng.spread(inflow - forward, &w));
        col.push(inflow - forward);
        col.push(forward);
        columns.push(col);
    }
    let mut keys = vec!["new_received", "carried_over"];
    keys.extend(results.iter().map(|(k, _)| *k));
    keys.extend(["total_processed", "carried_forward"]);
    let mut t = Table::new("applications");
    for (i, key) in keys.iter().enumerate() {
        let vals: Vec<i64> = (0..6).map(|c| columns[c][i]).collect();
        let mut cells: Vec<(&'static str, Num)> =
            APPLICANTS.iter().zip(&vals).map(|(c, v)| (*c, Num::Int(*v))).collect();
        cells.push(("total", Num::Int(vals.iter().sum())));
        t.push(key, cells);
    }
    t
}

/// Table 四: three rows of upheld/corrected/other/pending with their total.
pub fn review_litigation(scale: Scale, rng: &mut Rng) -> TrueTable {
    let mut t = Table::new("review_litigation");
    let cap = (scale.apps_hi / 25).max(2);
    for (i, row) in REVIEW_ROWS.iter().enumerate() {
        let n = if rng.chance(0.35) { 0 } else { rng.magnitude(0, cap / (i as i64 + 1)) };
        let parts = rng.spread(n, &[5, 2, 3, 1]);
        let mut cells: Vec<(&'static str, Num)> =
            REVIEW_COLS[..4].iter().zip(&parts).map(|(c, v)| (*c, Num::Int(*v))).collect();
        cells.push(("total", Num::Int(n)));
        t.push(row, cells);
    }
    t
}

/// A decimal amount in 万元 with up to `max_scale` decimals.
pub fn amount_wan(rng: &mut Rng, hi_wan: i64, max_scale: u8) -> Num {
    let scale = rng.int(0, i64::from(max_scale)) as u8;
    let p = 10i64.pow(u32::from(scale));
    let whole = rng.magnitude(0, hi_wan);
    Num::Dec { units: whole * p + rng.int(0, p - 1), scale }
}

fn triple(rng: &mut Rng, hi: i64) -> (i64, i64, i64) {
    let made = if rng.chance(0.4) { 0 } else { rng.magnitude(0, hi) };
    let published = if rng.chance(0.85) { made } else { rng.int(0, made) };
    (made, published, published + rng.magnitude(0, hi * 8))
}

fn ints(cols: &[&'static str], vals: &[i64]) -> Vec<(&'static str, Num)> {
    cols.iter().zip(vals).map(|(c, v)| (*c, Num::Int(*v))).collect()
}

/// Table 二 of the 2019 format: counts, signed deltas, procurement amount.
pub fn active_2019(scale: Scale, rng: &mut Rng) -> TrueTable {
    let mut t = Table::new("active_disclosure");
    let a = scale.activity;
    for (key, hi) in [("rules", a / 10 + 1), ("normative_docs", a * 2 + 3)] {
        let (m, p, tot) = triple(rng, hi);
        t.push(key, ints(&["made", "published", "total_published"], &[m, p, tot]));
    }
    for (key, hi) in [("licensing", a * 40), ("other_services", a * 40), ("penalty", a * 60), ("coercion", a * 8)] {
        let prev = rng.magnitude(0, hi);
        let change = rng.int(-(prev / 3), prev / 4 + 3);
        let decisions = rng.magnitude(0, hi * 20);
        t.push(key, ints(&["prev_items", "change", "decisions"], &[prev, change, decisions]));
    }
    let fee_prev = rng.magnitude(0, 40);
    t.push("fees", ints(&["prev_items", "change"], &[fee_prev, rng.int(-(fee_prev / 4), 3)]));
    let projects = rng.magnitude(0, a * 40 + 5);
    let amount = if projects == 0 { Num::Int(0) } else { amount_wan(rng, a * 2000 + 50, 4) };
    t.push("procurement", vec![("projects", Num::Int(projects)), ("amount_wan", amount)]);
    t
}

/// Table 二 of the 2021 format: 制发/废止/现行有效, decisions, fee amount.
pub fn active_2021(scale: Scale, rng: &mut Rng) -> TrueTable {
    let mut t = Table::new("active_disclosure");
    let a = scale.activity;
    for (key, hi) in [("rules", a / 10 + 1), ("normative_docs", a * 2 + 3)] {
        let (issued, _, _) = triple(rng, hi);
        let repealed = rng.int(0, issued + 2);
        let in_force = issued + rng.magnitude(0, hi * 10);
        t.push(key, ints(&["issued", "repealed", "in_force"], &[issued, repealed, in_force]));
    }
    for (key, hi) in [("licensing", a * 800), ("penalty", a * 1500), ("coercion", a * 100)] {
        t.push(key, vec![("decisions", Num::Int(rng.magnitude(0, hi)))]);
    }
    let fee = if rng.chance(0.2) { Num::Int(0) } else { amount_wan(rng, a * 1500 + 20, 3) };
    t.push("fees", vec![("amount_wan", fee)]);
    t
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::issuers::ISSUERS;

    fn int(t: &TrueTable, r: &str, c: &str) -> i64 {
        match t.get(r, c) {
            Some(Num::Int(v)) => *v,
            other => panic!("{r}/{c}: {other:?}"),
        }
    }

    #[test]
    fn applications_satisfy_identities() {
        for seed in 0..200 {
            let mut rng = Rng::for_doc(seed, 0);
            let scale = scale_of(&ISSUERS[seed as usize % ISSUERS.len()], &mut rng);
            let t = applications(scale, seed % 2 == 0, None, &mut rng);
            for c in APP_COLS {
                let lhs = int(&t, "new_received", c) + int(&t, "carried_over", c);
                assert_eq!(lhs, int(&t, "total_processed", c) + int(&t, "carried_forward", c));
                let sum: i64 = t.rows.iter().filter(|r| is_result_row(&r.key)).map(|r| int(&t, &r.key, c)).sum();
                assert_eq!(sum, int(&t, "total_processed", c));
            }
            for r in &t.rows {
                let six: i64 = APPLICANTS.iter().map(|c| int(&t, &r.key, c)).sum();
                assert_eq!(six, int(&t, &r.key, "total"));
            }
        }
    }
}
