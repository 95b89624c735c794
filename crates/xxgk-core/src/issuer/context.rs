//! Evidence from the whole document: the places it names and its telephone area codes.

use std::collections::HashMap;

use super::divisions::{Division, Divisions};
use super::names::{Mention, NameEntry};
use super::text::area_codes;

/// Points for a place that contains the candidate, by how it is named.
const FULL_NAME: u32 = 2;
const SHORT_NAME: u32 = 1;
/// The parent printed right before the ambiguous name (长春市朝阳区).
const ADJACENT: u32 = 3;
/// A telephone number with the candidate's area code.
const PHONE: u32 = 3;

/// Everything in a document that can tell two same-named divisions apart.
pub(crate) struct Evidence {
    pub mentions: Vec<Mention>,
    /// (area code, division codes it serves) for each telephone number found.
    phones: Vec<(String, Vec<String>)>,
}

impl Evidence {
    /// One automaton pass over `text` (compact) plus a scan for telephone numbers.
    pub fn gather(divs: &Divisions, text: &str) -> Evidence {
        let mentions = divs.names.scan(text);
        let phones = area_codes(text)
            .into_iter()
            .filter_map(|a| {
                let codes = divs.area_code(&a);
                (!codes.is_empty()).then(|| (a, codes.to_vec()))
            })
            .collect();
        Evidence { mentions, phones }
    }

    /// How strongly the document points to `cand` for the ambiguous name entry `entry`,
    /// with the names and area codes that did so.
    pub fn score(&self, divs: &Divisions, cand: &Division, entry: usize) -> (u32, Vec<String>) {
        let (mut score, mut why) = (0, Vec::new());
        for (k, m) in self.mentions.iter().enumerate() {
            let e = divs.names.entry(m.entry);
            if m.entry == entry {
                continue;
            }
            let contains = |rows: &[usize]| rows.iter().any(|&r| divs.row(r).contains(cand));
            let points = if contains(&e.full) {
                FULL_NAME
            } else if contains(&e.short) {
                SHORT_NAME
            } else {
                0
            };
            if points == 0 {
                continue;
            }
            let next = self.mentions.get(k + 1);
            let adjacent = next.is_some_and(|n| n.start == m.end && n.entry == entry);
            score += points + if adjacent { ADJACENT } else { 0 };
            why.push(e.text.clone());
        }
        for (area, codes) in &self.phones {
            let hit =
                codes.iter().filter_map(|c| divs.by_code(c, None)).any(|d| d.code == cand.code || d.contains(cand));
            if hit {
                score += PHONE;
                why.push(format!("area code {area}"));
            }
        }
        (score, summarise(why))
    }

    /// The full name (passing `pred`) named most often, when it clearly leads:
    /// at least twice and at least twice as often as the next one.
    pub fn dominant(&self, divs: &Divisions, pred: impl Fn(&NameEntry) -> bool) -> Option<(usize, usize)> {
        let mut counts: HashMap<usize, usize> = HashMap::new();
        for m in &self.mentions {
            let e = divs.names.entry(m.entry);
            if !e.full.is_empty() && pred(e) {
                *counts.entry(m.entry).or_default() += 1;
            }
        }
        let mut ranked: Vec<(usize, usize)> = counts.into_iter().collect();
        ranked.sort_by_key(|&(entry, n)| (std::cmp::Reverse(n), entry));
        let (best, n) = *ranked.first()?;
        let second = ranked.get(1).map_or(0, |r| r.1);
        (n >= 2 && n >= 2 * second).then_some((best, n))
    }
}

/// "长春市, 长春市, area code 0431" → ["长春市×2", "area code 0431"].
fn summarise(why: Vec<String>) -> Vec<String> {
    let mut out: Vec<(String, usize)> = Vec::new();
    for w in why {
        match out.iter_mut().find(|(s, _)| *s == w) {
            Some((_, n)) => *n += 1,
            None => out.push((w, 1)),
        }
    }
    out.into_iter().map(|(s, n)| if n > 1 { format!("{s}×{n}") } else { s }).collect()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn scores_parent_names_and_phones() {
        let divs = Divisions::embedded();
        let ev = Evidence::gather(divs, "长春市朝阳区人民政府，电话0431-88888888");
        let entry = ev.mentions[1].entry;
        let changchun = divs.by_code("220104", Some(2020)).unwrap();
        let beijing = divs.by_code("110105", Some(2020)).unwrap();
        let (s, why) = ev.score(divs, changchun, entry);
        assert_eq!(s, FULL_NAME + ADJACENT + PHONE);
        assert_eq!(why, ["长春市", "area code 0431"]);
        assert_eq!(ev.score(divs, beijing, entry).0, 0);
    }

    #[test]
    fn dominant_needs_a_clear_lead() {
        let divs = Divisions::embedded();
        let ev = Evidence::gather(divs, "周口市周口市周口市郑州市");
        let (e, n) = ev.dominant(divs, |e| e.text.ends_with('市')).unwrap();
        assert_eq!((divs.names.entry(e).text.as_str(), n), ("周口市", 3));
        let ev = Evidence::gather(divs, "周口市周口市郑州市郑州市");
        assert!(ev.dominant(divs, |_| true).is_none());
    }
}
