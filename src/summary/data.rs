//! Reading a build's datasets for the summary: only the columns a chart needs, each cast to
//! the type the charts use, so a dataset written by an older or newer build (a column added,
//! missing or widened) still reads; a chart whose columns are absent is skipped, not fatal.

use super::SummaryError;
use polars::prelude::*;
use std::fs::File;
use std::path::{Path, PathBuf};

/// The columns of one Parquet file that were asked for and found.
pub struct Dataset {
    pub path: PathBuf,
    df: DataFrame,
    height: usize,
}

impl Dataset {
    /// Reads those of `wanted` that the file has (reading every column of a large facts-sized
    /// file would cost memory for nothing).
    pub fn read(path: &Path, wanted: &[&str]) -> Result<Dataset, SummaryError> {
        let file = File::open(path).map_err(|source| match source.kind() {
            std::io::ErrorKind::NotFound => SummaryError::Missing { path: path.to_path_buf() },
            _ => SummaryError::Io { path: path.to_path_buf(), source },
        })?;
        let parquet = |source| SummaryError::Parquet { path: path.to_path_buf(), source };
        let mut reader = ParquetReader::new(file);
        let schema = reader.schema().map_err(parquet)?;
        let present: Vec<String> = wanted.iter().filter(|c| schema.contains(c)).map(|c| c.to_string()).collect();
        let height = reader.num_rows().map_err(parquet)?;
        let df = if present.is_empty() {
            DataFrame::empty()
        } else {
            reader.with_columns(Some(present)).finish().map_err(parquet)?
        };
        Ok(Dataset { path: path.to_path_buf(), df, height })
    }

    pub fn height(&self) -> usize {
        self.height
    }

    /// The names among `columns` that this dataset lacks.
    pub fn missing<'a>(&self, columns: &[&'a str]) -> Vec<&'a str> {
        columns.iter().copied().filter(|c| self.df.column(c).is_err()).collect()
    }

    pub fn has(&self, column: &str) -> bool {
        self.df.column(column).is_ok()
    }

    fn cast(&self, column: &str, to: &DataType) -> Result<Column, SummaryError> {
        let err = |source| SummaryError::Column { path: self.path.clone(), column: column.to_string(), source };
        self.df.column(column).map_err(err)?.cast(to).map_err(err)
    }

    pub fn strs(&self, column: &str) -> Result<Vec<Option<String>>, SummaryError> {
        let c = self.cast(column, &DataType::String)?;
        let ca = c.str().map_err(|source| self.column_err(column, source))?;
        Ok(ca.iter().map(|v| v.map(str::to_string)).collect())
    }

    pub fn i32s(&self, column: &str) -> Result<Vec<Option<i32>>, SummaryError> {
        let c = self.cast(column, &DataType::Int32)?;
        Ok(c.i32().map_err(|source| self.column_err(column, source))?.iter().collect())
    }

    pub fn f64s(&self, column: &str) -> Result<Vec<Option<f64>>, SummaryError> {
        let c = self.cast(column, &DataType::Float64)?;
        Ok(c.f64().map_err(|source| self.column_err(column, source))?.iter().collect())
    }

    pub fn bools(&self, column: &str) -> Result<Vec<Option<bool>>, SummaryError> {
        let c = self.cast(column, &DataType::Boolean)?;
        Ok(c.bool().map_err(|source| self.column_err(column, source))?.iter().collect())
    }

    fn column_err(&self, column: &str, source: PolarsError) -> SummaryError {
        SummaryError::Column { path: self.path.clone(), column: column.to_string(), source }
    }
}
