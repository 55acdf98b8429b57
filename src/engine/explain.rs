//! The sentences that say what a detection run analysed, built from a
//! [`CoverageReport`]: one headline ("312 series tested over 8.0 days of
//! baseline: nothing unusual", or why nothing could be tested) and notes
//! (accounts/Regions left untested, Insight types switched off, events not
//! considered and why). Pure text, shared by the CLI summary and the
//! dashboard (which turns a note's [`Setting`] into a link to it).

use super::coverage::{CoverageReport, RegionCoverage};
use crate::format::group_thousands;

/// How many accounts/Regions a note names before "and N more".
const NAMED: usize = 5;

/// A setting that would bring the events of a note into detection.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Setting {
    CallRate,
    ErrorRate,
    ReadCalls,
    DataEvents,
}

impl Setting {
    /// The `trailsight detect` option that changes it.
    pub fn cli_flag(self) -> &'static str {
        match self {
            Setting::CallRate | Setting::ErrorRate => "--insight-types",
            Setting::ReadCalls => "--include-read-calls",
            Setting::DataEvents => "--include-data-events",
        }
    }
}

/// One note under the headline.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Note {
    pub text: String,
    /// The setting the note is about, if one would change it.
    pub setting: Option<Setting>,
}

/// The headline and notes of one run.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Explanation {
    pub headline: String,
    pub notes: Vec<Note>,
}

/// Explains `report` for a run that found `insights` Insights.
pub fn explain(report: &CoverageReport, insights: usize) -> Explanation {
    Explanation {
        headline: headline(report, insights),
        notes: notes(report),
    }
}

fn headline(r: &CoverageReport, insights: usize) -> String {
    if r.events == 0 {
        return "No events were loaded, so nothing could be tested.".into();
    }
    if !r.config.call_rate && !r.config.error_rate {
        return "Both Insight types are switched off in Settings, so nothing was tested.".into();
    }
    let tested: Vec<&RegionCoverage> = r.regions.iter().filter(|c| c.enough_history).collect();
    let need = format!(
        "Insights need {} of history in an account and Region",
        duration(r.min_history_minutes)
    );
    if tested.is_empty() {
        let what = match r.series_seen() {
            0 => "so nothing could be tested".to_string(),
            1 => "so its one series could not be tested".to_string(),
            n => format!(
                "so none of its {} series could be tested",
                group_thousands(n)
            ),
        };
        return match r.regions.as_slice() {
            [one] => format!(
                "This capture covers {} of {}; {need}, {what}.",
                duration(one.minutes_covered()),
                place(one)
            ),
            all => {
                let longest = all.iter().max_by_key(|c| c.minutes_covered());
                let longest = longest.map_or(String::new(), |c| {
                    format!(
                        " for at most {} ({})",
                        duration(c.minutes_covered()),
                        place(c)
                    )
                });
                format!(
                    "This capture covers {} accounts and Regions{longest}; {need}, {what}.",
                    all.len()
                )
            }
        };
    }
    let outcome = match insights {
        0 => "nothing unusual".to_string(),
        1 => "1 Insight".to_string(),
        n => format!("{} Insights", group_thousands(n as u64)),
    };
    let (lo, hi) = tested.iter().fold((f64::INFINITY, 0.0f64), |(lo, hi), c| {
        (lo.min(c.baseline_days), hi.max(c.baseline_days))
    });
    let baseline = if hi - lo < 0.05 {
        format!("{hi:.1} days")
    } else {
        format!("{lo:.1}–{hi:.1} days")
    };
    let series = series_count(r.series_tested());
    if tested.len() == r.regions.len() {
        format!("{series} tested over {baseline} of baseline: {outcome}.")
    } else {
        format!(
            "{series} tested in {} of {} accounts and Regions, over {baseline} of baseline: {outcome}.",
            tested.len(),
            r.regions.len()
        )
    }
}

/// The accounts/Regions left untested while others were tested, named.
fn untested_note(r: &CoverageReport) -> Option<Note> {
    let short: Vec<&RegionCoverage> = r
        .regions
        .iter()
        .filter(|c| !c.enough_history && c.series_seen > 0)
        .collect();
    if short.is_empty() || !r.regions.iter().any(|c| c.enough_history) {
        return None;
    }
    let named: Vec<String> = short
        .iter()
        .take(NAMED)
        .map(|c| {
            format!(
                "{} ({}, {})",
                place(c),
                duration(c.minutes_covered()),
                series_count(c.series_seen)
            )
        })
        .collect();
    Some(Note {
        text: format!(
            "Not tested, less than {} of history: {}.",
            duration(r.min_history_minutes),
            join(&named, short.len())
        ),
        setting: None,
    })
}

