//! Cell values as printed: `3,194.752`, `7004.69万元`, `251000元`, `-37377`, `+1036`,
//! `22（其中修订16件）`, and the placeholders that mean an empty cell.

/// What a cell or word holds.
#[derive(Debug, Clone, PartialEq)]
pub enum CellValue {
    Number(Number),
    /// `—`, `/`, `无` …: printed as empty, null in facts.
    Placeholder,
    NotANumber,
}

#[derive(Debug, Clone, Copy, PartialEq)]
pub struct Number {
    pub value: f64,
    /// The amount carried a unit: 元 or 万元 (others, like 件, need no conversion).
    pub money: Option<Money>,
    /// Text followed the number (`22（其中修订16件）`): kept in raw_value, flagged.
    pub has_note: bool,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Money {
    Yuan,
    Wan,
}

/// Count units a number may carry in a cell, in both scripts: cells are parsed as printed
/// (traditional pages print 個/項/條), before any conversion.
const COUNT_UNITS: [&str; 12] = ["件", "条", "條", "个", "個", "项", "項", "人次", "人", "次", "篇", "家"];

/// Money units in both scripts (`2.1萬元`).
const MONEY_UNITS: [(&str, Money); 3] = [("万元", Money::Wan), ("萬元", Money::Wan), ("元", Money::Yuan)];

/// The unit a word is, if it is one: `Some(Some(money))` for 万元/元, `Some(None)` for a count.
pub(crate) fn unit(word: &str) -> Option<Option<Money>> {
    let money = MONEY_UNITS.iter().find(|(u, _)| *u == word).map(|(_, m)| Some(*m));
    money.or_else(|| COUNT_UNITS.contains(&word).then_some(None))
}

pub fn parse_cell(raw: &str, placeholders: &[String]) -> CellValue {
    let t = raw.trim();
    if t.is_empty() || placeholders.iter().any(|p| p == t) {
        return CellValue::Placeholder;
    }
    match parse_number(t) {
        Some(n) => CellValue::Number(n),
        None => CellValue::NotANumber,
    }
}

/// Parses a leading number with an optional unit and note; None when the text is not one.
pub fn parse_number(text: &str) -> Option<Number> {
    // Most words tried are labels: reject them before copying (a third of tokenising cost).
    let first = text.trim_start().chars().next().map(crate::normalize::fold_char)?;
    if !matches!(first, '0'..='9' | '+' | '-' | '−') {
        return None;
    }
    let folded: String = text.trim().chars().map(crate::normalize::fold_char).collect();
    let (digits, rest) = split_numeric_prefix(&folded)?;
    let value = parse_digits(&digits)?;
    let rest = rest.trim_start();
    let (money, rest) = match MONEY_UNITS.iter().find_map(|(u, m)| Some((*m, rest.strip_prefix(u)?))) {
        Some((m, r)) => (Some(m), r),
        None => (None, COUNT_UNITS.iter().find_map(|u| rest.strip_prefix(u)).unwrap_or(rest)),
    };
    let rest = rest.trim();
    if rest.is_empty() {
        return Some(Number { value, money, has_note: false });
    }
    // Only one parenthesised note may follow; anything else (`2024年`, `1.属于`) is text, and
    // so is a whole row of cells with notes (`6(其中修订3件) 3 69(含自然失效8件)`), which
    // would otherwise read as its first number. OCR loses closing parentheses, so an unclosed
    // note counts too, as long as no space makes it look like more cells.
    let note = rest.starts_with('(')
        && match rest.find(')') {
            Some(close) => close == rest.len() - 1,
            None => !rest.contains(char::is_whitespace),
        };
    note.then_some(Number { value, money, has_note: true })
}

/// Sign, digits with thousands separators, one decimal point.
fn split_numeric_prefix(s: &str) -> Option<(String, &str)> {
    let mut digits = String::new();
    let mut end = 0;
    let mut seen_digit = false;
    let mut seen_point = false;
    for (i, c) in s.char_indices() {
        match c {
            '+' | '-' | '−' if i == 0 => digits.push(if c == '+' { '+' } else { '-' }),
            '0'..='9' => {
                digits.push(c);
                seen_digit = true;
            }
            ',' if seen_digit && !seen_point && s[i + 1..].starts_with(|d: char| d.is_ascii_digit()) => {}
            '.' if seen_digit && !seen_point && s[i + 1..].starts_with(|d: char| d.is_ascii_digit()) => {
                digits.push('.');
                seen_point = true;
            }
            _ => break,
        }
        end = i + c.len_utf8();
    }
    seen_digit.then(|| (digits, &s[end..]))
}

fn parse_digits(d: &str) -> Option<f64> {
    let v: f64 = d.parse().ok()?;
    v.is_finite().then_some(v)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn value(s: &str) -> Option<f64> {
        parse_number(s).map(|n| n.value)
    }

    #[test]
    fn placeholders_of_both_scripts_are_empty_cells() {
        let placeholders = crate::config::Config::embedded().unwrap().normalise.cells.placeholders;
        for p in ["无", "無", "—", "/"] {
            assert_eq!(parse_cell(p, &placeholders), CellValue::Placeholder, "{p}");
        }
        assert_eq!(parse_cell("無論", &placeholders), CellValue::NotANumber);
    }

    #[test]
    fn plain_signed_separated_and_decimal() {
        assert_eq!(value("0"), Some(0.0));
        assert_eq!(value("-37377"), Some(-37377.0));
        assert_eq!(value("+1036"), Some(1036.0));
        assert_eq!(value("3,194.752"), Some(3194.752));
        assert_eq!(value("577910.4829"), Some(577910.4829));
        assert_eq!(value("１２"), Some(12.0));
    }

    #[test]
    fn units_and_notes() {
        let n = parse_number("7004.69万元").unwrap();
        assert_eq!((n.value, n.money), (7004.69, Some(Money::Wan)));
        assert!(parse_number("6（其中修订3件） 3 69（含自然失效8件）").is_none(), "three cells, not one");
        assert!(parse_number("6(其中修订3件").unwrap().has_note, "an OCR-truncated note");
        let n = parse_number("2.1萬元").unwrap();
        assert_eq!((n.value, n.money), (2.1, Some(Money::Wan)), "traditional script");
        assert_eq!(parse_number("3個").map(|n| n.value), Some(3.0));
        let n = parse_number("251000元").unwrap();
        assert_eq!((n.value, n.money), (251000.0, Some(Money::Yuan)));
        let n = parse_number("22（其中修订16件）").unwrap();
        assert_eq!((n.value, n.has_note), (22.0, true));
        assert_eq!(value("55 (含自然失效 29 件)"), Some(55.0));
        assert_eq!(value("12件"), Some(12.0));
    }

    #[test]
    fn text_is_not_a_number() {
        for s in ["1.属于国家秘密", "2024年", "三、", "第3页", "", "-", "1,", "12%", "0517-83605210"] {
            assert_eq!(value(s), None, "{s}");
        }
    }

    #[test]
    fn placeholders_are_empty_cells() {
        let ph: Vec<String> = ["—", "/", "无"].iter().map(|s| s.to_string()).collect();
        assert_eq!(parse_cell("—", &ph), CellValue::Placeholder);
        assert_eq!(parse_cell("  ", &ph), CellValue::Placeholder);
        assert_eq!(parse_cell("无", &ph), CellValue::Placeholder);
        assert!(matches!(parse_cell("5", &ph), CellValue::Number(_)));
        assert_eq!(parse_cell("规章", &ph), CellValue::NotANumber);
    }
}
