//! The Insights event record tab: the Start and End records as formatted JSON
//! (keys in AWS's order), each with a Copy button using the async clipboard API.

use super::record_block::RecordBlock;
use crate::model::Insight;
use leptos::prelude::*;

/// The Insights event record tab of `insight`; AWS's own record beside
/// ours when AWS found it too ([`super::aws_record`]).
#[component]
pub fn RecordTab(insight: Insight) -> impl IntoView {
    let id = insight.shared_event_id.clone();
    view! {
        <div class="ts-records-pair">
            <div class="ts-records">
                <RecordBlock title="Start event" id="ts-record-start" json=insight.start_record_json />
                <RecordBlock title="End event" id="ts-record-end" json=insight.end_record_json />
            </div>
            <super::aws_record::AwsRecords shared_event_id=id />
        </div>
    }
}
