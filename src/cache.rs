//! `--cache DIR`: per-document results keyed by the document's bytes, its format and the
//! extraction version (code + reference data + config, panel.toml included). A hit skips
//! decode, parse and extract, and the compare stage's summary of the report; both are the
//! ones a fresh run would produce, so the datasets are identical.
//! Entries are zstd-compressed bincode, one file each, written by rename so a killed run
//! leaves no torn entry. A cache that cannot be read or written never fails the run.

use std::path::{Path, PathBuf};
use std::sync::atomic::{AtomicU64, Ordering};
use xxgk_core::compare::Measured;
use xxgk_core::model::{Report, SourceFile, Status};

/// Bumped when the entry encoding changes.
const FORMAT: &str = "v2";

pub struct Cache {
    dir: PathBuf,
    pub hits: AtomicU64,
    pub misses: AtomicU64,
    warned: std::sync::Once,
}

#[derive(Debug, thiserror::Error)]
pub enum CacheError {
    #[error("cache: {path}: {source}")]
    Io { path: PathBuf, source: std::io::Error },
    #[error("cache: {path}: undecodable entry: {detail}")]
    Decode { path: PathBuf, detail: String },
}

/// The cache key of a document.
pub struct Key(String);

impl Cache {
    /// Entries of one extraction version live in their own directory, so old versions can be
    /// deleted wholesale.
    pub fn open(root: &Path, extraction_version: &str) -> Result<Cache, CacheError> {
        let version = blake3::hash(extraction_version.as_bytes()).to_hex()[..16].to_string();
        let dir = root.join(format!("{FORMAT}-{version}"));
        std::fs::create_dir_all(&dir).map_err(|source| CacheError::Io { path: dir.clone(), source })?;
        Ok(Cache { dir, hits: AtomicU64::new(0), misses: AtomicU64::new(0), warned: std::sync::Once::new() })
    }

    pub fn key(bytes: &[u8], file: &SourceFile) -> Key {
        Key(format!("{}-{}", blake3::hash(bytes).to_hex(), file.format.as_str()))
    }

    fn path(&self, key: &Key) -> PathBuf {
        self.dir.join(&key.0[..2]).join(format!("{}.bin.zst", key.0))
    }

    /// The cached report for these bytes, re-labelled with this file's path, and its summary.
    pub fn get(&self, key: &Key, file: &SourceFile) -> Option<(Report, Measured)> {
        let path = self.path(key);
        let found = match std::fs::read(&path) {
            Ok(bytes) => decode(&bytes).map_err(|detail| CacheError::Decode { path, detail }),
            Err(e) if e.kind() == std::io::ErrorKind::NotFound => {
                self.misses.fetch_add(1, Ordering::Relaxed);
                return None;
            }
            Err(source) => Err(CacheError::Io { path, source }),
        };
        match found {
            Ok((mut report, measured)) => {
                self.hits.fetch_add(1, Ordering::Relaxed);
                report.source_path = file.rel_path.clone();
                report.timings = Default::default();
                Some((report, measured))
            }
            Err(e) => {
                self.misses.fetch_add(1, Ordering::Relaxed);
                self.warn(&e);
                None
            }
        }
    }

    /// Stores a result. Errors are not cached: some (a time budget) depend on the machine.
    pub fn put(&self, key: &Key, report: &Report, measured: &Measured) {
        if report.status == Status::Error {
            return;
        }
        if let Err(e) = self.write(key, report, measured) {
            self.warn(&e);
        }
    }

    fn write(&self, key: &Key, report: &Report, measured: &Measured) -> Result<(), CacheError> {
        let path = self.path(key);
        let io = |path: &Path| {
            let path = path.to_path_buf();
            move |source| CacheError::Io { path, source }
        };
        let dir = path.parent().expect("entries live in a subdirectory");
        std::fs::create_dir_all(dir).map_err(io(dir))?;
        let tmp = path.with_extension(format!("tmp-{}-{:?}", std::process::id(), std::thread::current().id()));
        std::fs::write(&tmp, encode(report, measured)).map_err(io(&tmp))?;
        std::fs::rename(&tmp, &path).map_err(io(&path))
    }

    fn warn(&self, e: &CacheError) {
        self.warned.call_once(|| eprintln!("xxgk: warning: {e} (the cache is skipped for such entries)"));
    }
}

