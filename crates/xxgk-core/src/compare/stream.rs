//! The compare stage in memory that does not grow with the corpus. Every step of the panel is
//! local in some order: copies of a report and an issuer's consecutive years are neighbours
//! once the reports are sorted by (division, issuer, year), and ranks need one rank group at a
//! time once the rows are sorted by (province, year, kind, level). So reports go into an
//! external sort as they arrive (`PanelBuilder::push`); `finish` merges it into panel rows,
//! duplicate links and continuity checks, sorts the rank inputs, and hands back streams the
//! writer reads in slices. With `Spill::memory` the same code runs without touching the disk.

use super::crosswalk::Crosswalk;
use super::packed::Packed;
use super::panel::{
    admin_level, best_copy, competition_ranks, continuity, issuer_key, row_values, value_columns, ContinuityCheck,
    Panel, PanelInput, PanelRow, Shared,
};
use crate::spill::{Keyed, Sorted, Sorter, Spill, SpillError, Spool, Spooled};
use serde::{Deserialize, Serialize};

/// (division_code, issuer under its shortest name, year, input index): a report's copies are
/// consecutive and in corpus order, and an issuer's years follow each other.
type CopyKey = (Option<String>, String, i32, u64);
/// (province, year, issuer kind, administrative level, panel row): one rank group after another.
type RankKey = (String, i32, Option<String>, Option<String>, u64);

/// How many of each sort's items are held in memory per `Spill` budget unit (one panel input,
/// ~0.6 KB): smaller items, longer runs.
const RANK_INPUTS_PER_INPUT: usize = 4;
const RANKS_PER_INPUT: usize = 8;
const DUPLICATES_PER_INPUT: usize = 4;

/// A panel row's ranks (`PanelOutputs::rank_columns` order) and its rank group's size.
type RowRanks = (Vec<Option<u32>>, u32);

/// One panel row as written: the kept copy's own summary, its values and ranks.
#[derive(Debug, Clone, PartialEq)]
pub struct RowOut {
    /// Position of the kept copy among the inputs pushed.
    pub kept_index: u64,
    pub kept: PanelInput,
    pub n_copies: u32,
    /// `PanelOutputs::value_columns` order.
    pub values: Packed,
    /// `PanelOutputs::rank_columns` order.
    pub ranks: Vec<Option<u32>>,
    pub rank_group_size: Option<u32>,
}

/// A row before its ranks are known.
#[derive(Debug, Serialize, Deserialize)]
struct RowBody {
    kept_index: u64,
    kept: PanelInput,
    n_copies: u32,
    values: Packed,
}

/// One cross-year check, with what continuity.parquet prints of both reports.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct ContinuityOut {
    pub report: u64,
    pub previous: u64,
    pub report_id: String,
    pub previous_report_id: String,
    pub issuer: Option<String>,
    pub division_code: Option<String>,
    pub report_year: Option<i32>,
    /// Index into `PanelOutputs::check_ids`.
    pub column: usize,
    pub lhs: f64,
    pub rhs: f64,
    pub passed: bool,
}

/// A copy that defers to the kept copy of its report.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct DuplicateOut {
    pub target: u64,
    pub report_id: String,
    pub source_path: String,
}

#[derive(Debug, Clone, Copy, Default, PartialEq)]
pub struct PanelCounts {
    pub inputs: u64,
    pub rows: u64,
    pub duplicates: u64,
    pub continuity: u64,
    pub continuity_failed: u64,
}

/// Column names and which value columns are ranked, from the crosswalk.
struct Layout {
    value_columns: Vec<String>,
    yoy_index: Vec<usize>,
    rank_columns: Vec<String>,
    ranked: Vec<usize>,
    check_ids: Vec<String>,
}

impl Layout {
    fn new(cw: &Crosswalk) -> Layout {
        let (value_columns, yoy_index) = value_columns(cw);
        let names: Vec<&str> = cw
            .measures
            .iter()
            .filter(|m| m.rank)
            .map(|m| m.name.as_str())
            .chain(cw.rates.iter().filter(|r| r.rank).map(|r| r.name.as_str()))
            .collect();
        // Crosswalk validation makes every ranked name a value column.
        let ranked = names.iter().filter_map(|n| value_columns.iter().position(|c| c == n)).collect();
        let rank_columns = names.iter().map(|n| format!("rank_{n}")).collect();
        let check_ids =
            cw.continuity.columns.iter().map(|col| format!("{}.continuity.{col}", cw.continuity.table)).collect();
        Layout { value_columns, yoy_index, rank_columns, ranked, check_ids }
    }
}

