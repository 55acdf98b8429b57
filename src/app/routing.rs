//! Hash routing: `#/` is the Insights list, `#/insights/<sharedEventID>/<tab>` a
//! details page, `#/bursts[/<rank>]` the Bursts view, `#/overview` the Overview and
//! `#/events?<filters>` the events view ([`EventsQuery`]). Parsing and formatting are pure so they are unit-tested; the
//! browser side is one `hashchange` listener (in [`super::App`]) and [`navigate`].

pub use crate::engine::overview::EventFilter;
pub use crate::view_model::events_query::EventsQuery;

/// The four tabs of the details page, in their on-screen order.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
pub enum DetailsTab {
    Graph,
    Attributions,
    Events,
    Record,
}

impl DetailsTab {
    pub const ALL: [DetailsTab; 4] = [
        DetailsTab::Graph,
        DetailsTab::Attributions,
        DetailsTab::Events,
        DetailsTab::Record,
    ];

    /// The path segment used in the URL.
    pub fn slug(self) -> &'static str {
        match self {
            DetailsTab::Graph => "graph",
            DetailsTab::Attributions => "attributions",
            DetailsTab::Events => "events",
            DetailsTab::Record => "record",
        }
    }

    /// The tab's label, exactly as the AWS console names it.
    pub fn label(self) -> &'static str {
        match self {
            DetailsTab::Graph => "Insights graph",
            DetailsTab::Attributions => "Attributions",
            DetailsTab::Events => "CloudTrail events",
            DetailsTab::Record => "Insights event record",
        }
    }

    pub fn from_slug(slug: &str) -> Option<DetailsTab> {
        DetailsTab::ALL.into_iter().find(|t| t.slug() == slug)
    }
}

/// Where the user is.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum Route {
    /// The summary and the Insights list.
    List,
    /// One Insight's details page (`id` is its `sharedEventID`).
    Details { id: String, tab: DetailsTab },
    /// The Bursts view (`#/bursts`), or one burst by its 1-based rank
    /// (`#/bursts/<rank>`); never Insights.
    Bursts { rank: Option<usize> },
    /// The Overview of the loaded data (`#/overview`).
    Overview,
    /// All loaded events, filtered (`#/events?identity=...&from=...`).
    Events(EventsQuery),
}

impl Route {
    /// The Overview and events-view routes (`None` for every other hash).
    fn parse_views(hash: &str) -> Option<Route> {
        let path = hash.trim_start_matches('#').trim_start_matches('/');
        let (path, query) = path.split_once('?').unwrap_or((path, ""));
        match path.trim_end_matches('/') {
            "overview" => Some(Route::Overview),
            "events" => Some(Route::Events(EventsQuery::parse(query))),
            _ => None,
        }
    }

    /// The events view of `filter`, first page.
    pub fn events(filter: EventFilter) -> Route {
        Route::Events(EventsQuery { filter, page: 0 })
    }
}

impl Route {
    /// Parses `location.hash` (with or without the leading `#`). Anything
    /// unknown falls back to the list, so a mistyped URL never shows a blank page.
    pub fn parse(hash: &str) -> Route {
        if let Some(route) = Route::parse_views(hash) {
            return route;
        }
        let path = hash.trim_start_matches('#').trim_start_matches('/');
        let mut parts = path.split('/').filter(|p| !p.is_empty());
        match (parts.next(), parts.next(), parts.next()) {
            (Some("insights"), Some(id), tab) => Route::Details {
                id: decode_segment(id),
                tab: tab
                    .and_then(DetailsTab::from_slug)
                    .unwrap_or(DetailsTab::Graph),
            },
            (Some("bursts"), rank, _) => Route::Bursts {
                rank: rank.and_then(|r| r.parse().ok()).filter(|&r| r > 0),
            },
            _ => Route::List,
        }
    }

    /// The hash for this route, e.g. `#/insights/<id>/graph`.
    pub fn to_hash(&self) -> String {
        match self {
            Route::List => "#/".to_string(),
            Route::Details { id, tab } => {
                format!("#/insights/{}/{}", encode_segment(id), tab.slug())
            }
            Route::Bursts { rank: None } => "#/bursts".to_string(),
            Route::Bursts { rank: Some(r) } => format!("#/bursts/{r}"),
            Route::Overview => "#/overview".to_string(),
            Route::Events(q) => match q.to_query() {
                text if text.is_empty() => "#/events".to_string(),
                text => format!("#/events?{text}"),
            },
        }
    }
}

/// Percent-encodes everything but unreserved characters, so an ID can never
/// break out of its path segment.
fn encode_segment(s: &str) -> String {
    let mut out = String::with_capacity(s.len());
    for b in s.bytes() {
        if b.is_ascii_alphanumeric() || matches!(b, b'-' | b'_' | b'.' | b'~') {
            out.push(b as char);
        } else {
            out.push_str(&format!("%{b:02X}"));
        }
    }
    out
}

fn decode_segment(s: &str) -> String {
    let bytes = s.as_bytes();
    let mut out = Vec::with_capacity(bytes.len());
    let mut i = 0;
    while i < bytes.len() {
        let hex = |j: usize| bytes.get(j).and_then(|&c| (c as char).to_digit(16));
        match (bytes[i], hex(i + 1), hex(i + 2)) {
            (b'%', Some(h), Some(l)) => {
                out.push((h * 16 + l) as u8);
                i += 3;
            }
            (c, _, _) => {
                out.push(c);
                i += 1;
            }
        }
    }
    String::from_utf8_lossy(&out).into_owned()
}

/// Goes to `route` by setting `location.hash`; the `hashchange` listener then
/// updates the state, so back and forward behave exactly like a click.
pub fn navigate(route: &Route) {
    if let Some(window) = web_sys::window() {
        window.location().set_hash(&route.to_hash()).ok();
    }
}

/// Replaces the current history entry instead of adding one (tab switches
/// that should not pile up in the back stack use [`navigate`] instead).
pub fn replace(route: &Route) {
    let Some(window) = web_sys::window() else {
        return;
    };
    if let Ok(history) = window.history() {
        history
            .replace_state_with_url(&wasm_bindgen::JsValue::NULL, "", Some(&route.to_hash()))
            .ok();
    }
}

/// The route of the current `location.hash`.
pub fn current() -> Route {
    web_sys::window()
        .and_then(|w| w.location().hash().ok())
        .map(|h| Route::parse(&h))
        .unwrap_or(Route::List)
}
