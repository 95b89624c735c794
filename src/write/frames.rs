//! Reports, facts and checks as polars DataFrames with the column types of DATASETS.md.

use polars::prelude::*;
use std::collections::BTreeMap;
use xxgk_core::compare::{admin_level, ContinuityOut, DuplicateOut, PanelInput, RowOut};
use xxgk_core::model::{Fact, Report};

fn col<T, U: ?Sized>(name: &str, values: T) -> Column
where
    Series: NamedFrom<T, U>,
{
    Series::new(name.into(), values).into_column()
}

/// Days since 1970-01-01 for a `YYYY-MM-DD` date (the civil-from-days inverse).
pub fn days_from_iso(date: &str) -> Option<i32> {
    let y: i64 = date.get(0..4)?.parse().ok()?;
    let m: i64 = date.get(5..7)?.parse().ok()?;
    let d: i64 = date.get(8..10)?.parse().ok()?;
    let y = if m <= 2 { y - 1 } else { y };
    let era = y.div_euclid(400);
    let yoe = y - era * 400;
    let mp = (m + 9) % 12;
    let doy = (153 * mp + 2) / 5 + d - 1;
    let doe = yoe * 365 + yoe / 4 - yoe / 100 + doy;
    i32::try_from(era * 146_097 + doe - 719_468).ok()
}

pub fn reports_frame(batch: &[Report]) -> PolarsResult<DataFrame> {
    let s = |f: fn(&Report) -> Option<&str>| -> Vec<Option<&str>> { batch.iter().map(f).collect() };
    let dates: Int32Chunked = batch.iter().map(|r| r.published_date.as_deref().and_then(days_from_iso)).collect();
    let mut warnings = ListStringChunkedBuilder::new("warnings".into(), batch.len(), batch.len() * 4);
    for r in batch {
        warnings.append_values_iter(r.warnings.iter().map(String::as_str));
    }
    let columns = vec![
        col("report_id", s(|r| Some(&r.report_id))),
        col("source_path", s(|r| Some(&r.source_path))),
        col("source_format", s(|r| Some(r.source_format.as_str()))),
        col("bytes", batch.iter().map(|r| r.bytes).collect::<Vec<u64>>()),
        col("encoding", s(|r| r.encoding.as_deref())),
        col("script", s(|r| r.script.map(|x| x.as_str()))),
        col("mojibake_repaired", batch.iter().map(|r| r.mojibake_repaired).collect::<Vec<bool>>()),
        col("title", s(|r| r.title.as_deref())),
        col("issuer", s(|r| r.issuer.as_deref())),
        col("issuer_kind", s(|r| r.issuer_kind.as_deref())),
        col("province", s(|r| r.province.as_deref())),
        col("city", s(|r| r.city.as_deref())),
        col("county", s(|r| r.county.as_deref())),
        col("division_code", s(|r| r.division_code.as_deref())),
        col("report_year", batch.iter().map(|r| r.report_year).collect::<Vec<Option<i32>>>()),
        dates.into_date().into_series().with_name("published_date".into()).into_column(),
        col("template", s(|r| r.template.as_deref())),
        col("status", s(|r| Some(r.status.as_str()))),
        col("status_detail", s(|r| r.status_detail.as_deref())),
        col("n_facts", batch.iter().map(|r| r.facts.len() as u32).collect::<Vec<u32>>()),
        col("n_failed_checks", batch.iter().map(Report::n_failed_checks).collect::<Vec<u32>>()),
        warnings.finish().into_series().into_column(),
    ];
    DataFrame::new(batch.len(), columns)
}

pub fn checks_frame(batch: &[Report]) -> PolarsResult<DataFrame> {
    let rows: Vec<(&str, &xxgk_core::model::Check)> =
        batch.iter().flat_map(|r| r.checks.iter().map(move |c| (r.report_id.as_str(), c))).collect();
    let columns = vec![
        col("report_id", rows.iter().map(|r| r.0).collect::<Vec<&str>>()),
        col("check_id", rows.iter().map(|r| r.1.check_id.as_str()).collect::<Vec<&str>>()),
        col("lhs", rows.iter().map(|r| r.1.lhs).collect::<Vec<f64>>()),
        col("rhs", rows.iter().map(|r| r.1.rhs).collect::<Vec<f64>>()),
        col("passed", rows.iter().map(|r| r.1.passed).collect::<Vec<bool>>()),
    ];
    DataFrame::new(rows.len(), columns)
}

/// One frame of facts per report year, in corpus order. The year is the partition
/// directory, not a column of the files (Hive style, so Spark and DuckDB add it once).
pub fn facts_frames(batch: &[Report]) -> PolarsResult<BTreeMap<Option<i32>, DataFrame>> {
    let mut by_year: BTreeMap<Option<i32>, Vec<&Report>> = BTreeMap::new();
    for r in batch.iter().filter(|r| !r.facts.is_empty()) {
        by_year.entry(r.report_year).or_default().push(r);
    }
    by_year.into_iter().map(|(year, reports)| Ok((year, facts_frame(&reports)?))).collect()
}

