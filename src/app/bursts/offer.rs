//! The offer of the Bursts view, where Insights could not be tested: shown
//! when an account/Region of the loaded data has less than 24 hours.

use super::logic::short_regions;
use crate::app::AppState;
use leptos::prelude::*;

#[component]
pub fn BurstsOffer() -> impl IntoView {
    let state = expect_context::<AppState>();
    move || {
        let short = state
            .summary
            .with(|s| s.as_ref().map(|s| short_regions(&s.coverage)))?;
        if short.is_empty() {
            return None;
        }
        let what = if short.len() == 1 {
            "This account/Region has less than 24 hours of history".to_string()
        } else {
            format!(
                "{} account/Regions have less than 24 hours of history",
                short.len()
            )
        };
        Some(view! {
            <span class="ts-bursts-offer">
                " " {what} ": "
                <a class="ts-link" href="#/bursts" data-bursts-offer="">"see the Bursts view"</a>
                " (minutes that stand out against the rest of the capture; not Insights)."
            </span>
        })
    }
}
