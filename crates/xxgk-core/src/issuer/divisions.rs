//! The GB/T 2260 division table (data/divisions.csv): parsing, lookups by code and year.

use std::collections::HashMap;
use std::sync::OnceLock;

use super::names::NameIndex;
use super::IssuerError;

const EMBEDDED_CSV: &str = include_str!("../../../../data/divisions.csv");
const EMBEDDED_AREA_CODES: &str = include_str!("../../../../data/divisions_areacodes.csv");

/// Level of a division in GB/T 2260.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum Level {
    Province,
    Prefecture,
    County,
}

/// One row of the table: a code with one name over a span of years.
#[derive(Debug, Clone, PartialEq)]
pub struct Division {
    pub code: String,
    pub name: String,
    pub level: Level,
    pub parent_code: Option<String>,
    pub valid_from: i32,
    /// Last year in which the row was (at least partly) in force; None = still valid.
    pub valid_to: Option<i32>,
}

impl Division {
    pub fn valid_in(&self, year: i32) -> bool {
        self.valid_from <= year && self.valid_to.is_none_or(|to| year <= to)
    }

    pub fn is_current(&self) -> bool {
        self.valid_to.is_none()
    }

    /// True when `self` contains `other` (by code prefix, as GB/T 2260 builds codes).
    pub fn contains(&self, other: &Division) -> bool {
        match (self.level, other.level) {
            (Level::Province, Level::Prefecture | Level::County) => self.code[..2] == other.code[..2],
            (Level::Prefecture, Level::County) => self.code[..4] == other.code[..4],
            _ => false,
        }
    }
}

/// The division table with its name automaton and telephone area codes; loaded once.
pub struct Divisions {
    rows: Vec<Division>,
    by_code: HashMap<String, Vec<usize>>,
    pub(crate) names: NameIndex,
    area_codes: HashMap<String, Vec<String>>,
}

impl Divisions {
    /// The table compiled into the binary, parsed on first use.
    pub fn embedded() -> &'static Divisions {
        static TABLE: OnceLock<Divisions> = OnceLock::new();
        TABLE.get_or_init(|| {
            Divisions::from_csv(EMBEDDED_CSV)
                .and_then(|d| d.with_area_codes(EMBEDDED_AREA_CODES))
                .expect("embedded data/divisions.csv is valid (checked by tests)")
        })
    }

    /// Parse a table in the format of data/divisions.csv (`#` lines are comments).
    pub fn from_csv(text: &str) -> Result<Divisions, IssuerError> {
        let mut rows = Vec::new();
        let mut header_seen = false;
        for (i, line) in text.lines().enumerate() {
            let line = line.trim_end_matches('\r');
            if line.trim().is_empty() || line.starts_with('#') {
                continue;
            }
            if !header_seen {
                check_header(line, i + 1)?;
                header_seen = true;
                continue;
            }
            rows.push(parse_row(line, i + 1)?);
        }
        if rows.is_empty() {
            return Err(IssuerError::Table { line: 0, message: "no rows".into() });
        }
        let mut by_code: HashMap<String, Vec<usize>> = HashMap::new();
        for (i, row) in rows.iter().enumerate() {
            by_code.entry(row.code.clone()).or_default().push(i);
        }
        let names = NameIndex::build(&rows)?;
        Ok(Divisions { rows, by_code, names, area_codes: HashMap::new() })
    }

    /// Add a telephone area-code table (`area_code,division_code,name`).
    pub fn with_area_codes(mut self, text: &str) -> Result<Divisions, IssuerError> {
        for (i, line) in text.lines().enumerate() {
            if line.starts_with('#') || line.starts_with("area_code") || line.trim().is_empty() {
                continue;
            }
            let fields: Vec<&str> = line.trim_end_matches('\r').split(',').collect();
            let bad = |message: &str| IssuerError::Table { line: i + 1, message: message.into() };
            if fields.len() != 3 || !fields[0].bytes().all(|b| b.is_ascii_digit()) {
                return Err(bad("expected area_code,division_code,name"));
            }
            if !self.by_code.contains_key(fields[1]) {
                return Err(bad("unknown division code"));
            }
            self.area_codes.entry(fields[0].to_string()).or_default().push(fields[1].to_string());
        }
        Ok(self)
    }

    pub fn rows(&self) -> &[Division] {
        &self.rows
    }

    pub(crate) fn row(&self, i: usize) -> &Division {
        &self.rows[i]
    }

    /// The row of `code` in force in `year` (or the newest one when none is or no year is given).
    pub fn by_code(&self, code: &str, year: Option<i32>) -> Option<&Division> {
        let idx = self.by_code.get(code)?;
        let rows = idx.iter().map(|&i| &self.rows[i]);
        let in_year = year.and_then(|y| rows.clone().filter(|d| d.valid_in(y)).max_by_key(|d| d.valid_from));
        in_year.or_else(|| rows.max_by_key(|d| (d.valid_to.is_none(), d.valid_to, d.valid_from)))
    }

    /// Province, prefecture (if any) and the row itself, outermost first.
    pub fn ancestry<'a>(&'a self, row: &'a Division, year: Option<i32>) -> Vec<&'a Division> {
        let mut chain = vec![];
        let mut parent = row.parent_code.as_deref();
        while let Some(code) = parent {
            match self.by_code(code, year) {
                Some(p) if chain.len() < 3 => {
                    parent = p.parent_code.as_deref();
                    chain.push(p);
                }
                _ => break,
            }
        }
        chain.reverse();
        chain.push(row);
        chain
    }

    /// Division codes served by a telephone area code ("0394" → 411600).
    pub fn area_code(&self, code: &str) -> &[String] {
        self.area_codes.get(code).map(Vec::as_slice).unwrap_or(&[])
    }
}

