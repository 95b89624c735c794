//! Row-label matching against a table template: exact aliases through one aho-corasick
//! automaton, then a fuzzy fallback (longest common subsequence) for OCR damage and typos
//! that no alias lists. Which rule matched is reported so it can be recorded.

use crate::config::TableSpec;
use crate::normalize::label_key;
use aho_corasick::AhoCorasick;
use std::collections::BTreeMap;

/// Fuzzy matches need this share of the label's characters, in order.
const FUZZY_MIN: f64 = 0.6;
/// …and must beat the next different row by this much, or the label is ambiguous.
const FUZZY_MARGIN: f64 = 0.15;
/// Shorter labels (`规章`) are too easy to hit by chance to match fuzzily.
const FUZZY_MIN_LABEL: usize = 4;

#[derive(Debug, Clone)]
pub struct RowEntry {
    pub key: String,
    pub group: bool,
    pub subtotal_of: Option<String>,
    pub columns: Vec<String>,
}

#[derive(Debug, Clone, Copy, PartialEq)]
pub enum How {
    Exact,
    Fuzzy(f64),
    Position,
}

#[derive(Debug)]
pub struct RowMatcher {
    pub rows: Vec<RowEntry>,
    ac: AhoCorasick,
    /// Per pattern: the rows that print this label (legacy repeats 被依法纠错数 under 四 and 五).
    pat_rows: Vec<Vec<usize>>,
    pat_chars: Vec<usize>,
    /// Distinct labels long enough for fuzzy matching, with the rows that print them.
    fuzzy: Vec<(Vec<char>, Vec<usize>)>,
    /// Per fuzzy label: each character's weight (rare in this table's labels → heavy, as it
    /// tells labels apart), and their sum (precomputed: `score` is the
    /// hottest loop of text documents).
    fuzzy_weights: Vec<(Vec<f64>, f64)>,
}

impl RowMatcher {
    pub fn new(spec: &TableSpec) -> RowMatcher {
        let mut by_label: BTreeMap<String, Vec<usize>> = BTreeMap::new();
        for (i, row) in spec.rows.iter().enumerate() {
            for label in &row.labels {
                let rows = by_label.entry(label_key(label)).or_default();
                if !rows.contains(&i) {
                    rows.push(i);
                }
            }
        }
        let fuzzy: Vec<(Vec<char>, Vec<usize>)> = by_label
            .iter()
            .filter(|(k, _)| k.chars().count() >= FUZZY_MIN_LABEL)
            .map(|(k, rows)| (k.chars().collect(), rows.clone()))
            .collect();
        let weight = char_weights(by_label.keys());
        let fuzzy_weights = fuzzy
            .iter()
            .map(|(label, _)| {
                let w: Vec<f64> = label.iter().map(|c| weight.get(c).copied().unwrap_or(1.0)).collect();
                let total = w.iter().sum();
                (w, total)
            })
            .collect();
        let patterns: Vec<&String> = by_label.keys().collect();
        let ac = AhoCorasick::new(&patterns).expect("label patterns are plain strings");
        let pat_chars = patterns.iter().map(|p| p.chars().count()).collect();
        let rows = spec
            .rows
            .iter()
            .map(|r| RowEntry {
                key: r.key.clone(),
                group: r.group,
                subtotal_of: r.subtotal_of.clone(),
                columns: r.columns.clone(),
            })
            .collect();
        RowMatcher { rows, ac, pat_rows: by_label.into_values().collect(), pat_chars, fuzzy, fuzzy_weights }
    }

    /// The row whose label ends last in `key` (then the longest); shared labels go to the
    /// first such row after `after` in template order.
    pub fn exact(&self, key: &str, after: Option<usize>) -> Option<usize> {
        let rows = self.exact_rows(key);
        let next = rows.iter().copied().find(|&r| after.is_none_or(|a| r > a));
        next.or_else(|| rows.first().copied())
    }

    /// Every row printing the label that ends last in `key` (several for shared labels).
    pub fn exact_rows(&self, key: &str) -> &[usize] {
        let best = self.ac.find_overlapping_iter(key).max_by_key(|m| (m.end(), self.pat_chars[m.pattern().as_usize()]));
        best.map_or(&[], |b| self.pat_rows[b.pattern().as_usize()].as_slice())
    }

