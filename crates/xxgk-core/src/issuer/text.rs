//! Text helpers: whitespace-free copies (PDF text breaks names across lines) and telephone numbers.

/// Whitespace as it appears in extracted text, including the ideographic space and BOM.
pub(crate) fn is_space(c: char) -> bool {
    c.is_whitespace() || matches!(c, '\u{200b}' | '\u{feff}' | '\u{3000}' | '\u{a0}')
}

/// `s` without any whitespace: "淮 安 市\n人民政府" → "淮安市人民政府".
pub(crate) fn compact(s: &str) -> String {
    let mut out = String::with_capacity(s.len());
    out.extend(s.chars().filter(|c| !is_space(*c)));
    out
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

/// Strip characters from both ends while `pred` holds.
pub(crate) fn trim_by(s: &str, pred: impl Fn(char) -> bool) -> &str {
    s.trim_matches(|c: char| pred(c))
}

/// Brackets, quotes and punctuation that may wrap an organisation name.
pub(crate) fn is_wrapper(c: char) -> bool {
    "《》<>“”\"'‘’「」『』【】[]()（）:：,，.。;；、!！?？·-—_|/\\*#".contains(c) || is_space(c)
}

/// Area codes of telephone numbers written 0394-8276078, (0394)8276078 or 0394－….
pub(crate) fn area_codes(text: &str) -> Vec<String> {
    let b = text.as_bytes();
    let mut out = Vec::new();
    for i in 0..b.len() {
        if b[i] != b'0' || (i > 0 && b[i - 1].is_ascii_digit()) {
            continue;
        }
        for len in [4, 3] {
            let end = i + len;
            if end >= b.len() || !b[i..end].iter().all(u8::is_ascii_digit) {
                continue;
            }
            let rest = &text[end..];
            let sep = ["-", "－", "—", "–", ")", "）"].iter().find_map(|s| rest.strip_prefix(s));
            let digits = sep.map_or(0, |r| r.bytes().take_while(u8::is_ascii_digit).count());
            if (7..=8).contains(&digits) {
                out.push(text[i..end].to_string());
                break;
            }
        }
    }
    out
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
        assert_eq!(trim_by("“苏家屯区政府”", is_wrapper), "苏家屯区政府");
        assert!(is_han('鹤') && !is_han('1'));
    }

    #[test]
    fn finds_area_codes() {
        let t = "电话:0394-8276078,传真(0517)83605210,邮编466000,0000-1,010－12345678";
        assert_eq!(area_codes(t), ["0394", "0517", "010"]);
        assert!(area_codes("2020-12345678").is_empty());
    }
}
