//! Charts as SVG documents: horizontal bars, a cumulative curve and a grid,
//! each with its title, axis labels and values written on it.
//!
//! Written by hand rather than with a plotting crate: the charts are three
//! simple shapes, and what they must guarantee — real `<text>` for every
//! label (Chinese and Cyrillic stay selectable and searchable), no embedded
//! fonts or scripts, a bounded size, bytes that are the same on every run —
//! is easier to keep in a few hundred lines of our own than to configure
//! (plotters' SVG backend, for one, draws text as paths only optionally and
//! pulls in font handling we would not use).
//!
//! Colours are from Okabe and Ito's palette for colour-blind readers, and
//! every distinction a colour makes is also made by lightness, a dash or a
//! written label, so the charts read in grayscale and in print.

use std::fmt::Write;

use unicode_width::UnicodeWidthChar;

/// Okabe–Ito blue: the main series.
const BLUE: &str = "#0072B2";
/// Okabe–Ito vermillion: what is at stake (losses, at-risk); darker than
/// nothing else on a chart, so it stays apart in grayscale.
const VERMILLION: &str = "#D55E00";
const INK: &str = "#1a1a1a";
const GRID: &str = "#c8c8c8";
const FONT: &str = "system-ui, -apple-system, 'Segoe UI', 'Noto Sans', 'Noto Sans CJK SC', 'PingFang SC', 'Microsoft YaHei', sans-serif";

/// The width every chart is drawn at; it scales with its container.
const WIDTH: f64 = 760.0;
const TEXT: f64 = 13.0;
const SMALL: f64 = 11.5;

/// A horizontal bar chart: one bar per row, its value at its end and a note
/// under it.
#[derive(Debug, Clone, PartialEq)]
pub struct Bars {
    pub title: String,
    /// What the bars measure, written under the value axis.
    pub axis: String,
    pub bars: Vec<Bar>,
}

#[derive(Debug, Clone, PartialEq)]
pub struct Bar {
    pub label: String,
    pub value: f64,
    /// The value as written at the bar's end.
    pub value_text: String,
    /// The other figures of the row, written under the bar.
    pub note: String,
    /// Drawn in the colour of what is at stake.
    pub at_stake: bool,
}

/// A cumulative curve over customers ranked by value, x and y as fractions
/// (y may leave 0..1: a whale curve rises above its end).
#[derive(Debug, Clone, PartialEq)]
pub struct Curve {
    pub title: String,
    pub x_axis: String,
    pub y_axis: String,
    /// The curve's points, the origin first.
    pub points: Vec<(f64, f64)>,
    /// Shaded spans of the x axis with their label (the classes, the tail
    /// of customers who lose money).
    pub bands: Vec<Band>,
    /// Marked points of the curve with their label.
    pub marks: Vec<Mark>,
    /// Horizontal reference lines (a class cut-off) with their label.
    pub lines: Vec<(f64, String)>,
    /// Written in place of the curve when there is none.
    pub empty: Option<String>,
    /// Sentences written under the chart.
    pub notes: Vec<String>,
}

#[derive(Debug, Clone, PartialEq)]
pub struct Band {
    pub from: f64,
    pub to: f64,
    pub label: String,
    pub at_stake: bool,
}

#[derive(Debug, Clone, PartialEq)]
pub struct Mark {
    pub x: f64,
    pub y: f64,
    pub label: String,
}

/// A grid of cells, each with its count (which shades it) and a line under.
#[derive(Debug, Clone, PartialEq)]
pub struct Grid {
    pub title: String,
    /// Labels of the rows, top first, and what they are.
    pub rows: Vec<String>,
    pub row_axis: String,
    pub columns: Vec<String>,
    pub column_axis: String,
    /// `cells[row][column]`: the count and the line under it.
    pub cells: Vec<Vec<(usize, String)>>,
}

/// Prints one document on stdout.
pub fn print(document: &str) -> anyhow::Result<()> {
    let mut out = std::io::stdout().lock();
    std::io::Write::write_all(&mut out, document.as_bytes())?;
    std::io::Write::flush(&mut out)?;
    Ok(())
}

