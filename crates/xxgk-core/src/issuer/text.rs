//! Text helpers: whitespace-free copies, since PDF text breaks names across lines and spaces.

/// Whitespace as it appears in extracted text, including the ideographic space and BOM.
pub(crate) fn is_space(c: char) -> bool {
    c.is_whitespace() || matches!(c, '\u{200b}' | '\u{feff}' | '\u{3000}' | '\u{a0}')
}

/// `s` without any whitespace: "淮 安 市\n人民政府" → "淮安市人民政府".
pub(crate) fn compact(s: &str) -> String {
    s.chars().filter(|c| !is_space(*c)).collect()
}

/// A CJK ideograph (the characters organisation names are written in).
pub(crate) fn is_han(c: char) -> bool {
    matches!(c, '\u{4e00}'..='\u{9fff}' | '\u{3400}'..='\u{4dbf}' | '\u{f900}'..='\u{faff}')
}

/// The first `n` characters of `s`.
pub(crate) fn head(s: &str, n: usize) -> &str {
    match s.char_indices().nth(n) {
        Some((i, _)) => &s[..i],
        None => s,
    }
}

/// The last `n` characters of `s`.
pub(crate) fn tail(s: &str, n: usize) -> &str {
    let count = s.chars().count();
    if count <= n {
        return s;
    }
    let skip = s.char_indices().nth(count - n).map_or(s.len(), |(i, _)| i);
    &s[skip..]
}

/// Non-empty lines, compacted, in order.
pub(crate) fn compact_lines(s: &str) -> Vec<String> {
    s.lines().map(compact).filter(|l| !l.is_empty()).collect()
}

/// Strip characters from both ends while `pred` holds.
pub(crate) fn trim_by(s: &str, pred: impl Fn(char) -> bool) -> &str {
    s.trim_matches(|c: char| pred(c))
}

/// Brackets, quotes and punctuation that may wrap an organisation name.
pub(crate) fn is_wrapper(c: char) -> bool {
    "《》<>“”\"'‘’「」『』【】[]()（）:：,，.。;；、!！?？·-—_|/\\*#".contains(c) || is_space(c)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn compacts_pdf_breaks() {
        assert_eq!(compact("淮 安 市\n人民\u{3000}政府"), "淮安市人民政府");
    }

    #[test]
    fn head_and_tail_count_chars() {
        assert_eq!(head("周口市人民政府", 3), "周口市");
        assert_eq!(tail("周口市人民政府", 4), "人民政府");
        assert_eq!(tail("周口", 9), "周口");
        assert_eq!(head("周口", 9), "周口");
    }

    #[test]
    fn lines_and_trim() {
        assert_eq!(compact_lines("a b\n\n  \nc"), ["ab", "c"]);
        assert_eq!(trim_by("“苏家屯区政府”", is_wrapper), "苏家屯区政府");
        assert!(is_han('鹤') && !is_han('1'));
    }
}
