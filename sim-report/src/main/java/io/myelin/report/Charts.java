package io.myelin.report;

import io.myelin.core.energy.QuantityFormat;

import java.util.List;

import static io.myelin.core.energy.QuantityFormat.num;
import static io.myelin.report.Svg.legend;
import static io.myelin.report.Svg.line;
import static io.myelin.report.Svg.open;
import static io.myelin.report.Svg.rect;
import static io.myelin.report.Svg.shorten;
import static io.myelin.report.Svg.text;
import static io.myelin.report.Svg.ticks;
import static io.myelin.report.Xml.esc;
import static io.myelin.report.Xml.px;

/**
 * Inline SVG charts for the reports: horizontal (stacked) bars, log-scale bars, line charts and scatter plots (spike
 * rasters: {@link SpikeRasterPlot}). Each method returns one {@code <svg>} element (well-formed XML, SVG namespace) sized for a
 * 1000 px wide page; hover titles carry the exact values, no script is needed.
 */
public final class Charts {
    /** Plot width of every chart (px). */
    public static final int WIDTH = 960;
    private static final int LEFT = 180;
    private static final int RIGHT = 90;
    private static final int ROW = 28;

    private Charts() {
    }

    /**
     * Horizontal stacked bars: one row per {@code rows[i]}, segments {@code values[i][s]} of series {@code s}.
     *
     * @param unit     axis label
     * @param format   how a value is written at the end of a bar
     */
    public static String stackedBars(String label, String[] rows, String[] series, String[] colors, double[][] values,
                                     String unit, java.util.function.DoubleFunction<String> format) {
        int plotW = WIDTH - LEFT - RIGHT;
        int top = 30;
        int h = top + rows.length * ROW + 44;
        StringBuilder b = open(WIDTH, h, label);
        double max = 0;
        for (double[] r : values) {
            double s = 0;
            for (double v : r) {
                s += v;
            }
            max = Math.max(max, s);
        }
        double[] t = ticks(max);
        double scale = plotW / t[t.length - 1];
        double axisY = top + rows.length * ROW + 4;
        for (double tv : t) {
            double x = LEFT + tv * scale;
            line(b, x, top - 4, x, axisY, "#e3e3e3", null);
            text(b, x, axisY + 16, "middle", "#555", format.apply(tv));
        }
        text(b, LEFT + plotW / 2.0, axisY + 34, "middle", "#333", unit);
        if (series.length > 1) {
            legend(b, series, colors, LEFT, 16);
        }
        for (int i = 0; i < rows.length; i++) {
            double y = top + i * ROW + 4;
            text(b, LEFT - 8, y + 15, "end", "#222", shorten(rows[i], 26));
            double x = LEFT;
            double sum = 0;
            for (int s = 0; s < series.length; s++) {
                double v = values[i][s];
                rect(b, x, y, v * scale, ROW - 8, colors[s], rows[i] + " — " + series[s] + ": " + format.apply(v));
                x += v * scale;
                sum += v;
            }
            text(b, x + 5, y + 15, "start", "#222", format.apply(sum));
        }
        line(b, LEFT, top - 4, LEFT, axisY, "#666", null);
        b.append("</svg>");
        return b.toString();
    }

