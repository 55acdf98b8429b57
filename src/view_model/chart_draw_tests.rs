//! Renders frames to SVG with plotters' SVG backend and reads the drawing back:
//! which lines, bands and labels are there, and where.

use super::*;
use crate::model::MinutePoint;
use crate::view_model::chart::downsample;
use plotters::backend::SVGBackend;

/// One SVG element: its tag, attributes and text content.
struct Element {
    tag: String,
    attrs: Vec<(String, String)>,
    text: String,
}

impl Element {
    fn attr(&self, name: &str) -> &str {
        self.attrs
            .iter()
            .find(|(k, _)| k == name)
            .map_or("", |(_, v)| v.as_str())
    }

    fn num(&self, name: &str) -> f64 {
        self.attr(name).parse().unwrap_or(f64::NAN)
    }

    /// A polyline's points as (x, y).
    fn points(&self) -> Vec<(f64, f64)> {
        self.attr("points")
            .split_whitespace()
            .filter_map(|p| {
                let (x, y) = p.split_once(',')?;
                Some((x.parse().ok()?, y.parse().ok()?))
            })
            .collect()
    }
}

/// The elements of plotters' SVG output (one tag per `<`, attributes quoted).
fn parse(svg: &str) -> Vec<Element> {
    svg.split('<')
        .filter(|s| !s.starts_with('/') && !s.is_empty())
        .filter_map(|s| {
            let (head, rest) = s.split_once('>')?;
            let head = head.trim_end_matches('/');
            let (tag, mut attrs_src) = head.split_once(' ').unwrap_or((head, ""));
            let mut attrs = Vec::new();
            while let Some((key, after)) = attrs_src.split_once("=\"") {
                let (value, next) = after.split_once('"')?;
                attrs.push((key.trim().to_string(), value.to_string()));
                attrs_src = next;
            }
            Some(Element {
                tag: tag.to_string(),
                attrs,
                text: rest.trim().to_string(),
            })
        })
        .collect()
}

fn hex(c: RGBColor) -> String {
    format!("#{:02X}{:02X}{:02X}", c.0, c.1, c.2)
}

/// Ten calls a minute from 900 to 1300, fifty during the Insight 1080..1100,
/// and two errors a minute throughout.
fn points() -> Vec<MinutePoint> {
    (900..1300)
        .map(|minute| MinutePoint {
            minute,
            calls: if (1080..1100).contains(&minute) {
                50
            } else {
                10
            },
            errors: 2,
        })
        .collect()
}

const BANDS: [Band; 2] = [
    Band {
        start: 1020,
        end: 1030,
        selected: false,
    },
    Band {
        start: 1080,
        end: 1100,
        selected: true,
    },
];

/// Renders a 900 × 320 CSS-pixel frame at `dpr` and returns the SVG and the plot area.
fn render(error_rate: bool, offset: i64, dpr: f64) -> (String, PlotArea, usize) {
    let view = ViewRange::new(1000.0, 1180.0);
    let samples = downsample(&points(), view, 830.0);
    let offset_at = move |_: i64| offset;
    let frame = Frame {
        samples: &samples,
        view,
        error_rate,
        baseline_average: 10.0,
        insight_average: 50.0,
        bands: &BANDS,
        offset_at: &offset_at,
        dpr,
        palette: &LIGHT,
    };
    let mut svg = String::new();
    let area = {
        let root =
            SVGBackend::with_string(&mut svg, device_size(900.0, 320.0, dpr)).into_drawing_area();
        draw(&root, &frame).unwrap()
    };
    (svg, area, samples.len())
}

fn polylines(els: &[Element], colour: RGBColor) -> Vec<&Element> {
    let c = hex(colour);
    els.iter()
        .filter(|e| e.tag == "polyline" && e.attr("stroke") == c)
        .collect()
}

