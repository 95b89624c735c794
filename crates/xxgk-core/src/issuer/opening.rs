//! The issuer from the opening sentence (本报告由X编制) and from page furniture (来源, 主办…).

use super::names::NameIndex;
use super::org::{parse_org, OrgName};
use super::text::{compact, head, is_space, tail};

/// The opening sentence lies within the first characters of the text.
const OPENING_CHARS: usize = 1500;
/// Furniture sits in the first and last lines of a web page.
const FURNITURE_LINES: usize = 40;

/// Words that end the organisation after 由 ("由周口市人民政府办公室汇总…编制").
const AFTER_ORG: &[&str] = &[
    "根据", "依据", "按照", "汇总", "编制", "负责", "结合", "组织", "会同", "统一", "牵头", "综合", "起草", "撰写",
    "制作", "发布", "在", "，", ",", "。", "（", "(", "、", "；",
];

/// Page-furniture keys; the strong ones name the publisher of this page.
const STRONG_KEYS: &[&str] = &[
    "发布机构",
    "发文机关",
    "发布单位",
    "公开主体",
    "发布主体",
    "所属机构",
    "制发机关",
    "信息来源",
    "文章来源",
    "来源",
];
/// Weak keys name the site's host (often the government office for every department's page).
const WEAK_KEYS: &[&str] = &["主办/承办", "主办单位", "承办单位", "主办", "承办", "责任编辑", "投稿"];
/// Keys glued to a value once spaces are gone ("来源:周口日报时间:…").
const NEXT_KEYS: &[&str] =
    &["时间", "日期", "发布时间", "访问量", "浏览", "作者", "点击", "字号", "地址", "网站", "电话"];

/// The organisation the opening sentence says compiled the report.
pub(crate) fn from_opening(names: &NameIndex, text: &str) -> Option<OrgName> {
    let region = compact(head(text, OPENING_CHARS * 2));
    let region = head(&region, OPENING_CHARS);
    by_you(names, region).or_else(|| subject_before_basis(names, region))
}

/// "本报告由X编制/汇总": the text after 由, cut before the verb.
fn by_you(names: &NameIndex, region: &str) -> Option<OrgName> {
    for (i, _) in region.match_indices('由') {
        // 由 must be in a sentence about the report (本报告依据《…》有关规定,由X…).
        let before = tail(&region[..i], 120);
        let sentence = before.rfind('。').map_or(before, |j| &before[j..]);
        if !sentence.contains("报告") {
            continue;
        }
        let after = head(&region[i + '由'.len_utf8()..], 40);
        if let Some(org) = org_before_verb(names, after) {
            return Some(org);
        }
    }
    None
}

/// The shortest prefix of `s` ending before a verb that is an organisation with a unit.
/// A verb may also occur inside a name (平潭综合实验区, 综合行政执法局), so each
/// cut is tried and a bare place name is only taken when nothing longer parses.
fn org_before_verb(names: &NameIndex, s: &str) -> Option<OrgName> {
    let mut cuts: Vec<usize> = AFTER_ORG.iter().flat_map(|w| s.match_indices(w).map(|(i, _)| i)).collect();
    cuts.push(s.len());
    cuts.sort_unstable();
    let parsed = cuts.iter().filter_map(|&c| parse_org(names, &s[..c]));
    let mut place_only = None;
    for org in parsed {
        if !org.unit.is_empty() || org.town.is_some() {
            return Some(org);
        }
        place_only.get_or_insert(org);
    }
    place_only
}

/// "X根据《条例》…编制本报告": the subject before 根据《 at the start of a sentence.
fn subject_before_basis(names: &NameIndex, region: &str) -> Option<OrgName> {
    let pos = ["根据《", "依据《", "按照《"].iter().filter_map(|w| region.find(w)).min()?;
    let before = &region[..pos];
    let start =
        before.rfind(['。', '：', ':', '！']).map_or(0, |i| i + before[i..].chars().next().map_or(1, char::len_utf8));
    let mut subject = &before[start..];
    for lead in ["本年度报告", "本报告", "是", "由", "现"] {
        subject = subject.strip_prefix(lead).unwrap_or(subject);
    }
    parse_org(names, subject).filter(|o| !o.chain.is_empty() || o.abbrev.is_some())
}