    /**
     * Horizontal bars of means with a whisker of one standard deviation either side (a sweep's groups), on a linear
     * axis from 0; the bar's label gives {@code mean ± std (n)}.
     *
     * @param n      the values behind each mean
     * @param format how ticks and values are written
     */
    public static String meanStdBars(String label, String[] rows, double[] mean, double[] std, int[] n, String color,
                                     String unit, java.util.function.DoubleFunction<String> format) {
        int plotW = WIDTH - LEFT - RIGHT - 60;
        int top = 16;
        int h = top + rows.length * ROW + 44;
        StringBuilder b = open(WIDTH, h, label);
        double max = 0;
        for (int i = 0; i < rows.length; i++) {
            max = Math.max(max, mean[i] + (Double.isNaN(std[i]) ? 0 : std[i]));
        }
        double[] t = ticks(max);
        double scale = plotW / t[t.length - 1];
        double axisY = top + rows.length * ROW + 4;
        for (double tv : t) {
            double x = LEFT + tv * scale;
            line(b, x, top - 4, x, axisY, "#e3e3e3", null);
            text(b, x, axisY + 16, "middle", "#555", format.apply(tv));
        }
        text(b, LEFT + plotW / 2.0, axisY + 34, "middle", "#333", unit);
        for (int i = 0; i < rows.length; i++) {
            double y = top + i * ROW + 4;
            String value = format.apply(mean[i]) + " ± " + format.apply(std[i]) + " (n=" + n[i] + ")";
            text(b, LEFT - 8, y + 15, "end", "#222", shorten(rows[i], 26));
            rect(b, LEFT, y, mean[i] * scale, ROW - 8, color, rows[i] + ": " + value);
            double lo = LEFT + Math.max(0, mean[i] - std[i]) * scale, hi = LEFT + (mean[i] + std[i]) * scale;
            double mid = y + (ROW - 8) / 2.0;
            line(b, lo, mid, hi, mid, "#222", "stroke-width=\"1.5\"");
            line(b, lo, mid - 5, lo, mid + 5, "#222", "stroke-width=\"1.5\"");
            line(b, hi, mid - 5, hi, mid + 5, "#222", "stroke-width=\"1.5\"");
            text(b, hi + 6, y + 15, "start", "#222", value);
        }
        line(b, LEFT, top - 4, LEFT, axisY, "#666", null);
        b.append("</svg>");
        return b.toString();
    }

    /**
     * Horizontal bars on a log10 axis (values > 0; zero or missing values are drawn as "n/a"), with a highlighted
     * reference line at {@code reference} (e.g. 1 for parity).
     */
    public static String logBars(String label, String[] rows, double[] values, String color, String unit,
                                 double reference, String referenceLabel) {
        return logBars(label, rows, new double[][]{values}, new String[]{color}, null, unit, reference, referenceLabel,
                QuantityFormat::num);
    }

    /**
     * Log-scale bars with one bar per row and series (grouped), {@code reference} NaN for no reference line;
     * {@code format} writes ticks and bar values.
     */
    public static String logBars(String label, String[] rows, double[][] seriesValues, String[] colors, String[] seriesNames,
                                 String unit, double reference, String referenceLabel,
                                 java.util.function.DoubleFunction<String> format) {
        boolean ref = !Double.isNaN(reference);
        int plotW = WIDTH - LEFT - RIGHT;
        int top = seriesNames == null ? 24 : 30;
        int k = seriesValues.length;
        int rowH = k == 1 ? ROW : 10 + 16 * k;
        int h = top + rows.length * rowH + 44;
        StringBuilder b = open(WIDTH, h, label);
        double lo = ref ? reference : Double.POSITIVE_INFINITY;
        double hi = ref ? reference : 0;
        for (double[] values : seriesValues) {
            for (double v : values) {
                if (v > 0) {
                    lo = Math.min(lo, v);
                    hi = Math.max(hi, v);
                }
            }
        }
        if (!(hi > 0)) {
            lo = 1;
            hi = 10;
        }
        int d0 = (int) Math.floor(Math.log10(lo));
        int d1 = Math.max(d0 + 1, (int) Math.ceil(Math.log10(hi)));
        int every = (d1 - d0) > 8 ? 2 : 1;
        double scale = plotW / (double) (d1 - d0);
        double axisY = top + rows.length * rowH + 4;
        for (int d = d0; d <= d1; d++) {
            double x = LEFT + (d - d0) * scale;
            line(b, x, top - 4, x, axisY, "#e3e3e3", null);
            if ((d - d0) % every == 0) {
                text(b, x, axisY + 16, "middle", "#555", format.apply(Math.pow(10, d)));
            }
        }
        text(b, LEFT + plotW / 2.0, axisY + 34, "middle", "#333", unit);
        if (seriesNames != null) {
            legend(b, seriesNames, colors, LEFT, 16);
        }
        for (int i = 0; i < rows.length; i++) {
            double y = top + i * rowH + 4;
            text(b, LEFT - 8, y + rowH / 2.0 - 3, "end", "#222", shorten(rows[i], 26));
            for (int s = 0; s < k; s++) {
                double v = seriesValues[s][i];
                double by = k == 1 ? y : y + s * 16;
                double bh = k == 1 ? ROW - 8 : 14;
                String name = seriesNames == null ? rows[i] : rows[i] + " — " + seriesNames[s];
                if (v > 0) {
                    double w = (Math.log10(v) - d0) * scale;
                    rect(b, LEFT, by, w, bh, colors[s], name + ": " + format.apply(v));
                    text(b, LEFT + w + 5, by + bh - 3, "start", "#222", format.apply(v));
                } else {
                    text(b, LEFT + 5, by + bh - 3, "start", "#888", "n/a");
                }
            }
        }
        if (ref) {
            double rx = LEFT + (Math.log10(reference) - d0) * scale;
            line(b, rx, top - 8, rx, axisY, "#c0392b", "stroke-width=\"2\" stroke-dasharray=\"5,3\"");
            text(b, rx + 4, top - 8, "start", "#c0392b", referenceLabel);
        }
        line(b, LEFT, top - 4, LEFT, axisY, "#666", null);
        b.append("</svg>");
        return b.toString();
    }

