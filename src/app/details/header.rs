//! The details page header: what the Insight watches and when, and the console's
//! **Additional information** panel (Insight type, trigger, per-minute averages,
//! event source, Start/End/Shared event IDs), and **Why unusual**: the numbers
//! the detector compared at the Start (beyond AWS).

use crate::app::format::{average, duration, format_minute_in, insight_type_label, rate_change};
use crate::app::routing::DetailsTab;
use crate::app::AppState;
use crate::model::{Insight, InsightType};
use crate::view_model::explain::why_unusual;
use leptos::prelude::*;

/// Header and Additional information. `on_trigger` opens the CloudTrail events tab.
#[component]
pub fn DetailsHeader(insight: Insight, on_trigger: Callback<DetailsTab>) -> impl IntoView {
    let state = expect_context::<AppState>();
    let (start, end) = (insight.start_minute, insight.end_minute);
    let when = move |m: i64| format_minute_in(m, state.use_utc.get());
    let key = &insight.key;
    let per_minute = match key.insight_type {
        InsightType::ApiCallRateInsight => "API calls per minute",
        InsightType::ApiErrorRateInsight => "Errors per minute",
    };
    let error_code = key.error_code.clone();
    let why = why_unusual(&insight);
    let kv = |label: &'static str, value: String| {
        view! {
            <div class="ts-kv-item">
                <dt>{label}</dt>
                <dd>{value}</dd>
            </div>
        }
    };

    view! {
        <header class="ts-details-header">
            <h2 class="ts-details-title">{key.name.clone()}</h2>
            <dl class="ts-kv ts-kv-wide">
                {kv("Event name", key.name.clone())}
                {kv("Insight type", insight_type_label(key.insight_type).to_string())}
                {kv("Event source", key.source.clone())}
                {error_code.map(|c| kv("Error code", c))}
                {kv("Region", key.region.clone())}
                {kv("Account", key.account.clone())}
                <div class="ts-kv-item">
                    <dt>"Event start time"</dt>
                    <dd>{move || when(start)}</dd>
                </div>
                <div class="ts-kv-item">
                    <dt>"Event end time"</dt>
                    <dd>{move || when(end)}</dd>
                </div>
                {kv("Duration", duration(insight.insight_duration))}
            </dl>
            <section class="ts-panel ts-additional" aria-labelledby="ts-additional-title">
                <h3 id="ts-additional-title">"Additional information"</h3>
                <dl class="ts-kv">
                    {kv("Insight type", key.insight_type.as_str().to_string())}
                    <div class="ts-kv-item">
                        <dt>"Trigger"</dt>
                        <dd>
                            <button type="button" class="ts-link" on:click=move |_| on_trigger.run(DetailsTab::Events)>
                                "View CloudTrail events"
                            </button>
                        </dd>
                    </div>
                    <div class="ts-kv-item">
                        <dt>{per_minute}</dt>
                        <dd>
                            <span class="ts-avg">"Baseline average: " {average(insight.baseline_average)}</span>
                            <span class="ts-avg">"Insight average: " {average(insight.insight_average)}</span>
                            <span class="ts-avg">"Rate change: " {rate_change(insight.baseline_average, insight.insight_average)}</span>
                        </dd>
                    </div>
                    {kv("Event source", key.source.clone())}
                    {kv("Source event category", key.source_category.clone())}
                    {kv("Start event ID", insight.start_event_id.clone())}
                    {kv("End event ID", insight.end_event_id.clone())}
                    {kv("Shared event ID", insight.shared_event_id.clone())}
                </dl>
            </section>
            {(!why.is_empty()).then(|| view! {
                <section class="ts-panel ts-why" aria-labelledby="ts-why-title">
                    <h3 id="ts-why-title">"Why unusual"</h3>
                    <ul class="ts-why-list">
                        {why.into_iter().map(|line| view! { <li>{line}</li> }).collect_view()}
                    </ul>
                </section>
            })}
        </header>
    }
}
