//! Layout parsing: decoded text → lines of cells. HTML keeps its table grids (rowspan and
//! colspan expanded); plain text is split into pipe rows, tab rows, wide-space columns or
//! single cells. Extraction then works the same on both.

pub mod html;
pub mod slim;
pub mod text;

use crate::budget::{Deadline, OverBudget};
use crate::config::Limits;
use crate::model::{Layout, SourceFormat};

#[derive(Debug, thiserror::Error)]
pub enum ParseError {
    #[error("parse: document has {lines} lines, over the limit of {limit} (limits.toml max_lines)")]
    TooManyLines { lines: usize, limit: usize },
    #[error("parse: an HTML table has {rows} rows, over the limit of {limit} (limits.toml max_table_rows)")]
    TableTooLarge { rows: usize, limit: usize },
    #[error("parse: line {line} is {bytes} bytes long, over the limit of {limit} (limits.toml max_line_bytes)")]
    LineTooLong { line: usize, bytes: usize, limit: usize },
    #[error(transparent)]
    OverBudget(#[from] OverBudget),
}

/// Loop iterations between clock reads: often enough to stop within a millisecond or so,
/// rarely enough that the clock costs nothing.
const CLOCK_EVERY: usize = 1024;

/// Checks the deadline on every `CLOCK_EVERY`th iteration `i` of a parser loop.
fn tick(i: usize, deadline: &Deadline) -> Result<(), ParseError> {
    if i.is_multiple_of(CLOCK_EVERY) {
        deadline.check("parse")?;
    }
    Ok(())
}

/// The seam between the two layouts a document can have.
pub trait LayoutParser {
    fn parse(&self, text: &str, limits: &Limits, deadline: &Deadline) -> Result<Layout, ParseError>;
}

/// The parser for a source format.
pub fn parser_for(format: SourceFormat) -> &'static dyn LayoutParser {
    match format {
        SourceFormat::Html => &html::HtmlParser::SLIM,
        SourceFormat::Text => &text::TextParser,
    }
}

/// Some `.txt` captures are really saved HTML pages; parse them as what they are.
pub fn sniff_format(declared: SourceFormat, text: &str) -> SourceFormat {
    if declared == SourceFormat::Html {
        return declared;
    }
    let head: String = text.chars().take(2048).collect::<String>().to_ascii_lowercase();
    let trimmed = head.trim_start();
    if trimmed.starts_with("<!doctype html")
        || trimmed.starts_with("<html")
        || head.contains("<table") && head.contains("<td")
    {
        SourceFormat::Html
    } else {
        declared
    }
}

fn check_lines(layout: &Layout, limits: &Limits) -> Result<(), ParseError> {
    if layout.lines.len() > limits.max_lines {
        return Err(ParseError::TooManyLines { lines: layout.lines.len(), limit: limits.max_lines });
    }
    for (i, line) in layout.lines.iter().enumerate() {
        check_line_len(i, line.cells.iter().map(|c| c.text.len()).sum(), limits)?;
    }
    Ok(())
}

/// The line-length limit on a text file's raw bytes, before decoding: a file of one endless
/// line is refused after one byte scan instead of being decoded first. Files no longer than
/// the limit cannot break it and skip the scan.
pub fn check_raw_lines(bytes: &[u8], limits: &Limits) -> Result<(), ParseError> {
    if bytes.len() <= limits.max_line_bytes {
        return Ok(());
    }
    for (i, line) in bytes.split(|&b| b == b'\n').enumerate() {
        check_line_len(i, line.len(), limits)?;
    }
    Ok(())
}

/// Later stages scan a line's text repeatedly; a multi-megabyte "line" is never a report's.
fn check_line_len(index: usize, bytes: usize, limits: &Limits) -> Result<(), ParseError> {
    if bytes > limits.max_line_bytes {
        return Err(ParseError::LineTooLong { line: index + 1, bytes, limit: limits.max_line_bytes });
    }
    Ok(())
}