    /** One series of a line chart. */
    public record Series(String name, String color, double[] x, double[] y) {
    }

    /** Lines with point markers; y from {@code yMin} to {@code yMax}; NaN points are skipped. */
    public static String lineChart(String label, List<Series> series, String xUnit, String yUnit, double yMin, double yMax) {
        int left = 70;
        int plotW = WIDTH - left - 30;
        int top = 34;
        int plotH = 260;
        int h = top + plotH + 48;
        StringBuilder b = open(WIDTH, h, label);
        double xMin = Double.POSITIVE_INFINITY;
        double xMax = Double.NEGATIVE_INFINITY;
        for (Series s : series) {
            for (double x : s.x()) {
                xMin = Math.min(xMin, x);
                xMax = Math.max(xMax, x);
            }
        }
        if (!(xMax > xMin)) {
            xMin = xMin - 1;
            xMax = xMax + 1;
        }
        double sx = plotW / (xMax - xMin);
        double sy = plotH / (yMax - yMin);
        for (int i = 0; i <= 5; i++) {
            double v = yMin + i * (yMax - yMin) / 5;
            double y = top + plotH - (v - yMin) * sy;
            line(b, left, y, left + plotW, y, "#e3e3e3", null);
            text(b, left - 6, y + 4, "end", "#555", num(v));
        }
        double[] xt = ticks(xMax - xMin);
        for (double tv : xt) {
            double xv = xMin + tv;
            if (xv > xMax + 1e-9) {
                break;
            }
            double x = left + tv * sx;
            line(b, x, top + plotH, x, top + plotH + 4, "#666", null);
            text(b, x, top + plotH + 18, "middle", "#555", num(xv));
        }
        text(b, left + plotW / 2.0, top + plotH + 38, "middle", "#333", xUnit);
        b.append("<text x=\"16\" y=\"").append(top + plotH / 2).append("\" text-anchor=\"middle\" fill=\"#333\" transform=\"rotate(-90 16 ")
                .append(top + plotH / 2).append(")\">").append(esc(yUnit)).append("</text>\n");
        line(b, left, top, left, top + plotH, "#666", null);
        line(b, left, top + plotH, left + plotW, top + plotH, "#666", null);
        String[] names = new String[series.size()];
        String[] colors = new String[series.size()];
        for (int k = 0; k < series.size(); k++) {
            Series s = series.get(k);
            names[k] = s.name();
            colors[k] = s.color();
            StringBuilder path = new StringBuilder();
            for (int i = 0; i < s.x().length; i++) {
                if (Double.isNaN(s.y()[i])) {
                    continue;
                }
                path.append(path.length() == 0 ? "M" : " L").append(px(left + (s.x()[i] - xMin) * sx)).append(' ')
                        .append(px(top + plotH - (s.y()[i] - yMin) * sy));
            }
            if (path.length() > 0) {
                b.append("<path d=\"").append(path).append("\" fill=\"none\" stroke=\"").append(s.color())
                        .append("\" stroke-width=\"2\"/>\n");
            }
            for (int i = 0; i < s.x().length; i++) {
                if (Double.isNaN(s.y()[i])) {
                    continue;
                }
                b.append("<circle cx=\"").append(px(left + (s.x()[i] - xMin) * sx)).append("\" cy=\"")
                        .append(px(top + plotH - (s.y()[i] - yMin) * sy)).append("\" r=\"3\" fill=\"").append(s.color())
                        .append("\"><title>").append(esc(s.name() + " at " + num(s.x()[i]) + ": " + num(s.y()[i])))
                        .append("</title></circle>\n");
            }
        }
        legend(b, names, colors, left, 18);
        b.append("</svg>");
        return b.toString();
    }

