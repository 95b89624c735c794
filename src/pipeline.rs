//! `xxgk build` and `xxgk merge`: crawl → process documents in parallel (rayon, or from the
//! cache) → write datasets (or a shard). Documents go through in sorted batches; each batch is
//! collected in order and written before the next starts, so memory stays bounded and two
//! runs write the same rows in the same order, whatever the thread count or sharding.

use crate::cache::Cache;
use crate::shard::{check_set, Order, Shard, ShardReader, ShardWriter};
use crate::write::DatasetWriter;
use anyhow::Context;
use rayon::prelude::*;
use std::collections::BTreeMap;
use std::io::IsTerminal;
use std::path::PathBuf;
use std::sync::atomic::Ordering;
use std::time::Instant;
use xxgk_core::compare::{Crosswalk, Measured, PanelBuilder, PanelInput, Spill};
use xxgk_core::config::Config;
use xxgk_core::crawl::{crawl, Crawl};
use xxgk_core::model::{Report, SourceFile, SourceFormat, StageTimes, Status};
use xxgk_core::process::{process_bytes, process_file, report_id, Engine};

/// Documents per batch: large enough to keep every core busy, small enough to bound memory.
/// Also the row-group size of the datasets, so a merge must batch the same way.
const BATCH: usize = 512;
/// Reports' panel inputs held per sorted run of the compare stage (~0.6 KB each; smaller
/// items get proportionally more): what it holds at most, whatever the corpus size.
const SPILL_BUDGET: usize = 8192;

pub struct BuildOptions {
    pub inputs: Vec<PathBuf>,
    pub out: PathBuf,
    pub jobs: Option<usize>,
    pub config_dir: Option<PathBuf>,
    pub cache: Option<PathBuf>,
    pub shard: Option<Shard>,
}

/// What a build did, for the exit code and the closing lines.
#[derive(Debug, Default)]
pub struct Summary {
    pub documents: u64,
    pub by_status: BTreeMap<String, u64>,
    pub failed_checks: u64,
    pub facts: u64,
    pub panel_rows: u64,
    pub duplicates: u64,
    pub continuity_checks: u64,
    pub continuity_failed: u64,
    pub cache_hits: u64,
    pub cache_misses: u64,
}

impl Summary {
    fn add(&mut self, r: &Report) {
        self.documents += 1;
        *self.by_status.entry(r.status.as_str().to_string()).or_default() += 1;
        self.failed_checks += u64::from(r.n_failed_checks());
        self.facts += r.facts.len() as u64;
    }

    /// Every document ok and every identity holding (continuity is reported, not enforced).
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

pub fn load_crosswalk(dir: Option<&PathBuf>) -> anyhow::Result<Crosswalk> {
    match dir {
        Some(d) => Crosswalk::from_dir(d).with_context(|| format!("loading panel.toml from {}", d.display())),
        None => Crosswalk::embedded().context("loading the embedded panel.toml"),
    }
}

/// Datasets from reports arriving in corpus order: the dataset writer plus what the compare
/// stage needs of each report.
struct Collector {
    writer: DatasetWriter,
    crosswalk: Crosswalk,
    panel: PanelBuilder,
    summary: Summary,
    times: StageTimes,
}

impl Collector {
    fn new(out: &std::path::Path, crosswalk: Crosswalk) -> anyhow::Result<Collector> {
        let writer = DatasetWriter::create(out).context("preparing the output directory")?;
        let spill = Spill::to_dir(&writer.spill_dir(), SPILL_BUDGET);
        let panel = PanelBuilder::new(&crosswalk, spill).context("starting the compare stage")?;
        Ok(Collector { writer, crosswalk, panel, summary: Summary::default(), times: StageTimes::default() })
    }

