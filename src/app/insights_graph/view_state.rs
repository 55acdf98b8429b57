//! The graph's view-state hook: [`use_graph_view`] keeps one
//! [`GraphView`](crate::view_model::chart_view::GraphView) (range, drag, hover, Pan
//! mode; its transitions are natively tested in `view_model::chart_view`) in a
//! signal, derives the memos the parts of the graph read, and fetches the
//! Insight's series from the analysis worker.

use crate::app::{AppState, DataClient};
use crate::model::{Insight, MinutePoint, MinuteRange};
use crate::view_model::chart::{self as vm, ViewRange};
use crate::view_model::chart_draw::PlotArea;
use crate::view_model::chart_view::GraphView;
use leptos::prelude::*;

/// Widest stretch of minutes fetched for one graph (60 days).
const MAX_FETCH_SPAN: i64 = 60 * 24 * 60;

/// The graph's reactive state. `graph` is the one source of truth; the memos
/// only notify when their part changes, so a hover does not repaint the canvas.
#[derive(Clone, Copy)]
pub struct GraphState {
    pub graph: RwSignal<GraphView>,
    /// The shown range.
    pub view: Memo<ViewRange>,
    /// The last drawn plot area.
    pub area: Memo<PlotArea>,
    pub pan_mode: Memo<bool>,
    /// The series' minutes over the fetched bounds, sorted by minute.
    pub points: RwSignal<Vec<MinutePoint>>,
    /// Loading or error text over the canvas; `None` once the series is in.
    pub status: RwSignal<Option<String>>,
}

impl GraphState {
    /// Applies one transition and returns what it says (e.g. whether an event
    /// was taken); `None` if the graph was disposed.
    pub fn apply<T>(&self, f: impl FnOnce(&mut GraphView) -> T) -> Option<T> {
        self.graph.try_update(f)
    }
}

/// The view state of `insight`'s graph: the console's default range around it,
/// pan and zoom bounded by the loaded data (at most [`MAX_FETCH_SPAN`]), and the
/// series over those bounds, fetched once.
pub fn use_graph_view(insight: &Insight) -> GraphState {
    let state = expect_context::<AppState>();
    let default_view = vm::default_range(insight.start_minute, insight.end_minute);
    let extent = state.summary.with_untracked(|s| {
        let s = s.as_ref()?;
        Some((
            s.first_event_ms?.div_euclid(60_000),
            s.last_event_ms?.div_euclid(60_000),
        ))
    });
    let bounds = vm::fetch_bounds(default_view, extent, MAX_FETCH_SPAN);
    let graph = RwSignal::new(GraphView::new(default_view, bounds));
    let g = GraphState {
        graph,
        view: Memo::new(move |_| graph.with(|g| g.view)),
        area: Memo::new(move |_| graph.with(|g| g.area)),
        pan_mode: Memo::new(move |_| graph.with(|g| g.pan_mode)),
        points: RwSignal::new(Vec::new()),
        status: RwSignal::new(Some("Loading the series…".to_string())),
    };
    load_series(insight, bounds, g);
    g
}

/// Fetches the minutes `bounds` touches (a minute's bar spans `[m, m + 1)`)
/// into `g.points`, or says why not in `g.status`.
fn load_series(insight: &Insight, bounds: ViewRange, g: GraphState) {
    let Some(client) = use_context::<DataClient>() else {
        g.status.set(Some("No data client".to_string()));
        return;
    };
    let (from, to) = bounds.whole_minutes();
    let fetch = MinuteRange::new(from, to);
    let key = insight.key.clone();
    leptos::task::spawn_local(async move {
        match client.series(key, fetch).await {
            Ok(mut p) => {
                if !p.is_sorted_by_key(|x| x.minute) {
                    p.sort_by_key(|x| x.minute);
                }
                g.points.try_set(p);
                g.status.try_set(None);
            }
            Err(e) => {
                g.status
                    .try_set(Some(format!("Could not load the series: {e}")));
            }
        }
    });
}
