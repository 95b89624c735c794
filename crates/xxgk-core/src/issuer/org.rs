//! Reading one organisation name: its division prefix, government or department, towns.

use super::names::{NameIndex, NameKind};
use super::text::{is_han, is_wrapper, trim_by};

/// What the organisation is, as the output column `issuer_kind` says it.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) enum OrgKind {
    Government,
    Department,
}

/// A parsed organisation name (all strings compact, simplified script).
#[derive(Debug, Clone, PartialEq)]
pub(crate) struct OrgName {
    /// A national agency printed before the division (国家税务总局 周口市 税务局).
    pub lead: String,
    /// Name entries of the division prefix, outermost first (淮安市, 洪泽区).
    pub chain: Vec<usize>,
    /// The prefix as printed ("淮安市洪泽区").
    pub chain_text: String,
    /// 市/区/县… when the division is only abbreviated (市政府, 市水利局).
    pub abbrev: Option<char>,
    /// A town or street printed after the division (岔河镇, 城关街道).
    pub town: Option<String>,
    pub kind: OrgKind,
    /// What follows the division and town: 人民政府, 水利局, or "" for a bare place name.
    pub unit: String,
    /// The general office (办公室/办公厅) of a government, reporting for it.
    pub office: bool,
}

/// Units that are the people's government itself or its general office.
const GOVERNMENT: &[&str] = &[
    "人民政府",
    "政府",
    "行政公署",
    "人民政府办公室",
    "人民政府办公厅",
    "政府办公室",
    "政府办公厅",
    "人民政府办",
    "政府办",
    "行政公署办公室",
];

/// Offices whose sub-units (政务公开办公室 …) still report for the government.
const OFFICE_PREFIX: &[&str] = &["人民政府办公室", "人民政府办公厅", "政府办公室", "政府办公厅", "行政公署办公室"];

/// How department names end; checked on the whole unit.
pub(crate) const DEPT_SUFFIX: &[&str] = &[
    "局",
    "委员会",
    "委",
    "办公室",
    "办公厅",
    "办",
    "厅",
    "中心",
    "院",
    "所",
    "站",
    "队",
    "馆",
    "署",
    "社",
    "联合会",
    "协会",
    "会",
    "公司",
    "集团",
    "管委会",
    "支队",
    "大队",
    "研究室",
];

/// Town-level units: (marker, units that may follow it).
const TOWN: &[(&str, &[&str])] = &[
    ("街道", &["办事处", "街道办事处", "人民政府", ""]),
    ("镇", &["人民政府", "政府", ""]),
    ("乡", &["人民政府", "政府", ""]),
    ("苏木", &["人民政府", "政府", ""]),
];

/// National agencies whose local branches print as 〈agency〉〈division〉〈unit〉.
const LEADS: &[&str] = &["国家税务总局", "国家金融监督管理总局", "中国人民银行", "国家外汇管理局", "国家统计局"];

const ABBREV: &[char] = &['省', '市', '区', '县', '州', '盟', '旗'];

/// Parse `s` (compact) as an organisation; None when it is not one.
pub(crate) fn parse_org(names: &NameIndex, s: &str) -> Option<OrgName> {
    let s = trim_by(s, is_wrapper);
    if s.is_empty() || s.chars().count() > 40 {
        return None;
    }
    let (mut org, rest) = division_prefix(names, s);
    let (town, unit) = split_town(rest);
    if let Some(t) = town {
        org.town = Some(t.to_string());
        org.unit = unit.to_string();
        return Some(org);
    }
    if rest.is_empty() {
        // A bare place name (a title "周口市2020年…报告") stands for its government.
        return (!org.chain.is_empty() && org.lead.is_empty()).then_some(org);
    }
    if org.chain.is_empty() && org.abbrev.is_none() {
        return bare_department(names, org, rest);
    }
    let national_branch_ok = |o: &OrgName| o.lead.is_empty() || o.kind == OrgKind::Department;
    read_unit(&mut org, rest).then_some(org).filter(national_branch_ok)
}

