//! The only module that touches Parquet. Datasets are written batch by batch into a
//! temporary directory beside DIR and swapped into place only when complete, so readers see
//! the old datasets or the new ones, never a mix (see ARCHITECTURE.md).

mod atomic;
mod frames;

pub use atomic::replace_dir;

use polars::prelude::*;
use rayon::prelude::*;
use std::collections::BTreeMap;
use std::fs::File;
use std::io::BufWriter;
use std::path::{Path, PathBuf};
use xxgk_core::compare::{Panel, PanelInput};
use xxgk_core::model::Report;

/// Reports are written here first; `duplicate_of` is only known once every report is in.
const PARTIAL_REPORTS: &str = ".reports.partial.parquet";
/// Rows read back at a time when the final reports.parquet is written.
const REWRITE_SLICE: usize = 8192;

#[derive(Debug, thiserror::Error)]
pub enum WriteError {
    #[error("write: {path}: {source}")]
    Io { path: PathBuf, source: std::io::Error },
    #[error("write: {path}: {source}")]
    Parquet { path: PathBuf, source: PolarsError },
    #[error("write: {path} holds {rows} reports but the compare stage saw {inputs}")]
    Mismatch { path: PathBuf, rows: usize, inputs: usize },
}

fn io_err(path: &Path) -> impl FnOnce(std::io::Error) -> WriteError + '_ {
    move |source| WriteError::Io { path: path.to_path_buf(), source }
}

fn pq_err(path: &Path) -> impl FnOnce(PolarsError) -> WriteError + '_ {
    move |source| WriteError::Parquet { path: path.to_path_buf(), source }
}

/// Buffered: the writer emits Thrift headers field by field, and unbuffered each one was a
/// write(2) (12 % of a cached rebuild's profile). Its `finish` flushes, so errors still surface.
type Batched = polars::io::parquet::write::BatchedWriter<BufWriter<File>>;

const WRITE_BUFFER: usize = 1 << 20;

/// One Parquet file written in row groups as batches arrive.
struct PartWriter {
    path: PathBuf,
    writer: Batched,
}

impl PartWriter {
    fn create(path: PathBuf, schema: &Schema) -> Result<PartWriter, WriteError> {
        if let Some(dir) = path.parent() {
            std::fs::create_dir_all(dir).map_err(io_err(dir))?;
        }
        let file = File::create(&path).map_err(io_err(&path))?;
        let writer = ParquetWriter::new(BufWriter::with_capacity(WRITE_BUFFER, file))
            .with_compression(ParquetCompression::Zstd(None))
            .with_statistics(StatisticsOptions::full())
            .batched(schema)
            .map_err(pq_err(&path))?;
        Ok(PartWriter { path, writer })
    }

    fn write(&mut self, df: &DataFrame) -> Result<(), WriteError> {
        self.writer.write_batch(df).map_err(pq_err(&self.path))
    }

    fn finish(self) -> Result<(), WriteError> {
        self.writer.finish().map(|_| ()).map_err(pq_err(&self.path))
    }
}

/// Writes reports, facts (hive-partitioned by report_year) and checks for a run.
pub struct DatasetWriter {
    out: PathBuf,
    tmp: PathBuf,
    reports: Option<PartWriter>,
    checks: Option<PartWriter>,
    facts: BTreeMap<Option<i32>, PartWriter>,
}

impl DatasetWriter {
    /// Starts a run's output in a fresh temporary directory beside `out`.
    pub fn create(out: &Path) -> Result<DatasetWriter, WriteError> {
        let tmp = temp_dir_for(out)?;
        Ok(DatasetWriter { out: out.to_path_buf(), tmp, reports: None, checks: None, facts: BTreeMap::new() })
    }

