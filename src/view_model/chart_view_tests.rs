//! The graph's interactions, one transition at a time.

use super::*;

fn close(a: f64, b: f64) -> bool {
    (a - b).abs() < 1e-9
}

/// A view of 1000..1180 in bounds 0..10000, drawn with the plot from x = 50
/// to x = 950 (five pixels a minute at first).
fn graph() -> GraphView {
    let mut g = GraphView::new(
        ViewRange::new(1000.0, 1180.0),
        ViewRange::new(0.0, 10_000.0),
    );
    g.area = PlotArea {
        x0: 50.0,
        y0: 10.0,
        width: 900.0,
        height: 280.0,
        y_max: 10.0,
    };
    g
}

#[test]
fn toolbar_zoom_is_about_the_centre_and_reset_restores() {
    let mut g = graph();
    g.zoom_in();
    assert!(close(g.view.span(), 180.0 / ZOOM_STEP));
    assert!(close((g.view.from + g.view.to) / 2.0, 1090.0));
    g.zoom_out();
    assert!(close(g.view.from, 1000.0) && close(g.view.to, 1180.0));
    g.pan_by(0.5);
    assert_eq!(g.view, ViewRange::new(1090.0, 1270.0));
    g.reset();
    assert_eq!(g.view, g.default_view);
}

#[test]
fn before_the_first_frame_the_pointer_does_nothing() {
    let mut g = GraphView::new(
        ViewRange::new(1000.0, 1180.0),
        ViewRange::new(0.0, 10_000.0),
    );
    assert!(!g.press(100.0, false));
    assert!(!g.wheel(100.0, -1.0));
    assert_eq!(g.drag, None);
    g.move_to(100.0, 20.0);
    assert_eq!(g.tooltip_at(), None);
}

#[test]
fn a_drag_selects_a_range_and_a_click_does_not() {
    let mut g = graph();
    // Outside the plot (the y labels): not taken.
    assert!(!g.press(20.0, false));
    assert!(g.press(150.0, false));
    g.move_to(250.0, 100.0);
    assert_eq!(g.selection_px(), Some((150.0, 100.0)));
    // No tooltip while dragging.
    assert_eq!(g.tooltip_at(), None);
    g.release();
    // 150 px → minute 1020, 250 px → minute 1040.
    assert!(
        close(g.view.from, 1020.0) && close(g.view.to, 1040.0),
        "{:?}",
        g.view
    );
    assert_eq!(g.drag, None);
    assert_eq!(g.selection_px(), None);

    // A click (no movement) keeps the view.
    let before = g.view;
    assert!(g.press(400.0, false));
    g.release();
    assert_eq!(g.view, before);
}

#[test]
fn a_selection_past_the_plot_is_clipped_to_it() {
    let mut g = graph();
    assert!(g.press(900.0, false));
    g.move_to(2000.0, 100.0);
    assert_eq!(g.selection_px(), Some((900.0, 50.0)));
}

#[test]
fn shift_drag_and_pan_mode_pan_with_the_pointer() {
    let mut g = graph();
    assert!(g.press(500.0, true));
    // 90 px to the left is 18 minutes later.
    g.move_to(410.0, 100.0);
    assert_eq!(g.view, ViewRange::new(1018.0, 1198.0));
    assert_eq!(g.selection_px(), None);
    g.release();
    assert_eq!(g.view, ViewRange::new(1018.0, 1198.0));

    let mut g = graph();
    g.toggle_pan_mode();
    assert!(g.pan_mode);
    assert!(g.press(500.0, false));
    g.move_to(590.0, 100.0);
    assert_eq!(g.view, ViewRange::new(982.0, 1162.0));
    // Leaving drops the drag and the hover; the pan so far stays.
    g.leave();
    assert_eq!((g.drag, g.hover), (None, None));
    g.move_to(700.0, 100.0);
    assert_eq!(g.view, ViewRange::new(982.0, 1162.0));
}

