//! Embedded list of real issuers with their GB/T 2260 division codes. Names
//! were chosen unique nationwide (no 鼓楼区/朝阳区) so a county name with its
//! city in the preamble identifies one division.

#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Kind {
    Government,
    Department,
}

#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Level {
    Province,
    City,
    County,
}

#[derive(Clone, Copy, Debug)]
pub struct Issuer {
    /// The issuer as expected (`report.issuer`): short form, simplified.
    pub name: &'static str,
    pub code: &'static str,
    pub province: &'static str,
    pub city: Option<&'static str>,
    pub county: Option<&'static str>,
    pub kind: Kind,
    /// First report year the name existed (e.g. 生态环境局 since 2019).
    pub since: i32,
}

impl Issuer {
    pub fn level(&self) -> Level {
        match (self.city, self.county) {
            (_, Some(_)) => Level::County,
            (Some(_), None) => Level::City,
            _ => Level::Province,
        }
    }

    /// The division a government is named after: 周口市, 洪泽区, 河南省.
    pub fn place(&self) -> &'static str {
        self.county.or(self.city).unwrap_or(self.province)
    }

    /// Place qualified by its city, for preambles: 淮安市洪泽区. Municipalities
    /// (city == province) are not repeated.
    pub fn full_place(&self) -> String {
        match (self.city, self.county) {
            (Some(c), Some(k)) if c != self.province => format!("{c}{k}"),
            (Some(_), Some(k)) => format!("{}{k}", self.province),
            _ => self.place().to_string(),
        }
    }

    /// Name qualified with the city where the short name lacks it.
    pub fn full_name(&self) -> String {
        let place = self.full_place();
        match self.county {
            Some(k) if self.name.starts_with(k) => format!("{place}{}", &self.name[k.len()..]),
            _ => self.name.to_string(),
        }
    }

    /// The office that compiles a government's report.
    pub fn office(&self) -> String {
        let suffix = if self.level() == Level::Province || self.city == Some(self.province) && self.county.is_none() {
            "办公厅"
        } else {
            "办公室"
        };
        match self.kind {
            Kind::Government if self.name.ends_with("人民政府") => {
                format!("{}{suffix}", self.full_name())
            }
            _ => self.full_name(),
        }
    }
}

/// Which issuers a corpus draws from.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq, clap::ValueEnum)]
pub enum Pool {
    /// `ISSUERS`: ~120 hand-picked governments and departments, so a large corpus repeats
    /// issuer-years and its panel is small.
    #[default]
    Listed,
    /// Every prefecture and county of `data/divisions.csv` whose name is unique nationwide
    /// (~2,500), each with its government and eight departments (~22,000 issuers): most
    /// reports of a large corpus are their issuer-year's only copy, as in a real crawl, so the
    /// compare stage is measured at its real size.
    Divisions,
}

impl Pool {
    pub fn issuers(self) -> &'static [Issuer] {
        match self {
            Pool::Listed => ISSUERS,
            Pool::Divisions => division_issuers(),
        }
    }
}

struct Division {
    code: &'static str,
    name: &'static str,
    level: &'static str,
    parent: &'static str,
    since: i32,
}

fn current_divisions() -> Vec<Division> {
    let text: &'static str = include_str!("../../../data/divisions.csv");
    text.lines()
        .filter(|l| !l.starts_with('#') && !l.starts_with("code,"))
        .filter_map(|l| {
            let f: Vec<&'static str> = l.split(',').collect();
            let &[code, name, level, parent, from, to] = f.as_slice() else { return None };
            let since = from.parse::<i32>().ok()?.max(2008);
            to.is_empty().then_some(Division { code, name, level, parent, since })
        })
        .collect()
}

/// Issuers named after unique places: a name shared by two divisions (鼓楼区) would need
/// more context than a report gives to resolve, and ISSUERS avoids those too.
fn division_issuers() -> &'static [Issuer] {
    static POOL: std::sync::OnceLock<Vec<Issuer>> = std::sync::OnceLock::new();
    POOL.get_or_init(|| {
        let all = current_divisions();
        let by_code: std::collections::HashMap<&str, &Division> = all.iter().map(|d| (d.code, d)).collect();
        let mut uses: std::collections::HashMap<&str, usize> = std::collections::HashMap::new();
        for d in &all {
            *uses.entry(d.name).or_default() += 1;
        }
        all.iter()
            .filter(|d| uses[d.name] == 1 && d.level != "province")
            .filter_map(|d| government(d, &by_code))
            .flat_map(|g| {
                let departments = DEPARTMENTS.iter().map(move |dept| Issuer {
                    name: Box::leak(format!("{}{dept}", g.place()).into_boxed_str()),
                    kind: Kind::Department,
                    ..g
                });
                std::iter::once(g).chain(departments)
            })
            .collect()
    })
}

