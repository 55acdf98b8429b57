//! One "top values" table of a burst (identities, user agents or source IPs).

use crate::engine::bursts::ValueCount;
use leptos::prelude::*;

#[component]
pub fn TopValues(title: &'static str, id: &'static str, values: Vec<ValueCount>) -> impl IntoView {
    let rows = if values.is_empty() {
        view! { <tr><td colspan="2" class="ts-muted">"None recorded"</td></tr> }.into_any()
    } else {
        values
            .into_iter()
            .map(|v| view! { <tr><td class="ts-break">{v.value}</td><td class="ts-num">{v.events}</td></tr> })
            .collect_view()
            .into_any()
    };
    view! {
        <table class="ts-table ts-burst-top" id=id>
            <caption class="ts-caption">{title}</caption>
            <thead><tr><th scope="col">"Value"</th><th scope="col" class="ts-num">"Events"</th></tr></thead>
            <tbody>{rows}</tbody>
        </table>
    }
}
