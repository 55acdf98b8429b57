//! Browser tests (headless Chromium) of the Insight details page components:
//! the Attributions tables (shares, `Other`, `None`, text-only rendering), the
//! tablist's keyboard navigation, the details page's structure, the record tab,
//! and the Insights graph's shown range changing on zoom and drag.
#![allow(
    clippy::unwrap_used,
    clippy::expect_used,
    clippy::panic,
    reason = "a test crate: a failed expectation is the report"
)]
#![cfg(target_arch = "wasm32")]

use leptos::prelude::*;
use trailsight::app::details::attributions::AttributionsTab;
use trailsight::app::details::record::RecordTab;
use trailsight::app::details::tabs::{tab_for_key, TabList};
use trailsight::app::details::DetailsPage;
use trailsight::app::insights_graph::InsightsGraph;
use trailsight::app::{AppState, DetailsTab, Route};
use trailsight::model::{Attribution, AttributionValue, Insight, InsightType, SeriesKey};
use wasm_bindgen::JsCast;
use wasm_bindgen_test::*;
use web_sys::{Element, HtmlElement};

wasm_bindgen_test_configure!(run_in_browser);

const XSS: &str = "<img src=x onerror=alert(1)>";

fn val(value: &str, average: f64) -> AttributionValue {
    AttributionValue {
        value: value.to_string(),
        average,
    }
}

fn insight(id: &str, start: i64) -> Insight {
    Insight {
        key: SeriesKey {
            insight_type: InsightType::ApiCallRateInsight,
            account: "123456789012".into(),
            region: "us-east-1".into(),
            source: "ec2.amazonaws.com".into(),
            name: "RunInstances".into(),
            error_code: None,
            source_category: "Management".into(),
        },
        shared_event_id: id.into(),
        start_event_id: format!("{id}-start"),
        end_event_id: format!("{id}-end"),
        start_minute: start,
        end_minute: start + 20,
        baseline_average: 0.1,
        start_average: 2.0,
        insight_average: 0.6,
        insight_duration: 20,
        baseline_duration: 10080,
        attributions: vec![
            Attribution {
                attribute: "userAgent".into(),
                insight: vec![val("aws-cli", 0.4), val(XSS, 0.1)],
                baseline: vec![val("aws-cli", 0.1)],
                insight_other: 0.1,
                baseline_other: 0.0,
            },
            Attribution {
                attribute: "errorCode".into(),
                insight: vec![val("null", 0.6)],
                baseline: vec![val("null", 0.1)],
                insight_other: 0.0,
                baseline_other: 0.0,
            },
        ],
        explanation: Default::default(),
        start_record_json: format!(
            r#"{{"eventVersion":"1.09","userAgentNote":"{XSS}","eventID":"{id}-start"}}"#
        ),
        end_record_json: r#"{"eventVersion":"1.09"}"#.into(),
    }
}

/// A fresh container appended to the body.
fn container() -> HtmlElement {
    let document = web_sys::window().unwrap().document().unwrap();
    let div = document.create_element("div").unwrap();
    document.body().unwrap().append_child(&div).unwrap();
    div.unchecked_into()
}

/// Lets the reactive system and spawned tasks run (one macrotask).
async fn settle() {
    for _ in 0..2 {
        let p = js_sys::Promise::new(&mut |resolve, _| {
            web_sys::window()
                .unwrap()
                .set_timeout_with_callback_and_timeout_and_arguments_0(&resolve, 0)
                .unwrap();
        });
        wasm_bindgen_futures::JsFuture::from(p).await.unwrap();
    }
}

fn q(root: &Element, selector: &str) -> Element {
    root.query_selector(selector)
        .unwrap()
        .unwrap_or_else(|| panic!("no {selector}"))
}