    /// `measured`: the compare stage's summaries of the batch where the workers made them
    /// (or the cache had them); a merge summarises here, while the batch is written.
    fn push(&mut self, batch: &[Report], measured: Option<Vec<Measured>>) -> anyhow::Result<()> {
        for r in batch {
            report_problem(r);
            self.summary.add(r);
            self.times.add(&r.timings);
        }
        let (cw, writer) = (&self.crosswalk, &mut self.writer);
        let (measured, written) = match measured {
            Some(m) => (m, writer.write_batch(batch)),
            None => rayon::join(
                || batch.par_iter().map(|r| cw.summarise(r)).collect::<Vec<_>>(),
                || writer.write_batch(batch),
            ),
        };
        for (r, m) in batch.iter().zip(measured) {
            self.panel.push(PanelInput::new(r, m)).context("compare stage")?;
        }
        written.context("writing datasets")
    }

    fn finish(mut self, run: impl FnOnce(&Summary, &StageTimes) -> serde_json::Value) -> anyhow::Result<Summary> {
        let panel = self.panel.finish().context("compare stage")?;
        let (s, c) = (&mut self.summary, &panel.counts);
        (s.panel_rows, s.duplicates, s.continuity_checks, s.continuity_failed) =
            (c.rows, c.duplicates, c.continuity, c.continuity_failed);
        let run_json = run(&self.summary, &self.times);
        self.writer.finish(&run_json, panel).context("finishing the output directory")?;
        Ok(self.summary)
    }
}

pub fn build(opts: &BuildOptions) -> anyhow::Result<Summary> {
    let started = Instant::now();
    let engine = Engine::new(load_config(opts.config_dir.as_ref())?);
    let crosswalk = load_crosswalk(opts.config_dir.as_ref())?;
    let pool = rayon::ThreadPoolBuilder::new()
        .num_threads(opts.jobs.unwrap_or(0))
        .build()
        .context("starting worker threads")?;
    let sink = match opts.shard {
        Some(shard) => {
            Sink::Shard(ShardWriter::create(&opts.out, shard, &engine.extraction_version())?, Summary::default())
        }
        None => Sink::Datasets(Collector::new(&opts.out, crosswalk.clone())?),
    };
    let spill = Spill::to_dir(&sink.spill_dir(), SPILL_BUDGET);
    let found =
        crawl(&opts.inputs, &spill, &|rel| opts.shard.is_none_or(|s| s.owns(rel))).context("crawling inputs")?;
    eprintln!(
        "xxgk: {} documents to process, {} other files skipped",
        found.n_files,
        found.skipped.values().sum::<u64>()
    );
    let cache = match &opts.cache {
        Some(dir) => Some(Cache::open(dir, &cache_version(&engine, &crosswalk)).context("opening the cache")?),
        None => None,
    };
    let progress = Progress::new(found.n_files);
    // Batch k is written on its own thread while batch k+1 is processed: writing is serial,
    // and without the overlap every worker would wait for it.
    let (tx, rx) = std::sync::mpsc::sync_channel::<(Vec<Order>, Vec<Report>, Vec<Measured>)>(1);
    let Crawl { mut files, skipped, unreadable, .. } = found;
    let sink = std::thread::scope(|scope| -> anyhow::Result<Sink> {
        let writer = scope.spawn(move || -> anyhow::Result<Sink> {
            let mut sink = sink;
            for (orders, reports, measured) in rx {
                sink.push(orders, &reports, measured)?;
            }
            Ok(sink)
        });
        loop {
            let chunk: Vec<SourceFile> =
                files.by_ref().take(BATCH).collect::<Result<_, _>>().context("crawling inputs")?;
            if chunk.is_empty() {
                break;
            }
            let (reports, measured): (Vec<Report>, Vec<Measured>) =
                pool.install(|| chunk.par_iter().map(|f| obtain(f, &engine, &crosswalk, cache.as_ref())).unzip());
            let n = reports.len() as u64;
            let orders = chunk.iter().map(|f| Order { unreadable: false, key: f.rel_path.clone(), tie: path_text(f) });
            if tx.send((orders.collect(), reports, measured)).is_err() {
                break; // the writer failed; its error is returned below
            }
            progress.inc(n);
        }
        let orders = unreadable.iter().map(|(p, why)| Order { unreadable: true, key: p.clone(), tie: why.clone() });
        let reports: Vec<Report> = unreadable.iter().map(|(path, why)| unreadable_report(path, why)).collect();
        let measured = reports.iter().map(|r| crosswalk.summarise(r)).collect();
        let _ = tx.send((orders.collect(), reports, measured));
        drop(tx);
        writer.join().map_err(|_| anyhow::anyhow!("the dataset writer thread panicked"))?
    })?;
    progress.finish();
    let (hits, misses) = cache.map_or((0, 0), |c| (c.hits.load(Ordering::Relaxed), c.misses.load(Ordering::Relaxed)));
    let run = |s: &Summary, t: &StageTimes| {
        let mut v = run_json(opts, &engine, &skipped, s, t, started);
        v["cache"] = serde_json::json!({ "dir": opts.cache, "hits": hits, "misses": misses });
        v["shard"] = serde_json::json!(opts.shard.map(|s| format!("{}/{}", s.index, s.count)));
        v
    };
    let mut summary = sink.finish(run)?;
    (summary.cache_hits, summary.cache_misses) = (hits, misses);
    Ok(summary)
}

#[allow(clippy::large_enum_variant)] // one per run
enum Sink {
    Datasets(Collector),
    Shard(ShardWriter, Summary),
}

impl Sink {
    /// Inside the output's temporary directory: removed with it, and on its file system.
    fn spill_dir(&self) -> PathBuf {
        match self {
            Sink::Datasets(c) => c.writer.spill_dir(),
            Sink::Shard(w, _) => w.spill_dir(),
        }
    }

