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
use xxgk_core::compare::{DuplicateOut, PanelOutputs, Sorted, SpillError};
use xxgk_core::model::Report;

/// Reports are written here first; `duplicate_of` is only known once every report is in.
const PARTIAL_REPORTS: &str = ".reports.partial.parquet";
/// The crawl's and the compare stage's sorted runs, removed before the swap.
pub const SPILL_DIR: &str = ".spill";
/// Rows read back at a time when the final reports.parquet is written.
const REWRITE_SLICE: usize = 8192;

#[derive(Debug, thiserror::Error)]
pub enum WriteError {
    #[error("write: {path}: {source}")]
    Io { path: PathBuf, source: std::io::Error },
    #[error("write: {path}: {source}")]
    Parquet { path: PathBuf, source: PolarsError },
    #[error("write: {path} holds {rows} reports but the compare stage saw {inputs}")]
    Mismatch { path: PathBuf, rows: usize, inputs: u64 },
    #[error("write: {0}")]
    Compare(#[from] SpillError),
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

/// The Parquet writer keeps each row group's page metadata until it writes the file's
/// footer: ~3 KB a column chunk. With a row group per batch of documents that was 85 % of
/// what the heap of a 100,000-document run grew by (jemalloc heap profile), so memory grew
/// with the corpus. Reports and checks are therefore written in larger row groups (their
/// frames are small to hold), and a facts partition, whose frames are not, rolls over to a
/// new part file after `FACTS_ROW_GROUPS_PER_PART` row groups (DATASETS.md: part-*.parquet).
/// Counts of rows and batches decide, so a cached rebuild and a merge cut the same files.
const REPORTS_ROW_GROUP: usize = 8_192;
const CHECKS_ROW_GROUP: usize = 65_536;
const FACTS_ROW_GROUPS_PER_PART: usize = 64;
/// A frame is one row group of its own.
const UNBUFFERED: usize = 1;

/// One Parquet file; frames are held until `row_group` rows are pending, then written as one
/// row group.
struct PartWriter {
    path: PathBuf,
    writer: Batched,
    row_group: usize,
    pending: Vec<DataFrame>,
    pending_rows: usize,
    row_groups: usize,
}

impl PartWriter {
    fn create(path: PathBuf, schema: &Schema, row_group: usize) -> Result<PartWriter, WriteError> {
        if let Some(dir) = path.parent() {
            std::fs::create_dir_all(dir).map_err(io_err(dir))?;
        }
        let file = File::create(&path).map_err(io_err(&path))?;
        let writer = ParquetWriter::new(BufWriter::with_capacity(WRITE_BUFFER, file))
            .with_compression(ParquetCompression::Zstd(None))
            .with_statistics(StatisticsOptions::full())
            .batched(schema)
            .map_err(pq_err(&path))?;
        Ok(PartWriter { path, writer, row_group, pending: Vec::new(), pending_rows: 0, row_groups: 0 })
    }

    fn write(&mut self, df: &DataFrame) -> Result<(), WriteError> {
        self.pending_rows += df.height();
        self.pending.push(df.clone());
        if self.pending_rows >= self.row_group {
            self.flush()?;
        }
        Ok(())
    }

    /// The pending frames as one row group (the writer makes one per chunk).
    fn flush(&mut self) -> Result<(), WriteError> {
        let mut frames = std::mem::take(&mut self.pending).into_iter();
        let Some(mut df) = frames.next() else { return Ok(()) };
        for more in frames {
            df.vstack_mut_owned(more).map_err(pq_err(&self.path))?;
        }
        self.pending_rows = 0;
        if df.height() == 0 {
            return Ok(());
        }
        df.rechunk_mut();
        self.writer.write_batch(&df).map_err(pq_err(&self.path))?;
        self.row_groups += 1;
        Ok(())
    }

    fn finish(mut self) -> Result<(), WriteError> {
        self.flush()?;
        self.writer.finish().map(|_| ()).map_err(pq_err(&self.path))
    }
}

/// A facts partition: part-0.parquet, part-1.parquet, ... of at most
/// `FACTS_ROW_GROUPS_PER_PART` row groups each; a part is opened when it gets its first rows.
struct Partition {
    dir: PathBuf,
    schema: Schema,
    max_row_groups: usize,
    parts: usize,
    current: Option<PartWriter>,
}

impl Partition {
    fn write(&mut self, df: &DataFrame) -> Result<(), WriteError> {
        let current = match self.current.as_mut() {
            Some(w) => w,
            None => {
                let path = self.dir.join(format!("part-{}.parquet", self.parts));
                self.parts += 1;
                self.current.insert(PartWriter::create(path, &self.schema, UNBUFFERED)?)
            }
        };
        current.write(df)?;
        if current.row_groups >= self.max_row_groups {
            self.finish()?;
        }
        Ok(())
    }

    fn finish(&mut self) -> Result<(), WriteError> {
        self.current.take().map_or(Ok(()), PartWriter::finish)
    }
}

/// A file built from frames of at most `slice` rows, a row group each, until `frame` gives
/// one shorter than that: reports.parquet is rewritten at the end, and panel.parquet and
/// continuity.parquet come from the compare stage's streams (one frame of all of them was the
/// largest allocation at the end of a run). At least one frame is written, so an empty file
/// still has its schema.
fn write_sliced(
    path: PathBuf,
    slice: usize,
    mut frame: impl FnMut(usize) -> Result<DataFrame, WriteError>,
) -> Result<(), WriteError> {
    let mut out: Option<PartWriter> = None;
    loop {
        let df = frame(slice)?;
        let last = df.height() < slice;
        DatasetWriter::append(&mut out, path.clone(), &df, UNBUFFERED)?;
        if last {
            break;
        }
    }
    out.expect("written at least once").finish()
}

/// Up to `n` items of a compare-stage stream.
fn take<T>(items: &mut impl Iterator<Item = Result<T, SpillError>>, n: usize) -> Result<Vec<T>, WriteError> {
    items.take(n).collect::<Result<_, _>>().map_err(WriteError::Compare)
}

/// Writes reports, facts (hive-partitioned by report_year) and checks for a run.
pub struct DatasetWriter {
    out: PathBuf,
    tmp: PathBuf,
    reports: Option<PartWriter>,
    checks: Option<PartWriter>,
    facts: BTreeMap<Option<i32>, Partition>,
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
                let schema = df.schema().as_ref().clone();
                e.insert(Partition { dir, schema, max_row_groups: FACTS_ROW_GROUPS_PER_PART, parts: 0, current: None });
            }
        }
        let mut parts: Vec<(&mut Partition, &DataFrame)> =
            self.facts.iter_mut().filter_map(|(y, w)| facts.get(y).map(|df| (w, df))).collect();
        let (reports_path, checks_path) = (self.tmp.join(PARTIAL_REPORTS), self.tmp.join("checks.parquet"));
        let (reports_slot, checks_slot) = (&mut self.reports, &mut self.checks);
        let ((r, c), f) = rayon::join(
            || {
                rayon::join(
                    || Self::append(reports_slot, reports_path, &reports, REPORTS_ROW_GROUP),
                    || Self::append(checks_slot, checks_path, &checks, CHECKS_ROW_GROUP),
                )
            },
            || parts.par_iter_mut().try_for_each(|(w, df)| w.write(df)),
        );
        r.and(c).and(f)
    }

    fn append(slot: &mut Option<PartWriter>, path: PathBuf, df: &DataFrame, rows: usize) -> Result<(), WriteError> {
        if slot.is_none() {
            *slot = Some(PartWriter::create(path, df.schema(), rows)?);
        }
        slot.as_mut().expect("created above").write(df)
    }

    /// Where the crawl and the compare stage spill their sorts: inside the temporary output,
    /// so it is on the output's file system and goes with it if the run fails.
    pub fn spill_dir(&self) -> PathBuf {
        self.tmp.join(SPILL_DIR)
    }

    /// Closes every file, adds the compare stage's outputs (panel, continuity.parquet,
    /// duplicate links), writes run.json, and swaps the new datasets into place.
    pub fn finish(mut self, run_json: &serde_json::Value, panel: PanelOutputs) -> Result<(), WriteError> {
        if self.reports.is_none() {
            self.write_batch(&[])?;
        }
        for w in [self.reports.take(), self.checks.take()].into_iter().flatten() {
            w.finish()?;
        }
        for (_, mut partition) in std::mem::take(&mut self.facts) {
            partition.finish()?;
        }
        let PanelOutputs { value_columns, rank_columns, check_ids, counts, mut rows, mut continuity, duplicates } =
            panel;
        self.finish_reports(duplicates, counts.inputs)?;
        let panel_path = self.tmp.join("panel.parquet");
        write_sliced(panel_path.clone(), REWRITE_SLICE, |n| {
            frames::panel_frame(&value_columns, &rank_columns, &take(&mut rows, n)?).map_err(pq_err(&panel_path))
        })?;
        // Cross-year checks get their own file: checks.parquet holds each report's own
        // identities (those n_failed_checks counts and DATASETS.md lists), so a reader who
        // counts failures per report there gets the same number as reports.parquet.
        let continuity_path = self.tmp.join("continuity.parquet");
        write_sliced(continuity_path.clone(), CHECKS_ROW_GROUP, |n| {
            frames::continuity_frame(&check_ids, &take(&mut continuity, n)?).map_err(pq_err(&continuity_path))
        })?;
        let spill = self.spill_dir();
        if spill.exists() {
            std::fs::remove_dir_all(&spill).map_err(io_err(&spill))?;
        }
        std::fs::create_dir_all(self.tmp.join("facts")).map_err(io_err(&self.tmp))?;
        let run_path = self.tmp.join("run.json");
        let text = serde_json::to_string_pretty(run_json).expect("run.json is plain data");
        std::fs::write(&run_path, text).map_err(io_err(&run_path))?;
        atomic::replace_dir(&self.tmp, &self.out)
    }

    /// reports.parquet = the partial file plus the duplicate links (in input order), read back
    /// in slices so memory does not grow with the corpus.
    fn finish_reports(&self, duplicates: Sorted<u64, DuplicateOut>, inputs: u64) -> Result<(), WriteError> {
        let partial = self.tmp.join(PARTIAL_REPORTS);
        let open = || File::open(&partial).map_err(io_err(&partial));
        let n = ParquetReader::new(open()?).num_rows().map_err(pq_err(&partial))?;
        if n as u64 != inputs {
            return Err(WriteError::Mismatch { path: partial, rows: n, inputs });
        }
        let mut links = duplicates.peekable();
        let mut start = 0;
        write_sliced(self.tmp.join("reports.parquet"), REWRITE_SLICE, |slice| {
            let len = slice.min(n - start);
            let mut df =
                ParquetReader::new(open()?).with_slice(Some((start, len))).finish().map_err(pq_err(&partial))?;
            // A slice spans row groups (chunks); the added columns are one chunk each.
            df.rechunk_mut();
            let range = start as u64..(start + len) as u64;
            let mut column = vec![None; len];
            while let Some(link) = links.next_if(|l| l.as_ref().map_or(true, |l| range.contains(&l.key))) {
                let link = link.map_err(WriteError::Compare)?;
                column[(link.key - range.start) as usize] = Some(link.value);
            }
            start += len;
            df.hstack(&frames::duplicate_columns(&column)).map_err(pq_err(&partial))
        })?;
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

#[cfg(test)]
mod tests {
    use super::*;

    fn frame(start: i64, n: i64) -> DataFrame {
        df!("x" => (start..start + n).collect::<Vec<i64>>()).expect("frame")
    }

    fn layout(path: &Path) -> (Vec<usize>, Vec<i64>) {
        let file = || File::open(path).expect("written");
        let groups = ParquetReader::new(file())
            .get_metadata()
            .expect("footer")
            .row_groups
            .iter()
            .map(|g| g.num_rows())
            .collect();
        let df = ParquetReader::new(file()).finish().expect("readable");
        (groups, df.column("x").expect("x").i64().expect("i64").into_no_null_iter().collect())
    }

    #[test]
    fn frames_are_held_until_a_row_group_is_full() {
        let dir = tempfile_dir("buffer");
        let path = dir.join("a.parquet");
        let mut w = PartWriter::create(path.clone(), frame(0, 1).schema(), 5).expect("create");
        for k in 0..5 {
            w.write(&frame(3 * k, 3)).expect("write");
        }
        w.finish().expect("finish");
        let (groups, rows) = layout(&path);
        assert_eq!(groups, [6, 6, 3], "two frames of 3 pass 5 rows; the rest at the end");
        assert_eq!(rows, (0..15).collect::<Vec<i64>>());
    }

    #[test]
    fn a_partition_rolls_over_to_a_new_part_and_opens_none_empty() {
        let dir = tempfile_dir("roll");
        let schema = frame(0, 1).schema().as_ref().clone();
        let mut p = Partition { dir: dir.clone(), schema, max_row_groups: 2, parts: 0, current: None };
        for k in 0..4 {
            p.write(&frame(10 * k, 10)).expect("write");
        }
        p.finish().expect("finish");
        let mut parts: Vec<String> = std::fs::read_dir(&dir)
            .expect("dir")
            .map(|e| e.expect("entry").file_name().to_string_lossy().into_owned())
            .collect();
        parts.sort();
        assert_eq!(parts, ["part-0.parquet", "part-1.parquet"], "4 row groups of at most 2 per part, no empty third");
        assert_eq!(layout(&dir.join("part-0.parquet")), (vec![10, 10], (0..20).collect()));
        assert_eq!(layout(&dir.join("part-1.parquet")), (vec![10, 10], (20..40).collect()));
    }

    fn tempfile_dir(name: &str) -> PathBuf {
        let dir = std::env::temp_dir().join(format!("xxgk-write-{name}-{}", std::process::id()));
        let _ = std::fs::remove_dir_all(&dir);
        std::fs::create_dir_all(&dir).expect("temp dir");
        dir
    }
}
