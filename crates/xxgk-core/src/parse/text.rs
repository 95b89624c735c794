//! Plain text and markdown (PDF extractions, scraped pages, OCR) → lines of cells.
//!
//! Cells come from `|` (markdown rows, or the ` |` cell terminators some converters write),
//! tabs (OCR), or runs of two or more spaces (PDF layout text). Page footers and markdown
//! decoration are dropped here so they can never be read as table values.

use super::{check_line_len, check_lines, tick, LayoutParser, ParseError};
use crate::budget::Deadline;
use crate::config::Limits;
use crate::model::{Cell, Layout, Line};

pub struct TextParser;

impl LayoutParser for TextParser {
    fn parse(&self, text: &str, limits: &Limits, deadline: &Deadline) -> Result<Layout, ParseError> {
        let markdown_pipes = uses_markdown_pipes(text);
        let mut layout = Layout::default();
        for (i, raw) in text.lines().enumerate() {
            tick(i, deadline)?;
            // Checked before splitting, so a huge line costs one length read, not a parse.
            check_line_len(i, raw.len(), limits)?;
            if let Some(line) = parse_line(raw, markdown_pipes) {
                layout.lines.push(line);
            }
        }
        check_lines(&layout, limits)?;
        Ok(layout)
    }
}

/// Markdown rows open with `|`; terminator style (`规章 | 0 | 0 |`) does not.
fn uses_markdown_pipes(text: &str) -> bool {
    let (mut opening, mut other) = (0usize, 0usize);
    for line in text.lines().filter(|l| l.contains('|')) {
        let t = line.trim();
        if t.trim_matches(|c: char| c == '|' || c.is_whitespace()).is_empty() {
            continue;
        }
        if t.starts_with('|') {
            opening += 1;
        } else {
            other += 1;
        }
    }
    opening > other
}

pub(crate) fn parse_line(raw: &str, markdown_pipes: bool) -> Option<Line> {
    let line = strip_decoration(raw.trim_end_matches('\r'));
    if line.trim().is_empty() || is_page_furniture(line) || is_markdown_rule(line) {
        return None;
    }
    if line.contains('|') {
        return Some(Line { cells: pipe_cells(line, markdown_pipes), delimited: true, in_table: false });
    }
    if line.contains('\t') {
        let cells = line.split('\t').map(|c| Cell::new(c.trim())).collect();
        return Some(Line { cells, delimited: true, in_table: false });
    }
    let cells = split_wide_spaces(line.trim());
    Some(Line { cells, delimited: false, in_table: false })
}

/// Markdown headings (`#### 一、总体情况`) and bullets (`- （一）…`) keep only their text.
/// A "bullet" before a number or another placeholder is a cell: `- - - 1 1` is a row of
/// five cells whose first is the placeholder `-`.
fn strip_decoration(line: &str) -> &str {
    let t = line.trim_start();
    if let Some(rest) = t.strip_prefix('#') {
        return rest.trim_start_matches('#').trim_start();
    }
    for bullet in ["- ", "* ", "+ ", "> "] {
        if let Some(rest) = t.strip_prefix(bullet) {
            if !rest.trim_start().starts_with(|c: char| c.is_ascii_digit() || "-—–/*+".contains(c)) {
                return rest;
            }
        }
    }
    line
}

/// `- 4 -`, `-5-`, `第 3 页`, `第3页 共8页`: page numbers from PDF and print layouts.
pub(crate) fn is_page_furniture(line: &str) -> bool {
    let t: String = line.chars().filter(|c| !c.is_whitespace()).collect();
    let dashes = |c: char| matches!(c, '-' | '—' | '–' | '－');
    if let Some(inner) = t.strip_prefix(dashes).and_then(|r| r.strip_suffix(dashes)) {
        return !inner.is_empty() && inner.chars().all(|c| c.is_ascii_digit());
    }
    if let Some(inner) = t.strip_prefix('第') {
        let digits: String = inner.chars().take_while(|c| c.is_ascii_digit()).collect();
        let rest = &inner[digits.len()..];
        return !digits.is_empty() && (rest == "页" || rest.starts_with("页共") && rest.ends_with('页'));
    }
    false
}

