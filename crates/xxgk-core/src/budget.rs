//! A document's time budget (`limits.toml max_document_ms`). One pathological document must
//! not stall a nightly run, and a thread cannot be killed from outside, so the stages check
//! the clock themselves: between stages, and inside the parser loops whose length the input
//! controls.

use std::time::{Duration, Instant};

/// When the current document's budget runs out.
#[derive(Debug, Clone, Copy)]
pub struct Deadline {
    at: Option<Instant>,
    ms: u64,
}

/// The budget ran out in `stage`.
#[derive(Debug, Clone, Copy, PartialEq, Eq, thiserror::Error)]
#[error("{stage}: over the time budget of {ms} ms for one document (limits.toml max_document_ms)")]
pub struct OverBudget {
    pub stage: &'static str,
    pub ms: u64,
}

impl Deadline {
    /// A budget of `ms` milliseconds from now.
    pub fn after_ms(ms: u64) -> Deadline {
        Deadline { at: Instant::now().checked_add(Duration::from_millis(ms)), ms }
    }

    /// No budget (tools and fuzzing, where a slow input should be seen, not cut short).
    pub fn none() -> Deadline {
        Deadline { at: None, ms: 0 }
    }

    pub fn check(&self, stage: &'static str) -> Result<(), OverBudget> {
        match self.at {
            Some(at) if Instant::now() >= at => Err(OverBudget { stage, ms: self.ms }),
            _ => Ok(()),
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn an_empty_budget_is_spent_at_once_and_none_never() {
        let e = Deadline::after_ms(0).check("parse").unwrap_err();
        assert_eq!(e.to_string(), "parse: over the time budget of 0 ms for one document (limits.toml max_document_ms)");
        assert!(Deadline::after_ms(60_000).check("parse").is_ok());
        assert!(Deadline::none().check("parse").is_ok());
    }
}
