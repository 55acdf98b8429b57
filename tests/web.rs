//! Browser tests (wasm-bindgen-test in headless Chromium) for the dashboard's
//! UI logic: routing, filtering and sorting, formatting, and mounted
//! components (the app shell, the Insights table's sorting and filtering).
//! Run: `CHROMEDRIVER=/usr/bin/chromedriver cargo test --target wasm32-unknown-unknown --test web`.
#![allow(
    clippy::unwrap_used,
    clippy::expect_used,
    clippy::panic,
    reason = "a test crate: a failed expectation is the report"
)]
#![cfg(target_arch = "wasm32")]

use leptos::prelude::*;
use trailsight::app::routing::{DetailsTab, Route};
use trailsight::app::table_logic::{caption, visible, Column, Filters, Sort};
use trailsight::app::{format, AppState};
use trailsight::model::{Insight, InsightType, SeriesKey};
use wasm_bindgen::JsCast;
use wasm_bindgen_test::*;

wasm_bindgen_test_configure!(run_in_browser);

fn insight(id: &str, name: &str, t: InsightType, start: i64, baseline: f64, avg: f64) -> Insight {
    Insight {
        key: SeriesKey {
            insight_type: t,
            account: "111122223333".into(),
            region: if name == "SendCommand" {
                "eu-west-1".into()
            } else {
                "us-east-1".into()
            },
            source: format!("{}.amazonaws.com", name.to_lowercase()),
            name: name.into(),
            error_code: (t == InsightType::ApiErrorRateInsight).then(|| "AccessDenied".into()),
            source_category: "Management".into(),
        },
        shared_event_id: id.into(),
        start_event_id: format!("{id}-start"),
        end_event_id: format!("{id}-end"),
        start_minute: start,
        end_minute: start + 5,
        baseline_average: baseline,
        start_average: avg,
        insight_average: avg,
        insight_duration: 5,
        baseline_duration: 10080,
        attributions: vec![],
        explanation: Default::default(),
        start_record_json: "{}".into(),
        end_record_json: "{}".into(),
    }
}

fn sample() -> Vec<Insight> {
    vec![
        insight(
            "a",
            "SendCommand",
            InsightType::ApiCallRateInsight,
            29_550_590,
            0.0442,
            3.0,
        ),
        insight(
            "b",
            "GetRolePolicy",
            InsightType::ApiErrorRateInsight,
            29_550_000,
            0.0017,
            18.0,
        ),
        insight(
            "c",
            "RunInstances",
            InsightType::ApiCallRateInsight,
            29_551_000,
            1.0,
            3.0,
        ),
    ]
}

/// Issue 12: the Overview and the events view, with its filters in the URL.
#[wasm_bindgen_test]
fn overview_and_events_routes_parse_and_round_trip() {
    use trailsight::app::routing::{EventFilter, EventsQuery};
    use trailsight::model::MinuteRange;
    assert_eq!(Route::parse("#/overview"), Route::Overview);
    assert_eq!(Route::parse("#/overview/"), Route::Overview);
    assert_eq!(Route::Overview.to_hash(), "#/overview");
    assert_eq!(
        Route::parse("#/events"),
        Route::events(EventFilter::default())
    );
    assert_eq!(Route::events(EventFilter::default()).to_hash(), "#/events");
    let q = EventsQuery {
        filter: EventFilter {
            identity: Some("arn:aws:sts::1:assumed-role/A b&c".into()),
            error_code: Some("AccessDenied".into()),
            range: Some(MinuteRange::new(29_551_085, 29_551_095)),
            ..Default::default()
        },
        page: 2,
    };
    let hash = Route::Events(q.clone()).to_hash();
    assert!(hash.starts_with("#/events?identity="), "{hash}");
    assert!(hash.contains("from=2026-03-09T14%3A05Z"), "{hash}");
    assert_eq!(Route::parse(&hash), Route::Events(q));
    // Unknown keys are ignored; other routes are unchanged.
    assert_eq!(
        Route::parse("#/events?zzz=1&ip=10.0.0.1"),
        Route::events(EventFilter {
            source_ip: Some("10.0.0.1".into()),
            ..Default::default()
        })
    );
    assert_eq!(Route::parse("#/eventsx"), Route::List);
    assert!(matches!(
        Route::parse("#/insights/events"),
        Route::Details { .. }
    ));
}

