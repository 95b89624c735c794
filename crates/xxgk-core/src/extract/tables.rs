//! Per-table extraction: assigned observed rows → facts, with each table's column rules.

use super::labels::{How, RowMatcher};
use super::numbers::Money;
use super::rows::{assign, fit, fit_options, printed_label, Assigned, ObsRow, Slot};
use super::tokens::Pos;
use crate::config::TableSpec;
use crate::model::{CompactString, Fact};
use crate::normalize::text_key;
use std::collections::BTreeMap;

/// What one table's extraction produced.
#[derive(Debug, Default)]
pub struct TableOut {
    pub facts: Vec<Fact>,
    pub warnings: Vec<String>,
    /// Template rows matched (a table with none was not found).
    pub rows_found: usize,
}

/// The shared inputs of every table extractor.
pub struct Ctx<'a> {
    pub obs: &'a [ObsRow],
    pub pos: &'a [Pos],
    pub simplify: &'a dyn Fn(&str) -> String,
}

/// A table whose rows carry a fixed list of columns (table 三, table 二, legacy).
pub struct RowTable<'a> {
    pub spec: &'a TableSpec,
    pub matcher: &'a RowMatcher,
    /// Column keys and the labels written to raw_col_label, when not per row.
    pub columns: Vec<(String, Option<String>)>,
    /// Physical index of a non-template column (法人或其他组织小计) to drop.
    pub extra_column: Option<usize>,
    /// Keep value rows no template row matched, as `unlisted:` keys (legacy).
    pub keep_unlisted: bool,
    /// Grid columns of the first and last value column, when the header shows a full grid.
    pub value_cells: Option<(u16, u16)>,
}

