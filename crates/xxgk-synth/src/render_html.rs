//! HTML as government sites publish it: a CMS article page with a real
//! `<table>` (rowspan/colspan), or a Word "Save as Web Page" export with
//! MsoNormal paragraphs, `&nbsp;`, `<o:p></o:p>` and empty placeholder cells.

use crate::doc::{Block, Doc};
use crate::grid::{GCell, Grid, Role};
use std::fmt::Write;

pub struct HtmlOpts {
    pub word: bool,
    /// `<meta>` charset label; `None` leaves the declaration out.
    pub charset: Option<&'static str>,
    /// Quotes written as `&ldquo;`/`&rdquo;`.
    pub entities: bool,
    /// Value cells as `<td align="center">` rather than a centred `<p>`.
    pub bare_values: bool,
    /// Empty cells hold `&nbsp;`.
    pub nbsp_empty: bool,
}

fn esc(s: &str, entities: bool) -> String {
    let mut out = String::with_capacity(s.len());
    for c in s.chars() {
        match c {
            '&' => out.push_str("&amp;"),
            '<' => out.push_str("&lt;"),
            '>' => out.push_str("&gt;"),
            '“' if entities => out.push_str("&ldquo;"),
            '”' if entities => out.push_str("&rdquo;"),
            '\u{3000}' if entities => out.push_str("&nbsp;&nbsp;"),
            _ => out.push(c),
        }
    }
    out
}

/// Word wraps runs of Latin text and digits in `lang=EN-US` spans.
fn word_runs(s: &str, o: &HtmlOpts) -> String {
    let mut out = String::new();
    let mut run = String::new();
    let mut ascii = false;
    let flush = |run: &mut String, ascii: bool, out: &mut String| {
        if run.is_empty() {
            return;
        }
        if ascii {
            let _ = write!(out, "<span lang=EN-US>{}</span>", esc(run, o.entities));
        } else {
            out.push_str(&esc(run, o.entities));
        }
        run.clear();
    };
    for c in s.chars() {
        let a = c.is_ascii_alphanumeric() || c == '.';
        if a != ascii {
            flush(&mut run, ascii, &mut out);
            ascii = a;
        }
        run.push(c);
    }
    flush(&mut run, ascii, &mut out);
    out
}

fn head(doc: &Doc, o: &HtmlOpts) -> String {
    let mut h = String::new();
    match (o.charset, o.word) {
        (Some(cs), true) => {
            let _ = writeln!(h, "<html xmlns:v=\"urn:schemas-microsoft-com:vml\" xmlns:o=\"urn:schemas-microsoft-com:office:office\" xmlns:w=\"urn:schemas-microsoft-com:office:word\" xmlns=\"http://www.w3.org/TR/REC-html40\">\n<head>\n<meta http-equiv=Content-Type content=\"text/html; charset={cs}\">");
        }
        (None, true) => h.push_str("<html xmlns:o=\"urn:schemas-microsoft-com:office:office\" xmlns=\"http://www.w3.org/TR/REC-html40\">\n<head>\n"),
        (Some(cs), false) if cs.starts_with("utf") => {
            let _ = writeln!(h, "<!DOCTYPE html>\n<html lang=\"zh-CN\">\n<head>\n<meta charset=\"{cs}\">");
        }
        (Some(cs), false) => {
            let _ = writeln!(h, "<!DOCTYPE html PUBLIC \"-//W3C//DTD XHTML 1.0 Transitional//EN\" \"http://www.w3.org/TR/xhtml1/DTD/xhtml1-transitional.dtd\">\n<html xmlns=\"http://www.w3.org/1999/xhtml\">\n<head>\n<meta http-equiv=\"Content-Type\" content=\"text/html; charset={cs}\" />");
        }
        (None, false) => h.push_str("<!DOCTYPE html>\n<html>\n<head>\n<meta http-equiv=\"X-UA-Compatible\" content=\"IE=edge\">\n"),
    }
    if o.word {
        h.push_str("<meta name=ProgId content=Word.Document>\n<meta name=Generator content=\"Microsoft Word 15\">\n<style>\n<!--\n p.MsoNormal, li.MsoNormal {margin:0cm; text-align:justify; font-size:10.5pt; font-family:等线;}\n-->\n</style>\n");
    }
    let _ = writeln!(h, "<title>{}</title>\n</head>", esc(&doc.head_title, false));
    h
}

fn word_p(text: &str, style: &str, o: &HtmlOpts) -> String {
    if text.is_empty() {
        return "<p class=MsoNormal align=center style='text-align:center'><span lang=EN-US style='font-size:10.5pt'><o:p>&nbsp;</o:p></span></p>".into();
    }
    let inner: Vec<String> =
        text.split('\n').map(|part| format!("<span style='{style}'>{}</span>", word_runs(part, o))).collect();
    format!(
        "<p class=MsoNormal align=center style='text-align:center'>{}<span lang=EN-US><o:p></o:p></span></p>",
        inner.join("")
    )
}