#[test]
fn panning_stops_at_the_bounds() {
    let mut g = GraphView::new(ViewRange::new(0.0, 180.0), ViewRange::new(0.0, 1000.0));
    g.key("ArrowLeft");
    assert_eq!(g.view, ViewRange::new(0.0, 180.0));
    for _ in 0..100 {
        g.key("ArrowRight");
    }
    assert_eq!(g.view, ViewRange::new(820.0, 1000.0));
}

#[test]
fn the_wheel_zooms_about_the_minute_under_the_pointer() {
    let mut g = graph();
    // x = 275 is minute 1045, a quarter into the view; it stays a quarter in.
    assert!(g.wheel(275.0, -100.0));
    assert!(close(g.view.span(), 180.0 / ZOOM_STEP));
    assert!(close((1045.0 - g.view.from) / g.view.span(), 0.25));
    assert!(g.wheel(275.0, 100.0));
    assert!(close(g.view.span(), 180.0));
    // No turn, or off the plot: ignored.
    assert!(!g.wheel(275.0, 0.0));
    assert!(!g.wheel(10.0, 100.0));
}

#[test]
fn keys_zoom_pan_and_reset() {
    let mut g = graph();
    assert!(g.key("+"));
    assert!(g.view.span() < 180.0);
    assert!(g.key("-"));
    assert!(close(g.view.span(), 180.0));
    assert!(g.key("ArrowRight"));
    assert!(close(g.view.from, 1018.0));
    assert!(g.key("ArrowLeft"));
    assert!(close(g.view.from, 1000.0));
    g.key("=");
    assert!(g.key("Home"));
    assert_eq!(g.view, g.default_view);
    assert!(!g.key("a"));
    assert!(!g.key("Enter"));
}

#[test]
fn span_presets_centre_on_the_insight_and_default_resets() {
    let mut g = graph();
    g.show_span(1080, 1100, Some(60));
    assert_eq!(g.view, ViewRange::new(1060.0, 1120.0));
    // Wider than the bounds: clamped to them.
    g.show_span(1080, 1100, Some(100_000));
    assert_eq!(g.view, ViewRange::new(0.0, 10_000.0));
    g.show_span(1080, 1100, None);
    assert_eq!(g.view, g.default_view);
}

#[test]
fn the_tooltip_follows_the_pointer_and_flips_near_the_right_edge() {
    let mut g = graph();
    g.move_to(300.0, 100.0);
    assert_eq!(g.tooltip_at(), Some((300.0, 100.0)));
    assert_eq!(g.minute_at(300.0), 1050);
    assert_eq!(g.tooltip_box(300.0, 100.0, 320.0), (312.0, 112.0));
    // Near the right edge it opens to the left; near the bottom it stays inside.
    assert_eq!(g.tooltip_box(900.0, 300.0, 320.0), (660.0, 260.0));
    // Over the y labels: no tooltip.
    g.move_to(20.0, 100.0);
    assert_eq!(g.tooltip_at(), None);
}

#[test]
fn tooltip_text_reads_the_minute_its_values_and_its_band() {
    let points = [MinutePoint {
        minute: 1085,
        calls: 40,
        errors: 7,
    }];
    let related = [Band {
        start: 1080,
        end: 1100,
        selected: true,
    }];
    let utc = |_: i64| 0;
    let t = tooltip_text(&points, 1085, &utc, Some("AccessDenied"), &related);
    assert_eq!(t.time, "1970-01-01 18:05 UTC");
    assert_eq!(t.calls, "API calls: 40");
    assert_eq!(t.errors.as_deref(), Some("Errors (AccessDenied): 7"));
    assert_eq!(
        t.band.as_deref(),
        Some("Insight started 1970-01-01 18:00 · 20 min")
    );
    // A minute with no point reads zero; outside the band, no band line; an
    // API call rate Insight has no errors line; the zone shows.
    let east = |_: i64| 90;
    let t = tooltip_text(&points, 1100, &east, None, &related);
    assert_eq!(t.time, "1970-01-01 19:50 UTC+01:30");
    assert_eq!(t.calls, "API calls: 0");
    assert_eq!((t.errors, t.band), (None, None));
}
