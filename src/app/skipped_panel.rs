//! The Skipped panel: every file that was not read, with its reason, and the
//! bad-record counts by reason, so the user knows exactly what is missing.

use super::format::group_thousands;
use super::state::AppState;
use leptos::prelude::*;

#[component]
pub fn SkippedPanel() -> impl IntoView {
    let state = expect_context::<AppState>();
    move || {
        let summary = state.summary.get()?;
        let skipped = summary.skipped_files.len();
        let bad = summary.bad_records;
        let title = format!(
            "Skipped: {} {}, {} bad {}{}{}",
            skipped,
            if skipped == 1 { "file" } else { "files" },
            group_thousands(bad as i64),
            if bad == 1 { "record" } else { "records" },
            if summary.aggregated_events > 0 {
                format!(
                    ", {} aggregated-event records kept apart",
                    group_thousands(summary.aggregated_events as i64)
                )
            } else {
                String::new()
            },
            if summary.duplicates > 0 {
                format!(
                    " ({} duplicate events dropped)",
                    group_thousands(summary.duplicates as i64)
                )
            } else {
                String::new()
            }
        );
        let open = (skipped > 0 || bad > 0) && skipped < 20;
        Some(view! {
            <details class="ts-panel ts-skipped" id="skipped" open=open>
                <summary>{title}</summary>
                {(summary.aggregated_events > 0).then(|| view! {
                    <p class="ts-hint" id="aggregated-note">
                        {format!(
                            "{} CloudTrail aggregated-event records (5-minute summaries of data events, eventType AwsAggregatedEvent) were found and kept apart: they are summaries, not API calls, so Insights never count them.",
                            group_thousands(summary.aggregated_events as i64)
                        )}
                    </p>
                })}
                {(skipped > 0).then(|| view! {
                    <table class="ts-table ts-table--compact" aria-label="Skipped files">
                        <thead><tr><th scope="col">"File"</th><th scope="col">"Reason"</th></tr></thead>
                        <tbody>
                            {summary.skipped_files.iter().map(|f| view! {
                                <tr><td class="ts-mono">{f.path.clone()}</td><td>{f.reason.clone()}</td></tr>
                            }).collect_view()}
                        </tbody>
                    </table>
                })}
                {(!summary.bad_reasons.is_empty()).then(|| view! {
                    <table class="ts-table ts-table--compact" aria-label="Bad records by reason">
                        <thead><tr><th scope="col">"Bad-record reason"</th><th scope="col" class="ts-num">"Records"</th></tr></thead>
                        <tbody>
                            {summary.bad_reasons.iter().map(|(reason, n)| view! {
                                <tr><td>{reason.clone()}</td><td class="ts-num">{group_thousands(*n as i64)}</td></tr>
                            }).collect_view()}
                        </tbody>
                    </table>
                })}
                {(!summary.bad_record_samples.is_empty()).then(|| view! {
                    <table class="ts-table ts-table--compact" aria-label="Examples of bad records">
                        <thead><tr><th scope="col">"File"</th><th scope="col" class="ts-num">"Record"</th><th scope="col">"Reason"</th></tr></thead>
                        <tbody>
                            {summary.bad_record_samples.iter().map(|b| view! {
                                <tr><td class="ts-mono">{b.path.clone()}</td><td class="ts-num">{b.record}</td><td>{b.reason.clone()}</td></tr>
                            }).collect_view()}
                        </tbody>
                    </table>
                })}
            </details>
        })
    }
}