pub fn encode(report: &Report, measured: &Measured) -> Vec<u8> {
    let raw =
        bincode::serde::encode_to_vec((report, measured), bincode::config::standard()).expect("reports are plain data");
    zstd::bulk::compress(&raw, 3).expect("in-memory compression")
}

/// Largest entry a cache file may claim to hold: a report of a file under the size limit is
/// far smaller, so a larger claim is a corrupt header, not a reason to allocate.
const MAX_ENTRY: u64 = 1 << 30;

pub fn decode(bytes: &[u8]) -> Result<(Report, Measured), String> {
    // One decompression context per thread: creating one per entry was a sixth of the cost
    // of a cache hit.
    thread_local! {
        static DECOMPRESSOR: std::cell::RefCell<Option<zstd::bulk::Decompressor<'static>>> =
            const { std::cell::RefCell::new(None) };
    }
    let size = match zstd::zstd_safe::get_frame_content_size(bytes) {
        Ok(Some(n)) if n <= MAX_ENTRY => n as usize,
        Ok(_) => return Err("entry header without a plausible size".into()),
        Err(_) => return Err("not a zstd frame".into()),
    };
    let raw = DECOMPRESSOR.with_borrow_mut(|slot| {
        if slot.is_none() {
            *slot = Some(zstd::bulk::Decompressor::new().map_err(|e| e.to_string())?);
        }
        let d = slot.as_mut().expect("set above");
        d.decompress(bytes, size).map_err(|e| e.to_string())
    })?;
    let (entry, _) = bincode::serde::decode_from_slice(&raw, bincode::config::standard()).map_err(|e| e.to_string())?;
    Ok(entry)
}

#[cfg(test)]
mod tests {
    use super::*;
    use xxgk_core::model::SourceFormat;

    fn file(rel: &str) -> SourceFile {
        SourceFile { path: rel.into(), rel_path: rel.into(), format: SourceFormat::Text }
    }

    #[test]
    fn entries_round_trip_and_take_the_new_path() {
        let root = std::env::temp_dir().join(format!("xxgk-cache-{}", std::process::id()));
        let cache = Cache::open(&root, "v-test").unwrap();
        let mut r = Report::failed(&file("a.txt"), "id".into(), 3, String::new());
        r.status = Status::Ok;
        r.warnings.push("decode: 乱码".into());
        let key = Cache::key(b"abc", &file("a.txt"));
        assert!(cache.get(&key, &file("a.txt")).is_none());
        let measured: Measured = (vec![Some(1.0), None], [vec![Some(None)], vec![]]);
        cache.put(&key, &r, &measured);
        let (got, got_measured) = cache.get(&key, &file("mirror/a.txt")).expect("hit");
        assert_eq!(got.source_path, "mirror/a.txt");
        assert_eq!(got.warnings, r.warnings);
        assert_eq!(got_measured, measured);
        let other_version = Cache::open(&root, "v-other").unwrap();
        assert!(other_version.get(&key, &file("a.txt")).is_none());
        std::fs::write(cache.path(&key), b"garbage").unwrap();
        assert!(cache.get(&key, &file("a.txt")).is_none(), "a torn entry is a miss");
        std::fs::remove_dir_all(&root).unwrap();
    }

    #[test]
    fn entries_without_a_size_are_misses_not_allocations() {
        let r = Report::failed(&file("a.txt"), "id".into(), 3, String::new());
        let measured: Measured = Default::default();
        assert_eq!(decode(&encode(&r, &measured)).unwrap().0.report_id, "id");
        let raw = bincode::serde::encode_to_vec((&r, &measured), bincode::config::standard()).unwrap();
        // A streamed frame does not record its size: such an entry is refused, not guessed at.
        let streamed = zstd::stream::encode_all(&raw[..], 3).unwrap();
        assert!(decode(&streamed).is_err());
        assert!(decode(b"").is_err());
        assert!(decode(&encode(&r, &measured)[..6]).is_err(), "a torn entry");
    }

    #[test]
    fn errors_are_not_cached() {
        let root = std::env::temp_dir().join(format!("xxgk-cache-err-{}", std::process::id()));
        let cache = Cache::open(&root, "v").unwrap();
        let r = Report::failed(&file("a.txt"), "id".into(), 3, "read: too slow".into());
        let key = Cache::key(b"x", &file("a.txt"));
        cache.put(&key, &r, &Default::default());
        assert!(cache.get(&key, &file("a.txt")).is_none());
        std::fs::remove_dir_all(&root).unwrap();
    }
}
