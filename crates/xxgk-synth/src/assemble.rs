//! Puts a report together: true numbers → printed tables → (corruption) →
//! checks → grids → document blocks. Returns the facts and failing checks
//! that the expected JSON states.

use crate::build::{self, Ctx};
use crate::build_app;
use crate::build_legacy;
use crate::corrupt;
use crate::doc::{Block, Doc};
use crate::flatten;
use crate::furniture;
use crate::grid::Grid;
use crate::issuers::{Kind, Level};
use crate::legacy;
use crate::model::{facts_of, Fact, PTable, Tags, TrueTable};
use crate::narrative;
use crate::numbers::{self, Scale};
use crate::print::Printer;
use crate::rng::Rng;
use crate::spec::{DocKind, Format, Spec, Template};

/// Tables of one report, true and printed.
struct Tables {
    printed: Vec<PTable>,
    app: Option<TrueTable>,
    review: Option<TrueTable>,
    legacy: Option<TrueTable>,
}

fn legacy_columns(spec: &Spec, tags: &mut Tags) -> &'static [&'static str] {
    let city_gov = spec.issuer.kind == Kind::Government && spec.issuer.level() == Level::City;
    if spec.tables.legacy_aggregate && city_gov {
        tags.add("legacy:aggregate-columns-各县区-各部门-全市");
        &["counties", "departments", "all"]
    } else {
        tags.add("legacy:single-value-column");
        &["value"]
    }
}

fn legacy_size(spec: &Spec, rng: &mut Rng) -> i64 {
    let base = match (spec.issuer.kind, spec.issuer.level()) {
        (Kind::Government, Level::Province) => 400,
        (Kind::Government, Level::City) => 150,
        (Kind::Government, Level::County) => 40,
        (Kind::Department, _) => 8,
    };
    rng.int(base / 2, base * 2)
}

fn true_tables(spec: &Spec, scale: Scale, printer: &Printer, rng: &mut Rng, tags: &mut Tags) -> Tables {
    let o = &spec.tables;
    if spec.template == Template::Legacy {
        let cols = legacy_columns(spec, tags);
        let drop = o.drop_wechat && spec.year <= 2015;
        let t = legacy::table(legacy_size(spec, rng), cols, drop, o.legacy_local_rows, rng);
        let printed = vec![printer.legacy(&t, rng, tags)];
        return Tables { printed, app: None, review: None, legacy: Some(t) };
    }
    let split = spec.template == Template::Y2021 && o.other_split;
    if spec.template == Template::Y2021 {
        tags.add(if split { "2021:（六）-split-into-3-rows" } else { "2021:（六）-printed-undivided(other)" });
    }
    let active = match spec.template {
        Template::Y2019 => printer.active_2019(&numbers::active_2019(scale, rng), spec.issuer, tags),
        _ => printer.active_2021(&numbers::active_2021(scale, rng), rng, tags),
    };
    let app = numbers::applications(scale, split, spec.carried_in, rng);
    let review = numbers::review_litigation(scale, rng);
    let printed = vec![active, printer.counts(&app, tags), printer.counts(&review, tags)];
    Tables { printed, app: Some(app), review: Some(review), legacy: None }
}

fn flatten_allowed(spec: &Spec, corrupted: bool) -> bool {
    let text =
        matches!(spec.format, Format::TextRows | Format::LabelThenNumbers | Format::PipeRows | Format::CellPerLine);
    spec.tables.flatten && text && !corrupted && !spec.tables.subtotal_col && spec.template != Template::Legacy
}

fn legacy_title(spec: &Spec) -> String {
    let who = if spec.issuer.kind == Kind::Government { spec.issuer.place() } else { spec.issuer.name };
    format!("{}年{who}政府信息公开情况统计表", spec.year)
}

fn grids(spec: &Spec, t: &Tables, ctx: &Ctx, flat: &[String], rng: &mut Rng, tags: &mut Tags) -> Vec<Vec<Grid>> {
    if spec.template == Template::Legacy {
        return vec![vec![build_legacy::grid(&t.printed[0], ctx, legacy_title(spec), rng, tags)]];
    }
    vec![
        vec![build::active(&t.printed[0], ctx, rng, tags)],
        vec![build_app::applications(&t.printed[1], ctx, flat, rng, tags)],
        build::review(&t.printed[2], ctx, rng, tags),
    ]
}

