//! The top bar: product name (a link to the list), breadcrumbs on a details
//! page, the time-zone switch and the settings.

use super::routing::Route;
use super::settings_panel::SettingsPanel;
use super::state::AppState;
use leptos::prelude::*;

/// The Overview and Events links, shown once data is loaded.
#[component]
fn ViewLinks() -> impl IntoView {
    let state = expect_context::<AppState>();
    let here = move |overview: bool| {
        let on = match state.route.get() {
            Route::Overview => overview,
            Route::Events(_) => !overview,
            _ => false,
        };
        on.then_some("page")
    };
    view! {
        <span class="ts-crumbs__sep" aria-hidden="true">"·"</span>
        <a href=Route::Overview.to_hash() id="nav-overview" class="ts-link" aria-current=move || here(true)>"Overview"</a>
        <a href="#/events" id="nav-events" class="ts-link" aria-current=move || here(false)>"Events"</a>
        <a href="#/bursts" id="nav-bursts" class="ts-link" aria-current=move || matches!(state.route.get(), Route::Bursts { .. }).then_some("page")>"Bursts"</a>
    }
}

#[component]
pub fn Header() -> impl IntoView {
    let state = expect_context::<AppState>();
    view! {
        <header class="ts-header">
            <a class="ts-skip" href="#main" on:click=|ev| {
                ev.prevent_default();
                if let Some(main) = web_sys::window().and_then(|w| w.document()).and_then(|d| d.get_element_by_id("main")) {
                    main.scroll_into_view();
                }
            }>"Skip to content"</a>
            <nav class="ts-crumbs" aria-label="Breadcrumb">
                <a class="ts-brand" href="#/">"Trailsight"</a>
                <span class="ts-crumbs__sep" aria-hidden="true">"›"</span>
                <a href="#/" class="ts-link" aria-current=move || matches!(state.route.get(), Route::List).then_some("page")>"Insights"</a>
                {move || match state.route.get() {
                    Route::Details { id, .. } => Some(view! {
                        <span class="ts-crumbs__sep" aria-hidden="true">"›"</span>
                        <span class="ts-mono" aria-current="page">{id}</span>
                    }),
                    _ => None,
                }}
                {move || state.has_data().then(|| view! { <ViewLinks /> })}
            </nav>
            <div class="ts-header__tools">
                <div class="ts-toggle" role="group" aria-label="Time zone">
                    <button type="button" id="tz-utc-btn" aria-pressed=move || state.use_utc.get().to_string() on:click=move |_| state.use_utc.set(true)>"UTC"</button>
                    <button type="button" id="tz-local-btn" aria-pressed=move || (!state.use_utc.get()).to_string() on:click=move |_| state.use_utc.set(false)>"Local"</button>
                </div>
                <SettingsPanel />
            </div>
        </header>
    }
}
