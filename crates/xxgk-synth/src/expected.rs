//! The expected JSON of a document, in the seeds' format: `file`, `report`,
//! `facts`, `failing_checks` (and `expected_status` for non-reports).

use crate::issuers::Kind;
use crate::model::Fact;
use crate::spec::{DocKind, Spec};
use serde::Serialize;
use serde_json::Value;

#[derive(Serialize)]
pub struct Report {
    pub template: Option<&'static str>,
    pub report_year: Option<i32>,
    pub division_code: Option<&'static str>,
    pub province: Option<&'static str>,
    pub city: Option<&'static str>,
    pub county: Option<&'static str>,
    pub issuer: Option<&'static str>,
    pub issuer_kind: Option<&'static str>,
    pub script: &'static str,
    pub published_date: Option<String>,
    pub layout: String,
}

/// Field order follows the seeds, so files diff cleanly against them.
#[derive(Serialize)]
pub struct Expected {
    pub file: String,
    pub report: Report,
    pub facts: Vec<Value>,
    pub failing_checks: Vec<String>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub series: Option<crate::series::Position>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub expected_status: Option<&'static str>,
}

impl Expected {
    pub fn new(spec: &Spec, file: &str, facts: &[Fact], failing: Vec<String>, layout: String) -> Self {
        let i = spec.issuer;
        let is_doc = spec.kind != DocKind::NotAReport;
        Expected {
            file: file.to_string(),
            report: Report {
                // A report without tables does not show which template it follows.
                template: (spec.kind == DocKind::Report).then(|| spec.template.id()),
                report_year: keep(is_doc, Some(spec.year)),
                division_code: keep(is_doc, Some(i.code)),
                province: keep(is_doc, Some(i.province)),
                city: keep(is_doc, i.city),
                county: keep(is_doc, i.county),
                issuer: keep(is_doc, Some(i.name)),
                issuer_kind: keep(
                    is_doc,
                    Some(match i.kind {
                        Kind::Government => "government",
                        Kind::Department => "department",
                    }),
                ),
                script: if spec.traditional { "traditional" } else { "simplified" },
                published_date: if is_doc { spec.published.map(|d| d.iso()) } else { None },
                layout,
            },
            facts: facts.iter().map(fact_json).collect(),
            failing_checks: failing,
            series: None,
            expected_status: match spec.kind {
                DocKind::Report => None,
                DocKind::NoTables => Some("no_tables"),
                DocKind::NotAReport => Some("not_a_report"),
            },
        }
    }

    /// Pretty JSON with one-space indentation, like the seed files.
    pub fn to_pretty(&self) -> String {
        let mut buf = Vec::new();
        let fmt = serde_json::ser::PrettyFormatter::with_indent(b" ");
        let mut ser = serde_json::Serializer::with_formatter(&mut buf, fmt);
        self.serialize(&mut ser).expect("serialisable");
        buf.push(b'\n');
        String::from_utf8(buf).expect("JSON is UTF-8")
    }
}

/// Report fields are unknown for pages that are not reports.
fn keep<T>(on: bool, v: Option<T>) -> Option<T> {
    v.filter(|_| on)
}

fn fact_json(f: &Fact) -> Value {
    Value::Array(vec![
        Value::from(f.table),
        Value::from(f.row.as_str()),
        Value::from(f.col),
        f.value.map_or(Value::Null, |v| v.to_json()),
    ])
}
