//! The CLI's memory guard: the `--max-events` flag shared by `stats` and
//! `detect`, its default derived from the machine's physical memory, the
//! plain-words message when a load stopped at it, and the peak RSS reported
//! by `stats` (so bytes per event can be measured).

use crate::ingest::{events_for_memory, Limits, LoadReport};
use clap::Args;

/// Share of physical memory a load may use at its peak.
const MEMORY_SHARE: f64 = 0.5;
/// Assumed physical memory when the machine does not say (`/proc/meminfo`).
const FALLBACK_MEMORY: u64 = 8 << 30;

#[derive(Debug, Args)]
pub struct GuardArgs {
    /// Most events to load (the memory guard). Once reached, the files not yet
    /// read are listed in skipped_files as not read. Default: half the
    /// physical memory divided by the peak bytes one event costs.
    #[arg(long, value_name = "N")]
    pub max_events: Option<u64>,
}

impl GuardArgs {
    /// The ingest limits of this run.
    pub fn limits(&self) -> Limits {
        Limits {
            max_events: self.max_events.unwrap_or_else(default_max_events),
            ..Limits::default()
        }
    }
}

/// Half the physical memory over the peak bytes per event.
pub fn default_max_events() -> u64 {
    let memory = physical_memory().unwrap_or(FALLBACK_MEMORY);
    events_for_memory((memory as f64 * MEMORY_SHARE) as u64)
}

/// `MemTotal` of `/proc/meminfo`, in bytes.
fn physical_memory() -> Option<u64> {
    let text = std::fs::read_to_string("/proc/meminfo").ok()?;
    kib_field(&text, "MemTotal:")
}

/// A `Name:   123 kB` line of a `/proc` file, in bytes.
fn kib_field(text: &str, name: &str) -> Option<u64> {
    let line = text.lines().find(|l| l.starts_with(name))?;
    let kib: u64 = line[name.len()..]
        .trim()
        .trim_end_matches("kB")
        .trim()
        .parse()
        .ok()?;
    Some(kib * 1024)
}

/// The process's peak resident memory so far (`VmHWM`), in bytes.
pub fn peak_rss() -> Option<u64> {
    let text = std::fs::read_to_string("/proc/self/status").ok()?;
    kib_field(&text, "VmHWM:")
}

/// The process's resident memory now (`VmRSS`), in bytes.
pub fn rss() -> Option<u64> {
    let text = std::fs::read_to_string("/proc/self/status").ok()?;
    kib_field(&text, "VmRSS:")
}

/// What the user is told when the guard stopped a load, or `None`.
pub fn guard_message(r: &LoadReport) -> Option<String> {
    crate::ingest::guard_message(
        r,
        "This run (--max-events)",
        "load fewer days, or raise --max-events on a machine with more memory",
    )
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn fields_and_grouping() {
        let status = "Name:\tx\nVmHWM:\t  123456 kB\nVmRSS:\t 1 kB\n";
        assert_eq!(kib_field(status, "VmHWM:"), Some(123_456 * 1024));
        assert_eq!(kib_field(status, "MemTotal:"), None);
        assert!(default_max_events() >= 1);
    }
}
