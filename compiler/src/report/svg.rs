//! The two plots of `acec report -o DIR`, as plain SVG: cycles per layer per variant (grouped bars, log
//! scale) and the energy of each FLEX task against one charge of the capacitor.
//!
//! Written by hand rather than with `plotters`: two fixed chart shapes need a few dozen elements each, the
//! output must be byte-for-byte deterministic (it is committed and diffed), and no font metrics are needed
//! because labels are placed on a fixed grid. Every bar is a `<rect class="bar">` carrying `data-` attributes
//! with its series, group and value, so tests and scripts can read the numbers back.

use std::fmt::Write;

use super::compare::{Comparison, FlexTasks};

/// Colours per series, in series order (colour-blind-safe Okabe-Ito palette).
const PALETTE: [&str; 6] = ["#0072B2", "#E69F00", "#009E73", "#CC79A7", "#56B4E9", "#D55E00"];

const HEIGHT: f64 = 460.0;
const TOP: f64 = 40.0;
const BOTTOM: f64 = 160.0;
const LEFT: f64 = 80.0;
const LEGEND: f64 = 170.0;
/// Wide enough for the title.
const MIN_WIDTH: f64 = 560.0;

/// `&`, `<`, `>` and `"` escaped, for text and attribute values.
fn escape(text: &str) -> String {
    text.replace('&', "&amp;").replace('<', "&lt;").replace('>', "&gt;").replace('"', "&quot;")
}

/// The document's opening (with a white background and the title) for a plot `width` wide.
fn open(width: f64, title: &str) -> String {
    format!(
        "<svg xmlns=\"http://www.w3.org/2000/svg\" width=\"{width:.0}\" height=\"{HEIGHT:.0}\" \
         viewBox=\"0 0 {width:.0} {HEIGHT:.0}\" font-family=\"sans-serif\" font-size=\"11\">\n\
         <rect x=\"0\" y=\"0\" width=\"{width:.0}\" height=\"{HEIGHT:.0}\" fill=\"white\"/>\n\
         <text x=\"{:.1}\" y=\"22\" text-anchor=\"middle\" font-size=\"14\">{}</text>\n",
        width / 2.0,
        escape(title)
    )
}

/// Legend entries at the right edge of the plot area.
fn legend(out: &mut String, x: f64, entries: &[(&str, &str)]) {
    for (i, (colour, label)) in entries.iter().enumerate() {
        let y = TOP + 10.0 + 18.0 * i as f64;
        let _ =
            writeln!(out, "<rect x=\"{x:.1}\" y=\"{:.1}\" width=\"12\" height=\"12\" fill=\"{colour}\"/>", y - 10.0);
        let _ = writeln!(out, "<text x=\"{:.1}\" y=\"{y:.1}\">{}</text>", x + 18.0, escape(label));
    }
}

/// Characters of a layer label under the axis (the full name is in each bar's tooltip).
const LABEL_CHARS: usize = 24;

/// A group label under the x axis, rotated: the first layer of a fused step (`conv + relu` -> `conv`), its
/// last [`LABEL_CHARS`] characters (ONNX names repeat their scope at the front).
fn group_label(out: &mut String, x: f64, layer: &str) {
    let first = layer.split(" + ").next().unwrap_or(layer);
    let chars: Vec<char> = first.chars().collect();
    let label: String = if chars.len() > LABEL_CHARS {
        std::iter::once('…').chain(chars[chars.len() - (LABEL_CHARS - 1)..].iter().copied()).collect()
    } else {
        first.to_string()
    };
    let y = HEIGHT - BOTTOM + 12.0;
    let _ = writeln!(
        out,
        "<text x=\"{x:.1}\" y=\"{y:.1}\" text-anchor=\"end\" transform=\"rotate(-60 {x:.1} {y:.1})\">{}</text>",
        escape(&label)
    );
}

/// The model's short name for titles.
fn model_name(model: &str) -> String {
    crate::pipeline::model_name(std::path::Path::new(model))
}

