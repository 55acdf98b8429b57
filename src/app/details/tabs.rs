//! The details page's tablist (WAI-ARIA tabs pattern): four `role="tab"` buttons
//! with `aria-selected`, a roving `tabindex`, and Left/Right/Home/End moving (and
//! activating) the selected tab, with focus following it.

use crate::app::routing::DetailsTab;
use leptos::prelude::*;

/// The `id` of a tab button (`ts-tab-graph`, …).
pub fn tab_id(tab: DetailsTab) -> String {
    format!("ts-tab-{}", tab.slug())
}

/// The `id` of a tab panel (`ts-panel-graph`, …).
pub fn panel_id(tab: DetailsTab) -> String {
    format!("ts-panel-{}", tab.slug())
}

/// The tab a key press moves to from `current` (wrapping at the ends), or `None`
/// when the key is not a tab navigation key.
pub fn tab_for_key(current: DetailsTab, key: &str) -> Option<DetailsTab> {
    let all = DetailsTab::ALL;
    let i = all.iter().position(|t| *t == current).unwrap_or(0);
    match key {
        "ArrowRight" => Some(all[(i + 1) % all.len()]),
        "ArrowLeft" => Some(all[(i + all.len() - 1) % all.len()]),
        "Home" => Some(all[0]),
        "End" => Some(all[all.len() - 1]),
        _ => None,
    }
}

/// The tablist. `on_select` is called with the tab to show (a click or a key).
#[component]
pub fn TabList(
    #[prop(into)] selected: Signal<DetailsTab>,
    on_select: Callback<DetailsTab>,
) -> impl IntoView {
    let on_keydown = move |ev: web_sys::KeyboardEvent| {
        let Some(next) = tab_for_key(selected.get_untracked(), &ev.key()) else {
            return;
        };
        ev.prevent_default();
        on_select.run(next);
        // Focus follows the selection so the keyboard user stays on the tabs.
        if let Some(el) = web_sys::window()
            .and_then(|w| w.document())
            .and_then(|d| d.get_element_by_id(&tab_id(next)))
        {
            use wasm_bindgen::JsCast;
            if let Ok(el) = el.dyn_into::<web_sys::HtmlElement>() {
                el.focus().ok();
            }
        }
    };
    let tabs = DetailsTab::ALL
        .into_iter()
        .map(|t| {
            let is = move || selected.get() == t;
            view! {
                <button
                    type="button"
                    role="tab"
                    class="ts-tab"
                    id=tab_id(t)
                    aria-controls=panel_id(t)
                    aria-selected=move || if is() { "true" } else { "false" }
                    tabindex=move || if is() { "0" } else { "-1" }
                    on:click=move |_| on_select.run(t)
                >
                    {t.label()}
                </button>
            }
        })
        .collect_view();
    view! {
        <div class="ts-tablist" role="tablist" aria-label="Insight details" on:keydown=on_keydown>
            {tabs}
        </div>
    }
}