/// Departments every prefecture and county has had under these names since 2008.
const DEPARTMENTS: [&str; 8] =
    ["教育局", "财政局", "民政局", "水利局", "审计局", "统计局", "人力资源和社会保障局", "发展和改革委员会"];

fn government(d: &Division, by_code: &std::collections::HashMap<&str, &Division>) -> Option<Issuer> {
    let parent = by_code.get(d.parent)?;
    let name: &'static str = Box::leak(format!("{}人民政府", d.name).into_boxed_str());
    let (province, city, county) = match (d.level, parent.level) {
        ("prefecture", "province") => (parent.name, Some(d.name), None),
        ("county", "prefecture") => (by_code.get(parent.parent)?.name, Some(parent.name), Some(d.name)),
        // Municipalities' districts: the city is the municipality (as 上海市 in ISSUERS).
        ("county", "province") if parent.name.ends_with('市') => (parent.name, Some(parent.name), Some(d.name)),
        _ => return None,
    };
    Some(Issuer { name, code: d.code, province, city, county, kind: Kind::Government, since: d.since })
}

const G: Kind = Kind::Government;
const D: Kind = Kind::Department;

macro_rules! issuers {
    ($(($name:expr, $code:expr, $prov:expr, $city:expr, $county:expr, $kind:expr, $since:expr)),* $(,)?) => {
        &[$(Issuer { name: $name, code: $code, province: $prov, city: $city, county: $county, kind: $kind, since: $since }),*]
    };
}

