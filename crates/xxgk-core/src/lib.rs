//! xxgk-core: every stage of the pipeline that does not need Parquet.
//! Stages: crawl → decode → (normalize) → parse → extract → validate, joined per document in
//! `process`; `model` is the domain model they share. `spill` holds what the crawl and
//! compare stages would otherwise keep for the whole corpus in sorted runs on disk.
pub mod budget;
pub mod compare;
pub mod config;
pub mod crawl;
pub mod decode;
pub mod extract;
pub mod fuzz;
pub mod issuer;
pub mod model;
pub mod normalize;
pub mod parse;
pub mod process;
pub mod spill;
pub mod validate;
