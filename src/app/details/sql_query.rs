//! A query to run where the logs are, for a counts session ("Beyond one
//! machine"): the Attributions tab's step-3 query (for every loaded Insight,
//! so one result serves them all) until its result is loaded, and the
//! CloudTrail events tab's events query (for this Insight). The text is the
//! CLI's (`trailsight sql attributions|events`, [`crate::sql::dashboard`]);
//! an engine selector picks Athena, Spark or DuckDB, and Copy puts it on the
//! clipboard with a visible confirmation.

use crate::app::clipboard::copy_text;
use crate::app::files::from_file_list;
use crate::app::loader::Loader;
use crate::app::AppState;
use crate::app::DataClient;
use crate::model::Insight;
use crate::sql::dashboard::{attributions_for, events_for};
use crate::sql::insights::SeriesOptions;
use crate::sql::Dialect;
use leptos::prelude::*;
use wasm_bindgen::JsCast;

/// Which query a panel shows.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum QueryKind {
    Attributions,
    Events,
}

impl QueryKind {
    fn slug(self) -> &'static str {
        match self {
            QueryKind::Attributions => "attributions",
            QueryKind::Events => "events",
        }
    }
}

fn dialect_of(value: &str) -> Dialect {
    Dialect::parse(value).unwrap_or(Dialect::Athena)
}

/// The query panel of `kind` for `insights`.
#[component]
pub fn QueryPanel(kind: QueryKind, insights: Vec<Insight>) -> impl IntoView {
    let state = expect_context::<AppState>();
    let engine = RwSignal::new("athena".to_string());
    let copied = RwSignal::new(None::<&'static str>);
    let query = Memo::new(move |_| {
        let settings = state.settings.get();
        let opts = SeriesOptions {
            include_read_calls: settings.include_read_calls,
            include_data_events: settings.include_data_events,
        };
        let d = dialect_of(&engine.get());
        let q = match kind {
            QueryKind::Attributions => attributions_for(d, &insights, opts),
            QueryKind::Events => events_for(d, &insights, opts),
        };
        q.unwrap_or_else(|e| format!("-- {e}"))
    });
    let copy = move |_| {
        let text = query.get_untracked();
        leptos::task::spawn_local(async move {
            let label = match copy_text(text).await {
                Ok(()) => "Copied",
                Err(_) => "Copy failed: select the query and copy it by hand",
            };
            copied.try_set(Some(label));
        });
    };
    let on_engine = move |ev: leptos::ev::Event| {
        if let Some(select) = ev
            .target()
            .and_then(|t| t.dyn_into::<web_sys::HtmlSelectElement>().ok())
        {
            engine.set(select.value());
            copied.set(None);
        }
    };
    let slug = kind.slug();
    let intro = match kind {
        QueryKind::Attributions => "Loaded from per-minute counts: attributions need identities and user agents, which the counts do not hold. Run this query (step 3, trailsight sql attributions) where the logs are, for the Insights found here, then load its result (CSV, .csv.gz or Parquet) to see the attributions.",
        QueryKind::Events => "Loaded from per-minute counts: the events are not here. Run this query (trailsight sql events) where the logs are to get the events of this Insight's window.",
    };
    let picker = (kind == QueryKind::Attributions).then(|| {
        let client = expect_context::<DataClient>();
        let loader = expect_context::<Loader>();
        let on_pick = move |ev: leptos::ev::Event| {
            let Some(input) = ev
                .target()
                .and_then(|t| t.dyn_into::<web_sys::HtmlInputElement>().ok())
            else {
                return;
            };
            let files = from_file_list(input.files());
            input.set_value("");
            crate::app::table_load::start(files, state, client.clone(), loader.clone());
        };
        view! {
            <label class="ts-button ts-button--primary">
                "Load the attributions result"
                <input id="attributions-file" type="file" multiple class="ts-visually-hidden" on:change=on_pick />
            </label>
        }
    });
    view! {
        <section class="ts-sql" id=format!("sql-{slug}") aria-label="Query to run where the logs are">
            <p class="ts-sql__intro">{intro}</p>
            <div class="ts-sql__tools">
                <label>
                    "Engine "
                    <select id=format!("sql-engine-{slug}") on:change=on_engine>
                        <option value="athena" selected=true>"Athena"</option>
                        <option value="spark">"Spark"</option>
                        <option value="duckdb">"DuckDB"</option>
                    </select>
                </label>
                <button type="button" class="ts-button ts-copy" id=format!("sql-copy-{slug}") on:click=copy>"Copy"</button>
                <span class="ts-copied" id=format!("sql-copied-{slug}") role="status">{move || copied.get()}</span>
                {picker}
            </div>
            <pre class="ts-json ts-sql__query" id=format!("sql-query-{slug}") tabindex="0">{move || query.get()}</pre>
        </section>
    }
}
