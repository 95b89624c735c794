//! xxgk-core: every stage of the pipeline that does not need Parquet.
//! Stages: crawl → decode → (normalize) → parse → extract → validate, joined per document in
//! `process`; `model` is the domain model they share.
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
pub mod validate;
