//! Finds the documents under each INPUT root: walkdir, known extensions, sorted paths.
//! Everything else is counted, never silently dropped, so run.json can account for every file.
//! The paths go through an external sort (`spill`): a corpus's file list is ~150 bytes a
//! document, and the build reads it in order before the first document is processed.

use crate::model::{SourceFile, SourceFormat};
use crate::spill::{Sorted, Sorter, Spill, SpillError};
use std::collections::BTreeMap;
use std::ffi::OsString;
use std::os::unix::ffi::{OsStrExt, OsStringExt};
use std::path::{Path, PathBuf};

#[derive(Debug, thiserror::Error)]
pub enum CrawlError {
    #[error("crawl: input {path} does not exist or cannot be read: {source}")]
    Input { path: PathBuf, source: std::io::Error },
    #[error("crawl: sorting the file list: {0}")]
    Sort(#[from] SpillError),
}

/// How many file entries weigh as much as one `Spill` budget unit (a panel input, ~0.6 KB).
const FILES_PER_INPUT: usize = 4;

/// (relative path, path as shown, path bytes): the order of a build and of a shard merge
/// (`Order`), with the bytes to keep two paths that print alike apart.
type FileKey = (String, String, Vec<u8>);

/// What crawl found: documents to process (in order) and what it left aside.
pub struct Crawl {
    pub files: Files,
    pub n_files: u64,
    /// Skipped files by extension (`(none)` for files without one).
    pub skipped: BTreeMap<String, u64>,
    /// Directory entries that could not be read (permission, loop, vanished), with the reason.
    pub unreadable: Vec<(String, String)>,
}

/// The documents in (relative path, path) order.
pub struct Files(Sorted<FileKey, SourceFormat>);

impl Iterator for Files {
    type Item = Result<SourceFile, CrawlError>;

    fn next(&mut self) -> Option<Self::Item> {
        let entry = self.0.next()?.map_err(CrawlError::from);
        Some(entry.map(|e| {
            let (rel_path, _, bytes) = e.key;
            SourceFile { path: PathBuf::from(OsString::from_vec(bytes)), rel_path, format: e.value }
        }))
    }
}

/// Classifies a path by its extension.
pub fn format_of(path: &Path) -> Option<SourceFormat> {
    let ext = path.extension()?.to_str()?.to_ascii_lowercase();
    match ext.as_str() {
        "html" | "htm" | "shtml" | "xhtml" => Some(SourceFormat::Html),
        "txt" | "md" => Some(SourceFormat::Text),
        _ => None,
    }
}

/// Walks every root (a root may also be a single file). Only documents and unreadable entries
/// whose relative path `keep` accepts are listed (a shard's); skipped files are all counted.
pub fn crawl(roots: &[PathBuf], spill: &Spill, keep: &dyn Fn(&str) -> bool) -> Result<Crawl, CrawlError> {
    let mut walk = Walk {
        keep,
        files: Sorter::new(spill, "crawl", FILES_PER_INPUT)?,
        n_files: 0,
        skipped: BTreeMap::new(),
        unreadable: Vec::new(),
    };
    for root in roots {
        let meta = std::fs::metadata(root).map_err(|e| CrawlError::Input { path: root.clone(), source: e })?;
        if meta.is_file() {
            walk.add_file(root, root.parent().unwrap_or(Path::new("")))?;
            continue;
        }
        walk.root(root)?;
    }
    let Walk { files, n_files, skipped, mut unreadable, keep } = walk;
    unreadable.retain(|(path, _)| keep(path));
    unreadable.sort();
    Ok(Crawl { files: Files(files.sorted()?), n_files, skipped, unreadable })
}

/// Everything in memory: tests and tools over small directories.
pub fn crawl_all(roots: &[PathBuf]) -> Result<(Vec<SourceFile>, Crawl), CrawlError> {
    let mut found = crawl(roots, &Spill::memory(), &|_| true)?;
    let files = found.files.by_ref().collect::<Result<_, _>>()?;
    Ok((files, found))
}

struct Walk<'a> {
    keep: &'a dyn Fn(&str) -> bool,
    files: Sorter<FileKey, SourceFormat>,
    n_files: u64,
    skipped: BTreeMap<String, u64>,
    unreadable: Vec<(String, String)>,
}

