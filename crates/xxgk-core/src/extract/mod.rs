//! Extraction: find the template tables by their content, map labels to canonical keys
//! (config/tables.toml), read the numbers, and decide the template.

mod flattened;
pub mod labels;
pub mod meta;
pub mod numbers;
mod review;
pub mod rows;
pub mod runon;
pub mod tables;
pub mod tokens;

use crate::config::{Config, TableSpec};
use crate::model::{Fact, Layout};
use crate::normalize::text_key;
use labels::RowMatcher;
use rows::{in_range, ObsRow};
use std::ops::Range;
use tables::{header_columns, Ctx, RowTable, TableOut};
use tokens::{tokenize, Tok};

/// What extraction found in one document.
#[derive(Debug, Default)]
pub struct Extraction {
    pub facts: Vec<Fact>,
    /// `legacy`, `2019` or `2021` when tables were found.
    pub template: Option<String>,
    /// Names of the tables found, in SCHEMA.md's names.
    pub tables: Vec<String>,
    pub warnings: Vec<String>,
}

/// Matchers built once from the configuration and shared by every document.
pub struct Extractor {
    cfg: Config,
    applications: RowMatcher,
    active_2019: RowMatcher,
    active_2021: RowMatcher,
    legacy: RowMatcher,
}

/// Rows a table must show when no header anchor introduced it.
const MIN_UNANCHORED_ROWS: usize = 5;

/// Which table an anchor opens.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord)]
enum Kind {
    Active,
    Applications,
    Legacy,
    Review,
}

impl Extractor {
    pub fn new(cfg: &Config) -> Extractor {
        let t = &cfg.tables;
        Extractor {
            cfg: cfg.clone(),
            applications: RowMatcher::new(&t.applications),
            active_2019: RowMatcher::new(&t.active_disclosure_2019),
            active_2021: RowMatcher::new(&t.active_disclosure_2021),
            legacy: RowMatcher::new(&t.legacy_stats),
        }
    }

    /// `simplify` converts raw text to simplified script (identity for simplified documents).
    pub fn extract(&self, layout: &Layout, simplify: &dyn Fn(&str) -> String, year: Option<i32>) -> Extraction {
        let t = &self.cfg.tables;
        let (toks, pos) = tokenize(&layout.lines, &self.cfg.normalise.cells.placeholders);
        let obs = rows::segment(&toks, simplify, &t.legacy_stats.unit_words);
        let review_found = review::find(&obs, &toks, &pos, simplify, &t.review_litigation);
        let mut anchors = self.anchors(&toks, simplify);
        if let Some(first) = review_found.obs().next() {
            anchors.push((obs[first].tok_start, Kind::Review));
        }
        anchors.sort();
        let ctx = Ctx { obs: &obs, pos: &pos, simplify };
        let mut is_review = vec![false; obs.len()];
        review_found.obs().for_each(|r| is_review[r] = true);
        let region = |kind: Kind| region_of(kind, &anchors, toks.len());
        let cands = |range: Range<usize>| -> Vec<usize> {
            in_range(&obs, &range).into_iter().filter(|&i| !is_review[i]).collect()
        };

        let mut ex = Extraction::default();
        // Without its header anchor, table 三 must show several of its rows to count.
        let apps = match region(Kind::Applications) {
            Some(r) => Some(self.applications_table(&ctx, &cands(r), &toks)),
            None => Some(self.applications_table(&ctx, &cands(0..toks.len()), &toks))
                .filter(|o| o.rows_found >= MIN_UNANCHORED_ROWS),
        };
        let active = region(Kind::Active).map(|r| self.active_table(&ctx, &cands(r.clone()), &toks[r], simplify, year));
        let legacy = region(Kind::Legacy)
            .or(Some(0..toks.len()))
            .map(|r| self.legacy_table(&ctx, &cands(r.clone()), &toks, r, simplify))
            .filter(|(o, anchored)| *anchored || o.rows_found >= MIN_UNANCHORED_ROWS);
        let review = review::extract(&obs, &pos, &review_found, &t.review_litigation);

        let modern_found =
            apps.as_ref().is_some_and(|a| a.rows_found > 0) || active.as_ref().is_some_and(|a| a.1.rows_found > 0);
        let legacy_found = legacy.as_ref().is_some_and(|l| l.0.rows_found > 0);
        if legacy_found && !modern_found {
            let (out, _) = legacy.unwrap();
            ex.absorb("legacy_stats", out);
            ex.template = Some("legacy".to_string());
            return ex;
        }
        let mut template = None;
        if let Some((tpl, out)) = active {
            template = Some(tpl);
            ex.absorb("active_disclosure", out);
        }
        if let Some(out) = apps {
            ex.absorb("applications", out);
        }
        ex.absorb("review_litigation", review);
        if !ex.tables.is_empty() {
            let split_other = ex.facts.iter().any(|f| f.table == "applications" && f.row_key.starts_with("other."));
            ex.template = template.or_else(|| {
                Some(if split_other || year.is_some_and(|y| y >= 2021) { "2021" } else { "2019" }.to_string())
            });
        }
        ex
    }