/// Takes every report's `PanelInput` in corpus order.
pub struct PanelBuilder {
    cw: Crosswalk,
    spill: Spill,
    inputs: u64,
    copies: Sorter<CopyKey, PanelInput>,
}

impl PanelBuilder {
    pub fn new(cw: &Crosswalk, spill: Spill) -> Result<PanelBuilder, SpillError> {
        let copies = Sorter::new(&spill, "inputs", 1)?;
        Ok(PanelBuilder { cw: cw.clone(), spill, inputs: 0, copies })
    }

    /// Reports that cannot be compared are counted (their reports row still gets its
    /// duplicate columns) and not kept.
    pub fn push(&mut self, p: PanelInput) -> Result<(), SpillError> {
        let index = self.inputs;
        self.inputs += 1;
        if !p.eligible() {
            return Ok(());
        }
        let key =
            (p.division_code.as_deref().map(str::to_string), issuer_key(&p), p.report_year.unwrap_or_default(), index);
        self.copies.push(key, p)
    }

    pub fn finish(self) -> Result<PanelOutputs, SpillError> {
        let layout = Layout::new(&self.cw);
        let mut pass = RowPass::new(&self.spill, &self.cw, &layout, self.inputs)?;
        let mut group: Vec<(u64, PanelInput)> = Vec::new();
        let mut group_key: Option<(Option<String>, String, i32)> = None;
        for item in self.copies.sorted()? {
            let Keyed { key: (division, issuer, year, index), value } = item?;
            let key = (division, issuer, year);
            if group_key.as_ref() != Some(&key) {
                if let Some(done) = group_key.replace(key) {
                    pass.group(done, std::mem::take(&mut group))?;
                }
            }
            group.push((index, value));
        }
        if let Some(done) = group_key {
            pass.group(done, group)?;
        }
        pass.finish(&self.spill)
    }
}

/// The kept row of the group just written: the next group's previous year, if it is the
/// same issuer's next year.
struct Last {
    issuer: (Option<String>, String),
    year: i32,
    index: u64,
    kept: PanelInput,
    values: Packed,
}

/// The merge over (division, issuer, year): one group of copies at a time.
struct RowPass<'a> {
    cw: &'a Crosswalk,
    layout: &'a Layout,
    counts: PanelCounts,
    last: Option<Last>,
    rows: Spool<RowBody>,
    rank_inputs: Sorter<RankKey, Vec<Option<f64>>>,
    continuity: Spool<ContinuityOut>,
    duplicates: Sorter<u64, DuplicateOut>,
}

