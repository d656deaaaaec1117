package io.myelin.core.data;

import java.util.Locale;

/**
 * Draws a spike raster (time on x in seconds, channel on y) as a self-contained SVG document, one dot per spike,
 * coloured by channel so that frequency bands stand apart.
 */
public final class SpikeRasterSvg {
    private static final int WIDTH = 900;
    private static final int HEIGHT = 520;
    private static final int LEFT = 70;
    private static final int RIGHT = 20;
    private static final int TOP = 40;
    private static final int BOTTOM = 55;

    private SpikeRasterSvg() {
    }

    /**
     * @param timesSeconds spike times in seconds
     * @param channels     channel of each spike, in {@code [0, channelCount)}
     * @param channelCount number of channels (y axis range)
     * @param title        title line (escaped here)
     */
    public static String render(float[] timesSeconds, int[] channels, int channelCount, String title) {
        double tMax = 0;
        for (float t : timesSeconds) {
            tMax = Math.max(tMax, t);
        }
        double span = niceCeil(Math.max(tMax, 0.01));
        double plotW = WIDTH - LEFT - RIGHT;
        double plotH = HEIGHT - TOP - BOTTOM;
        StringBuilder sb = new StringBuilder(64 * timesSeconds.length + 4096);
        sb.append("<svg xmlns=\"http://www.w3.org/2000/svg\" width=\"").append(WIDTH).append("\" height=\"")
                .append(HEIGHT).append("\" viewBox=\"0 0 ").append(WIDTH).append(' ').append(HEIGHT)
                .append("\" font-family=\"sans-serif\" font-size=\"12\">\n");
        sb.append("<rect width=\"100%\" height=\"100%\" fill=\"white\"/>\n");
        sb.append("<text x=\"").append(WIDTH / 2).append("\" y=\"22\" text-anchor=\"middle\" font-size=\"14\">")
                .append(escape(title)).append("</text>\n");
        sb.append("<rect x=\"").append(LEFT).append("\" y=\"").append(TOP).append("\" width=\"")
                .append(fmt(plotW)).append("\" height=\"").append(fmt(plotH))
                .append("\" fill=\"none\" stroke=\"black\"/>\n");
        for (int i = 0; i <= 5; i++) {
            double t = span * i / 5;
            double x = LEFT + plotW * i / 5;
            sb.append("<line x1=\"").append(fmt(x)).append("\" y1=\"").append(TOP + plotH).append("\" x2=\"")
                    .append(fmt(x)).append("\" y2=\"").append(fmt(TOP + plotH + 5)).append("\" stroke=\"black\"/>")
                    .append("<text x=\"").append(fmt(x)).append("\" y=\"").append(fmt(TOP + plotH + 20))
                    .append("\" text-anchor=\"middle\">").append(fmt(t)).append("</text>\n");
        }
        for (int i = 0; i <= 4; i++) {
            int ch = (int) Math.round((channelCount - 1) * i / 4.0);
            double y = TOP + plotH - plotH * (ch + 0.5) / channelCount;
            sb.append("<line x1=\"").append(LEFT - 5).append("\" y1=\"").append(fmt(y)).append("\" x2=\"")
                    .append(LEFT).append("\" y2=\"").append(fmt(y)).append("\" stroke=\"black\"/>")
                    .append("<text x=\"").append(LEFT - 8).append("\" y=\"").append(fmt(y + 4))
                    .append("\" text-anchor=\"end\">").append(ch).append("</text>\n");
        }
        sb.append("<text x=\"").append(fmt(LEFT + plotW / 2)).append("\" y=\"").append(HEIGHT - 12)
                .append("\" text-anchor=\"middle\">time (s)</text>\n");
        sb.append("<text transform=\"translate(18,").append(fmt(TOP + plotH / 2))
                .append(") rotate(-90)\" text-anchor=\"middle\">channel</text>\n");
        sb.append("<g stroke=\"none\">\n");
        double r = Math.max(0.8, Math.min(2.0, plotH / channelCount));
        for (int k = 0; k < timesSeconds.length; k++) {
            double x = LEFT + plotW * timesSeconds[k] / span;
            double y = TOP + plotH - plotH * (channels[k] + 0.5) / channelCount;
            float hue = 0.75f * (1f - (float) channels[k] / Math.max(1, channelCount - 1));
            int rgb = java.awt.Color.HSBtoRGB(hue, 0.85f, 0.8f) & 0xffffff;
            sb.append("<circle cx=\"").append(fmt(x)).append("\" cy=\"").append(fmt(y)).append("\" r=\"")
                    .append(fmt(r)).append("\" fill=\"#").append(String.format("%06x", rgb)).append("\"/>\n");
        }
        sb.append("</g>\n</svg>\n");
        return sb.toString();
    }

    /** Smallest of 1, 2, 2.5, 5 times a power of ten that is at least {@code v}. */
    private static double niceCeil(double v) {
        double p = Math.pow(10, Math.floor(Math.log10(v)));
        for (double m : new double[] {1, 2, 2.5, 5, 10}) {
            if (m * p >= v - 1e-12) {
                return m * p;
            }
        }
        return 10 * p;
    }

    private static String fmt(double v) {
        String s = String.format(Locale.ROOT, "%.2f", v);
        return s.endsWith(".00") ? s.substring(0, s.length() - 3) : s;
    }

    private static String escape(String s) {
        return s.replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;").replace("\"", "&quot;");
    }
}
