//! The `xxgk` command: parses arguments, calls the library, maps the outcome to an exit code
//! (0 all ok, 1 some documents failed checks or extraction, 2 the run itself failed).

use clap::{Parser, Subcommand};

// Why jemalloc: Cargo.toml, beside the dependency.
#[cfg(not(target_env = "msvc"))]
#[global_allocator]
static GLOBAL: tikv_jemallocator::Jemalloc = tikv_jemallocator::Jemalloc;

use std::path::PathBuf;
use std::process::ExitCode;
use xxgk::pipeline::{build, load_config, BuildOptions};

#[derive(Parser)]
#[command(name = "xxgk", version, about = "政府信息公开工作年度报告 → Parquet datasets")]
struct Cli {
    #[command(subcommand)]
    command: Command,
}

#[derive(Subcommand)]
enum Command {
    /// Build the datasets from every report under the inputs.
    Build {
        /// Directories (or files) holding reports.
        #[arg(required = true)]
        inputs: Vec<PathBuf>,
        /// Output directory; replaced atomically when the run completes.
        #[arg(long)]
        out: PathBuf,
        /// Worker threads (default: one per core).
        #[arg(long)]
        jobs: Option<usize>,
        /// Read tables.toml, normalise.toml and limits.toml from this directory instead of the built-in ones.
        #[arg(long)]
        config: Option<PathBuf>,
        /// Reuse results of unchanged documents (keyed by content and extraction version).
        #[arg(long)]
        cache: Option<PathBuf>,
        /// Process only shard I of N (0-based) and write a shard directory for `merge`.
        #[arg(long, value_name = "I/N")]
        shard: Option<xxgk::shard::Shard>,
    },
    /// Combine the shard directories of one `build --shard` set into datasets identical to a
    /// single run.
    Merge {
        #[arg(required = true)]
        shards: Vec<PathBuf>,
        #[arg(long)]
        out: PathBuf,
        /// The directory passed to `build --config`, for panel.toml.
        #[arg(long)]
        config: Option<PathBuf>,
    },
    /// Show how one document is read: encoding, template, metadata, tables, checks, warnings.
    Inspect {
        file: PathBuf,
        #[arg(long)]
        config: Option<PathBuf>,
    },
    /// Write one self-contained HTML page of charts and tables on a build's datasets.
    Summary {
        /// A directory written by `xxgk build`.
        out: PathBuf,
        /// The page to write.
        #[arg(long)]
        html: PathBuf,
    },
    /// Load and validate the configuration, reporting every problem.
    CheckConfig {
        #[arg(long)]
        config: Option<PathBuf>,
    },
}

fn main() -> ExitCode {
    match run(Cli::parse()) {
        Ok(code) => code,
        Err(e) => {
            eprintln!("xxgk: error: {e:#}");
            ExitCode::from(2)
        }
    }
}

fn run(cli: Cli) -> anyhow::Result<ExitCode> {
    match cli.command {
        Command::Build { inputs, out, jobs, config, cache, shard } => {
            let summary = build(&BuildOptions { inputs, out: out.clone(), jobs, config_dir: config, cache, shard })?;
            Ok(finish(&summary, &out))
        }
        Command::Merge { shards, out, config } => {
            let summary = xxgk::pipeline::merge(&shards, &out, config.as_ref())?;
            Ok(finish(&summary, &out))
        }
        Command::Inspect { file, config } => {
            let engine = xxgk_core::process::Engine::new(load_config(config.as_ref())?);
            print!("{}", xxgk::inspect::inspect(&file, &engine)?);
            Ok(ExitCode::SUCCESS)
        }
        Command::Summary { out, html } => {
            let outcome = xxgk::summary::write_summary(&out, &html)?;
            for note in &outcome.notes {
                eprintln!("xxgk: note: {note}");
            }
            eprintln!(
                "xxgk: summary of {} written to {} ({} sections)",
                out.display(),
                html.display(),
                outcome.sections
            );
            Ok(ExitCode::SUCCESS)
        }
        Command::CheckConfig { config } => {
            let cfg = load_config(config.as_ref())?;
            let rows: usize = cfg.all_tables().iter().map(|t| t.rows.len()).sum();
            println!(
                "config ok: {} table templates, {rows} rows, fingerprint {}",
                cfg.all_tables().len(),
                cfg.fingerprint
            );
            Ok(ExitCode::SUCCESS)
        }
    }
}

fn finish(summary: &xxgk::pipeline::Summary, out: &std::path::Path) -> ExitCode {
    let statuses: Vec<String> = summary.by_status.iter().map(|(k, v)| format!("{v} {k}")).collect();
    eprintln!(
        "xxgk: {} documents ({}), {} facts, {} failed checks, {} panel rows ({} duplicates), {} of {} continuity checks failed; datasets in {}",
        summary.documents,
        statuses.join(", "),
        summary.facts,
        summary.failed_checks,
        summary.panel_rows,
        summary.duplicates,
        summary.continuity_failed,
        summary.continuity_checks,
        out.display()
    );
    if summary.cache_hits + summary.cache_misses > 0 {
        eprintln!("xxgk: cache: {} hits, {} misses", summary.cache_hits, summary.cache_misses);
    }
    if summary.clean() {
        ExitCode::SUCCESS
    } else {
        ExitCode::from(1)
    }
}