/// The SVG document's opening: its size, its title for screen readers.
fn open(out: &mut String, height: f64, title: &str) {
    let _ = write!(
        out,
        "<svg xmlns=\"http://www.w3.org/2000/svg\" viewBox=\"0 0 {WIDTH} {height:.0}\" \
         width=\"{WIDTH}\" height=\"{height:.0}\" role=\"img\" aria-label=\"{title}\" \
         font-family=\"{FONT}\" font-size=\"{TEXT}\" fill=\"{INK}\">\n\
         <title>{title}</title>\n\
         <rect class=\"background\" width=\"100%\" height=\"100%\" fill=\"#ffffff\"/>\n",
        title = escape(title)
    );
    text(out, 12.0, 22.0, 16.0, "start", "bold", title);
}

fn close(out: &mut String) {
    out.push_str("</svg>\n");
}

/// A `<text>` element; `weight` is `normal` or `bold`.
fn text(out: &mut String, x: f64, y: f64, size: f64, anchor: &str, weight: &str, s: &str) {
    let _ = writeln!(
        out,
        "<text x=\"{x:.1}\" y=\"{y:.1}\" font-size=\"{size}\" text-anchor=\"{anchor}\" \
         font-weight=\"{weight}\">{}</text>",
        escape(s)
    );
}

fn line(out: &mut String, (x1, y1): (f64, f64), (x2, y2): (f64, f64), stroke: &str, dash: &str) {
    let dash = if dash.is_empty() {
        String::new()
    } else {
        format!(" stroke-dasharray=\"{dash}\"")
    };
    let _ = writeln!(
        out,
        "<line x1=\"{x1:.1}\" y1=\"{y1:.1}\" x2=\"{x2:.1}\" y2=\"{y2:.1}\" stroke=\"{stroke}\"{dash}/>"
    );
}

/// The bar chart as one SVG document.
pub fn bars(chart: &Bars) -> String {
    const ROW: f64 = 44.0;
    const BAR: f64 = 20.0;
    let label_width = chart
        .bars
        .iter()
        .map(|b| text_width(&b.label, TEXT))
        .fold(60.0, f64::max)
        .min(260.0);
    let left = 16.0 + label_width + 8.0;
    let value_width = chart
        .bars
        .iter()
        .map(|b| text_width(&b.value_text, TEXT))
        .fold(0.0, f64::max);
    let plot = WIDTH - left - value_width - 24.0;
    let top = 44.0;
    let bottom = top + ROW * chart.bars.len().max(1) as f64;
    let height = bottom + 52.0;
    let max = chart.bars.iter().map(|b| b.value).fold(0.0, f64::max);
    let ticks = ticks(0.0, max);
    let scale_max = ticks.last().copied().unwrap_or(1.0).max(f64::MIN_POSITIVE);
    let x = |v: f64| left + plot * (v / scale_max).clamp(0.0, 1.0);

    let mut out = String::new();
    open(&mut out, height, &chart.title);
    for t in &ticks {
        line(&mut out, (x(*t), top - 6.0), (x(*t), bottom), GRID, "");
        text(
            &mut out,
            x(*t),
            bottom + 16.0,
            SMALL,
            "middle",
            "normal",
            &number(*t),
        );
    }
    text(
        &mut out,
        left + plot / 2.0,
        bottom + 36.0,
        TEXT,
        "middle",
        "normal",
        &chart.axis,
    );
    if chart.bars.is_empty() {
        text(
            &mut out,
            left,
            top + 20.0,
            TEXT,
            "start",
            "normal",
            "(nothing to draw)",
        );
    }
    for (i, b) in chart.bars.iter().enumerate() {
        let y = top + ROW * i as f64;
        let fill = if b.at_stake { VERMILLION } else { BLUE };
        let end = x(b.value);
        let _ = writeln!(
            out,
            "<rect class=\"bar\" x=\"{left:.1}\" y=\"{y:.1}\" width=\"{:.1}\" height=\"{BAR}\" fill=\"{fill}\"><title>{}: {}</title></rect>",
            end - left,
            escape(&b.label),
            escape(&b.value_text),
        );
        text(
            &mut out,
            left - 8.0,
            y + 15.0,
            TEXT,
            "end",
            "normal",
            &b.label,
        );
        text(
            &mut out,
            end + 6.0,
            y + 15.0,
            TEXT,
            "start",
            "bold",
            &b.value_text,
        );
        text(&mut out, left, y + 34.0, SMALL, "start", "normal", &b.note);
    }
    line(&mut out, (left, top - 6.0), (left, bottom), INK, "");
    close(&mut out);
    out
}

