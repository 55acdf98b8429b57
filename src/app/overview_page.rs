//! The Overview page (`#/overview`): what the loaded events are made of, as
//! a small bar chart per top list ([`super::top_bars::TopBars`]); every bar
//! opens the events view filtered by its value. The numbers come from the
//! analysis worker ([`crate::engine::overview`]).

use super::format::{format_ms_in, group_thousands};
use super::routing::{EventFilter, Route};
use super::state::AppState;
use super::top_bars::TopBars;
use super::DataClient;
use crate::engine::overview::{Counted, Overview};
use leptos::prelude::*;

fn api(c: &Counted) -> EventFilter {
    EventFilter {
        source: Some(c.detail.clone()),
        name: Some(c.value.clone()),
        ..Default::default()
    }
}
fn identity(c: &Counted) -> EventFilter {
    EventFilter {
        identity: Some(c.value.clone()),
        ..Default::default()
    }
}
fn identity_type(c: &Counted) -> EventFilter {
    EventFilter {
        identity_type: Some(c.value.clone()),
        ..Default::default()
    }
}
fn user_agent(c: &Counted) -> EventFilter {
    EventFilter {
        user_agent: Some(c.value.clone()),
        ..Default::default()
    }
}
fn source_ip(c: &Counted) -> EventFilter {
    EventFilter {
        source_ip: Some(c.value.clone()),
        ..Default::default()
    }
}
fn error_code(c: &Counted) -> EventFilter {
    EventFilter {
        error_code: Some(c.value.clone()),
        ..Default::default()
    }
}
fn region(c: &Counted) -> EventFilter {
    EventFilter {
        region: Some(c.value.clone()),
        ..Default::default()
    }
}
fn account(c: &Counted) -> EventFilter {
    EventFilter {
        account: Some(c.value.clone()),
        ..Default::default()
    }
}

#[component]
pub fn OverviewPage() -> impl IntoView {
    let state = expect_context::<AppState>();
    let client = use_context::<DataClient>();
    let overview = RwSignal::new(None::<Result<Overview, String>>);
    // Fetch again whenever a new load (or detection) replaces the summary.
    Effect::new(move |_| {
        if !state.summary.with(Option::is_some) {
            return;
        }
        let Some(client) = client.clone() else {
            overview.set(Some(Err("No data client".into())));
            return;
        };
        leptos::task::spawn_local(async move {
            let result = client.overview(EventFilter::default()).await;
            overview.try_set(Some(result));
        });
    });
    view! {
        <div class="ts-overview" id="overview">
            {move || match overview.get() {
                None => view! { <p class="ts-muted" role="status">"Counting events…"</p> }.into_any(),
                Some(Err(e)) => view! { <p class="ts-error">{format!("Could not build the Overview: {e}")}</p> }.into_any(),
                Some(Ok(o)) => view! { <OverviewBody overview=o /> }.into_any(),
            }}
        </div>
    }
}

/// The totals and the top lists of one Overview.
#[component]
fn OverviewBody(overview: Overview) -> impl IntoView {
    let state = expect_context::<AppState>();
    let o = overview;
    let span = move || match (o.first_ms, o.last_ms) {
        (Some(a), Some(b)) => {
            let utc = state.use_utc.get();
            format!("{} to {}", format_ms_in(a, utc), format_ms_in(b, utc))
        }
        _ => "No events".to_string(),
    };
    let all = Route::events(EventFilter::default()).to_hash();
    let failed_share = if o.events == 0 {
        0.0
    } else {
        o.errors as f64 * 100.0 / o.events as f64
    };
    view! {
        <section class="ts-panel ts-overview__totals" aria-label="Totals">
            <h2>"Overview"</h2>
            <dl class="ts-overview__kpis">
                <div><dt>"Events"</dt><dd id="overview-events">{group_thousands(o.events as i64)}</dd></div>
                <div><dt>"Failed calls"</dt><dd id="overview-errors">{format!("{} ({failed_share:.1}%)", group_thousands(o.errors as i64))}</dd></div>
                <div><dt>"Access denied"</dt><dd id="overview-denied">{group_thousands(o.access_denied as i64)}</dd></div>
                <div><dt>"Identities"</dt><dd>{group_thousands(o.identities.distinct as i64)}</dd></div>
                <div><dt>"APIs"</dt><dd>{group_thousands(o.apis.distinct as i64)}</dd></div>
                <div><dt>"Source IPs"</dt><dd>{group_thousands(o.source_ips.distinct as i64)}</dd></div>
            </dl>
            <p class="ts-muted">{span} " · " <a class="ts-link" id="overview-all-events" href=all>"All events"</a></p>
        </section>
        <div class="ts-overview__grid">
            <TopBars title="Top APIs" id="overview-apis" list=o.apis filter_of=api />
            <TopBars title="Top identities" id="overview-identities" list=o.identities filter_of=identity missing_label="no identity" />
            <TopBars title="Error codes" id="overview-errors-list" list=o.error_codes filter_of=error_code missing_label="succeeded" />
            <TopBars title="Top source IPs" id="overview-ips" list=o.source_ips filter_of=source_ip missing_label="no source IP" />
            <TopBars title="Top user agents" id="overview-agents" list=o.user_agents filter_of=user_agent missing_label="no user agent" />
            <TopBars title="Identity types" id="overview-identity-types" list=o.identity_types filter_of=identity_type missing_label="no identity type" />
            <TopBars title="Regions" id="overview-regions" list=o.regions filter_of=region />
            <TopBars title="Accounts" id="overview-accounts" list=o.accounts filter_of=account />
        </div>
    }
}
