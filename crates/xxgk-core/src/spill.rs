//! Where a stage keeps what it has seen of every document: on disk, in sorted runs (extsort),
//! so a build's memory does not grow with the corpus. The crawl sorts every path it finds
//! before the first is read; the panel needs every report before it can write a row (copies
//! of a report, an issuer's previous year and a rank group can be anywhere in the corpus), but
//! each of those is local once the reports are sorted the right way, so the compare stage is a
//! few external sorts and merges (`compare/stream.rs`).
//!
//! Items are bincode, each behind its length, in files under one directory per sort. Without a
//! directory (`Spill::memory`) nothing touches the disk: tests and `build_panel` use that.

use extsort::{ExternalSorter, PushExternalSorter, Sortable};
use serde::de::DeserializeOwned;
use serde::{Deserialize, Serialize};
use std::cmp::Ordering;
use std::collections::VecDeque;
use std::fs::File;
use std::io::{BufReader, BufWriter, Read, Write};
use std::path::{Path, PathBuf};

#[derive(Debug, thiserror::Error)]
pub enum SpillError {
    #[error("spill: {what} in {dir}: {source}")]
    Io { what: &'static str, dir: PathBuf, source: std::io::Error },
}

/// Where sorted runs go, and how many items of each sort are held before one is written.
#[derive(Clone, Debug)]
pub struct Spill {
    dir: Option<PathBuf>,
    /// Items in memory per sort, scaled by each sort's item size (see `Spill::items`).
    budget: usize,
}

impl Spill {
    /// Runs of up to `budget` inputs (smaller items get proportionally more) under `dir`.
    pub fn to_dir(dir: &Path, budget: usize) -> Spill {
        Spill { dir: Some(dir.to_path_buf()), budget: budget.max(1) }
    }

    /// Everything in memory: one run per sort, never written.
    pub fn memory() -> Spill {
        Spill { dir: None, budget: usize::MAX }
    }

    fn items(&self, scale: usize) -> usize {
        self.budget.saturating_mul(scale)
    }

    fn subdir(&self, name: &'static str) -> Result<Option<PathBuf>, SpillError> {
        let Some(root) = &self.dir else { return Ok(None) };
        let dir = root.join(name);
        std::fs::create_dir_all(&dir).map_err(|source| SpillError::Io {
            what: "creating a sort directory",
            dir: dir.clone(),
            source,
        })?;
        Ok(Some(dir))
    }
}

/// A sort key and what travels with it; ordered by the key alone.
#[derive(Debug, Serialize, Deserialize)]
pub struct Keyed<K, V> {
    pub key: K,
    pub value: V,
}

/// One item on disk: its length (u32, little-endian), then bincode.
struct Framed<T>(T);

impl<T: Serialize + DeserializeOwned + Send> Sortable for Framed<T> {
    fn encode<W: Write>(&self, writer: &mut W) -> std::io::Result<()> {
        write_framed(&self.0, writer)
    }

    fn decode<R: Read>(reader: &mut R) -> std::io::Result<Self> {
        read_framed(reader).map(Framed)
    }
}

fn write_framed<T: Serialize, W: Write>(item: &T, writer: &mut W) -> std::io::Result<()> {
    let bytes = bincode::serde::encode_to_vec(item, bincode::config::standard())
        .map_err(|e| std::io::Error::new(std::io::ErrorKind::InvalidData, e))?;
    let len = u32::try_from(bytes.len()).map_err(|_| std::io::Error::other("a spilled item over 4 GB"))?;
    writer.write_all(&len.to_le_bytes())?;
    writer.write_all(&bytes)
}

/// UnexpectedEof before the length is the end of the run (extsort relies on it); inside an
/// item it is a truncated file, reported as such.
fn read_framed<T: DeserializeOwned, R: Read>(reader: &mut R) -> std::io::Result<T> {
    let mut len = [0u8; 4];
    reader.read_exact(&mut len)?;
    let mut bytes = vec![0u8; u32::from_le_bytes(len) as usize];
    reader.read_exact(&mut bytes).map_err(|e| std::io::Error::new(std::io::ErrorKind::InvalidData, e))?;
    let (item, _) = bincode::serde::decode_from_slice(&bytes, bincode::config::standard())
        .map_err(|e| std::io::Error::new(std::io::ErrorKind::InvalidData, e))?;
    Ok(item)
}

/// `None` is the sentinel of `Sorter::sorted`; it sorts before every item.
type Entry<K, V> = Framed<Option<Keyed<K, V>>>;
type ByKey<K, V> = fn(&Entry<K, V>, &Entry<K, V>) -> Ordering;

fn by_key<K: Ord, V>(a: &Entry<K, V>, b: &Entry<K, V>) -> Ordering {
    match (&a.0, &b.0) {
        (Some(a), Some(b)) => a.key.cmp(&b.key),
        (a, b) => a.is_some().cmp(&b.is_some()),
    }
}

/// Items pushed in any order, read back in key order. Keys must be unique: runs are sorted
/// unstably.
pub struct Sorter<K: Item + Ord, V: Item> {
    what: &'static str,
    dir: PathBuf,
    /// Items per run written: extsort writes when its buffer exceeds the segment size.
    run: u64,
    pushed: u64,
    inner: PushExternalSorter<Entry<K, V>, ByKey<K, V>>,
}

pub trait Item: Serialize + DeserializeOwned + Send + 'static {}
impl<T: Serialize + DeserializeOwned + Send + 'static> Item for T {}

impl<K: Item + Ord, V: Item> Sorter<K, V> {
    /// `scale`: how many of this sort's items weigh as much as one panel input.
    pub fn new(spill: &Spill, what: &'static str, scale: usize) -> Result<Sorter<K, V>, SpillError> {
        let segment = spill.items(scale);
        let mut sorter = ExternalSorter::new().with_segment_size(segment);
        let dir = spill.subdir(what)?;
        if let Some(dir) = &dir {
            sorter = sorter.with_sort_dir(dir.clone());
        }
        let inner = sorter.pushed_by(by_key::<K, V> as ByKey<K, V>);
        let run = u64::try_from(segment).unwrap_or(u64::MAX).saturating_add(1);
        Ok(Sorter { what, dir: dir.unwrap_or_default(), run, pushed: 0, inner })
    }