fn all(root: &Element, selector: &str) -> Vec<Element> {
    // `querySelectorAll` through JS: web-sys' NodeList feature is not enabled.
    let f =
        js_sys::Function::new_with_args("el, sel", "return Array.from(el.querySelectorAll(sel))");
    let array: js_sys::Array = f
        .call2(&wasm_bindgen::JsValue::NULL, root, &selector.into())
        .unwrap()
        .unchecked_into();
    array
        .iter()
        .map(|v| v.unchecked_into::<Element>())
        .collect()
}

fn text(el: &Element) -> String {
    el.text_content().unwrap_or_default()
}

/// Dispatches a bubbling `type` event built by JS (`KeyboardEvent`, `MouseEvent`, …).
fn dispatch(el: &Element, ctor: &str, kind: &str, init: &str) {
    let f = js_sys::Function::new_with_args(
        "el",
        &format!("el.dispatchEvent(new {ctor}('{kind}', Object.assign({{bubbles: true, cancelable: true}}, {init})))"),
    );
    f.call1(&wasm_bindgen::JsValue::NULL, el).unwrap();
}

#[wasm_bindgen_test]
async fn attribution_tables_show_shares_other_and_none_as_text() {
    let root = container();
    let i = insight("a", 29_000_000);
    let _h = leptos::mount::mount_to(
        root.clone(),
        move || view! { <AttributionsTab insight=i /> },
    );
    settle().await;
    let root: Element = root.into();
    let titles: Vec<String> = all(&root, ".ts-attr h3").iter().map(text).collect();
    assert_eq!(
        titles,
        [
            "Top user identity ARNs",
            "Top user agents",
            "Top error codes"
        ]
    );
    let errors = q(&root, "[data-attribute=errorCode] tbody");
    assert_eq!(text(&q(&errors, "th")), "None");
    assert!(text(&errors).contains("0.6 (100%)"), "{}", text(&errors));
    let agents = q(&root, "[data-attribute=userAgent] tbody");
    let rows = all(&agents, "tr");
    assert_eq!(rows.len(), 3);
    assert_eq!(text(&q(&rows[2], "th")), "Other");
    assert!(text(&rows[0]).contains("0.4 (67%)"), "{}", text(&rows[0]));
    // The hostile user agent is text, not an element.
    assert_eq!(text(&q(&rows[1], "th")), XSS);
    assert!(root.query_selector("img").unwrap().is_none());
    // The expandable baseline table exists.
    assert_eq!(
        text(&q(&root, "[data-attribute=userAgent] summary")),
        "Top baseline user agents"
    );
}

#[wasm_bindgen_test]
fn tab_keys_wrap_and_jump() {
    use DetailsTab::*;
    assert_eq!(tab_for_key(Graph, "ArrowRight"), Some(Attributions));
    assert_eq!(tab_for_key(Graph, "ArrowLeft"), Some(Record));
    assert_eq!(tab_for_key(Record, "ArrowRight"), Some(Graph));
    assert_eq!(tab_for_key(Events, "Home"), Some(Graph));
    assert_eq!(tab_for_key(Graph, "End"), Some(Record));
    assert_eq!(tab_for_key(Graph, "Enter"), None);
}

#[wasm_bindgen_test]
async fn tablist_moves_selection_with_arrow_keys() {
    let root = container();
    let selected = RwSignal::new(DetailsTab::Graph);
    let _h = leptos::mount::mount_to(root.clone(), move || {
        view! { <TabList selected=selected on_select=Callback::new(move |t| selected.set(t)) /> }
    });
    settle().await;
    let root: Element = root.into();
    let tabs = all(&root, "[role=tab]");
    let labels: Vec<String> = tabs.iter().map(text).collect();
    assert_eq!(
        labels,
        [
            "Insights graph",
            "Attributions",
            "CloudTrail events",
            "Insights event record"
        ]
    );
    let selected_id = |root: &Element| q(root, "[role=tab][aria-selected=true]").id();
    assert_eq!(selected_id(&root), "ts-tab-graph");
    dispatch(&tabs[0], "KeyboardEvent", "keydown", "{key: 'ArrowRight'}");
    settle().await;
    assert_eq!(selected_id(&root), "ts-tab-attributions");
    assert_eq!(
        q(&root, "#ts-tab-attributions")
            .get_attribute("tabindex")
            .as_deref(),
        Some("0")
    );
    assert_eq!(
        q(&root, "#ts-tab-graph")
            .get_attribute("tabindex")
            .as_deref(),
        Some("-1")
    );
    dispatch(&tabs[1], "KeyboardEvent", "keydown", "{key: 'End'}");
    settle().await;
    assert_eq!(selected_id(&root), "ts-tab-record");
    dispatch(&tabs[3], "KeyboardEvent", "keydown", "{key: 'ArrowRight'}");
    settle().await;
    assert_eq!(selected_id(&root), "ts-tab-graph");
}

