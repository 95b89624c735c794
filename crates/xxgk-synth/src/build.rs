//! Builds the physical grids of tables 二 and 四 from the printed cells, with
//! the merged-cell geometry of the official templates (5-column 2019 table 二,
//! split table 四); table 三 is in `build_app`.

use crate::grid::{GCell, Grid, Role};
use crate::labels::{self, LabelOpts};
use crate::model::{PTable, Tags};
use crate::rng::Rng;
use crate::spec::{ProcUnit, TableOpts, Template};

/// Shared inputs of the grid builders.
pub struct Ctx<'a> {
    pub labels: &'a LabelOpts,
    pub opts: &'a TableOpts,
    pub template: Template,
    /// Whether long header texts get a line break (PDF / Word layouts).
    pub breaks: bool,
    /// Text of an empty non-fact cell.
    pub empty: &'static str,
}

/// Breaks a header in two, as PDF text and Word cells do (本年新\n制作数量).
pub fn brk(text: &str, on: bool, rng: &mut Rng) -> String {
    let chars: Vec<char> = text.chars().collect();
    if !on || chars.len() < 5 || !rng.chance(0.5) {
        return text.to_string();
    }
    let at = rng.int(2, chars.len() as i64 - 2) as usize;
    format!("{}\n{}", chars[..at].iter().collect::<String>(), chars[at..].iter().collect::<String>())
}

struct Block {
    item: &'static str,
    header: Vec<String>,
    rows: Vec<(&'static str, &'static str)>,
}

fn blocks(ctx: &Ctx, rng: &mut Rng) -> Vec<Block> {
    let mut b = |item, header: &[&str], rows: &[(&'static str, &'static str)]| Block {
        item,
        header: header.iter().map(|h| brk(h, ctx.breaks, rng)).collect(),
        rows: rows.to_vec(),
    };
    match ctx.template {
        Template::Y2019 => {
            let amount = match ctx.opts.proc_unit {
                ProcUnit::HeaderWan if ctx.labels.fee_header_short => ctx.labels.punct("采购总金额（万元）"),
                ProcUnit::HeaderWan => ctx.labels.punct("采购总金额（单位：万元）"),
                _ => "采购总金额".to_string(),
            };
            let items = ["信息内容", "上一年项目数量", "本年增/减", "处理决定数量"];
            let blocks = vec![
                b(
                    "一",
                    &["信息内容", "本年新制作数量", "本年新公开数量", "对外公开总数量"],
                    &[("rules", "规章"), ("normative_docs", "规范性文件")],
                ),
                b("五", &items, &[("licensing", "行政许可"), ("other_services", "其他对外管理服务事项")]),
                b("六", &items, &[("penalty", "行政处罚"), ("coercion", "行政强制")]),
                b("八", &items[..3], &[("fees", "行政事业性收费")]),
                b("九", &["信息内容", "采购项目数量", amount.as_str()], &[("procurement", "政府集中采购")]),
            ];
            blocks
        }
        _ => {
            let norm = if ctx.labels.old_normative_label { "规范性文件" } else { "行政规范性文件" };
            let fee = ctx.labels.punct(if ctx.labels.fee_header_short {
                "本年收费金额（万元）"
            } else {
                "本年收费金额（单位：万元）"
            });
            vec![
                b(
                    "一",
                    &["信息内容", "本年制发件数", "本年废止件数", "现行有效件数"],
                    &[("rules", "规章"), ("normative_docs", norm)],
                ),
                b("五", &["信息内容", "本年处理决定数量"], &[("licensing", "行政许可")]),
                b("六", &["信息内容", "本年处理决定数量"], &[("penalty", "行政处罚"), ("coercion", "行政强制")]),
                b("八", &["信息内容", fee.as_str()], &[("fees", "行政事业性收费")]),
            ]
        }
    }
}

