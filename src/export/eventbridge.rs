//! Insights records wrapped as Amazon EventBridge delivers them, so rules and
//! SIEM pipelines that consume AWS's Insights take Trailsight's unchanged.
//!
//! The envelope is EventBridge's (`version`, `id`, `detail-type`, `source`,
//! `account`, `time`, `region`, `resources`, `detail`, in that order), with
//! `detail-type` `"AWS Insight via CloudTrail"` (EventBridge's CloudTrail
//! detail types), `source` `"aws.cloudtrail"` and `detail` the Insights
//! record itself, byte for byte. `id` is a UUID v5 of the record's `eventID`,
//! so the same Insight always gets the same envelope.

use uuid::Uuid;

/// EventBridge's `detail-type` for Insights events delivered by CloudTrail.
pub const DETAIL_TYPE: &str = "AWS Insight via CloudTrail";
/// The `source` of CloudTrail's Insights events.
pub const SOURCE: &str = "aws.cloudtrail";
/// Namespace of the envelope IDs (uuid v5 of the record's `eventID`).
const ENVELOPE_NAMESPACE: Uuid = Uuid::from_u128(0x3b9e_0c52_71a4_4d6f_8e13_c2a7_5f90_d4e8);

/// The envelope's `id` for a record whose `eventID` is `event_id`.
pub fn envelope_id(event_id: &str) -> String {
    Uuid::new_v5(&ENVELOPE_NAMESPACE, event_id.as_bytes()).to_string()
}

/// One EventBridge event around `record_json` (an Insights record of
/// `account` and `region` with `eventID` `event_id` and `eventTime` `time`).
pub fn envelope(
    event_id: &str,
    account: &str,
    region: &str,
    time: &str,
    record_json: &str,
) -> String {
    let s = |v: &str| serde_json::to_string(v).unwrap_or_else(|_| "\"\"".to_string());
    format!(
        "{{\"version\":\"0\",\"id\":\"{}\",\"detail-type\":{},\"source\":{},\"account\":{},\"time\":{},\"region\":{},\"resources\":[],\"detail\":{}}}",
        envelope_id(event_id),
        s(DETAIL_TYPE),
        s(SOURCE),
        s(account),
        s(time),
        s(region),
        record_json
    )
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn envelope_is_stable_and_keeps_the_record() {
        let record = r#"{"eventVersion":"1.09","eventID":"a"}"#;
        let one = envelope(
            "a",
            "123456789012",
            "us-east-1",
            "2024-01-01T00:00:00Z",
            record,
        );
        assert_eq!(
            one,
            envelope(
                "a",
                "123456789012",
                "us-east-1",
                "2024-01-01T00:00:00Z",
                record
            )
        );
        assert!(one.ends_with(&format!(",\"detail\":{record}}}")));
        assert_ne!(envelope_id("a"), envelope_id("b"));
    }
}