impl<'a> RowPass<'a> {
    fn new(spill: &Spill, cw: &'a Crosswalk, layout: &'a Layout, inputs: u64) -> Result<RowPass<'a>, SpillError> {
        Ok(RowPass {
            cw,
            layout,
            counts: PanelCounts { inputs, ..PanelCounts::default() },
            last: None,
            rows: Spool::new(spill, "rows")?,
            rank_inputs: Sorter::new(spill, "rank-inputs", RANK_INPUTS_PER_INPUT)?,
            continuity: Spool::new(spill, "continuity")?,
            duplicates: Sorter::new(spill, "duplicates", DUPLICATES_PER_INPUT)?,
        })
    }

    fn group(
        &mut self,
        (division, issuer, year): (Option<String>, String, i32),
        mut copies: Vec<(u64, PanelInput)>,
    ) -> Result<(), SpillError> {
        let n_copies = copies.len() as u32;
        let (kept_index, kept) = copies.swap_remove(best_copy(&copies));
        for (index, _) in copies {
            let link = DuplicateOut {
                target: kept_index,
                report_id: kept.report_id.clone(),
                source_path: kept.source_path.clone(),
            };
            self.duplicates.push(index, link)?;
            self.counts.duplicates += 1;
        }
        let issuer = (division, issuer);
        let prev = self.last.take().filter(|l| l.issuer == issuer && l.year.checked_add(1) == Some(year));
        let width = self.layout.value_columns.len();
        let values = row_values(&kept, self.cw, &self.layout.yoy_index, width, prev.as_ref().map(|l| &l.values));
        if let Some(l) = &prev {
            self.continuity_checks(l, kept_index, &kept)?;
        }
        let seq = self.counts.rows;
        self.counts.rows += 1;
        if let (Some(province), Some(y)) = (&kept.province, kept.report_year) {
            let level = kept.division_code.as_deref().and_then(admin_level).map(str::to_string);
            let key = (province.to_string(), y, kept.issuer_kind.as_deref().map(str::to_string), level, seq);
            self.rank_inputs.push(key, self.layout.ranked.iter().map(|&c| values.get(c)).collect())?;
        }
        self.rows.push(RowBody { kept_index, kept: kept.clone(), n_copies, values: values.clone() })?;
        self.last = Some(Last { issuer, year, index: kept_index, kept, values });
        Ok(())
    }

    fn continuity_checks(&mut self, prev: &Last, index: u64, now: &PanelInput) -> Result<(), SpillError> {
        for (column, lhs, rhs, passed) in continuity(&prev.kept, now) {
            self.counts.continuity += 1;
            self.counts.continuity_failed += u64::from(!passed);
            self.continuity.push(ContinuityOut {
                report: index,
                previous: prev.index,
                report_id: now.report_id.clone(),
                previous_report_id: prev.kept.report_id.clone(),
                issuer: now.issuer.as_deref().map(str::to_string),
                division_code: now.division_code.as_deref().map(str::to_string),
                report_year: now.report_year,
                column,
                lhs,
                rhs,
                passed,
            })?;
        }
        Ok(())
    }

    /// Ranks, one rank group at a time, sorted back into row order.
    fn finish(self, spill: &Spill) -> Result<PanelOutputs, SpillError> {
        let layout = self.layout;
        let mut ranks: Sorter<u64, RowRanks> = Sorter::new(spill, "ranks", RANKS_PER_INPUT)?;
        let mut members: Vec<(u64, Vec<Option<f64>>)> = Vec::new();
        let mut current: Option<(String, i32, Option<String>, Option<String>)> = None;
        for item in self.rank_inputs.sorted()? {
            let Keyed { key: (province, year, kind, level, seq), value } = item?;
            let group = (province, year, kind, level);
            if current.as_ref() != Some(&group) {
                current = Some(group);
                rank_group(std::mem::take(&mut members), layout.ranked.len(), &mut ranks)?;
            }
            members.push((seq, value));
        }
        rank_group(members, layout.ranked.len(), &mut ranks)?;
        let width = layout.ranked.len();
        let rows = PanelRows { rows: self.rows.read()?, ranks: ranks.sorted()?.peekable(), width, seq: 0 };
        Ok(PanelOutputs {
            value_columns: layout.value_columns.clone(),
            rank_columns: layout.rank_columns.clone(),
            check_ids: layout.check_ids.clone(),
            counts: self.counts,
            rows,
            continuity: self.continuity.read()?,
            duplicates: self.duplicates.sorted()?,
        })
    }
}

/// Competition ranks per ranked column among the group's rows that have a value there.
fn rank_group(
    members: Vec<(u64, Vec<Option<f64>>)>,
    width: usize,
    out: &mut Sorter<u64, RowRanks>,
) -> Result<(), SpillError> {
    let size = members.len() as u32;
    let mut ranks = vec![vec![None; width]; members.len()];
    for k in 0..width {
        let (at, values): (Vec<usize>, Vec<f64>) =
            members.iter().enumerate().filter_map(|(m, (_, v))| v[k].map(|v| (m, v))).unzip();
        for (m, rank) in at.into_iter().zip(competition_ranks(&values)) {
            ranks[m][k] = Some(rank);
        }
    }
    for ((seq, _), r) in members.into_iter().zip(ranks) {
        out.push(seq, (r, size))?;
    }
    Ok(())
}

/// Panel rows in order, each joined with its ranks (rows without a province or year have none).
pub struct PanelRows {
    rows: Spooled<RowBody>,
    ranks: std::iter::Peekable<Sorted<u64, RowRanks>>,
    width: usize,
    /// The next row's position: the spool holds the rows in order.
    seq: u64,
}

