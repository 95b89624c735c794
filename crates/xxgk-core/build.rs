//! Hashes the extraction code and reference data into `XXGK_CODE_HASH`, so a cache keyed by
//! the extraction version is invalidated by any change to how documents are read.

use std::path::{Path, PathBuf};

fn files(dir: &Path, out: &mut Vec<PathBuf>) {
    let Ok(entries) = std::fs::read_dir(dir) else { return };
    for e in entries.flatten() {
        let p = e.path();
        if p.is_dir() {
            files(&p, out);
        } else {
            out.push(p);
        }
    }
}

fn main() {
    let mut paths = Vec::new();
    for dir in ["src", "../../data"] {
        println!("cargo:rerun-if-changed={dir}");
        files(Path::new(dir), &mut paths);
    }
    paths.retain(|p| p.extension().is_some_and(|e| e == "rs" || e == "csv"));
    paths.sort();
    let mut hasher = blake3::Hasher::new();
    for p in &paths {
        hasher.update(p.to_string_lossy().as_bytes());
        hasher.update(&std::fs::read(p).unwrap_or_default());
    }
    println!("cargo:rustc-env=XXGK_CODE_HASH={}", &hasher.finalize().to_hex()[..16]);
}