    fn push(&mut self, orders: Vec<Order>, batch: &[Report], measured: Vec<Measured>) -> anyhow::Result<()> {
        match self {
            Sink::Datasets(c) => c.push(batch, Some(measured)),
            Sink::Shard(w, summary) => {
                for (order, r) in orders.into_iter().zip(batch) {
                    report_problem(r);
                    summary.add(r);
                    w.push(order, r).context("writing the shard")?;
                }
                Ok(())
            }
        }
    }

    fn finish(self, run: impl FnOnce(&Summary, &StageTimes) -> serde_json::Value) -> anyhow::Result<Summary> {
        match self {
            Sink::Datasets(c) => c.finish(run),
            Sink::Shard(w, summary) => {
                w.finish(&run(&summary, &StageTimes::default())).context("finishing the shard")?;
                Ok(summary)
            }
        }
    }
}

fn path_text(f: &SourceFile) -> String {
    f.path.display().to_string()
}

/// The cache's version: the extraction's and the crosswalk's, since entries hold both the
/// report and its compare-stage summary.
fn cache_version(engine: &Engine, crosswalk: &Crosswalk) -> String {
    format!("{}+panel-{}", engine.extraction_version(), crosswalk.fingerprint)
}

/// A document's report and its compare-stage summary (made here, on the workers, rather than
/// on the writer's side): from the cache when its bytes and the extraction are unchanged.
fn obtain(file: &SourceFile, engine: &Engine, crosswalk: &Crosswalk, cache: Option<&Cache>) -> (Report, Measured) {
    let fresh = || {
        let r = process_file(file, engine);
        let m = crosswalk.summarise(&r);
        (r, m)
    };
    let Some(cache) = cache else { return fresh() };
    let small = std::fs::metadata(&file.path).is_ok_and(|m| m.len() <= engine.config.limits.max_file_bytes);
    let t0 = Instant::now();
    let bytes = match small.then(|| std::fs::read(&file.path)) {
        Some(Ok(b)) => b,
        // process_file gives unreadable and oversized files their specific error rows.
        _ => return fresh(),
    };
    let read = t0.elapsed().as_nanos() as u64;
    let key = Cache::key(&bytes, file);
    if let Some(hit) = cache.get(&key, file) {
        return hit;
    }
    let mut r = process_bytes(file, &bytes, engine);
    r.timings.read = read;
    let m = crosswalk.summarise(&r);
    cache.put(&key, &r, &m);
    (r, m)
}

/// `xxgk merge`: shard outputs → the datasets a single run would have written.
pub fn merge(shards: &[PathBuf], out: &std::path::Path, config_dir: Option<&PathBuf>) -> anyhow::Result<Summary> {
    let started = Instant::now();
    let mut readers: Vec<ShardReader> = shards
        .iter()
        .map(|d| ShardReader::open(d).with_context(|| format!("opening shard {}", d.display())))
        .collect::<anyhow::Result<_>>()?;
    check_set(&readers.iter().map(|r| r.meta.clone()).collect::<Vec<_>>())?;
    let mut collector = Collector::new(out, load_crosswalk(config_dir)?)?;
    let mut heads: Vec<Option<(Order, Report)>> =
        readers.iter_mut().map(|r| r.next_record()).collect::<Result<_, _>>()?;
    // The single run writes files in batches of BATCH, then the unreadable entries as one
    // batch; row groups follow batches, so the merge batches the same way.
    let (mut files, mut unreadable) = (Vec::with_capacity(BATCH), Vec::new());
    while let Some(i) = next_head(&heads) {
        let (order, report) = std::mem::replace(&mut heads[i], readers[i].next_record()?).expect("chosen as some");
        if order.unreadable {
            unreadable.push(report);
            continue;
        }
        files.push(report);
        if files.len() == BATCH {
            collector.push(&std::mem::take(&mut files), None)?;
        }
    }
    if !files.is_empty() {
        collector.push(&files, None)?;
    }
    collector.push(&unreadable, None)?;
    let version = readers[0].meta.extraction_version.clone();
    let shard_names: Vec<String> = shards.iter().map(|p| p.display().to_string()).collect();
    collector.finish(|s, _| {
        serde_json::json!({
            "version": env!("CARGO_PKG_VERSION"),
            "extraction_version": version,
            "merged_from": shard_names,
            "counts": counts_json(s, &BTreeMap::new()),
            "timings_ms": { "total_wall": started.elapsed().as_secs_f64() * 1e3 },
        })
    })
}

/// The shard whose next record comes first in the single run's order.
fn next_head(heads: &[Option<(Order, Report)>]) -> Option<usize> {
    heads.iter().enumerate().filter_map(|(i, h)| h.as_ref().map(|(o, _)| (o, i))).min().map(|(_, i)| i)
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

fn counts_json(s: &Summary, skipped: &BTreeMap<String, u64>) -> serde_json::Value {
    serde_json::json!({ "documents": s.documents, "by_status": s.by_status, "facts": s.facts,
                        "failed_checks": s.failed_checks, "skipped_by_extension": skipped,
                        "panel_rows": s.panel_rows, "duplicates": s.duplicates,
                        "continuity_checks": s.continuity_checks, "continuity_failed": s.continuity_failed })
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
        "extraction_version": engine.extraction_version(),
        "config": { "source": opts.config_dir.as_ref().map_or("embedded".to_string(), |d| d.display().to_string()),
                    "fingerprint": engine.config.fingerprint },
        "inputs": opts.inputs.iter().map(|p| p.display().to_string()).collect::<Vec<_>>(),
        "jobs": opts.jobs,
        "counts": counts_json(s, skipped),
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

#[cfg(test)]
mod tests {
    use super::*;

    /// Entries hold the compare stage's summary, so an edited panel.toml must not hit them.
    #[test]
    fn the_cache_version_follows_panel_toml() {
        let engine = Engine::new(Config::embedded().unwrap());
        let embedded = include_str!("../config/panel.toml");
        let edited = format!("{embedded}\n# an edit\n");
        let a = cache_version(&engine, &Crosswalk::from_text(embedded).unwrap());
        let b = cache_version(&engine, &Crosswalk::from_text(&edited).unwrap());
        assert_ne!(a, b);
        assert!(a.starts_with(&engine.extraction_version()));
    }
}
