//! The summary of what was loaded: events, time span, accounts, Regions, days
//! of baseline, files, what detection could and could not analyse; and, when
//! the memory guard stopped the load, what was not read and why.

use super::coverage_note::CoverageNote;
use super::format::{self, group_thousands};
use super::load_details::LoadDetails;
use super::state::AppState;
use leptos::prelude::*;

#[component]
pub fn Summary() -> impl IntoView {
    let state = expect_context::<AppState>();
    move || {
        let s = state.summary.get()?;
        let utc = state.use_utc.get();
        let span = match (s.first_event_ms, s.last_event_ms) {
            (Some(a), Some(b)) => format!(
                "{} → {}",
                format::format_minute_in(a.div_euclid(60_000), utc),
                format::format_minute_in(b.div_euclid(60_000), utc)
            ),
            _ => "no events".to_string(),
        };
        let count = state.insights.with(Vec::len);
        let item = |label: &'static str, value: String, id: &'static str| {
            view! {
                <div class="ts-summary__item">
                    <dt>{label}</dt>
                    <dd id=id>{value}</dd>
                </div>
            }
        };
        let note = s.memory_note.clone().map(|note| {
            view! { <p class="ts-error" id="summary-memory-note" role="alert">{note}</p> }
        });
        Some(view! {
            <section class="ts-panel ts-summary" aria-label="Loaded data">
                {note}
                <dl class="ts-summary__list">
                    {item("Events", group_thousands(s.events as i64), "summary-events")}
                    {item("Time span", span, "summary-span")}
                    {item("Accounts", list(&s.accounts), "summary-accounts")}
                    {item("Regions", list(&s.regions), "summary-regions")}
                    {item("Days of baseline", format!("{:.1}", s.baseline_days), "summary-baseline")}
                    {item("Files", format!("{} read, {} skipped ({})", s.files, s.skipped_files.len(), format::bytes(s.bytes_read)), "summary-files")}
                    {item("Insights", count.to_string(), "summary-insights")}
                </dl>
                <CoverageNote />
                <LoadDetails summary=s.clone() />
            </section>
        })
    }
}

/// Up to three values, then a count.
fn list(values: &[String]) -> String {
    match values.len() {
        0 => "none".into(),
        1..=3 => values.join(", "),
        n => format!("{} and {} more", values[..2].join(", "), n - 2),
    }
}