    /// Best fuzzy row for a label no alias matched, if it is clearly better than any label
    /// of another row. Characters are weighted by rarity among the table's labels, so the
    /// words that tell 本年新收… from 上年结转… decide, not the shared 政府信息公开申请数量.
    pub fn fuzzy(&self, key: &str, after: Option<usize>) -> Option<(usize, f64)> {
        let text: Vec<char> = key.chars().collect();
        if text.len() < 2 {
            return None;
        }
        let present = CharSet::of(&text);
        let scores: Vec<f64> = (0..self.fuzzy.len()).map(|i| self.score(i, &text, &present)).collect();
        let best = (0..scores.len()).max_by(|&a, &b| scores[a].total_cmp(&scores[b]))?;
        let rows = &self.fuzzy[best].1;
        let row = rows.iter().copied().find(|&r| after.is_none_or(|a| r > a)).unwrap_or(rows[0]);
        let runner_up =
            (0..scores.len()).filter(|&i| !self.fuzzy[i].1.contains(&row)).map(|i| scores[i]).fold(0.0, f64::max);
        (scores[best] >= FUZZY_MIN && scores[best] - runner_up >= FUZZY_MARGIN).then_some((row, scores[best]))
    }

    /// Weighted share of fuzzy label `i` found, in order, in the end of the text. A label
    /// whose characters, in any order, could not reach the lowest score that can still
    /// matter (a winner needs FUZZY_MIN and a margin) scores 0 without the LCS: the
    /// outcome of `fuzzy` is the same. The bound may count a character the text lacks (see
    /// `CharSet`): that only spares fewer labels the LCS.
    fn score(&self, i: usize, text: &[char], present: &CharSet) -> f64 {
        let label = &self.fuzzy[i].0;
        let (weights, total) = &self.fuzzy_weights[i];
        let bound: f64 = label.iter().zip(weights).filter(|(c, _)| present.may_hold(**c)).map(|(_, w)| w).sum();
        if bound / total < FUZZY_MIN - FUZZY_MARGIN {
            return 0.0;
        }
        let window = &text[text.len().saturating_sub(label.len() * 2 + 4)..];
        weighted_lcs(label, weights, window) / total
    }

    /// Similarity of a label to one template row (for the positional rule's sanity check).
    pub fn similarity(&self, key: &str, row: usize) -> f64 {
        let text: Vec<char> = key.chars().collect();
        self.fuzzy
            .iter()
            .filter(|(_, rows)| rows.contains(&row))
            .map(|(label, _)| lcs(label, &text) as f64 / label.len() as f64)
            .fold(0.0, f64::max)
    }
}

/// The characters of a text as a 4,096-bit filter: `may_hold` is true for every character of
/// the text and, rarely, for another that shares its bit. The bound in `score` asks it for
/// each character of ~100 labels, where binary searches were most of the fuzzy matcher's cost.
struct CharSet([u64; 64]);

impl CharSet {
    fn of(text: &[char]) -> CharSet {
        let mut bits = [0u64; 64];
        for &c in text {
            let b = c as usize % 4096;
            bits[b / 64] |= 1 << (b % 64);
        }
        CharSet(bits)
    }

    fn may_hold(&self, c: char) -> bool {
        let b = c as usize % 4096;
        self.0[b / 64] >> (b % 64) & 1 == 1
    }
}

/// Inverse document frequency of each character over the distinct labels.
fn char_weights<'a>(labels: impl Iterator<Item = &'a String>) -> BTreeMap<char, f64> {
    let labels: Vec<&String> = labels.collect();
    let mut df: BTreeMap<char, usize> = BTreeMap::new();
    for l in &labels {
        let mut seen: Vec<char> = l.chars().collect();
        seen.sort_unstable();
        seen.dedup();
        for c in seen {
            *df.entry(c).or_default() += 1;
        }
    }
    let n = labels.len() as f64;
    df.into_iter().map(|(c, d)| (c, (1.0 + n / d as f64).ln())).collect()
}

/// Longest common subsequence where each matched character of `a` counts its weight.
fn weighted_lcs(a: &[char], weights: &[f64], b: &[char]) -> f64 {
    let mut prev = vec![0f64; b.len() + 1];
    let mut cur = vec![0f64; b.len() + 1];
    for (ca, &wa) in a.iter().zip(weights) {
        for (j, cb) in b.iter().enumerate() {
            cur[j + 1] = if ca == cb { prev[j] + wa } else { prev[j + 1].max(cur[j]) };
        }
        std::mem::swap(&mut prev, &mut cur);
    }
    prev[b.len()]
}

