//! `xxgk inspect FILE`: one document as a person wants to see it — how it was read, what it
//! is, every table cell with its canonical key beside the printed label and value, the
//! checks and the warnings.

use std::fmt::Write as _;
use std::path::Path;
use xxgk_core::model::{Report, SourceFile};
use xxgk_core::process::{process_file, Engine};

pub fn inspect(path: &Path, engine: &Engine) -> anyhow::Result<String> {
    let format = xxgk_core::crawl::format_of(path).unwrap_or(xxgk_core::model::SourceFormat::Text);
    let name = path.file_name().map(|n| n.to_string_lossy().into_owned()).unwrap_or_default();
    let file = SourceFile { path: path.to_path_buf(), rel_path: name, format };
    Ok(render(&process_file(&file, engine)))
}

pub fn render(r: &Report) -> String {
    let mut s = String::new();
    let opt = |v: &Option<String>| v.clone().unwrap_or_else(|| "—".to_string());
    let _ = writeln!(s, "{}  ({} bytes, {}, id {})", r.source_path, r.bytes, r.source_format.as_str(), r.report_id);
    let _ = writeln!(
        s,
        "  encoding   {}{}",
        opt(&r.encoding),
        if r.mojibake_repaired { " (garbled runs repaired)" } else { "" }
    );
    let _ = writeln!(s, "  script     {}", r.script.map_or("—", |x| x.as_str()));
    let _ = writeln!(
        s,
        "  status     {}{}",
        r.status.as_str(),
        r.status_detail.as_ref().map(|d| format!(" — {d}")).unwrap_or_default()
    );
    let _ = writeln!(s, "  template   {}", opt(&r.template));
    let _ = writeln!(s, "  title      {}", opt(&r.title));
    let _ = writeln!(s, "  year       {}", r.report_year.map_or("—".to_string(), |y| y.to_string()));
    let _ = writeln!(s, "  published  {}", opt(&r.published_date));
    let _ = writeln!(s, "  issuer     {} ({})", opt(&r.issuer), opt(&r.issuer_kind));
    let place = [&r.province, &r.city, &r.county].iter().filter_map(|x| x.as_deref()).collect::<Vec<_>>().join(" ");
    let _ = writeln!(s, "  division   {} {}", opt(&r.division_code), place);
    let mut table = "";
    for f in &r.facts {
        if f.table != table {
            table = &f.table;
            let _ = writeln!(s, "\n  table {table}");
            let _ =
                writeln!(s, "    {:<44} {:<16} {:>14}  {:<10}  printed label", "row_key", "col_key", "value", "raw");
        }
        let v = f.value.map_or("null".to_string(), |v| format!("{v}"));
        let label: String = f.raw_row_label.clone().unwrap_or_default().chars().take(40).collect();
        let _ = writeln!(s, "    {:<44} {:<16} {:>14}  {:<10}  {}", f.row_key, f.col_key, v, f.raw_value, label);
    }
    let failed = r.checks.iter().filter(|c| !c.passed).count();
    let _ = writeln!(s, "\n  checks: {} evaluated, {} failed", r.checks.len(), failed);
    for c in r.checks.iter().filter(|c| !c.passed) {
        let _ = writeln!(s, "    FAIL {:<50} lhs {} rhs {}", c.check_id, c.lhs, c.rhs);
    }
    let _ = writeln!(s, "\n  warnings: {}", r.warnings.len());
    for w in &r.warnings {
        let _ = writeln!(s, "    - {w}");
    }
    s
}
