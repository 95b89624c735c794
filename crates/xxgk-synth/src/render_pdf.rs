//! Text extracted from PDFs and scans: rows as "label v1 v2 …" (or the label
//! with its numbers on the next line), wrapped labels, vertical group labels,
//! page footers; and tab-separated OCR rows with garbled headers.

use crate::doc::{Block, Doc};
use crate::grid::{GCell, Grid, Role};
use crate::model::Tags;
use crate::pager::{wrap, Pager};
use crate::rng::Rng;

#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum GroupStyle {
    /// The sub-group label on a line of its own.
    OwnLine,
    /// Broken over two lines (（三）不\n予公开).
    Broken,
    /// Written before the first item: （三）不予公开 1.属于国家秘密 0 0 …
    Prefix,
}

pub struct PdfOpts {
    pub numbers_below: bool,
    pub para_width: usize,
    pub label_width: usize,
    pub vertical: bool,
    pub group_style: GroupStyle,
    pub glue_flat: bool,
    pub repeat_header: bool,
}

impl PdfOpts {
    pub fn choose(numbers_below: bool, rng: &mut Rng) -> Self {
        PdfOpts {
            numbers_below,
            para_width: rng.int(26, 36) as usize,
            label_width: rng.int(14, 24) as usize,
            vertical: rng.chance(0.6),
            group_style: *rng.pick(&[GroupStyle::OwnLine, GroupStyle::Broken, GroupStyle::Prefix]),
            glue_flat: rng.chance(0.5),
            repeat_header: rng.chance(0.4),
        }
    }
}

fn group_lines(cell: &GCell, o: &PdfOpts, tags: &mut Tags) -> Vec<String> {
    let text = cell.flat("");
    let chars: Vec<char> = text.chars().collect();
    if cell.rowspan > 12 && o.vertical {
        tags.add("pdf:vertical-label-one-char-per-line");
        // 三、 stays together, as pypdf prints it
        let (head, rest) = if chars.len() > 2 && chars[1] == '、' { (2, &chars[2..]) } else { (0, &chars[..]) };
        let mut out = vec![chars[..head].iter().collect::<String>()];
        out.retain(|s| !s.is_empty());
        out.extend(rest.iter().map(|c| c.to_string()));
        return out;
    }
    match o.group_style {
        GroupStyle::Broken if chars.len() > 4 => {
            let at = chars.len() - 3;
            vec![chars[..at].iter().collect(), chars[at..].iter().collect()]
        }
        _ => vec![text],
    }
}

/// One data row: group labels first, then the wrapped label with the values
/// on its last line (or on the next line).
fn data_row(row: &[GCell], o: &PdfOpts, pager: &mut Pager, tags: &mut Tags) {
    let mut prefix = String::new();
    for g in row.iter().filter(|c| c.role == Role::Group) {
        if o.group_style == GroupStyle::Prefix && g.rowspan <= 12 {
            prefix = format!("{} ", g.flat(""));
            continue;
        }
        for l in group_lines(g, o, tags) {
            pager.line(l);
        }
    }
    let label: Vec<String> = row.iter().filter(|c| c.role == Role::Label).map(|c| c.flat("")).collect();
    // the 单位 column is a column of its own: it follows the label's last line
    let units = row.iter().filter(|c| c.role == Role::Unit).map(|c| c.text.clone());
    let values: Vec<String> =
        units.chain(row.iter().filter(|c| c.is_value() && !c.text.is_empty()).map(|c| c.text.clone())).collect();
    let label = format!("{prefix}{}", label.join(" "));
    let mut lines = if label.is_empty() { Vec::new() } else { wrap(&label, o.label_width) };
    if lines.len() > 1 {
        tags.add("pdf:wrapped-labels");
    }
    let flat = row.iter().any(|c| c.facts.len() > 1);
    let vals = values.join(" ");
    let last = lines.len().saturating_sub(1);
    match () {
        _ if values.is_empty() => {}
        _ if o.numbers_below || lines.is_empty() => lines.push(vals),
        _ if flat && o.glue_flat => lines[last] += &vals,
        _ => lines[last] += &format!(" {vals}"),
    }
    for l in lines {
        pager.line(l);
    }
}

fn header_rows(g: &Grid, pager: &mut Pager) {
    for row in &g.rows[..g.header_rows] {
        // table 二 and 统计表 headers come out as one line; the tall headers of
        // 三 and 四 one cell (or cell fragment) per line
        if g.table == "active_disclosure" || g.table == "legacy_stats" {
            pager.line(row.iter().map(|c| c.flat("")).collect::<Vec<_>>().join(" "));
        } else {
            for c in row {
                for part in c.text.split('\n') {
                    pager.line(part.to_string());
                }
            }
        }
    }
}

fn table_rows(g: &Grid, o: &PdfOpts, pager: &mut Pager, tags: &mut Tags) {
    if let Some(t) = &g.title {
        pager.line(t.clone());
    }
    header_rows(g, pager);
    for row in &g.rows[g.header_rows..] {
        if pager.due() && o.repeat_header && g.header_rows >= 3 {
            pager.break_page();
            tags.add("pdf:header-repeated-after-page-break");
            header_rows(g, pager);
        }
        match row.first().map(|c| c.role) {
            Some(Role::Caption) | Some(Role::Header) => {
                pager.line(row.iter().map(|c| c.flat("")).collect::<Vec<_>>().join(" "))
            }
            _ => data_row(row, o, pager, tags),
        }
    }
}

/// PDF text (pypdf-like): one table row per line, values after the label.
pub fn text_rows(doc: &Doc, o: &PdfOpts, rng: &mut Rng, tags: &mut Tags) -> String {
    let mut pager = Pager::new(true, rng);
    for b in &doc.blocks {
        match b {
            Block::Table(g) => table_rows(g, o, &mut pager, tags),
            Block::Para(s) => wrap(s, o.para_width).into_iter().for_each(|l| pager.line(l)),
            Block::Furniture(s) | Block::Title(s) | Block::Heading(s) => pager.line(s.clone()),
            Block::Image(_) => {}
            Block::Signature(lines) => lines.iter().for_each(|l| pager.line(l.clone())),
        }
    }
    if pager.footers > 0 {
        tags.add("page-footers");
    }
    pager.finish()
}
