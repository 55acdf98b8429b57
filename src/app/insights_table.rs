//! The Insights table: AWS's columns plus Region, Account and Duration,
//! sortable by any column, a row (click or Enter) opens the details page.
//! The last column says who found the Insight (AWS, Trailsight or both);
//! AWS's own Insights that none of ours pairs with are rows too.

use super::coverage_note::CoverageNote;
use super::format;
use super::routing::{navigate, DetailsTab, Route};
use super::state::AppState;
use super::table_logic::{visible, Column, Filters, Sort};
use leptos::prelude::*;

#[component]
pub fn InsightsTable(filters: RwSignal<Filters>) -> impl IntoView {
    let state = expect_context::<AppState>();
    let sort = RwSignal::new(Sort::default());
    // Ours, then AWS's own that none of ours pairs with.
    let all = Memo::new(move |_| {
        let mut v = state.insights.get();
        state.summary.with(|s| {
            if let Some(s) = s {
                v.extend(s.pairing.aws_only().cloned());
            }
        });
        v
    });
    let rows = Memo::new(move |_| {
        all.with(|all| {
            filters.with(|f| {
                let mut rows = visible(all, f, sort.get());
                if let Some(want) = f.found_by {
                    rows.retain(|&n| {
                        all.get(n)
                            .is_some_and(|i| state.found_by(&i.shared_event_id) == want)
                    });
                }
                rows
            })
        })
    });
    let open = move |id: String| {
        state.selected.set(Some(id.clone()));
        navigate(&Route::Details {
            id,
            tab: DetailsTab::Graph,
        });
    };

    let header = move |column: Column| {
        let aria_sort = move || {
            let s = sort.get();
            if s.column != column {
                "none"
            } else if s.ascending {
                "ascending"
            } else {
                "descending"
            }
        };
        let arrow = move || {
            let s = sort.get();
            if s.column != column {
                ""
            } else if s.ascending {
                " ▲"
            } else {
                " ▼"
            }
        };
        view! {
            <th scope="col" aria-sort=aria_sort class:ts-num=column.is_numeric()>
                <button type="button" class="ts-sort" on:click=move |_| sort.update(|s| *s = s.toggled(column))>
                    {column.label()}
                    <span aria-hidden="true">{arrow}</span>
                </button>
            </th>
        }
    };

    view! {
        <div class="ts-table-wrap">
            <table class="ts-table ts-insights" id="insights" aria-label="Insights">
                <caption class="ts-caption">
                    {move || {
                        let shown = rows.with(Vec::len);
                        let total = all.with(Vec::len);
                        if shown == total {
                            format!("Insights ({total})")
                        } else {
                            format!("Insights ({shown} of {total})")
                        }
                    }}
                </caption>
                <thead>
                    <tr>
                        {Column::ALL.into_iter().map(header).collect_view()}
                        <th scope="col">"Found by"</th>
                    </tr>
                </thead>
                <tbody>
                    {move || {
                        let utc = state.use_utc.get();
                        all.with(|all| {
                            rows.get()
                                .into_iter()
                                .filter_map(|n| all.get(n).cloned())
                                .map(|i| {
                                    let id = i.shared_event_id.clone();
                                    let (id_click, id_key) = (id.clone(), id.clone());
                                    let name_label = match &i.key.error_code {
                                        Some(code) => format!("{} ({code})", i.key.name),
                                        None => i.key.name.clone(),
                                    };
                                    let aria = format!("Open Insight {name_label}");
                                    let found = state.found_by(&id);
                                    view! {
                                        <tr
                                            class="ts-row"
                                            tabindex="0"
                                            data-id=id.clone()
                                            aria-label=aria
                                            on:click=move |_| open(id_click.clone())
                                            on:keydown=move |ev| {
                                                if ev.key() == "Enter" || ev.key() == " " {
                                                    ev.prevent_default();
                                                    open(id_key.clone());
                                                }
                                            }
                                        >
                                            <td><a class="ts-link" href=Route::Details { id: id.clone(), tab: DetailsTab::Graph }.to_hash() tabindex="-1">{name_label}</a></td>
                                            <td>{format::insight_type_label(i.key.insight_type)}</td>
                                            <td>{i.key.source.clone()}</td>
                                            <td class="ts-nowrap">{format::format_minute_in(i.start_minute, utc)}</td>
                                            <td class="ts-num">{format::average(i.baseline_average)}</td>
                                            <td class="ts-num">{format::average(i.insight_average)}</td>
                                            <td class="ts-num">{format::rate_change(i.baseline_average, i.insight_average)}</td>
                                            <td>{i.key.region.clone()}</td>
                                            <td class="ts-mono">{i.key.account.clone()}</td>
                                            <td class="ts-num">{format::minutes(i.insight_duration)}</td>
                                            <td class="ts-found-by" data-found-by=found.slug()>{found.label()}</td>
                                        </tr>
                                    }
                                })
                                .collect_view()
                        })
                    }}
                </tbody>
            </table>
            {move || (rows.with(Vec::is_empty)).then(|| view! {
                <p class="ts-empty">
                    {move || if state.insights.with(Vec::is_empty) {
                        view! { "No Insights. " <CoverageNote headline_only=true /> }.into_any()
                    } else {
                        "No Insights match these filters.".into_any()
                    }}
                </p>
            })}
        </div>
    }
}
