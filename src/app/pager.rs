//! Previous / Next paging of an events table (the events tab and the events
//! view): the `1–50 of 1234` label and the request's status beside it.

use leptos::prelude::*;

/// Events per page.
pub const PAGE_SIZE: u32 = 50;

/// `1–50 of 1234`, or `No events` when there are none.
pub fn page_label(offset: u32, shown: usize, total: u32) -> String {
    if total == 0 || shown == 0 {
        return "No events".to_string();
    }
    let last = u64::from(offset) + shown as u64;
    format!("{}–{} of {}", u64::from(offset) + 1, last, total)
}

/// The pager of a table showing `shown` rows of page `page` out of `total`
/// rows; `on_go` gets the page to show. `id` names the buttons and the label
/// (`{id}-prev`, `{id}-next`, `{id}-page-label`) when the page needs them.
#[component]
pub fn Pager(
    #[prop(into)] page: Signal<u32>,
    #[prop(into)] total: Signal<u32>,
    #[prop(into)] shown: Signal<usize>,
    #[prop(into)] status: Signal<Option<String>>,
    on_go: Callback<u32>,
    #[prop(optional)] id: Option<&'static str>,
) -> impl IntoView {
    let pages = move || total.get().div_ceil(PAGE_SIZE).max(1);
    let label = move || {
        page_label(
            page.get().saturating_mul(PAGE_SIZE),
            shown.get(),
            total.get(),
        )
    };
    let named = move |suffix: &str| id.map(|id| format!("{id}-{suffix}"));
    view! {
        <div class="ts-pager" role="navigation" aria-label="Event pages">
            <button
                type="button"
                id=named("prev")
                disabled=move || page.get() == 0
                on:click=move |_| on_go.run(page.get_untracked().saturating_sub(1))
            >
                "Previous"
            </button>
            <span class="ts-page-label" id=named("page-label") aria-live="polite" data-total=move || total.get().to_string()>
                {label}
            </span>
            <button
                type="button"
                id=named("next")
                disabled=move || { page.get() + 1 >= pages() }
                on:click=move |_| on_go.run(page.get_untracked() + 1)
            >
                "Next"
            </button>
            {move || status.get().map(|s| view! { <span class="ts-muted" role="status">{s}</span> })}
        </div>
    }
}