/// The curve as one SVG document: x from 0 to 100% of the customers, y over
/// the range of the curve and 0..100%.
pub fn curve(chart: &Curve) -> String {
    let (left, right, top) = (64.0, WIDTH - 24.0, 48.0);
    let plot_height = 300.0;
    let bottom = top + plot_height;
    let height = bottom + 56.0 + 18.0 * (chart.marks.len() + chart.notes.len()) as f64;
    let lowest = chart.points.iter().map(|p| p.1).fold(0.0, f64::min);
    let highest = chart.points.iter().map(|p| p.1).fold(1.0, f64::max);
    let y_ticks = percent_ticks(lowest, highest);
    let (y_min, y_max) = (y_ticks[0], y_ticks[y_ticks.len() - 1]);
    let x = |v: f64| left + (right - left) * v.clamp(0.0, 1.0);
    let y = |v: f64| bottom - plot_height * ((v - y_min) / (y_max - y_min)).clamp(0.0, 1.0);

    let mut out = String::new();
    open(&mut out, height, &chart.title);
    for (i, band) in chart.bands.iter().enumerate() {
        // Alternating light and lighter greys tell neighbouring bands
        // apart in any print; the tail of losses is hatched in vermillion.
        let fill = if band.at_stake {
            "#f6d5c2"
        } else if i % 2 == 0 {
            "#e4eef6"
        } else {
            "#f4f7fa"
        };
        let _ = writeln!(
            out,
            "<rect class=\"band\" x=\"{:.1}\" y=\"{top:.1}\" width=\"{:.1}\" height=\"{plot_height:.1}\" fill=\"{fill}\"/>",
            x(band.from),
            (x(band.to) - x(band.from)).max(0.0),
        );
        let anchor = if band.at_stake { "end" } else { "start" };
        let at = if band.at_stake {
            x(band.to) - 4.0
        } else {
            x(band.from) + 4.0
        };
        text(
            &mut out,
            at,
            bottom - 8.0,
            SMALL,
            anchor,
            "bold",
            &band.label,
        );
    }
    for t in &y_ticks {
        line(&mut out, (left, y(*t)), (right, y(*t)), GRID, "");
        text(
            &mut out,
            left - 6.0,
            y(*t) + 4.0,
            SMALL,
            "end",
            "normal",
            &percent_label(*t),
        );
    }
    for i in 0..=5 {
        let v = f64::from(i) / 5.0;
        line(&mut out, (x(v), bottom), (x(v), bottom + 5.0), INK, "");
        text(
            &mut out,
            x(v),
            bottom + 18.0,
            SMALL,
            "middle",
            "normal",
            &percent_label(v),
        );
    }
    line(&mut out, (left, bottom), (right, bottom), INK, "");
    line(&mut out, (left, top), (left, bottom), INK, "");
    text(
        &mut out,
        (left + right) / 2.0,
        bottom + 38.0,
        TEXT,
        "middle",
        "normal",
        &chart.x_axis,
    );
    let _ = writeln!(
        out,
        "<text x=\"16\" y=\"{:.1}\" font-size=\"{TEXT}\" text-anchor=\"middle\" transform=\"rotate(-90 16 {:.1})\">{}</text>",
        (top + bottom) / 2.0,
        (top + bottom) / 2.0,
        escape(&chart.y_axis)
    );
    for (value, label) in &chart.lines {
        line(&mut out, (left, y(*value)), (right, y(*value)), INK, "6 4");
        // Under the line at the right end: a concave curve runs above it there.
        text(
            &mut out,
            right - 4.0,
            y(*value) + 14.0,
            SMALL,
            "end",
            "normal",
            label,
        );
    }
    if let Some(empty) = &chart.empty {
        text(
            &mut out,
            (left + right) / 2.0,
            (top + bottom) / 2.0,
            TEXT,
            "middle",
            "normal",
            empty,
        );
    } else {
        let mut points = String::new();
        for (i, (px, py)) in chart.points.iter().enumerate() {
            if i > 0 {
                points.push(' ');
            }
            let _ = write!(points, "{:.1},{:.1}", x(*px), y(*py));
        }
        let _ = writeln!(
            out,
            "<polyline class=\"curve\" points=\"{points}\" fill=\"none\" stroke=\"{BLUE}\" stroke-width=\"2.5\" stroke-linejoin=\"round\"/>"
        );
    }
    // Each marked point carries a number, and its label is written under
    // the chart with that number: points close together never make their
    // labels overlap.
    for (i, m) in chart.marks.iter().enumerate() {
        let (mx, my) = (x(m.x), y(m.y));
        let _ = writeln!(
            out,
            "<circle class=\"mark\" cx=\"{mx:.1}\" cy=\"{my:.1}\" r=\"4.5\" fill=\"#ffffff\" stroke=\"{INK}\" stroke-width=\"2\"/>"
        );
        let (nx, anchor) = if mx > right - 20.0 {
            (mx - 7.0, "end")
        } else {
            (mx + 7.0, "start")
        };
        text(
            &mut out,
            nx,
            my + 17.0,
            SMALL,
            anchor,
            "bold",
            &(i + 1).to_string(),
        );
    }
    let under = chart
        .marks
        .iter()
        .enumerate()
        .map(|(i, m)| format!("{}: {}", i + 1, m.label))
        .chain(chart.notes.iter().cloned());
    for (i, note) in under.enumerate() {
        let y = bottom + 60.0 + 18.0 * i as f64;
        text(&mut out, left, y, TEXT, "start", "normal", &note);
    }
    close(&mut out);
    out
}

