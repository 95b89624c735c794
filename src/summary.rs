//! `xxgk summary OUT --html FILE`: one self-contained page (plotly.js inlined, no network)
//! on a build's datasets — coverage by year and province, status and check-failure rates,
//! the largest issuers over time — each chart followed by the table it was drawn from.
//! reports.parquet and checks.parquet are required; panel.parquet (and any column a chart
//! needs) may be absent, and the chart is then replaced by a note saying so.

mod charts;
mod data;
mod html;
mod stats;

use data::Dataset;
use html::{count_share, number, percent, Section, Table};
use stats::{check_family, label, Grid, Issuer, Order, PanelKeys, Rate};
use std::collections::HashMap;
use std::path::{Path, PathBuf};

#[derive(Debug, thiserror::Error)]
pub enum SummaryError {
    #[error("summary: {path}: not found (is the directory the output of `xxgk build`?)")]
    Missing { path: PathBuf },
    #[error("summary: {path}: {source}")]
    Io { path: PathBuf, source: std::io::Error },
    #[error("summary: {path}: not a readable Parquet dataset: {source}")]
    Parquet { path: PathBuf, source: polars::error::PolarsError },
    #[error("summary: {path}: column {column}: {source}")]
    Column { path: PathBuf, column: String, source: polars::error::PolarsError },
}

/// What went onto the page, for the command's closing line.
#[derive(Debug)]
pub struct Outcome {
    pub sections: usize,
    /// Notes on charts that could not be drawn (missing dataset or columns).
    pub notes: Vec<String>,
}

const STATUSES: &[&str] = &["ok", "partial", "no_tables", "not_a_report", "error"];
const TEMPLATES: &[&str] = &["legacy", "2019", "2021"];
const TOP_ISSUERS: usize = 10;

/// Panel measures in the issuers table, in the order researchers read them.
const HEADLINE: &[&str] = &[
    "applications_received",
    "processed",
    "granted",
    "partially_granted",
    "denied",
    "carried_forward",
    "reviews",
    "lawsuits",
    "grant_rate",
    "denial_rate",
    "correction_rate",
];
/// The measures drawn over time (the table has them all).
const CHARTED: &[&str] =
    &["applications_received", "processed", "grant_rate", "correction_rate", "reviews", "lawsuits"];
const PANEL_KEYS: &[&str] = &["division_code", "issuer", "report_year"];

pub fn write_summary(out: &Path, html_path: &Path) -> Result<Outcome, SummaryError> {
    let reports =
        Dataset::read(&out.join("reports.parquet"), &["report_id", "report_year", "province", "status", "template"])?;
    let checks = Dataset::read(&out.join("checks.parquet"), &["report_id", "check_id", "passed"])?;
    let panel_columns: Vec<&str> = PANEL_KEYS.iter().chain(HEADLINE).copied().collect();
    let panel = match Dataset::read(&out.join("panel.parquet"), &panel_columns) {
        Ok(p) => Some(p),
        Err(SummaryError::Missing { .. }) => None,
        Err(e) => return Err(e),
    };
    let sections = vec![
        coverage(&reports)?,
        status_by(&reports, "report_year", Order::Year, "status-year")?,
        status_by(&reports, "template", Order::Known(TEMPLATES), "status-template")?,
        check_failures(&reports, &checks)?,
        issuers(panel.as_ref(), out)?,
    ];
    let intro = intro(out, &reports, &checks, panel.as_ref());
    let page = html::page("xxgk summary", &intro, &sections, &charts::library_script());
    write_atomically(html_path, &page)?;
    let notes = sections.iter().flat_map(|s| s.notes.iter().cloned()).collect();
    Ok(Outcome { sections: sections.len(), notes })
}

fn intro(out: &Path, reports: &Dataset, checks: &Dataset, panel: Option<&Dataset>) -> Vec<String> {
    let panel = panel.map_or("no panel.parquet".to_string(), |p| format!("{} panel rows", p.height()));
    vec![
        format!(
            "Datasets in {}: {} documents, {} checks evaluated, {panel}.",
            out.display(),
            reports.height(),
            checks.height()
        ),
        format!(
            "Written by xxgk {}. Every chart is followed by the table it was drawn from.",
            env!("CARGO_PKG_VERSION")
        ),
    ]
}