/// Column spans of a block row. The 5-column Shanghai 2019 grid misaligns
/// header and data in （五）（六） on purpose (TEMPLATES.md).
fn spans(n: usize, wide: bool, item: &str, header: bool) -> Vec<usize> {
    match (wide, n) {
        (false, 4) => vec![1, 1, 1, 1],
        (false, 3) => vec![1, 1, 2],
        (false, _) => vec![1, 3],
        (true, 4) if item == "五" || item == "六" => {
            if header {
                vec![1, 1, 2, 1]
            } else {
                vec![1, 2, 1, 1]
            }
        }
        (true, 4) => vec![1, 1, 2, 1],
        (true, _) => vec![1, 2, 2],
    }
}

/// Table 二: captions, block headers and data rows in one grid.
pub fn active(t: &PTable, ctx: &Ctx, rng: &mut Rng, tags: &mut Tags) -> Grid {
    let wide = ctx.opts.t2_wide && ctx.template == Template::Y2019;
    if wide {
        tags.add("t2:5-column-grid-header-data-misaligned");
    }
    let mut g = Grid::new("active_disclosure", if wide { 5 } else { 4 });
    for block in blocks(ctx, rng) {
        g.rows.push(vec![GCell::new(Role::Caption, labels::t2_caption(block.item, ctx.labels)).span(1, g.ncols)]);
        let hs = spans(block.header.len(), wide, block.item, true);
        g.rows.push(block.header.iter().zip(hs).map(|(h, s)| GCell::new(Role::Header, h.clone()).span(1, s)).collect());
        for (key, label) in block.rows {
            let row = t.row(key).expect("table 二 row");
            let ds = spans(row.cells.len() + 1, wide, block.item, false);
            let mut cells = vec![GCell::new(Role::Label, label).span(1, ds[0])];
            for ((col, cell), s) in row.cells.iter().zip(&ds[1..]) {
                cells.push(GCell::fact(cell.text.clone(), key, col).span(1, *s));
            }
            g.rows.push(cells);
        }
    }
    g
}

/// Table 四: one 15-number row under 3 header rows, or three small tables.
pub fn review(t: &PTable, ctx: &Ctx, rng: &mut Rng, tags: &mut Tags) -> Vec<Grid> {
    let total = ctx.labels.total_label;
    let outcomes = ["结果维持", "结果纠正", "其他结果", "尚未审结", total];
    let hd = |s: &str, rng: &mut Rng| GCell::new(Role::Header, brk(s, ctx.breaks, rng));
    let vals = |row: &str| -> Vec<GCell> {
        t.row(row).expect("table 四 row").cells.iter().map(|(c, v)| GCell::fact(v.text.clone(), row, c)).collect()
    };
    if ctx.opts.t4_split {
        tags.add("t4:split-into-three-tables");
        let titles = ["行政复议", "行政诉讼（未经复议直接起诉）", "行政诉讼（复议后起诉）"];
        return ["review", "litigation_direct", "litigation_after_review"]
            .iter()
            .zip(titles)
            .map(|(row, title)| {
                let mut g = Grid::new("review_litigation", 5);
                g.rows.push(vec![GCell::new(Role::Caption, ctx.labels.punct(title)).span(1, 5)]);
                g.rows.push(outcomes.iter().map(|o| hd(o, rng)).collect());
                g.rows.push(vals(row));
                g.header_rows = 2;
                g
            })
            .collect();
    }
    tags.add("t4:one-row-of-15");
    let mut g = Grid::new("review_litigation", 15);
    g.rows.push(vec![hd("行政复议", rng).span(1, 5), hd("行政诉讼", rng).span(1, 10)]);
    let mut r2: Vec<GCell> = outcomes.iter().map(|o| hd(o, rng).span(2, 1)).collect();
    r2.push(hd("未经复议直接起诉", rng).span(1, 5));
    r2.push(hd("复议后起诉", rng).span(1, 5));
    g.rows.push(r2);
    g.rows.push(outcomes.iter().chain(outcomes.iter()).map(|o| hd(o, rng)).collect());
    g.rows.push(["review", "litigation_direct", "litigation_after_review"].iter().flat_map(|r| vals(r)).collect());
    g.header_rows = 3;
    vec![g]
}