/// The grid as one SVG document; a cell is darker the more it counts.
pub fn grid(chart: &Grid) -> String {
    let (cell_w, cell_h) = (112.0, 54.0);
    let left = 16.0 + 28.0 + 48.0;
    let top = 48.0;
    let bottom = top + cell_h * chart.rows.len() as f64;
    let height = bottom + 60.0;
    let max = chart
        .cells
        .iter()
        .flatten()
        .map(|c| c.0)
        .max()
        .unwrap_or(0)
        .max(1);
    let mut out = String::new();
    open(&mut out, height, &chart.title);
    for (r, label) in chart.rows.iter().enumerate() {
        let y = top + cell_h * r as f64;
        text(
            &mut out,
            left - 8.0,
            y + cell_h / 2.0 + 4.0,
            TEXT,
            "end",
            "bold",
            label,
        );
        for (c, (count, under)) in chart.cells[r].iter().enumerate() {
            let x = left + cell_w * c as f64;
            let level = *count as f64 / max as f64;
            let (fill, ink) = shade(level);
            let _ = writeln!(
                out,
                "<rect class=\"cell\" x=\"{x:.1}\" y=\"{y:.1}\" width=\"{cell_w}\" height=\"{cell_h}\" fill=\"{fill}\" stroke=\"#ffffff\" stroke-width=\"2\"/>"
            );
            let _ = writeln!(out, "<g fill=\"{ink}\">");
            text(
                &mut out,
                x + cell_w / 2.0,
                y + 22.0,
                15.0,
                "middle",
                "bold",
                &count.to_string(),
            );
            text(
                &mut out,
                x + cell_w / 2.0,
                y + 40.0,
                SMALL,
                "middle",
                "normal",
                under,
            );
            out.push_str("</g>\n");
        }
    }
    for (c, label) in chart.columns.iter().enumerate() {
        let x = left + cell_w * c as f64 + cell_w / 2.0;
        text(&mut out, x, bottom + 18.0, TEXT, "middle", "bold", label);
    }
    let grid_right = left + cell_w * chart.columns.len() as f64;
    text(
        &mut out,
        (left + grid_right) / 2.0,
        bottom + 40.0,
        TEXT,
        "middle",
        "normal",
        &chart.column_axis,
    );
    let _ = writeln!(
        out,
        "<text x=\"28\" y=\"{:.1}\" font-size=\"{TEXT}\" text-anchor=\"middle\" transform=\"rotate(-90 28 {:.1})\">{}</text>",
        (top + bottom) / 2.0,
        (top + bottom) / 2.0,
        escape(&chart.row_axis)
    );
    close(&mut out);
    out
}

/// A blue of lightness falling with `level` (0..=1), and the ink that reads
/// on it: a single-hue ramp keeps its order in grayscale.
fn shade(level: f64) -> (String, &'static str) {
    let level = level.clamp(0.0, 1.0);
    // From #f2f7fb to #08306b.
    let mix = |a: f64, b: f64| (a + (b - a) * level).round() as u8;
    let fill = format!(
        "#{:02x}{:02x}{:02x}",
        mix(242.0, 8.0),
        mix(247.0, 48.0),
        mix(251.0, 107.0)
    );
    (fill, if level > 0.45 { "#ffffff" } else { INK })
}