    fn anchors(&self, toks: &[Tok], simplify: &dyn Fn(&str) -> String) -> Vec<(usize, Kind)> {
        let t = &self.cfg.tables;
        let specs: [(Kind, &TableSpec); 4] = [
            (Kind::Active, &t.active_disclosure_2019),
            (Kind::Active, &t.active_disclosure_2021),
            (Kind::Applications, &t.applications),
            (Kind::Legacy, &t.legacy_stats),
        ];
        let keyed: Vec<(Kind, String)> =
            specs.iter().flat_map(|(k, s)| s.anchors.iter().map(move |a| (*k, text_key(a)))).collect();
        let mut found: Vec<(usize, Kind)> = Vec::new();
        for (i, tok) in toks.iter().enumerate() {
            let Tok::Text(text) = tok else { continue };
            let key = text_key(&simplify(text));
            for (kind, anchor) in &keyed {
                if !found.iter().any(|f| f.1 == *kind) && key.contains(anchor.as_str()) {
                    found.push((i, *kind));
                }
            }
        }
        found
    }

    fn applications_table(&self, ctx: &Ctx, cands: &[usize], toks: &[Tok]) -> TableOut {
        let spec = &self.cfg.tables.applications;
        let columns = spec.columns.iter().map(|c| (c.key().to_string(), c.labels().first().cloned())).collect();
        let header = header_text(ctx.obs, cands, ctx.simplify);
        let extra = spec.extra_columns.iter().any(|x| text_key(&header).contains(&text_key(x)));
        let value_cells = header_grid(ctx, cands, toks, extra);
        let table = RowTable {
            spec,
            matcher: &self.applications,
            columns,
            extra_column: None,
            keep_unlisted: false,
            value_cells,
        };
        let extra_column = if extra { tables::locate_extra_column(ctx.obs, cands, &table) } else { None };
        RowTable { extra_column, ..table }.extract(ctx, cands)
    }

    fn active_table(
        &self,
        ctx: &Ctx,
        cands: &[usize],
        region: &[Tok],
        simplify: &dyn Fn(&str) -> String,
        year: Option<i32>,
    ) -> (String, TableOut) {
        let t = &self.cfg.tables;
        let text = text_key(&simplify(&region_text(region)));
        let score = |s: &TableSpec| s.signals.iter().filter(|sig| text.contains(&text_key(sig))).count();
        let (s19, s21) = (score(&t.active_disclosure_2019), score(&t.active_disclosure_2021));
        let use_2021 = s21 > s19 || s21 == s19 && year.is_some_and(|y| y >= 2021);
        let (tpl, spec, m) = if use_2021 {
            ("2021", &t.active_disclosure_2021, &self.active_2021)
        } else {
            ("2019", &t.active_disclosure_2019, &self.active_2019)
        };
        let table = RowTable {
            spec,
            matcher: m,
            columns: Vec::new(),
            extra_column: None,
            keep_unlisted: false,
            value_cells: None,
        };
        (tpl.to_string(), table.extract(ctx, cands))
    }