impl RowTable<'_> {
    pub fn extract(&self, ctx: &Ctx, candidates: &[usize]) -> TableOut {
        let mut out = TableOut::default();
        let assigned = assign(ctx.obs, candidates, self.matcher);
        let keys: Vec<&str> = assigned.iter().map(|a| self.matcher.rows[a.row].key.as_str()).collect();
        let pad = self.usual_padding(ctx, &assigned);
        let split = if self.spec.table == "applications" {
            super::flattened::split_rows(self, ctx, &assigned, pad, &mut out.warnings)
        } else {
            BTreeMap::new()
        };
        for a in &assigned {
            let row = &self.matcher.rows[a.row];
            if row.group {
                continue;
            }
            if let Some(prefix) = &row.subtotal_of {
                if keys.iter().any(|k| k.starts_with(prefix.as_str())) {
                    out.warnings.push(format!(
                        "{}: row {} printed as a subtotal of its sub-rows; not a fact",
                        self.spec.table, row.key
                    ));
                    continue;
                }
            }
            if self.row_facts(ctx, a, pad, &split, &mut out) {
                out.rows_found += 1;
            }
        }
        if self.keep_unlisted && !assigned.is_empty() {
            self.unlisted(ctx, candidates, &assigned, &mut out);
        }
        out
    }

    /// Facts of one assigned row; false when its cells could not be placed.
    fn row_facts(
        &self,
        ctx: &Ctx,
        a: &Assigned,
        pad: Option<usize>,
        split: &BTreeMap<usize, Vec<Slot>>,
        out: &mut TableOut,
    ) -> bool {
        let row = &self.matcher.rows[a.row];
        let obs = &ctx.obs[a.obs];
        let raw_label = match a.how {
            How::Exact => printed_label(obs, self.matcher, a.row, ctx.simplify),
            _ => obs.parts.last().cloned().unwrap_or_default(),
        };
        note_how(&self.spec.table, &row.key, &raw_label, a.how, out);
        let columns: Vec<(String, Option<String>)> = if row.columns.is_empty() {
            self.columns.clone()
        } else {
            row.columns.iter().map(|c| (c.clone(), None)).collect()
        };
        let fitted = match split.get(&a.obs) {
            Some(cells) => Ok(cells.clone()),
            None => self.fitted(ctx, a, columns.len(), pad),
        };
        let slots = match fitted {
            Ok(s) => s,
            Err(why) => {
                out.warnings.push(format!("{}: row {} ('{}') left out: {}", self.spec.table, row.key, raw_label, why));
                return false;
            }
        };
        for ((col, col_label), slot) in columns.iter().zip(&slots) {
            let fact =
                make_fact(&self.spec.table, &row.key, col, col_label.clone(), &raw_label, slot, &mut out.warnings);
            out.facts.push(fact);
        }
        true
    }

    /// A row's cells on its template columns (the 小计 column removed).
    pub fn fitted(&self, ctx: &Ctx, a: &Assigned, n_columns: usize, pad: Option<usize>) -> Result<Vec<Slot>, String> {
        let slots = &ctx.obs[a.obs].slots;
        let physical = n_columns + usize::from(self.extra_column.is_some());
        let placed = self.value_cells.and_then(|cells| by_grid(slots, ctx.pos, cells, physical));
        let mut s = placed.map(Ok).unwrap_or_else(|| self.choose_fit(slots, physical, pad).map(|x| x.1))?;
        if let Some(x) = self.extra_column {
            s.remove(x);
        }
        Ok(s)
    }

    /// Fits cells to the columns. Where blank cells at both ends make it ambiguous which are
    /// padding, table 三's row total decides: a fit it verifies wins; else the padding (`pad`,
    /// cells dropped from the end) that this table's unambiguous rows showed; else the one fit
    /// the total does not break. Returns the padding used with the cells.
    fn choose_fit(&self, slots: &[Slot], physical: usize, pad: Option<usize>) -> Result<(usize, Vec<Slot>), String> {
        let options = fit_options(slots, physical);
        if options.is_empty() {
            return Err(fit(slots, physical).err().unwrap_or_default());
        }
        self.pick_fit(options, pad)
    }

    /// `choose_fit` among the fits `fit_options` gave (at least one).
    fn pick_fit(&self, options: Vec<(usize, Vec<Slot>)>, pad: Option<usize>) -> Result<(usize, Vec<Slot>), String> {
        if options.len() == 1 || self.spec.table != "applications" {
            return Ok(options.into_iter().next().expect("at least one fit"));
        }
        let verdict = |s: &Vec<Slot>| {
            let mut v: Vec<Option<f64>> = s.iter().map(|x| x.num.map(|n| n.value)).collect();
            if let Some(x) = self.extra_column {
                v.remove(x);
            }
            let parts: Vec<f64> = v[..v.len() - 1].iter().flatten().copied().collect();
            match v.last().copied().flatten() {
                Some(_) if parts.is_empty() => None,
                Some(total) => Some((parts.iter().sum::<f64>() - total).abs() < 1e-6),
                None => None,
            }
        };
        let verified: Vec<&(usize, Vec<Slot>)> = options.iter().filter(|o| verdict(&o.1) == Some(true)).collect();
        let open: Vec<&(usize, Vec<Slot>)> = options.iter().filter(|o| verdict(&o.1).is_none()).collect();
        // Without a fit the total verifies, the layout's padding outranks "the one fit the
        // total does not break": in a row whose total is misprinted, that fit is the wrong
        // one and hides the misprint, while the layout's fit shows it as a failed check.
        let padded = pad.and_then(|p| options.iter().find(|o| o.0 == p));
        match (verified.as_slice(), open.as_slice(), padded) {
            ([one], _, _) => Ok((*one).clone()),
            ([], _, Some(o)) => Ok(o.clone()),
            ([], [one], None) => Ok((*one).clone()),
            ([], many, None) if many.len() > 1 => {
                Err(format!("{} placements of its blank cells are possible", many.len()))
            }
            ([], _, None) => Err("no placement of its blank cells satisfies the row total".to_string()),
            (many, _, _) => Err(format!("{} placements of its blank cells satisfy the row total", many.len())),
        }
    }

    /// The padding most unambiguous rows of this table used (a layout writes every row alike).
    fn usual_padding(&self, ctx: &Ctx, assigned: &[Assigned]) -> Option<usize> {
        let mut counts: std::collections::BTreeMap<usize, usize> = Default::default();
        for a in assigned.iter().filter(|a| !self.matcher.rows[a.row].group) {
            let physical = self.columns.len() + usize::from(self.extra_column.is_some());
            let slots = &ctx.obs[a.obs].slots;
            // A row whose first cell is filled can only be padded at the end: that padding
            // is the layout's too (`| 40 | 17 | … | 68 | ||` above `| | | … | 1 | | ||`).
            let options = fit_options(slots, physical);
            let padding = match options.len() {
                0 => None,
                1 => (slots.len() > physical).then_some(options[0].0),
                _ => self.pick_fit(options, None).ok().map(|(p, _)| p),
            };
            if let Some(p) = padding.filter(|&p| p != usize::MAX) {
                *counts.entry(p).or_default() += 1;
            }
        }
        counts.into_iter().max_by_key(|e| e.1).map(|e| e.0)
    }

    /// Legacy rows of local tables keep their numbers under `unlisted:` keys.
    fn unlisted(&self, ctx: &Ctx, candidates: &[usize], assigned: &[Assigned], out: &mut TableOut) {
        let (first, last) = (assigned[0].obs, assigned[assigned.len() - 1].obs);
        for &o in candidates.iter().filter(|&&o| o > first && o < last) {
            let obs = &ctx.obs[o];
            if assigned.iter().any(|a| a.obs == o) || !obs.has_value() || obs.key.is_empty() {
                continue;
            }
            let label = obs.parts.last().cloned().unwrap_or_default();
            let key = format!("unlisted:{}", unlisted_key(&(ctx.simplify)(&label)));
            let Ok(slots) = fit(&obs.slots, self.columns.len()) else {
                out.warnings
                    .push(format!("{}: unlisted row '{}' does not fit the columns; left out", self.spec.table, label));
                continue;
            };
            out.warnings.push(format!("{}: row '{}' matches no indicator; kept as {}", self.spec.table, label, key));
            for ((col, col_label), slot) in self.columns.iter().zip(&slots) {
                out.facts.push(make_fact(
                    &self.spec.table,
                    &key,
                    col,
                    col_label.clone(),
                    &label,
                    slot,
                    &mut out.warnings,
                ));
            }
        }
    }
}

