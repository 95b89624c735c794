//! HTML (official pages, Word exports) → paragraph lines and table rows.
//!
//! Tables become grids with rowspan/colspan expanded: spanned positions get a copy of the
//! cell marked `span_copy`, so column positions stay true while no value is counted twice.
//! A table that holds other tables is page layout, and its cells are walked as content.
//! The DOM is walked with `traverse()` (iterative), so deeply nested input cannot overflow the stack.

use super::{check_lines, tick, LayoutParser, ParseError};
use crate::budget::Deadline;
use crate::config::Limits;
use crate::model::{Cell, Layout, Line};
use ego_tree::iter::Edge;
use ego_tree::NodeRef;
use scraper::{Html, Node};

pub struct HtmlParser {
    /// Off only to check that slimming (`slim.rs`) leaves the layout as it was.
    pub slim: bool,
}

impl HtmlParser {
    pub const SLIM: HtmlParser = HtmlParser { slim: true };
    pub const VERBATIM: HtmlParser = HtmlParser { slim: false };
}

type NodeR<'a> = NodeRef<'a, Node>;

/// Spans above these are hostile or broken markup; real tables never need more.
const MAX_COLSPAN: usize = 64;
const MAX_ROWSPAN: usize = 500;

impl LayoutParser for HtmlParser {
    fn parse(&self, text: &str, limits: &Limits, deadline: &Deadline) -> Result<Layout, ParseError> {
        let slimmed;
        let text = if self.slim {
            slimmed = super::slim::slim(text);
            slimmed.as_ref()
        } else {
            text
        };
        check_table_rows(text, limits)?;
        let doc = parse_document(text, deadline)?;
        let mut w = Walker { layout: Layout::default(), para: String::new() };
        let mut skip = None;
        for (i, edge) in doc.tree.root().traverse().enumerate() {
            tick(i, deadline)?;
            match edge {
                Edge::Open(node) if skip.is_none() => {
                    // Elements whose subtree `open` consumed are skipped until they close.
                    skip = w.open(node, limits)?.then(|| node.id());
                }
                Edge::Close(node) => {
                    if skip == Some(node.id()) {
                        skip = None;
                    } else if skip.is_none() && element_name(node).is_some_and(is_block) {
                        w.flush();
                    }
                }
                _ => {}
            }
        }
        w.flush();
        check_lines(&w.layout, limits)?;
        Ok(w.layout)
    }
}

/// Bytes of markup handed to html5ever at a time. Its tree builder scans the stack of open
/// elements per tag, so hostile nesting is quadratic; feeding pieces lets the budget stop it.
const FEED_CHUNK: usize = 4 * 1024;

/// `max_table_rows` on the markup itself: building a DOM of a 100,000-row table costs more
/// than the table is worth. Counts `<tr` per innermost open `<table` (comments skipped); the
/// DOM walk checks again on what html5ever built.
fn check_table_rows(text: &str, limits: &Limits) -> Result<(), ParseError> {
    let b = text.as_bytes();
    let mut open: Vec<usize> = Vec::new();
    let mut i = 0;
    while let Some(at) = b[i..].iter().position(|&c| c == b'<') {
        i += at + 1;
        let rest = &b[i..];
        if rest.starts_with(b"!--") {
            i += find_bytes(rest, b"-->").map_or(rest.len(), |e| e + 3);
        } else if tag_is(rest, b"tr") {
            if let Some(rows) = open.last_mut() {
                *rows += 1;
            }
        } else if tag_is(rest, b"table") {
            open.push(0);
        } else if rest.first() == Some(&b'/') && tag_is(&rest[1..], b"table") {
            let rows = open.pop().unwrap_or(0);
            if rows > limits.max_table_rows {
                return Err(ParseError::TableTooLarge { rows, limit: limits.max_table_rows });
            }
        }
    }
    match open.into_iter().find(|&rows| rows > limits.max_table_rows) {
        Some(rows) => Err(ParseError::TableTooLarge { rows, limit: limits.max_table_rows }),
        None => Ok(()),
    }
}

/// `rest` starts with tag `name` (ASCII case-insensitive), followed by a non-name byte.
fn tag_is(rest: &[u8], name: &[u8]) -> bool {
    rest.len() > name.len()
        && rest[..name.len()].eq_ignore_ascii_case(name)
        && !rest[name.len()].is_ascii_alphanumeric()
}

fn find_bytes(hay: &[u8], needle: &[u8]) -> Option<usize> {
    hay.windows(needle.len()).position(|w| w == needle)
}