    pub fn push(&mut self, key: K, value: V) -> Result<(), SpillError> {
        self.pushed += 1;
        let (what, dir) = (self.what, &self.dir);
        self.inner.push(Framed(Some(Keyed { key, value }))).map_err(|source| SpillError::Io {
            what,
            dir: dir.clone(),
            source,
        })
    }

    pub fn sorted(mut self) -> Result<Sorted<K, V>, SpillError> {
        let (what, dir) = (self.what, self.dir.clone());
        // extsort 0.5.0 reads from memory whenever its buffer is empty at `done`, so when the
        // last push filled a run exactly every run on disk would be lost. One sentinel in
        // the buffer makes it merge them; the sentinel is skipped on the way out.
        if self.pushed > 0 && self.pushed.is_multiple_of(self.run) {
            self.inner.push(Framed(None)).map_err(|source| SpillError::Io { what, dir: dir.clone(), source })?;
        }
        match self.inner.done() {
            Ok(iter) => Ok(Sorted { what, dir, iter: Box::new(iter) }),
            Err(source) => Err(SpillError::Io { what, dir, source }),
        }
    }
}

/// A sort's items in key order.
pub struct Sorted<K, V> {
    what: &'static str,
    dir: PathBuf,
    iter: Box<dyn Iterator<Item = std::io::Result<Entry<K, V>>> + Send>,
}

impl<K, V> Iterator for Sorted<K, V> {
    type Item = Result<Keyed<K, V>, SpillError>;

    fn next(&mut self) -> Option<Self::Item> {
        loop {
            let item = match self.iter.next()? {
                Ok(Framed(None)) => continue,
                Ok(Framed(Some(item))) => Ok(item),
                Err(source) => Err(SpillError::Io { what: self.what, dir: self.dir.clone(), source }),
            };
            return Some(item);
        }
    }
}

/// Items read back in the order they were written: one file, or memory.
pub struct Spool<T> {
    what: &'static str,
    dir: PathBuf,
    sink: SpoolSink<T>,
}

enum SpoolSink<T> {
    Memory(VecDeque<T>),
    File { path: PathBuf, writer: BufWriter<File> },
}

impl<T: Item> Spool<T> {
    pub fn new(spill: &Spill, what: &'static str) -> Result<Spool<T>, SpillError> {
        let Some(dir) = spill.subdir(what)? else {
            return Ok(Spool { what, dir: PathBuf::new(), sink: SpoolSink::Memory(VecDeque::new()) });
        };
        let path = dir.join("spool");
        let file = File::create(&path).map_err(|source| SpillError::Io { what, dir: dir.clone(), source })?;
        Ok(Spool { what, dir, sink: SpoolSink::File { path, writer: BufWriter::new(file) } })
    }

    fn err(&self) -> impl FnOnce(std::io::Error) -> SpillError + '_ {
        |source| SpillError::Io { what: self.what, dir: self.dir.clone(), source }
    }

    pub fn push(&mut self, item: T) -> Result<(), SpillError> {
        let written = match &mut self.sink {
            SpoolSink::Memory(items) => {
                items.push_back(item);
                Ok(())
            }
            SpoolSink::File { writer, .. } => write_framed(&item, writer),
        };
        written.map_err(self.err())
    }

    pub fn read(self) -> Result<Spooled<T>, SpillError> {
        let err = |source| SpillError::Io { what: self.what, dir: self.dir.clone(), source };
        let source = match self.sink {
            SpoolSink::Memory(items) => SpooledFrom::Memory(items),
            SpoolSink::File { path, writer } => {
                writer.into_inner().map_err(|e| err(e.into_error()))?;
                SpooledFrom::File(BufReader::new(File::open(&path).map_err(err)?))
            }
        };
        Ok(Spooled { what: self.what, dir: self.dir, source })
    }
}

