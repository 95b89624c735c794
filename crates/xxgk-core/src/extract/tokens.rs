//! Layout lines → one token stream (text, value, empty cell, line end), the common ground of
//! every layout: HTML grids, pipe and tab rows, PDF text, one cell per line.

use super::numbers::{parse_cell, parse_number, unit, CellValue, Number};
use crate::model::Line;

#[derive(Debug, Clone, PartialEq)]
pub enum Tok {
    Text(String),
    Value {
        raw: String,
        num: Number,
    },
    /// An empty or placeholder cell of a delimited row: a real cell with no number.
    Empty {
        raw: String,
    },
    LineEnd,
}

/// Where a token came from: its line, and its cell's grid column when the line has
/// delimited cells and the cell gave exactly this one token.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Pos {
    pub line: u32,
    pub cell: Option<u16>,
}

/// Tokens of every line, with the position of each.
pub fn tokenize(lines: &[Line], placeholders: &[String]) -> (Vec<Tok>, Vec<Pos>) {
    let mut toks = Vec::new();
    let mut pos = Vec::new();
    for (i, line) in lines.iter().enumerate() {
        let line_no = i as u32;
        // Span copies are skipped but still count as grid columns.
        for (c, cell) in line.cells.iter().enumerate().filter(|(_, c)| !c.span_copy) {
            let before = toks.len();
            cell_tokens(&cell.text, line.delimited, placeholders, &mut toks);
            let single = line.delimited && toks.len() == before + 1;
            let cell = if single { u16::try_from(c).ok() } else { None };
            pos.resize(toks.len(), Pos { line: line_no, cell });
        }
        toks.push(Tok::LineEnd);
        pos.push(Pos { line: line_no, cell: None });
    }
    (toks, pos)
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

/// A cell holding a label and its numbers (`规章 1 0 11`, `行政事业性收费 0 0`,
/// `(一)予以公开 / / 5`): the trailing run of numbers, placeholders and units are the cells;
/// a number with text after it (`2024 年`, numbering `1.`) is part of the text.
fn words_tokens(text: &str, placeholders: &[String], out: &mut Vec<Tok>) {
    let mut words = split_words(text);
    split_glued_digits(&mut words);
    let is_cell = |w: &str| parse_number(w).is_some() || placeholders.iter().any(|p| p == w);
    let mut first_cell = words.len();
    while first_cell > 0 {
        let w = words[first_cell - 1];
        let unit_after_number = unit(w).is_some() && first_cell >= 2 && parse_number(words[first_cell - 2]).is_some();
        if !(is_cell(w) || unit_after_number) {
            break;
        }
        first_cell -= 1;
    }
    // A unit cannot open the run of cells: it belongs to the label (`条`, `件` columns aside).
    while first_cell < words.len() && !is_cell(words[first_cell]) {
        first_cell += 1;
    }
    if first_cell > 0 {
        out.push(Tok::Text(words[..first_cell].join(" ")));
    }
    for w in &words[first_cell..] {
        if absorb_unit(out, w) {
            continue;
        }
        match parse_number(w) {
            Some(num) => out.push(Tok::Value { raw: w.to_string(), num }),
            None => out.push(Tok::Empty { raw: w.to_string() }),
        }
    }
}

/// A flattened table row can follow its label with no space (`…申请数量640020470`, or after
/// a note: `…不计其他情形)140000014`): a run of seven or more digits glued to a Chinese label
/// or to a bracket or quote closing its words becomes a word of its own.
fn split_glued_digits(words: &mut Vec<&str>) {
    let Some(last) = words.last().copied() else { return };
    let digits = last.bytes().rev().take_while(u8::is_ascii_digit).count();
    let head = &last[..last.len() - digits];
    // A bracket or quote counts when it closes words (`情形)`), not digits (`(0371)6991234`).
    let closer = |c: char| matches!(c, ')' | '）' | '”' | '"' | '’' | '》' | '」');
    let mut end = head.chars().rev();
    let label_end = match (end.next(), end.next()) {
        (Some(c), _) if crate::normalize::is_ideograph(c) => true,
        (Some(c), Some(before)) => closer(c) && crate::normalize::is_ideograph(before),
        _ => false,
    };
    if digits >= 7 && label_end {
        words.pop();
        words.push(head);
        words.push(&last[head.len()..]);
    }
}

/// A unit word a PDF line prints on its own right after a value belongs to it; money units
/// are kept.
fn absorb_unit(out: &mut [Tok], w: &str) -> bool {
    let Some(money) = unit(w) else { return false };
    let Some(Tok::Value { raw, num }) = out.last_mut() else { return false };
    raw.push_str(w);
    if money.is_some() {
        num.money = money;
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
        tokenize(&[line], &["—".to_string(), "/".to_string()]).0
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
        assert_eq!(shape(&toks("（一）予以公开 / / / 5")), "T(（一）予以公开) E E E V(5) /");
        assert_eq!(shape(&toks("全市共受理申请 3119 件，答复")), "T(全市共受理申请 3119 件，答复) /");
        assert_eq!(shape(&toks("行政许可 447228 件")), "T(行政许可) V(447228) /");
        assert_eq!(
            shape(&toks("一、本年新收政府信息公开申请数量640020470")),
            "T(一、本年新收政府信息公开申请数量) V(640020470) /"
        );
        assert_eq!(shape(&toks("这一情形,不计其他情形)140000014")), "T(这一情形,不计其他情形)) V(140000014) /");
        assert_eq!(
            shape(&toks("电话(0371)6991234")),
            "T(电话(0371)6991234) /",
            "a closing bracket before 7 digits only"
        );
        assert_eq!(shape(&toks("豫ICP备05010383号")), "T(豫ICP备05010383号) /");
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