impl Iterator for PanelRows {
    type Item = Result<RowOut, SpillError>;

    fn next(&mut self) -> Option<Self::Item> {
        let body = self.rows.next()?;
        let seq = self.seq;
        self.seq += 1;
        Some(body.and_then(|body| self.join(seq, body)))
    }
}

impl PanelRows {
    fn join(&mut self, seq: u64, body: RowBody) -> Result<RowOut, SpillError> {
        // An error is taken too, and returned.
        let (ranks, size) = match self.ranks.next_if(|r| r.as_ref().map_or(true, |r| r.key == seq)) {
            Some(r) => {
                let (ranks, size) = r?.value;
                (ranks, Some(size))
            }
            None => (vec![None; self.width], None),
        };
        let RowBody { kept_index, kept, n_copies, values } = body;
        Ok(RowOut { kept_index, kept, n_copies, values, ranks, rank_group_size: size })
    }
}

/// What `PanelBuilder::finish` hands the writer: counts up front, rows, continuity checks and
/// duplicate links (by input index) as streams.
pub struct PanelOutputs {
    pub value_columns: Vec<String>,
    pub rank_columns: Vec<String>,
    /// `ContinuityOut::column` → the check id.
    pub check_ids: Vec<String>,
    pub counts: PanelCounts,
    pub rows: PanelRows,
    pub continuity: Spooled<ContinuityOut>,
    pub duplicates: Sorted<u64, DuplicateOut>,
}

