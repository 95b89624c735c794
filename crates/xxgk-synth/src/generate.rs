//! One document end to end: spec → content → rendering → script → bytes →
//! expected JSON; and the corpus-level API on top of it.

use crate::assemble;
use crate::doc::{Block, Doc};
use crate::encode;
use crate::expected::Expected;
use crate::furniture;
use crate::model::{Fact, Tags};
use crate::render_html::{self, HtmlOpts};
use crate::render_ocr;
use crate::render_pdf::{self, PdfOpts};
use crate::render_text;
use crate::rng::{mix, Rng};
use crate::spec::{DocKind, Encoding, Format, Spec};
use serde_json::Value;
use std::collections::BTreeSet;

/// Generation options (serialisable settings would go here too).
#[derive(Clone, Debug)]
pub struct Options {
    /// Share of reports with one deliberately inconsistent number.
    pub corrupt_share: f64,
    /// Years per issuer series (0 or 1: independent documents); see `series`.
    pub series_years: usize,
    /// Where issuers are drawn from.
    pub issuers: crate::issuers::Pool,
}

impl Default for Options {
    fn default() -> Self {
        Options { corrupt_share: 0.1, series_years: 0, issuers: crate::issuers::Pool::Listed }
    }
}

/// A generated document and what the pipeline should find in it.
#[derive(Clone, Debug)]
pub struct Generated {
    pub file_name: String,
    pub bytes: Vec<u8>,
    pub expected_json: Value,
    /// `expected_json` as written to `expected/<file>.json` (seed key order).
    pub expected_text: String,
}

/// Stands for the `<meta>` charset label until the final encoding is known.
const CHARSET_MARK: &str = "\u{1}CHARSET\u{1}";

fn spec_tags(spec: &Spec, tags: &mut Tags) {
    tags.add(format!(
        "kind:{}",
        match spec.kind {
            DocKind::Report => "report",
            DocKind::NoTables => "no_tables",
            DocKind::NotAReport => "not_a_report",
        }
    ));
    if spec.kind != DocKind::NotAReport {
        tags.add(format!("template:{}", spec.template.id()));
    }
    tags.add(format!("format:{}", spec.format.tag()));
    tags.add(format!("script:{}", if spec.traditional { "traditional" } else { "simplified" }));
}

fn render(doc: &mut Doc, spec: &Spec, rng: &mut Rng, tags: &mut Tags) -> String {
    match spec.format {
        Format::HtmlTable | Format::HtmlWord => {
            let word = spec.format == Format::HtmlWord;
            if word && rng.chance(0.6) {
                for b in &mut doc.blocks {
                    if let Block::Table(g) = b {
                        g.expand_header_rowspans();
                        tags.add("html-word:merged-header-cells-as-empty-td");
                    }
                }
            }
            let meta = spec.meta_charset && encode::charset_label(spec.encoding, false).is_some();
            tags.add(if meta { "html:meta-charset" } else { "html:no-charset-declaration" });
            let entities = !word && rng.chance(0.3);
            if entities {
                tags.add("html:quote-entities");
            }
            let o = HtmlOpts {
                word,
                charset: meta.then_some(CHARSET_MARK),
                entities,
                bare_values: rng.chance(0.5),
                nbsp_empty: rng.chance(0.5),
            };
            render_html::render(doc, &o)
        }
        Format::CellPerLine => render_text::cell_per_line(doc),
        Format::CellPipe => render_text::cell_pipe(doc),
        Format::PipeRows => render_text::pipe_rows(doc),
        Format::Markdown => render_text::markdown(doc, rng, tags),
        Format::TextRows | Format::LabelThenNumbers => {
            let o = PdfOpts::choose(spec.format == Format::LabelThenNumbers, rng);
            render_pdf::text_rows(doc, &o, rng, tags)
        }
        Format::OcrTab => render_ocr::ocr_tab(doc, rng, tags),
    }
}

/// Bytes in the spec's encoding; a character Big5/GBK cannot hold sends the
/// document to UTF-8 (recorded in the layout), so no declaration lies.
fn to_bytes(text: &str, spec: &Spec, rng: &mut Rng, tags: &mut Tags) -> (Vec<u8>, Encoding) {
    let alt = rng.chance(0.4);
    let attempt = |enc: Encoding| {
        let label = encode::charset_label(enc, alt).unwrap_or("utf-8");
        encode::encode(&text.replace(CHARSET_MARK, label), enc)
    };
    match attempt(spec.encoding) {
        Ok(b) => (b, spec.encoding),
        Err(c) => {
            tags.add(format!("enc:{}-fallback-to-utf-8(U+{:04X})", spec.encoding.tag(), c as u32));
            (attempt(Encoding::Utf8).expect("UTF-8 holds everything"), Encoding::Utf8)
        }
    }
}

/// Every fact must be printed somewhere in the grids, and nothing else.
fn assert_covered(doc: &Doc, facts: &[Fact]) {
    let printed: BTreeSet<(String, String)> = doc
        .blocks
        .iter()
        .filter_map(|b| if let Block::Table(g) = b { Some(g) } else { None })
        .flat_map(|g| g.fact_refs())
        .filter(|(r, _)| !r.starts_with("unlisted:"))
        .map(|(r, c)| (r, c.to_string()))
        .collect();
    let expected: BTreeSet<(String, String)> = facts.iter().map(|f| (f.row.clone(), f.col.to_string())).collect();
    assert_eq!(printed, expected, "grid and expected facts disagree");
}

/// Document `index` of the corpus for `seed`.
pub fn one(seed: u64, index: usize, opts: &Options) -> Generated {
    let mut rng = Rng::for_doc(seed, index as u64);
    let mut spec = Spec::choose(index, opts.corrupt_share, opts.issuers.issuers(), &mut rng);
    let position = (opts.series_years > 1).then(|| crate::series::apply(&mut spec, seed, index, opts));
    let mut tags = Tags::default();
    spec_tags(&spec, &mut tags);
    let (mut doc, facts, failing) = match spec.kind {
        DocKind::NotAReport => (furniture::news_page(&spec, &mut rng, &mut tags), Vec::new(), Vec::new()),
        _ => assemble::report(&spec, &mut rng, &mut tags),
    };
    assert_covered(&doc, &facts);
    let text = render(&mut doc, &spec, &mut rng, &mut tags);
    let text = if spec.traditional { encode::to_traditional(&text) } else { text };
    let (bytes, enc) = to_bytes(&text, &spec, &mut rng, &mut tags);
    tags.add(format!("enc:{}", enc.tag()));
    crate::variants::label_tags(&spec, &mut tags);
    let file_name = format!("{index:05}_{:016x}.{}", mix(seed ^ mix(index as u64 + 1)), spec.format.extension());
    let mut expected = Expected::new(&spec, &file_name, &facts, failing, tags.join());
    expected.series = position;
    let expected_json = serde_json::to_value(&expected).expect("serialisable");
    Generated { file_name, bytes, expected_json, expected_text: expected.to_pretty() }
}
