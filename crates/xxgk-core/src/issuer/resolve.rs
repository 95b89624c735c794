//! From printed division names to one table row: parents, the report year, then context.

use super::context::Evidence;
use super::divisions::{Division, Divisions};

/// A resolved row (index into the table) or None, with what had to be guessed.
pub(crate) struct Resolution {
    pub row: Option<usize>,
    pub warnings: Vec<String>,
}

/// Resolve a printed chain of name entries (淮安市, 洪泽区), most specific last.
pub(crate) fn resolve_chain(divs: &Divisions, chain: &[usize], year: Option<i32>, ev: &Evidence) -> Resolution {
    let mut warnings = Vec::new();
    let Some(&last) = chain.last() else {
        return Resolution { row: None, warnings };
    };
    let name = divs.names.entry(last).text.clone();
    let mut cands = divs.names.entry(last).full.clone();
    for &outer in &chain[..chain.len() - 1] {
        let parents = &divs.names.entry(outer).full;
        let inside: Vec<usize> =
            cands.iter().copied().filter(|&c| parents.iter().any(|&p| divs.row(p).contains(divs.row(c)))).collect();
        if inside.is_empty() {
            warnings.push(format!(
                "printed parent {} does not contain {name}; parent ignored",
                divs.names.entry(outer).text
            ));
        } else {
            cands = inside;
        }
    }
    cands = by_year(divs, cands, year, &name, &mut warnings);
    drop_superseded(divs, &mut cands);
    let row = match cands.as_slice() {
        [one] => Some(*one),
        _ => by_context(divs, &cands, last, ev, &mut warnings),
    };
    Resolution { row, warnings }
}

/// Keep the rows valid in `year`; with no year, the current ones. When none is
/// valid that year the nearest in time is kept, and said so.
fn by_year(
    divs: &Divisions,
    cands: Vec<usize>,
    year: Option<i32>,
    name: &str,
    warnings: &mut Vec<String>,
) -> Vec<usize> {
    let keep = |pred: &dyn Fn(&Division) -> bool| -> Vec<usize> {
        cands.iter().copied().filter(|&c| pred(divs.row(c))).collect()
    };
    let Some(y) = year else {
        let current = keep(&|d| d.is_current());
        return if current.is_empty() { cands } else { current };
    };
    let valid = keep(&|d| d.valid_in(y));
    if !valid.is_empty() {
        return valid;
    }
    let distance = |d: &Division| (d.valid_from - y).max(y - d.valid_to.unwrap_or(y)).max(0);
    let best = cands.iter().map(|&c| distance(divs.row(c))).min().unwrap_or(0);
    warnings.push(format!("no code of {name} valid in {y}; the nearest in time is used"));
    keep(&|d| distance(d) == best)
}

/// A row that ended while a newer same-named row of the same province went on
/// is that place recoded (钢城区 371203 → 370117 in 2019; 三元区 350403 → 350404,
/// whose years overlap because the lists date the change only to 2021–2026):
/// keep the new one.
fn drop_superseded(divs: &Divisions, cands: &mut Vec<usize>) {
    let rows: Vec<&Division> = cands.iter().map(|&c| divs.row(c)).collect();
    let superseded = |a: &Division| {
        let Some(end) = a.valid_to else { return false };
        rows.iter().any(|b| {
            let same_place = b.code != a.code && b.name == a.name && b.code[..2] == a.code[..2];
            same_place && b.valid_from > a.valid_from && b.valid_to.is_none_or(|t| t > end)
        })
    };
    let keep: Vec<usize> = cands.iter().copied().filter(|&c| !superseded(divs.row(c))).collect();
    if !keep.is_empty() {
        *cands = keep;
    }
    cands.dedup_by_key(|c| divs.row(*c).code.clone());
}

/// Choose among same-named rows by what the text says; None unless one clearly leads.
fn by_context(
    divs: &Divisions,
    cands: &[usize],
    entry: usize,
    ev: &Evidence,
    warnings: &mut Vec<String>,
) -> Option<usize> {
    let name = &divs.names.entry(entry).text;
    let mut scored: Vec<(u32, usize, Vec<String>)> = cands
        .iter()
        .map(|&c| {
            let (s, why) = ev.score(divs, divs.row(c), entry);
            (s, c, why)
        })
        .collect();
    scored.sort_by_key(|(s, c, _)| (std::cmp::Reverse(*s), *c));
    let listing = cands.iter().map(|&c| describe(divs, divs.row(c))).collect::<Vec<_>>().join(", ");
    let (best, second) = (scored[0].0, scored.get(1).map_or(0, |s| s.0));
    if best >= 1 && best >= 2 * second {
        let row = divs.row(scored[0].1);
        let why = scored[0].2.join(", ");
        warnings.push(format!(
            "ambiguous division name {name} ({listing}) resolved by context to {}: {why}",
            describe(divs, row)
        ));
        return Some(scored[0].1);
    }
    warnings.push(format!("ambiguous division name {name} ({listing}); context does not decide, division left null"));
    None
}

/// "220104 吉林省长春市朝阳区".
pub(crate) fn describe(divs: &Divisions, row: &Division) -> String {
    let path: String = divs.ancestry(row, None).iter().map(|d| d.name.as_str()).collect();
    format!("{} {path}", row.code)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn resolve(names: &[&str], year: Option<i32>, text: &str) -> Resolution {
        let divs = Divisions::embedded();
        let ev = Evidence::gather(divs, text);
        let chain: Vec<usize> = names.iter().map(|n| divs.names.chain_at_start(n).0[0]).collect();
        resolve_chain(divs, &chain, year, &ev)
    }

    fn code(r: &Resolution) -> Option<&str> {
        r.row.map(|i| Divisions::embedded().row(i).code.as_str())
    }

    #[test]
    fn unique_and_parented() {
        assert_eq!(code(&resolve(&["苏家屯区"], Some(2020), "")), Some("210111"));
        assert_eq!(code(&resolve(&["长春市", "朝阳区"], Some(2020), "")), Some("220104"));
    }

    #[test]
    fn historical_codes_by_year() {
        assert_eq!(code(&resolve(&["钢城区"], Some(2015), "")), Some("371203"));
        assert_eq!(code(&resolve(&["钢城区"], Some(2019), "")), Some("370117"));
        assert_eq!(code(&resolve(&["钢城区"], None, "")), Some("370117"));
        assert_eq!(code(&resolve(&["三元区"], Some(2022), "")), Some("350404"));
        let r = resolve(&["洪泽县"], Some(2020), "");
        assert_eq!(code(&r), Some("320829"));
        assert!(r.warnings[0].contains("no code of 洪泽县 valid in 2020"));
    }

    #[test]
    fn ambiguity_needs_context() {
        let r = resolve(&["朝阳区"], Some(2020), "朝阳区人民政府");
        assert_eq!(code(&r), None);
        assert!(r.warnings[0].contains("ambiguous division name 朝阳区"));
        let r = resolve(&["朝阳区"], Some(2020), "朝阳区人民政府 电话 0431-85555555");
        assert_eq!(code(&r), Some("220104"));
        assert!(r.warnings[0].contains("resolved by context"));
        assert_eq!(code(&resolve(&["鼓楼区"], Some(2020), "福建省鼓楼区")), Some("350102"));
    }
}