    /// The legacy table and whether an anchor (统计表 header) introduced it.
    fn legacy_table(
        &self,
        ctx: &Ctx,
        cands: &[usize],
        toks: &[Tok],
        range: Range<usize>,
        simplify: &dyn Fn(&str) -> String,
    ) -> (TableOut, bool) {
        let spec = &self.cfg.tables.legacy_stats;
        let head_end = (range.start + 400).min(range.end);
        let head_key = text_key(&simplify(&region_text(&toks[range.start..head_end])));
        let anchored = spec.anchors.iter().any(|a| head_key.contains(&text_key(a)));
        let first_row =
            rows::assign(ctx.obs, cands, &self.legacy).first().map_or(range.start, |a| ctx.obs[a.obs].tok_start);
        let header = simplify(&tail_chars(&region_text(&toks[range.start..first_row.max(range.start)]), 200));
        let mut columns = header_columns(spec, &header);
        if columns.is_empty() {
            columns.push(("value".to_string(), None));
        }
        let table = RowTable {
            spec,
            matcher: &self.legacy,
            columns,
            extra_column: None,
            keep_unlisted: true,
            value_cells: None,
        };
        (table.extract(ctx, cands), anchored)
    }
}

/// The last `n` characters of a text (headers sit just before the first row).
fn tail_chars(text: &str, n: usize) -> String {
    let count = text.chars().count();
    text.chars().skip(count.saturating_sub(n)).collect()
}

impl Extraction {
    fn absorb(&mut self, table: &str, out: TableOut) {
        if out.rows_found > 0 {
            self.tables.push(table.to_string());
        }
        self.facts.extend(out.facts);
        self.warnings.extend(out.warnings);
    }
}

/// A table's region: from its anchor to the next anchor of another table.
fn region_of(kind: Kind, anchors: &[(usize, Kind)], len: usize) -> Option<Range<usize>> {
    let start = anchors.iter().find(|a| a.1 == kind)?.0;
    let end = anchors.iter().filter(|a| a.0 > start && a.1 != kind).map(|a| a.0).min().unwrap_or(len);
    Some(start..end)
}

fn region_text(toks: &[Tok]) -> String {
    let mut s = String::new();
    for t in toks {
        if let Tok::Text(x) = t {
            s.push_str(x);
            s.push(' ');
        }
    }
    s
}

/// Grid columns of 自然人 … 总计 in table 三's header, when the header is a full grid (HTML,
/// markdown and OCR rows keep one cell per column; collapsed layouts do not and get None).
fn header_grid(ctx: &Ctx, cands: &[usize], toks: &[Tok], extra: bool) -> Option<(u16, u16)> {
    let first_row = cands.iter().find(|&&c| ctx.obs[c].has_value()).map(|&c| ctx.obs[c].tok_value)?;
    let from = cands.first().map_or(0, |&c| ctx.obs[c].tok_start);
    let width = if extra { 7 } else { 6 };
    let cell_of = |word: &[&str]| {
        (from..first_row).find_map(|i| match &toks[i] {
            Tok::Text(t) if word.contains(&text_key(&(ctx.simplify)(t)).as_str()) => ctx.pos[i].cell,
            _ => None,
        })
    };
    let (first, last) = (cell_of(&["自然人"])?, cell_of(&["总计", "合计"])?);
    (last >= first && last - first == width).then_some((first, last))
}

/// Header words of table 三: the labels of its rows up to the first row with numbers (header
/// rows of empty cells split the header into several observed rows).
fn header_text(obs: &[ObsRow], cands: &[usize], simplify: &dyn Fn(&str) -> String) -> String {
    let end = cands.iter().position(|&c| obs[c].has_value()).map_or(cands.len(), |p| p + 1);
    let labels: Vec<String> = cands[..end].iter().map(|&c| obs[c].label()).collect();
    simplify(&labels.join(" "))
}