#[wasm_bindgen_test]
async fn details_page_has_four_tabs_panels_and_related_list() {
    let root = container();
    let _h = leptos::mount::mount_to(root.clone(), move || {
        let state = AppState::new();
        state.insights.set(vec![
            insight("first", 29_000_000),
            insight("second", 29_001_000),
        ]);
        state.route.set(Route::Details {
            id: "second".into(),
            tab: DetailsTab::Attributions,
        });
        provide_context(state);
        view! { <DetailsPage /> }
    });
    settle().await;
    let root: Element = root.into();
    assert_eq!(all(&root, "[role=tablist]").len(), 1);
    assert_eq!(all(&root, "[role=tabpanel]").len(), 4);
    assert_eq!(
        q(&root, "[role=tab][aria-selected=true]").id(),
        "ts-tab-attributions"
    );
    // Only the selected panel is visible.
    let visible: Vec<String> = all(&root, "[role=tabpanel]")
        .iter()
        .filter(|p| !p.has_attribute("hidden"))
        .map(|p| p.id())
        .collect();
    assert_eq!(visible, ["ts-panel-attributions"]);
    // Left column: both Insights of the API, the current one marked.
    assert_eq!(all(&root, ".ts-related-item").len(), 2);
    let current = q(&root, ".ts-related-item a[aria-current=page]");
    assert_eq!(
        current.get_attribute("href").as_deref(),
        Some("#/insights/second/attributions")
    );
    let header = text(&q(&root, ".ts-additional"));
    for needle in [
        "Shared event ID",
        "second-start",
        "second-end",
        "API calls per minute",
        "Baseline average: 0.1",
    ] {
        assert!(header.contains(needle), "{needle} missing in {header}");
    }
}

#[wasm_bindgen_test]
async fn unknown_insight_says_so() {
    let root = container();
    let _h = leptos::mount::mount_to(root.clone(), move || {
        let state = AppState::new();
        state.route.set(Route::Details {
            id: "nope".into(),
            tab: DetailsTab::Graph,
        });
        provide_context(state);
        view! { <DetailsPage /> }
    });
    settle().await;
    let root: Element = root.into();
    assert!(text(&q(&root, "[role=alert]")).contains("No data is loaded"));
}

#[wasm_bindgen_test]
async fn record_tab_pretty_prints_in_order_as_text() {
    let root = container();
    let i = insight("r", 29_000_000);
    let _h = leptos::mount::mount_to(root.clone(), move || {
        provide_context(AppState::new());
        view! { <RecordTab insight=i /> }
    });
    settle().await;
    let root: Element = root.into();
    let pres = all(&root, "pre.ts-json");
    assert_eq!(pres.len(), 2);
    let start = text(&pres[0]);
    assert!(
        start.starts_with("{\n  \"eventVersion\": \"1.09\",\n  \"userAgentNote\""),
        "{start}"
    );
    assert!(start.contains(XSS));
    assert!(root.query_selector("img").unwrap().is_none());
    assert_eq!(all(&root, "button.ts-copy").len(), 2);
}

