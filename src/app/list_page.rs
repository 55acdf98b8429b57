//! The list page: loading (drop zone, progress), the summary, the Skipped
//! panel, and the filtered, sortable Insights table with export.

use super::activity_chart::ActivityChart;
use super::counts_note::CountsNote;
use super::drop_zone::DropZone;
use super::export_bar::ExportBar;
use super::filter_bar::FilterBar;
use super::insights_table::InsightsTable;
use super::progress_panel::ProgressPanel;
use super::skipped_panel::SkippedPanel;
use super::state::AppState;
use super::summary::Summary;
use super::table_logic::Filters;
use leptos::prelude::*;

#[component]
pub fn ListPage(filters: RwSignal<Filters>) -> impl IntoView {
    let state = expect_context::<AppState>();
    let has_data = move || state.summary.with(Option::is_some);
    view! {
        <div class="ts-list">
            {move || view! { <DropZone compact=has_data() /> }}
            <ProgressPanel />
            <Show when=has_data>
                <Summary />
                <CountsNote />
                <ActivityChart />
                <SkippedPanel />
                <section class="ts-panel ts-insights-panel" aria-label="Insights list">
                    <div class="ts-toolbar">
                        <h2>"Insights"</h2>
                        <ExportBar />
                    </div>
                    <FilterBar filters=filters />
                    <InsightsTable filters=filters />
                </section>
            </Show>
        </div>
    }
}
