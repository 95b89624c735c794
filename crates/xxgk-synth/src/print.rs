//! How each true number is printed: blanks and placeholders (null facts),
//! signed deltas, 万元 amounts with separators or in 元, notes inside cells.

use crate::issuers::{Issuer, Kind, Level};
use crate::model::{Num, PCell, PTable, Row, Table, Tags, TrueTable};
use crate::rng::Rng;
use crate::spec::{Format, ProcUnit, TableOpts, ZeroStyle};

/// Per-document printing context.
pub struct Printer<'a> {
    pub opts: &'a TableOpts,
    pub format: Format,
    /// The placeholder this document uses for empty cells it cannot leave blank.
    pub placeholder: &'static str,
}

impl<'a> Printer<'a> {
    pub fn new(opts: &'a TableOpts, format: Format, rng: &mut Rng) -> Self {
        Printer { opts, format, placeholder: rng.weighted(&[("—", 1), ("-", 1), ("/", 1), ("无", 1)]) }
    }

    /// An empty cell: truly empty where the format keeps empty cells.
    fn empty(&self) -> PCell {
        if self.format.blanks_visible() {
            PCell::null("")
        } else {
            PCell::null(self.placeholder)
        }
    }

    fn zero_or(&self, n: Num) -> PCell {
        match self.opts.zero_style {
            ZeroStyle::Digit => PCell::num(n),
            _ if !n.is_zero() => PCell::num(n),
            ZeroStyle::Blank => self.empty(),
            ZeroStyle::Dash => PCell::null(self.placeholder),
        }
    }

    /// Tables 三 and 四: zero style, and the 总计 column left blank except on
    /// 一、二、（七）、四 when `total_blank` is on.
    pub fn counts(&self, t: &TrueTable, tags: &mut Tags) -> PTable {
        let keep_total = ["new_received", "carried_over", "total_processed", "carried_forward"];
        let blank_total = self.opts.total_blank && t.name == "applications";
        if blank_total {
            tags.add("t3:total-column-blank-except-一二七四");
        }
        let out = map_table(t, |row, col, n| {
            if blank_total && col == "total" && !keep_total.contains(&row) {
                self.empty()
            } else {
                self.zero_or(n)
            }
        });
        match self.opts.zero_style {
            ZeroStyle::Blank if t.name == "applications" => tags.add("t3:zeros-left-blank"),
            ZeroStyle::Dash if t.name == "applications" => tags.add("t3:zeros-as-placeholder"),
            _ => {}
        }
        tag_nulls(&out, tags);
        out
    }

    /// 2019 table 二.
    pub fn active_2019(&self, t: &TrueTable, issuer: &Issuer, tags: &mut Tags) -> PTable {
        let small = issuer.kind == Kind::Department || issuer.level() == Level::County;
        let out = map_table(t, |row, col, n| match (row, col) {
            ("rules", _) if small && self.opts.t2_placeholders && n.is_zero() => {
                tags.add("val:placeholder-in-table-二");
                PCell::null(self.placeholder)
            }
            (_, "change") => signed(n, self.opts.signed_plus, tags),
            ("procurement", "amount_wan") => self.procurement(n, tags),
            _ => PCell::num(n),
        });
        tag_nulls(&out, tags);
        out
    }

    fn procurement(&self, n: Num, tags: &mut Tags) -> PCell {
        match self.opts.proc_unit {
            ProcUnit::HeaderWan => self.wan(n, tags),
            ProcUnit::CellWan => {
                tags.add("val:万元-written-in-cell");
                PCell { text: format!("{}万元", n.plain()), value: Some(n) }
            }
            ProcUnit::CellYuan => yuan(n, tags),
        }
    }

    /// A 万元 amount, sometimes with thousands separators (3,194.752).
    fn wan(&self, n: Num, tags: &mut Tags) -> PCell {
        if matches!(n, Num::Dec { scale, .. } if scale > 0 && n.plain().contains('.')) {
            tags.add("val:万元-decimals");
        }
        if self.opts.thousands && n.as_f64() >= 1000.0 {
            tags.add("val:thousands-separator");
            return PCell { text: thousands(&n.plain()), value: Some(n) };
        }
        PCell::num(n)
    }