/// Read the national agency, division names or abbreviation at the start of `s`;
/// returns the organisation so far and the rest of `s`.
fn division_prefix<'a>(names: &NameIndex, s: &'a str) -> (OrgName, &'a str) {
    // Vertically managed agencies print the national body first.
    let lead = LEADS.iter().find(|l| s.starts_with(*l) && !names.chain_at_start(&s[l.len()..]).0.is_empty());
    let (lead, s) = lead.map_or(("", s), |l| (*l, &s[l.len()..]));
    let (chain, end) = names.chain_at_start(s);
    let (abbrev, rest) = match (chain.is_empty(), s.chars().next()) {
        (true, Some(c)) if ABBREV.contains(&c) && !starts_with_word(s) => (Some(c), &s[c.len_utf8()..]),
        _ => (None, &s[end..]),
    };
    let org = OrgName {
        lead: lead.to_string(),
        chain,
        chain_text: s[..end].to_string(),
        abbrev,
        town: None,
        kind: OrgKind::Government,
        unit: String::new(),
        office: false,
    };
    (org, rest)
}

/// A department printed without any division (市场监督管理局): its place must
/// come from elsewhere, so only clear department names are taken.
fn bare_department(names: &NameIndex, mut org: OrgName, unit: &str) -> Option<OrgName> {
    let pronoun = unit.starts_with(['本', '我', '该', '各', '全', '其', '此']);
    // A division inside (中共周口市委) means a prefix this reader does not know.
    let inner_place = names.scan(unit).iter().any(|m| names.entry(m.entry).kind() == NameKind::Full);
    let clear = unit.chars().count() >= 3 && !pronoun && !inner_place && is_department(unit);
    (clear && read_unit(&mut org, unit) && org.kind == OrgKind::Department).then_some(org)
}

/// Words that begin with 市/区/县/省 without abbreviating a division (市场监督管理局).
fn starts_with_word(s: &str) -> bool {
    const WORDS: &[&str] = &[
        "市场", "市民", "市容", "区域", "县域", "县级", "市级", "区级", "省级", "州级", "市直", "县直", "区直", "省直",
    ];
    WORDS.iter().any(|w| s.starts_with(w)) || (s.starts_with("市政") && !s.starts_with("市政府"))
}

/// Classify the unit after the division; false when it is no organisation.
fn read_unit(org: &mut OrgName, unit: &str) -> bool {
    let unit = trim_by(unit, is_wrapper);
    if GOVERNMENT.contains(&unit) || OFFICE_PREFIX.iter().any(|p| unit.starts_with(p)) {
        org.office = !matches!(unit, "人民政府" | "政府" | "行政公署");
        org.unit = unit.to_string();
        return true;
    }
    if !is_department(unit) {
        return false;
    }
    org.kind = OrgKind::Department;
    org.unit = strip_dept_office(unit).to_string();
    true
}

/// A department unit: ideographs (and brackets), 2–24 characters, ending as departments do.
pub(crate) fn is_department(unit: &str) -> bool {
    let n = unit.chars().count();
    let chars_ok = unit.chars().all(|c| is_han(c) || "（）()".contains(c));
    (2..=24).contains(&n)
        && chars_ok
        && DEPT_SUFFIX.iter().any(|s| unit.ends_with(s))
        && !NOT_DEPT.iter().any(|s| unit.ends_with(s))
        && !unit.contains("政府信息")
}

/// Endings that look like a department's but name a website or a newspaper.
const NOT_DEPT: &[&str] = &["网站", "网", "报社", "日报社"];

/// "水利局办公室" reports for 水利局: the department is the issuer, not its office.
fn strip_dept_office(unit: &str) -> &str {
    for office in ["办公室", "办公厅"] {
        if let Some(dept) = unit.strip_suffix(office) {
            if ["局", "委员会", "委", "厅", "中心"].iter().any(|s| dept.ends_with(s)) {
                return dept;
            }
        }
    }
    unit
}

/// Split "岔河镇人民政府" into ("岔河镇", "人民政府"); (None, rest) when no town.
fn split_town(rest: &str) -> (Option<&str>, &str) {
    for (marker, units) in TOWN {
        for (i, _) in rest.match_indices(marker) {
            let name = &rest[..i];
            let after = &rest[i + marker.len()..];
            let n = name.chars().count();
            if (1..=8).contains(&n) && name.chars().all(is_han) && units.contains(&after) && !is_county_word(name) {
                return (Some(&rest[..i + marker.len()]), after);
            }
        }
    }
    (None, rest)
}