#[rustfmt::skip]
pub static ISSUERS: &[Issuer] = issuers![
    ("河南省人民政府", "410000", "河南省", None, None, G, 2008),
    ("江苏省人民政府", "320000", "江苏省", None, None, G, 2008),
    ("辽宁省人民政府", "210000", "辽宁省", None, None, G, 2008),
    ("浙江省人民政府", "330000", "浙江省", None, None, G, 2008),
    ("广东省人民政府", "440000", "广东省", None, None, G, 2008),
    ("四川省人民政府", "510000", "四川省", None, None, G, 2008),
    ("安徽省人民政府", "340000", "安徽省", None, None, G, 2008),
    ("甘肃省人民政府", "620000", "甘肃省", None, None, G, 2008),
    ("福建省人民政府", "350000", "福建省", None, None, G, 2008),
    ("上海市人民政府", "310000", "上海市", Some("上海市"), None, G, 2008),
    ("上海市人民政府办公厅", "310000", "上海市", Some("上海市"), None, G, 2008),
    ("河南省人民政府办公厅", "410000", "河南省", None, None, G, 2008),
    ("郑州市人民政府", "410100", "河南省", Some("郑州市"), None, G, 2008),
    ("洛阳市人民政府", "410300", "河南省", Some("洛阳市"), None, G, 2008),
    ("鹤壁市人民政府", "410600", "河南省", Some("鹤壁市"), None, G, 2008),
    ("周口市人民政府", "411600", "河南省", Some("周口市"), None, G, 2008),
    ("驻马店市人民政府", "411700", "河南省", Some("驻马店市"), None, G, 2008),
    ("淮安市人民政府", "320800", "江苏省", Some("淮安市"), None, G, 2008),
    ("宿迁市人民政府", "321300", "江苏省", Some("宿迁市"), None, G, 2008),
    ("南京市人民政府", "320100", "江苏省", Some("南京市"), None, G, 2008),
    ("苏州市人民政府", "320500", "江苏省", Some("苏州市"), None, G, 2008),
    ("沈阳市人民政府", "210100", "辽宁省", Some("沈阳市"), None, G, 2008),
    ("杭州市人民政府", "330100", "浙江省", Some("杭州市"), None, G, 2008),
    ("广州市人民政府", "440100", "广东省", Some("广州市"), None, G, 2008),
    ("深圳市人民政府", "440300", "广东省", Some("深圳市"), None, G, 2008),
    ("成都市人民政府", "510100", "四川省", Some("成都市"), None, G, 2008),
    ("六安市人民政府", "341500", "安徽省", Some("六安市"), None, G, 2008),
    ("定西市人民政府", "621100", "甘肃省", Some("定西市"), None, G, 2008),
    ("宁德市人民政府", "350900", "福建省", Some("宁德市"), None, G, 2008),
    ("中原区人民政府", "410102", "河南省", Some("郑州市"), Some("中原区"), G, 2008),
    ("二七区人民政府", "410103", "河南省", Some("郑州市"), Some("二七区"), G, 2008),
    ("金水区人民政府", "410105", "河南省", Some("郑州市"), Some("金水区"), G, 2008),
    ("中牟县人民政府", "410122", "河南省", Some("郑州市"), Some("中牟县"), G, 2008),
    ("新郑市人民政府", "410184", "河南省", Some("郑州市"), Some("新郑市"), G, 2008),
    ("涧西区人民政府", "410305", "河南省", Some("洛阳市"), Some("涧西区"), G, 2008),
    ("洛龙区人民政府", "410311", "河南省", Some("洛阳市"), Some("洛龙区"), G, 2008),
    ("淇滨区人民政府", "410611", "河南省", Some("鹤壁市"), Some("淇滨区"), G, 2008),
    ("浚县人民政府", "410621", "河南省", Some("鹤壁市"), Some("浚县"), G, 2008),
    ("淇县人民政府", "410622", "河南省", Some("鹤壁市"), Some("淇县"), G, 2008),
    ("川汇区人民政府", "411602", "河南省", Some("周口市"), Some("川汇区"), G, 2008),
    ("扶沟县人民政府", "411621", "河南省", Some("周口市"), Some("扶沟县"), G, 2008),
    ("西华县人民政府", "411622", "河南省", Some("周口市"), Some("西华县"), G, 2008),
    ("商水县人民政府", "411623", "河南省", Some("周口市"), Some("商水县"), G, 2008),
    ("沈丘县人民政府", "411624", "河南省", Some("周口市"), Some("沈丘县"), G, 2008),
    ("郸城县人民政府", "411625", "河南省", Some("周口市"), Some("郸城县"), G, 2008),
    ("太康县人民政府", "411627", "河南省", Some("周口市"), Some("太康县"), G, 2008),
    ("鹿邑县人民政府", "411628", "河南省", Some("周口市"), Some("鹿邑县"), G, 2008),
    ("项城市人民政府", "411681", "河南省", Some("周口市"), Some("项城市"), G, 2008),
    ("驿城区人民政府", "411702", "河南省", Some("驻马店市"), Some("驿城区"), G, 2008),
    ("西平县人民政府", "411721", "河南省", Some("驻马店市"), Some("西平县"), G, 2008),
    ("上蔡县人民政府", "411722", "河南省", Some("驻马店市"), Some("上蔡县"), G, 2008),
    ("平舆县人民政府", "411723", "河南省", Some("驻马店市"), Some("平舆县"), G, 2008),
    ("确山县人民政府", "411725", "河南省", Some("驻马店市"), Some("确山县"), G, 2008),
    ("泌阳县人民政府", "411726", "河南省", Some("驻马店市"), Some("泌阳县"), G, 2008),
    ("遂平县人民政府", "411728", "河南省", Some("驻马店市"), Some("遂平县"), G, 2008),
    ("新蔡县人民政府", "411729", "河南省", Some("驻马店市"), Some("新蔡县"), G, 2008),
    ("淮安区人民政府", "320803", "江苏省", Some("淮安市"), Some("淮安区"), G, 2012),
    ("淮阴区人民政府", "320804", "江苏省", Some("淮安市"), Some("淮阴区"), G, 2008),
    ("清江浦区人民政府", "320812", "江苏省", Some("淮安市"), Some("清江浦区"), G, 2017),
    ("洪泽区人民政府", "320813", "江苏省", Some("淮安市"), Some("洪泽区"), G, 2016),
    ("涟水县人民政府", "320826", "江苏省", Some("淮安市"), Some("涟水县"), G, 2008),
    ("盱眙县人民政府", "320830", "江苏省", Some("淮安市"), Some("盱眙县"), G, 2008),
    ("金湖县人民政府", "320831", "江苏省", Some("淮安市"), Some("金湖县"), G, 2008),
    ("宿城区人民政府", "321302", "江苏省", Some("宿迁市"), Some("宿城区"), G, 2008),
    ("宿豫区人民政府", "321311", "江苏省", Some("宿迁市"), Some("宿豫区"), G, 2008),
    ("沭阳县人民政府", "321322", "江苏省", Some("宿迁市"), Some("沭阳县"), G, 2008),
    ("泗阳县人民政府", "321323", "江苏省", Some("宿迁市"), Some("泗阳县"), G, 2008),
    ("泗洪县人民政府", "321324", "江苏省", Some("宿迁市"), Some("泗洪县"), G, 2008),
    ("玄武区人民政府", "320102", "江苏省", Some("南京市"), Some("玄武区"), G, 2008),
    ("江宁区人民政府", "320115", "江苏省", Some("南京市"), Some("江宁区"), G, 2008),
    ("吴中区人民政府", "320506", "江苏省", Some("苏州市"), Some("吴中区"), G, 2008),
    ("相城区人民政府", "320507", "江苏省", Some("苏州市"), Some("相城区"), G, 2008),
    ("常熟市人民政府", "320581", "江苏省", Some("苏州市"), Some("常熟市"), G, 2008),
    ("张家港市人民政府", "320582", "江苏省", Some("苏州市"), Some("张家港市"), G, 2008),
    ("昆山市人民政府", "320583", "江苏省", Some("苏州市"), Some("昆山市"), G, 2008),
    ("沈河区人民政府", "210103", "辽宁省", Some("沈阳市"), Some("沈河区"), G, 2008),
    ("大东区人民政府", "210104", "辽宁省", Some("沈阳市"), Some("大东区"), G, 2008),
    ("皇姑区人民政府", "210105", "辽宁省", Some("沈阳市"), Some("皇姑区"), G, 2008),
    ("苏家屯区人民政府", "210111", "辽宁省", Some("沈阳市"), Some("苏家屯区"), G, 2008),
    ("于洪区人民政府", "210114", "辽宁省", Some("沈阳市"), Some("于洪区"), G, 2008),
    ("徐汇区人民政府", "310104", "上海市", Some("上海市"), Some("徐汇区"), G, 2008),
    ("杨浦区人民政府", "310110", "上海市", Some("上海市"), Some("杨浦区"), G, 2008),
    ("闵行区人民政府", "310112", "上海市", Some("上海市"), Some("闵行区"), G, 2008),
    ("浦东新区人民政府", "310115", "上海市", Some("上海市"), Some("浦东新区"), G, 2008),
    ("萧山区人民政府", "330109", "浙江省", Some("杭州市"), Some("萧山区"), G, 2008),
    ("余杭区人民政府", "330110", "浙江省", Some("杭州市"), Some("余杭区"), G, 2008),
    ("天河区人民政府", "440106", "广东省", Some("广州市"), Some("天河区"), G, 2008),
    ("福田区人民政府", "440304", "广东省", Some("深圳市"), Some("福田区"), G, 2008),
    ("锦江区人民政府", "510104", "四川省", Some("成都市"), Some("锦江区"), G, 2008),
    ("武侯区人民政府", "510107", "四川省", Some("成都市"), Some("武侯区"), G, 2008),
    ("金安区人民政府", "341502", "安徽省", Some("六安市"), Some("金安区"), G, 2008),
    ("裕安区人民政府", "341503", "安徽省", Some("六安市"), Some("裕安区"), G, 2008),
    ("安定区人民政府", "621102", "甘肃省", Some("定西市"), Some("安定区"), G, 2008),
    ("蕉城区人民政府", "350902", "福建省", Some("宁德市"), Some("蕉城区"), G, 2008),
    ("驻马店市水利局", "411700", "河南省", Some("驻马店市"), None, D, 2008),
    ("周口市教育局", "411600", "河南省", Some("周口市"), None, D, 2008),
    ("周口市生态环境局", "411600", "河南省", Some("周口市"), None, D, 2019),
    ("川汇区政务服务和大数据管理局", "411602", "河南省", Some("周口市"), Some("川汇区"), D, 2019),
    ("郑州市财政局", "410100", "河南省", Some("郑州市"), None, D, 2008),
    ("郑州市市场监督管理局", "410100", "河南省", Some("郑州市"), None, D, 2019),
    ("金水区教育局", "410105", "河南省", Some("郑州市"), Some("金水区"), D, 2008),
    ("新郑市卫生健康委员会", "410184", "河南省", Some("郑州市"), Some("新郑市"), D, 2019),
    ("鹤壁市人力资源和社会保障局", "410600", "河南省", Some("鹤壁市"), None, D, 2008),
    ("洛阳市审计局", "410300", "河南省", Some("洛阳市"), None, D, 2008),
    ("淮安市自然资源和规划局", "320800", "江苏省", Some("淮安市"), None, D, 2019),
    ("淮安市住房和城乡建设局", "320800", "江苏省", Some("淮安市"), None, D, 2019),
    ("宿迁市发展和改革委员会", "321300", "江苏省", Some("宿迁市"), None, D, 2008),
    ("沭阳县教育局", "321322", "江苏省", Some("宿迁市"), Some("沭阳县"), D, 2008),
    ("苏州市统计局", "320500", "江苏省", Some("苏州市"), None, D, 2008),
    ("沈阳市民政局", "210100", "辽宁省", Some("沈阳市"), None, D, 2008),
    ("上海市科学技术委员会", "310000", "上海市", Some("上海市"), None, D, 2008),
    ("上海市教育委员会", "310000", "上海市", Some("上海市"), None, D, 2008),
    ("杭州市卫生健康委员会", "330100", "浙江省", Some("杭州市"), None, D, 2019),
    ("广州市交通运输局", "440100", "广东省", Some("广州市"), None, D, 2019),
    ("成都市公安局", "510100", "四川省", Some("成都市"), None, D, 2008),
    ("六安市统计局", "341500", "安徽省", Some("六安市"), None, D, 2008),
    ("定西市农业农村局", "621100", "甘肃省", Some("定西市"), None, D, 2019),
    ("宁德市林业局", "350900", "福建省", Some("宁德市"), None, D, 2008),
];

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_divisions_pool_is_large_unique_and_consistent() {
        let pool = Pool::Divisions.issuers();
        assert!(pool.len() > 20_000, "{} issuers", pool.len());
        let names: std::collections::HashSet<&str> = pool.iter().map(|i| i.name).collect();
        assert_eq!(names.len(), pool.len(), "one issuer per name");
        for i in pool {
            let level_ok = match i.level() {
                Level::County => !i.code.ends_with("00"),
                Level::City => i.code.ends_with("00") && !i.code.ends_with("0000"),
                Level::Province => false,
            };
            assert!(level_ok, "{} {}", i.name, i.code);
            let suffix_ok = match i.kind {
                Kind::Government => i.name.ends_with("人民政府"),
                Kind::Department => DEPARTMENTS.iter().any(|d| i.name.ends_with(d)),
            };
            assert!(i.name.starts_with(i.place()) && suffix_ok, "{}", i.name);
        }
    }

    #[test]
    fn codes_are_consistent_with_levels() {
        assert!(ISSUERS.len() >= 60);
        for i in ISSUERS {
            assert_eq!(i.code.len(), 6, "{}", i.name);
            match i.level() {
                Level::Province => assert!(i.code.ends_with("0000"), "{}", i.name),
                Level::City => assert!(i.code.ends_with("00"), "{}", i.name),
                Level::County => assert!(!i.code.ends_with("00"), "{}", i.name),
            }
        }
    }

    #[test]
    fn names_qualify_with_city() {
        let hz = ISSUERS.iter().find(|i| i.name == "洪泽区人民政府").unwrap();
        assert_eq!(hz.full_name(), "淮安市洪泽区人民政府");
        assert_eq!(hz.office(), "淮安市洪泽区人民政府办公室");
        let pd = ISSUERS.iter().find(|i| i.name == "浦东新区人民政府").unwrap();
        assert_eq!(pd.full_name(), "上海市浦东新区人民政府");
        let sh = ISSUERS.iter().find(|i| i.name == "上海市人民政府").unwrap();
        assert_eq!(sh.office(), "上海市人民政府办公厅");
    }
}
