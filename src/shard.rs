//! Scale-out: `build --shard I/N` processes the documents whose path hashes to shard I and
//! writes their reports (not datasets) to a shard directory; `merge` reads every shard and
//! feeds the reports, in the single run's order, to the same dataset writer, so the merged
//! datasets equal a single-machine run byte for byte.
//!
//! A shard directory: `shard.json` (index, count, extraction version, counts) and
//! `reports.bin.zst` (zstd stream of length-prefixed bincode records, in crawl order).

use std::fs::File;
use std::io::{BufReader, BufWriter, Read, Write};
use std::path::{Path, PathBuf};
use xxgk_core::model::Report;

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Shard {
    pub index: u32,
    pub count: u32,
}

impl std::str::FromStr for Shard {
    type Err = String;
    /// `I/N`, 0 ≤ I < N (a Kubernetes completion index or a Slurm array task id).
    fn from_str(s: &str) -> Result<Shard, String> {
        let (i, n) = s.split_once('/').ok_or_else(|| format!("shard {s:?} is not I/N"))?;
        let index: u32 = i.trim().parse().map_err(|_| format!("shard index {i:?} is not a number"))?;
        let count: u32 = n.trim().parse().map_err(|_| format!("shard count {n:?} is not a number"))?;
        if count == 0 || index >= count {
            return Err(format!("shard {s:?}: need 0 <= I < N"));
        }
        Ok(Shard { index, count })
    }
}

impl Shard {
    /// Which shard a document belongs to: by its relative path, so a document stays on its
    /// shard (and its cache) when others are added or removed.
    pub fn owns(&self, rel_path: &str) -> bool {
        let h = blake3::hash(rel_path.as_bytes());
        let n = u64::from_le_bytes(h.as_bytes()[..8].try_into().expect("8 bytes"));
        n % u64::from(self.count) == u64::from(self.index)
    }
}

/// Where a report sits in the single run's order: crawled files first (by relative path,
/// then path), then unreadable directory entries.
#[derive(Debug, Clone, PartialEq, Eq, PartialOrd, Ord, serde::Serialize, serde::Deserialize)]
pub struct Order {
    pub unreadable: bool,
    pub key: String,
    pub tie: String,
}

#[derive(serde::Serialize, serde::Deserialize)]
struct Record {
    order: Order,
    report: Report,
}

#[derive(Debug, Clone, serde::Serialize, serde::Deserialize)]
pub struct ShardMeta {
    pub format: String,
    pub index: u32,
    pub count: u32,
    pub extraction_version: String,
    pub documents: u64,
}

const FORMAT: &str = "xxgk-shard-1";
const META: &str = "shard.json";
const REPORTS: &str = "reports.bin.zst";

#[derive(Debug, thiserror::Error)]
pub enum ShardError {
    #[error("shard: {path}: {source}")]
    Io { path: PathBuf, source: std::io::Error },
    #[error("shard: {path}: {detail}")]
    Format { path: PathBuf, detail: String },
    #[error("merge: {0}")]
    Mismatch(String),
}

fn io_err(path: &Path) -> impl FnOnce(std::io::Error) -> ShardError + '_ {
    move |source| ShardError::Io { path: path.to_path_buf(), source }
}

pub struct ShardWriter {
    tmp: PathBuf,
    out: PathBuf,
    meta: ShardMeta,
    stream: Option<zstd::stream::write::Encoder<'static, BufWriter<File>>>,
}

impl ShardWriter {
    pub fn create(out: &Path, shard: Shard, extraction_version: &str) -> Result<ShardWriter, ShardError> {
        let tmp = crate::write::temp_dir_for(out)
            .map_err(|e| ShardError::Format { path: out.to_path_buf(), detail: e.to_string() })?;
        let path = tmp.join(REPORTS);
        let file = File::create(&path).map_err(io_err(&path))?;
        let stream = zstd::stream::write::Encoder::new(BufWriter::new(file), 3).map_err(io_err(&path))?;
        let meta = ShardMeta {
            format: FORMAT.into(),
            index: shard.index,
            count: shard.count,
            extraction_version: extraction_version.into(),
            documents: 0,
        };
        Ok(ShardWriter { tmp, out: out.to_path_buf(), meta, stream: Some(stream) })
    }

    pub fn push(&mut self, order: Order, report: &Report) -> Result<(), ShardError> {
        let record = Record { order, report: report.clone() };
        let bytes = bincode::serde::encode_to_vec(&record, bincode::config::standard()).expect("plain data");
        let path = self.tmp.join(REPORTS);
        let stream = self.stream.as_mut().expect("open until finish");
        stream.write_all(&(bytes.len() as u64).to_le_bytes()).map_err(io_err(&path))?;
        stream.write_all(&bytes).map_err(io_err(&path))?;
        self.meta.documents += 1;
        Ok(())
    }

    /// Where the crawl spills its sort (see `DatasetWriter::spill_dir`).
    pub fn spill_dir(&self) -> PathBuf {
        self.tmp.join(crate::write::SPILL_DIR)
    }

    pub fn finish(mut self, run_json: &serde_json::Value) -> Result<(), ShardError> {
        let spill = self.spill_dir();
        if spill.exists() {
            std::fs::remove_dir_all(&spill).map_err(io_err(&spill))?;
        }
        let path = self.tmp.join(REPORTS);
        let stream = self.stream.take().expect("open until finish");
        let mut inner = stream.finish().map_err(io_err(&path))?;
        inner.flush().map_err(io_err(&path))?;
        let write_json = |name: &str, v: &serde_json::Value| {
            let p = self.tmp.join(name);
            std::fs::write(&p, serde_json::to_string_pretty(v).expect("plain data")).map_err(io_err(&p))
        };
        write_json(META, &serde_json::to_value(&self.meta).expect("plain data"))?;
        write_json("run.json", run_json)?;
        crate::write::replace_dir(&self.tmp, &self.out)
            .map_err(|e| ShardError::Format { path: self.out.clone(), detail: e.to_string() })
    }
}

