//! The graph's HTML legend: the series drawn, the two averages and the band.

use crate::format::average;
use crate::model::{Insight, InsightType};
use leptos::prelude::*;

/// The legend of `insight`'s graph (an errors entry for an error-rate Insight).
#[component]
pub fn GraphLegend(insight: Insight) -> impl IntoView {
    let series_label = if insight.key.insight_type == InsightType::ApiErrorRateInsight {
        format!("Calls to {}", insight.key.name)
    } else {
        "API calls per minute".to_string()
    };
    let errors_label = insight
        .key
        .error_code
        .map(|c| format!("Errors ({c}) per minute"));
    let baseline_label = format!("Baseline average: {}", average(insight.baseline_average));
    let insight_label = format!("Insight average: {}", average(insight.insight_average));
    view! {
        <ul class="ts-chart-legend" aria-label="Legend">
            <li><span class="ts-swatch ts-swatch-calls"></span>{series_label}</li>
            {errors_label.map(|l| view! { <li><span class="ts-swatch ts-swatch-errors"></span>{l}</li> })}
            <li><span class="ts-swatch ts-swatch-baseline"></span>{baseline_label}</li>
            <li><span class="ts-swatch ts-swatch-insight"></span>{insight_label}</li>
            <li><span class="ts-swatch ts-swatch-band"></span>"Insights event (Start to End)"</li>
        </ul>
    }
}
