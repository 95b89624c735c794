//! The 2014–2018 national 政府信息公开情况统计表: its rows (TEMPLATES.md C2)
//! and true numbers that keep the hierarchy consistent (received = four
//! channels, staff = full + part time, review total = its three outcomes).

use crate::model::{Num, Table, TrueTable};
use crate::rng::Rng;

/// How a legacy label is numbered; the style (1． / 1. / 1、) is chosen later.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Numbering {
    /// 一、
    Top(&'static str),
    /// （一）
    Paren(&'static str),
    /// 1．
    Item(u8),
    /// 其中： rows and bare labels
    Plain,
}

#[derive(Debug)]
pub struct LegacyRow {
    /// `None` for grouping rows (printed with — in 单位 and 统计数).
    pub key: Option<&'static str>,
    pub numbering: Numbering,
    pub text: &'static str,
    pub unit: &'static str,
    /// A parenthetical that some copies print as a row of its own.
    pub note: Option<&'static str>,
}

use Numbering::*;

macro_rules! rows {
    ($(($key:expr, $num:expr, $text:expr, $unit:expr, $note:expr)),* $(,)?) => {
        &[$(LegacyRow { key: $key, numbering: $num, text: $text, unit: $unit, note: $note }),*]
    };
}

#[rustfmt::skip]
pub static ROWS: &[LegacyRow] = rows![
    (None, Top("一"), "主动公开情况", "—", None),
    (Some("disclosed.total"), Paren("一"), "主动公开政府信息数", "条", Some("（不同渠道和方式公开相同信息计1条）")),
    (Some("disclosed.normative_docs"), Plain, "其中：主动公开规范性文件数", "条", None),
    (Some("disclosed.normative_docs_issued"), Plain, "制发规范性文件总数", "件", None),
    (None, Paren("二"), "通过不同渠道和方式公开政府信息的情况", "—", None),
    (Some("channels.gazette"), Item(1), "政府公报公开政府信息数", "条", None),
    (Some("channels.website"), Item(2), "政府网站公开政府信息数", "条", None),
    (Some("channels.weibo"), Item(3), "政务微博公开政府信息数", "条", None),
    (Some("channels.wechat"), Item(4), "政务微信公开政府信息数", "条", None),
    (Some("channels.other"), Item(5), "其他方式公开政府信息数", "条", None),
    (None, Top("二"), "回应解读情况", "—", None),
    (Some("responses.hot_topics"), Paren("一"), "回应公众关注热点或重大舆情数", "次", Some("（不同方式回应同一热点或舆情计1次）")),
    (None, Paren("二"), "通过不同渠道和方式回应解读的情况", "—", None),
    (Some("responses.press_conferences"), Item(1), "参加或举办新闻发布会总次数", "次", None),
    (Some("responses.press_conferences.by_leaders"), Plain, "其中：主要负责同志参加新闻发布会次数", "次", None),
    (Some("responses.online_interviews"), Item(2), "政府网站在线访谈次数", "次", None),
    (Some("responses.online_interviews.by_leaders"), Plain, "其中：主要负责同志参加政府网站在线访谈次数", "次", None),
    (Some("responses.interpretations"), Item(3), "政策解读稿件发布数", "篇", None),
    (Some("responses.social_media"), Item(4), "微博微信回应事件数", "次", None),
    (Some("responses.other"), Item(5), "其他方式回应事件数", "次", None),
    (None, Top("三"), "依申请公开情况", "—", None),
    (Some("applications.received"), Paren("一"), "收到申请数", "件", None),
    (Some("applications.received.in_person"), Item(1), "当面申请数", "件", None),
    (Some("applications.received.fax"), Item(2), "传真申请数", "件", None),
    (Some("applications.received.online"), Item(3), "网络申请数", "件", None),
    (Some("applications.received.letter"), Item(4), "信函申请数", "件", None),
    (Some("applications.completed"), Paren("二"), "申请办结数", "件", None),
    (Some("applications.completed.on_time"), Item(1), "按时办结数", "件", None),
    (Some("applications.completed.extended"), Item(2), "延期办结数", "件", None),
    (Some("applications.answered"), Paren("三"), "申请答复数", "件", None),
    (Some("applications.answered.already_public"), Item(1), "属于已主动公开范围数", "件", None),
    (Some("applications.answered.granted"), Item(2), "同意公开答复数", "件", None),
    (Some("applications.answered.partially_granted"), Item(3), "同意部分公开答复数", "件", None),
    (Some("applications.answered.denied"), Item(4), "不同意公开答复数", "件", None),
    (Some("applications.answered.denied.state_secret"), Plain, "其中：涉及国家秘密", "件", None),
    (Some("applications.answered.denied.commercial_secret"), Plain, "涉及商业秘密", "件", None),
    (Some("applications.answered.denied.privacy"), Plain, "涉及个人隐私", "件", None),
    (Some("applications.answered.denied.security_stability"), Plain, "危及国家安全、公共安全、经济安全和社会稳定", "件", None),
    (Some("applications.answered.denied.not_gov_info"), Plain, "不是《条例》所指政府信息", "件", None),
    (Some("applications.answered.denied.other_legal"), Plain, "法律法规规定的其他情形", "件", None),
    (Some("applications.answered.not_this_agency"), Item(5), "不属于本行政机关公开数", "件", None),
    (Some("applications.answered.not_exist"), Item(6), "申请信息不存在数", "件", None),
    (Some("applications.answered.asked_to_amend"), Item(7), "告知作出更改补充数", "件", None),
    (Some("applications.answered.other_channel"), Item(8), "告知通过其他途径办理数", "件", None),
    (Some("review.total"), Top("四"), "行政复议数量", "件", None),
    (Some("review.upheld"), Paren("一"), "维持具体行政行为数", "件", None),
    (Some("review.corrected"), Paren("二"), "被依法纠错数", "件", None),
    (Some("review.other"), Paren("三"), "其他情形数", "件", None),
    (Some("litigation.total"), Top("五"), "行政诉讼数量", "件", None),
    (Some("litigation.upheld"), Paren("一"), "维持具体行政行为或者驳回原告诉讼请求数", "件", None),
    (Some("litigation.corrected"), Paren("二"), "被依法纠错数", "件", None),
    (Some("litigation.other"), Paren("三"), "其他情形数", "件", None),
    (Some("complaints"), Top("六"), "举报投诉数量", "件", None),
    (Some("fees_wan"), Top("七"), "依申请公开信息收取的费用", "万元", None),
    (None, Top("八"), "机构建设和保障经费情况", "—", None),
    (Some("org.units"), Paren("一"), "政府信息公开工作专门机构数", "个", None),
    (Some("org.reading_points"), Paren("二"), "设置政府信息公开查阅点数", "个", None),
    (Some("org.staff"), Paren("三"), "从事政府信息公开工作人员数", "人", None),
    (Some("org.staff.full_time"), Item(1), "专职人员数（不包括政府公报及政府网站工作人员数）", "人", None),
    (Some("org.staff.part_time"), Item(2), "兼职人员数", "人", None),
    (Some("org.funding_wan"), Paren("四"), "政府信息公开专项经费（不包括用于政府公报编辑管理及政府网站建设维护等方面的经费）", "万元", None),
    (None, Top("九"), "政府信息公开会议和培训情况", "—", None),
    (Some("training.meetings"), Paren("一"), "召开政府信息公开工作会议或专题会议数", "次", None),
    (Some("training.courses"), Paren("二"), "举办各类培训班数", "次", None),
    (Some("training.trainees"), Paren("三"), "接受培训人员数", "人次", None),
];

/// Local rows some issuers append; kept by the pipeline as `unlisted:`.
pub static LOCAL_ROWS: &[(&str, &str)] = &[("政府网站访问量", "人次"), ("接受公众咨询数", "人次")];

/// One column's worth of values (counties, departments, or the only column).
fn component(size: i64, rng: &mut Rng) -> Vec<(&'static str, Num)> {
    let mut v: Vec<(&'static str, i64)> = Vec::new();
    let mut put = |k: &'static str, x: i64| v.push((k, x.max(0)));
    let disclosed = rng.magnitude(size * 5, size * 400);
    let issued = rng.magnitude(0, size);
    put("disclosed.total", disclosed);
    put("disclosed.normative_docs", if rng.chance(0.8) { issued } else { rng.int(0, issued) });
    put("disclosed.normative_docs_issued", issued);
    let channels = [
        ("channels.gazette", 3),
        ("channels.website", 70),
        ("channels.weibo", 20),
        ("channels.wechat", 4),
        ("channels.other", 10),
    ];
    for (k, share) in channels {
        put(k, if rng.chance(0.2) { 0 } else { disclosed * share / 100 + rng.int(0, disclosed / 50 + 1) });
    }
    let press = rng.magnitude(0, size / 2 + 2);
    let online = rng.magnitude(0, size / 2 + 2);
    put("responses.hot_topics", rng.magnitude(0, size * 10));
    put("responses.press_conferences", press);
    put("responses.press_conferences.by_leaders", rng.int(0, press));
    put("responses.online_interviews", online);
    put("responses.online_interviews.by_leaders", rng.int(0, online));
    put("responses.interpretations", rng.magnitude(0, size * 5));
    put("responses.social_media", rng.magnitude(0, size * 2));
    put("responses.other", rng.magnitude(0, size * 5));
    applications_part(size, rng, &mut put);
    for prefix in ["review", "litigation"] {
        let n = if rng.chance(0.4) { 0 } else { rng.magnitude(0, size / 3 + 1) };
        let parts = rng.spread(n, &[5, 2, 3]);
        let keys: [&'static str; 4] = if prefix == "review" {
            ["review.total", "review.upheld", "review.corrected", "review.other"]
        } else {
            ["litigation.total", "litigation.upheld", "litigation.corrected", "litigation.other"]
        };
        put(keys[0], n);
        for (k, x) in keys[1..].iter().zip(parts) {
            put(k, x);
        }
    }
    put("complaints", if rng.chance(0.6) { 0 } else { rng.int(0, size / 5 + 1) });
    let full = rng.int(1, size / 3 + 2);
    let part = rng.magnitude(0, size * 2);
    put("org.units", rng.int(1, size / 2 + 2));
    put("org.reading_points", rng.int(0, size / 2 + 2));
    put("org.staff", full + part);
    put("org.staff.full_time", full);
    put("org.staff.part_time", part);
    let meetings = rng.magnitude(0, size);
    put("training.meetings", meetings);
    put("training.courses", rng.int(0, meetings + 1));
    put("training.trainees", rng.magnitude(0, size * 30));
    let mut out: Vec<(&'static str, Num)> = v.into_iter().map(|(k, x)| (k, Num::Int(x))).collect();
    let fee = if rng.chance(0.8) { 0 } else { rng.int(1, 300) };
    out.push(("fees_wan", Num::Dec { units: fee, scale: 2 }));
    out.push(("org.funding_wan", Num::Dec { units: rng.magnitude(0, size * 400), scale: 2 }));
    out
}

/// 三、依申请公开: received = four channels; completed = on time + extended;
/// answered = items 1–8; denied = its six reasons.
fn applications_part(size: i64, rng: &mut Rng, put: &mut impl FnMut(&'static str, i64)) {
    let received = if rng.chance(0.15) { 0 } else { rng.magnitude(0, size * 3) };
    let fax = if rng.chance(0.6) { 0 } else { 2 };
    let ch = rng.spread(received, &[20, fax, 60, 25]);
    put("applications.received", received);
    for (k, x) in ["in_person", "fax", "online", "letter"].iter().zip(&ch) {
        put(sub("applications.received.", k), *x);
    }
    let completed = received - rng.int(0, received / 10);
    let extended = if rng.chance(0.6) { 0 } else { rng.int(0, completed / 10) };
    put("applications.completed", completed);
    put("applications.completed.on_time", completed - extended);
    put("applications.completed.extended", extended);
    let items = rng.spread(completed, &[30, 40, 8, 6, 8, 6, 3, 3]);
    put("applications.answered", completed);
    let names = [
        "already_public",
        "granted",
        "partially_granted",
        "denied",
        "not_this_agency",
        "not_exist",
        "asked_to_amend",
        "other_channel",
    ];
    for (k, x) in names.iter().zip(&items) {
        put(sub("applications.answered.", k), *x);
    }
    let reasons = rng.spread(items[3], &[2, 2, 3, 1, 4, 3]);
    let rnames = ["state_secret", "commercial_secret", "privacy", "security_stability", "not_gov_info", "other_legal"];
    for (k, x) in rnames.iter().zip(&reasons) {
        put(sub("applications.answered.denied.", k), *x);
    }
}

/// The static key for `prefix` + `leaf` (keys are compared as strings later,
/// but rows keep `&'static str` to stay cheap to copy).
fn sub(prefix: &str, leaf: &str) -> &'static str {
    let full = format!("{prefix}{leaf}");
    ROWS.iter().filter_map(|r| r.key).find(|k| *k == full).expect("legacy key exists")
}

/// The legacy table with the given value columns (`["value"]` or
/// `["counties", "departments", "all"]`); `all` is the exact sum.
pub fn table(size: i64, columns: &[&'static str], drop_wechat: bool, local_rows: bool, rng: &mut Rng) -> TrueTable {
    let parts: Vec<Vec<(&'static str, Num)>> = match columns.len() {
        1 => vec![component(size, rng)],
        _ => vec![component(size / 2 + 1, rng), component(size, rng)],
    };
    let mut t = Table::new("legacy_stats");
    for key in ROWS.iter().filter_map(|r| r.key) {
        if drop_wechat && key == "channels.wechat" {
            continue;
        }
        let vals: Vec<Num> = parts.iter().map(|p| p.iter().find(|(k, _)| *k == key).expect("generated").1).collect();
        t.push(key, with_all(columns, &vals));
    }
    if local_rows {
        for (label, _) in LOCAL_ROWS {
            let vals: Vec<Num> = parts.iter().map(|_| Num::Int(rng.magnitude(0, size * 500))).collect();
            let cells = with_all(columns, &vals);
            t.rows.push(crate::model::Row { key: format!("unlisted:{label}"), listed: false, cells });
        }
    }
    t
}

/// Cells for the columns; with three columns the last (`all`) is the sum.
fn with_all(columns: &[&'static str], vals: &[Num]) -> Vec<(&'static str, Num)> {
    let mut cells: Vec<(&'static str, Num)> = columns.iter().copied().zip(vals.iter().copied()).collect();
    if columns.len() == 3 {
        cells.push(("all", add(vals[0], vals[1])));
    }
    cells
}

fn add(a: Num, b: Num) -> Num {
    match (a, b) {
        (Num::Int(x), Num::Int(y)) => Num::Int(x + y),
        (Num::Dec { units: x, scale }, Num::Dec { units: y, .. }) => Num::Dec { units: x + y, scale },
        _ => unreachable!("columns of one row share a type"),
    }
}