/// `Html::parse_document`, fed in pieces with the deadline checked between them.
fn parse_document(text: &str, deadline: &Deadline) -> Result<Html, ParseError> {
    use html5ever::tendril::TendrilSink;
    let mut parser = html5ever::driver::parse_document(
        scraper::HtmlTreeSink::new(Html::new_document()),
        html5ever::ParseOpts::default(),
    );
    let mut rest = text;
    while !rest.is_empty() {
        let mut cut = rest.len().min(FEED_CHUNK);
        while !rest.is_char_boundary(cut) {
            cut += 1;
        }
        parser.process(rest[..cut].into());
        rest = &rest[cut..];
        deadline.check("parse")?;
    }
    Ok(parser.finish())
}

struct Walker {
    layout: Layout,
    para: String,
}

impl Walker {
    /// Handles an opening node; true when its subtree was consumed here.
    fn open(&mut self, node: NodeR, limits: &Limits) -> Result<bool, ParseError> {
        match node.value() {
            Node::Text(t) => {
                push_collapsed(&mut self.para, t);
                Ok(false)
            }
            Node::Element(e) => match e.name() {
                "script" | "style" | "noscript" | "template" | "iframe" | "svg" | "select" | "button" => Ok(true),
                "title" => {
                    let title = text_of(node);
                    if self.layout.html_title.is_none() && !title.is_empty() {
                        self.layout.html_title = Some(title);
                    }
                    Ok(true)
                }
                "table" if !has_nested_table(node) => {
                    self.flush();
                    self.table(node, limits)?;
                    Ok(true)
                }
                name => {
                    if is_block(name) {
                        self.flush();
                    }
                    Ok(false)
                }
            },
            _ => Ok(false),
        }
    }

    fn flush(&mut self) {
        let text = self.para.trim();
        if !text.is_empty() {
            self.layout.lines.push(Line::paragraph(text));
        }
        self.para.clear();
    }

    fn table(&mut self, table: NodeR, limits: &Limits) -> Result<(), ParseError> {
        let rows: Vec<NodeR> = table.descendants().filter(|n| element_name(*n) == Some("tr")).collect();
        if rows.len() > limits.max_table_rows {
            return Err(ParseError::TableTooLarge { rows: rows.len(), limit: limits.max_table_rows });
        }
        for cells in build_grid(&rows) {
            self.layout.lines.push(Line { cells, delimited: true, in_table: true });
        }
        Ok(())
    }
}

/// Places every `<td>`/`<th>` in a grid, copying spanned cells into the positions they cover.
fn build_grid(rows: &[NodeR]) -> Vec<Vec<Cell>> {
    let mut grid: Vec<Vec<Option<Cell>>> = vec![Vec::new(); rows.len()];
    for (r, tr) in rows.iter().enumerate() {
        let mut col = 0;
        for td in tr.children().filter(|n| matches!(element_name(*n), Some("td" | "th"))) {
            while grid[r].get(col).is_some_and(Option::is_some) {
                col += 1;
            }
            let (rowspan, colspan) = spans(td);
            let text = text_of(td);
            for dr in 0..rowspan.min(rows.len() - r) {
                for dc in 0..colspan {
                    let row = &mut grid[r + dr];
                    if row.len() <= col + dc {
                        row.resize(col + dc + 1, None);
                    }
                    row[col + dc] = Some(Cell { text: text.clone(), span_copy: dr > 0 || dc > 0 });
                }
            }
            col += colspan;
        }
    }
    grid.into_iter()
        .filter(|row| !row.is_empty())
        .map(|row| {
            row.into_iter().map(|c| c.unwrap_or_else(|| Cell { text: String::new(), span_copy: true })).collect()
        })
        .collect()
}

fn spans(td: NodeR) -> (usize, usize) {
    let attr = |name: &str| -> usize {
        let Node::Element(e) = td.value() else { return 1 };
        e.attr(name).and_then(|v| v.trim().parse::<usize>().ok()).unwrap_or(1).max(1)
    };
    (attr("rowspan").min(MAX_ROWSPAN), attr("colspan").min(MAX_COLSPAN))
}

fn has_nested_table(table: NodeR) -> bool {
    table.descendants().skip(1).any(|n| element_name(n) == Some("table"))
}

fn element_name<'a>(node: NodeR<'a>) -> Option<&'a str> {
    match node.value() {
        Node::Element(e) => Some(e.name()),
        _ => None,
    }
}

fn is_block(name: &str) -> bool {
    matches!(
        name,
        "p" | "div"
            | "br"
            | "li"
            | "ul"
            | "ol"
            | "h1"
            | "h2"
            | "h3"
            | "h4"
            | "h5"
            | "h6"
            | "tr"
            | "table"
            | "section"
            | "article"
            | "header"
            | "footer"
            | "blockquote"
            | "pre"
            | "dl"
            | "dt"
            | "dd"
            | "center"
            | "hr"
            | "form"
            | "nav"
            | "aside"
            | "main"
            | "td"
            | "th"
            | "caption"
            | "body"
    )
}

