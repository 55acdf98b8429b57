//! The Insights table: AWS's columns plus Region, Account and Duration,
//! sortable by any column, a row (click or Enter) opens the details page.
//! The last column says who found the Insight (AWS, Trailsight or both);
//! AWS's own Insights that none of ours pairs with are rows too.
//!
//! [`InsightsTable`] owns the rows and the sort order; the parts are one
//! component per file: the sortable column [`header`], one Insight's [`row`]
//! and the [`empty_note`] shown when no row is left. Filtering and sorting are
//! [`crate::app::table_logic`].

pub mod empty_note;
pub mod header;
pub mod row;

use super::state::AppState;
use super::table_logic::{caption, visible, Column, Filters, Sort};
use crate::model::Insight;
use empty_note::EmptyNote;
use header::SortHeader;
use leptos::prelude::*;
use row::InsightRow;

/// Ours, then AWS's own that none of ours pairs with.
fn all_insights(state: AppState) -> Vec<Insight> {
    let mut v = state.insights.get();
    state.summary.with(|s| {
        if let Some(s) = s {
            v.extend(s.pairing.aws_only().cloned());
        }
    });
    v
}

/// Indexes into `all` of the rows `filters` keep, in `sort` order; the
/// "found by" filter needs the pairing, so it is applied here.
fn shown_rows(state: AppState, all: &[Insight], f: &Filters, sort: Sort) -> Vec<usize> {
    let mut rows = visible(all, f, sort);
    if let Some(want) = f.found_by {
        rows.retain(|&n| {
            all.get(n)
                .is_some_and(|i| state.found_by(&i.shared_event_id) == want)
        });
    }
    rows
}

#[component]
pub fn InsightsTable(filters: RwSignal<Filters>) -> impl IntoView {
    let state = expect_context::<AppState>();
    let sort = RwSignal::new(Sort::default());
    let all = Memo::new(move |_| all_insights(state));
    let rows =
        Memo::new(move |_| all.with(|all| filters.with(|f| shown_rows(state, all, f, sort.get()))));
    let body = move || {
        let utc = state.use_utc.get();
        all.with(|all| {
            rows.get()
                .into_iter()
                .filter_map(|n| all.get(n).cloned())
                .map(|insight| view! { <InsightRow insight utc /> })
                .collect_view()
        })
    };
    view! {
        <div class="ts-table-wrap">
            <table class="ts-table ts-insights" id="insights" aria-label="Insights">
                <caption class="ts-caption">
                    {move || caption(rows.with(Vec::len), all.with(Vec::len))}
                </caption>
                <thead>
                    <tr>
                        {Column::ALL
                            .into_iter()
                            .map(|column| view! { <SortHeader column sort /> })
                            .collect_view()}
                        <th scope="col">"Found by"</th>
                    </tr>
                </thead>
                <tbody>{body}</tbody>
            </table>
            {move || rows.with(Vec::is_empty).then(|| view! { <EmptyNote /> })}
        </div>
    }
}