    /// 2021 table 二, with notes such as 22（其中修订16件） in some cells.
    pub fn active_2021(&self, t: &TrueTable, rng: &mut Rng, tags: &mut Tags) -> PTable {
        map_table(t, |row, col, n| match (row, col) {
            ("fees", _) if self.opts.fee_in_yuan && !n.is_zero() => yuan(n, tags),
            ("fees", _) => self.wan(n, tags),
            (_, "in_force" | "issued") if self.opts.cell_notes && matches!(n, Num::Int(v) if v >= 3) => {
                tags.add("val:note-inside-cell");
                let Num::Int(v) = n else { unreachable!() };
                let note = if col == "issued" { "其中修订" } else { "含自然失效" };
                PCell { text: format!("{v}（{note}{}件）", rng.int(1, v - 1)), value: Some(n) }
            }
            _ => PCell::num(n),
        })
    }

    /// Legacy 统计表: zero rows often left blank; 六、七 sometimes merged and
    /// empty across the three aggregate columns; funding sometimes in 元.
    pub fn legacy(&self, t: &TrueTable, rng: &mut Rng, tags: &mut Tags) -> PTable {
        let merged = self.opts.legacy_aggregate && self.opts.legacy_merged_blank;
        let mut blanked = false;
        let out = map_table(t, |row, _col, n| {
            if merged && (row == "complaints" || row == "fees_wan") {
                return PCell::null("");
            }
            if row == "org.funding_wan" && self.opts.legacy_funding_yuan && !n.is_zero() {
                return yuan(n, tags);
            }
            if n.is_zero() && self.opts.legacy_blank_zeros && rng.chance(0.8) {
                blanked = true;
                return self.empty();
            }
            PCell::num(n)
        });
        if blanked {
            tags.add("legacy:blank-cells");
        }
        tag_nulls(&out, tags);
        out
    }
}

/// Records which kinds of null cell the table prints.
fn tag_nulls(t: &PTable, tags: &mut Tags) {
    for (_, c) in t.rows.iter().flat_map(|r| r.cells.iter()).filter(|(_, c)| c.value.is_none()) {
        tags.add(if c.text.is_empty() { "val:empty-cell".to_string() } else { format!("val:placeholder-{}", c.text) });
    }
}

fn map_table(t: &TrueTable, mut f: impl FnMut(&str, &'static str, Num) -> PCell) -> PTable {
    let rows = t
        .rows
        .iter()
        .map(|r| Row {
            key: r.key.clone(),
            listed: r.listed,
            cells: r.cells.iter().map(|(c, n)| (*c, f(&r.key, c, *n))).collect(),
        })
        .collect();
    Table { name: t.name, rows }
}

fn signed(n: Num, plus: bool, tags: &mut Tags) -> PCell {
    match n {
        Num::Int(v) if v < 0 => {
            tags.add("val:signed-delta");
            PCell::num(n)
        }
        Num::Int(v) if v > 0 && plus => {
            tags.add("val:signed-delta");
            PCell { text: format!("+{v}"), value: Some(n) }
        }
        _ => PCell::num(n),
    }
}

/// A 万元 value printed in 元 ("251000元" stands for 25.1).
fn yuan(n: Num, tags: &mut Tags) -> PCell {
    let yuan = match n {
        Num::Int(v) => v * 10_000,
        Num::Dec { units, scale } => units * 10i64.pow(4 - u32::from(scale.min(4))),
    };
    tags.add("val:amount-in-元-for-万元-key");
    PCell { text: format!("{yuan}元"), value: Some(n) }
}

/// Inserts thousands separators into the integer part of a decimal literal.
pub fn thousands(plain: &str) -> String {
    let (int, frac) = plain.split_once('.').map_or((plain, None), |(i, f)| (i, Some(f)));
    let digits: Vec<char> = int.chars().collect();
    let mut out = String::new();
    for (i, c) in digits.iter().enumerate() {
        if i > 0 && (digits.len() - i).is_multiple_of(3) {
            out.push(',');
        }
        out.push(*c);
    }
    match frac {
        Some(f) => format!("{out}.{f}"),
        None => out,
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn amounts_print_as_reports_do() {
        assert_eq!(thousands("3194.752"), "3,194.752");
        assert_eq!(thousands("577910"), "577,910");
        assert_eq!(thousands("12"), "12");
        let mut tags = Tags::default();
        let c = yuan(Num::Dec { units: 251_000, scale: 4 }, &mut tags);
        assert_eq!(c.text, "251000元");
        let c = yuan(Num::Dec { units: 701, scale: 2 }, &mut tags);
        assert_eq!((c.text.as_str(), c.value.unwrap().as_f64()), ("70100元", 7.01));
    }
}
