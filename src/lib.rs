//! xxgk: the batch pipeline and its outputs. The stages without Parquet live in `xxgk-core`;
//! this crate joins them (`pipeline`), writes the datasets (`write`, the only Parquet code)
//! and presents single documents (`inspect`).
pub mod cache;
pub mod inspect;
pub mod pipeline;
pub mod shard;
pub mod write;