#[allow(
    clippy::too_many_lines,
    reason = "one chart driven through zoom, drag and reset in order, each step from the last"
)]
#[wasm_bindgen_test]
async fn chart_range_changes_on_zoom_drag_and_reset() {
    let root = container();
    root.style().set_property("width", "900px").unwrap();
    let i = insight("c", 29_000_000);
    let related = vec![i.clone()];
    let _h = leptos::mount::mount_to(root.clone(), move || {
        provide_context(AppState::new());
        view! { <InsightsGraph insight=i related=Signal::derive(move || related.clone()) /> }
    });
    settle().await;
    let root: Element = root.into();
    let chart = q(&root, ".ts-chart");
    let range = |chart: &Element| {
        let from: i64 = chart
            .get_attribute("data-from-minute")
            .unwrap()
            .parse()
            .unwrap();
        let to: i64 = chart
            .get_attribute("data-to-minute")
            .unwrap()
            .parse()
            .unwrap();
        (from, to)
    };
    // Default: the console's 3 h span for a 20-minute Insight, centred on it.
    let (f0, t0) = range(&chart);
    assert_eq!(t0 - f0, 180);
    assert_eq!((f0 + t0) / 2, 29_000_010);
    let label0 = text(&q(&root, ".ts-chart-range"));
    assert!(label0.contains("UTC") && label0.contains("3 h"), "{label0}");

    // Zoom in with the toolbar button.
    let buttons = all(&root, ".ts-chart-toolbar button");
    buttons
        .iter()
        .find(|b| text(b) == "Zoom in")
        .unwrap()
        .unchecked_ref::<HtmlElement>()
        .click();
    settle().await;
    let (f1, t1) = range(&chart);
    assert!(t1 - f1 < 180, "{f1}..{t1}");
    assert_ne!(text(&q(&root, ".ts-chart-range")), label0);

    // Keyboard: '-' zooms back out, ArrowRight pans later.
    dispatch(&chart, "KeyboardEvent", "keydown", "{key: '-'}");
    settle().await;
    assert_eq!(range(&chart), (f0, t0));
    dispatch(&chart, "KeyboardEvent", "keydown", "{key: 'ArrowRight'}");
    settle().await;
    assert!(range(&chart).0 > f0);

    // Drag across a range (the canvas is drawn, so the plot area is known).
    let r = chart.get_bounding_client_rect();
    let (x0, x1, y) = (r.left() + 300.0, r.left() + 500.0, r.top() + 150.0);
    dispatch(
        &chart,
        "MouseEvent",
        "mousedown",
        &format!("{{clientX: {x0}, clientY: {y}, button: 0}}"),
    );
    dispatch(
        &chart,
        "MouseEvent",
        "mousemove",
        &format!("{{clientX: {x1}, clientY: {y}}}"),
    );
    settle().await;
    assert_eq!(all(&root, ".ts-chart-selection").len(), 1);
    dispatch(
        &chart,
        "MouseEvent",
        "mouseup",
        &format!("{{clientX: {x1}, clientY: {y}, button: 0}}"),
    );
    settle().await;
    let (f2, t2) = range(&chart);
    assert!(t2 - f2 < 100, "{f2}..{t2}");
    assert!(all(&root, ".ts-chart-selection").is_empty());

    // A time-span preset centres that span on the Insight.
    let select = q(&root, ".ts-chart-span select");
    js_sys::Function::new_with_args(
        "el",
        "el.value = '60'; el.dispatchEvent(new Event('change', {bubbles: true}))",
    )
    .call1(&wasm_bindgen::JsValue::NULL, &select)
    .unwrap();
    settle().await;
    assert_eq!(range(&chart), (28_999_980, 29_000_040));

    // Reset restores the default.
    buttons
        .iter()
        .find(|b| text(b) == "Reset axes")
        .unwrap()
        .unchecked_ref::<HtmlElement>()
        .click();
    settle().await;
    assert_eq!(range(&chart), (f0, t0));

    // The canvas backing store follows devicePixelRatio.
    let canvas: web_sys::HtmlCanvasElement = q(&root, "canvas").unchecked_into();
    let dpr = web_sys::window().unwrap().device_pixel_ratio();
    assert_eq!(f64::from(canvas.height()), (320.0 * dpr).round());
}
