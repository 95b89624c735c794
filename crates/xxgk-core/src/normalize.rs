//! Text normalisation for matching only (raw text is kept for `raw_*` columns): script
//! detection, traditional → simplified, full-width folding, and label keys that drop
//! spaces, line breaks, punctuation, numbering and parenthesised notes.

use crate::config::Normalise;
use crate::model::Script;
use aho_corasick::AhoCorasick;

/// Converts traditional script to simplified, with the phrase fixes of config/normalise.toml.
#[derive(Debug, Clone)]
pub struct Simplifier {
    phrases: Option<(AhoCorasick, Vec<String>)>,
    /// Ideographs the converter changes on their own: script detection counts them with a
    /// bit test instead of converting every document (which cost 6 % of a text document).
    changed: TraditionalSet,
}

/// One bit per code point of the ideograph ranges (U+3400..U+FAFF).
#[derive(Debug, Clone)]
struct TraditionalSet(Vec<u64>);

const SET_BASE: u32 = 0x3400;
const SET_END: u32 = 0xFB00;

impl TraditionalSet {
    fn build() -> TraditionalSet {
        let mut bits = vec![0u64; ((SET_END - SET_BASE) as usize).div_ceil(64)];
        let mut buf = [0u8; 4];
        for c in (SET_BASE..SET_END).filter_map(char::from_u32).filter(|&c| is_ideograph(c)) {
            if !fast2s::convert(c.encode_utf8(&mut buf)).starts_with(c) {
                let i = (c as u32 - SET_BASE) as usize;
                bits[i / 64] |= 1 << (i % 64);
            }
        }
        TraditionalSet(bits)
    }

    fn contains(&self, c: char) -> bool {
        let Some(i) = (c as u32).checked_sub(SET_BASE).filter(|&i| i < SET_END - SET_BASE) else { return false };
        self.0[i as usize / 64] >> (i % 64) & 1 == 1
    }
}

impl Simplifier {
    pub fn new(cfg: &Normalise) -> Simplifier {
        let changed = TraditionalSet::build();
        if cfg.t2s_phrases.is_empty() {
            return Simplifier { phrases: None, changed };
        }
        let from: Vec<&str> = cfg.t2s_phrases.keys().map(String::as_str).collect();
        let to: Vec<String> = cfg.t2s_phrases.values().cloned().collect();
        let ac = AhoCorasick::builder()
            .match_kind(aho_corasick::MatchKind::LeftmostLongest)
            .build(&from)
            .expect("t2s phrase patterns are plain strings");
        Simplifier { phrases: Some((ac, to)), changed }
    }

    /// Simplified text; phrase fixes see the original characters, since the character
    /// converter is what gets them wrong.
    pub fn simplify(&self, text: &str) -> String {
        match &self.phrases {
            Some((ac, to)) if ac.is_match(text) => fast2s::convert(&ac.replace_all(text, to)),
            _ => fast2s::convert(text),
        }
    }
}

/// Decides the script from how many ideographs simplification changes.
pub fn detect_script(text: &str, simplifier: &Simplifier) -> Script {
    let (mut total, mut changed) = (0usize, 0usize);
    for c in text.chars().filter(|&c| is_ideograph(c)).take(20_000) {
        total += 1;
        changed += usize::from(simplifier.changed.contains(c));
    }
    // Traditional prose changes a fifth or more of its characters; simplified text with a
    // stray traditional name changes well under one percent.
    if changed * 100 >= total * 4 && changed >= 3 {
        Script::Traditional
    } else {
        Script::Simplified
    }
}

pub fn is_ideograph(c: char) -> bool {
    matches!(c, '\u{4E00}'..='\u{9FFF}' | '\u{3400}'..='\u{4DBF}' | '\u{F900}'..='\u{FAFF}')
}

/// Full-width ASCII and the ideographic space to their half-width forms.
pub fn fold_char(c: char) -> char {
    match c {
        '\u{FF01}'..='\u{FF5E}' => char::from_u32(c as u32 - 0xFEE0).unwrap_or(c),
        '\u{3000}' | '\u{00A0}' => ' ',
        _ => c,
    }
}

pub fn fold_width(text: &str) -> String {
    text.chars().map(fold_char).collect()
}

/// The matching key of a text: only ideographs and digits, width folded.
pub fn text_key(text: &str) -> String {
    text.chars().map(fold_char).filter(|&c| is_ideograph(c) || c.is_ascii_digit()).collect()
}

/// The matching key of a label: `text_key` after removing parenthesised notes of 3 or more
/// characters (`（区分处理的，只计这一情形…）`, `（不包括…）`), which would otherwise let a
/// note's words outvote the label's.
pub fn label_key(text: &str) -> String {
    text_key(&strip_notes(text))
}

fn strip_notes(text: &str) -> String {
    let chars: Vec<char> = text.chars().map(fold_char).collect();
    let mut out = String::with_capacity(text.len());
    let mut i = 0;
    while i < chars.len() {
        if chars[i] == '(' {
            if let Some(len) = chars[i + 1..].iter().take(80).position(|&c| c == ')') {
                let inner =
                    chars[i + 1..i + 1 + len].iter().filter(|&&c| is_ideograph(c) || c.is_ascii_alphanumeric()).count();
                if inner >= 3 {
                    i += len + 2;
                    continue;
                }
            }
        }
        out.push(chars[i]);
        i += 1;
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::config::Config;

    fn simplifier() -> Simplifier {
        Simplifier::new(&Config::embedded().unwrap().normalise)
    }

    #[test]
    fn label_keys_ignore_numbering_quotes_spaces_and_notes() {
        assert_eq!(label_key("3.危及“三安全一稳定”"), "3危及三安全一稳定");
        assert_eq!(label_key("（二）部分公开（区分处理的，只计这一情形，不计其他情形）"), "二部分公开");
        assert_eq!(label_key("(四)无法提 供"), "四无法提供");
        assert_eq!(label_key("１．专职人员数（不包括政府公报及政府网站工作人员数）"), "1专职人员数");
        assert_eq!(label_key("（一）予以公开"), "一予以公开");
    }

    #[test]
    fn script_detection_and_conversion() {
        let s = simplifier();
        let trad = "本報告依據《中華人民共和國政府信息公開條例》有關規定編制而成";
        assert_eq!(detect_script(trad, &s), Script::Traditional);
        assert_eq!(detect_script("本报告依据《中华人民共和国政府信息公开条例》有关规定编制", &s), Script::Simplified);
        assert_eq!(s.simplify("鶴壁市政府辦公室"), "鹤壁市政府办公室");
        assert_eq!(s.simplify("將著力加強"), "将着力加强");
        assert_eq!(s.simplify("同意公開答覆數，無正當理由大量反覆申請"), "同意公开答复数，无正当理由大量反复申请");
    }

    #[test]
    fn folds_full_width() {
        assert_eq!(fold_width("（１２３）　ＡＢ"), "(123) AB");
    }
}