/// Places a one-line row's cells by their grid columns, as the header lays them out; None
/// when the row is not on one grid line or has numbers outside the value columns.
fn by_grid(slots: &[Slot], pos: &[Pos], (first, last): (u16, u16), physical: usize) -> Option<Vec<Slot>> {
    if usize::from(last - first) + 1 != physical {
        return None;
    }
    let blank = |s: &Slot| s.num.is_none() && s.raw.is_empty();
    // Blank cells of the next line (before its label) join the row; they hold no place.
    let line = pos[slots.iter().find(|s| !blank(s)).unwrap_or(slots.first()?).tok].line;
    let mut out: Vec<Slot> = (0..physical).map(|_| Slot { raw: String::new(), num: None, tok: slots[0].tok }).collect();
    for s in slots {
        let p = pos[s.tok];
        if p.line != line && blank(s) {
            continue;
        }
        let cell = p.cell.filter(|_| p.line == line)?;
        match (first..=last).contains(&cell) {
            true => out[usize::from(cell - first)] = s.clone(),
            false if s.num.is_none() && s.raw.is_empty() => {}
            false => return None,
        }
    }
    Some(out)
}

/// Where a non-template column (法人或其他组织小计) sits: the index whose value is the sum of
/// the five organisation columns once it is removed, agreed by every full row; None if unsure.
pub fn locate_extra_column(obs: &[ObsRow], cands: &[usize], table: &RowTable) -> Option<usize> {
    let n = table.columns.len() + 1;
    let full: Vec<Vec<f64>> = cands
        .iter()
        .filter_map(|&c| fit(&obs[c].slots, n).ok())
        .filter(|s| s.iter().all(|x| x.num.is_some()))
        .map(|s| s.iter().map(|x| x.num.map_or(0.0, |v| v.value)).collect())
        .collect();
    let fits = |x: usize| full.iter().all(|v| fits_row(v, x));
    let good: Vec<usize> = (1..n).filter(|&x| fits(x)).collect();
    // Printed just before 总计 in every known layout; elsewhere only if the numbers agree.
    let before_total = n - 2;
    // A report may print one inconsistent row: the usual place still counts if it explains
    // every full row but at most one.
    let support = full.iter().filter(|v| fits_row(v, before_total)).count();
    if support > 0 && support + 1 >= full.len() {
        return Some(before_total);
    }
    let reduced = |x: usize| -> Vec<Vec<f64>> {
        full.iter().map(|v| v.iter().enumerate().filter(|e| e.0 != x).map(|e| *e.1).collect()).collect()
    };
    if good.contains(&before_total) {
        Some(before_total)
    } else if !good.is_empty() && good.iter().all(|&x| reduced(x) == reduced(good[0])) {
        Some(good[0])
    } else {
        None
    }
}

