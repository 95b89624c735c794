//! What one document will be: issuer, year, template, file format, encoding
//! and every layout variant, drawn once from the document's RNG.

use crate::issuers::Issuer;
use crate::labels::LabelOpts;
use crate::rng::Rng;

#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Template {
    Legacy,
    Y2019,
    Y2021,
}

impl Template {
    pub fn id(self) -> &'static str {
        match self {
            Template::Legacy => "legacy",
            Template::Y2019 => "2019",
            Template::Y2021 => "2021",
        }
    }

    fn years(self) -> (i32, i32) {
        match self {
            Template::Legacy => (2014, 2018),
            Template::Y2019 => (2019, 2020),
            Template::Y2021 => (2021, 2024),
        }
    }
}

#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Format {
    HtmlTable,
    HtmlWord,
    CellPerLine,
    CellPipe,
    PipeRows,
    Markdown,
    TextRows,
    LabelThenNumbers,
    OcrTab,
}

impl Format {
    pub fn tag(self) -> &'static str {
        match self {
            Format::HtmlTable => "html-table",
            Format::HtmlWord => "html-word",
            Format::CellPerLine => "text-cell-per-line",
            Format::CellPipe => "text-cell-pipe-suffix",
            Format::PipeRows => "text-pipe-rows",
            Format::Markdown => "markdown-pipe-table",
            Format::TextRows => "pdf-text-rows",
            Format::LabelThenNumbers => "pdf-text-label-then-numbers",
            Format::OcrTab => "ocr-tab-rows",
        }
    }

    pub fn is_html(self) -> bool {
        matches!(self, Format::HtmlTable | Format::HtmlWord)
    }

    /// Whether an empty cell stays visible. PDF text and blank-line separated
    /// cells lose empty cells, so there a blank is printed as a placeholder.
    pub fn blanks_visible(self) -> bool {
        !matches!(self, Format::TextRows | Format::LabelThenNumbers | Format::CellPerLine)
    }

    pub fn extension(self) -> &'static str {
        match self {
            Format::HtmlTable | Format::HtmlWord => "html",
            Format::Markdown => "md",
            _ => "txt",
        }
    }
}

#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Encoding {
    Utf8,
    Utf8Bom,
    Gbk,
    Gb18030,
    Big5,
    Utf16Le,
    Utf16Be,
}

impl Encoding {
    pub fn tag(self) -> &'static str {
        match self {
            Encoding::Utf8 => "utf-8",
            Encoding::Utf8Bom => "utf-8-bom",
            Encoding::Gbk => "gbk",
            Encoding::Gb18030 => "gb18030",
            Encoding::Big5 => "big5",
            Encoding::Utf16Le => "utf-16le-bom",
            Encoding::Utf16Be => "utf-16be-bom",
        }
    }

    pub const ALL: [Encoding; 7] = [
        Encoding::Utf8,
        Encoding::Utf8Bom,
        Encoding::Gbk,
        Encoding::Gb18030,
        Encoding::Big5,
        Encoding::Utf16Le,
        Encoding::Utf16Be,
    ];

    /// The encoding named by a layout tag (`enc:gbk` → GBK).
    pub fn from_tag(tag: &str) -> Option<Encoding> {
        Encoding::ALL.into_iter().find(|e| e.tag() == tag)
    }
}

#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum DocKind {
    Report,
    NoTables,
    NotAReport,
}

/// How blank or zero cells of tables 三 and 四 are printed.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum ZeroStyle {
    Digit,
    Blank,
    Dash,
}

/// Where the unit of 采购总金额 is written (2019 table 二).
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum ProcUnit {
    HeaderWan,
    CellWan,
    CellYuan,
}

/// Table variants; each applies only where its table exists.
#[derive(Clone, Debug)]
pub struct TableOpts {
    pub zero_style: ZeroStyle,
    pub total_blank: bool,
    pub subtotal_col: bool,
    pub group_subtotals: bool,
    pub flatten: bool,
    pub t4_split: bool,
    pub other_split: bool,
    pub t2_wide: bool,
    pub proc_unit: ProcUnit,
    pub thousands: bool,
    pub fee_in_yuan: bool,
    pub cell_notes: bool,
    pub signed_plus: bool,
    pub t2_placeholders: bool,
    pub legacy_aggregate: bool,
    pub legacy_blank_zeros: bool,
    pub legacy_note_rows: bool,
    pub legacy_merged_blank: bool,
    pub legacy_local_rows: bool,
    pub legacy_funding_yuan: bool,
    pub drop_wechat: bool,
}

#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct Date {
    pub y: i32,
    pub m: u32,
    pub d: u32,
}

impl Date {
    pub fn iso(self) -> String {
        format!("{:04}-{:02}-{:02}", self.y, self.m, self.d)
    }
}

