//! What the pipeline knows, loaded once at start-up from `config/`: table templates with their
//! label aliases, normalisation tables and limits. Embedded at build time so the binary is
//! self-contained; `--config DIR` reads the same files from disk instead.

use serde::Deserialize;
use std::collections::BTreeMap;
use std::path::{Path, PathBuf};

const TABLES: &str = include_str!("../../../config/tables.toml");
const NORMALISE: &str = include_str!("../../../config/normalise.toml");
const LIMITS: &str = include_str!("../../../config/limits.toml");

#[derive(Debug, thiserror::Error)]
pub enum ConfigError {
    #[error("config: cannot read {path}: {source}")]
    Read { path: PathBuf, source: std::io::Error },
    #[error("config: {file} is not valid TOML for its schema: {source}")]
    Parse { file: String, source: toml::de::Error },
    #[error("config: {file}: {problems:?}")]
    Invalid { file: String, problems: Vec<String> },
}

#[derive(Debug, Clone, Deserialize)]
pub struct Column {
    pub key: String,
    pub labels: Vec<String>,
}

#[derive(Debug, Clone, Deserialize)]
pub struct RowSpec {
    pub key: String,
    pub labels: Vec<String>,
    #[serde(default)]
    pub group: bool,
    #[serde(default)]
    pub subtotal_of: Option<String>,
    /// Per-row value columns (table 二); other tables use the table's columns.
    #[serde(default)]
    pub columns: Vec<String>,
}

#[derive(Debug, Clone, Deserialize)]
pub struct TableSpec {
    pub table: String,
    #[serde(default)]
    pub anchors: Vec<String>,
    #[serde(default)]
    pub signals: Vec<String>,
    #[serde(default)]
    pub columns: Vec<ColumnEntry>,
    #[serde(default)]
    pub column_labels: Vec<Vec<String>>,
    #[serde(default)]
    pub extra_columns: Vec<String>,
    #[serde(default)]
    pub unit_words: Vec<String>,
    pub rows: Vec<RowSpec>,
}

/// A column is either a bare key (table 四) or a key with labels.
#[derive(Debug, Clone, Deserialize)]
#[serde(untagged)]
pub enum ColumnEntry {
    Key(String),
    Labelled(Column),
}

impl ColumnEntry {
    pub fn key(&self) -> &str {
        match self {
            ColumnEntry::Key(k) => k,
            ColumnEntry::Labelled(c) => &c.key,
        }
    }
    pub fn labels(&self) -> &[String] {
        match self {
            ColumnEntry::Key(_) => &[],
            ColumnEntry::Labelled(c) => &c.labels,
        }
    }
}

#[derive(Debug, Clone, Deserialize)]
pub struct Tables {
    pub applications: TableSpec,
    pub active_disclosure_2019: TableSpec,
    pub active_disclosure_2021: TableSpec,
    pub review_litigation: TableSpec,
    pub legacy_stats: TableSpec,
}

#[derive(Debug, Clone, Deserialize)]
pub struct Cells {
    pub placeholders: Vec<String>,
}

#[derive(Debug, Clone, Deserialize)]
pub struct Normalise {
    pub t2s_phrases: BTreeMap<String, String>,
    pub cells: Cells,
}

#[derive(Debug, Clone, Deserialize)]
pub struct Limits {
    pub max_file_bytes: u64,
    pub max_table_rows: usize,
    pub max_lines: usize,
    /// Bytes of text in one layout line (a text line, an HTML paragraph or table row).
    pub max_line_bytes: usize,
    /// Wall-clock budget for one document after it was read (see `budget.rs`).
    pub max_document_ms: u64,
}

impl Limits {
    /// A zero limit would fail every document, which is never what an edit meant.
    fn problems(&self) -> Vec<String> {
        let named = [
            ("max_file_bytes", self.max_file_bytes),
            ("max_table_rows", self.max_table_rows as u64),
            ("max_lines", self.max_lines as u64),
            ("max_line_bytes", self.max_line_bytes as u64),
            ("max_document_ms", self.max_document_ms),
        ];
        named.iter().filter(|(_, v)| *v == 0).map(|(k, _)| format!("{k} must be greater than 0")).collect()
    }
}

/// The whole configuration, validated.
#[derive(Debug, Clone)]
pub struct Config {
    pub tables: Tables,
    pub normalise: Normalise,
    pub limits: Limits,
    /// blake3 of every config file's text: part of the extraction version.
    pub fingerprint: String,
}

impl Config {
    /// The configuration compiled into the binary.
    pub fn embedded() -> Result<Config, ConfigError> {
        Config::from_texts(TABLES, NORMALISE, LIMITS)
    }

