//! Report metadata from the text around the tables: title, the year the report covers
//! (title → 统计期限 → narrative → publication year − 1) and the publication date.

/// Metadata found in the document, with warnings for anything inferred.
#[derive(Debug, Default, Clone, PartialEq)]
pub struct Meta {
    pub title: Option<String>,
    pub report_year: Option<i32>,
    /// `YYYY-MM-DD`.
    pub published_date: Option<String>,
    pub warnings: Vec<String>,
}

/// `lines` are the document's paragraph texts in simplified script.
pub fn read_meta(lines: &[String], html_title: Option<&str>) -> Meta {
    let mut m = Meta { title: find_title(lines, html_title), ..Meta::default() };
    m.published_date = published_date(lines);
    let pub_year = m.published_date.as_deref().and_then(|d| d[..4].parse::<i32>().ok());
    m.report_year = m.title.as_deref().and_then(year_in_title);
    if m.report_year.is_none() {
        m.report_year = lines.iter().find_map(|l| statistics_period_year(l));
    }
    if m.report_year.is_none() {
        if let Some(y) = narrative_year(lines, pub_year) {
            m.warnings.push(format!("meta: report year {y} inferred from the narrative (no title year or 统计期限)"));
            m.report_year = Some(y);
        }
    }
    if m.report_year.is_none() {
        if let Some(y) = pub_year {
            m.warnings.push(format!("meta: report year {} taken as publication year minus one", y - 1));
            m.report_year = Some(y - 1);
        }
    }
    m
}

/// The title: the HTML `<title>` or an early line naming the annual report; a preceding
/// short line holding the issuer's name is joined to it (PDF titles break there).
fn find_title(lines: &[String], html_title: Option<&str>) -> Option<String> {
    let is_title = |s: &str| s.contains("年度报告") && s.contains("信息公开") && s.chars().count() <= 60;
    if let Some(t) = html_title.map(compact).filter(|t| is_title(t)) {
        return Some(t);
    }
    let head: Vec<String> = lines.iter().take(15).map(|l| compact(l)).collect();
    let i = head.iter().position(|l| is_title(l))?;
    let prev = i.checked_sub(1).map(|p| head[p].as_str()).filter(|p| is_org_name(p));
    Some(match prev {
        Some(p) if !head[i].contains(p) => format!("{p}{}", head[i]),
        _ => head[i].clone(),
    })
}

/// A line that is only an organisation's name: page furniture that ends in one
/// (`发布时间：2025年03月22日来源：苏州市统计局`) has digits or a colon.
fn is_org_name(s: &str) -> bool {
    let n = s.chars().count();
    let furniture = s.chars().any(|c| c.is_ascii_digit() || c == ':' || c == '：');
    (3..=25).contains(&n)
        && !furniture
        && ["政府", "办公室", "办公厅", "局", "委员会", "厅", "中心"].iter().any(|e| s.ends_with(e))
}

/// Text without the spaces PDF extraction puts between characters.
fn compact(s: &str) -> String {
    s.chars().filter(|c| !c.is_whitespace()).collect()
}

/// `某市2020年政府信息公开…`, `2020年度…`: the year just before 年 in a title.
fn year_in_title(title: &str) -> Option<i32> {
    years(title).into_iter().next()
}

/// The year in 统计期限 / 统计时限 sentences, including fused forms (`20201月1日`).
fn statistics_period_year(line: &str) -> Option<i32> {
    // Every key has 统, which compacting cannot add: most lines are passed over unread.
    if !line.contains('统') {
        return None;
    }
    let l = compact(line);
    let at = ["统计期限", "统计时限", "统计时间", "数据统计期"].iter().find_map(|k| l.find(k))?;
    let rest = &l[at..];
    let digits: String = rest.chars().skip_while(|c| !c.is_ascii_digit()).take_while(|c| c.is_ascii_digit()).collect();
    digits.get(..4).and_then(|d| d.parse().ok()).filter(|y| plausible(*y))
}

/// The year narrative sentences open with (`2020年，我市…`), else the most mentioned one.
fn narrative_year(lines: &[String], pub_year: Option<i32>) -> Option<i32> {
    let ok = |y: i32| pub_year.is_none_or(|p| y <= p);
    for l in lines {
        let c = compact(l);
        if let Some(y) = years(&c).into_iter().next().filter(|&y| ok(y)) {
            let lead = format!("{y}年");
            if c.starts_with(&lead) && c[lead.len()..].starts_with(['，', ',', '度', '以']) {
                return Some(y);
            }
        }
    }
    let mut counts: std::collections::BTreeMap<i32, usize> = Default::default();
    for y in lines.iter().flat_map(|l| years(&compact(l))).filter(|&y| ok(y)) {
        *counts.entry(y).or_default() += 1;
    }
    let best = counts.values().copied().max()?;
    let tops: Vec<i32> = counts.iter().filter(|e| *e.1 == best).map(|e| *e.0).collect();
    (tops.len() == 1).then(|| tops[0])
}

/// Every `YYYY年` in a compact text.
fn years(s: &str) -> Vec<i32> {
    let b = s.as_bytes();
    let mut out = Vec::new();
    for i in 0..b.len().saturating_sub(4) {
        let four = &b[i..i + 4];
        let before_ok = i == 0 || !b[i - 1].is_ascii_digit();
        if before_ok && four.iter().all(u8::is_ascii_digit) && s[i + 4..].starts_with('年') {
            if let Ok(y) = s[i..i + 4].parse::<i32>() {
                if plausible(y) {
                    out.push(y);
                }
            }
        }
    }
    out
}

fn plausible(y: i32) -> bool {
    (2000..=2035).contains(&y)
}

