//! `xxgk build`: crawl → process documents in parallel (rayon) → write datasets. Documents
//! go through in sorted batches; each batch is collected in order and written before the next
//! starts, so memory stays bounded and two runs write the same rows in the same order.

use crate::write::DatasetWriter;
use anyhow::Context;
use rayon::prelude::*;
use std::collections::BTreeMap;
use std::io::IsTerminal;
use std::path::PathBuf;
use std::time::Instant;
use xxgk_core::config::Config;
use xxgk_core::crawl::crawl;
use xxgk_core::model::{Report, SourceFile, SourceFormat, StageTimes, Status};
use xxgk_core::process::{process_file, report_id, Engine};

/// Documents per batch: large enough to keep every core busy, small enough to bound memory.
const BATCH: usize = 512;

pub struct BuildOptions {
    pub inputs: Vec<PathBuf>,
    pub out: PathBuf,
    pub jobs: Option<usize>,
    pub config_dir: Option<PathBuf>,
}

/// What a build did, for the exit code and the closing lines.
#[derive(Debug, Default)]
pub struct Summary {
    pub documents: u64,
    pub by_status: BTreeMap<String, u64>,
    pub failed_checks: u64,
    pub facts: u64,
}

impl Summary {
    fn add(&mut self, r: &Report) {
        self.documents += 1;
        *self.by_status.entry(r.status.as_str().to_string()).or_default() += 1;
        self.failed_checks += u64::from(r.n_failed_checks());
        self.facts += r.facts.len() as u64;
    }

    /// Every document ok and every identity holding.
    pub fn clean(&self) -> bool {
        self.failed_checks == 0 && self.by_status.keys().all(|s| s == "ok")
    }
}

pub fn load_config(dir: Option<&PathBuf>) -> anyhow::Result<Config> {
    match dir {
        Some(d) => Config::from_dir(d).with_context(|| format!("loading config from {}", d.display())),
        None => Config::embedded().context("loading the embedded config"),
    }
}

pub fn build(opts: &BuildOptions) -> anyhow::Result<Summary> {
    let started = Instant::now();
    let engine = Engine::new(load_config(opts.config_dir.as_ref())?);
    let pool = rayon::ThreadPoolBuilder::new()
        .num_threads(opts.jobs.unwrap_or(0))
        .build()
        .context("starting worker threads")?;
    let found = crawl(&opts.inputs).context("crawling inputs")?;
    eprintln!(
        "xxgk: {} documents to process, {} other files skipped",
        found.files.len(),
        found.skipped.values().sum::<u64>()
    );
    let mut writer = DatasetWriter::create(&opts.out).context("preparing the output directory")?;
    let progress = Progress::new(found.files.len() as u64);
    let mut summary = Summary::default();
    let mut times = StageTimes::default();
    for chunk in found.files.chunks(BATCH) {
        let reports: Vec<Report> = pool.install(|| chunk.par_iter().map(|f| process_file(f, &engine)).collect());
        for r in &reports {
            report_problem(r);
            summary.add(r);
            times.add(&r.timings);
        }
        writer.write_batch(&reports).context("writing datasets")?;
        progress.inc(reports.len() as u64);
    }
    let unreadable: Vec<Report> = found.unreadable.iter().map(|(path, why)| unreadable_report(path, why)).collect();
    for r in &unreadable {
        report_problem(r);
        summary.add(r);
    }
    writer.write_batch(&unreadable).context("writing datasets")?;
    progress.finish();
    let run = run_json(opts, &engine, &found.skipped, &summary, &times, started);
    writer.finish(&run).context("finishing the output directory")?;
    Ok(summary)
}

/// A crawl entry that could not be read still gets a reports row.
fn unreadable_report(path: &str, why: &str) -> Report {
    let file = SourceFile { path: PathBuf::from(path), rel_path: path.to_string(), format: SourceFormat::Text };
    Report::failed(&file, report_id(path.as_bytes()), 0, why.to_string())
}

fn report_problem(r: &Report) {
    if r.status == Status::Error {
        eprintln!("xxgk: {}: {}", r.source_path, r.status_detail.as_deref().unwrap_or("error"));
    }
}

fn run_json(
    opts: &BuildOptions,
    engine: &Engine,
    skipped: &BTreeMap<String, u64>,
    s: &Summary,
    t: &StageTimes,
    started: Instant,
) -> serde_json::Value {
    let ms = |ns: u64| ns as f64 / 1e6;
    serde_json::json!({
        "version": env!("CARGO_PKG_VERSION"),
        "extraction_version": format!("{}+{}", env!("CARGO_PKG_VERSION"), engine.config.fingerprint),
        "config": { "source": opts.config_dir.as_ref().map_or("embedded".to_string(), |d| d.display().to_string()),
                    "fingerprint": engine.config.fingerprint },
        "inputs": opts.inputs.iter().map(|p| p.display().to_string()).collect::<Vec<_>>(),
        "jobs": opts.jobs,
        "counts": { "documents": s.documents, "by_status": s.by_status, "facts": s.facts,
                    "failed_checks": s.failed_checks, "skipped_by_extension": skipped },
        "timings_ms": { "total_wall": started.elapsed().as_secs_f64() * 1e3,
                        "read_cpu": ms(t.read), "decode_cpu": ms(t.decode), "parse_cpu": ms(t.parse),
                        "extract_cpu": ms(t.extract), "validate_cpu": ms(t.validate) },
    })
}

/// An indicatif bar on a terminal; plain lines every few thousand documents otherwise.
struct Progress {
    bar: Option<indicatif::ProgressBar>,
    total: u64,
    done: std::cell::Cell<u64>,
}

impl Progress {
    fn new(total: u64) -> Progress {
        let bar = std::io::stderr().is_terminal().then(|| {
            let bar = indicatif::ProgressBar::new(total);
            bar.set_style(
                indicatif::ProgressStyle::with_template(
                    "{elapsed_precise} [{bar:40}] {pos}/{len} docs ({per_sec}, eta {eta})",
                )
                .expect("static template"),
            );
            bar
        });
        Progress { bar, total, done: std::cell::Cell::new(0) }
    }

    fn inc(&self, n: u64) {
        let before = self.done.get();
        self.done.set(before + n);
        match &self.bar {
            Some(b) => b.inc(n),
            None if (before + n) / 5000 > before / 5000 => eprintln!("xxgk: {}/{} documents", before + n, self.total),
            None => {}
        }
    }

    fn finish(&self) {
        if let Some(b) = &self.bar {
            b.finish_and_clear();
        }
    }
}