impl Walk<'_> {
    fn root(&mut self, root: &Path) -> Result<(), CrawlError> {
        // follow_links: crawlers save mirrors as symlinks; walkdir detects loops and reports them as errors.
        for entry in walkdir::WalkDir::new(root).follow_links(true).sort_by_file_name() {
            match entry {
                Ok(e) if e.file_type().is_file() => self.add_file(e.path(), root)?,
                Ok(e) if e.file_type().is_dir() => {}
                Ok(e) => self.add_special(e.path(), root, e.file_type()),
                Err(err) => {
                    let path = err.path().map_or_else(|| root.display().to_string(), |p| rel_path(p, root));
                    self.unreadable.push((path, format!("crawl: {err}")));
                }
            }
        }
        Ok(())
    }

    /// A FIFO, socket or device named like a report: reading it could block or never end, so
    /// it is reported instead of read.
    fn add_special(&mut self, path: &Path, root: &Path, kind: std::fs::FileType) {
        if format_of(path).is_none() {
            *self.skipped.entry("(not a regular file)".to_string()).or_insert(0) += 1;
            return;
        }
        use std::os::unix::fs::FileTypeExt;
        let what = if kind.is_fifo() {
            "a FIFO"
        } else if kind.is_socket() {
            "a socket"
        } else if kind.is_char_device() || kind.is_block_device() {
            "a device"
        } else {
            "not a regular file"
        };
        let rel = rel_path(path, root);
        self.unreadable.push((rel.clone(), format!("crawl: {rel} is {what}, not read")));
    }

    fn add_file(&mut self, path: &Path, root: &Path) -> Result<(), CrawlError> {
        let Some(format) = format_of(path) else {
            let ext = path
                .extension()
                .map(|e| e.to_string_lossy().to_ascii_lowercase())
                .unwrap_or_else(|| "(none)".to_string());
            *self.skipped.entry(ext).or_insert(0) += 1;
            return Ok(());
        };
        let rel = rel_path(path, root);
        if !(self.keep)(&rel) {
            return Ok(());
        }
        self.n_files += 1;
        let key = (rel, path.display().to_string(), path.as_os_str().as_bytes().to_vec());
        Ok(self.files.push(key, format)?)
    }
}

fn rel_path(path: &Path, root: &Path) -> String {
    let rel = path.strip_prefix(root).unwrap_or(path);
    let parts: Vec<String> = rel.components().map(|c| escape_name(c.as_os_str())).collect();
    parts.join("/")
}