/// Cycles per layer, one group per layer and one bar per variant, on a log10 axis. Layers are matched by
/// position (every variant is lowered from the same graph, so step `i` is the same layer in all of them);
/// the group is named after the acec variant's layer.
pub fn cycles_per_layer(c: &Comparison) -> String {
    let names: Vec<&String> = c.variants.keys().collect();
    let layers: Vec<&str> =
        c.variants.get("acec").map_or_else(Vec::new, |v| v.layers.iter().map(|l| l.layer.as_str()).collect());
    let bar = 10.0;
    let group = bar * names.len() as f64 + 14.0;
    let plot_w = group * layers.len().max(1) as f64;
    let width = (LEFT + plot_w + LEGEND).max(MIN_WIDTH);
    let plot_h = HEIGHT - TOP - BOTTOM;
    let all = || c.variants.values().flat_map(|v| v.layers.iter().map(|l| l.cycles)).filter(|&n| n > 0);
    // Whole decades around the non-zero values (a zero, e.g. the bound of a CPU-only layer, has no bar).
    let lo = all().min().map_or(0, |n| n.ilog10());
    let hi = all().max().map_or(1, |n| (n as f64).log10().ceil() as u32).max(lo + 1);
    let span = f64::from(hi - lo);
    let y_of = |cycles: u64| {
        let decade = if cycles == 0 { f64::from(lo) } else { (cycles as f64).log10() };
        TOP + plot_h * (1.0 - (decade - f64::from(lo)) / span)
    };

    let mut out = open(width, &format!("{}: cycles per layer (log scale)", model_name(&c.model)));
    for d in lo..=hi {
        let y = y_of(10u64.pow(d));
        let _ = writeln!(
            out,
            "<line x1=\"{LEFT:.1}\" y1=\"{y:.1}\" x2=\"{:.1}\" y2=\"{y:.1}\" stroke=\"#ddd\"/>",
            LEFT + plot_w
        );
        let _ = writeln!(out, "<text x=\"{:.1}\" y=\"{:.1}\" text-anchor=\"end\">1e{d}</text>", LEFT - 6.0, y + 4.0);
    }
    let _ = writeln!(
        out,
        "<text x=\"16\" y=\"{:.1}\" text-anchor=\"middle\" transform=\"rotate(-90 16 {:.1})\">cycles</text>",
        TOP + plot_h / 2.0,
        TOP + plot_h / 2.0
    );
    for (g, layer) in layers.iter().enumerate() {
        let x0 = LEFT + g as f64 * group + 7.0;
        for (s, name) in names.iter().enumerate() {
            let Some(l) = c.variants[*name].layers.get(g) else { continue };
            let y = y_of(l.cycles);
            let _ = writeln!(
                out,
                "<rect class=\"bar\" data-series=\"{}\" data-group=\"{}\" data-value=\"{}\" x=\"{:.1}\" y=\"{y:.1}\" \
                 width=\"{bar:.1}\" height=\"{:.1}\" fill=\"{}\"><title>{}: {} cycles</title></rect>",
                escape(name),
                escape(layer),
                l.cycles,
                x0 + s as f64 * bar,
                TOP + plot_h - y,
                PALETTE[s % PALETTE.len()],
                escape(&format!("{name}, {layer}")),
                l.cycles
            );
        }
        group_label(&mut out, x0 + group / 2.0, layer);
    }
    axes(&mut out, plot_w);
    let entries: Vec<(&str, &str)> =
        names.iter().enumerate().map(|(s, n)| (PALETTE[s % PALETTE.len()], n.as_str())).collect();
    legend(&mut out, LEFT + plot_w + 16.0, &entries);
    out.push_str("</svg>\n");
    out
}