/// `|---|:--:|` or `-----`; a lone `-` is a placeholder cell, not a rule.
fn is_markdown_rule(line: &str) -> bool {
    let t = line.trim();
    (t.contains("---") || t.contains('|') && t.contains('-'))
        && t.chars().all(|c| matches!(c, '|' | '-' | ':' | ' ' | '+'))
}

fn pipe_cells(line: &str, markdown_pipes: bool) -> Vec<Cell> {
    let t = line.trim();
    let mut parts: Vec<&str> = t.split('|').collect();
    if t.chars().all(|c| c == '|' || c.is_whitespace()) {
        // A line of bare pipes is a run of empty cells: one per terminator, or between pipes.
        let n = t.matches('|').count();
        let n = if markdown_pipes { n.saturating_sub(1).max(1) } else { n };
        return (0..n).map(|_| Cell::new("")).collect();
    }
    if t.ends_with('|') {
        parts.pop();
    }
    if markdown_pipes && t.starts_with('|') && !parts.is_empty() {
        parts.remove(0);
    }
    parts.into_iter().map(|p| Cell::new(p.trim())).collect()
}

/// PDF layout text aligns columns with runs of spaces; one space stays inside a cell.
fn split_wide_spaces(line: &str) -> Vec<Cell> {
    let mut cells = Vec::new();
    let mut cur = String::new();
    let mut spaces = 0;
    for c in line.chars() {
        if c == ' ' || c == '\u{3000}' {
            spaces += 1;
            continue;
        }
        if spaces >= 2 && !cur.is_empty() {
            cells.push(Cell::new(std::mem::take(&mut cur)));
        } else if spaces == 1 {
            cur.push(' ');
        }
        spaces = 0;
        cur.push(c);
    }
    if !cur.is_empty() {
        cells.push(Cell::new(cur));
    }
    cells
}

#[cfg(test)]
mod tests {
    use super::*;

    fn texts(line: &Line) -> Vec<&str> {
        line.cells.iter().map(|c| c.text.as_str()).collect()
    }

    #[test]
    fn terminator_pipes_and_markdown_pipes() {
        let l = parse_line("行政事业性收费 | 2 | 2 | |", false).unwrap();
        assert_eq!(texts(&l), ["行政事业性收费", "2", "2", ""]);
        let l = parse_line("| 规章 | 1 | 0 |", true).unwrap();
        assert_eq!(texts(&l), ["规章", "1", "0"]);
        assert_eq!(parse_line("||||", false).unwrap().cells.len(), 4);
        assert_eq!(parse_line(" |", false).unwrap().cells.len(), 1);
        assert!(parse_line("|---|:---:|", true).is_none());
        assert_eq!(parse_line("-", false).unwrap().cells[0].text, "-");
    }

    #[test]
    fn tabs_and_wide_spaces() {
        let l = parse_line("行政处罚\t0\t0\t0\t\t", false).unwrap();
        assert_eq!(texts(&l), ["行政处罚", "0", "0", "0", "", ""]);
        let l = parse_line("规章             1       0      11", false).unwrap();
        assert_eq!(texts(&l), ["规章", "1", "0", "11"]);
        assert!(!l.delimited);
        let l = parse_line("信息内容 本年新 公开数量", false).unwrap();
        assert_eq!(texts(&l), ["信息内容 本年新 公开数量"]);
    }

    #[test]
    fn page_furniture_is_dropped() {
        for f in ["- 4 -", "-5 -", "                 -3-", "第 3 页", "第3页共8页"] {
            assert!(parse_line(f, false).is_none(), "{f}");
        }
        assert!(parse_line("- （一）2020 年 7 月 2 日", false).is_some());
        assert!(parse_line("-37377", false).is_some());
    }

    #[test]
    fn markdown_headings_lose_their_hashes() {
        assert_eq!(texts(&parse_line("#### 一、总体情况", false).unwrap()), ["一、总体情况"]);
    }

    #[test]
    fn a_bullet_is_text_decoration_but_a_leading_placeholder_is_a_cell() {
        assert_eq!(texts(&parse_line("- （一）主动公开情况", false).unwrap()), ["（一）主动公开情况"]);
        assert_eq!(texts(&parse_line("- - - 1 1", false).unwrap()), ["- - - 1 1"]);
        assert_eq!(texts(&parse_line("- — / 3", false).unwrap()), ["- — / 3"]);
    }
}
