package io.myelin.report;

import io.myelin.core.InvalidInputException;
import io.myelin.core.energy.QuantityFormat;
import io.myelin.core.energy.SpikeRaster;

import java.util.ArrayList;
import java.util.List;
import java.util.Locale;

import static io.myelin.report.Svg.line;
import static io.myelin.report.Svg.open;
import static io.myelin.report.Svg.rect;
import static io.myelin.report.Svg.shorten;
import static io.myelin.report.Svg.text;
import static io.myelin.report.Svg.ticks;
import static io.myelin.report.Xml.esc;
import static io.myelin.report.Xml.px;

/**
 * The spike raster, the one renderer of every raster Myelin draws (a report's layers, a simulation's groups, a data
 * file's sample): panels stacked vertically, one per layer or group, neuron index downwards, sharing one time axis;
 * each panel labelled with its name and size. Returns one {@code <svg>} element, well-formed XML, usable inline in a
 * page or as a file of its own.
 *
 * <p>Spikes are drawn as one path per panel in one colour, or, {@link Colouring#BY_NEURON}, as one circle per spike
 * with a hue running over the neuron index (frequency bands of an audio sample stand apart). Above
 * {@code maxDots} spikes a panel shows every k-th spike only and says so; the caller's tables keep the true counts.
 *
 * <pre>{@code
 * String svg = SpikeRasterPlot.builder().title("sample 3").timeAxis(1000, "time (ms)", 1).build()
 *         .render(List.of(new SpikeRasterPlot.Panel("exc", 800, timesMs, neurons, null)));
 * }</pre>
 */
public final class SpikeRasterPlot {
    private static final int LEFT = 180;
    private static final int RIGHT = 30;
    private static final int GAP = 14;
    private static final String DOT = "#1f3b73";

    /** How spikes are coloured. */
    public enum Colouring {
        /** One colour; a panel's spikes are one path (compact: what pages with many layers use). */
        BY_PANEL,
        /** A hue per neuron index, one circle per spike. */
        BY_NEURON
    }

    /**
     * One panel: spike k fired at {@code time[k]} (in the plot's time unit) from neuron {@code neuron[k]} of
     * {@code neurons}.
     *
     * @param note a remark shown at the panel's top right, or null
     */
    public record Panel(String name, int neurons, double[] time, int[] neuron, String note) {
        public Panel {
            if (time == null || neuron == null || time.length != neuron.length) {
                throw new InvalidInputException("raster panel '" + name + "': times and neurons must have the same length");
            }
            for (int n : neuron) {
                if (n < 0 || n >= neurons) {
                    throw new InvalidInputException("raster panel '" + name + "': neuron " + n + " is outside 0.." + (neurons - 1));
                }
            }
        }

        /** A report's raster of one layer: times in steps; a capped recording says so in the note. */
        public static Panel of(SpikeRaster r) {
            double[] t = new double[r.spikeCount()];
            for (int k = 0; k < t.length; k++) {
                t[k] = r.step()[k];
            }
            return new Panel(r.layer(), r.neurons(), t, r.neuron(),
                    r.truncated() ? "recording capped at " + QuantityFormat.count(r.spikeCount()) + " spikes" : null);
        }
    }

    private final String label;
    private final String title;
    private final double span;
    private final String timeLabel;
    private final double tickScale;
    private final double binWidth;
    private final int maxDots;
    private final int maxPanelHeight;
    private final Colouring colouring;
    private final boolean neuronTicks;

    private SpikeRasterPlot(Builder b) {
        this.label = b.label;
        this.title = b.title;
        this.span = b.span;
        this.timeLabel = b.timeLabel;
        this.tickScale = b.tickScale;
        this.binWidth = b.binWidth;
        this.maxDots = b.maxDots;
        this.maxPanelHeight = b.maxPanelHeight;
        this.colouring = b.colouring;
        this.neuronTicks = b.neuronTicks;
    }

    public static Builder builder() {
        return new Builder();
    }

    /** Settings of a raster plot; every one has a default. */
    public static final class Builder {
        private String label = "spike raster";
        private String title;
        private double span = 1;
        private String timeLabel = "time step";
        private double tickScale = 1;
        private double binWidth;
        private int maxDots = Integer.MAX_VALUE;
        private int maxPanelHeight = 150;
        private Colouring colouring = Colouring.BY_PANEL;
        private boolean neuronTicks;

        private Builder() {
        }

        /** The accessible name of the image (default "spike raster"). */
        public Builder label(String label) {
            this.label = label;
            return this;
        }

        /** A title line above the panels (none by default). */
        public Builder title(String title) {
            this.title = title;
            return this;
        }

        /**
         * The time axis: from 0 to {@code span} in the panels' time unit, its ticks labelled in that unit times
         * {@code tickScale} (steps shown in ms: {@code tickScale = dt}), named {@code label} (e.g. "time (ms)").
         */
        public Builder timeAxis(double span, String label, double tickScale) {
            if (!(span > 0) || Double.isInfinite(span) || !(tickScale > 0)) {
                throw new InvalidInputException("raster time axis: span and tick scale must be > 0, got " + span + ", " + tickScale);
            }
            this.span = span;
            this.timeLabel = label;
            this.tickScale = tickScale;
            return this;
        }

        /** Length of one time bin in the panels' time unit (1 for spikes on steps; 0, the default, for exact times). */
        public Builder binWidth(double binWidth) {
            this.binWidth = binWidth;
            return this;
        }

