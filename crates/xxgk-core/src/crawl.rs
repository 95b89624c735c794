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
            Ok(_) => {}
            Err(err) => {
                let path = err.path().map(|p| p.display().to_string()).unwrap_or_else(|| root.display().to_string());
                out.unreadable.push((path, format!("crawl: {err}")));
            }
        }
    }
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
    let parts: Vec<String> = rel.components().map(|c| c.as_os_str().to_string_lossy().into_owned()).collect();
    parts.join("/")
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
