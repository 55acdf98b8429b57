//! AWS's own record beside ours on the record tab: when the Insight is
//! paired with one AWS delivered ([`crate::engine::pairing`]), AWS's Start
//! and End records; when it is AWS's alone, a note saying so (the tab's own
//! blocks then already are AWS's records).

use super::record_block::RecordBlock;
use crate::app::AppState;
use crate::engine::pairing::FoundBy;
use leptos::prelude::*;

#[component]
pub fn AwsRecords(shared_event_id: String) -> impl IntoView {
    let state = expect_context::<AppState>();
    let found = state.found_by(&shared_event_id);
    let aws = state.summary.with_untracked(|s| {
        s.as_ref()
            .and_then(|s| s.pairing.aws_for(&shared_event_id).cloned())
    });
    match (found, aws) {
        (FoundBy::Aws, _) => view! {
            <p class="ts-found-note" id="ts-record-aws-only">
                "Found by AWS only: these are the records CloudTrail delivered; Trailsight found no Insight here under the current settings."
            </p>
        }
        .into_any(),
        (_, Some(a)) => view! {
            <div class="ts-records ts-records--aws" id="ts-record-aws">
                <p class="ts-found-note">{format!("AWS's own Insight ({}), paired with this one:", a.shared_event_id)}</p>
                <RecordBlock title="AWS's Start event" id="ts-record-aws-start" json=a.start_record_json />
                <RecordBlock title="AWS's End event" id="ts-record-aws-end" json=a.end_record_json />
            </div>
        }
        .into_any(),
        _ => ().into_any(),
    }
}
