//! The ranked list of bursts; a row opens `#/bursts/<rank>`.

use super::logic::{burst_label, kind_label};
use crate::app::format;
use crate::app::routing::{navigate, Route};
use crate::app::AppState;
use crate::engine::bursts::Burst;
use leptos::prelude::*;

#[component]
pub fn BurstList(bursts: Vec<Burst>) -> impl IntoView {
    let state = expect_context::<AppState>();
    if bursts.is_empty() {
        let why = if state.summary.with(|s| {
            s.as_ref()
                .is_some_and(|s| s.coverage.regions.iter().all(|r| r.enough_history))
        }) {
            "No bursts: every account/Region has 24 hours of history, so its minutes are tested for Insights instead."
        } else {
            "No bursts: no minute stands out against the rest of this capture."
        };
        return view! { <p class="ts-empty" id="bursts-empty">{why}</p> }.into_any();
    }
    let rows = bursts
        .into_iter()
        .enumerate()
        .map(|(n, b)| {
            let rank = n + 1;
            let route = Route::Bursts { rank: Some(rank) };
            let (go_click, go_key) = (route.clone(), route.clone());
            let label = burst_label(&b);
            let start = b.minutes.start;
            view! {
                <tr class="ts-row" tabindex="0" data-rank=rank.to_string()
                    on:click=move |_| navigate(&go_click)
                    on:keydown=move |ev| {
                        if ev.key() == "Enter" || ev.key() == " " {
                            ev.prevent_default();
                            navigate(&go_key);
                        }
                    }>
                    <td class="ts-num">{rank}</td>
                    <td><a class="ts-link" href=route.to_hash() tabindex="-1">{label}</a></td>
                    <td>{kind_label(&b)}</td>
                    <td>{b.key.source.clone()}</td>
                    <td class="ts-nowrap">{move || format::format_minute_in(start, state.use_utc.get())}</td>
                    <td class="ts-num">{format::duration(u32::try_from(b.minutes.len()).unwrap_or(u32::MAX))}</td>
                    <td class="ts-num">{b.events}</td>
                    <td class="ts-num">{format::average(b.expected_per_minute)}</td>
                    <td class="ts-num">{format!("{:.1}", b.score)}</td>
                    <td>{b.key.region.clone()}</td>
                    <td class="ts-mono">{b.key.account.clone()}</td>
                </tr>
            }
        })
        .collect_view();
    view! {
        <div class="ts-table-wrap">
            <table class="ts-table ts-bursts-table" id="bursts-table" aria-label="Bursts">
                <thead>
                    <tr>
                        <th scope="col" class="ts-num">"Rank"</th>
                        <th scope="col">"Event name"</th>
                        <th scope="col">"Counts"</th>
                        <th scope="col">"Event source"</th>
                        <th scope="col">"Burst start time"</th>
                        <th scope="col" class="ts-num">"Duration"</th>
                        <th scope="col" class="ts-num">"Events"</th>
                        <th scope="col" class="ts-num">"Rest of capture (per minute)"</th>
                        <th scope="col" class="ts-num">"Score (−log₁₀ p)"</th>
                        <th scope="col">"Region"</th>
                        <th scope="col">"Account"</th>
                    </tr>
                </thead>
                <tbody>{rows}</tbody>
            </table>
        </div>
    }
    .into_any()
}
