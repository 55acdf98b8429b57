//! The Insights detector: per-minute series, seasonal baselines, Start/End episodes,
//! attributions. (Being written: see issue 4.)
