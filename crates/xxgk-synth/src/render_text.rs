//! Text from crawled pages and converters: one cell per line (blank-line
//! separated, or ` |`-suffixed), pipe rows, and markdown pipe tables from PDF
//! converters (broken header words, headers repeated after a page break).

use crate::doc::{Block, Doc};
use crate::grid::{Grid, Slot};
use crate::model::Tags;
use crate::pager::Pager;
use crate::rng::Rng;

fn prose(b: &Block) -> Vec<String> {
    match b {
        Block::Furniture(s) | Block::Title(s) | Block::Heading(s) | Block::Para(s) => {
            vec![s.clone()]
        }
        Block::Image(_) => vec!["[图片]".to_string()],
        Block::Signature(lines) => lines.clone(),
        Block::Table(_) => Vec::new(),
    }
}

/// Seed 000: every block and every table cell on a line of its own, with a
/// blank line after each; a broken header keeps its line break.
pub fn cell_per_line(doc: &Doc) -> String {
    let mut out = String::new();
    for b in &doc.blocks {
        let items: Vec<String> = match b {
            Block::Table(g) => g.title.iter().cloned().chain(g.rows.iter().flatten().map(|c| c.text.clone())).collect(),
            _ => prose(b),
        };
        for s in items {
            out.push_str(&s);
            out.push_str("\n\n");
        }
    }
    out
}

/// Seed 004: `cell |` per line, then a line of one `|` per merged position.
pub fn cell_pipe(doc: &Doc) -> String {
    let mut out = Vec::new();
    for b in &doc.blocks {
        let Block::Table(g) = b else {
            out.extend(prose(b));
            continue;
        };
        out.extend(g.title.iter().cloned());
        let occ = g.occupancy();
        for (r, row) in g.rows.iter().enumerate() {
            out.extend(row.iter().map(|c| format!("{} |", c.flat(" "))));
            let extras = g.extras(r, &occ);
            if extras > 0 {
                out.push("|".repeat(extras));
            }
        }
    }
    out.join("\n") + "\n"
}

/// Seed 001: a row per line, `a | b | c |`, merged positions as trailing `|`.
pub fn pipe_rows(doc: &Doc) -> String {
    let mut out = Vec::new();
    for b in &doc.blocks {
        let Block::Table(g) = b else {
            out.extend(prose(b));
            continue;
        };
        out.extend(g.title.iter().cloned());
        let occ = g.occupancy();
        for (r, row) in g.rows.iter().enumerate() {
            let mut line = row.iter().map(|c| format!("{} |", c.flat(" "))).collect::<Vec<_>>().join(" ");
            let extras = g.extras(r, &occ);
            if extras > 0 {
                line.push(' ');
                line.push_str(&"|".repeat(extras));
            }
            out.push(line);
        }
    }
    out.join("\n") + "\n"
}

/// Cells of one grid row at every column: text where a cell starts, empty
/// where a span covers the position.
fn md_cells(g: &Grid, occ: &[Vec<Slot>], r: usize) -> Vec<String> {
    (0..g.ncols)
        .map(|c| match occ[r][c] {
            Some((sr, i)) if sr == r && (c == 0 || occ[r][c - 1] != occ[r][c]) => g.rows[sr][i].text.clone(),
            _ => String::new(),
        })
        .collect()
}

fn md_line(cells: &[String]) -> String {
    format!("| {} |", cells.join(" | "))
}

/// A header row whose words broke across lines becomes two markdown rows.
fn md_header(cells: Vec<String>, tags: &mut Tags) -> Vec<String> {
    if !cells.iter().any(|c| c.contains('\n')) {
        return vec![md_line(&cells)];
    }
    tags.add("md:header-words-broken-across-rows");
    let first: Vec<String> = cells.iter().map(|c| c.split('\n').next().unwrap_or("").to_string()).collect();
    let second: Vec<String> =
        cells.iter().map(|c| c.split_once('\n').map(|(_, b)| b.replace('\n', "")).unwrap_or_default()).collect();
    vec![md_line(&first), md_line(&second)]
}

fn md_table(g: &Grid, pager: &mut Pager, repeat: bool, tags: &mut Tags) {
    let occ = g.occupancy();
    let sep = format!("|{}", "---|".repeat(g.ncols));
    // Converters make the first line the markdown header: the delimiter row
    // follows it, and every other header row is an ordinary row.
    let mut need_sep = true;
    let emit = |pager: &mut Pager, lines: Vec<String>, need_sep: &mut bool| {
        for l in lines {
            pager.raw(l);
            if *need_sep {
                pager.raw(sep.clone());
                *need_sep = false;
            }
        }
    };
    for r in 0..g.rows.len() {
        if pager.due() && r > g.header_rows {
            pager.blank();
            pager.break_page();
            pager.blank();
            need_sep = true;
            if repeat && g.header_rows > 0 {
                tags.add("md:header-repeated-after-page-break");
                for h in 0..g.header_rows {
                    emit(pager, md_header(md_cells(g, &occ, h), tags), &mut need_sep);
                }
            }
        }
        let cells = md_cells(g, &occ, r);
        let lines = if r < g.header_rows {
            md_header(cells, tags)
        } else {
            vec![md_line(&cells.iter().map(|c| c.replace('\n', "")).collect::<Vec<_>>())]
        };
        emit(pager, lines, &mut need_sep);
    }
    pager.blank();
}

/// Markdown from a PDF converter: `#` headings, pipe tables, page footers.
pub fn markdown(doc: &Doc, rng: &mut Rng, tags: &mut Tags) -> String {
    let mut pager = Pager::new(true, rng);
    let repeat = rng.chance(0.6);
    let hashes = ["#", "##", "####"][rng.below(3)];
    for b in &doc.blocks {
        match b {
            Block::Table(g) => {
                if let Some(t) = &g.title {
                    pager.line(format!("**{t}**"));
                    pager.blank();
                }
                md_table(g, &mut pager, repeat, tags);
            }
            Block::Heading(s) | Block::Title(s) => {
                pager.line(format!("{hashes} {s}"));
                pager.blank();
            }
            _ => {
                for l in prose(b) {
                    pager.line(l);
                    pager.blank();
                }
            }
        }
    }
    if pager.footers > 0 {
        tags.add("page-footers");
    }
    pager.finish()
}