pub struct Spooled<T> {
    what: &'static str,
    dir: PathBuf,
    source: SpooledFrom<T>,
}

enum SpooledFrom<T> {
    Memory(VecDeque<T>),
    File(BufReader<File>),
}

impl<T: Item> Iterator for Spooled<T> {
    type Item = Result<T, SpillError>;

    fn next(&mut self) -> Option<Self::Item> {
        let read = match &mut self.source {
            SpooledFrom::Memory(items) => return items.pop_front().map(Ok),
            SpooledFrom::File(reader) => read_framed(reader),
        };
        match read {
            Ok(item) => Some(Ok(item)),
            Err(e) if e.kind() == std::io::ErrorKind::UnexpectedEof => None,
            Err(source) => Some(Err(SpillError::Io { what: self.what, dir: self.dir.clone(), source })),
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn scratch(name: &str) -> PathBuf {
        let dir = std::env::temp_dir().join(format!("xxgk-spill-{name}-{}", std::process::id()));
        let _ = std::fs::remove_dir_all(&dir);
        dir
    }

    type Item = Keyed<(String, u64), Vec<Option<f64>>>;

    /// 0..n pushed in a scrambled order into runs of `segment + 1`, read back.
    fn sort_round_trip(name: &str, n: u64, segment: usize) -> (Vec<u64>, usize) {
        let dir = scratch(name);
        let mut s: Sorter<(String, u64), Vec<Option<f64>>> =
            Sorter::new(&Spill::to_dir(&dir, segment), "s", 1).expect("new");
        for i in 0..n {
            let k = (i * 37) % n;
            s.push((format!("k{:03}", k), k), vec![Some(k as f64), None]).expect("push");
        }
        let runs = std::fs::read_dir(dir.join("s")).expect("runs").count();
        let got: Vec<Item> = s.sorted().expect("sorted").collect::<Result<_, _>>().expect("read");
        assert!(got.iter().all(|k| k.value == vec![Some(k.key.1 as f64), None]));
        let _ = std::fs::remove_dir_all(&dir);
        (got.iter().map(|k| k.key.1).collect(), runs)
    }

    #[test]
    fn a_sort_larger_than_its_runs_comes_back_in_key_order_with_its_values() {
        let (got, runs) = sort_round_trip("sort", 100, 7);
        assert!(runs >= 12, "100 items in runs of 8 were written: {runs} files");
        assert_eq!(got, (0..100).collect::<Vec<_>>());
    }

    #[test]
    fn a_sort_that_ends_on_a_full_run_loses_nothing() {
        // 96 = 12 runs of 8: extsort's buffer is empty when the sort is done.
        let (got, runs) = sort_round_trip("full", 96, 7);
        assert_eq!(runs, 12);
        assert_eq!(got, (0..96).collect::<Vec<_>>());
    }

    #[test]
    fn a_sort_of_many_runs_merges_them_all() {
        // extsort merges 20 or more runs through a heap rather than by peeking at each.
        for n in [150u64, 153] {
            let (got, runs) = sort_round_trip("heap", n, 2);
            assert!(runs >= 50, "{runs} runs");
            assert_eq!(got, (0..n).collect::<Vec<_>>());
        }
    }

    #[test]
    fn a_spool_reads_back_in_write_order_from_disk_and_from_memory() {
        let dir = scratch("spool");
        for spill in [Spill::to_dir(&dir, 1), Spill::memory()] {
            let mut s: Spool<(u32, String)> = Spool::new(&spill, "p").expect("new");
            for i in [5u32, 1, 9] {
                s.push((i, "值".repeat(i as usize))).expect("push");
            }
            let got: Vec<(u32, String)> = s.read().expect("read").collect::<Result<_, _>>().expect("items");
            assert_eq!(got, vec![(5, "值".repeat(5)), (1, "值".into()), (9, "值".repeat(9))]);
        }
        assert!(dir.join("p").join("spool").exists(), "the disk spool was written");
        let _ = std::fs::remove_dir_all(&dir);
    }

    #[test]
    fn a_truncated_run_is_an_error_not_a_short_read() {
        let dir = scratch("trunc");
        let mut s: Spool<String> = Spool::new(&Spill::to_dir(&dir, 1), "t").expect("new");
        s.push("一二三四五六".into()).expect("push");
        let reader = s.read().expect("read");
        let path = dir.join("t").join("spool");
        let bytes = std::fs::read(&path).expect("spool");
        std::fs::write(&path, &bytes[..bytes.len() - 3]).expect("truncate");
        drop(reader);
        let again: Spooled<String> = Spooled {
            what: "t",
            dir: dir.join("t"),
            source: SpooledFrom::File(BufReader::new(File::open(&path).expect("open"))),
        };
        let got: Vec<Result<String, SpillError>> = again.collect();
        assert!(matches!(got.as_slice(), [Err(SpillError::Io { .. })]), "{got:?}");
        let _ = std::fs::remove_dir_all(&dir);
    }
}