    /// Appends one batch of reports (in corpus order) to every dataset. Frames are built, and
    /// files written, in parallel: a rebuild from the cache is bound by this step.
    pub fn write_batch(&mut self, batch: &[Report]) -> Result<(), WriteError> {
        let ((reports, checks), facts) = rayon::join(
            || rayon::join(|| frames::reports_frame(batch), || frames::checks_frame(batch)),
            || frames::facts_frames(batch),
        );
        let err = pq_err(&self.tmp);
        let (reports, checks, facts) = match (reports, checks, facts) {
            (Ok(r), Ok(c), Ok(f)) => (r, c, f),
            (Err(e), _, _) | (_, Err(e), _) | (_, _, Err(e)) => return Err(err(e)),
        };
        for (year, df) in &facts {
            if let std::collections::btree_map::Entry::Vacant(e) = self.facts.entry(*year) {
                let dir = self.tmp.join("facts").join(partition_name(*year));
                e.insert(PartWriter::create(dir.join("part-0.parquet"), df.schema())?);
            }
        }
        let mut parts: Vec<(&mut PartWriter, &DataFrame)> =
            self.facts.iter_mut().filter_map(|(y, w)| facts.get(y).map(|df| (w, df))).collect();
        let (reports_path, checks_path) = (self.tmp.join(PARTIAL_REPORTS), self.tmp.join("checks.parquet"));
        let (reports_slot, checks_slot) = (&mut self.reports, &mut self.checks);
        let ((r, c), f) = rayon::join(
            || {
                rayon::join(
                    || Self::append(reports_slot, reports_path, &reports),
                    || Self::append(checks_slot, checks_path, &checks),
                )
            },
            || parts.par_iter_mut().try_for_each(|(w, df)| w.write(df)),
        );
        r.and(c).and(f)
    }

    fn append(slot: &mut Option<PartWriter>, path: PathBuf, df: &DataFrame) -> Result<(), WriteError> {
        if slot.is_none() {
            *slot = Some(PartWriter::create(path, df.schema())?);
        }
        slot.as_mut().expect("created above").write(df)
    }

    /// Closes every file, adds the compare stage's outputs (panel, continuity.parquet,
    /// duplicate links), writes run.json, and swaps the new datasets into place.
    pub fn finish(
        mut self,
        run_json: &serde_json::Value,
        panel: &Panel,
        inputs: &[PanelInput],
    ) -> Result<(), WriteError> {
        if self.reports.is_none() {
            self.write_batch(&[])?;
        }
        for w in [self.reports.take(), self.checks.take()].into_iter().flatten() {
            w.finish()?;
        }
        for (_, w) in std::mem::take(&mut self.facts) {
            w.finish()?;
        }
        self.finish_reports(panel, inputs)?;
        let panel_path = self.tmp.join("panel.parquet");
        let panel_df = frames::panel_frame(panel, inputs).map_err(pq_err(&panel_path))?;
        let mut w = PartWriter::create(panel_path, panel_df.schema())?;
        w.write(&panel_df)?;
        w.finish()?;
        self.write_continuity(panel, inputs)?;
        std::fs::create_dir_all(self.tmp.join("facts")).map_err(io_err(&self.tmp))?;
        let run_path = self.tmp.join("run.json");
        let text = serde_json::to_string_pretty(run_json).expect("run.json is plain data");
        std::fs::write(&run_path, text).map_err(io_err(&run_path))?;
        atomic::replace_dir(&self.tmp, &self.out)
    }

    /// Cross-year checks get their own file: checks.parquet holds each report's own
    /// identities (those n_failed_checks counts and DATASETS.md lists), so a reader who
    /// counts failures per report there gets the same number as reports.parquet.
    fn write_continuity(&self, panel: &Panel, inputs: &[PanelInput]) -> Result<(), WriteError> {
        let path = self.tmp.join("continuity.parquet");
        let df = frames::continuity_frame(panel, inputs).map_err(pq_err(&path))?;
        let mut w = PartWriter::create(path, df.schema())?;
        w.write(&df)?;
        w.finish()
    }