/// With column `x` removed, `x` is the sum of the five organisation columns and 总计 the sum
/// of the six applicant columns.
fn fits_row(v: &[f64], x: usize) -> bool {
    let mut rest = v.to_vec();
    let sub = rest.remove(x);
    let orgs: f64 = rest[1..6].iter().sum();
    (sub - orgs).abs() < 1e-6 && (rest[6] - rest[..6].iter().sum::<f64>()).abs() < 1e-6
}

fn note_how(table: &str, key: &str, label: &str, how: How, out: &mut TableOut) {
    match how {
        How::Exact => {}
        How::Fuzzy(score) => out.warnings.push(format!("{table}: label '{label}' matched {key} fuzzily ({score:.2})")),
        How::Position => out
            .warnings
            .push(format!("{table}: unreadable label '{label}' placed as {key} by its position in the template")),
    }
}

/// Simplified label without whitespace and leading numbering (`（三）`, `1.`, `一、`).
pub fn unlisted_key(label: &str) -> String {
    let compact: String = label.chars().map(crate::normalize::fold_char).filter(|c| !c.is_whitespace()).collect();
    let numerals = |c: char| "一二三四五六七八九十0123456789".contains(c);
    let mut s = compact.as_str();
    loop {
        let before = s.len();
        if let Some(rest) = s.strip_prefix('(') {
            if let Some(end) = rest.find(')') {
                if rest[..end].chars().all(numerals) {
                    s = &rest[end + 1..];
                }
            }
        }
        let lead: usize = s.chars().take_while(|&c| numerals(c)).map(char::len_utf8).sum();
        if lead > 0 {
            if let Some(rest) = s[lead..].strip_prefix(['、', '.', '．', ':']) {
                s = rest;
            }
        }
        s = s.trim_start_matches(['、', '.', ':', '：']);
        if s.len() == before {
            break;
        }
    }
    s.to_string()
}

/// One fact from one slot; amounts printed in 元 for a 万元 key are converted and noted.
pub fn make_fact(
    table: &str,
    row: &str,
    col: &str,
    col_label: Option<String>,
    label: &str,
    slot: &Slot,
    warnings: &mut Vec<String>,
) -> Fact {
    let mut value = slot.num.map(|n| n.value);
    if let Some(n) = slot.num {
        let wan_key = col.ends_with("_wan") || row.ends_with("_wan");
        if wan_key && n.money == Some(Money::Yuan) {
            value = Some(n.value / 10_000.0);
            warnings.push(format!("{table}: {row}/{col} printed in 元 ('{}'), converted to 万元", slot.raw));
        }
        if n.has_note {
            warnings.push(format!("{table}: {row}/{col} cell '{}' carries a note; kept its leading number", slot.raw));
        }
    }
    Fact {
        table: table.into(),
        row_key: row.into(),
        col_key: col.into(),
        value,
        raw_row_label: (!label.is_empty()).then(|| label.into()),
        raw_col_label: col_label.map(CompactString::from),
        raw_value: slot.raw.as_str().into(),
    }
}