fn tables_or_images(doc: &mut Doc, grids: Option<Vec<Grid>>, n: usize) {
    match grids {
        Some(gs) => gs.into_iter().for_each(|g| doc.push(Block::Table(g))),
        None => doc.push(Block::Image(format!("/uploadfiles/xxgk/table{n}.png"))),
    }
}

/// Body of a 2019/2021 report (tables, or pictures of them).
fn body_new(doc: &mut Doc, spec: &Spec, t: &Tables, mut grids: Option<Vec<Vec<Grid>>>, rng: &mut Rng, tags: &mut Tags) {
    narrative::overview(doc, spec, t.app.as_ref().expect("app"), t.review.as_ref().expect("review"), rng, tags);
    let mut take = |i: usize| grids.as_mut().map(|g| std::mem::take(&mut g[i]));
    doc.heading("二、主动公开政府信息情况");
    tables_or_images(doc, take(0), 1);
    doc.heading("三、收到和处理政府信息公开申请情况");
    tables_or_images(doc, take(1), 2);
    doc.heading(if rng.chance(0.7) {
        "四、政府信息公开行政复议、行政诉讼情况"
    } else {
        "四、因政府信息公开工作被申请行政复议、提起行政诉讼情况"
    });
    tables_or_images(doc, take(2), 3);
    if rng.chance(0.2) {
        doc.para("注：行政复议、行政诉讼数量含上年度结转数量。");
    }
    narrative::problems(doc, "五、存在的主要问题及改进情况", rng);
    narrative::other_matters(doc, spec, rng);
}

/// A report or a report without tables; the facts and failing checks it states.
pub fn report(spec: &Spec, rng: &mut Rng, tags: &mut Tags) -> (Doc, Vec<Fact>, Vec<String>) {
    let with_tables = spec.kind == DocKind::Report;
    // Table variants are only worth a tag where the tables are printed.
    let mut scratch = Tags::default();
    let ttags = if with_tables { &mut *tags } else { &mut scratch };
    let scale = numbers::scale_of(spec.issuer, rng);
    let printer = Printer::new(&spec.tables, spec.format, rng);
    let mut t = true_tables(spec, scale, &printer, rng, ttags);
    let corrupted = spec.corrupt && corrupt::corrupt(&mut t.printed, rng, ttags).is_some();
    let flat = if with_tables && flatten_allowed(spec, corrupted) {
        flatten::choose_rows(&t.printed, rng, ttags)
    } else {
        Vec::new()
    };
    let blanks = spec.format.blanks_visible();
    let ctx = Ctx {
        labels: &spec.labels,
        opts: &spec.tables,
        template: spec.template,
        breaks: spec.format != Format::HtmlTable || rng.chance(0.2),
        empty: if blanks { "" } else { printer.placeholder },
    };
    let grids = with_tables.then(|| grids(spec, &t, &ctx, &flat, rng, ttags));
    let mut doc = Doc::default();
    let place = furniture::date_place(spec, rng, tags);
    doc.blocks.extend(furniture::top(spec, place, rng, tags));
    let title = narrative::title(spec, rng);
    doc.head_title = title.clone();
    doc.push(Block::Title(title));
    narrative::preamble(spec, rng).into_iter().for_each(|p| doc.para(p));
    if spec.template == Template::Legacy {
        narrative::legacy_body(&mut doc, spec, t.legacy.as_ref().expect("legacy"), rng);
        doc.heading(if rng.chance(0.5) { "附件" } else { "附件：" });
        tables_or_images(&mut doc, grids.map(|mut g| g.remove(0)), 1);
    } else {
        body_new(&mut doc, spec, &t, grids, rng, tags);
    }
    doc.blocks.extend(furniture::bottom(spec, place, rng, tags));
    if !with_tables {
        return (doc, Vec::new(), Vec::new());
    }
    let facts = facts_of(&t.printed);
    let failing = crate::checks::failing(&facts);
    (doc, facts, failing)
}