/// The organisations named by page furniture: (strong, weak), first found of each.
pub(crate) fn from_furniture(names: &NameIndex, text: &str) -> (Option<OrgName>, Option<OrgName>) {
    let lines: Vec<&str> = text.lines().filter(|l| !l.trim().is_empty()).collect();
    let n = lines.len();
    let edge = lines.iter().enumerate().filter(|(i, _)| *i < FURNITURE_LINES || *i + FURNITURE_LINES >= n);
    let (mut strong, mut weak) = (None, None);
    // Most lines have no colon; skipping them saves a substring search per key.
    for (_, line) in edge.filter(|(_, l)| l.contains([':', '：'])) {
        if strong.is_none() {
            strong = STRONG_KEYS.iter().find_map(|k| value_of(line, k).and_then(|v| parse_org(names, &v)));
        }
        if weak.is_none() {
            weak = WEAK_KEYS.iter().find_map(|k| value_of(line, k).and_then(|v| parse_org(names, &v)));
        }
    }
    (strong, weak)
}

/// The value after "key:" in `line`, up to the next space, separator or glued key.
fn value_of(line: &str, key: &str) -> Option<String> {
    let mut from = 0;
    while let Some(i) = line[from..].find(key) {
        let after = line[from + i + key.len()..].trim_start_matches(is_space);
        from += i + key.len();
        let Some(value) = after.strip_prefix([':', '：']) else {
            continue;
        };
        let value = value.trim_start_matches(is_space);
        let end = value.find(|c: char| is_space(c) || "|，,;；。【[".contains(c)).unwrap_or(value.len());
        let mut value = &value[..end];
        if let Some(j) = NEXT_KEYS.iter().filter_map(|k| value.find(k)).filter(|&j| j > 0).min() {
            value = &value[..j];
        }
        return (!value.is_empty()).then(|| compact(value));
    }
    None
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::issuer::org::OrgKind;
    use crate::issuer::Divisions;

    fn names() -> &'static NameIndex {
        &Divisions::embedded().names
    }

    #[test]
    fn opening_by_office() {
        let t = "本报告依据《条例》有关规定,由周口市人民政府办公室汇总各县(市、区)工作情况编制而成。";
        let o = from_opening(names(), t).unwrap();
        assert!(o.office && o.kind == OrgKind::Government);
        let pdf = "本报告由淮安市洪泽区人民政府办公室根据《中华人民共和\n国政府信息公开条例》";
        assert_eq!(from_opening(names(), pdf).unwrap().chain.len(), 2);
        let inner = "本报告由平潭综合实验区地方税务局编制。";
        assert_eq!(from_opening(names(), inner).unwrap().unit, "地方税务局");
    }

    #[test]
    fn opening_subject_and_noise() {
        let t = "驻马店市水利局根据《中华人民共和国政府信息公开条例》要求，编制本报告。";
        assert_eq!(from_opening(names(), t).unwrap().unit, "水利局");
        let t = "本年度报告根据《中华人民共和国政府信息公开条例》的要求编制。由各单位报送。";
        assert!(from_opening(names(), t).is_none());
        let t = "本报告依据《中华人民共和国政府信息公开条例》(国务院令第492号,以下简称《条例》)有关规定,由鹤壁市政府办公室汇总各市辖县区编制而成。";
        assert_eq!(from_opening(names(), t).unwrap().chain_text, "鹤壁市");
        let t = "本报告列明数据。全市由周口市水利局牵头。";
        assert!(from_opening(names(), t).is_none());
    }

    #[test]
    fn furniture_keys() {
        let t = "来源: 周口日报 时间: 2021-03-09\n正文\n责任编辑:周口市人民政府";
        let (strong, weak) = from_furniture(names(), t);
        assert!(strong.is_none());
        assert_eq!(weak.unwrap().chain.len(), 1);
        let t = "发布机构：驻马店市水利局发布时间：2021-01-31\n投稿:huoruiqi 来源:时间:2021年01月31日";
        assert_eq!(from_furniture(names(), t).0.unwrap().unit, "水利局");
        assert_eq!(
            value_of("主办/承办:鹤壁市人民政府办公室 地址:鹤壁市", "主办/承办").as_deref(),
            Some("鹤壁市人民政府办公室")
        );
    }
}
