//! Label texts of every template table with the variants real reports print:
//! numbering styles, half-width punctuation, quote styles, seed typos.

use crate::legacy::{LegacyRow, Numbering};
use crate::rng::Rng;

#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Paren {
    /// （一）
    Full,
    /// (一)
    Half,
    /// 一、
    Dun,
}

#[derive(Clone, Debug)]
pub struct LabelOpts {
    /// （）：， printed as ():, (seeds 000/001 went through such a filter).
    pub half_punct: bool,
    pub paren: Paren,
    /// "." / "．" / "、" after item numbers.
    pub item_sep: &'static str,
    pub space_after_item: bool,
    /// Opening and closing quote around 三安全一稳定.
    pub quotes: (&'static str, &'static str),
    pub typo_weiji: bool,
    pub typo_shoudao: bool,
    pub typo_anjuan: bool,
    pub other_org_label: &'static str,
    pub total_label: &'static str,
    pub carried_forward: &'static str,
    pub carried_over_short: bool,
    pub truncated_partial: bool,
    /// 2021 reports still writing 规范性文件 (上海市科委 2024).
    pub old_normative_label: bool,
    pub fee_header_short: bool,
    pub caption_space: bool,
    /// 、 inside the 2021 （六） labels written as ，.
    pub comma_in_other: bool,
}

impl LabelOpts {
    pub fn choose(rng: &mut Rng) -> Self {
        LabelOpts {
            half_punct: rng.chance(0.3),
            paren: rng.weighted(&[(Paren::Full, 6), (Paren::Half, 3), (Paren::Dun, 1)]),
            item_sep: rng.weighted(&[(".", 1), ("．", 1), ("、", 1)]),
            space_after_item: rng.chance(0.15),
            quotes: *rng.pick(&[("“", "”"), ("\"", "\""), ("'", "'")]),
            typo_weiji: rng.chance(0.12),
            typo_shoudao: rng.chance(0.12),
            typo_anjuan: rng.chance(0.12),
            other_org_label: if rng.chance(0.2) { "其他组织" } else { "其他" },
            total_label: if rng.chance(0.2) { "合计" } else { "总计" },
            carried_forward: rng.weighted(&[
                ("结转下年度继续办理", 6),
                ("结转下一年度继续办理", 2),
                ("结转下一年继续办理", 1),
            ]),
            carried_over_short: rng.chance(0.1),
            truncated_partial: rng.chance(0.3),
            old_normative_label: rng.chance(0.25),
            fee_header_short: rng.chance(0.3),
            caption_space: rng.chance(0.25),
            comma_in_other: rng.chance(0.2),
        }
    }

    /// `（三）` in the chosen style.
    pub fn paren(&self, n: &str) -> String {
        match self.paren {
            Paren::Full => format!("（{n}）"),
            Paren::Half => format!("({n})"),
            Paren::Dun => format!("{n}、"),
        }
    }

    pub fn item(&self, n: u8) -> String {
        let space = if self.space_after_item { " " } else { "" };
        format!("{n}{}{space}", self.item_sep)
    }

    /// Applies the punctuation style to a finished label.
    pub fn punct(&self, s: &str) -> String {
        if !self.half_punct {
            return s.to_string();
        }
        s.chars()
            .map(|c| match c {
                '（' => '(',
                '）' => ')',
                '：' => ':',
                '，' => ',',
                other => other,
            })
            .collect()
    }
}

/// Row labels of table 三 without numbering, by row key.
fn app_text(key: &str, o: &LabelOpts) -> String {
    let (q1, q2) = o.quotes;
    let sep = if o.comma_in_other { "，" } else { "、" };
    match key {
        "new_received" if o.typo_shoudao => "本年新收到政府信息公开申请数量".into(),
        "new_received" => "本年新收政府信息公开申请数量".into(),
        "carried_over" if o.carried_over_short => "上年结转政府信息公开数量".into(),
        "carried_over" => "上年结转政府信息公开申请数量".into(),
        "granted" => "予以公开".into(),
        "partially_granted" if o.truncated_partial => "部分公开".into(),
        "partially_granted" => "部分公开（区分处理的，只计这一情形，不计其他情形）".into(),
        "denied.state_secret" => "属于国家秘密".into(),
        "denied.prohibited_by_law" => "其他法律行政法规禁止公开".into(),
        "denied.security_stability" => format!("{}{q1}三安全一稳定{q2}", if o.typo_weiji { "危机" } else { "危及" }),
        "denied.third_party" => "保护第三方合法权益".into(),
        "denied.internal_affairs" => "属于三类内部事务信息".into(),
        "denied.process_info" => "属于四类过程性信息".into(),
        "denied.enforcement_files" if o.typo_anjuan => "属于行政法案卷".into(),
        "denied.enforcement_files" => "属于行政执法案卷".into(),
        "denied.query_matters" => "属于行政查询事项".into(),
        "unavailable.not_held" => "本机关不掌握相关政府信息".into(),
        "unavailable.needs_creation" => "没有现成信息需要另行制作".into(),
        "unavailable.unclear" => "补正后申请内容仍不明确".into(),
        "not_processed.petition" => "信访举报投诉类申请".into(),
        "not_processed.duplicate" => "重复申请".into(),
        "not_processed.publication" => "要求提供公开出版物".into(),
        "not_processed.excessive" => "无正当理由大量反复申请".into(),
        "not_processed.confirmation" => "要求行政机关确认或重新出具已获取信息".into(),
        "other" => "其他处理".into(),
        "other.no_correction" => {
            format!("申请人无正当理由逾期不补正{sep}行政机关不再处理其政府信息公开申请")
        }
        "other.unpaid_fee" => {
            format!("申请人逾期未按收费通知要求缴纳费用{sep}行政机关不再处理其政府信息公开申请")
        }
        "other.other" => "其他".into(),
        "total_processed" => "总计".into(),
        "carried_forward" => o.carried_forward.into(),
        other => panic!("no label for {other}"),
    }
}