#[wasm_bindgen_test]
fn bursts_routes_parse_and_round_trip() {
    assert_eq!(Route::parse("#/bursts"), Route::Bursts { rank: None });
    assert_eq!(Route::parse("#/bursts/3"), Route::Bursts { rank: Some(3) });
    // Rank 0 or not a number: the list.
    assert_eq!(Route::parse("#/bursts/0"), Route::Bursts { rank: None });
    assert_eq!(Route::parse("#/bursts/x"), Route::Bursts { rank: None });
    for r in [
        Route::Bursts { rank: None },
        Route::Bursts { rank: Some(12) },
    ] {
        assert_eq!(Route::parse(&r.to_hash()), r);
    }
}

#[wasm_bindgen_test]
fn routes_parse_and_round_trip() {
    assert_eq!(Route::parse(""), Route::List);
    assert_eq!(Route::parse("#/"), Route::List);
    assert_eq!(Route::parse("#/nonsense/x"), Route::List);
    let r = Route::parse("#/insights/abc-123/attributions");
    assert_eq!(
        r,
        Route::Details {
            id: "abc-123".into(),
            tab: DetailsTab::Attributions
        }
    );
    assert_eq!(
        Route::parse("#/insights/abc"),
        Route::Details {
            id: "abc".into(),
            tab: DetailsTab::Graph
        }
    );
    assert_eq!(
        Route::parse("#/insights/abc/bogus"),
        Route::Details {
            id: "abc".into(),
            tab: DetailsTab::Graph
        }
    );
    // An ID with path characters cannot escape its segment.
    let odd = Route::Details {
        id: "a/b c%".into(),
        tab: DetailsTab::Record,
    };
    assert_eq!(odd.to_hash(), "#/insights/a%2Fb%20c%25/record");
    assert_eq!(Route::parse(&odd.to_hash()), odd);
    for t in DetailsTab::ALL {
        assert_eq!(DetailsTab::from_slug(t.slug()), Some(t));
    }
    assert_eq!(DetailsTab::Events.label(), "CloudTrail events");
}

#[wasm_bindgen_test]
fn filters_and_sorting() {
    let all = sample();
    let ids = |rows: Vec<usize>| {
        rows.into_iter()
            .map(|n| all[n].shared_event_id.clone())
            .collect::<Vec<_>>()
    };
    // Default: newest first.
    assert_eq!(
        ids(visible(&all, &Filters::default(), Sort::default())),
        ["c", "a", "b"]
    );
    let by_name = Sort::default().toggled(Column::EventName);
    assert!(by_name.ascending);
    // The header's aria-sort and arrow follow the sort; other columns say none.
    assert_eq!(by_name.aria_sort(Column::EventName), "ascending");
    assert_eq!(by_name.arrow(Column::EventName), " ▲");
    let descending = by_name.toggled(Column::EventName);
    assert_eq!(descending.aria_sort(Column::EventName), "descending");
    assert_eq!(descending.arrow(Column::EventName), " ▼");
    assert_eq!(by_name.aria_sort(Column::Region), "none");
    assert_eq!(by_name.arrow(Column::Region), "");
    assert_eq!(caption(3, 3), "Insights (3)");
    assert_eq!(caption(1, 3), "Insights (1 of 3)");
    assert_eq!(
        ids(visible(&all, &Filters::default(), by_name)),
        ["b", "c", "a"]
    );
    assert_eq!(
        ids(visible(
            &all,
            &Filters::default(),
            by_name.toggled(Column::EventName)
        )),
        ["a", "c", "b"]
    );
    // Rate change: 18/0.0017 > 3/0.0442 > 3/1.
    let by_rate = Sort::default().toggled(Column::RateChange);
    assert!(!by_rate.ascending);
    assert_eq!(
        ids(visible(&all, &Filters::default(), by_rate)),
        ["b", "a", "c"]
    );

    let f = Filters {
        event_name: "send".into(),
        ..Filters::default()
    };
    assert_eq!(ids(visible(&all, &f, Sort::default())), ["a"]);
    let f = Filters {
        insight_type: Some(InsightType::ApiErrorRateInsight),
        ..Filters::default()
    };
    assert_eq!(ids(visible(&all, &f, Sort::default())), ["b"]);
    let f = Filters {
        event_id: "c-end".into(),
        ..Filters::default()
    };
    assert_eq!(ids(visible(&all, &f, Sort::default())), ["c"]);
    let f = Filters {
        region: "EU-".into(),
        ..Filters::default()
    };
    assert_eq!(ids(visible(&all, &f, Sort::default())), ["a"]);
    let f = Filters {
        from_minute: Some(29_550_593),
        to_minute: Some(29_550_600),
        ..Filters::default()
    };
    assert_eq!(ids(visible(&all, &f, Sort::default())), ["a"]);
    assert!(Filters::default().is_empty());
}