fn notes(r: &CoverageReport) -> Vec<Note> {
    let mut notes: Vec<Note> = untested_note(r).into_iter().collect();
    let off = r.not_considered.type_switched_off;
    let left_out = if off > 0 {
        format!(" ({} left out)", events(off))
    } else {
        String::new()
    };
    let both_off = !r.config.call_rate && !r.config.error_rate;
    if !r.config.call_rate {
        notes.push(Note {
            text: format!(
                "ApiCallRateInsight is switched off: call volumes were not tested{}.",
                if both_off { "" } else { &left_out }
            ),
            setting: Some(Setting::CallRate),
        });
    }
    if !r.config.error_rate {
        notes.push(Note {
            text: format!(
                "ApiErrorRateInsight is switched off: error rates were not tested{left_out}."
            ),
            setting: Some(Setting::ErrorRate),
        });
    }
    let n = &r.not_considered;
    if n.read_calls > 0 {
        notes.push(Note {
            text: format!(
                "{} not considered: read-only calls without an error; call-rate Insights count write calls only, as AWS does.",
                events(n.read_calls)
            ),
            setting: Some(Setting::ReadCalls),
        });
    }
    if n.data_events > 0 {
        notes.push(Note {
            text: format!(
                "{} not considered: data events; only management events are watched, as AWS does by default.",
                events(n.data_events)
            ),
            setting: Some(Setting::DataEvents),
        });
    }
    if n.other_category > 0 {
        notes.push(Note {
            text: format!(
                "{} not considered: neither management nor data events (network activity, VPC endpoint events), which Insights never count.",
                events(n.other_category)
            ),
            setting: None,
        });
    }
    notes
}

/// "account 111122223333 in us-east-1".
fn place(c: &RegionCoverage) -> String {
    let account = if c.account.is_empty() {
        "(no account)"
    } else {
        &c.account
    };
    let region = if c.region.is_empty() {
        "(no Region)"
    } else {
        &c.region
    };
    format!("account {account} in {region}")
}

/// The first names, then "and N more" for the rest of `total`.
fn join(named: &[String], total: usize) -> String {
    let rest = total - named.len();
    match (named, rest) {
        ([], _) => String::new(),
        ([one], 0) => one.clone(),
        ([init @ .., last], 0) => format!("{} and {last}", init.join(", ")),
        (all, rest) => format!("{} and {rest} more", all.join(", ")),
    }
}

fn series_count(n: u64) -> String {
    format!("{} series", group_thousands(n))
}

fn events(n: u64) -> String {
    match n {
        1 => "1 event".into(),
        n => format!("{} events", group_thousands(n)),
    }
}

/// "55 minutes", "3 hours 12 minutes", "24 hours", "2.5 days".
pub fn duration(minutes: i64) -> String {
    let unit = |n: i64, one: &str| {
        if n == 1 {
            format!("1 {one}")
        } else {
            format!("{n} {one}s")
        }
    };
    match minutes {
        m if m < 60 => unit(m.max(0), "minute"),
        m if m < 2 * 1440 => match m % 60 {
            0 => unit(m / 60, "hour"),
            rest => format!("{} {}", unit(m / 60, "hour"), unit(rest, "minute")),
        },
        m => format!("{:.1} days", m as f64 / 1440.0),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn durations_and_lists() {
        assert_eq!(duration(1), "1 minute");
        assert_eq!(duration(55), "55 minutes");
        assert_eq!(duration(60), "1 hour");
        assert_eq!(duration(192), "3 hours 12 minutes");
        assert_eq!(duration(1440), "24 hours");
        assert_eq!(duration(3600), "2.5 days");
        assert_eq!(group_thousands(1_234_567), "1,234,567");
        let names: Vec<String> = ["a", "b", "c"].iter().map(|s| s.to_string()).collect();
        assert_eq!(join(&names, 3), "a, b and c");
        assert_eq!(join(&names, 10), "a, b, c and 7 more");
        assert_eq!(join(&names[..1], 1), "a");
    }
}
