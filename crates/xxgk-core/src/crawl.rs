//! Finds the documents under each INPUT root: walkdir, known extensions, sorted paths.
//! Everything else is counted, never silently dropped, so run.json can account for every file.

use crate::model::{SourceFile, SourceFormat};
use std::collections::BTreeMap;
use std::path::{Path, PathBuf};

#[derive(Debug, thiserror::Error)]
pub enum CrawlError {
    #[error("crawl: input {path} does not exist or cannot be read: {source}")]
    Input { path: PathBuf, source: std::io::Error },
}

/// What crawl found: documents to process and what it left aside.
#[derive(Debug, Default)]
pub struct Crawl {
    pub files: Vec<SourceFile>,
    /// Skipped files by extension (`(none)` for files without one).
    pub skipped: BTreeMap<String, u64>,
    /// Directory entries that could not be read (permission, loop, vanished), with the reason.
    pub unreadable: Vec<(String, String)>,
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

/// Walks every root; a root may also be a single file.
pub fn crawl(roots: &[PathBuf]) -> Result<Crawl, CrawlError> {
    let mut out = Crawl::default();
    for root in roots {
        let meta = std::fs::metadata(root).map_err(|e| CrawlError::Input { path: root.clone(), source: e })?;
        if meta.is_file() {
            add_file(&mut out, root, root.parent().unwrap_or(Path::new("")));
            continue;
        }
        walk_root(&mut out, root);
    }
    out.files.sort_by(|a, b| a.rel_path.cmp(&b.rel_path).then_with(|| a.path.cmp(&b.path)));
    out.unreadable.sort();
    Ok(out)
}

fn walk_root(out: &mut Crawl, root: &Path) {
    // follow_links: crawlers save mirrors as symlinks; walkdir detects loops and reports them as errors.
    for entry in walkdir::WalkDir::new(root).follow_links(true).sort_by_file_name() {
        match entry {
            Ok(e) if e.file_type().is_file() => add_file(out, e.path(), root),
            Ok(e) if e.file_type().is_dir() => {}
            Ok(e) => add_special(out, e.path(), root, e.file_type()),
            Err(err) => {
                let path = err.path().map_or_else(|| root.display().to_string(), |p| rel_path(p, root));
                out.unreadable.push((path, format!("crawl: {err}")));
            }
        }
    }
}

/// A FIFO, socket or device named like a report: reading it could block or never end, so it
/// is reported instead of read.
fn add_special(out: &mut Crawl, path: &Path, root: &Path, kind: std::fs::FileType) {
    if format_of(path).is_none() {
        *out.skipped.entry("(not a regular file)".to_string()).or_insert(0) += 1;
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
    out.unreadable.push((rel_path(path, root), format!("crawl: {} is {what}, not read", rel_path(path, root))));
}

fn add_file(out: &mut Crawl, path: &Path, root: &Path) {
    match format_of(path) {
        Some(format) => out.files.push(SourceFile { path: path.to_path_buf(), rel_path: rel_path(path, root), format }),
        None => {
            let ext = path
                .extension()
                .map(|e| e.to_string_lossy().to_ascii_lowercase())
                .unwrap_or_else(|| "(none)".to_string());
            *out.skipped.entry(ext).or_insert(0) += 1;
        }
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
    use std::os::unix::ffi::OsStrExt;
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
        let c = crawl(std::slice::from_ref(&dir)).unwrap();
        assert!(c.files.is_empty(), "{:?}", c.files);
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
        let c = crawl(std::slice::from_ref(&dir)).unwrap();
        let names: Vec<&str> = c.files.iter().map(|f| f.rel_path.as_str()).collect();
        assert_eq!(names, ["a.html", "b.txt", "sub/c.md"]);
        assert_eq!(c.skipped.get("pdf"), Some(&1));
        assert_eq!(c.skipped.get("(none)"), Some(&1));
        std::fs::remove_dir_all(&dir).unwrap();
    }
}