fn facts_frame(reports: &[&Report]) -> PolarsResult<DataFrame> {
    let rows: Vec<(&Report, &Fact)> = reports.iter().flat_map(|r| r.facts.iter().map(move |f| (*r, f))).collect();
    fn text<'a>(
        rows: &[(&'a Report, &'a Fact)],
        f: impl Fn(&(&'a Report, &'a Fact)) -> Option<&'a str>,
    ) -> Vec<Option<&'a str>> {
        rows.iter().map(f).collect()
    }
    let columns = vec![
        col("report_id", text(&rows, |r| Some(&r.0.report_id))),
        col("division_code", text(&rows, |r| r.0.division_code.as_deref())),
        col("table", text(&rows, |r| Some(&r.1.table))),
        col("row_key", text(&rows, |r| Some(&r.1.row_key))),
        col("col_key", text(&rows, |r| Some(&r.1.col_key))),
        col("value", rows.iter().map(|r| r.1.value).collect::<Vec<Option<f64>>>()),
        col("raw_row_label", text(&rows, |r| r.1.raw_row_label.as_deref())),
        col("raw_col_label", text(&rows, |r| r.1.raw_col_label.as_deref())),
        col("raw_value", text(&rows, |r| Some(&r.1.raw_value))),
    ];
    DataFrame::new(rows.len(), columns)
}

/// panel.parquet rows: identifying columns, harmonised measures, rates, prev/yoy pairs, ranks.
pub fn panel_frame(value_columns: &[String], rank_columns: &[String], rows: &[RowOut]) -> PolarsResult<DataFrame> {
    let s = |f: fn(&PanelInput) -> Option<&str>| -> Vec<Option<&str>> { rows.iter().map(|r| f(&r.kept)).collect() };
    let mut columns = vec![
        col("division_code", s(|p| p.division_code.as_deref())),
        col("issuer", s(|p| p.issuer.as_deref())),
        col("issuer_kind", s(|p| p.issuer_kind.as_deref())),
        col("admin_level", s(|p| p.division_code.as_deref().and_then(admin_level))),
        col("province", s(|p| p.province.as_deref())),
        col("city", s(|p| p.city.as_deref())),
        col("county", s(|p| p.county.as_deref())),
        col("report_year", rows.iter().map(|r| r.kept.report_year).collect::<Vec<Option<i32>>>()),
        col("template", s(|p| p.template.as_deref())),
        col("report_id", s(|p| Some(&p.report_id))),
        col("source_path", s(|p| Some(&p.source_path))),
        col("n_copies", rows.iter().map(|r| r.n_copies).collect::<Vec<u32>>()),
    ];
    for (c, name) in value_columns.iter().enumerate() {
        columns.push(col(name, rows.iter().map(|r| r.values.get(c)).collect::<Vec<Option<f64>>>()));
    }
    for (c, name) in rank_columns.iter().enumerate() {
        columns.push(col(name, rows.iter().map(|r| r.ranks.get(c).copied().flatten()).collect::<Vec<Option<u32>>>()));
    }
    columns.push(col("rank_group_size", rows.iter().map(|r| r.rank_group_size).collect::<Vec<Option<u32>>>()));
    DataFrame::new(rows.len(), columns)
}

/// continuity.parquet rows: cross-year checks, with both years' reports and the issuer they
/// belong to, so the file reads without a join.
pub fn continuity_frame(check_ids: &[String], rows: &[ContinuityOut]) -> PolarsResult<DataFrame> {
    let check_id = |c: &ContinuityOut| check_ids.get(c.column).map_or("", String::as_str);
    let columns = vec![
        col("report_id", rows.iter().map(|c| c.report_id.as_str()).collect::<Vec<&str>>()),
        col("previous_report_id", rows.iter().map(|c| c.previous_report_id.as_str()).collect::<Vec<&str>>()),
        col("issuer", rows.iter().map(|c| c.issuer.as_deref()).collect::<Vec<_>>()),
        col("division_code", rows.iter().map(|c| c.division_code.as_deref()).collect::<Vec<_>>()),
        col("report_year", rows.iter().map(|c| c.report_year).collect::<Vec<Option<i32>>>()),
        col("check_id", rows.iter().map(check_id).collect::<Vec<&str>>()),
        col("lhs", rows.iter().map(|c| c.lhs).collect::<Vec<f64>>()),
        col("rhs", rows.iter().map(|c| c.rhs).collect::<Vec<f64>>()),
        col("passed", rows.iter().map(|c| c.passed).collect::<Vec<bool>>()),
    ];
    DataFrame::new(rows.len(), columns)
}

/// `duplicate_of` (report_id) and `duplicate_of_path` for consecutive reports rows: the copy
/// each defers to, if it is a duplicate.
pub fn duplicate_columns(links: &[Option<DuplicateOut>]) -> [Column; 2] {
    [
        col("duplicate_of", links.iter().map(|l| l.as_ref().map(|d| d.report_id.as_str())).collect::<Vec<_>>()),
        col("duplicate_of_path", links.iter().map(|l| l.as_ref().map(|d| d.source_path.as_str())).collect::<Vec<_>>()),
    ]
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn iso_dates_to_days() {
        assert_eq!(days_from_iso("1970-01-01"), Some(0));
        assert_eq!(days_from_iso("2021-03-09"), Some(18695));
        assert_eq!(days_from_iso("2000-02-29"), Some(11016));
        assert_eq!(days_from_iso("bad"), None);
    }
}