        /** Spikes drawn per panel at most; more are thinned evenly (default: all). */
        public Builder maxDots(int maxDots) {
            if (maxDots < 1) {
                throw new InvalidInputException("raster: maxDots must be >= 1, got " + maxDots);
            }
            this.maxDots = maxDots;
            return this;
        }

        /** Height of a panel (px) at most; a panel gets one px per neuron, at least 36 (default 150). */
        public Builder maxPanelHeight(int px) {
            this.maxPanelHeight = Math.max(36, px);
            return this;
        }

        public Builder colouring(Colouring colouring) {
            this.colouring = colouring;
            return this;
        }

        /** Neuron indices at the right edge of each panel (five ticks). */
        public Builder neuronTicks(boolean on) {
            this.neuronTicks = on;
            return this;
        }

        public SpikeRasterPlot build() {
            return new SpikeRasterPlot(this);
        }
    }

    /** The panels, top to bottom, as one SVG element. */
    public String render(List<Panel> panels) {
        int plotW = Charts.WIDTH - LEFT - RIGHT;
        int top = title == null ? 10 : 34;
        List<Integer> heights = new ArrayList<>();
        int h = top;
        for (Panel p : panels) {
            int ph = Math.max(36, Math.min(maxPanelHeight, p.neurons()));
            heights.add(ph);
            h += ph + GAP;
        }
        h += 40;
        StringBuilder b = open(Charts.WIDTH, h, label);
        if (title != null) {
            b.append("<text x=\"").append(LEFT).append("\" y=\"22\" font-size=\"14\" fill=\"#222\">").append(esc(title))
                    .append("</text>\n");
        }
        double sx = plotW / span;
        int y0 = top;
        for (int k = 0; k < panels.size(); k++) {
            Panel p = panels.get(k);
            int ph = heights.get(k);
            rect(b, LEFT, y0, plotW, ph, "#f7f7f7", null);
            text(b, LEFT - 8, y0 + ph / 2.0 + 4, "end", "#222", shorten(p.name(), 24) + " (" + QuantityFormat.count(p.neurons()) + ")");
            int n = p.time().length;
            int stride = Math.max(1, (int) Math.ceil(n / (double) maxDots));
            String note = p.note();
            if (stride > 1) {
                note = (note == null ? "" : note + "; ") + "every " + stride + "th spike drawn";
            }
            if (note != null) {
                text(b, LEFT + plotW - 4, y0 + 12, "end", "#777", note);
            }
            double sy = ph / (double) Math.max(1, p.neurons());
            if (n == 0) {
                text(b, LEFT + plotW / 2.0, y0 + ph / 2.0 + 4, "middle", "#999", "no spikes");
            } else if (colouring == Colouring.BY_PANEL) {
                dots(b, p, stride, y0, sx, sy);
            } else {
                circles(b, p, stride, y0, sx, sy);
            }
            if (neuronTicks && p.neurons() > 0) {
                for (int i = 0; i <= 4; i++) {
                    int nIdx = (int) Math.round((p.neurons() - 1) * i / 4.0);
                    text(b, LEFT + plotW + 3, y0 + (nIdx + 0.5) * sy + 4, "start", "#555", Integer.toString(nIdx));
                }
            }
            y0 += ph + GAP;
        }
        for (double tv : ticks(span)) {
            if (tv > span) {
                break;
            }
            double x = LEFT + tv * sx;
            line(b, x, y0 - 10, x, y0 - 6, "#666", null);
            text(b, x, y0 + 8, "middle", "#555", QuantityFormat.num(tv * tickScale));
        }
        text(b, LEFT + plotW / 2.0, y0 + 26, "middle", "#333", timeLabel);
        b.append("</svg>");
        return b.toString();
    }

    private double x(double t, double sx) {
        return LEFT + Math.min(span, Math.max(0, t)) * sx;
    }

    /** One path of small rectangles: a bin wide (at least 1.2 px), a neuron's row high (1.2 to 3 px). */
    private void dots(StringBuilder b, Panel p, int stride, int y0, double sx, double sy) {
        double dotW = Math.max(1.2, binWidth * sx);
        double dotH = Math.max(1.2, Math.min(3, sy));
        StringBuilder d = new StringBuilder();
        for (int i = 0; i < p.time().length; i += stride) {
            double y = y0 + p.neuron()[i] * sy + (sy - dotH) / 2;
            d.append('M').append(px(x(p.time()[i], sx))).append(' ').append(px(y)).append('h').append(px(dotW)).append('v')
                    .append(px(dotH)).append('h').append(px(-dotW)).append('z');
        }
        b.append("<path d=\"").append(d).append("\" fill=\"").append(DOT).append("\"/>\n");
    }

    /** One circle per spike, hue from violet (neuron 0) to red (the last neuron). */
    private void circles(StringBuilder b, Panel p, int stride, int y0, double sx, double sy) {
        double r = Math.max(0.8, Math.min(2.0, sy));
        int last = Math.max(1, p.neurons() - 1);
        for (int i = 0; i < p.time().length; i += stride) {
            int n = p.neuron()[i];
            int rgb = java.awt.Color.HSBtoRGB(0.75f * (1f - (float) n / last), 0.85f, 0.8f) & 0xffffff;
            b.append("<circle cx=\"").append(px(x(p.time()[i], sx) + binWidth * sx / 2)).append("\" cy=\"")
                    .append(px(y0 + (n + 0.5) * sy)).append("\" r=\"").append(px(r)).append("\" fill=\"#")
                    .append(String.format(Locale.ROOT, "%06x", rgb)).append("\"/>\n");
        }
    }
}
