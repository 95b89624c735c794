//! xxgk-core: every stage of the pipeline that does not need Parquet.
//! Stages: crawl → decode → (normalize) → parse → extract → validate; `model` is shared by all.
pub mod config;
pub mod crawl;
pub mod decode;
pub mod issuer;
pub mod model;
pub mod normalize;
pub mod parse;
