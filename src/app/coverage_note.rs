//! What detection analysed, in words ([`crate::engine::explain`]): the
//! headline ("312 series tested over 8.0 days of baseline: nothing unusual",
//! or why nothing could be tested) and its notes, each note about a setting
//! with a link that opens Settings on that setting.

use super::bursts::offer::BurstsOffer;
use super::state::AppState;
use crate::engine::explain::{explain, Setting};
use leptos::prelude::*;
use wasm_bindgen::JsCast;

/// The Settings checkbox of a setting, and the link's words.
fn target(setting: Setting) -> (&'static str, &'static str) {
    match setting {
        Setting::CallRate => ("s-call", "Switch ApiCallRateInsight on in Settings"),
        Setting::ErrorRate => ("s-error", "Switch ApiErrorRateInsight on in Settings"),
        Setting::ReadCalls => ("s-read", "Watch read calls in Settings"),
        Setting::DataEvents => ("s-data", "Watch data events in Settings"),
    }
}

/// Opens the Settings panel and puts the focus on the checkbox `id`.
fn open_setting(id: &str) {
    let Some(doc) = web_sys::window().and_then(|w| w.document()) else {
        return;
    };
    if let Some(panel) = doc.get_element_by_id("settings") {
        panel.set_attribute("open", "").ok();
    }
    if let Some(input) = doc
        .get_element_by_id(id)
        .and_then(|e| e.dyn_into::<web_sys::HtmlElement>().ok())
    {
        input.focus().ok();
    }
}

/// `headline_only`: the headline alone (the empty Insights list); otherwise
/// the headline and its notes (the summary).
#[component]
pub fn CoverageNote(#[prop(optional)] headline_only: bool) -> impl IntoView {
    let state = expect_context::<AppState>();
    move || {
        let summary = state.summary.get()?;
        let why = explain(&summary.coverage, state.insights.with(Vec::len));
        if headline_only {
            return Some(
                view! { <span class="ts-coverage__headline">{why.headline}</span><BurstsOffer /> }
                    .into_any(),
            );
        }
        let notes = why
            .notes
            .into_iter()
            .map(|note| {
                let link = note.setting.map(|s| {
                    let (id, label) = target(s);
                    view! {
                        " "
                        <a href="#settings" class="ts-link ts-coverage__setting" data-setting=id
                            on:click=move |ev| { ev.prevent_default(); open_setting(id); }>{label}</a>
                    }
                });
                view! { <li>{note.text}{link}</li> }
            })
            .collect_view();
        Some(
            view! {
                <div class="ts-coverage" id="coverage">
                    <p class="ts-coverage__headline" id="coverage-headline">{why.headline}</p>
                    <p class="ts-coverage__bursts"><BurstsOffer /></p>
                    <ul class="ts-coverage__notes">{notes}</ul>
                </div>
            }
            .into_any(),
        )
    }
}
