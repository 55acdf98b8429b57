//! The filters above the Insights list: event name, source, event ID, insight
//! type, Region, account and a time range (in the chosen time zone).

use super::format;
use super::state::AppState;
use super::table_logic::Filters;
use crate::engine::pairing::FoundBy;
use crate::model::InsightType;
use leptos::prelude::*;

#[component]
pub fn FilterBar(filters: RwSignal<Filters>) -> impl IntoView {
    let state = expect_context::<AppState>();
    let use_utc = state.use_utc;
    view! {
        <form class="ts-filters" role="search" aria-label="Filter Insights" on:submit=|ev| ev.prevent_default()>
            {text_field(filters, "f-name", "Event name", |f| f.event_name.clone(), |f, v| f.event_name = v)}
            {text_field(filters, "f-source", "Event source", |f| f.event_source.clone(), |f, v| f.event_source = v)}
            {text_field(filters, "f-id", "Event ID", |f| f.event_id.clone(), |f, v| f.event_id = v)}
            {insight_type_field(filters)}
            {text_field(filters, "f-region", "Region", |f| f.region.clone(), |f, v| f.region = v)}
            {text_field(filters, "f-account", "Account", |f| f.account.clone(), |f, v| f.account = v)}
            {found_by_field(filters)}
            {time_field(filters, use_utc, "f-from", "From", |f| f.from_minute, |f, v| f.from_minute = v)}
            {time_field(filters, use_utc, "f-to", "To", |f| f.to_minute, |f, v| f.to_minute = v)}
            <button
                type="button"
                class="ts-button ts-button--link"
                on:click=move |_| filters.set(Filters::default())
                disabled=move || filters.with(Filters::is_empty)
            >
                "Clear filters"
            </button>
        </form>
    }
}

/// A free-text filter bound to one field of [`Filters`].
fn text_field(
    filters: RwSignal<Filters>,
    id: &'static str,
    label: &'static str,
    get: fn(&Filters) -> String,
    set: fn(&mut Filters, String),
) -> impl IntoView {
    view! {
        <label class="ts-field" for=id>
            <span>{label}</span>
            <input
                id=id
                type="search"
                prop:value=move || filters.with(get)
                on:input=move |ev| filters.update(|f| set(f, event_target_value(&ev)))
            />
        </label>
    }
}

/// A minute filter, shown and read in the chosen time zone.
fn time_field(
    filters: RwSignal<Filters>,
    use_utc: RwSignal<bool>,
    id: &'static str,
    label: &'static str,
    get: fn(&Filters) -> Option<i64>,
    set: fn(&mut Filters, Option<i64>),
) -> impl IntoView {
    view! {
        <label class="ts-field" for=id>
            <span>{label}</span>
            <input
                id=id
                type="datetime-local"
                prop:value=move || filters.with(get).map(|m| format::input_value(m, use_utc.get())).unwrap_or_default()
                on:change=move |ev| {
                    let v = format::parse_minute_in(&event_target_value(&ev), use_utc.get_untracked());
                    filters.update(|f| set(f, v));
                }
            />
        </label>
    }
}

fn insight_type_field(filters: RwSignal<Filters>) -> impl IntoView {
    view! {
        <label class="ts-field" for="f-type">
            <span>"Insight type"</span>
            <select
                id="f-type"
                on:change=move |ev| {
                    let t = match event_target_value(&ev).as_str() {
                        "ApiCallRateInsight" => Some(InsightType::ApiCallRateInsight),
                        "ApiErrorRateInsight" => Some(InsightType::ApiErrorRateInsight),
                        _ => None,
                    };
                    filters.update(|f| f.insight_type = t);
                }
                prop:value=move || filters.with(|f| f.insight_type.map(|t| t.as_str()).unwrap_or(""))
            >
                <option value="">"Any"</option>
                <option value="ApiCallRateInsight">"API call rate"</option>
                <option value="ApiErrorRateInsight">"API error rate"</option>
            </select>
        </label>
    }
}

fn found_by_field(filters: RwSignal<Filters>) -> impl IntoView {
    view! {
        <label class="ts-field" for="f-found-by">
            <span>"Found by"</span>
            <select
                id="f-found-by"
                on:change=move |ev| {
                    let v = FoundBy::from_slug(&event_target_value(&ev));
                    filters.update(|f| f.found_by = v);
                }
                prop:value=move || filters.with(|f| f.found_by.map(FoundBy::slug).unwrap_or(""))
            >
                <option value="">"Anyone"</option>
                {FoundBy::ALL.into_iter().map(|f| view! { <option value=f.slug()>{f.label()}</option> }).collect_view()}
            </select>
        </label>
    }
}
