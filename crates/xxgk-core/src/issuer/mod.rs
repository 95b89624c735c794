//! Who reported: issuer names, issuer kind and GB/T 2260 division codes.
//!
//! `recognise` reads the issuer from the title, the title lines of the text,
//! the opening sentence (本报告由X编制), page furniture (发布机构, 来源, then
//! 主办/责任编辑) and finally the body, in that order of reliability. The
//! organisation's printed division names are resolved against
//! data/divisions.csv for the report year; a name several divisions share
//! (朝阳区, 鼓楼区) is decided by the other places the text names and its
//! telephone area codes, or left null with a warning. All names are found with
//! one aho-corasick automaton built once with the table, so a document costs
//! one pass over its text.

mod assemble;
mod body;
mod context;
mod divisions;
mod names;
mod opening;
mod org;
mod resolve;
mod sources;
mod text;
mod title;

pub use divisions::{Division, Divisions, Level};

/// Errors loading a division table.
#[derive(Debug, thiserror::Error)]
pub enum IssuerError {
    #[error("division table, line {line}: {message}")]
    Table { line: usize, message: String },
    #[error("building the division-name automaton: {0}")]
    Automaton(String),
}

/// What `recognise` reads a document's issuer from.
#[derive(Debug, Clone, Copy)]
pub struct IssuerContext<'a> {
    /// The report title if found.
    pub title: Option<&'a str>,
    /// Whole document text, already converted to simplified script, HTML tags removed.
    pub text: &'a str,
    /// The year covered, used to pick codes valid that year.
    pub report_year: Option<i32>,
}

/// The issuer columns of reports.parquet.
#[derive(Debug, Clone, Default, PartialEq)]
pub struct IssuerInfo {
    /// As printed, simplified: 周口市人民政府, 驻马店市水利局, 淮安市洪泽区人民政府.
    pub issuer: Option<String>,
    /// "government" (a people's government or its general office reporting for it) or "department".
    pub issuer_kind: Option<String>,
    pub province: Option<String>,
    pub city: Option<String>,
    pub county: Option<String>,
    /// 6-digit code of the most specific division known.
    pub division_code: Option<String>,
    /// Everything guessed or left null, human readable.
    pub warnings: Vec<String>,
}

/// Recognise the issuer of one document.
pub fn recognise(divs: &Divisions, ctx: &IssuerContext) -> IssuerInfo {
    // Names broken by PDF line breaks or spaces are whole again without whitespace;
    // the title goes first so that its place names count as context too.
    let compact = match ctx.title {
        Some(t) => format!("{}\n{}", text::compact(t), text::compact(ctx.text)),
        None => text::compact(ctx.text),
    };
    let ev = context::Evidence::gather(divs, &compact);
    let cands = sources::candidates(&divs.names, ctx.title, ctx.text, &compact, &ev);
    assemble::assemble(divs, &cands, ctx.report_year, &ev)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn run(title: Option<&str>, text: &str, year: Option<i32>) -> IssuerInfo {
        recognise(Divisions::embedded(), &IssuerContext { title, text, report_year: year })
    }

    #[test]
    fn government_office_reports_for_government() {
        let t = "本报告依据《条例》有关规定,由周口市人民政府办公室汇总各县(市、区)工作情况编制而成。电话:0394-8276078";
        let info = run(Some("周口市2020年政府信息公开工作年度报告"), t, Some(2020));
        assert_eq!(info.issuer.as_deref(), Some("周口市人民政府"));
        assert_eq!(info.issuer_kind.as_deref(), Some("government"));
        assert_eq!((info.province.as_deref(), info.city.as_deref()), (Some("河南省"), Some("周口市")));
        assert_eq!(info.division_code.as_deref(), Some("411600"));
        assert!(info.warnings.is_empty(), "{:?}", info.warnings);
    }

    #[test]
    fn nothing_found() {
        let info = run(None, "一、总体情况\n无。", None);
        assert_eq!(info.issuer, None);
        assert!(info.warnings[0].contains("no issuer found"));
    }
}
