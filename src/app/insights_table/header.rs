//! One sortable column header of the Insights table: a button that toggles the
//! sort, `aria-sort` for screen readers and an arrow for the eye.

use crate::app::table_logic::{Column, Sort};
use leptos::prelude::*;

#[component]
pub fn SortHeader(column: Column, sort: RwSignal<Sort>) -> impl IntoView {
    view! {
        <th scope="col" aria-sort=move || sort.get().aria_sort(column) class:ts-num=column.is_numeric()>
            <button type="button" class="ts-sort" on:click=move |_| sort.update(|s| *s = s.toggled(column))>
                {column.label()}
                <span aria-hidden="true">{move || sort.get().arrow(column)}</span>
            </button>
        </th>
    }
}