/// Whole steps (1, 2 or 5 times a power of ten) from `min` to at least
/// `max`, at most about six of them.
pub fn ticks(min: f64, max: f64) -> Vec<f64> {
    let span = (max - min).max(1.0);
    // Bars count things: no step below one.
    let rough = (span / 5.0).max(1.0);
    let power = 10f64.powf(rough.log10().floor());
    let step = [1.0, 2.0, 5.0, 10.0]
        .into_iter()
        .map(|m| m * power)
        .find(|s| *s >= rough)
        .unwrap_or(10.0 * power);
    let first = (min / step).floor() * step;
    let mut out = vec![first];
    while out[out.len() - 1] < max {
        out.push(first + step * out.len() as f64);
    }
    if out.len() == 1 {
        out.push(first + step);
    }
    out
}

/// Ticks of a share axis: every 20% from below `min` (and 0) to above
/// `max` (and 100%).
fn percent_ticks(min: f64, max: f64) -> Vec<f64> {
    let lo = (min.min(0.0) * 5.0).floor() as i64;
    let hi = (max.max(1.0) * 5.0).ceil() as i64;
    (lo..=hi).map(|i| i as f64 / 5.0).collect()
}

fn percent_label(v: f64) -> String {
    format!("{:.0}%", v * 100.0)
}

/// A tick value: whole numbers with thousands separators.
fn number(v: f64) -> String {
    crate::money::group_digits(&format!("{v:.0}"))
}

/// The width `s` takes at `size`: wide (CJK) characters count two halves
/// of an em, others a little over one.
pub fn text_width(s: &str, size: f64) -> f64 {
    s.chars()
        .map(|c| match c.width().unwrap_or(0) {
            2 => 1.0,
            0 => 0.0,
            _ => 0.58,
        })
        .sum::<f64>()
        * size
}

/// Text made safe inside XML: the five markup characters escaped; control
/// characters (which XML 1.0 forbids) and bidi overrides (which would
/// reorder the text around them) shown as U+FFFD.
pub fn escape(s: &str) -> String {
    let mut out = String::with_capacity(s.len());
    for c in s.chars() {
        match c {
            '&' => out.push_str("&amp;"),
            '<' => out.push_str("&lt;"),
            '>' => out.push_str("&gt;"),
            '"' => out.push_str("&quot;"),
            '\'' => out.push_str("&#39;"),
            '\t' => out.push(' '),
            c if c.is_control()
                || ('\u{202a}'..='\u{202e}').contains(&c)
                || ('\u{2066}'..='\u{2069}').contains(&c)
                || c == '\u{fffe}'
                || c == '\u{ffff}' =>
            {
                out.push('\u{fffd}')
            }
            c => out.push(c),
        }
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn ticks_are_round() {
        assert_eq!(ticks(0.0, 33.0), [0.0, 10.0, 20.0, 30.0, 40.0]);
        assert_eq!(ticks(0.0, 3.0), [0.0, 1.0, 2.0, 3.0]);
        assert_eq!(ticks(0.0, 0.0), [0.0, 1.0]);
        assert_eq!(
            ticks(0.0, 25_000.0),
            [0.0, 5000.0, 10_000.0, 15_000.0, 20_000.0, 25_000.0]
        );
        assert_eq!(
            percent_ticks(-0.1, 1.2),
            [-0.2, 0.0, 0.2, 0.4, 0.6, 0.8, 1.0, 1.2]
        );
        assert_eq!(percent_ticks(0.0, 1.0).len(), 6);
    }

    #[test]
    fn escapes_markup_controls_and_overrides() {
        assert_eq!(
            escape("A&B <c> \"d\" 'e'"),
            "A&amp;B &lt;c&gt; &quot;d&quot; &#39;e&#39;"
        );
        assert_eq!(
            escape("a\u{1}b\u{202e}c\nd"),
            "a\u{fffd}b\u{fffd}c\u{fffd}d"
        );
        assert_eq!(escape("见到客户 Логистика"), "见到客户 Логистика");
    }

    #[test]
    fn wide_characters_count_double() {
        assert_eq!(text_width("见到", 10.0), 20.0);
        assert!((text_width("ab", 10.0) - 11.6).abs() < 1e-9);
    }

    #[test]
    fn shades_darken_with_the_count() {
        assert_eq!(shade(0.0), ("#f2f7fb".to_string(), INK));
        assert_eq!(shade(1.0), ("#08306b".to_string(), "#ffffff"));
    }
}
