//! Compare stage: after every document is extracted, one panel row per issuer and year
//! (duplicates resolved), previous-year values, ranks, and the cross-year continuity checks.
//! Works on a compact summary of each report (`PanelInput`) so the corpus's facts are never
//! all in memory.

pub mod crosswalk;
mod packed;
mod panel;
mod stream;

pub use crate::spill::{Sorted, Spill, SpillError, Spooled};
pub use crosswalk::{Crosswalk, Measured};
pub use packed::{Packed, PackedRow};
pub use panel::{admin_level, build_panel, ContinuityCheck, Panel, PanelInput, PanelRow, Shared};
pub use stream::{ContinuityOut, DuplicateOut, PanelBuilder, PanelCounts, PanelOutputs, PanelRows, RowOut};