/// A file name as text. Bytes that are not UTF-8 become `\xNN`, not U+FFFD, so two such
/// names stay apart in `source_path` and the original bytes can be recovered.
pub fn escape_name(name: &std::ffi::OsStr) -> String {
    let mut out = String::new();
    for chunk in name.as_bytes().utf8_chunks() {
        out.push_str(chunk.valid());
        for b in chunk.invalid() {
            out.push_str(&format!("\\x{b:02X}"));
        }
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn classifies_extensions_case_insensitively() {
        assert_eq!(format_of(Path::new("a/B.HTM")), Some(SourceFormat::Html));
        assert_eq!(format_of(Path::new("x.shtml")), Some(SourceFormat::Html));
        assert_eq!(format_of(Path::new("x.md")), Some(SourceFormat::Text));
        assert_eq!(format_of(Path::new("x.pdf")), None);
        assert_eq!(format_of(Path::new("README")), None);
    }

    #[test]
    fn non_utf8_names_are_escaped_not_replaced() {
        use std::os::unix::ffi::OsStrExt;
        let a = escape_name(std::ffi::OsStr::from_bytes(b"r\xff\xfe.txt"));
        let b = escape_name(std::ffi::OsStr::from_bytes(b"r\xfe\xff.txt"));
        assert_eq!(a, "r\\xFF\\xFE.txt");
        assert_ne!(a, b);
        assert_eq!(escape_name(std::ffi::OsStr::new("报告.html")), "报告.html");
    }

    #[test]
    fn fifos_and_loops_are_reported_not_read() {
        let dir = std::env::temp_dir().join(format!("xxgk-crawl-special-{}", std::process::id()));
        let _ = std::fs::remove_dir_all(&dir);
        std::fs::create_dir_all(dir.join("sub")).unwrap();
        assert!(std::process::Command::new("mkfifo").arg(dir.join("pipe.html")).status().unwrap().success());
        std::os::unix::fs::symlink("..", dir.join("sub/up")).unwrap();
        std::os::unix::fs::symlink("self.html", dir.join("self.html")).unwrap();
        let (files, c) = crawl_all(std::slice::from_ref(&dir)).unwrap();
        assert!(files.is_empty(), "{files:?}");
        let why = |p: &str| c.unreadable.iter().find(|(q, _)| q == p).map(|(_, w)| w.clone()).unwrap_or_default();
        assert_eq!(why("pipe.html"), "crawl: pipe.html is a FIFO, not read");
        assert!(why("sub/up").contains("File system loop found"), "{:?}", c.unreadable);
        assert!(why("self.html").contains("Too many levels of symbolic links"), "{:?}", c.unreadable);
        std::fs::remove_dir_all(&dir).unwrap();
    }

    #[test]
    fn walks_sorted_and_counts_skipped() {
        let dir = std::env::temp_dir().join(format!("xxgk-crawl-{}", std::process::id()));
        std::fs::create_dir_all(dir.join("sub")).unwrap();
        for name in ["b.txt", "a.html", "sub/c.md", "d.pdf", "e"] {
            std::fs::write(dir.join(name), "x").unwrap();
        }
        let (files, c) = crawl_all(std::slice::from_ref(&dir)).unwrap();
        let names: Vec<&str> = files.iter().map(|f| f.rel_path.as_str()).collect();
        assert_eq!(names, ["a.html", "b.txt", "sub/c.md"]);
        assert_eq!(c.skipped.get("pdf"), Some(&1));
        assert_eq!(c.skipped.get("(none)"), Some(&1));
        std::fs::remove_dir_all(&dir).unwrap();
    }

    #[test]
    fn spilled_in_runs_the_list_is_in_relative_path_order_across_roots_and_kept_by_the_filter() {
        let base = std::env::temp_dir().join(format!("xxgk-crawl-spill-{}", std::process::id()));
        let _ = std::fs::remove_dir_all(&base);
        // "a-b" sorts before "a/x" as text ('-' < '/') though walkdir visits "a" first.
        let names = ["a/x.txt", "a-b.txt", "b.html", "a/y/z.md", "c.pdf", "k1.txt", "k2.txt"];
        for root in ["r1", "r2"] {
            for name in names {
                let path = base.join(root).join(name);
                std::fs::create_dir_all(path.parent().unwrap()).unwrap();
                std::fs::write(path, "x").unwrap();
            }
        }
        let roots = [base.join("r2"), base.join("r1")];
        let spill = Spill::to_dir(&base.join("spill"), 1);
        let found = crawl(&roots, &spill, &|rel: &str| rel != "k2.txt").unwrap();
        assert!(std::fs::read_dir(base.join("spill/crawl")).unwrap().count() >= 3, "the sort ran on disk");
        assert_eq!(found.n_files, 10);
        assert_eq!(found.skipped.get("pdf"), Some(&2), "skipped files are counted whatever the filter");
        let root_of = |f: &SourceFile| {
            f.path.strip_prefix(&base).unwrap().components().next().unwrap().as_os_str().to_string_lossy().into_owned()
        };
        let got: Vec<String> = found
            .files
            .map(|f| f.map(|f| format!("{}:{}", root_of(&f), f.rel_path)))
            .collect::<Result<_, _>>()
            .unwrap();
        // Two copies of a relative path come in path order: r1 before r2 whatever the roots' order.
        let want: Vec<String> = ["a-b.txt", "a/x.txt", "a/y/z.md", "b.html", "k1.txt"]
            .iter()
            .flat_map(|rel| ["r1", "r2"].map(|root| format!("{root}:{rel}")))
            .collect();
        assert_eq!(got, want);
        let (files, _) = crawl_all(&roots).unwrap();
        assert_eq!(files.len(), 12, "in memory, unfiltered");
        std::fs::remove_dir_all(&base).unwrap();
    }
}
