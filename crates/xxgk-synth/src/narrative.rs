//! Report prose around the tables: titles, the 统计期限 preamble, 总体情况
//! with numbers that are not table cells, problems and other matters.

use crate::doc::Doc;
use crate::issuers::Kind;
use crate::model::{Num, Tags, TrueTable};
use crate::rng::Rng;
use crate::spec::{Spec, Template};

pub fn title(spec: &Spec, rng: &mut Rng) -> String {
    let (i, y) = (spec.issuer, spec.year);
    let gov = i.kind == Kind::Government && i.name.ends_with("人民政府");
    match rng.int(0, 3) {
        0 if gov => format!("{}{y}年政府信息公开工作年度报告", i.place()),
        1 if gov => format!("{y}年{}政府信息公开工作年度报告", i.place()),
        2 => format!("{}{y}年度政府信息公开工作年度报告", i.name),
        _ => format!("{}{y}年政府信息公开工作年度报告", i.name),
    }
}

fn phone(spec: &Spec, rng: &mut Rng) -> String {
    let area = ["0371", "0392", "0394", "0396", "0517", "0527", "024", "021", "0571", "020", "028", "0564"];
    let a = area[(spec.issuer.code.as_bytes()[3] as usize) % area.len()];
    format!("{a}-{}", rng.int(2_000_000, 8_999_999))
}

/// Opening paragraph: legal basis, compiler, 统计期限, contact details.
pub fn preamble(spec: &Spec, rng: &mut Rng) -> Vec<String> {
    let y = spec.year;
    let law = if spec.template == Template::Legacy { "国务院令第492号" } else { "国务院令第711号" };
    let office = spec.issuer.office();
    let period = match rng.int(0, 2) {
        0 => format!("本报告中所列数据的统计期限自{y}年1月1日起至{y}年12月31日止。"),
        1 => format!("本年度报告中所列数据统计期限从{y}年1月1日到12月31日止。"),
        _ => format!("报告所列统计期限自{y}年1月1日至{y}年12月31日。"),
    };
    let mut out = vec![format!(
        "本报告依据《中华人民共和国政府信息公开条例》（{law}，以下简称《条例》）有关规定，由{office}编制。{period}"
    )];
    if rng.chance(0.7) {
        out.push(format!(
            "如对本报告有疑问，请与{office}联系（地址：{}{}路{}号，邮编：{}，电话：{}，电子邮箱：xxgk{}@163.com）。",
            spec.issuer.place(),
            ["人民", "光明", "翔宇南", "文化", "建设"][rng.below(5)],
            rng.int(1, 300),
            rng.int(100_000, 999_999),
            phone(spec, rng),
            rng.int(10, 999)
        ));
    }
    out
}

fn int(t: &TrueTable, row: &str, col: &str) -> i64 {
    match t.get(row, col) {
        Some(Num::Int(v)) => *v,
        _ => 0,
    }
}

/// 一、总体情况 of the 2019/2021 formats. Its numbers echo the tables (or,
/// as in some real reports, disagree with them) and are never table cells.
pub fn overview(doc: &mut Doc, spec: &Spec, app: &TrueTable, review: &TrueTable, rng: &mut Rng, tags: &mut Tags) {
    let y = spec.year;
    let mut received = int(app, "new_received", "total");
    if rng.chance(0.15) {
        tags.add("narrative:numbers-differ-from-table");
        received = received / 2 + rng.int(1, 20);
    }
    doc.heading("一、总体情况");
    let subject = if spec.issuer.kind == Kind::Government { spec.issuer.place() } else { "本机关" };
    doc.para(format!(
        "（一）主动公开情况。{y}年，{subject}通过政府网站、政务新媒体等渠道共公开各类政府信息{}条，其中政策解读类信息{}条，信息公开目录更新{}条次。",
        rng.int(200, 60000),
        rng.int(5, 900),
        rng.int(10, 3000)
    ));
    doc.para(format!(
        "（二）依申请公开情况。{y}年共收到政府信息公开申请{received}件，上年结转{}件，办结{}件，结转下年度办理{}件。收到行政复议{}件，结果维持{}件；行政诉讼{}件。",
        int(app, "carried_over", "total"),
        int(app, "total_processed", "total"),
        int(app, "carried_forward", "total"),
        int(review, "review", "total"),
        int(review, "review", "upheld"),
        int(review, "litigation_direct", "total") + int(review, "litigation_after_review", "total"),
    ));
    doc.para(format!(
        "（三）政府信息管理情况。严格落实公开属性源头认定机制，{y}年{}月{}日召开专题会议，对{}件规范性文件进行了清理。",
        rng.int(2, 11),
        rng.int(1, 28),
        rng.int(3, 120)
    ));
    doc.para(format!(
        "（四）平台建设情况。全年维护政务新媒体{}个，网站运行情况良好，咨询电话{}全年接听群众来电{}次。",
        rng.int(1, 150),
        phone(spec, rng),
        rng.int(20, 5000)
    ));
    doc.para(format!(
        "（五）监督保障情况。组织政务公开业务培训{}次，参训人员{}余人次。",
        rng.int(1, 12),
        rng.int(20, 1600)
    ));
}