#[wasm_bindgen_test]
fn formatting() {
    // The browser half passes the UTC/local switch; the texts are `trailsight::format`'s.
    assert_eq!(format::rate_change(1.0, 3.0), "300% ↑");
    assert_eq!(format::rate_change(2.0, 1.0), "50% ↓");
    assert_eq!(format::rate_change(0.0, 1.0), "new ↑");
    assert_eq!(format::group_thousands(1234567), "1,234,567");
    assert_eq!(format::average(0.0442), "0.0442");
    assert_eq!(format::average(18.0), "18");
    assert_eq!(format::short_minute_in(29_550_590, true), "03-09 05:50");
    assert_eq!(
        format::format_minute_in(29_550_590, true),
        "2026-03-09 05:50 UTC"
    );
    assert_eq!(
        format::format_ms_in(29_550_590 * 60_000 + 7_250, true),
        "2026-03-09 05:50:07 UTC"
    );
    assert_eq!(
        format::parse_minute_in("2026-03-09T05:50", true),
        Some(29_550_590)
    );
    assert_eq!(format::input_value(29_550_590, true), "2026-03-09T05:50");
    assert_eq!(format::parse_minute_in("junk", true), None);
    assert_eq!(format::zone_label(-330), "UTC-05:30");
    assert_eq!(format::duration(65), "1 h 5 min");
    // Local time: the browser's offset at that instant, labelled with it.
    let o = format::zone_offset(false, 29_550_590);
    assert_eq!(
        format::format_minute_in(29_550_590, false),
        trailsight::format::minute_in_zone(29_550_590, o)
    );
    assert_eq!(
        format::parse_minute_in(&format::input_value(29_550_590, false), false),
        Some(29_550_590)
    );
}

fn container() -> web_sys::HtmlElement {
    let document = document();
    let el: web_sys::HtmlElement = document.create_element("section").unwrap().unchecked_into();
    document.body().unwrap().append_child(&el).unwrap();
    el
}

#[wasm_bindgen_test]
async fn app_mounts_with_drop_zone_and_pickers() {
    let root = container();
    let _handle = leptos::mount::mount_to(root.clone(), trailsight::app::App);
    leptos::task::tick().await;
    for id in ["drop-zone", "file", "folder", "demo"] {
        assert!(
            root.query_selector(&format!("#{id}")).unwrap().is_some(),
            "missing #{id}"
        );
    }
    let folder: web_sys::HtmlInputElement = root
        .query_selector("#folder")
        .unwrap()
        .unwrap()
        .unchecked_into();
    assert!(folder.webkitdirectory());
    // No data: no table yet.
    assert!(root.query_selector("#insights").unwrap().is_none());
}

#[wasm_bindgen_test]
async fn table_sorts_on_header_click_and_filters() {
    let root = container();
    let filters = RwSignal::new(Filters::default());
    let _handle = leptos::mount::mount_to(root.clone(), move || {
        let state = AppState::new();
        state.insights.set(sample());
        provide_context(state);
        view! { <trailsight::app::insights_table::InsightsTable filters=filters /> }
    });
    leptos::task::tick().await;
    let order = || {
        let rows = root.query_selector_all("#insights tbody tr").unwrap();
        (0..rows.length())
            .map(|i| {
                rows.item(i)
                    .unwrap()
                    .unchecked_into::<web_sys::Element>()
                    .get_attribute("data-id")
                    .unwrap()
            })
            .collect::<Vec<_>>()
    };
    assert_eq!(order(), ["c", "a", "b"]);
    let headers = root
        .query_selector_all("#insights thead th button")
        .unwrap();
    assert_eq!(headers.length(), 10);
    // Click "Event name".
    headers
        .item(0)
        .unwrap()
        .unchecked_into::<web_sys::HtmlElement>()
        .click();
    leptos::task::tick().await;
    assert_eq!(order(), ["b", "c", "a"]);
    let th = root.query_selector("#insights thead th").unwrap().unwrap();
    assert_eq!(th.get_attribute("aria-sort").as_deref(), Some("ascending"));
    filters.update(|f| f.event_source = "ssm".into());
    filters.update(|f| f.event_source = "sendcommand".into());
    leptos::task::tick().await;
    assert_eq!(order(), ["a"]);
    let caption = root
        .query_selector("#insights caption")
        .unwrap()
        .unwrap()
        .text_content()
        .unwrap();
    assert_eq!(caption, "Insights (1 of 3)");
}