fn check_header(line: &str, n: usize) -> Result<(), IssuerError> {
    if line.trim() == "code,name,level,parent_code,valid_from,valid_to" {
        return Ok(());
    }
    Err(IssuerError::Table { line: n, message: format!("unexpected header {line:?}") })
}

fn parse_row(line: &str, n: usize) -> Result<Division, IssuerError> {
    let bad = |message: String| IssuerError::Table { line: n, message };
    // Names never contain commas or quotes, so a plain split is the whole CSV grammar needed.
    let f: Vec<&str> = line.split(',').collect();
    if f.len() != 6 {
        return Err(bad(format!("expected 6 fields, found {}", f.len())));
    }
    let code_ok = |c: &str| c.len() == 6 && c.bytes().all(|b| b.is_ascii_digit());
    if !code_ok(f[0]) {
        return Err(bad(format!("bad code {:?}", f[0])));
    }
    let level = match f[2] {
        "province" => Level::Province,
        "prefecture" => Level::Prefecture,
        "county" => Level::County,
        other => return Err(bad(format!("bad level {other:?}"))),
    };
    let parent_code = match f[3] {
        "" => None,
        p if code_ok(p) => Some(p.to_string()),
        p => return Err(bad(format!("bad parent_code {p:?}"))),
    };
    let year = |s: &str| s.parse::<i32>().map_err(|_| bad(format!("bad year {s:?}")));
    let valid_to = if f[5].is_empty() { None } else { Some(year(f[5])?) };
    if f[1].is_empty() {
        return Err(bad("empty name".into()));
    }
    Ok(Division { code: f[0].into(), name: f[1].into(), level, parent_code, valid_from: year(f[4])?, valid_to })
}

#[cfg(test)]
mod tests {
    use super::*;

    const SMALL: &str = "# comment\ncode,name,level,parent_code,valid_from,valid_to\n\
        320000,江苏省,province,,1980,\n320800,淮安市,prefecture,320000,2001,\n\
        320829,洪泽县,county,320800,1983,2016\n320813,洪泽区,county,320800,2016,\n";

    #[test]
    fn parses_and_looks_up_by_year() {
        let d = Divisions::from_csv(SMALL).unwrap();
        assert_eq!(d.rows().len(), 4);
        assert_eq!(d.by_code("320829", Some(2014)).unwrap().name, "洪泽县");
        let hz = d.by_code("320813", Some(2020)).unwrap();
        let names: Vec<_> = d.ancestry(hz, Some(2020)).iter().map(|r| r.name.as_str()).collect();
        assert_eq!(names, ["江苏省", "淮安市", "洪泽区"]);
        assert!(d.by_code("320800", None).unwrap().contains(hz));
    }

    #[test]
    fn rejects_bad_rows() {
        let bad = SMALL.replace("320813,洪泽区,county", "32081,洪泽区,county");
        assert!(matches!(Divisions::from_csv(&bad), Err(IssuerError::Table { line: 6, .. })));
        assert!(Divisions::from_csv("code,name\n").is_err());
        let lvl = SMALL.replace(",county,320800,2016,", ",town,320800,2016,");
        assert!(Divisions::from_csv(&lvl).is_err());
    }

    #[test]
    fn embedded_table_is_complete() {
        let d = Divisions::embedded();
        assert!(d.rows().len() > 3000);
        assert_eq!(d.area_code("0394"), ["411600"]);
        assert_eq!(d.by_code("210111", Some(2020)).unwrap().name, "苏家屯区");
        assert_eq!(d.by_code("320829", Some(2014)).unwrap().valid_to, Some(2016));
    }
}
