//! Settings: the insight selectors (AWS's two types) plus our two
//! off-by-default extras, and the time zone. Changing detection settings
//! re-runs detection on the loaded data in the analysis worker.

use super::client::DataClient;
use super::state::{AppState, LoadStatus};
use crate::engine::DetectConfig;
use leptos::prelude::*;
use leptos::task::spawn_local;

#[component]
pub fn SettingsPanel() -> impl IntoView {
    let state = expect_context::<AppState>();
    let client = expect_context::<DataClient>();
    let detecting = RwSignal::new(false);

    let apply = move |change: fn(&mut DetectConfig, bool), on: bool| {
        state.settings.update(|s| change(s, on));
        if !state.has_data() || state.load.with_untracked(LoadStatus::is_busy) {
            return;
        }
        let client = client.clone();
        detecting.set(true);
        spawn_local(async move {
            match client.detect(state.settings.get_untracked()).await {
                Ok((summary, insights)) => {
                    state.summary.set(Some(summary));
                    state.insights.set(insights);
                }
                Err(e) => state.load.set(LoadStatus::Failed(e)),
            }
            detecting.set(false);
        });
    };
    let check = move |id: &'static str,
                      label: &'static str,
                      hint: &'static str,
                      get: fn(&DetectConfig) -> bool,
                      set: fn(&mut DetectConfig, bool)| {
        let apply = apply.clone();
        view! {
            <label class="ts-check" for=id>
                <input
                    id=id
                    type="checkbox"
                    prop:checked=move || state.settings.with(get)
                    on:change=move |ev| apply(set, event_target_checked(&ev))
                />
                <span>{label}</span>
                <small>{hint}</small>
            </label>
        }
    };

    view! {
        <details class="ts-panel ts-settings" id="settings">
            <summary>"Settings"</summary>
            <div class="ts-settings__body">
                <fieldset>
                    <legend>"Insight selectors"</legend>
                    {check("s-call", "ApiCallRateInsight", "write management API call volume", |s| s.call_rate, |s, v| s.call_rate = v)}
                    {check("s-error", "ApiErrorRateInsight", "management API error rate", |s| s.error_rate, |s, v| s.error_rate = v)}
                </fieldset>
                <fieldset>
                    <legend>"Beyond AWS (off by default)"</legend>
                    {check("s-read", "Read-API call volume", "count read-only calls in call-rate Insights", |s| s.include_read_calls, |s, v| s.include_read_calls = v)}
                    {check("s-data", "Data events", "watch data events as well as management events", |s| s.include_data_events, |s, v| s.include_data_events = v)}
                </fieldset>
                <fieldset>
                    <legend>"Time zone"</legend>
                    <label class="ts-check">
                        <input type="radio" name="tz" id="tz-utc" prop:checked=move || state.use_utc.get() on:change=move |_| state.use_utc.set(true) />
                        <span>"UTC"</span>
                    </label>
                    <label class="ts-check">
                        <input type="radio" name="tz" id="tz-local" prop:checked=move || !state.use_utc.get() on:change=move |_| state.use_utc.set(false) />
                        <span>"Local time"</span>
                    </label>
                </fieldset>
                <p class="ts-hint" aria-live="polite">{move || if detecting.get() { "Detecting again…" } else { "" }}</p>
            </div>
        </details>
    }
}