/// The numbered label of a table 三 row as printed.
pub fn app_row(key: &str, o: &LabelOpts) -> String {
    let text = app_text(key, o);
    let numbered = match key {
        "new_received" => format!("一、{text}"),
        "carried_over" => format!("二、{text}"),
        "carried_forward" => format!("四、{text}"),
        "granted" => format!("{}{text}", o.paren("一")),
        "partially_granted" => format!("{}{text}", o.paren("二")),
        "other" => format!("{}{text}", o.paren("六")),
        "total_processed" => format!("{}{text}", o.paren("七")),
        _ => {
            let n = leaf_number(key);
            format!("{}{text}", o.item(n))
        }
    };
    o.punct(&numbered)
}

/// 1-based position of a sub-item inside its group.
fn leaf_number(key: &str) -> u8 {
    use crate::model::{DENIED, NOT_PROCESSED, OTHER_SPLIT, UNAVAILABLE};
    [&DENIED[..], &UNAVAILABLE, &NOT_PROCESSED, &OTHER_SPLIT]
        .iter()
        .find_map(|g| g.iter().position(|k| *k == key))
        .map(|p| p as u8 + 1)
        .expect("sub-item key")
}

/// Group labels of table 三: `results` (三、本年度办理结果) and the four
/// sub-groups by key prefix.
pub fn app_group(group: &str, o: &LabelOpts) -> String {
    let s = match group {
        "results" => "三、本年度办理结果".to_string(),
        "denied" => format!("{}不予公开", o.paren("三")),
        "unavailable" => format!("{}无法提供", o.paren("四")),
        "not_processed" => format!("{}不予处理", o.paren("五")),
        "other" => format!("{}其他处理", o.paren("六")),
        other => panic!("no group {other}"),
    };
    o.punct(&s)
}

/// Column header texts of table 三.
pub struct AppHeaders {
    pub note: String,
    pub applicants: String,
    pub natural: String,
    pub legal: String,
    pub orgs: [String; 5],
    pub subtotal: String,
    pub total: String,
}

pub fn app_headers(o: &LabelOpts) -> AppHeaders {
    let orgs = ["商业企业", "科研机构", "社会公益组织", "法律服务机构", o.other_org_label].map(String::from);
    AppHeaders {
        note: o.punct("（本列数据的勾稽关系为：第一项加第二项之和，等于第三项加第四项之和）"),
        applicants: "申请人情况".into(),
        natural: "自然人".into(),
        legal: "法人或其他组织".into(),
        orgs,
        subtotal: "小计".into(),
        total: o.total_label.into(),
    }
}

/// Caption of a table 二 block: 第二十条第（五）项.
pub fn t2_caption(item: &str, o: &LabelOpts) -> String {
    let space = if o.caption_space { " " } else { "" };
    o.punct(&format!("第二十条{space}第（{item}）项"))
}

/// The label of a legacy row with the document's numbering style.
pub fn legacy_label(row: &LegacyRow, o: &LabelOpts) -> String {
    let prefix = match row.numbering {
        Numbering::Top(n) => format!("{n}、"),
        Numbering::Paren(n) if o.paren == Paren::Dun => format!("（{n}）"),
        Numbering::Paren(n) => o.paren(n),
        Numbering::Item(n) => o.item(n),
        Numbering::Plain => String::new(),
    };
    o.punct(&format!("{prefix}{}", row.text))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn styles_combine() {
        let mut o = LabelOpts::choose(&mut Rng::for_doc(1, 1));
        o.half_punct = true;
        o.paren = Paren::Half;
        o.item_sep = "、";
        o.space_after_item = false;
        o.typo_weiji = true;
        o.quotes = ("“", "”");
        assert_eq!(app_row("denied.security_stability", &o), "3、危机“三安全一稳定”");
        assert_eq!(app_group("denied", &o), "(三)不予公开");
        o.truncated_partial = false;
        assert_eq!(app_row("partially_granted", &o), "(二)部分公开(区分处理的,只计这一情形,不计其他情形)");
    }
}
