//! Division names as one aho-corasick automaton: full names, short forms and a few aliases.

use std::collections::HashMap;

use aho_corasick::{AhoCorasick, AhoCorasickKind, MatchKind};

use super::divisions::{Division, Level};
use super::IssuerError;

/// Organisations printed under a name GB/T 2260 does not have, mapped to the
/// county that administers the same area (so their departments get a code).
const ALIASES: &[(&str, &str)] = &[
    ("平潭综合实验区", "350128"),
    ("济源产城融合示范区", "419001"),
    ("杨凌示范区", "610403"),
    ("杨凌农业高新技术产业示范区", "610403"),
];

/// Suffixes dropped to get the short form people write (辽宁 for 辽宁省, 沈阳 for 沈阳市).
const SHORTEN: &[&str] =
    &["特别行政区", "维吾尔自治区", "壮族自治区", "回族自治区", "自治区", "省", "市", "地区", "盟"];

/// Ethnic names that start the tail of an autonomous prefecture (延边朝鲜族自治州 → 延边).
const ETHNIC: &[&str] = &[
    "朝鲜族",
    "土家族",
    "苗族",
    "蒙古族",
    "蒙古",
    "藏族",
    "彝族",
    "回族",
    "哈萨克",
    "柯尔克孜",
    "傣族",
    "景颇族",
    "傈僳族",
    "白族",
    "哈尼族",
    "壮族",
    "布依族",
    "侗族",
    "羌族",
    "土族",
    "自治州",
];

/// How a name was written: the official full name or a short form.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) enum NameKind {
    Full,
    Short,
}

/// One distinct name and every table row it may denote.
#[derive(Debug)]
pub(crate) struct NameEntry {
    pub text: String,
    pub full: Vec<usize>,
    pub short: Vec<usize>,
}

impl NameEntry {
    pub fn kind(&self) -> NameKind {
        if self.full.is_empty() {
            NameKind::Short
        } else {
            NameKind::Full
        }
    }
}

/// A name found in a text (byte offsets into that text).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) struct Mention {
    pub start: usize,
    pub end: usize,
    pub entry: usize,
}

pub(crate) struct NameIndex {
    entries: Vec<NameEntry>,
    /// Name → entry, for anchored lookups at the start of an organisation name.
    by_text: HashMap<String, usize>,
    /// Length in bytes of the longest name.
    longest: usize,
    /// Unanchored leftmost-longest DFA over all names (one pass per document).
    ac: AhoCorasick,
}

impl NameIndex {
    pub fn build(rows: &[Division]) -> Result<NameIndex, IssuerError> {
        let mut names = Collector::default();
        for (i, row) in rows.iter().enumerate() {
            names.add(&row.name, i, NameKind::Full);
            if let Some(short) = short_form(row) {
                names.add(&short, i, NameKind::Short);
            }
        }
        for (alias, code) in ALIASES {
            for (i, _) in rows.iter().enumerate().filter(|(_, r)| r.code == *code) {
                names.add(alias, i, NameKind::Full);
            }
        }
        let Collector { mut entries, by_text } = names;
        // A short form that is also some division's full name is only that full name.
        for e in entries.iter_mut().filter(|e| !e.full.is_empty()) {
            e.short.clear();
        }
        // A DFA costs ~10 MB here and scans about twice as fast as the NFA.
        let ac = AhoCorasick::builder()
            .match_kind(MatchKind::LeftmostLongest)
            .kind(Some(AhoCorasickKind::DFA))
            .build(entries.iter().map(|e| e.text.as_str()))
            .map_err(|e| IssuerError::Automaton(e.to_string()))?;
        let longest = entries.iter().map(|e| e.text.len()).max().unwrap_or(0);
        Ok(NameIndex { entries, by_text, longest, ac })
    }

    #[cfg(test)]
    pub fn memory(&self) -> usize {
        self.ac.memory_usage()
    }

    pub fn entry(&self, id: usize) -> &NameEntry {
        &self.entries[id]
    }

    /// Every name in `text`, leftmost-longest, so 朝阳区 is not also read as 朝阳.
    pub fn scan(&self, text: &str) -> Vec<Mention> {
        self.ac
            .find_iter(text)
            .map(|m| Mention { start: m.start(), end: m.end(), entry: m.pattern().as_usize() })
            .collect()
    }