fn cell_html(cell: &GCell, o: &HtmlOpts) -> String {
    let mut attrs = String::new();
    if cell.rowspan > 1 {
        let _ = write!(attrs, " rowspan=\"{}\"", cell.rowspan);
    }
    if cell.colspan > 1 {
        let _ = write!(attrs, " colspan=\"{}\"", cell.colspan);
    }
    if o.word {
        let attrs = attrs.replace('"', "");
        let width = 40 + 12 * cell.text.chars().count().min(20);
        let body = word_p(&cell.text, "font-size:10.5pt;font-family:宋体", o);
        return format!("  <td width={width}{attrs} valign=center style='border:solid windowtext 1.0pt;padding:0cm 5.4pt 0cm 5.4pt'>\n  {body}\n  </td>\n");
    }
    let text = cell.text.split('\n').map(|p| esc(p, o.entities)).collect::<Vec<_>>().join("<br/>");
    let text = if text.is_empty() && o.nbsp_empty { "&nbsp;".to_string() } else { text };
    match cell.role {
        Role::Value | Role::Extra if o.bare_values => {
            format!("<td{attrs} align=\"center\">{text}</td>")
        }
        _ => format!("<td{attrs}><p style=\"text-align:center;\">{text}</p></td>"),
    }
}

fn table_html(g: &Grid, o: &HtmlOpts) -> String {
    let mut out = String::new();
    if let Some(t) = &g.title {
        out.push_str(&para_html(t, o, true));
    }
    if o.word {
        out.push_str("<table class=MsoNormalTable border=1 cellspacing=0 cellpadding=0 style='border-collapse:collapse;border:none;mso-border-alt:solid windowtext .5pt'>\n");
    } else {
        out.push_str("<table border=\"1\" cellspacing=\"0\" cellpadding=\"0\" width=\"100%\" style=\"border-collapse:collapse;\">\n<tbody>\n");
    }
    for row in &g.rows {
        out.push_str(if o.word { " <tr style='height:20.0pt'>\n" } else { "<tr>" });
        for cell in row {
            out.push_str(&cell_html(cell, o));
        }
        out.push_str(if o.word { " </tr>\n" } else { "</tr>\n" });
    }
    out.push_str(if o.word { "</table>\n" } else { "</tbody>\n</table>\n" });
    out
}

fn para_html(text: &str, o: &HtmlOpts, center: bool) -> String {
    if o.word {
        let align = if center { " align=center style='text-align:center'" } else { " style='text-indent:32.0pt'" };
        return format!(
            "<p class=MsoNormal{align}><span style='font-size:16.0pt;font-family:仿宋_GB2312'>{}<span lang=EN-US><o:p></o:p></span></span></p>\n",
            word_runs(text, o)
        );
    }
    let style = if center { " style=\"text-align:center;\"" } else { " style=\"text-indent:2em;\"" };
    format!("<p{style}>{}</p>\n", esc(text, o.entities))
}

/// The whole page.
pub fn render(doc: &Doc, o: &HtmlOpts) -> String {
    let mut out = head(doc, o);
    out.push_str(if o.word {
        "<body lang=ZH-CN style='tab-interval:21.0pt;text-justify-trim:punctuation'>\n<div class=WordSection1 style='layout-grid:15.6pt'>\n"
    } else {
        "<body>\n<div class=\"main\">\n<div class=\"article\">\n"
    });
    for b in &doc.blocks {
        match b {
            Block::Furniture(s) if !o.word => {
                let _ = writeln!(out, "<div class=\"info\">{}</div>", esc(s, o.entities));
            }
            Block::Furniture(s) => out.push_str(&para_html(s, o, false)),
            Block::Title(s) if !o.word => {
                let _ = writeln!(
                    out,
                    "<h1 class=\"title\">{}</h1>\n<div class=\"content\" id=\"zoom\">",
                    esc(s, o.entities)
                );
            }
            Block::Title(s) => out.push_str(&para_html(s, o, true)),
            Block::Heading(s) if !o.word => {
                let _ = writeln!(out, "<p style=\"text-indent:2em;\"><strong>{}</strong></p>", esc(s, o.entities));
            }
            Block::Heading(s) | Block::Para(s) => out.push_str(&para_html(s, o, false)),
            Block::Table(g) => out.push_str(&table_html(g, o)),
            Block::Image(src) => {
                let _ =
                    writeln!(out, "<p style=\"text-align:center;\"><img src=\"{src}\" width=\"600\" alt=\"\" /></p>");
            }
            Block::Signature(lines) => {
                for l in lines {
                    out.push_str(&para_html(l, o, false).replace("text-indent:2em;", "text-align:right;"));
                }
            }
        }
    }
    out.push_str(if o.word { "</div>\n</body>\n</html>\n" } else { "</div>\n</div>\n</div>\n</body>\n</html>\n" });
    out
}
