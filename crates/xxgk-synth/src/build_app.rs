//! Grid of table 三 (收到和处理政府信息公开申请情况): three header rows, the
//! merged 三、本年度办理结果 and sub-group labels, and the variants (法人或其他
//! 组织小计 column, group subtotal rows, rows printed run together).

use crate::build::{brk, Ctx};
use crate::grid::{GCell, Grid, Role};
use crate::labels;
use crate::model::{PCell, PTable, Tags, APP_COLS};
use crate::rng::Rng;

/// The sub-group a table 三 row belongs to, if any.
fn group_of(key: &str) -> Option<&'static str> {
    ["denied", "unavailable", "not_processed", "other"].into_iter().find(|g| key.starts_with(&format!("{g}.")))
}

/// A non-fact sum (小计 column, group subtotal) printed like the facts around it.
fn extra(cells: &[&PCell], ctx: &Ctx) -> GCell {
    if cells.iter().all(|c| c.value.is_none()) {
        return GCell::new(Role::Extra, ctx.empty);
    }
    let sum: f64 = cells.iter().filter_map(|c| c.value).map(|v| v.as_f64()).sum();
    GCell::new(Role::Extra, format!("{}", sum as i64))
}

fn value_cells(t: &PTable, key: &str, flat: bool, ctx: &Ctx) -> Vec<GCell> {
    let row = t.row(key).expect("table 三 row");
    if flat {
        let mut c =
            GCell::new(Role::Value, row.cells.iter().map(|(_, c)| c.text.as_str()).collect::<String>()).span(1, 7);
        c.facts = row.cells.iter().map(|(col, _)| (key.to_string(), *col)).collect();
        return vec![c];
    }
    let mut out: Vec<GCell> = row.cells.iter().map(|(col, c)| GCell::fact(c.text.clone(), key, col)).collect();
    if ctx.opts.subtotal_col {
        let orgs: Vec<&PCell> = row.cells[1..6].iter().map(|(_, c)| c).collect();
        out.insert(6, extra(&orgs, ctx));
    }
    out
}

fn subtotal_row(t: &PTable, group: &str, ctx: &Ctx) -> Vec<GCell> {
    let members: Vec<_> = t.rows.iter().filter(|r| group_of(&r.key) == Some(group)).collect();
    let mut cells = vec![GCell::new(Role::Label, labels::app_group(group, ctx.labels)).span(1, 2)];
    for (i, _) in APP_COLS.iter().enumerate() {
        if ctx.opts.subtotal_col && i == 6 {
            let all: Vec<&PCell> = members.iter().flat_map(|r| r.cells[1..6].iter().map(|(_, c)| c)).collect();
            cells.push(extra(&all, ctx));
        }
        let col: Vec<&PCell> = members.iter().map(|r| &r.cells[i].1).collect();
        cells.push(extra(&col, ctx));
    }
    cells
}

fn app_header(ctx: &Ctx, rng: &mut Rng) -> Vec<Vec<GCell>> {
    let h = labels::app_headers(ctx.labels);
    let extra = usize::from(ctx.opts.subtotal_col);
    let hd = |t: &str, rng: &mut Rng| GCell::new(Role::Header, brk(t, ctx.breaks, rng));
    let r1 = vec![GCell::new(Role::Header, h.note.clone()).span(3, 3), hd(&h.applicants, rng).span(1, 7 + extra)];
    let r2 = vec![hd(&h.natural, rng).span(2, 1), hd(&h.legal, rng).span(1, 5 + extra), hd(&h.total, rng).span(2, 1)];
    let mut r3: Vec<GCell> = h.orgs.iter().map(|o| hd(o, rng)).collect();
    if ctx.opts.subtotal_col {
        r3.push(hd(&format!("{}{}", h.legal, h.subtotal), rng));
    }
    vec![r1, r2, r3]
}

/// Where the 三、本年度办理结果 block starts and ends, and how tall it is.
struct Results<'a> {
    first: usize,
    last: usize,
    /// Sub-group of every result row that has one, in order.
    groups: Vec<&'a str>,
    span: usize,
}

fn results<'a>(keys: &[&'a str], subtotals: bool) -> Results<'a> {
    let first = keys.iter().position(|k| *k == "granted").expect("granted row");
    let last = keys.iter().position(|k| *k == "total_processed").expect("total row");
    let groups: Vec<&str> = keys[first..=last].iter().filter_map(|k| group_of(k)).collect();
    let mut distinct = groups.clone();
    distinct.dedup();
    let span = last - first + 1 + if subtotals { distinct.len() } else { 0 };
    Results { first, last, groups, span }
}

/// Label cells of row `i` (pushing a subtotal row first where one belongs).
fn label_cells(
    g: &mut Grid,
    t: &PTable,
    keys: &[&str],
    i: usize,
    res: &Results,
    ctx: &Ctx,
    rng: &mut Rng,
) -> Vec<GCell> {
    let key = keys[i];
    let mut lead: Vec<GCell> = Vec::new();
    if i == res.first {
        lead.push(GCell::new(Role::Group, labels::app_group("results", ctx.labels)).span(res.span, 1));
    }
    let label = GCell::new(Role::Label, labels::app_row(key, ctx.labels));
    let starts_group = |grp| group_of(keys[i - 1]) != Some(grp);
    match group_of(key) {
        _ if i < res.first || i > res.last => lead.push(label.span(1, 3)),
        Some(grp) if ctx.opts.group_subtotals => {
            if starts_group(grp) {
                g.rows.push([std::mem::take(&mut lead), subtotal_row(t, grp, ctx)].concat());
            }
            lead.push(label.span(1, 2));
        }
        Some(grp) => {
            if starts_group(grp) {
                let n = res.groups.iter().filter(|x| **x == grp).count();
                let text = brk(&labels::app_group(grp, ctx.labels), ctx.breaks, rng);
                lead.push(GCell::new(Role::Group, text).span(n, 1));
            }
            lead.push(label);
        }
        None => lead.push(label.span(1, 2)),
    }
    lead
}

/// Table 三 with its 3 header rows, merged group labels and variants.
pub fn applications(t: &PTable, ctx: &Ctx, flat: &[String], rng: &mut Rng, tags: &mut Tags) -> Grid {
    if ctx.opts.subtotal_col {
        tags.add("t3:法人或其他组织小计-column");
    }
    if ctx.opts.group_subtotals {
        tags.add("t3:group-subtotal-rows");
    }
    let mut g = Grid::new("applications", 10 + usize::from(ctx.opts.subtotal_col));
    g.rows = app_header(ctx, rng);
    g.header_rows = 3;
    let keys: Vec<&str> = t.rows.iter().map(|r| r.key.as_str()).collect();
    let res = results(&keys, ctx.opts.group_subtotals);
    for (i, key) in keys.iter().enumerate() {
        let lead = label_cells(&mut g, t, &keys, i, &res, ctx, rng);
        let values = value_cells(t, key, flat.iter().any(|f| f == key), ctx);
        g.rows.push([lead, values].concat());
    }
    g
}