/// Words before 乡/镇 that are not town names (城乡建设局, 全县各乡镇).
fn is_county_word(name: &str) -> bool {
    ["城", "各", "全", "乡", "村"].iter().any(|w| name.ends_with(w)) || name.contains("人民政府")
}

impl OrgName {
    /// The name as printed (compact): 市水利局, 淮安市洪泽区人民政府.
    pub fn printed(&self) -> String {
        let abbrev = self.abbrev.map(String::from).unwrap_or_default();
        format!("{}{}{abbrev}{}{}", self.lead, self.chain_text, self.town.as_deref().unwrap_or(""), self.unit)
    }

    /// The issuer as the dataset prints it: governments as 〈division〉人民政府.
    pub fn issuer(&self, division: &str) -> String {
        if let Some(town) = &self.town {
            let unit = if self.unit.is_empty() { default_town_unit(town) } else { self.unit.as_str() };
            return format!("{}{}{}", self.chain_text, town, unit);
        }
        match self.kind {
            OrgKind::Government if self.unit.starts_with("行政公署") => {
                format!("{division}行政公署")
            }
            OrgKind::Government => format!("{division}人民政府"),
            OrgKind::Department => format!("{}{division}{}", self.lead, self.unit),
        }
    }
}

fn default_town_unit(town: &str) -> &'static str {
    if town.ends_with("街道") {
        "办事处"
    } else {
        "人民政府"
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::issuer::Divisions;

    fn parse(s: &str) -> Option<OrgName> {
        parse_org(&Divisions::embedded().names, s)
    }

    #[test]
    fn government_and_office() {
        let o = parse("周口市人民政府办公室").unwrap();
        assert_eq!((o.kind, o.office, o.chain.len()), (OrgKind::Government, true, 1));
        assert_eq!(o.issuer("周口市"), "周口市人民政府");
        let o = parse("淮安市洪泽区人民政府").unwrap();
        assert_eq!((o.chain.len(), o.chain_text.as_str()), (2, "淮安市洪泽区"));
        assert!(parse("周口市政府办公室政务公开办公室").unwrap().office);
        assert_eq!(parse("鹤壁市").unwrap().unit, "");
    }

    #[test]
    fn departments() {
        let o = parse("驻马店市水利局").unwrap();
        assert_eq!((o.kind, o.unit.as_str()), (OrgKind::Department, "水利局"));
        assert_eq!(parse("川汇区政务服务和大数据管理局").unwrap().kind, OrgKind::Department);
        assert_eq!(parse("驻马店市水利局办公室").unwrap().unit, "水利局");
        assert_eq!(parse("周口市人民政府国有资产监督管理委员会").unwrap().kind, OrgKind::Department);
        assert_eq!(parse("平潭综合实验区地方税务局").unwrap().chain.len(), 1);
        let tax = parse("国家税务总局周口市税务局").unwrap();
        assert_eq!((tax.lead.as_str(), tax.issuer("周口市").as_str()), ("国家税务总局", "国家税务总局周口市税务局"));
    }

    #[test]
    fn abbreviations_towns_and_rejects() {
        let o = parse("市水利局").unwrap();
        assert_eq!((o.abbrev, o.kind), (Some('市'), OrgKind::Department));
        assert_eq!(parse("区政府").unwrap().abbrev, Some('区'));
        let t = parse("洪泽区岔河镇人民政府").unwrap();
        assert_eq!(t.town.as_deref(), Some("岔河镇"));
        assert_eq!(t.issuer("洪泽区"), "洪泽区岔河镇人民政府");
        assert_eq!(parse("城关街道").unwrap().issuer(""), "城关街道办事处");
        assert!(parse("周口日报").is_none());
        assert!(parse("huoruiqi").is_none());
        assert!(parse("周口市住房和城乡建设局").unwrap().town.is_none());
        assert!(parse("本年度报告").is_none());
        let bare = parse("市场监督管理局").unwrap();
        assert_eq!((bare.abbrev, bare.kind, bare.chain.len()), (None, OrgKind::Department, 0));
        assert!(parse("本局").is_none() && parse("各单位").is_none());
        assert_eq!(parse("市政工程管理处"), None);
        assert_eq!(parse("中共周口市委"), None);
        assert_eq!(parse("周口市人民政府门户网站"), None);
    }
}