/// Length of the longest common subsequence.
pub fn lcs(a: &[char], b: &[char]) -> usize {
    let mut prev = vec![0u16; b.len() + 1];
    let mut cur = vec![0u16; b.len() + 1];
    for &ca in a {
        for (j, &cb) in b.iter().enumerate() {
            cur[j + 1] = if ca == cb { prev[j] + 1 } else { prev[j + 1].max(cur[j]) };
        }
        std::mem::swap(&mut prev, &mut cur);
    }
    prev[b.len()] as usize
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::config::Config;

    fn matcher() -> RowMatcher {
        RowMatcher::new(&Config::embedded().unwrap().tables.applications)
    }

    fn key_of(m: &RowMatcher, raw: &str) -> Option<String> {
        m.exact(&label_key(raw), None).map(|r| m.rows[r].key.clone())
    }

    #[test]
    fn the_char_filter_holds_every_character_of_its_text() {
        let text: Vec<char> = "本年新收政府信息公开申请数量123".chars().collect();
        let set = CharSet::of(&text);
        assert!(text.iter().all(|&c| set.may_hold(c)));
        assert!(!set.may_hold('撤'), "a character whose bit no character of the text sets");
        let twin = char::from_u32('本' as u32 + 4096).unwrap();
        assert!(set.may_hold(twin), "one sharing a bit is a false positive, which the bound allows");
    }

    #[test]
    fn exact_labels_with_typos_numbering_and_neighbours() {
        let m = matcher();
        assert_eq!(key_of(&m, "3.危机“三安全一稳定”").as_deref(), Some("denied.security_stability"));
        assert_eq!(key_of(&m, "7.属于行政法案卷").as_deref(), Some("denied.enforcement_files"));
        assert_eq!(key_of(&m, "三、本年度办理结果 （一）予以公开").as_deref(), Some("granted"));
        assert_eq!(key_of(&m, "（六）其他处理").as_deref(), Some("other"));
        assert_eq!(
            key_of(&m, "（六）其他处理 1、申请人无正当理由逾期不补正、行政机关不再处理其政府信息公开申请").as_deref(),
            Some("other.no_correction")
        );
        assert_eq!(key_of(&m, "3、其他").as_deref(), Some("other.other"));
        assert_eq!(
            key_of(&m, "（二）部分公开（区分处理的，只计这一情形，不计其他情形）").as_deref(),
            Some("partially_granted")
        );
        assert_eq!(key_of(&m, "（三）不予公开").as_deref(), Some("denied"));
        assert_eq!(key_of(&m, "一、本年新收到政府信息公开申请数量").as_deref(), Some("new_received"));
    }

    #[test]
    fn fuzzy_recovers_ocr_damage_and_refuses_noise() {
        let m = matcher();
        let (row, _) = m.fuzzy(&label_key("一、四 卜 年新收政 放府信息公开申请数量"), None).unwrap();
        assert_eq!(m.rows[row].key, "new_received");
        let (row, _) = m.fuzzy(&label_key("P分公开(区分处理的, -情形,不计其他情形)"), None).unwrap();
        assert_eq!(m.rows[row].key, "partially_granted");
        assert!(m.fuzzy(&label_key("全年共办理依申请公开信息"), None).is_none());
    }

    #[test]
    fn shared_legacy_labels_follow_template_order() {
        let m = RowMatcher::new(&Config::embedded().unwrap().tables.legacy_stats);
        let review_upheld = m.rows.iter().position(|r| r.key == "review.upheld").unwrap();
        let lit_total = m.rows.iter().position(|r| r.key == "litigation.total").unwrap();
        let r = m.exact(&label_key("（二）被依法纠错数"), Some(review_upheld)).unwrap();
        assert_eq!(m.rows[r].key, "review.corrected");
        let r = m.exact(&label_key("（二）被依法纠错数"), Some(lit_total)).unwrap();
        assert_eq!(m.rows[r].key, "litigation.corrected");
    }

    #[test]
    fn lcs_counts_in_order_matches() {
        let c = |s: &str| s.chars().collect::<Vec<_>>();
        assert_eq!(lcs(&c("部分公开"), &c("分公开区")), 3);
        assert_eq!(lcs(&c("abc"), &c("cba")), 1);
    }
}
