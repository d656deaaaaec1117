package io.myelin.report;

import io.myelin.core.energy.QuantityFormat;
import org.junit.jupiter.api.Test;

import java.util.ArrayList;
import java.util.List;
import java.util.SplittableRandom;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** Axis ticks fall on round values (1, 2 or 5 x 10^k) and no label overlaps another or the axis title. */
class AxisTicksTest {
    static void assertRound(double lo, double hi, int max, double[] t) {
        assertTrue(t.length >= 2 && t.length <= max, lo + ".." + hi + ": " + t.length + " ticks");
        assertTrue(t[0] <= lo + 1e-12 && t[t.length - 1] >= hi - 1e-12, lo + ".." + hi + " covered");
        double step = t[1] - t[0];
        double mantissa = step / Math.pow(10, Math.floor(Math.log10(step) + 1e-9));
        assertTrue(Math.abs(mantissa - 1) < 1e-6 || Math.abs(mantissa - 2) < 1e-6 || Math.abs(mantissa - 5) < 1e-6,
                "step " + step + " of " + lo + ".." + hi);
        for (double v : t) {
            assertEquals(0, Math.abs(v / step - Math.rint(v / step)), 1e-6, v + " is a multiple of " + step);
        }
    }

    @Test
    void ticksAreRoundAndCoverTheRange() {
        double[] t = Svg.roundTicks(0.307, 0.8456, 6);
        assertRound(0.307, 0.8456, 6, t);
        List<String> labels = new ArrayList<>();
        for (double v : t) {
            labels.add(QuantityFormat.percent(v));
        }
        assertEquals(List.of("20.00 %", "40.00 %", "60.00 %", "80.00 %", "100.00 %"), labels);
        SplittableRandom r = new SplittableRandom(7);
        for (int i = 0; i < 2000; i++) {
            // spans from 10^-4 to 10^7, starting up to a hundred spans from zero (what plotted data look like)
            double span = (0.05 + r.nextDouble()) * Math.pow(10, r.nextInt(-4, 7));
            double lo = (r.nextDouble() - 0.3) * span * Math.pow(10, r.nextInt(0, 3));
            double hi = lo + span;
            assertRound(lo, hi, 6, Svg.roundTicks(lo, hi, 6));
        }
    }

    /** The Pareto plot of issue 22 (accuracies 30.7 % .. 84.6 %): round y labels, none overlapping, title clear. */
    @Test
    void theParetoPlotsLabelsDoNotOverlap() {
        String svg = Charts.scatterLogX("p", List.of(new Charts.Point("a", 12.3, 0.307, true),
                new Charts.Point("b", 1234, 0.8456, true)), "energy per inference", "accuracy");
        Matcher ticks = Pattern.compile("<text x=\"([\\d.]+)\" y=\"([\\d.]+)\"[^>]*text-anchor=\"end\"[^>]*>([^<]*)</text>")
                .matcher(svg);
        List<String> labels = new ArrayList<>();
        List<Double> ys = new ArrayList<>();
        double right = -1;
        while (ticks.find()) {
            labels.add(ticks.group(3));
            ys.add(Double.parseDouble(ticks.group(2)));
            right = Double.parseDouble(ticks.group(1));
        }
        assertTrue(labels.size() >= 3, svg);
        for (String l : labels) {
            assertTrue(l.matches("\\d+ %"), "round percentage: " + l);
        }
        for (int i = 1; i < ys.size(); i++) {
            assertTrue(Math.abs(ys.get(i) - ys.get(i - 1)) >= 14, "labels 12 px high at least 14 px apart: " + ys);
        }
        Matcher title = Pattern.compile("<text x=\"([\\d.]+)\"[^>]*transform=\"rotate\\(-90").matcher(svg);
        assertTrue(title.find(), svg);
        double widest = labels.stream().mapToDouble(Svg::textWidth).max().orElseThrow();
        double titleRight = Double.parseDouble(title.group(1)) + 7;
        assertTrue(titleRight + 8 <= right - widest, "title ends at " + titleRight + ", labels start at "
                + (right - widest));
    }
}