pub fn problems(doc: &mut Doc, heading: &str, rng: &mut Rng) {
    doc.heading(heading);
    let pool = [
        "一是政策解读形式较为单一，图解、视频等解读方式运用不够。下一步，将丰富解读形式，提升解读质量。",
        "二是政务公开队伍建设有待加强，个别单位存在人员流动性大、兼职多的问题。下一步，将加强业务培训。",
        "三是主动公开的深度和广度仍需拓展，重点领域信息公开还不够全面。",
        "四是依申请公开办理的规范化水平有待提升，答复文书格式还需统一。",
    ];
    let n = rng.int(2, 4) as usize;
    for p in &pool[..n] {
        doc.para(*p);
    }
}

pub fn other_matters(doc: &mut Doc, spec: &Spec, rng: &mut Rng) {
    doc.heading("六、其他需要报告的事项");
    if spec.template == Template::Y2021 && rng.chance(0.5) {
        doc.para(format!(
            "{}年，本机关严格落实《政府信息公开信息处理费管理办法》，全年收取政府信息公开信息处理费{}元。",
            spec.year,
            rng.int(0, 5000)
        ));
    } else {
        doc.para(if rng.chance(0.5) { "无。" } else { "本年度无其他需要报告的事项。" });
    }
}

/// Narrative sections of a legacy report, before the 统计表 appendix.
pub fn legacy_body(doc: &mut Doc, spec: &Spec, t: &TrueTable, rng: &mut Rng) {
    let col = t.rows[0].cells.last().map(|(c, _)| *c).unwrap_or("value");
    let y = spec.year;
    doc.heading("一、概述");
    doc.para(format!(
        "{y}年度，{}认真贯彻落实《条例》各项规定，进一步完善工作制度，健全工作机制，政府信息公开工作取得了新成效。",
        spec.issuer.place()
    ));
    doc.heading("二、主动公开政府信息情况");
    doc.para(format!(
        "全年共主动公开政府信息{}条，其中主动公开规范性文件数{}条；政府网站公开政府信息数{}条。",
        int(t, "disclosed.total", col),
        int(t, "disclosed.normative_docs", col),
        int(t, "channels.website", col)
    ));
    doc.heading("三、依申请公开政府信息情况");
    doc.para(format!(
        "全年共受理政府信息公开申请{}件，其中当面申请{}件，网络申请{}件；申请办结数{}件。",
        int(t, "applications.received", col),
        int(t, "applications.received.in_person", col),
        int(t, "applications.received.online", col),
        int(t, "applications.completed", col)
    ));
    doc.heading("四、政府信息公开的收费及减免情况");
    doc.para("依申请公开信息收取的费用情况详见附表。");
    doc.heading("五、因政府信息公开申请行政复议、提起行政诉讼的情况");
    doc.para(format!(
        "全年受理有关政府信息公开行政复议申请{}件，被提起行政诉讼{}件。",
        int(t, "review.total", col),
        int(t, "litigation.total", col)
    ));
    problems(doc, "六、存在的主要问题及改进措施", rng);
}