    /// The longest name starting exactly at the beginning of `text`, if it is a full name.
    pub fn full_at_start(&self, text: &str) -> Option<Mention> {
        let ends = text.char_indices().map(|(i, c)| i + c.len_utf8()).take_while(|&e| e <= self.longest);
        let (end, entry) = ends.filter_map(|e| self.by_text.get(&text[..e]).map(|&id| (e, id))).last()?;
        (self.entries[entry].kind() == NameKind::Full).then_some(Mention { start: 0, end, entry })
    }

    /// Consecutive full names at the start of `text` (淮安市洪泽区…) and where they end.
    pub fn chain_at_start(&self, text: &str) -> (Vec<usize>, usize) {
        let mut chain = vec![];
        let mut pos = 0;
        while let Some(m) = self.full_at_start(&text[pos..]) {
            chain.push(m.entry);
            pos += m.end;
        }
        (chain, pos)
    }
}

/// Distinct names and the rows of each, while the index is built.
#[derive(Default)]
struct Collector {
    entries: Vec<NameEntry>,
    by_text: HashMap<String, usize>,
}

impl Collector {
    fn add(&mut self, text: &str, row: usize, kind: NameKind) {
        let entries = &mut self.entries;
        let id = *self.by_text.entry(text.to_string()).or_insert_with(|| {
            entries.push(NameEntry { text: text.to_string(), full: vec![], short: vec![] });
            entries.len() - 1
        });
        let e = &mut self.entries[id];
        let list = if kind == NameKind::Full { &mut e.full } else { &mut e.short };
        if !list.contains(&row) {
            list.push(row);
        }
    }
}

/// The short form of a province or prefecture name, if it is at least two characters.
fn short_form(row: &Division) -> Option<String> {
    if row.level == Level::County {
        return None; // 城关, 新华, 和平: county short forms are ordinary words
    }
    let name = row.name.as_str();
    let cut = ETHNIC.iter().filter_map(|e| name.find(e)).filter(|&i| i > 0).min();
    let short = match cut {
        Some(i) if name.ends_with("自治州") => &name[..i],
        _ => SHORTEN.iter().find_map(|s| name.strip_suffix(s)).unwrap_or(name),
    };
    (short != name && short.chars().count() >= 2).then(|| short.to_string())
}

#[cfg(test)]
mod tests {
    use super::*;

    fn row(code: &str, name: &str, level: Level) -> Division {
        Division { code: code.into(), name: name.into(), level, parent_code: None, valid_from: 1980, valid_to: None }
    }

    fn index() -> (Vec<Division>, NameIndex) {
        let rows = vec![
            row("210000", "辽宁省", Level::Province),
            row("210100", "沈阳市", Level::Prefecture),
            row("211300", "朝阳市", Level::Prefecture),
            row("110105", "朝阳区", Level::County),
            row("222400", "延边朝鲜族自治州", Level::Prefecture),
            row("350128", "平潭县", Level::County),
        ];
        let idx = NameIndex::build(&rows).unwrap();
        (rows, idx)
    }

    #[test]
    fn short_forms() {
        let (rows, _) = index();
        assert_eq!(short_form(&rows[0]).as_deref(), Some("辽宁"));
        assert_eq!(short_form(&rows[4]).as_deref(), Some("延边"));
        assert_eq!(short_form(&rows[3]), None);
    }

    #[test]
    fn scan_prefers_longest() {
        let (_, idx) = index();
        let found: Vec<_> = idx.scan("辽宁沈阳市朝阳区").iter().map(|m| idx.entry(m.entry).text.clone()).collect();
        assert_eq!(found, ["辽宁", "沈阳市", "朝阳区"]);
    }

    #[test]
    fn chain_and_alias() {
        let (_, idx) = index();
        let (chain, end) = idx.chain_at_start("辽宁省沈阳市人民政府");
        assert_eq!(chain.len(), 2);
        assert_eq!(end, "辽宁省沈阳市".len());
        // A short form does not start a chain: 辽宁 alone is not an organisation's prefix.
        assert!(idx.chain_at_start("辽宁日报").0.is_empty());
        let (alias, _) = idx.chain_at_start("平潭综合实验区地方税务局");
        assert_eq!(idx.entry(alias[0]).full, [5]);
    }

    #[test]
    fn embedded_automaton_stays_small() {
        // The DFA is built once per process; keep an eye on what it costs.
        let names = &crate::issuer::Divisions::embedded().names;
        assert!(names.memory() < 32 << 20, "{} bytes", names.memory());
    }
}