/// Column keys of a table from the header text before its first row, in printed order.
pub fn header_columns(spec: &TableSpec, header: &str) -> Vec<(String, Option<String>)> {
    let key = text_key(header);
    let mut found: Vec<(usize, String, String)> = Vec::new();
    for col in &spec.columns {
        let hit =
            col.labels().iter().filter_map(|l| key.find(&text_key(l)).map(|p| (p, l.clone()))).min_by_key(|x| x.0);
        if let Some((pos, label)) = hit {
            found.push((pos, col.key().to_string(), label));
        }
    }
    found.sort();
    found.into_iter().map(|(_, k, l)| (k, Some(l))).collect()
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::config::Config;

    /// Table 三 as a converter writes it: every row ends in two padding cells, zeros and the
    /// 总计 column blank except rows 一, 二, （七） and 四.
    const PADDED_TABLE_THREE: &str = "三、收到和处理政府信息公开申请情况
（本列数据的勾稽关系为：第一项加第二项之和，等于第三项加第四项之和） | 申请人情况 | ||||||||
自然人 | 法人或其他组织 | 总计 | |||||||
商业企业 | 科研机构 | 社会公益组织 | 法律服务机构 | 其他 | |||||
一、本年新收政府信息公开申请数量 | 4 | 1 |  | 1 |  | 1 | 7 | ||
二、上年结转政府信息公开申请数量 |  |  |  |  |  |  |  | ||
三、本年度办理结果 | （一）予以公开 | 3 | 1 |  |  |  |  |  | |
（二）部分公开 | 1 |  |  | 1 |  |  |  | ||
（五）不予处理 | 1.信访举报投诉类申请 |  |  |  |  |  |  |  | |
3.要求提供公开出版物 |  |  |  |  |  | 1 |  | ||
（七）总计 | 4 | 1 |  | 1 |  | 1 | 7 | ||
四、结转下年度继续办理 |  |  |  |  |  |  |  | ||
";

    #[test]
    fn rows_with_blank_first_cells_take_the_padding_the_other_rows_show() {
        let r = crate::process::process_text(PADDED_TABLE_THREE);
        let row: Vec<(String, Option<f64>)> = r
            .facts
            .iter()
            .filter(|f| f.row_key == "not_processed.publication")
            .map(|f| (f.col_key.to_string(), f.value))
            .collect();
        let other = row.iter().find(|(c, _)| c == "other_org").map(|x| x.1);
        assert_eq!(other, Some(Some(1.0)), "the 1 is an 其他 applicant, not a total: {row:?} {:?}", r.warnings);
        assert_eq!(row.len(), 7, "all seven columns placed");
    }

    #[test]
    fn a_misprinted_total_keeps_the_layouts_padding_and_fails_its_check() {
        // Row 一 prints 1 applicant but a total of 2; dropping one blank cell at each end would
        // make the 2 an 其他 applicant and hide the misprint.
        let text = PADDED_TABLE_THREE
            .replace("申请数量 | 4 | 1 |  | 1 |  | 1 | 7 | ||", "申请数量 |  | 1 |  |  |  |  | 2 | ||")
            .replace("办理 |  |  |  |  |  |  |  | ||", "办理 |  | 1 |  |  |  |  | 1 | ||");
        let r = crate::process::process_text(&text);
        let cell =
            |row: &str, col: &str| r.facts.iter().find(|f| f.row_key == row && f.col_key == col).and_then(|f| f.value);
        assert_eq!((cell("new_received", "business"), cell("new_received", "total")), (Some(1.0), Some(2.0)));
        assert_eq!(cell("new_received", "other_org"), None);
        let failed: Vec<&str> = r.checks.iter().filter(|c| !c.passed).map(|c| c.check_id.as_str()).collect();
        assert!(failed.contains(&"applications.row_total.new_received"), "{failed:?}");
    }

    #[test]
    fn unlisted_keys_drop_numbering_and_spaces() {
        assert_eq!(unlisted_key("（三）其他 情形数"), "其他情形数");
        assert_eq!(unlisted_key("1. 电子邮件申请数"), "电子邮件申请数");
        assert_eq!(unlisted_key("十二、网站访问量"), "网站访问量");
    }

    #[test]
    fn legacy_header_columns_in_printed_order() {
        let cfg = Config::embedded().unwrap();
        let cols = header_columns(&cfg.tables.legacy_stats, "统 计 指 标 单位 各县区总数 各部门总数 全市总数");
        let keys: Vec<&str> = cols.iter().map(|c| c.0.as_str()).collect();
        assert_eq!(keys, ["counties", "departments", "all"]);
        let cols = header_columns(&cfg.tables.legacy_stats, "指标名称 计量单位 本期实际 本年累计");
        let keys: Vec<&str> = cols.iter().map(|c| c.0.as_str()).collect();
        assert_eq!(keys, ["value", "cumulative"]);
    }

    #[test]
    fn yuan_amounts_convert_with_a_warning() {
        let slot = Slot { raw: "251000元".into(), num: crate::extract::numbers::parse_number("251000元"), tok: 0 };
        let mut w = Vec::new();
        let f = make_fact("active_disclosure", "procurement", "amount_wan", None, "政府集中采购", &slot, &mut w);
        assert_eq!(f.value, Some(25.1));
        assert_eq!(w.len(), 1);
    }
}
