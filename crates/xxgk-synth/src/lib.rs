//! Synthetic corpus of 政府信息公开工作年度报告 for developing and testing the
//! xxgk pipeline: documents in every layout, encoding and template seen in
//! the wild, each with the expected JSON the scorer reads.
//!
//! Deterministic: document `i` depends only on `(seed, i)`.

mod assemble;
mod build;
mod build_app;
mod build_legacy;
pub mod checks;
mod corrupt;
mod doc;
pub mod encode;
mod expected;
mod flatten;
mod furniture;
mod generate;
mod grid;
pub mod issuers;
mod labels;
mod legacy;
pub mod model;
mod narrative;
mod numbers;
mod pager;
mod print;
mod render_html;
mod render_ocr;
mod render_pdf;
mod render_text;
mod rng;
pub mod series;
pub mod spec;
pub mod variants;

pub use generate::{one, Generated, Options};

use std::io;
use std::path::Path;

/// Documents `0..n` of the corpus for `seed`.
pub fn generate(n: usize, seed: u64, opts: &Options) -> Vec<Generated> {
    (0..n).map(|i| one(seed, i, opts)).collect()
}

/// Writes the documents into `dir` and their expectations into
/// `dir/expected/<file>.json`; returns the file names in order.
pub fn write_corpus(dir: &Path, n: usize, seed: u64, opts: &Options) -> io::Result<Vec<String>> {
    let expected = dir.join("expected");
    std::fs::create_dir_all(&expected)?;
    let mut names = Vec::with_capacity(n);
    for i in 0..n {
        let g = one(seed, i, opts);
        std::fs::write(dir.join(&g.file_name), &g.bytes)?;
        let stem = Path::new(&g.file_name).file_stem().and_then(|s| s.to_str()).unwrap_or(&g.file_name).to_string();
        std::fs::write(expected.join(format!("{stem}.json")), g.expected_text.as_bytes())?;
        names.push(g.file_name);
    }
    Ok(names)
}