#[test]
fn the_calls_line_has_one_point_per_sample_and_peaks_inside_the_selected_band() {
    let (svg, area, n) = render(false, 0, 1.0);
    let els = parse(&svg);
    let calls = polylines(&els, LIGHT.calls);
    assert_eq!(calls.len(), 1, "one calls line");
    let pts = calls[0].points();
    assert_eq!(pts.len(), n);
    // Every point lies inside the plot area.
    assert!(pts
        .iter()
        .all(|&(x, _)| x >= area.x0 - 0.5 && x <= area.x0 + area.width + 0.5));
    // No errors line for an API call rate Insight.
    assert!(polylines(&els, LIGHT.errors).is_empty());

    // Bands: two rectangles in the band colour, the selected one stronger.
    let band = hex(LIGHT.band);
    let rects: Vec<&Element> = els
        .iter()
        .filter(|e| e.tag == "rect" && e.attr("fill") == band)
        .collect();
    assert_eq!(rects.len(), 2);
    let selected = rects.iter().find(|r| r.attr("opacity") == "0.3").unwrap();
    let other = rects.iter().find(|r| r.attr("opacity") == "0.12").unwrap();
    // 20 minutes against 10 minutes: twice as wide, and later.
    let ratio = selected.num("width") / other.num("width");
    assert!((ratio - 2.0).abs() < 0.1, "{ratio}");
    assert!(selected.num("x") > other.num("x"));
    // The spike (highest points, smallest y) is drawn inside the selected band.
    let top = pts.iter().map(|p| p.1).fold(f64::INFINITY, f64::min);
    let (sx, sw) = (selected.num("x"), selected.num("width"));
    assert!(pts
        .iter()
        .filter(|p| p.1 == top)
        .all(|&(x, _)| x >= sx - 1.0 && x <= sx + sw + 1.0));
    // The Insight average is dashed over the selected band only.
    let avg = polylines(&els, LIGHT.band);
    assert!(avg.len() >= 2, "dashes: {}", avg.len());
    assert!(avg
        .iter()
        .flat_map(|l| l.points())
        .all(|(x, _)| x >= sx - 1.0 && x <= sx + sw + 1.0));
}

#[test]
fn an_error_rate_insight_draws_the_errors_line_too() {
    let (svg, _, n) = render(true, 0, 1.0);
    let els = parse(&svg);
    let errors = polylines(&els, LIGHT.errors);
    assert_eq!(errors.len(), 1);
    assert_eq!(errors[0].points().len(), n);
    // Two errors a minute against ten calls: the errors line is lower (larger y).
    let mean_y = |l: &Element| {
        let p = l.points();
        p.iter().map(|p| p.1).sum::<f64>() / p.len() as f64
    };
    assert!(mean_y(errors[0]) > mean_y(polylines(&els, LIGHT.calls)[0]));
}

fn labels(svg: &str) -> Vec<String> {
    parse(svg)
        .into_iter()
        .filter(|e| e.tag == "text")
        .map(|e| e.text)
        .collect()
}

#[test]
fn axis_labels_follow_the_zone_and_the_values() {
    // 1000..1180 is 16:40 to 19:40 UTC on 1970-01-01: half-hour ticks.
    let utc = labels(&render(false, 0, 1.0).0);
    for l in ["17:00", "17:30", "19:30"] {
        assert!(utc.iter().any(|t| t == l), "{l} in {utc:?}");
    }
    assert!(!utc.iter().any(|t| t == "16:30"), "{utc:?}");
    // The y axis runs from 0 past the spike of 50.
    assert!(utc.iter().any(|t| t == "0"), "{utc:?}");
    assert!(utc.iter().any(|t| t == "50"), "{utc:?}");
    // One hour east of UTC: the same instants read an hour later.
    let plus_one = labels(&render(false, 60, 1.0).0);
    assert!(plus_one.iter().any(|t| t == "18:00"), "{plus_one:?}");
    assert!(!plus_one.iter().any(|t| t == "17:00"), "{plus_one:?}");
}

#[test]
fn the_plot_area_is_in_css_pixels_at_any_device_scale() {
    let (svg1, a1, _) = render(false, 0, 1.0);
    let (svg2, a2, _) = render(false, 0, 2.0);
    assert!(svg1.contains("width=\"900\" height=\"320\""));
    assert!(svg2.contains("width=\"1800\" height=\"640\""));
    assert!((a1.x0 - a2.x0).abs() <= 1.0 && (a1.width - a2.width).abs() <= 1.0);
    assert!((a1.y0 - a2.y0).abs() <= 1.0 && (a1.height - a2.height).abs() <= 1.0);
    assert!(a1.width > 700.0 && a1.height > 250.0, "{a1:?}");
    assert!((a1.y_max - 55.0).abs() < 1e-9, "10 % above the spike");
}

#[test]
fn device_scale_is_sane() {
    assert_eq!(device_scale(2.0), 2.0);
    assert_eq!(device_scale(9.0), 4.0);
    assert_eq!(device_scale(f64::NAN), 1.0);
    assert_eq!(device_scale(-1.0), 1.0);
    assert_eq!(device_size(900.0, 320.0, 1.5), (1350, 480));
    assert_eq!(device_size(0.0, 0.0, 1.0), (1, 1));
}
