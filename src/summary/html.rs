//! The page around the charts: sections, the tables behind each chart, number formats.
//! Every string that reaches the page goes through [`escape`]: issuer names and paths are
//! data, and a report's text is not to be trusted as markup.

/// Text for an HTML element or a quoted attribute.
pub fn escape(text: &str) -> String {
    let mut out = String::with_capacity(text.len());
    for c in text.chars() {
        match c {
            '&' => out.push_str("&amp;"),
            '<' => out.push_str("&lt;"),
            '>' => out.push_str("&gt;"),
            '"' => out.push_str("&quot;"),
            '\'' => out.push_str("&#39;"),
            c => out.push(c),
        }
    }
    out
}

/// `n / d` as a percentage with one decimal; nothing to divide by is shown as a dash.
pub fn percent(n: u64, d: u64) -> String {
    if d == 0 {
        return "–".to_string();
    }
    format!("{:.1}%", 100.0 * n as f64 / d as f64)
}

/// A count with its share of a total: `3 (37.5%)`.
pub fn count_share(n: u64, d: u64) -> String {
    format!("{n} ({})", percent(n, d))
}

/// Counts print whole; rates and other fractions with three decimals; a null as a dash.
pub fn number(v: Option<f64>) -> String {
    match v {
        None => "–".to_string(),
        Some(v) if v.is_finite() && v.fract() == 0.0 && v.abs() < 1e15 => format!("{v:.0}"),
        Some(v) => format!("{v:.3}"),
    }
}

/// A table of plain-text cells; `id` lets a reader (or a test) find it.
pub struct Table {
    pub id: String,
    pub caption: String,
    pub head: Vec<String>,
    pub rows: Vec<Vec<String>>,
}

impl Table {
    pub fn render(&self) -> String {
        let mut out =
            format!("<table id=\"{}\">\n<caption>{}</caption>\n<thead><tr>", escape(&self.id), escape(&self.caption));
        for h in &self.head {
            out.push_str(&format!("<th>{}</th>", escape(h)));
        }
        out.push_str("</tr></thead>\n<tbody>\n");
        for row in &self.rows {
            out.push_str("<tr>");
            for cell in row {
                out.push_str(&format!("<td>{}</td>", escape(cell)));
            }
            out.push_str("</tr>\n");
        }
        out.push_str("</tbody>\n</table>\n");
        out
    }
}

/// One heading of the page: what it shows, why something is missing, charts, tables.
pub struct Section {
    pub title: String,
    pub intro: String,
    pub notes: Vec<String>,
    /// Chart markup from plotly (already safe: its JSON escapes `<`, `>`, `&`).
    pub charts: Vec<String>,
    pub tables: Vec<Table>,
}

impl Section {
    pub fn new(title: &str, intro: &str) -> Section {
        Section { title: title.into(), intro: intro.into(), notes: Vec::new(), charts: Vec::new(), tables: Vec::new() }
    }

    /// A section that cannot be drawn, with the reason in place of the chart.
    pub fn skipped(title: &str, intro: &str, note: String) -> Section {
        let mut s = Section::new(title, intro);
        s.notes.push(note);
        s
    }

    fn render(&self) -> String {
        let mut out = format!("<section>\n<h2>{}</h2>\n<p>{}</p>\n", escape(&self.title), escape(&self.intro));
        for note in &self.notes {
            out.push_str(&format!("<p class=\"note\">{}</p>\n", escape(note)));
        }
        for chart in &self.charts {
            out.push_str(&format!("<div class=\"chart\">{chart}</div>\n"));
        }
        for table in &self.tables {
            // A wide table (the issuers' measures) scrolls on its own instead of the page.
            out.push_str(&format!("<div class=\"scroll\">{}</div>\n", table.render()));
        }
        out.push_str("</section>\n");
        out
    }
}

const STYLE: &str =
    "body{font-family:system-ui,'Noto Sans CJK SC','WenQuanYi Micro Hei',sans-serif;margin:2em;max-width:1300px}\
table{border-collapse:collapse;margin:1em 0 2em;font-size:13px}\
caption{text-align:left;font-weight:bold;padding:4px 0;white-space:nowrap}\
th,td{border:1px solid #ccc;padding:2px 8px;text-align:right;white-space:nowrap}\
td:first-child,th:first-child{text-align:left}\
thead th{background:#f3f3f3}\
.note{color:#8a4b00}\
.chart{margin:1em 0}\
.scroll{overflow-x:auto}";

/// The whole document; `script` is the charting library, inlined so the page works offline.
pub fn page(title: &str, intro: &[String], sections: &[Section], script: &str) -> String {
    let mut out = format!(
        "<!doctype html>\n<html lang=\"zh-CN\">\n<head>\n<meta charset=\"utf-8\">\n\
         <meta name=\"viewport\" content=\"width=device-width, initial-scale=1\">\n\
         <title>{}</title>\n<style>{STYLE}</style>\n{script}\n</head>\n<body>\n<h1>{}</h1>\n",
        escape(title),
        escape(title)
    );
    for line in intro {
        out.push_str(&format!("<p>{}</p>\n", escape(line)));
    }
    for s in sections {
        out.push_str(&s.render());
    }
    out.push_str("</body>\n</html>\n");
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn escapes_markup() {
        assert_eq!(escape("<b>周口&\"'"), "&lt;b&gt;周口&amp;&quot;&#39;");
    }

    #[test]
    fn formats_numbers() {
        assert_eq!(percent(1, 3), "33.3%");
        assert_eq!(percent(1, 0), "–");
        assert_eq!(count_share(3, 8), "3 (37.5%)");
        assert_eq!(number(Some(12.0)), "12");
        assert_eq!(number(Some(0.4567)), "0.457");
        assert_eq!(number(None), "–");
    }

    #[test]
    fn table_cells_are_escaped() {
        let t = Table { id: "t".into(), caption: "c".into(), head: vec!["a".into()], rows: vec![vec!["<x>".into()]] };
        assert!(t.render().contains("<td>&lt;x&gt;</td>"));
    }
}
