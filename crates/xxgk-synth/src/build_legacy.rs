//! Grid of the legacy 统计表 (统计指标 | 单位 | 统计数, or the three aggregate
//! columns), with grouping rows, notes wrapped onto a row of their own,
//! merged empty cells for 六、七 and local rows.

use crate::build::{brk, Ctx};
use crate::grid::{GCell, Grid, Role};
use crate::labels;
use crate::legacy::{LegacyRow, LOCAL_ROWS, ROWS};
use crate::model::{PTable, Tags};
use crate::rng::Rng;

/// Header texts of the value columns by col_key.
fn value_header(col: &str, single: &'static str) -> &'static str {
    match col {
        "counties" => "各县区总数",
        "departments" => "各部门总数",
        "all" => "全市总数",
        _ => single,
    }
}

fn header(cols: &[&'static str], ctx: &Ctx, rng: &mut Rng) -> Vec<GCell> {
    let single = *rng.pick(&["统计数", "数量", "本年"]);
    let indicator = if rng.chance(0.4) { "统 计 指 标" } else { "统计指标" };
    let mut row = vec![GCell::new(Role::Header, indicator), GCell::new(Role::Header, "单位")];
    row.extend(cols.iter().map(|c| GCell::new(Role::Header, brk(value_header(c, single), ctx.breaks, rng))));
    row
}

fn group_row(def: &LegacyRow, ncols: usize, ctx: &Ctx, dash: &str) -> Vec<GCell> {
    let mut row = vec![GCell::new(Role::Label, labels::legacy_label(def, ctx.labels)), GCell::new(Role::Unit, dash)];
    // Grouping rows carry dashes where a text layout cannot show an empty cell.
    let filler = if ctx.empty.is_empty() { "" } else { dash };
    row.extend((2..ncols).map(|_| GCell::new(Role::Extra, filler)));
    row
}

/// A row whose note (（不同渠道和方式公开相同信息计1条）) wrapped onto its own line.
fn note_row(note: &str, ncols: usize, ctx: &Ctx) -> Vec<GCell> {
    let label = GCell::new(Role::Label, ctx.labels.punct(note));
    if ctx.empty.is_empty() {
        let mut row = vec![label];
        row.extend((1..ncols).map(|_| GCell::new(Role::Extra, "")));
        row
    } else {
        vec![label.span(1, ncols)]
    }
}

fn data_row(t: &PTable, key: &str, label: String, unit: &str, merged: bool) -> Vec<GCell> {
    let row = t.row(key).expect("legacy row printed");
    let mut cells = vec![GCell::new(Role::Label, label), GCell::new(Role::Unit, unit)];
    if merged {
        let mut c = GCell::new(Role::Value, "").span(1, row.cells.len());
        c.facts = row.cells.iter().map(|(col, _)| (key.to_string(), *col)).collect();
        cells.push(c);
    } else {
        cells.extend(row.cells.iter().map(|(col, c)| GCell::fact(c.text.clone(), key, col)));
    }
    cells
}

/// The 统计表 grid; `title` is printed above it.
pub fn grid(t: &PTable, ctx: &Ctx, title: String, rng: &mut Rng, tags: &mut Tags) -> Grid {
    let cols: Vec<&'static str> = t.rows[0].cells.iter().map(|(c, _)| *c).collect();
    let mut g = Grid::new("legacy_stats", 2 + cols.len());
    g.title = Some(title);
    g.rows.push(header(&cols, ctx, rng));
    g.header_rows = 1;
    let dash = if rng.chance(0.5) { "—" } else { "——" };
    let merged = ctx.opts.legacy_aggregate && ctx.opts.legacy_merged_blank && cols.len() == 3;
    if merged {
        tags.add("legacy:六七-merged-empty-cells");
    }
    for def in ROWS {
        let Some(key) = def.key else {
            g.rows.push(group_row(def, g.ncols, ctx, dash));
            continue;
        };
        if t.row(key).is_none() {
            tags.add("legacy:row-absent(政务微信)");
            continue;
        }
        let mut label = labels::legacy_label(def, ctx.labels);
        let wrap_note = def.note.is_some() && ctx.opts.legacy_note_rows;
        if let (Some(note), false) = (def.note, wrap_note) {
            label.push_str(&ctx.labels.punct(note));
        }
        let is_merged = merged && (key == "complaints" || key == "fees_wan");
        g.rows.push(data_row(t, key, label, def.unit, is_merged));
        if let (Some(note), true) = (def.note, wrap_note) {
            tags.add("legacy:note-on-its-own-row");
            g.rows.push(note_row(note, g.ncols, ctx));
        }
    }
    if t.rows.iter().any(|r| !r.listed) {
        tags.add("legacy:local-unlisted-rows");
        let def = LegacyRow {
            key: None,
            numbering: crate::legacy::Numbering::Top("十"),
            text: "其他情况",
            unit: "—",
            note: None,
        };
        g.rows.push(group_row(&def, g.ncols, ctx, dash));
        for (i, (label, unit)) in LOCAL_ROWS.iter().enumerate() {
            let key = format!("unlisted:{label}");
            let num = ctx.labels.paren(["一", "二"][i]);
            g.rows.push(data_row(t, &key, format!("{num}{label}"), unit, false));
        }
    }
    g
}