/// Page furniture (`时间: 2021-03-09`, `发布日期：2021年01月31日`), else a line that is only
/// a date (the signature under the report).
fn published_date(lines: &[String]) -> Option<String> {
    const LABELS: [&str; 6] = ["发布时间", "发布日期", "成文日期", "时间", "日期", "发文日期"];
    // Every label ends in 间 or 期: a one-character scan passes over most lines, where six
    // substring searches (a searcher built for each) were half the cost of reading the meta.
    for l in lines.iter().filter(|l| l.contains(['间', '期'])) {
        for label in LABELS {
            let mut from = 0;
            while let Some(p) = l[from..].find(label) {
                let after = l[from + p + label.len()..].trim_start();
                if let Some(d) =
                    after.strip_prefix([':', '：']).and_then(|a| parse_date(&close_date_spaces(a.trim_start())))
                {
                    return Some(d);
                }
                from += p + label.len();
            }
        }
    }
    lines.iter().rev().map(|l| compact(l)).find_map(|c| parse_date(&c).filter(|_| is_only_date(&c)))
}

/// `2021 年 1 月 31 日` (PDF spacing) → `2021年1月31日`; the space before a time stays.
fn close_date_spaces(s: &str) -> String {
    let mut out = s.to_string();
    for u in ["年", "月", "日"] {
        out = out.replace(&format!(" {u}"), u).replace(&format!("{u} "), u);
    }
    out
}

fn is_only_date(c: &str) -> bool {
    c.ends_with('日') && c.chars().count() <= 12 && c.chars().all(|ch| ch.is_ascii_digit() || "年月日".contains(ch))
}

/// `2021-03-09`, `2021/3/9`, `2021年1月31日` at the start of a text → `YYYY-MM-DD`.
fn parse_date(s: &str) -> Option<String> {
    let mut nums = Vec::new();
    let mut cur = String::new();
    for c in s.chars() {
        if c.is_ascii_digit() {
            cur.push(c);
            continue;
        }
        if cur.is_empty() {
            return None;
        }
        nums.push(std::mem::take(&mut cur));
        let sep_ok = matches!((nums.len(), c), (1, '-' | '/' | '.' | '年') | (2, '-' | '/' | '.' | '月') | (3, _));
        if !sep_ok || nums.len() == 3 {
            break;
        }
    }
    if !cur.is_empty() && nums.len() == 2 {
        nums.push(cur);
    }
    let [y, m, d] = nums.as_slice() else { return None };
    let (y, m, d): (i32, u32, u32) = (y.parse().ok()?, m.parse().ok()?, d.parse().ok()?);
    (plausible(y) && (1..=12).contains(&m) && (1..=31).contains(&d) && y.to_string().len() == 4)
        .then(|| format!("{y:04}-{m:02}-{d:02}"))
}

#[cfg(test)]
mod tests {
    use super::*;

    fn ls(v: &[&str]) -> Vec<String> {
        v.iter().map(|s| s.to_string()).collect()
    }

    #[test]
    fn title_year_and_furniture_date() {
        let m = read_meta(
            &ls(&[
                "周口市2020年政府信息公开工作年度报告",
                "来源: 周口日报 时间: 2021-03-09 14:57:04",
                "平均办理时间3.2天",
            ]),
            None,
        );
        assert_eq!(m.title.as_deref(), Some("周口市2020年政府信息公开工作年度报告"));
        assert_eq!(m.report_year, Some(2020));
        assert_eq!(m.published_date.as_deref(), Some("2021-03-09"));
    }

    #[test]
    fn a_furniture_line_before_the_title_is_not_its_issuer() {
        let m = read_meta(
            &ls(&["发布时间：2025年03月22日来源：苏州市统计局", "苏州市统计局2024年政府信息公开工作年度报告"]),
            None,
        );
        assert_eq!(m.title.as_deref(), Some("苏州市统计局2024年政府信息公开工作年度报告"));
        assert_eq!(m.report_year, Some(2024));
        assert_eq!(m.published_date.as_deref(), Some("2025-03-22"));
    }

    #[test]
    fn pdf_title_on_two_lines_and_spaced_year() {
        let m = read_meta(&ls(&["- 1 -", "淮安市人民政府", "2024 年政府信息公开工作年度报告"]), None);
        assert_eq!(m.title.as_deref(), Some("淮安市人民政府2024年政府信息公开工作年度报告"));
        assert_eq!(m.report_year, Some(2024));
    }

    #[test]
    fn statistics_period_including_fused_digits() {
        let m = read_meta(&ls(&["报告中所列数据的统计期限为20201月1日至202012月31日。"]), None);
        assert_eq!(m.report_year, Some(2020));
        assert!(m.warnings.is_empty());
    }

    #[test]
    fn narrative_and_last_resort_years_warn() {
        let m = read_meta(&ls(&["投稿:huoruiqi 来源:时间:2021年01月31日", "2020年，全年共办理"]), None);
        assert_eq!((m.report_year, m.published_date.as_deref()), (Some(2020), Some("2021-01-31")));
        assert_eq!(m.warnings.len(), 1);
        let m = read_meta(&ls(&["发布日期：2019-01-20", "无年份"]), None);
        assert_eq!(m.report_year, Some(2018));
    }

    #[test]
    fn signature_date_line() {
        let m = read_meta(&ls(&["正文", "2015年3月26日", "附 件"]), None);
        assert_eq!(m.published_date.as_deref(), Some("2015-03-26"));
        assert_eq!(parse_date("2021年01月31日"), Some("2021-01-31".into()));
        assert_eq!(parse_date("2021-13-01"), None);
    }
}
