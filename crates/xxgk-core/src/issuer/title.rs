//! The issuer from a report title, given or found among the first lines of the text.

use super::names::NameIndex;
use super::org::{parse_org, OrgName};
use super::text::{compact, is_wrapper, trim_by};

/// How many leading lines may hold the title (page furniture comes first on web pages).
const TITLE_LINES: usize = 15;
/// Longer lines are sentences, not titles.
const MAX_TITLE_CHARS: usize = 70;

/// Whether `t` (compact) reads as the title of a disclosure report.
pub(crate) fn is_report_title(t: &str) -> bool {
    t.contains("报告") && (t.contains("信息公开") || t.contains("政务公开")) && t.chars().count() <= MAX_TITLE_CHARS
}

/// The part of a title naming the organisation: "驻马店市水利局2020年政府信息公开…" → "驻马店市水利局".
pub(crate) fn org_part(title: &str) -> Option<String> {
    let t = compact(title);
    let cut = ["政府信息公开", "政务信息公开", "信息公开", "政务公开"].iter().filter_map(|m| t.find(m)).min()?;
    let mut head = &t[..cut];
    if let Some(i) = head.find("关于") {
        // "X办公室关于印发X市2020年…的通知": the report's own subject follows 关于.
        let subject = strip_year(strip_verbs(&head[i + "关于".len()..]));
        head = if subject.is_empty() { &head[..i] } else { subject };
    }
    let head = strip_year(head);
    (!head.is_empty()).then(|| head.to_string())
}

fn strip_verbs(s: &str) -> &str {
    ["印发", "公布", "发布", "公开"].iter().find_map(|v| s.strip_prefix(v)).unwrap_or(s)
}

/// Remove a year (2020年, 2020年度, （2020年）) at either end, and wrapping punctuation.
fn strip_year(s: &str) -> &str {
    let is_year_char = |c: char| c.is_ascii_digit() || "年度()（）【】〔〕[]-—".contains(c) || is_wrapper(c);
    let s = s.trim_end_matches(is_year_char);
    let leading_year = s.starts_with(|c: char| c.is_ascii_digit());
    let s = if leading_year { s.trim_start_matches(is_year_char) } else { s };
    trim_by(s, is_wrapper)
}

/// The organisation of the given title, if it names one.
pub(crate) fn from_title(names: &NameIndex, title: &str) -> Option<OrgName> {
    org_part(title).and_then(|p| parse_org(names, &p))
}

/// The organisation of a title line in the text, or of the line above a title
/// that names none ("淮安市人民政府" / "2024 年政府信息公开工作年度报告").
pub(crate) fn from_lines(names: &NameIndex, text: &str) -> Option<OrgName> {
    let lines: Vec<String> = text.lines().map(compact).filter(|l| !l.is_empty()).take(TITLE_LINES).collect();
    for (i, line) in lines.iter().enumerate() {
        let joined;
        let title = if is_report_title(line) {
            line
        } else if let Some(next) = lines.get(i + 1).filter(|n| n.contains("报告")) {
            // A title wrapped over two lines: "…2024年政府信息" / "公开工作年度报告".
            joined = format!("{line}{next}");
            if !is_report_title(&joined) || !line.contains('年') {
                continue;
            }
            &joined
        } else {
            continue;
        };
        if let Some(org) = from_title(names, title) {
            return Some(org);
        }
        // A bare title (a menu entry, or the real title under the organisation line):
        // take the line above when it is an organisation, else look further down.
        if org_part(title).is_none() && i > 0 {
            if let Some(org) = org_above(names, &lines[..i]) {
                return Some(org);
            }
        }
    }
    None
}

/// The organisation printed on the line(s) above a bare title; a name broken
/// over two lines ("驻马店市" / "水利局") is joined first.
fn org_above(names: &NameIndex, above: &[String]) -> Option<OrgName> {
    let last = above.last()?;
    let joined = above.len().checked_sub(2).map(|j| format!("{}{last}", above[j]));
    let mut parsed = joined.iter().chain(std::iter::once(last)).filter_map(|l| parse_org(names, l));
    let first = parsed.next()?;
    if first.chain.is_empty() {
        return parsed.find(|o| !o.chain.is_empty()).or(Some(first));
    }
    Some(first)
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
    fn org_part_strips_years_and_wrappers() {
        assert_eq!(org_part("周口市2020年政府信息公开工作年度报告").as_deref(), Some("周口市"));
        assert_eq!(org_part("驻马店市水利局2020年度政府信息公开工作年度报告").as_deref(), Some("驻马店市水利局"));
        assert_eq!(org_part("2020年周口市人民政府政府信息公开工作年度报告").as_deref(), Some("周口市人民政府"));
        assert_eq!(org_part("淮安市人民政府（2024年）政府信息公开工作年度报告").as_deref(), Some("淮安市人民政府"));
        assert_eq!(org_part("2024 年政府信息公开工作年度报告"), None);
        let notice = "周口市人民政府办公室关于印发周口市2020年政府信息公开工作年度报告的通知";
        assert_eq!(org_part(notice).as_deref(), Some("周口市"));
    }

    #[test]
    fn title_line_then_org_line_above() {
        let text = "- 1 -\n淮安市人民政府\n2024 年政府信息公开工作年度报告\n本报告由淮安市人民政府办公室…";
        let org = from_lines(names(), text).unwrap();
        assert_eq!((org.kind, org.chain.len()), (OrgKind::Government, 1));
        let broken = "驻马店市\n水利局\n2020年政府信息公开工作年度报告\n";
        assert_eq!(from_lines(names(), broken).unwrap().chain_text, "驻马店市");
        let text = "周口市2020年政府信息公开工作年度报告\n来源: 周口日报";
        assert_eq!(from_lines(names(), text).unwrap().unit, "");
    }

    #[test]
    fn menus_are_skipped() {
        let text = "周口市人民政府门户网站\n政府信息公开年度报告\n首页>政府信息公开>年度报告\n\
                    驻马店市水利局2020年政府信息公开工作年度报告\n";
        assert_eq!(from_lines(names(), text).unwrap().unit, "水利局");
    }

    #[test]
    fn sentences_are_not_titles() {
        let text = "本年度报告根据《中华人民共和国政府信息公开条例》(以下简称《条例》)的要求编制。";
        assert!(from_lines(names(), text).is_none());
        let wrapped = "川汇区政务服务和大数据管理局2020年政府信息\n公开工作年度报告\n";
        assert_eq!(from_lines(names(), wrapped).unwrap().unit, "政务服务和大数据管理局");
    }
}
