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
    let options = vec![
        ("", "Any"),
        ("ApiCallRateInsight", "API call rate"),
        ("ApiErrorRateInsight", "API error rate"),
    ];
    let get = |f: &Filters| f.insight_type.map(|t| t.as_str()).unwrap_or("");
    let set = |f: &mut Filters, v: &str| {
        f.insight_type = match v {
            "ApiCallRateInsight" => Some(InsightType::ApiCallRateInsight),
            "ApiErrorRateInsight" => Some(InsightType::ApiErrorRateInsight),
            _ => None,
        }
    };
    select_field(filters, "f-type", "Insight type", options, get, set)
}

fn found_by_field(filters: RwSignal<Filters>) -> impl IntoView {
    let options = std::iter::once(("", "Anyone"))
        .chain(FoundBy::ALL.into_iter().map(|f| (f.slug(), f.label())))
        .collect();
    let get = |f: &Filters| f.found_by.map(FoundBy::slug).unwrap_or("");
    let set = |f: &mut Filters, v: &str| f.found_by = FoundBy::from_slug(v);
    select_field(filters, "f-found-by", "Found by", options, get, set)
}

/// A choice among `options` (value, label) bound to one field of [`Filters`].
fn select_field(
    filters: RwSignal<Filters>,
    id: &'static str,
    label: &'static str,
    options: Vec<(&'static str, &'static str)>,
    get: fn(&Filters) -> &'static str,
    set: fn(&mut Filters, &str),
) -> impl IntoView {
    view! {
        <label class="ts-field" for=id>
            <span>{label}</span>
            <select
                id=id
                on:change=move |ev| filters.update(|f| set(f, &event_target_value(&ev)))
                prop:value=move || filters.with(get)
            >
                {options.into_iter().map(|(value, text)| view! { <option value=value>{text}</option> }).collect_view()}
            </select>
        </label>
    }
}