    /// reports.parquet = the partial file plus the duplicate links, read back in slices so
    /// memory does not grow with the corpus.
    fn finish_reports(&self, panel: &Panel, inputs: &[PanelInput]) -> Result<(), WriteError> {
        let partial = self.tmp.join(PARTIAL_REPORTS);
        let open = || File::open(&partial).map_err(io_err(&partial));
        let n = ParquetReader::new(open()?).num_rows().map_err(pq_err(&partial))?;
        if n != inputs.len() {
            return Err(WriteError::Mismatch { path: partial, rows: n, inputs: inputs.len() });
        }
        let mut out = None;
        let mut start = 0;
        loop {
            let len = REWRITE_SLICE.min(n - start);
            let mut df =
                ParquetReader::new(open()?).with_slice(Some((start, len))).finish().map_err(pq_err(&partial))?;
            // A slice spans row groups (chunks); the added columns are one chunk each.
            df.rechunk_mut();
            let df = df.hstack(&frames::duplicate_columns(panel, inputs, start, len)).map_err(pq_err(&partial))?;
            Self::append(&mut out, self.tmp.join("reports.parquet"), &df)?;
            start += len;
            if start >= n {
                break;
            }
        }
        out.expect("written at least once").finish()?;
        std::fs::remove_file(&partial).map_err(io_err(&partial))
    }
}

impl Drop for DatasetWriter {
    fn drop(&mut self) {
        // A run that failed leaves no half-written directory behind (a killed one leaves a
        // `.tmp-PID` that the next run writing beside it removes).
        if self.tmp.exists() {
            let _ = std::fs::remove_dir_all(&self.tmp);
        }
    }
}

/// A fresh `.NAME.tmp-PID` directory beside `out`, on the same file system so the final
/// swap is a rename.
pub fn temp_dir_for(out: &Path) -> Result<PathBuf, WriteError> {
    let parent = out.parent().filter(|p| !p.as_os_str().is_empty()).unwrap_or(Path::new("."));
    std::fs::create_dir_all(parent).map_err(io_err(parent))?;
    let name = out.file_name().map(|n| n.to_string_lossy().into_owned()).unwrap_or_else(|| "out".into());
    remove_stale_temps(parent, &name);
    let tmp = parent.join(format!(".{name}.tmp-{}", std::process::id()));
    if tmp.exists() {
        std::fs::remove_dir_all(&tmp).map_err(io_err(&tmp))?;
    }
    std::fs::create_dir_all(&tmp).map_err(io_err(&tmp))?;
    Ok(tmp)
}

/// Removes the `.NAME.tmp-PID` directories of runs that were killed (their PID is gone): half
/// a dataset, or the old one after the swap. A live PID's directory belongs to a run still
/// going and is left alone; so is anything that cannot be read or removed (said on stderr).
fn remove_stale_temps(parent: &Path, name: &str) {
    let prefix = format!(".{name}.tmp-");
    let Ok(entries) = std::fs::read_dir(parent) else { return };
    for entry in entries.flatten() {
        let file_name = entry.file_name();
        let Some(pid) = file_name.to_str().and_then(|n| n.strip_prefix(&prefix)).and_then(|p| p.parse::<i32>().ok())
        else {
            continue;
        };
        if pid as u32 == std::process::id() || process_alive(pid) {
            continue;
        }
        if let Err(e) = std::fs::remove_dir_all(entry.path()) {
            eprintln!("xxgk: write: cannot remove {} left by a killed run: {e}", entry.path().display());
        }
    }
}

fn process_alive(pid: i32) -> bool {
    // kill(pid, 0) tests for existence; EPERM means it exists under another user.
    // SAFETY: signal 0 delivers nothing; the call only reads the process table.
    let r = unsafe { libc::kill(pid, 0) };
    r == 0 || std::io::Error::last_os_error().raw_os_error() == Some(libc::EPERM)
}

/// Hive partition directory; a report without a year goes where Hive puts nulls.
pub fn partition_name(year: Option<i32>) -> String {
    match year {
        Some(y) => format!("report_year={y}"),
        None => "report_year=__HIVE_DEFAULT_PARTITION__".to_string(),
    }
}
