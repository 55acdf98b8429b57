//! The `scale` block of `trailsight bench`: the figures that say whether the
//! CLI stays linear as a set grows (issue 10) — load time, the `stats`
//! process's peak and resident memory per event, detection time per event —
//! so the 5M- and 20M-event sets (`--scale 10`, `--scale 40`) compare at a
//! glance.

use serde_json::{json, Value};

/// What `bench` measured, for the block.
pub struct Figures<'a> {
    /// The `--scale` the set was (or would be) generated with.
    pub scale: u32,
    pub events: u64,
    /// Best in-process ingest: (wall, CPU) seconds.
    pub load: (f64, Option<f64>),
    /// Best detection on the loaded dataset: (wall, CPU) seconds.
    pub detect: (f64, Option<f64>),
    pub insights: usize,
    /// The `stats_cli` object ([`super::run_self`]), with the memory its
    /// fresh process reported.
    pub stats_cli: &'a Value,
}

/// The `scale` JSON object.
pub fn block(f: &Figures) -> Value {
    let bytes = |field: &str| f.stats_cli.get(field).and_then(Value::as_u64);
    let per_event = |v: Option<u64>| v.map(|b| b as f64 / f.events.max(1) as f64);
    let peak = bytes("peak_rss_bytes");
    let resident = bytes("rss_after_load_bytes");
    let ns_per_event = |s: f64| s * 1e9 / f.events.max(1) as f64;
    json!({
        "scale": f.scale,
        "events": f.events,
        "load_wall_s": f.load.0,
        "load_cpu_s": f.load.1,
        "load_ns_per_event": ns_per_event(f.load.0),
        "stats_cli_wall_s": f.stats_cli.get("wall_s").and_then(Value::as_f64),
        "peak_rss_bytes": peak,
        "rss_after_load_bytes": resident,
        "peak_bytes_per_event": per_event(peak),
        "resident_bytes_per_event": per_event(resident),
        "detect_wall_s": f.detect.0,
        "detect_cpu_s": f.detect.1,
        "detect_ns_per_event": ns_per_event(f.detect.0),
        "insights": f.insights,
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn per_event_figures_divide_by_the_events() {
        let stats = json!({"wall_s": 2.0, "peak_rss_bytes": 4000, "rss_after_load_bytes": 1000});
        let b = block(&Figures {
            scale: 10,
            events: 100,
            load: (1.5, Some(2.5)),
            detect: (0.5, None),
            insights: 8,
            stats_cli: &stats,
        });
        assert_eq!(b["peak_bytes_per_event"], json!(40.0));
        assert_eq!(b["resident_bytes_per_event"], json!(10.0));
        assert_eq!(b["detect_ns_per_event"], json!(5e6));
        assert_eq!(b["insights"], json!(8));
        let none = block(&Figures {
            scale: 1,
            events: 0,
            load: (0.0, None),
            detect: (0.0, None),
            insights: 0,
            stats_cli: &json!({"error": "x"}),
        });
        assert!(none["peak_bytes_per_event"].is_null());
    }
}