impl PanelOutputs {
    /// Everything in memory (tests, `build_panel`).
    pub fn collect(self) -> Result<Panel, SpillError> {
        let check_ids: Vec<Shared> = self.check_ids.iter().map(|c| Shared::from(c.as_str())).collect();
        let mut defers_to = vec![None; self.counts.inputs as usize];
        for d in self.duplicates {
            let d = d?;
            defers_to[d.key as usize] = Some(d.value.target as usize);
        }
        let rows = self
            .rows
            .map(|r| {
                r.map(|r| PanelRow {
                    kept: r.kept_index as usize,
                    n_copies: r.n_copies,
                    values: r.values,
                    ranks: r.ranks,
                    rank_group_size: r.rank_group_size,
                })
            })
            .collect::<Result<_, _>>()?;
        let continuity = self
            .continuity
            .map(|c| {
                c.map(|c| ContinuityCheck {
                    report: c.report as usize,
                    previous: c.previous as usize,
                    check_id: Shared::clone(&check_ids[c.column]),
                    lhs: c.lhs,
                    rhs: c.rhs,
                    passed: c.passed,
                })
            })
            .collect::<Result<_, _>>()?;
        Ok(Panel { value_columns: self.value_columns, rank_columns: self.rank_columns, rows, defers_to, continuity })
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::compare::PackedRow;
    use crate::model::Status;
    use proptest::prelude::*;

    const PLACES: [(&str, &str); 4] =
        [("河南省", "411600"), ("河南省", "411602"), ("江苏省", "320813"), ("江苏省", "320000")];

    /// (issuer, place, year, kind, status, n_values, failed, measure seed, copy of the one before)
    type Spec = (usize, usize, i32, bool, u8, u32, u32, u8, bool);

    fn input(i: usize, spec: &Spec, before: Option<&PanelInput>, cw: &Crosswalk) -> PanelInput {
        let &(issuer, place, year, department, status, n_values, failed, seed, copy) = spec;
        if let (true, Some(b)) = (copy, before) {
            // Another copy of the report before it: same issuer-year, its own path and counts.
            return PanelInput {
                source_path: format!("copy-{i}.txt"),
                n_values,
                report_id: format!("r{i}"),
                ..b.clone()
            };
        }
        let (province, code) = PLACES[place % PLACES.len()];
        let status = [Status::Ok, Status::Partial, Status::NoTables, Status::Ok][usize::from(status % 4)];
        let slot =
            |k: usize| (!(usize::from(seed) + k).is_multiple_of(4)).then_some(((usize::from(seed) * 7 + k) % 5) as f64);
        let measures: Vec<Option<f64>> = (0..cw.measures.len()).map(slot).collect();
        let row: Vec<Option<Option<f64>>> =
            (0..cw.continuity.columns.len()).map(|k| (k % 3 != 2).then(|| slot(k + 1))).collect();
        PanelInput {
            report_id: format!("r{i}"),
            source_path: format!("{i:03}.html"),
            issuer: Some(format!("{}{}", if department { "水利局" } else { "人民政府" }, issuer % 3).into()),
            issuer_kind: Some((if department { "department" } else { "government" }).into()),
            province: (place != 7).then(|| province.into()),
            city: None,
            county: None,
            division_code: (issuer % 5 != 4).then(|| code.into()),
            report_year: Some(year),
            template: Some("2021".into()),
            status,
            n_values,
            n_failed_checks: failed,
            measures: Packed::new(&measures),
            carried_over: PackedRow::new(&row),
            carried_forward: PackedRow::new(&row.iter().rev().cloned().collect::<Vec<_>>()),
        }
    }

    fn inputs(specs: &[Spec], cw: &Crosswalk) -> Vec<PanelInput> {
        let mut out: Vec<PanelInput> = Vec::new();
        for (i, spec) in specs.iter().enumerate() {
            let p = input(i, spec, out.last(), cw);
            out.push(p);
        }
        out
    }

    fn run(inputs: &[PanelInput], cw: &Crosswalk, spill: Spill) -> Panel {
        let mut b = PanelBuilder::new(cw, spill).expect("builder");
        for p in inputs {
            b.push(p.clone()).expect("push");
        }
        b.finish().expect("finish").collect().expect("collect")
    }

    fn spec() -> impl Strategy<Value = Spec> {
        (
            0..6usize,
            0..8usize,
            2018..2024i32,
            any::<bool>(),
            any::<u8>(),
            0..3u32,
            0..2u32,
            any::<u8>(),
            proptest::bool::weighted(0.2),
        )
    }

    proptest! {
        #![proptest_config(ProptestConfig::with_cases(64))]
        // Runs of two items: every sort merges many runs from disk, and groups of copies, an
        // issuer's years and rank groups all cross run boundaries.
        #[test]
        fn spilled_in_runs_of_two_the_panel_is_the_one_built_in_memory(specs in proptest::collection::vec(spec(), 0..60)) {
            let cw = Crosswalk::embedded().expect("valid");
            let inputs = inputs(&specs, &cw);
            let dir = std::env::temp_dir().join(format!("xxgk-stream-{}-{}", std::process::id(), specs.len()));
            let _ = std::fs::remove_dir_all(&dir);
            let spilled = run(&inputs, &cw, Spill::to_dir(&dir, 2));
            let runs = std::fs::read_dir(dir.join("inputs")).map_or(0, |d| d.count());
            let _ = std::fs::remove_dir_all(&dir);
            let eligible = inputs.iter().filter(|p| p.eligible()).count();
            prop_assert!(eligible <= 3 || runs >= eligible / 3, "{eligible} eligible inputs, {runs} runs on disk");
            prop_assert_eq!(spilled, run(&inputs, &cw, Spill::memory()));
        }
    }

    #[test]
    fn counts_match_the_streams() {
        let cw = Crosswalk::embedded().expect("valid");
        let specs: Vec<Spec> = (0..40)
            .map(|i| (i % 4, i % 3, 2018 + (i / 4) as i32 % 4, i % 2 == 0, 0, 2, 0, i as u8, i % 7 == 6))
            .collect();
        let inputs = inputs(&specs, &cw);
        let mut b = PanelBuilder::new(&cw, Spill::memory()).expect("builder");
        inputs.iter().for_each(|p| b.push(p.clone()).expect("push"));
        let out = b.finish().expect("finish");
        let c = out.counts;
        let panel = out.collect().expect("collect");
        assert_eq!(c.inputs, 40);
        assert_eq!(c.rows as usize, panel.rows.len());
        assert!(c.duplicates > 0 && c.duplicates as usize == panel.defers_to.iter().flatten().count());
        assert!(c.continuity > 0 && c.continuity as usize == panel.continuity.len());
        assert_eq!(c.continuity_failed as usize, panel.continuity.iter().filter(|k| !k.passed).count());
    }
}
