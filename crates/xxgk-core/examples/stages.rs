//! Per-stage cost of the document pipeline without Parquet, on one thread: the target for
//! profilers (`valgrind --tool=callgrind`, `perf`) and a quick throughput reading that does not
//! need the polars build. `make profile-core DIR=…` runs it under callgrind.
//!
//!   cargo run --release -p xxgk-core --example stages -- DIR [--repeat K] [--format html|text]

use std::time::Instant;
use xxgk_core::config::Config;
use xxgk_core::crawl::crawl_all;
use xxgk_core::model::{SourceFormat, StageTimes};
use xxgk_core::process::{process_bytes, Engine};

fn main() -> Result<(), Box<dyn std::error::Error>> {
    let mut args = std::env::args().skip(1);
    let dir = args.next().ok_or("usage: stages DIR [--repeat K] [--format html|text]")?;
    let (mut repeat, mut only) = (1usize, None);
    while let Some(a) = args.next() {
        match a.as_str() {
            "--repeat" => repeat = args.next().ok_or("--repeat K")?.parse()?,
            "--format" => {
                only = Some(match args.next().as_deref() {
                    Some("html") => SourceFormat::Html,
                    Some("text") => SourceFormat::Text,
                    other => return Err(format!("--format html|text, not {other:?}").into()),
                })
            }
            other => return Err(format!("unknown argument {other}").into()),
        }
    }
    let engine = Engine::new(Config::embedded()?);
    let files: Vec<_> =
        crawl_all(&[dir.into()])?.0.into_iter().filter(|f| only.is_none_or(|o| f.format == o)).collect();
    // Read once, so the figures are the stages' own and not the disk's.
    let inputs: Vec<_> = files.iter().map(|f| std::fs::read(&f.path).map(|b| (f, b))).collect::<Result<_, _>>()?;
    let bytes: usize = inputs.iter().map(|(_, b)| b.len()).sum::<usize>() * repeat;
    let (mut times, mut facts) = (StageTimes::default(), 0usize);
    let t0 = Instant::now();
    for _ in 0..repeat {
        for (file, b) in &inputs {
            let r = process_bytes(file, b, &engine);
            times.add(&r.timings);
            facts += r.facts.len();
        }
    }
    let wall = t0.elapsed().as_secs_f64();
    let docs = inputs.len() * repeat;
    println!("{docs} documents, {:.1} MB, {facts} facts in {wall:.2} s", bytes as f64 / 1e6);
    println!("end to end: {:.2} MB/s, {:.0} documents/s", bytes as f64 / 1e6 / wall, docs as f64 / wall);
    let mb = bytes as f64 / 1e6;
    for (stage, ns) in
        [("decode", times.decode), ("parse", times.parse), ("extract", times.extract), ("validate", times.validate)]
    {
        let s = ns as f64 / 1e9;
        println!("  {stage:<9} {s:>7.2} s  {:>8.2} MB/s", if s > 0.0 { mb / s } else { f64::INFINITY });
    }
    Ok(())
}