    /// Reads `tables.toml`, `normalise.toml` and `limits.toml` from a directory.
    pub fn from_dir(dir: &Path) -> Result<Config, ConfigError> {
        let read = |name: &str| {
            let path = dir.join(name);
            std::fs::read_to_string(&path).map_err(|source| ConfigError::Read { path, source })
        };
        Config::from_texts(&read("tables.toml")?, &read("normalise.toml")?, &read("limits.toml")?)
    }

    pub fn from_texts(tables_text: &str, normalise: &str, limits: &str) -> Result<Config, ConfigError> {
        fn parse_err(file: &'static str) -> impl Fn(toml::de::Error) -> ConfigError {
            move |source| ConfigError::Parse { file: file.to_string(), source }
        }
        let tables: Tables = toml::from_str(tables_text).map_err(parse_err("tables.toml"))?;
        let normalise_cfg: Normalise = toml::from_str(normalise).map_err(parse_err("normalise.toml"))?;
        let limits_cfg: Limits = toml::from_str(limits).map_err(parse_err("limits.toml"))?;
        let mut hasher = blake3::Hasher::new();
        for text in [tables_text, normalise, limits] {
            hasher.update(text.as_bytes());
        }
        let limit_problems = limits_cfg.problems();
        if !limit_problems.is_empty() {
            return Err(ConfigError::Invalid { file: "limits.toml".to_string(), problems: limit_problems });
        }
        let cfg = Config { tables, normalise: normalise_cfg, limits: limits_cfg, fingerprint: String::new() };
        cfg.validate()?;
        Ok(Config { fingerprint: hasher.finalize().to_hex()[..16].to_string(), ..cfg })
    }

    pub fn all_tables(&self) -> [&TableSpec; 5] {
        let t = &self.tables;
        [&t.applications, &t.active_disclosure_2019, &t.active_disclosure_2021, &t.review_litigation, &t.legacy_stats]
    }

    /// Every problem at once, so a config edit is fixed in one round.
    fn validate(&self) -> Result<(), ConfigError> {
        let mut problems = Vec::new();
        for spec in self.all_tables() {
            let mut seen = std::collections::BTreeSet::new();
            for row in &spec.rows {
                if row.labels.is_empty() {
                    problems.push(format!("{}: row {} has no labels", spec.table, row.key));
                }
                if row.labels.iter().any(|l| crate::normalize::label_key(l).is_empty()) {
                    problems.push(format!(
                        "{}: row {} has a label with no Chinese characters or digits",
                        spec.table, row.key
                    ));
                }
                let repeatable = spec.table == "legacy_stats";
                if !seen.insert(row.key.clone()) && !repeatable {
                    problems.push(format!("{}: row key {} appears twice", spec.table, row.key));
                }
            }
            if spec.table == "review_litigation" && spec.column_labels.len() != spec.columns.len() {
                problems.push("review_litigation: column_labels must pair with columns".to_string());
            }
        }
        if problems.is_empty() {
            Ok(())
        } else {
            Err(ConfigError::Invalid { file: "tables.toml".to_string(), problems })
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn embedded_config_loads_and_validates() {
        let cfg = Config::embedded().unwrap();
        assert_eq!(cfg.tables.applications.columns.len(), 7);
        assert!(cfg.tables.legacy_stats.rows.len() > 50);
        assert_eq!(cfg.fingerprint.len(), 16);
    }

    #[test]
    fn zero_and_missing_limits_are_refused() {
        let zero = LIMITS.replace("max_document_ms = ", "max_document_ms = 0 #");
        match Config::from_texts(TABLES, NORMALISE, &zero) {
            Err(ConfigError::Invalid { file, problems }) => {
                assert_eq!(file, "limits.toml");
                assert_eq!(problems, ["max_document_ms must be greater than 0"]);
            }
            other => panic!("expected invalid limits, got {other:?}"),
        }
        let missing: String = LIMITS.lines().filter(|l| !l.starts_with("max_lines")).collect::<Vec<_>>().join("\n");
        assert!(matches!(Config::from_texts(TABLES, NORMALISE, &missing), Err(ConfigError::Parse { .. })));
    }

    #[test]
    fn invalid_rows_are_all_reported() {
        let bad = TABLES.replacen("labels = [\"规章\"]", "labels = []", 1);
        match Config::from_texts(&bad, NORMALISE, LIMITS) {
            Err(ConfigError::Invalid { problems, .. }) => assert!(problems.iter().any(|p| p.contains("rules"))),
            other => panic!("expected invalid config, got {other:?}"),
        }
    }
}
