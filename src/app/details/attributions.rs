//! The Attributions tab: one table per attribute (Top user identity ARNs, Top user
//! agents, and for call-rate Insights Top error codes) with Value, Insight average
//! and Baseline average, shares in parentheses and as bars, an `Other` row, and an
//! expandable "Top baseline …" table. The numbers come from
//! [`crate::view_model::attributions`].

use crate::model::Insight;
use crate::view_model::attributions::{attribution_tables, format_cell, AttrRow, AttrTable};
use leptos::prelude::*;

/// A share bar (decorative: the share is also in the cell's text).
fn bar(share: Option<f64>) -> impl IntoView {
    share.map(|s| {
        let pct = (s * 100.0).clamp(0.0, 100.0);
        view! {
            <span class="ts-share" aria-hidden="true">
                <span class="ts-share-fill" style:width=format!("{pct:.1}%")></span>
            </span>
        }
    })
}

fn row_view(row: AttrRow, with_insight: bool) -> impl IntoView {
    let insight_cell = with_insight.then(|| {
        view! {
            <td class="ts-num">
                <span class="ts-cell-text">{format_cell(row.insight, row.insight_share)}</span>
                {bar(row.insight_share)}
            </td>
        }
    });
    view! {
        <tr class:ts-other=row.is_other>
            <th scope="row" class="ts-attr-value">{row.label}</th>
            {insight_cell}
            <td class="ts-num">
                <span class="ts-cell-text">{format_cell(row.baseline, row.baseline_share)}</span>
                {bar(row.baseline_share)}
            </td>
        </tr>
    }
}

fn table_view(table: AttrTable) -> impl IntoView {
    let cols = 3;
    let rows = if table.rows.is_empty() {
        view! { <tr><td colspan=cols class="ts-empty">"No values"</td></tr> }.into_any()
    } else {
        table
            .rows
            .into_iter()
            .map(|r| row_view(r, true))
            .collect_view()
            .into_any()
    };
    let baseline_rows = if table.baseline_rows.is_empty() {
        view! { <tr><td colspan="2" class="ts-empty">"No baseline activity"</td></tr> }.into_any()
    } else {
        table
            .baseline_rows
            .into_iter()
            .map(|r| row_view(r, false))
            .collect_view()
            .into_any()
    };
    view! {
        <section class="ts-attr" data-attribute=table.attribute>
            <h3>{table.title}</h3>
            <table class="ts-table ts-attr-table">
                <thead>
                    <tr>
                        <th scope="col">"Value"</th>
                        <th scope="col" class="ts-num">"Insight average"</th>
                        <th scope="col" class="ts-num">"Baseline average"</th>
                    </tr>
                </thead>
                <tbody>{rows}</tbody>
            </table>
            <details class="ts-attr-baseline">
                <summary>{table.baseline_title}</summary>
                <table class="ts-table ts-attr-table">
                    <thead>
                        <tr>
                            <th scope="col">"Value"</th>
                            <th scope="col" class="ts-num">"Baseline average"</th>
                        </tr>
                    </thead>
                    <tbody>{baseline_rows}</tbody>
                </table>
            </details>
        </section>
    }
}

/// The Attributions tab of `insight`.
#[component]
pub fn AttributionsTab(insight: Insight) -> impl IntoView {
    let tables = attribution_tables(&insight)
        .into_iter()
        .map(table_view)
        .collect_view();
    view! {
        <div class="ts-attributions">
            <p class="ts-muted">
                "Averages are per minute; the share of each column's total is in parentheses."
            </p>
            {tables}
        </div>
    }
}