    /** A labelled point of a scatter plot. */
    public record Point(String label, double x, double y, boolean highlighted) {
    }

    /** Scatter on a log10 x axis and linear y axis; highlighted points are joined by a dashed line (the Pareto front). */
    public static String scatterLogX(String label, List<Point> points, String xUnit, String yUnit) {
        int left = 70;
        int plotW = WIDTH - left - 40;
        int top = 20;
        int plotH = 320;
        int h = top + plotH + 50;
        StringBuilder b = open(WIDTH, h, label);
        double lo = Double.POSITIVE_INFINITY, hi = 0, yLo = Double.POSITIVE_INFINITY, yHi = Double.NEGATIVE_INFINITY;
        for (Point p : points) {
            if (p.x() > 0) {
                lo = Math.min(lo, p.x());
                hi = Math.max(hi, p.x());
            }
            yLo = Math.min(yLo, p.y());
            yHi = Math.max(yHi, p.y());
        }
        if (!(hi > 0)) {
            lo = 1;
            hi = 10;
        }
        int d0 = (int) Math.floor(Math.log10(lo));
        int d1 = Math.max(d0 + 1, (int) Math.ceil(Math.log10(hi)));
        double pad = Math.max(0.01, (yHi - yLo) * 0.1);
        yLo = Math.max(0, yLo - pad);
        yHi = Math.min(1, yHi + pad);
        if (!(yHi > yLo)) {
            yLo = 0;
            yHi = 1;
        }
        double sx = plotW / (double) (d1 - d0);
        double sy = plotH / (yHi - yLo);
        for (int d = d0; d <= d1; d++) {
            double x = left + (d - d0) * sx;
            line(b, x, top, x, top + plotH, "#e3e3e3", null);
            text(b, x, top + plotH + 16, "middle", "#555", QuantityFormat.energy(Math.pow(10, d)));
        }
        for (int i = 0; i <= 5; i++) {
            double v = yLo + i * (yHi - yLo) / 5;
            double y = top + plotH - (v - yLo) * sy;
            line(b, left, y, left + plotW, y, "#e3e3e3", null);
            text(b, left - 6, y + 4, "end", "#555", QuantityFormat.percent(v));
        }
        text(b, left + plotW / 2.0, top + plotH + 38, "middle", "#333", xUnit);
        b.append("<text x=\"16\" y=\"").append(top + plotH / 2).append("\" text-anchor=\"middle\" fill=\"#333\" transform=\"rotate(-90 16 ")
                .append(top + plotH / 2).append(")\">").append(esc(yUnit)).append("</text>\n");
        line(b, left, top, left, top + plotH, "#666", null);
        line(b, left, top + plotH, left + plotW, top + plotH, "#666", null);
        StringBuilder front = new StringBuilder();
        for (Point p : points) {
            if (p.highlighted() && p.x() > 0) {
                front.append(front.length() == 0 ? "M" : " L").append(px(left + (Math.log10(p.x()) - d0) * sx)).append(' ')
                        .append(px(top + plotH - (p.y() - yLo) * sy));
            }
        }
        if (front.length() > 0) {
            b.append("<path d=\"").append(front).append("\" fill=\"none\" stroke=\"#c0392b\" stroke-width=\"1.5\" stroke-dasharray=\"4,3\"/>\n");
        }
        for (Point p : points) {
            if (!(p.x() > 0)) {
                continue;
            }
            double x = left + (Math.log10(p.x()) - d0) * sx;
            double y = top + plotH - (p.y() - yLo) * sy;
            b.append("<circle cx=\"").append(px(x)).append("\" cy=\"").append(px(y)).append("\" r=\"5\" fill=\"")
                    .append(p.highlighted() ? "#c0392b" : "#4e79a7").append("\"><title>")
                    .append(esc(p.label() + ": " + QuantityFormat.energy(p.x()) + ", " + QuantityFormat.percent(p.y()))).append("</title></circle>\n");
            text(b, x + 8, y - 6, "start", "#222", shorten(p.label(), 30));
        }
        b.append("</svg>");
        return b.toString();
    }
}
