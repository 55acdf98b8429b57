//! The per-input collector: the [`Batch`] being filled, with the helpers that
//! keep its report's counts reconciled (every file seen is either a file with
//! events or a skipped file; every record seen is an event, or a bad record).

use super::error::{BadKind, RecordError, SkipReason};
use super::{Batch, Limits, LoadReport};
use crate::model::{BadRecord, Interner, SkippedFile};
use std::collections::BTreeMap;

/// At most this many bad-record samples are kept per input and per dataset.
pub const MAX_BAD_SAMPLES: usize = 200;

pub(crate) struct Sink<'l> {
    pub input: u32,
    pub limits: &'l Limits,
    pub batch: Batch,
    reasons: BTreeMap<BadKind, u64>,
    pub cache: super::to_event::SymCache,
}

impl<'l> Sink<'l> {
    pub fn new(input: u32, limits: &'l Limits) -> Self {
        let batch = Batch {
            input,
            // Room for a typical log file's distinct strings (a few dozen).
            strings: Interner::with_capacity(64, 2048),
            events: Vec::new(),
            report: LoadReport::default(),
            aws_insights: Vec::new(),
        };
        Sink {
            input,
            limits,
            batch,
            reasons: BTreeMap::new(),
            cache: Default::default(),
        }
    }

    /// A file (or entry) not read at all.
    pub fn skip(&mut self, path: &str, reason: SkipReason) {
        self.batch.report.files_seen += 1;
        self.skip_counted(path, reason);
    }

    /// True once the batch holds the load's event limit: nothing more is
    /// read ([`Sink::not_read`] instead).
    pub fn full(&self) -> bool {
        self.batch.events.len() as u64 >= self.limits.max_events
    }

    /// A file (or entry) the memory guard did not read.
    pub fn not_read(&mut self, path: &str) {
        self.skip(path, SkipReason::NotRead);
        self.batch.report.not_read += 1;
        self.batch.report.max_events_reached = Some(self.limits.max_events);
    }

    /// A skipped file whose `files_seen` was already counted.
    pub fn skip_counted(&mut self, path: &str, reason: SkipReason) {
        self.batch.report.skipped_files.push(SkippedFile {
            path: path.to_string(),
            reason: reason.to_string(),
        });
    }

    /// A bad record of the file at `path` (its `records` count is the caller's).
    pub fn bad(&mut self, path: &str, bad: RecordError) {
        self.batch.report.bad_records += 1;
        *self.reasons.entry(bad.kind).or_default() += 1;
        if self.batch.report.bad_record_samples.len() < MAX_BAD_SAMPLES {
            self.batch.report.bad_record_samples.push(BadRecord {
                path: path.to_string(),
                record: bad.position.record,
                reason: bad.detail,
            });
        }
    }

    /// Closes the batch: reason counts (sorted by their text). The time range, accounts and regions
    /// are left to [`DatasetBuilder`](super::DatasetBuilder), which computes
    /// them once for the merged events: per file they cost several
    /// allocations that the merge threw away.
    pub fn finish(mut self) -> Batch {
        let mut reasons: Vec<(String, u64)> = self
            .reasons
            .into_iter()
            .map(|(k, v)| (k.to_string(), v))
            .collect();
        reasons.sort_unstable();
        self.batch.report.bad_reasons = reasons;
        self.batch
    }
}
