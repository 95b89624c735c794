//! `synth`: writes a synthetic corpus of annual reports with expected JSON.

use anyhow::{ensure, Context, Result};
use clap::Parser;
use std::path::PathBuf;

/// Generate N synthetic 政府信息公开工作年度报告 and their expected facts.
#[derive(Parser, Debug)]
#[command(name = "synth", version)]
struct Args {
    /// Output directory (documents; expectations go to DIR/expected/).
    #[arg(long)]
    out: PathBuf,
    /// Number of documents.
    #[arg(long, default_value_t = 100)]
    n: usize,
    /// Seed: the same seed gives the same bytes.
    #[arg(long, default_value_t = 1)]
    seed: u64,
    /// Share of reports with one deliberately inconsistent number.
    #[arg(long, default_value_t = 0.1)]
    corrupt_share: f64,
    /// Years per issuer series (consecutive reports of one issuer, 2019 onwards); 0 = off.
    #[arg(long, default_value_t = 0)]
    series_years: usize,
    /// Issuers: `listed` (~120, so issuer-years repeat) or `divisions` (every uniquely named
    /// prefecture and county with its government and eight departments, ~22,000: a realistic
    /// panel for a large corpus).
    #[arg(long, value_enum, default_value_t = xxgk_synth::issuers::Pool::Listed)]
    issuers: xxgk_synth::issuers::Pool,
}

fn main() -> Result<()> {
    let args = Args::parse();
    ensure!((0.0..=1.0).contains(&args.corrupt_share), "--corrupt-share must be within 0..=1");
    let opts = xxgk_synth::Options {
        corrupt_share: args.corrupt_share,
        series_years: args.series_years,
        issuers: args.issuers,
    };
    let names = xxgk_synth::write_corpus(&args.out, args.n, args.seed, &opts)
        .with_context(|| format!("writing corpus to {}", args.out.display()))?;
    eprintln!("wrote {} documents to {}", names.len(), args.out.display());
    Ok(())
}
