//! The summary's charts, drawn by plotly.js through the `plotly` crate. Each chart is a
//! `<div>` and the script that fills it; the library itself is inlined once per page.

use plotly::common::{ColorScale, ColorScalePalette, Mode, Title};
use plotly::layout::{Axis, AxisType, BarMode, CategoryOrder, Margin};
use plotly::{Bar, Configuration, HeatMap, Layout, Plot, Scatter};

/// plotly.js as one inline `<script>`. The crate's offline bundle also carries MathJax
/// (2 MB, for LaTeX titles this page never has), so only its first script is kept.
pub fn library_script() -> String {
    let bundle = Plot::offline_js_sources();
    match bundle.find("</script>") {
        Some(end) => bundle[..end + "</script>".len()].to_string(),
        None => bundle,
    }
}

/// plotly.js interprets a few tags (`<b>`, `<br>`) in labels and decodes `&amp;`, `&lt;`,
/// `&gt;` (but not `&quot;`), so a name from the data has just those three escaped to show as
/// the text it is.
fn text(label: &str) -> String {
    label.replace('&', "&amp;").replace('<', "&lt;").replace('>', "&gt;")
}

fn texts(labels: &[String]) -> Vec<String> {
    labels.iter().map(|l| text(l)).collect()
}

/// Categories in the given order: plotly would otherwise order them by first appearance
/// across traces (years out of order when the first issuer lacks the early ones).
fn category_axis(title: &str, categories: &[String]) -> Axis {
    Axis::new()
        .type_(AxisType::Category)
        .category_order(CategoryOrder::Array)
        .category_array(texts(categories))
        .title(Title::with_text(title))
        .auto_margin(true)
}

fn value_axis(title: &str) -> Axis {
    Axis::new().title(Title::with_text(title)).auto_margin(true)
}

fn render(mut plot: Plot, id: &str, title: &str, height: usize, layout: Layout) -> String {
    plot.set_layout(layout.title(Title::with_text(text(title))).height(height).margin(Margin::new().top(60)));
    plot.set_configuration(Configuration::new().responsive(true).display_logo(false));
    plot.to_inline_html(Some(id))
}

/// Counts by two categories; an empty cell is left blank rather than coloured as 0.
pub fn heatmap(id: &str, title: &str, x: &[String], y: &[String], z: &[Vec<u64>]) -> String {
    let z: Vec<Vec<Option<u64>>> = z.iter().map(|row| row.iter().map(|&n| (n > 0).then_some(n)).collect()).collect();
    let mut plot = Plot::new();
    // A sequential scale: counts have no midpoint for a diverging one to centre on.
    let scale = ColorScale::Palette(ColorScalePalette::YlGnBu);
    plot.add_trace(HeatMap::new(texts(x), texts(y), z).hover_on_gaps(false).color_scale(scale).reverse_scale(true));
    let layout = Layout::new().x_axis(category_axis("report_year", x)).y_axis(category_axis("province", y));
    render(plot, id, title, 160 + 26 * y.len().max(4), layout)
}

/// One bar series per name over the categories `x`; stacked or side by side.
pub fn bars(
    id: &str,
    title: &str,
    x: &[String],
    series: &[(String, Vec<Option<f64>>)],
    stack: bool,
    y_title: &str,
) -> String {
    let mut plot = Plot::new();
    for (name, y) in series {
        plot.add_trace(Bar::new(texts(x), y.clone()).name(text(name)));
    }
    let mode = if stack { BarMode::Stack } else { BarMode::Group };
    let layout = Layout::new().bar_mode(mode).x_axis(category_axis("", x)).y_axis(value_axis(y_title));
    render(plot, id, title, 360, layout)
}

/// One named series over years; a null value is a gap, not a zero.
pub struct Line {
    pub name: String,
    pub years: Vec<i32>,
    pub values: Vec<Option<f64>>,
}

pub fn lines(id: &str, title: &str, series: &[Line], y_title: &str) -> String {
    let mut years: Vec<i32> = series.iter().flat_map(|l| l.years.iter().copied()).collect();
    years.sort_unstable();
    years.dedup();
    let years: Vec<String> = years.iter().map(i32::to_string).collect();
    let mut plot = Plot::new();
    for line in series {
        let x: Vec<String> = line.years.iter().map(i32::to_string).collect();
        plot.add_trace(Scatter::new(x, line.values.clone()).name(text(&line.name)).mode(Mode::LinesMarkers));
    }
    let layout = Layout::new().x_axis(category_axis("report_year", &years)).y_axis(value_axis(y_title));
    render(plot, id, title, 440, layout)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn library_is_plotly_alone() {
        let s = library_script();
        assert!(s.starts_with("<script") && s.ends_with("</script>"));
        assert!(s.contains("plotly.js v"), "the first script of the bundle is plotly.js");
        assert_eq!(s.matches("<script").count(), 1);
        assert!(s.len() < Plot::offline_js_sources().len(), "MathJax left out");
    }

    #[test]
    fn labels_cannot_inject_markup() {
        let html = bars("c", "t", &["</script><b>x".into()], &[("<i>".into(), vec![Some(1.0)])], false, "n");
        assert!(!html.contains("</script><b>"), "{html}");
        assert!(!html.contains("<i>"));
    }

    #[test]
    fn years_are_in_order_whatever_the_first_line_has() {
        let line = |years: Vec<i32>| Line { name: "a".into(), values: vec![Some(1.0); years.len()], years };
        let html = lines("c", "t", &[line(vec![2024]), line(vec![2014, 2020])], "n");
        assert!(html.contains(r#""categoryarray":["2014","2020","2024"]"#), "{html}");
    }
}