pub struct Spec {
    pub index: usize,
    pub kind: DocKind,
    pub issuer: &'static Issuer,
    pub year: i32,
    pub template: Template,
    pub format: Format,
    pub encoding: Encoding,
    pub meta_charset: bool,
    pub traditional: bool,
    pub published: Option<Date>,
    pub corrupt: bool,
    pub tables: TableOpts,
    pub labels: LabelOpts,
    /// The six applicant cells of 上年结转 (a series continues the previous year).
    pub carried_in: Option<[i64; 6]>,
}

fn pick_format(rng: &mut Rng) -> Format {
    use Format::*;
    rng.weighted(&[
        (HtmlTable, 16),
        (HtmlWord, 10),
        (CellPerLine, 10),
        (CellPipe, 8),
        (PipeRows, 10),
        (Markdown, 12),
        (TextRows, 16),
        (LabelThenNumbers, 8),
        (OcrTab, 10),
    ])
}

fn pick_encoding(rng: &mut Rng) -> Encoding {
    use Encoding::*;
    rng.weighted(&[(Utf8, 40), (Utf8Bom, 10), (Gbk, 15), (Gb18030, 10), (Big5, 8), (Utf16Le, 9), (Utf16Be, 8)])
}

fn pick_issuer(template: Template, pool: &'static [Issuer], rng: &mut Rng) -> (&'static Issuer, i32) {
    let (lo, hi) = template.years();
    let fits: Vec<&'static Issuer> = pool.iter().filter(|i| i.since <= hi).collect();
    let issuer = *rng.pick(&fits);
    (issuer, rng.int(i64::from(lo.max(issuer.since)), i64::from(hi)) as i32)
}

fn table_opts(format: Format, rng: &mut Rng) -> TableOpts {
    let zero_style = match rng.weighted(&[(ZeroStyle::Digit, 7), (ZeroStyle::Blank, 2), (ZeroStyle::Dash, 1)]) {
        ZeroStyle::Blank if !format.blanks_visible() => ZeroStyle::Dash,
        z => z,
    };
    TableOpts {
        zero_style,
        total_blank: rng.chance(0.15),
        subtotal_col: rng.chance(0.1),
        group_subtotals: rng.chance(0.12),
        flatten: rng.chance(0.5),
        t4_split: rng.chance(0.25),
        other_split: rng.chance(0.7),
        t2_wide: rng.chance(0.3),
        proc_unit: rng.weighted(&[(ProcUnit::HeaderWan, 5), (ProcUnit::CellWan, 2), (ProcUnit::CellYuan, 2)]),
        thousands: rng.chance(0.35),
        fee_in_yuan: rng.chance(0.12),
        cell_notes: rng.chance(0.2),
        signed_plus: rng.chance(0.4),
        t2_placeholders: rng.chance(0.25),
        legacy_aggregate: rng.chance(0.8),
        legacy_blank_zeros: rng.chance(0.6),
        legacy_note_rows: rng.chance(0.3),
        legacy_merged_blank: rng.chance(0.5),
        legacy_local_rows: rng.chance(0.25),
        legacy_funding_yuan: rng.chance(0.12),
        drop_wechat: rng.chance(0.5),
    }
}

/// A publication date early in the following year (2019+ deadline 31 Jan).
fn published(year: i32, template: Template, rng: &mut Rng) -> Option<Date> {
    if !rng.chance(0.55) {
        return None;
    }
    let last_month = if template == Template::Legacy { 3 } else { rng.int(1, 3) as u32 };
    let m = rng.int(1, i64::from(last_month)) as u32;
    Some(Date { y: year + 1, m, d: rng.int(5, 28) as u32 })
}

impl Spec {
    pub fn choose(index: usize, corrupt_share: f64, pool: &'static [Issuer], rng: &mut Rng) -> Spec {
        let kind = rng.weighted(&[(DocKind::Report, 94), (DocKind::NoTables, 3), (DocKind::NotAReport, 3)]);
        let template = rng.weighted(&[(Template::Legacy, 30), (Template::Y2019, 30), (Template::Y2021, 40)]);
        let (issuer, year) = pick_issuer(template, pool, rng);
        let format = pick_format(rng);
        let encoding = pick_encoding(rng);
        let traditional = encoding == Encoding::Big5
            || matches!(encoding, Encoding::Utf8 | Encoding::Utf8Bom | Encoding::Utf16Le) && rng.chance(0.08);
        Spec {
            index,
            kind,
            issuer,
            year,
            template,
            format,
            encoding,
            meta_charset: rng.chance(0.6),
            traditional,
            published: published(year, template, rng),
            corrupt: kind == DocKind::Report && rng.chance(corrupt_share),
            tables: table_opts(format, rng),
            labels: LabelOpts::choose(rng),
            carried_in: None,
        }
    }
}
