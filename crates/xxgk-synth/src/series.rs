//! Multi-year series: with `Options::series_years = k`, documents `s*k .. s*k+k` are the same
//! issuer's reports for consecutive years (2019 onwards), and each year's 上年结转 row is the
//! previous year's 结转下年度 row, except in a share of years where it is changed on
//! purpose (the expected JSON says which), so continuity checks and year-over-year values
//! can be tested.

use crate::generate::{one, Options};
use crate::rng::{mix, Rng};
use crate::spec::{DocKind, Spec, Template};
use serde_json::Value;

/// Share of later years whose carried-over row does not match the year before.
const BREAK_SHARE: f64 = 0.2;

/// Where a document sits in its series.
#[derive(Clone, Copy, Debug, serde::Serialize)]
pub struct Position {
    pub series: usize,
    pub year_index: usize,
    /// carried_over equals the previous report's carried_forward in every column.
    pub continuity_consistent: bool,
}

/// Turns the spec of document `index` into its series' report for its year.
pub fn apply(spec: &mut Spec, seed: u64, index: usize, opts: &Options) -> Position {
    let k = opts.series_years;
    let (series, year_index) = (index / k, index % k);
    let mut srng = Rng::for_doc(seed ^ mix(0x5e71e5), series as u64);
    let last_start = (2025 - k as i64).max(2019);
    let fits: Vec<_> = opts.issuers.issuers().iter().filter(|i| i.since <= 2019).collect();
    // Distinct issuers for the first fits.len() series, so series never overlap by chance.
    let offset = (mix(seed) % fits.len() as u64) as usize;
    spec.issuer = fits[(offset + series) % fits.len()];
    spec.year = srng.int(2019, last_start) as i32 + year_index as i32;
    spec.template = if spec.year <= 2020 { Template::Y2019 } else { Template::Y2021 };
    spec.kind = DocKind::Report;
    spec.corrupt = false;
    if let Some(p) = spec.published.as_mut() {
        p.y = spec.year + 1;
    }
    let consistent = year_index == 0 || !Rng::for_doc(seed ^ mix(0xc0), index as u64).chance(BREAK_SHARE);
    if year_index > 0 {
        let mut carried = carried_forward(&one(seed, index - 1, opts).expected_json);
        if !consistent {
            let c = srng.int(0, 5) as usize;
            carried[c] += srng.int(1, 9);
        }
        spec.carried_in = Some(carried);
    }
    Position { series, year_index, continuity_consistent: consistent }
}

/// The six applicant cells of a report's 结转下年度 row (a blank cell is 0).
fn carried_forward(expected: &Value) -> [i64; 6] {
    const COLS: [&str; 6] = ["natural_person", "business", "research", "social_org", "legal_service", "other_org"];
    let mut out = [0; 6];
    for f in expected["facts"].as_array().into_iter().flatten() {
        if f[0] == "applications" && f[1] == "carried_forward" {
            if let Some(c) = COLS.iter().position(|c| f[2] == *c) {
                out[c] = f[3].as_f64().unwrap_or(0.0) as i64;
            }
        }
    }
    out
}