/// A reader of the old page never sees half of the new one.
fn write_atomically(path: &Path, text: &str) -> Result<(), SummaryError> {
    let io = |path: &Path| {
        let path = path.to_path_buf();
        move |source| SummaryError::Io { path, source }
    };
    if let Some(dir) = path.parent().filter(|d| !d.as_os_str().is_empty()) {
        std::fs::create_dir_all(dir).map_err(io(dir))?;
    }
    let mut tmp = path.as_os_str().to_owned();
    tmp.push(format!(".tmp-{}", std::process::id()));
    let tmp = PathBuf::from(tmp);
    std::fs::write(&tmp, text).map_err(io(&tmp))?;
    std::fs::rename(&tmp, path).map_err(|e| {
        let _ = std::fs::remove_file(&tmp);
        SummaryError::Io { path: path.to_path_buf(), source: e }
    })
}

fn missing_note(ds: &Dataset, missing: &[&str]) -> String {
    format!("Not drawn: {} has no column {}.", ds.path.display(), missing.join(", "))
}

fn labels(ds: &Dataset, column: &str) -> Result<Vec<String>, SummaryError> {
    Ok(ds.strs(column)?.iter().map(|v| label(v.as_deref())).collect())
}

const COVERAGE: &str = "Corpus coverage";
const COVERAGE_INTRO: &str =
    "Documents (every row of reports.parquet, whatever its status) per report_year and province.";

fn coverage(reports: &Dataset) -> Result<Section, SummaryError> {
    let missing = reports.missing(&["report_year", "province"]);
    if !missing.is_empty() {
        return Ok(Section::skipped(COVERAGE, COVERAGE_INTRO, missing_note(reports, &missing)));
    }
    let (years, provinces) = (labels(reports, "report_year")?, labels(reports, "province")?);
    let items = provinces.into_iter().zip(years).map(|(p, y)| (p, y, 1u64));
    let grid = Grid::tally(items, Order::LargestFirst, Order::Year);
    let mut section = Section::new(COVERAGE, COVERAGE_INTRO);
    section.charts.push(charts::heatmap(
        "chart-coverage",
        "Documents by report year and province",
        &grid.cols,
        &grid.rows,
        &grid.cells,
    ));
    section.tables.push(coverage_table(&grid));
    Ok(section)
}

fn coverage_table(grid: &Grid<u64>) -> Table {
    let mut rows: Vec<Vec<String>> = (0..grid.rows.len())
        .map(|i| {
            let mut row = vec![grid.rows[i].clone()];
            row.extend(grid.cells[i].iter().map(u64::to_string));
            row.push(grid.row_total(i).to_string());
            row
        })
        .collect();
    let mut all = vec!["all".to_string()];
    let column_totals = (0..grid.cols.len()).map(|j| grid.cells.iter().map(|r| r[j]).sum::<u64>());
    all.extend(column_totals.map(|n| n.to_string()));
    all.push(grid.cells.iter().flatten().sum::<u64>().to_string());
    rows.push(all);
    let head = std::iter::once("province".to_string()).chain(grid.cols.iter().cloned()).chain(["all".to_string()]);
    Table {
        id: "coverage".into(),
        caption: "Documents per province (rows) and report_year (columns)".into(),
        head: head.collect(),
        rows,
    }
}

fn status_by(reports: &Dataset, key: &str, order: Order, id: &str) -> Result<Section, SummaryError> {
    let title = format!("Status by {key}");
    let intro = format!("Share of documents per status (ok, partial, no_tables, not_a_report, error) for each {key}.");
    let missing = reports.missing(&[key, "status"]);
    if !missing.is_empty() {
        return Ok(Section::skipped(&title, &intro, missing_note(reports, &missing)));
    }
    let items = labels(reports, key)?.into_iter().zip(labels(reports, "status")?).map(|(k, s)| (k, s, 1u64));
    let grid = Grid::tally(items, order, Order::Known(STATUSES));
    let series: Vec<(String, Vec<Option<f64>>)> = grid
        .cols
        .iter()
        .enumerate()
        .map(|(j, status)| {
            let shares = (0..grid.rows.len()).map(|i| share(grid.cells[i][j], grid.row_total(i))).collect();
            (status.clone(), shares)
        })
        .collect();
    let mut section = Section::new(&title, &intro);
    section.charts.push(charts::bars(&format!("chart-{id}"), &title, &grid.rows, &series, true, "% of documents"));
    section.tables.push(status_table(&grid, key, id));
    Ok(section)
}

