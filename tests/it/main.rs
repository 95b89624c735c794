//! The integration tests, in one binary: each test binary links polars statically (~100 MB
//! in a debug build), so one binary per file filled about 1 GB of a CI disk and linked ten
//! times. Run one file's tests with `cargo test --test it panel::`. tests/hostile.rs and
//! tests/kill.rs stay apart: they depend on time budgets and kill points, which other tests
//! running beside them would shift.

mod common;
mod corruption;
mod determinism;
mod incremental;
mod panel;
mod sample_corpus;
mod summary;
mod synth_corpus;
