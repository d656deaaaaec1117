package io.myelin.report;

import static io.myelin.report.Xml.esc;
import static io.myelin.report.Xml.px;

/**
 * The SVG elements every plot is drawn with, appended to a {@link StringBuilder}: the document (white background,
 * an accessible label), text, rectangles with hover titles, lines, a legend, and round axis ticks.
 */
final class Svg {
    private static final String FONT = "font-family=\"Helvetica, Arial, sans-serif\" font-size=\"12\"";

    private Svg() {
    }

    static StringBuilder open(int w, int h, String label) {
        StringBuilder b = new StringBuilder();
        b.append("<svg xmlns=\"http://www.w3.org/2000/svg\" width=\"").append(w).append("\" height=\"").append(h)
                .append("\" viewBox=\"0 0 ").append(w).append(' ').append(h).append("\" role=\"img\" aria-label=\"")
                .append(esc(label)).append("\" ").append(FONT).append(">\n");
        b.append("<rect x=\"0\" y=\"0\" width=\"").append(w).append("\" height=\"").append(h)
                .append("\" fill=\"#ffffff\"/>\n");
        return b;
    }

    static void text(StringBuilder b, double x, double y, String anchor, String fill, String s) {
        b.append("<text x=\"").append(px(x)).append("\" y=\"").append(px(y)).append("\" text-anchor=\"").append(anchor)
                .append("\" fill=\"").append(fill).append("\">").append(esc(s)).append("</text>\n");
    }

    static void rect(StringBuilder b, double x, double y, double w, double h, String fill, String title) {
        b.append("<rect x=\"").append(px(x)).append("\" y=\"").append(px(y)).append("\" width=\"").append(px(Math.max(0, w)))
                .append("\" height=\"").append(px(h)).append("\" fill=\"").append(fill).append('"');
        if (title == null) {
            b.append("/>\n");
        } else {
            b.append("><title>").append(esc(title)).append("</title></rect>\n");
        }
    }

    static void line(StringBuilder b, double x1, double y1, double x2, double y2, String stroke, String extra) {
        b.append("<line x1=\"").append(px(x1)).append("\" y1=\"").append(px(y1)).append("\" x2=\"").append(px(x2))
                .append("\" y2=\"").append(px(y2)).append("\" stroke=\"").append(stroke).append("\" ")
                .append(extra == null ? "" : extra).append("/>\n");
    }

    static void legend(StringBuilder b, String[] names, String[] colors, double x, double y) {
        double cx = x;
        for (int i = 0; i < names.length; i++) {
            rect(b, cx, y - 10, 12, 12, colors[i], null);
            text(b, cx + 16, y, "start", "#333", names[i]);
            cx += 28 + 7.0 * names[i].length();
        }
    }

    /** Round tick values 0..max (about 5 of them). */
    static double[] ticks(double max) {
        if (!(max > 0)) {
            return new double[]{0, 1};
        }
        double raw = max / 5;
        double mag = Math.pow(10, Math.floor(Math.log10(raw)));
        double step = raw / mag < 1.5 ? mag : raw / mag < 3.5 ? 2 * mag : raw / mag < 7.5 ? 5 * mag : 10 * mag;
        int n = (int) Math.ceil(max / step - 1e-9);
        double[] t = new double[n + 1];
        for (int i = 0; i <= n; i++) {
            t[i] = i * step;
        }
        return t;
    }

    /**
     * Round ticks covering {@code [lo, hi]}: a step of 1, 2 or 5 x 10^k, the fewest that keep at most
     * {@code maxTicks} ticks; the first tick is at or below {@code lo}, the last at or above {@code hi}, so the axis runs
     * from tick to tick and every label is a round value (never 30.70 %, 44.56 %).
     */
    static double[] roundTicks(double lo, double hi, int maxTicks) {
        if (!(hi > lo)) {
            hi = lo + 1;
        }
        double raw = (hi - lo) / Math.max(1, maxTicks - 1);
        double mag = Math.pow(10, Math.floor(Math.log10(raw)));
        double step = 10 * mag;
        for (double m : new double[]{1, 2, 5}) {
            if (m * mag >= raw * (1 - 1e-9)) {
                step = m * mag;
                break;
            }
        }
        long first = (long) Math.floor(lo / step + 1e-9);
        long last = (long) Math.ceil(hi / step - 1e-9);
        if ((last - first) + 1 > maxTicks) {
            return roundTicks(first * step, last * step, maxTicks - 1 < 2 ? 2 : maxTicks - 1);
        }
        double[] t = new double[(int) (last - first) + 1];
        for (int i = 0; i < t.length; i++) {
            // whole multiples of the step, printed without binary fractions (0.30000000000000004)
            t[i] = Double.parseDouble(String.format(java.util.Locale.ROOT, "%.12g", (first + i) * step));
        }
        return t;
    }

    /** Width of {@code text} at the charts' font (12 px Helvetica: about 7 px per character), px. */
    static double textWidth(String text) {
        return 7.0 * text.length();
    }

    static String shorten(String s, int n) {
        return s.length() <= n ? s : s.substring(0, n - 1) + "…";
    }
}