/// Percent of `d`; none where nothing was counted, so a chart shows a gap and not a 0.
fn share(n: u64, d: u64) -> Option<f64> {
    (d > 0).then(|| 100.0 * n as f64 / d as f64)
}

fn status_table(grid: &Grid<u64>, key: &str, id: &str) -> Table {
    let rows = (0..grid.rows.len())
        .map(|i| {
            let total = grid.row_total(i);
            let mut row = vec![grid.rows[i].clone(), total.to_string()];
            row.extend(grid.cells[i].iter().map(|&n| count_share(n, total)));
            row
        })
        .collect();
    let head = [key.to_string(), "documents".to_string()].into_iter().chain(grid.cols.iter().cloned()).collect();
    Table { id: id.into(), caption: format!("Documents per status and {key}: count (share)"), head, rows }
}

const CHECKS: &str = "Check failures";
const CHECKS_INTRO: &str = "Share of evaluated identities (checks.parquet) that do not hold, by check family \
     (the check_id without its row or column) and the report_year of the report.";

fn check_failures(reports: &Dataset, checks: &Dataset) -> Result<Section, SummaryError> {
    let missing_reports = reports.missing(&["report_id", "report_year"]);
    let missing_checks = checks.missing(&["report_id", "check_id", "passed"]);
    if !missing_reports.is_empty() {
        return Ok(Section::skipped(CHECKS, CHECKS_INTRO, missing_note(reports, &missing_reports)));
    }
    if !missing_checks.is_empty() {
        return Ok(Section::skipped(CHECKS, CHECKS_INTRO, missing_note(checks, &missing_checks)));
    }
    let year_of: HashMap<String, String> = reports
        .strs("report_id")?
        .into_iter()
        .zip(labels(reports, "report_year")?)
        .filter_map(|(id, y)| Some((id?, y)))
        .collect();
    let items = checks.strs("report_id")?.into_iter().zip(checks.strs("check_id")?).zip(checks.bools("passed")?).map(
        |((id, check), passed)| {
            let year = id.and_then(|id| year_of.get(&id).cloned()).unwrap_or_else(|| label(None));
            let family = check_family(check.as_deref().unwrap_or(stats::NONE)).to_string();
            (family, year, Rate { evaluated: 1, failed: u64::from(passed == Some(false)) })
        },
    );
    let grid = Grid::tally(items, Order::Known(&[]), Order::Year);
    if grid.rows.is_empty() {
        return Ok(Section::skipped(CHECKS, CHECKS_INTRO, format!("{} has no rows.", checks.path.display())));
    }
    let mut section = Section::new(CHECKS, CHECKS_INTRO);
    section.charts.push(check_chart(&grid));
    section.tables.push(check_table(&grid));
    Ok(section)
}

fn check_chart(grid: &Grid<Rate>) -> String {
    let all = (0..grid.rows.len()).map(|i| grid.row_total(i)).map(|r| share(r.failed, r.evaluated)).collect();
    let mut series = vec![("all years".to_string(), all)];
    for (j, year) in grid.cols.iter().enumerate() {
        series.push((year.clone(), grid.cells.iter().map(|r| share(r[j].failed, r[j].evaluated)).collect()));
    }
    charts::bars(
        "chart-checks",
        "Failing checks by family and report year",
        &grid.rows,
        &series,
        false,
        "% of checks failing",
    )
}

fn rate_cell(r: Rate) -> String {
    if r.evaluated == 0 {
        return "–".to_string();
    }
    format!("{} / {} ({})", r.failed, r.evaluated, percent(r.failed, r.evaluated))
}

fn check_table(grid: &Grid<Rate>) -> Table {
    let rows = (0..grid.rows.len())
        .map(|i| {
            let mut row = vec![grid.rows[i].clone(), rate_cell(grid.row_total(i))];
            row.extend(grid.cells[i].iter().map(|&r| rate_cell(r)));
            row
        })
        .collect();
    let head =
        ["check family".to_string(), "all years".to_string()].into_iter().chain(grid.cols.iter().cloned()).collect();
    Table {
        id: "checks".into(),
        caption: "Failed / evaluated checks (share failing) per family and report_year".into(),
        head,
        rows,
    }
}

