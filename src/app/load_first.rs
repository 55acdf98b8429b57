//! Shown on the Overview or events route when nothing is loaded (after a
//! reload, say): the route is kept, so loading logs lands on that view.

use super::drop_zone::DropZone;
use super::progress_panel::ProgressPanel;
use leptos::prelude::*;

#[component]
pub fn LoadFirst(what: &'static str) -> impl IntoView {
    view! {
        <section class="ts-panel ts-nodata" id="no-data">
            <h2>{format!("Load data to see {what}")}</h2>
            <p>"Drop CloudTrail logs below (or try the demo data); nothing is uploaded anywhere."</p>
            <p><a class="ts-link" href="#/">"Back to the Insights list"</a></p>
        </section>
        <DropZone />
        <ProgressPanel />
    }
}
