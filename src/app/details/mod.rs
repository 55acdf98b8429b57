//! The details page of one Insight (`#/insights/<sharedEventID>/<tab>`).
//!
//! [`DetailsPage`] reads the route from [`AppState`], finds the Insight and lays
//! out: the left column of Insights of the same API and type ([`related`]), the
//! header with the Additional information panel ([`header`]), and the four tabs
//! ([`tabs`]): Insights graph ([`crate::app::insights_graph`]), Attributions
//! ([`attributions`]), CloudTrail events ([`events`]) and Insights event record
//! ([`record`]). All four panels stay mounted (inactive ones `hidden`) so the
//! graph's zoom and the events page survive tab switches.
//!
//! Every value from the data is rendered as text, never as HTML.

pub mod attributions;
pub mod aws_record;
pub mod event_row;
pub mod events;
pub mod header;
pub mod record;
pub mod record_block;
pub mod related;
pub mod sql_query;
pub mod tabs;

use crate::app::insights_graph::InsightsGraph;
use crate::app::routing::{self, DetailsTab, Route};
use crate::app::AppState;
use crate::model::Insight;
use leptos::prelude::*;

/// Whether `other` watches the same API with the same Insight type as `insight`
/// (any error code): the left column's list.
pub fn same_api_and_type(insight: &Insight, other: &Insight) -> bool {
    let (a, b) = (&insight.key, &other.key);
    a.insight_type == b.insight_type
        && a.account == b.account
        && a.region == b.region
        && a.source == b.source
        && a.name == b.name
        && a.source_category == b.source_category
}

/// The details page of the Insight selected by the route. Needs the
/// [`AppState`] and [`crate::app::DataClient`] contexts.
#[component]
pub fn DetailsPage() -> impl IntoView {
    let state = expect_context::<AppState>();
    let id = Memo::new(move |_| match state.route.get() {
        Route::Details { id, .. } => id,
        _ => String::new(),
    });
    let tab = Memo::new(move |_| match state.route.get() {
        Route::Details { tab, .. } => tab,
        _ => DetailsTab::Graph,
    });
    let insight = Memo::new(move |_| state.insight(&id.get()));
    Effect::new(move |_| {
        let id = id.get();
        if !id.is_empty() && state.selected.get_untracked().as_deref() != Some(id.as_str()) {
            state.selected.set(Some(id));
        }
    });

    view! {
        <section class="ts-details" aria-label="Insight details">
            <a class="ts-details-back" href="#/">"← All Insights"</a>
            {move || match insight.get() {
                Some(i) => view! { <DetailsBody insight=i tab=tab /> }.into_any(),
                None => view! { <NotFound id=id.get() loaded=state.has_data() /> }.into_any(),
            }}
        </section>
    }
}

/// Shown when the route's ID is not among the loaded Insights (e.g. after a
/// reload before the data is dropped again).
#[component]
fn NotFound(id: String, loaded: bool) -> impl IntoView {
    let text = if loaded {
        format!("No Insight with shared event ID {id} in the loaded data.")
    } else {
        "No data is loaded. Drop your CloudTrail logs on the Insights page to see this Insight."
            .to_string()
    };
    view! {
        <div class="ts-details-missing" role="alert">
            <p>{text}</p>
            <p><a href="#/">"Back to Insights"</a></p>
        </div>
    }
}

/// The page for one Insight.
#[component]
fn DetailsBody(insight: Insight, #[prop(into)] tab: Signal<DetailsTab>) -> impl IntoView {
    let state = expect_context::<AppState>();
    let related_all = {
        let insight = insight.clone();
        Memo::new(move |_| {
            state.insights.with(|all| {
                all.iter()
                    .filter(|o| same_api_and_type(&insight, o))
                    .cloned()
                    .collect::<Vec<_>>()
            })
        })
    };
    // Bands on the graph: Insights of exactly the same series (same error code).
    let same_series = {
        let key = insight.key.clone();
        Memo::new(move |_| {
            related_all.with(|r| {
                r.iter()
                    .filter(|o| o.key == key)
                    .cloned()
                    .collect::<Vec<_>>()
            })
        })
    };
    let id = insight.shared_event_id.clone();
    // A tab change is a route change (kept in history, so Back returns to the tab).
    let select_tab = Callback::new(move |t: DetailsTab| {
        let route = Route::Details {
            id: id.clone(),
            tab: t,
        };
        state.route.set(route.clone());
        routing::navigate(&route);
    });
    let panel = move |t: DetailsTab| move || tab.get() != t;
    // A counts session has no events; the tabs that need them show the query that gets them.
    let from_counts = state
        .summary
        .with_untracked(|s| s.as_ref().is_some_and(|s| s.from_counts.is_some()));
    let attributions_tab = if from_counts && insight.attributions.is_empty() {
        let all = state.insights.get_untracked();
        view! { <sql_query::QueryPanel kind=sql_query::QueryKind::Attributions insights=all /> }
            .into_any()
    } else {
        view! { <attributions::AttributionsTab insight=insight.clone() /> }.into_any()
    };
    let events_tab = if from_counts {
        view! { <sql_query::QueryPanel kind=sql_query::QueryKind::Events insights=vec![insight.clone()] /> }
            .into_any()
    } else {
        view! {
            <events::EventsTab
                insight=insight.clone()
                visible=Signal::derive(move || tab.get() == DetailsTab::Events)
            />
        }
        .into_any()
    };

    view! {
        <div class="ts-details-layout">
            <related::RelatedList
                current=insight.shared_event_id.clone()
                insights=Signal::from(related_all)
                tab=tab
            />
            <div class="ts-details-main">
                <header::DetailsHeader insight=insight.clone() on_trigger=select_tab />
                <tabs::TabList selected=tab on_select=select_tab />
                <div
                    role="tabpanel"
                    id=tabs::panel_id(DetailsTab::Graph)
                    aria-labelledby=tabs::tab_id(DetailsTab::Graph)
                    class="ts-tabpanel"
                    hidden=panel(DetailsTab::Graph)
                >
                    <InsightsGraph
                        insight=insight.clone()
                        related=Signal::from(same_series)
                        visible=Signal::derive(move || tab.get() == DetailsTab::Graph)
                    />
                </div>
                <div
                    role="tabpanel"
                    id=tabs::panel_id(DetailsTab::Attributions)
                    aria-labelledby=tabs::tab_id(DetailsTab::Attributions)
                    class="ts-tabpanel"
                    tabindex="0"
                    hidden=panel(DetailsTab::Attributions)
                >
                    {attributions_tab}
                </div>
                <div
                    role="tabpanel"
                    id=tabs::panel_id(DetailsTab::Events)
                    aria-labelledby=tabs::tab_id(DetailsTab::Events)
                    class="ts-tabpanel"
                    hidden=panel(DetailsTab::Events)
                >
                    {events_tab}
                </div>
                <div
                    role="tabpanel"
                    id=tabs::panel_id(DetailsTab::Record)
                    aria-labelledby=tabs::tab_id(DetailsTab::Record)
                    class="ts-tabpanel"
                    hidden=panel(DetailsTab::Record)
                >
                    <record::RecordTab insight=insight.clone() />
                </div>
            </div>
        </div>
    }
}
