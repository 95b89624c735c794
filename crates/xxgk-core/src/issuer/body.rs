//! The issuer from the body: organisations printed after a division name, counted.

use std::collections::HashMap;

use super::names::{Mention, NameIndex, NameKind};
use super::org::{parse_org, OrgKind, OrgName};
use super::text::{head, is_han};

/// How far after a division name an organisation's unit may end.
const UNIT_CHARS: usize = 20;

/// Unit endings looked for in running text; shorter than DEPT_SUFFIX because
/// 办, 会, 所 end too many ordinary words (举办, 社会, 场所).
const BODY_SUFFIX: &[&str] = &[
    "政府",
    "行政公署",
    "局",
    "委员会",
    "委",
    "办公室",
    "办公厅",
    "厅",
    "中心",
    "院",
    "站",
    "队",
    "馆",
    "社",
    "联合会",
    "协会",
    "办事处",
];

/// Characters that end a unit: function words no organisation name contains.
const STOP: &str = "的为以在对将把被从向与是了着等及并或如年月日各我这该其";

/// Characters before 局 that make an ordinary word (布局, 格局, 大局…).
const NOT_BUREAU: &str = "布格大全结当开残时变饭赌骗顾平邮胜";

/// Words telling the report speaks for a department or for a government.
const WE_DEPT: &[&str] =
    &["我局", "本局", "我委", "本委", "我中心", "本中心", "我厅", "本厅", "本机关", "我单位", "本单位"];
const WE_GOV: &[&str] = &["我市", "我区", "我县", "我镇", "我乡", "我省", "我旗"];

/// One organisation found in the body and how often it was printed.
#[derive(Debug, Clone)]
pub(crate) struct BodyOrg {
    pub org: OrgName,
    pub issuer: String,
    pub count: usize,
    first: usize,
}

/// The shortest run of ideographs at the start of `s` that ends like an organisation.
fn unit_prefix(s: &str) -> Option<&str> {
    for (i, c) in s.char_indices() {
        if !is_han(c) || STOP.contains(c) {
            return None;
        }
        let unit = &s[..i + c.len_utf8()];
        let Some(suffix) = BODY_SUFFIX.iter().find(|x| unit.ends_with(*x)) else {
            continue;
        };
        let before = unit[..unit.len() - suffix.len()].chars().last();
        if *suffix == "局" && before.is_some_and(|b| NOT_BUREAU.contains(b)) {
            continue;
        }
        if unit.chars().count() >= 2 {
            return Some(extend(s, unit, suffix));
        }
    }
    None
}

/// Take the longer form when the text goes on with it (委 → 委员会).
fn extend<'a>(s: &'a str, unit: &'a str, suffix: &str) -> &'a str {
    let rest = &s[unit.len()..];
    let more = match suffix {
        "委" => ["员会"].iter().find(|m| rest.starts_with(*m)),
        _ => None,
    };
    more.map_or(unit, |m| &s[..unit.len() + m.len()])
}

/// Every organisation printed as division name(s) + unit, with counts.
pub(crate) fn body_orgs(names: &NameIndex, text: &str, mentions: &[Mention]) -> Vec<BodyOrg> {
    let mut found: HashMap<(String, bool), BodyOrg> = HashMap::new();
    let mut i = 0;
    while i < mentions.len() {
        let start = mentions[i];
        let mut j = i;
        while j + 1 < mentions.len() && mentions[j + 1].start == mentions[j].end {
            j += 1;
        }
        i = j + 1;
        if names.entry(start.entry).kind() != NameKind::Full {
            continue;
        }
        let chain_end = mentions[j].end;
        let Some(unit) = unit_prefix(head(&text[chain_end..], UNIT_CHARS)) else {
            continue;
        };
        let Some(org) = parse_org(names, &text[start.start..chain_end + unit.len()]) else {
            continue;
        };
        let issuer = org.issuer(&org.chain_text);
        let key = (issuer.clone(), org.kind == OrgKind::Department);
        found.entry(key).or_insert(BodyOrg { org, issuer, count: 0, first: start.start }).count += 1;
    }
    found.into_values().collect()
}

/// The body organisation most likely to be the issuer, and its score.
pub(crate) fn best_body_org(names: &NameIndex, text: &str, mentions: &[Mention]) -> Option<BodyOrg> {
    let we_dept = WE_DEPT.iter().any(|w| text.contains(w));
    let we_gov = !we_dept && WE_GOV.iter().any(|w| text.contains(w));
    let score = |o: &BodyOrg| {
        let dept = o.org.kind == OrgKind::Department;
        2 * o.count + if (dept && we_dept) || (!dept && we_gov) { 3 } else { 0 }
    };
    let mut all = body_orgs(names, text, mentions);
    all.sort_by_key(|o| (std::cmp::Reverse(score(o)), o.first));
    all.into_iter().next()
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::issuer::Divisions;

    fn best(text: &str) -> Option<BodyOrg> {
        let names = &Divisions::embedded().names;
        best_body_org(names, text, &names.scan(text))
    }

    #[test]
    fn units_in_running_text() {
        assert_eq!(unit_prefix("政务服务和大数据管理局认真贯彻"), Some("政务服务和大数据管理局"));
        assert_eq!(unit_prefix("水利局政府信息公开制度"), Some("水利局"));
        assert_eq!(unit_prefix("发展和改革委员会印发"), Some("发展和改革委员会"));
        assert_eq!(unit_prefix("坚持以习近平新时代"), None);
        assert_eq!(unit_prefix("格局"), None);
        assert_eq!(unit_prefix("委"), None);
    }

    #[test]
    fn department_by_count_and_we() {
        let t = "我局制定了《驻马店市水利局政府信息公开制度》《驻马店市水利局政府信息公开指南》，在驻马店市人民政府网站公开。";
        let o = best(t).unwrap();
        assert_eq!((o.issuer.as_str(), o.count), ("驻马店市水利局", 2));
    }

    #[test]
    fn government_from_site_name() {
        let t = "本年度报告电子版可从“苏家屯区政府”门户网站下载。2020年,苏家屯区坚持以人民为中心。通过苏家屯区政府网站发布。";
        let o = best(t).unwrap();
        assert_eq!((o.issuer.as_str(), o.org.kind), ("苏家屯区人民政府", OrgKind::Government));
    }
}
