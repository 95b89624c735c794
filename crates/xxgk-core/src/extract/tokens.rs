//! Layout lines → one token stream (text, value, empty cell, line end), the common ground of
//! every layout: HTML grids, pipe and tab rows, PDF text, one cell per line.

use super::numbers::{parse_cell, parse_number, CellValue, Money, Number};

/// Units a PDF line may print as a word of their own after a number.
const UNITS: [&str; 10] = ["件", "条", "个", "项", "人次", "人", "次", "篇", "万元", "元"];
use crate::model::Line;

#[derive(Debug, Clone, PartialEq)]
pub enum Tok {
    Text(String),
    Value { raw: String, num: Number },
    /// An empty or placeholder cell of a delimited row: a real cell with no number.
    Empty { raw: String },
    LineEnd,
}

/// Tokens of every line, with the index of the line each token came from.
pub fn tokenize(lines: &[Line], placeholders: &[String]) -> (Vec<Tok>, Vec<usize>) {
    let mut toks = Vec::new();
    let mut line_of = Vec::new();
    for (i, line) in lines.iter().enumerate() {
        let before = toks.len();
        for cell in line.cells.iter().filter(|c| !c.span_copy) {
            cell_tokens(&cell.text, line.delimited, placeholders, &mut toks);
        }
        toks.push(Tok::LineEnd);
        line_of.resize(toks.len(), i);
        debug_assert!(toks.len() > before);
    }
    (toks, line_of)
}

fn cell_tokens(text: &str, delimited: bool, placeholders: &[String], out: &mut Vec<Tok>) {
    let t = text.trim();
    match parse_cell(t, placeholders) {
        CellValue::Placeholder if delimited || !t.is_empty() => {
            out.push(Tok::Empty { raw: t.to_string() });
            return;
        }
        CellValue::Placeholder => return,
        CellValue::Number(num) => {
            out.push(Tok::Value { raw: t.to_string(), num });
            return;
        }
        CellValue::NotANumber => {}
    }
    words_tokens(t, placeholders, out);
}

/// A cell holding a label and its numbers (`规章 1 0 11`, `行政事业性收费 0 0`).
fn words_tokens(text: &str, placeholders: &[String], out: &mut Vec<Tok>) {
    let words = split_words(text);
    let mut pending: Vec<&str> = Vec::new();
    let flush = |pending: &mut Vec<&str>, out: &mut Vec<Tok>| {
        if !pending.is_empty() {
            out.push(Tok::Text(pending.join(" ")));
            pending.clear();
        }
    };
    for (i, w) in words.iter().enumerate() {
        let is_last = i + 1 == words.len();
        match parse_number(w) {
            // A number standing before more text is numbering or part of a phrase (`2024 年`
            // is narrative, `1. 属于` numbering), unless numbers follow it too.
            Some(num) if is_last || next_is_number(&words[i + 1..]) => {
                flush(&mut pending, out);
                out.push(Tok::Value { raw: w.to_string(), num });
            }
            _ if placeholders.iter().any(|p| p == w) && !pending.is_empty() && (is_last || next_is_number(&words[i + 1..])) => {
                flush(&mut pending, out);
                out.push(Tok::Empty { raw: w.to_string() });
            }
            _ if absorb_unit(out, &pending, w) => {}
            _ => pending.push(w),
        }
    }
    flush(&mut pending, out);
}

/// The next word is another number, or a bare unit after this one (`447228 件`).
fn next_is_number(rest: &[&str]) -> bool {
    match rest {
        [w, ..] if parse_number(w).is_some() => true,
        [u] => UNITS.contains(u),
        [u, w, ..] => UNITS.contains(u) && parse_number(w).is_some(),
        [] => false,
    }
}

/// A unit word right after a value belongs to it, not to the next label; money units are kept.
fn absorb_unit(out: &mut [Tok], pending: &[&str], w: &str) -> bool {
    if !pending.is_empty() || !UNITS.contains(&w) {
        return false;
    }
    let Some(Tok::Value { raw, num }) = out.last_mut() else { return false };
    raw.push_str(w);
    match w {
        "万元" => num.money = Some(Money::Wan),
        "元" => num.money = Some(Money::Yuan),
        _ => {}
    }
    true
}

/// Splits on spaces, keeping a parenthesised note with the word it follows.
fn split_words(text: &str) -> Vec<&str> {
    let mut words = Vec::new();
    let mut start = None;
    let mut depth = 0i32;
    for (i, c) in text.char_indices() {
        match c {
            // Only a parenthesis that closes later groups words (OCR loses closing ones).
            '(' | '（' if text[i..].contains([')', '）']) => depth += 1,
            ')' | '）' => depth = (depth - 1).max(0),
            _ => {}
        }
        if c.is_whitespace() && depth == 0 {
            if let Some(s) = start.take() {
                words.push(&text[s..i]);
            }
        } else if start.is_none() {
            start = Some(i);
        }
    }
    if let Some(s) = start {
        words.push(&text[s..]);
    }
    words
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::model::Cell;

    fn toks(text: &str) -> Vec<Tok> {
        let line = Line { cells: vec![Cell::new(text)], delimited: false, in_table: false };
        tokenize(&[line], &["—".to_string()]).0
    }

    fn shape(t: &[Tok]) -> String {
        t.iter()
            .map(|t| match t {
                Tok::Text(s) => format!("T({s})"),
                Tok::Value { num, .. } => format!("V({})", num.value),
                Tok::Empty { .. } => "E".to_string(),
                Tok::LineEnd => "/".to_string(),
            })
            .collect::<Vec<_>>()
            .join(" ")
    }

    #[test]
    fn label_with_numbers_in_one_cell() {
        assert_eq!(shape(&toks("规章 1 0 11")), "T(规章) V(1) V(0) V(11) /");
        assert_eq!(shape(&toks("1. 属于国家秘密 0 0")), "T(1. 属于国家秘密) V(0) V(0) /");
        assert_eq!(shape(&toks("2024 年，全市共受理")), "T(2024 年，全市共受理) /");
        assert_eq!(shape(&toks("规章 22（其中修订 16 件） 0")), "T(规章) V(22) V(0) /");
        assert_eq!(shape(&toks("行政许可 — 5")), "T(行政许可) E V(5) /");
        assert_eq!(shape(&toks("（二被依法纠错数 件 0 1")), "T(（二被依法纠错数 件) V(0) V(1) /");
    }

    #[test]
    fn empty_cells_only_count_when_delimited() {
        let cells = vec![Cell::new("规章"), Cell::new(""), Cell::new("3")];
        let delimited = Line { cells: cells.clone(), delimited: true, in_table: true };
        assert_eq!(shape(&tokenize(&[delimited], &[]).0), "T(规章) E V(3) /");
        let loose = Line { cells, delimited: false, in_table: false };
        assert_eq!(shape(&tokenize(&[loose], &[]).0), "T(规章) V(3) /");
    }
}