impl Drop for ShardWriter {
    fn drop(&mut self) {
        if self.tmp.exists() {
            let _ = std::fs::remove_dir_all(&self.tmp);
        }
    }
}

/// One shard's records, read one at a time.
pub struct ShardReader {
    pub meta: ShardMeta,
    path: PathBuf,
    stream: zstd::stream::read::Decoder<'static, BufReader<File>>,
}

impl ShardReader {
    pub fn open(dir: &Path) -> Result<ShardReader, ShardError> {
        let meta_path = dir.join(META);
        let text = std::fs::read_to_string(&meta_path).map_err(io_err(&meta_path))?;
        let meta: ShardMeta = serde_json::from_str(&text)
            .map_err(|e| ShardError::Format { path: meta_path.clone(), detail: e.to_string() })?;
        if meta.format != FORMAT {
            let detail = format!("format {} is not {FORMAT}", meta.format);
            return Err(ShardError::Format { path: meta_path, detail });
        }
        let path = dir.join(REPORTS);
        let file = File::open(&path).map_err(io_err(&path))?;
        let stream = zstd::stream::read::Decoder::new(file).map_err(io_err(&path))?;
        Ok(ShardReader { meta, path, stream })
    }

    /// The next record, or None at the end of the shard.
    pub fn next_record(&mut self) -> Result<Option<(Order, Report)>, ShardError> {
        let mut len = [0u8; 8];
        match self.stream.read_exact(&mut len) {
            Ok(()) => {}
            Err(e) if e.kind() == std::io::ErrorKind::UnexpectedEof => return Ok(None),
            Err(e) => return Err(ShardError::Io { path: self.path.clone(), source: e }),
        }
        let len = u64::from_le_bytes(len) as usize;
        if len > 1 << 31 {
            return Err(ShardError::Format { path: self.path.clone(), detail: format!("record of {len} bytes") });
        }
        let mut buf = vec![0u8; len];
        self.stream.read_exact(&mut buf).map_err(io_err(&self.path))?;
        let (record, _): (Record, usize) = bincode::serde::decode_from_slice(&buf, bincode::config::standard())
            .map_err(|e| ShardError::Format { path: self.path.clone(), detail: e.to_string() })?;
        Ok(Some((record.order, record.report)))
    }
}

/// The shards must be one complete set of the same extraction.
pub fn check_set(metas: &[ShardMeta]) -> Result<(), ShardError> {
    let first = metas.first().ok_or_else(|| ShardError::Mismatch("no shard directories given".into()))?;
    let mut seen = vec![false; first.count as usize];
    for m in metas {
        if m.count != first.count {
            return Err(ShardError::Mismatch(format!("shard counts differ: {} and {}", first.count, m.count)));
        }
        if m.extraction_version != first.extraction_version {
            return Err(ShardError::Mismatch(format!(
                "shards come from different extraction versions: {} and {}",
                first.extraction_version, m.extraction_version
            )));
        }
        let slot = seen.get_mut(m.index as usize).ok_or_else(|| ShardError::Mismatch("index out of range".into()))?;
        if std::mem::replace(slot, true) {
            return Err(ShardError::Mismatch(format!("shard {}/{} given twice", m.index, m.count)));
        }
    }
    let missing: Vec<String> =
        seen.iter().enumerate().filter(|(_, s)| !**s).map(|(i, _)| format!("{i}/{}", first.count)).collect();
    if missing.is_empty() {
        Ok(())
    } else {
        Err(ShardError::Mismatch(format!("missing shards: {}", missing.join(", "))))
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn shard_specs_parse_and_partition_every_path_once() {
        assert_eq!("1/4".parse::<Shard>(), Ok(Shard { index: 1, count: 4 }));
        assert!("4/4".parse::<Shard>().is_err());
        assert!("x/4".parse::<Shard>().is_err());
        assert!("0/0".parse::<Shard>().is_err());
        let shards: Vec<Shard> = (0..3).map(|i| Shard { index: i, count: 3 }).collect();
        let mut per_shard = [0; 3];
        for p in 0..300 {
            let path = format!("dir/{p}.html");
            let owners: Vec<usize> = (0..3).filter(|&i| shards[i].owns(&path)).collect();
            assert_eq!(owners.len(), 1);
            per_shard[owners[0]] += 1;
        }
        assert!(per_shard.iter().all(|&n| n > 60), "{per_shard:?}");
    }

    #[test]
    fn incomplete_or_mixed_sets_are_refused() {
        let meta = |index, count, v: &str| ShardMeta {
            format: FORMAT.into(),
            index,
            count,
            extraction_version: v.into(),
            documents: 0,
        };
        assert!(check_set(&[meta(0, 2, "a"), meta(1, 2, "a")]).is_ok());
        assert!(check_set(&[meta(0, 2, "a")]).unwrap_err().to_string().contains("missing shards: 1/2"));
        assert!(check_set(&[meta(0, 2, "a"), meta(1, 2, "b")]).is_err());
        assert!(check_set(&[meta(0, 2, "a"), meta(0, 2, "a")]).is_err());
        assert!(check_set(&[]).is_err());
    }
}
