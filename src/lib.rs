//! xxgk: the batch pipeline and its outputs. The stages without Parquet live in `xxgk-core`;
//! this crate joins them (`pipeline`), writes the datasets (`write`, the only Parquet code),
//! presents single documents (`inspect`) and draws a build's datasets as a page (`summary`).
pub mod cache;
pub mod inspect;
pub mod pipeline;
pub mod shard;
pub mod summary;
pub mod write;
