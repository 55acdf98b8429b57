//! One burst (`#/bursts/<rank>`): what it is, its chart over the capture,
//! its top identities, user agents and source IPs, and its events (the
//! details page's events listing, for the burst's series and minutes).

use super::chart::BurstChart;
use super::logic::{as_window, burst_label, capture_range, noun};
use super::top_values::TopValues;
use crate::app::details::events::EventsTab;
use crate::app::format;
use crate::app::AppState;
use crate::engine::bursts::Burst;
use leptos::prelude::*;

#[component]
pub fn BurstDetail(burst: Burst, rank: usize) -> impl IntoView {
    let state = expect_context::<AppState>();
    let range = state
        .summary
        .with_untracked(|s| s.as_ref().map(|s| capture_range(&burst, &s.coverage)))
        .unwrap_or(burst.minutes);
    let start = burst.minutes.start;
    let peak = burst.peak_minute;
    let b = burst.clone();
    let facts = move || {
        let utc = state.use_utc.get();
        format!(
            "{} {} in {} from {} (peak {} at {}); the capture of this account/Region covers {} ({} {} in all), and the rest of it averages {} a minute. Score {:.1} (−log₁₀ of the Poisson probability).",
            burst.events,
            noun(&burst),
            format::duration(u32::try_from(burst.minutes.len()).unwrap_or(u32::MAX)),
            format::format_minute_in(start, utc),
            burst.peak_count,
            format::format_minute_in(peak, utc),
            format::duration(u32::try_from(burst.covered_minutes).unwrap_or(u32::MAX)),
            burst.series_events,
            noun(&burst),
            format::average(burst.expected_per_minute),
            burst.score,
        )
    };
    view! {
        <div class="ts-burst" id="burst-detail" data-rank=rank.to_string()>
            <p><a class="ts-link" href="#/bursts">"← All bursts"</a></p>
            <h3 id="burst-title">{format!("#{rank} {}", burst_label(&b))}</h3>
            <p class="ts-muted">{format!("{} · {} · {}", b.key.source, b.key.region, b.key.account)}</p>
            <p id="burst-facts">{facts}</p>
            <BurstChart burst=b.clone() range=range />
            <div class="ts-burst-tops">
                <TopValues title="Top identities" id="burst-identities" values=b.top_identities.clone() />
                <TopValues title="Top user agents" id="burst-agents" values=b.top_user_agents.clone() />
                <TopValues title="Top source IPs" id="burst-ips" values=b.top_source_ips.clone() />
            </div>
            <h4>"Events of the burst"</h4>
            <EventsTab insight=as_window(&b) visible=Signal::derive(|| true)
                switch_label="Only show events of this burst's series" />
        </div>
    }
}
