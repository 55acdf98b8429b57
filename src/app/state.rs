//! The reactive store of the dashboard, provided as a context ([`AppState`]).
//! It holds plain model values in signals; the heavy data stays in the analysis
//! worker and is queried through [`super::client::DataClient`].

use super::routing::Route;
use crate::engine::DetectConfig;
use crate::model::Insight;
use crate::session::protocol::LoadSummary;
use leptos::prelude::*;

/// Where a load is.
#[derive(Clone, Debug, Default, PartialEq)]
pub enum LoadStatus {
    /// Nothing loaded yet.
    #[default]
    Idle,
    /// Files are being read and parsed.
    Parsing(Progress),
    /// All files parsed; merging and detecting.
    Analysing {
        files: u32,
        events: u64,
    },
    /// Loaded; `ms` is drop → Insights list.
    Done {
        ms: f64,
    },
    Cancelled,
    Failed(String),
}

impl LoadStatus {
    pub fn is_busy(&self) -> bool {
        matches!(self, LoadStatus::Parsing(_) | LoadStatus::Analysing { .. })
    }
}

/// Load progress, for the progress bar and the time-left estimate.
#[derive(Clone, Debug, Default, PartialEq)]
pub struct Progress {
    pub files_done: u32,
    pub files_total: u32,
    pub bytes_done: u64,
    pub bytes_total: u64,
    pub events: u64,
    /// Milliseconds since the load started.
    pub elapsed_ms: f64,
}

impl Progress {
    /// Fraction done, by bytes (files can differ a lot in size) when known.
    pub fn fraction(&self) -> f64 {
        if self.bytes_total == 0 {
            // Sizes were not read (large loads): go by files.
            if self.files_total == 0 {
                return 0.0;
            }
            return (self.files_done as f64 / self.files_total as f64).clamp(0.0, 1.0);
        }
        (self.bytes_done as f64 / self.bytes_total as f64).clamp(0.0, 1.0)
    }

    /// Estimated milliseconds left, once enough has been read to say.
    pub fn eta_ms(&self) -> Option<f64> {
        let f = self.fraction();
        if f < 0.02 || self.elapsed_ms < 200.0 {
            return None;
        }
        Some(self.elapsed_ms * (1.0 - f) / f)
    }
}

/// The dashboard's shared state. `Copy`: pass it around freely.
#[derive(Clone, Copy)]
pub struct AppState {
    /// Insights of the loaded data, sorted by start time.
    pub insights: RwSignal<Vec<Insight>>,
    /// What was loaded; `None` before the first load.
    pub summary: RwSignal<Option<LoadSummary>>,
    /// Show times in UTC (default) or in the browser's time zone.
    pub use_utc: RwSignal<bool>,
    /// The `sharedEventID` of the Insight the details page shows or highlights.
    pub selected: RwSignal<Option<String>>,
    /// The current route (kept in step with `location.hash`).
    pub route: RwSignal<Route>,
    /// Detection settings (insight selectors and extras).
    pub settings: RwSignal<DetectConfig>,
    pub load: RwSignal<LoadStatus>,
}

impl AppState {
    pub fn new() -> AppState {
        AppState {
            insights: RwSignal::new(Vec::new()),
            summary: RwSignal::new(None),
            use_utc: RwSignal::new(true),
            selected: RwSignal::new(None),
            route: RwSignal::new(Route::List),
            settings: RwSignal::new(DetectConfig::default()),
            load: RwSignal::new(LoadStatus::Idle),
        }
    }

    /// The Insight with this `sharedEventID`, if loaded (tracks `insights`);
    /// else AWS's own Insight of that ID that none of ours pairs with.
    pub fn insight(&self, shared_event_id: &str) -> Option<Insight> {
        self.insights
            .with(|all| {
                all.iter()
                    .find(|i| i.shared_event_id == shared_event_id)
                    .cloned()
            })
            .or_else(|| self.aws_only_insight(shared_event_id))
    }

    /// AWS's own Insight of this `sharedEventID` that none of ours pairs with.
    pub fn aws_only_insight(&self, shared_event_id: &str) -> Option<Insight> {
        self.summary.with(|s| {
            s.as_ref()?
                .pairing
                .aws_only()
                .find(|i| i.shared_event_id == shared_event_id)
                .cloned()
        })
    }

    /// Who found the Insight of this `sharedEventID`.
    pub fn found_by(&self, shared_event_id: &str) -> crate::engine::pairing::FoundBy {
        self.summary.with(|s| match s {
            Some(s) => s.pairing.found_by(shared_event_id),
            None => crate::engine::pairing::FoundBy::Trailsight,
        })
    }

    /// Whether any data is loaded.
    pub fn has_data(&self) -> bool {
        self.summary.with(Option::is_some)
    }
}

impl Default for AppState {
    fn default() -> Self {
        AppState::new()
    }
}