/// Energy of each FLEX task (its kernels, plus the boot and commit every task pays) as stacked bars, with
/// the usable energy of one capacitor charge as a dashed line: every bar must stay under it.
pub fn task_energy(model: &str, flex: &FlexTasks) -> String {
    let bar = 14.0;
    let group = bar + 6.0;
    let plot_w = group * flex.tasks.len().max(1) as f64;
    let width = (LEFT + plot_w + LEGEND).max(MIN_WIDTH);
    let plot_h = HEIGHT - TOP - BOTTOM;
    let peak = flex.tasks.iter().map(|t| t.energy_uj + flex.overhead_uj).fold(flex.charge_uj, f64::max);
    let top = nice_ceiling(peak * 1.1);
    let y_of = |uj: f64| TOP + plot_h * (1.0 - uj / top);

    let mut out = open(width, &format!("{}: energy per FLEX task vs one charge", model_name(model)));
    for i in 0..=4 {
        let v = top * f64::from(i) / 4.0;
        let y = y_of(v);
        let _ = writeln!(
            out,
            "<line x1=\"{LEFT:.1}\" y1=\"{y:.1}\" x2=\"{:.1}\" y2=\"{y:.1}\" stroke=\"#ddd\"/>",
            LEFT + plot_w
        );
        let _ = writeln!(out, "<text x=\"{:.1}\" y=\"{:.1}\" text-anchor=\"end\">{v:.0}</text>", LEFT - 6.0, y + 4.0);
    }
    let _ = writeln!(
        out,
        "<text x=\"16\" y=\"{:.1}\" text-anchor=\"middle\" transform=\"rotate(-90 16 {:.1})\">energy (uJ)</text>",
        TOP + plot_h / 2.0,
        TOP + plot_h / 2.0
    );
    let mut last_layer = "";
    for (i, task) in flex.tasks.iter().enumerate() {
        let x = LEFT + i as f64 * group + 3.0;
        let label = format!("{} [{}..{})", task.layer, task.start, task.end);
        let (y_kernels, y_total) = (y_of(task.energy_uj), y_of(task.energy_uj + flex.overhead_uj));
        let _ = writeln!(
            out,
            "<rect class=\"bar\" data-series=\"kernels\" data-group=\"{}\" data-value=\"{:.3}\" x=\"{x:.1}\" \
             y=\"{y_kernels:.1}\" width=\"{bar:.1}\" height=\"{:.1}\" fill=\"{}\"><title>{}: {:.3} uJ</title></rect>",
            i,
            task.energy_uj,
            TOP + plot_h - y_kernels,
            PALETTE[0],
            escape(&label),
            task.energy_uj
        );
        let _ = writeln!(
            out,
            "<rect class=\"bar\" data-series=\"boot+commit\" data-group=\"{}\" data-value=\"{:.3}\" x=\"{x:.1}\" \
             y=\"{y_total:.1}\" width=\"{bar:.1}\" height=\"{:.1}\" fill=\"{}\"/>",
            i,
            flex.overhead_uj,
            y_kernels - y_total,
            PALETTE[1]
        );
        // Label each layer once, under its first task.
        if task.layer != last_layer {
            group_label(&mut out, x + bar / 2.0, &task.layer);
            last_layer = &task.layer;
        }
    }
    let y = y_of(flex.charge_uj);
    let _ = writeln!(
        out,
        "<line class=\"budget\" data-value=\"{:.3}\" x1=\"{LEFT:.1}\" y1=\"{y:.1}\" x2=\"{:.1}\" y2=\"{y:.1}\" \
         stroke=\"#D55E00\" stroke-width=\"2\" stroke-dasharray=\"6 4\"/>",
        flex.charge_uj,
        LEFT + plot_w
    );
    axes(&mut out, plot_w);
    let charge = format!("one charge: {:.0} uJ", flex.charge_uj);
    legend(
        &mut out,
        LEFT + plot_w + 16.0,
        &[(PALETTE[0], "kernels"), (PALETTE[1], "boot + commit"), ("#D55E00", &charge)],
    );
    out.push_str("</svg>\n");
    out
}

/// The x and y axis lines of a plot `plot_w` wide.
fn axes(out: &mut String, plot_w: f64) {
    let bottom = HEIGHT - BOTTOM;
    let _ =
        writeln!(out, "<line x1=\"{LEFT:.1}\" y1=\"{TOP:.1}\" x2=\"{LEFT:.1}\" y2=\"{bottom:.1}\" stroke=\"black\"/>");
    let _ = writeln!(
        out,
        "<line x1=\"{LEFT:.1}\" y1=\"{bottom:.1}\" x2=\"{:.1}\" y2=\"{bottom:.1}\" stroke=\"black\"/>",
        LEFT + plot_w
    );
}

/// The smallest of 1, 1.2, 1.6, 2, 2.4, 3, 4, 5, 6, 8 times a power of ten that is at least `v`: round axis
/// maxima whose quarters are round too.
fn nice_ceiling(v: f64) -> f64 {
    if v <= 0.0 {
        return 1.0;
    }
    let power = 10f64.powf(v.log10().floor());
    [1.0, 1.2, 1.6, 2.0, 2.4, 3.0, 4.0, 5.0, 6.0, 8.0, 10.0]
        .iter()
        .map(|m| m * power)
        .find(|&c| c >= v * (1.0 - 1e-12))
        .unwrap_or(10.0 * power)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn nice_ceilings_are_round() {
        assert_eq!(nice_ceiling(7.0), 8.0);
        assert_eq!(nice_ceiling(253.0), 300.0);
        assert_eq!(nice_ceiling(2.1), 2.4);
        assert_eq!(nice_ceiling(100.0), 100.0);
        assert_eq!(nice_ceiling(0.0), 1.0);
    }

    #[test]
    fn text_is_escaped() {
        assert_eq!(escape("a<b & \"c\">"), "a&lt;b &amp; &quot;c&quot;&gt;");
    }
}
