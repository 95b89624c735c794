//! Fuzz target bodies. They live in the library, not in `fuzz/`, so that the cargo-fuzz
//! binaries (nightly flags) and the `make test` smoke (`tests/props.rs`, stable) run the very
//! same code: a crash input found by the fuzzer replays as a plain `cargo test` regression.
//!
//! Each body panics only when an invariant breaks; "no panic on any input" is the property.

use crate::budget::Deadline;
use crate::config::Config;
use crate::extract::numbers::{parse_cell, parse_number, CellValue};
use crate::model::{SourceFile, SourceFormat, Status};
use crate::parse::parser_for;
use crate::process::{process_bytes, Engine};
use std::path::PathBuf;
use std::sync::OnceLock;

/// The names `fuzz/fuzz_targets/*.rs` and the smoke test use.
pub const TARGETS: [&str; 5] = ["decode", "html", "text", "numbers", "extract"];

/// Runs one target by name (for the smoke test's loop); false for an unknown name.
pub fn run(target: &str, data: &[u8]) -> bool {
    match target {
        "decode" => decode(data),
        "html" => html(data),
        "text" => text(data),
        "numbers" => numbers(data),
        "extract" => extract(data),
        _ => return false,
    }
    true
}

/// One engine per process: building the matchers per input would dominate every execution.
fn engine() -> &'static Engine {
    static ENGINE: OnceLock<Engine> = OnceLock::new();
    ENGINE.get_or_init(|| Engine::new(Config::embedded().expect("embedded config is valid")))
}

/// Bytes → text; the first byte's low bit turns on the HTML `<meta charset>` look-up (one
/// decode per execution: charset detection dominates the cost).
pub fn decode(data: &[u8]) {
    let is_html = data.first().is_some_and(|b| b & 1 == 1);
    if let Ok(d) = crate::decode::decode(data, is_html) {
        assert!(!d.encoding.is_empty(), "a decoded document names its encoding");
    }
}

/// Arbitrary markup through the HTML layout parser.
pub fn html(data: &[u8]) {
    parse_as(SourceFormat::Html, data);
}

/// Arbitrary text through the plain-text layout parser.
pub fn text(data: &[u8]) {
    parse_as(SourceFormat::Text, data);
}

fn parse_as(format: SourceFormat, data: &[u8]) {
    let text = String::from_utf8_lossy(data);
    let limits = &engine().config.limits;
    if let Ok(layout) = parser_for(format).parse(&text, limits, &Deadline::none()) {
        // Extraction indexes cells by u16 and lines by u32; the limits keep both in range.
        assert!(layout.lines.len() <= limits.max_lines);
    }
}

/// Cell values: the parsed number is finite and survives being printed and parsed again.
pub fn numbers(data: &[u8]) {
    let text = String::from_utf8_lossy(data);
    let placeholders = &engine().config.normalise.cells.placeholders;
    for cell in text.split(['|', '\n']) {
        let parsed = parse_number(cell);
        if let Some(n) = parsed {
            assert!(n.value.is_finite(), "{cell:?} parsed to {}", n.value);
            let again = parse_number(&n.value.to_string()).map(|m| m.value);
            assert_eq!(again, Some(n.value), "{cell:?}: {} does not round-trip", n.value);
        }
        match parse_cell(cell, placeholders) {
            CellValue::Number(n) => assert_eq!(Some(n), parsed, "{cell:?}: cell and number disagree"),
            CellValue::Placeholder | CellValue::NotANumber => {}
        }
    }
}

/// The whole per-document pipeline (decode → parse → extract → issuer → validate); the first
/// byte picks the declared format so both parsers feed extraction.
pub fn extract(data: &[u8]) {
    let Some((&first, body)) = data.split_first() else { return };
    let format = if first & 1 == 0 { SourceFormat::Text } else { SourceFormat::Html };
    let file = SourceFile { path: PathBuf::from("fuzz"), rel_path: "fuzz".to_string(), format };
    let report = process_bytes(&file, body, engine());
    let errored = report.status == Status::Error;
    assert!(!errored || report.status_detail.is_some(), "an error row says why");
    assert!(!errored || report.facts.is_empty(), "a failed document contributes no facts");
    for f in &report.facts {
        assert!(f.value.is_none_or(f64::is_finite), "fact {f:?} is not finite");
    }
}