const ISSUERS: &str = "Largest issuers";
const ISSUERS_INTRO: &str = "The issuers with the most applications received over all years (panel.parquet), \
     and their headline measures by report_year.";

fn issuers(panel: Option<&Dataset>, out: &Path) -> Result<Section, SummaryError> {
    let Some(panel) = panel else {
        let note = format!(
            "Not drawn: {} not found (builds write it from the panel release on).",
            out.join("panel.parquet").display()
        );
        return Ok(Section::skipped(ISSUERS, ISSUERS_INTRO, note));
    };
    let missing = panel.missing(&["issuer", "report_year", "applications_received"]);
    if !missing.is_empty() {
        return Ok(Section::skipped(ISSUERS, ISSUERS_INTRO, missing_note(panel, &missing)));
    }
    let division = if panel.has("division_code") { panel.strs("division_code")? } else { vec![None; panel.height()] };
    let (issuer, year, received) =
        (panel.strs("issuer")?, panel.i32s("report_year")?, panel.f64s("applications_received")?);
    let keys = PanelKeys { division_code: &division, issuer: &issuer, year: &year, received: &received };
    let top = stats::top_issuers(&keys, TOP_ISSUERS);
    let mut section = Section::new(ISSUERS, ISSUERS_INTRO);
    if top.is_empty() {
        section.notes.push(format!("{} has no issuer with a number of applications received.", panel.path.display()));
        return Ok(section);
    }
    let absent = panel.missing(HEADLINE);
    if !absent.is_empty() {
        section.notes.push(format!("{} has no column {}: left out below.", panel.path.display(), absent.join(", ")));
    }
    let measures: Vec<(&str, Vec<Option<f64>>)> = HEADLINE
        .iter()
        .filter(|m| panel.has(m))
        .map(|m| Ok((*m, panel.f64s(m)?)))
        .collect::<Result<_, SummaryError>>()?;
    for (measure, values) in measures.iter().filter(|(m, _)| CHARTED.contains(m)) {
        section.charts.push(issuer_chart(&top, measure, values));
    }
    section.tables.push(ranking_table(&top));
    section.tables.push(issuer_years_table(&top, &measures));
    Ok(section)
}

fn issuer_chart(top: &[Issuer], measure: &str, values: &[Option<f64>]) -> String {
    let series: Vec<charts::Line> = top
        .iter()
        .map(|i| charts::Line {
            name: i.label.clone(),
            years: i.years.iter().map(|y| y.0).collect(),
            values: i.years.iter().map(|y| values[y.1]).collect(),
        })
        .collect();
    charts::lines(&format!("chart-issuers-{measure}"), &format!("{measure} by report year"), &series, measure)
}

fn ranking_table(top: &[Issuer]) -> Table {
    let rows = top
        .iter()
        .enumerate()
        .map(|(rank, i)| {
            let years: Vec<String> = i.years.iter().map(|y| y.0.to_string()).collect();
            vec![
                (rank + 1).to_string(),
                i.label.clone(),
                label(i.division_code.as_deref()),
                number(Some(i.received)),
                years.join(" "),
            ]
        })
        .collect();
    let head = ["rank", "issuer", "division_code", "applications_received (all years)", "report years"];
    Table {
        id: "top-issuers".into(),
        caption: format!("The {} largest issuers by applications received", top.len()),
        head: head.map(String::from).to_vec(),
        rows,
    }
}

fn issuer_years_table(top: &[Issuer], measures: &[(&str, Vec<Option<f64>>)]) -> Table {
    let mut rows = Vec::new();
    for i in top {
        for &(year, row) in &i.years {
            let mut cells = vec![i.label.clone(), year.to_string()];
            cells.extend(measures.iter().map(|(_, v)| number(v[row])));
            rows.push(cells);
        }
    }
    let head = ["issuer".to_string(), "report_year".to_string()]
        .into_iter()
        .chain(measures.iter().map(|m| m.0.to_string()))
        .collect();
    Table {
        id: "issuer-years".into(),
        caption: "Headline measures of the largest issuers per report_year".into(),
        head,
        rows,
    }
}