/// Text of a subtree; block boundaries (`<p>`, `<br>` inside a cell) become one space.
fn text_of(node: NodeR) -> String {
    let mut out = String::new();
    for edge in node.traverse() {
        match edge {
            Edge::Open(n) => match n.value() {
                Node::Text(t) => push_collapsed(&mut out, t),
                Node::Element(e) if is_block(e.name()) => out.push(' '),
                _ => {}
            },
            Edge::Close(n) if element_name(n).is_some_and(is_block) => out.push(' '),
            _ => {}
        }
    }
    let collapsed: String = out.split_whitespace().collect::<Vec<_>>().join(" ");
    collapsed
}

/// Appends text with runs of HTML whitespace (and `&nbsp;`) collapsed to one space.
fn push_collapsed(out: &mut String, text: &str) {
    for c in text.chars() {
        // char::is_whitespace covers &nbsp; (U+00A0) and the ideographic space.
        if c.is_whitespace() {
            if !out.is_empty() && !out.ends_with(' ') {
                out.push(' ');
            }
        } else {
            out.push(c);
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::config::Config;

    fn parse(html: &str) -> Layout {
        HtmlParser::SLIM.parse(html, &Config::embedded().unwrap().limits, &Deadline::none()).unwrap()
    }

    #[test]
    fn expands_rowspan_and_colspan() {
        let l = parse(
            "<table><tr><td rowspan=2>三、本年度办理结果</td><td colspan=2>（一）予以公开</td><td>5</td></tr>\
             <tr><td>1.属于国家秘密</td><td>x</td><td>0</td></tr></table>",
        );
        let rows: Vec<Vec<(&str, bool)>> =
            l.lines.iter().map(|r| r.cells.iter().map(|c| (c.text.as_str(), c.span_copy)).collect()).collect();
        assert_eq!(
            rows[0],
            [("三、本年度办理结果", false), ("（一）予以公开", false), ("（一）予以公开", true), ("5", false)]
        );
        assert_eq!(rows[1], [("三、本年度办理结果", true), ("1.属于国家秘密", false), ("x", false), ("0", false)]);
        assert!(l.lines.iter().all(|r| r.delimited && r.in_table));
    }

    #[test]
    fn word_export_cells_paragraphs_and_title() {
        let l = parse(
            "<html><head><title>某市2020年政府信息公开工作年度报告</title><style>p{}</style></head><body>\
             <p class=MsoNormal><span>一、总体情况</span></p><p>正文&nbsp;内容</p>\
             <table><tr><td><p class=MsoNormal><span>本年新</span></p><p>制作数量<o:p></o:p></p></td><td>&nbsp;</td></tr></table></body></html>",
        );
        assert_eq!(l.html_title.as_deref(), Some("某市2020年政府信息公开工作年度报告"));
        assert_eq!(l.lines[0].joined(), "一、总体情况");
        assert_eq!(l.lines[1].joined(), "正文 内容");
        assert_eq!(l.lines[2].cells[0].text, "本年新 制作数量");
        assert_eq!(l.lines[2].cells[1].text, "");
    }

    #[test]
    fn layout_tables_are_walked_as_content() {
        let l = parse("<table><tr><td><p>标题</p><table><tr><td>规章</td><td>1</td></tr></table></td></tr></table>");
        assert_eq!(l.lines[0].joined(), "标题");
        assert_eq!(l.lines[1].cells.len(), 2);
    }

    #[test]
    fn oversized_tables_are_refused_before_parsing() {
        let mut limits = Config::embedded().unwrap().limits;
        limits.max_table_rows = 3;
        let rows = |n: usize| "<TR><td>1</td></tr>".repeat(n);
        let ok = format!("<table>{}</table><!-- <tr><tr><tr><tr> --><table>{}", rows(3), rows(3));
        assert!(HtmlParser::SLIM.parse(&ok, &limits, &Deadline::none()).is_ok());
        let nested = format!("<table><tr><td><table>{}</table></td></tr>{}</table>", rows(2), rows(3));
        let err = HtmlParser::SLIM.parse(&nested, &limits, &Deadline::none()).unwrap_err();
        assert_eq!(
            err.to_string(),
            "parse: an HTML table has 4 rows, over the limit of 3 (limits.toml max_table_rows)"
        );
        let unclosed = format!("<table>{}", rows(9));
        assert!(matches!(
            HtmlParser::SLIM.parse(&unclosed, &limits, &Deadline::none()),
            Err(ParseError::TableTooLarge { rows: 9, limit: 3 })
        ));
    }

    #[test]
    fn deep_nesting_does_not_overflow() {
        let html = format!("{}深{}", "<div>".repeat(20_000), "</div>".repeat(20_000));
        assert_eq!(parse(&html).lines[0].joined(), "深");
    }
}
